"""The ``nlp-pipeline evaluate`` subcommand: run or read predictions, score, report.

``--tagger NAME`` runs a registered tagger over the gold documents' texts; a tagger
with ``requires_fit = True`` is scored by leave-one-document-out cross-validation,
never on its own training documents. ``--pred FILE`` scores any predictions in the
record format. ``--compare-tagger``/``--compare-pred`` adds a paired bootstrap
comparison against a second tagger on the same documents.

The gold loader, document builder and tagger registry belong to other modules and
are imported inside functions, so this module (and its parser) imports without them.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from ..params import parse_params as _parse_params
from ..records import Mention, read_jsonl, write_jsonl
from .bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED, bootstrap_intervals, paired_bootstrap
from .crossval import cross_val_predict, requires_crossval
from .report import format_table, write_report
from .scoring import Scores, score


class UsageError(Exception):
    """A mistake in how ``evaluate`` was called, reported as a message, not a traceback."""


@dataclass
class Run:
    """One tagger's predictions on the gold documents, and how they were obtained."""

    name: str
    method: str  # "direct", "leave-one-document-out" or "file"
    mentions: list[Mention]


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


def _confidence(text: str) -> float:
    value = float(text)
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {value}")
    return value


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``evaluate`` on an ``argparse`` subparsers object and return its parser."""
    p = subparsers.add_parser(
        "evaluate", help="score a tagger or a predictions file against gold annotations",
        description="Score a tagger (learned ones by leave-one-document-out "
                    "cross-validation) or a predictions file against gold annotations, "
                    "per GUIDELINES §4, with bootstrap intervals over documents.",
    )
    p.add_argument("--gold", required=True, type=Path, metavar="DIR",
                   help="directory of gold annotations (e.g. annotated/)")
    p.add_argument("--corpus", type=Path, metavar="DIR",
                   help="where the texts of stand-off gold documents are (default: the loader's)")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--tagger", metavar="NAME", help="run this tagger (rules, learned, hybrid)")
    source.add_argument("--pred", type=Path, metavar="FILE",
                        help="score these predictions (.jsonl)")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="tagger hyperparameter (JSON value or string); repeatable")
    other = p.add_mutually_exclusive_group()
    other.add_argument("--compare-tagger", metavar="NAME",
                       help="paired bootstrap comparison against this tagger")
    other.add_argument("--compare-pred", type=Path, metavar="FILE",
                       help="paired bootstrap comparison against these predictions")
    p.add_argument("--report", type=Path, metavar="DIR",
                   help="write scores.json, summary.md, report.html and errors.jsonl here")
    p.add_argument("--save-pred", type=Path, metavar="FILE",
                   help="also write the scored predictions (e.g. the cross-validated ones)")
    p.add_argument("--bootstrap", type=_positive_int, default=DEFAULT_RESAMPLES, metavar="N",
                   help=f"bootstrap resamples of documents (default {DEFAULT_RESAMPLES}; 0: none)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="bootstrap seed (default 0)")
    p.add_argument("--confidence", type=_confidence, default=0.95,
                   help="interval coverage (default 0.95)")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.set_defaults(func=run)
    return p


def parse_params(items: Sequence[str]) -> dict[str, Any]:
    """``KEY=VALUE`` pairs (see :func:`nlp_pipeline.params.parse_params`)."""
    try:
        return _parse_params(items)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _say(args: argparse.Namespace, message: str) -> None:
    if not args.quiet:
        print(message, file=sys.stderr)


def run_tagger(name: str, params: dict[str, Any], gold_docs: Sequence[Any],
               args: argparse.Namespace) -> Run:
    """Predict every gold document; learned taggers only on documents held out from training."""
    from ..pipeline import make_document
    from ..taggers import get_tagger

    tagger = get_tagger(name, **params)
    docs = [make_document(g.text, g.doc_id) for g in gold_docs]
    if not requires_crossval(tagger):
        return Run(name, "direct", [m for ms in tagger.predict(docs) for m in ms])
    if len(docs) < 2:
        raise UsageError(f"tagger {name!r} learns from the gold, and leave-one-document-out "
                         "needs at least two gold documents")
    predictions = cross_val_predict(
        tagger, docs, [g.mentions for g in gold_docs], groups=[g.doc_id for g in gold_docs],
        progress=lambda i, n, doc: _say(args, f"[{name}] fold {i}/{n}: holding out {doc}"),
    )
    return Run(name, "leave-one-document-out", [m for ms in predictions for m in ms])


def read_predictions(path: Path) -> Run:
    """Predictions from a file; named after their ``tagger`` field, else the file name."""
    mentions = read_jsonl(path)
    taggers = {m.tagger for m in mentions if m.tagger}
    name = taggers.pop() if len(taggers) == 1 else path.stem
    return Run(name, "file", mentions)


def _score(run: Run, gold_docs: Sequence[Any]) -> Scores:
    return score(
        [m for g in gold_docs for m in g.mentions], run.mentions,
        doc_ids=[g.doc_id for g in gold_docs], texts={g.doc_id: g.text for g in gold_docs},
        doc_meta={g.doc_id: dict(g.meta) for g in gold_docs},
    )


def _command_line(args: argparse.Namespace) -> str:
    """The command that reproduces this evaluation, for the report."""
    words = ["nlp-pipeline", "evaluate", "--gold", str(args.gold)]
    if args.corpus:
        words += ["--corpus", str(args.corpus)]
    words += ["--tagger", args.tagger] if args.tagger else ["--pred", str(args.pred)]
    for item in args.param:
        words += ["--param", item]
    if args.compare_tagger:
        words += ["--compare-tagger", args.compare_tagger]
    if args.compare_pred:
        words += ["--compare-pred", str(args.compare_pred)]
    words += ["--bootstrap", str(args.bootstrap), "--seed", str(args.seed)]
    if args.confidence != 0.95:
        words += ["--confidence", str(args.confidence)]
    if args.report:
        words += ["--report", str(args.report)]
    return shlex.join(words)


def _version() -> str:
    try:
        return metadata.version("nlp-pipeline")
    except metadata.PackageNotFoundError:
        return "unknown"


def _meta(args: argparse.Namespace, run: Run, other: Run | None, n_docs: int) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "command": _command_line(args), "tagger": run.name, "method": run.method,
        "gold": str(args.gold), "documents": n_docs, "bootstrap_resamples": args.bootstrap,
        "seed": args.seed, "confidence": args.confidence, "nlp_pipeline_version": _version(),
    }
    if args.pred:
        meta["pred"] = str(args.pred)
    if other is not None:
        meta.update(compared_with=other.name, compared_method=other.method)
    return meta


def _obtain(tagger: str | None, pred: Path | None, params: dict[str, Any],
            gold_docs: Sequence[Any], args: argparse.Namespace) -> Run:
    if tagger:
        return run_tagger(tagger, params, gold_docs, args)
    assert pred is not None
    return read_predictions(pred)


def mark_table_mentions(gold_docs: Sequence[Any]) -> list[Any]:
    """Flag gold mentions that lie in a table block (``in_table``), so the report shows
    table cells and prose separately. The flag comes from the document's structure,
    not from the annotators, and so holds for any gold made with this project."""
    from ..pipeline import make_document

    for gold in gold_docs:
        doc = make_document(gold.text, gold.doc_id)
        spans = [doc.to_original(t.start, t.end) for t in getattr(doc, "tables", ())]
        gold.mentions = [
            m.replace(extra={**m.extra, "in_table": any(s <= m.start < e for s, e in spans)})
            for m in gold.mentions
        ]
    return list(gold_docs)


def evaluate(args: argparse.Namespace) -> int:
    """Score, print the table, and write the report."""
    from ..gold import load_gold

    params = parse_params(args.param)
    if params and not args.tagger:
        raise UsageError("--param sets hyperparameters of --tagger, not of --pred")
    gold_docs = mark_table_mentions(load_gold(args.gold, args.corpus))
    run_a = _obtain(args.tagger, args.pred, params, gold_docs, args)
    scores = _score(run_a, gold_docs)
    other = None
    comparison = None
    if args.compare_tagger or args.compare_pred:
        other = _obtain(args.compare_tagger, args.compare_pred, {}, gold_docs, args)
        comparison = paired_bootstrap(
            scores.per_document, _score(other, gold_docs).per_document,
            n_resamples=args.bootstrap or DEFAULT_RESAMPLES, confidence=args.confidence,
            seed=args.seed)
    intervals = None
    if args.bootstrap:
        intervals = bootstrap_intervals(scores.per_document, n_resamples=args.bootstrap,
                                        confidence=args.confidence, seed=args.seed)
    names = (run_a.name, other.name if other else "B")
    title = f"tagger {run_a.name} ({run_a.method}) on gold {args.gold}"
    print(format_table(scores, intervals=intervals, comparison=comparison, names=names,
                       title=title), end="")
    if args.save_pred:
        write_jsonl(args.save_pred, run_a.mentions)
    if args.report:
        meta = _meta(args, run_a, other, scores.n_documents)
        paths = write_report(args.report, scores, intervals=intervals, comparison=comparison,
                             names=names, meta=meta)
        print(f"report written to {args.report}: {', '.join(sorted(paths))}")
    return 0


def run(args: argparse.Namespace) -> int:
    """Entry point for the CLI: 0 on success, 2 with a message on a usage mistake.

    A :class:`PipelineError` (unreadable gold or predictions, unknown tagger) is left
    to the CLI's ``main``, which reports every subcommand's errors the same way.
    """
    try:
        return evaluate(args)
    except UsageError as exc:
        print(f"nlp-pipeline evaluate: error: {exc}", file=sys.stderr)
        return 2
