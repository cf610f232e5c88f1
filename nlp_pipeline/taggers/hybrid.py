"""The hybrid tagger: rule spans, and per label the rules' or the learned linker's choice.

The rule detector finds spans almost perfectly, and the rule tagger's labels are
often right; the learned linker is better on some labels and some documents. Which
source to trust is decided per label by cross-validation on the training documents
only (grouped by document, so a fold never sees the document it is scored on):

* ``rules`` — always the rule label;
* ``learned`` — always the learned label;
* ``learned>=t`` — the learned label when its probability is at least ``t``, else
  the rule label (``t`` from ``thresholds``).

The option with the best out-of-fold accuracy on the matched training mentions wins;
ties go to the simpler option (rules, then learned, then the lowest threshold), and
by default (``selection="one-se"``) a learned option replaces the rules only if its
gain exceeds one standard error of the per-fold differences.
The final linker is then refitted on all training documents. With fewer than two
training documents there is nothing to cross-validate and every label stays with
the rules. The choices and their cross-validated accuracies are kept in
``choice_`` and ``cv_accuracy_`` so a report can show why.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.model_selection import GroupKFold

from ..document import Document
from ..records import Mention
from .base import Tagger
from .learned import (
    LABELS,
    LearnedTagger,
    TrainingRows,
    build_mention,
    document_rows,
    rule_rows,
    training_rows,
)


def _options(thresholds: Sequence[float]) -> list[tuple[str, float]]:
    return [("rules", 1.1), ("learned", 0.0)] + [("learned>=", float(t)) for t in thresholds]


def choose(rule: str, learned: str, proba: float, source: str, threshold: float) -> str:
    """The label an option gives for one mention."""
    if source == "rules":
        return rule
    if source == "learned":
        return learned
    return learned if proba >= threshold else rule


class HybridTagger(Tagger):
    """Rule spans; per label rules, learned, or learned above a CV-chosen probability."""

    name = "hybrid"
    requires_fit = True

    def __init__(
        self, C: float = 1.0, window: int = 3, use_rule_features: bool = True,
        min_count: int = 2, thresholds: tuple[float, ...] = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95),
        n_splits: int = 5, selection: str = "one-se", random_state: int | None = 0,
    ) -> None:
        self.C = C
        self.window = window
        self.use_rule_features = use_rule_features
        self.min_count = min_count
        self.thresholds = thresholds
        self.n_splits = n_splits
        self.selection = selection
        self.random_state = random_state

    def _linker(self) -> LearnedTagger:
        return LearnedTagger(C=self.C, window=self.window,
                             use_rule_features=self.use_rule_features,
                             min_count=self.min_count, random_state=self.random_state)

    def fit(self, X: Sequence[Document], y: Sequence[Sequence[Mention]] | None = None
            ) -> HybridTagger:
        if y is None:
            raise ValueError("HybridTagger.fit needs gold mentions y")
        if self.selection not in ("one-se", "best"):
            raise ValueError(f"selection must be 'one-se' or 'best', got {self.selection!r}")
        rows = training_rows(X, y, self.window, self.use_rule_features)
        self.train_doc_ids_ = [doc.doc_id for doc in X]
        correct, fold_of = self._cross_validate(rows)
        self.cv_accuracy_ = {name: {k: float(v.mean()) for k, v in by.items()}
                             for name, by in correct.items()}
        self.choice_ = {name: self._best(correct.get(name, {}), fold_of) for name in LABELS}
        self.linker_ = self._linker().fit_rows(rows.features, rows.targets)
        return self

    def _cross_validate(self, rows: TrainingRows
                        ) -> tuple[dict[str, dict[str, np.ndarray]], np.ndarray]:
        """Per label and option: 1/0 correctness of every row out of fold; each row's fold."""
        groups = np.array(rows.groups)
        n_groups = len(set(rows.groups))
        fold_of = np.zeros(len(groups), dtype=int)
        if n_groups < 2:
            return {}, fold_of
        folds = GroupKFold(n_splits=min(self.n_splits, n_groups))
        predicted = {name: [""] * len(groups) for name in LABELS}
        proba = {name: np.zeros(len(groups)) for name in LABELS}
        for fold, (train, test) in enumerate(folds.split(rows.features, groups=groups)):
            fold_of[test] = fold
            linker = self._linker().fit_rows([rows.features[i] for i in train],
                                             {k: [v[i] for i in train]
                                              for k, v in rows.targets.items()})
            out = linker.predict_rows([rows.features[i] for i in test])
            for name in LABELS:
                for k, i in enumerate(test):
                    predicted[name][i] = out[name][0][k]
                    proba[name][i] = out[name][1][k]
        return {name: self._option_correct(rows, name, predicted[name], proba[name])
                for name in LABELS}, fold_of

    def _option_correct(self, rows: TrainingRows, name: str, predicted: list[str],
                        proba: np.ndarray) -> dict[str, np.ndarray]:
        gold, rule = rows.targets[name], rows.rule_labels[name]
        out = {}
        for source, threshold in _options(self.thresholds):
            chosen = [choose(r, p, float(pr), source, threshold)
                      for r, p, pr in zip(rule, predicted, proba, strict=True)]
            out[_key(source, threshold)] = np.array(
                [c == g for c, g in zip(chosen, gold, strict=True)], dtype=float)
        return out

    def _best(self, correct: dict[str, np.ndarray], fold_of: np.ndarray) -> tuple[str, float]:
        """The most accurate option; ties go to the earlier (simpler) one.

        With ``selection="one-se"`` a learned option must beat the rules by more than
        one standard error of the per-fold accuracy difference (the one-standard-error
        rule of model selection): a gain smaller than the fold-to-fold noise is not
        evidence that the learned labels help.
        """
        if not correct:
            return ("rules", 1.1)
        options = _options(self.thresholds)
        accuracy = {k: float(v.mean()) for k, v in correct.items()}
        best = max(options, key=lambda o: (accuracy[_key(*o)], -options.index(o)))
        if best[0] == "rules" or self.selection == "best":
            return best
        gain = accuracy[_key(*best)] - accuracy["rules"]
        noise = standard_error(correct[_key(*best)], correct["rules"], fold_of)
        return best if gain > noise else ("rules", 1.1)

    def tag_document(self, doc: Document) -> list[Mention]:
        quantities = doc.quantities
        if not quantities:
            return []
        # Only the labels the hybrid takes from the linker are predicted; with none,
        # no features are built at all and the hybrid costs what the rules cost.
        learned = [name for name in LABELS if self.choice_[name][0] != "rules"]
        if learned:
            feats, rules = document_rows(doc, quantities, self.window,
                                         self.use_rule_features)
            predicted = self.linker_.predict_rows(feats, learned)
        else:
            rules = rule_rows(doc, quantities)
            predicted = {}
        out = []
        for i, q in enumerate(quantities):
            labels = dict(rules[i])
            for name in learned:
                source, threshold = self.choice_[name]
                labels[name] = choose(rules[i][name], predicted[name][0][i],
                                      float(predicted[name][1][i]), source, threshold)
            out.append(build_mention(doc, q, labels, self.name))
        return out

    def describe_choice(self) -> dict[str, str]:
        """Per label, the chosen option in words (for reports and model metadata)."""
        return {name: _key(*self.choice_[name]) for name in LABELS}


def standard_error(option: np.ndarray, rules: np.ndarray, fold_of: np.ndarray) -> float:
    """Standard error of the mean per-fold accuracy difference (option − rules)."""
    diffs = [option[fold_of == f].mean() - rules[fold_of == f].mean()
             for f in np.unique(fold_of)]
    if len(diffs) < 2:
        return 0.0
    return float(np.std(diffs, ddof=1) / np.sqrt(len(diffs)))


def _key(source: str, threshold: float) -> str:
    return f"learned>={threshold:g}" if source == "learned>=" else source
