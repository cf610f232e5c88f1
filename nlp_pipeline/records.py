"""The mention record of GUIDELINES §3, and reading/writing it as JSON Lines.

Gold files, tagger output and every exporter share this one record. Values are
``Decimal`` in memory and decimal strings on disk; offsets index the original text.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .errors import Errors, PipelineError
from .lexicon import load_lexicon
from .writing import atomic_write

#: Field order of a record on disk (GUIDELINES §3).
FIELDS = (
    "doc_id", "start", "end", "text", "type", "value", "unit",
    "fund", "metric", "measure", "basis", "qualifier",
)
LABEL_FIELDS = ("type", "fund", "metric", "measure", "basis", "qualifier")


def format_decimal(value: Decimal) -> str:
    """A plain decimal string: no exponent, no trailing fractional zeros."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True, slots=True)
class Mention:
    """One quantity mention with its labels."""

    doc_id: str
    start: int
    end: int
    text: str
    type: str
    value: Decimal
    unit: str
    fund: str
    metric: str
    measure: str
    basis: str
    qualifier: str = ""
    tagger: str | None = None
    confidence: float | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of §3, with ``tagger``/``confidence`` only when set."""
        out: dict[str, Any] = {name: getattr(self, name) for name in FIELDS}
        out["value"] = format_decimal(self.value)
        if self.tagger is not None:
            out["tagger"] = self.tagger
        if self.confidence is not None:
            out["confidence"] = round(self.confidence, 4)
        out.update(self.extra)
        return out

    def replace(self, **changes: Any) -> Mention:
        """A copy with some fields changed (shallow: ``extra`` is shared unless given)."""
        return dataclasses.replace(self, **changes)


def parse_record(
    obj: Any, *, path: str | Path | None = None, line: int = 0, check_ids: bool = True
) -> Mention:
    """Validate one decoded JSON object and build a :class:`Mention`.

    Every failure names the file and line, because gold and prediction files are
    edited by hand and by other tools.
    """
    if not isinstance(obj, dict):
        raise PipelineError(Errors.E011, path, line=line, field="record", detail="is not an object")
    for name, kind in (("doc_id", str), ("start", int), ("end", int), ("text", str)):
        if name not in obj:
            raise PipelineError(Errors.E011, path, line=line, field=name, detail="is missing")
        if not isinstance(obj[name], kind) or isinstance(obj[name], bool):
            raise PipelineError(
                Errors.E011, path, line=line, field=name, detail=f"must be {kind.__name__}"
            )
    for name in ("type", "value", "unit", "fund", "metric", "measure", "basis"):
        if name not in obj:
            raise PipelineError(Errors.E011, path, line=line, field=name, detail="is missing")
    for name in ("type", "unit", "fund", "metric", "measure", "basis"):
        if not isinstance(obj[name], str):
            raise PipelineError(Errors.E011, path, line=line, field=name, detail="must be str")
    qualifier = obj.get("qualifier") or ""
    if not isinstance(qualifier, str):
        raise PipelineError(Errors.E011, path, line=line, field="qualifier", detail="must be str")
    if obj["start"] < 0 or obj["end"] <= obj["start"]:
        raise PipelineError(
            Errors.E011, path, line=line, field="end", detail="must be greater than start >= 0"
        )
    value = obj["value"]
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise PipelineError(Errors.E013, path, line=line, value=value)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise PipelineError(Errors.E013, path, line=line, value=value) from None
    if not number.is_finite():
        raise PipelineError(Errors.E013, path, line=line, value=value)
    if check_ids:
        lex = load_lexicon()
        labels = dict(obj, qualifier=qualifier)
        for name in LABEL_FIELDS:
            if labels[name] not in lex.labels(name):
                raise PipelineError(Errors.E012, path, line=line, field=name, value=labels[name])
    extra = {k: v for k, v in obj.items() if k not in FIELDS and k not in ("tagger", "confidence")}
    confidence = obj.get("confidence")
    return Mention(
        doc_id=obj["doc_id"], start=obj["start"], end=obj["end"], text=obj["text"],
        type=obj["type"], value=number, unit=obj["unit"], fund=obj["fund"],
        metric=obj["metric"], measure=obj["measure"], basis=obj["basis"],
        qualifier=qualifier, tagger=obj.get("tagger"),
        confidence=float(confidence) if isinstance(confidence, (int, float)) else None,
        extra=extra,
    )


def iter_jsonl(path: str | Path, *, check_ids: bool = True) -> Iterator[Mention]:
    """Read records from a JSON Lines file; blank lines are allowed."""
    for _, mention in iter_jsonl_lines(path, check_ids=check_ids):
        yield mention


def iter_jsonl_lines(path: str | Path, *, check_ids: bool = True) -> Iterator[tuple[int, Mention]]:
    """Like :func:`iter_jsonl`, with each record's line number, for later checks that
    must name the line too (:func:`check_against_text`)."""
    path = Path(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise PipelineError(Errors.E004, path, detail=exc.strerror or str(exc)) from exc
    with handle:
        for number, raw in _numbered_lines(handle, path):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise PipelineError(Errors.E010, path, line=number, detail=exc.msg) from None
            yield number, parse_record(obj, path=path, line=number, check_ids=check_ids)


def _numbered_lines(handle: Iterable[bytes], path: Path) -> Iterator[tuple[int, str]]:
    """Lines split on ``\\n`` only, with their numbers; each decoded on its own, so a
    line that is not UTF-8 is E003 naming exactly that line."""
    for number, raw in enumerate(handle, start=1):
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            detail = f"line {number} is not UTF-8 ({exc.reason})"
            raise PipelineError(Errors.E003, path, detail=detail) from None


def check_against_text(
    mention: Mention, text: str, path: str | Path | None = None, line: int = 0
) -> Mention:
    """Raise E014/E015 unless the record's offsets lie in ``text`` and slice its ``text``.

    ``parse_record`` cannot check this: it needs the document, which the caller has.
    """
    if mention.end > len(text):
        raise PipelineError(Errors.E014, path, line=line, start=mention.start, end=mention.end,
                            length=len(text))
    found = text[mention.start:mention.end]
    if found != mention.text:
        raise PipelineError(Errors.E015, path, line=line, text=mention.text, slice=found)
    return mention


def check_jsonl(
    path: str | Path, texts: Mapping[str, str], *, check_ids: bool = True
) -> Iterator[Mention]:
    """Read a record file and check every record against its document's text.

    ``texts`` maps ``doc_id`` to the text as Python reads it (:func:`loading.read_text`);
    a record whose document is not there is E018. Every error names file and line.
    """
    for number, mention in iter_jsonl_lines(path, check_ids=check_ids):
        if mention.doc_id not in texts:
            raise PipelineError(Errors.E018, f"{path}:{number}", doc_id=mention.doc_id)
        yield check_against_text(mention, texts[mention.doc_id], path, number)


def read_jsonl(path: str | Path, *, check_ids: bool = True) -> list[Mention]:
    return list(iter_jsonl(path, check_ids=check_ids))


def dumps(mention: Mention) -> str:
    return json.dumps(mention.to_dict(), ensure_ascii=False)


def write_jsonl(path: str | Path, mentions: Iterable[Mention]) -> int:
    """Write records atomically; returns how many were written."""
    count = 0
    with atomic_write(path) as fh:
        for mention in mentions:
            fh.write(dumps(mention) + "\n")
            count += 1
    return count
