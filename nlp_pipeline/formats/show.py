"""``nlp-pipeline show``: an HTML page of a report with every mention highlighted.

displaCy (``style="ent"``, ``manual=True``) draws the highlights: colour by type,
the span label reads ``fund · metric · measure · basis`` (and the qualifier), and the
tooltip gives the value, unit and every label. With ``--gold`` the page has one row
per paragraph, gold on the left and predictions on the right, and marks each
difference: *missed* (gold span not predicted), *spurious* (predicted span not in
gold) and *mislabelled* (same span, some label or the value differs, named in the
label). A summary at the top counts them and links to each row that has one.
"""

from __future__ import annotations

import argparse
import html
import os
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..document import Document
from ..records import Mention, format_decimal, read_jsonl
from ..writing import atomic_write
from .base import permissions
from .labels import LABEL_FIELDS, TYPE_COLORS, color

#: Fields compared between a gold and a predicted mention with the same span.
COMPARED = ("type", "value", "fund", "metric", "measure", "basis", "qualifier")
STATUSES = ("correct", "mislabelled", "missed", "spurious")
#: displaCy's ent template with two extra per-span parameters: a CSS class and a tooltip.
TEMPLATE = ('<mark class="entity {cls}" title="{tip}" style="background: {bg}">{text}'
            '<span class="tag">{label}</span></mark>')
CSS = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2rem; }
table { border-collapse: collapse; width: 100%; }
td, th { vertical-align: top; padding: .35rem .6rem; border-bottom: 1px solid #e5e7eb; }
td.n { color: #9ca3af; font-size: .8em; white-space: nowrap; }
tr.differs td.n { color: #b91c1c; font-weight: bold; }
.entities { line-height: 2.3; }
mark.entity { padding: .15em .3em; margin: 0 .1em; border-radius: .3em; }
mark .tag { font-size: .62em; font-weight: bold; margin-left: .35em; color: #374151; }
mark.missed { outline: 2px dashed #dc2626; }
mark.spurious { outline: 2px dashed #ea580c; }
mark.mislabelled { outline: 2px solid #7c3aed; }
.legend mark { background: #fff; }
.legend span { display: inline-block; margin-right: 1rem; padding: .1em .4em; border-radius: .3em; }
.summary li { margin: .15rem 0; }
"""


@dataclass(frozen=True)
class Marked:
    """A mention to draw, its comparison status and, if any, its counterpart."""

    mention: Mention
    status: str = ""
    other: Mention | None = None
    differs: tuple[str, ...] = ()


def _differences(a: Mention, b: Mention) -> tuple[str, ...]:
    return tuple(f for f in COMPARED if getattr(a, f) != getattr(b, f))


def compare(gold: list[Mention], pred: list[Mention]) -> tuple[list[Marked], list[Marked]]:
    """Gold and predictions matched by exact span (§4 strict), each marked with its status."""
    by_span = {m.span: m for m in gold}
    pred_spans = {m.span: m for m in pred}
    gold_marked = []
    for g in gold:
        p = pred_spans.get(g.span)
        diff = _differences(g, p) if p else ()
        status = "missed" if p is None else ("mislabelled" if diff else "correct")
        gold_marked.append(Marked(g, status, p or _overlapping(g, pred), diff))
    pred_marked = []
    for p in pred:
        g = by_span.get(p.span)
        diff = _differences(g, p) if g else ()
        status = "spurious" if g is None else ("mislabelled" if diff else "correct")
        pred_marked.append(Marked(p, status, g or _overlapping(p, gold), diff))
    return gold_marked, pred_marked


def _overlapping(m: Mention, others: Iterable[Mention]) -> Mention | None:
    return next((o for o in others if o.start < m.end and m.start < o.end), None)


def _label(item: Marked) -> str:
    """The span label (plain text): the four labels, the qualifier, and the status."""
    m = item.mention
    text = " · ".join(getattr(m, f) for f in LABEL_FIELDS)
    text += f" {m.qualifier}" if m.qualifier else ""
    if item.status in ("missed", "spurious"):
        text = f"✗ {item.status} · {text}"
    elif item.status == "mislabelled":
        text = f"{text} ≠ {', '.join(item.differs)}"
    return text


def _tooltip(item: Marked) -> str:
    m = item.mention
    lines = [f"{m.type} {format_decimal(m.value)} (unit {m.unit}), offsets {m.start}–{m.end}"]
    lines += [f"{f}: {getattr(m, f) or '—'}" for f in (*LABEL_FIELDS, "qualifier")]
    if m.tagger:
        lines.append(f"tagger: {m.tagger}")
    if item.status:
        lines.append(f"status: {item.status}")
    o = item.other
    if o is not None and item.status == "mislabelled":
        lines += [f"other side {f}: {format_decimal(o.value) if f == 'value' else getattr(o, f)}"
                  for f in item.differs]
    elif o is not None:
        lines.append(f"overlaps {o.text!r} ({o.start}–{o.end}) on the other side")
    return html.escape("\n".join(lines), quote=True)


def drawable(items: list[Marked]) -> tuple[list[Marked], list[Marked]]:
    """Non-overlapping mentions in order (displaCy's ent style needs that), and the rest."""
    kept: list[Marked] = []
    dropped: list[Marked] = []
    for item in sorted(items, key=lambda i: i.mention.span):
        if kept and item.mention.start < kept[-1].mention.end:
            dropped.append(item)
        else:
            kept.append(item)
    return kept, dropped


def render_text(text: str, offset: int, items: list[Marked]) -> str:
    """displaCy markup of ``text`` (which starts at ``offset`` of the report)."""
    from spacy import displacy

    ents = [{"start": i.mention.start - offset, "end": i.mention.end - offset,
             "label": html.escape(_label(i)),
             "params": {"bg": color(i.mention.type), "cls": i.status, "tip": _tooltip(i)}}
            for i in items]
    return displacy.render({"text": text, "ents": ents, "title": None}, style="ent",
                           manual=True, jupyter=False, options={"template": TEMPLATE})


def paragraphs(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Line spans of ``text``, joining lines where a mention crosses a line break."""
    inside = set()
    for start, end in spans:
        inside.update(range(start, end))
    cuts = [i for i, ch in enumerate(text) if ch == "\n" and i not in inside]
    bounds = zip([0] + [c + 1 for c in cuts], [*cuts, len(text)], strict=True)
    return [(a, b) for a, b in bounds if text[a:b].strip()]


def _within(items: list[Marked], start: int, end: int) -> list[Marked]:
    return [i for i in items if start <= i.mention.start and i.mention.end <= end]


def _legend() -> str:
    types = "".join(f'<span style="background:{c}">{html.escape(k)}</span>'
                    for k, c in TYPE_COLORS.items())
    marks = ('<mark class="entity missed">missed</mark> <mark class="entity spurious">'
             'spurious</mark> <mark class="entity mislabelled">mislabelled</mark>')
    return f'<p class="legend">{types} — label: fund · metric · measure · basis</p>' \
           f'<p class="legend">{marks}</p>'


def _change(item: Marked) -> str:
    """What differs, gold → predicted (the item is the gold side of a mislabelled pair)."""
    g, p = item.mention, item.other
    assert p is not None
    shown = {f: (format_decimal(getattr(g, f)), format_decimal(getattr(p, f))) if f == "value"
             else (getattr(g, f) or "—", getattr(p, f) or "—") for f in item.differs}
    return "; ".join(f"{f}: {a} → {b}" for f, (a, b) in shown.items())


def _summary(gold: list[Marked], pred: list[Marked], rows: dict[int, int]) -> str:
    """Counts by status, and a linked list of every difference."""
    counts = Counter(i.status for i in gold)
    counts.update(i.status for i in pred if i.status == "spurious")
    head = " · ".join(f"{s}: {counts[s]}" for s in STATUSES)
    items = [i for i in gold if i.status in ("missed", "mislabelled")]
    items += [i for i in pred if i.status == "spurious"]
    lines = []
    for item in sorted(items, key=lambda i: i.mention.span):
        row, m = rows.get(item.mention.start, 0), item.mention
        what = _change(item) if item.status == "mislabelled" else _label(Marked(m))
        lines.append(f'<li><a href="#p{row}">¶{row}</a> {item.status}: '
                     f"{html.escape(m.text)} — {html.escape(what)}</li>")
    return (f"<p>gold {len(gold)} · predicted {len(pred)} · {head} "
            f"(mislabelled: gold → predicted)</p>"
            f'<ul class="summary">{"".join(lines)}</ul>')


def _rows(text: str, sides: list[list[Marked]], every: list[Marked]) -> tuple[str, dict]:
    """One table row per paragraph with a cell per side; and the row of each mention start."""
    rows, row_of = [], {}
    for n, (start, end) in enumerate(paragraphs(text, [i.mention.span for i in every]), 1):
        cells = "".join(f"<td>{render_text(text[start:end], start, _within(side, start, end))}"
                        "</td>" for side in sides)
        here = _within(every, start, end)
        row_of.update({i.mention.start: n for i in here})
        differs = any(i.status in ("missed", "spurious", "mislabelled") for i in here)
        rows.append(f'<tr id="p{n}" class="{"differs" if differs else ""}">'
                    f'<td class="n">¶{n}</td>{cells}</tr>')
    return "".join(rows), row_of


def render_page(doc: Document, pred: list[Mention], gold: list[Mention] | None = None,
                title: str = "") -> str:
    """The whole HTML page; with ``gold``, a side-by-side comparison."""
    if gold is None:
        gold_marked, pred_marked = [], [Marked(m) for m in pred]
    else:
        gold_marked, pred_marked = compare(gold, pred)
    (gold_drawn, gold_left), (pred_drawn, pred_left) = drawable(gold_marked), drawable(pred_marked)
    sides = [pred_drawn] if gold is None else [gold_drawn, pred_drawn]
    rows, row_of = _rows(doc.text, sides, gold_marked + pred_marked)
    names = [""] if gold is None else ["gold", "predicted"]
    heads = "".join(f"<th>{h}</th>" for h in ["", *names])
    parts = [f"<h1>{html.escape(doc.doc_id)}</h1>", f"<p>{html.escape(title)}</p>", _legend()]
    if gold is not None:
        parts.append(_summary(gold_marked, pred_marked, row_of))
    if left := gold_left + pred_left:
        parts.append(f"<p>not drawn (overlap another mention): "
                     f"{html.escape(', '.join(i.mention.text for i in left))}</p>")
    parts.append(f"<table><tr>{heads}</tr>{rows}</table>")
    return (f'<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
            f"<title>{html.escape(doc.doc_id)}</title><style>{CSS}</style></head>"
            f"<body>{''.join(parts)}</body></html>\n")


def read_gold(path: str | Path, doc_id: str) -> list[Mention]:
    """The gold records of ``doc_id`` from a JSONL file or every JSONL file below a directory."""
    path = Path(path)
    files = sorted(path.rglob("*.jsonl")) if path.is_dir() else [path]
    return [m for f in files for m in read_jsonl(f, check_ids=False) if m.doc_id == doc_id]


def write_page(path: str | Path, page: str) -> None:
    with atomic_write(path) as fh:
        fh.write(page)
        os.fchmod(fh.fileno(), permissions(0o666))


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``show`` on the ``nlp-pipeline`` subcommands."""
    p = subparsers.add_parser("show", help="write an HTML page of a report with its mentions")
    p.add_argument("file", help="a report (.txt)")
    p.add_argument("-o", "--output", help="HTML file to write (default: DOC_ID.html here)")
    p.add_argument("--gold", help="gold records (JSONL file or directory) to compare with")
    p.add_argument("--tagger", default="rules", help="tagger whose predictions are shown")
    p.add_argument("--pred", help="show these predictions (JSONL) instead of running a tagger")
    p.set_defaults(func=run)
    return p


def _predictions(args: argparse.Namespace, doc: Document) -> tuple[list[Mention], str]:
    if args.pred:
        found = [m for m in read_jsonl(args.pred, check_ids=False) if m.doc_id == doc.doc_id]
        return found, f"predictions from {args.pred}"
    from ..taggers import get_tagger

    return get_tagger(args.tagger).predict([doc])[0], f"tagger {args.tagger}"


def _stale(doc: Document, mentions: Sequence[Mention]) -> int:
    """How many records do not match the text (offsets for another version of it)."""
    return sum(doc.text[m.start:m.end] != m.text for m in mentions)


def run(args: argparse.Namespace) -> int:
    from ..pipeline import load_document

    doc = load_document(args.file)
    pred, title = _predictions(args, doc)
    gold = read_gold(args.gold, doc.doc_id) if args.gold else None
    if gold is not None:
        title += f" vs gold from {args.gold}"
        if not gold:
            print(f"warning: no gold records for {doc.doc_id!r} in {args.gold}", file=sys.stderr)
    for name, records in (("gold", gold or []), ("predicted", pred)):
        if stale := _stale(doc, records):
            print(f"warning: {stale} {name} records do not match the text of {args.file}",
                  file=sys.stderr)
    output = args.output or f"{doc.doc_id}.html"
    write_page(output, render_page(doc, pred, gold, title))
    print(f"wrote {output}", file=sys.stderr)
    return 0
