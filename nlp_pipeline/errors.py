"""One catalogue of the errors the pipeline raises, each with a stable code.

Codes let a researcher grep a corpus run's failure summary and let tests assert on
the kind of failure rather than on message wording (the spaCy ``Errors`` idea).
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path


class Errors(str, Enum):
    """Message templates; ``{}`` fields are filled by :class:`PipelineError`."""

    E001 = "file is empty"
    E002 = "file looks binary (NUL bytes or control characters), not text"
    E003 = "cannot decode the file as text: {detail}"
    E004 = "cannot read the file: {detail}"
    E005 = "the file ends inside a UTF-8 character at byte {offset}: was it cut short?"
    E006 = "not a regular file ({kind}); only text files are read"
    E007 = "cannot list the directory: {detail}"
    E010 = "line {line}: not valid JSON: {detail}"
    E011 = "line {line}: field {field!r} {detail}"
    E012 = "line {line}: unknown {field} id {value!r}"
    E013 = "line {line}: value {value!r} is not a decimal number"
    E014 = "line {line}: offsets {start}:{end} out of range for a text of {length} characters"
    E015 = "line {line}: text {text!r} differs from the document slice {slice!r}"
    E016 = "line {line}: span {start}:{end} overlaps or duplicates the span on line {other}"
    E017 = "checksum {actual} differs from the manifest's {expected}"
    E018 = "document {doc_id!r} has no text to check against"
    E020 = "lexicon {name}: {detail}"
    E030 = "model file is not a valid nlp-pipeline model: {detail}"
    E031 = "model was saved by an incompatible version: {detail}"
    E032 = "no trained model here; train one with: {command}"
    E033 = "this is a {found!r} model, not a {expected!r} one; train one with: {command}"
    E034 = "cannot train: {detail}"
    E040 = "unknown tagger {name!r}; available: {available}"
    E041 = "no input files found under {paths}"
    E042 = (
        "--resume: the checkpoint {parts} is for other inputs or another tagger; "
        "delete it or run without --resume"
    )
    E043 = "a worker process died while tagging this document: {detail}"
    E044 = "--engine dask needs its optional dependencies: pip install 'nlp-pipeline[dask]'"
    E045 = "cannot reach the Dask scheduler at {address}: {detail}"
    E046 = "the tagger failed on this document: {detail}"
    E047 = "{option} {detail}"


class PipelineError(Exception):
    """An error that names its code, and the file (and line) it concerns."""

    def __init__(self, code: Errors, path: str | Path | None = None, **fields: object) -> None:
        self.code = code
        self.path = str(path) if path is not None else None
        self.fields = fields
        self.message = code.value.format(**fields)
        where = f"{self.path}: " if self.path else ""
        super().__init__(f"[{code.name}] {where}{self.message}")

    @property
    def line(self) -> int | None:
        line = self.fields.get("line")
        return int(line) if isinstance(line, int) else None
