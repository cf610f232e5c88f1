"""Shared fixtures: the five seed reports, the lexicon and the rule pipeline.

Everything expensive (reading and tagging the seeds, building the rule tagger) is
session-scoped, so the whole suite builds the pipeline once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: The project's own seed reports (may be quoted in tests). Never the third-party corpus.
SEED_IDS = (
    "000_7d830695de981ce9",
    "001_2b7ac79fdeaf84e0",
    "002_893125d8fe4500cd",
    "003_4d0eaa045791c4a7",
    "004_c5b847b5dca8784f",
)
_SEED_DIRS = (REPO.parent / "shared" / "seeds", REPO / "annotated")


def _seed_dir() -> Path | None:
    for candidate in _SEED_DIRS:
        if all((candidate / f"{doc_id}.txt").is_file() for doc_id in SEED_IDS):
            return candidate
    return None


@dataclass
class Tagged:
    """A text run through the rule pipeline, with a helper to find one mention."""

    text: str
    mentions: list

    def get(self, span: str, after: str | None = None, nth: int = 0):
        """The ``nth`` mention whose text is ``span``, at or after the anchor ``after``."""
        floor = 0
        if after is not None:
            floor = self.text.index(after)
        found = [m for m in self.mentions if m.text == span and m.start >= floor]
        if len(found) <= nth:
            shown = [m.text for m in self.mentions]
            raise AssertionError(f"no mention {span!r} (#{nth}) after {after!r}; found {shown}")
        return found[nth]


@pytest.fixture(scope="session")
def seed_paths() -> dict[str, Path]:
    directory = _seed_dir()
    if directory is None:
        pytest.skip("seed reports not found (../shared/seeds or annotated/)")
    return {doc_id: directory / f"{doc_id}.txt" for doc_id in SEED_IDS}


@pytest.fixture(scope="session")
def seed_texts(seed_paths) -> dict[str, str]:
    from nlp_pipeline.loading import read_text

    return {doc_id: read_text(path) for doc_id, path in seed_paths.items()}


@pytest.fixture(scope="session")
def seed_documents(seed_paths) -> dict:
    from nlp_pipeline import load_document

    return {doc_id: load_document(path) for doc_id, path in seed_paths.items()}


@pytest.fixture(scope="session")
def rule_tagger():
    from nlp_pipeline.taggers import RuleTagger

    return RuleTagger()


@pytest.fixture(scope="session")
def seed_tagged(seed_documents, rule_tagger) -> dict[str, Tagged]:
    """Each seed tagged by the rule tagger, keyed by doc id."""
    return {
        doc_id: Tagged(doc.text, rule_tagger.tag_document(doc))
        for doc_id, doc in seed_documents.items()
    }


@pytest.fixture(scope="session")
def tag(rule_tagger):
    """``tag(text)`` → :class:`Tagged`: a short document through the whole rule pipeline."""
    from nlp_pipeline import make_document

    cache: dict[str, Tagged] = {}

    def run(text: str) -> Tagged:
        if text not in cache:
            cache[text] = Tagged(text, rule_tagger.tag_document(make_document(text)))
        return cache[text]

    return run


@pytest.fixture(scope="session")
def lexicon():
    from nlp_pipeline.lexicon import load_lexicon

    return load_lexicon()
