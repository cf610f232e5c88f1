"""The review page, read back with the standard library's HTML parser."""

from __future__ import annotations

import argparse
from html.parser import HTMLParser
from pathlib import Path

from nlp_pipeline.formats import show
from nlp_pipeline.formats.labels import TYPE_COLORS
from nlp_pipeline.records import write_jsonl


class Marks(HTMLParser):
    """Collects each ``<mark>``: its classes, tooltip, style, text and table column."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[dict] = []
        self.column = 0
        self._open: dict | None = None
        self._in_tag = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "tr":
            self.column = 0
        elif tag == "td":
            self.column += 1
        elif tag == "mark" and "entity" in (a.get("class") or ""):
            self._open = {"class": a["class"].split(), "title": a.get("title", ""),
                          "style": a.get("style", ""), "text": "", "column": self.column}
        elif tag == "span" and self._open is not None:
            self._in_tag = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self._open is not None:
            self._open["text"] = self._open["text"].strip()
            self.marks.append(self._open)
            self._open = None
        elif tag == "span":
            self._in_tag = False

    def handle_data(self, data: str) -> None:
        if self._open is not None and not self._in_tag:
            self._open["text"] += data


def parse(page: str) -> list[dict]:
    parser = Marks()
    parser.feed(page)
    return [m for m in parser.marks if m["column"] > 0]  # not the legend


def test_every_prediction_is_highlighted_with_its_labels(tagged) -> None:
    doc, mentions = tagged[1]
    marks = parse(show.render_page(doc, mentions))
    assert [m["text"] for m in marks] == [" ".join(x.text.split()) for x in mentions]
    for mark, m in zip(marks, mentions, strict=True):
        assert TYPE_COLORS[m.type] in mark["style"]
        for label in (m.fund, m.metric, m.measure, m.basis):
            assert f": {label}" in mark["title"]
        assert m.to_dict()["value"] in mark["title"]


def test_gold_and_predictions_side_by_side_with_differences(tagged, gold) -> None:
    doc, _ = tagged[0]
    truth = gold[doc.doc_id]
    missed, relabelled = truth[1], truth[2]
    wrong = relabelled.replace(basis="prior" if relabelled.basis != "prior" else "actual")
    start = truth[0].start - 2
    spurious = truth[0].replace(start=start, end=start + 1, text=doc.text[start:start + 1])
    pred = sorted([spurious, wrong, *(m for m in truth if m not in (missed, relabelled))],
                  key=lambda m: m.span)
    page = show.render_page(doc, pred, truth)
    marks = parse(page)
    gold_side = [m for m in marks if m["column"] == 2]
    pred_side = [m for m in marks if m["column"] == 3]
    assert len(gold_side) == len(truth) and len(pred_side) == len(pred)
    status = {(m["column"], m["text"]): (m["class"] + [""])[1] for m in marks}
    assert status[(2, missed.text)] == "missed"
    assert status[(3, spurious.text)] == "spurious"
    assert status[(2, relabelled.text)] == status[(3, relabelled.text)] == "mislabelled"
    flagged = [m for m in marks if len(m["class"]) > 1 and m["class"][1] != "correct"]
    assert len(flagged) == 4  # missed + spurious + the mislabelled pair
    assert "missed: 1" in page and "spurious: 1" in page and "mislabelled: 1" in page


def test_show_command_writes_the_page(tagged, gold, tmp_path: Path) -> None:
    doc, mentions = tagged[0]
    pred = tmp_path / "pred.jsonl"
    write_jsonl(pred, mentions)
    gold_file = tmp_path / "gold.jsonl"
    write_jsonl(gold_file, gold[doc.doc_id])
    parser = argparse.ArgumentParser()
    show.add_parser(parser.add_subparsers())
    out = tmp_path / "page.html"
    args = parser.parse_args(["show", doc.path, "-o", str(out), "--pred", str(pred),
                              "--gold", str(gold_file)])
    assert args.func(args) == 0
    marks = parse(out.read_text(encoding="utf-8"))
    assert len(marks) == len(mentions) + len(gold[doc.doc_id])
