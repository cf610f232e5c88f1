"""Fact tables: one row per mention with its document and sentence, via pandas/pyarrow.

``value`` stays exact everywhere: a column of :class:`~decimal.Decimal` in the
DataFrame, the canonical decimal string of GUIDELINES §1.2 in CSV, and an Arrow
``decimal128(38, 10)`` column in Parquet (a numeric type every Parquet reader
understands; a value that would need more than 10 decimal places is refused,
never rounded). Both writers stream: rows go out document by document, so memory
stays flat in the corpus size, as it does for the JSONL runner.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..document import Document
from ..records import FIELDS, Mention, format_decimal
from .base import FileWriter
from .context import mention_context, prepared

RECORD_DTYPES: dict[str, str] = {
    "doc_id": "str", "start": "int64", "end": "int64", "text": "str", "type": "str",
    "value": "object", "unit": "str", "fund": "str", "metric": "str", "measure": "str",
    "basis": "str", "qualifier": "str", "tagger": "str", "confidence": "float64",
}
CONTEXT_DTYPES: dict[str, str] = {
    "path": "str", "report_year": "Int64", "genre": "str", "section": "str",
    "in_table": "boolean", "sentence_start": "Int64", "sentence_end": "Int64",
    "sentence": "str",
}
#: Digits of the Parquet ``value`` column: 28 before the point, 10 after.
VALUE_TYPE = pa.decimal128(38, 10)
_ARROW_TYPES = {
    "str": pa.string(), "int64": pa.int64(), "Int64": pa.int64(), "float64": pa.float64(),
    "boolean": pa.bool_(), "object": VALUE_TYPE,
}
PARQUET_SCHEMA = pa.schema(
    [pa.field(name, _ARROW_TYPES[dtype], nullable=name not in ("doc_id", "start", "end"))
     for name, dtype in {**RECORD_DTYPES, **CONTEXT_DTYPES}.items()],
    metadata={"nlp_pipeline": json.dumps({"table": "mentions", "version": 1,
                                          "value": "base unit of the type (GUIDELINES §1.2)"})},
)


def _record_row(mention: Mention) -> dict[str, Any]:
    row = {name: getattr(mention, name) for name in FIELDS}
    row["tagger"], row["confidence"] = mention.tagger, mention.confidence
    return row


def _context_row(doc: Document, mention: Mention) -> dict[str, Any]:
    ctx = mention_context(doc, mention)
    return {
        "path": doc.path, "report_year": doc.report_year, "genre": doc.genre,
        "section": ctx.section if ctx else None, "in_table": ctx.in_table if ctx else None,
        "sentence_start": ctx.start if ctx else None, "sentence_end": ctx.end if ctx else None,
        "sentence": ctx.text if ctx else None,
    }


def _frame(rows: list[dict[str, Any]], dtypes: Mapping[str, str]) -> pd.DataFrame:
    """A DataFrame with fixed dtypes, so an empty table has the same schema as a full one."""
    return pd.DataFrame(
        {name: pd.Series([row.get(name) for row in rows], dtype=dtype)
         for name, dtype in dtypes.items()}
    )


def to_dataframe(
    records: Iterable[Mention],
    docs: Mapping[str, Document] | Iterable[Document] | None = None,
) -> pd.DataFrame:
    """One row per mention; ``value`` is a ``Decimal`` column, exact as in the record.

    With ``docs`` (Documents, or a mapping doc_id → Document) the row also gets the
    document's metadata and the sentence the mention sits in (original offsets).
    """
    records = list(records)
    rows = [_record_row(m) for m in records]
    if docs is None:
        return _frame(rows, RECORD_DTYPES)
    by_id = dict(docs) if isinstance(docs, Mapping) else {d.doc_id: d for d in docs}
    ready = {doc_id: prepared(doc) for doc_id, doc in by_id.items()}
    for row, mention in zip(rows, records, strict=True):
        doc = ready.get(mention.doc_id)
        if doc is not None:
            row.update(_context_row(doc, mention))
    return _frame(rows, {**RECORD_DTYPES, **CONTEXT_DTYPES})


def fact_frame(doc: Document, mentions: list[Mention]) -> pd.DataFrame:
    """The fact-table rows of one document."""
    return to_dataframe(mentions, {doc.doc_id: doc})


class CSVWriter(FileWriter):
    """CSV (UTF-8, comma, ``\\n``); ``value`` as the exact decimal string of the record."""

    name: ClassVar[str] = "csv"

    def __init__(self, path: str | Path) -> None:
        super().__init__(path)
        self._header = True

    def _write(self, frame: pd.DataFrame) -> None:
        frame = frame.assign(value=frame["value"].map(format_decimal).astype("str"))
        frame.to_csv(self.fh, index=False, header=self._header, lineterminator="\n")
        self._header = False

    def add(self, doc: Document, mentions: list[Mention]) -> None:
        self._write(fact_frame(doc, mentions))

    def _finish(self) -> None:
        if self._header:
            self._write(_frame([], {**RECORD_DTYPES, **CONTEXT_DTYPES}))


class ParquetWriter(FileWriter):
    """Parquet with a fixed schema (:data:`PARQUET_SCHEMA`), one row group per batch."""

    name: ClassVar[str] = "parquet"
    mode: ClassVar[str] = "wb"
    #: Rows buffered before a row group is written (avoids one tiny group per document).
    ROW_GROUP = 50_000

    def __init__(self, path: str | Path) -> None:
        super().__init__(path)
        self._parquet = pq.ParquetWriter(self.fh, PARQUET_SCHEMA)
        self._pending: list[pd.DataFrame] = []
        self._rows = 0

    def add(self, doc: Document, mentions: list[Mention]) -> None:
        if mentions:
            self._pending.append(fact_frame(doc, mentions))
            self._rows += len(mentions)
        if self._rows >= self.ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            frame = pd.concat(self._pending, ignore_index=True)
            self._parquet.write_table(
                pa.Table.from_pandas(frame, schema=PARQUET_SCHEMA, preserve_index=False)
            )
        self._pending, self._rows = [], 0

    def _finish(self) -> None:
        self._flush()
        self._parquet.close()

    def _discard(self) -> None:
        self._pending = []
        with contextlib.suppress(Exception):  # its footer goes to a file about to be deleted
            self._parquet.close()
        super()._discard()
