"""Stage 4: word segmentation with jieba, lexicon terms kept whole.

The user dictionary is generated from ``lexicons/`` (fund names, metric terms,
units), so 企业职工基本养老保险 or 基本养老金待遇支出 is one token that features can
use. jieba's dictionary is loaded once per process; segmentation runs only when a
tagger asks for tokens, so the rule tagger does not pay for it.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import NamedTuple

import jieba

from .document import Document
from .lexicon import load_lexicon
from .terms import term_matcher

#: Frequency given to lexicon words so jieba prefers them over its own splits.
USER_WORD_FREQ = 200_000
#: jieba's own word-character class: it cuts the text at every character outside it
#: and segments each run of these characters on its own.
_BLOCK = jieba.re_han_default


class Token(NamedTuple):
    """A word and its normalized offsets. A named tuple, not a frozen dataclass: a
    report has tens of thousands of tokens, and a tuple is built three times faster."""

    text: str
    start: int
    end: int


@cache
def tokenizer() -> jieba.Tokenizer:
    """A private jieba tokenizer with the lexicon words added (not the global one)."""
    tok = jieba.Tokenizer()
    tok.initialize()
    words = set(term_matcher().words()) | set(load_lexicon().units)
    for word in sorted(words):
        tok.add_word(word, freq=USER_WORD_FREQ)
    return tok


def tokenize(text: str) -> list[Token]:
    return [Token._make(t) for t in tokenizer().tokenize(text)]


@lru_cache(maxsize=4096)
def label_tokens(label: str) -> tuple[Token, ...]:
    """Tokens of a short string (a table header): the same few recur in every table."""
    return tuple(tokenize(label))


def segment(doc: Document) -> list[Token]:
    """Tokens of the normalized text (computed on demand and cached on the document)."""
    if doc.tokens is None:
        doc.tokens = tokenize(doc.ntext)
    return doc.tokens


class LazyTokens:
    """The tokens of a text, segmented piece by piece when first asked for.

    jieba cuts its input at every character outside :data:`_BLOCK` and segments each
    piece on its own, so segmenting one piece gives exactly the tokens that
    segmenting the whole text gives there. A feature extractor that only looks at
    a few words around each number then pays only for the pieces it reads — in a
    report, narrative sentences without numbers are never segmented.
    Offsets are those of ``text`` (normalized offsets for ``doc.ntext``).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        bounds = [0]
        for m in _BLOCK.finditer(text):
            bounds += [m.start(), m.end()]
        bounds.append(len(text))
        self._starts = sorted(set(bounds))  # piece i is [starts[i], starts[i+1])
        self._pieces: dict[int, list[Token]] = {}
        # a report repeats its phrases (基金收入, 比上年增长): a fifth of the characters
        # segmented are pieces met before in the same document, segmented once here
        self._words: dict[str, list[tuple[str, int, int]]] = {}

    def _piece(self, i: int) -> list[Token]:
        tokens = self._pieces.get(i)
        if tokens is None:
            start, end = self._starts[i], self._starts[i + 1]
            piece = self.text[start:end]
            if _BLOCK.match(piece):
                words = self._words.get(piece)
                if words is None:
                    words = self._words[piece] = list(tokenizer().tokenize(piece))
                tokens = [Token(w, start + s, start + e) for w, s, e in words]
            else:
                tokens = _gap_tokens(piece, start)
            self._pieces[i] = tokens
        return tokens

    def _piece_at(self, pos: int) -> int:
        return bisect.bisect_right(self._starts, pos) - 1

    def forward(self, start: int, end: int) -> Iterator[Token]:
        """Tokens whose start lies in [start, end), in text order."""
        if start >= end or start >= len(self.text):
            return
        for i in range(self._piece_at(start), len(self._starts) - 1):
            if self._starts[i] >= end:
                return
            for token in self._piece(i):
                if start <= token.start < end:
                    yield token

    def backward(self, start: int, end: int) -> Iterator[Token]:
        """Tokens whose start lies in [start, end), last first."""
        if start >= end or end <= 0:
            return
        for i in range(self._piece_at(min(end, len(self.text)) - 1), -1, -1):
            if self._starts[i + 1] <= start:
                return
            for token in reversed(self._piece(i)):
                if start <= token.start < end:
                    yield token

    def between(self, start: int, end: int) -> list[Token]:
        return list(self.forward(start, end))


def _gap_tokens(piece: str, offset: int) -> list[Token]:
    """jieba's tokens of a piece outside :data:`_BLOCK`: one per character, except that
    "\r\n" stays one token (jieba's ``re_skip``). Spelled out because half the pieces of
    a report are single punctuation marks, and jieba's machinery costs more than that."""
    tokens = []
    i = 0
    while i < len(piece):
        width = 2 if piece.startswith("\r\n", i) else 1
        tokens.append(Token(piece[i:i + width], offset + i, offset + i + width))
        i += width
    return tokens
