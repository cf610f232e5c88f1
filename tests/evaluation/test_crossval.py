"""Leave-one-document-out: a tagger that memorizes must never see the held-out document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import pytest

from nlp_pipeline.evaluation.crossval import cross_val_predict, requires_crossval
from nlp_pipeline.evaluation.scoring import Counts, score
from nlp_pipeline.records import Mention

try:
    from nlp_pipeline.taggers.base import Tagger
except ModuleNotFoundError as exc:  # pragma: no cover - only while document.py is missing
    if exc.name != "nlp_pipeline.document":
        raise
    pytest.skip("nlp_pipeline.taggers.base needs nlp_pipeline.document, not there yet",
                allow_module_level=True)


@dataclass
class Doc:
    """Stands in for nlp_pipeline.document.Document: the taggers below need only these."""

    doc_id: str
    text: str


#: (documents trained on, documents predicted) of every fit/predict, across clones.
LOG: list[tuple[tuple[str, ...], tuple[str, ...]]] = []


class Memorizer(Tagger):
    """Remembers each training document's gold; on a document it saw, it is perfect.

    On any other document it reuses what it learned by surface text: every training
    mention whose text occurs in the document is predicted there with its labels.
    """

    name = "memorizer"
    requires_fit = True

    def __init__(self, by_text: bool = True) -> None:
        self.by_text = by_text

    def fit(self, X: Sequence[Doc], y: Sequence[Sequence[Mention]] | None = None) -> Memorizer:
        assert y is not None
        self.memory_ = {doc.doc_id: list(gold) for doc, gold in zip(X, y, strict=True)}
        self.trained_on_ = tuple(doc.doc_id for doc in X)
        return self

    def predict(self, X: Sequence[Doc]) -> list[list[Mention]]:
        LOG.append((self.trained_on_, tuple(doc.doc_id for doc in X)))
        return super().predict(X)

    def tag_document(self, doc: Doc) -> list[Mention]:
        if doc.doc_id in self.memory_:
            return list(self.memory_[doc.doc_id])
        if not self.by_text:
            return []
        known = {m.text: m for gold in self.memory_.values() for m in gold}
        out = []
        for text, m in known.items():
            start = doc.text.find(text)
            if start >= 0:
                out.append(m.replace(doc_id=doc.doc_id, start=start, end=start + len(text)))
        return sorted(out, key=lambda x: x.start)


def mention(doc: Doc, text: str, value: str, type: str = "MONEY") -> Mention:
    start = doc.text.index(text)
    return Mention(doc_id=doc.doc_id, start=start, end=start + len(text), text=text, type=type,
                   value=Decimal(value), unit="万元", fund="all", metric="other",
                   measure="level", basis="actual")


D1 = Doc("d1", "收入100万元")
D2 = Doc("d2", "收入100万元，支出5万元")
D3 = Doc("d3", "支出5万元")
D4 = Doc("d4", "人数20人")
DOCS = [D1, D2, D3, D4]
GOLD = [
    [mention(D1, "100万元", "1000000")],
    [mention(D2, "100万元", "1000000"), mention(D2, "5万元", "50000")],
    [mention(D3, "5万元", "50000")],
    [mention(D4, "20人", "20", "PEOPLE")],
]


@pytest.fixture(autouse=True)
def clear_log() -> None:
    LOG.clear()


def test_never_predicts_a_document_it_was_trained_on() -> None:
    predictions = cross_val_predict(Memorizer(by_text=False), DOCS, GOLD)
    # a memorizer without generalization predicts nothing on unseen documents; had it
    # seen the held-out document it would have returned that document's gold
    assert predictions == [[], [], [], []]
    assert len(LOG) == 4                                 # one fold per document
    for trained_on, predicted in LOG:
        assert len(predicted) == 1
        assert predicted[0] not in trained_on
        assert len(trained_on) == 3
    assert sorted(p[0] for _, p in LOG) == ["d1", "d2", "d3", "d4"]


def test_the_tagger_passed_in_stays_unfitted() -> None:
    tagger = Memorizer(by_text=False)
    cross_val_predict(tagger, DOCS, GOLD)
    assert not hasattr(tagger, "memory_")
    assert tagger.by_text is False                       # clone kept the hyperparameter


def test_scores_of_cross_validated_predictions() -> None:
    predictions = cross_val_predict(Memorizer(), DOCS, GOLD)
    # d1 learns "100万元" from d2; d2 learns both from d1 and d3; d3 learns "5万元";
    # "20人" occurs only in d4, so it is never learned for d4.
    pred = [m for ms in predictions for m in ms]
    gold = [m for ms in GOLD for m in ms]
    s = score(gold, pred)
    # tp = 1 + 2 + 1 + 0 = 4, n_pred = 4, n_gold = 5 -> P = 1.0, R = 0.8
    assert s.corpus["tuple"] == Counts(4, 4, 5)
    # scored on its training data it would look perfect: what cross-validation prevents
    trained = Memorizer().fit(DOCS, GOLD).predict(DOCS)
    assert score(gold, [m for ms in trained for m in ms]).corpus["tuple"] == Counts(5, 5, 5)


def test_folds_are_grouped_by_document_id() -> None:
    # two pieces of one document share an id: they are held out together
    part_a, part_b = Doc("d2", "收入100万元"), Doc("d2", "支出5万元")
    docs = [D1, part_a, part_b, D3]
    gold = [GOLD[0], [], [], GOLD[2]]
    cross_val_predict(Memorizer(by_text=False), docs, gold)
    assert len(LOG) == 3
    held_out_d2 = next(t for t, p in LOG if p == ("d2", "d2"))
    assert "d2" not in held_out_d2


def test_explicit_groups_and_progress() -> None:
    seen = []
    cross_val_predict(Memorizer(by_text=False), DOCS, GOLD, groups=["a", "a", "b", "b"],
                      progress=lambda i, n, doc: seen.append((i, n, doc)))
    assert seen == [(1, 2, "a"), (2, 2, "b")]


def test_needs_two_documents_and_matching_lengths() -> None:
    with pytest.raises(ValueError, match="at least two"):
        cross_val_predict(Memorizer(), [D1], [GOLD[0]])
    with pytest.raises(ValueError, match="gold"):
        cross_val_predict(Memorizer(), DOCS, GOLD[:2])


def test_requires_crossval() -> None:
    assert requires_crossval(Memorizer())
    assert not requires_crossval(Tagger())

    class Truthy(Tagger):
        requires_fit = "yes"

    assert not requires_crossval(Truthy())               # only the literal True counts
