"""Stage 4: word segmentation with jieba, lexicon terms kept whole.

The user dictionary is generated from ``lexicons/`` (fund names, metric terms,
units), so 企业职工基本养老保险 or 基本养老金待遇支出 is one token that features can
use. jieba's dictionary is loaded once per process; segmentation runs only when a
tagger asks for tokens, so the rule tagger does not pay for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import jieba

from .document import Document
from .lexicon import load_lexicon
from .terms import term_matcher

#: Frequency given to lexicon words so jieba prefers them over its own splits.
USER_WORD_FREQ = 200_000


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int  # normalized offsets
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
    return [Token(w, s, e) for w, s, e in tokenizer().tokenize(text)]


def segment(doc: Document) -> list[Token]:
    """Tokens of the normalized text (computed on demand and cached on the document)."""
    if doc.tokens is None:
        doc.tokens = tokenize(doc.ntext)
    return doc.tokens
