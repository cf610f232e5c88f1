"""Corpus runs: many files in, one record file out, past any bad document.

Documents are read, processed and written one at a time, so memory stays flat in the
corpus size. A failure is recorded with its file and the run goes on (unless
``fail_fast``); the summary lists every failure at the end.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Errors, PipelineError
from .pipeline import load_document
from .records import Mention, dumps
from .taggers import Tagger
from .writing import atomic_write

INPUT_SUFFIXES = (".txt",)


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named directly, and every ``.txt`` below directories, in sorted order.

    Symlinked directories are not followed (no loops); a file named on the command
    line is taken whatever its suffix.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*")
                if p.suffix.lower() in INPUT_SUFFIXES and p.is_file()
                and not any(part.is_symlink() for part in _parents_within(p, path))
            )
        else:
            yield path


def _parents_within(path: Path, root: Path) -> list[Path]:
    parents = []
    for parent in path.parents:
        if parent == root:
            break
        parents.append(parent)
    return parents


@dataclass
class RunSummary:
    documents: int = 0
    mentions: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def add(self, mentions: list[Mention]) -> None:
        self.documents += 1
        self.mentions.update(m.type for m in mentions)

    def report(self) -> str:
        lines = [f"documents: {self.documents} processed, {len(self.failures)} failed"]
        total = sum(self.mentions.values())
        per_type = ", ".join(f"{k} {v}" for k, v in sorted(self.mentions.items()))
        lines.append(f"mentions: {total}" + (f" ({per_type})" if per_type else ""))
        lines += [f"failed: {failure}" for failure in self.failures]
        return "\n".join(lines)


def tag_file(path: Path, tagger: Tagger) -> list[Mention]:
    return tagger.predict([load_document(path)])[0]


def run_corpus(
    paths: Iterable[str | Path],
    output: str | Path,
    tagger: Tagger,
    *,
    fail_fast: bool = False,
    progress: bool = False,
) -> RunSummary:
    """Tag every input file and write all records to ``output`` atomically."""
    files = list(iter_input_files(paths))
    if not files:
        raise PipelineError(Errors.E041, paths=", ".join(map(str, paths)))
    summary = RunSummary()
    iterator: Iterable[Path] = files
    if progress:
        from tqdm import tqdm

        iterator = tqdm(files, unit="doc", file=sys.stderr)
    with atomic_write(output) as out:
        for path in iterator:
            try:
                mentions = tag_file(path, tagger)
            except PipelineError as exc:
                if fail_fast:
                    raise
                summary.failures.append(str(exc))
                continue
            for mention in mentions:
                out.write(dumps(mention) + "\n")
            summary.add(mentions)
    return summary
