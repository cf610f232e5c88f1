"""The rule tagger: fund, metric, measure, basis and qualifier from lexicon cues.

Each decision follows a guideline section and reads only data from ``lexicons/``:

* fund (§2.1): a fund named earlier in the sentence, else the one carried from
  earlier sentences of the section, else the nearest heading's, else the
  document's default (`none` for department accounts, `all` otherwise). A generic
  name never overrides a more specific scheme already in context.
* metric (§2.2): the nearest metric term to the left that fits the mention type, so
  `较上年增加…，增长…，完成预算…` chains keep their head phrase; people counts also
  look at the noun right after the unit (202346名离退休人员).
* measure (§2.3) from the cue words between the previous quantity and this one;
  basis (§2.4) from cues in the sentence, the section kind and the table headers.

One module per label (funds, metrics, measures, bases, cells); ``context`` holds the
per-document state they share. Matching (terms, cues) lives in ``nlp_pipeline.terms``
and ``nlp_pipeline.cues``; these modules only decide labels.
"""

from __future__ import annotations

from ...document import Document, Quantity
from ...records import Mention
from ..base import Tagger
from .common import Labels
from .context import DocContext


class RuleTagger(Tagger):
    """Lexicon- and guideline-driven labelling; no fitted state."""

    name = "rules"

    def __init__(self, carry_fund: bool = True) -> None:
        self.carry_fund = carry_fund

    def tag_document(self, doc: Document) -> list[Mention]:
        return [to_mention(doc, q, labels, self.name)
                for q, labels in zip(doc.quantities, self.label_document(doc), strict=True)]

    def label_document(self, doc: Document) -> list[Labels]:
        """The labels of ``doc.quantities``, without building records (the learned and
        hybrid taggers read the rule labels of every quantity)."""
        context = DocContext(doc, self.carry_fund)
        return [context.label(q) for q in doc.quantities]


def to_mention(doc: Document, q: Quantity, labels: Labels, tagger: str) -> Mention:
    """Build the output record: original offsets, value signed by meaning."""
    start, end = doc.to_original(q.start, q.end)
    unit = q.unit
    if q.unit_start is not None:  # as written (％, 萬元), without a PDF line break inside
        unit = "".join(doc.text[doc.to_original(q.unit_start, q.end)[0]:end].split())
    value = q.value
    if labels.negate and value > 0:
        value = -value
    return Mention(
        doc_id=doc.doc_id, start=start, end=end, text=doc.text[start:end], type=q.type,
        value=value, unit=unit, fund=labels.fund, metric=labels.metric,
        measure=labels.measure, basis=labels.basis, qualifier=labels.qualifier, tagger=tagger,
    )


__all__ = ["RuleTagger", "Labels", "to_mention"]
