"""The ``nlp-pipeline train`` subcommand: fit a learned tagger on the gold and save it.

    nlp-pipeline train --gold annotated/ -o models/default [--tagger learned|hybrid]

trains on every gold document, cross-validates the same configuration grouped by
document (``--cv`` folds; the scores go into ``meta.json`` — never scores on the
training documents themselves) and writes the model directory of
:mod:`.model_io`. The default model is this command with its defaults; training is
deterministic (``--seed``), so rebuilding gives the same parameter fingerprint.
"""

from __future__ import annotations

import argparse
import hashlib
import shlex
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sklearn.base import clone
from sklearn.model_selection import GroupKFold

from ..errors import Errors, PipelineError
from ..params import parse_params as _parse_params
from ..records import Mention
from .base import Tagger
from .model_io import DEFAULT_MODEL, save_model

LEARNED_TAGGERS = ("learned", "hybrid")
DEFAULT_FOLDS = 5


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``train`` on an argparse subparsers object."""
    p = subparsers.add_parser(
        "train", help="train a learned or hybrid tagger on gold annotations and save it",
        description="Train a learned tagger on every gold document, cross-validate it "
                    "grouped by document, and save the model with its metadata.",
    )
    p.add_argument("--gold", required=True, type=Path, metavar="DIR",
                   help="directory of gold annotations (e.g. annotated/)")
    p.add_argument("--corpus", type=Path, metavar="DIR",
                   help="where the texts of stand-off gold documents are (default: the loader's)")
    p.add_argument("-o", "--output", type=Path, default=DEFAULT_MODEL, metavar="DIR",
                   help=f"model directory to write (default {DEFAULT_MODEL})")
    p.add_argument("--tagger", choices=LEARNED_TAGGERS, default="learned",
                   help="which tagger to train (default learned)")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="tagger hyperparameter (JSON value or string); repeatable")
    p.add_argument("--cv", type=int, default=DEFAULT_FOLDS, metavar="N",
                   help=f"cross-validation folds grouped by document (default {DEFAULT_FOLDS}; "
                        "0: skip)")
    p.add_argument("--seed", type=int, default=0, help="random_state of the tagger (default 0)")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.set_defaults(func=run)
    return p


def parse_params(items: Sequence[str]) -> dict[str, Any]:
    """``KEY=VALUE`` pairs (see :func:`nlp_pipeline.params.parse_params`)."""
    try:
        return _parse_params(items)
    except ValueError as exc:
        raise PipelineError(Errors.E034, detail=str(exc)) from None


def build_tagger(name: str, params: dict[str, Any], seed: int) -> Tagger:
    from . import get_tagger

    try:
        return get_tagger(name, **{"random_state": seed, **params})
    except TypeError as exc:
        raise PipelineError(Errors.E034, detail=f"bad --param for {name}: {exc}") from exc


def cross_validated_scores(
    tagger: Tagger, docs: Sequence[Any], gold: Sequence[Sequence[Mention]], folds: int,
) -> dict[str, Any]:
    """Tuple and span figures of ``tagger`` on documents held out from its training."""
    from ..evaluation import bootstrap_intervals, score

    groups = [d.doc_id for d in docs]
    n = min(folds, len(set(groups)))
    predicted: list[Mention] = []
    for train, test in GroupKFold(n_splits=n).split(docs, groups=groups):
        model = clone(tagger).fit([docs[i] for i in train], [gold[i] for i in train])
        for mentions in model.predict([docs[i] for i in test]):
            predicted.extend(mentions)
    scores = score([m for g in gold for m in g], predicted, doc_ids=groups)
    intervals = bootstrap_intervals(scores.per_document, figures=("tuple", "strict"))
    return {
        "method": f"{n}-fold cross-validation grouped by document",
        "tuple": scores.corpus["tuple"].to_dict(),
        "strict": scores.corpus["strict"].to_dict(),
        "tuple_f1_ci95": intervals["tuple"]["f1"].to_dict(),
        "attributes": {k: v.to_dict() for k, v in scores.attributes.items()},
    }


def train_model(
    name: str, docs: Sequence[Any], gold: Sequence[Sequence[Mention]],
    params: dict[str, Any] | None = None, seed: int = 0, folds: int = DEFAULT_FOLDS,
    sources: dict[str, dict[str, Any]] | None = None,
) -> tuple[Tagger, dict[str, Any]]:
    """Fit on all documents; return the tagger and the metadata to save with it."""
    if len(docs) < 1:
        raise PipelineError(Errors.E034, detail="no gold documents")
    tagger = build_tagger(name, params or {}, seed)
    started = time.perf_counter()
    try:
        tagger.fit(docs, gold)
    except ValueError as exc:  # e.g. no gold mention matches a detected quantity
        raise PipelineError(Errors.E034, detail=str(exc)) from exc
    seconds = time.perf_counter() - started
    meta: dict[str, Any] = {
        "training_documents": [_doc_record(d, g, (sources or {}).get(d.doc_id, {}))
                               for d, g in zip(docs, gold, strict=True)],
        "features": _feature_summary(tagger),
        "training_seconds": round(seconds, 1),
    }
    if hasattr(tagger, "describe_choice"):
        meta["hybrid_choice"] = tagger.describe_choice()
        meta["hybrid_cv_accuracy"] = {k: {o: round(a, 4) for o, a in v.items()}
                                      for k, v in tagger.cv_accuracy_.items()}
    if folds and len(docs) >= 2:
        meta["cross_validation"] = cross_validated_scores(tagger, docs, gold, folds)
    return tagger, meta


def _doc_record(doc: Any, gold: Sequence[Mention], extra: dict[str, Any]) -> dict[str, Any]:
    return {"doc_id": doc.doc_id, "sha256": hashlib.sha256(doc.text.encode()).hexdigest(),
            "mentions": len(gold), **{k: extra[k] for k in ("source", "genre") if k in extra}}


def _feature_summary(tagger: Tagger) -> dict[str, Any]:
    from ..features import GROUPS

    linker = getattr(tagger, "linker_", tagger)
    out: dict[str, Any] = {"groups": list(GROUPS),
                           "n_features": len(linker.vectorizer_.vocabulary_),
                           "use_rule_features": bool(getattr(tagger, "use_rule_features", False)),
                           "training_mentions": int(linker.n_train_mentions_)}
    detector = getattr(tagger, "detector_", None)
    if detector is not None:
        out["detector_features"] = len(detector.vectorizer_.vocabulary_)
    return out


def _say(args: argparse.Namespace, message: str) -> None:
    if not args.quiet:
        print(message, file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Entry point: load the gold, train, cross-validate, save; 1 with a message on failure."""
    try:
        from ..gold import load_gold
        from ..pipeline import make_document

        gold_docs = load_gold(args.gold, args.corpus)
        docs = [make_document(g.text, g.doc_id) for g in gold_docs]
        _say(args, f"training {args.tagger} on {len(docs)} documents …")
        tagger, meta = train_model(
            args.tagger, docs, [g.mentions for g in gold_docs], parse_params(args.param),
            args.seed, args.cv, {g.doc_id: dict(g.meta) for g in gold_docs})
        meta["command"] = _command(args)
        path = save_model(tagger, args.output, meta)
    except PipelineError as exc:
        print(f"nlp-pipeline train: {exc}", file=sys.stderr)
        return 1
    cv = meta.get("cross_validation")
    if cv:
        _say(args, f"{cv['method']}: tuple F1 {cv['tuple']['f1']:.4f} "
                   f"[{cv['tuple_f1_ci95']['low']:.4f}, {cv['tuple_f1_ci95']['high']:.4f}]")
    print(f"model written to {path} (trained in {meta['training_seconds']} s)")
    return 0


def _command(args: argparse.Namespace) -> str:
    words = ["nlp-pipeline", "train", "--gold", str(args.gold), "-o", str(args.output),
             "--tagger", args.tagger, "--cv", str(args.cv), "--seed", str(args.seed)]
    if args.corpus:
        words += ["--corpus", str(args.corpus)]
    for item in args.param:
        words += ["--param", item]
    return shlex.join(words)
