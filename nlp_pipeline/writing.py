"""Atomic file output and the checkpoint that lets a corpus run resume.

A killed run leaves the old file or the new one, never half: every file is written
to a temporary file beside its target and renamed over it (``os.replace`` is atomic
on POSIX and Windows).

The checkpoint of a corpus run writing ``OUT`` is the directory ``OUT.parts/``:

* ``manifest.json`` — the tagger and the input files (absolute path, size, mtime)
  the run was started for;
* ``000123.jsonl`` — one part per finished document (the 124th input), written
  atomically as soon as the document is done: a header line
  ``{"part": 123, "records": N}`` and then the document's N records, exactly as
  they will appear in ``OUT``.

At the end the parts are concatenated in input order into ``OUT`` (atomically) and
the directory is removed — or kept when documents failed, so that ``--resume``
after fixing them redoes only those. ``--resume`` keeps every valid part of a
matching checkpoint; a part whose input file changed since, or whose header does
not match its content (a power cut before the data reached the disk), is redone.
Parts are not fsynced — a rename is enough against a killed process, and the header
catches the rest — while the final output is.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO

from .errors import Errors, PipelineError

#: Bumped when the layout of ``OUT.parts/`` changes; an old checkpoint is not resumed.
CHECKPOINT_VERSION = 1
PARTS_SUFFIX = ".parts"


def _default_permissions() -> int:
    """0666 less the umask: what a plain ``open`` gives (``mkstemp`` gives 0600)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_write(
    path: str | Path, mode: str = "w", encoding: str | None = "utf-8", *, durable: bool = True
) -> Iterator[IO]:
    """Write to a temporary file beside ``path``, then rename it over ``path``.

    ``durable`` fsyncs before the rename, so the new file survives a power cut too;
    checkpoint parts skip it (see the module docstring).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    binary = "b" in mode
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, encoding=None if binary else encoding, newline=None) as fh:
            yield fh
            fh.flush()
            os.fchmod(fh.fileno(), _default_permissions())
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def parts_dir(output: str | Path) -> Path:
    """The checkpoint directory of ``output``: ``OUT.parts`` beside it."""
    output = Path(output)
    return output.with_name(output.name + PARTS_SUFFIX)


def _stamp(path: Path) -> list:
    """What identifies an input file's content cheaply: absolute path, size, mtime."""
    try:
        st = path.stat()
    except OSError:
        return [str(path.absolute()), None, None]
    return [str(path.absolute()), st.st_size, st.st_mtime_ns]


class Checkpoint:
    """The ``OUT.parts/`` directory of one corpus run (see the module docstring)."""

    def __init__(self, output: str | Path, inputs: Sequence[Path], tagger_id: str) -> None:
        self.output = Path(output)
        self.dir = parts_dir(output)
        self.inputs = list(inputs)
        self.tagger_id = tagger_id
        self.manifest = {
            "version": CHECKPOINT_VERSION,
            "tagger": tagger_id,
            "inputs": [_stamp(p) for p in self.inputs],
        }
        self.done: set[int] = set()
        self.discarded = 0  # parts of an earlier run thrown away by a fresh start

    # ---- starting ----
    def start(self, resume: bool) -> set[int]:
        """Prepare the directory; return the indices of documents already finished."""
        if resume and self.dir.is_dir():
            self.done = self._resumable()
        else:
            self.discarded = len(list(self.dir.glob("[0-9]*.jsonl")))
            self.discard()
        self.dir.mkdir(parents=True, exist_ok=True)
        for stale in self.dir.glob(".*.tmp"):  # temporary parts of a killed run
            stale.unlink(missing_ok=True)
        with atomic_write(self.dir / "manifest.json", durable=False) as fh:
            json.dump(self.manifest, fh, ensure_ascii=False)
        return set(self.done)

    def _resumable(self) -> set[int]:
        try:
            old = json.loads((self.dir / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = None
        same = (
            isinstance(old, dict)
            and old.get("version") == CHECKPOINT_VERSION
            and old.get("tagger") == self.tagger_id
            and [i[0] for i in old.get("inputs", [])] == [i[0] for i in self.manifest["inputs"]]
        )
        if not same:
            raise PipelineError(Errors.E042, parts=str(self.dir))
        done = set()
        stamps = zip(old["inputs"], self.manifest["inputs"], strict=True)
        for index, (before, now) in enumerate(stamps):
            if before == now and self._valid(index):
                done.add(index)
            else:
                self.part(index).unlink(missing_ok=True)
        return done

    def _valid(self, index: int) -> bool:
        """The part exists and holds as many records as its header says."""
        try:
            with self.part(index).open(encoding="utf-8") as fh:
                header = json.loads(fh.readline())
                count = sum(1 for line in fh if line.endswith("\n"))
        except (OSError, ValueError):
            return False
        return isinstance(header, dict) and header == {"part": index, "records": count}

    # ---- during the run ----
    def part(self, index: int) -> Path:
        return self.dir / f"{index:06d}.jsonl"

    def save(self, index: int, lines: Sequence[str]) -> None:
        """Record a finished document: its JSON lines (without newlines), atomically."""
        with atomic_write(self.part(index), durable=False) as fh:
            fh.write(json.dumps({"part": index, "records": len(lines)}) + "\n")
            for line in lines:
                fh.write(line + "\n")
        self.done.add(index)

    def lines(self, index: int) -> Iterator[str]:
        """The records of a finished document, as JSON lines (newline stripped)."""
        with self.part(index).open(encoding="utf-8") as fh:
            fh.readline()
            for line in fh:
                yield line.rstrip("\n")

    # ---- finishing ----
    def concatenate(self, indices: Iterable[int], output: str | Path | None = None) -> None:
        """Write the parts of ``indices``, in that order, atomically into ``output``."""
        with atomic_write(output or self.output, "wb") as out:
            for index in indices:
                with self.part(index).open("rb") as fh:
                    fh.readline()
                    shutil.copyfileobj(fh, out, 1 << 20)

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
