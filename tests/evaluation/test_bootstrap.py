"""Bootstrap intervals and the paired comparison: seeded, by document, worked by hand."""

from __future__ import annotations

import pytest

from nlp_pipeline.evaluation.bootstrap import bootstrap_intervals, paired_bootstrap
from nlp_pipeline.evaluation.scoring import FIGURES, Counts


def docs(*counts: tuple[int, int, int]) -> dict[str, dict[str, Counts]]:
    """Per-document counts (tp, n_pred, n_gold), the same for every figure."""
    return {f"d{i:02d}": {fig: Counts(*c) for fig in FIGURES} for i, c in enumerate(counts)}


def test_same_seed_same_interval_other_seed_other_interval() -> None:
    per_doc = docs(*[(i % 4, 4, 5) for i in range(20)])
    first = bootstrap_intervals(per_doc, n_resamples=300, seed=7)
    again = bootstrap_intervals(per_doc, n_resamples=300, seed=7)
    other = bootstrap_intervals(per_doc, n_resamples=300, seed=8)
    assert first == again
    assert first != other


def test_document_order_does_not_matter() -> None:
    per_doc = docs(*[(i % 3, 3, 4) for i in range(10)])
    reversed_doc = dict(reversed(list(per_doc.items())))
    assert bootstrap_intervals(per_doc, n_resamples=200) == bootstrap_intervals(
        reversed_doc, n_resamples=200)


def test_estimate_is_the_corpus_figure_and_inside_the_interval() -> None:
    per_doc = docs(*[(i % 4, 4, 5) for i in range(20)])
    ci = bootstrap_intervals(per_doc, n_resamples=500)["tuple"]
    # sum tp = 5*(0+1+2+3) = 30, n_pred = 80, n_gold = 100 -> P = .375, R = .3, F1 = .3333
    assert ci["precision"].estimate == pytest.approx(0.375)
    assert ci["recall"].estimate == pytest.approx(0.3)
    assert ci["f1"].estimate == pytest.approx(2 * 0.375 * 0.3 / 0.675)
    for interval in ci.values():
        assert interval.low <= interval.estimate <= interval.high
        assert interval.low < interval.high


def test_identical_documents_give_a_degenerate_interval() -> None:
    # every document has P = 1/2; any resample of documents has P = k/2k = 0.5
    ci = bootstrap_intervals(docs(*[(1, 2, 2)] * 8), n_resamples=200)["strict"]["precision"]
    assert (ci.low, ci.estimate, ci.high) == (0.5, 0.5, 0.5)


def test_resampling_unit_is_the_document() -> None:
    # d00: 100 mentions all right; d01: 100 mentions all wrong. Resampling two documents
    # gives {d00,d00} P=1, {d00,d01} P=0.5, {d01,d01} P=0, each pair of draws w.p. 1/4,1/2,1/4:
    # the 2.5th and 97.5th percentiles are 0 and 1. (Resampling mentions would give
    # roughly 0.5 +- 0.07.)
    ci = bootstrap_intervals(docs((100, 100, 100), (0, 100, 100)), n_resamples=1000)
    precision = ci["tuple"]["precision"]
    assert (precision.low, precision.estimate, precision.high) == (0.0, 0.5, 1.0)


def test_empty_and_single_document() -> None:
    empty = bootstrap_intervals({}, n_resamples=10)["tuple"]["f1"]
    assert (empty.low, empty.estimate, empty.high) == (0.0, 0.0, 0.0)
    # one document: every resample is that document -> tp=1, np=2, ng=4 -> F1 = 1/3
    single = bootstrap_intervals(docs((1, 2, 4)), n_resamples=10)["tuple"]["f1"]
    assert single.low == single.high == pytest.approx(1 / 3)


def test_zero_denominators_inside_resamples() -> None:
    # d00 predicts nothing (np=0): a resample of only d00 has P = 0/0 -> 0.0, no NaN
    ci = bootstrap_intervals(docs((0, 0, 3), (2, 2, 2)), n_resamples=500)["tuple"]
    assert ci["precision"].low == 0.0 and ci["precision"].high == 1.0


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        bootstrap_intervals(docs((1, 1, 1)), n_resamples=0)
    with pytest.raises(ValueError):
        bootstrap_intervals(docs((1, 1, 1)), confidence=1.5)


def test_paired_identical_taggers() -> None:
    per_doc = docs(*[(i % 3, 3, 3) for i in range(12)])
    c = paired_bootstrap(per_doc, per_doc, n_resamples=200)
    # difference 0 in every resample: CI [0, 0]; every |d* - 0| >= 0 -> p = 201/201 = 1
    assert (c.difference, c.low, c.high, c.p_value) == (0.0, 0.0, 0.0, 1.0)


def test_paired_clearly_better_tagger() -> None:
    a = docs(*[(4, 4, 4)] * 15)            # perfect everywhere: F1 = 1
    b = docs(*[(2, 4, 4)] * 15)            # half right everywhere: F1 = 0.5
    c = paired_bootstrap(a, b, n_resamples=500, seed=3)
    # the same documents are drawn for both, so every resample differs by exactly 0.5:
    # no |d* - 0.5| >= 0.5, p = (0 + 1) / (500 + 1)
    assert (c.a, c.b, c.difference) == (1.0, 0.5, 0.5)
    assert c.low == pytest.approx(0.5) and c.high == pytest.approx(0.5)
    assert c.p_value == pytest.approx(1 / 501)


def test_paired_noisy_difference_is_not_significant() -> None:
    # A is perfect on 7 documents and wrong on 5; B the other way round.
    # A: tp = 21 of 36 -> F1 = .5833; B: 15 of 36 -> .4167; difference .1667, but it
    # rests on a 7:5 split of documents, so the interval covers 0 and p is large
    # (per-document difference +-1, standard error ~ sqrt(.97/12) = .28 in F1 units).
    a = docs(*[(3, 3, 3)] * 7 + [(0, 3, 3)] * 5)
    b = docs(*[(0, 3, 3)] * 7 + [(3, 3, 3)] * 5)
    c = paired_bootstrap(a, b, n_resamples=1000)
    assert c.difference == pytest.approx(1 / 6)
    assert c.low < 0 < c.high
    assert c.p_value > 0.2


def test_paired_zero_difference_has_p_one() -> None:
    # A wins on half of the documents by as much as B wins on the other half
    a = docs(*[(3, 3, 3), (0, 3, 3)] * 6)
    b = docs(*[(0, 3, 3), (3, 3, 3)] * 6)
    c = paired_bootstrap(a, b, n_resamples=500)
    assert (c.difference, c.p_value) == (0.0, 1.0)
    assert c.low < 0 < c.high


def test_paired_is_seeded_and_serializes() -> None:
    a = docs(*[(i % 4, 4, 4) for i in range(10)])
    b = docs(*[((i + 1) % 4, 4, 4) for i in range(10)])
    first = paired_bootstrap(a, b, figure="strict", measure="recall", n_resamples=300, seed=1)
    assert first == paired_bootstrap(a, b, figure="strict", measure="recall", n_resamples=300,
                                     seed=1)
    data = first.to_dict()
    assert data["figure"] == "strict" and data["measure"] == "recall"
    assert 0.0 < data["p_value"] <= 1.0


def test_paired_needs_the_same_documents() -> None:
    with pytest.raises(ValueError, match="same documents"):
        paired_bootstrap(docs((1, 1, 1)), docs((1, 1, 1), (0, 1, 1)))
