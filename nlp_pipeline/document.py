"""The document object every stage annotates (spaCy's ``Doc`` idea, kept small).

Stages fill the fields in order — ``normalize`` → ``structure`` → ``segment`` (lazy)
→ ``quantities`` — and taggers read them. All spans stored here are in normalized
coordinates; :meth:`Document.to_original` maps them back for output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .normalize import Normalized


@dataclass
class Section:
    """A heading and the text under it, up to the next heading of the same or higher level."""

    title: str
    level: int
    start: int
    end: int
    parent: int | None
    kind: str = ""  # "goal" (target-setting), "result", or "" (inherit)


@dataclass
class Sentence:
    start: int
    end: int
    section: int | None
    in_table: bool = False


@dataclass
class Cell:
    """A table cell with the header texts that give it meaning."""

    start: int
    end: int
    text: str
    row: int
    col: int
    row_label: str = ""
    col_label: str = ""
    group_label: str = ""
    left_label: str = ""
    is_text: bool = False  # a prose cell (预期目标 / 实际完成情况): labelled as prose
    left_labels: tuple[str, ...] = ()  # the row's labels before the cell, nearest first


@dataclass
class Table:
    start: int
    end: int
    unit: str | None
    title: str
    section: int | None
    cells: list[Cell] = field(default_factory=list)
    layout: str = "rows"  # "rows" (tab-separated) or "column-cells" (one cell per line)


@dataclass
class Quantity:
    """A detected number with its unit, before any labelling."""

    start: int
    end: int
    number: Decimal
    unit: str
    type: str
    value: Decimal  # number × unit multiplier, sign as written
    cell: Cell | None = None
    qualifier: str = ""
    unit_start: int | None = None  # where the written unit begins; None when inherited


@dataclass
class Document:
    doc_id: str
    text: str
    path: str | None = None
    norm: Normalized | None = None
    sections: list[Section] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    report_year: int | None = None
    genre: str = ""  # "department" for department accounts, else ""
    default_basis: str = "actual"
    tokens: list | None = None  # jieba tokens, filled on demand by segment()
    terms: list | None = None  # lexicon term matches, filled on demand by document_terms()

    @property
    def ntext(self) -> str:
        assert self.norm is not None, "normalize() has not run"
        return self.norm.text

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        assert self.norm is not None
        return self.norm.to_original(start, end)

    def sentence_index(self, pos: int) -> int | None:
        """Index of the sentence containing normalized offset ``pos`` (binary search)."""
        lo, hi = 0, len(self.sentences)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.sentences[mid].end <= pos:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(self.sentences) and self.sentences[lo].start <= pos:
            return lo
        return None

    def section_chain(self, index: int | None) -> list[Section]:
        """The section and its ancestors, innermost first."""
        chain = []
        while index is not None:
            chain.append(self.sections[index])
            index = self.sections[index].parent
        return chain
