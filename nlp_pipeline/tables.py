"""Table blocks: reconstruct rows, columns and headers, keeping every cell's offsets.

Two layouts occur in the reports: tab-separated rows (one line per row), and the
"column-cells" layout of converted Word tables, where every cell sits on its own
line after a tab and blank lines separate rows. A cell's headers (row label, column
label, row group, the label just left of it) are what the tagger reads to label a
bare number, and the table's ``单位：万元`` line is where the number gets its unit.
"""

from __future__ import annotations

import regex

from .document import Cell, Document, Table

UNIT_LINE = regex.compile(r"(?:单位|金额单位|计量单位)\s*[：:]\s*(万亿元|亿元|万元|千元|元|万人次|人次|万人|人|%)")
NUMBER_CELL = regex.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")
_LOOKBACK = 3


def is_table_line(line: str) -> bool:
    body = line.rstrip()
    if "\t" in body:
        return True
    stripped = body.strip()
    return stripped.startswith("|") and stripped.count("|") >= 3


def _split_cells(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Cells of one line as (start, end, stripped text), empty cells kept for alignment.

    A blank line (no tab) has no cells: in the column-cells layout it ends a row.
    """
    line = text[start:end]
    if not line.strip() and "\t" not in line:
        return []
    sep = "|" if "\t" not in line and line.strip().startswith("|") else "\t"
    cells, pos = [], start
    parts = line.split(sep)
    if sep == "|":
        parts = parts[1:-1] if line.strip().endswith("|") else parts[1:]
        pos = start + line.index("|") + 1
    for part in parts:
        lead = len(part) - len(part.lstrip())
        body = part.strip()
        cells.append((pos + lead, pos + lead + len(body), body))
        pos += len(part) + 1
    return cells


def is_number(cell: str) -> bool:
    return NUMBER_CELL.fullmatch(cell) is not None


def _unit_of(texts: list[str]) -> str | None:
    for text in texts:
        match = UNIT_LINE.search(text)
        if match:
            return match.group(1)
    return None


def build_tables(
    doc: Document, lines: list[tuple[int, int]], blocks: list[tuple[int, int, int | None]]
) -> list[Table]:
    text = doc.ntext
    tables = []
    for first, stop, section in blocks:
        rows = [(i, _split_cells(text, *lines[i])) for i in range(first, stop)]
        above = [text[s:e].strip() for s, e in lines[max(0, first - _LOOKBACK):first]]
        above = [line for line in above if line]
        cell_texts = [c[2] for _, cells in rows for c in cells]
        unit = _unit_of(cell_texts) or _unit_of(above)
        title = " ".join(t for t in above if not UNIT_LINE.search(t))
        table = Table(lines[first][0], lines[stop - 1][1], unit, title, section)
        single = [cells for _, cells in rows if any(c[2] for c in cells)]
        if single and sum(len([c for c in cells if c[2]]) <= 1 for cells in single) > len(single) * 0.8:
            table.layout = "column-cells"
            _column_cells(table, rows)
        else:
            _rows(table, rows)
        tables.append(table)
    return tables


def _column_cells(table: Table, rows: list[tuple[int, list[tuple[int, int, str]]]]) -> None:
    """Rows are groups of one-cell lines separated by blank lines."""
    groups: list[list[tuple[int, int, str]]] = [[]]
    for _, cells in rows:
        if not cells:
            if groups[-1]:
                groups.append([])
            continue
        nonempty = [c for c in cells if c[2]]
        cell = nonempty[0] if nonempty else cells[-1]
        if UNIT_LINE.search(cell[2]):
            continue
        groups[-1].append(cell)
    groups = [g for g in groups if g]
    header_index = next(
        (i for i, g in enumerate(groups) if not any(is_number(c[2]) for c in g) and len(g) > 2),
        None,
    )
    columns: list[str] = []
    if header_index is not None:
        columns = [c[2] for c in groups[header_index][1:]]
    group_label = ""
    for r, group in enumerate(groups):
        if r == header_index:
            continue
        n = len(columns)
        if n and len(group) == n + 2:
            group_label = group[0][2] or group_label
            row_label, values = group[1][2], group[2:]
        elif n and len(group) == n + 1:
            row_label, values = group[0][2], group[1:]
        else:
            row_label, values = "", group
        for c, (start, end, body) in enumerate(values):
            if not is_number(body):
                continue
            col_label = columns[c] if c < len(columns) else ""
            table.cells.append(Cell(start, end, body, r, c, row_label, col_label, group_label))


def _rows(table: Table, rows: list[tuple[int, list[tuple[int, int, str]]]]) -> None:
    """Tab-separated rows; the last row without numbers above a cell is its header.

    Label cells left empty continue the label above them (merged cells in the
    source), so a row under 项目完成指标 still knows its group.
    """
    header: list[str] = []
    carried: list[str] = []
    for r, (_, cells) in enumerate(rows):
        texts = [c[2] for c in cells]
        numeric = {j for j, t in enumerate(texts) if _has_number(t)}
        if not numeric:
            for j, (start, end, body) in enumerate(cells):
                if _is_prose(body) and j < len(header) and header[j]:
                    table.cells.append(Cell(start, end, body, r, j, "", header[j], is_text=True))
            if _is_header(texts):
                if not header:  # the first header row often names the table's subject
                    table.title = " ".join([table.title, *[t for t in texts if t]]).strip()
                header = texts
            continue
        first_value = min(numeric)
        current = [_carry(carried, j, t, first_value) if j not in numeric else ""
                   for j, t in enumerate(texts)]
        carried = [t if j < first_value else "" for j, t in enumerate(current)]
        value_headers = [h for h in header if h]
        for rank, j in enumerate(sorted(numeric)):
            labels = [k for k in range(j) if k not in numeric and current[k]]
            own = [k for k in labels if texts[k]]
            row_label = current[labels[-1]] if labels else ""
            col_label = header[j] if j < len(header) and header[j] else ""
            if not col_label and rank < len(value_headers):
                col_label = _value_header(header, rank)
            corner = [header[k] for k in range(min(first_value, len(header)))
                      if header[k] and not current[k]]  # 项目资金（万元） above the row labels
            group = " ".join(corner + [current[k] for k in labels[:-1] if k < first_value])
            start, end, body = cells[j]
            table.cells.append(Cell(start, end, body, r, j, row_label, col_label, group,
                                    texts[own[-1]] if own else ""))
        for j, (start, end, body) in enumerate(cells):
            if _is_prose(body) and j < len(header) and header[j]:
                table.cells.append(Cell(start, end, body, r, j, "", header[j], is_text=True))


HEADER_CUES = ("指标", "项目", "名称", "预算", "执行", "决算", "金额", "合计", "年", "数", "值",
               "科目", "单位", "类别", "险种", "情况", "目标")


def _is_header(texts: list[str]) -> bool:
    """A row of short column names (指标值, 全年执行数), not a row of text answers."""
    filled = [t for t in texts if t]
    return (len(filled) >= 2 and all(len(t) <= 25 for t in filled)
            and any(cue in t for t in filled for cue in HEADER_CUES))


def _carry(carried: list[str], j: int, text: str, first_value: int) -> str:
    """A label cell's text, or the label above it when a leading cell is empty (merged)."""
    if text:
        return text
    return carried[j] if j < first_value and j < len(carried) else ""


def _is_prose(text: str) -> bool:
    return len(text) > 40 and regex.search(r"\d", text) is not None


def _has_number(text: str) -> bool:
    return regex.search(r"\d", text) is not None and len(text) <= 40


def _value_header(header: list[str], rank: int) -> str:
    """The rank-th header that names a value column (used when a row is misaligned)."""
    cues = ("值", "数", "额", "率", "完成")
    named = [h for h in header if h and any(c in h for c in cues)]
    return named[rank] if rank < len(named) else ""
