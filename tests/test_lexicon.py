"""The lexicons are the contract of GUIDELINES §1–§2: ids, units and surface forms.

The ids below are copied from the guidelines; the code must read exactly these from
``lexicons/*.toml`` (no id is spelled out in Python).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from nlp_pipeline.lexicon import load_lexicon
from nlp_pipeline.normalize import normalize_text
from nlp_pipeline.terms import term_matcher

GUIDELINE_TYPES = {"MONEY", "PEOPLE", "PERSON_TIMES", "PERCENT"}
GUIDELINE_FUNDS = {
    "all", "pension", "enterprise_pension", "public_pension", "resident_pension", "medical",
    "employee_medical", "resident_medical", "maternity", "work_injury", "unemployment", "none",
}
GUIDELINE_METRICS = {
    # fund income
    "income_total", "contribution_income", "fiscal_subsidy_income", "interest_income",
    "investment_income", "transfer_income", "upper_subsidy_income", "lower_remittance_income",
    "other_income",
    # fund expenditure
    "expenditure_total", "benefit_expenditure", "basic_pension_expenditure",
    "funeral_expenditure", "medical_expense_expenditure", "maternity_allowance_expenditure",
    "skill_subsidy_expenditure", "job_stabilization_expenditure", "reemployment_expenditure",
    "premium_payment_expenditure", "transfer_expenditure", "lower_subsidy_expenditure",
    "upper_remittance_expenditure", "other_expenditure",
    # balance
    "balance_current", "balance_cumulative",
    # people
    "insured_persons", "beneficiaries", "deceased_beneficiaries", "inpatient_visits",
    "outpatient_visits", "benefit_person_times", "staff",
    # per person and rates
    "per_capita_benefit", "satisfaction_rate", "accuracy_rate", "petition_rate", "coverage_rate",
    # department accounts
    "fiscal_appropriation_income", "fiscal_appropriation_expenditure", "basic_expenditure",
    "project_expenditure", "personnel_expenditure", "public_expenditure",
    "three_public_expenditure", "overseas_travel_expenditure", "official_vehicle_expenditure",
    "official_reception_expenditure", "admin_operating_expenditure", "procurement_expenditure",
    "asset_value",
    "other",
}
GUIDELINE_MEASURES = {"level", "change", "growth", "ratio_to_plan", "share", "plan_difference"}
GUIDELINE_BASES = {"actual", "planned", "prior"}
GUIDELINE_QUALIFIERS = {"", ">=", "<=", ">", "<", "~"}
#: GUIDELINES §1 table and §6.
GUIDELINE_UNITS = {
    "元": ("MONEY", 1), "万元": ("MONEY", 10**4), "亿元": ("MONEY", 10**8),
    "千元": ("MONEY", 10**3), "百万元": ("MONEY", 10**6), "万亿元": ("MONEY", 10**12),
    "人": ("PEOPLE", 1), "名": ("PEOPLE", 1), "位": ("PEOPLE", 1), "万人": ("PEOPLE", 10**4),
    "万名": ("PEOPLE", 10**4), "亿人": ("PEOPLE", 10**8),
    "人次": ("PERSON_TIMES", 1), "万人次": ("PERSON_TIMES", 10**4),
    "亿人次": ("PERSON_TIMES", 10**8),
    "%": ("PERCENT", 1), "个百分点": ("PERCENT", 1), "百分点": ("PERCENT", 1),
}


def test_label_ids_are_the_guideline_ids(lexicon):
    assert set(lexicon.types) == GUIDELINE_TYPES
    assert set(lexicon.funds) == GUIDELINE_FUNDS
    assert set(lexicon.metrics) == GUIDELINE_METRICS
    assert set(lexicon.measures) == GUIDELINE_MEASURES
    assert set(lexicon.bases) == GUIDELINE_BASES
    assert set(lexicon.qualifiers) == GUIDELINE_QUALIFIERS


def test_labels_lookup_by_record_field(lexicon):
    assert set(lexicon.labels("fund")) == GUIDELINE_FUNDS
    assert set(lexicon.labels("metric")) == GUIDELINE_METRICS
    assert set(lexicon.labels("qualifier")) == GUIDELINE_QUALIFIERS


def test_defaults_follow_the_guidelines(lexicon):
    # §2.3 level is the default measure, §2.4 actual the default basis, §2.5 empty qualifier
    assert lexicon.defaults["measure"] == "level"
    assert lexicon.defaults["basis"] == "actual"
    assert lexicon.defaults["qualifier"] == ""
    assert lexicon.defaults["metric"] == "other"
    assert lexicon.defaults["fund_department"] == "none"
    assert lexicon.defaults["fund_aggregate"] == "all"


def test_lexicon_is_loaded_once():
    assert load_lexicon() is load_lexicon()


@pytest.mark.parametrize(("unit", "spec"), sorted(GUIDELINE_UNITS.items()))
def test_guideline_units(lexicon, unit, spec):
    type_, multiplier = spec
    assert lexicon.units[unit].type == type_
    assert lexicon.units[unit].multiplier == Decimal(multiplier)


def test_every_unit_has_a_known_type(lexicon):
    for unit in lexicon.units.values():
        assert unit.type in GUIDELINE_TYPES, unit


def _normalized(text: str) -> str:
    return normalize_text(text).text


@pytest.mark.parametrize("unit", sorted(load_lexicon().units))
def test_units_can_match_normalized_text(lexicon, unit):
    # rules match the normalized text: a unit's normalized spelling must be a unit too
    assert _normalized(unit) in lexicon.units


def test_fund_and_metric_aliases_can_match_normalized_text(lexicon):
    aliases = {a for f in lexicon.funds.values() for a in (f.name, *f.aliases)}
    aliases |= {a for m in lexicon.metrics.values() for a in m.aliases}
    missing = sorted(a for a in aliases if _normalized(a) not in aliases)
    assert missing == []


def test_fund_parents(lexicon):
    assert {f: lexicon.fund_parent(f) for f in ("enterprise_pension", "public_pension",
                                                "resident_pension")} == dict.fromkeys(
        ("enterprise_pension", "public_pension", "resident_pension"), "pension")
    assert lexicon.fund_parent("employee_medical") == "medical"
    assert lexicon.fund_parent("resident_medical") == "medical"
    assert lexicon.fund_parent("all") is None
    for fund in lexicon.funds.values():
        assert fund.parent is None or fund.parent in GUIDELINE_FUNDS


def test_short_table_names_are_not_prose_aliases(lexicon):
    # 失业 alone names a fund only as a table header; in prose (失业人员) it is no fund
    from nlp_pipeline.terms import terms_in

    assert lexicon.table_fund_names["工伤"] == "work_injury"
    for name, fund in lexicon.table_fund_names.items():
        assert fund in GUIDELINE_FUNDS
        assert not [t for t in terms_in(name) if t.kind == "fund"], name


def test_metric_types_and_kinds(lexicon):
    for metric in lexicon.metrics.values():
        assert set(metric.types) <= GUIDELINE_TYPES, metric.id
    rates = {"satisfaction_rate", "accuracy_rate", "petition_rate", "coverage_rate"}
    for rate in rates:
        assert lexicon.metrics[rate].types == ("PERCENT",)
    assert "PEOPLE" in lexicon.metrics["staff"].types
    assert "PERSON_TIMES" in lexicon.metrics["inpatient_visits"].types


def test_qualifier_cues_use_qualifier_ids(lexicon):
    qualifier = lexicon.cues["qualifier"]
    assert set(qualifier["before"]) <= GUIDELINE_QUALIFIERS
    assert set(qualifier["after"]) <= GUIDELINE_QUALIFIERS
    # §2.5 and §7 cue words
    assert "以上" in qualifier["after"][">="]
    assert "以内" in qualifier["after"]["<="]
    assert "约" in qualifier["before"]["~"]
    assert "近" in qualifier["before"]["~"]
    assert "逾" in qualifier["before"][">"]


# ---- the term matcher (lexicon aliases, leftmost-longest) -------------------------


def _terms(text):
    return [(text[t.start:t.end], t.kind, t.id) for t in term_matcher().find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("企业职工基本养老保险", ("fund", "enterprise_pension")),
        ("机关事业养老保险", ("fund", "public_pension")),
        ("城乡居民基本养老保险", ("fund", "resident_pension")),
        ("城乡居民基本医疗保险", ("fund", "resident_medical")),
        ("工伤保险", ("fund", "work_injury")),
        ("各项基金", ("fund", "all")),
        ("养老、工伤、失业", ("fund", "all")),  # §2.1 aggregate over several funds
        ("新农合", ("fund", "resident_medical")),  # §7
        ("新农保", ("fund", "resident_pension")),  # §7
        ("基本养老金待遇支出", ("metric", "benefit_expenditure")),
        ("基本养老金支出", ("metric", "basic_pension_expenditure")),
        ("丧葬抚恤金支出", ("metric", "funeral_expenditure")),
        ("生育津贴支出", ("metric", "maternity_allowance_expenditure")),
        ("提取再就业经费", ("metric", "reemployment_expenditure")),
        ("上解中央调剂金支出", ("metric", "upper_remittance_expenditure")),
        ("中央调剂金补助收入", ("metric", "upper_subsidy_income")),
        ("下级上解失业调剂金", ("metric", "lower_remittance_income")),
        ("滚存结余", ("metric", "balance_cumulative")),
        ("当年收支结余", ("metric", "balance_current")),
        ("财政拨款收入", ("metric", "fiscal_appropriation_income")),
        ("公务用车运行维护费", ("metric", "official_vehicle_expenditure")),
        ("满意率", ("metric", "satisfaction_rate")),
        ("参保率", ("metric", "coverage_rate")),
    ],
)
def test_term_matcher_longest_alias_wins(text, expected):
    [(span, kind, ident)] = _terms(text)
    assert span == text
    assert (kind, ident) == expected


def test_a_fund_named_inside_a_metric_term_is_a_hint():
    [term] = term_matcher().find("工伤保险待遇支出")
    assert (term.kind, term.id, term.fund_hint) == ("metric", "benefit_expenditure", "work_injury")


def test_term_matcher_on_a_seed_sentence():
    # seed 000: the breakdown of the enterprise pension fund's income
    text = (
        "2018年区本级企业养老保险基金总收入2376361万元，其中：保费收入1012023万元，"
        "利息收入121903万元"
    )
    assert [(k, i) for _, k, i in _terms(text)] == [
        ("fund", "enterprise_pension"), ("metric", "income_total"),
        ("metric", "contribution_income"), ("metric", "interest_income"),
    ]
