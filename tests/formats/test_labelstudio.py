"""Label Studio: tasks and config are consistent, and corrected exports come back as gold.

:func:`export_like_label_studio` wraps our tasks the way Label Studio's JSON export
does after an annotator accepted and edited the pre-annotation: task and annotation
bookkeeping fields, ``origin`` on each result item, ISO timestamps, a cancelled
annotation left over.
"""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from nlp_pipeline.formats.importers import import_gold
from nlp_pipeline.formats.labelstudio import config_path, label_config, read_labelstudio

CONTROL_TAGS = {"labels": "Labels", "choices": "Choices", "textarea": "TextArea"}


@pytest.fixture
def tasks_from_gold(gold, tagged, tmp_path, write_all) -> list[dict]:
    pairs = [(d, gold[d.doc_id]) for d, _ in tagged]
    path = write_all("labelstudio", tmp_path / "tasks.json", pairs)
    return json.loads(path.read_text(encoding="utf-8"))


def export_like_label_studio(tasks: list[dict]) -> list[dict]:
    """The tasks as Label Studio exports them once each prediction was accepted."""
    out = []
    for n, task in enumerate(tasks, start=1):
        result = [dict(item, origin="prediction") for item in task["predictions"][0]["result"]]
        stamp = f"2026-03-0{n}T09:1{n}:00.000000Z"
        annotation = {
            "id": 100 + n, "completed_by": 1, "result": result, "was_cancelled": False,
            "ground_truth": False, "created_at": stamp, "updated_at": stamp,
            "draft_created_at": None, "lead_time": 341.2, "prediction": task["predictions"][0],
            "result_count": 0, "unique_id": f"a1b2c3-{n}", "import_id": None,
            "last_action": None, "bulk_created": False, "task": n, "project": 7,
            "updated_by": 1, "parent_prediction": 50 + n, "parent_annotation": None,
            "last_created_by": None,
        }
        cancelled = dict(annotation, id=200 + n, was_cancelled=True, result=[],
                         updated_at="2026-04-01T00:00:00.000000Z")
        out.append({
            "id": n, "annotations": [annotation, cancelled], "file_upload": "tasks.json",
            "drafts": [], "predictions": [50 + n], "data": task["data"], "meta": {},
            "created_at": stamp, "updated_at": stamp, "inner_id": n, "total_annotations": 1,
            "cancelled_annotations": 1, "total_predictions": 1, "comment_count": 0,
            "unresolved_comment_count": 0, "last_comment_updated_at": None, "project": 7,
            "updated_by": 1, "comment_authors": [],
        })
    return out


def save(tmp_path: Path, export: list[dict]) -> Path:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def test_results_use_only_controls_of_the_config(tasks_from_gold, tmp_path) -> None:
    config = ET.fromstring(config_path(tmp_path / "tasks.json").read_text(encoding="utf-8"))
    controls = {el.get("name"): el for el in config.iter() if el.get("toName") == "text"}
    for task in tasks_from_gold:
        assert task["data"]["doc_id"] and isinstance(task["data"]["text"], str)
        for item in task["predictions"][0]["result"]:
            control = controls[item["from_name"]]
            assert control.tag == CONTROL_TAGS[item["type"]]
            value = item["value"]
            if item["type"] == "labels":
                assert task["data"]["text"][value["start"]:value["end"]] == value["text"]
            allowed = {el.get("value") for el in control}
            for chosen in value.get("labels", []) + value.get("choices", []):
                assert chosen in allowed


def test_label_studio_sdk_accepts_the_predictions(tasks_from_gold) -> None:
    """Label Studio's own validator, when its SDK is installed (not a project dependency)."""
    interface = pytest.importorskip("label_studio_sdk.label_interface")
    checker = interface.LabelInterface(label_config())
    for task in tasks_from_gold:
        assert checker.validate_prediction(task["predictions"][0], return_errors=True) == []


def test_accepted_predictions_come_back_as_the_gold(tasks_from_gold, gold, tmp_path) -> None:
    result = read_labelstudio(save(tmp_path, export_like_label_studio(tasks_from_gold)))
    assert not result.problems
    assert result.mentions == [m for ms in gold.values() for m in ms]


def regions(annotation: dict) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for item in annotation["result"]:
        grouped.setdefault(item["id"], []).append(item)
    return grouped


def test_corrections_are_applied(tasks_from_gold, gold, tmp_path) -> None:
    doc_id = tasks_from_gold[0]["data"]["doc_id"]
    mentions = gold[doc_id]
    export = export_like_label_studio(tasks_from_gold)
    annotation = export[0]["annotations"][0]
    by_id = regions(annotation)
    # 1. the annotator changes the fund of region m1
    next(i for i in by_id["m1"] if i["from_name"] == "fund")["value"]["choices"] = ["pension"]
    # 2. deletes region m2
    # 3. deletes and redraws the first level mention after it: a new id, no value box
    redrawn = next(m for m in mentions[2:] if m.measure == "level")
    old_id = f"m{mentions.index(redrawn) + 1}"
    fresh = [dict(copy.deepcopy(i), id="Xq3kP0aZ7e", origin="manual")
             for i in by_id[old_id] if i["type"] != "textarea"]
    annotation["result"] = [i for i in annotation["result"]
                            if i["id"] not in ("m2", old_id)] + fresh
    result = read_labelstudio(save(tmp_path, export))
    assert not result.problems
    got = [m for m in result.mentions if m.doc_id == doc_id]
    expected = [mentions[0].replace(fund="pension"), *mentions[2:]]
    assert got == expected
    assert got[expected.index(redrawn)].value == redrawn.value  # worked out, not typed


def test_crlf_task_text_offsets_are_mapped(tasks_from_gold, gold, tmp_path) -> None:
    export = export_like_label_studio(tasks_from_gold)
    for task in export:
        text = task["data"]["text"]
        task["data"]["text"] = text.replace("\n", "\r\n")
        for item in task["annotations"][0]["result"]:
            for key in ("start", "end"):
                item["value"][key] += text.count("\n", 0, item["value"][key])
    result = read_labelstudio(save(tmp_path, export))
    assert not result.problems
    assert result.mentions == [m for ms in gold.values() for m in ms]


def test_problems_block_the_import(tasks_from_gold, tmp_path) -> None:
    export = export_like_label_studio(tasks_from_gold)
    annotation = export[0]["annotations"][0]
    by_id = regions(annotation)
    by_id["m1"][0]["value"]["start"] += 1  # span no longer matches its text
    annotation["result"] = [i for i in annotation["result"]
                            if not (i["id"] == "m2" and i["from_name"] == "metric")]
    next(i for i in by_id["m3"] if i["type"] == "textarea")["value"]["text"] = ["12,5"]
    out = tmp_path / "gold.jsonl"
    result = import_gold("labelstudio", [save(tmp_path, export)], out)
    assert sorted(e.code.name for e in result.problems) == ["E011", "E013", "E015"]
    assert not out.exists()


def test_value_typed_by_the_annotator_wins(tasks_from_gold, gold, tmp_path) -> None:
    export = export_like_label_studio(tasks_from_gold)
    box = next(i for i in export[0]["annotations"][0]["result"]
               if i["id"] == "m1" and i["type"] == "textarea")
    box["value"]["text"] = ["-1234.5"]
    result = read_labelstudio(save(tmp_path, export))
    assert result.mentions[0].value == Decimal("-1234.5")
