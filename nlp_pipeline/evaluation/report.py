"""Evaluation output: a terminal table, and a report directory a paper can cite.

The report directory holds ``scores.json`` (every figure, machine-readable),
``summary.md`` (the tables, for a README or a lab notebook), ``report.html``
(tables, plots embedded as base64 PNG, and the error list with sentences) and
``errors.jsonl``. Nothing in them depends on the clock, so the same inputs give
the same ``scores.json`` and ``summary.md`` byte for byte, which makes a report
checked into ``evaluation/reports/`` diffable.

The three renderings share row builders (``_*_rows``), so a figure cannot differ
between the terminal, the Markdown and the HTML.
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..writing import atomic_write
from .bootstrap import MEASURES, Comparison, Interval
from .scoring import FIGURES, Confusion, Counts, ErrorItem, Scores

Rows = tuple[list[str], list[list[str]]]
Intervals = Mapping[str, Mapping[str, Interval]]

FIGURE_NOTES = {
    "tuple": "span, type, value, fund, metric, measure, basis all correct (headline)",
    "strict": "same span",
    "strict_typed": "same span and type",
    "lenient": "overlapping span, same type, one-to-one",
}
#: Errors shown in summary.md / report.html; all of them are in errors.jsonl.
SUMMARY_ERRORS = 30
HTML_ERRORS = 2000


def _f(value: float) -> str:
    return f"{value:.4f}"


def _ci(intervals: Intervals | None, figure: str, measure: str = "f1") -> str:
    if not intervals or figure not in intervals:
        return ""
    i = intervals[figure][measure]
    return f"[{_f(i.low)}, {_f(i.high)}]"


# --- row builders --------------------------------------------------------------------------


def _headline_rows(scores: Scores, intervals: Intervals | None) -> Rows:
    headers = ["figure", "P", "R", "F1", "95% CI of F1", "correct", "pred", "gold", "match"]
    rows = []
    for figure in FIGURES:
        c = scores.corpus[figure]
        rows.append([figure, _f(c.precision), _f(c.recall), _f(c.f1), _ci(intervals, figure),
                     str(c.tp), str(c.n_pred), str(c.n_gold), FIGURE_NOTES[figure]])
    return headers, rows


def _interval_rows(intervals: Intervals) -> Rows:
    headers = ["figure", "measure", "estimate", "low", "high"]
    rows = [[figure, m, _f(i.estimate), _f(i.low), _f(i.high)]
            for figure, by_measure in intervals.items() for m, i in by_measure.items()]
    return headers, rows


def _type_rows(scores: Scores) -> Rows:
    headers = ["type", "strict P", "strict R", "strict F1", "lenient F1", "tuple F1",
               "pred", "gold"]
    rows = []
    for t, figs in scores.by_type.items():
        s = figs["strict"]
        rows.append([t, _f(s.precision), _f(s.recall), _f(s.f1), _f(figs["lenient"].f1),
                     _f(figs["tuple"].f1), str(s.n_pred), str(s.n_gold)])
    return headers, rows


def _attribute_rows(scores: Scores) -> Rows:
    headers = ["attribute", "accuracy", "correct", "strict pairs"]
    rows = [[name, _f(a.accuracy), str(a.correct), str(a.total)]
            for name, a in scores.attributes.items()]
    return headers, rows


def _label_rows(scores: Scores, field: str) -> Rows:
    """Per label, most frequent in gold first: tuple P/R/F1 and label F1 on strict pairs."""
    headers = [field, "tuple P", "tuple R", "tuple F1", "label F1 (strict pairs)", "pred",
               "gold"]
    labels = scores.breakdowns[field]
    order = sorted(labels, key=lambda k: (-labels[k]["tuple"].n_gold, k))
    rows = []
    for label in order:
        t = labels[label]["tuple"]
        rows.append([label, _f(t.precision), _f(t.recall), _f(t.f1),
                     _f(labels[label]["label"].f1), str(t.n_pred), str(t.n_gold)])
    return headers, rows


def _group_rows(groups: Mapping[str, Mapping[str, Counts]], name: str) -> Rows:
    headers = [name, "tuple P", "tuple R", "tuple F1", "strict F1", "pred", "gold"]
    rows = []
    for key, figs in groups.items():
        t = figs["tuple"]
        rows.append([key, _f(t.precision), _f(t.recall), _f(t.f1), _f(figs["strict"].f1),
                     str(t.n_pred), str(t.n_gold)])
    return headers, rows


def _error_counts(scores: Scores) -> str:
    counts = Counter(e.kind for e in scores.errors)
    return ", ".join(f"{counts[k]} {k}" for k in ("missed", "spurious", "mislabelled"))


def _labels(m: Any) -> str:
    if m is None:
        return ""
    qualifier = f" {m.qualifier}" if m.qualifier else ""
    value = m.to_dict()["value"]
    return f"{m.type} {value} {m.fund}/{m.metric}/{m.measure}/{m.basis}{qualifier}"


def _error_detail(e: ErrorItem) -> str:
    if e.kind == "mislabelled" and e.gold is not None and e.pred is not None:
        parts = [f"{f}: {_value(e.gold, f)} → {_value(e.pred, f)}" for f in e.fields]
        return "; ".join(parts) + (f" ({e.note})" if e.note else "")
    side = e.gold if e.kind == "missed" else e.pred
    return _labels(side) + (f"; {e.note}" if e.note else "")


def _value(m: Any, name: str) -> str:
    return m.to_dict()["value"] if name == "value" else (getattr(m, name) or "''")


def _bold_span(e: ErrorItem) -> str:
    """The sentence with the error's span in Markdown bold."""
    s, t = e.context_span
    return f"{e.context[:s]}**{e.context[s:t]}**{e.context[t:]}"


def _error_rows(errors: Sequence[ErrorItem], bold: bool = False) -> Rows:
    headers = ["kind", "doc", "span", "text", "detail", "sentence"]
    rows = [[e.kind, e.doc_id, f"{e.start}:{e.end}", e.text, _error_detail(e),
             _bold_span(e) if bold else e.context] for e in errors]
    return headers, rows


def _doc_rows(scores: Scores) -> Rows:
    headers = ["document", "tuple P", "tuple R", "tuple F1", "strict F1", "lenient F1",
               "pred", "gold"]
    rows = []
    for doc, figs in scores.per_document.items():
        t = figs["tuple"]
        rows.append([doc, _f(t.precision), _f(t.recall), _f(t.f1), _f(figs["strict"].f1),
                     _f(figs["lenient"].f1), str(t.n_pred), str(t.n_gold)])
    return headers, rows


def _comparison_line(c: Comparison, names: tuple[str, str]) -> str:
    pct = round(c.confidence * 100)
    return (f"{c.figure} {c.measure}: {names[0]} {_f(c.a)} vs {names[1]} {_f(c.b)}, "
            f"difference {c.difference:+.4f}, {pct}% CI [{_f(c.low)}, {_f(c.high)}], "
            f"p = {c.p_value:.4f} (paired bootstrap over {c.n_documents} documents, "
            f"{c.n_resamples} resamples, seed {c.seed})")


# --- terminal -------------------------------------------------------------------------------


def _text_table(rows: Rows, limit: int | None = None) -> str:
    headers, body = rows
    body = body[:limit] if limit else body
    widths = [max(len(str(r[i])) for r in [headers, *body]) for i in range(len(headers))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in body]
    return "\n".join(lines)


def format_table(
    scores: Scores,
    *,
    intervals: Intervals | None = None,
    comparison: Comparison | None = None,
    names: tuple[str, str] = ("A", "B"),
    title: str = "",
) -> str:
    """The readable terminal summary: headline, per type, attributes, per fund, errors."""
    n_pairs = scores.corpus["strict"].tp
    head = (f"{title}\n" if title else "") + (
        f"{scores.n_documents} documents, {scores.corpus['strict'].n_gold} gold mentions, "
        f"{scores.corpus['strict'].n_pred} predicted")
    if scores.ignored_predictions:
        head += f" ({scores.ignored_predictions} predictions for other documents ignored)"
    headers, rows = _headline_rows(scores, intervals)
    parts = [head, _text_table((headers[:-1], [r[:-1] for r in rows]))]
    if comparison is not None:
        parts.append(_comparison_line(comparison, names))
    parts += [
        "Per type (strict = span and type):\n" + _text_table(_type_rows(scores)),
        f"Attribute accuracy on {n_pairs} strictly matched spans:\n"
        + _text_table(_attribute_rows(scores)),
        "Per fund:\n" + _text_table(_label_rows(scores, "fund")),
    ]
    parts += [f"Per {key}:\n" + _text_table(_group_rows(groups, key))
              for key, groups in scores.by_meta.items()]
    if scores.by_table:
        parts.append("Table cells vs prose:\n" + _text_table(_group_rows(scores.by_table, "where")))
    parts.append("Errors: " + _error_counts(scores))
    return "\n\n".join(parts) + "\n"


# --- scores.json / errors.jsonl --------------------------------------------------------------


def scores_payload(
    scores: Scores,
    *,
    intervals: Intervals | None = None,
    comparison: Comparison | None = None,
    meta: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything in ``scores.json``: run metadata, all figures, intervals, comparison."""
    payload: dict[str, Any] = {"meta": dict(meta or {})}
    payload["headline"] = {
        "tuple": scores.corpus["tuple"].to_dict(), "strict": scores.corpus["strict"].to_dict(),
    }
    payload.update(scores.to_dict())
    payload["intervals"] = {
        figure: {m: i.to_dict() for m, i in by_measure.items()}
        for figure, by_measure in (intervals or {}).items()
    }
    payload["comparison"] = comparison.to_dict() if comparison else None
    return payload


# --- plots (matplotlib without pyplot: no global backend state) ------------------------------


def _png(fig: Any) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96, bbox_inches="tight", metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def plot_headline(scores: Scores, intervals: Intervals | None) -> str:
    """P/R/F1 of each figure as grouped bars, with bootstrap intervals as error bars."""
    fig = _figure(7, 3.2)
    ax = fig.subplots()
    width = 0.8 / len(MEASURES)
    for k, measure in enumerate(MEASURES):
        xs = [i + (k - 1) * width for i in range(len(FIGURES))]
        ys = [getattr(scores.corpus[f], measure) for f in FIGURES]
        err = None
        if intervals:
            bounds = [intervals[f][measure] for f in FIGURES]
            err = [[max(0.0, y - i.low) for i, y in zip(bounds, ys, strict=True)],
                   [max(0.0, i.high - y) for i, y in zip(bounds, ys, strict=True)]]
        ax.bar(xs, ys, width, yerr=err, capsize=3, label=measure)
    _finish_bars(ax, list(FIGURES), "corpus figures (error bars: bootstrap CI)")
    return _png(fig)


def plot_per_type(scores: Scores) -> str:
    """Strict, lenient and tuple F1 per mention type."""
    types = list(scores.by_type)
    fig = _figure(7, 3.2)
    ax = fig.subplots()
    figs = ("strict", "lenient", "tuple")
    width = 0.8 / len(figs)
    for k, figure in enumerate(figs):
        xs = [i + (k - 1) * width for i in range(len(types))]
        ax.bar(xs, [scores.by_type[t][figure].f1 for t in types], width, label=f"{figure} F1")
    _finish_bars(ax, types, "F1 per type")
    return _png(fig)


def _finish_bars(ax: Any, names: list[str], title: str) -> None:
    ax.set_xticks(range(len(names)), names)
    ax.set_ylim(0, 1.05)
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3, fontsize="small",
              frameon=False)
    ax.grid(axis="y", alpha=0.3)


def plot_per_label(scores: Scores, field: str) -> str:
    """Tuple F1 and label F1 (on strict pairs) per label of ``field``, frequent first."""
    _, rows = _label_rows(scores, field)
    labels = [r[0] for r in rows]
    fig = _figure(7, 1.0 + 0.28 * max(1, len(labels)))
    ax = fig.subplots()
    ys = list(range(len(labels)))
    ax.barh([y - 0.2 for y in ys], [float(r[3]) for r in rows], 0.4, label="tuple F1")
    ax.barh([y + 0.2 for y in ys], [float(r[4]) for r in rows], 0.4, label="label F1")
    ax.set_yticks(ys, [f"{r[0]} ({r[6]})" for r in rows], fontsize="small")
    ax.invert_yaxis()
    ax.set_xlim(0, 1.05)
    ax.set_title(f"per {field} (gold count in brackets)")
    ax.legend(loc="lower right", fontsize="small")
    return _png(fig)


def plot_confusion(matrix: Confusion, field: str) -> str:
    """Heat map coloured by share of the gold row, annotated with counts."""
    n = len(matrix.labels)
    fig = _figure(1.5 + 0.35 * max(n, 2), 1.2 + 0.35 * max(n, 2))
    ax = fig.subplots()
    shares = [[c / (sum(row) or 1) for c in row] for row in matrix.matrix] or [[0.0]]
    image = ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(n), matrix.labels, rotation=90, fontsize="small")
    ax.set_yticks(range(n), matrix.labels, fontsize="small")
    ax.set_xlabel(f"predicted {field}")
    ax.set_ylabel(f"gold {field}")
    for i, row in enumerate(matrix.matrix):
        for j, count in enumerate(row):
            if count:
                color = "white" if shares[i][j] > 0.6 else "black"
                ax.text(j, i, str(count), ha="center", va="center", fontsize=7, color=color)
    fig.colorbar(image, ax=ax, shrink=0.6, label="share of gold row")
    ax.set_title(f"{field} confusion on strictly matched spans")
    return _png(fig)


# --- summary.md -----------------------------------------------------------------------------


def _md_table(rows: Rows, limit: int | None = None) -> str:
    headers, body = rows
    body = body[:limit] if limit else body

    def cell(text: str) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(map(cell, headers)) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(map(cell, r)) + " |" for r in body]
    return "\n".join(lines)


def _meta_lines(meta: Mapping[str, Any]) -> list[str]:
    return [f"- {key}: `{value}`" for key, value in meta.items() if key != "command"]


def render_summary(
    scores: Scores,
    *,
    intervals: Intervals | None = None,
    comparison: Comparison | None = None,
    names: tuple[str, str] = ("A", "B"),
    meta: Mapping[str, Any] | None = None,
) -> str:
    """``summary.md``: the figures as Markdown tables, and the first errors."""
    meta = meta or {}
    out = ["# Evaluation summary", ""]
    if "command" in meta:
        out += ["Reproduce with:", "", "```", str(meta["command"]), "```", ""]
    meta_lines = _meta_lines(meta)
    out += meta_lines + ([""] if meta_lines else [])
    out += ["## Corpus figures (micro-averaged)", "",
            _md_table(_headline_rows(scores, intervals)), ""]
    if comparison is not None:
        out += ["## Paired comparison", "", _comparison_line(comparison, names), ""]
    sections = [("Per type (strict = span and type)", _type_rows(scores)),
                ("Attribute accuracy on strictly matched spans", _attribute_rows(scores)),
                ("Per fund", _label_rows(scores, "fund")),
                ("Per metric", _label_rows(scores, "metric"))]
    sections += [(f"Per {key}", _group_rows(groups, key)) for key, groups in scores.by_meta.items()]
    if scores.by_table:
        sections.append(("Table cells vs prose", _group_rows(scores.by_table, "where")))
    sections.append(("Per document", _doc_rows(scores)))
    for title, rows in sections:
        out += [f"## {title}", "", _md_table(rows), ""]
    out += ["## Errors", "", _error_counts(scores) + f"; the first {SUMMARY_ERRORS} below, all "
            "of them in errors.jsonl and report.html.", "",
            _md_table(_error_rows(scores.errors[:SUMMARY_ERRORS], bold=True)), ""]
    return "\n".join(out)


# --- report.html ------------------------------------------------------------------------------

CSS = """body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em}
table{border-collapse:collapse;margin:1em 0;font-size:13px}
td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f0f0f0}mark{background:#ffe066}img{max-width:100%}
.missed{color:#a00}.spurious{color:#a60}.mislabelled{color:#06a}code{background:#f4f4f4}"""


def _html_table(rows: Rows, cell_html: dict[int, list[str]] | None = None) -> str:
    """An HTML table; columns in ``cell_html`` are already-escaped HTML, the rest text."""
    headers, body = rows
    cell_html = cell_html or {}
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    lines = []
    for r, row in enumerate(body):
        cells = [cell_html[c][r] if c in cell_html else html.escape(v) for c, v in enumerate(row)]
        lines.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(lines)}</table>"


def _img(data: str, alt: str) -> str:
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def _marked(e: ErrorItem) -> str:
    s, t = e.context_span
    c = e.context
    return html.escape(c[:s]) + "<mark>" + html.escape(c[s:t]) + "</mark>" + html.escape(c[t:])


def _error_html(errors: Sequence[ErrorItem]) -> str:
    shown = list(errors[:HTML_ERRORS])
    rows = _error_rows(shown)
    kinds = [f'<span class="{e.kind}">{e.kind}</span>' for e in shown]
    table = _html_table(rows, {0: kinds, 5: [_marked(e) for e in shown]})
    more = len(errors) - len(shown)
    return table + (f"<p>{more} more errors in errors.jsonl.</p>" if more > 0 else "")


def render_html(
    scores: Scores,
    *,
    intervals: Intervals | None = None,
    comparison: Comparison | None = None,
    names: tuple[str, str] = ("A", "B"),
    meta: Mapping[str, Any] | None = None,
) -> str:
    """``report.html``: one self-contained page with tables, plots and the error list."""
    meta = meta or {}
    h = html.escape
    body = ["<h1>Evaluation report</h1>"]
    if "command" in meta:
        body.append(f"<p>Reproduce with: <code>{h(str(meta['command']))}</code></p>")
    body.append("<ul>" + "".join(f"<li>{h(k)}: <code>{h(str(v))}</code></li>"
                                 for k, v in meta.items() if k != "command") + "</ul>")
    body += ["<h2>Corpus figures (micro-averaged)</h2>",
             _html_table(_headline_rows(scores, intervals)), _img(plot_headline(scores, intervals),
                                                                  "corpus figures")]
    if intervals:
        body += ["<h3>Bootstrap intervals</h3>", _html_table(_interval_rows(intervals))]
    if comparison is not None:
        body += ["<h2>Paired comparison</h2>", f"<p>{h(_comparison_line(comparison, names))}</p>"]
    body += ["<h2>Per type</h2><p>Strict here means span and type.</p>",
             _html_table(_type_rows(scores)), _img(plot_per_type(scores), "per type"),
             "<h2>Attribute accuracy on strictly matched spans</h2>",
             _html_table(_attribute_rows(scores))]
    for field in ("fund", "metric"):
        body += [f"<h2>Per {field}</h2>", _html_table(_label_rows(scores, field)),
                 _img(plot_per_label(scores, field), f"per {field}"),
                 _img(plot_confusion(scores.confusion[field], field), f"{field} confusion")]
    for key, groups in scores.by_meta.items():
        body += [f"<h2>Per {h(key)}</h2>", _html_table(_group_rows(groups, key))]
    if scores.by_table:
        body += ["<h2>Table cells vs prose</h2>", _html_table(_group_rows(scores.by_table,
                                                                          "where"))]
    body += ["<h2>Per document</h2>", _html_table(_doc_rows(scores)),
             f"<h2>Errors</h2><p>{h(_error_counts(scores))}</p>", _error_html(scores.errors)]
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>Evaluation report</title><style>{CSS}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")


# --- the report directory -------------------------------------------------------------------


def write_report(
    out_dir: str | Path,
    scores: Scores,
    *,
    intervals: Intervals | None = None,
    comparison: Comparison | None = None,
    names: tuple[str, str] = ("A", "B"),
    meta: Mapping[str, Any] | None = None,
) -> dict[str, Path]:
    """Write scores.json, summary.md, report.html and errors.jsonl; returns their paths."""
    out = Path(out_dir)
    extra = {"intervals": intervals, "comparison": comparison, "meta": meta}
    files = {
        "scores.json": json.dumps(scores_payload(scores, **extra), ensure_ascii=False,
                                  indent=2) + "\n",
        "summary.md": render_summary(scores, names=names, **extra),
        "report.html": render_html(scores, names=names, **extra),
        "errors.jsonl": "".join(json.dumps(e.to_dict(), ensure_ascii=False) + "\n"
                                for e in scores.errors),
    }
    paths = {}
    for name, content in files.items():
        with atomic_write(out / name) as fh:
            fh.write(content)
        (out / name).chmod(0o644)  # atomic_write's temporary file is private (0600)
        paths[name] = out / name
    return paths
