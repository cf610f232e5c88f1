"""Measure rules (GUIDELINES §2.3): level, change, growth, ratio_to_plan, share,
plan_difference — from the cue words between the previous quantity and this one.
"""

from __future__ import annotations

import bisect

from ...cues import Cue
from ...document import Quantity
from .common import LIST_SEPARATORS, SHORT_CUE_REACH, percent_change_measure
from .state import RuleState


class MeasureRules(RuleState):
    def _measure(self, q: Quantity, prev_end: int) -> tuple[str, bool]:
        text = self.doc.ntext
        between = text[prev_end:q.start]
        if between.strip() in LIST_SEPARATORS and self._last is not None:
            return self._last.measure, self._last.negate  # 分别增加45人次、51人次
        found = [c for c in self.cues.measure.find(text, prev_end, q.start) if self._counts(c, q)]
        kinds = {c.kind for c in found}
        if not found and between.startswith(LIST_SEPARATORS) and self._last is not None:
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
            verbs = [c for c in found if c.end <= last.start and (
                c.kind == "growth_only"  # 降幅达到56.7%: still a growth
                or (c.kind in ("increase", "decrease") and c.end == last.start
                    and last.text in self.cues.emphasis))]  # 同比增长达12.5%
            last = verbs[-1] if verbs else None
        if last is None:
            return "level", False
        negate = last.text in self.cues.decrease_words or last.text.startswith(("降", "减"))
        if q.type == "PERCENT":
            return percent_change_measure(q.unit), negate
        return "change", negate

    def _counts(self, cue: Cue, q: Quantity) -> bool:
        """Neutral words (至少) only shield their characters; a one-character verb (多, 增)
        counts only right before the number; a verb inside a metric's name is no verb."""
        if cue.kind == "neutral" or self._inside_term(cue):
            return False
        short_verb = len(cue.text) == 1 and cue.kind in ("increase", "decrease")
        return not short_verb or q.start - cue.end <= SHORT_CUE_REACH

    def _inside_term(self, cue: Cue) -> bool:
        """技能提升补贴支出: a verb inside a metric's name is not a change."""
        i = bisect.bisect_right(self.term_starts, cue.start) - 1
        return i >= 0 and self.doc_terms[i].kind == "metric" and self.doc_terms[i].end >= cue.end \
            and self.doc_terms[i].start < cue.start

    def _segment_before(self, pos: int) -> list[Cue]:
        """Cues before the quantity that ends at ``pos`` (for 完成预算X万元的Y%)."""
        i = bisect.bisect_left(self.ends, pos)
        found = i < len(self.ends) and self.ends[i] == pos
        start = self.doc.quantities[i].start if found else pos
        # the 20 characters before, cut at a line break (searched back only that far)
        window = max(0, start - 20)
        line_start = self.doc.ntext.rfind("\n", window, start) + 1
        return self.cues.measure.find(self.doc.ntext, max(line_start, window), start)

    def _last_change_cue(self, found: list[Cue], q: Quantity) -> Cue | None:
        """The change verb that governs ``q``: in its own clause (提升技能，确保235名 is not
        a change) and after the last metric term (增长原因：基金收入X is a level)."""
        clause = self._clause_start(q.start, brackets=False)
        change = [c for c in found if c.kind in ("increase", "decrease", "growth_only", "to_level")
                  and c.start >= clause]
        if not change:
            return None
        # a change verb counts only after the last metric term: 增长原因：基金收入X is a level
        metric_terms = [
            t for t in self.terms_between(change[0].start, q.start)
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
