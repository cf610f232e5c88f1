"""Corpus runs: past bad documents, identical output however computed, resumable, atomic."""

from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nlp_pipeline.errors import Errors, PipelineError
from nlp_pipeline.records import read_jsonl
from nlp_pipeline.runner import _in_order, list_inputs, run_corpus
from nlp_pipeline.taggers import RuleTagger
from nlp_pipeline.writing import atomic_write, parts_dir


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, seed_paths) -> Path:
    """The seed reports, plus one copy in GB18030 with CRLF line ends, in two folders."""
    root = tmp_path_factory.mktemp("corpus")
    (root / "b").mkdir()
    for i, (doc_id, path) in enumerate(sorted(seed_paths.items())):
        shutil.copy(path, root / ("b" if i % 2 else "") / f"{doc_id}.txt")
    text = Path(seed_paths["000_7d830695de981ce9"]).read_text(encoding="utf-8")
    (root / "b" / "gbk_copy.txt").write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    return root


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> bytes:
    """The output of a plain single-process run, which every other way must reproduce."""
    out = tmp_path_factory.mktemp("ref") / "out.jsonl"
    summary = run_corpus([corpus], out, RuleTagger())
    assert summary.documents == 6 and not summary.failures
    return out.read_bytes()


def _bad_inputs(folder: Path) -> None:
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    (folder / "cut.txt").write_bytes("基金收入3347188万元".encode()[:-1])
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "notes.md").write_text("not a report", encoding="utf-8")
    (folder / ".hidden.txt").write_text("editor backup", encoding="utf-8")
    (folder / "loop").symlink_to(folder, target_is_directory=True)


def test_run_goes_on_past_bad_documents_and_lists_them(corpus, reference, tmp_path):
    bad = tmp_path / "bad"
    _bad_inputs(bad)
    out = tmp_path / "out.jsonl"
    summary = run_corpus([corpus, bad], out, RuleTagger())
    codes = sorted(failure.split("]")[0].lstrip("[") for failure in summary.failures)
    assert codes == ["E001", "E002", "E005", "E006", "E006"]
    assert all(str(bad) in failure for failure in summary.failures)
    assert summary.documents == 6 and summary.skipped == 1  # notes.md; hidden files unseen
    assert out.read_bytes() == reference  # good documents complete, in input order
    assert summary.checkpoint == str(parts_dir(out))  # kept for a --resume after fixing
    report = summary.report()
    assert "6 processed, 5 failed" in report and report.count("failed: [E") == 5


def test_summary_counts_mentions_per_type(corpus, reference, tmp_path):
    summary = run_corpus([corpus], tmp_path / "out.jsonl", RuleTagger())
    types = [json.loads(line)["type"] for line in reference.decode().splitlines()]
    assert dict(summary.mentions) == {t: types.count(t) for t in set(types)}
    assert not parts_dir(tmp_path / "out.jsonl").exists()  # removed after a clean run


def test_fail_fast_stops_at_first_bad_document_and_keeps_old_output(corpus, tmp_path):
    (tmp_path / "in").mkdir()
    shutil.copy(next(corpus.glob("*.txt")), tmp_path / "in" / "a.txt")
    (tmp_path / "in" / "b.txt").write_bytes(b"")
    (tmp_path / "in" / "c.txt").write_text("基金收入3347188万元。", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("old\n", encoding="utf-8")
    with pytest.raises(PipelineError) as info:
        run_corpus([tmp_path / "in"], out, RuleTagger(), fail_fast=True)
    assert info.value.code is Errors.E001 and "b.txt" in str(info.value)
    assert out.read_text(encoding="utf-8") == "old\n"


def test_no_input_files_is_E041(tmp_path):
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    with pytest.raises(PipelineError) as info:
        run_corpus([tmp_path], tmp_path / "out.jsonl", RuleTagger())
    assert info.value.code is Errors.E041


def test_workers_give_byte_identical_output(corpus, reference, tmp_path):
    out = tmp_path / "out.jsonl"
    summary = run_corpus([corpus], out, RuleTagger(), workers=2)
    assert summary.documents == 6
    assert out.read_bytes() == reference


def test_bad_option_values_are_E047(corpus, tmp_path):
    for options in ({"workers": 0}, {"engine": "spark"}):
        with pytest.raises(PipelineError) as info:
            run_corpus([corpus], tmp_path / "o.jsonl", RuleTagger(), **options)
        assert info.value.code is Errors.E047


class _Interrupting(RuleTagger):
    """Records which documents it tags; raises KeyboardInterrupt at document ``stop_at``."""

    seen: list[str] = []
    stop_at: int | None = None

    def tag_document(self, doc):
        if doc.path is not None:  # not the warm-up document
            if len(self.seen) == self.stop_at:
                raise KeyboardInterrupt
            self.seen.append(doc.doc_id)
        return super().tag_document(doc)


def test_resume_redoes_nothing_finished_and_equals_an_uninterrupted_run(
    corpus, reference, tmp_path, monkeypatch
):
    out = tmp_path / "out.jsonl"
    monkeypatch.setattr(_Interrupting, "seen", [])
    monkeypatch.setattr(_Interrupting, "stop_at", 3)
    with pytest.raises(KeyboardInterrupt):
        run_corpus([corpus], out, _Interrupting())
    first = list(_Interrupting.seen)
    assert len(first) == 3 and not out.exists()
    assert len(list(parts_dir(out).glob("*.jsonl"))) == 3
    monkeypatch.setattr(_Interrupting, "seen", [])
    monkeypatch.setattr(_Interrupting, "stop_at", None)
    summary = run_corpus([corpus], out, _Interrupting(), resume=True)
    assert not set(first) & set(_Interrupting.seen) and len(_Interrupting.seen) == 3
    assert summary.resumed == 3 and summary.documents == 6
    assert out.read_bytes() == reference
    assert not parts_dir(out).exists()


def test_resume_redoes_changed_inputs_and_damaged_parts(corpus, reference, tmp_path, monkeypatch):
    copy = tmp_path / "corpus"
    shutil.copytree(corpus, copy)
    out = tmp_path / "out.jsonl"
    monkeypatch.setattr(_Interrupting, "seen", [])
    monkeypatch.setattr(_Interrupting, "stop_at", 4)
    with pytest.raises(KeyboardInterrupt):
        run_corpus([copy], out, _Interrupting())
    files = list_inputs([copy]).files
    part = parts_dir(out) / "000001.jsonl"
    part.write_bytes(part.read_bytes()[:-40])  # a part cut short (power loss)
    os.utime(files[2], ns=(0, 0))  # an input touched since its part was written
    monkeypatch.setattr(_Interrupting, "seen", [])
    monkeypatch.setattr(_Interrupting, "stop_at", None)
    run_corpus([copy], out, _Interrupting(), resume=True)
    assert _Interrupting.seen == [files[i].stem for i in (1, 2, 4, 5)]
    assert out.read_bytes() == reference


def test_resume_refuses_a_checkpoint_of_other_inputs_or_tagger(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out.jsonl"
    monkeypatch.setattr(_Interrupting, "seen", [])
    monkeypatch.setattr(_Interrupting, "stop_at", 2)
    with pytest.raises(KeyboardInterrupt):
        run_corpus([corpus], out, _Interrupting())
    for paths, tagger in (([corpus / "b"], _Interrupting()), ([corpus], RuleTagger())):
        with pytest.raises(PipelineError) as info:
            run_corpus(paths, out, tagger, resume=True)
        assert info.value.code is Errors.E042
    summary = run_corpus([corpus / "b"], out, RuleTagger())  # without --resume: afresh
    assert any("2 finished documents" in w for w in summary.warnings)
    assert not parts_dir(out).exists()


def test_write_record_and_writer_objects_get_records_in_input_order(corpus, reference, tmp_path):
    expected = reference.decode().splitlines()
    got: list[str] = []
    run_corpus([corpus], None, RuleTagger(), write_record=lambda m: got.append(m))
    assert [json.loads(line)["start"] for line in expected] == [m.start for m in got]

    class Collect:
        def __init__(self):
            self.docs, self.closed = [], False

        def add(self, doc, mentions):
            assert all(doc.text[m.start:m.end] == m.text for m in mentions)
            self.docs.append((doc.doc_id, len(mentions)))

        def close(self):
            self.closed = True

    sink = Collect()
    run_corpus([corpus], tmp_path / "out.jsonl", RuleTagger(), writer=sink, workers=2)
    assert sink.closed and sum(n for _, n in sink.docs) == len(expected)
    assert [d for d, _ in sink.docs] == [p.stem for p in list_inputs([corpus]).files]


def test_start_up_objects_are_frozen_during_a_run_and_released_after(corpus, tmp_path):
    """Full garbage collections skip the tagger's start-up objects during a run only;
    a caller's own freezing is left as it was."""
    assert gc.get_freeze_count() == 0
    frozen: list[int] = []  # read at the first record (counting walks the frozen objects)
    run_corpus([corpus], None, RuleTagger(),
               write_record=lambda m: frozen or frozen.append(gc.get_freeze_count()))
    assert frozen and frozen[0] > 0
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        run_corpus([corpus], tmp_path / "out.jsonl", RuleTagger())
        assert 0 < gc.get_freeze_count() <= before  # not unfrozen (frozen objects may die)
    finally:
        gc.unfreeze()


def test_formats_jsonl_writer_matches_the_built_in_output(corpus, reference, tmp_path):
    formats = pytest.importorskip("nlp_pipeline.formats")
    out = tmp_path / "out.jsonl"
    run_corpus([corpus], out, RuleTagger(), writer=formats.get_writer("jsonl", out))
    assert out.read_bytes() == reference


def test_directory_walk_reports_unreadable_folders_and_ends_symlink_loops(
    corpus, tmp_path, monkeypatch
):
    root = tmp_path / "root"
    shutil.copytree(corpus, root)
    (root / "b" / "up").symlink_to(root, target_is_directory=True)  # a loop
    (root / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    listing = list_inputs([root])
    assert sorted(p.name for p in listing.files) == sorted(p.name for p in corpus.rglob("*.txt"))
    assert [e.code for e in listing.problems] == [Errors.E007]
    assert "locked" in str(listing.problems[0])


def test_results_come_in_order_with_a_bounded_window():
    in_flight, most = [0], [0]

    class Done:
        def __init__(self, value):
            self.value = value
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])

        def result(self):
            in_flight[0] -= 1
            return self.value

    tasks = [(i, Path(f"{i}.txt")) for i in range(50)]
    results = list(_in_order(tasks, lambda t: Done(t[0]), window=4, on_lost=OSError))
    assert results == list(range(50)) and most[0] == 4


def test_dask_engine_gives_identical_output(corpus, reference, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        out = tmp_path / "out.jsonl"
        bad = tmp_path / "empty.txt"
        bad.write_bytes(b"")
        summary = run_corpus([corpus, bad], out, RuleTagger(), engine="dask", client=client)
    assert out.read_bytes() == reference
    assert len(summary.failures) == 1 and "E001" in summary.failures[0]


# ---------------------------------------------------------------- killed processes

_SLOW_WRITER = """
import sys, time
from nlp_pipeline.writing import atomic_write
with atomic_write(sys.argv[1]) as fh:
    for i in range(10_000):
        fh.write("基金收入3347188万元\\n" * 100)
        fh.flush()
        if i == 3:
            open(sys.argv[2], "w").close()
        time.sleep(0.01)
"""


def _wait_for(condition, process, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, "the process ended before it could be killed"
        assert time.monotonic() < deadline, "timed out waiting for the process"
        time.sleep(0.02)


def test_killed_atomic_write_leaves_the_old_file(tmp_path):
    target, ready = tmp_path / "out.jsonl", tmp_path / "ready"
    target.write_text("old\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, str(target), str(ready)])
    try:
        _wait_for(ready.exists, proc)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert target.read_text(encoding="utf-8") == "old\n"
    with atomic_write(target) as fh:
        fh.write("new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert oct(target.stat().st_mode & 0o777) != oct(0o600)  # a normal file's mode


def test_killed_corpus_run_keeps_old_output_and_resumes_to_the_same_result(
    seed_paths, tmp_path
):
    big = tmp_path / "big"
    big.mkdir()
    for copy in range(4):  # 20 documents: long enough to be killed part way
        for doc_id, path in seed_paths.items():
            shutil.copy(path, big / f"{copy}_{doc_id}.txt")
    out = tmp_path / "out.jsonl"
    out.write_text("old\n", encoding="utf-8")
    command = [sys.executable, "-m", "nlp_pipeline.cli", "extract", str(big), "-o", str(out),
               "--quiet"]
    proc = subprocess.Popen(command, stderr=subprocess.PIPE)
    try:
        _wait_for(lambda: len(list(parts_dir(out).glob("0*.jsonl"))) >= 3, proc)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.communicate()
    assert out.read_text(encoding="utf-8") == "old\n"  # never a partial file
    finished = len(list(parts_dir(out).glob("0*.jsonl")))
    assert 3 <= finished < 20
    summary = run_corpus([big], out, RuleTagger(), resume=True)
    assert summary.resumed == finished and summary.documents == 20
    whole = tmp_path / "whole.jsonl"
    run_corpus([big], whole, RuleTagger())
    assert out.read_bytes() == whole.read_bytes()
    assert len(read_jsonl(out)) == sum(summary.mentions.values())


def test_a_callers_writer_is_aborted_when_the_run_stops(corpus, tmp_path):
    class Recorder:
        def __init__(self):
            self.events = []

        def add(self, doc, mentions):
            self.events.append("add")

        def close(self):
            self.events.append("close")

        def abort(self):
            self.events.append("abort")

    (tmp_path / "0_bad.txt").write_bytes(b"")
    sink = Recorder()
    with pytest.raises(PipelineError):
        run_corpus([tmp_path / "0_bad.txt", corpus], tmp_path / "out.jsonl", RuleTagger(),
                   writer=sink, fail_fast=True)
    assert sink.events == ["abort"]
