"""Shared fixtures: real seed reports, their rule-tagger predictions and their gold.

Texts come from the bundled copies in ``annotated/`` (else ``../shared/seeds``).
Two reports are enough to cover prose, tables and mentions with a space inside
(``126 人``); tagging them once per session keeps the suite fast.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp_pipeline.document import Document
from nlp_pipeline.pipeline import load_document
from nlp_pipeline.records import Mention, read_jsonl
from nlp_pipeline.taggers import get_tagger

ROOT = Path(__file__).resolve().parents[2]
SEED_IDS = ("000_7d830695de981ce9", "004_c5b847b5dca8784f")


def seed_path(doc_id: str) -> Path:
    for folder in (ROOT / "annotated", ROOT.parent / "shared" / "seeds"):
        if (folder / f"{doc_id}.txt").is_file():
            return folder / f"{doc_id}.txt"
    pytest.skip(f"seed report {doc_id} not found")


@pytest.fixture(scope="session")
def tagged() -> list[tuple[Document, list[Mention]]]:
    """(document, rule-tagger mentions) for each seed report."""
    tagger = get_tagger("rules")
    docs = [load_document(seed_path(doc_id)) for doc_id in SEED_IDS]
    return [(doc, tagger.predict([doc])[0]) for doc in docs]


@pytest.fixture(scope="session")
def gold(tagged: list[tuple[Document, list[Mention]]]) -> dict[str, list[Mention]]:
    """Hand-annotated gold of each seed; the tagger's records (as gold) where none is bundled."""
    out = {}
    for doc, mentions in tagged:
        path = ROOT / "annotated" / f"{doc.doc_id}.jsonl"
        if path.is_file():
            out[doc.doc_id] = read_jsonl(path)
        else:
            out[doc.doc_id] = [m.replace(tagger=None, confidence=None) for m in mentions]
    return out


def _write_all(fmt: str, path: Path, pairs: list[tuple[Document, list[Mention]]]) -> Path:
    from nlp_pipeline.formats import get_writer

    with get_writer(fmt, path) as writer:
        for doc, mentions in pairs:
            writer.add(doc, mentions)
    return path


@pytest.fixture
def write_all():
    """``write_all(fmt, path, pairs)``: write every (document, mentions) pair; returns path."""
    return _write_all
