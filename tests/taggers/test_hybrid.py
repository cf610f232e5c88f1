"""The hybrid tagger: per-label choice between rules and the learned linker by inner CV."""

from __future__ import annotations

from nlp_pipeline.pipeline import make_document
from nlp_pipeline.records import Mention
from nlp_pipeline.taggers import TAGGERS, HybridTagger, RuleTagger
from nlp_pipeline.taggers.hybrid import choose
from nlp_pipeline.taggers.learned import LABELS

TEXTS = {
    "h1": "一、企业职工基本养老保险基金\n基金收入3000万元，较上年增加200万元，增长7.1%。"
          "基金支出2600万元。参保人数9100人。",
    "h2": "一、失业保险基金\n基金收入640万元，较上年减少30万元，下降4.5%。基金支出510万元。"
          "参保人数3300人。",
    "h3": "一、工伤保险基金\n基金收入880万元，较上年增加60万元，增长7.3%。基金支出700万元。"
          "参保人数4100人。",
}


def documents() -> list:
    return [make_document(text, doc_id) for doc_id, text in TEXTS.items()]


def gold_of(docs: list, **changes: str) -> list[list[Mention]]:
    """Rule output as gold, with ``changes`` applied to every money amount."""
    return [[m.replace(tagger=None, **(changes if m.type == "MONEY" else {})) for m in ms]
            for ms in RuleTagger().predict(docs)]


def test_choose() -> None:
    assert choose("a", "b", 0.9, "rules", 1.1) == "a"
    assert choose("a", "b", 0.1, "learned", 0.0) == "b"
    assert choose("a", "b", 0.7, "learned>=", 0.8) == "a"
    assert choose("a", "b", 0.85, "learned>=", 0.8) == "b"


def test_registered() -> None:
    assert TAGGERS["hybrid"] is HybridTagger
    assert HybridTagger.requires_fit is True


def test_agreeing_gold_keeps_the_rules() -> None:
    docs = documents()
    gold = gold_of(docs)
    tagger = HybridTagger(n_splits=3).fit(docs[:2] + docs[2:], gold)
    assert set(tagger.choice_) == set(LABELS)
    assert tagger.describe_choice()["fund"] == "rules"  # a tie goes to the rules
    predicted = tagger.predict(docs)
    assert predicted == [[m.replace(tagger="hybrid") for m in ms]
                         for ms in RuleTagger().predict(docs)]


def test_systematic_rule_error_is_learned() -> None:
    docs = documents()
    gold = gold_of(docs, basis="planned")
    tagger = HybridTagger(n_splits=3).fit(docs, gold)
    assert tagger.describe_choice()["basis"] != "rules"
    assert tagger.cv_accuracy_["basis"]["rules"] < tagger.cv_accuracy_["basis"]["learned"]
    unseen = make_document("一、生育保险基金\n基金收入410万元，较上年增加15万元。", "u")
    money = [m for m in tagger.predict([unseen])[0] if m.type == "MONEY"]
    assert money and all(m.basis == "planned" for m in money)


def test_one_document_means_rules_only() -> None:
    docs = documents()
    tagger = HybridTagger().fit(docs[:1], gold_of(docs[:1], basis="planned"))
    assert set(tagger.describe_choice().values()) == {"rules"}


def test_all_rules_choice_builds_no_features(monkeypatch) -> None:
    """With every label from the rules the hybrid costs what the rules cost."""
    import nlp_pipeline.taggers.learned as learned

    docs = documents()
    tagger = HybridTagger(n_splits=3).fit(docs, gold_of(docs))
    assert set(tagger.describe_choice().values()) == {"rules"}

    def no_features(*args, **kwargs):
        raise AssertionError("features built although no label is learned")

    monkeypatch.setattr(learned, "quantity_features", no_features)
    assert tagger.predict(docs) == [[m.replace(tagger="hybrid") for m in ms]
                                    for ms in RuleTagger().predict(docs)]


def test_only_the_learned_labels_are_predicted(monkeypatch) -> None:
    docs = documents()
    tagger = HybridTagger(n_splits=3).fit(docs, gold_of(docs, basis="planned"))
    learned_labels = {n for n, c in tagger.describe_choice().items() if c != "rules"}
    assert "basis" in learned_labels
    asked: list = []
    original = tagger.linker_.predict_rows

    def spy(features, labels=LABELS):
        asked.append(tuple(labels))
        return original(features, labels)

    monkeypatch.setattr(tagger.linker_, "predict_rows", spy)
    tagger.predict(docs[:1])
    assert asked and set(asked[0]) == learned_labels
