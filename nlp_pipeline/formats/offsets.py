"""Offsets written by annotation tools, mapped to the offsets of our records.

Our records index the text as :func:`nlp_pipeline.loading.read_text` returns it:
BOM removed, ``\\r\\n`` and lone ``\\r`` read as one ``\\n``. An annotation tool
counts the file as *it* reads it. brat opens the ``.txt`` without newline
translation, so in a file with ``\\r\\n`` line ends every line break is two
characters and offsets drift by one per line; a UTF-8 BOM is a character too.
Label Studio keeps whatever string the task held. Browser-based tools may count
UTF-16 code units, where a character outside the Basic Multilingual Plane is two.

:class:`Alignment` maps offsets of the tool's text to ours; callers then check the
mapped span against the text the tool says it annotated, so a wrong assumption is
reported, never silently written into gold.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass


@dataclass(frozen=True)
class Alignment:
    """Our text and, for each offset 0..len(raw) of the tool's text, the offset in ours."""

    text: str
    raw: str
    index: array

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Our span for the tool's ``[start, end)``; raises IndexError when out of range."""
        if not 0 <= start <= end <= len(self.raw):
            raise IndexError(start, end)
        return self.index[start], self.index[end]


def normalize_newlines(text: str) -> str:
    """The tool's string as our records see it (what ``loading.read_text`` produces)."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def align(raw: str) -> Alignment:
    """Map offsets of ``raw`` (the tool's text) to offsets of its normalized form.

    A leading BOM and the ``\\r`` of each ``\\r\\n`` are dropped: an offset at or
    inside a dropped character maps to the next kept one.
    """
    kept: list[str] = []
    index = array("l")
    bom = len(raw) - len(raw.lstrip("\ufeff"))
    for pos, ch in enumerate(raw):
        index.append(len(kept))
        if pos < bom or (ch == "\r" and raw[pos + 1:pos + 2] == "\n"):
            continue
        kept.append("\n" if ch == "\r" else ch)
    index.append(len(kept))
    return Alignment("".join(kept), raw, index)


def utf16_to_codepoints(text: str, offset: int) -> int:
    """The code-point offset of a UTF-16 code-unit offset into ``text``."""
    encoded = text.encode("utf-16-le")[: 2 * offset]
    return len(encoded.decode("utf-16-le", errors="ignore"))


def has_astral(text: str) -> bool:
    """Whether UTF-16 and code-point offsets can differ in ``text``."""
    return any(ord(ch) > 0xFFFF for ch in text)
