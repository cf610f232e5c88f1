"""Feature dicts to a sparse matrix through a fitted ``DictVectorizer``'s vocabulary.

``DictVectorizer.transform`` inspects every value (strings become one-hot features,
iterables several), which costs about a microsecond per feature. Every feature of
:mod:`nlp_pipeline.features` is already a ``name=value`` key with a number, so one
dictionary lookup per key builds the same matrix; prediction does this for every
quantity of every document, so it is on the hot path of ``extract``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction import DictVectorizer


def transform(vectorizer: DictVectorizer, rows: Sequence[Mapping[str, float]]) -> csr_matrix:
    """The rows as a CSR matrix in the vectorizer's columns; unknown features dropped."""
    vocabulary = vectorizer.vocabulary_
    indices: list[int] = []
    data: list[float] = []
    indptr = [0]
    for row in rows:
        for key, value in row.items():
            column = vocabulary.get(key)
            if column is not None:
                indices.append(column)
                data.append(value)
        indptr.append(len(indices))
    matrix = csr_matrix(
        (np.asarray(data, dtype=vectorizer.dtype), np.asarray(indices, dtype=np.int32),
         np.asarray(indptr, dtype=np.int32)),
        shape=(len(rows), len(vocabulary)),
    )
    matrix.sort_indices()  # as DictVectorizer's: same summation order, same probabilities
    return matrix
