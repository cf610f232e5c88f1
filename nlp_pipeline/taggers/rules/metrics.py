"""Metric rules (GUIDELINES §2.2): what a figure measures.

The nearest metric term to the left that fits the mention type, so
`较上年增加…，增长…，完成预算…` chains keep their head phrase; people counts also look
at the noun right after the unit (202346名离退休人员).
"""

from __future__ import annotations

import bisect

import regex

from ...document import Quantity
from ...terms import TermMatch
from .common import CLAUSE_BREAK, YEAR
from .state import RuleState


class MetricRules(RuleState):
    def _metric_term(self, q: Quantity, terms: list[TermMatch], measure: str) -> TermMatch | None:
        metrics = self.lex.metrics
        candidates = [t for t in terms if t.kind == "metric"]
        if q.type in ("PEOPLE", "PERSON_TIMES"):
            after = [t for t in candidates if 0 <= t.start - q.end <= 3
                     and not CLAUSE_BREAK.search(self.doc.ntext[q.end:t.start])]
            for t in after:
                for term in reversed(self._compound(t, candidates)):
                    if q.type in metrics[term.id].types:
                        return term
        left = [t for t in candidates if t.end <= q.start and not self._inside_cue(t)
                and not self._in_closed_brackets(t, q)]
        clause_start = self._clause_start(q.start)
        if q.type == "PERSON_TIMES" and left and left[-1].start >= clause_start \
                and "参保" in self.doc.ntext[left[-1].start:left[-1].end]:
            return left[-1]  # 参保人数将突破50万人次: insured people counted in 人次
        if q.type == "PERCENT" and measure == "level":
            rates = [t for t in left if t.start >= clause_start
                     and metrics[t.id].kind in ("rate", "other")]
            return rates[-1] if rates else None
        for i in range(len(left) - 1, -1, -1):
            t = left[i]
            spec = metrics[t.id]
            if q.type not in spec.types:
                continue
            if q.type == "PERCENT" and spec.kind == "rate":
                continue
            return self._specific_people(t, left[:i]) if q.type != "MONEY" else t
        return None

    @staticmethod
    def _compound(first: TermMatch, candidates: list[TermMatch]) -> list[TermMatch]:
        """687名离退休死亡人员: terms written together form one noun whose head, the
        last term that fits, says what is counted."""
        run = [first]
        for t in candidates:
            if t.start == run[-1].end:
                run.append(t)
        return run

    def _specific_people(self, term: TermMatch, earlier: list[TermMatch]) -> TermMatch:
        """享受工伤保险待遇人数: 人数 counts what 享受…待遇 names, in the same clause."""
        text = self.doc.ntext
        if text[term.start:term.end] not in self.lex.cues["lines"]["generic_people"]:
            return term
        for t in reversed(earlier):
            if CLAUSE_BREAK.search(text[t.end:term.start]):
                break
            if self.lex.metrics[t.id].kind == "people" and t.id != term.id:
                return t
        return term

    def _per_capita(self, term: TermMatch, metric: str) -> str:
        """人均伤残待遇支出: an amount per person is per_capita_benefit (§2.2), whatever
        line it is a share of."""
        if self.lex.metrics[metric].kind != "fund":
            return metric
        text = self.doc.ntext
        phrase_start = self._clause_start(term.start)
        prefixes = tuple(self.lex.cues["lines"]["per_capita_prefixes"])
        if any(p in text[phrase_start:term.start] for p in prefixes):
            return "per_capita_benefit"
        return metric

    def _line_metric(self, term: TermMatch) -> str:
        """劳动能力鉴定费支出: a named line without an id of its own is other_expenditure;
        “三公经费”支出决算: a qualifier right after a named line keeps that line."""
        text = self.doc.ntext
        word = text[term.start:term.end]
        lines = self.lex.cues["lines"]
        if word not in lines["modifiers"] or term.start == 0:
            return term.id
        named = [t for t in self.terms_between(max(0, term.start - 16), term.start)
                 if t.kind == "metric" and t.end == term.start]
        if named:
            return named[-1].id
        if word not in lines["generic"]:
            return term.id
        before = text[max(0, term.start - 4):term.start]
        total = before.endswith(tuple(lines["total_prefixes"]))
        if total or not regex.match(r"\p{Han}", before[-1:]):
            return term.id
        return lines["generic"][word]

    def _unnamed_item(self, q: Quantity, term: TermMatch, metric: str, prev_end: int) -> str:
        """…丧葬抚恤金支出13万元，价格临时补贴60万元: an item the lexicon does not name,
        listed after another one, is a line of its own (§7: other_expenditure/other_income)."""
        if q.type != "MONEY" or term.end > prev_end or prev_end <= 0:
            return metric
        text = self.doc.ntext
        between = text[prev_end:q.start]
        words = regex.sub(r"[\p{P}\s\d]|其中|分别|包括", "", between)
        if len(regex.findall(r"\p{Han}", words)) < 2 or YEAR.search(between):
            return metric
        if any(t.kind == "fund" or q.type in self.lex.metrics[t.id].types
               for t in self.terms_between(prev_end, q.start)):
            return metric  # a named line; a people word (离退休) names no money line
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
        """当年结余X，其中：统筹基金结余Y — Y is a part of the current balance; so is a
        fund's 基金结余 listed under 其中 (当期结余X，其中：职工医保基金结余Y)."""
        text = self.doc.ntext
        lines = self.lex.cues["lines"]
        word = text[term.start:term.end]
        generic = word in lines["generic_balance"]
        if word not in lines["subaccount"] and not generic:
            return metric
        balances = lines["balance_heads"]
        heads = [t for t in terms if t.kind == "metric" and t.end <= term.start
                 and t.id in balances and text[t.start:t.end] not in lines["subaccount"]
                 and text[t.start:t.end] not in lines["generic_balance"]]
        if not heads:
            return metric
        if generic and "其中" not in text[heads[-1].end:term.start]:
            return metric  # 当期结余X，基金结余Y: a balance of its own, not a part
        return heads[-1].id

    def _inside_cue(self, term: TermMatch) -> bool:
        """支出 inside 完成全年预算支出 names the budget, not the metric."""
        i = bisect.bisect_right(self.plan_cue_starts, term.start) - 1
        return i >= 0 and term.end <= self.plan_cues[i].end

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

    def _fallback_metric(self, q: Quantity, index: int | None) -> str:
        if q.type == "PERSON_TIMES":
            return "benefit_person_times"
        if index is not None and index > 0:
            prev = self.doc.sentences[index - 1]
            sent = self.doc.sentences[index]
            own = [t for t in self.terms.get(index, []) if t.kind == "metric" and t.end <= q.start
                   and q.type in self.lex.metrics[t.id].types]
            if prev.section == sent.section and not own:
                earlier = [t for t in self.terms.get(index - 1, []) if t.kind == "metric"
                           and q.type in self.lex.metrics[t.id].types
                           and self.lex.metrics[t.id].kind != "rate"]
                if earlier:
                    return earlier[-1].id
        return self.lex.defaults["metric"]
