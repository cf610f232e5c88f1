"""Stage 1 basics: encodings a report comes in, and errors that name the file.

(Extended robustness cases live in test_loading.py / test_robustness.py.)
"""

from __future__ import annotations

import codecs

import pytest

from nlp_pipeline import load_document
from nlp_pipeline.errors import Errors, PipelineError
from nlp_pipeline.loading import decode_bytes, read_text

# Seed 000, first body paragraph and its figures (the project's own material).
SENTENCE = (
    "2018年区本级各项基金总收入3347188万元，较上年增加   605635万元，增长22%，完成年度预算122%。"
    "各项基金总支出2643543万元，较上年增加457327万元，增长21%，完成年度预算96.1%。"
    "基金当期结余703645万元，滚存结余8639924万元。"
)
HEADING = "（一）社会保险基金总体情况\n"


def test_utf8_without_bom(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes((HEADING + SENTENCE).encode("utf-8"))
    assert read_text(path) == HEADING + SENTENCE


def test_utf8_bom_is_removed_so_offsets_start_at_the_text(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(codecs.BOM_UTF8 + (HEADING + SENTENCE).encode("utf-8"))
    text = read_text(path)
    assert text == HEADING + SENTENCE
    assert not text.startswith("\ufeff")


def test_crlf_line_endings_read_as_newlines(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes((HEADING + SENTENCE).replace("\n", "\r\n").encode("utf-8"))
    assert read_text(path) == HEADING + SENTENCE


def test_gb18030_bytes_decode_to_the_same_text():
    data = (HEADING + SENTENCE).encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the test really exercises the fallback
    text, encoding = decode_bytes(data, "report.txt")
    assert text == HEADING + SENTENCE
    assert encoding.lower().replace("_", "") in {"gb18030", "gbk", "gb2312"}


def test_load_document_doc_id_is_the_file_stem(tmp_path):
    path = tmp_path / "000_7d830695de981ce9.txt"
    path.write_bytes(SENTENCE.encode("gb18030"))
    doc = load_document(path)
    assert doc.doc_id == "000_7d830695de981ce9"
    assert doc.text == SENTENCE


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", Errors.E001),
        (b"  \n\r\n\t ", Errors.E001),
        (b"\x00\x01\x02\x03PK\x03\x04" + bytes(range(256)) * 4, Errors.E002),
    ],
    ids=["empty", "whitespace-only", "binary"],
)
def test_bad_input_errors_name_the_file(tmp_path, data, code):
    path = tmp_path / "bad_report.txt"
    path.write_bytes(data)
    with pytest.raises(PipelineError) as info:
        read_text(path)
    assert info.value.code is code
    assert info.value.path == str(path)
    assert str(path) in str(info.value)


def test_missing_file_error_names_the_file(tmp_path):
    path = tmp_path / "missing.txt"
    with pytest.raises(PipelineError) as info:
        read_text(path)
    assert info.value.code is Errors.E004
    assert str(path) in str(info.value)
