"""The one small interface every tagger shares, in scikit-learn's shape.

Taggers are ``BaseEstimator`` subclasses: hyperparameters only in ``__init__``,
fitted state in attributes ending in ``_``. ``sklearn.base.clone`` therefore gives an
unfitted copy, which is what cross-validation needs to train one tagger per fold.
``X`` is a sequence of :class:`~nlp_pipeline.document.Document`; ``y`` the gold
mentions of each document. Rule taggers ignore ``fit``'s data.
"""

from __future__ import annotations

from collections.abc import Sequence

from sklearn.base import BaseEstimator

from ..document import Document
from ..records import Mention


class Tagger(BaseEstimator):
    """Base class: subclasses implement :meth:`tag_document` (and ``fit`` if learned)."""

    #: The value written into each record's ``tagger`` field.
    name: str = "base"

    def fit(self, X: Sequence[Document], y: Sequence[Sequence[Mention]] | None = None) -> Tagger:
        return self

    def tag_document(self, doc: Document) -> list[Mention]:
        raise NotImplementedError

    def predict(self, X: Sequence[Document]) -> list[list[Mention]]:
        return [self.tag_document(doc) for doc in X]
