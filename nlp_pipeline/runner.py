"""Corpus runs: many files in, one record file out, past any bad document.

A run has two phases. *Tagging*: each document is read, processed and its records
saved as one checkpoint part (:class:`~nlp_pipeline.writing.Checkpoint`), one
document at a time per process, so memory stays flat in the corpus size. *Writing*:
the parts are handed, in input order, to the output sink — by default concatenated
into the JSON Lines file — which commits atomically. A killed run therefore leaves
the previous output untouched and a checkpoint that ``resume=True`` continues from.

Tagging runs in this process, in ``workers`` processes (each builds its tagger once,
in the pool initializer) or on a Dask cluster (``engine="dask"``); results are taken
in input order, so the output is the same whichever way it was computed.

A bad document is recorded as a failure with its file (and the run goes on, unless
``fail_fast``); the summary lists every failure at the end.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .document import Document
from .errors import Errors, PipelineError
from .loading import check_regular_file, decode_bytes, read_text
from .pipeline import load_document, make_document
from .records import Mention, dumps, parse_record
from .taggers import Tagger
from .writing import Checkpoint

INPUT_SUFFIXES = (".txt",)
#: Documents in flight per worker: enough to keep workers busy, few enough that
#: results waiting for an earlier slow document stay a small, bounded buffer.
WINDOW_PER_WORKER = 4
ENGINES = ("local", "dask")


# ---------------------------------------------------------------- inputs


@dataclass
class InputListing:
    """The files of a run, in order, and what the listing itself ran into."""

    files: list[Path] = field(default_factory=list)
    problems: list[PipelineError] = field(default_factory=list)  # unreadable directories
    skipped: int = 0  # files in directories without an input suffix


def list_inputs(paths: Iterable[str | Path]) -> InputListing:
    """Files named directly, and every ``.txt`` below directories, sorted per directory.

    A file named on the command line is taken whatever its suffix. Below a directory,
    hidden entries (``.git``, editor files) and other suffixes are skipped; symlinked
    directories are followed, but each directory is entered once, so a symlink loop
    ends. A ``.txt`` entry that is no regular file (FIFO, dangling or looping symlink)
    is listed, and fails with E006 when read — it is reported, not silently dropped.
    """
    listing = InputListing()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            _walk(path, listing)
        else:
            listing.files.append(path)
    return listing


def _walk(root: Path, listing: InputListing) -> None:
    seen: set[tuple[int, int]] = set()

    def on_error(exc: OSError) -> None:
        where = exc.filename or root
        listing.problems.append(
            PipelineError(Errors.E007, where, detail=exc.strerror or str(exc))
        )

    for folder, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=True):
        st = os.stat(folder)
        if (st.st_dev, st.st_ino) in seen:
            dirnames[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            if name.lower().endswith(INPUT_SUFFIXES):
                listing.files.append(Path(folder) / name)
            else:
                listing.skipped += 1


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The input files of :func:`list_inputs`, for callers that need only those."""
    yield from list_inputs(paths).files


# ---------------------------------------------------------------- tagging one document


@dataclass
class DocResult:
    """What tagging one document gives back to the main process (picklable)."""

    index: int
    path: str
    mentions: list[Mention] = field(default_factory=list)
    chars: int = 0
    error: tuple[str, str | None, dict[str, Any]] | None = None  # code, path, fields

    @classmethod
    def failed(cls, index: int, path: str | Path, exc: PipelineError) -> DocResult:
        # PipelineError itself does not pickle (its __init__ takes a code), so send parts
        return cls(index, str(path), error=(exc.code.name, exc.path, exc.fields))

    def exception(self) -> PipelineError:
        assert self.error is not None
        code, path, fields = self.error
        return PipelineError(Errors[code], path, **fields)


def tag_bytes(tagger: Tagger, index: int, path: str, data: bytes) -> DocResult:
    """Decode and tag one document; any failure becomes a result, never a crash."""
    try:
        text, _ = decode_bytes(data, path)
        doc = make_document(text, doc_id=Path(path).stem, path=path)
        return DocResult(index, path, tagger.predict([doc])[0], chars=len(text))
    except PipelineError as exc:
        return DocResult.failed(index, path, exc)
    except Exception as exc:  # a tagger bug on one document must not end the corpus run
        detail = f"{type(exc).__name__}: {exc}"
        return DocResult.failed(index, path, PipelineError(Errors.E046, path, detail=detail))


def read_input(path: str | Path) -> bytes:
    """The bytes of an input file, after checking it is one (E004/E006)."""
    check_regular_file(path)
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise PipelineError(Errors.E004, path, detail=exc.strerror or str(exc)) from exc


def tag_path(tagger: Tagger, index: int, path: str | Path) -> DocResult:
    try:
        data = read_input(path)
    except PipelineError as exc:
        return DocResult.failed(index, path, exc)
    return tag_bytes(tagger, index, str(path), data)


def tag_file(path: Path, tagger: Tagger) -> list[Mention]:
    """Tag one file, raising on a bad one (the single-document API)."""
    return tagger.predict([load_document(path)])[0]


def warm_up(tagger: Tagger) -> Tagger:
    """Pay the start-up costs (lexicons, compiled patterns) once, before the first document."""
    tagger.predict([make_document("2018年基金收入3347188万元，增长22%，参保1.2万人。")])
    return tagger


@contextlib.contextmanager
def startup_frozen() -> Iterator[None]:
    """Keep what start-up built out of the garbage collector's full passes, for a run.

    jieba's dictionaries, the lexicons and a model are a few hundred thousand objects
    that live as long as the process. Every full collection walks all of them — about
    0.1 s each, 12-15% of the hybrid tagger's time on a long run — although none can
    ever be garbage. ``gc.freeze`` moves them out of the collector's sight (reference
    counting still frees whatever is dropped); the documents of the run are collected
    as before, so memory stays flat. Undone at the end unless the caller had frozen.
    """
    if gc.get_freeze_count():  # the caller manages freezing
        yield
        return
    gc.collect()  # garbage left by the warm-up is collected, not frozen
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


# ---------------------------------------------------------------- executors


Task = tuple[int, Path]


class _Ready:
    """A result that needs no computing, in the shape of a future."""

    def __init__(self, value: DocResult) -> None:
        self.value = value

    def result(self) -> DocResult:
        return self.value


def _in_order(
    tasks: Iterable[Task], submit: Callable[[Task], Any], window: int, on_lost: type[BaseException]
) -> Iterator[DocResult]:
    """Submit tasks with at most ``window`` in flight; yield results in task order."""
    pending: deque[tuple[Task, Any]] = deque()

    def take() -> DocResult:
        (index, path), future = pending.popleft()
        try:
            return future.result()
        except on_lost as exc:
            detail = f"{type(exc).__name__}: {exc}".rstrip(": ")
            raise PipelineError(Errors.E043, path, detail=detail) from exc

    for task in tasks:
        pending.append((task, submit(task)))
        if len(pending) >= window:
            yield take()
    while pending:
        yield take()


def _serial(tasks: Sequence[Task], tagger: Tagger) -> Iterator[DocResult]:
    for index, path in tasks:
        yield tag_path(tagger, index, path)


_WORKER_TAGGER: Tagger | None = None


def _init_worker(tagger: Tagger) -> None:
    """Pool initializer: the tagger is unpickled and warmed up once per process."""
    global _WORKER_TAGGER
    _WORKER_TAGGER = warm_up(tagger)
    gc.collect()
    gc.freeze()  # for the worker's lifetime: see startup_frozen


def _work(index: int, path: Path) -> DocResult:
    assert _WORKER_TAGGER is not None, "worker not initialized"
    return tag_path(_WORKER_TAGGER, index, path)


def _process_pool(tasks: Sequence[Task], tagger: Tagger, workers: int) -> Iterator[DocResult]:
    """Results from ``workers`` processes. The pool starts here, before the caller
    starts its progress bar's thread (forking a process with threads is fragile)."""
    pool = ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(tagger,))

    def results() -> Iterator[DocResult]:
        try:
            yield from _in_order(tasks, lambda t: pool.submit(_work, *t),
                                 workers * WINDOW_PER_WORKER, BrokenProcessPool)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    return results()


def _dask(tasks: Sequence[Task], tagger: Tagger, client: Any) -> Iterator[DocResult]:
    """Tag on a Dask cluster. Files are read here and sent as bytes, so the workers
    need no shared file system; the tagger is scattered once to every worker."""
    remote_tagger = client.scatter(tagger, broadcast=True, hash=False)
    threads = max(1, sum(client.nthreads().values()))

    def submit(task: Task) -> Any:
        index, path = task
        try:
            data = read_input(path)
        except PipelineError as exc:
            return _Ready(DocResult.failed(index, path, exc))
        return client.submit(tag_bytes, remote_tagger, index, str(path), data, pure=False)

    yield from _in_order(tasks, submit, threads * WINDOW_PER_WORKER, Exception)


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, workers: int = 1) -> Iterator[Any]:
    """A client of the scheduler at ``scheduler``, or of a local cluster of ``workers``
    single-threaded processes (the rule tagger is pure Python: threads would share
    one core)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise PipelineError(Errors.E044) from None
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise PipelineError(Errors.E045, address=scheduler, detail=str(exc)) from None
        with client:
            yield client
        return
    import logging

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as client:
        yield client


# ---------------------------------------------------------------- output sinks


class Sink(Protocol):
    """Where records go: ``nlp_pipeline.formats`` writers have this shape."""

    def add(self, doc: Document, mentions: list[Mention]) -> None: ...

    def close(self) -> None: ...


class RecordCallback:
    """Adapts a ``write_record(mention)`` callable to the :class:`Sink` shape."""

    def __init__(self, write_record: Callable[[Mention], object]) -> None:
        self.write_record = write_record

    def add(self, doc: Document, mentions: list[Mention]) -> None:
        for mention in mentions:
            self.write_record(mention)

    def close(self) -> None:
        pass


def make_writer(fmt: str, output: str | Path) -> Sink:
    """The writer of an output format (``nlp_pipeline.formats``)."""
    from .formats import get_writer

    return get_writer(fmt, output)


# ---------------------------------------------------------------- the run


@dataclass
class RunSummary:
    documents: int = 0  # documents tagged successfully (this run and resumed ones)
    resumed: int = 0  # of which finished by an earlier, interrupted run
    mentions: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    skipped: int = 0  # non-input files in directories
    chars: int = 0  # characters tagged by this run
    seconds: float = 0.0
    checkpoint: str | None = None  # kept for a later --resume
    warnings: list[str] = field(default_factory=list)

    def add(self, mentions: Iterable[Mention] | Iterable[str]) -> None:
        self.documents += 1
        self.mentions.update(m if isinstance(m, str) else m.type for m in mentions)

    def report(self) -> str:
        resumed = f" ({self.resumed} from the checkpoint)" if self.resumed else ""
        lines = [f"documents: {self.documents} processed{resumed}, {len(self.failures)} failed"]
        total = sum(self.mentions.values())
        per_type = ", ".join(f"{k} {v}" for k, v in sorted(self.mentions.items()))
        lines.append(f"mentions: {total}" + (f" ({per_type})" if per_type else ""))
        if self.seconds and self.chars:
            lines.append(f"speed: {self.chars / self.seconds:,.0f} characters/s "
                         f"({self.chars:,} in {self.seconds:.1f} s)")
        if self.skipped:
            lines.append(f"skipped: {self.skipped} files without a {'/'.join(INPUT_SUFFIXES)} "
                         "suffix in the input directories")
        lines += [f"warning: {warning}" for warning in self.warnings]
        lines += [f"failed: {failure}" for failure in self.failures]
        if self.checkpoint:
            lines.append(f"checkpoint kept in {self.checkpoint}: fix the failed files and rerun "
                         "with --resume to process only them")
        return "\n".join(lines)


def _duplicate_ids(files: Sequence[Path]) -> list[str]:
    counts = Counter(p.stem for p in files)
    return [f"doc_id {k!r} comes from {n} files; their records share it"
            for k, n in sorted(counts.items()) if n > 1]


def run_corpus(
    paths: Iterable[str | Path],
    output: str | Path | None,
    tagger: Tagger,
    *,
    fail_fast: bool = False,
    progress: bool = False,
    workers: int = 1,
    resume: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
    client: Any = None,
    fmt: str = "jsonl",
    writer: Sink | None = None,
    write_record: Callable[[Mention], object] | None = None,
) -> RunSummary:
    """Tag every input file and send all records, in input order, to the output.

    ``output`` is the JSON Lines file (or, with ``fmt``, the file or directory of
    that format); ``writer`` (an object with ``add(doc, mentions)`` and ``close()``)
    or ``write_record`` (called per record) replace the default sink. Without
    ``output`` nothing is checkpointed and records go to the sink as documents
    finish. ``engine="dask"`` runs on ``client`` or on the scheduler at ``scheduler``
    (default: a local cluster of ``workers`` processes).
    """
    paths = list(paths)
    _check_options(workers, engine, resume, output)
    listing = list_inputs(paths)
    summary = RunSummary(skipped=listing.skipped, warnings=_duplicate_ids(listing.files))
    for problem in listing.problems:
        if fail_fast:
            raise problem
        summary.failures.append(str(problem))
    if not listing.files:
        raise PipelineError(Errors.E041, paths=", ".join(map(str, paths)))
    if write_record is not None:
        writer = RecordCallback(write_record)
    with contextlib.ExitStack() as stack:
        if engine == "dask" and client is None:  # connect before touching any output
            client = stack.enter_context(dask_client(scheduler, workers))
        how = _How(fail_fast, progress, workers, engine, client)
        started = time.perf_counter()
        try:
            if output is None:
                _run_direct(listing.files, tagger, summary, how, writer)
            else:
                _run_checkpointed(listing.files, output, tagger, summary, how, resume, fmt,
                                  writer)
        except BaseException:
            _abort(writer)  # a caller's writer must not leave a temporary file behind
            raise
        summary.seconds = time.perf_counter() - started
    return summary


def _abort(writer: Sink | None) -> None:
    abort = getattr(writer, "abort", None)
    if abort is not None:
        abort()


@dataclass(frozen=True)
class _How:
    """How phase one runs: the run_corpus options that do not concern the output."""

    fail_fast: bool
    progress: bool
    workers: int
    engine: str
    client: Any


def _run_direct(
    files: list[Path], tagger: Tagger, summary: RunSummary, how: _How, writer: Sink | None
) -> None:
    """No output file: records go to the sink as documents finish; nothing to resume."""
    if writer is None:
        raise PipelineError(Errors.E047, option="output", detail="or a writer is needed")
    _tag_all(files, set(), tagger, summary, how,
             on_done=lambda r: writer.add(_light_document(r.path), r.mentions))
    writer.close()


def _run_checkpointed(
    files: list[Path], output: str | Path, tagger: Tagger, summary: RunSummary, how: _How,
    resume: bool, fmt: str, writer: Sink | None,
) -> None:
    """Phase one into ``OUT.parts/``, phase two from there into the output."""
    checkpoint = Checkpoint(output, files, _tagger_id(tagger))
    done = checkpoint.start(resume)
    summary.resumed = len(done)
    if checkpoint.discarded:
        summary.warnings.append(f"started afresh: {checkpoint.discarded} finished documents of "
                                f"an earlier run in {checkpoint.dir} were discarded (--resume "
                                "continues such a run)")
    _tag_all(files, done, tagger, summary, how,
             on_done=lambda r: checkpoint.save(r.index, [dumps(m) for m in r.mentions]))
    _count_resumed(checkpoint, done, summary)
    finished = sorted(checkpoint.done)
    if writer is None and fmt == "jsonl":
        checkpoint.concatenate(finished)  # the parts already hold the exact lines
    else:
        _feed(writer or make_writer(fmt, output), checkpoint, finished)
    if summary.failures:
        summary.checkpoint = str(checkpoint.dir)
    else:
        checkpoint.discard()


def _check_options(workers: int, engine: str, resume: bool, output: object) -> None:
    if not isinstance(workers, int) or workers < 1:
        raise PipelineError(Errors.E047, option="--workers", detail=f"must be >= 1, not {workers}")
    if engine not in ENGINES:
        raise PipelineError(Errors.E047, option="--engine",
                            detail=f"must be one of {', '.join(ENGINES)}, not {engine!r}")
    if resume and output is None:
        raise PipelineError(Errors.E047, option="--resume", detail="needs an output file")


def _tagger_id(tagger: Tagger) -> str:
    """What must match for a checkpoint to be resumed: the tagger's class and parameters,
    and for a trained tagger its fitted parameters (two models, same settings)."""
    ident = f"{type(tagger).__module__}.{type(tagger).__qualname__}{tagger.get_params()}"
    if getattr(tagger, "requires_fit", False):
        from .taggers.model_io import fingerprint

        ident += f"@{fingerprint(tagger)}"
    return ident


def _tag_all(
    files: Sequence[Path], done: set[int], tagger: Tagger, summary: RunSummary, how: _How,
    on_done: Callable[[DocResult], None],
) -> None:
    """Phase one: tag every file not in ``done`` and hand each success to ``on_done``."""
    tasks = [(i, p) for i, p in enumerate(files) if i not in done]
    with contextlib.ExitStack() as stack:
        if how.engine == "dask":
            results = _dask(tasks, tagger, how.client)
        elif how.workers > 1 and len(tasks) > 1:
            results = _process_pool(tasks, tagger, how.workers)
        else:
            results = _serial(tasks, warm_up(tagger) if tasks else tagger)
            stack.enter_context(startup_frozen())
        stack.callback(getattr(results, "close", lambda: None))
        bar = stack.enter_context(_progress(len(files), len(done), how.progress))
        for result in results:
            bar.update(1)
            if result.error is not None:
                if how.fail_fast:
                    raise result.exception()
                summary.failures.append(str(result.exception()))
                bar.set_postfix(failed=len(summary.failures), refresh=False)
                continue
            on_done(result)
            summary.add(result.mentions)
            summary.chars += result.chars


def _progress(total: int, initial: int, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, unit="doc", disable=not enabled,
                dynamic_ncols=True, leave=False)


def _count_resumed(checkpoint: Checkpoint, done: set[int], summary: RunSummary) -> None:
    for index in sorted(done):
        summary.add(json.loads(line)["type"] for line in checkpoint.lines(index))


def _light_document(path: str | Path) -> Document:
    """What a writer gets: id, text and path. Stage annotations are not carried back
    from workers; writers that need them run the stages (``formats.context.prepared``)."""
    return Document(doc_id=Path(path).stem, text=read_text(path), path=str(path))


def _feed(writer: Sink, checkpoint: Checkpoint, indices: Sequence[int]) -> None:
    """Phase two for a writer: every finished document's records, in input order."""
    try:
        for index in indices:
            part = checkpoint.part(index)
            mentions = [
                parse_record(json.loads(line), path=part, line=n, check_ids=False)
                for n, line in enumerate(checkpoint.lines(index), start=2)
            ]
            writer.add(_light_document(checkpoint.inputs[index]), mentions)
    except BaseException:
        _abort(writer)
        raise
    writer.close()
