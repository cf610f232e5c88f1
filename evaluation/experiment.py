"""Rules versus learning versus hybrid: the leave-one-document-out experiment.

    python -m evaluation.experiment [--gold annotated/] [--corpus DIR] [--out DIR]
    python evaluation/experiment.py

Every gold document is tagged by a model trained on the *other* documents (seeds and
corpus excerpts pooled, so each held-out document has the most training data), and
the predictions are scored per source (``seed``/``corpus``) and overall with the
project scorer (GUIDELINES §4): tuple F1 with document-bootstrap 95% intervals,
strict span F1 (which compares the rule detector with the learned one), per-label
accuracy on matched spans, and a paired bootstrap of each tagger against the rules.
The learning curve trains on growing random subsets of the training folds of a
grouped 5-fold split and scores the held-out folds.

One caveat is part of the result: the rule tagger has no training step here, but its
cue lists were written while reading these same documents, so its figures are
optimistic in a way the learned taggers' are not.

Writes ``results.json``, ``README.md`` and ``learning_curve.png`` into
``evaluation/reports/experiment/``. Deterministic given ``--seed`` (timings aside).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import GroupKFold

from nlp_pipeline.evaluation import (
    bootstrap_intervals,
    cross_val_predict,
    paired_bootstrap,
    requires_crossval,
    score,
)
from nlp_pipeline.records import Mention
from nlp_pipeline.taggers import HybridTagger, LearnedTagger, RuleTagger
from nlp_pipeline.taggers.base import Tagger

OUT_DIR = Path(__file__).resolve().parent / "reports" / "experiment"
SUBSETS = ("seed", "corpus", "all")
LABEL_FIELDS = ("fund", "metric", "measure", "basis", "qualifier", "value")
CURVE_SIZES = (1, 2, 4, 8, 16, 32)
CURVE_FOLDS = 5
RESAMPLES = 1000


def configurations(seed: int) -> dict[str, Tagger]:
    """The compared taggers: what each name in the report means."""
    return {
        "rules": RuleTagger(),
        "learned": LearnedTagger(random_state=seed),
        "learned+rule-features": LearnedTagger(use_rule_features=True, random_state=seed),
        "learned-detector": LearnedTagger(detector="learned", random_state=seed),
        "hybrid": HybridTagger(random_state=seed),
        "hybrid-best": HybridTagger(selection="best", random_state=seed),
    }


DESCRIPTIONS = {
    "rules": "rule detector + rule labels (no training)",
    "learned": "rule detector + learned linker (lexicon/guideline features only)",
    "learned+rule-features": "rule detector + learned linker with the rule labels as features",
    "learned-detector": "learned character BIO detector + learned linker (all learned)",
    "hybrid": "rule detector; per label rules / learned (with rule features) / learned "
              "above a probability threshold, chosen by inner 5-fold CV on the training "
              "documents; a learned option must beat the rules by more than one standard "
              "error of the per-fold difference (one-SE rule)",
    "hybrid-best": "as hybrid, but the option with the best inner-CV accuracy wins however "
                   "small its gain (the first version; kept to show what the one-SE rule "
                   "changes)",
}


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---- data ---------------------------------------------------------------------------------


def load(gold_dir: Path, corpus_dir: Path | None) -> tuple[list[Any], list[Any]]:
    """Gold documents and their pipeline Documents, in loader order."""
    from nlp_pipeline.gold import load_gold
    from nlp_pipeline.pipeline import make_document

    gold = load_gold(gold_dir, corpus_dir)
    return gold, [make_document(g.text, g.doc_id) for g in gold]


def subset_ids(gold: Sequence[Any], subset: str) -> list[str]:
    return [g.doc_id for g in gold if subset == "all" or g.meta.get("source") == subset]


# ---- leave-one-document-out ------------------------------------------------------------------


def lodo_predictions(tagger: Tagger, docs: Sequence[Any], gold: Sequence[Any]
                     ) -> tuple[list[Mention], float]:
    """Predictions of every document by a model not trained on it, and the mean seconds
    per document (one fold: fit and predict; a tagger without fitting only predicts)."""
    started = time.perf_counter()
    if requires_crossval(tagger):
        preds = cross_val_predict(tagger, docs, [g.mentions for g in gold])
    else:
        preds = tagger.predict(docs)
    return [m for ms in preds for m in ms], (time.perf_counter() - started) / len(docs)


def subset_scores(gold: Sequence[Any], preds: list[Mention], ids: list[str], seed: int
                  ) -> tuple[dict[str, Any], Any]:
    keep = set(ids)
    scores = score([m for g in gold if g.doc_id in keep for m in g.mentions],
                   [m for m in preds if m.doc_id in keep], doc_ids=ids)
    ci = bootstrap_intervals(scores.per_document, figures=("tuple", "strict"),
                             n_resamples=RESAMPLES, seed=seed)
    out = {
        "documents": len(ids),
        "tuple": scores.corpus["tuple"].to_dict(), "tuple_f1_ci95": ci["tuple"]["f1"].to_dict(),
        "strict": scores.corpus["strict"].to_dict(),
        "strict_f1_ci95": ci["strict"]["f1"].to_dict(),
        "accuracy": {k: round(scores.attributes[k].accuracy, 4) for k in LABEL_FIELDS},
    }
    return out, scores


def lodo(gold: Sequence[Any], docs: Sequence[Any], taggers: dict[str, Tagger], seed: int
         ) -> dict[str, Any]:
    """The main table: every tagger, every subset, and paired tests against the rules."""
    results: dict[str, Any] = {}
    per_doc: dict[str, dict[str, Any]] = {}
    for name, tagger in taggers.items():
        say(f"[lodo] {name} …")
        started = time.perf_counter()
        preds, fit_seconds = lodo_predictions(tagger, docs, gold)
        results[name] = {"description": DESCRIPTIONS[name],
                         "fit_seconds_per_fold": round(fit_seconds, 3),
                         "seconds": round(time.perf_counter() - started, 1)}
        per_doc[name] = {}
        for subset in SUBSETS:
            ids = subset_ids(gold, subset)
            results[name][subset], scores = subset_scores(gold, preds, ids, seed)
            per_doc[name][subset] = scores.per_document
    for name in taggers:
        if name == "rules":
            continue
        results[name]["vs_rules"] = {
            subset: paired_bootstrap(per_doc[name][subset], per_doc["rules"][subset],
                                     n_resamples=RESAMPLES, seed=seed).to_dict()
            for subset in SUBSETS
        }
    return results


# ---- learning curve ---------------------------------------------------------------------------


def learning_curve(gold: Sequence[Any], docs: Sequence[Any], factories: dict[str, Callable],
                   sizes: Sequence[int], seed: int) -> dict[str, Any]:
    """Tuple F1 on held-out folds when training on the first n of the other documents."""
    groups = [d.doc_id for d in docs]
    rng = np.random.default_rng(seed)
    preds: dict[str, dict[int, list[Mention]]] = {n: {} for n in factories}
    n_train_max = 0
    for fold, (train, test) in enumerate(GroupKFold(CURVE_FOLDS).split(docs, groups=groups)):
        order = [int(i) for i in rng.permutation(train)]
        n_train_max = max(n_train_max, len(order))
        for size in [*[s for s in sizes if s < len(order)], len(order)]:
            chosen = order[:size]
            for name, make in factories.items():
                say(f"[curve] fold {fold + 1}/{CURVE_FOLDS} {name} on {size} documents")
                with warnings.catch_warnings():  # one or two documents: sklearn warns of few
                    warnings.simplefilter("ignore", UserWarning)  # samples per class
                    model = make().fit([docs[i] for i in chosen],
                                       [gold[i].mentions for i in chosen])
                out = model.predict([docs[i] for i in test])
                key = size if size in sizes else -1  # -1: all training documents of the fold
                preds[name].setdefault(key, []).extend(m for ms in out for m in ms)
    all_gold = [m for g in gold for m in g.mentions]
    curve: dict[str, Any] = {"folds": CURVE_FOLDS, "max_training_documents": n_train_max,
                             "points": {}}
    for name, by_size in preds.items():
        curve["points"][name] = {
            str(size): score(all_gold, p, doc_ids=groups).corpus["tuple"].to_dict()
            for size, p in sorted(by_size.items(), key=lambda kv: (kv[0] < 0, kv[0]))
        }
    return curve


def plot_curve(curve: dict[str, Any], rules_f1: float, path: Path) -> None:
    """The learning curve as a PNG: tuple F1 against training documents (log scale)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=120)
    full = curve["max_training_documents"]
    for name, points in curve["points"].items():
        xs = [full if k == "-1" else int(k) for k in points]
        ax.plot(xs, [p["f1"] for p in points.values()], marker="o", label=name)
    ax.axhline(rules_f1, color="grey", linestyle="--", label="rules (no training)")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("training documents (held-out folds of a grouped 5-fold split)")
    ax.set_ylabel("tuple F1 on held-out documents")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


# ---- report -----------------------------------------------------------------------------------


def _ci(block: dict[str, Any], key: str) -> str:
    ci = block[key]
    return f"{ci['estimate']:.4f} [{ci['low']:.4f}, {ci['high']:.4f}]"


def markdown(results: dict[str, Any]) -> str:
    """README.md of the report directory: the tables a reader needs, from results.json."""
    lodo_res = results["lodo"]
    lines = ["# Rules vs learned vs hybrid (leave-one-document-out)", "",
             f"Command: `{results['command']}`  ",
             f"Code: commit {results['git']['commit']}"
             + (" with uncommitted changes to nlp_pipeline/ or lexicons/  "
                if results["git"]["uncommitted_changes"] else "  "),
             f"Documents: {results['documents']}; "
             f"gold mentions: {results['gold_mentions']}; bootstrap: {RESAMPLES} document "
             f"resamples, seed {results['seed']}.", "",
             "Each document is tagged by a model trained on the other "
             f"{results['documents'] - 1} (seeds and corpus pooled). The rule tagger has no "
             "training step, but its cue lists were written while reading these documents: "
             "its figures are optimistic.", "",
             "## Tuple F1 (headline) with 95% bootstrap intervals", "",
             "| tagger | seed | corpus | all |", "|---|---|---|---|"]
    for name, res in lodo_res.items():
        lines.append(f"| {name} | " + " | ".join(_ci(res[s], "tuple_f1_ci95") for s in SUBSETS)
                     + " |")
    lines += ["", "## Mention detection: strict span F1 (rule detector vs learned detector)", "",
              "| tagger | seed | corpus | all |", "|---|---|---|---|"]
    for name in ("rules", "learned-detector"):
        if name in lodo_res:
            lines.append(f"| {name} | " + " | ".join(
                _ci(lodo_res[name][s], "strict_f1_ci95") for s in SUBSETS) + " |")
    lines += ["", "## Per-label accuracy on strictly matched spans (all documents)", "",
              "| tagger | " + " | ".join(LABEL_FIELDS) + " |",
              "|---" * (len(LABEL_FIELDS) + 1) + "|"]
    for name, res in lodo_res.items():
        lines.append(f"| {name} | " + " | ".join(
            f"{res['all']['accuracy'][k]:.4f}" for k in LABEL_FIELDS) + " |")
    lines += ["", "## Paired bootstrap against the rules (tuple F1, A − rules)", "",
              "| tagger | subset | difference | 95% CI | p |", "|---|---|---|---|---|"]
    for name, res in lodo_res.items():
        for subset, cmp in res.get("vs_rules", {}).items():
            lines.append(f"| {name} | {subset} | {cmp['difference']:+.4f} | "
                         f"[{cmp['low']:+.4f}, {cmp['high']:+.4f}] | {cmp['p_value']:.4f} |")
    lines += _choice_lines(results) + _curve_lines(results) + _timing_lines(results)
    lines += ["", "## Tagger configurations", ""]
    lines += [f"- **{name}**: {res['description']}" for name, res in lodo_res.items()]
    return "\n".join(lines) + "\n"


def _choice_lines(results: dict[str, Any]) -> list[str]:
    choice = results.get("hybrid_choice_all_documents")
    if not choice:
        return []
    return ["", "## Hybrid: per-label choice when trained on all documents", "",
            "| label | choice |", "|---|---|"] + [f"| {k} | {v} |" for k, v in choice.items()]


def _curve_lines(results: dict[str, Any]) -> list[str]:
    curve = results["learning_curve"]
    lines = ["", "## Learning curve (tuple F1 on held-out folds)", "",
             "![learning curve](learning_curve.png)", ""]
    sizes = list(next(iter(curve["points"].values())))
    head = [("all" if s == "-1" else s) for s in sizes]
    lines += ["| tagger | " + " | ".join(head) + " |", "|---" * (len(sizes) + 1) + "|"]
    for name, points in curve["points"].items():
        lines.append(f"| {name} | " + " | ".join(f"{points[s]['f1']:.4f}" for s in sizes)
                     + " |")
    return lines


def _timing_lines(results: dict[str, Any]) -> list[str]:
    lines = ["", "## Time (2-core machine, shared)", "",
             "| tagger | mean seconds per LODO fold (fit + predict; rules: predict) "
             "| whole LODO run (s) |",
             "|---|---|---|"]
    for name, res in results["lodo"].items():
        lines.append(f"| {name} | {res['fit_seconds_per_fold']} | {res['seconds']} |")
    lines.append("")
    lines.append(f"Whole experiment: {results['seconds']} s.")
    return lines


def versions() -> dict[str, str]:
    out = {}
    for name in ("nlp-pipeline", "scikit-learn", "numpy", "jieba", "skops"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "unknown"
    return out


def git_state() -> dict[str, Any]:
    """The commit the rules and features came from: the rules change often."""
    import subprocess

    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root,
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "nlp_pipeline",
                                "lexicons"], cwd=root, capture_output=True, text=True,
                               check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {"commit": "unknown", "uncommitted_changes": None}
    return {"commit": commit, "uncommitted_changes": bool(dirty)}


def run(args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    gold, docs = load(args.gold, args.corpus)
    taggers = configurations(args.seed)
    if args.taggers:
        taggers = {k: v for k, v in taggers.items() if k in args.taggers or k == "rules"}
    results: dict[str, Any] = {
        "command": " ".join(["python -m evaluation.experiment", *sys.argv[1:]]),
        "documents": len(docs), "gold_mentions": sum(len(g.mentions) for g in gold),
        "seed": args.seed, "versions": versions(), "git": git_state(),
        "lodo": lodo(gold, docs, taggers, args.seed),
    }
    final = HybridTagger(random_state=args.seed).fit(docs, [g.mentions for g in gold])
    results["hybrid_choice_all_documents"] = final.describe_choice()
    factories = {"learned": lambda: clone(taggers.get("learned", LearnedTagger())),
                 "hybrid": lambda: clone(taggers.get("hybrid", HybridTagger()))}
    results["learning_curve"] = learning_curve(gold, docs, factories, args.sizes, args.seed)
    results["seconds"] = round(time.perf_counter() - started, 1)
    return results


def write(results: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    rules_f1 = results["lodo"]["rules"]["all"]["tuple"]["f1"]
    plot_curve(results["learning_curve"], rules_f1, out / "learning_curve.png")
    (out / "README.md").write_text(markdown(results), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--gold", type=Path, default=Path("annotated"))
    p.add_argument("--corpus", type=Path, default=None)
    p.add_argument("--out", type=Path, default=OUT_DIR)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--taggers", nargs="*", help="subset of tagger names (rules always run)")
    p.add_argument("--sizes", type=int, nargs="*", default=list(CURVE_SIZES),
                   help="training-set sizes of the learning curve")
    args = p.parse_args(argv)
    results = run(args)
    write(results, args.out)
    say(f"written to {args.out} in {results['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
