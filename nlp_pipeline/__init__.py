"""nlp-pipeline: quantities in Chinese social-insurance fund reports, tagged."""

from .formats import to_dataframe
from .pipeline import extract, load_document, make_document
from .records import Mention, read_jsonl, write_jsonl

__version__ = "0.1.0"
__all__ = [
    "extract", "make_document", "load_document", "Mention", "read_jsonl", "write_jsonl",
    "to_dataframe",
]
