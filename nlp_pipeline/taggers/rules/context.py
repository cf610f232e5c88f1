"""Per-document state shared by the label rules, and the dispatch for one quantity."""

from __future__ import annotations

import bisect

import regex

from ...cues import cues
from ...document import Document, Quantity, Sentence
from ...lexicon import load_lexicon
from ...terms import TermMatch, document_terms
from .bases import BasisRules
from .cells import CellRules
from .common import CLAUSE_BREAK, LIST_SEPARATORS, PHRASE_BREAK, Brackets, Labels, Occurrences
from .funds import FundRules
from .measures import MeasureRules
from .metrics import MetricRules

_CLAUSE_OR_LINE = regex.compile(CLAUSE_BREAK.pattern[:-1] + "\n]")
_PHRASE_OR_LINE = regex.compile(PHRASE_BREAK.pattern[:-1] + "\n]")


class DocContext(FundRules, MetricRules, MeasureRules, BasisRules, CellRules):
    """Term matches per sentence, the fund carried into each, and quantity positions."""

    def __init__(self, doc: Document, carry_fund: bool) -> None:
        self.doc = doc
        self.lex = load_lexicon()
        self.cues = cues()
        self.terms: dict[int, list[TermMatch]] = {}
        self.entry_fund: dict[int, str | None] = {}
        self.entry_protected: dict[int, bool] = {}
        self._last: Labels | None = None
        self.starts = [q.start for q in doc.quantities]
        self.ends = [q.end for q in doc.quantities]
        self.table_of = {id(c): t for t in doc.tables for c in t.cells}
        # matched once per document, then looked up by position
        self.doc_terms = document_terms(doc)
        self.term_starts = [t.start for t in self.doc_terms]
        self.clause_breaks = [m.start() for m in _CLAUSE_OR_LINE.finditer(doc.ntext)]
        self.phrase_breaks = [m.start() for m in _PHRASE_OR_LINE.finditer(doc.ntext)]
        self.plan_cues = [c for c in self.cues.measure.find(doc.ntext)
                          if c.kind in ("ratio_to_plan", "plan_difference")]
        self.plan_cue_starts = [c.start for c in self.plan_cues]
        self.years = self._all_dated_years()
        self.year_starts = [pos for pos, _ in self.years]
        self.brackets = Brackets(doc.ntext)
        self.basis_cues = {}
        self._fund_folds = {}
        self._sibling_cache = {}
        self._named_cache = {}
        self._phrase_only = None
        self._line_cache = {}
        self._metric_cache = {}
        self.words = Occurrences(doc.ntext, (*self.cues.deficit, "分别"))  # 分别 lists
        self.resolved = self._resolve_ambiguous()
        self.default_fund = (
            self.lex.defaults["fund_department"] if doc.genre == "department"
            else self._title_fund() or self.lex.defaults["fund_aggregate"]
        )
        self._carry(carry_fund)

    def label(self, q: Quantity) -> Labels:
        index = self.doc.sentence_index(q.start)
        sent = self.doc.sentences[index] if index is not None else None
        terms = self.terms.get(index, []) if index is not None else []
        if q.cell is not None and not q.cell.is_text:
            labels = self._label_cell(q, q.cell, sent, terms)
        else:
            labels = self._label_prose(q, sent, terms, index)
            if q.cell is not None:
                labels.basis = self._column_basis(q.cell) or labels.basis
        if self._negative_word_before(q):
            labels.negate = True  # 当期结余为负2.3亿元
        self._last = labels
        return labels

    def _negative_word_before(self, q: Quantity) -> bool:
        """A sign word (负) written right before the number, outside its span (§1.2)."""
        before = self.doc.ntext[max(0, q.start - 4):q.start].rstrip()
        return before.endswith(self.cues.negative_before)

    def _label_prose(
        self, q: Quantity, sent: Sentence | None, terms: list[TermMatch], index: int | None
    ) -> Labels:
        s_start = sent.start if sent else max(0, q.start - 60)
        prev_end = self._previous_quantity_end(q, s_start)
        measure, negate = self._measure(q, prev_end)
        metric_term = self._metric_term(q, terms, measure)
        metric = self._line_metric(metric_term) if metric_term else self._fallback_metric(q, index)
        if metric_term is not None:
            metric = self._subaccount_metric(metric_term, metric, terms)
            metric = self._unnamed_item(q, metric_term, metric, prev_end)
            metric = self._per_capita(metric_term, metric)
        metric = self._paid_people(q, metric)
        fund = self._fund(q, terms, index, metric_term, metric)
        if self._continues_list(q, prev_end):  # 参保率分别达到98%、98%、95%
            metric, measure, negate = self._last.metric, self._last.measure, self._last.negate
            fund = self._last.fund
        fund = self._respective_fund(q, s_start, terms) or fund
        none = self.lex.defaults["fund_department"]
        if (fund == none and self.doc.genre == "department" and q.type == "PEOPLE"
                and self.lex.metrics[metric].kind == "people"):
            metric = "staff"  # a department's own people (§2.2 staff)
        if (fund == none and self.doc.genre != "department"
                and self.lex.metrics[metric].kind not in ("department", "staff")):
            metric = self.lex.defaults["metric"]  # §6/§7: non-fund figures are `other`
            if measure == "change" and self._is_flow(q, prev_end):
                measure = "level"  # 新增就业X人: a flow, not a change of a stock
        basis = self._basis(q, s_start, sent)
        if measure == "ratio_to_plan" and self._section_basis(sent) != "planned":
            basis = "actual"  # a completion rate reports the result against the plan
        if measure == "plan_difference":
            basis = "actual"  # §7: actual minus plan is an actual figure
        qualifier = q.qualifier or self._qualifier(q, prev_end)
        if metric == "balance_current" and self._names_deficit(s_start, q.start):
            negate = True
        return Labels(fund, metric, measure, basis, qualifier, negate)

    def _continues_list(self, q: Quantity, prev_end: int) -> bool:
        """The previous quantity, a separator, then this one of the same type: X、Y、Z."""
        i = bisect.bisect_left(self.starts, q.start) - 1
        if self._last is None or i < 0 or self.doc.quantities[i].type != q.type:
            return False
        return self.doc.ntext[prev_end:q.start].strip() in LIST_SEPARATORS

    def _previous_quantity_end(self, q: Quantity, floor: int) -> int:
        """End of the quantity before ``q`` (quantities are sorted and do not overlap)."""
        i = bisect.bisect_left(self.starts, q.start) - 1
        return max(floor, self.doc.quantities[i].end) if i >= 0 else floor

    def _clause_start(self, pos: int, brackets: bool = True) -> int:
        """Start of the clause holding ``pos``; with ``brackets=False`` a bracket does
        not end a clause (比上年增加（减少）0万元)."""
        breaks = self.clause_breaks if brackets else self.phrase_breaks
        i = bisect.bisect_left(breaks, pos) - 1
        return breaks[i] + 1 if i >= 0 else 0

    def _names_deficit(self, start: int, end: int) -> bool:
        """Whether a deficit word (缺口, 赤字) lies inside ``[start, end)``."""
        return any(self.words.rfind(d, start, end) >= 0 for d in self.cues.deficit)

    def terms_between(self, start: int, end: int) -> list[TermMatch]:
        """The document's terms lying inside ``[start, end)``."""
        i = bisect.bisect_left(self.term_starts, start)
        j = bisect.bisect_left(self.term_starts, end)
        return [t for t in self.doc_terms[i:j] if t.end <= end]
