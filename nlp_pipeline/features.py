"""Features of one quantity for the learned linker: what a researcher can read and check.

Every feature is a ``name=value`` string with weight 1 (or a named number), built
from the same evidence a person annotating by GUIDELINES §2 reads: the words around
the number (jieba tokens), the nearest lexicon terms and how far away they are, the
fund carried by the headings, the cue words of ``lexicons/cues.toml``, the position
in the clause and sentence, and a table cell's headers. Nothing names a document or
a seed sentence, so the learned weights are about the lexicon and the guidelines,
not about the training texts; the feature names are the model's vocabulary and can
be listed with their weights.

All offsets here are normalized ones (``doc.ntext``), like ``doc.quantities``.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import islice

import regex

from .cues import cues
from .document import Cell, Document, Quantity
from .lexicon import load_lexicon
from .records import Mention
from .segment import LazyTokens, Token, label_tokens
from .terms import TermMatch, document_terms, terms_in

Features = dict[str, float]

#: Feature groups, in the order they are computed; saved in a model's metadata.
GROUPS = ("shape", "tokens", "terms", "funds", "cues", "position", "cell")
_CLAUSE_BREAK = regex.compile(r"[，,：:；;。（）()、\n]")
_LAST_CLAUSE_BREAK = regex.compile("(?r)" + _CLAUSE_BREAK.pattern)  # searched backwards
_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")
_NUMBERISH = regex.compile(r"^[\d.,%％+\-]+$")
#: How far (characters) a term or cue counts as "near"; distances are bucketed.
_DISTANCE_BUCKETS = (0, 1, 2, 4, 8, 16, 32)


def distance_bucket(distance: int) -> str:
    """A coarse distance, so 3 and 4 characters away share a weight."""
    for limit in _DISTANCE_BUCKETS:
        if distance <= limit:
            return f"<={limit}"
    return f">{_DISTANCE_BUCKETS[-1]}"


def magnitude(value: float) -> str:
    """Order of magnitude of a value: tells a head count from a fund total."""
    if value == 0:
        return "0"
    return str(min(12, int(math.log10(abs(value)))))


def token_form(text: str) -> str:
    """Numbers collapse to one token, so no feature names a seed figure."""
    return "<NUM>" if _NUMBERISH.match(text) else text


@dataclass
class _Span:
    start: int
    end: int


class DocumentContext:
    """Lookups of one document shared by all its quantities (computed once per document).

    Why a class: term matches, tokens, heading funds and sentence bounds are the same
    for every quantity of a document, and a report has hundreds of quantities.
    """

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.ntext
        self.lex = load_lexicon()
        self.cues = cues()
        self.tokens = LazyTokens(self.text)
        self.terms: list[TermMatch] = document_terms(doc)
        self.term_starts = [t.start for t in self.terms]
        self.q_starts = [q.start for q in doc.quantities]
        self.heading_funds = [self._title_fund(s.title) for s in doc.sections]
        self.heading_metrics = [self._title_metric(s.title) for s in doc.sections]
        self.doc_fund = next((t.id for t in self.terms[:40] if t.kind == "fund"), None)
        self.tables = {id(c): t for t in doc.tables for c in t.cells}
        # every feature group asks for the sentence and clause of the same quantity
        self._sentences: dict[int, _Span] = {}
        self._clauses: dict[tuple[int, int], _Span] = {}

    @staticmethod
    def _title_fund(title: str) -> str | None:
        found = [t.id for t in terms_in(title) if t.kind == "fund"]
        return found[-1] if found else None

    @staticmethod
    def _title_metric(title: str) -> str | None:
        found = [t.id for t in terms_in(title) if t.kind == "metric"]
        return found[-1] if found else None

    def sentence(self, pos: int) -> _Span:
        span = self._sentences.get(pos)
        if span is None:
            index = self.doc.sentence_index(pos)
            if index is None:
                span = _Span(max(0, pos - 60), min(len(self.text), pos + 60))
            else:
                span = _Span(self.doc.sentences[index].start, self.doc.sentences[index].end)
            self._sentences[pos] = span
        return span

    def clause(self, q: Quantity) -> _Span:
        """The clause around the quantity: between the nearest clause breaks."""
        span = self._clauses.get((q.start, q.end))
        if span is None:
            sent = self.sentence(q.start)
            before = _LAST_CLAUSE_BREAK.search(self.text, sent.start, q.start)
            after = _CLAUSE_BREAK.search(self.text, q.end, max(q.end, sent.end))
            span = _Span(before.end() if before else min(sent.start, q.start),
                         after.start() if after else max(sent.end, q.end))
            self._clauses[(q.start, q.end)] = span
        return span

    def terms_between(self, start: int, end: int) -> list[TermMatch]:
        i = bisect.bisect_left(self.term_starts, start)
        out = []
        while i < len(self.terms) and self.terms[i].start < end:
            if self.terms[i].end <= end:
                out.append(self.terms[i])
            i += 1
        return out

    def last_term(self, start: int, end: int, kind: str) -> TermMatch | None:
        """The last term of ``kind`` in [start, end): the last of ``terms_between``, found by
        walking back from ``end``, so a long section costs nothing per quantity."""
        i = bisect.bisect_left(self.term_starts, end) - 1
        while i >= 0 and self.terms[i].start >= start:
            term = self.terms[i]
            if term.kind == kind and term.end <= end:
                return term
            i -= 1
        return None

    def tokens_between(self, start: int, end: int) -> list[Token]:
        return self.tokens.between(start, end)

    def words_before(self, start: int, end: int, n: int) -> list[str]:
        """The last ``n`` non-blank tokens starting in [start, end), in text order."""
        return _first_words(self.tokens.backward(start, end), n)[::-1]

    def words_after(self, start: int, end: int, n: int) -> list[str]:
        """The first ``n`` non-blank tokens starting in [start, end)."""
        return _first_words(self.tokens.forward(start, end), n)

    def previous_quantity_end(self, q: Quantity, floor: int) -> int:
        i = bisect.bisect_left(self.q_starts, q.start)
        prev = floor
        for other in self.doc.quantities[max(0, i - 3):i]:
            prev = max(prev, other.end)
        return prev

    def section_index(self, pos: int) -> int | None:
        index = self.doc.sentence_index(pos)
        return self.doc.sentences[index].section if index is not None else None


def _first_words(tokens: Iterable[Token], n: int) -> list[str]:
    """The first ``n`` non-blank token texts: the iterator segments only what is read."""
    return list(islice((t.text for t in tokens if t.text.strip()), n))


# ---- feature groups ---------------------------------------------------------------------


def shape_features(q: Quantity) -> Features:
    """The quantity itself: type, unit, written sign, magnitude."""
    return {
        f"type={q.type}": 1.0, f"unit={q.unit}": 1.0,
        f"type_mag={q.type}:{magnitude(float(q.value))}": 1.0,
        f"neg_written={q.number < 0}": 1.0, f"q_qual={q.qualifier}": 1.0,
        f"inherited_unit={q.unit_start is None}": 1.0,
    }


def token_features(ctx: DocumentContext, q: Quantity, window: int) -> Features:
    """jieba tokens next to the number (by rank) and in its clause (as a bag)."""
    out: Features = {}
    sent = ctx.sentence(q.start)
    left = ctx.words_before(sent.start, q.start, window)
    right = ctx.words_after(q.end, sent.end, window)
    for k, tok in enumerate(reversed(left), start=1):
        out[f"tokL{k}={token_form(tok)}"] = 1.0
    for k, tok in enumerate(right, start=1):
        out[f"tokR{k}={token_form(tok)}"] = 1.0
    clause = ctx.clause(q)
    for t in ctx.tokens_between(clause.start, q.start):
        if t.text.strip() and len(t.text) > 1:
            out[f"clauseL={token_form(t.text)}"] = 1.0
    before = ctx.text[max(sent.start, q.start - 2):q.start]
    out[f"chars_before={before}"] = 1.0
    out[f"chars_after={ctx.text[q.end:q.end + 2]}"] = 1.0
    return out


def term_features(ctx: DocumentContext, q: Quantity) -> Features:
    """The nearest metric terms: left in the sentence, right after the unit, in the clause."""
    out: Features = {}
    sent = ctx.sentence(q.start)
    metrics = [t for t in ctx.terms_between(sent.start, q.start) if t.kind == "metric"]
    for k, t in enumerate(reversed(metrics[-3:]), start=1):
        out[f"metL{k}={t.id}"] = 1.0
        if k == 1:
            out[f"metL1_dist={distance_bucket(q.start - t.end)}"] = 1.0
    compatible = [t for t in metrics if q.type in ctx.lex.metrics[t.id].types]
    if compatible:
        out[f"metLc={compatible[-1].id}"] = 1.0
        out[f"metLc_kind={ctx.lex.metrics[compatible[-1].id].kind}"] = 1.0
    clause = ctx.clause(q)
    for t in ctx.terms_between(clause.start, q.start):
        if t.kind == "metric":
            out[f"metClause={t.id}"] = 1.0
    for t in ctx.terms_between(q.end, min(sent.end, q.end + 6)):
        if t.kind == "metric":
            out[f"metR={t.id}"] = 1.0
            out[f"metR_dist={distance_bucket(t.start - q.end)}"] = 1.0
            break
    if not metrics:
        out["metL=none"] = 1.0
        out.update(_previous_sentence_metric(ctx, sent))
    return out


def _previous_sentence_metric(ctx: DocumentContext, sent: _Span) -> Features:
    """A metric named in the previous sentence (其中：…, lists continued after a full stop)."""
    prev = ctx.sentence(max(0, sent.start - 1))
    if prev.start >= sent.start:
        return {}
    found = ctx.last_term(prev.start, prev.end, "metric")
    return {f"metPrevSent={found.id}": 1.0} if found else {}


def fund_features(ctx: DocumentContext, q: Quantity) -> Features:
    """Funds named in the sentence, carried from the section, and in the headings (§2.1)."""
    out: Features = {}
    sent = ctx.sentence(q.start)
    named = [t for t in ctx.terms_between(sent.start, q.start) if t.kind == "fund"]
    if named:
        out[f"fundL1={named[-1].id}"] = 1.0
        out[f"fundL1_dist={distance_bucket(q.start - named[-1].end)}"] = 1.0
        out[f"fundSentFirst={named[0].id}"] = 1.0
    hints = [t.fund_hint for t in ctx.terms_between(sent.start, q.start) if t.fund_hint]
    if hints:
        out[f"fundHint={hints[-1]}"] = 1.0
    section = ctx.section_index(q.start)
    out.update(_carried_fund(ctx, section, sent.start))
    out.update(_heading_features(ctx, section))
    out[f"docFund={ctx.doc_fund}"] = 1.0
    out[f"genre={ctx.doc.genre or 'report'}"] = 1.0
    return out


def _carried_fund(ctx: DocumentContext, section: int | None, before: int) -> Features:
    """The last fund named earlier in the same section (it carries until another is named)."""
    start = ctx.doc.sections[section].start if section is not None else 0
    fund = ctx.last_term(start, before, "fund")
    return {f"fundCarry={fund.id}": 1.0} if fund else {"fundCarry=none": 1.0}


def _heading_features(ctx: DocumentContext, section: int | None) -> Features:
    out: Features = {}
    chain = []
    index = section
    while index is not None:
        chain.append(index)
        index = ctx.doc.sections[index].parent
    funds = [ctx.heading_funds[i] for i in chain if ctx.heading_funds[i]]
    if funds:
        out[f"headFund={funds[0]}"] = 1.0
        out[f"headFundTop={funds[-1]}"] = 1.0
    metrics = [ctx.heading_metrics[i] for i in chain if ctx.heading_metrics[i]]
    if metrics:
        out[f"headMetric={metrics[0]}"] = 1.0
    kinds = [ctx.doc.sections[i].kind for i in chain if ctx.doc.sections[i].kind]
    out[f"secKind={kinds[0] if kinds else 'none'}"] = 1.0
    return out


def cue_features(ctx: DocumentContext, q: Quantity) -> Features:
    """Measure, basis, qualifier and deficit cues (lexicons/cues.toml) before and after."""
    out: Features = {}
    sent = ctx.sentence(q.start)
    prev_end = ctx.previous_quantity_end(q, sent.start)
    found = ctx.cues.measure.find(ctx.text, prev_end, q.start)
    for c in found:
        out[f"mcue={c.kind}"] = 1.0
        out[f"mcueText={c.text}"] = 1.0
    if found:
        out[f"mcueLast={found[-1].kind}"] = 1.0
        out[f"mcueLast_dist={distance_bucket(q.start - found[-1].end)}"] = 1.0
    clause = ctx.clause(q)
    for c in ctx.cues.measure.find(ctx.text, clause.start, q.start):
        out[f"mcueClause={c.kind}"] = 1.0
    out.update(_basis_cues(ctx, q, sent))
    out.update(_qualifier_cues(ctx, q, prev_end))
    if any(d in ctx.text[sent.start:q.start] for d in ctx.cues.deficit):
        out["deficit"] = 1.0
    return out


def _basis_cues(ctx: DocumentContext, q: Quantity, sent: _Span) -> Features:
    out: Features = {}
    found = ctx.cues.basis.find(ctx.text, sent.start, q.start)
    for c in found:
        comparison = any(x in ctx.text[max(0, c.start - 3):c.start]
                         for x in ctx.cues.comparison_before_prior)
        kind = f"{c.kind}_cmp" if comparison else c.kind
        out[f"bcue={kind}"] = 1.0
    if found:
        out[f"bcueLast={found[-1].kind}"] = 1.0
        out[f"bcueLast_dist={distance_bucket(q.start - found[-1].end)}"] = 1.0
    out[f"year={_year_relation(ctx, sent.start, q.start)}"] = 1.0
    before = ctx.text[max(0, q.start - 8):q.start]
    if any(f in before for f in ctx.cues.from_prior):
        out["from_before"] = 1.0
    return out


def _year_relation(ctx: DocumentContext, start: int, end: int) -> str:
    """Whether the sentence dates its figure to the report year or an earlier one."""
    report = ctx.doc.report_year
    years = [int(m.group(1)) for m in _YEAR.finditer(ctx.text, start, end)]
    if not years or report is None:
        return "none"
    year = years[-1]
    return "earlier" if year < report else ("same" if year == report else "later")


def _qualifier_cues(ctx: DocumentContext, q: Quantity, prev_end: int) -> Features:
    out: Features = {}
    for c in ctx.cues.qualifier_before.find(ctx.text, max(prev_end, q.start - 4), q.start):
        out[f"qBefore={c.kind}"] = 1.0
        out[f"qBeforeText={c.text}"] = 1.0
    for c in ctx.cues.qualifier_after.find(ctx.text, q.end, min(len(ctx.text), q.end + 3)):
        if c.start == q.end:
            out[f"qAfter={c.kind}"] = 1.0
            out[f"qAfterText={c.text}"] = 1.0
    return out


def position_features(ctx: DocumentContext, q: Quantity) -> Features:
    """Where the number sits: its rank in the clause and sentence, and the table/prose split."""
    sent = ctx.sentence(q.start)
    clause = ctx.clause(q)
    lo = bisect.bisect_left(ctx.q_starts, sent.start)
    me = bisect.bisect_left(ctx.q_starts, q.start)
    hi = bisect.bisect_left(ctx.q_starts, sent.end)
    in_clause = bisect.bisect_left(ctx.q_starts, clause.start)
    return {
        f"rankSent={min(me - lo, 4)}": 1.0,
        f"rankClause={min(me - in_clause, 3)}": 1.0,
        f"lastInSent={me == hi - 1}": 1.0,
        f"nSent={min(hi - lo, 6)}": 1.0,
        f"clauseOffset={distance_bucket(q.start - clause.start)}": 1.0,
        f"inTable={q.cell is not None}": 1.0,
    }


def cell_features(ctx: DocumentContext, q: Quantity) -> Features:
    """A table cell's row, column, group and left headers: their terms, cues and words."""
    cell = q.cell
    if cell is None:
        return {}
    out: Features = {}
    table = ctx.tables.get(id(cell))
    labels = {"row": cell.row_label, "col": cell.col_label, "group": cell.group_label,
              "left": cell.left_label, "title": table.title if table else ""}
    for name, label in labels.items():
        out.update(_label_features(ctx, name, label))
    out[f"colTotal={any(c in cell.col_label for c in ctx.cues.total_column)}"] = 1.0
    out[f"col={min(cell.col, 8)}"] = 1.0
    out.update(_cell_year(ctx, cell))
    return out


def _label_features(ctx: DocumentContext, name: str, label: str) -> Features:
    out: Features = {}
    if not label:
        return {f"{name}=empty": 1.0}
    for t in terms_in(label):
        out[f"{name}_{t.kind}={t.id}"] = 1.0
    for c in ctx.cues.measure.find(label):
        out[f"{name}_mcue={c.kind}"] = 1.0
    for c in ctx.cues.basis.find(label):
        out[f"{name}_bcue={c.kind}"] = 1.0
    if name in ("row", "col"):
        for w in _label_words(label):
            out[f"{name}_tok={w}"] = 1.0
    return out


def _label_words(label: str) -> Iterable[str]:
    return {token_form(t.text) for t in label_tokens(label) if len(t.text.strip()) > 1}


def _cell_year(ctx: DocumentContext, cell: Cell) -> Features:
    report = ctx.doc.report_year
    for name, label in (("col", cell.col_label), ("group", cell.group_label),
                        ("row", cell.row_label)):
        m = _YEAR.search(label)
        if m and report:
            year = int(m.group(1))
            rel = "earlier" if year < report else ("same" if year == report else "later")
            return {f"{name}_year={rel}": 1.0}
    return {}


def quantity_features(ctx: DocumentContext, q: Quantity, window: int = 3) -> Features:
    """All feature groups of one quantity (see :data:`GROUPS`)."""
    out = shape_features(q)
    out.update(token_features(ctx, q, window))
    out.update(term_features(ctx, q))
    out.update(fund_features(ctx, q))
    out.update(cue_features(ctx, q))
    out.update(position_features(ctx, q))
    out.update(cell_features(ctx, q))
    return out


def rule_label_features(labels: Mapping[str, str]) -> Features:
    """The rule tagger's labels as features (``use_rule_features=True``)."""
    return {f"rule_{name}={labels[name]}": 1.0
            for name in ("fund", "metric", "measure", "basis", "qualifier")}


# ---- alignment of gold with detected quantities -----------------------------------------


def original_span(doc: Document, q: Quantity) -> tuple[int, int]:
    return doc.to_original(q.start, q.end)


def match_gold(doc: Document, quantities: list[Quantity],
               gold: Iterable[Mention]) -> list[Mention | None]:
    """The gold mention of each quantity with the same original span (None if none)."""
    by_span = {}
    for g in gold:
        by_span.setdefault((g.start, g.end), g)
    return [by_span.get(original_span(doc, q)) for q in quantities]


def sign_label(q: Quantity, gold: Mention) -> str:
    """``flip`` when the gold value's sign differs from the written one (§1.2, §5)."""
    written = q.value < 0
    return "flip" if gold.value != 0 and (gold.value < 0) != written else "keep"
