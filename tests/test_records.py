"""Gold and prediction files: every defect is an error naming the file and the line."""

from __future__ import annotations

import json

import pytest

from nlp_pipeline import extract
from nlp_pipeline.errors import Errors, PipelineError
from nlp_pipeline.records import (
    check_against_text,
    check_jsonl,
    dumps,
    iter_jsonl,
    iter_jsonl_lines,
    read_jsonl,
)

# Seed 002: a sentence and the figures in it (the project's own material).
TEXT = "全年企业职工基本养老保险基金收入101746万元，支出43842万元，当期结余57904万元。"
DOC_ID = "002_893125d8fe4500cd"


@pytest.fixture(scope="module")
def records() -> list[dict]:
    mentions = extract(TEXT, doc_id=DOC_ID)
    assert len(mentions) == 3
    return [json.loads(dumps(m)) for m in mentions]


def _write(tmp_path, lines: list[str]):
    path = tmp_path / "pred.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _fails(run, path, line: int) -> PipelineError:
    with pytest.raises(PipelineError) as info:
        list(run())
    error = info.value
    assert str(path) in str(error) and "\n" not in str(error)
    assert error.line == line or f"{path}:{line}" in str(error)
    return error


def test_records_round_trip_and_check_against_the_text(tmp_path, records):
    path = _write(tmp_path, [json.dumps(r, ensure_ascii=False) for r in records])
    checked = list(check_jsonl(path, {DOC_ID: TEXT}))
    assert [m.text for m in checked] == [r["text"] for r in records]
    assert [n for n, _ in iter_jsonl_lines(path)] == [1, 2, 3]


def test_malformed_json_line_is_E010_with_its_line(tmp_path, records):
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines[1] = lines[1][:-5]  # cut off the end of the object
    path = _write(tmp_path, lines)
    assert _fails(lambda: iter_jsonl(path), path, 2).code is Errors.E010


@pytest.mark.parametrize(
    ("field", "value"),
    [("start", "19"), ("end", 3.5), ("text", 101746), ("fund", None), ("start", True)],
)
def test_wrong_field_type_is_E011_with_its_line(tmp_path, records, field, value):
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines[2] = json.dumps(dict(records[2], **{field: value}), ensure_ascii=False)
    path = _write(tmp_path, lines)
    error = _fails(lambda: iter_jsonl(path), path, 3)
    assert error.code is Errors.E011 and error.fields["field"] == field


def test_missing_field_and_non_object_are_E011(tmp_path, records):
    without = {k: v for k, v in records[0].items() if k != "metric"}
    path = _write(tmp_path, [json.dumps(without, ensure_ascii=False), "[1, 2]"])
    assert _fails(lambda: iter_jsonl(path), path, 1).code is Errors.E011
    path = _write(tmp_path, ["", "[1, 2]"])
    assert _fails(lambda: iter_jsonl(path), path, 2).code is Errors.E011


@pytest.mark.parametrize(("field", "value"), [("fund", "pensions"), ("type", "MONEYS")])
def test_unknown_label_id_is_E012(tmp_path, records, field, value):
    lines = [json.dumps(dict(records[0], **{field: value}), ensure_ascii=False)]
    path = _write(tmp_path, lines)
    error = _fails(lambda: iter_jsonl(path), path, 1)
    assert error.code is Errors.E012 and error.fields["value"] == value
    assert read_jsonl(path, check_ids=False)[0].fund  # without id checks it reads


@pytest.mark.parametrize("value", ["1.2.3", "NaN", [1]])
def test_bad_value_is_E013(tmp_path, records, value):
    path = _write(tmp_path, [json.dumps(dict(records[0], value=value), ensure_ascii=False)])
    assert _fails(lambda: iter_jsonl(path), path, 1).code is Errors.E013


def test_offsets_out_of_range_are_E014(tmp_path, records):
    shifted = dict(records[1], start=len(TEXT) + 2, end=len(TEXT) + 9)
    lines = [json.dumps(r, ensure_ascii=False) for r in (records[0], shifted)]
    path = _write(tmp_path, lines)
    error = _fails(lambda: check_jsonl(path, {DOC_ID: TEXT}), path, 2)
    assert error.code is Errors.E014 and error.fields["length"] == len(TEXT)


def test_text_not_matching_the_slice_is_E015(tmp_path, records):
    moved = dict(records[0], start=records[0]["start"] + 1, end=records[0]["end"] + 1)
    path = _write(tmp_path, [json.dumps(moved, ensure_ascii=False)])
    error = _fails(lambda: check_jsonl(path, {DOC_ID: TEXT}), path, 1)
    assert error.code is Errors.E015
    assert error.fields["slice"] == TEXT[moved["start"]:moved["end"]]


def test_unknown_document_id_is_E018_with_file_and_line(tmp_path, records):
    lines = [json.dumps(records[0], ensure_ascii=False),
             json.dumps(dict(records[1], doc_id="no_such_report"), ensure_ascii=False)]
    path = _write(tmp_path, lines)
    error = _fails(lambda: check_jsonl(path, {DOC_ID: TEXT}), path, 2)
    assert error.code is Errors.E018 and error.fields["doc_id"] == "no_such_report"


def test_check_against_text_names_file_and_line(records):
    mention = next(iter(extract(TEXT, doc_id=DOC_ID)))
    assert check_against_text(mention, TEXT) is mention
    with pytest.raises(PipelineError) as info:
        check_against_text(mention, TEXT[:10], "gold/x.jsonl", 7)
    assert info.value.code is Errors.E014
    assert str(info.value).startswith("[E014] gold/x.jsonl: line 7:")


def test_non_utf8_line_is_E003_naming_file_and_line(tmp_path, records):
    good = json.dumps(records[0], ensure_ascii=False)
    path = tmp_path / "pred.jsonl"
    path.write_bytes(((good + "\n") * 300).encode() + good.encode("gb18030") + b"\n")
    with pytest.raises(PipelineError) as info:
        list(iter_jsonl_lines(path))
    assert info.value.code is Errors.E003
    assert str(path) in str(info.value) and "line 301 " in str(info.value)
