"""Stage 4: jieba segmentation with the lexicon's terms and units kept whole."""

from __future__ import annotations

import jieba

from nlp_pipeline import make_document
from nlp_pipeline.segment import segment, tokenize, tokenizer

# seed 000, (一) 企业职工基本养老保险
SENTENCE = "区本级企业养老保险基金基金总支出1765162万元,其中：基本养老金待遇支出1071844万元。"


def test_tokens_cover_the_text_with_consistent_offsets():
    tokens = tokenize(SENTENCE)
    assert "".join(t.text for t in tokens) == SENTENCE
    pos = 0
    for token in tokens:
        assert token.start == pos
        assert SENTENCE[token.start:token.end] == token.text
        pos = token.end


def test_lexicon_terms_and_units_are_single_tokens():
    words = {t.text for t in tokenize(SENTENCE)}
    assert "基本养老金待遇支出" in words  # metric alias
    assert "万元" in words  # unit
    # seed 001: the fund name the segment module promises to keep whole
    words = {t.text for t in tokenize("保障企业职工基本养老保险退休待遇享受人数11144人以上")}
    assert "企业职工基本养老保险" in words


def test_long_fund_names_are_single_tokens():
    words = [t.text for t in tokenize("2018年区本级机关事业单位养老保险基金收入579276万元")]
    assert "机关事业单位养老保险" in words


def test_segment_runs_on_the_normalized_text_and_is_cached():
    doc = make_document("基金支出\u300037977 万元，完成预算 110%，较上年增长 20%。")  # seed 001
    assert doc.tokens is None  # the rule pipeline does not pay for segmentation
    tokens = segment(doc)
    assert segment(doc) is tokens
    assert "".join(t.text for t in tokens) == doc.ntext


def test_the_tokenizer_is_private_and_built_once():
    assert tokenizer() is tokenizer()
    assert tokenizer() is not jieba.dt


# ---- LazyTokens: segmenting only the pieces a feature reads --------------------------


def _reference(tokens, start, end):
    """Tokens of the whole-text segmentation whose start lies in [start, end)."""
    return [t for t in tokens if start <= t.start < end]


def test_lazy_tokens_equal_whole_text_segmentation(seed_texts):
    import random

    from nlp_pipeline.segment import LazyTokens

    rng = random.Random(7)
    for text in seed_texts.values():
        whole = tokenize(text[:3000])
        lazy = LazyTokens(text[:3000])
        for _ in range(60):
            a, b = sorted(rng.randrange(0, 3002) for _ in range(2))
            expected = _reference(whole, a, b)
            assert lazy.between(a, b) == expected
            assert list(lazy.backward(a, b)) == expected[::-1]


def test_lazy_tokens_segment_only_what_is_asked():
    from nlp_pipeline.segment import LazyTokens

    # seed 001: two sentences; only the second is read
    text = "全年共为2580名失业人员发放失业保险金。基金支出37977万元，完成预算110%。"
    lazy = LazyTokens(text)
    second = text.index("基金")
    words = [t.text for t in lazy.forward(second, len(text))]
    assert "".join(words) == text[second:]
    segmented = "".join(text[lazy._starts[i]:lazy._starts[i + 1]] for i in lazy._pieces)
    assert "失业人员" not in segmented


def test_a_repeated_piece_is_segmented_once_and_placed_at_each_occurrence():
    from nlp_pipeline.segment import LazyTokens, tokenizer

    # reports repeat their clauses; jieba must see each distinct piece once
    text = "基金收入比上年增长8.5%。基金支出比上年增长8.5%，基金收入比上年增长8.5%。"
    lazy = LazyTokens(text)
    calls = []
    real = tokenizer().tokenize
    tokenizer().tokenize = lambda piece: calls.append(piece) or real(piece)
    try:
        assert lazy.between(0, len(text)) == tokenize(text)
    finally:
        del tokenizer().tokenize
    assert calls.count("基金收入比上年增长8.5%") == 1


def test_lazy_tokens_handle_edges():
    from nlp_pipeline.segment import LazyTokens

    for text in ("", "，", "万元", "\n\n12 万元\n"):
        lazy = LazyTokens(text)
        whole = tokenize(text)
        assert lazy.between(0, len(text)) == whole
        assert list(lazy.backward(0, len(text) + 5)) == whole[::-1]
        assert lazy.between(3, 1) == []


def test_gap_pieces_are_tokenized_as_jieba_does():
    from nlp_pipeline.segment import _gap_tokens

    for gap in ("，", "。\n", "\r\n", "\r\n\r\n", " \t\u3000", "）、（", "\n\r", "：“"):
        assert _gap_tokens(gap, 0) == tokenize(gap)
    assert _gap_tokens("，。", 10)[1].start == 11
