"""Stage 5: find every number with an in-scope unit (GUIDELINES §1) and its value.

Matching is kept apart from labelling: this stage only says *where* a quantity is,
*what unit* it has and *what it is worth*; the taggers decide what it measures.
Patterns use possessive quantifiers, so detection stays linear on pathological input
(200 000 digits, a megabyte of 万).
"""

from __future__ import annotations

import bisect

import regex

from .document import Cell, Document, Quantity
from .lexicon import load_lexicon
from .numerals import CHINESE_NUMERAL_CHARS, parse_arabic, parse_chinese
from .tables import NUMBER_CELL

_ARABIC = r"(?:\d{1,3}(?:,\d{3})++|\d++)(?:\.\d++)?+"
_DIGIT_COLON = regex.compile(r"\d[：:]")
_HEADER_UNIT = regex.compile(r"[（(](万亿元|亿元|万元|千元|元|万人次|人次|万人|人|%)[)）]|(%)$")


def _unit_pattern() -> str:
    units = sorted(load_lexicon().units, key=len, reverse=True)
    return "|".join(regex.escape(u) for u in units)


class QuantityMatcher:
    """Compiled patterns for one lexicon; build once per process."""

    def __init__(self) -> None:
        lex = load_lexicon()
        cues = lex.cues["quantity"]
        units = _unit_pattern()
        self.units = lex.units
        self.arabic = regex.compile(
            rf"(?<![\dA-Za-z.])(?P<sign>[-+](?=\d))?+(?P<num>{_ARABIC})(?P<gap>[ \t]{{0,8}}+)"
            rf"(?P<unit>{units})",
        )
        cn = regex.escape(CHINESE_NUMERAL_CHARS)
        self.chinese = regex.compile(
            rf"(?<![{cn}])(?P<num>[{cn}]{{1,12}}+)(?P<unit>{units})"
        )
        self.approximate = regex.compile(
            rf"(?<![\dA-Za-z.])(?P<num>{_ARABIC})(?:(?P<mult>万亿|亿|万|萬|億)?+(?P<approx>[多余])"
            rf"|(?P<approx2>[多余])(?P<mult2>万亿|亿|万|萬|億))(?P<base>元|人次|人|名)"
        )
        self.percent_words = regex.compile(rf"百分之(?P<num>[{cn}]{{1,8}}+)")
        self.not_after = {k: tuple(v) for k, v in cues["not_after_unit"].items()}
        self.not_before = tuple(cues["not_before_number"])
        self.single_numeral_after = tuple(cues["single_numeral_after"])

    def find(self, text: str) -> list[Quantity]:
        found = [q for m in self.arabic.finditer(text) if (q := self._arabic(text, m))]
        found += [q for m in self.chinese.finditer(text) if (q := self._chinese(text, m))]
        found += [q for m in self.approximate.finditer(text) if (q := self._approximate(text, m))]
        for m in self.percent_words.finditer(text):
            try:
                number = parse_chinese(m.group("num"))
            except (ValueError, KeyError):
                continue
            found.append(Quantity(m.start(), m.end(), number, "%", "PERCENT", number,
                                  unit_start=m.start()))
        found.sort(key=lambda q: q.start)
        return _drop_overlaps(found)

    def _blocked(self, text: str, start: int, end: int, unit: str) -> bool:
        after = text[end:end + 2]
        if any(after.startswith(s) for s in self.not_after.get(unit, ())):
            return True
        before = text[max(0, start - 1):start]
        return unit in ("名", "位", "人") and before in self.not_before

    def _arabic(self, text: str, m: regex.Match) -> Quantity | None:
        unit = m.group("unit")
        if self._blocked(text, m.start(), m.end(), unit):
            return None
        if _DIGIT_COLON.match(text[max(0, m.start() - 2):m.start()]):
            return None  # 11:58:28 人阅读: the seconds of a time stamp
        number = parse_arabic(m.group("num"))
        if m.group("sign") == "-":
            number = -number
        spec = self.units[unit]
        return Quantity(m.start(), m.end(), number, unit, spec.type, number * spec.multiplier,
                        unit_start=m.start("unit"))

    def _approximate(self, text: str, m: regex.Match) -> Quantity | None:
        """3000余人, 1亿多元, 300余万元: the number, 多/余 and the unit; qualifier ``>``."""
        unit = (m.group("mult") or m.group("mult2") or "") + m.group("base")
        if unit not in self.units or self._blocked(text, m.start(), m.end(), m.group("base")):
            return None
        number = parse_arabic(m.group("num"))
        spec = self.units[unit]
        return Quantity(m.start(), m.end(), number, unit, spec.type, number * spec.multiplier,
                        qualifier=">", unit_start=_unit_start(m))

    def _chinese(self, text: str, m: regex.Match) -> Quantity | None:
        digits, unit = m.group("num"), m.group("unit")
        if unit == "%" or self._blocked(text, m.start(), m.end(), unit):
            return None
        if len(digits) == 1 and not text[max(0, m.start() - 2):m.start()].endswith(
            self.single_numeral_after
        ):
            return None  # 一人一档, 统一人员: words, not counts
        try:
            number = parse_chinese(digits)
        except (ValueError, KeyError):
            return None
        spec = self.units[unit]
        return Quantity(m.start(), m.end(), number, unit, spec.type, number * spec.multiplier,
                        unit_start=m.start("unit"))


def _unit_start(m: regex.Match) -> int:
    """Where the written unit of an approximate figure begins (万余人, 余万元)."""
    for group in ("mult", "approx", "approx2"):
        if m.group(group):
            return m.start(group)
    return m.start("base")


def _drop_overlaps(found: list[Quantity]) -> list[Quantity]:
    kept: list[Quantity] = []
    for q in found:
        if kept and q.start < kept[-1].end:
            if q.end - q.start > kept[-1].end - kept[-1].start:
                kept[-1] = q
            continue
        kept.append(q)
    return kept


_MATCHER: QuantityMatcher | None = None


def matcher() -> QuantityMatcher:
    """The process-wide matcher (patterns compile once)."""
    global _MATCHER
    if _MATCHER is None:
        _MATCHER = QuantityMatcher()
    return _MATCHER


def _cell_unit(cell: Cell, table_unit: str | None) -> str | None:
    """The unit a table states for a bare number: its own headers first, then the table's."""
    units = [m.group(1) or m.group(2) for label in
             (cell.row_label, cell.left_label, cell.col_label, cell.group_label)
             if (m := _HEADER_UNIT.search(label))]
    if "%" in units:
        return "%"  # 参保人数（万人） × 增长率（%）: the rate column decides
    return units[0] if units else table_unit


def _table_quantities(doc: Document, taken: list[Quantity]) -> list[Quantity]:
    lex = load_lexicon()
    skip = tuple(lex.cues["quantity"]["table_label_out_of_scope"])
    starts = {q.start for q in taken}
    out = []
    for table in doc.tables:
        marked_rows = {c.row for c in table.cells if not NUMBER_CELL.fullmatch(c.text)
                       or c.text.endswith("%")}
        for cell in table.cells:
            if cell.start in starts or not NUMBER_CELL.fullmatch(cell.text):
                continue
            labels = cell.row_label + cell.col_label + cell.left_label
            if any(s in labels for s in skip):
                continue
            # a row whose other values carry their own unit or comparator (≤1%, ≤0) is
            # an indicator row: the table's 单位 line does not speak for its bare numbers
            unit = _cell_unit(cell, None if cell.row in marked_rows else table.unit)
            if unit is None or cell.text.endswith("%"):
                continue
            number = parse_arabic(cell.text)
            spec = lex.units[unit]
            out.append(Quantity(cell.start, cell.end, number, unit, spec.type,
                                number * spec.multiplier, cell=cell))
    return out


def detect_quantities(doc: Document) -> Document:
    """Fill ``doc.quantities`` (prose and table cells), sorted by position."""
    found = matcher().find(doc.ntext)
    cells = sorted((c for t in doc.tables for c in t.cells), key=lambda c: c.start)
    starts = [c.start for c in cells]
    for q in found:
        q.cell = _cell_containing(cells, starts, q.start)
    found += _table_quantities(doc, found)
    found.sort(key=lambda q: q.start)
    doc.quantities = found
    return doc


def _cell_containing(cells: list[Cell], starts: list[int], pos: int) -> Cell | None:
    i = bisect.bisect_right(starts, pos) - 1
    return cells[i] if i >= 0 and pos < cells[i].end else None
