"""Outputs are committed atomically: a failed run leaves the previous output as it was."""

from __future__ import annotations

import pytest

from nlp_pipeline.errors import PipelineError
from nlp_pipeline.formats import FORMATS, get_writer


@pytest.mark.parametrize("fmt", FORMATS)
def test_failed_run_keeps_the_previous_output(fmt, tagged, tmp_path, write_all) -> None:
    target = tmp_path / ("out" if fmt == "brat" else f"out.{fmt}")
    write_all(fmt, target, tagged[:1])
    before = sorted(p.name for p in tmp_path.rglob("*"))
    snapshot = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    with pytest.raises(RuntimeError), get_writer(fmt, target) as writer:
        writer.add(*tagged[1])
        raise RuntimeError("killed half-way")
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # no temporary left over
    assert all(p.read_bytes() == data for p, data in snapshot.items())


def test_brat_replaces_its_own_output_but_not_a_foreign_directory(tagged, tmp_path,
                                                                  write_all) -> None:
    out = write_all("brat", tmp_path / "brat", tagged[:1])
    write_all("brat", out, tagged[1:])
    assert sorted(p.stem for p in out.glob("*.ann")) == [tagged[1][0].doc_id]
    foreign = tmp_path / "annotated"
    foreign.mkdir()
    (foreign / "manifest.json").write_text("{}", encoding="utf-8")
    with pytest.raises(PipelineError, match="E051"):
        get_writer("brat", foreign)
    assert (foreign / "manifest.json").read_text(encoding="utf-8") == "{}"


def test_unknown_format_is_a_pipeline_error(tmp_path) -> None:
    with pytest.raises(PipelineError, match="E050"):
        get_writer("xlsx", tmp_path / "x.xlsx")
