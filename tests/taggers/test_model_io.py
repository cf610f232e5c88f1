"""Saving, loading and refusing models; the ``train`` subcommand end to end."""

from __future__ import annotations

import argparse
import hashlib
import json
import zipfile
from pathlib import Path

import pytest
import skops.io as sio

from nlp_pipeline.errors import Errors, PipelineError
from nlp_pipeline.pipeline import make_document
from nlp_pipeline.taggers import HybridTagger, LearnedTagger, RuleTagger
from nlp_pipeline.taggers import train as train_cmd
from nlp_pipeline.taggers.model_io import (
    MODEL_FILE,
    TRUSTED_TYPES,
    fingerprint,
    load_model,
    load_tagger,
    save_model,
    tagger_for_extract,
)

TEXTS = {
    "m1": "一、企业职工基本养老保险基金\n基金收入3000万元，较上年增加200万元，增长7.1%。"
          "基金支出2600万元。",
    "m2": "一、失业保险基金\n基金收入640万元，较上年减少30万元，下降4.5%。参保人数3300人。",
}


class Untrusted:
    """A type no model may contain."""


def documents() -> list:
    return [make_document(text, doc_id) for doc_id, text in TEXTS.items()]


def gold(docs: list) -> list:
    return [[m.replace(tagger=None) for m in ms] for ms in RuleTagger().predict(docs)]


@pytest.fixture(scope="module")
def trained() -> LearnedTagger:
    docs = documents()
    return LearnedTagger(detector="learned").fit(docs, gold(docs))


def saved(tmp_path: Path, tagger: object) -> Path:
    return save_model(tagger, tmp_path / "model", {"training_documents": ["m1", "m2"]})


def code_of(excinfo: pytest.ExceptionInfo) -> Errors:
    return excinfo.value.code


def test_round_trip(tmp_path: Path, trained: LearnedTagger) -> None:
    path = saved(tmp_path, trained)
    loaded, meta = load_model(path)
    docs = documents()
    assert loaded.predict(docs) == trained.predict(docs)
    assert meta["fingerprint"] == fingerprint(loaded)
    assert meta["tagger"] == "learned" and meta["versions"]["scikit-learn"]
    assert set(sio.get_untrusted_types(file=path / MODEL_FILE)) <= TRUSTED_TYPES


def test_hybrid_round_trip(tmp_path: Path) -> None:
    docs = documents()
    tagger = HybridTagger(n_splits=2).fit(docs, gold(docs))
    loaded = load_tagger("hybrid", saved(tmp_path, tagger))
    assert loaded.predict(docs) == tagger.predict(docs)


def test_missing_model_tells_how_to_train(tmp_path: Path) -> None:
    with pytest.raises(PipelineError) as excinfo:
        tagger_for_extract("learned", tmp_path / "nothing")
    assert code_of(excinfo) is Errors.E032
    assert "nlp-pipeline train --gold annotated/" in str(excinfo.value)
    assert isinstance(tagger_for_extract("rules"), RuleTagger)


def test_corrupt_model(tmp_path: Path, trained: LearnedTagger) -> None:
    path = saved(tmp_path, trained)
    data = (path / MODEL_FILE).read_bytes()
    (path / MODEL_FILE).write_bytes(data[: len(data) // 2])
    with pytest.raises(PipelineError) as excinfo:
        load_model(path)
    assert code_of(excinfo) is Errors.E030


def test_unreadable_meta(tmp_path: Path, trained: LearnedTagger) -> None:
    path = saved(tmp_path, trained)
    (path / "meta.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(PipelineError) as excinfo:
        load_model(path)
    assert code_of(excinfo) is Errors.E030


@pytest.mark.parametrize("change", [{"format_version": 99},
                                    {"versions": {"scikit-learn": "0.1.0"}}])
def test_incompatible_version(tmp_path: Path, trained: LearnedTagger, change: dict) -> None:
    path = saved(tmp_path, trained)
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    meta.update(change)
    (path / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(PipelineError) as excinfo:
        load_model(path)
    assert code_of(excinfo) is Errors.E031
    assert "nlp-pipeline train" in str(excinfo.value)


def test_untrusted_type_is_refused(tmp_path: Path, trained: LearnedTagger) -> None:
    path = saved(tmp_path, trained)
    trained_copy = LearnedTagger()
    trained_copy.__dict__.update(trained.__dict__, models_={"x": Untrusted()})
    data = sio.dumps(trained_copy, compression=zipfile.ZIP_DEFLATED)
    (path / MODEL_FILE).write_bytes(data)
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    meta["model_sha256"] = hashlib.sha256(data).hexdigest()
    (path / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(PipelineError) as excinfo:
        load_model(path)
    assert code_of(excinfo) is Errors.E030 and "Untrusted" in str(excinfo.value)


def test_wrong_kind(tmp_path: Path, trained: LearnedTagger) -> None:
    with pytest.raises(PipelineError) as excinfo:
        load_tagger("hybrid", saved(tmp_path, trained))
    assert code_of(excinfo) is Errors.E033


def test_train_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nlp_pipeline import gold as gold_module

    docs = documents()
    records = gold(docs)
    fake = [gold_module.GoldDocument(d.doc_id, d.text, ms, {"source": "seed"})
            for d, ms in zip(docs, records, strict=True)]
    monkeypatch.setattr(gold_module, "load_gold", lambda *a, **k: fake)
    parser = argparse.ArgumentParser()
    train_cmd.add_parser(parser.add_subparsers())
    out = tmp_path / "models" / "t"
    args = parser.parse_args(["train", "--gold", "annotated", "-o", str(out), "--cv", "2",
                              "--quiet"])
    assert args.func(args) == 0
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert [d["doc_id"] for d in meta["training_documents"]] == ["m1", "m2"]
    assert meta["cross_validation"]["method"].startswith("2-fold")
    assert meta["features"]["n_features"] > 0
    assert "nlp-pipeline train --gold annotated" in meta["command"]
    again = train_cmd.train_model("learned", docs, records, folds=0)[0]
    assert fingerprint(again) == meta["fingerprint"]  # rebuilt bit for bit
    assert tagger_for_extract("learned", out).predict(docs) == again.predict(docs)


def test_training_without_matching_gold_is_a_clear_error() -> None:
    with pytest.raises(PipelineError) as excinfo:
        train_cmd.train_model("learned", documents(), [[], []], folds=0)
    assert code_of(excinfo) is Errors.E034
