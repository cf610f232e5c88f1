"""brat standoff: the files follow the standoff spec, and corrected files come back as gold.

The ``.ann`` files in these tests are shaped as brat writes them (tab-separated
``T``/``A``/``#`` lines, fragments ``a b;c d`` for a span across a line break,
offsets counting the ``.txt`` raw — so ``\\r\\n`` is two characters).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nlp_pipeline.formats.brat import read_brat
from nlp_pipeline.formats.importers import add_parser
from nlp_pipeline.pipeline import make_document
from nlp_pipeline.records import read_jsonl
from nlp_pipeline.taggers import get_tagger

T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")


def conf_sections(path: Path) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections[current] = []
        elif line.strip() and not line.startswith("#"):
            sections[current].append(line)
    return sections


@pytest.fixture
def brat_gold(gold, tagged, tmp_path, write_all) -> Path:
    """A brat directory written from the gold of the seed reports."""
    return write_all("brat", tmp_path / "brat", [(d, gold[d.doc_id]) for d, _ in tagged])


def test_files_follow_the_standoff_spec(brat_gold, gold) -> None:
    conf = conf_sections(brat_gold / "annotation.conf")
    attributes = {}
    for line in conf["attributes"]:
        name, spec = line.split("\t")
        attributes[name] = spec.split("Value:")[1].split("|")
    for doc_id, mentions in gold.items():
        text = (brat_gold / f"{doc_id}.txt").read_text(encoding="utf-8")
        ann = (brat_gold / f"{doc_id}.ann").read_text(encoding="utf-8").splitlines()
        bounds = [T_LINE.match(line) for line in ann if line.startswith("T")]
        assert len(bounds) == len(mentions)
        for match, m in zip(bounds, mentions, strict=True):
            assert match.group(2) in conf["entities"] and match.group(2) == m.type
            frags = [tuple(map(int, f.split())) for f in match.group(3).split(";")]
            assert " ".join(text[a:b] for a, b in frags) == match.group(4) == m.text
        for line in ann:
            if line.startswith("A"):
                name, _, value = line.split("\t")[1].split(" ")
                assert value in attributes[name]


def test_round_trip_gives_back_the_gold(brat_gold, gold) -> None:
    result = read_brat([brat_gold])
    assert not result.problems
    assert result.mentions == [m for ms in gold.values() for m in ms]
    assert all(m.tagger is None for m in result.mentions)


def to_crlf_as_brat_counts(folder: Path, doc_id: str, bom: bool) -> None:
    """Give the .txt Windows line ends (and a BOM) and shift offsets as brat would count them."""
    txt, ann = folder / f"{doc_id}.txt", folder / f"{doc_id}.ann"
    text = txt.read_text(encoding="utf-8")
    shift = int(bom)

    def moved(pos: int) -> int:
        return pos + text.count("\n", 0, pos) + shift

    txt.write_bytes(("\ufeff" if bom else "").encode() + text.replace("\n", "\r\n").encode())
    lines = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        match = T_LINE.match(line)
        if match:
            frags = [tuple(map(int, f.split())) for f in match.group(3).split(";")]
            where = ";".join(f"{moved(a)} {moved(b)}" for a, b in frags)
            line = f"{match.group(1)}\t{match.group(2)} {where}\t{match.group(4)}"
        lines.append(line)
    ann.write_bytes("\r\n".join(lines).encode() + b"\r\n")


@pytest.mark.parametrize("bom", [False, True])
def test_crlf_text_offsets_are_mapped_to_our_offsets(brat_gold, gold, bom) -> None:
    for doc_id in gold:
        to_crlf_as_brat_counts(brat_gold, doc_id, bom)
    result = read_brat([brat_gold])
    assert not result.problems
    assert result.mentions == [m for ms in gold.values() for m in ms]


def test_mention_across_a_line_break_is_written_as_fragments(tagged, tmp_path, write_all) -> None:
    doc, _ = tagged[0]
    head = doc.text[: doc.text.index("。", doc.text.index("3347188万元")) + 1]
    wrapped = make_document(head.replace("3347188万元", "3347188万\n元"), doc.doc_id)
    mentions = get_tagger("rules").tag_document(wrapped)
    split = next(m for m in mentions if "\n" in m.text)
    folder = write_all("brat", tmp_path / "b", [(wrapped, mentions)])
    ann = (folder / f"{doc.doc_id}.ann").read_text(encoding="utf-8")
    a = split.start
    assert f"MONEY {a} {a + 8};{a + 9} {a + 10}\t3347188万 元" in ann
    result = read_brat([folder])
    assert not result.problems
    # gold units are lexicon units: the line break inside the written unit is dropped
    expected = [m.replace(tagger=None, unit="".join(m.unit.split())) for m in mentions]
    assert result.mentions == expected
    assert result.mentions[mentions.index(split)].unit == "万元"


def edit_ann(folder: Path, doc_id: str, edit) -> None:
    path = folder / f"{doc_id}.ann"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")


def test_moved_span_gets_a_fresh_value_not_the_stale_note(brat_gold, gold) -> None:
    doc_id = next(iter(gold))
    first, other = gold[doc_id][0], next(m for m in gold[doc_id][1:] if m.measure == "level")

    k = gold[doc_id].index(other) + 1

    def move(lines: list[str]) -> list[str]:
        """T1 now covers the span of T<k>; T<k> itself is deleted (its A/# lines dangle)."""
        moved = f"T1\t{other.type} {other.start} {other.end}\t{other.text}"
        return [moved if ln.startswith("T1\t") else ln
                for ln in lines if not ln.startswith(f"T{k}\t")]

    edit_ann(brat_gold, doc_id, move)
    result = read_brat([brat_gold / f"{doc_id}.ann"])
    moved = next(m for m in result.mentions if m.start == other.start)
    assert moved.value == other.value and moved.unit == other.unit
    assert moved.value != first.value


def test_problems_are_all_reported(brat_gold, gold, tmp_path) -> None:
    doc_id = next(iter(gold))

    def damage(lines: list[str]) -> list[str]:
        out = [ln for ln in lines if not ln.startswith("A1\t")]  # T1 loses its fund
        t2 = next(i for i, ln in enumerate(out) if ln.startswith("T2\t"))
        out[t2] = re.sub(r"\t[^\t]*$", "\twrong text", out[t2])  # T2's text no longer matches
        return out

    edit_ann(brat_gold, doc_id, damage)
    parser = __import__("argparse").ArgumentParser()
    add_parser(parser.add_subparsers())
    out = tmp_path / "gold.jsonl"
    args = parser.parse_args(["import", "--from", "brat", str(brat_gold), "-o", str(out)])
    assert args.func(args) == 1
    assert not out.exists()
    edited = (brat_gold / f"{doc_id}.ann").read_text(encoding="utf-8").splitlines()
    t2_line = next(n for n, ln in enumerate(edited, 1) if ln.startswith("T2\t"))
    result = read_brat([brat_gold / f"{doc_id}.ann"])
    codes = sorted((e.code.name, e.line) for e in result.problems)
    assert codes == [("E011", 1), ("E015", t2_line)]


def test_import_command_writes_gold_without_tagger(brat_gold, gold, tmp_path) -> None:
    parser = __import__("argparse").ArgumentParser()
    add_parser(parser.add_subparsers())
    out = tmp_path / "gold.jsonl"
    args = parser.parse_args(["import", "--from", "brat", str(brat_gold), "-o", str(out)])
    assert args.func(args) == 0
    assert read_jsonl(out) == [m for ms in gold.values() for m in ms]
    assert "tagger" not in out.read_text(encoding="utf-8")


def test_annotators_note_states_the_value_of_a_new_annotation(brat_gold, gold) -> None:
    """A table number the pipeline does not detect: the annotator types value and unit."""
    doc_id = next(iter(gold))
    text = (brat_gold / f"{doc_id}.txt").read_text(encoding="utf-8")
    start = text.index("2018")  # a year: no quantity, so nothing could be worked out
    new = [f"T999\tMONEY {start} {start + 4}\t2018", "A9991\tFund T999 all",
           "A9992\tMetric T999 other", "#999\tAnnotatorNotes T999\tvalue=20180000; unit=万元"]
    edit_ann(brat_gold, doc_id, lambda lines: lines + new)
    result = read_brat([brat_gold / f"{doc_id}.ann"])
    assert not result.problems
    added = next(m for m in result.mentions if m.start == start)
    assert (added.value, added.unit, added.measure, added.basis) == \
        (20180000, "万元", "level", "actual")  # measure and basis take the lexicon defaults
