"""Metric rules (GUIDELINES §2.2): what a figure measures.

The nearest metric term to the left that fits the mention type, so
`较上年增加…，增长…，完成预算…` chains keep their head phrase; people counts also look
at the noun right after the unit (202346名离退休人员).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import replace

import regex

from ...document import Quantity
from ...terms import TermMatch
from .common import CLAUSE_BREAK, YEAR
from .state import RuleState

#: How far after a people count its clause is read for a payment (为X名…发放养老金).
PAID_REACH = 30

_NOWHERE = 1 << 62  # past every position

#: A line word followed at once by its amount: 转入0.5亿元, 转出资金为800万元.
LINE_AMOUNT = regex.compile(r"\s*(?:资金|基金|金额)?\s*(?:为|共计|合计|达)?\s*[-+]?[\d０-９]")


class MetricRules(RuleState):
    def _metric_term(self, q: Quantity, terms: list[TermMatch], measure: str) -> TermMatch | None:
        term = self._nearest_term(q, terms, measure)
        if term is None:
            return None
        return self._staff_part(term, terms) or self._income_standard(q, term) or term

    def _nearest_term(
        self, q: Quantity, terms: list[TermMatch], measure: str
    ) -> TermMatch | None:
        metrics = self.lex.metrics
        candidates, starts = self._candidates(terms)
        if q.type in ("PEOPLE", "PERSON_TIMES"):
            lo = bisect.bisect_left(starts, q.end)
            after = [t for t in candidates[lo:bisect.bisect_right(starts, q.end + 3)]
                     if not CLAUSE_BREAK.search(self.doc.ntext[q.end:t.start])]
            for t in after:
                for term in reversed(self._compound(t, candidates, starts)):
                    if q.type in metrics[term.id].types:
                        return term

        def left(before: int):
            """The candidates left of the figure that govern it, nearest first, from
            those before index ``before`` on (the sentence is not listed per figure)."""
            for i in range(before - 1, -1, -1):
                t = candidates[i]
                if t.end <= q.start and not self._inside_cue(t) \
                        and not self._in_closed_brackets(t, q):
                    yield i, t

        end = bisect.bisect_right(starts, q.start)
        clause_start = self._clause_start(q.start)
        if q.type == "PERSON_TIMES":
            last = next(left(end), None)
            if last is not None and last[1].start >= clause_start \
                    and "参保" in self.doc.ntext[last[1].start:last[1].end]:
                return last[1]  # 参保人数将突破50万人次: insured people counted in 人次
        if q.type == "PERCENT" and measure == "level":
            for _, t in left(end):
                if t.start < clause_start:
                    break
                if metrics[t.id].kind in ("rate", "other"):
                    return t
            return None
        fitting, fitting_starts = self._fitting(terms, q.type)
        for k in range(bisect.bisect_right(fitting_starts, q.start) - 1, -1, -1):
            i = fitting[k]
            t = candidates[i]
            if t.end <= q.start and not self._inside_cue(t) and not self._in_closed_brackets(t, q):
                if q.type == "MONEY":
                    return t
                return self._specific_people(t, (e for _, e in left(i)))
        return None

    def _sentence_cached(self, terms: list[TermMatch], key: object, build):
        """``build()`` once per sentence (its term list) and ``key``."""
        full = (id(terms), key)
        cached = self._metric_cache.get(full)
        if cached is None or cached[0] is not terms:
            cached = self._metric_cache[full] = (terms, build())
        return cached[1]

    def _candidates(self, terms: list[TermMatch]) -> tuple[list[TermMatch], list[int]]:
        """The metric terms of a sentence that name a line, and their starts."""
        def build():
            found = [t for t in terms if t.kind == "metric" and self._names_a_line(t)]
            return found, [t.start for t in found]
        return self._sentence_cached(terms, "candidates", build)

    def _fitting(self, terms: list[TermMatch], kind: str) -> tuple[list[int], list[int]]:
        """Indexes (among the candidates) and starts of the terms that can be the metric
        of a figure of type ``kind``: its type fits, and a rate is no percentage's change."""
        def build():
            candidates, _ = self._candidates(terms)
            found = []
            for i, t in enumerate(candidates):
                spec = self.lex.metrics[t.id]
                if kind in spec.types and not (kind == "PERCENT" and spec.kind == "rate"):
                    found.append(i)
            return found, [candidates[i].start for i in found]
        return self._sentence_cached(terms, ("fitting", kind), build)

    def _names_a_line(self, term: TermMatch) -> bool:
        """Bare 转入 / 转出 name a transfer line where the amount follows at once (利息收入X，
        转入Y) or the sentence or its heading speaks of a transfer (转移基金X，其中转入Y);
        结余转入下年, 转入财政专户, 转入共济账户资金 are verbs with a destination."""
        key = (term.start, term.end)
        found = self._line_cache.get(key)
        if found is None:
            found = self._line_cache[key] = self._reads_as_line(term)
        return found

    def _reads_as_line(self, term: TermMatch) -> bool:
        lines = self.lex.cues["lines"]
        text = self.doc.ntext
        if text[term.start:term.end] not in lines["transfer_bare"]:
            return True
        if LINE_AMOUNT.match(text, term.end):
            return True
        index = self.doc.sentence_index(term.start)
        sent = self.doc.sentences[index] if index is not None else None
        titles = [s.title for s in self.doc.section_chain(sent.section if sent else None)]
        context = lines["transfer_context"]
        if any(c in title for c in context for title in titles):
            return True
        if sent is None or term.start > sent.end:
            before = text[sent.start if sent else max(0, term.start - 60):term.start]
            return any(c in before for c in context)
        # a transfer word in the sentence before the term: where the first one ends
        first = self._metric_cache.get(("transfer", index))
        if first is None:
            ends = [text.find(c, sent.start, sent.end) + len(c) for c in context
                    if text.find(c, sent.start, sent.end) >= 0]
            first = self._metric_cache[("transfer", index)] = min(ends, default=_NOWHERE)
        return first <= term.start

    def _staff_part(self, term: TermMatch, terms: list[TermMatch]) -> TermMatch | None:
        """实有人数42人，其中在职38人，退休12人: the in-service and retired parts of an
        institution's own headcount are staff (§2.2 staff), not a fund's members."""
        text = self.doc.ntext
        if text[term.start:term.end] not in self.lex.cues["lines"]["staff_parts"]:
            return None
        starts = self._sentence_cached(terms, "starts", lambda: [t.start for t in terms])
        for j in range(bisect.bisect_right(starts, term.start) - 1, -1, -1):
            t = terms[j]
            if t.end > term.start:
                continue
            if t.kind == "fund":
                return None  # 机关事业单位养老保险…在职…退休: a fund's members
            if t.kind == "metric" and self.lex.metrics[t.id].kind == "staff":
                return t
        return None

    def _income_standard(self, q: Quantity, term: TermMatch) -> TermMatch | None:
        """政府补助标准为每人每年580元: an income line stated per person is a policy
        standard, not the fund's income (§7 other, like 人均筹资)."""
        if not term.id.endswith("_income") or term.end > q.start:
            return None
        if CLAUSE_BREAK.search(self.doc.ntext, term.end, q.start):
            return None  # searched in place: the term may lie far left of the figure
        between = self.doc.ntext[term.end:q.start]
        if not any(c in between for c in self.lex.cues["lines"]["income_standard"]):
            return None
        return replace(term, id=self.lex.defaults["metric"])

    @staticmethod
    def _compound(
        first: TermMatch, candidates: list[TermMatch], starts: list[int] | None = None,
    ) -> list[TermMatch]:
        """687名离退休死亡人员: terms written together form one noun whose head, the
        last term that fits, says what is counted. With the candidates' ``starts`` the
        search begins at ``first``'s end and stops at the first gap."""
        run = [first]
        if starts is None:
            for t in candidates:
                if t.start == run[-1].end:
                    run.append(t)
            return run
        for t in candidates[bisect.bisect_left(starts, first.end):]:
            if t.start > run[-1].end:
                break  # later terms start later still: none joins the run
            if t.start == run[-1].end:
                run.append(t)
        return run

    def _specific_people(self, term: TermMatch, earlier: Iterable[TermMatch]) -> TermMatch:
        """享受工伤保险待遇人数: 人数 counts what 享受…待遇 names, in the same clause;
        ``earlier`` gives the terms before ``term``, nearest first."""
        text = self.doc.ntext
        if text[term.start:term.end] not in self.lex.cues["lines"]["generic_people"]:
            return term
        for t in earlier:
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
        if any(t.kind == "fund" or (q.type in self.lex.metrics[t.id].types
                                    and self._names_a_line(t))
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

        def build():
            heads = [t for t in terms if t.kind == "metric" and t.id in balances
                     and text[t.start:t.end] not in lines["subaccount"]
                     and text[t.start:t.end] not in lines["generic_balance"]]
            return heads, [t.start for t in heads]

        heads, starts = self._sentence_cached(terms, "balance_heads", build)
        head = next((heads[j] for j in range(bisect.bisect_right(starts, term.start) - 1, -1, -1)
                     if heads[j].end <= term.start), None)  # the last head before the term
        if head is None:
            return metric
        if generic and "其中" not in text[head.end:term.start]:
            return metric  # 当期结余X，基金结余Y: a balance of its own, not a part
        return head.id

    def _inside_cue(self, term: TermMatch) -> bool:
        """支出 inside 完成全年预算支出 names the budget, not the metric."""
        i = bisect.bisect_right(self.plan_cue_starts, term.start) - 1
        return i >= 0 and term.end <= self.plan_cues[i].end

    def _in_closed_brackets(self, term: TermMatch, q: Quantity) -> bool:
        """A term inside （含…） that closed before the number does not govern it."""
        return self.brackets.unmatched_close(term.end) < q.start

    def _paid_people(self, q: Quantity, metric: str) -> str:
        """为6.78万名参保人员发放养老金: the people a fund's benefit is paid to are its
        beneficiaries (§2.2; §5 全年保障…名离退休人员的基本养老金待遇发放)."""
        if q.type != "PEOPLE" or metric not in ("insured_persons", self.lex.defaults["metric"]):
            return metric
        text = self.doc.ntext
        end = min(len(text), q.end + PAID_REACH)
        brk = CLAUSE_BREAK.search(text, q.end, end)
        end = brk.start() if brk else end
        if not any(verb in text[q.end:end] for verb in self.cues.paid):
            return metric
        metrics = self.lex.metrics
        lines = [t for t in self.terms_between(q.end, end) if t.kind == "metric"
                 and metrics[t.id].kind == "fund" and "MONEY" in metrics[t.id].types]
        return "beneficiaries" if lines else metric

    def _fallback_metric(self, q: Quantity, index: int | None) -> str:
        if q.type == "PERSON_TIMES":
            return "benefit_person_times"
        if index is not None and index > 0:
            prev = self.doc.sentences[index - 1]
            sent = self.doc.sentences[index]
            own_terms = self.terms.get(index, [])
            own = self._sentence_cached(own_terms, ("first_fit_end", q.type), lambda: min(
                (t.end for t in own_terms if t.kind == "metric"
                 and q.type in self.lex.metrics[t.id].types), default=_NOWHERE))
            if prev.section == sent.section and own > q.start:  # no own term fits before q
                prev_terms = self.terms.get(index - 1, [])
                earlier = self._sentence_cached(prev_terms, ("last_fit", q.type), lambda: [
                    t for t in prev_terms if t.kind == "metric"
                    and q.type in self.lex.metrics[t.id].types
                    and self.lex.metrics[t.id].kind != "rate"][-1:])
                if earlier:
                    return earlier[-1].id
        return self.lex.defaults["metric"]
