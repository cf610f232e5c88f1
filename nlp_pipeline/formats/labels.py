"""Label facts shared by the exporters, the importers and the review page.

Label ids come from the lexicons (``lexicons/labels.toml`` etc.), never spelled out
here; what this module adds is presentation: one colour per type, used by the HTML
review page, brat's ``visual.conf`` and Label Studio's config alike, and the names
under which qualifier ids travel through tools that dislike ``<`` and ``>``.
"""

from __future__ import annotations

from ..lexicon import load_lexicon

#: Background colour of each mention type (pale, so the text stays readable).
TYPE_COLORS = {
    "MONEY": "#fde68a",
    "PEOPLE": "#bfdbfe",
    "PERSON_TIMES": "#ddd6fe",
    "PERCENT": "#bbf7d0",
}
DEFAULT_COLOR = "#e5e7eb"

#: The four labels of §2 shown with every mention, in the order the guidelines give.
LABEL_FIELDS = ("fund", "metric", "measure", "basis")
#: Label fields a tool edits per mention (the type is the span label itself).
EDITABLE_FIELDS = (*LABEL_FIELDS, "qualifier")

#: Qualifier ids as attribute values in brat (its config syntax has no room for ``<``).
QUALIFIER_NAMES = {">=": "ge", "<=": "le", ">": "gt", "<": "lt", "~": "approx"}
QUALIFIER_IDS = {name: qid for qid, name in QUALIFIER_NAMES.items()}


def color(kind: str) -> str:
    return TYPE_COLORS.get(kind, DEFAULT_COLOR)


def values(field: str) -> tuple[str, ...]:
    """The ids a field may take, in lexicon order (qualifier without the empty id)."""
    return tuple(v for v in load_lexicon().labels(field) if v)


def default(field: str) -> str | None:
    """The lexicon's default for measure, basis and qualifier; None for fund and metric.

    Fund and metric have no safe default: an annotator must choose them.
    """
    if field not in ("measure", "basis", "qualifier"):
        return None
    return load_lexicon().defaults.get(field)
