"""Stage 2: a normalized copy of the text, with a map back to original offsets.

Rules downstream see one spelling of each character — ASCII digits, ``%``, ``(``,
Chinese sentence punctuation — no PDF line breaks inside a sentence or a number, and
one spelling of a table column gap: a tab (space-aligned rows of converted PDFs).
Every normalized character remembers its index in the original, so a span found in
the normalized text maps back exactly (GUIDELINES §3: offsets refer to the original).
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from functools import cache
from importlib import resources

import regex

# One-to-one replacements. Full-width ASCII (U+FF01–FF5E) is handled arithmetically;
# these are the others, plus ASCII punctuation mapped to its Chinese sentence form so
# that rules need only one set of delimiters.
_CHAR_MAP = {
    "\u3000": " ", "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ",
    "\u200b": " ", "\ufeff": " ", "\u2212": "-", "\u2014": "—", "\uff0e": ".",
    "(": "（", ")": "）", ":": "：", ";": "；", "!": "！", "?": "？",
    "\u2265": "≥", "\u2264": "≤",
}
_FULLWIDTH_KEEP = {"，", "（", "）", "：", "；", "！", "？"}
_TERMINAL = "。！？；：:;!?"
_UNIT_START = "万亿萬億元人名位%个百千"
_HEADING_START = regex.compile(
    r"\s*(?:第[一二三四五六七八九十]+[部分章节]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]"
    r"|\d+[、．]|\d+\.(?!\d)|[①-⑳])"
)
#: Column gaps of a space-aligned table (converted PDFs): two or more spaces of any width.
_SPACE_GAP = regex.compile(r"[ \u3000\u00a0\u2002\u2003]{2,}")
#: In a row with such gaps, a tab (and the spaces around it) is a gap as well.
_COLUMN_GAP = regex.compile(r"[ \u3000\u00a0\u2002\u2003]*\t[ \t\u3000\u00a0\u2002\u2003]*"
                            r"|[ \u3000\u00a0\u2002\u2003]{2,}")
#: A cell that ends a clause (prose with double spaces), or is a unit alone
#: (收入  100  亿元): such a line is a sentence, not a table row.
_PROSE_CELL = regex.compile(
    r".*[，。；！？、,;]|(?:[万亿萬億千百]*(?:元|人次|人|名|位)|[%％]|个?百分点)")
#: A number cell: a bare table number (as ``tables.NUMBER_CELL``, before width
#: normalization), or a number with a unit (456万人, 12.3亿元).
_NUMBER_CELL = regex.compile(r"[-+－]?(?:[\d０-９]{1,3}(?:[,，][\d０-９]{3})+|[\d０-９]+)"
                             r"(?:[.．][\d０-９]+)?\s*(?:[%％]|[万亿萬億千百]*[元人名位]次?)?")
#: A space-aligned row has at least this many cells.
MIN_SPACED_CELLS = 3
#: A line shorter than this is a title, a table cell or a list item, not a wrapped line.
MIN_WRAPPED_LINE = 30
#: A line ending in a number (and maybe a multiplier). Searched right to left (``(?r)``)
#: so a line of 200 000 digits costs one pass, not one pass per starting digit.
_ENDS_IN_NUMBER = regex.compile(r"(?r)\d[\d.,]*\s*[万亿萬億百千]?$")


@dataclass(frozen=True)
class Normalized:
    """The normalized text and, for each of its characters, the original index."""

    text: str
    index: array  # len(text) + 1 entries; the last is len(original)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized span ``[start, end)`` to the original text."""
        if end <= start:
            pos = self.index[start]
            return pos, pos
        return self.index[start], self.index[end - 1] + 1


@cache
def traditional_to_simplified() -> dict[str, str]:
    """OpenCC's character table (one character to one), so 養老保險 reads as 养老保险.

    Entries whose candidates include the character itself (著 → 着/著) are skipped:
    that character is also ordinary simplified Chinese.
    """
    table = {}
    path = resources.files("opencc") / "dictionary" / "TSCharacters.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        candidates = values.split()
        if len(key) == 1 and candidates and key not in candidates and len(candidates[0]) == 1:
            table[key] = candidates[0]
    return table


def _is_fullwidth_digit(ch: str) -> bool:
    return "０" <= ch <= "９"


def _map_char(ch: str, prev: str, nxt: str) -> str:
    code = ord(ch)
    if ch == "，" and _is_fullwidth_digit(prev) and _is_fullwidth_digit(nxt):
        return ","  # １，２３４万元: a full-width thousands separator
    if 0xFF01 <= code <= 0xFF5E:
        if ch in _FULLWIDTH_KEEP:
            return ch
        return chr(code - 0xFEE0)
    if code >= 0x3400:
        return traditional_to_simplified().get(ch, ch)
    if ch == ",":
        return "," if prev.isdigit() and nxt.isdigit() else "，"

    if ch == ".":
        return "." if prev.isdigit() or nxt.isdigit() else "。"
    return _CHAR_MAP.get(ch, ch)


def _join_breaks(lines: list[str], table_rows: set[int]) -> list[bool]:
    """For each line break, whether it is a PDF wrap to remove (True) or a real break."""
    joins = [False] * len(lines)
    following = len(lines)  # the next non-blank line after i (found walking backwards)
    for i in range(len(lines) - 1, -1, -1):
        j = following
        if lines[i].strip():
            following = i
        if j < len(lines):
            joins[i] = i not in table_rows and j not in table_rows and _is_wrap(lines[i], lines[j])
    return joins


def _cells(line: str) -> list[str]:
    return [c for c in _COLUMN_GAP.split(line.strip()) if c]


def _width(line: str) -> int:
    """Cells of a row, counting an indentation of two or more spaces as an empty one."""
    return len(_cells(line)) + bool(_COLUMN_GAP.match(line))


def _is_spaced_row(line: str) -> bool:
    """A row of a space-aligned table: three or more cells across gaps of two or more
    spaces, none of them the end of a clause or a unit cut from its number."""
    return (_SPACE_GAP.search(line.strip()) is not None and _width(line) >= MIN_SPACED_CELLS
            and not any(_PROSE_CELL.fullmatch(c) for c in _cells(line)))


def _number_cells(line: str) -> int:
    return sum(bool(_NUMBER_CELL.fullmatch(c)) for c in _cells(line))


def spaced_tables(lines: list[str]) -> list[list[int]]:
    """The line numbers of each space-aligned table: the column layout of reports
    converted from PDF.

    A run of at least two lines (blank lines between allowed) with three or more cells
    split by gaps of two or more spaces, one of them with two or more number cells. A
    single line, or lines of words only, stay prose: a double space in a sentence is
    not a column.
    """
    tables: list[list[int]] = []
    block: list[int] = []

    def close() -> None:
        if len(block) >= 2 and any(_number_cells(lines[i]) >= 2 for i in block):
            tables.append(list(block))
        block.clear()

    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if _is_spaced_row(line):
            block.append(i)
        else:
            close()
    close()
    return tables


def _column_gaps(line: str, widest: int) -> list[tuple[int, int]]:
    """The column gaps of one table row; an indented row of labels only, with fewer
    cells than the table's widest (a header over the row labels), starts with an
    empty cell."""
    body_start = len(line) - len(line.lstrip())
    if body_start >= 2 and len(_cells(line)) < widest and not _number_cells(line):
        body_start = 0
    return [m.span() for m in _COLUMN_GAP.finditer(line, body_start, len(line.rstrip()))]


def _is_wrap(line: str, following: str) -> bool:
    if "\t" in line or "\t" in following or "|" in line:
        return False
    head, tail = line.rstrip(), following.lstrip()
    if not head or not tail:
        return False
    if tail[0] in _UNIT_START and _ENDS_IN_NUMBER.search(head):
        return True  # a number cut from its unit: "1781.86 万\n元"
    if len(head.strip()) < MIN_WRAPPED_LINE or head[-1] in _TERMINAL or head[-1] in "）)":
        return False
    bullets = "-•·* "
    return not (_HEADING_START.match(head.lstrip(bullets))
                or _HEADING_START.match(tail.lstrip(bullets)))


def _edits(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """Original ranges to drop — each wrapping break with its blank lines and
    indentation, and all but the first space of each column gap of a space-aligned
    table — and the positions of those first spaces, which become tabs: from here on
    such a table reads like a tab-separated one."""
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    tables = spaced_tables(lines) if _SPACE_GAP.search(text) else []
    table_rows = {i for rows in tables for i in rows}
    ranges, tabs = [], []
    for i, join in enumerate(_join_breaks(lines, table_rows)):
        if not join:
            continue
        j = i + 1
        while not lines[j].strip():
            j += 1
        indent = len(lines[j]) - len(lines[j].lstrip())
        ranges.append((starts[i] + len(lines[i]), starts[j] + indent))
    for rows in tables:
        widest = max(len(_cells(lines[i])) for i in rows)
        for i in rows:
            for gap_start, gap_end in _column_gaps(lines[i], widest):
                if lines[i][gap_start:gap_end] == "\t":
                    continue  # already one tab
                tabs.append(starts[i] + gap_start)
                ranges.append((starts[i] + gap_start + 1, starts[i] + gap_end))
    return sorted(ranges), tabs


def _map_text(text: str) -> str:
    """``_map_char`` applied to every character, neighbours taken from the original.

    Context-free replacements go through ``str.translate`` (a C loop: ~0.1 µs a
    character, where a regex class of the ~4000 traditional characters costs ~2 µs);
    only ``,`` and ``.``, which depend on their neighbours, reach Python code. The
    result has the same length as ``text``.
    """
    mapped = text.translate(_translation())
    pieces: list[str] = []
    last = 0
    for m in _CONTEXTUAL.finditer(text):
        pos = m.start()
        new = _map_char(m.group(), text[pos - 1] if pos else "", text[pos + 1:pos + 2])
        if new != m.group():
            pieces += [mapped[last:pos], new]
            last = pos + 1
    if not pieces:
        return mapped
    pieces.append(mapped[last:])
    return "".join(pieces)


#: The characters whose mapping depends on their neighbours (see ``_map_char``).
_CONTEXTUAL = regex.compile(r"[,.]|(?<=[０-９])，(?=[０-９])")


@cache
def _translation() -> dict[int, str]:
    """``_map_char``'s context-free changes as a ``str.translate`` table, built by
    calling ``_map_char`` itself on every character it may change, so the two agree."""
    candidates = {chr(c) for c in range(0xFF01, 0xFF5F)}
    candidates |= set(_CHAR_MAP) | set(traditional_to_simplified())
    table = {}
    for ch in candidates - {",", "."}:
        new = _map_char(ch, "", "")
        if new != ch:
            table[ord(ch)] = new
    return table


def normalize_text(text: str) -> Normalized:
    """Normalize characters one by one and drop line breaks that only wrap a line.

    Works on whole slices between the dropped ranges (not a loop per character), so a
    document of tens of megabytes costs a few copies of its text plus the offset map.
    """
    mapped = _map_text(text)
    deleted, tabs = _edits(text)
    if tabs:
        chars = list(mapped)
        for pos in tabs:
            chars[pos] = "\t"
        mapped = "".join(chars)
    pieces: list[str] = []
    index = array("l")
    pos = 0
    for start, end in [*deleted, (len(text), len(text))]:
        pieces.append(mapped[pos:start])
        index.extend(range(pos, start))
        pos = end
    index.append(len(text))
    return Normalized("".join(pieces), index)
