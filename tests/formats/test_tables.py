"""JSONL, CSV, Parquet and ``to_dataframe``: each read back with the library that owns it."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from nlp_pipeline.formats import to_dataframe
from nlp_pipeline.records import FIELDS, read_jsonl

LABELS = ("doc_id", "text", "type", "unit", "fund", "metric", "measure", "basis", "qualifier")


def all_mentions(tagged):
    return [m for _, mentions in tagged for m in mentions]


def check_rows(frame: pd.DataFrame, tagged) -> None:
    """Every row equals its record, and its sentence is the report text around the mention."""
    texts = {doc.doc_id: doc.text for doc, _ in tagged}
    mentions = all_mentions(tagged)
    assert len(frame) == len(mentions)
    for row, m in zip(frame.itertuples(index=False), mentions, strict=True):
        assert (row.start, row.end) == (m.start, m.end)
        assert Decimal(str(row.value)) == m.value
        assert all(getattr(row, name) == getattr(m, name) for name in LABELS)
        text = texts[m.doc_id]
        assert text[row.sentence_start:row.sentence_end] == row.sentence
        assert row.sentence_start <= m.start and m.end <= row.sentence_end


def test_jsonl_is_the_record_format(tagged, tmp_path, write_all) -> None:
    path = write_all("jsonl", tmp_path / "m.jsonl", tagged)
    assert read_jsonl(path) == all_mentions(tagged)


def test_csv_rows_match_records(tagged, tmp_path, write_all) -> None:
    path = write_all("csv", tmp_path / "m.csv", tagged)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for name in ("start", "end", "sentence_start", "sentence_end"):
        frame[name] = frame[name].astype(int)
    check_rows(frame, tagged)
    # the value column holds the record's exact decimal string, never a float rendering
    assert list(frame["value"]) == [m.to_dict()["value"] for m in all_mentions(tagged)]
    assert set(frame["path"]) == {doc.path for doc, _ in tagged}


def test_parquet_value_is_an_exact_decimal_column(tagged, tmp_path, write_all) -> None:
    path = write_all("parquet", tmp_path / "m.parquet", tagged)
    table = pq.read_table(path)
    assert pa.types.is_decimal(table.schema.field("value").type)
    assert b"nlp_pipeline" in table.schema.metadata
    frame = pd.read_parquet(path)
    check_rows(frame, tagged)
    assert sum(frame["value"]) == sum(m.value for m in all_mentions(tagged))


def test_empty_outputs_still_have_their_columns(tmp_path) -> None:
    from nlp_pipeline.formats import get_writer

    for fmt in ("csv", "parquet"):
        with get_writer(fmt, tmp_path / f"none.{fmt}"):
            pass
    assert list(pd.read_csv(tmp_path / "none.csv").columns)[: len(FIELDS)] == list(FIELDS)
    assert pq.read_table(tmp_path / "none.parquet").num_rows == 0


def test_to_dataframe_keeps_values_exact(tagged) -> None:
    mentions = all_mentions(tagged)
    frame = to_dataframe(mentions)
    assert list(frame.columns[: len(FIELDS)]) == list(FIELDS)
    assert frame["value"].map(type).eq(Decimal).all()
    assert list(frame["value"]) == [m.value for m in mentions]
    assert "sentence" not in frame.columns
    with_docs = to_dataframe(mentions, [doc for doc, _ in tagged])
    check_rows(with_docs, tagged)


def test_parquet_refuses_to_round_a_value(tagged, tmp_path, write_all) -> None:
    doc, mentions = tagged[0]
    tiny = [mentions[0].replace(value=Decimal("1E-11"))]
    with pytest.raises(pa.ArrowInvalid):
        write_all("parquet", tmp_path / "tiny.parquet", [(doc, tiny)])
    assert not (tmp_path / "tiny.parquet").exists()
