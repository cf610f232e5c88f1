"""Stage 2: one spelling per character, PDF line breaks removed, offsets kept.

Every check that finds something in the normalized text maps it back with
``Normalized.to_original`` and compares with the original slice (GUIDELINES §3:
offsets refer to the text as stored, nothing normalized).
"""

from __future__ import annotations

import pytest

from nlp_pipeline.normalize import normalize_text


def _back(original: str, needle: str, nth: int = 0) -> str:
    """Find ``needle`` in the normalized text and return the original slice it maps to."""
    norm = normalize_text(original)
    pos = -1
    for _ in range(nth + 1):
        pos = norm.text.index(needle, pos + 1)
    start, end = norm.to_original(pos, pos + len(needle))
    return original[start:end]


# ---- character normalization -------------------------------------------------------

def test_fullwidth_digits_become_ascii_and_map_back():
    # seed 000: 自治区本级承诺在每月１８日前按时足额发放养老金
    original = "自治区本级承诺在每月１８日前按时足额发放养老金"
    assert "每月18日前" in normalize_text(original).text
    assert _back(original, "18") == "１８"


def test_fullwidth_percent_becomes_ascii():
    original = "首次待遇发放准确率99％以上，参保群众满意率99%以上。"  # seed 000
    norm = normalize_text(original)
    assert norm.text == "首次待遇发放准确率99%以上，参保群众满意率99%以上。"
    assert _back(original, "99%") == "99％"


def test_fullwidth_digits_and_decimal_point():
    original = "２０１９年度本年收入２５０５．１７万元"  # seed 004, full-width
    norm = normalize_text(original)
    assert norm.text == "2019年度本年收入2505.17万元"
    assert _back(original, "2505.17万元") == "２５０５．１７万元"


def test_fullwidth_letters_become_ascii():
    original = "全区利用手机ＡＰＰ自助认证完成资格认证"  # seed 004, full-width letters
    assert "手机APP自助认证" in normalize_text(original).text


def test_chinese_punctuation_is_kept_and_ascii_punctuation_mapped_to_it():
    # seed 000 keeps （含业务审核、财务拨付）；seed 001 writes (一) and a comma after 万元
    original = "(一) 社会保险基金总体情况\n业务申报20个工作日内（含业务审核、财务拨付）"
    norm = normalize_text(original)
    assert norm.text.startswith("（一） 社会保险基金总体情况")
    assert "（含业务审核、财务拨付）" in norm.text
    assert _back(original, "（一）") == "(一)"


def test_ascii_comma_is_a_thousands_separator_only_between_digits():
    original = "2018年预算区本级企业养老保险基金总支出1,536,784万元,其中：基本养老金支出"
    norm = normalize_text(original)
    assert "1,536,784万元，其中" in norm.text


def test_unicode_minus_becomes_hyphen_minus():
    original = "本年收支结余−2462 万元"  # seed 001 with U+2212
    assert "结余-2462 万元" in normalize_text(original).text


@pytest.mark.parametrize("space", ["\u3000", "\u00a0"], ids=["ideographic", "no-break"])
def test_special_spaces_become_ascii_spaces_one_for_one(space):
    original = f"基金支出{space}37977{space}万元，完成预算{space}110%"  # seed 001
    norm = normalize_text(original)
    assert norm.text == "基金支出 37977 万元，完成预算 110%"
    assert len(norm.text) == len(original)
    assert _back(original, "37977 万元") == f"37977{space}万元"


def test_traditional_characters_are_read_as_simplified_with_offsets_unchanged():
    original = "2018年區本級企業養老保險基金總收入2376361萬元"  # seed 000, traditional
    norm = normalize_text(original)
    assert norm.text == "2018年区本级企业养老保险基金总收入2376361万元"
    assert list(norm.index) == list(range(len(original) + 1))
    assert _back(original, "养老保险") == "養老保險"


# ---- PDF line breaks ---------------------------------------------------------------

def test_pdf_break_inside_a_sentence_is_removed_and_maps_back_with_the_break():
    # seed 001: 较上年增长 37%，其\n\n中：失业保险金支出 1379 万元
    original = (
        "基金支出 2255 万元，完成预算 97%，较上年增长 37%，其\n\n"
        "中：失业保险金支出 1379 万元，完成预算 103%，较上年增长 28%。"
    )
    norm = normalize_text(original)
    assert "其中：失业保险金支出 1379 万元" in norm.text
    assert "\n" not in norm.text
    assert _back(original, "其中") == "其\n\n中"


def test_pdf_break_in_a_long_body_line_is_removed():
    # seed 004: 主要原因是：因机构改革，部分人\n\n员和项目资金划转至自治区医保局。
    original = (
        "2019 年度本年收入 2505.17 万元，与上年相比，减少 483.08 万元，降低 17%，"
        "主要原因是：因机构改革，部分人\n\n员和项目资金划转至自治区医保局。"
    )
    assert "部分人员和项目资金" in normalize_text(original).text


def test_pdf_break_between_number_and_unit_is_removed():
    # seed 004 sentence with the unit cut as converted PDFs do: 2505.17 万\n元
    original = "2019 年度本年收入 2505.17 万\n元，与上年相比，减少 483.08 万元"
    norm = normalize_text(original)
    assert "本年收入 2505.17 万元，" in norm.text
    assert _back(original, "2505.17 万元") == "2505.17 万\n元"


def test_real_line_breaks_are_kept():
    # seed 000: a heading, a sentence ending in 。, the next heading
    original = (
        "（四）工伤保险基金预算完成及运行情况分析\n"
        "基金总支出6665万元,较上年增加1290万元，增长24%，完成全年预算6376万元的104.5%。\n"
        "（五）生育保险基金预算完成及运行情况分析\n"
    )
    assert normalize_text(original).text.count("\n") == 3


def test_short_lines_and_table_rows_are_not_joined():
    # seed 001 cover page and seed 002 table cells (one cell per line after a tab)
    original = (
        "附件：\n\n巴州和静县社会保险基金支出 绩效评价报告\n"
        "\t企业养老保险\n\t机关事业养老（改革）\n"
    )
    norm = normalize_text(original)
    assert norm.text.count("\n") == original.count("\n")


def test_bulleted_headings_are_not_joined():
    original = (  # seed 004, table of contents
        "- 四、财政拨款收入支出决算总体情况说明\n"
        "- 五、一般公共预算财政拨款支出决算情况说明\n"
        "- 六、一般公共预算财政拨款基本支出决算情况说明\n"
    )
    assert normalize_text(original).text == original


# ---- the offset map ----------------------------------------------------------------

def test_empty_span_maps_to_a_position():
    original = "基金当期结余-1894万元"
    norm = normalize_text(original)
    assert norm.to_original(3, 3) == (3, 3)
    assert norm.to_original(len(norm.text), len(norm.text)) == (len(original), len(original))


def test_seed_offset_maps_are_monotonic_and_drop_only_whitespace(seed_texts):
    for doc_id, original in seed_texts.items():
        norm = normalize_text(original)
        index = list(norm.index)
        assert len(index) == len(norm.text) + 1, doc_id
        assert index[-1] == len(original), doc_id
        assert all(a < b for a, b in zip(index, index[1:], strict=False)), doc_id
        kept = set(index[:-1])
        dropped = {original[i] for i in range(len(original)) if i not in kept}
        assert all(ch.isspace() for ch in dropped), (doc_id, dropped)


# ---- space-aligned tables (reports converted from PDF) ---------------------------------

SPACED = (
    "2019年社保基金收支分析表\n单位：万元\n"
    "项目    企业养老    工伤    失业    合计\n"
    "基金收入    101746    3521    5687    110954\n"
    "基金支出    99012    2870    6010    107892\n"
)


def test_space_aligned_table_rows_become_tab_rows_that_map_back():
    # the layout of seed 002's 收支分析表 with columns aligned by spaces, as PDF
    # converters write it: each column gap reads as one tab, rows are not joined
    norm = normalize_text(SPACED)
    assert "基金收入\t101746\t3521\t5687\t110954\n" in norm.text
    assert norm.text.count("\n") == SPACED.count("\n")
    start = norm.text.index("5687")
    assert SPACED[slice(*norm.to_original(start, start + 4))] == "5687"


def test_indented_header_keeps_an_empty_first_cell_and_wide_spaces_count():
    original = ("\u3000\u3000企业养老\u3000\u3000失业\u3000\u3000合计\n"
                "基金收入\u3000\u3000101746\u3000\u30005687\u3000\u3000107433\n"
                "基金支出\u3000\u300099012\u3000\u30006010\u3000\u3000105022\n")
    lines = normalize_text(original).text.split("\n")
    assert lines[0] == "\t企业养老\t失业\t合计"
    assert lines[1] == "基金收入\t101746\t5687\t107433"


def test_double_spaces_in_prose_are_not_columns():
    # one spaced line, spaced lines without number cells, and sentences whose numbers
    # a PDF converter set apart from their units (收入  100  亿元，) are prose, and a
    # wrapped line of them is still joined
    for original in ("全年基金收入  1234万元，支出  1100万元，结余  134万元。\n",
                     "一、基本情况  二、主要做法  三、存在问题\n"
                     "四、下步打算  五、建议  六、附件\n",
                     "\u3000\u30002023年基金收入  100  亿元，其中保险费收入  80  亿元。\n"
                     "\u3000\u3000基金支出  90  亿元，比上年增长5%。\n"):
        assert "\t" not in normalize_text(original).text
    wrapped = "养老保险基金收入  100  亿元，其中保险费收入  80  亿元，财政补贴收入\n  20  亿元。"
    assert "\n" not in normalize_text(wrapped).text


def test_a_header_with_a_tab_joins_its_space_aligned_rows():
    original = ("单位：万元\n项目\t企业养老    工伤    合计\n"
                "基金收入    101746      3521    105267\n")
    lines = normalize_text(original).text.split("\n")
    assert lines[1:3] == ["项目\t企业养老\t工伤\t合计", "基金收入\t101746\t3521\t105267"]


def test_an_indented_row_with_a_missing_value_keeps_its_label_first():
    original = ("项目            2023年预算    2023年执行\n基金收入        1000          1100\n"
                "  利息收入        300           \n")
    assert normalize_text(original).text.split("\n")[2].startswith("  利息收入\t300")


def test_each_space_aligned_table_is_read_on_its_own():
    # an indented data row (其中：…) keeps its label in the first cell; the narrower
    # second table's indented header still gets its empty corner cell
    original = ("表一\n项目    企业养老    工伤    合计\n基金收入    1    2    3\n"
                "  其中：保险费收入    1    2    3\n\n"
                "表二\n        企业养老    工伤\n基金收入    7    8\n基金支出    7    8\n")
    lines = normalize_text(original).text.split("\n")
    assert lines[3] == "  其中：保险费收入\t1\t2\t3"
    assert lines[6] == "\t企业养老\t工伤"
