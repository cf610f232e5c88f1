"""Stage 1: read a report file into text, detecting its encoding.

Chinese government files come as UTF-8 (with or without BOM), GB18030/GBK and now and
then UTF-16. We try the declared-by-BOM and strict UTF-8 readings first, because a
valid UTF-8 file is almost never anything else, and only then ask charset-normalizer.

The returned text is what every offset refers to. It is exactly what Python's text
mode gives for the detected encoding — ``open(path, encoding=enc).read()`` with
``enc`` one of ``utf-8``, ``utf-8-sig``, ``utf-16``, ``utf-32``, ``gb18030`` — that
is: decoded, one leading BOM removed, and ``\\r\\n`` and lone ``\\r`` translated to
``\\n`` (universal newlines). A record's ``start``/``end`` therefore slice the text a
researcher gets by opening the file in Python, whatever the file's line endings.

Every input has a defined outcome: it is read, or a :class:`PipelineError` with a
stable code names the file — empty (E001), binary or UTF-16 without BOM (E002),
undecodable (E003), unreadable (E004), UTF-8 cut off inside a character (E005), not
a regular file such as a FIFO or a dangling/looping symlink (E006).
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
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
#: A UTF-8 character is at most 4 bytes, so an error this close to the end of the
#: data with reason "unexpected end of data" means the file was cut inside one.
_MAX_UTF8_TAIL = 3


def _newlines(text: str) -> str:
    """Universal newlines, as text mode applies them after decoding."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_bytes(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Return ``(text, encoding)`` or raise :class:`PipelineError` naming ``path``."""
    if not data or data.isspace():  # isspace() stops at the first non-space: no copy
        raise PipelineError(Errors.E001, path)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:  # the BOM codecs drop exactly one BOM, as text mode does
                return _non_empty(_newlines(data.decode(encoding)), path), encoding
            except UnicodeDecodeError as exc:
                raise PipelineError(Errors.E003, path, detail=str(exc)) from exc
    if b"\x00" in data:
        raise PipelineError(Errors.E002, path)
    try:
        return _newlines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if _is_truncated_utf8(data, utf8_error):
        raise PipelineError(Errors.E005, path, offset=utf8_error.start)
    return _decode_detected(data, path, utf8_error)


def _non_empty(text: str, path: str | Path) -> str:
    if not text.strip():
        raise PipelineError(Errors.E001, path)
    return text


def _is_truncated_utf8(data: bytes, error: UnicodeDecodeError) -> bool:
    """Valid UTF-8 except for an incomplete character at the very end."""
    if error.reason != "unexpected end of data" or len(data) - error.start > _MAX_UTF8_TAIL:
        return False
    try:
        data[: error.start].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decode_detected(
    data: bytes, path: str | Path, utf8_error: UnicodeDecodeError
) -> tuple[str, str]:
    """Ask charset-normalizer, accept only encodings a Chinese report plausibly uses."""
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
    return _non_empty(_newlines(text), path), encoding


def _reject_control_characters(text: str, path: str | Path) -> None:
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 8:
        raise PipelineError(Errors.E002, path)


def check_regular_file(path: str | Path) -> None:
    """Raise E006/E004 unless ``path`` is (a symlink to) a regular file.

    Checked before opening, because opening a FIFO blocks for ever and a symlink loop
    or dangling link would otherwise surface as a confusing read error.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        kind = "symlink loop" if exc.errno == errno.ELOOP else None
        if kind is None and os.path.islink(path):
            kind = "dangling symlink"
        if kind is not None:
            raise PipelineError(Errors.E006, path, kind=kind) from exc
        raise PipelineError(Errors.E004, path, detail=exc.strerror or str(exc)) from exc
    if not stat.S_ISREG(mode):
        kind = "directory" if stat.S_ISDIR(mode) else "FIFO" if stat.S_ISFIFO(mode) else "device"
        raise PipelineError(Errors.E006, path, kind=kind)


def read_text(path: str | Path) -> str:
    """Read one report file; errors name the file."""
    path = Path(path)
    check_regular_file(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PipelineError(Errors.E004, path, detail=exc.strerror or str(exc)) from exc
    text, _ = decode_bytes(data, path)
    return text
