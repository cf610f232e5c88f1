"""Loads the data in ``lexicons/``: label ids, funds, metrics, units and cue words.

Everything the taggers know about the domain lives in those TOML files; this module
only parses them into read-only structures, once per process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path

import tomllib

from .errors import Errors, PipelineError


def lexicon_dir() -> Path:
    """Where the lexicons are: inside the installed wheel, or beside the source tree."""
    packaged = Path(str(resources.files("nlp_pipeline"))) / "lexicons"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "lexicons"


def _load(name: str) -> dict:
    path = lexicon_dir() / name
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PipelineError(Errors.E020, path, name=name, detail=str(exc)) from exc


@dataclass(frozen=True)
class Fund:
    id: str
    name: str
    aliases: tuple[str, ...]
    parent: str | None = None


@dataclass(frozen=True)
class Metric:
    id: str
    kind: str
    types: tuple[str, ...]
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Unit:
    text: str
    type: str
    multiplier: Decimal


@dataclass(frozen=True)
class Lexicon:
    """All lexicon data; build it with :func:`load_lexicon`."""

    types: tuple[str, ...]
    measures: tuple[str, ...]
    bases: tuple[str, ...]
    qualifiers: tuple[str, ...]
    defaults: dict[str, str]
    funds: dict[str, Fund]
    metrics: dict[str, Metric]
    units: dict[str, Unit]
    cues: dict[str, dict] = field(default_factory=dict)
    ambiguous_funds: tuple[dict, ...] = ()
    fund_hint_prefixes: dict[str, str] = field(default_factory=dict)
    coordination: dict[str, list[str]] = field(default_factory=dict)
    reference_only: frozenset[str] = frozenset()
    table_fund_names: dict[str, str] = field(default_factory=dict)

    def labels(self, field_name: str) -> tuple[str, ...]:
        """The allowed ids of a record field (``type``, ``fund``, ``metric`` …)."""
        return {
            "type": self.types,
            "fund": tuple(self.funds),
            "metric": tuple(self.metrics),
            "measure": self.measures,
            "basis": self.bases,
            "qualifier": self.qualifiers,
        }[field_name]

    def fund_parent(self, fund_id: str) -> str | None:
        return self.funds[fund_id].parent

    def table_fund(self, label: str) -> str | None:
        """The fund a whole table label names by its short name (工伤, 失业：), if any."""
        return self.table_fund_names.get(label.strip().rstrip("：:"))


@cache
def load_lexicon() -> Lexicon:
    """Parse every lexicon file once per process."""
    labels = _load("labels.toml")
    fund_data = _load("funds.toml")
    funds = {
        f["id"]: Fund(f["id"], f["name"], tuple(f.get("aliases", ())), f.get("parent"))
        for f in fund_data["fund"]
    }
    metrics = {
        m["id"]: Metric(m["id"], m["kind"], tuple(m["types"]), tuple(m.get("aliases", ())))
        for m in _load("metrics.toml")["metric"]
    }
    units = {
        u["text"]: Unit(u["text"], u["type"], Decimal(u["multiplier"]))
        for u in _load("units.toml")["unit"]
    }
    for unit in units.values():
        if unit.type not in labels["types"]:
            raise PipelineError(Errors.E020, name="units.toml", detail=f"bad type {unit.type}")
    table_names = dict(fund_data.get("table_names", {}))
    for name, fund_id in table_names.items():
        if fund_id not in funds:
            raise PipelineError(Errors.E020, name="funds.toml",
                                detail=f"table name {name!r}: unknown fund {fund_id!r}")
    return Lexicon(
        types=tuple(labels["types"]),
        measures=tuple(labels["measures"]),
        bases=tuple(labels["bases"]),
        qualifiers=tuple(labels["qualifiers"]),
        defaults=dict(labels["defaults"]),
        funds=funds,
        metrics=metrics,
        units=units,
        cues=_load("cues.toml"),
        ambiguous_funds=tuple(fund_data.get("ambiguous", ())),
        fund_hint_prefixes=dict(fund_data.get("hint_prefixes", {})),
        coordination=dict(fund_data.get("coordination", {})),
        reference_only=frozenset(fund_data.get("reference_only", {}).get("aliases", ())),
        table_fund_names=table_names,
    )
