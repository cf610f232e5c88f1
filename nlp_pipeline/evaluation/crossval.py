"""Leave-one-document-out predictions for taggers that learn from the gold (§4).

A learned tagger scored on documents it was trained on reports memory, not skill.
Each fold trains ``sklearn.base.clone(tagger)`` (an unfitted copy with the same
hyperparameters) on all other documents and predicts the held-out one. Folds are
grouped by document id, so if a document is split into several ``Document``
objects, all its pieces are held out together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sklearn.base import clone
from sklearn.model_selection import LeaveOneGroupOut

from ..records import Mention

#: Called as ``progress(fold_number, n_folds, held_out_doc_id)`` before each fold.
Progress = Callable[[int, int, str], None]


def requires_crossval(tagger: Any) -> bool:
    """Learned taggers announce themselves with ``requires_fit = True``."""
    return getattr(tagger, "requires_fit", False) is True


def cross_val_predict(
    tagger: Any,
    docs: Sequence[Any],
    gold: Sequence[Sequence[Mention]],
    *,
    groups: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> list[list[Mention]]:
    """Predictions for every document from a tagger never trained on it.

    ``docs[i]`` has gold mentions ``gold[i]``; ``groups[i]`` is its document id
    (default: ``docs[i].doc_id``). Returns predictions aligned with ``docs``. The
    tagger passed in is never fitted itself.
    """
    if len(docs) != len(gold):
        raise ValueError(f"{len(docs)} documents but {len(gold)} gold lists")
    if groups is None:
        groups = [doc.doc_id for doc in docs]
    if len(groups) != len(docs):
        raise ValueError(f"{len(docs)} documents but {len(groups)} group ids")
    if len(set(groups)) < 2:
        raise ValueError("leave-one-document-out needs at least two documents")
    splitter = LeaveOneGroupOut()
    n_folds = splitter.get_n_splits(groups=groups)
    predictions: list[list[Mention] | None] = [None] * len(docs)
    for number, (train, test) in enumerate(splitter.split(docs, groups=groups), start=1):
        if progress is not None:
            progress(number, n_folds, str(groups[test[0]]))
        model = clone(tagger).fit([docs[i] for i in train], [list(gold[i]) for i in train])
        for i, mentions in zip(test, model.predict([docs[i] for i in test]), strict=True):
            predictions[i] = list(mentions)
    return [p if p is not None else [] for p in predictions]
