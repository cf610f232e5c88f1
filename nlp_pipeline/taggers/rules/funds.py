"""Fund rules (GUIDELINES §2.1, §6, §7): which fund a figure belongs to.

A fund named earlier in the sentence wins; else the one carried from earlier
sentences of the section; else the nearest heading's; else the document's default
(`none` for department accounts, the title's fund, or `all`). A generic name never
overrides a more specific scheme named by the heading or the same sentence.
"""

from __future__ import annotations

import bisect
import heapq

from ...document import Quantity
from ...terms import TermMatch, terms_in
from .common import CLAUSE_BREAK, PHRASE_BREAK
from .state import RuleState


class FundRules(RuleState):
    def _title_fund(self) -> str | None:
        """A report whose title names one fund (…工伤保险基金运行情况) is about that fund."""
        text = self.doc.ntext
        title = next((line for line in text[:300].split("\n") if line.strip()), "")
        if len(title) > 40:
            return None  # a paragraph, not a title
        funds = {t.id for t in terms_in(title) if t.kind == "fund"}
        return funds.pop() if len(funds) == 1 else None

    def _resolve_ambiguous(self) -> dict[str, str]:
        """Document-dependent readings of names like 基本医疗保险 (funds.toml [[ambiguous]])."""
        named = {t.id for t in self.doc_terms if t.kind == "fund"}
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

    def _heading_fund(self, section: int | None) -> str | None:
        for sec in self.doc.section_chain(section):
            found = [t for t in terms_in(sec.title) if t.kind == "fund"]
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
            self.terms[i] = self.terms_between(sent.start, sent.end)
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

    def _fund(
        self, q: Quantity, terms: list[TermMatch], index: int | None,
        metric_term: TermMatch | None, metric: str,
    ) -> str:
        none = self.lex.defaults["fund_department"]
        fund = self.entry_fund.get(index) if index is not None else None
        protected = self.entry_protected.get(index, True) if index is not None else True
        # fund names and metric terms that name a fund, in the order written: the last
        # one before the number decides (企业退休人员X人，机关事业单位养老保险Y人)
        if terms:
            fund, protected = self._fund_fold(q, terms).state(q, fund, protected)
        if metric_term is not None and metric_term.fund_hint and metric_term.end > q.start:
            fund = self._hinted(metric_term, fund)  # 235名…享受技能提升补贴: named after
        if self.lex.metrics[metric].kind in ("department", "staff") and fund in (None, "all"):
            return none  # a department's accounts and its own people (§2.1 none)
        if fund is None and metric == self.lex.defaults["metric"]:
            return none  # no fund anywhere in context and no fund metric: not a fund's figure
        return fund or self.default_fund

    def _fund_step(
        self, t: TermMatch, fund: str | None, protected: bool, reaches: bool,
    ) -> tuple[str | None, bool]:
        """One term of the sentence read left to right: a fund name sets the scope; a
        metric term naming a fund fills a scope with no fund named, or any scope while
        it reaches the figure (``reaches``, see :meth:`_hint_block`)."""
        if self._scoping(t):
            return self.override(self._fund_id(t), fund, protected), True
        if t.kind == "metric" and t.fund_hint and (
                fund in (None, self.lex.defaults["fund_aggregate"]) or reaches):
            return self._hinted(t, fund), protected
        return fund, protected

    def _fund_fold(self, q: Quantity, terms: list[TermMatch]) -> _FundFold:
        """The running fund of a sentence for figures of ``q``'s type, kept between
        figures: reading every term before each figure was quadratic in the sentence."""
        key = (id(terms), q.type)
        fold = self._fund_folds.get(key)
        if fold is None or fold.terms is not terms or q.start < fold.last:
            fold = self._fund_folds[key] = _FundFold(self, terms, q.type)
        return fold

    def _hint_reaches(self, term: TermMatch, q: Quantity, terms: list[TermMatch]) -> bool:
        """A fund named by a metric term reaches the figures after it in its sentence until
        a sibling term names no fund: in 企业在职人员X，离退休人员Y the retirees are not said
        to be the enterprise scheme's (README, d010 decision); in a 职工医保 section,
        生育保险待遇支出X，基金累计结余Y leaves Y the section's fund (§2.1). A people term's
        siblings are people terms; a line's siblings are lines that fit the figure."""
        return q.start < self._hint_block(term, q.type, terms)

    def _hint_block(self, term: TermMatch, kind: str, terms: list[TermMatch]) -> int:
        """Where the first sibling of ``term`` for figures of type ``kind`` ends (a large
        number if none does): the hint reaches the figures that start before it."""
        people = self.lex.metrics[term.id].kind == "people"
        siblings = self._hint_siblings(terms, "people" if people else kind)
        if people:
            after = term.end
        else:
            # a line of its own, in a later phrase: 工伤保险待遇享受人数, 失业保险金标准…
            # 每人每月 are the hinted term's own figure
            breaks = self._phrase_break_positions()
            i = bisect.bisect_left(breaks, term.end)
            if i == len(breaks):
                return _NEVER
            after = breaks[i] + 1
        return siblings.first_end_from(after)

    def _hint_siblings(self, terms: list[TermMatch], kind: str) -> _Siblings:
        """The metric terms of a sentence that can stop a fund hint: people terms
        (``kind`` "people") or lines that fit figures of type ``kind``."""
        key = (id(terms), kind)
        found = self._sibling_cache.get(key)
        if found is None or found.terms is not terms:
            text = self.doc.ntext

            def sibling(t: TermMatch) -> bool:
                spec = self.lex.metrics[t.id]
                return spec.kind == "people" if kind == "people" else kind in spec.types

            chosen = [t for t in terms if t.kind == "metric" and not t.fund_hint and sibling(t)
                      and "其中" not in text[max(0, t.start - 3):t.start]]  # a part, not a sibling
            found = self._sibling_cache[key] = _Siblings(terms, chosen)
        return found

    def _phrase_break_positions(self) -> list[int]:
        if self._phrase_only is None:
            self._phrase_only = [m.start() for m in PHRASE_BREAK.finditer(self.doc.ntext)]
        return self._phrase_only

    def _hinted(self, term: TermMatch, fund: str | None) -> str | None:
        """企业离退休人员, 工伤保险待遇享受人数: a metric term that names its fund names the
        figure's fund, and a generic one (医疗保险待遇支出) keeps a more specific scheme in
        scope. A payee (代缴医疗保险费 of the unemployment fund) or a non-fund word inside a
        fund line (提取再就业经费) only fills a scope that names no fund."""
        hint = term.fund_hint
        if fund in (None, self.lex.defaults["fund_aggregate"]):
            return hint
        payee = term.id in self.lex.cues["fund"]["payee_metrics"]
        if payee or hint == self.lex.defaults["fund_department"]:
            return fund
        return self.override(hint, fund)

    def _is_flow(self, q: Quantity, start: int) -> bool:
        return any(f in self.doc.ntext[start:q.start] for f in self.cues.flow_level)

    def _respective_fund(self, q: Quantity, s_start: int, terms: list[TermMatch]) -> str | None:
        """职工医疗保险、居民医疗保险、生育保险参保人数分别达到X、Y、Z: the i-th figure
        of a 分别 list belongs to the i-th fund named before it."""
        at = self.words.rfind("分别", s_start, q.start)
        if at < 0:
            return None
        starts, named = self._named_funds(terms)
        count = bisect.bisect_left(starts, at)  # the funds named before 分别
        if count < 2:
            return None
        listed = self._list_after(at, q.type)
        if len(listed) != count or q.start not in listed:
            return None
        return named[listed.index(q.start)]

    def _named_funds(self, terms: list[TermMatch]) -> tuple[list[int], list[str]]:
        """The funds a sentence names in order, a repeat of the one before dropped, and
        where each is named: those named before 分别 are a prefix."""
        cached = self._named_cache.get(id(terms))
        if cached is None or cached[0] is not terms:
            starts: list[int] = []
            named: list[str] = []
            for t in terms:
                if self._scoping(t):
                    fund = self._fund_id(t)
                    if not named or named[-1] != fund:
                        starts.append(t.start)
                        named.append(fund)
            cached = self._named_cache[id(terms)] = (terms, starts, named)
        return cached[1], cached[2]

    def _list_after(self, pos: int, kind: str) -> list[int]:
        """Starts of the quantities of one type listed (、 or ，) right after ``pos``."""
        text = self.doc.ntext
        i = bisect.bisect_left(self.starts, pos)
        listed: list[int] = []
        end = pos
        for q in self.doc.quantities[i:]:
            gap = text[end:q.start]
            if q.type != kind or (listed and gap.strip() not in ("、", "，", "和", "及")):
                break
            if not listed and CLAUSE_BREAK.search(gap.replace("、", "")):
                break
            listed.append(q.start)
            end = q.end
        return listed


_NEVER = 1 << 62  # past every position: no sibling stops the hint


class _Siblings:
    """Sibling terms of one sentence with, from each one on, the first end among them."""

    def __init__(self, terms: list[TermMatch], chosen: list[TermMatch]) -> None:
        self.terms = terms
        self.starts = [t.start for t in chosen]
        self.min_end = [_NEVER] * (len(chosen) + 1)
        for i in range(len(chosen) - 1, -1, -1):
            self.min_end[i] = min(chosen[i].end, self.min_end[i + 1])

    def first_end_from(self, pos: int) -> int:
        """The first end among the siblings that start at or after ``pos``."""
        return self.min_end[bisect.bisect_left(self.starts, pos)]


class _FundFold:
    """The fund read term by term through one sentence, for the figures of one type.

    ``states[i]`` is the (fund, protected) pair after the first ``i`` terms, as read for
    the latest figure. A fund hint's effect changes only once, when a figure passes its
    first sibling (figures come in order), so only the states after such a hint are
    read again; each figure otherwise extends the states to the terms before it.
    """

    def __init__(self, rules: FundRules, terms: list[TermMatch], kind: str) -> None:
        self.rules = rules
        self.terms = terms
        self.kind = kind
        self.last = -1
        self.entry: tuple[str | None, bool] | None = None
        self.states: list[tuple[str | None, bool]] = []
        self.reaching: list[tuple[int, int]] = []  # heap of (block, index) of live hints
        self.blocks: dict[int, int] = {}
        ends = 0
        self.max_end: list[int] = []  # running maximum of the term ends
        for t in terms:
            ends = max(ends, t.end)
            self.max_end.append(ends)

    def state(self, q: Quantity, fund: str | None, protected: bool) -> tuple[str | None, bool]:
        if self.entry != (fund, protected):
            self.entry = (fund, protected)
            self.states = [(fund, protected)]
            self.reaching = []
        self.last = q.start
        # the terms read for the figure: up to the first that ends after its start
        count = bisect.bisect_right(self.max_end, q.start)
        while self.reaching and self.reaching[0][0] <= q.start:  # a sibling passed
            _, i = heapq.heappop(self.reaching)
            del self.states[i + 1:]  # no-op for an entry left from an earlier reading
        rules, terms = self.rules, self.terms
        while len(self.states) <= count:
            i = len(self.states) - 1
            t = terms[i]
            reaches = False
            if t.kind == "metric" and t.fund_hint:
                block = self.blocks.get(i)
                if block is None:
                    block = self.blocks[i] = rules._hint_block(t, self.kind, terms)
                reaches = q.start < block
                if reaches:
                    heapq.heappush(self.reaching, (block, i))
            f, p = self.states[-1]
            self.states.append(rules._fund_step(t, f, p, reaches))
        return self.states[count]
