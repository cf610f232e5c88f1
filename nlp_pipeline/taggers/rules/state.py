"""The per-document state every rule module reads (filled by ``DocContext``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...cues import Cue, Cues
from ...document import Document, Table
from ...lexicon import Lexicon
from ...terms import TermMatch
from .common import Brackets, Labels, Occurrences

if TYPE_CHECKING:
    from .bases import SentenceCues  # bases imports this module


class RuleState:
    """Attributes shared by the rule mixins; see :class:`.context.DocContext`."""

    doc: Document
    lex: Lexicon
    cues: Cues
    terms: dict[int, list[TermMatch]]  # lexicon terms per sentence index
    entry_fund: dict[int, str | None]  # the fund in effect where each sentence starts
    entry_protected: dict[int, bool]  # whether that fund came from a heading
    resolved: dict[str, str]  # document-dependent readings of ambiguous fund names
    default_fund: str
    starts: list[int]  # quantity starts, for bisection
    ends: list[int]
    table_of: dict[int, Table]  # id(cell) → its table
    _last: Labels | None  # labels of the previous quantity (list continuation)
    doc_terms: list[TermMatch]  # every lexicon term of the document, in order
    term_starts: list[int]
    plan_cues: list[Cue]  # completion and plan-difference cues of the document, in order
    plan_cue_starts: list[int]
    years: list[tuple[int, int]]  # (position, year) of years that date figures
    year_starts: list[int]
    brackets: Brackets  # where brackets close, for terms inside （…）
    basis_cues: dict[int, SentenceCues]  # basis cues per sentence start, found on first use
    words: Occurrences  # where the deficit words and 分别 occur
    # per-sentence running state, keyed by the id of the sentence's term list
    _fund_folds: dict  # (terms, figure type) → the fund read through the sentence
    _sibling_cache: dict  # (terms, kind) → the terms that stop a fund hint
    _named_cache: dict  # terms → the funds the sentence names, in order
    _phrase_only: list[int] | None  # positions of phrase breaks (no line breaks)
    _line_cache: dict  # (start, end) → whether a term names a line (_names_a_line)
    _metric_cache: dict  # (terms, …) → metric candidates of a sentence
