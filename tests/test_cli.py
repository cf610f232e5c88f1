"""``nlp-pipeline extract``: exit status, one-line errors, summary and progress bar."""

from __future__ import annotations

import sys

import pytest

from nlp_pipeline.cli import main
from nlp_pipeline.records import read_jsonl
from nlp_pipeline.writing import parts_dir

# Seed 000 and seed 001 sentences (the project's own material).
REPORTS = {
    "a": "2018年区本级各项基金总收入3347188万元，较上年增加605635万元，增长22%。\n",
    "b": "各项基金总支出2643543万元，较上年增加457327万元，增长21%，完成年度预算96.1%。\n",
}


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def _run(capsys, *argv: str) -> tuple[int, str]:
    code = main(["extract", *map(str, argv)])
    return code, capsys.readouterr().err


def test_clean_run_exits_0_with_a_summary(corpus, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    code, err = _run(capsys, corpus, "-o", out, "--quiet")
    assert code == 0
    records = read_jsonl(out)
    assert {m.doc_id for m in records} == {"a", "b"}
    assert "documents: 2 processed, 0 failed" in err
    assert f"mentions: {len(records)} (MONEY " in err


def test_failures_exit_1_and_are_listed_one_line_each(corpus, tmp_path, capsys):
    (corpus / "c.txt").write_bytes(b"")
    (corpus / "d.txt").write_bytes(REPORTS["a"].encode("utf-8")[:-2])
    code, err = _run(capsys, corpus, "-o", tmp_path / "out.jsonl")
    failed = [line for line in err.splitlines() if line.startswith("failed: ")]
    assert code == 1 and len(failed) == 2
    assert f"[E001] {corpus / 'c.txt'}: file is empty" in failed[0]
    assert f"[E005] {corpus / 'd.txt'}" in failed[1]
    assert len(read_jsonl(tmp_path / "out.jsonl")) > 0


def test_fail_fast_exits_2_naming_the_file(corpus, tmp_path, capsys):
    (corpus / "0.txt").write_bytes(b"\x00\x01binary")
    code, err = _run(capsys, corpus, "-o", tmp_path / "out.jsonl", "--fail-fast")
    assert code == 2
    assert err.splitlines()[0].startswith(f"nlp-pipeline: error: [E002] {corpus / '0.txt'}")
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize(
    ("options", "code"),
    [(["--workers", "0"], "E047"), (["--scheduler", "tcp://127.0.0.1:1"], "E047"),
     (["--tagger", "nonesuch"], "E040")],
)
def test_bad_options_exit_2_with_one_line(corpus, tmp_path, capsys, options, code):
    status, err = _run(capsys, corpus, "-o", tmp_path / "out.jsonl", *options)
    assert status == 2 and err.count("\n") == 1 and f"[{code}]" in err


def test_missing_input_exits_1_naming_it(tmp_path, capsys):
    code, err = _run(capsys, tmp_path / "absent.txt", "-o", tmp_path / "out.jsonl")
    assert code == 1 and f"[E004] {tmp_path / 'absent.txt'}" in err


def test_resume_through_the_command_line(corpus, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    (corpus / "c.txt").write_bytes(b"")
    assert _run(capsys, corpus, "-o", out)[0] == 1
    assert parts_dir(out).is_dir()  # kept: c.txt failed
    (corpus / "c.txt").write_text("基金当期结余703645万元。\n", encoding="utf-8")
    code, err = _run(capsys, corpus, "-o", out, "--resume")
    assert code == 0 and "3 processed (2 from the checkpoint)" in err
    assert {m.doc_id for m in read_jsonl(out)} == {"a", "b", "c"}
    assert not parts_dir(out).exists()


def test_progress_bar_only_on_a_terminal_and_not_with_quiet(corpus, tmp_path, capsys,
                                                            monkeypatch):
    out = tmp_path / "out.jsonl"
    assert "doc/s" not in _run(capsys, corpus, "-o", out)[1]  # stderr is not a terminal
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert "doc" in _run(capsys, corpus, "-o", out)[1].split("documents:")[0]
    assert "doc/s" not in _run(capsys, corpus, "-o", out, "--quiet")[1]


def test_workers_option_gives_the_same_file(corpus, tmp_path, capsys):
    for name in ("c", "d", "e"):
        (corpus / f"{name}.txt").write_text(REPORTS["a"] * 3, encoding="utf-8")
    assert _run(capsys, corpus, "-o", tmp_path / "one.jsonl")[0] == 0
    assert _run(capsys, corpus, "-o", tmp_path / "two.jsonl", "--workers", "2")[0] == 0
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()


def test_help_lists_the_extract_options(capsys):
    with pytest.raises(SystemExit):
        main(["extract", "--help"])
    text = capsys.readouterr().out
    for option in ("--resume", "--workers", "--engine", "--scheduler", "--format", "--fail-fast"):
        assert option in text
