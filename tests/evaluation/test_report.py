"""The terminal table and the report directory: contents, escaping, determinism."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from nlp_pipeline.evaluation.bootstrap import bootstrap_intervals, paired_bootstrap
from nlp_pipeline.evaluation.report import format_table, write_report
from nlp_pipeline.evaluation.scoring import Scores, score
from nlp_pipeline.records import Mention

TEXTS = {
    "a": "一、基金收入\n企业养老保险基金收入100万元，增长5%。参保人数20人。利息8万元。",
    "b": "支出50万元；结余<script>30万元</script>",
}


def m(doc: str, text: str, type: str = "MONEY", value: str = "1", fund: str = "pension",
      metric: str = "income_total") -> Mention:
    start = TEXTS[doc].index(text)
    return Mention(doc_id=doc, start=start, end=start + len(text), text=text, type=type,
                   value=Decimal(value), unit="万元", fund=fund, metric=metric,
                   measure="level", basis="actual")


GOLD = [
    m("a", "100万元", value="1000000"),
    m("a", "5%", "PERCENT", "5", metric="income_total"),
    m("a", "20人", "PEOPLE", "20", metric="insured_persons"),
    m("b", "50万元", value="500000", metric="expenditure_total"),
    m("b", "30万元", value="300000", metric="balance_cumulative"),
]
PRED = [
    m("a", "100万元", value="1000000"),                          # tuple-correct
    m("a", "5%", "PERCENT", "5", fund="enterprise_pension"),     # fund wrong
    m("b", "50万元", value="500000", metric="expenditure_total"),  # tuple-correct
    m("a", "8万元", value="80000", metric="interest_income"),     # spurious
]


@pytest.fixture(scope="module")
def scores() -> Scores:
    return score(GOLD, PRED, doc_ids=["a", "b"], texts=TEXTS,
                 doc_meta={"a": {"source": "seed"}, "b": {"source": "corpus"}})


def test_terminal_table(scores: Scores) -> None:
    intervals = bootstrap_intervals(scores.per_document, n_resamples=50)
    text = format_table(scores, intervals=intervals, title="tagger t")
    # tuple: tp=2, np=4, ng=5 -> P=.5, R=.4, F1=2*.5*.4/.9=.4444
    tuple_line = next(line for line in text.splitlines() if line.startswith("tuple "))
    assert tuple_line.split()[1:4] == ["0.5000", "0.4000", "0.4444"]
    assert "[" in tuple_line                              # the interval is shown
    assert text.startswith("tagger t\n2 documents, 5 gold mentions, 4 predicted")
    assert "Per type" in text and "Per fund" in text
    assert "Errors: 2 missed, 1 spurious, 1 mislabelled" in text


def test_report_directory(tmp_path: Path, scores: Scores) -> None:
    intervals = bootstrap_intervals(scores.per_document, n_resamples=50)
    comparison = paired_bootstrap(scores.per_document, scores.per_document, n_resamples=50)
    paths = write_report(tmp_path / "r", scores, intervals=intervals, comparison=comparison,
                         names=("t", "t"), meta={"tagger": "t", "command": "nlp-pipeline x"})
    assert sorted(paths) == ["errors.jsonl", "report.html", "scores.json", "summary.md"]
    data = json.loads((tmp_path / "r" / "scores.json").read_text(encoding="utf-8"))
    for figure in ("tuple", "strict"):
        for key in ("precision", "recall", "f1"):
            assert key in data["headline"][figure]
    assert data["headline"]["tuple"]["f1"] == 0.4444
    # strict: tp=3 (100万元, 5%, 50万元), np=4, ng=5 -> P=.75, R=.6, F1=.6667
    assert data["corpus"]["strict"]["f1"] == 0.6667
    assert data["intervals"]["tuple"]["f1"]["low"] <= 0.4444
    assert data["comparison"]["p_value"] == 1.0
    assert data["meta"]["tagger"] == "t"
    assert set(data["by_meta"]["source"]) == {"seed", "corpus"}
    errors = (tmp_path / "r" / "errors.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(errors) == 4 and all(json.loads(line)["context"] for line in errors)


def test_summary_and_html(tmp_path: Path, scores: Scores) -> None:
    write_report(tmp_path, scores, meta={"command": "nlp-pipeline evaluate --gold g"})
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "nlp-pipeline evaluate --gold g" in summary
    assert "| tuple | 0.5000 | 0.4000 | 0.4444 |" in summary
    assert "## Per metric" in summary and "## Per source" in summary
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    # headline, per type, per fund, fund confusion, per metric, metric confusion
    assert page.count('src="data:image/png;base64,') == 6
    assert "<script>" not in page                       # document text is escaped
    assert "&lt;script&gt;" in page
    assert "<mark>20人</mark>" in page                  # the missed mention, marked
    assert "fund: pension → enterprise_pension" in page


def test_report_is_deterministic(tmp_path: Path, scores: Scores) -> None:
    intervals = bootstrap_intervals(scores.per_document, n_resamples=30, seed=4)
    for out in ("one", "two"):
        write_report(tmp_path / out, scores, intervals=intervals, meta={"seed": 4})
    for name in ("scores.json", "summary.md", "errors.jsonl", "report.html"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_report_with_nothing_to_score(tmp_path: Path) -> None:
    empty = score([], [], doc_ids=["a"])
    write_report(tmp_path, empty, intervals=bootstrap_intervals(empty.per_document,
                                                                n_resamples=10))
    data = json.loads((tmp_path / "scores.json").read_text(encoding="utf-8"))
    assert data["headline"]["tuple"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0,
                                         "n_pred": 0, "n_gold": 0}
    assert "Errors: 0 missed, 0 spurious, 0 mislabelled" in format_table(empty)
