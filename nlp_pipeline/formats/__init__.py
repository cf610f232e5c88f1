"""Output formats researchers use, importers for corrected annotations, a review page.

``get_writer(name, path)`` returns a :class:`Writer` that a corpus run feeds one
document at a time (``add(doc, mentions)``) and commits atomically (``close()``, or
leave its ``with`` block). Heavy libraries (pandas, pyarrow, spaCy) are imported only
by the writer that needs them, so importing this package stays cheap.

See ``docs/formats.md`` for every format's layout.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from ..document import Document
from ..errors import PipelineError
from ..records import Mention
from .base import Writer
from .errors import FormatErrors

if TYPE_CHECKING:
    import pandas as pd

#: Format name → "module:class" of its writer.
_WRITERS = {
    "jsonl": "jsonl:JSONLWriter",
    "csv": "table:CSVWriter",
    "parquet": "table:ParquetWriter",
    "conll": "conll:CoNLLWriter",
    "spacy": "spacy_docs:DocBinWriter",
    "brat": "brat:BratWriter",
    "labelstudio": "labelstudio:LabelStudioWriter",
}
#: The ``extract --format`` names; the first is the default.
FORMATS: tuple[str, ...] = tuple(_WRITERS)


def writer_class(name: str) -> type[Writer]:
    """The writer class of a format name (imports its module on first use)."""
    if name not in _WRITERS:
        raise PipelineError(FormatErrors.E050, name=name, available=", ".join(FORMATS))
    module, cls = _WRITERS[name].split(":")
    return getattr(import_module(f"{__name__}.{module}"), cls)


def get_writer(name: str, path: str | Path) -> Writer:
    """A writer of format ``name`` to ``path`` (a file, or a directory for ``brat``)."""
    return writer_class(name)(path)


def to_dataframe(
    records: Iterable[Mention],
    docs: Mapping[str, Document] | Iterable[Document] | None = None,
) -> pd.DataFrame:
    """One row per mention, ``value`` an exact ``Decimal`` column (see ``formats.table``).

    With ``docs`` the rows also carry document metadata and the mention's sentence.
    """
    from .table import to_dataframe as build

    return build(records, docs)


__all__ = ["FORMATS", "Writer", "get_writer", "to_dataframe", "writer_class"]
