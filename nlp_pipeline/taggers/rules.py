"""The rule tagger: fund, metric, measure, basis and qualifier from lexicon cues.

Each decision follows a guideline section and reads only data from ``lexicons/``:

* fund (§2.1): a fund named earlier in the sentence, else the one carried from
  earlier sentences of the section, else the nearest heading's, else the
  document's default (`none` for department accounts, `all` otherwise). A generic
  name never overrides a more specific scheme already in context.
* metric (§2.2): the nearest metric term to the left that fits the mention type, so
  `较上年增加…，增长…，完成预算…` chains keep their head phrase; people counts also
  look at the noun right after the unit (202346名离退休人员).
* measure (§2.3) from the cue words between the previous quantity and this one;
  basis (§2.4) from cues in the sentence, the section kind and the table headers.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import regex

from ..cues import Cue, cues
from ..document import Cell, Document, Quantity, Sentence
from ..lexicon import load_lexicon
from ..records import Mention
from ..terms import TermMatch, term_matcher
from .base import Tagger

_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d\d)\s*(?:年|末)")
_CLAUSE_BREAK = regex.compile(r"[，,：:；;。（）()、]")
#: Single-character verbs (多, 增, 减 …) count only right before the number.
_SHORT_CUE_REACH = 2
_QUALIFIER_REACH = 4
_LIST_SEPARATORS = ("、", "和", "及", "与")


@dataclass
class Labels:
    fund: str
    metric: str
    measure: str
    basis: str
    qualifier: str
    negate: bool = False


class RuleTagger(Tagger):
    """Lexicon- and guideline-driven labelling; no fitted state."""

    name = "rules"

    def __init__(self, carry_fund: bool = True) -> None:
        self.carry_fund = carry_fund

    def tag_document(self, doc: Document) -> list[Mention]:
        context = _Context(doc, self.carry_fund)
        return [to_mention(doc, q, context.label(q), self.name) for q in doc.quantities]


def to_mention(doc: Document, q: Quantity, labels: Labels, tagger: str) -> Mention:
    """Build the output record: original offsets, value signed by meaning."""
    start, end = doc.to_original(q.start, q.end)
    unit = q.unit
    if q.unit_start is not None:
        unit = doc.text[doc.to_original(q.unit_start, q.end)[0]:end]
    value = q.value
    if labels.negate and value > 0:
        value = -value
    return Mention(
        doc_id=doc.doc_id, start=start, end=end, text=doc.text[start:end], type=q.type,
        value=value, unit=unit, fund=labels.fund, metric=labels.metric,
        measure=labels.measure, basis=labels.basis, qualifier=labels.qualifier, tagger=tagger,
    )


class _Context:
    """Per-document state: term matches per sentence and the fund carried into each."""

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
        self.resolved = self._resolve_ambiguous()
        self.default_fund = (
            self.lex.defaults["fund_department"] if doc.genre == "department"
            else self._title_fund() or self.lex.defaults["fund_aggregate"]
        )
        self._carry(carry_fund)

    def _title_fund(self) -> str | None:
        """A report whose title names one fund (…工伤保险基金运行情况) is about that fund."""
        text = self.doc.ntext
        title = next((line for line in text[:300].split("\n") if line.strip()), "")
        funds = {t.id for t in term_matcher().find(title) if t.kind == "fund"}
        return funds.pop() if len(funds) == 1 else None

    def _resolve_ambiguous(self) -> dict[str, str]:
        """Document-dependent readings of names like 基本医疗保险 (funds.toml [[ambiguous]])."""
        named = {t.id for t in term_matcher().find(self.doc.ntext) if t.kind == "fund"}
        return {
            a["alias"]: a["then"] if a["if_document_names"] in named else a["default"]
            for a in self.lex.ambiguous_funds
        }

    def _fund_id(self, term: TermMatch, text: str | None = None) -> str:
        source = self.doc.ntext if text is None else text
        fund = self.resolved.get(source[term.start:term.end], term.id)
        return self._coordinated(fund, source[max(0, term.start - 8):term.start])

    def _coordinated(self, fund: str, before: str) -> str:
        """城镇职工和城乡居民基本养老保险 → pension; 失业、工伤保险 → all."""
        coord = self.lex.coordination
        if not coord or not before.endswith(tuple(coord["joiners"])):
            return fund
        head = before[:-1]
        if head.endswith(tuple(coord["same_family"])):
            return self.lex.fund_parent(fund) or fund
        if head.endswith(tuple(coord["other_family"])):
            return self.lex.defaults["fund_aggregate"]
        return fund

    # ---- fund carrying (§2.1) ----
    def _heading_fund(self, section: int | None) -> str | None:
        for sec in self.doc.section_chain(section):
            found = [t for t in term_matcher().find(sec.title) if t.kind == "fund"]
            if found:
                return self._reduce(found, None, sec.title)
        return None

    def _scoping(self, term: TermMatch, text: str | None = None) -> bool:
        """Whether a fund name sets the scope: not inside （含生育保险）."""
        source = self.doc.ntext if text is None else text
        before = source[max(0, term.start - 3):term.start]
        if term.kind != "fund" or source[term.start:term.end] in self.lex.reference_only:
            return False
        return not before.endswith(("含", "包括", "包含"))

    def _carries(self, term: TermMatch) -> bool:
        """养老保险费 (a premium) names a fund for its own sentence only."""
        return self.doc.ntext[term.end:term.end + 1] != "费"

    def _reduce(
        self, terms: list[TermMatch], current: str | None, text: str | None = None,
        protected: bool = True,
    ) -> str | None:
        for term in terms:
            if self._scoping(term, text):
                current = self.override(self._fund_id(term, text), current, protected)
                protected = True  # named in this sentence from here on
        return current

    def override(self, named: str, current: str | None, protected: bool = True) -> str | None:
        """A generic fund name keeps the more specific scheme named by the heading or the
        same sentence (基本医疗保险 under a 城镇职工基本医疗保险 heading); a scheme merely
        carried from an earlier sentence gives way."""
        if protected and current is not None and self.lex.fund_parent(current) == named:
            return current
        return named

    def _carry(self, carry_fund: bool) -> None:
        text = self.doc.ntext
        fund: str | None = None
        section: int | None = -1
        heading: str | None = None
        last: str | None = None  # the fund at the end of the previous sentence, `none` too
        for i, sent in enumerate(self.doc.sentences):
            self.terms[i] = term_matcher().find(text, sent.start, sent.end)
            if sent.section != section:
                section = sent.section
                fund = heading = self._heading_fund(section)
            breakdown = text[sent.start:sent.end].lstrip().startswith("其中")
            self.entry_fund[i] = last if breakdown and i and last else fund
            self.entry_protected[i] = fund == heading
            if carry_fund:
                carrying = [t for t in self.terms[i] if self._carries(t)]
                named = self._reduce(carrying, self.entry_fund[i], protected=fund == heading)
                last = named
                if named != self.lex.defaults["fund_department"]:
                    fund = named

    # ---- labelling one quantity ----
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
        self._last = labels
        return labels

    def _label_prose(
        self, q: Quantity, sent: Sentence | None, terms: list[TermMatch], index: int | None
    ) -> Labels:
        text = self.doc.ntext
        s_start = sent.start if sent else max(0, q.start - 60)
        prev_end = self._previous_quantity_end(q, s_start)
        measure, negate = self._measure(q, prev_end)
        metric_term = self._metric_term(q, terms, measure)
        metric = self._line_metric(metric_term) if metric_term else self._fallback_metric(q, index)
        if metric_term is not None:
            metric = self._subaccount_metric(metric_term, metric, terms)
            metric = self._unnamed_item(q, metric_term, metric, prev_end)
        fund = self._fund(q, terms, index, metric_term, metric)
        none = self.lex.defaults["fund_department"]
        if (fund == none and self.doc.genre == "department" and q.type == "PEOPLE"
                and self.lex.metrics[metric].kind == "people"):
            metric = "staff"  # a department's own people (§2.2 staff)
        if (fund == none and self.doc.genre != "department"
                and self.lex.metrics[metric].kind not in ("department", "staff")):
            metric = self.lex.defaults["metric"]  # §6/§7: non-fund figures are `other`
            if measure == "change" and self._is_flow(q, prev_end):
                measure = "level"  # 新增就业X人: a flow, not a change of a stock
        basis = self._basis(q, s_start, prev_end, sent)
        if measure == "ratio_to_plan" and self._section_basis(sent) != "planned":
            basis = "actual"  # a completion rate reports the result against the plan
        qualifier = q.qualifier or self._qualifier(q, prev_end)
        if metric == "balance_current" and any(
            d in text[s_start:q.start] for d in self.cues.deficit
        ):
            negate = True
        return Labels(fund, metric, measure, basis, qualifier, negate)

    def _previous_quantity_end(self, q: Quantity, floor: int) -> int:
        """End of the quantity before ``q`` (quantities are sorted and do not overlap)."""
        i = bisect.bisect_left(self.starts, q.start) - 1
        return max(floor, self.doc.quantities[i].end) if i >= 0 else floor

    # measure (§2.3)
    def _measure(self, q: Quantity, prev_end: int) -> tuple[str, bool]:
        text = self.doc.ntext
        between = text[prev_end:q.start]
        if between.strip() in _LIST_SEPARATORS and self._last is not None:
            return self._last.measure, self._last.negate  # 分别增加45人次、51人次
        found = self.cues.measure.find(text, prev_end, q.start)
        found = [c for c in found if len(c.text) > 1 or c.kind not in ("increase", "decrease")
                 or q.start - c.end <= _SHORT_CUE_REACH]
        kinds = {c.kind for c in found}
        if not found and between.startswith(_LIST_SEPARATORS) and self._last is not None:
            return self._last.measure, self._last.negate  # 占企业总数的X%、减免金额的Y%
        if q.type == "PERCENT" and any(p.search(between) for p in self.cues.ratio_patterns):
            kinds.add("ratio_to_plan")
        if "share" in kinds and q.type == "PERCENT":
            return "share", False
        if "plan_difference" in kinds:
            return "plan_difference", self._decreasing(found)
        if "ratio_to_plan" in kinds and q.type == "PERCENT":
            return "ratio_to_plan", False
        if not found and q.type == "PERCENT" and text[prev_end:q.start].strip() in ("的", ""):
            earlier = self._segment_before(prev_end)
            if any(c.kind == "ratio_to_plan" for c in earlier):
                return "ratio_to_plan", False
        last = self._last_change_cue(found, q)
        if last is not None and last.kind == "to_level":
            rate = [c for c in found if c.kind == "growth_only" and c.end <= last.start]
            last = rate[-1] if rate else None  # 降幅达到56.7%: still a growth
        if last is None:
            return "level", False
        negate = last.text in self.cues.decrease_words or last.text.startswith(("降", "减"))
        if q.type == "PERCENT":
            return ("change" if "百分点" in q.unit else "growth"), negate
        return "change", negate

    def _segment_before(self, pos: int) -> list[Cue]:
        """Cues before the quantity that ends at ``pos`` (for 完成预算X万元的Y%)."""
        i = bisect.bisect_left(self.ends, pos)
        found = i < len(self.ends) and self.ends[i] == pos
        start = self.doc.quantities[i].start if found else pos
        line_start = self.doc.ntext.rfind("\n", 0, start) + 1
        return self.cues.measure.find(self.doc.ntext, max(line_start, start - 20), start)

    def _last_change_cue(self, found: list[Cue], q: Quantity) -> Cue | None:
        change = [c for c in found if c.kind in ("increase", "decrease", "growth_only", "to_level")]
        if not change:
            return None
        # a change verb counts only after the last metric term: 增长原因：基金收入X is a level
        metric_terms = [
            t for t in term_matcher().find(self.doc.ntext, change[0].start, q.start)
            if t.kind == "metric"
        ]
        if metric_terms:
            last = metric_terms[-1]
            # 全年增加基金支出X: a verb right before the metric term still governs X
            change = [c for c in change if c.start >= last.end or c.end == last.start]
        return change[-1] if change else None

    @staticmethod
    def _decreasing(found: list[Cue]) -> bool:
        verbs = [c for c in found if c.kind in ("increase", "decrease")]
        return bool(verbs) and verbs[-1].kind == "decrease"

    # metric (§2.2)
    def _metric_term(self, q: Quantity, terms: list[TermMatch], measure: str) -> TermMatch | None:
        metrics = self.lex.metrics
        candidates = [t for t in terms if t.kind == "metric"]
        if q.type in ("PEOPLE", "PERSON_TIMES"):
            after = [t for t in candidates if 0 <= t.start - q.end <= 3
                     and not _CLAUSE_BREAK.search(self.doc.ntext[q.end:t.start])]
            for t in after:
                if q.type in metrics[t.id].types:
                    return t
        left = [t for t in candidates if t.end <= q.start and not self._inside_cue(t)
                and not self._in_closed_brackets(t, q)]
        if q.type == "PERCENT" and measure == "level":
            clause_start = self._clause_start(q.start)
            rates = [t for t in left if t.start >= clause_start
                     and metrics[t.id].kind in ("rate", "other")]
            return rates[-1] if rates else None
        for t in reversed(left):
            spec = metrics[t.id]
            if q.type not in spec.types:
                continue
            if q.type == "PERCENT" and spec.kind == "rate":
                continue
            return t
        return None

    def _line_metric(self, term: TermMatch) -> str:
        """劳动能力鉴定费支出: a named line without an id of its own is other_expenditure."""
        text = self.doc.ntext
        word = text[term.start:term.end]
        lines = self.lex.cues["lines"]
        if word not in lines["generic"] or term.start == 0:
            return term.id
        before = text[max(0, term.start - 4):term.start]
        if not regex.match(r"\p{Han}", before[-1:]) or before.endswith(tuple(lines["total_prefixes"])):
            return term.id
        named = [t for t in term_matcher().find(text, max(0, term.start - 16), term.start)
                 if t.kind == "metric" and t.end == term.start]
        if named:
            return named[-1].id  # 因公出国（境）费 + 支出: the line named just before
        return lines["generic"][word]

    def _unnamed_item(self, q: Quantity, term: TermMatch, metric: str, prev_end: int) -> str:
        """…丧葬抚恤金支出13万元，价格临时补贴60万元: an item the lexicon does not name,
        listed after another one, is a line of its own (§7: other_expenditure/other_income)."""
        if q.type != "MONEY" or term.end > prev_end or prev_end <= 0:
            return metric
        text = self.doc.ntext
        between = text[prev_end:q.start]
        words = regex.sub(r"[\p{P}\s\d]|其中|分别|包括", "", between)
        if len(regex.findall(r"\p{Han}", words)) < 2 or _YEAR.search(between):
            return metric
        if term_matcher().find(text, prev_end, q.start):
            return metric
        if (self.cues.measure.find(text, prev_end, q.start)
                or self.cues.basis.find(text, prev_end, q.start)
                or self.cues.qualifier_before.find(text, prev_end, q.start)):
            return metric
        if metric.endswith("_expenditure") or metric == "expenditure_total":
            return "other_expenditure"
        if metric.endswith("_income") or metric == "income_total":
            return "other_income"
        return metric

    def _subaccount_metric(self, term: TermMatch, metric: str, terms: list[TermMatch]) -> str:
        """当年结余X，其中：统筹基金结余Y — Y is a part of the current balance."""
        word = self.doc.ntext[term.start:term.end]
        if word not in self.lex.cues["lines"]["subaccount"]:
            return metric
        heads = [t for t in terms if t.kind == "metric" and t.end <= term.start
                 and t.id in ("balance_current", "balance_cumulative")]
        return heads[-1].id if heads else metric

    def _inside_cue(self, term: TermMatch) -> bool:
        """支出 inside 完成全年预算支出 names the budget, not the metric."""
        text = self.doc.ntext
        window = self.cues.measure.find(text, max(0, term.start - 8), min(len(text), term.end + 12))
        return any(c.kind in ("ratio_to_plan", "plan_difference") and c.start <= term.start
                   and term.end <= c.end for c in window)

    def _in_closed_brackets(self, term: TermMatch, q: Quantity) -> bool:
        """A term inside （含…） that closed before the number does not govern it."""
        between = self.doc.ntext[term.end:q.start]
        depth = 0
        for ch in between:
            if ch in "（(":
                depth += 1
            elif ch in "）)":
                if depth == 0:
                    return True
                depth -= 1
        return False

    def _clause_start(self, pos: int) -> int:
        text = self.doc.ntext
        line_start = text.rfind("\n", 0, pos) + 1
        for i in range(pos - 1, line_start - 1, -1):
            if _CLAUSE_BREAK.match(text[i]):
                return i + 1
        return line_start

    def _fallback_metric(self, q: Quantity, index: int | None) -> str:
        if q.type == "PERSON_TIMES":
            return "benefit_person_times"
        if index is not None and index > 0:
            prev = self.doc.sentences[index - 1]
            sent = self.doc.sentences[index]
            own = [t for t in self.terms.get(index, []) if t.kind == "metric" and t.end <= q.start]
            if prev.section == sent.section and not own:
                earlier = [t for t in self.terms.get(index - 1, []) if t.kind == "metric"
                           and q.type in self.lex.metrics[t.id].types
                           and self.lex.metrics[t.id].kind != "rate"]
                if earlier:
                    return earlier[-1].id
        return self.lex.defaults["metric"]

    # fund (§2.1, §6, §7)
    def _fund(
        self, q: Quantity, terms: list[TermMatch], index: int | None,
        metric_term: TermMatch | None, metric: str,
    ) -> str:
        none = self.lex.defaults["fund_department"]
        fund = self.entry_fund.get(index) if index is not None else None
        protected = self.entry_protected.get(index, True) if index is not None else True
        for t in terms:
            if t.end > q.start:
                break
            if self._scoping(t):
                fund = self.override(self._fund_id(t), fund, protected)
                protected = True
        hints = [t.fund_hint for t in terms if t.kind == "metric" and t.fund_hint
                 and t.end <= q.start and t.start >= self._clause_start(q.start) - 12]
        if metric_term is not None and metric_term.fund_hint:
            hints.append(metric_term.fund_hint)
        for hint in hints[-1:]:
            if fund in (None, "all") or self.lex.fund_parent(hint) == fund:
                fund = hint  # 企业离退休人员, 医疗保险待遇支出: the term names its fund
        if self.lex.metrics[metric].kind == "department" and fund in (None, "all"):
            return none
        if fund is None and metric == self.lex.defaults["metric"]:
            return none  # no fund anywhere in context and no fund metric: not a fund's figure
        return fund or self.default_fund

    def _is_flow(self, q: Quantity, start: int) -> bool:
        return any(f in self.doc.ntext[start:q.start] for f in self.cues.flow_level)

    # basis (§2.4, §7)
    def _basis(self, q: Quantity, s_start: int, prev_end: int, sent: Sentence | None) -> str:
        """The last basis cue or dated year before the number decides; else the section's."""
        text = self.doc.ntext
        events: list[tuple[int, str]] = []
        for cue in self.cues.basis.find(text, s_start, q.start):
            if cue.kind == "neutral":
                continue
            if cue.kind == "prior" and self._is_comparison(cue.start):
                if q.start - cue.end <= 1:
                    events.append((cue.start, "prior"))  # 较上年7.71万人增加…: the base figure
                continue
            if cue.kind == "ratio":
                # 完成全年预算1091628万元, 完成年度目标任务7900人: the figure right after
                # the cue is the plan itself
                if q.type != "PERCENT" and q.start - cue.end <= 3:
                    events.append((cue.start, "planned"))
            else:
                events.append((cue.start, cue.kind))
        for pos, year in self._dated_years(s_start, q.start):
            if self.doc.report_year and year < self.doc.report_year:
                events.append((pos, "prior"))
            elif self.doc.report_year:
                events.append((pos, self._section_basis(sent)))  # 增加到2020年的Y
        if self._is_from_figure(q):
            return "prior"
        if events:
            return max(events)[1]
        return self._section_basis(sent)

    def _section_basis(self, sent: Sentence | None) -> str:
        if sent is not None:
            for sec in self.doc.section_chain(sent.section):
                if sec.kind == "goal":
                    return "planned"
                if sec.kind == "result":
                    return "actual"
        return self.doc.default_basis

    def _is_comparison(self, pos: int) -> bool:
        before = self.doc.ntext[max(0, pos - 3):pos]
        return any(before.endswith(c) or c in before for c in self.cues.comparison_before_prior)

    def _dated_years(self, start: int, end: int) -> list[tuple[int, int]]:
        """Years the sentence dates its figures to (not ones it compares with)."""
        text = self.doc.ntext
        years = []
        for m in _YEAR.finditer(text, start, end):
            after = text[m.end():m.end() + 2]
            if regex.match(r"\d{0,2}月|以来|起|开始", after):
                continue  # a date (2018年1月1日起), not the period a figure belongs to
            if self._is_comparison(m.start()):
                continue
            years.append((m.start(), int(m.group(1))))
        return years

    def _is_from_figure(self, q: Quantity) -> bool:
        text = self.doc.ntext
        before = text[max(0, q.start - 8):q.start]
        after = text[q.end:q.end + 4]
        to_level = ("提高至", "提高到", "增加到", "增加至", "增至", "调整为", "调整至", "降至", "下降到",
                    "下降至", "降低至", "降低到", "减少到", "减少至")
        return any(f in before for f in self.cues.from_prior) and after.startswith(to_level)

    # qualifier (§2.5)
    def _qualifier(self, q: Quantity, prev_end: int) -> str:
        text = self.doc.ntext
        window = max(prev_end, q.start - _QUALIFIER_REACH)
        before = [c for c in self.cues.qualifier_before.find(text, window, q.start)
                  if not text[c.end:q.start].strip("  ")]
        after = self.cues.qualifier_after.find(text, q.end, min(len(text), q.end + 3))
        after = [c for c in after if c.start == q.end]
        if after and after[0].kind != ">":
            return after[0].kind
        if before:
            cue = before[-1]
            if cue.text in self.cues.before_needs_after:
                return ""
            return cue.kind
        return ""

    # table cells (§1.3)
    def _label_cell(
        self, q: Quantity, cell: Cell, sent: Sentence | None, terms: list[TermMatch]
    ) -> Labels:
        table = self.table_of[id(cell)]
        labels = [cell.col_label, cell.row_label, cell.group_label, cell.left_label, table.title]
        fund = self._cell_fund(cell, table.title, sent)
        measure, negate = self._cell_measure(q, cell)
        metric = self._cell_metric(q, [cell.row_label, cell.left_label, cell.group_label,
                                       cell.col_label, table.title], measure)
        if self.lex.metrics[metric].kind == "department" and fund == "all":
            fund = self.lex.defaults["fund_department"]
        basis = self._cell_basis(cell, measure, sent)
        qualifier = q.qualifier or self._qualifier(q, cell.start)
        del labels
        return Labels(fund, metric, measure, basis, qualifier, negate)

    def _cell_fund(self, cell: Cell, title: str, sent: Sentence | None) -> str:
        if any(c in cell.col_label for c in self.cues.total_column):
            return self.lex.defaults["fund_aggregate"]
        for label in (cell.col_label, cell.row_label, cell.group_label, cell.left_label, title):
            found = [t for t in term_matcher().find(label) if t.kind == "fund"]
            if found:
                return self._reduce(found, None, label) or self.default_fund
        heading = self._heading_fund(sent.section if sent else None)
        return heading or self.default_fund

    def _cell_metric(self, q: Quantity, labels: list[str], measure: str) -> str:
        metrics = self.lex.metrics
        fallback = None
        for label in labels:
            found = [t for t in term_matcher().find(label) if t.kind == "metric"]
            for t in reversed(found):
                spec = metrics[t.id]
                if q.type == "PERCENT" and measure == "level":
                    if spec.kind == "rate":
                        return t.id
                    continue
                if q.type in spec.types and spec.kind == "other":
                    fallback = fallback or t.id
                elif q.type in spec.types and spec.kind != "rate":
                    return t.id
        if fallback:
            return fallback
        if q.type == "PERSON_TIMES":
            return "benefit_person_times"
        return self.lex.defaults["metric"]

    def _cell_measure(self, q: Quantity, cell: Cell) -> tuple[str, bool]:
        label = cell.row_label + " " + cell.col_label
        found = self.cues.measure.find(label)
        kinds = {c.kind for c in found}
        if q.type == "PERCENT" and "ratio_to_plan" in kinds:
            return "ratio_to_plan", False
        if q.type == "PERCENT" and "share" in kinds:
            return "share", False
        if "plan_difference" in kinds:
            return "plan_difference", False
        change = [c for c in found if c.kind in ("increase", "decrease", "growth_only")]
        if change:
            negate = change[-1].text in self.cues.decrease_words
            if q.type == "PERCENT":
                return ("change" if "百分点" in q.unit else "growth"), negate
            return "change", negate
        return "level", False

    def _column_basis(self, cell: Cell) -> str | None:
        """预期目标 / 实际完成情况 columns decide the basis of the prose inside them."""
        kinds = [c.kind for c in self.cues.basis.find(cell.col_label)]
        if "actual" in kinds or "ratio" in kinds:
            return "actual"
        if "planned" in kinds:
            return "planned"
        return None

    def _cell_basis(self, cell: Cell, measure: str, sent: Sentence | None) -> str:
        labels = [cell.col_label, cell.group_label]
        if measure != "ratio_to_plan":  # 预算完成率 in a row label names the measure, not the basis
            labels = [cell.col_label, cell.left_label, cell.group_label, cell.row_label]
        for label in labels:
            if not label:
                continue
            year = _YEAR.match(label.strip())
            if year and self.doc.report_year:
                y = int(year.group(1))
                return "prior" if y < self.doc.report_year else "actual"
            kinds = [c.kind for c in self.cues.basis.find(label)]
            if "actual" in kinds or "ratio" in kinds:
                return "actual"
            if "planned" in kinds:
                return "planned"
            if "prior" in kinds:
                return "prior"
        return self._section_basis(sent)
