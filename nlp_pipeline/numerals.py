"""Parsing numbers: Arabic with separators, and Chinese numerals (三百万, 百分之五点五)."""

from __future__ import annotations

from decimal import Decimal

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_LARGE = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
CHINESE_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_SMALL) + "".join(_LARGE) + "点"


def parse_arabic(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("+", ""))


def _parse_section(text: str) -> int:
    """A numeral below 万: 三百零五, 十二, 两千."""
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL:
            total += (1 if digit is None else digit) * _SMALL[ch]
            digit = None
        else:
            raise ValueError(ch)
    return total + (digit or 0)


def parse_chinese(text: str) -> Decimal:
    """Parse a Chinese numeral, with an optional 点 decimal part."""
    whole, _, frac = text.partition("点")
    if not whole and not frac:
        raise ValueError(text)
    total = 0
    for large in ("亿", "億", "万", "萬"):
        if large in whole:
            head, whole = whole.split(large, 1)
            total += _parse_section_or_large(head) * _LARGE[large]
    total += _parse_section(whole) if whole else 0
    value = Decimal(total)
    if frac:
        value += Decimal("0." + "".join(str(_DIGITS[ch]) for ch in frac))
    return value


def _parse_section_or_large(text: str) -> int:
    if any(ch in text for ch in "万萬"):
        return int(parse_chinese(text))
    return _parse_section(text) if text else 1
