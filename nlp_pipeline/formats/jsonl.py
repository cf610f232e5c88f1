"""The record format itself (GUIDELINES §3), as a writer: one JSON object per line."""

from __future__ import annotations

from typing import ClassVar

from ..document import Document
from ..records import Mention, dumps
from .base import FileWriter


class JSONLWriter(FileWriter):
    """JSON Lines, exactly as ``nlp-pipeline extract`` has always written it."""

    name: ClassVar[str] = "jsonl"

    def add(self, doc: Document, mentions: list[Mention]) -> None:
        for mention in mentions:
            self.fh.write(dumps(mention) + "\n")
