"""Bad and unusual input files: every one is read correctly or fails with a clear error.

The offsets contract (README, loading.py): ``start``/``end`` index the text exactly as
Python's text mode reads the file — decoded, one BOM removed, newlines translated to
``\\n``. The tests below check it against ``open(path, encoding=...).read()`` itself,
not against strings copied from the code under test.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from nlp_pipeline import extract
from nlp_pipeline.errors import Errors, PipelineError
from nlp_pipeline.loading import decode_bytes, read_text

# Seed 000 (the project's own report): a heading and its first body paragraph.
REPORT = (
    "（一）社会保险基金总体情况\n"
    "2018年区本级各项基金总收入3347188万元，较上年增加   605635万元，增长22%，完成年度预算122%。\n"
    "各项基金总支出2643543万元，较上年增加457327万元，增长21%，完成年度预算96.1%。\n"
    "基金当期结余703645万元，滚存结余8639924万元。\n"
)
PYTHON_CODEC = {  # how a researcher would open each file in Python
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "utf-16": "utf-16",
    "utf-16-be-bom": "utf-16",
    "utf-32": "utf-32",
    "gbk": "gbk",
    "gb18030": "gb18030",
}


def _encode(text: str, name: str) -> bytes:
    if name == "utf-16-be-bom":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return text.encode(name)


def _error(path: Path) -> PipelineError:
    with pytest.raises(PipelineError) as info:
        read_text(path)
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    return info.value


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r", "mixed"])
@pytest.mark.parametrize("encoding", sorted(PYTHON_CODEC))
def test_text_is_what_python_text_mode_reads(tmp_path, encoding, newline):
    if newline == "mixed":
        lines = REPORT.split("\n")
        body = lines[0] + "\r\n" + lines[1] + "\r" + "\n".join(lines[2:])
    else:
        body = REPORT.replace("\n", newline)
    path = tmp_path / "report.txt"
    path.write_bytes(_encode(body, encoding))
    with open(path, encoding=PYTHON_CODEC[encoding]) as fh:
        expected = fh.read()
    assert read_text(path) == expected == REPORT.replace("\r", "")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "gb18030"])
def test_offsets_slice_the_file_as_python_reads_it(tmp_path, encoding):
    path = tmp_path / "report.txt"
    path.write_bytes(_encode(REPORT.replace("\n", "\r\n"), encoding))
    mentions = extract(read_text(path))
    with open(path, encoding=PYTHON_CODEC[encoding]) as fh:
        as_read = fh.read()
    assert len(mentions) >= 10
    assert all(as_read[m.start:m.end] == m.text for m in mentions)
    assert "3347188万元" in {m.text for m in mentions}


def test_only_one_bom_is_removed_like_text_mode(tmp_path):
    path = tmp_path / "double.txt"
    path.write_bytes(codecs.BOM_UTF8 * 2 + REPORT.encode("utf-8"))
    with open(path, encoding="utf-8-sig") as fh:
        assert read_text(path) == fh.read()


BLANK = [b"", b" \r\n\t \n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")]


@pytest.mark.parametrize("content", BLANK)
def test_empty_or_blank_file_is_E001(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert _error(path).code is Errors.E001


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),  # an image
        REPORT.encode("utf-16-le"),  # UTF-16 without its BOM cannot be told from binary
    ],
)
def test_binary_file_is_E002(tmp_path, content):
    path = tmp_path / "binary.txt"
    path.write_bytes(content)
    assert _error(path).code is Errors.E002


def test_undecodable_bytes_are_E003(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Größe der Straße, café, résumé. ".encode("latin-1") * 20)
    assert _error(path).code is Errors.E003


def test_utf8_cut_inside_a_character_is_E005_with_the_byte(tmp_path):
    data = REPORT.encode("utf-8")
    cut = data[: data.index("万元".encode()) + 1]  # one byte into 万
    path = tmp_path / "truncated.txt"
    path.write_bytes(cut)
    error = _error(path)
    assert error.code is Errors.E005
    assert error.fields["offset"] == len(cut) - 1


def test_invalid_byte_inside_utf8_is_not_mistaken_for_truncation():
    data = REPORT.encode("utf-8")
    broken = data[:30] + b"\xff" + data[30:]
    with pytest.raises(PipelineError) as info:
        decode_bytes(broken, "broken.txt")
    assert info.value.code is not Errors.E005


def test_fifo_dangling_link_and_loop_are_E006_not_a_hang(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    kinds = {name: _error(tmp_path / name) for name in ("pipe.txt", "dangling.txt", "a.txt")}
    assert all(error.code is Errors.E006 for error in kinds.values())
    assert kinds["pipe.txt"].fields["kind"] == "FIFO"
    assert kinds["a.txt"].fields["kind"] == "symlink loop"


def test_directory_is_E006(tmp_path):
    (tmp_path / "folder.txt").mkdir()
    assert _error(tmp_path / "folder.txt").code is Errors.E006


def test_missing_file_is_E004(tmp_path):
    assert _error(tmp_path / "absent.txt").code is Errors.E004


def test_unreadable_file_is_E004(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text(REPORT, encoding="utf-8")

    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    error = _error(path)
    assert error.code is Errors.E004 and "Permission denied" in str(error)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_mode_is_E004(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text(REPORT, encoding="utf-8")
    path.chmod(0)
    assert _error(path).code is Errors.E004


def test_fifty_megabytes_on_one_line_is_read_whole(tmp_path):
    line = REPORT.replace("\n", "")
    repeat = 50 * 2**20 // len(line.encode("utf-8")) + 1
    path = tmp_path / "huge.txt"
    with path.open("w", encoding="utf-8") as fh:
        for _ in range(repeat):
            fh.write(line)
    text = read_text(path)
    assert path.stat().st_size >= 50 * 2**20
    assert len(text) == len(line) * repeat and "\n" not in text
    assert text[-len(line):] == line


def test_a_long_single_line_document_is_tagged_with_exact_offsets():
    line = REPORT.replace("\n", "")
    text = line * 400  # ~40 000 characters, no line break at all
    mentions = extract(text)
    per_copy = len(extract(line))
    assert len(mentions) == per_copy * 400
    assert all(text[m.start:m.end] == m.text for m in mentions)
