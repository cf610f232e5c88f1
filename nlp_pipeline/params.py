"""``--param KEY=VALUE`` options, shared by the commands that build a tagger."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any


def parse_params(items: Sequence[str]) -> dict[str, Any]:
    """``KEY=VALUE`` pairs; a value that parses as JSON (``3``, ``true``) is taken as such.

    Raises ``ValueError`` naming the bad item; each command reports it its own way.
    """
    params: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise ValueError(f"--param expects KEY=VALUE, got {item!r}")
        try:
            params[key] = json.loads(raw)
        except json.JSONDecodeError:
            params[key] = raw
    return params
