"""Number parsing: Arabic numerals with separators, and Chinese numerals (GUIDELINES §1.1)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nlp_pipeline.numerals import CHINESE_NUMERAL_CHARS, parse_arabic, parse_chinese


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3347188", "3347188"),
        ("1,536,784", "1536784"),
        ("1111.41", "1111.41"),
        ("0.006", "0.006"),
        ("+5", "5"),
        ("-2462", "-2462"),
    ],
)
def test_parse_arabic(text, value):
    result = parse_arabic(text)
    assert isinstance(result, Decimal)
    assert result == Decimal(value)


def test_parse_arabic_keeps_the_written_precision():
    # 0.006亿元 must stay exact (GUIDELINES §1.2: 0.006亿元 → 600000)
    assert parse_arabic("0.006") * Decimal("100000000") == Decimal("600000")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("五", 5),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("九十九", 99),
        ("三百", 300),
        ("一百零五", 105),
        ("两千", 2000),
        ("三千五百", 3500),
        ("一万", 10000),
        ("十万", 100000),
        ("三百万", 3000000),  # 三百万元 (GUIDELINES §1.1)
        ("一万零五百", 10500),
        ("两亿", 200000000),
        ("一亿二千万", 120000000),
        ("一千二百三十四万五千六百七十八", 12345678),
        ("〇", 0),
    ],
)
def test_parse_chinese_integers(text, value):
    assert parse_chinese(text) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [("五点五", "5.5"), ("零点六二", "0.62"), ("九十九点九", "99.9")],
)
def test_parse_chinese_decimals(text, value):
    assert parse_chinese(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "点", "分"])
def test_parse_chinese_rejects_non_numerals(text):
    with pytest.raises((ValueError, KeyError)):
        parse_chinese(text)


def test_numeral_characters_cover_digits_powers_and_the_decimal_point():
    for ch in "零〇一二两三四五六七八九十百千万亿点":
        assert ch in CHINESE_NUMERAL_CHARS
