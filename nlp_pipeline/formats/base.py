"""The writer interface every output format implements, and atomic commit helpers.

A corpus run hands a writer one document at a time (``add``) and commits once at the
end (``close``). Until then everything goes to a temporary file or directory beside
the target, so a killed or failed run leaves the previous output untouched — the same
promise :func:`nlp_pipeline.writing.atomic_write` makes for single files.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType
from typing import IO, ClassVar

from ..document import Document
from ..errors import PipelineError
from ..records import Mention
from ..writing import atomic_write
from .errors import FormatErrors


def permissions(full: int) -> int:
    """``full`` less the umask: what a plain ``open`` would have given (mkstemp gives 0600)."""
    mask = os.umask(0)
    os.umask(mask)
    return full & ~mask


class _Aborted(Exception):
    """Thrown into ``atomic_write`` to make it discard its temporary file."""


class Writer:
    """Receives (document, mentions) pairs; ``close`` commits, ``abort`` discards.

    Use as a context manager: leaving the block normally commits, an exception aborts.
    """

    #: The ``--format`` name.
    name: ClassVar[str] = ""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._done = False

    def add(self, doc: Document, mentions: list[Mention]) -> None:
        raise NotImplementedError

    def _commit(self) -> None:
        raise NotImplementedError

    def _discard(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Finish and atomically publish the output (idempotent)."""
        if not self._done:
            self._done = True
            self._commit()

    def abort(self) -> None:
        """Throw the partial output away; the previous output stays (idempotent)."""
        if not self._done:
            self._done = True
            self._discard()

    def __enter__(self) -> Writer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


class FileWriter(Writer):
    """A writer whose output is one file, streamed through ``atomic_write``."""

    #: ``"w"`` for text formats, ``"wb"`` for binary ones.
    mode: ClassVar[str] = "w"

    def __init__(self, path: str | Path) -> None:
        super().__init__(path)
        self._stack = contextlib.ExitStack()
        self.fh: IO = self._stack.enter_context(atomic_write(self.path, self.mode))

    def _finish(self) -> None:
        """Write whatever must come last (a footer, buffered data) before the commit."""

    def _commit(self) -> None:
        try:
            self._finish()
            os.fchmod(self.fh.fileno(), permissions(0o666))
        except BaseException:
            self._discard()
            raise
        self._stack.close()

    def _discard(self) -> None:
        error = _Aborted()
        self._stack.__exit__(_Aborted, error, None)


#: The first line of the ``annotation.conf`` we write; marks a directory as ours.
OUTPUT_MARK = "# written by nlp-pipeline"
_OUR_SUFFIXES = {".txt", ".ann", ".conf"}


def _is_our_output(path: Path) -> bool:
    """An empty directory, or one holding only files of a previous export of ours."""
    entries = list(path.iterdir())
    if not entries:
        return True
    conf = path / "annotation.conf"
    if not conf.is_file() or not conf.read_text(encoding="utf-8").startswith(OUTPUT_MARK):
        return False
    return all(p.is_file() and p.suffix in _OUR_SUFFIXES for p in entries)


class DirectoryWriter(Writer):
    """A writer whose output is a directory, built in a temporary one and renamed.

    An existing target is replaced only when it is a previous export of ours (or
    empty), so pointing ``-o`` at ``annotated/`` by mistake cannot delete anything.
    """

    def __init__(self, path: str | Path) -> None:
        super().__init__(path)
        if self.path.exists() and not (self.path.is_dir() and _is_our_output(self.path)):
            raise PipelineError(FormatErrors.E051, self.path, detail=str(self.path))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.", dir=self.path.parent))
        self.tmp.chmod(permissions(0o777))

    def write_file(self, name: str, text: str) -> None:
        """Write one file into the directory being built (UTF-8, ``\\n`` line ends)."""
        with (self.tmp / name).open("w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())

    def _finish(self) -> None:
        """Write the files that describe the whole directory."""

    def _commit(self) -> None:
        try:
            self._finish()
        except BaseException:
            self._discard()
            raise
        if not self.path.exists():
            os.replace(self.tmp, self.path)
            return
        # A non-empty directory cannot be renamed over: move the old one aside first.
        old = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.old.", dir=self.path.parent))
        os.replace(self.path, old / "previous")
        try:
            os.replace(self.tmp, self.path)
        except BaseException:
            os.replace(old / "previous", self.path)
            self._discard()
            raise
        finally:
            shutil.rmtree(old, ignore_errors=True)

    def _discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(self.tmp)
