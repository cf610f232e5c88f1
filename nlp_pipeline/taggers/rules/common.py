"""Labels the rules produce for one quantity, and the patterns several rules share."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import regex

#: A year a figure may be dated to: 2018年, 2014末.
YEAR = regex.compile(r"(?<!\d)((?:19|20)\d\d)\s*(?:年|末)")
CLAUSE_BREAK = regex.compile(r"[，,：:；;。（）()、]")
PHRASE_BREAK = regex.compile(r"[，,：:；;。、]")
#: Single-character verbs (多, 增, 减 …) count only right before the number.
SHORT_CUE_REACH = 2
QUALIFIER_REACH = 4
#: Between two figures of one list or range: 45人次、51人次; ≥95%或≤105%; 3%至5%.
LIST_SEPARATORS = ("、", "和", "及", "与", "或", "至", "～", "~", "-")
_BRACKET = regex.compile(r"[（()）]")
_OPEN = "（("


@dataclass
class Labels:
    """The labels of one mention; ``negate`` signs a decrease by meaning (§1.2)."""

    fund: str
    metric: str
    measure: str
    basis: str
    qualifier: str
    negate: bool = False


def percent_change_measure(unit: str) -> str:
    """A change in percentage points (提高2个百分点) is `change`; in % it is `growth` (§2.3)."""
    return "change" if "百分点" in unit else "growth"


class Brackets:
    """The round brackets of a text: where the bracket around a position closes.

    Counting the depth from a term to the next figure for every pair made the metric
    rule cubic in the terms and figures of one sentence; here the text is read once
    and each question is one bisection.
    """

    def __init__(self, text: str) -> None:
        self.positions = [m.start() for m in _BRACKET.finditer(text)]
        depths = []  # opening minus closing brackets before each bracket
        depth = 0
        for pos in self.positions:
            depths.append(depth)
            depth += 1 if text[pos] in _OPEN else -1
        # closes[i]: where the innermost bracket open just before bracket i closes
        self.closes = [len(text)] * (len(self.positions) + 1)
        nearest: dict[int, int] = {}  # depth → the closing bracket at it seen last, right to left
        for i in range(len(self.positions) - 1, -1, -1):
            if text[self.positions[i]] not in _OPEN:
                nearest[depths[i]] = self.positions[i]
            self.closes[i] = nearest.get(depths[i], len(text))

    def unmatched_close(self, pos: int) -> int:
        """Where the innermost bracket open at ``pos`` closes (``len(text)`` if it does
        not): the first closing bracket from ``pos`` on at the depth of ``pos``, the same
        for every position up to the next bracket."""
        return self.closes[bisect.bisect_left(self.positions, pos)]


class Occurrences:
    """Every place some words occur in a text, overlapping ones included.

    ``rfind`` answers like ``str.rfind`` by bisection: searching the sentence up to
    every figure for a word (分别, 赤字) was quadratic in the figures of one sentence.
    """

    def __init__(self, text: str, words: tuple[str, ...]) -> None:
        self.starts: dict[str, list[int]] = {}
        for word in words:
            found, i = [], text.find(word)
            while i >= 0:
                found.append(i)
                i = text.find(word, i + 1)
            self.starts[word] = found

    def rfind(self, word: str, start: int, end: int) -> int:
        """``text.rfind(word, start, end)`` for a word given to the constructor."""
        starts = self.starts[word]
        i = bisect.bisect_right(starts, end - len(word)) - 1
        return starts[i] if i >= 0 and starts[i] >= start else -1
