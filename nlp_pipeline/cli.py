"""The ``nlp-pipeline`` command: one subcommand per job, argparse for parsing."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from . import __version__
from .errors import Errors, PipelineError


def _formats() -> tuple[str, ...]:
    try:
        from .formats import FORMATS
    except ImportError:  # the formats package is optional to this command
        return ("jsonl",)
    return FORMATS


def _add_extract(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "extract", help="tag report texts and write one record per mention",
        description="Tag report texts and write one record per mention. Exit status: 0 all "
        "documents done, 1 some failed (listed at the end), 2 the run could not go on.",
    )
    p.add_argument("paths", nargs="+", help="files, or directories searched for .txt reports")
    p.add_argument("-o", "--output", required=True, help="output file (JSON Lines by default)")
    p.add_argument("--tagger", default="rules", help="rules (default), learned or hybrid")
    p.add_argument("--model", metavar="DIR",
                   help="trained model for --tagger learned|hybrid (default: models/default; "
                   "build one with: nlp-pipeline train --gold annotated/ -o models/default)")
    p.add_argument("--format", default="jsonl", choices=_formats(), help="output format")
    p.add_argument("--fail-fast", action="store_true", help="stop at the first bad document")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--resume", action="store_true",
                   help="continue an interrupted run from OUTPUT.parts/, redoing nothing finished")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="tag on N processes (output identical to one process)")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local processes (default) or a Dask cluster (needs the [dask] extra)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler, e.g. tcp://10.0.0.5:8786; default: a local cluster "
                   "of --workers processes")
    p.set_defaults(func=_run_extract)


def _run_extract(args: argparse.Namespace) -> int:
    from .runner import run_corpus
    from .taggers.model_io import tagger_for_extract
    from .writing import parts_dir

    if args.scheduler and args.engine != "dask":
        raise PipelineError(Errors.E047, option="--scheduler", detail="needs --engine dask")
    tagger = tagger_for_extract(args.tagger, args.model)
    progress = not args.quiet and sys.stderr.isatty()
    try:
        summary = run_corpus(
            args.paths, args.output, tagger, fail_fast=args.fail_fast, progress=progress,
            workers=args.workers, resume=args.resume, engine=args.engine,
            scheduler=args.scheduler, fmt=args.format,
        )
    except (KeyboardInterrupt, PipelineError) as exc:
        parts = parts_dir(args.output)
        if any(parts.glob("*.jsonl")):
            stopped = "interrupted" if isinstance(exc, KeyboardInterrupt) else f"error: {exc}"
            print(f"nlp-pipeline: {stopped}\nnlp-pipeline: finished documents are kept in "
                  f"{parts}; rerun with --resume to continue", file=sys.stderr)
            return 130 if isinstance(exc, KeyboardInterrupt) else 2
        raise
    print(summary.report(), file=sys.stderr)
    return 1 if summary.failures else 0


#: Modules that each add one subcommand with ``add_parser(subparsers)``.
SUBCOMMAND_MODULES = (
    "evaluation.command",  # evaluate
    "gold",  # check-gold
    "table_frames",  # tables
    "formats.show",  # show
    "formats.importers",  # import
    "taggers.train",  # train
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nlp-pipeline",
        description="Find and tag quantities in Chinese social-insurance fund reports.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_extract(sub)
    for module in SUBCOMMAND_MODULES:
        importlib.import_module(f"nlp_pipeline.{module}").add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except PipelineError as exc:
        print(f"nlp-pipeline: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("nlp-pipeline: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
