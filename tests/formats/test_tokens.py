"""CoNLL and spaCy DocBin: read back with spaCy (its CoNLL converter, ``DocBin.from_disk``)."""

from __future__ import annotations

import csv
import re

import pandas as pd
import spacy
from spacy.tokens import DocBin
from spacy.training.converters import conll_ner_to_docs

from nlp_pipeline.formats.conll import COLUMNS
from nlp_pipeline.formats.spacy_docs import mentions_from_doc, register_extensions


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_conll_reads_back_with_spacys_converter(tagged, tmp_path, write_all) -> None:
    path = write_all("conll", tmp_path / "m.conll", tagged)
    docs = list(conll_ner_to_docs(path.read_text(encoding="utf-8"), n_sents=0, no_print=True))
    assert len(docs) == len(tagged)
    for sdoc, (_, mentions) in zip(docs, tagged, strict=True):
        # whitespace tokens are not written, so compare the mentions without whitespace
        assert [(e.label_, e.text.replace(" ", "")) for e in sdoc.ents] == \
            [(m.type, squeeze(m.text)) for m in mentions]
        assert len(list(sdoc.sents)) > 10


def test_conll_columns_carry_offsets_and_labels(tagged, tmp_path, write_all) -> None:
    path = write_all("conll", tmp_path / "m.conll", tagged)
    rows = pd.read_csv(path, sep="\t", names=COLUMNS, header=None, quoting=csv.QUOTE_NONE,
                       dtype=str, keep_default_na=False, skip_blank_lines=True)
    rows = rows[rows["TOKEN"] != "-DOCSTART- -X- O O"].rename(columns=str.lower)
    texts = {doc.doc_id: doc.text for doc, _ in tagged}
    for row in rows.itertuples(index=False):
        assert texts[row.doc_id][int(row.start):int(row.end)] == row.token
    begins = rows[rows["tag"].str.startswith("B-")]
    expected = [m for _, mentions in tagged for m in mentions]
    assert list(begins["start"].astype(int)) == [m.start for m in expected]
    for row, m in zip(begins.itertuples(index=False), expected, strict=True):
        assert (row.fund, row.metric, row.measure, row.basis) == \
            (m.fund, m.metric, m.measure, m.basis)
        assert row.qualifier == (m.qualifier or "_")
        assert row.tag == f"B-{m.type}"


def test_docbin_round_trip(tagged, tmp_path, write_all) -> None:
    path = write_all("spacy", tmp_path / "m.spacy", tagged)
    docs = list(DocBin().from_disk(path).get_docs(spacy.blank("zh").vocab))
    register_extensions()
    assert len(docs) == len(tagged)
    for sdoc, (doc, mentions) in zip(docs, tagged, strict=True):
        assert sdoc.text == doc.text  # character offsets are the record offsets
        assert sdoc.user_data["doc_id"] == doc.doc_id
        spans = sdoc.spans["mentions"]
        assert [(s.start_char, s.end_char, s.text, s.label_) for s in spans] == \
            [(m.start, m.end, m.text, m.type) for m in mentions]
        assert [s._.fund for s in spans] == [m.fund for m in mentions]
        assert list(sdoc.ents) == list(spans)
        assert mentions_from_doc(sdoc) == mentions
        assert any(not t.is_sent_start for t in sdoc) and len(list(sdoc.sents)) > 10


def test_mention_inside_a_jieba_token_gets_its_own_tokens(tagged) -> None:
    """A span cutting through a jieba word still maps to whole spaCy tokens."""
    from nlp_pipeline.formats.spacy_docs import to_spacy_doc

    doc, mentions = tagged[0]
    m = mentions[0]
    inner = m.replace(start=m.start + 1, end=m.end - 1, text=doc.text[m.start + 1:m.end - 1])
    sdoc = to_spacy_doc(doc, [inner])
    assert sdoc.spans["mentions"][0].text == inner.text
