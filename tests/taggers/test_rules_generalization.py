"""Rule-tagger fixes that must hold on reports nobody here has seen.

Each test pins one *class* of cases, decided by the guidelines (section given) or by
``annotated/README.md`` ("Decisions the guidelines left open"). Seed sentences are
quoted; corpus-shaped cases are paraphrased (same structure, other words and figures),
never copied. Every test fails on the rule tagger as it was before the fix.
"""

from __future__ import annotations

from decimal import Decimal

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


# ---------------------------------------------------------------------------
# review of the generic aliases: where the words appear but the figure is something else
# ---------------------------------------------------------------------------


def test_transfer_verbs_with_a_destination_are_not_transfer_lines(tag):
    # README: 转入 / 转出 money is a transfer line; 结余转入下年, 转入财政专户 and an
    # account-to-account move are verbs with a destination, not a fund's transfer income
    t = tag(DEPARTMENT + "年初结转和结余120万元，本年收入3500万元，结余转入下年80万元。")
    assert t.get("80万元").metric != "transfer_income"
    t = tag("全年征收的社会保险费全部转入财政专户，共计45.6亿元。"
            "职工医保个人账户转入家庭共济账户资金2300万元。")
    assert t.get("45.6亿元").metric != "transfer_income"
    assert t.get("2300万元").metric != "transfer_income"
    # …while a bare 转入 followed by its amount in an income list stays the line
    t = tag("（三）失业保险基金\n全年失业保险基金收入5.6亿元，其中失业保险费收入4.8亿元，"
            "利息收入0.3亿元，转入0.5亿元。")
    assert t.get("0.5亿元").metric == "transfer_income"


def test_relation_transfer_counts_are_other(tag):
    # README: relation-transfer counts → other, also in 人次
    t = tag("全年办理职工基本养老保险关系转移接续1.5万人次，转移基金3.2亿元。")
    assert t.get("1.5万人次").metric == "other"
    assert t.get("3.2亿元").metric == "transfer_income"


def test_in_service_and_retired_parts_of_an_institutions_headcount(tag):
    # §2.2 staff (实有人数, 在职人员, its 退休人员) and §2.1 none: with no department
    # header the bare 在职 / 退休 under a staff head are still the institution's people
    t = tag("经办中心核定编制人数45人，实有人数42人，其中在职38人，退休12人。")
    assert [labels(m)[:2] for m in t.mentions] == [("none", "staff")] * 4


def test_subsidy_programme_table_in_department_accounts(tag):
    # §7 subsidy-programme evaluations: fund of the scheme, the programme's money is
    # fiscal_subsidy_income — also when the table stands in a department's accounts
    t = tag(DEPARTMENT + "项目支出绩效自评表\n\n"
            "项目名称\t城乡居民基本养老保险补助资金\t\t\t\t\t\t\t\n"
            "项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n"
            "\t年度资金总额\t500\t500\t480\t10\t96%\t9.6\n")
    assert labels(t.get("480")) == (
        "resident_pension", "fiscal_subsidy_income", "level", "actual")
    assert labels(t.get("500")) == (
        "resident_pension", "fiscal_subsidy_income", "level", "planned")


def test_fund_named_by_a_line_does_not_reach_a_sibling_line(tag):
    # §2.1: 生育保险待遇支出 names maternity for its own figure; the next line of the
    # sentence (基金累计结余) is the section's fund again
    t = tag("（二）城镇职工基本医疗保险\n全年医疗保险待遇支出12亿元，生育保险待遇支出1.5亿元，"
            "基金累计结余30亿元。")
    assert t.get("1.5亿元").fund == "maternity"
    assert t.get("30亿元").fund == "employee_medical"


def test_subsidy_standard_per_person_is_not_subsidy_income(tag):
    # §7 other (like 人均筹资): a per-person subsidy standard is a policy parameter,
    # not the fund's 财政补贴收入
    t = tag("（二）城乡居民基本医疗保险\n全年政府补助标准为每人每年610元，"
            "个人缴费标准每人每年350元。全年政府补助城乡居民医保资金35亿元。")
    assert t.get("610元").metric == "other"
    assert t.get("35亿元").metric == "fiscal_subsidy_income"


def test_registered_unemployed_are_labour_market_figures(tag):
    # §6 / §7: registered unemployment is a labour-market figure (none, other), even in
    # an unemployment-insurance section; a new-registration count is a flow (level)
    t = tag("（三）失业保险基金运行情况\n全年新增失业人员登记2.4万人，领取失业保险金1.7万人。"
            "年末登记失业人员2.2万人。")
    assert labels(t.get("2.4万人"))[:3] == ("none", "other", "level")
    assert labels(t.get("1.7万人"))[:2] == ("unemployment", "beneficiaries")
    assert labels(t.get("2.2万人"))[:2] == ("none", "other")


def test_short_name_of_the_unemployment_benefit_names_its_fund(tag):
    # §2.2 benefit_expenditure / per_capita_benefit: 失业金 is the unemployment fund's
    t = tag("全年发放失业金1.3亿元，月人均失业金1480元。")
    assert [labels(m)[:2] for m in t.mentions] == [
        ("unemployment", "benefit_expenditure"), ("unemployment", "per_capita_benefit")]


def test_premium_paid_for_the_unemployed_stays_the_unemployment_funds(tag):
    # §2.2 premium_payment_expenditure: 基本医疗保险 inside 代缴基本医疗保险费 names the payee
    t = tag("（三）失业保险基金运行情况\n全年为失业人员代缴基本医疗保险费2100万元。")
    assert labels(t.get("2100万元"))[:2] == ("unemployment", "premium_payment_expenditure")


def test_negative_growth_and_a_balance_written_as_negative_are_negative(tag):
    # §1.2 (a decrease is negative by meaning; 负增长 is one); README: 为负 before the
    # number signs it, outside the span; 减负 (burden relief) is no sign
    t = tag("（二）失业保险\n全年基金收入同比负增长3.5%，当期结余为负1.2亿元。"
            "全年降费减负2.3亿元。")
    growth, balance, relief = t.get("3.5%"), t.get("1.2亿元"), t.get("2.3亿元")
    assert (growth.measure, growth.value) == ("growth", Decimal("-3.5"))
    assert (balance.metric, balance.value) == ("balance_current", Decimal("-120000000"))
    assert balance.text == "1.2亿元"
    assert relief.value > 0


def test_space_aligned_fund_table_is_read_like_a_tab_table(tag):
    # §1.3 (the unit line governs bare cells) and §2.1 (a column names the fund), for a
    # table whose columns a PDF converter aligned with spaces; before, its rows were
    # joined as wrapped lines and no cell was found
    t = tag("2019年社保基金收支分析表\n单位：万元\n"
            "项目    企业养老    工伤    失业    合计\n"
            "基金收入    101746    3521    5687    110954\n"
            "当期结余    2734    651    -323    3062\n")
    assert (t.get("3521").fund, t.get("3521").metric) == ("work_injury", "income_total")
    assert t.get("3521").value == Decimal("35210000")
    deficit = t.get("-323")
    assert (deficit.fund, deficit.metric, deficit.value) == (
        "unemployment", "balance_current", Decimal("-3230000"))
    assert t.get("110954").fund == "all"



def test_work_injury_recognitions_are_counts_of_cases(tag):
    # §2.2 other ("a count of people verified"): recognitions and disability
    # assessments count cases processed, not people insured or paid; statistical
    # bulletins report them next to the insured and the beneficiaries
    t = tag("年末全省参加工伤保险人数789.0万人。全年认定（视同）工伤3.2万人，"
            "评定伤残等级1.8万人。全年享受工伤保险待遇人数5.6万人。")
    assert [t.get(s).metric for s in ("789.0万人", "3.2万人", "1.8万人", "5.6万人")] == [
        "insured_persons", "other", "other", "beneficiaries"]
    assert t.get("3.2万人").fund == "work_injury"


def test_a_basis_cue_inside_a_comparison_names_the_base(tag):
    # §7: a budget's 比上年增长 is growth/planned; 预计执行数 after 比 describes the base
    # the budget is compared with, not the growth figure (budget-draft reports)
    t = tag("二、2024年社会保险基金预算草案\n2024年基金收入预算为367.8亿元，"
            "比2023年预计执行数增长6.4%，较上年执行数增加21.6亿元。")
    assert (t.get("6.4%").measure, t.get("6.4%").basis) == ("growth", "planned")
    assert (t.get("21.6亿元").measure, t.get("21.6亿元").basis) == ("change", "planned")


def test_income_and_expenditure_stated_together_take_the_income_metric(tag):
    # §5, the guideline's own example: 收、支总计…增加X takes the income metric
    t = tag(DEPARTMENT + "一、收入支出决算总体情况说明\n2019年度收、支总计1234.56万元。"
            "与上年相比，收、支总计各增加123.45万元，增长11.1%。")
    assert [(m.metric, m.measure) for m in t.mentions] == [
        ("income_total", "level"), ("income_total", "change"), ("income_total", "growth")]
    assert {m.fund for m in t.mentions} == {"none"}


def test_people_a_benefit_is_paid_to_are_beneficiaries(tag):
    # §2.2 beneficiaries and §5 (全年保障…名离退休人员的基本养老金待遇发放): the people a
    # fund pays are its beneficiaries, whatever noun names them; a card is no benefit
    t = tag("（二）城乡居民基本养老保险\n全年共为6.78万名60周岁以上参保人员发放养老金。"
            "为1.2万名参保人员发放社保卡。")
    assert t.get("6.78万名").metric == "beneficiaries"
    assert t.get("1.2万名").metric == "insured_persons"
