"""The fast feature-dict vectorizer builds exactly DictVectorizer's matrix."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction import DictVectorizer

from nlp_pipeline.features import DocumentContext, quantity_features
from nlp_pipeline.pipeline import make_document
from nlp_pipeline.taggers.vectorize import transform

# seed 000, 一、企业职工基本养老保险
TEXT = ("一、企业职工基本养老保险\n全区企业职工基本养老保险基金收入3347188万元，"
        "完成预算的96.1%，较上年增长22%。参保人数112万人。")


def rows() -> list[dict[str, float]]:
    doc = make_document(TEXT)
    ctx = DocumentContext(doc)
    return [quantity_features(ctx, q) for q in doc.quantities]


def test_same_matrix_as_dict_vectorizer() -> None:
    features = rows()
    vectorizer = DictVectorizer(sort=True).fit(features[:2])  # later rows hold unseen keys
    ours, theirs = transform(vectorizer, features), vectorizer.transform(features)
    assert ours.shape == theirs.shape
    assert ours.dtype == theirs.dtype
    assert (ours != theirs).nnz == 0
    assert ours.has_sorted_indices
    np.testing.assert_array_equal(ours.indptr, theirs.indptr)


def test_unknown_features_and_empty_rows() -> None:
    vectorizer = DictVectorizer().fit([{"a=1": 1.0, "b=2": 1.0}])
    matrix = transform(vectorizer, [{}, {"zzz": 1.0}, {"b=2": 2.0}])
    assert matrix.shape == (3, 2)
    assert matrix.toarray().tolist() == [[0.0, 0.0], [0.0, 0.0], [0.0, 2.0]]
