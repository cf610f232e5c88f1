"""The pipeline: text → normalized → structured → quantities → tagged records.

Each stage is one callable that annotates the :class:`Document`; ``make_document``
runs them in their one direction of flow, and a tagger turns the result into records.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .document import Document
from .loading import read_text
from .normalize import normalize_text
from .quantities import detect_quantities
from .records import Mention
from .structure import structure


def normalize(doc: Document) -> Document:
    doc.norm = normalize_text(doc.text)
    return doc


#: The stages in order; each takes and returns the document it annotates.
STAGES: tuple[Callable[[Document], Document], ...] = (normalize, structure, detect_quantities)


def make_document(text: str, doc_id: str = "doc", path: str | None = None) -> Document:
    doc = Document(doc_id=doc_id, text=text, path=path)
    for stage in STAGES:
        doc = stage(doc)
    return doc


def load_document(path: str | Path) -> Document:
    """Read a file (doc_id = file name without extension) and run every stage."""
    path = Path(path)
    return make_document(read_text(path), doc_id=path.stem, path=str(path))


def extract(text: str, doc_id: str = "doc", tagger: str | object = "rules") -> list[Mention]:
    """Records for one text — the Python entry point of ``nlp-pipeline extract``."""
    from .taggers import get_tagger

    model = get_tagger(tagger) if isinstance(tagger, str) else tagger
    return model.predict([make_document(text, doc_id)])[0]
