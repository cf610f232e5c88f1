"""spaCy ``DocBin`` (``.spacy``): one ``Doc`` per report, mentions as labelled spans.

Each ``Doc`` is built from jieba tokens over the original text (``doc.text`` is the
report exactly, so span character offsets are the record offsets). Mentions are the
spans of ``doc.spans["mentions"]`` with ``span.label_`` = type; the other labels are
``Span`` extensions (``span._.fund``, ``._.metric``, ``._.measure``, ``._.basis``,
``._.qualifier``, ``._.value`` as the exact decimal string, ``._.unit``,
``._.tagger``, ``._.confidence``). spaCy keeps extension values in ``doc.user_data``
and ``DocBin(store_user_data=True)`` saves them, so they survive the round trip;
call :func:`register_extensions` before reading them through ``span._``.
When no mentions overlap they are also ``doc.ents``, ready for ``spacy train``.
Sentence starts come from the pipeline's sentences; document metadata is in
``doc.user_data`` (``doc_id``, ``path``, ``title``).
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from ..document import Document
from ..records import Mention, format_decimal
from .base import FileWriter
from .context import prepared, sentence_ids, token_spans

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

SPAN_KEY = "mentions"
#: Span extensions holding the labels other than the type (``span.label_``).
EXTENSIONS = ("value", "unit", "fund", "metric", "measure", "basis", "qualifier",
              "tagger", "confidence")


def register_extensions() -> None:
    """Register the ``Span`` extensions once per process (harmless to call again)."""
    from spacy.tokens import Span

    for name in EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


@cache
def blank_nlp() -> Language:
    """A blank Chinese pipeline: its vocab is all a DocBin needs (no download)."""
    import spacy

    return spacy.blank("zh")


def _sent_starts(ids: list[int | None]) -> list[bool]:
    return [i == 0 or ids[i] != ids[i - 1] for i in range(len(ids))]


def to_spacy_doc(doc: Document, mentions: list[Mention]) -> Doc:
    """A spaCy ``Doc`` of the report with every mention as a labelled span."""
    from spacy.tokens import Doc

    register_extensions()
    doc = prepared(doc)
    spans = token_spans(doc, mentions)
    words = [doc.text[a:b] for a, b in spans]
    sdoc = Doc(blank_nlp().vocab, words=words, spaces=[False] * len(words),
               sent_starts=_sent_starts(sentence_ids(doc, spans)) if words else None)
    sdoc.user_data.update({"doc_id": doc.doc_id, "path": doc.path, "title": doc.doc_id})
    found = []
    for mention in sorted(mentions, key=lambda m: (m.start, m.end)):
        span = sdoc.char_span(mention.start, mention.end, label=mention.type)
        assert span is not None, "token_spans cuts at every mention edge"
        for name in EXTENSIONS:
            setattr(span._, name, _stored(getattr(mention, name)))
        found.append(span)
    sdoc.spans[SPAN_KEY] = found
    if all(a.end <= b.start for a, b in zip(found, found[1:], strict=False)):
        sdoc.ents = found
    return sdoc


def _stored(value: object) -> object:
    """Extension values must be msgpack-serializable: a Decimal becomes its string."""
    return format_decimal(value) if isinstance(value, Decimal) else value


def mentions_from_doc(sdoc: Doc) -> list[Mention]:
    """The records of a ``Doc`` written by :func:`to_spacy_doc` (the round trip)."""
    register_extensions()
    doc_id = sdoc.user_data.get("doc_id", "")
    out = []
    for span in sdoc.spans.get(SPAN_KEY, []):
        x = span._
        out.append(Mention(
            doc_id=doc_id, start=span.start_char, end=span.end_char, text=span.text,
            type=span.label_, value=Decimal(x.value), unit=x.unit, fund=x.fund,
            metric=x.metric, measure=x.measure, basis=x.basis, qualifier=x.qualifier or "",
            tagger=x.tagger, confidence=x.confidence,
        ))
    return out


class DocBinWriter(FileWriter):
    """Collects the Docs in a ``DocBin`` and writes its bytes atomically at close."""

    name: ClassVar[str] = "spacy"
    mode: ClassVar[str] = "wb"

    def __init__(self, path: str | Path) -> None:
        from spacy.tokens import DocBin

        super().__init__(path)
        self.docbin = DocBin(store_user_data=True)

    def add(self, doc: Document, mentions: list[Mention]) -> None:
        self.docbin.add(to_spacy_doc(doc, mentions))

    def _finish(self) -> None:
        self.fh.write(self.docbin.to_bytes())
