"""The rule tagger's per-figure lookups do not grow with the sentence.

Each helper that replaced a per-figure rescan (clause starts, brackets, dated years,
basis cues, word searches, the running fund of a sentence, its metric candidates) is
checked against a brute-force reference — the rescan it replaced — on the seed reports
(also run together into one sentence) or random strings; and the characters searched
for basis cues and the fund-name readings are counted, so a rescan of the sentence for
every figure fails without any timing.
"""

from __future__ import annotations

import bisect
import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlp_pipeline import make_document
from nlp_pipeline.cues import CueSet, cues
from nlp_pipeline.taggers.rules.common import CLAUSE_BREAK, PHRASE_BREAK, Brackets, Occurrences
from nlp_pipeline.taggers.rules.context import DocContext
from nlp_pipeline.taggers.rules.metrics import LINE_AMOUNT
from nlp_pipeline.terms import document_terms


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


# --- fund and metric lookups over the terms of a sentence -------------------------


def run_on_contexts(seed_documents) -> list[DocContext]:
    """Each seed report as one sentence (。 → ，, no line breaks), twice over: every
    term and figure of the report in one sentence, as in the "one sentence" benchmark."""
    contexts = []
    for doc in seed_documents.values():
        text = doc.text.replace("\n", "").replace("。", "，")
        contexts.append(DocContext(make_document(text * 2), carry_fund=True))
    return contexts


@pytest.fixture(scope="module")
def all_contexts(contexts, seed_documents) -> list[DocContext]:
    return [*contexts, *run_on_contexts(seed_documents)]


def old_hint_reaches(ctx: DocContext, term, q, terms) -> bool:
    """Every term of the sentence scanned for a sibling (the original ``_hint_reaches``)."""
    text = ctx.doc.ntext
    people = ctx.lex.metrics[term.id].kind == "people"

    def sibling(t) -> bool:
        spec = ctx.lex.metrics[t.id]
        if people:
            return spec.kind == "people"
        return q.type in spec.types and bool(PHRASE_BREAK.search(text, term.end, t.start))

    return not any(
        t.kind == "metric" and not t.fund_hint and term.end <= t.start and t.end <= q.start
        and sibling(t) and "其中" not in text[max(0, t.start - 3):t.start]
        for t in terms)


def old_fund_loop(ctx: DocContext, q, terms, index):
    """The terms before the figure read one by one, afresh for each figure."""
    fund = ctx.entry_fund.get(index) if index is not None else None
    protected = ctx.entry_protected.get(index, True) if index is not None else True
    for t in terms:
        if t.end > q.start:
            break
        if ctx._scoping(t):
            fund = ctx.override(ctx._fund_id(t), fund, protected)
            protected = True
        elif t.kind == "metric" and t.fund_hint and (
                fund in (None, ctx.lex.defaults["fund_aggregate"])
                or old_hint_reaches(ctx, t, q, terms)):
            fund = ctx._hinted(t, fund)
    return fund, protected


def old_respective_funds(ctx: DocContext, at: int, terms) -> list[str]:
    funds: list[str] = []
    for t in terms:
        if t.start >= at:
            break
        if ctx._scoping(t):
            fund = ctx._fund_id(t)
            if not funds or funds[-1] != fund:
                funds.append(fund)
    return funds


def sentence_figures(ctx: DocContext):
    """``(figure, sentence index, its terms)`` for the prose figures, in order."""
    for q in ctx.doc.quantities:
        if q.cell is not None and not q.cell.is_text:
            continue
        index = ctx.doc.sentence_index(q.start)
        yield q, index, ctx.terms.get(index, []) if index is not None else []


def test_running_fund_is_the_fresh_reading(all_contexts) -> None:
    hints = 0
    for ctx in all_contexts:
        for q, index, terms in sentence_figures(ctx):
            if not terms:
                continue
            entry = (ctx.entry_fund.get(index), ctx.entry_protected.get(index, True))
            assert ctx._fund_fold(q, terms).state(q, *entry) == old_fund_loop(
                ctx, q, terms, index), q
            for t in terms:
                if t.kind == "metric" and t.fund_hint and t.end <= q.start:
                    hints += 1
                    assert ctx._hint_reaches(t, q, terms) == old_hint_reaches(ctx, t, q, terms)
    assert hints > 1000


def test_funds_named_before_respectively(all_contexts) -> None:
    lists = 0
    for ctx in all_contexts:
        for q, index, terms in sentence_figures(ctx):
            sent = ctx.doc.sentences[index] if index is not None else None
            at = ctx.words.rfind("分别", sent.start if sent else max(0, q.start - 60), q.start)
            if at < 0:
                continue
            lists += 1
            starts, named = ctx._named_funds(terms)
            assert named[:bisect.bisect_left(starts, at)] == old_respective_funds(ctx, at, terms)
    assert lists > 50


def old_nearest_term(ctx: DocContext, q, terms, measure):
    """The original ``_nearest_term``: the sentence's candidates listed for each figure."""
    metrics = ctx.lex.metrics
    text = ctx.doc.ntext
    candidates = [t for t in terms if t.kind == "metric" and old_names_a_line(ctx, t)]
    if q.type in ("PEOPLE", "PERSON_TIMES"):
        after = [t for t in candidates if 0 <= t.start - q.end <= 3
                 and not CLAUSE_BREAK.search(text[q.end:t.start])]
        for t in after:
            for term in reversed(ctx._compound(t, candidates)):
                if q.type in metrics[term.id].types:
                    return term
    left = [t for t in candidates if t.end <= q.start and not ctx._inside_cue(t)
            and not ctx._in_closed_brackets(t, q)]
    clause_start = ctx._clause_start(q.start)
    if q.type == "PERSON_TIMES" and left and left[-1].start >= clause_start \
            and "参保" in text[left[-1].start:left[-1].end]:
        return left[-1]
    if q.type == "PERCENT" and measure == "level":
        rates = [t for t in left if t.start >= clause_start
                 and metrics[t.id].kind in ("rate", "other")]
        return rates[-1] if rates else None
    for i in range(len(left) - 1, -1, -1):
        t = left[i]
        spec = metrics[t.id]
        if q.type not in spec.types or (q.type == "PERCENT" and spec.kind == "rate"):
            continue
        return ctx._specific_people(t, reversed(left[:i])) if q.type != "MONEY" else t
    return None


def old_names_a_line(ctx: DocContext, term) -> bool:
    """The original ``_names_a_line``: the sentence sliced up to the term each time."""
    lines = ctx.lex.cues["lines"]
    text = ctx.doc.ntext
    if text[term.start:term.end] not in lines["transfer_bare"]:
        return True
    if LINE_AMOUNT.match(text, term.end):
        return True
    index = ctx.doc.sentence_index(term.start)
    sent = ctx.doc.sentences[index] if index is not None else None
    before = text[sent.start if sent else max(0, term.start - 60):term.start]
    titles = [s.title for s in ctx.doc.section_chain(sent.section if sent else None)]
    return any(c in part for c in lines["transfer_context"] for part in (before, *titles))


def test_nearest_metric_term_is_the_fresh_listing(all_contexts) -> None:
    checked = 0
    for ctx in all_contexts:
        for q, _, terms in sentence_figures(ctx):
            for measure in ("level", "change"):
                checked += 1
                assert ctx._nearest_term(q, terms, measure) == old_nearest_term(
                    ctx, q, terms, measure), q
            for t in terms:
                assert ctx._names_a_line(t) == old_names_a_line(ctx, t)
    assert checked > 2000


def test_bare_transfer_words_against_the_slice() -> None:
    text = "转移基金支出，转入0.5亿元，结余转入下年，其中转入3万元、转出2万元，" \
        "转入财政专户5万元。利息收入1万元，转入2万元；转出资金为8万元，转出专户4万元。"
    ctx = DocContext(make_document(text * 3), carry_fund=True)
    bare = [t for t in ctx.doc_terms if ctx.doc.ntext[t.start:t.end]
            in ctx.lex.cues["lines"]["transfer_bare"]]
    assert len(bare) > 10
    assert {ctx._names_a_line(t) for t in bare} == {True, False}
    for t in bare:
        assert ctx._names_a_line(t) == old_names_a_line(ctx, t)


def test_compound_from_its_start_is_the_full_scan(all_contexts) -> None:
    for ctx in all_contexts[:3]:
        for terms in ctx.terms.values():
            candidates, starts = ctx._candidates(terms)
            for t in candidates:
                assert ctx._compound(t, candidates, starts) == ctx._compound(t, candidates)


@pytest.mark.parametrize("sentence", [
    "企业离退休人员12人，基金收入1%，养老保险基金支出3万元、增长2%，",
    "职工医保参保人数5人，生育保险待遇支出8万元，基金累计结余7万元，参保率98%，",
    "医疗保险、工伤保险分别增长1%、2%，在职3人，退休4人，当期结余5万元，其中：统筹基金结余6万元，",
])
def test_sentence_terms_are_read_once(monkeypatch, rule_tagger, sentence) -> None:
    """1 000 repeats in one sentence: the old rules read every term before each figure
    (and every term again for each fund hint); now each term is read a bounded number
    of times."""
    text = sentence * 1000
    reads, lines = [], []
    scoping, names_a_line = DocContext._scoping, DocContext._names_a_line

    def counting(self, term, text=None):
        reads.append(term.start)
        return scoping(self, term, text)

    def counting_lines(self, term):
        lines.append(term.start)
        return names_a_line(self, term)

    monkeypatch.setattr(DocContext, "_scoping", counting)
    monkeypatch.setattr(DocContext, "_names_a_line", counting_lines)
    doc = make_document(text)
    assert len(doc.sentences) == 1 and len(doc.quantities) >= 3000
    rule_tagger.tag_document(doc)
    terms = document_terms(doc)
    assert len(reads) <= 8 * len(terms)  # fund names: once per figure type, not per figure
    assert len(lines) <= 2 * len(terms)  # metric candidates: listed once per sentence


def test_segment_before_is_the_line_cut_window(all_contexts) -> None:
    """完成预算X万元的Y%: the 20 characters before X, cut at a line break — found by
    searching back from X over those 20 only, not to the line start."""
    texts = ["完成预算100万元的98%，" * 50, "完成预算\n100万元的98%\n完成\n预算1万元的9%"]
    extra = [DocContext(make_document(text), carry_fund=True) for text in texts]
    for ctx in [*all_contexts, *extra]:
        text = ctx.doc.ntext
        for pos in sorted({q.end for q in ctx.doc.quantities} | set(range(0, len(text), 7))):
            i = bisect.bisect_left(ctx.ends, pos)
            start = ctx.doc.quantities[i].start if i < len(ctx.ends) and ctx.ends[i] == pos \
                else pos
            line_start = text.rfind("\n", 0, start) + 1
            assert ctx._segment_before(pos) == ctx.cues.measure.find(
                text, max(line_start, start - 20), start)
