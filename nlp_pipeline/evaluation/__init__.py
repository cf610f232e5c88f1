"""Evaluation of taggers against gold annotations, as GUIDELINES §4 defines it.

``scoring`` computes the figures, ``bootstrap`` their confidence intervals and paired
comparisons, ``crossval`` leave-one-document-out predictions for learned taggers,
``report`` the terminal table and report directory, ``command`` the ``evaluate``
subcommand. The matching conventions are in ``scoring``'s docstring and in
``evaluation/README.md``.
"""

from .bootstrap import Comparison, Interval, bootstrap_intervals, paired_bootstrap
from .crossval import cross_val_predict, requires_crossval
from .report import format_table, render_html, render_summary, scores_payload, write_report
from .scoring import (
    Accuracy,
    Alignment,
    Confusion,
    Counts,
    ErrorItem,
    Scores,
    align,
    align_document,
    score,
    sentence_around,
)

__all__ = [
    "Accuracy", "Alignment", "Comparison", "Confusion", "Counts", "ErrorItem", "Interval",
    "Scores", "align", "align_document", "bootstrap_intervals", "cross_val_predict",
    "format_table", "paired_bootstrap", "render_html", "render_summary", "requires_crossval",
    "score", "scores_payload", "sentence_around", "write_report",
]
