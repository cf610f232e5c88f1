"""Basis and qualifier rules (GUIDELINES §2.4, §2.5, §7): actual, planned or prior
from the last cue or dated year before the number, the section kind and the
document genre; comparators right before or after the span.
"""

from __future__ import annotations

import bisect

import regex

from ...document import Quantity, Sentence
from .common import QUALIFIER_REACH, YEAR
from .state import RuleState


class BasisRules(RuleState):
    def _basis(self, q: Quantity, s_start: int, sent: Sentence | None) -> str:
        """The last basis cue or dated year before the number decides; else the section's."""
        text = self.doc.ntext
        events: list[tuple[int, str]] = []
        for cue in self.cues.basis.find(text, s_start, q.start):
            if cue.kind == "neutral":
                continue
            if self._is_comparison(cue.start):
                # 比上年执行数增长6%: the cue names the base of a comparison, not this figure;
                # 较上年7.71万人增加…: the figure right after it is that base
                if cue.kind == "prior" and not self.doc.ntext[cue.end:q.start].strip():
                    events.append((cue.start, "prior"))
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
        """Years in ``[start, end)`` that date figures (not ones compared with)."""
        i = bisect.bisect_left(self.year_starts, start)
        j = bisect.bisect_left(self.year_starts, end)
        return [y for y in self.years[i:j] if y[0] + 4 <= end]

    def _all_dated_years(self) -> list[tuple[int, int]]:
        """Every year in the document that dates a figure, found once."""
        text = self.doc.ntext
        years = []
        for m in YEAR.finditer(text):
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
        """由145元提高至175元: the figure after 由/从 and before 提高至 is the earlier one."""
        return (any(f in before for f in self.cues.from_prior)
                and after.startswith(self.cues.from_to))

    def _qualifier(self, q: Quantity, prev_end: int) -> str:
        text = self.doc.ntext
        window = max(prev_end, q.start - QUALIFIER_REACH)
        before = [c for c in self.cues.qualifier_before.find(text, window, q.start)
                  if not text[c.end:q.start].strip()]
        gap = len(text[q.end:q.end + 4]) - len(text[q.end:q.end + 4].lstrip(" "))
        after = self.cues.qualifier_after.find(text, q.end + gap, min(len(text), q.end + gap + 3))
        after = [c for c in after if c.start == q.end + gap]
        if after and after[0].kind != ">":
            return after[0].kind
        if before:
            cue = before[-1]
            if cue.text in self.cues.before_needs_after:
                return ""
            return cue.kind
        return ""
