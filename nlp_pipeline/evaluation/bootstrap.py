"""Bootstrap confidence intervals and the paired bootstrap test, resampling documents.

Mentions within one report are not independent (a report's tables and headings
repeat its funds and wording), so the unit of resampling is the document: each
replicate draws as many documents as there are, with replacement, and recomputes
the micro-averaged figure from the summed counts. Intervals are percentile
intervals. The random generator is ``numpy.random.default_rng(seed)``, so the
same seed, documents and counts give the same interval on every machine.

The paired test resamples the *same* documents for both taggers in each
replicate, which removes the between-document variance the two share. Its
two-sided p-value is the shifted-bootstrap one (Efron & Tibshirani 1993, §16.4;
Berg-Kirkpatrick et al. 2012 for NLP): the share of replicates whose difference
departs from the observed one by at least the observed difference,
``(k + 1) / (B + 1)`` so that it is never exactly zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .scoring import DIGITS, FIGURES, Counts

#: The P/R/F1 figures the intervals are computed for.
MEASURES = ("precision", "recall", "f1")
DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 0


@dataclass(frozen=True)
class Interval:
    """A point estimate on all documents and its bootstrap percentile interval."""

    estimate: float
    low: float
    high: float

    def to_dict(self) -> dict[str, float]:
        return {"estimate": round(self.estimate, DIGITS), "low": round(self.low, DIGITS),
                "high": round(self.high, DIGITS)}


@dataclass(frozen=True)
class Comparison:
    """Paired bootstrap comparison of tagger A and tagger B on one figure."""

    figure: str
    measure: str
    a: float
    b: float
    difference: float  # a - b
    low: float
    high: float
    p_value: float
    n_documents: int
    n_resamples: int
    seed: int
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            k: round(v, DIGITS) for k, v in
            (("a", self.a), ("b", self.b), ("difference", self.difference), ("low", self.low),
             ("high", self.high), ("p_value", self.p_value))
        }
        out.update(figure=self.figure, measure=self.measure, n_documents=self.n_documents,
                   n_resamples=self.n_resamples, seed=self.seed, confidence=self.confidence)
        return out


def _matrix(per_document: Mapping[str, Mapping[str, Counts]], figure: str,
            doc_ids: Sequence[str]) -> np.ndarray:
    """Documents × (tp, n_pred, n_gold) for one figure, rows in ``doc_ids`` order."""
    rows = [per_document[d][figure] for d in doc_ids]
    return np.array([[c.tp, c.n_pred, c.n_gold] for c in rows], dtype=np.int64).reshape(-1, 3)


def _measures(sums: np.ndarray) -> dict[str, np.ndarray]:
    """P/R/F1 of rows of summed counts, 0/0 → 0.0 like :class:`Counts`."""
    tp, n_pred, n_gold = (sums[..., i].astype(float) for i in range(3))
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(n_pred > 0, tp / np.maximum(n_pred, 1), 0.0)
        recall = np.where(n_gold > 0, tp / np.maximum(n_gold, 1), 0.0)
        total = precision + recall
        f1 = np.where(total > 0, 2 * precision * recall / np.where(total > 0, total, 1), 0.0)
    return {"precision": precision, "recall": recall, "f1": f1}


def _weights(n_docs: int, n_resamples: int, seed: int) -> np.ndarray:
    """How often each document is drawn in each replicate (replicates × documents)."""
    rng = np.random.default_rng(seed)
    if n_docs == 0:
        return np.zeros((n_resamples, 0), dtype=np.int64)
    return rng.multinomial(n_docs, np.full(n_docs, 1.0 / n_docs), size=n_resamples)


def _bounds(values: np.ndarray, confidence: float) -> tuple[float, float]:
    tail = (1.0 - confidence) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


def bootstrap_intervals(
    per_document: Mapping[str, Mapping[str, Counts]],
    *,
    figures: Sequence[str] = FIGURES,
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: float = 0.95,
    seed: int = DEFAULT_SEED,
) -> dict[str, dict[str, Interval]]:
    """Percentile intervals of P/R/F1 for each figure, resampling documents.

    ``per_document`` is :attr:`Scores.per_document`. All figures share the same
    replicates, so their intervals are consistent with one another.
    """
    _check(n_resamples, confidence)
    doc_ids = sorted(per_document)
    weights = _weights(len(doc_ids), n_resamples, seed)
    out: dict[str, dict[str, Interval]] = {}
    for figure in figures:
        counts = _matrix(per_document, figure, doc_ids)
        point = _measures(counts.sum(axis=0))
        replicates = _measures(weights @ counts)
        out[figure] = {
            m: Interval(float(point[m]), *_bounds(replicates[m], confidence)) for m in MEASURES
        }
    return out


def paired_bootstrap(
    per_document_a: Mapping[str, Mapping[str, Counts]],
    per_document_b: Mapping[str, Mapping[str, Counts]],
    *,
    figure: str = "tuple",
    measure: str = "f1",
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: float = 0.95,
    seed: int = DEFAULT_SEED,
) -> Comparison:
    """Paired bootstrap of ``a - b`` on one figure; both taggers must cover the same documents."""
    _check(n_resamples, confidence)
    if set(per_document_a) != set(per_document_b):
        only = sorted(set(per_document_a) ^ set(per_document_b))
        raise ValueError(f"paired comparison needs the same documents; differing: {only[:5]}")
    doc_ids = sorted(per_document_a)
    weights = _weights(len(doc_ids), n_resamples, seed)
    a_counts = _matrix(per_document_a, figure, doc_ids)
    b_counts = _matrix(per_document_b, figure, doc_ids)
    a = float(_measures(a_counts.sum(axis=0))[measure])
    b = float(_measures(b_counts.sum(axis=0))[measure])
    deltas = _measures(weights @ a_counts)[measure] - _measures(weights @ b_counts)[measure]
    observed = a - b
    extreme = int(np.sum(np.abs(deltas - observed) >= abs(observed) - 1e-12))
    low, high = _bounds(deltas, confidence)
    return Comparison(
        figure=figure, measure=measure, a=a, b=b, difference=observed, low=low, high=high,
        p_value=(extreme + 1) / (n_resamples + 1), n_documents=len(doc_ids),
        n_resamples=n_resamples, seed=seed, confidence=confidence,
    )


def _check(n_resamples: int, confidence: float) -> None:
    if n_resamples < 1:
        raise ValueError(f"n_resamples must be at least 1, got {n_resamples}")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
