"""The mention record of GUIDELINES §3, and reading/writing it as JSON Lines.

Gold files, tagger output and every exporter share this one record. Values are
``Decimal`` in memory and decimal strings on disk; offsets index the original text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
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
        data = asdict(self)
        data.update(changes)
        return Mention(**data)


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
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise PipelineError(Errors.E004, path, detail=exc.strerror or str(exc)) from exc
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise PipelineError(Errors.E010, path, line=number, detail=exc.msg) from None
            yield parse_record(obj, path=path, line=number, check_ids=check_ids)


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
