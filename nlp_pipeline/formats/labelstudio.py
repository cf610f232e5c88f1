"""Label Studio: tasks with pre-annotations, a labelling config, and reading exports back.

The writer produces a JSON list of tasks — ``data`` holds the report text,
``doc_id`` and ``path``; ``predictions`` holds the tagger's mentions — plus the
labelling config beside it (``<name>.label_config.xml``) to paste into the project
settings. Each mention is a region: a ``labels`` result (from ``type``) with
``start``/``end``/``text`` and the type, and, sharing the region's ``id``,
per-region ``choices`` for fund, metric, measure, basis and qualifier and a
per-region ``textarea`` ``value`` holding the exact value. That is how Label Studio
itself stores per-region classifications, so the annotator sees and edits them in
the region panel.

Reading back (:func:`read_labelstudio`) takes Label Studio's JSON export (a list of
tasks with ``annotations``): per task the ground-truth annotation, else the latest
one not cancelled. Offsets index ``data.text``; if that string has ``\\r\\n`` they are
mapped onto our ``\\n`` text, and UTF-16 offsets are recognised (:mod:`.offsets`).
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from statistics import fmean
from typing import Any, ClassVar

from ..document import Document
from ..errors import Errors, PipelineError
from ..records import Mention, format_decimal
from ..writing import atomic_write
from .base import FileWriter, permissions
from .correction import ImportResult, Region, build_gold
from .errors import FormatErrors
from .labels import EDITABLE_FIELDS, color, values
from .offsets import Alignment, align, has_astral, utf16_to_codepoints

TEXT = "text"
TYPE = "type"
VALUE = "value"


def label_config() -> str:
    """The Label Studio labelling config (XML) matching the tasks we write."""
    view = ET.Element("View")
    labels = ET.SubElement(view, "Labels", name=TYPE, toName=TEXT)
    for kind in values("type"):
        ET.SubElement(labels, "Label", value=kind, background=color(kind))
    ET.SubElement(view, "Text", name=TEXT, value="$text", granularity="symbol")
    panel = ET.SubElement(view, "View", visibleWhen="region-selected")
    for name in EDITABLE_FIELDS:
        ids = values(name)
        ET.SubElement(panel, "Header", value=name)
        choices = ET.SubElement(panel, "Choices", name=name, toName=TEXT, perRegion="true",
                                choice="single", showInline=str(len(ids) <= 12).lower(),
                                required=str(name != "qualifier").lower())
        for label in ids:
            ET.SubElement(choices, "Choice", value=label)
    ET.SubElement(panel, "Header", value="value (base unit; a decrease is negative)")
    ET.SubElement(panel, "TextArea", name=VALUE, toName=TEXT, perRegion="true",
                  maxSubmissions="1", editable="true", rows="1")
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"


def _region_results(rid: str, mention: Mention) -> list[dict[str, Any]]:
    where = {"start": mention.start, "end": mention.end}
    head: dict[str, Any] = {"id": rid, "to_name": TEXT}
    out = [{**head, "from_name": TYPE, "type": "labels",
            "value": {**where, "text": mention.text, "labels": [mention.type]}}]
    if mention.confidence is not None:
        out[0]["score"] = mention.confidence
    for name in EDITABLE_FIELDS:
        if getattr(mention, name):
            out.append({**head, "from_name": name, "type": "choices",
                        "value": {**where, "choices": [getattr(mention, name)]}})
    out.append({**head, "from_name": VALUE, "type": "textarea",
                "value": {**where, "text": [format_decimal(mention.value)]}})
    return out


def to_task(doc: Document, mentions: list[Mention]) -> dict[str, Any]:
    """One task: the report and the mentions as a prediction."""
    results = []
    for n, mention in enumerate(sorted(mentions, key=lambda m: m.span), start=1):
        results += _region_results(f"m{n}", mention)
    taggers = sorted({m.tagger for m in mentions if m.tagger})
    prediction: dict[str, Any] = {"model_version": "+".join(taggers) or "gold", "result": results}
    scores = [m.confidence for m in mentions if m.confidence is not None]
    if scores:
        prediction["score"] = fmean(scores)
    return {"data": {TEXT: doc.text, "doc_id": doc.doc_id, "path": doc.path},
            "predictions": [prediction]}


def config_path(path: str | Path) -> Path:
    """Where the labelling config is written beside the tasks file."""
    path = Path(path)
    return path.with_name(f"{path.stem}.label_config.xml")


class LabelStudioWriter(FileWriter):
    """A JSON array of tasks, streamed one task at a time; the config is written at close."""

    name: ClassVar[str] = "labelstudio"

    def __init__(self, path: str | Path) -> None:
        super().__init__(path)
        self._count = 0
        self.fh.write("[")

    def add(self, doc: Document, mentions: list[Mention]) -> None:
        self.fh.write(",\n" if self._count else "\n")
        self.fh.write(json.dumps(to_task(doc, mentions), ensure_ascii=False))
        self._count += 1

    def _finish(self) -> None:
        self.fh.write("\n]\n")
        with atomic_write(config_path(self.path)) as fh:
            fh.write(label_config())
            os.fchmod(fh.fileno(), permissions(0o666))


# --- reading an export ------------------------------------------------------------------


def _chosen_annotation(task: dict[str, Any]) -> dict[str, Any] | None:
    """The ground-truth annotation, else the most recently updated one not cancelled."""
    kept = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    if not kept:
        return None
    return max(kept, key=lambda a: (bool(a.get("ground_truth")),
                                    str(a.get("updated_at") or a.get("created_at") or ""),
                                    a.get("id") or 0))


def _doc_id(task: dict[str, Any]) -> str:
    data = task.get("data") or {}
    if data.get("doc_id"):
        return str(data["doc_id"])
    if data.get("path"):
        return Path(str(data["path"])).stem
    return f"task_{task.get('id', 'unknown')}"


def _offsets(value: dict[str, Any], al: Alignment) -> tuple[int, int] | None:
    """Code-point offsets of a region whose text matches, trying UTF-16 ones too."""
    start, end = value.get("start"), value.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    tries = [(start, end)]
    if has_astral(al.raw):
        tries.append((utf16_to_codepoints(al.raw, start), utf16_to_codepoints(al.raw, end)))
    for a, b in tries:
        if 0 <= a < b <= len(al.raw) and al.raw[a:b] == value.get("text"):
            return a, b
    return None


def _region(rid: str, items: list[tuple[int, dict]], al: Alignment, source: Path) -> Region:
    """One region from the results sharing its id: the labels item plus per-region ones."""
    found = [(n, r) for n, r in items if r.get("type") == "labels"]
    if len(found) != 1:
        n = items[0][0]
        raise PipelineError(FormatErrors.E052, source, line=n,
                            detail=f"region {rid!r} has {len(found)} labels results, not 1")
    line, head = found[0]
    value = head.get("value") or {}
    kinds = value.get("labels") or []
    if len(kinds) != 1:
        raise PipelineError(FormatErrors.E052, source, line=line,
                            detail=f"region {rid!r} must have one type label, has {kinds}")
    offsets = _offsets(value, al)
    if offsets is None:
        raise PipelineError(Errors.E015, source, line=line, text=value.get("text"),
                            slice=al.raw[value.get("start") or 0:value.get("end") or 0])
    start, end = al.span(*offsets)
    region = Region(start, end, kinds[0], {}, line)
    for _, item in items:
        name, val = item.get("from_name"), item.get("value") or {}
        if item.get("type") == "choices" and name in EDITABLE_FIELDS and val.get("choices"):
            region.labels[name] = val["choices"][0]
        elif item.get("type") == "textarea" and name == VALUE and val.get("text"):
            region.value, _, unit = str(val["text"][0]).strip().partition(" ")
            region.unit = unit.strip() or None  # "12340000 万元" for a bare table number
    return region


def read_task(task: dict[str, Any], index: int, source: Path) -> ImportResult:
    """Gold records of one exported task (result items are numbered from 1 as ``line``)."""
    result = ImportResult()
    text = (task.get("data") or {}).get(TEXT)
    if not isinstance(text, str):
        result.problems.append(PipelineError(FormatErrors.E054, source, doc_id=_doc_id(task),
                                             detail=f"task {index} has no data.text"))
        return result
    annotation = _chosen_annotation(task)
    if annotation is None:
        result.notes.append(f"{source}: task {index} ({_doc_id(task)}) has no annotation; skipped")
        return result
    al = align(text)
    grouped: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    for n, item in enumerate(annotation.get("result") or [], start=1):
        if isinstance(item, dict) and "id" in item and "start" in (item.get("value") or {}):
            grouped[str(item["id"])].append((n, item))
    regions = []
    for rid, items in grouped.items():
        try:
            regions.append(_region(rid, items, al, source))
        except PipelineError as exc:
            result.problems.append(exc)
    result.extend(build_gold(_doc_id(task), al.text, regions, source))
    return result


def read_labelstudio(path: str | Path) -> ImportResult:
    """Gold records of every annotated task in a Label Studio JSON export."""
    path = Path(path)
    try:
        tasks = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise PipelineError(Errors.E004, path, detail=exc.strerror or str(exc)) from exc
    except json.JSONDecodeError as exc:
        raise PipelineError(FormatErrors.E053, path, detail=f"invalid JSON: {exc}") from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
        raise PipelineError(FormatErrors.E053, path, detail="expected a list of task objects")
    result = ImportResult()
    for index, task in enumerate(tasks, start=1):
        result.extend(read_task(task, index, path))
    return result
