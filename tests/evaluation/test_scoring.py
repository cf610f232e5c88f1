"""The scorer on small hand-made gold/prediction pairs; every figure is worked out by hand.

Notation in the comments: tp = correct, np = predicted, ng = gold;
P = tp/np, R = tp/ng, F1 = 2PR/(P+R).
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from nlp_pipeline.evaluation.scoring import Counts, score, sentence_around
from nlp_pipeline.records import Mention, parse_record


def m(doc: str, start: int, end: int, type: str = "MONEY", value: str = "1", *,
      fund: str = "all", metric: str = "income_total", measure: str = "level",
      basis: str = "actual", qualifier: str = "", **extra: object) -> Mention:
    """A mention with default labels; only what a test varies needs spelling out."""
    return Mention(doc_id=doc, start=start, end=end, text="x" * (end - start), type=type,
                   value=Decimal(value), unit="元", fund=fund, metric=metric, measure=measure,
                   basis=basis, qualifier=qualifier, extra=dict(extra))


def prf(c: Counts) -> tuple[float, float, float]:
    return (round(c.precision, 4), round(c.recall, 4), round(c.f1, 4))


# --- the main worked example ---------------------------------------------------------------

GOLD = [
    m("d", 0, 5, value="100"),                      # G1: predicted exactly (P1)
    m("d", 10, 14, "PERCENT", "22"),                # G2: same span, wrong fund (P2)
    m("d", 20, 26, "PEOPLE", "300"),                # G3: predicted with a short span (P3)
    m("d", 30, 35, value="7"),                      # G4: missed
]
PRED = [
    m("d", 0, 5, value="100"),                      # P1: tuple-correct
    m("d", 10, 14, "PERCENT", "22", fund="pension"),  # P2: strict match, fund wrong
    m("d", 20, 24, "PEOPLE", "300"),                # P3: overlaps G3 by 4 -> lenient only
    m("d", 40, 45, value="9"),                      # P4: spurious
]


def test_worked_example_corpus_figures() -> None:
    s = score(GOLD, PRED)
    # strict: G1-P1, G2-P2 -> tp=2, np=4, ng=4 -> P=R=F1=0.5
    assert s.corpus["strict"] == Counts(2, 4, 4)
    assert prf(s.corpus["strict"]) == (0.5, 0.5, 0.5)
    # strict_typed: both strict pairs agree on type -> same as strict
    assert s.corpus["strict_typed"] == Counts(2, 4, 4)
    # lenient: G1-P1, G2-P2, G3-P3 (same type, overlap 4) -> tp=3 -> P=R=F1=0.75
    assert prf(s.corpus["lenient"]) == (0.75, 0.75, 0.75)
    # tuple: only G1-P1 (P2 has the wrong fund) -> tp=1 -> P=R=F1=0.25
    assert s.corpus["tuple"] == Counts(1, 4, 4)
    assert prf(s.corpus["tuple"]) == (0.25, 0.25, 0.25)


def test_worked_example_attributes() -> None:
    s = score(GOLD, PRED)
    # two strict pairs; fund agrees in 1 of 2 -> 0.5; everything else in 2 of 2 -> 1.0
    assert (s.attributes["fund"].correct, s.attributes["fund"].total) == (1, 2)
    assert s.attributes["fund"].accuracy == 0.5
    for name in ("type", "value", "metric", "measure", "basis", "qualifier"):
        assert s.attributes[name].accuracy == 1.0


def test_worked_example_per_type() -> None:
    s = score(GOLD, PRED)
    # MONEY: gold G1,G4 (ng=2), pred P1,P4 (np=2), strict tp=1 (G1-P1) -> 0.5/0.5/0.5
    assert s.by_type["MONEY"]["strict"] == Counts(1, 2, 2)
    # PEOPLE: ng=1, np=1, strict tp=0 (spans differ), lenient tp=1 -> lenient 1.0
    assert s.by_type["PEOPLE"]["strict"] == Counts(0, 1, 1)
    assert s.by_type["PEOPLE"]["lenient"] == Counts(1, 1, 1)
    # PERCENT: strict tp=1, tuple tp=0 (fund wrong)
    assert s.by_type["PERCENT"]["strict"] == Counts(1, 1, 1)
    assert s.by_type["PERCENT"]["tuple"] == Counts(0, 1, 1)
    # per-type strict counts add up to strict_typed: 1 + 0 + 1 = 2
    assert sum(t["strict"].tp for t in s.by_type.values()) == s.corpus["strict_typed"].tp


def test_worked_example_errors() -> None:
    s = score(GOLD, PRED)
    kinds = [(e.kind, e.start) for e in s.errors]
    # missed: G3 (boundary) and G4; spurious: P3 (boundary) and P4; mislabelled: G2/P2;
    # listed in text order
    assert kinds == [("mislabelled", 10), ("missed", 20), ("spurious", 20),
                     ("missed", 30), ("spurious", 40)]
    mislabelled = next(e for e in s.errors if e.kind == "mislabelled")
    assert mislabelled.fields == ("fund",)
    boundary = next(e for e in s.errors if e.kind == "missed" and e.start == 20)
    assert "overlaps pred 20:24" in boundary.note


# --- empty denominators ---------------------------------------------------------------------


def test_no_predictions() -> None:
    s = score([m("d", 0, 5), m("d", 6, 9)], [])
    # tp=0, np=0, ng=2: P = 0/0 -> 0.0 by convention, R = 0/2 = 0, F1 = 0
    for figure in ("tuple", "strict", "strict_typed", "lenient"):
        assert s.corpus[figure] == Counts(0, 0, 2)
        assert prf(s.corpus[figure]) == (0.0, 0.0, 0.0)
    # no strict pairs: accuracy 0/0 -> 0.0, with total 0 to show it is empty
    assert (s.attributes["type"].accuracy, s.attributes["type"].total) == (0.0, 0)
    assert [e.kind for e in s.errors] == ["missed", "missed"]


def test_no_gold() -> None:
    s = score([], [m("d", 0, 5)])
    # tp=0, np=1, ng=0: P = 0/1 = 0, R = 0/0 -> 0.0, F1 = 0
    assert s.corpus["tuple"] == Counts(0, 1, 0)
    assert prf(s.corpus["tuple"]) == (0.0, 0.0, 0.0)
    assert [e.kind for e in s.errors] == ["spurious"]


def test_nothing_at_all() -> None:
    s = score([], [], doc_ids=["d"])
    # one document, 0/0 everywhere -> 0.0 with zero counts; the document is still listed
    assert s.corpus["tuple"] == Counts(0, 0, 0)
    assert prf(s.corpus["tuple"]) == (0.0, 0.0, 0.0)
    assert list(s.per_document) == ["d"]
    assert s.errors == []


# --- duplicates, overlaps, equal values -----------------------------------------------------


def test_duplicate_prediction_counts_once() -> None:
    s = score([m("d", 0, 5)], [m("d", 0, 5), m("d", 0, 5)])
    # first duplicate matches, second is a false positive: tp=1, np=2, ng=1
    # P = 1/2 = 0.5, R = 1/1 = 1.0, F1 = 2*0.5*1/(1.5) = 0.6667
    assert s.corpus["strict"] == Counts(1, 2, 1)
    assert prf(s.corpus["tuple"]) == (0.5, 1.0, 0.6667)
    # lenient is one-to-one too: the second copy cannot match the same gold
    assert s.corpus["lenient"] == Counts(1, 2, 1)
    assert [e.kind for e in s.errors] == ["spurious"]


def test_duplicate_first_copy_is_the_candidate() -> None:
    gold = [m("d", 0, 5, fund="pension")]
    pred = [m("d", 0, 5, fund="all"), m("d", 0, 5, fund="pension")]
    s = score(gold, pred)
    # the first copy (wrong fund) is paired; the right second copy is a false positive,
    # so tuple tp=0, np=2, ng=1 -> P=R=F1=0; strict still tp=1
    assert s.corpus["tuple"] == Counts(0, 2, 1)
    assert s.corpus["strict"] == Counts(1, 2, 1)


def test_lenient_one_prediction_cannot_match_two_gold() -> None:
    gold = [m("d", 0, 6), m("d", 6, 10)]
    pred = [m("d", 2, 9)]
    s = score(gold, pred)
    # pred 2:9 overlaps gold 0:6 by 4 (2..6) and gold 6:10 by 3 (6..9): it takes 0:6 only
    # lenient tp=1, np=1, ng=2 -> P = 1.0, R = 0.5, F1 = 2*1*0.5/1.5 = 0.6667
    assert s.corpus["lenient"] == Counts(1, 1, 2)
    assert prf(s.corpus["lenient"]) == (1.0, 0.5, 0.6667)
    assert s.corpus["strict"] == Counts(0, 1, 2)


def test_lenient_greedy_by_largest_overlap() -> None:
    gold = [m("d", 0, 10)]
    pred = [m("d", 0, 4), m("d", 3, 10)]
    s = score(gold, pred)
    # overlaps 4 and 7: the 3:10 prediction wins; tp=1, np=2, ng=1 -> P=0.5, R=1
    assert s.corpus["lenient"] == Counts(1, 2, 1)
    spurious = [e.start for e in s.errors if e.kind == "spurious"]
    assert spurious == [0, 3]  # both are strict false positives


def test_lenient_needs_same_type() -> None:
    s = score([m("d", 0, 5, "MONEY")], [m("d", 0, 4, "PEOPLE")])
    # overlapping but of different types: no lenient match; tp=0, np=1, ng=1
    assert s.corpus["lenient"] == Counts(0, 1, 1)


def test_overlapping_gold_spans_match_one_to_one() -> None:
    # a range "10-20万元" is two gold mentions; one prediction spanning both overlaps
    # each of them: strict 0 (no span equal), lenient 1 (the larger overlap wins)
    gold = [m("d", 0, 2, value="10"), m("d", 3, 7, value="20")]
    pred = [m("d", 0, 7, value="10")]
    s = score(gold, pred)
    # overlaps: 0:2 -> 2, 3:7 -> 4; the 3:7 gold is matched; tp=1, np=1, ng=2
    assert s.corpus["strict"] == Counts(0, 1, 2)
    assert s.corpus["lenient"] == Counts(1, 1, 2)


def test_equal_values_written_differently() -> None:
    # 1.50 and 1.5 are the same number; so are 33471880000 and 3.347188E10
    gold = [m("d", 0, 4, value="1.50"), m("d", 5, 9, value="33471880000")]
    pred = [m("d", 0, 4, value="1.5"), m("d", 5, 9, value="3.347188E10")]
    s = score(gold, pred)
    # both pairs tuple-correct: tp=2, np=2, ng=2 -> 1.0
    assert s.corpus["tuple"] == Counts(2, 2, 2)
    assert s.attributes["value"].accuracy == 1.0


def test_equal_values_from_records() -> None:
    base = {"doc_id": "d", "start": 0, "end": 4, "text": "1.5%", "type": "PERCENT",
            "unit": "%", "fund": "all", "metric": "other", "measure": "growth",
            "basis": "actual", "qualifier": ""}
    gold = parse_record(dict(base, value="1.50"))
    pred = parse_record(dict(base, value="1.5", tagger="rules", confidence=0.9))
    assert score([gold], [pred]).corpus["tuple"] == Counts(1, 1, 1)


def test_different_values_are_wrong() -> None:
    s = score([m("d", 0, 4, value="1.5")], [m("d", 0, 4, value="1.05")])
    assert s.corpus["tuple"] == Counts(0, 1, 1)
    assert s.errors[0].fields == ("value",)


def test_qualifier_not_in_tuple() -> None:
    s = score([m("d", 0, 3, qualifier=">=")], [m("d", 0, 3, qualifier="")])
    # tuple ignores the qualifier: tp=1; qualifier accuracy 0/1
    assert s.corpus["tuple"] == Counts(1, 1, 1)
    assert s.attributes["qualifier"].accuracy == 0.0
    (error,) = s.errors
    assert (error.kind, error.fields, error.note) == ("mislabelled", ("qualifier",),
                                                      "tuple correct")


def test_type_mislabel_counts_per_type() -> None:
    s = score([m("d", 0, 3, "PERCENT")], [m("d", 0, 3, "MONEY")])
    # span found (strict tp=1) but the type is wrong: strict_typed tp=0
    assert s.corpus["strict"] == Counts(1, 1, 1)
    assert s.corpus["strict_typed"] == Counts(0, 1, 1)
    # PERCENT: missed (ng=1, np=0); MONEY: false alarm (ng=0, np=1)
    assert s.by_type["PERCENT"]["strict"] == Counts(0, 0, 1)
    assert s.by_type["MONEY"]["strict"] == Counts(0, 1, 0)


# --- documents, breakdowns, confusion -------------------------------------------------------


def test_micro_average_over_documents() -> None:
    gold = [m("a", 0, 1), m("b", 0, 1), m("b", 2, 3), m("b", 4, 5)]
    pred = [m("a", 0, 1), m("b", 0, 1)]
    s = score(gold, pred)
    # a: tp=1, np=1, ng=1 -> F1 = 1.0
    # b: tp=1, np=1, ng=3 -> P=1, R=1/3, F1 = 2*(1/3)/(4/3) = 0.5
    assert prf(s.per_document["a"]["tuple"]) == (1.0, 1.0, 1.0)
    assert prf(s.per_document["b"]["tuple"]) == (1.0, 0.3333, 0.5)
    # corpus sums counts: tp=2, np=2, ng=4 -> P=1, R=0.5, F1 = 0.6667 (not mean(1, .5)=.75)
    assert prf(s.corpus["tuple"]) == (1.0, 0.5, 0.6667)


def test_doc_ids_fix_the_scored_documents() -> None:
    gold = [m("a", 0, 1)]
    pred = [m("a", 0, 1), m("zz", 0, 1), m("b", 0, 1)]
    s = score(gold, pred, doc_ids=["a", "b"])
    # "zz" is not a scored document: ignored. "b" has no gold: its prediction is a FP.
    # tp=1, np=2, ng=1 -> P = 0.5, R = 1
    assert s.ignored_predictions == 1
    assert s.corpus["tuple"] == Counts(1, 2, 1)
    assert sorted(s.per_document) == ["a", "b"]
    with pytest.raises(ValueError, match="not being scored"):
        score(gold, pred, doc_ids=["b"])


def test_breakdown_by_fund_and_confusion() -> None:
    gold = [m("d", 0, 1, fund="pension"), m("d", 2, 3, fund="pension"),
            m("d", 4, 5, fund="medical"), m("d", 6, 7, fund="medical")]
    pred = [m("d", 0, 1, fund="pension"), m("d", 2, 3, fund="medical"),
            m("d", 4, 5, fund="medical")]
    s = score(gold, pred)
    pension, medical = s.breakdowns["fund"]["pension"], s.breakdowns["fund"]["medical"]
    # pension: gold 2, predicted 1, tuple-correct 1 -> P=1, R=0.5
    assert pension["tuple"] == Counts(1, 1, 2)
    # medical: gold 2, predicted 2, tuple-correct 1 (4:5) -> P=0.5, R=0.5
    assert medical["tuple"] == Counts(1, 2, 2)
    # label scores on the 3 strict pairs: gold pension x2 (one predicted medical),
    # gold medical x1 -> pension tp=1, np=1, ng=2; medical tp=1, np=2, ng=1
    assert pension["label"] == Counts(1, 1, 2)
    assert medical["label"] == Counts(1, 2, 1)
    # confusion rows gold, columns predicted; both labels seen 3 times -> alphabetical
    conf = s.confusion["fund"]
    assert conf.labels == ("medical", "pension")
    assert conf.matrix == ((1, 0), (1, 1))


def test_meta_breakdown() -> None:
    gold = [m("a", 0, 1), m("b", 0, 1), m("c", 0, 1)]
    pred = [m("a", 0, 1), m("c", 0, 1)]
    meta = {"a": {"source": "seed", "genre": "fund_report"},
            "b": {"source": "corpus", "genre": "bulletin"},
            "c": {"source": "corpus", "genre": "bulletin"}}
    s = score(gold, pred, doc_meta=meta)
    # corpus docs b, c: tp=1, np=1, ng=2
    assert s.by_meta["source"]["corpus"]["tuple"] == Counts(1, 1, 2)
    assert s.by_meta["source"]["seed"]["tuple"] == Counts(1, 1, 1)
    assert set(s.by_meta["genre"]) == {"bulletin", "fund_report"}


def test_table_breakdown() -> None:
    gold = [m("d", 0, 3, in_table=True), m("d", 5, 8), m("d", 10, 12, in_table=True)]
    pred = [m("d", 0, 3), m("d", 10, 11), m("d", 20, 22)]
    s = score(gold, pred)
    # table: gold 0:3, 10:12; preds 0:3 (matched), 10:11 (overlaps a table cell) -> np=2
    # prose: gold 5:8; preds 20:22 (no overlap -> prose) -> np=1, tp=0
    assert s.by_table["table"]["strict"] == Counts(1, 2, 2)
    assert s.by_table["prose"]["strict"] == Counts(0, 1, 1)
    assert score([m("d", 0, 1)], []).by_table == {}


# --- error contexts ---------------------------------------------------------------------------


TEXT = "标题\n基金收入100万元，增长5%。支出50万元；结余 50 万元\n其中：利息1万元"


def test_sentence_around() -> None:
    start = TEXT.index("100万元")
    context, s, e = sentence_around(TEXT, start, start + 5)
    assert context == "基金收入100万元，增长5%。"
    assert context[s:e] == "100万元"
    start = TEXT.index("50 万元")
    context, s, e = sentence_around(TEXT, start, start + 5)
    assert context == "结余 50 万元"
    assert context[s:e] == "50 万元"


def test_sentence_around_ascii_and_limit() -> None:
    text = "a;收入1元!b"
    assert sentence_around(text, 2, 5)[0] == "收入1元!"
    long = "数" * 500 + "1元" + "数" * 500
    context, s, e = sentence_around(long, 500, 502, limit=10)
    assert len(context) == 22 and context[s:e] == "1元"


def test_errors_carry_sentences() -> None:
    start = TEXT.index("1万元")
    gold = [m("d", start, start + 3)]
    s = score(gold, [], texts={"d": TEXT})
    (error,) = s.errors
    assert error.context == "其中：利息1万元"
    assert error.context[slice(*error.context_span)] == "1万元"


def test_to_dict_rounds_and_serializes() -> None:
    s = score([m("d", 0, 1), m("d", 2, 3), m("d", 4, 5)], [m("d", 0, 1)])
    data = json.loads(json.dumps(s.to_dict()))
    # tp=1, np=1, ng=3 -> R = 0.3333, F1 = 2*1*(1/3)/(4/3) = 0.5
    assert data["corpus"]["tuple"] == {"precision": 1.0, "recall": 0.3333, "f1": 0.5,
                                       "tp": 1, "n_pred": 1, "n_gold": 3}
    assert data["error_counts"] == {"missed": 2}
    assert data["per_document"]["d"]["attributes"]["type"]["accuracy"] == 1.0


@pytest.mark.parametrize("order", [0, 1])
def test_prediction_order_does_not_change_distinct_spans(order: int) -> None:
    pred = [m("d", 0, 5, value="100"), m("d", 10, 14, "PERCENT", "22", fund="pension"),
            m("d", 20, 24, "PEOPLE", "300"), m("d", 40, 45, value="9")]
    if order:
        pred.reverse()
    s = score(GOLD, pred)
    assert s.corpus["tuple"] == Counts(1, 4, 4)
    assert s.corpus["lenient"] == Counts(3, 4, 4)
