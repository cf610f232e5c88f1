"""Lexicon term matching: every fund alias and metric alias, leftmost-longest.

Fund and metric names compete in one pattern, so the longer term wins where they
overlap: 提取再就业经费 (a metric of the unemployment fund) is not read as 再就业
(a labour-market word), and 医疗保险待遇支出 is a metric whose 医疗保险 is only a
hint (see :class:`TermMatch.fund_hint`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from .lexicon import load_lexicon


@dataclass(frozen=True, slots=True)
class TermMatch:
    start: int
    end: int
    kind: str  # "fund" or "metric"
    id: str
    fund_hint: str | None = None  # a fund named inside a metric term


class TermMatcher:
    """One compiled alternation over all aliases; longest alias first."""

    def __init__(self) -> None:
        lex = load_lexicon()
        self.lookup: dict[str, tuple[str, str]] = {}
        for fund in lex.funds.values():
            for alias in (fund.name, *fund.aliases):
                self.lookup.setdefault(alias, ("fund", fund.id))
        for metric in lex.metrics.values():
            for alias in metric.aliases:
                self.lookup[alias] = ("metric", metric.id)
        aliases = sorted(self.lookup, key=len, reverse=True)
        self.pattern = regex.compile("|".join(regex.escape(a) for a in aliases))
        fund_aliases = sorted(
            (a for a, (k, _) in self.lookup.items() if k == "fund"), key=len, reverse=True
        )
        self.fund_pattern = regex.compile("|".join(regex.escape(a) for a in fund_aliases))
        self.hint_prefixes = lex.fund_hint_prefixes

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[TermMatch]:
        """Matches in ``text[start:end]``; a fund name right after another fund name is
        dropped (生育保险医疗保险享受人数: the maternity fund's medical figures)."""
        end = len(text) if end is None else end
        out: list[TermMatch] = []
        for m in self.pattern.finditer(text, start, end):
            kind, ident = self.lookup[m.group()]
            if kind == "fund" and out and out[-1].kind == "fund" and out[-1].end == m.start():
                continue
            hint = None
            if kind == "metric":
                inner = self.fund_pattern.search(m.group())
                if inner:
                    hint = self.lookup[inner.group()][1]
                else:
                    hint = next((f for p, f in self.hint_prefixes.items()
                                 if m.group().startswith(p)), None)
            out.append(TermMatch(m.start(), m.end(), kind, ident, hint))
        return out

    def words(self) -> list[str]:
        """Every alias, for the segmenter's user dictionary."""
        return list(self.lookup)


@cache
def term_matcher() -> TermMatcher:
    return TermMatcher()
