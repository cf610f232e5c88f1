"""Stage 1: read a report file into text, detecting its encoding.

Chinese government files come as UTF-8 (with or without BOM), GB18030/GBK and now and
then UTF-16. We try the declared-by-BOM and strict UTF-8 readings first, because a
valid UTF-8 file is almost never anything else, and only then ask charset-normalizer.
The returned text is what every offset refers to: decoded, BOM removed, line endings
translated to ``\\n`` exactly as Python's text mode (universal newlines) reads a file.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from .errors import Errors, PipelineError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Encodings we accept from the detector; a guess outside this family on a Chinese
#: report is almost always a wrong guess on a damaged file.
_ACCEPTED = {"gb18030", "gbk", "gb2312", "hz", "big5", "utf_8", "utf_16", "utf_32", "ascii"}


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_bytes(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Return ``(text, encoding)`` or raise :class:`PipelineError` naming ``path``."""
    if not data.strip():
        raise PipelineError(Errors.E001, path)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _newlines(data.decode(encoding).lstrip("\ufeff")), encoding
            except UnicodeDecodeError as exc:
                raise PipelineError(Errors.E003, path, detail=str(exc)) from exc
    if b"\x00" in data:
        raise PipelineError(Errors.E002, path)
    try:
        return _newlines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    best = from_bytes(data).best()
    if best is None or best.encoding.lower() not in _ACCEPTED:
        detail = f"not UTF-8 ({utf8_error.reason} at byte {utf8_error.start})"
        if best is not None:
            detail += f"; best guess {best.encoding} rejected"
        raise PipelineError(Errors.E003, path, detail=detail)
    encoding = "gb18030" if best.encoding.lower() in {"gbk", "gb2312"} else best.encoding
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise PipelineError(Errors.E003, path, detail=str(exc)) from exc
    _reject_control_characters(text, path)
    return _newlines(text), encoding


def _reject_control_characters(text: str, path: str | Path) -> None:
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 8:
        raise PipelineError(Errors.E002, path)


def read_text(path: str | Path) -> str:
    """Read one report file; errors name the file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PipelineError(Errors.E004, path, detail=exc.strerror or str(exc)) from exc
    text, _ = decode_bytes(data, path)
    return text
