"""Reconstructed tables as pandas DataFrames, and the ``nlp-pipeline tables`` command.

Much of a report's fund-level data is in its tables (GUIDELINES §1.3). The tagger turns
cells into mention records one by one; a researcher usually wants the table itself —
funds across, 预算 / 2019年 / 2018年 row groups down — to compute with, and still needs
to trace every figure back to the report. So each table becomes:

* a *wide* DataFrame: row labels (group label and row label, a MultiIndex when the
  table has groups) as the index, column headers as the columns, the cell text as the
  values — the text exactly as the report writes it, ``doc.text[start:end]``;
* ``attrs`` with the table's number, title, unit, layout and original offsets, and
  ``attrs["offsets"]`` mapping each cell (index key, column) to its original
  ``(start, end)``; :func:`offsets_frame` turns that into a DataFrame aligned with the
  table. (A plain dict, not a DataFrame: pandas compares ``attrs`` with ``==`` when
  it concatenates frames, and a DataFrame there makes ``pd.concat`` raise.)

:func:`cells_frame` is the lossless long format, one row per cell with its labels and
offsets; :func:`in_table_spans` gives the original offsets of every table block, which
is what splits an evaluation into table cells and prose.

Only what :mod:`nlp_pipeline.tables` reconstructs is here: numeric cells (anything
short with a digit) and long prose cells (预期目标 / 实际完成情况). Label cells are the
index and columns; text answers without a digit (基金运行平稳) are not cells of the
reconstruction, so they are absent. Labels are normalized text (full-width
punctuation), the cell values and offsets are original.
"""

from __future__ import annotations

import argparse
import bisect
import sys
from collections.abc import Hashable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from .document import Cell, Document, Table
from .pipeline import load_document
from .writing import atomic_write

#: Columns of :func:`cells_frame`, with their dtypes (an empty frame keeps the schema).
CELL_COLUMNS: dict[str, str] = {
    "doc_id": "str",
    "table": "int64",
    "row": "int64",
    "col": "int64",
    "group_label": "str",
    "row_label": "str",
    "col_label": "str",
    "left_label": "str",
    "text": "str",
    "start": "int64",
    "end": "int64",
    "unit": "str",
    "is_text": "bool",
    "table_title": "str",
    "table_unit": "str",
    "table_start": "int64",
    "table_end": "int64",
}
#: Index level names of a wide table frame.
GROUP, ROW = "group_label", "row_label"
#: CSV encoding: UTF-8 with a BOM, without which Excel reads Chinese as mojibake.
CSV_ENCODING = "utf-8-sig"


# ---------------------------------------------------------------------- table blocks


def in_table_spans(doc: Document) -> list[tuple[int, int]]:
    """Original ``[start, end)`` offsets of every table block, sorted.

    A block is every line :mod:`nlp_pipeline.structure` handed to table reconstruction,
    prose cells included, so a gold record lies in a table exactly when it lies in one
    of these spans (see :func:`is_in_table`); that is the table/prose split of an
    evaluation.
    """
    return sorted(doc.to_original(t.start, t.end) for t in doc.tables)


def is_in_table(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside one of ``spans`` (sorted, non-overlapping)."""
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


# ---------------------------------------------------------------------- long format


def _cell_units(doc: Document, starts: list[int], cell: Cell) -> str:
    """The units the pipeline reads for the numbers in a cell, own or inherited (§1.3).

    Taken from ``doc.quantities`` rather than recomputed, so the CSV says what the
    tagger saw: ``万元`` for a bare 122288 under ``单位：万元``, ``万人`` for ``282 万人``,
    nothing for a score (分值) or a date. Several distinct units are joined with ``|``.
    """
    units: list[str] = []
    for q in doc.quantities[bisect.bisect_left(starts, cell.start):]:
        if q.start >= cell.end:
            break
        if q.end <= cell.end and q.unit not in units:
            units.append(q.unit)
    return "|".join(units)


def _table_cells(doc: Document) -> Iterable[tuple[int, Table, Cell]]:
    for index, table in enumerate(doc.tables):
        for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
            yield index, table, cell


def cells_frame(doc: Document) -> pd.DataFrame:
    """One row per reconstructed cell of every table, with labels and original offsets.

    ``start``/``end`` index the original text (``doc.text[start:end] == text``), like
    a mention record, so a cell can be joined to gold or tagger output by offsets.
    ``table`` is the index in ``doc.tables`` (and the N of ``<doc_id>_tableN.csv``).
    """
    rows: list[dict[str, Any]] = []
    starts = [q.start for q in doc.quantities]  # sorted by detect_quantities
    for index, table, cell in _table_cells(doc):
        start, end = doc.to_original(cell.start, cell.end)
        t_start, t_end = doc.to_original(table.start, table.end)
        rows.append({
            "doc_id": doc.doc_id, "table": index, "row": cell.row, "col": cell.col,
            "group_label": cell.group_label, "row_label": cell.row_label,
            "col_label": cell.col_label, "left_label": cell.left_label,
            "text": doc.text[start:end], "start": start, "end": end,
            "unit": _cell_units(doc, starts, cell), "is_text": cell.is_text,
            "table_title": table.title, "table_unit": table.unit or "",
            "table_start": t_start, "table_end": t_end,
        })
    return pd.DataFrame({name: pd.Series([r[name] for r in rows], dtype=dtype)
                         for name, dtype in CELL_COLUMNS.items()})


# ---------------------------------------------------------------------- wide format


def _place(cells: list[Cell]) -> list[tuple[Hashable, str]]:
    """The (index key, column) of each cell, never two cells in one slot.

    A cell goes under its headers. When the reconstruction gives two cells the same
    headers (a misaligned row: 90% and 95% both labelled 指标值 in seed 004), the later
    one goes to a column that also names its source column, ``指标值 [col 4]``; a cell
    without a column header is ``[col N]``. Nothing is dropped or overwritten.
    """
    grouped = any(c.group_label for c in cells)
    taken: set[tuple[Hashable, str]] = set()
    slots = []
    for cell in cells:
        key: Hashable = (cell.group_label, cell.row_label) if grouped else cell.row_label
        label = cell.col_label or f"[col {cell.col}]"
        candidates: list[tuple[Hashable, str]] = [
            (key, label),
            (key, f"{cell.col_label} [col {cell.col}]".strip()),
        ]
        row_key = f"{cell.row_label} [row {cell.row}]".strip()
        own: Hashable = (cell.group_label, row_key) if grouped else row_key
        candidates += [(own, label), (own, f"{label} [col {cell.col}]")]
        slot = next(s for s in candidates if s not in taken)  # the last: (row, col) is unique
        taken.add(slot)
        slots.append(slot)
    return slots


def table_frame(doc: Document, index: int) -> pd.DataFrame:
    """Table ``index`` of ``doc.tables`` as a wide DataFrame (see the module docstring).

    Rows and columns keep the order in which they first occur in the report; a
    missing cell is NaN. ``attrs``: ``doc_id``, ``table``, ``title``, ``unit`` (of the
    ``单位：`` line, or None), ``layout``, ``start``/``end`` (original offsets of the
    block) and ``offsets`` ({(index key, column): (start, end)}, original offsets).
    """
    table = doc.tables[index]
    cells = sorted(table.cells, key=lambda c: (c.row, c.col))
    slots = _place(cells)
    grouped = any(c.group_label for c in cells)
    keys = list(dict.fromkeys(k for k, _ in slots))
    columns = list(dict.fromkeys(c for _, c in slots))
    values: dict[str, dict[Hashable, str]] = {c: {} for c in columns}
    offsets: dict[tuple[Hashable, str], tuple[int, int]] = {}
    for cell, (key, column) in zip(cells, slots, strict=True):
        start, end = doc.to_original(cell.start, cell.end)
        values[column][key] = doc.text[start:end]
        offsets[(key, column)] = (start, end)
    if grouped:
        row_index = pd.MultiIndex.from_tuples(keys, names=[GROUP, ROW])
    else:
        row_index = pd.Index(keys, name=ROW, dtype="str")
    frame = pd.DataFrame(
        {c: pd.Series([values[c].get(k) for k in keys], index=row_index, dtype="str")
         for c in columns},
        index=row_index,
    )
    frame.columns = pd.Index(columns, dtype="str")
    start, end = doc.to_original(table.start, table.end)
    frame.attrs.update({
        "doc_id": doc.doc_id, "table": index, "title": table.title, "unit": table.unit,
        "layout": table.layout, "start": start, "end": end, "offsets": offsets,
    })
    return frame


def tables_to_frames(doc: Document) -> list[pd.DataFrame]:
    """Every reconstructed table that has cells, as a wide DataFrame (:func:`table_frame`).

    A block without cells (a title line that happens to start with a tab) is skipped;
    ``attrs["table"]`` keeps each frame's index in ``doc.tables`` all the same.
    """
    return [table_frame(doc, i) for i, t in enumerate(doc.tables) if t.cells]


def read_tables(path: str | Path) -> list[pd.DataFrame]:
    """The tables of one report file (:func:`tables_to_frames` after the full pipeline)."""
    return tables_to_frames(load_document(path))


def offsets_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A DataFrame aligned with a table frame: ``(start, end)`` per cell, None elsewhere."""
    offsets = frame.attrs.get("offsets", {})
    out = pd.DataFrame([[None] * frame.shape[1] for _ in range(frame.shape[0])],
                       index=frame.index, columns=frame.columns, dtype=object)
    for (key, column), span in offsets.items():
        if key in out.index and column in out.columns:
            out.at[key, column] = span
    return out


# ---------------------------------------------------------------------- CSV


def write_csv(frame: pd.DataFrame, path: str | Path, *, index: bool = True) -> None:
    """Write a frame as UTF-8-with-BOM CSV, atomically (a killed run leaves no half file)."""
    with atomic_write(path, "w", encoding=CSV_ENCODING) as fh:
        frame.to_csv(fh, index=index, lineterminator="\n")


def read_table_csv(path: str | Path) -> pd.DataFrame:
    """Read a ``<doc_id>_tableN.csv`` back into the frame it was written from.

    Every value is read as text (``"-108"`` stays ``"-108"``, ``"5.29%"`` stays
    text), empty index labels stay ``""`` and empty cells become NaN, so the result
    equals :func:`table_frame` apart from ``attrs``.
    """
    with open(path, encoding=CSV_ENCODING) as fh:
        header = fh.readline()
    levels = [0, 1] if header.startswith(f"{GROUP},{ROW},") else [0]
    frame = pd.read_csv(path, encoding=CSV_ENCODING, index_col=levels, dtype="str",
                        keep_default_na=False)
    return frame.mask(frame == "")


def read_cells_csv(path: str | Path) -> pd.DataFrame:
    """Read a ``<doc_id>_cells.csv`` back with the dtypes of :func:`cells_frame`."""
    frame = pd.read_csv(path, encoding=CSV_ENCODING, dtype="str", keep_default_na=False)
    return frame.astype({c: d for c, d in CELL_COLUMNS.items() if d != "bool"}).assign(
        is_text=frame["is_text"].map({"True": True, "False": False}).astype("bool"))


def export_tables(doc: Document, outdir: str | Path) -> list[tuple[Path, str]]:
    """Write ``<doc_id>_tableN.csv`` per table with cells and ``<doc_id>_cells.csv``.

    Returns (path, description) for every file written, for the command to print.
    """
    outdir = Path(outdir)
    written: list[tuple[Path, str]] = []
    for frame in tables_to_frames(doc):
        path = outdir / f"{doc.doc_id}_table{frame.attrs['table']}.csv"
        write_csv(frame, path)
        rows, cols = frame.shape
        title = frame.attrs["title"]
        title = title if len(title) <= 40 else title[:39] + "…"
        unit = frame.attrs["unit"] or "no 单位 line"
        written.append((path, f"{rows} rows × {cols} columns, {unit}: {title}"))
    cells = cells_frame(doc)
    path = outdir / f"{doc.doc_id}_cells.csv"
    write_csv(cells, path, index=False)
    written.append((path, f"{len(cells)} cells with original offsets"))
    return written


# ---------------------------------------------------------------------- command


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``tables`` on an ``argparse`` subparsers object and return its parser."""
    p = subparsers.add_parser(
        "tables", help="write each table of a report as CSV, plus its cells with offsets",
        description="Reconstruct the tables of report files and write, per file, "
                    "<doc_id>_tableN.csv (row labels down, column headers across, the "
                    "cell text as written; N is the table's number in the document, "
                    "from 0) and <doc_id>_cells.csv (one row per cell: labels, text, "
                    "original start/end offsets, unit). Files are UTF-8 with a BOM so "
                    "that Excel shows the Chinese correctly; pandas reads them with "
                    "encoding='utf-8-sig'. Every file is written atomically.",
    )
    p.add_argument("paths", nargs="+", metavar="FILE", help="report text file(s)")
    p.add_argument("-o", "--outdir", type=Path, default=Path("."), metavar="OUTDIR",
                   help="directory for the CSV files (default: the current directory)")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    """``tables``: 0 when every file was written; 1 when an output could not be written.

    A file that cannot be read raises :class:`~nlp_pipeline.errors.PipelineError`,
    which the command line reports (exit 2), like ``extract``.
    """
    status = 0
    for path in args.paths:
        doc = load_document(path)
        try:
            written = export_tables(doc, args.outdir)
        except OSError as exc:
            print(f"nlp-pipeline tables: error: {path}: {exc}", file=sys.stderr)
            status = 1
            continue
        if not any(t.cells for t in doc.tables):
            print(f"{path}: no tables found")
        for out, what in written:
            print(f"wrote {out} ({what})")
    return status
