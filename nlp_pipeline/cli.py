"""The ``nlp-pipeline`` command: one subcommand per job, argparse for parsing."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__
from .errors import PipelineError


def _add_extract(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help="tag report texts and write one record per mention")
    p.add_argument("paths", nargs="+", help="files or directories of .txt reports")
    p.add_argument("-o", "--output", required=True, help="output file (JSON Lines)")
    p.add_argument("--tagger", default="rules", help="rules (default), learned or hybrid")
    p.add_argument("--fail-fast", action="store_true", help="stop at the first bad document")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_run_extract)


def _run_extract(args: argparse.Namespace) -> int:
    from .runner import run_corpus
    from .taggers import get_tagger

    tagger = get_tagger(args.tagger)
    progress = not args.quiet and sys.stderr.isatty()
    summary = run_corpus(args.paths, args.output, tagger, fail_fast=args.fail_fast,
                         progress=progress)
    print(summary.report(), file=sys.stderr)
    return 1 if summary.failures else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nlp-pipeline",
        description="Find and tag quantities in Chinese social-insurance fund reports.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_extract(sub)
    for module in ("evaluation.command", "gold"):
        try:
            mod = __import__(f"nlp_pipeline.{module}", fromlist=["add_parser"])
        except ImportError:
            continue
        if hasattr(mod, "add_parser"):
            mod.add_parser(sub)
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
        return 130


if __name__ == "__main__":
    sys.exit(main())
