"""The detector never crashes, and every record's offsets slice back to its text.

Property-based (hypothesis) on arbitrary Unicode and on text built from the pieces
reports are made of, plus the pathological inputs of issue 7. Speed on growing
inputs (linearity) is measured by ``benchmarks/bench_linearity.py``, not timed here.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp_pipeline import extract, make_document
from nlp_pipeline.errors import PipelineError
from nlp_pipeline.loading import decode_bytes
from nlp_pipeline.taggers import RuleTagger

TAGGER = RuleTagger()
# Pieces of seed 000/002/004 sentences and the characters that trip up parsers.
PIECES = [
    "2018年", "各项基金总收入", "3347188", "万元", "亿元", "元", "，", "。", "较上年增加",
    "增长", "22", "%", "％", "个百分点", "万人", "人次", "名", "参保人数", "1.2", "-9.58",
    "１８", "三百万元", "百分之五", "（", "）", "(", ")", "\n", "\r\n", "\r", "\t", " ",
    "\u3000", "单位：万元", "企业职工基本养老保险", "基金支出", "滚存结余", "一、", "（二）",
    "≥", "以上", "约", "左右", ",", ".", "|", "万", "亿", "点", "零", "\ufeff", "養老保險",
]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(text: str) -> None:
    for m in extract(text, tagger=TAGGER):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        assert isinstance(m.value, Decimal) and m.value.is_finite()


@SETTINGS
@given(st.text(max_size=300))
def test_arbitrary_unicode_never_crashes_and_offsets_slice(text):
    _check(text)


@SETTINGS
@given(st.lists(st.sampled_from(PIECES), max_size=80).map("".join))
def test_report_like_text_never_crashes_and_offsets_slice(text):
    _check(text)


@SETTINGS
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=60).map("".join))
def test_mixed_text_never_crashes_and_offsets_slice(text):
    _check(text)


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes_decode_or_fail_with_a_pipeline_error(data):
    try:
        text, _ = decode_bytes(data, "x.txt")
    except PipelineError as exc:
        assert "x.txt" in str(exc) and "\n" not in str(exc)
    else:
        assert "\r" not in text


PATHOLOGICAL = {
    "digits": "1" * 200_000,
    "digits-unit": "基金收入" + "1" * 200_000 + "万元",
    "digits-wrap": "1" * 200_000 + "x\n元",  # a number cut from its unit by a line break
    "wan": "万" * 1_000_000,
    "wan-unit": "收入3347188" + "万" * 1_000_000 + "元",
    "brackets": "（" * 5000 + "基金收入3347188万元" + "）" * 5000,
    "brackets-ascii": "(" * 5000 + "[" * 5000 + "增长22%" + "]" * 5000 + ")" * 5000,
    "separators": "1," * 100_000 + "000万元",
    "percent-words": "百分之" * 50_000 + "五",
    "tabs": "收入" + "\t1" * 20_000,
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_text_detection_does_not_blow_up(name):
    text = PATHOLOGICAL[name]
    doc = make_document(text)
    for q in doc.quantities:
        start, end = doc.to_original(q.start, q.end)
        assert 0 <= start < end <= len(text)
    if len(doc.quantities) <= 10:  # the tagger's cost grows with quantities per sentence
        _check(text)


def test_many_quantities_in_one_sentence_are_tagged():
    text = "百分之" * 1000 + "五"  # 百分之百 after 百分之百, no punctuation anywhere
    _check(text)
    assert len(extract(text, tagger=TAGGER)) == text.count("百分之百")
