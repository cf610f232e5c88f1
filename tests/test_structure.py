"""Stage 3: headings and their levels, the section tree, section kinds, sentences,
table blocks, report year and genre.

The section tree is what carries a fund from a heading (GUIDELINES §2.1) and what tells
a goal-setting section from a results section (§2.4).
"""

from __future__ import annotations

import pytest

from nlp_pipeline import make_document
from nlp_pipeline.structure import UNMARKED_LEVEL, heading_level, section_kind

# ---- heading levels ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("第一部分 部门单位概况", 0),  # seed 004
        ("一、社会保险基金收支余总体情况", 1),  # seed 000
        ("（一）社会保险基金总体情况", 2),  # seed 000
        ("1、企业职工基本养老保险基金", 3),  # seed 000
        ("1.企业职工基本养老保险基金", 3),  # seed 003
        ("（1）企业职工基本养老保险基金", 4),  # seed 000 title under a （1） marker
        ("- 一、主要职能", 1),  # seed 004 table of contents
        ("社会保险基金总体情况", UNMARKED_LEVEL),  # seed 003, a title without a marker
    ],
)
def test_heading_levels(line, level):
    assert heading_level(line) == level


@pytest.mark.parametrize(
    "line",
    [
        # seed 000 body: numbers with units and sentence punctuation
        "2018年区本级各项基金总收入3347188万元，较上年增加   605635万元，增长22%，"
        "完成年度预算122%。",
        # seed 003: a numbered list item that is a sentence, not a heading
        "（1）2020年预算企业养老保险基金总支出27.82亿元，其中：基本养老金支出26.47亿元。",
        # seed 004
        "（2）开展绩效跟踪监控，加强过程监控。",
        "1.5万元",
        "",
    ],
)
def test_body_lines_are_not_headings(line):
    assert heading_level(line) is None


def test_ascii_parenthesized_heading_gets_the_level_of_its_fullwidth_form():
    # seed 001 writes "(一) 社会保险基金总体情况"
    doc = make_document("一、社会保险基金收支余总体情况\n\n(一) 社会保险基金总体情况\n\n正文。")
    assert [(s.level, s.parent) for s in doc.sections] == [(1, None), (2, 0)]


# ---- the section tree ------------------------------------------------------------

SEED_000_PART = (
    "二、各项社会保险基金预算完成及运行情况\n"
    "（一）企业职工基本养老保险基金预算完成及运行情况分析\n"
    "基本养老金待遇支出1071844万元，与去年同期相比增加77990万元，增长7.8%，完成全年预算1091628万元的98.2%。\n"
    "（二）机关事业单位养老保险基金预算完成及运行情况分析\n"
    "基本养老金待遇支出353457万元，较上年增加21572万元，增长6.5%，完成全年预算支出364076万元的97.1%。\n"
    "3、 各项社会保险基金支出组织实施情况和绩效管理情况\n"
    "（一）社会保险管理情况分析\n"
    "（二）绩效目标完成情况分析\n"
    "1、企业职工基本养老保险基金\n"
    "每月１８日前按时足额发放养老金，首次待遇发放准确率99％以上，参保群众满意率99%以上。\n"
)


def test_section_tree_parents_and_extents():
    doc = make_document(SEED_000_PART)
    titles = [s.title for s in doc.sections]
    assert titles[0] == "二、各项社会保险基金预算完成及运行情况"
    one, two = doc.sections[1], doc.sections[2]
    assert one.parent == 0 and two.parent == 0
    assert one.end == two.start  # a section ends where its sibling starts
    assert doc.sections[0].end >= two.end
    last = doc.sections[-1]
    assert last.title == "1、企业职工基本养老保险基金"
    assert doc.sections[last.parent].title == "（二）绩效目标完成情况分析"
    assert [s.title for s in doc.section_chain(len(doc.sections) - 1)][-1] == titles[0]


def test_every_sentence_belongs_to_the_section_it_is_written_under():
    doc = make_document(SEED_000_PART)
    for sent in doc.sentences:
        sec = doc.sections[sent.section]
        assert sec.start <= sent.start < sec.end
    body = doc.ntext.index("基本养老金待遇支出353457万元")
    sent = doc.sentences[doc.sentence_index(body)]
    assert doc.sections[sent.section].title.startswith("（二）机关事业单位养老保险基金")


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("（二）社会保险基金支出预算绩效目标设定情况", "goal"),  # seeds 000-002
        ("1.各险种预算绩效目标设定情况", "goal"),  # seed 003
        ("（二）绩效目标完成情况分析", "result"),  # names the goal but reports results
        ("二、各项社会保险基金预算完成及运行情况", "result"),
        ("（一）企业职工基本养老保险基金预算完成及运行情况分析", "result"),
        ("（一）社会保险管理情况分析", ""),
        ("（一）后续工作计划", ""),
    ],
)
def test_section_kinds(title, kind):
    assert section_kind(title) == kind


def test_section_kind_is_set_on_the_sections_of_a_document():
    doc = make_document(
        "（二）社会保险基金支出预算绩效目标设定情况\n"
        "2018年预算区本级工伤保险基金总支出6376万元,其中工伤保险待遇支出6164万元。\n"
        "二、各项社会保险基金预算完成及运行情况\n"
        "（四）工伤保险基金预算完成及运行情况分析\n"
        "基金总支出6665万元,较上年增加1290万元，增长24%，完成全年预算6376万元的104.5%。\n"
    )
    assert [s.kind for s in doc.sections] == ["goal", "result", "result"]


# ---- sentences -----------------------------------------------------------------------


def test_sentences_end_at_sentence_punctuation_not_at_commas_or_colons():
    # seed 000, (五) 生育保险
    doc = make_document(
        "2018年度，区本级生育保险基金总收入17771万元，其中： 其中：保费收入17366万元，"
        "利息收入403万元，其他收入1万元。基金总支出19665万元 ，其中生育保险医疗费支出1550万元，"
        "生育津贴支出18115万元。基金当期结余-1894万元，累计结余48955万元。"
    )
    sentences = [doc.ntext[s.start:s.end] for s in doc.sentences]
    assert len(sentences) == 3
    assert sentences[0].endswith("其他收入1万元。")
    assert sentences[2] == "基金当期结余-1894万元，累计结余48955万元。"


def test_a_full_stop_written_as_ascii_period_after_a_unit_ends_a_sentence():
    # seed 000: 全年领取失业金人数204人.人均月领取失业金1111.41元。
    doc = make_document("全年领取失业金人数204人.人均月领取失业金1111.41元。")
    sentences = [doc.ntext[s.start:s.end] for s in doc.sentences]
    assert sentences == ["全年领取失业金人数204人。", "人均月领取失业金1111.41元。"]


def test_seed_sentences_are_sorted_disjoint_and_inside_the_text(seed_documents):
    for doc_id, doc in seed_documents.items():
        spans = [(s.start, s.end) for s in doc.sentences]
        assert spans == sorted(spans), doc_id
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False)), doc_id
        assert all(0 <= s < e <= len(doc.ntext) for s, e in spans), doc_id


def test_every_seed_quantity_is_inside_a_sentence(seed_documents):
    for doc_id, doc in seed_documents.items():
        for q in doc.quantities:
            assert doc.sentence_index(q.start) is not None, (doc_id, q)


# ---- table blocks ----------------------------------------------------------------------


def test_tab_separated_rows_form_a_table(seed_documents):
    doc = seed_documents["001_2b7ac79fdeaf84e0"]
    tables = [t for t in doc.tables if t.cells]
    assert len(tables) == 1
    table = tables[0]
    assert table.layout == "rows"
    assert table.unit == "万元"  # the 单位：万元 line above it
    assert doc.ntext[table.start:table.end].startswith("预算单位\t和静县社会保险管理局")


@pytest.mark.parametrize(
    ("doc_id", "title_part", "columns"),
    [
        ("002_893125d8fe4500cd", "2019年哈密市社保基金收支分析表", 5),
        ("003_4d0eaa045791c4a7", "", 6),
    ],
)
def test_one_cell_per_line_tables(seed_documents, doc_id, title_part, columns):
    doc = seed_documents[doc_id]
    tables = [t for t in doc.tables if t.cells]
    assert len(tables) == 1
    table = tables[0]
    assert table.layout == "column-cells"
    assert table.unit == "万元"
    assert title_part in table.title
    assert len({c.col for c in table.cells}) == columns
    assert len(table.cells) == columns * 12  # 预算/本年/上年 × 收入/支出, then 3 × 2 comparisons


def test_table_lines_are_marked_as_table_sentences(seed_documents):
    doc = seed_documents["002_893125d8fe4500cd"]
    table = next(t for t in doc.tables if t.cells)
    inside = [s for s in doc.sentences if table.start <= s.start < table.end]
    assert inside and all(s.in_table for s in inside)
    assert not any(s.in_table for s in doc.sentences if s.end <= table.start - 20)


def test_department_tables(seed_documents):
    doc = seed_documents["004_c5b847b5dca8784f"]
    assert len([t for t in doc.tables if t.cells]) == 4
    assert all(t.layout == "rows" for t in doc.tables if t.cells)


# ---- document facts ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc_id", "year", "genre"),
    [
        ("000_7d830695de981ce9", 2018, ""),
        ("001_2b7ac79fdeaf84e0", 2019, ""),
        ("002_893125d8fe4500cd", 2019, ""),
        ("003_4d0eaa045791c4a7", 2020, ""),
        ("004_c5b847b5dca8784f", 2019, "department"),
    ],
)
def test_report_year_genre_and_default_basis(seed_documents, doc_id, year, genre):
    doc = seed_documents[doc_id]
    assert doc.report_year == year
    assert doc.genre == genre
    assert doc.default_basis == "actual"  # performance reports and final accounts (决算)
