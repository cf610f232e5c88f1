"""``nlp-pipeline import``: corrected annotations from Label Studio or brat → gold JSONL.

The round trip for a new report: ``extract --format labelstudio`` (or ``brat``)
pre-annotates it, an annotator corrects it in the tool, and this command turns the
tool's export back into gold records (GUIDELINES §3, no ``tagger`` field) ready for
``annotated/``. Every problem in the input is listed, and nothing is written while
there is one; notes (values whose sign should be checked, tasks with no annotation)
are printed but do not block.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..records import write_jsonl
from .correction import ImportResult

SOURCES = ("labelstudio", "brat")


def read_annotations(source: str, inputs: Sequence[str | Path]) -> ImportResult:
    """Gold records from a Label Studio export (JSON files) or brat ``.ann`` files/dirs."""
    if source == "labelstudio":
        from .labelstudio import read_labelstudio

        result = ImportResult()
        for path in inputs:
            result.extend(read_labelstudio(path))
        return result
    if source == "brat":
        from .brat import read_brat

        return read_brat(inputs)
    raise ValueError(f"unknown source {source!r}; choose one of {', '.join(SOURCES)}")


def import_gold(source: str, inputs: Sequence[str | Path], output: str | Path) -> ImportResult:
    """Read the annotations and write them to ``output`` atomically, unless a problem blocks."""
    result = read_annotations(source, inputs)
    if not result.problems:
        mentions = sorted(result.mentions, key=lambda m: (m.doc_id, m.start, m.end))
        write_jsonl(output, [m.replace(tagger=None, confidence=None) for m in mentions])
    return result


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``import`` on the ``nlp-pipeline`` subcommands."""
    p = subparsers.add_parser(
        "import", help="turn a Label Studio export or brat .ann files into gold JSONL",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    p.add_argument("--from", dest="source", choices=SOURCES, required=True,
                   help="labelstudio: a JSON export; brat: .ann files or directories")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="export file(s) or directories")
    p.add_argument("-o", "--output", required=True, help="gold records to write (JSON Lines)")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Exit 0 when written, 1 when problems blocked the import (each one is printed)."""
    result = import_gold(args.source, args.inputs, args.output)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    for problem in sorted(result.problems, key=lambda e: (e.path or "", e.line or 0)):
        print(f"error: {problem}", file=sys.stderr)
    if result.problems:
        print(f"{len(result.problems)} problem(s); nothing written", file=sys.stderr)
        return 1
    print(f"{len(result.mentions)} mentions from {result.documents} documents "
          f"written to {args.output}", file=sys.stderr)
    return 0
