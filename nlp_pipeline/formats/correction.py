"""Corrected annotations from a tool → gold records (GUIDELINES §3, no ``tagger``).

The brat and Label Studio readers turn their files into :class:`Region` objects in
our offsets; :func:`build_gold` turns regions into validated :class:`Mention` s.

A tool edits spans and labels, but ``value`` and ``unit`` are ours to compute. A
region keeps the value the tool carried for it (the brat note, the Label Studio
value box) when that value was stated for this very span — an annotator may have
corrected it there. Otherwise the value comes from the rule tagger's mention with the
same span (it applies the sign-by-meaning of §1.2), else from the detected quantity,
else from parsing the span text alone; the last two state the value as written, so a
negative change would be missed — such regions are listed for review.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from ..document import Document
from ..errors import Errors, PipelineError
from ..lexicon import load_lexicon
from ..normalize import normalize_text
from ..pipeline import make_document
from ..quantities import matcher
from ..records import Mention, format_decimal, parse_record
from .labels import EDITABLE_FIELDS, default

#: Measures whose value is signed by meaning (§1.2): a parsed value may lack its sign.
SIGNED_MEASURES = ("change", "growth", "plan_difference")


@dataclass
class Region:
    """One annotated span read from a tool, already in our offsets."""

    start: int
    end: int
    type: str
    labels: dict[str, str]
    line: int  # where it is in the tool's file: .ann line, or Label Studio result index
    value: str | None = None
    unit: str | None = None


@dataclass
class ImportResult:
    """Gold records, the problems that block them, and notes worth a look."""

    mentions: list[Mention] = field(default_factory=list)
    problems: list[PipelineError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    documents: int = 0

    def extend(self, other: ImportResult) -> None:
        self.mentions += other.mentions
        self.problems += other.problems
        self.notes += other.notes
        self.documents += other.documents


class _Reference:
    """What the pipeline says about spans of one text, computed only when asked."""

    def __init__(self, doc_id: str, text: str) -> None:
        self.doc_id, self.text = doc_id, text

    @cached_property
    def doc(self) -> Document:
        return make_document(self.text, self.doc_id)

    @cached_property
    def tagged(self) -> dict[tuple[int, int], Mention]:
        from ..taggers import get_tagger

        return {m.span: m for m in get_tagger("rules").tag_document(self.doc)}

    @cached_property
    def detected(self) -> dict[tuple[int, int], tuple[Decimal, str]]:
        doc = self.doc
        return {doc.to_original(q.start, q.end): (q.value, q.unit) for q in doc.quantities}

    def lookup(self, start: int, end: int) -> tuple[Decimal, str, str] | None:
        """``(value, unit, source)`` for the span, or None when nothing parses."""
        if (start, end) in self.tagged:
            m = self.tagged[(start, end)]
            return m.value, m.unit, "tagger"
        if (start, end) in self.detected:
            return (*self.detected[(start, end)], "detected")
        return parse_span(self.text[start:end])


def parse_span(text: str) -> tuple[Decimal, str, str] | None:
    """The value and unit of a span that is exactly one quantity with its written unit."""
    norm = normalize_text(text).text
    found = matcher().find(norm)
    if len(found) == 1 and (found[0].start, found[0].end) == (0, len(norm)):
        return found[0].value, found[0].unit, "parsed"
    return None


def _problem(source: str | Path, line: int, field: str, detail: str) -> PipelineError:
    return PipelineError(Errors.E011, source, line=line, field=field, detail=detail)


def _record(region: Region, doc_id: str, text: str, ref: _Reference,
            source: str | Path, notes: list[str]) -> dict:
    """The §3 object of a region; value/unit resolved as the module docstring says."""
    obj: dict = {"doc_id": doc_id, "start": region.start, "end": region.end,
                 "text": text[region.start:region.end], "type": region.type}
    for name in EDITABLE_FIELDS:
        obj[name] = region.labels.get(name) or default(name)
    value, unit = region.value, region.unit
    if value is None or unit is None:
        found = ref.lookup(region.start, region.end)
        if found is None:
            missing = "value" if value is None else "unit"
            raise _problem(source, region.line, missing,
                           f"cannot be worked out from {obj['text']!r}; state it in the tool")
        value = value if value is not None else format_decimal(found[0])
        unit = unit if unit is not None else found[1]
        if found[2] != "tagger" and obj["measure"] in SIGNED_MEASURES:
            notes.append(f"{source}: line {region.line}: value of {obj['text']!r} "
                         f"({obj['measure']}) was parsed as written; check its sign")
    obj["value"], obj["unit"] = value, "".join(unit.split())  # "万\n元" wrapped in a PDF

    for name in ("fund", "metric"):
        if obj[name] is None:
            raise _problem(source, region.line, name, "is missing; choose it in the tool")
    return obj


def _check_unit(obj: dict, source: str | Path, line: int) -> None:
    """The unit must be one the lexicon knows and count the region's type (as gold checks)."""
    unit = load_lexicon().units.get(str(obj["unit"]).replace("％", "%"))
    if unit is None:
        raise PipelineError(Errors.E012, source, line=line, field="unit", value=obj["unit"])
    if unit.type != obj["type"]:
        raise _problem(source, line, "type",
                       f"is {obj['type']!r} but unit {obj['unit']!r} counts {unit.type}")


def _overlaps(mentions: list[tuple[Mention, int]], source: str | Path) -> list[PipelineError]:
    problems, widest = [], None
    for mention, line in sorted(mentions, key=lambda pair: pair[0].span):
        if widest is not None and mention.start < widest[0].end:
            problems.append(PipelineError(Errors.E016, source, line=line, start=mention.start,
                                          end=mention.end, other=widest[1]))
        if widest is None or mention.end > widest[0].end:
            widest = (mention, line)
    return problems


def build_gold(doc_id: str, text: str, regions: list[Region], source: str | Path) -> ImportResult:
    """Validated gold mentions of one document; every problem is collected, not just one."""
    result = ImportResult(documents=1)
    ref = _Reference(doc_id, text)
    accepted: list[tuple[Mention, int]] = []
    for region in regions:
        try:
            obj = _record(region, doc_id, text, ref, source, result.notes)
            _check_unit(obj, source, region.line)
            accepted.append((parse_record(obj, path=source, line=region.line), region.line))
        except PipelineError as exc:
            result.problems.append(exc)
    result.problems += _overlaps(accepted, source)
    result.mentions = sorted((m for m, _ in accepted), key=lambda m: m.span)
    return result
