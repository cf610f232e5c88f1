"""The gold loader and checker (``nlp_pipeline.gold``), and the real gold in annotated/.

The checker guards every figure the project publishes, so each kind of problem it
must catch is built here on purpose in a small gold directory, and the real gold must
pass it. The corpus part of the real gold needs the third-party texts, which are not
in the repository; without them those tests skip and say why.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import warnings
from pathlib import Path
from typing import Any

import pytest

from nlp_pipeline import gold as G
from nlp_pipeline.errors import Errors, PipelineError

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "annotated"

SEED_ID = "s01"
SEED_TEXT = "2018年基金总收入100万元，增长5%，参保3000人。\n"
CORPUS_ID = "d901"
CORPUS_TEXT = "全市失业保险参保人数20万人。"


def record(doc_id: str, start: int, text: str, type_: str, value: str, unit: str,
           **labels: str) -> dict[str, Any]:
    """A §3 record; the span's end follows from its text."""
    out: dict[str, Any] = {
        "doc_id": doc_id, "start": start, "end": start + len(text), "text": text,
        "type": type_, "value": value, "unit": unit, "fund": "all", "metric": "income_total",
        "measure": "level", "basis": "actual", "qualifier": "",
    }
    out.update(labels)
    return out


SEED_RECORDS = [
    record(SEED_ID, SEED_TEXT.index("100万元"), "100万元", "MONEY", "1000000", "万元"),
    record(SEED_ID, SEED_TEXT.index("5%"), "5%", "PERCENT", "5", "%", measure="growth"),
    record(SEED_ID, SEED_TEXT.index("3000人"), "3000人", "PEOPLE", "3000", "人",
           metric="insured_persons"),
]
CORPUS_RECORDS = [
    record(CORPUS_ID, CORPUS_TEXT.index("20万人"), "20万人", "PEOPLE", "200000", "万人",
           fund="unemployment", metric="insured_persons"),
]


def write_lines(path: Path, lines: list[Any]) -> None:
    """JSON Lines; a ``str`` item is written verbatim (to plant malformed lines)."""
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x, ensure_ascii=False))
                            + "\n" for x in lines), encoding="utf-8")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A sound gold directory (one seed, one corpus excerpt) and its corpus directory."""
    monkeypatch.delenv(G.CORPUS_ENV, raising=False)
    gold, corpus = tmp_path / "annotated", tmp_path / "corpus"
    (gold / "corpus").mkdir(parents=True)
    corpus.mkdir()
    (gold / f"{SEED_ID}.txt").write_text(SEED_TEXT, encoding="utf-8")
    write_lines(gold / f"{SEED_ID}.jsonl", SEED_RECORDS)
    (corpus / f"{CORPUS_ID}.txt").write_text(CORPUS_TEXT, encoding="utf-8")
    write_lines(gold / "corpus" / f"{CORPUS_ID}.jsonl", CORPUS_RECORDS)
    manifest = {"documents": [
        {"doc_id": SEED_ID, "file": f"{SEED_ID}.txt", "annotation": f"{SEED_ID}.jsonl",
         "sha256": sha(SEED_TEXT), "source": "seed", "region": "测试", "year": 2018,
         "genre": "fund_report"},
        {"doc_id": CORPUS_ID, "file": f"{CORPUS_ID}.txt",
         "annotation": f"corpus/{CORPUS_ID}.jsonl", "sha256": sha(CORPUS_TEXT),
         "source": "corpus", "region": "测试", "year": 2020, "genre": "other",
         "url": "http://example.invalid/d901"},
    ]}
    (gold / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False),
                                        encoding="utf-8")
    return gold, corpus


def codes(problems: list[PipelineError]) -> list[str]:
    return [p.code.name for p in problems]


# ------------------------------------------------------------------ a small sound gold


def test_sound_gold_has_no_problems(tiny: tuple[Path, Path]) -> None:
    assert G.check_gold(*tiny) == []


def test_load_gold_reads_seeds_and_stand_off_corpus(tiny: tuple[Path, Path]) -> None:
    docs = G.load_gold(*tiny)
    assert [d.doc_id for d in docs] == [SEED_ID, CORPUS_ID]
    seed, excerpt = docs
    assert seed.text == SEED_TEXT and excerpt.text == CORPUS_TEXT
    assert [m.text for m in seed.mentions] == ["100万元", "5%", "3000人"]
    assert all(seed.text[m.start:m.end] == m.text for m in seed.mentions)
    assert seed.meta["source"] == "seed" and excerpt.meta["source"] == "corpus"
    for key in ("region", "year", "genre", "sha256", "file"):
        assert key in seed.meta and key in excerpt.meta
    assert excerpt.meta["url"].startswith("http")


def test_corpus_dir_from_environment(tiny: tuple[Path, Path],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    gold, corpus = tiny
    monkeypatch.setenv(G.CORPUS_ENV, str(corpus))
    assert [d.doc_id for d in G.load_gold(gold)] == [SEED_ID, CORPUS_ID]


def test_absent_corpus_is_skipped_with_a_warning(tiny: tuple[Path, Path]) -> None:
    gold, corpus = tiny
    absent = corpus.parent / "no-such-corpus"
    with pytest.warns(G.GoldWarning, match="corpus gold documents skipped.*no-such-corpus"):
        docs = G.load_gold(gold, absent)
    assert [d.doc_id for d in docs] == [SEED_ID]
    with pytest.warns(G.GoldWarning):
        assert G.check_gold(gold, absent) == []


def test_absent_corpus_still_checks_what_needs_no_text(tiny: tuple[Path, Path]) -> None:
    gold, corpus = tiny
    bad = dict(CORPUS_RECORDS[0], metric="no_such_metric", text="不对")
    write_lines(gold / "corpus" / f"{CORPUS_ID}.jsonl", [bad])
    with pytest.warns(G.GoldWarning):
        problems = G.check_gold(gold, corpus.parent / "absent")
    assert codes(problems) == ["E012"]  # the wrong text (E015) cannot be seen without it


# ------------------------------------------------------------------ each kind of problem

BROKEN = {
    "malformed JSON": (lambda rs: [rs[0], '{"doc_id": "s01", "start": ', rs[2]], "E010", 2),
    "unknown label id": (lambda rs: [rs[0], dict(rs[1], fund="pensions"), rs[2]], "E012", 2),
    "unknown qualifier": (lambda rs: [rs[0], rs[1], dict(rs[2], qualifier="≥")], "E012", 3),
    "unknown unit": (lambda rs: [dict(rs[0], unit="万块"), rs[1], rs[2]], "E012", 1),
    "unparsable value": (lambda rs: [dict(rs[0], value="1,000,000"), rs[1], rs[2]], "E013", 1),
    "missing field": (lambda rs: [rs[0], {k: v for k, v in rs[1].items() if k != "basis"},
                                  rs[2]], "E011", 2),
    "type does not fit unit": (lambda rs: [rs[0], rs[1], dict(rs[2], type="MONEY")], "E011", 3),
    "record of another document": (lambda rs: [rs[0], dict(rs[1], doc_id="s02"), rs[2]],
                                   "E011", 2),
    "offsets out of range": (lambda rs: [rs[0], rs[1], dict(rs[2], start=90, end=96)],
                             "E014", 3),
    "slice differs from text": (lambda rs: [rs[0], dict(rs[1], text="6%"), rs[2]], "E015", 2),
    "off-by-one offsets": (lambda rs: [dict(rs[0], start=rs[0]["start"] + 1,
                                            end=rs[0]["end"] + 1), rs[1], rs[2]], "E015", 1),
    "overlapping spans": (lambda rs: [rs[0], dict(rs[0], start=12, end=15, text="0万元"), rs[1],
                                      rs[2]], "E016", 2),
    "duplicate span": (lambda rs: [rs[0], rs[1], rs[2], rs[1]], "E016", 4),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_checker_catches(kind: str, tiny: tuple[Path, Path]) -> None:
    gold, corpus = tiny
    make, code, line = BROKEN[kind]
    path = gold / f"{SEED_ID}.jsonl"
    write_lines(path, make([dict(r) for r in SEED_RECORDS]))
    problems = G.check_gold(gold, corpus)
    assert codes(problems) == [code], [str(p) for p in problems]
    assert problems[0].path == str(path) and problems[0].line == line


def test_checksum_mismatch(tiny: tuple[Path, Path]) -> None:
    gold, corpus = tiny
    (corpus / f"{CORPUS_ID}.txt").write_text(CORPUS_TEXT + "\n", encoding="utf-8")
    problems = G.check_gold(gold, corpus)
    assert codes(problems) == ["E017"]
    assert problems[0].fields["expected"] == sha(CORPUS_TEXT)


def test_missing_text(tiny: tuple[Path, Path]) -> None:
    gold, corpus = tiny
    (corpus / f"{CORPUS_ID}.txt").unlink()
    (gold / f"{SEED_ID}.txt").unlink()
    assert sorted(codes(G.check_gold(gold, corpus))) == ["E018", "E018"]


def test_annotation_missing_from_manifest(tiny: tuple[Path, Path]) -> None:
    gold, corpus = tiny
    write_lines(gold / "corpus" / "d902.jsonl", [dict(CORPUS_RECORDS[0], doc_id="d902")])
    problems = G.check_gold(gold, corpus)
    assert codes(problems) == ["E018"] and problems[0].path.endswith("d902.jsonl")


def test_manifest_entry_without_annotation(tiny: tuple[Path, Path]) -> None:
    gold, corpus = tiny
    (gold / "corpus" / f"{CORPUS_ID}.jsonl").unlink()
    assert codes(G.check_gold(gold, corpus)) == ["E004"]


def test_malformed_manifest(tiny: tuple[Path, Path]) -> None:
    gold, corpus = tiny
    (gold / "manifest.json").write_text('{"documents": [\n  {"doc_id": }\n]}', encoding="utf-8")
    problems = G.check_gold(gold, corpus)
    assert codes(problems) == ["E010"] and problems[0].line == 2
    with pytest.raises(PipelineError) as info:
        G.load_gold(gold, corpus)
    assert info.value.code is Errors.E010


def test_manifest_with_a_repeated_document(tiny: tuple[Path, Path]) -> None:
    gold, corpus = tiny
    manifest = json.loads((gold / "manifest.json").read_text(encoding="utf-8"))
    manifest["documents"].append(dict(manifest["documents"][0]))
    (gold / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    problems = G.check_gold(gold, corpus)
    assert codes(problems) == ["E011"] and "repeats" in str(problems[0])


def test_every_problem_is_reported_not_just_the_first(tiny: tuple[Path, Path]) -> None:
    gold, corpus = tiny
    rs = [dict(r) for r in SEED_RECORDS]
    write_lines(gold / f"{SEED_ID}.jsonl", [
        dict(rs[0], fund="nope", metric="nada"),  # two unknown ids in one record
        "not json",
        dict(rs[1], text="6%"),
        dict(rs[2], value="three thousand"),
        rs[0],  # duplicates line 1
    ])
    write_lines(gold / "corpus" / f"{CORPUS_ID}.jsonl",
                [dict(CORPUS_RECORDS[0], end=12, text="20万")])
    problems = G.check_gold(gold, corpus)
    assert codes(problems) == ["E012", "E012", "E010", "E015", "E013", "E016", "E015"]
    assert [p.line for p in problems] == [1, 1, 2, 3, 4, 5, 1]


def test_load_gold_verifies_unless_told_not_to(tiny: tuple[Path, Path]) -> None:
    gold, corpus = tiny
    write_lines(gold / f"{SEED_ID}.jsonl", [dict(SEED_RECORDS[0], start=12, end=18)])
    with pytest.raises(PipelineError) as info:
        G.load_gold(gold, corpus)
    assert info.value.code is Errors.E015
    docs = G.load_gold(gold, corpus, verify=False)
    assert docs[0].mentions[0].start == 12


def test_load_gold_refuses_a_changed_text(tiny: tuple[Path, Path]) -> None:
    gold, corpus = tiny
    (gold / f"{SEED_ID}.txt").write_text("前言" + SEED_TEXT, encoding="utf-8")
    with pytest.raises(PipelineError) as info:
        G.load_gold(gold, corpus)
    assert info.value.code is Errors.E017


# ------------------------------------------------------------------ command line


def _args(gold: Path, corpus: Path) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    G.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["check-gold", "--gold", str(gold), "--corpus", str(corpus)])


def test_check_gold_command(tiny: tuple[Path, Path], capsys: pytest.CaptureFixture) -> None:
    gold, corpus = tiny
    assert G.run(_args(gold, corpus)) == 0
    write_lines(gold / f"{SEED_ID}.jsonl", [dict(SEED_RECORDS[0], text="x"), "{",
                                            dict(SEED_RECORDS[1], basis="budget")])
    capsys.readouterr()
    assert G.run(_args(gold, corpus)) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3
    assert out[0].startswith("[E015]") and "line 1" in out[0] and f"{SEED_ID}.jsonl" in out[0]
    assert out[1].startswith("[E010]") and "line 2" in out[1]
    assert out[2].startswith("[E012]") and "'budget'" in out[2]


def test_check_gold_via_the_cli(tiny: tuple[Path, Path]) -> None:
    from nlp_pipeline.cli import main

    gold, corpus = tiny
    assert main(["check-gold", "--gold", str(gold), "--corpus", str(corpus)]) == 0


def test_counts(tiny: tuple[Path, Path]) -> None:
    counts = G.gold_counts(tiny[0])
    assert counts["all"]["totals"] == {"documents": 2, "mentions": 4}
    assert counts["seed"]["type"] == {"MONEY": 1, "PERCENT": 1, "PEOPLE": 1}
    assert counts["corpus"]["fund"] == {"unemployment": 1}
    table = G.format_counts(counts)
    assert "| `PEOPLE` | 1 | 1 | 2 |" in table


# ------------------------------------------------------------------ the real gold


def _manifest() -> list[dict[str, Any]]:
    return G.read_manifest(GOLD)


def _corpus_or_skip() -> Path:
    corpus = G.resolve_corpus_dir()
    if not corpus.is_dir():
        pytest.skip(f"corpus texts not found in {corpus} (set {G.CORPUS_ENV} to the corpus "
                    "directory): the stand-off corpus gold is not checked against its texts")
    return corpus


def test_manifest_lists_every_document() -> None:
    entries = _manifest()
    seeds = [e for e in entries if e["source"] == "seed"]
    corpus = [e for e in entries if e["source"] == "corpus"]
    assert len(seeds) == 5 and len(corpus) == 44
    assert len({e["doc_id"] for e in entries}) == len(entries)
    for e in entries:
        assert (GOLD / e["annotation"]).is_file()
        assert e["region"] and isinstance(e["year"], int) and e["genre"]
        assert (e["source"] == "corpus") == ("url" in e)
    annotated = {p.stem for p in [*GOLD.glob("*.jsonl"), *GOLD.glob("corpus/*.jsonl")]}
    assert annotated == {e["doc_id"] for e in entries}


def test_seed_checksums_match_manifest() -> None:
    for e in _manifest():
        if e["source"] == "seed":
            assert G.sha256_file(GOLD / e["file"]) == e["sha256"], e["file"]


def test_seed_copies_are_byte_identical_to_the_shared_seeds() -> None:
    shared = REPO.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip(f"{shared} not present: only the manifest checksums pin the seed texts")
    for e in _manifest():
        if e["source"] == "seed":
            assert (GOLD / e["file"]).read_bytes() == (shared / e["file"]).read_bytes()


def test_real_gold_seed_part_passes_the_checker(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", G.GoldWarning)
        problems = G.check_gold(GOLD, tmp_path / "no-corpus")
    assert problems == [], "\n".join(map(str, problems))


def test_real_gold_corpus_part_passes_the_checker() -> None:
    corpus = _corpus_or_skip()
    problems = G.check_gold(GOLD, corpus)
    assert problems == [], "\n".join(map(str, problems))
    for e in _manifest():
        if e["source"] == "corpus":
            assert G.sha256_file(corpus / e["file"]) == e["sha256"], e["file"]
    docs = G.load_gold(GOLD, corpus)
    assert len(docs) == 49
    assert sum(len(d.mentions) for d in docs) == G.gold_counts(GOLD)["all"]["totals"]["mentions"]


def test_readme_counts_are_the_generated_ones() -> None:
    readme = (GOLD / "README.md").read_text(encoding="utf-8")
    assert G.format_counts(G.gold_counts(GOLD)) in readme, (
        "annotated/README.md is stale: paste `python -m nlp_pipeline.gold stats`")


def test_readme_agreement_figures_are_the_computed_ones() -> None:
    spec = importlib.util.spec_from_file_location("agreement", GOLD / "agreement" / "agreement.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.compute()
    assert set(result["groups"]) == {"seeds", "corpus"}
    assert result["groups"]["seeds"]["documents"] == 2
    assert result["groups"]["corpus"]["documents"] == 8
    readme = (GOLD / "README.md").read_text(encoding="utf-8")
    assert module.markdown(result) in readme, (
        "annotated/README.md is stale: paste `python annotated/agreement/agreement.py`")
