"""Fund rules (GUIDELINES §2.1, §6, §7): which fund a figure belongs to.

A fund named earlier in the sentence wins; else the one carried from earlier
sentences of the section; else the nearest heading's; else the document's default
(`none` for department accounts, the title's fund, or `all`). A generic name never
overrides a more specific scheme named by the heading or the same sentence.
"""

from __future__ import annotations

import bisect

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
        for t in terms:
            if t.end > q.start:
                break
            if self._scoping(t):
                fund = self.override(self._fund_id(t), fund, protected)
                protected = True
            elif t.kind == "metric" and t.fund_hint and (
                    fund in (None, self.lex.defaults["fund_aggregate"])
                    or self._hint_reaches(t, q, terms)):
                fund = self._hinted(t, fund)  # it fills a scope with no fund named
        if metric_term is not None and metric_term.fund_hint and metric_term.end > q.start:
            fund = self._hinted(metric_term, fund)  # 235名…享受技能提升补贴: named after
        if self.lex.metrics[metric].kind in ("department", "staff") and fund in (None, "all"):
            return none  # a department's accounts and its own people (§2.1 none)
        if fund is None and metric == self.lex.defaults["metric"]:
            return none  # no fund anywhere in context and no fund metric: not a fund's figure
        return fund or self.default_fund

    def _hint_reaches(self, term: TermMatch, q: Quantity, terms: list[TermMatch]) -> bool:
        """A fund named by a metric term reaches the figures after it in its sentence until
        a sibling term names no fund: in 企业在职人员X，离退休人员Y the retirees are not said
        to be the enterprise scheme's (README, d010 decision); in a 职工医保 section,
        生育保险待遇支出X，基金累计结余Y leaves Y the section's fund (§2.1). A people term's
        siblings are people terms; a line's siblings are lines that fit the figure."""
        text = self.doc.ntext
        people = self.lex.metrics[term.id].kind == "people"

        def sibling(t: TermMatch) -> bool:
            spec = self.lex.metrics[t.id]
            if people:
                return spec.kind == "people"
            # a line of its own, in a later phrase: 工伤保险待遇享受人数, 失业保险金标准…
            # 每人每月 are the hinted term's own figure
            return q.type in spec.types and bool(PHRASE_BREAK.search(text, term.end, t.start))

        return not any(
            t.kind == "metric" and not t.fund_hint and term.end <= t.start and t.end <= q.start
            and sibling(t)
            and "其中" not in text[max(0, t.start - 3):t.start]  # a part, not a sibling
            for t in terms)

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
        funds: list[str] = []
        for t in terms:
            if t.start >= at:
                break
            if self._scoping(t):
                fund = self._fund_id(t)
                if not funds or funds[-1] != fund:
                    funds.append(fund)
        listed = self._list_after(at, q.type)
        if len(funds) < 2 or len(listed) != len(funds) or q.start not in listed:
            return None
        return funds[listed.index(q.start)]

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
