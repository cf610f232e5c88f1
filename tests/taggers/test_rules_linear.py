"""The rule tagger's per-figure lookups do not grow with the sentence.

Each helper that replaced a per-figure rescan (clause starts, brackets, dated years,
basis cues, word searches) is checked against a brute-force reference — the rescan it
replaced — on the seed reports or random strings; and the characters searched for
basis cues are counted, so a rescan of the sentence for every figure fails without
any timing.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlp_pipeline import make_document
from nlp_pipeline.cues import CueSet, cues
from nlp_pipeline.taggers.rules.common import CLAUSE_BREAK, PHRASE_BREAK, Brackets, Occurrences
from nlp_pipeline.taggers.rules.context import DocContext


@pytest.fixture(scope="module")
def contexts(seed_documents) -> list[DocContext]:
    return [DocContext(doc, carry_fund=True) for doc in seed_documents.values()]


def prose(ctx: DocContext) -> list:
    """``(figure, sentence start, sentence)`` for the figures labelled as prose."""
    found = []
    for q in ctx.doc.quantities:
        if q.cell is not None and not q.cell.is_text:
            continue
        index = ctx.doc.sentence_index(q.start)
        sent = ctx.doc.sentences[index] if index is not None else None
        found.append((q, sent.start if sent else max(0, q.start - 60), sent))
    return found


# --- references: the rescans the helpers replaced --------------------------------


def walk_back_clause_start(text: str, pos: int, brackets: bool) -> int:
    """One character at a time back to the line start (the original ``_clause_start``)."""
    line_start = text.rfind("\n", 0, pos) + 1
    breaks = CLAUSE_BREAK if brackets else PHRASE_BREAK
    for i in range(pos - 1, line_start - 1, -1):
        if breaks.match(text[i]):
            return i + 1
    return line_start


def closes_between(text: str, start: int, end: int) -> bool:
    """A bracket open at ``start`` closes before ``end`` (the original depth count)."""
    depth = 0
    for ch in text[start:end]:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            if depth == 0:
                return True
            depth -= 1
    return False


def rescanned_cue_event(ctx: DocContext, q, s_start: int) -> tuple[int, str] | None:
    """The last basis event among the cues found afresh in ``[s_start, q.start)``."""
    text = ctx.doc.ntext
    events = []
    for cue in ctx.cues.basis.find(text, s_start, q.start):
        if cue.kind == "neutral":
            continue
        if ctx._is_comparison(cue.start):
            if cue.kind == "prior" and not text[cue.end:q.start].strip():
                events.append((cue.start, "prior"))
            continue
        if cue.kind == "ratio":
            if q.type != "PERCENT" and q.start - cue.end <= 3:
                events.append((cue.start, "planned"))
        else:
            events.append((cue.start, cue.kind))
    return max(events) if events else None


# --- the helpers against them -----------------------------------------------------


def test_clause_start_is_the_walk_back(contexts) -> None:
    for ctx in contexts:
        text = ctx.doc.ntext
        positions = {q.start for q in ctx.doc.quantities} | {t.start for t in ctx.doc_terms}
        positions |= set(range(0, len(text), 13)) | {0, len(text)}
        for pos in positions:
            for brackets in (True, False):
                assert ctx._clause_start(pos, brackets) == walk_back_clause_start(
                    text, pos, brackets), (pos, brackets)


def test_brackets_match_the_depth_count_on_seeds(contexts) -> None:
    pairs = 0
    for ctx in contexts:
        text = ctx.doc.ntext
        for q, s_start, _ in prose(ctx):
            for t in ctx.terms_between(s_start, q.start):
                pairs += 1
                assert (ctx.brackets.unmatched_close(t.end) < q.start) == closes_between(
                    text, t.end, q.start), (t, q)
    assert pairs > 1000


@given(st.text(alphabet="（()）a", max_size=30))
def test_brackets_match_the_depth_count(text: str) -> None:
    brackets = Brackets(text)
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            assert (brackets.unmatched_close(start) < end) == closes_between(text, start, end)


def test_last_dated_year_is_the_last_of_the_sentence(contexts) -> None:
    for ctx in contexts:
        for q, s_start, _ in prose(ctx):
            years = [y for y in ctx.years if s_start <= y[0] and y[0] + 4 <= q.start]
            assert ctx._last_dated_year(s_start, q.start) == (years[-1] if years else None)


def test_cue_event_is_the_last_cue_of_a_rescan(contexts) -> None:
    for ctx in contexts:
        for q, s_start, sent in prose(ctx):
            expected = rescanned_cue_event(ctx, q, s_start)
            assert ctx._cue_event(q, s_start, sent) == expected, q
            window = max(0, q.start - 60)  # a figure outside every sentence
            assert ctx._cue_event(q, window, None) == rescanned_cue_event(ctx, q, window)


def test_cue_event_when_a_cue_runs_into_the_figure(seed_documents) -> None:
    """预算1000万元 with a cue 预算100: scanned to the figure, only 预算 is found."""
    basis = CueSet({"planned": ["预算", "预算100", "算1"], "prior": ["上年", "上年预算1"],
                    "ratio": ["完成"], "actual": ["执行"], "neutral": ["预算管理"]})
    custom = dataclasses.replace(cues(), basis=basis)
    texts = [*(doc.text for doc in seed_documents.values()),
             "上年预算1000万元，完成预算100.5万元的98%，比上年   1%，预算12人、13人。"]
    ran_into = 0
    for text in texts:
        ctx = DocContext(make_document(text), carry_fund=True)
        ctx.cues = custom
        for q, s_start, sent in prose(ctx):
            ran_into += any(c.start < q.start < c.end for c in basis.find(text, s_start))
            assert ctx._cue_event(q, s_start, sent) == rescanned_cue_event(ctx, q, s_start)
    assert ran_into


@given(st.text(alphabet="分别赤字", max_size=16))
def test_occurrences_rfind_is_str_rfind(text: str) -> None:
    words = ("分别", "别分", "赤", "字字字")
    found = Occurrences(text, words)
    for word in words:
        for start in range(len(text) + 1):
            for end in range(len(text) + 1):
                assert found.rfind(word, start, end) == text.rfind(word, start, end)


def test_deficit_words_as_found_by_search(contexts) -> None:
    text = "收不抵支缺口赤字赤字缺口" * 3 + "当年结余-5万元"
    for ctx in [*contexts, DocContext(make_document(text), carry_fund=True)]:
        ntext = ctx.doc.ntext
        for q, s_start, _ in prose(ctx):
            for start in (s_start, max(0, q.start - 5), q.start):
                expected = any(d in ntext[start:q.start] for d in ctx.cues.deficit)
                assert ctx._names_deficit(start, q.start) == expected


# --- work that grows with the sentence --------------------------------------------


@pytest.mark.parametrize("sentence", ["增长1%", "较上年增长1%", "完成预算1%"])
def test_basis_cues_are_searched_once_per_sentence(monkeypatch, rule_tagger, sentence) -> None:
    """2 000 figures in one sentence: the old rule searched the sentence up to each
    figure (about 2 000² / 2 times the sentence's length per figure)."""
    text = sentence * 2000
    basis = cues().basis
    scanned = []
    find = basis.find

    def counting(text: str, start: int = 0, end: int | None = None):
        scanned.append((len(text) if end is None else end) - start)
        return find(text, start, end)

    monkeypatch.setattr(basis, "find", counting)
    doc = make_document(text)
    assert len(doc.sentences) == 1 and len(doc.quantities) == 2000
    rule_tagger.tag_document(doc)
    assert sum(scanned) <= 2 * len(text)
