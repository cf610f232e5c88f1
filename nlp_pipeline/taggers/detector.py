"""A learned mention detector: character-level BIO tagging, compared with the rule detector.

Each character near a number (a candidate region: a run of digits or Chinese
numerals and the few characters a unit can take after it) is classified as
``B`` (first character of a mention), ``I`` (inside) or ``O`` by one logistic
regression over window features: the characters and their classes at offsets
−3…+3, the lexicon units that start or end there, and whether the character sits in
a table cell whose unit the table states (§1.3). Characters outside every candidate
region are ``O`` without asking the model — a mention starts with a number (§1.1),
so the restriction is the guidelines', and it keeps training to seconds.

A detected span becomes a :class:`~nlp_pipeline.document.Quantity` by parsing it
with the same number and unit grammar as the rule detector (a span with no unit it
can read is dropped: the unit is what makes a mention, §1), so the comparison with
the rule detector is about *where* spans are, not about value parsing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import regex
from sklearn.base import BaseEstimator
from sklearn.dummy import DummyClassifier
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from ..document import Cell, Document, Quantity
from ..features import Features
from ..lexicon import load_lexicon
from ..numerals import CHINESE_NUMERAL_CHARS, parse_arabic
from ..quantities import _cell_unit, matcher
from ..records import Mention
from ..tables import NUMBER_CELL

_NUMBER_CHAR = regex.compile(rf"[\d{regex.escape(CHINESE_NUMERAL_CHARS)}百分之]")
_NUMBER_RUN = regex.compile(rf"[+\-]?(?:[\d.,]|[{regex.escape(CHINESE_NUMERAL_CHARS)}百分之])+")
#: Characters after a number run that a unit (and its gap) can span: 个百分点 is 4.
_REACH_AFTER = 6


def char_class(ch: str) -> str:
    """A coarse class of a character: digit, Chinese numeral, unit, punctuation, …"""
    if ch.isdigit():
        return "D"
    if ch in CHINESE_NUMERAL_CHARS:
        return "N"
    if ch in "元人名位次%":
        return "U"
    if ch in ".,":
        return "P"
    if ch in "+-":
        return "S"
    if ch.isspace():
        return "W" if ch != "\n" else "L"
    if "\u4e00" <= ch <= "\u9fff":
        return "H"
    return "X"


def candidate_regions(text: str) -> list[tuple[int, int]]:
    """Merged regions around every number character where a mention may lie."""
    regions: list[tuple[int, int]] = []
    for m in _NUMBER_RUN.finditer(text):
        if not _NUMBER_CHAR.search(m.group()):
            continue
        start, end = max(0, m.start() - 1), min(len(text), m.end() + _REACH_AFTER)
        if regions and start <= regions[-1][1]:
            regions[-1] = (regions[-1][0], max(end, regions[-1][1]))
        else:
            regions.append((start, end))
    return regions


def original_index(doc: Document) -> np.ndarray:
    """The original offset of each normalized character (increasing)."""
    assert doc.norm is not None
    return np.asarray(doc.norm.index[:len(doc.ntext)])


def normalized_span(index: np.ndarray, start: int, end: int) -> tuple[int, int] | None:
    """Map an original span to normalized offsets (None if nothing of it survives)."""
    i, j = int(np.searchsorted(index, start)), int(np.searchsorted(index, end))
    return (i, j) if i < j else None


class _Units:
    """Where lexicon units start and end in a text (for the window features)."""

    def __init__(self, text: str) -> None:
        units = sorted(load_lexicon().units, key=len, reverse=True)
        pattern = regex.compile("|".join(regex.escape(u) for u in units))
        self.starts: dict[int, str] = {}
        self.ends: dict[int, str] = {}
        for m in pattern.finditer(text):
            self.starts[m.start()] = m.group()
            self.ends[m.end()] = m.group()


def _cell_of(doc: Document) -> dict[int, tuple[Cell, str | None]]:
    """Each table-cell character's cell and the unit the table states for it."""
    out = {}
    for table in doc.tables:
        for cell in table.cells:
            unit = _cell_unit(cell, table.unit)
            for pos in range(cell.start, cell.end):
                out[pos] = (cell, unit)
    return out


def char_features(text: str, i: int, units: _Units, cells: dict, window: int) -> Features:
    """Window features of character ``i``."""
    out: Features = {f"c0={text[i]}": 1.0, f"k0={char_class(text[i])}": 1.0}
    for k in range(-window, window + 1):
        if k == 0:
            continue
        j = i + k
        ch = text[j] if 0 <= j < len(text) else "^" if j < 0 else "$"
        out[f"c{k}={ch}"] = 1.0
        out[f"k{k}={char_class(ch)}"] = 1.0
    prev = text[i - 1] if i else "^"
    nxt = text[i + 1] if i + 1 < len(text) else "$"
    out[f"bi-={prev}{text[i]}"] = 1.0
    out[f"bi+={text[i]}{nxt}"] = 1.0
    out[f"kk={char_class(prev)}{char_class(text[i])}{char_class(nxt)}"] = 1.0
    if i in units.starts:
        out[f"unitStart={units.starts[i]}"] = 1.0
    if i + 1 in units.ends:
        out[f"unitEnd={units.ends[i + 1]}"] = 1.0
    if i in cells:
        cell, unit = cells[i]
        out[f"cellUnit={unit is not None}"] = 1.0
        out[f"cellNumber={NUMBER_CELL.fullmatch(cell.text) is not None}"] = 1.0
        out[f"cellFirst={i == cell.start}"] = 1.0
    return out


def char_labels(doc: Document, gold: Sequence[Mention]) -> dict[int, str]:
    """B/I labels of the normalized characters covered by gold mentions."""
    labels: dict[int, str] = {}
    index = original_index(doc)
    for g in gold:
        span = normalized_span(index, g.start, g.end)
        if span is None:
            continue
        labels[span[0]] = "B"
        for pos in range(span[0] + 1, span[1]):
            labels[pos] = "I"
    return labels


class MentionDetector(BaseEstimator):
    """Character BIO classifier over candidate regions; ``detect`` returns quantities."""

    def __init__(self, window: int = 3, C: float = 1.0, max_iter: int = 1000,
                 random_state: int | None = 0) -> None:
        self.window = window
        self.C = C
        self.max_iter = max_iter
        self.random_state = random_state

    def _rows(self, doc: Document) -> tuple[list[int], list[Features]]:
        text = doc.ntext
        units, cells = _Units(text), _cell_of(doc)
        positions = [i for s, e in candidate_regions(text) for i in range(s, e)]
        return positions, [char_features(text, i, units, cells, self.window) for i in positions]

    def fit(self, X: Sequence[Document], y: Sequence[Sequence[Mention]]) -> MentionDetector:
        features: list[Features] = []
        targets: list[str] = []
        for doc, gold in zip(X, y, strict=True):
            positions, rows = self._rows(doc)
            labels = char_labels(doc, gold)
            features += rows
            targets += [labels.get(i, "O") for i in positions]
        if not features:
            raise ValueError("no training document contains a number")
        self.vectorizer_ = DictVectorizer(sort=True).fit(features)
        matrix = self.vectorizer_.transform(features)
        if len(set(targets)) < 2:  # no gold mention at all: everything is O
            self.model_ = DummyClassifier(strategy="most_frequent").fit(matrix, targets)
            return self
        with threadpool_limits(limits=1):
            self.model_ = LogisticRegression(C=self.C, max_iter=self.max_iter,
                                             random_state=self.random_state)
            self.model_.fit(matrix, targets)
        return self

    def spans(self, doc: Document) -> list[tuple[int, int]]:
        """Normalized spans: a B and the I's after it (an I after O also opens a span)."""
        positions, rows = self._rows(doc)
        if not positions:
            return []
        with threadpool_limits(limits=1):
            tags = self.model_.predict(self.vectorizer_.transform(rows))
        spans: list[tuple[int, int]] = []
        open_at, last = None, -2
        for pos, tag in zip(positions, tags, strict=True):
            contiguous = pos == last + 1
            if open_at is not None and (tag != "I" or not contiguous):
                spans.append((open_at, last + 1))
                open_at = None
            if tag == "B" or (tag == "I" and open_at is None):
                open_at = pos
            last = pos
        if open_at is not None:
            spans.append((open_at, last + 1))
        return spans

    def detect(self, doc: Document) -> list[Quantity]:
        """Detected spans parsed into quantities (type, unit, value); unreadable ones dropped."""
        by_span = {(q.start, q.end): q for q in doc.quantities}
        cells = _cell_of(doc)
        out = []
        for start, end in self.spans(doc):
            q = by_span.get((start, end)) or span_quantity(doc, start, end, cells)
            if q is not None:
                out.append(q)
        return out


def span_quantity(doc: Document, start: int, end: int, cells: dict) -> Quantity | None:
    """Parse a span with the rule grammar; a bare table number takes its table's unit."""
    text = doc.ntext[start:end]
    found = [q for q in matcher().find(text) if q.start == 0 and q.end == len(text)]
    if found:
        q = found[0]
        unit_start = start + q.unit_start if q.unit_start is not None else None
        cell = cells[start][0] if start in cells else None
        return Quantity(start, end, q.number, q.unit, q.type, q.value, cell, q.qualifier,
                        unit_start)
    if start in cells and NUMBER_CELL.fullmatch(text) and not text.endswith("%"):
        cell, unit = cells[start]
        if unit is None:
            return None
        spec = load_lexicon().units[unit]
        number = parse_arabic(text)
        return Quantity(start, end, number, unit, spec.type, number * spec.multiplier, cell=cell)
    return None


def detection_scores(docs: Sequence[Document], gold: Sequence[Sequence[Mention]],
                     predicted: Sequence[Sequence[Quantity]]) -> dict[str, int]:
    """Strict span counts (tp, predicted, gold) of detected quantities against gold."""
    tp = n_pred = n_gold = 0
    for doc, g, qs in zip(docs, gold, predicted, strict=True):
        gold_spans = {(m.start, m.end) for m in g}
        pred_spans = {doc.to_original(q.start, q.end) for q in qs}
        tp += len(gold_spans & pred_spans)
        n_pred += len(pred_spans)
        n_gold += len(gold_spans)
    return {"tp": tp, "n_pred": n_pred, "n_gold": n_gold}
