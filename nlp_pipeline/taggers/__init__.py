"""Taggers share one interface (:class:`~nlp_pipeline.taggers.base.Tagger`)."""

from __future__ import annotations

from ..errors import Errors, PipelineError
from .base import Tagger
from .hybrid import HybridTagger
from .learned import LearnedTagger
from .rules import RuleTagger

TAGGERS: dict[str, type[Tagger]] = {
    "rules": RuleTagger,
    "learned": LearnedTagger,
    "hybrid": HybridTagger,
}


def get_tagger(name: str, **params: object) -> Tagger:
    """A tagger by its CLI name (``rules``, ``learned``, ``hybrid``)."""
    if name not in TAGGERS:
        raise PipelineError(Errors.E040, name=name, available=", ".join(sorted(TAGGERS)))
    return TAGGERS[name](**params)


__all__ = ["Tagger", "RuleTagger", "LearnedTagger", "HybridTagger", "get_tagger", "TAGGERS"]
