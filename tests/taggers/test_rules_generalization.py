"""Rule-tagger fixes that must hold on reports nobody here has seen.

Each test pins one *class* of cases, decided by the guidelines (section given) or by
``annotated/README.md`` ("Decisions the guidelines left open"). Seed sentences are
quoted; corpus-shaped cases are paraphrased (same structure, other words and figures),
never copied. Every test fails on the rule tagger as it was before the fix.
"""

from __future__ import annotations

from nlp_pipeline import make_document
from nlp_pipeline.document import Cell
from nlp_pipeline.taggers.rules.context import DocContext

DEPARTMENT = "新疆维吾尔自治区社会保险管理局\n\n2019 年度部门决算公开\n\n"


def labels(m) -> tuple[str, str, str, str]:
    return (m.fund, m.metric, m.measure, m.basis)


# ---------------------------------------------------------------------------
# project self-evaluation tables (README: 年度资金总额 → project_expenditure,
# 当年财政拨款 → fiscal_appropriation_expenditure; in 001 the fund's expenditure)
# ---------------------------------------------------------------------------


def test_department_project_funds_rows_seed_004(seed_tagged):
    # 项目名称 ⇥ 全民参保登记计划 … 年度资金总额 ⇥ 100 ⇥ 100 ⇥ 100 ⇥ 10 ⇥ 100%
    t = seed_tagged["004_c5b847b5dca8784f"]
    anchor = "项目名称\t全民参保登记计划"
    budget, spent = t.get("100", after=anchor), t.get("100", after=anchor, nth=2)
    assert labels(budget) == ("none", "project_expenditure", "level", "planned")
    assert labels(spent) == ("none", "project_expenditure", "level", "actual")
    assert labels(t.get("100%", after=anchor)) == (
        "none", "project_expenditure", "ratio_to_plan", "actual")
    # 其中：当年财政拨款 ⇥ 100 …: the appropriation spent on the project
    grant = t.get("100", after="其中: 当年财政拨款")
    assert grant.metric == "fiscal_appropriation_expenditure"


def test_department_project_named_after_a_fund_stays_the_departments(seed_tagged):
    # §2.1 none: 项目名称 ⇥ 全区企业基本养老保险扩面征缴、稽核举报奖励金项目 names a fund,
    # but the project money and its indicators are the department's own
    t = seed_tagged["004_c5b847b5dca8784f"]
    anchor = "全区企业基本养老保险扩面征缴、稽核举报奖励金项目"
    assert labels(t.get("150", after=anchor)) == (
        "none", "project_expenditure", "level", "planned")
    satisfaction = t.get("90%", after=anchor + "\t")
    assert (satisfaction.fund, satisfaction.metric) == ("none", "satisfaction_rate")


def test_fund_report_project_is_the_fund_expenditure_seed_001(seed_tagged):
    # 项目名称 ⇥ 社会保险基金支出; 项目资金（万元） ⇥ 年度资金总额： ⇥ 98822
    t = seed_tagged["001_2b7ac79fdeaf84e0"]
    m = t.get("98822", after="项目资金（万元）")
    assert labels(m) == ("all", "expenditure_total", "level", "planned")


# ---------------------------------------------------------------------------
# lexicon: scheme names, income and transfer lines, a fund's people
# ---------------------------------------------------------------------------


def test_residents_medical_short_name_in_a_respective_list(tag):
    # §2.1 resident_medical; the i-th figure of a 分别 list belongs to the i-th fund
    t = tag("全市职工医疗保险、居民医疗保险、生育保险参保人数分别达到4.2万人、7.1万人、2.6万人。")
    assert [m.fund for m in t.mentions] == ["employee_medical", "resident_medical", "maternity"]


def test_government_subsidy_income_lines(tag):
    # §2.2 fiscal_subsidy_income (财政补贴收入): 政府补贴收入 / 政府资助收入 say the same
    t = tag("城乡居民基本养老保险基金收入850万元，其中：保险费收入610万元；政府补贴收入240万元。"
            "城乡居民基本医疗保险基金收入3.12亿元，其中：保险费收入0.41亿元；政府资助收入2.71亿元。")
    assert t.get("240万元").metric == "fiscal_subsidy_income"
    assert t.get("2.71亿元").metric == "fiscal_subsidy_income"


def test_transfers_in_and_out(tag):
    # README: 转入 / 转出 money → transfer_income / transfer_expenditure, the in-and-out
    # total → transfer_income; relation-transfer counts → other
    t = tag("三、企业职工基本养老保险关系转移情况\n"
            "关系转移人数4210人，其中转入3980人，转出230人；"
            "转移基金6100万元，其中转入5800万元，转出300万元。")
    assert [t.get(x).metric for x in ("6100万元", "5800万元", "300万元")] == [
        "transfer_income", "transfer_income", "transfer_expenditure"]
    assert t.get("3980人").metric != "transfer_income"


def test_working_and_retired_members_of_a_fund(tag):
    # §7 people of a fund: 在职 (参保) → insured_persons, a scheme's 离退休 → beneficiaries;
    # 在职 is staff only in a department's own accounts
    t = tag("企业职工基本养老保险参保人数48.2万人，其中：在职26.1万人，离退休22.1万人。")
    assert labels(t.get("26.1万人"))[:2] == ("enterprise_pension", "insured_persons")
    assert labels(t.get("22.1万人"))[:2] == ("enterprise_pension", "beneficiaries")


def test_working_staff_of_a_department_stay_staff(tag):
    t = tag(DEPARTMENT + "二、机构设置及人员情况\n\n本单位在职 76 人，退休 50 人。")
    assert [m.metric for m in t.mentions] == ["staff", "staff"]


def test_people_counted_by_the_head_of_a_compound(seed_tagged):
    # §2.2 deceased_beneficiaries: 687名离退休死亡人员 counts the deceased, not retirees
    t = seed_tagged["002_893125d8fe4500cd"]
    assert t.get("687名").metric == "deceased_beneficiaries"


def test_unemployed_people_paid_benefits(tag):
    # §2.2 beneficiaries: X名失业人员 paid benefits by the unemployment fund
    t = tag("截至6月底，全市参加失业保险31.5万人，"
            "累计为3820名失业人员发放各项失业保险待遇2950万元。")
    assert labels(t.get("3820名"))[:2] == ("unemployment", "beneficiaries")
    assert labels(t.get("31.5万人"))[:2] == ("unemployment", "insured_persons")


# ---------------------------------------------------------------------------
# §2.1: a metric term that names its fund names the figure's fund
# ---------------------------------------------------------------------------


def test_fund_named_inside_a_metric_term_overrides_the_carried_one(tag):
    t = tag("全市居民基本养老保险领取养老金人数98.3万人，全市工伤保险待遇享受人数1.52万人。")
    assert t.get("98.3万人").fund == "resident_pension"
    assert t.get("1.52万人").fund == "work_injury"


def test_fund_named_by_a_people_term_reaches_the_whole_sentence(tag):
    # 企业离退休人员 names the enterprise scheme for the figures that follow in its sentence
    t = tag("全省共有620.3万参保企业离退休人员领取了养老金，月人均领取水平达到1750元，增长8.5%。")
    assert labels(t.get("1750元"))[:2] == ("enterprise_pension", "per_capita_benefit")
    assert t.get("8.5%").fund == "enterprise_pension"


def test_enterprise_people_do_not_make_sibling_retirees_enterprise(tag):
    # README (d010 decision): 企业在职人员 and its 其中 → enterprise_pension; retirees not
    # said to be of enterprises stay pension
    t = tag("参加城镇职工基本养老保险人数52.1万人，其中，企业在职人员30.2万人（其中灵活就业人员"
            "10.5万人），离退休人员21.9万人（其中灵活就业人员6.8万人）。")
    assert [m.fund for m in t.mentions] == [
        "pension", "enterprise_pension", "enterprise_pension", "pension", "pension"]


def test_fund_named_by_a_benefit_standard_reaches_its_brackets(tag):
    t = tag("全市居民基本养老保险领取养老金人数98.3万人。失业保险金标准为最低工资标准的90%"
            "（一类区每人每月1800元，二类区1650元）。")
    assert [t.get(x).fund for x in ("90%", "1800元", "1650元")] == ["unemployment"] * 3


def test_specific_scheme_in_a_compound_name_wins(tag):
    # 企业离退休职工基本养老保险金: the generic 基本养老保险 inside does not undo 企业
    t = tag("（一）支出企业离退休职工基本养老保险金23.15亿元。")
    assert t.get("23.15亿元").fund == "enterprise_pension"


def test_payee_fund_inside_a_metric_term_does_not_override(seed_tagged):
    # §2.2 premium_payment_expenditure: the unemployment fund pays 医疗保险费 for the
    # unemployed, so 医疗保险 there names the payee, not the owner (seed 000)
    t = seed_tagged["000_7d830695de981ce9"]
    assert t.get("1521人次").fund == "unemployment"


# ---------------------------------------------------------------------------
# README: balances listed under a balance take its metric
# ---------------------------------------------------------------------------


def test_fund_balances_listed_under_a_current_balance(tag):
    t = tag("全市基本医疗保险基金当期结余31200万元，其中：城镇职工基本医疗保险基金结余16800万元，"
            "城乡居民基本医疗保险基金结余14400万元。")
    assert [m.metric for m in t.mentions] == ["balance_current"] * 3


def test_subaccount_balances_listed_under_a_current_balance(tag):
    t = tag("2023年当年结余-800万元，其中：统筹基金结余20万元，个人账户结余-820万元。"
            "累计滚存结余1500万元。")
    assert [m.metric for m in t.mentions] == ["balance_current"] * 3 + ["balance_cumulative"]


def test_balance_not_listed_under_another_stays_its_own(tag):
    t = tag("当期结余500万元，基金结余9000万元。")
    assert [m.metric for m in t.mentions] == ["balance_current", "balance_cumulative"]


# ---------------------------------------------------------------------------
# §2.4: one reading of a header's basis for numeric and prose cells
# ---------------------------------------------------------------------------


def test_column_header_basis_is_read_the_same_for_prose_cells():
    context = DocContext(make_document("2020年度社会保险基金支出绩效评价报告\n\n正文。"), True)
    for header, basis in (("上年完成情况", "prior"), ("预期目标", "planned"),
                          ("实际完成情况", "actual"), ("2019年", "prior")):
        cell = Cell(0, 0, "", 0, 0, col_label=header)
        assert context._column_basis(cell) == basis, header
        assert context._header_basis(header) == basis, header
