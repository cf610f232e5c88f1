"""The learned linker and the learned detector on three small hand-written reports.

The "gold" is the rule tagger's output with deliberate changes, so a test can tell
learning (the change is reproduced on an unseen document) from copying the rules.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sklearn.base import clone

from nlp_pipeline.evaluation import cross_val_predict, requires_crossval
from nlp_pipeline.features import DocumentContext, quantity_features
from nlp_pipeline.lexicon import load_lexicon
from nlp_pipeline.pipeline import make_document
from nlp_pipeline.records import Mention
from nlp_pipeline.taggers import TAGGERS, LearnedTagger, RuleTagger
from nlp_pipeline.taggers.detector import MentionDetector, detection_scores
from nlp_pipeline.taggers.model_io import fingerprint

TEXTS = {
    "a": "一、企业职工基本养老保险基金\n2019年基金收入3347188万元，较上年增加605635万元，增长22%。"
         "基金支出2800000万元，完成预算的98.2%。参保人数12000人，较上年减少300人。\n"
         "二、失业保险基金\n基金收入1000万元，较上年减少35万元，下降3.5%。基金支出800万元。",
    "b": "一、城镇职工基本医疗保险基金\n2019年基金收入52000万元，较上年增加2100万元，增长4.2%。"
         "基金支出48000万元，较上年减少900万元。参保人数8600人。\n"
         "二、工伤保险基金\n基金收入650万元，基金支出420万元，较上年减少12万元，下降2.8%。",
    "c": "一、生育保险基金\n2019年基金收入730万元，较上年增加40万元，增长5.8%。基金支出610万元，"
         "较上年减少25万元。参保人数5100人，较上年减少80人。\n"
         "二、失业保险基金\n基金收入1200万元，基金支出950万元，增长3.1%。",
}


def documents() -> list:
    return [make_document(text, doc_id) for doc_id, text in TEXTS.items()]


def planned_gold(docs: list) -> list[list[Mention]]:
    """Rule labels, but every money amount is `planned`: something only learning can copy."""
    return [[m.replace(basis="planned", tagger=None) if m.type == "MONEY"
             else m.replace(tagger=None) for m in mentions]
            for mentions in RuleTagger().predict(docs)]


def test_features_are_named_after_evidence() -> None:
    doc = make_document(TEXTS["a"], "a")
    ctx = DocumentContext(doc)
    feats = quantity_features(ctx, doc.quantities[0])
    assert feats["headFund=enterprise_pension"] == 1.0
    assert any(name.startswith("metL1=income_total") for name in feats)
    assert all("=" in name or name == "deficit" for name in feats)
    assert not any("3347188" in name for name in feats)  # figures never become features


def test_registered_and_requires_fit() -> None:
    assert TAGGERS["learned"] is LearnedTagger
    assert requires_crossval(LearnedTagger())
    assert not hasattr(clone(LearnedTagger(C=0.5)), "models_")


def test_learns_a_label_the_rules_do_not_give() -> None:
    docs = documents()
    gold = planned_gold(docs)
    tagger = LearnedTagger().fit(docs[:2], gold[:2])
    predicted = tagger.predict(docs[2:])[0]
    rules = RuleTagger().predict(docs[2:])[0]
    assert [m.span for m in predicted] == [m.span for m in rules]
    money = [m for m in predicted if m.type == "MONEY"]
    assert money and all(m.basis == "planned" for m in money)
    lex = load_lexicon()
    for m in predicted:
        assert m.tagger == "learned" and 0.0 <= m.confidence <= 1.0
        assert m.fund in lex.funds and m.metric in lex.metrics and m.basis in lex.bases


def test_decreases_are_negative() -> None:
    docs = documents()
    gold = [[m.replace(tagger=None) for m in ms] for ms in RuleTagger().predict(docs)]
    predicted = LearnedTagger().fit(docs[:2], gold[:2]).predict(docs[2:])[0]
    by_text = {m.text: m for m in predicted}
    assert by_text["25万元"].value == Decimal("-250000")
    assert by_text["730万元"].value == Decimal("7300000")


def test_fit_is_deterministic() -> None:
    docs = documents()
    gold = planned_gold(docs)
    one = LearnedTagger(random_state=3).fit(docs[:2], gold[:2])
    two = LearnedTagger(random_state=3).fit(docs[:2], gold[:2])
    assert fingerprint(one) == fingerprint(two)
    assert one.predict(docs[2:]) == two.predict(docs[2:])
    assert one.top_features("basis", "planned")


def test_cross_validation_holds_each_document_out() -> None:
    docs = documents()
    gold = planned_gold(docs)
    predictions = cross_val_predict(LearnedTagger(), docs, gold)
    assert [{m.doc_id for m in ms} for ms in predictions] == [{"a"}, {"b"}, {"c"}]


def test_fit_needs_gold() -> None:
    with pytest.raises(ValueError):
        LearnedTagger().fit(documents(), None)
    with pytest.raises(ValueError):
        LearnedTagger(detector="crf").fit(documents(), planned_gold(documents()))


def test_learned_detector_finds_the_spans() -> None:
    docs = documents()
    gold = planned_gold(docs)
    detector = MentionDetector().fit(docs[:2], gold[:2])
    found = detector.detect(docs[2])
    counts = detection_scores(docs[2:], gold[2:], [found])
    assert counts["tp"] >= 0.8 * counts["n_gold"]
    assert all(q.type in load_lexicon().types for q in found)


def test_learned_tagger_with_learned_detector() -> None:
    docs = documents()
    gold = planned_gold(docs)
    tagger = LearnedTagger(detector="learned").fit(docs[:2], gold[:2])
    predicted = tagger.predict(docs[2:])[0]
    assert predicted and all(m.text == docs[2].text[m.start:m.end] for m in predicted)


def test_documents_without_quantities() -> None:
    docs = documents()
    tagger = LearnedTagger(detector="learned").fit(docs[:2], planned_gold(docs)[:2])
    assert tagger.predict([make_document("本年度无数据。", "empty")]) == [[]]
    with pytest.raises(ValueError):
        LearnedTagger().fit([make_document("本年度无数据。", "empty")], [[]])


def test_rule_tagger_runs_only_for_rule_features(monkeypatch) -> None:
    """Prediction without rule features never pays for the rule tagger."""
    docs = documents()
    gold = planned_gold(docs)
    plain = LearnedTagger().fit(docs, gold)
    with_rules = LearnedTagger(use_rule_features=True).fit(docs, gold)

    def refuse(self, doc):
        raise AssertionError("rule tagger called")

    monkeypatch.setattr(RuleTagger, "label_document", refuse)
    assert plain.predict(docs[:1])[0]
    with pytest.raises(AssertionError, match="rule tagger called"):
        with_rules.predict(docs[:1])  # rule features do need it


def test_clause_is_bounded_by_clause_breaks() -> None:
    """The clause found by reverse search equals a character-by-character walk."""
    import regex

    breaks = regex.compile(r"[，,：:；;。（）()、\n]")
    for text in TEXTS.values():
        doc = make_document(text)
        ctx = DocumentContext(doc)
        for q in doc.quantities:
            sent = ctx.sentence(q.start)
            start = q.start
            while start > sent.start and not breaks.match(doc.ntext[start - 1]):
                start -= 1
            end = q.end
            while end < sent.end and not breaks.match(doc.ntext[end]):
                end += 1
            clause = ctx.clause(q)
            assert (clause.start, clause.end) == (start, end)


def test_last_term_is_the_last_of_terms_between() -> None:
    for text in TEXTS.values():
        ctx = DocumentContext(make_document(text))
        n = len(ctx.text)
        for start in range(0, n, 7):
            for end in range(start, n + 1, 11):
                for kind in ("fund", "metric"):
                    found = [t for t in ctx.terms_between(start, end) if t.kind == kind]
                    assert ctx.last_term(start, end, kind) == (found[-1] if found else None)
