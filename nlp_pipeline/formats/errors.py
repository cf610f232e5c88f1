"""Error codes of the formats package (E050–E059).

They follow :class:`nlp_pipeline.errors.Errors` (stable code, message template) and
are raised as :class:`~nlp_pipeline.errors.PipelineError`, so the CLI reports them
like every other error. They live here only until the lead merges them into
``errors.Errors``; the codes are reserved there.
"""

from __future__ import annotations

from enum import Enum


class FormatErrors(str, Enum):
    """Message templates; ``{}`` fields are filled by ``PipelineError``."""

    E050 = "unknown output format {name!r}; available: {available}"
    E051 = ("refusing to replace {detail}: it is not a directory this program wrote "
            "(no annotation.conf of ours, or files other than .txt/.ann/.conf)")
    E052 = "line {line}: {detail}"
    E053 = "not a Label Studio JSON export: {detail}"
    E054 = "no text for document {doc_id!r}: {detail}"
    E055 = "document id {doc_id!r} occurs twice; {fmt} needs one file per document"
