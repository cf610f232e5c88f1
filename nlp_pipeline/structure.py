"""Stage 3: headings, sections, sentences and table blocks.

The section tree is what carries a fund from a heading down to the sentences under
it, and what tells a goal-setting section (planned figures) from a results section.
Table blocks are handed to :mod:`nlp_pipeline.tables`, so prose rules never run on
a table blindly.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter

import regex

from .document import Document, Section, Sentence
from .lexicon import load_lexicon
from .tables import build_tables, is_table_line

#: Heading markers, most significant first; the index is the heading level.
HEADING_MARKERS = [
    regex.compile(r"第[一二三四五六七八九十]+(?:部分|章|节)"),
    regex.compile(r"[一二三四五六七八九十]+[、.]"),
    regex.compile(r"（[一二三四五六七八九十]+）"),
    regex.compile(r"\d{1,2}(?:、|\.(?!\d))"),
    regex.compile(r"（\d{1,2}）"),
    regex.compile(r"[①-⑳]"),
]
UNMARKED_LEVEL = len(HEADING_MARKERS)
MAX_HEADING = 60
MAX_TITLE = 30
_SENTENCE_END = regex.compile(r"[。！？；]+")
_DIGIT_UNIT = regex.compile(r"\d\s*(?:万|亿|元|%|人)")
_YEAR_OF_REPORT = regex.compile(r"((?:19|20)\d\d)\s*年度")
_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d\d)\s*年(?![\d月])")


def heading_level(line: str) -> int | None:
    """The level of a heading line, or None for body text."""
    stripped = line.strip().lstrip("-•·* ")
    if not stripped or len(stripped) > MAX_HEADING:
        return None
    body_punct = "。" in stripped[:-1] or stripped.endswith(("。", "，", "；"))
    for level, marker in enumerate(HEADING_MARKERS):
        if marker.match(stripped):
            return None if body_punct else level
    has_digit_unit = _DIGIT_UNIT.search(stripped)
    short = len(stripped) <= MAX_TITLE
    if short and not body_punct and "，" not in stripped and not has_digit_unit:
        return UNMARKED_LEVEL
    return None


def item_level(line: str) -> int | None:
    """The level of a numbered paragraph (``2.预算支出执行目标95%以上，…。``).

    Such an item is body text, but it ends the item before it: a fund named in item 1
    must not carry into item 2.
    """
    stripped = line.strip().lstrip("-•·* ")
    for level, marker in enumerate(HEADING_MARKERS):
        if marker.match(stripped):
            return level
    return None


def section_kind(title: str) -> str:
    cues = load_lexicon().cues["section"]
    if any(cue in title for cue in cues["result"]):
        return "result"  # 绩效目标完成情况 reports results, though it names the goal
    if any(cue in title for cue in cues["goal"]):
        return "goal"
    return ""


def _lines(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for piece in text.split("\n"):
        spans.append((start, start + len(piece)))
        start += len(piece) + 1
    return spans


def structure(doc: Document) -> Document:
    """Fill ``doc.sections``, ``doc.sentences``, ``doc.tables``, year and genre."""
    text = doc.ntext
    lines = _lines(text)
    table_flags = [is_table_line(text[s:e]) for s, e in lines]
    stack: list[int] = []
    current: int | None = None
    table_blocks: list[tuple[int, int, int | None]] = []
    block_start = None
    for i, (start, end) in enumerate(lines):
        line = text[start:end]
        if table_flags[i]:
            if block_start is None:
                block_start = i
            continue
        if block_start is not None and line.strip():
            table_blocks.append((block_start, i, current))
            block_start = None
        if not line.strip():
            continue
        level = heading_level(line)
        item = item_level(line) if level is None else None
        if level is not None or item is not None:
            depth = level if level is not None else item
            while stack and doc.sections[stack[-1]].level >= depth:
                doc.sections[stack.pop()].end = start
            parent = stack[-1] if stack else None
            title = line.strip() if level is not None else ""
            doc.sections.append(Section(title, depth, start, len(text), parent,
                                        section_kind(title)))
            current = len(doc.sections) - 1
            stack.append(current)
        _add_sentences(doc, start, end, current)
    if block_start is not None:
        table_blocks.append((block_start, len(lines), current))
    doc.tables = build_tables(doc, lines, table_blocks)
    line_starts = [s for s, _ in lines]  # increasing: bisect finds a table's lines
    for table in doc.tables:
        first = bisect_left(line_starts, table.start)
        stop = bisect_left(line_starts, table.end)
        doc.sentences.extend(
            Sentence(s, e, table.section, in_table=True) for s, e in lines[first:stop] if e > s
        )
    doc.sentences.sort(key=lambda s: s.start)
    doc.report_year = report_year(text)
    doc.genre = "department" if _is_department(text) else ""
    doc.default_basis = "planned" if _is_budget(text) else "actual"
    return doc


def _add_sentences(doc: Document, start: int, end: int, section: int | None) -> None:
    text = doc.ntext
    pos = start
    for match in _SENTENCE_END.finditer(text, start, end):
        doc.sentences.append(Sentence(pos, match.end(), section))
        pos = match.end()
    if pos < end and text[pos:end].strip():
        doc.sentences.append(Sentence(pos, end, section))


def report_year(text: str) -> int | None:
    """The year a report is about: its first "YYYY年度", else its most frequent year."""
    head = _YEAR_OF_REPORT.search(text[:2000])
    if head:
        return int(head.group(1))
    counts = Counter(int(m.group(1)) for m in _YEAR.finditer(text))
    if not counts:
        return None
    top = max(counts.values())
    return max(year for year, n in counts.items() if n == top)


def _is_budget(text: str) -> bool:
    """A budget statement (预算编报说明, 预算按险种分别编制): figures default to planned."""
    genre = load_lexicon().cues["genre"]
    first = next((line.strip() for line in text[:1000].split("\n") if line.strip()), "")
    heads = [first[:60], *_title_lines(text)]
    return any(c in h for h in heads for c in genre["budget"]) and not any(
        c in h for h in heads for c in genre["not_budget"]
    )


def _is_department(text: str) -> bool:
    """Department accounts say so in their title lines (2019 年度部门决算公开), not in
    passing further down (根据部门预算管理有关要求…)."""
    cues = load_lexicon().cues["genre"]["department"]
    return any(cue in line for line in _title_lines(text) for cue in cues)


def _title_lines(text: str, count: int = 4, width: int = 40) -> list[str]:
    """The first few short non-empty lines: where a report names itself."""
    lines = [line.strip() for line in text[:1000].split("\n") if line.strip()]
    return [line for line in lines[:count] if len(line) <= width]
