"""CoNLL: jieba tokens, one a line, with a BIO column for the type and label columns.

The layout is CoNLL-2003's, so NER tools read it as they are (``spacy convert
--converter ner``, flair's ``ColumnCorpus``, pandas): whitespace-free tokens, tab-
separated columns with the BIO tag **last**, a blank line between sentences and the
line ``-DOCSTART- -X- O O`` before each document. Columns::

    TOKEN DOC_ID START END FUND METRIC MEASURE BASIS QUALIFIER TAG

``START``/``END`` are original-text offsets of the token, so any row maps back to
the report. Label columns hold the mention's label on each of its tokens and ``_``
elsewhere (``_`` also for an empty qualifier). Whitespace tokens are not written; a
mention such as ``101746 万元`` is ``B-MONEY`` then ``I-MONEY`` across the gap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from ..document import Document
from ..records import Mention
from .base import FileWriter
from .context import prepared, sentence_ids, token_spans

COLUMNS = ("TOKEN", "DOC_ID", "START", "END", "FUND", "METRIC", "MEASURE", "BASIS",
           "QUALIFIER", "TAG")
DOC_START = "-DOCSTART- -X- O O"
EMPTY = "_"
_SPACE = re.compile(r"\s")


def _label_columns(mention: Mention | None) -> list[str]:
    if mention is None:
        return [EMPTY] * 5
    labels = (mention.fund, mention.metric, mention.measure, mention.basis, mention.qualifier)
    return [label or EMPTY for label in labels]


def conll_lines(doc: Document, mentions: list[Mention]) -> Iterator[str]:
    """The lines of one document, DOCSTART line first, sentences separated by blanks."""
    doc = prepared(doc)
    spans = token_spans(doc, mentions)
    sentences = sentence_ids(doc, spans)
    by_start = {m.start: m for m in mentions}
    doc_id = _SPACE.sub("_", doc.doc_id)
    yield DOC_START
    current: Mention | None = None
    previous_sentence: object = object()
    for (start, end), sentence in zip(spans, sentences, strict=True):
        if current is not None and start >= current.end:
            current = None
        begins = by_start.get(start)
        token = doc.text[start:end]
        if not token.strip():
            continue
        if current is None and sentence != previous_sentence:
            yield ""
            previous_sentence = sentence
        if begins is not None:
            current = begins
        tag = "O" if current is None else ("B-" if begins else "I-") + current.type
        yield "\t".join([token, doc_id, str(start), str(end), *_label_columns(current), tag])
    yield ""


class CoNLLWriter(FileWriter):
    """Streams :func:`conll_lines` of each document."""

    name: ClassVar[str] = "conll"

    def add(self, doc: Document, mentions: list[Mention]) -> None:
        for line in conll_lines(doc, mentions):
            self.fh.write(line + "\n")
