"""The ``evaluate`` subcommand end to end, with the gold loader and taggers faked.

The gold loader, document builder and tagger registry are other modules; they are
replaced in ``sys.modules`` here so these tests pin down only what ``evaluate`` does.
"""

from __future__ import annotations

import argparse
import json
import sys
import types
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sklearn.base import BaseEstimator

from nlp_pipeline.errors import PipelineError
from nlp_pipeline.evaluation import command
from nlp_pipeline.records import Mention, write_jsonl


@dataclass
class GoldDoc:
    doc_id: str
    text: str
    mentions: list[Mention]
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Doc:
    doc_id: str
    text: str


def mention(doc_id: str, text: str, body: str, value: str, fund: str = "pension") -> Mention:
    start = body.index(text)
    return Mention(doc_id=doc_id, start=start, end=start + len(text), text=text, type="MONEY",
                   value=Decimal(value), unit="万元", fund=fund, metric="income_total",
                   measure="level", basis="actual")


TEXTS = {"d1": "养老保险基金收入100万元。", "d2": "养老保险基金收入200万元，其中5万元。",
         "d3": "养老保险基金收入300万元。"}
GOLD = [
    GoldDoc("d1", TEXTS["d1"], [mention("d1", "100万元", TEXTS["d1"], "1000000")],
            {"source": "seed", "genre": "fund_report"}),
    GoldDoc("d2", TEXTS["d2"], [mention("d2", "200万元", TEXTS["d2"], "2000000"),
                                mention("d2", "5万元", TEXTS["d2"], "50000")],
            {"source": "corpus", "genre": "bulletin"}),
    GoldDoc("d3", TEXTS["d3"], [mention("d3", "300万元", TEXTS["d3"], "3000000")],
            {"source": "corpus", "genre": "bulletin"}),
]


class FakeRules(BaseEstimator):
    """Finds the first 百万元-sized amount in each document, labelled like the gold."""

    name = "rules"

    def __init__(self, fund: str = "pension") -> None:
        self.fund = fund

    def predict(self, X: Sequence[Doc]) -> list[list[Mention]]:
        out = []
        for doc in X:
            text = next(t for t in ("100万元", "200万元", "300万元") if t in doc.text)
            value = str(int(text[:3]) * 10000)
            out.append([mention(doc.doc_id, text, doc.text, value, self.fund)])
        return out


class FakeLearned(BaseEstimator):
    """Memorizes its training gold; complains if asked about a document it trained on."""

    name = "learned"
    requires_fit = True

    def fit(self, X: Sequence[Doc], y: Sequence[Sequence[Mention]]) -> FakeLearned:
        self.memory_ = {m.text: m for gold in y for m in gold}
        self.trained_on_ = {doc.doc_id for doc in X}
        return self

    def predict(self, X: Sequence[Doc]) -> list[list[Mention]]:
        out = []
        for doc in X:
            assert doc.doc_id not in self.trained_on_, "scored on its own training data"
            found = [m.replace(doc_id=doc.doc_id, start=doc.text.index(t),
                               end=doc.text.index(t) + len(t))
                     for t, m in self.memory_.items() if t in doc.text]
            out.append(found)
        return out


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch) -> list[GoldDoc]:
    gold = list(GOLD)
    taggers = {"rules": FakeRules, "learned": FakeLearned}
    modules = {
        "nlp_pipeline.gold": {"load_gold": lambda gold_dir, corpus_dir=None: gold},
        "nlp_pipeline.pipeline": {"make_document": lambda text, doc_id: Doc(doc_id, text)},
        "nlp_pipeline.taggers": {"get_tagger": lambda name, **params: taggers[name](**params)},
    }
    for name, attrs in modules.items():
        module = types.ModuleType(name)
        for key, value in attrs.items():
            setattr(module, key, value)
        monkeypatch.setitem(sys.modules, name, module)
    return gold


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="nlp-pipeline")
    command.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["evaluate", "--gold", "annotated", "--quiet", *argv])
    return args.func(args)


def test_rules_tagger_direct(fakes: list[GoldDoc], tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--tagger", "rules", "--bootstrap", "100", "--report", str(tmp_path)) == 0
    out = capsys.readouterr().out
    # 3 predictions, all tuple-correct, 4 gold (5万元 missed): P = 1, R = .75, F1 = .8571
    assert "tagger rules (direct)" in out
    data = json.loads((tmp_path / "scores.json").read_text(encoding="utf-8"))
    assert data["headline"]["tuple"] == {"precision": 1.0, "recall": 0.75, "f1": 0.8571,
                                         "tp": 3, "n_pred": 3, "n_gold": 4}
    assert data["meta"]["method"] == "direct"
    assert data["meta"]["command"].startswith("nlp-pipeline evaluate --gold annotated "
                                              "--tagger rules")
    assert set(data["by_meta"]["genre"]) == {"bulletin", "fund_report"}
    assert data["intervals"]["tuple"]["f1"]["low"] <= 0.8571


def test_learned_tagger_is_cross_validated(fakes: list[GoldDoc], tmp_path: Path) -> None:
    saved = tmp_path / "pred.jsonl"
    assert run("--tagger", "learned", "--bootstrap", "0", "--report", str(tmp_path / "r"),
               "--save-pred", str(saved)) == 0
    data = json.loads((tmp_path / "r" / "scores.json").read_text(encoding="utf-8"))
    assert data["meta"]["method"] == "leave-one-document-out"
    # each held-out document only gets amounts seen in the other two: "5万元" is in d2
    # alone, and 100/200/300万元 each in one document -> nothing found: tp = 0, np = 0
    assert data["headline"]["tuple"]["n_pred"] == 0
    assert data["intervals"] == {}
    assert saved.read_text(encoding="utf-8") == ""


def test_learned_tagger_needs_two_documents(fakes: list[GoldDoc],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    del fakes[1:]
    assert run("--tagger", "learned") == 2
    assert "at least two gold documents" in capsys.readouterr().err


def test_predictions_file_and_comparison(fakes: list[GoldDoc], tmp_path: Path) -> None:
    pred = tmp_path / "pred.jsonl"
    write_jsonl(pred, [g.mentions[0].replace(tagger="mine") for g in fakes]
                + [mention("zz", "1万元", "1万元", "10000").replace(tagger="mine")])
    assert run("--pred", str(pred), "--compare-tagger", "rules", "--bootstrap", "50",
               "--report", str(tmp_path / "r")) == 0
    data = json.loads((tmp_path / "r" / "scores.json").read_text(encoding="utf-8"))
    assert data["meta"]["tagger"] == "mine"
    assert data["meta"]["compared_with"] == "rules"
    assert data["ignored_predictions"] == 1              # doc "zz" is not a gold document
    # both taggers predict the same three correct mentions: difference 0, p = 1
    assert data["comparison"]["difference"] == 0.0
    assert data["comparison"]["p_value"] == 1.0


def test_bad_predictions_file_names_file_and_line(fakes: list[GoldDoc], tmp_path: Path) -> None:
    pred = tmp_path / "bad.jsonl"
    pred.write_text('{"doc_id": "d1"}\n', encoding="utf-8")
    with pytest.raises(PipelineError) as info:
        run("--pred", str(pred))
    assert info.value.line == 1 and info.value.path == str(pred)


def test_parse_params() -> None:
    assert command.parse_params(["a=3", "b=x", "c=true", "d=a=b"]) == {
        "a": 3, "b": "x", "c": True, "d": "a=b"}
    with pytest.raises(command.UsageError):
        command.parse_params(["novalue"])


def test_bad_param_is_a_usage_error(fakes: list[GoldDoc],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--tagger", "rules", "--param", "oops") == 2
    assert "KEY=VALUE" in capsys.readouterr().err


def test_param_without_tagger_is_a_usage_error(fakes: list[GoldDoc]) -> None:
    assert run("--pred", "x.jsonl", "--param", "a=1") == 2


def test_parser_rejects_two_sources_and_bad_numbers() -> None:
    for argv in (["--tagger", "rules", "--pred", "x.jsonl"], ["--tagger", "rules",
                                                             "--bootstrap", "-1"],
                 ["--tagger", "rules", "--confidence", "1.5"]):
        with pytest.raises(SystemExit):
            run(*argv)
