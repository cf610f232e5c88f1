"""Basis and qualifier rules (GUIDELINES §2.4, §2.5, §7): actual, planned or prior
from the last cue or dated year before the number, the section kind and the
document genre; comparators right before or after the span.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import regex

from ...cues import Cue
from ...document import Quantity, Sentence
from .common import QUALIFIER_REACH, YEAR
from .state import RuleState

#: 比/较 and the words that describe the base of the comparison (比2023年预计执行数增长):
#: a basis cue among them is the base's, not the figure's.
_COMPARED_BASE = regex.compile(
    r"[比较](?:\d{4}年度?|上年度?|上一年|去年|同期|预计|执行|决算|实际|完成|数|的)*$")
#: ``(position, basis)``: a cue or year before a figure; the last one decides.
Event = tuple[int, str]


@dataclass
class SentenceCues:
    """The basis cues of one sentence, found once by scanning from its start.

    ``_basis`` wants the last cue before each figure; rescanning the sentence for every
    figure made it quadratic in the figures of one sentence.
    """

    cues: list[Cue]
    ends: list[int]  # their ends, for bisection
    always: list[int]  # indices of the cues that give a basis whatever figure follows


class BasisRules(RuleState):
    def _basis(self, q: Quantity, s_start: int, sent: Sentence | None) -> str:
        """The last basis cue or dated year before the number decides; else the section's."""
        if self._is_from_figure(q):
            return "prior"
        events = [e for e in (self._cue_event(q, s_start, sent), self._year_event(q, s_start, sent))
                  if e is not None]
        if events:
            return max(events)[1]
        return self._section_basis(sent)

    def _cue_basis(self, cue: Cue, q: Quantity) -> str | None:
        """The basis a cue before ``q`` gives it, or None if the cue says nothing about ``q``."""
        if cue.kind == "neutral":
            return None
        if self._is_comparison(cue.start):
            # 比上年执行数增长6%: the cue names the base of a comparison, not this figure;
            # 较上年7.71万人增加…: the figure right after it is that base
            if cue.kind == "prior" and not self.doc.ntext[cue.end:q.start].strip():
                return "prior"
            return None
        if cue.kind == "ratio":
            # 完成全年预算1091628万元, 完成年度目标任务7900人: the figure right after
            # the cue is the plan itself
            return "planned" if q.type != "PERCENT" and q.start - cue.end <= 3 else None
        return cue.kind

    def _cue_event(self, q: Quantity, s_start: int, sent: Sentence | None) -> Event | None:
        """The last cue in ``[s_start, q.start)`` that gives ``q`` a basis, as if the cues
        of that span were found afresh.

        Only the last one matters, so it is looked up from the right: first the few cues
        so close to ``q`` that whether they count depends on it, then by bisection the
        last of those that count wherever they stand.
        """
        index = self._sentence_cues(s_start, q.start, sent)
        k = bisect.bisect_right(index.ends, q.start)  # index.cues[:k] end before the figure
        near = bisect.bisect_left(index.ends, self._reach(q), 0, k)  # [near:k] close to it
        for cue in reversed(index.cues[near:k] + self._cues_into(index, k, q)):
            basis = self._cue_basis(cue, q)
            if basis is not None:
                return cue.start, basis
        i = bisect.bisect_left(index.always, near) - 1
        if i < 0:
            return None
        cue = index.cues[index.always[i]]
        return cue.start, cue.kind

    def _reach(self, q: Quantity) -> int:
        """A cue ending before this position counts for ``q`` only if it counts for any
        figure: a ratio cue counts up to 3 characters before the figure, a comparison's
        prior cue only with nothing but whitespace between."""
        text = self.doc.ntext
        spaces = q.start
        while spaces > 0 and text[spaces - 1].isspace():
            spaces -= 1
        return min(q.start - 3, spaces)

    def _cues_into(self, index: SentenceCues, k: int, q: Quantity) -> list[Cue]:
        """A cue of the sentence that runs into the figure (预算100 over 预算1000万元) is not
        in the span before it, which may hold a shorter one (预算) instead."""
        if k < len(index.cues) and index.cues[k].start < q.start:
            return self.cues.basis.find(self.doc.ntext, index.cues[k].start, q.start)
        return []

    def _sentence_cues(self, start: int, end: int, sent: Sentence | None) -> SentenceCues:
        """The basis cues of ``sent``, found once; without a sentence, of ``[start, end)``."""
        if sent is None:
            return self._scan_cues(start, end)  # a short window before the figure
        found = self.basis_cues.get(sent.start)
        if found is None:
            found = self.basis_cues[sent.start] = self._scan_cues(sent.start, sent.end)
        return found

    def _scan_cues(self, start: int, end: int) -> SentenceCues:
        cues = self.cues.basis.find(self.doc.ntext, start, end)
        always = [i for i, c in enumerate(cues) if c.kind not in ("neutral", "ratio")
                  and not self._is_comparison(c.start)]
        return SentenceCues(cues, [c.end for c in cues], always)

    def _year_event(self, q: Quantity, s_start: int, sent: Sentence | None) -> Event | None:
        """The last dated year before ``q`` in its sentence."""
        found = self._last_dated_year(s_start, q.start)
        if found is None or not self.doc.report_year:
            return None
        pos, year = found
        if year < self.doc.report_year:
            return pos, "prior"
        return pos, self._section_basis(sent)  # 增加到2020年的Y

    def _section_basis(self, sent: Sentence | None) -> str:
        if sent is not None:
            for sec in self.doc.section_chain(sent.section):
                if sec.kind == "goal":
                    return "planned"
                if sec.kind == "result":
                    return "actual"
        return self.doc.default_basis

    def _is_comparison(self, pos: int) -> bool:
        """Whether the cue at ``pos`` names the base of a comparison: a comparison word
        right before it, or 比/较 and a description of the base (比2023年预计执行数)."""
        before = self.doc.ntext[max(0, pos - 3):pos]
        if any(before.endswith(c) or c in before for c in self.cues.comparison_before_prior):
            return True
        return _COMPARED_BASE.search(self.doc.ntext, max(0, pos - 12), pos) is not None

    def _last_dated_year(self, start: int, end: int) -> tuple[int, int] | None:
        """The last year dating figures whose four digits lie in ``[start, end)``: one
        bisection, not a list of every year of the sentence for every figure."""
        i = bisect.bisect_right(self.year_starts, end - 4) - 1
        if i >= 0 and self.years[i][0] >= start:
            return self.years[i]
        return None

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
