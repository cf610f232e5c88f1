"""Table blocks: reconstruct rows, columns and headers, keeping every cell's offsets.

Two layouts occur in the reports: tab-separated rows (one line per row), and the
"column-cells" layout of converted Word tables, where every cell sits on its own
line after a tab and blank lines separate rows. Tables whose columns a PDF converter
aligned with spaces arrive here as tab rows (``normalize`` turns each column gap
into one tab, keeping the offsets). A cell's headers (row label, column
label, row group, the label just left of it) are what the tagger reads to label a
bare number, and the table's ``单位：万元`` line is where the number gets its unit.
"""

from __future__ import annotations

import regex

from .document import Cell, Document, Table
from .lexicon import load_lexicon
from .terms import terms_in

UNIT_LINE = regex.compile(
    r"(?:单位|金额单位|计量单位)\s*[：:]\s*(万亿元|亿元|万元|千元|元|万人次|人次|万人|人|%)"
)
NUMBER_CELL = regex.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")
_LOOKBACK = 3
_DIGIT = regex.compile(r"\d")
_DASHES = regex.compile(r"[-—–－]+")


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
        title = " ".join(t for t in above if not UNIT_LINE.search(t) and _is_title(t))
        table = Table(lines[first][0], lines[stop - 1][1], unit, title, section)
        single = [cells for _, cells in rows if any(c[2] for c in cells)]
        one_cell = sum(len([c for c in cells if c[2]]) <= 1 for cells in single)
        if single and one_cell > len(single) * 0.8:
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
    source), so a row under 项目完成指标 still knows its group. A header split over two
    lines (年度 / 指标值) is joined column by column.
    """
    header: list[str] = []
    carried: list[str] = []
    previous_was_header = False
    for r, (_, cells) in enumerate(rows):
        texts = [_label_text(c[2]) for c in cells]
        numeric = {j for j, t in enumerate(texts) if _has_number(t)}
        if not numeric:
            _text_cells(table, r, cells, header)
            if _is_header(texts):
                if not header:  # the first header row often names the table's subject
                    table.title = " ".join([table.title, *[t for t in texts if t]]).strip()
                continued = previous_was_header and _continues(header, texts)
                header = _join_headers(header, texts) if continued else texts
                previous_was_header = True
            continue
        previous_was_header = False
        current = _row_labels(texts, numeric, carried)
        first_value = min(numeric)
        carried = [t if j < first_value else "" for j, t in enumerate(current)]
        _value_cells(table, r, cells, texts, numeric, current, header)
        _text_cells(table, r, cells, header)


def _label_text(text: str) -> str:
    """A cell of dashes (—, --) says "nothing here": neither a label nor a number."""
    return "" if _DASHES.fullmatch(text) else text


def _continues(upper: list[str], lower: list[str]) -> bool:
    """年度 / 指标值: the lower row only finishes names the upper row started."""
    filled = [j for j, t in enumerate(lower) if t]
    return bool(filled) and not lower[0] and all(j < len(upper) and upper[j] for j in filled)


def _join_headers(upper: list[str], lower: list[str]) -> list[str]:
    width = max(len(upper), len(lower))
    pad = [""] * width
    return [(a + b) for a, b in zip((upper + pad)[:width], (lower + pad)[:width], strict=True)]


def _row_labels(texts: list[str], numeric: set[int], carried: list[str]) -> list[str]:
    """This row's label cells; empty cells left of its own first label take the label
    above them (a merged cell), empty cells after it stay empty."""
    first_value = min(numeric)
    own = [j for j, t in enumerate(texts) if t and j not in numeric]
    own_first = own[0] if own else first_value
    return [
        "" if j in numeric
        else t or (carried[j] if j < min(own_first, first_value) and j < len(carried) else "")
        for j, t in enumerate(texts)
    ]


def _text_cells(table: Table, r: int, cells: list[tuple[int, int, str]], header: list[str]) -> None:
    """Long prose cells under a 预期目标 / 实际完成情况 header, labelled as prose later."""
    for j, (start, end, body) in enumerate(cells):
        if _is_prose(body) and j < len(header) and header[j]:
            table.cells.append(Cell(start, end, body, r, j, "", header[j], is_text=True))


def _value_cells(
    table: Table, r: int, cells: list[tuple[int, int, str]], texts: list[str],
    numeric: set[int], current: list[str], header: list[str],
) -> None:
    """The number cells of one row, with their labels, in one left-to-right sweep.

    ``left_labels`` keeps the nearest labels before each cell (年度执行数：103395 after
    年度资金总额：98822 in the same row). When the row's first value sits under a label
    column (a row shifted against its header), values map to the value columns in order.
    """
    first_value = min(numeric)
    named = _value_headers(header)
    shifted = not _is_value_header(header[first_value] if first_value < len(header) else "")
    corner = [header[k] for k in range(min(first_value, len(header)))
              if header[k] and not current[k]]  # 项目资金（万元） above the row labels
    # Labels left of the first value are the same for every cell of the row: join them
    # once, with and without the last (which is the row label unless a later one is).
    before = [k for k in range(first_value) if current[k]]  # k < first_value: not numeric
    groups = (" ".join(corner + [current[k] for k in before[:-1]]),
              " ".join(corner + [current[k] for k in before]))
    labels = list(before)
    swept = first_value  # columns left of this one are in ``labels`` already (one sweep)
    for rank, j in enumerate(sorted(numeric)):
        labels += [k for k in range(swept, j) if k not in numeric and current[k]]
        swept = max(swept, j)
        row_label = current[labels[-1]] if labels else ""
        if shifted or j >= len(header) or not header[j]:
            col_label = named[rank] if rank < len(named) else ""
        else:
            col_label = header[j]
        group = groups[len(labels) > len(before)]
        near = tuple(current[k] for k in reversed(labels[-4:]) if texts[k])
        start, end, body = cells[j]
        table.cells.append(Cell(start, end, body, r, j, row_label, col_label, group,
                                near[0] if near else "", left_labels=near))


def _is_value_header(text: str) -> bool:
    """年度指标值, 全年执行数, 2019年, 失业保险, 基金收入, 工伤: a column of values, not
    of labels (三级指标)."""
    if not text or text.endswith("指标"):
        return False
    return (any(c in text for c in VALUE_HEADER_CUES) or bool(terms_in(text))
            or _short_fund_name(text))


def _short_fund_name(text: str) -> bool:
    """工伤, 失业: a fund's short name, which names a fund only as a whole table label."""
    return load_lexicon().table_fund(text) is not None


def _names_a_fund(text: str) -> bool:
    return _short_fund_name(text) or any(t.kind == "fund" for t in terms_in(text))


HEADER_CUES = ("指标", "项目", "名称", "预算", "执行", "决算", "金额", "合计", "年", "数", "值",
               "科目", "单位", "类别", "险种", "情况", "目标")


def _is_header(texts: list[str]) -> bool:
    """A row of short column names (指标值, 全年执行数; or fund names, 企业职工养老 ⇥
    失业), not a row of text answers."""
    filled = [t for t in texts if t]
    return (len(filled) >= 2 and all(len(t) <= 25 for t in filled)
            and (any(cue in t for t in filled for cue in HEADER_CUES)
                 or sum(_names_a_fund(t) for t in filled) >= 2))


def _is_prose(text: str) -> bool:
    return len(text) > 40 and _DIGIT.search(text) is not None


_YEAR_LABEL = regex.compile(r"(?:19|20)\d\d\s*年(?:度|末)?")
#: 2021年预算数, 2020年决算: a column header naming a year's figures, not a value.
_YEAR_HEADER = regex.compile(r"(?:19|20)\d\d\s*年[^\d%]{1,10}")


def _is_title(line: str) -> bool:
    """A caption line (社保基金收支分析表), not a paragraph of prose above the table."""
    return len(line) <= 40 and not line.endswith(("。", "；", "，"))


def _has_number(text: str) -> bool:
    """A value cell; a year column header (2019年) is a label, not a value."""
    if _YEAR_LABEL.fullmatch(text) or _YEAR_HEADER.fullmatch(text):
        return False
    return len(text) <= 40 and _DIGIT.search(text) is not None


VALUE_HEADER_CUES = (
    "值", "数", "额", "率", "完成", "分", "年", "预算", "决算", "执行", "合计", "金额",
)


def _value_headers(header: list[str]) -> list[str]:
    """The headers that name a value column, in order (for rows shifted left)."""
    return [h for h in header if _is_value_header(h)]
