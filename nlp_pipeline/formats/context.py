"""What a writer needs to know about a document beyond the mentions themselves.

Writers get the :class:`~nlp_pipeline.document.Document` whose sentences, sections
and jieba tokens are in *normalized* offsets, while mentions are in *original*
offsets (GUIDELINES §3). These helpers do the mapping once, in one place:
sentence and section of a mention, and a token sequence over the original text
that no mention boundary falls inside.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from itertools import pairwise

from ..document import Document
from ..pipeline import make_document
from ..records import Mention
from ..segment import segment

_WHITESPACE = re.compile(r"\s+")


def prepared(doc: Document) -> Document:
    """The document with its pipeline stages run (a bare ``Document(text=…)`` has none)."""
    if doc.norm is None:
        return make_document(doc.text, doc.doc_id, doc.path)
    return doc


def to_normalized(doc: Document, pos: int) -> int:
    """The first normalized offset whose original offset is at or after ``pos``."""
    assert doc.norm is not None
    return min(bisect_left(doc.norm.index, pos), len(doc.ntext))


@dataclass(frozen=True, slots=True)
class Context:
    """The sentence a mention sits in (original offsets) and its section heading."""

    start: int
    end: int
    text: str
    section: str
    in_table: bool


def _sentence_at(doc: Document, pos: int) -> int | None:
    return doc.sentence_index(to_normalized(doc, pos))


def mention_context(doc: Document, mention: Mention) -> Context | None:
    """The sentence(s) covering the mention, or None when it lies outside every sentence."""
    found = [_sentence_at(doc, pos) for pos in (mention.start, mention.end - 1)]
    ids = [i for i in found if i is not None]
    if not ids:
        return None
    first, last = min(ids), max(ids)
    sentence = doc.sentences[first]
    start, _ = doc.to_original(sentence.start, sentence.end)
    _, end = doc.to_original(doc.sentences[last].start, doc.sentences[last].end)
    start, end = min(start, mention.start), max(end, mention.end)
    section = doc.sections[sentence.section].title if sentence.section is not None else ""
    return Context(start, end, doc.text[start:end], section, sentence.in_table)


def token_spans(doc: Document, mentions: list[Mention]) -> list[tuple[int, int]]:
    """Consecutive spans tiling the original text: jieba tokens, cut at every mention edge.

    jieba runs on the normalized text (one spelling per character, PDF line wraps
    removed); each token is mapped back to the original. Whitespace runs become
    tokens of their own, and a token is split wherever a mention starts or ends,
    so every mention is exactly a run of whole tokens.
    """
    text = doc.text
    cuts = {0, len(text)}
    for token in segment(doc):
        cuts.update(doc.to_original(token.start, token.end))
    for mention in mentions:
        cuts.update((mention.start, mention.end))
    for match in _WHITESPACE.finditer(text):
        cuts.update(match.span())
    return [(a, b) for a, b in pairwise(sorted(c for c in cuts if 0 <= c <= len(text))) if a < b]


def sentence_ids(doc: Document, spans: list[tuple[int, int]]) -> list[int | None]:
    """The index of the sentence each span starts in (None outside every sentence)."""
    return [_sentence_at(doc, start) for start, _ in spans]
