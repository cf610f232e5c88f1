"""Lexicon term matching: every fund alias and metric alias, leftmost-longest.

Fund and metric names compete in one pattern, so the longer term wins where they
overlap: 提取再就业经费 (a metric of the unemployment fund) is not read as 再就业
(a labour-market word), and 医疗保险待遇支出 is a metric whose 医疗保险 is only a
hint (see :class:`TermMatch.fund_hint`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from .document import Document
from .lexicon import load_lexicon


@dataclass(frozen=True, slots=True)
class TermMatch:
    start: int
    end: int
    kind: str  # "fund" or "metric"
    id: str
    fund_hint: str | None = None  # a fund named inside a metric term


class TermMatcher:
    """One compiled alternation over all aliases; longest alias first.

    Compiled with the standard library's ``re``: for an alternation of literal words
    both engines find the same matches, and ``re`` scans three times faster, which
    counts because every document is scanned whole.
    """

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
        self.pattern = re.compile("|".join(re.escape(a) for a in aliases))
        fund_aliases = sorted(
            (a for a, (k, _) in self.lookup.items() if k == "fund"), key=len, reverse=True
        )
        fund_pattern = re.compile("|".join(re.escape(a) for a in fund_aliases))
        self.hints = {
            alias: _hint(alias, fund_pattern, self.lookup, lex.fund_hint_prefixes)
            for alias, (kind, _) in self.lookup.items() if kind == "metric"
        }

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[TermMatch]:
        """Matches in ``text[start:end]``; a fund name right after another fund name is
        dropped (生育保险医疗保险享受人数: the maternity fund's medical figures)."""
        end = len(text) if end is None else end
        out: list[TermMatch] = []
        for m in self.pattern.finditer(text, start, end):
            kind, ident = self.lookup[m.group()]
            if kind == "fund" and out and out[-1].kind == "fund" and out[-1].end == m.start():
                continue
            out.append(TermMatch(m.start(), m.end(), kind, ident, self.hints.get(m.group())))
        return out

    def words(self) -> list[str]:
        """Every alias, for the segmenter's user dictionary."""
        return list(self.lookup)


def _hint(
    alias: str, fund_pattern: re.Pattern, lookup: dict[str, tuple[str, str]],
    prefixes: dict[str, str],
) -> str | None:
    """The fund a metric term names inside it (医疗保险待遇支出 → medical) or by its
    first word (企业离退休人员 → enterprise_pension)."""
    inner = fund_pattern.search(alias)
    if inner:
        return lookup[inner.group()][1]
    return next((fund for prefix, fund in prefixes.items() if alias.startswith(prefix)), None)


@cache
def term_matcher() -> TermMatcher:
    return TermMatcher()


@lru_cache(maxsize=4096)
def terms_in(label: str) -> tuple[TermMatch, ...]:
    """Terms of a short label (a heading, a table header), cached: tables repeat them."""
    return tuple(term_matcher().find(label))


def document_terms(doc: Document) -> list[TermMatch]:
    """Terms of the whole normalized text, found once and kept on the document: the rule
    tagger and the learned features both read them, and the scan is a pass over the text."""
    if doc.terms is None:
        doc.terms = term_matcher().find(doc.ntext)
    return doc.terms
