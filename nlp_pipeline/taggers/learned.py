"""The learned linker: fund, metric, measure, basis, qualifier and sign from features.

For each quantity the rule detector finds (``doc.quantities``; or the learned
detector's, with ``detector="learned"``), one logistic regression per label reads the
inspectable features of :mod:`nlp_pipeline.features` through one ``DictVectorizer``.
Training uses the quantities whose span equals a gold mention's; the others carry no
label to learn. ``sign`` learns when a value written positive is negative by meaning
(a decrease, a deficit: GUIDELINES §1.2, §5), so values follow the predicted labels.

Logistic regression rather than a margin classifier because the hybrid tagger needs
probabilities, and because its weights per ``feature=value`` can be read directly
(:meth:`LearnedTagger.top_features`). lbfgs is deterministic, so a fit is
reproducible given the documents; ``random_state`` is passed on for estimators that
do use randomness. Fitting runs with one BLAS/OpenMP thread: on a shared 2-core
machine the solvers' thread pools oversubscribe and a fit of seconds took minutes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.dummy import DummyClassifier
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from ..document import Document, Quantity
from ..features import (
    DocumentContext,
    Features,
    match_gold,
    quantity_features,
    rule_label_features,
    sign_label,
)
from ..records import Mention
from .base import Tagger
from .rules import Labels, RuleTagger, to_mention
from .vectorize import transform

#: The labels the linker predicts; ``sign`` is "keep" or "flip" (the value's sign).
LABELS = ("fund", "metric", "measure", "basis", "qualifier", "sign")


@dataclass
class TrainingRows:
    """Feature rows of the matched quantities, their gold labels and the rules' labels."""

    features: list[Features]
    targets: dict[str, list[str]]
    rule_labels: dict[str, list[str]]
    groups: list[str]


def rule_labels_of(labels: Labels, q: Quantity) -> dict[str, str]:
    """The rule tagger's labels of one quantity, with its sign decision as a label
    (a positive written value the rules negate is a flip, as in ``to_mention``)."""
    flipped = labels.negate and q.value > 0
    return {"fund": labels.fund, "metric": labels.metric, "measure": labels.measure,
            "basis": labels.basis, "qualifier": labels.qualifier,
            "sign": "flip" if flipped else "keep"}


def document_rows(
    doc: Document, quantities: list[Quantity], window: int, use_rule_features: bool,
    with_rule_labels: bool = True,
) -> tuple[list[Features], list[dict[str, str]]]:
    """Features of each quantity and the rule labels of each.

    The rule tagger runs only when its labels are wanted — as features, for the
    hybrid's choice, or for training rows — because it costs as much as the features.
    Without it the rule labels come back empty.
    """
    ctx = DocumentContext(doc)
    rows = [quantity_features(ctx, q, window) for q in quantities]
    if not (use_rule_features or with_rule_labels):
        return rows, []
    rules = rule_rows(doc, quantities)
    if use_rule_features:
        for feats, labels in zip(rows, rules, strict=True):
            feats.update(rule_label_features(labels))
    return rows, rules


def rule_rows(doc: Document, quantities: list[Quantity]) -> list[dict[str, str]]:
    """The rule tagger's labels of these quantities (it labels ``doc.quantities``)."""
    saved = doc.quantities
    try:
        doc.quantities = quantities
        labels = RuleTagger().label_document(doc)
    finally:
        doc.quantities = saved
    return [rule_labels_of(lab, q) for lab, q in zip(labels, quantities, strict=True)]


def training_rows(
    docs: Sequence[Document], gold: Sequence[Sequence[Mention]], window: int,
    use_rule_features: bool,
) -> TrainingRows:
    """Rows for every detected quantity that has a gold mention of the same span."""
    rows = TrainingRows([], {name: [] for name in LABELS}, {name: [] for name in LABELS}, [])
    for doc, mentions in zip(docs, gold, strict=True):
        feats, rules = document_rows(doc, doc.quantities, window, use_rule_features)
        for q, f, r, g in zip(doc.quantities, feats, rules,
                              match_gold(doc, doc.quantities, mentions), strict=True):
            if g is None:
                continue
            rows.features.append(f)
            rows.groups.append(doc.doc_id)
            for name in LABELS:
                rows.targets[name].append(_target(name, q, g))
                rows.rule_labels[name].append(r[name])
    return rows


def _target(name: str, q: Quantity, gold: Mention) -> str:
    return sign_label(q, gold) if name == "sign" else getattr(gold, name)


def fit_label_model(
    X: object, y: Sequence[str], C: float, max_iter: int, class_weight: str | None,
    random_state: int | None,
) -> LogisticRegression | DummyClassifier:
    """One classifier per label; a constant one when the training data show one class."""
    if len(set(y)) < 2:
        return DummyClassifier(strategy="most_frequent").fit(X, list(y))
    model = LogisticRegression(C=C, max_iter=max_iter, class_weight=class_weight,
                               random_state=random_state)
    return model.fit(X, list(y))


class LearnedTagger(Tagger):
    """Rule (or learned) spans, labels from one logistic regression per label.

    Hyperparameters: ``C`` (inverse L2 strength), ``window`` (tokens each side),
    ``use_rule_features`` (the rule tagger's labels as extra features),
    ``detector`` (``"rules"``: the rule detector's quantities; ``"learned"``: the
    character-level detector of :mod:`.detector`), ``min_count`` (features seen in
    fewer training mentions are dropped, so rare words do not memorize seed lines).
    """

    name = "learned"
    requires_fit = True

    def __init__(
        self, C: float = 1.0, window: int = 3, use_rule_features: bool = False,
        detector: str = "rules", min_count: int = 2, class_weight: str | None = None,
        max_iter: int = 2000, random_state: int | None = 0,
    ) -> None:
        self.C = C
        self.window = window
        self.use_rule_features = use_rule_features
        self.detector = detector
        self.min_count = min_count
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.random_state = random_state

    # ---- fitting ----
    def fit(self, X: Sequence[Document], y: Sequence[Sequence[Mention]] | None = None
            ) -> LearnedTagger:
        if y is None:
            raise ValueError("LearnedTagger.fit needs gold mentions y")
        if self.detector not in ("rules", "learned"):
            raise ValueError(f"detector must be 'rules' or 'learned', got {self.detector!r}")
        rows = training_rows(X, y, self.window, self.use_rule_features)
        self.fit_rows(rows.features, rows.targets)
        self.train_doc_ids_ = [doc.doc_id for doc in X]
        self.detector_ = None
        if self.detector == "learned":
            from .detector import MentionDetector

            self.detector_ = MentionDetector(random_state=self.random_state).fit(X, y)
        return self

    def fit_rows(self, features: list[Features], targets: dict[str, list[str]]) -> LearnedTagger:
        """Fit the vectorizer and one model per label on precomputed rows (used by hybrid)."""
        if not features:
            raise ValueError("no training mention matches a detected quantity")
        self.vectorizer_ = DictVectorizer(sort=True).fit(self._frequent(features))
        matrix = self.vectorizer_.transform(features)
        with threadpool_limits(limits=1):
            self.models_ = {
                name: fit_label_model(matrix, targets[name], self.C, self.max_iter,
                                      self.class_weight, self.random_state)
                for name in LABELS
            }
        self.n_train_mentions_ = len(features)
        return self

    def _frequent(self, features: list[Features]) -> list[Features]:
        """Only features present in at least ``min_count`` training mentions."""
        counts: dict[str, int] = {}
        for row in features:
            for key in row:
                counts[key] = counts.get(key, 0) + 1
        keep = {k for k, n in counts.items() if n >= self.min_count}
        return [{k: v for k, v in row.items() if k in keep} for row in features]

    # ---- prediction ----
    def predict_rows(
        self, features: list[Features], labels: Sequence[str] = LABELS
    ) -> dict[str, tuple[list[str], np.ndarray]]:
        """Per label: predicted ids and their probabilities, for precomputed rows.

        No thread-pool limit here (unlike fitting): a sparse product per label is
        single-threaded anyway, and inspecting the thread pools costs milliseconds —
        more than the prediction itself, once per document.
        """
        matrix = transform(self.vectorizer_, features)
        out = {}
        for name in labels:
            model = self.models_[name]
            proba = model.predict_proba(matrix)
            best = proba.argmax(axis=1)
            classes = [str(c) for c in model.classes_]
            out[name] = ([classes[i] for i in best], proba.max(axis=1))
        return out

    def quantities(self, doc: Document) -> list[Quantity]:
        """The quantities to label: the rule detector's, or the learned detector's."""
        if getattr(self, "detector_", None) is not None:
            return self.detector_.detect(doc)
        return doc.quantities

    def tag_document(self, doc: Document) -> list[Mention]:
        quantities = self.quantities(doc)
        if not quantities:
            return []
        feats, _ = document_rows(doc, quantities, self.window, self.use_rule_features,
                                 with_rule_labels=False)
        predicted = self.predict_rows(feats)
        out = []
        for i, q in enumerate(quantities):
            labels = {name: predicted[name][0][i] for name in LABELS}
            confidence = float(np.prod([predicted[n][1][i] for n in LABELS if n != "qualifier"]))
            out.append(build_mention(doc, q, labels, self.name, confidence))
        return out

    def top_features(self, label: str, class_id: str, n: int = 20) -> list[tuple[str, float]]:
        """The features with the largest weights for one class: what the model learned."""
        model = self.models_[label]
        if not hasattr(model, "coef_"):
            return []
        names = self.vectorizer_.get_feature_names_out()
        classes = list(model.classes_)
        row = model.coef_[0] if len(classes) == 2 else model.coef_[classes.index(class_id)]
        if len(classes) == 2 and class_id == classes[0]:
            row = -row
        order = np.argsort(-row)[:n]
        return [(str(names[i]), float(row[i])) for i in order]


def build_mention(doc: Document, q: Quantity, labels: dict[str, str], tagger: str,
                  confidence: float | None = None) -> Mention:
    """The output record of a quantity with predicted labels (value signed by ``sign``)."""
    record = to_mention(doc, q, Labels(labels["fund"], labels["metric"], labels["measure"],
                                       labels["basis"], q.qualifier or labels["qualifier"],
                                       labels["sign"] == "flip"), tagger)
    return record.replace(confidence=confidence) if confidence is not None else record
