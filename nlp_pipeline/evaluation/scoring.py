"""The scorer of GUIDELINES §4: pure functions from gold and predicted mentions to figures.

Every figure a paper cites comes from here, so the matching rules are fixed and
written down (also in ``evaluation/README.md``):

* **Strict match**: same ``doc_id``, ``start`` and ``end``. Pairs are formed
  one-to-one in file order within a span: the first prediction of a span is the
  candidate for the (first) gold mention of that span, and a duplicate prediction
  of the same span is a false positive. The type is not part of a strict match;
  it is reported as an attribute accuracy.
* **Strict-typed match**: a strict pair whose types agree. Per-type "strict"
  figures use it (a span found with the wrong type is a miss for the gold type and
  a false alarm for the predicted type), so per-type counts add up to the
  ``strict_typed`` totals, not to ``strict``.
* **Lenient match**: overlapping spans of the same type, one-to-one, greedily by
  largest overlap (ties: smaller union, then gold order, then prediction order),
  so one prediction cannot match two gold mentions.
* **Tuple-correct** (the headline): a strict pair whose type, value (numeric
  equality: ``1.50 == 1.5``), fund, metric, measure and basis all agree. The
  qualifier is not part of the tuple (§4); it has its own attribute accuracy.
  Duplicates that lost the strict pairing are false positives here too.
* **Empty denominators**: precision with nothing predicted, recall with no gold,
  and an accuracy over no pairs are ``0/0`` and reported as ``0.0``; F1 is 0.0
  when precision + recall is 0. This is scikit-learn's ``zero_division=0`` and
  conlleval's convention; the raw counts are always reported beside the figures
  so a reader can tell "0 of 0" from "0 of 40".
* **Micro-averaging**: corpus figures sum the counts over documents; nothing is
  averaged over documents or types.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..records import Mention, format_decimal

#: Fields that must agree for a tuple-correct prediction (§4; qualifier excluded).
TUPLE_FIELDS = ("type", "value", "fund", "metric", "measure", "basis")
#: Fields whose accuracy is reported on strictly matched pairs (§4).
ATTRIBUTE_FIELDS = ("type", "value", "fund", "metric", "measure", "basis", "qualifier")
#: Label fields broken down per label and given a confusion matrix.
BREAKDOWN_FIELDS = ("fund", "metric", "measure", "basis")
#: The precision/recall/F1 figures, in report order; ``tuple`` is the headline.
FIGURES = ("tuple", "strict", "strict_typed", "lenient")
#: Document metadata keys broken down when the caller supplies metadata.
META_KEYS = ("source", "genre")
#: Sentence delimiters for error contexts: the brief's 。！？；\\n plus their ASCII
#: forms, which the corpus texts often use. "." is not one: it is a decimal point.
SENTENCE_DELIMITERS = "。！？；\n;!?"
#: Error kinds, in the order errors at the same offset are listed.
ERROR_KINDS = ("missed", "spurious", "mislabelled")
DIGITS = 4


def _ratio(num: int, den: int) -> float:
    """``num/den``, with 0/0 reported as 0.0 (see the module docstring)."""
    return num / den if den else 0.0


@dataclass(frozen=True)
class Counts:
    """Correct, predicted and gold counts; precision/recall/F1 derive from them.

    Counts, not figures, are what documents contribute, so micro-averaging and the
    bootstrap simply add them up.
    """

    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.n_pred + other.n_pred, self.n_gold + other.n_gold)

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.n_pred)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.n_gold)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, DIGITS), "recall": round(self.recall, DIGITS),
            "f1": round(self.f1, DIGITS), "tp": self.tp, "n_pred": self.n_pred,
            "n_gold": self.n_gold,
        }


@dataclass(frozen=True)
class Accuracy:
    """Correct out of total strictly matched pairs."""

    correct: int = 0
    total: int = 0

    def __add__(self, other: Accuracy) -> Accuracy:
        return Accuracy(self.correct + other.correct, self.total + other.total)

    @property
    def accuracy(self) -> float:
        return _ratio(self.correct, self.total)

    def to_dict(self) -> dict[str, Any]:
        return {"accuracy": round(self.accuracy, DIGITS), "correct": self.correct,
                "total": self.total}


@dataclass(frozen=True)
class Confusion:
    """Gold label (rows) by predicted label (columns) over strictly matched pairs."""

    labels: tuple[str, ...]
    matrix: tuple[tuple[int, ...], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"labels": list(self.labels), "matrix": [list(row) for row in self.matrix]}


@dataclass
class Alignment:
    """How one document's predictions line up with its gold mentions."""

    doc_id: str
    gold: list[Mention]
    pred: list[Mention]
    pairs: list[tuple[Mention, Mention]] = field(default_factory=list)  # strict (gold, pred)
    missed: list[Mention] = field(default_factory=list)
    spurious: list[Mention] = field(default_factory=list)
    lenient_pairs: list[tuple[Mention, Mention]] = field(default_factory=list)
    pred_partner: list[int | None] = field(default_factory=list)  # gold index of each pred


@dataclass(frozen=True)
class ErrorItem:
    """One error for the error list, with the sentence it occurs in."""

    kind: str  # "missed", "spurious" or "mislabelled"
    doc_id: str
    start: int
    end: int
    text: str
    gold: Mention | None
    pred: Mention | None
    fields: tuple[str, ...] = ()  # differing fields of a mislabelled pair
    note: str = ""
    context: str = ""
    context_span: tuple[int, int] = (0, 0)  # the span's offsets inside ``context``

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "doc_id": self.doc_id, "start": self.start, "end": self.end,
            "text": self.text, "fields": list(self.fields), "note": self.note,
            "gold": _record(self.gold), "pred": _record(self.pred), "context": self.context,
            "context_span": list(self.context_span),
        }


def _record(mention: Mention | None) -> dict[str, Any] | None:
    if mention is None:
        return None
    out = {name: getattr(mention, name) for name in ("start", "end", "text") + ATTRIBUTE_FIELDS}
    out["value"] = format_decimal(mention.value)
    return out


@dataclass
class Scores:
    """Every figure of §4 for one tagger on one set of documents."""

    corpus: dict[str, Counts]
    by_type: dict[str, dict[str, Counts]]
    attributes: dict[str, Accuracy]
    breakdowns: dict[str, dict[str, dict[str, Counts]]]  # field -> label -> tuple|label
    confusion: dict[str, Confusion]
    per_document: dict[str, dict[str, Counts]]
    per_document_attributes: dict[str, dict[str, Accuracy]]
    by_meta: dict[str, dict[str, dict[str, Counts]]]  # meta key -> value -> figure
    by_table: dict[str, dict[str, Counts]]  # "table"/"prose" -> strict|tuple
    errors: list[ErrorItem]
    ignored_predictions: int = 0

    @property
    def n_documents(self) -> int:
        return len(self.per_document)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures (floats rounded to 4 decimals); errors are kept apart."""
        return {
            "n_documents": self.n_documents,
            "n_gold": self.corpus["strict"].n_gold,
            "n_pred": self.corpus["strict"].n_pred,
            "ignored_predictions": self.ignored_predictions,
            "corpus": _dicts(self.corpus),
            "attributes": _dicts(self.attributes),
            "by_type": {k: _dicts(v) for k, v in self.by_type.items()},
            "breakdowns": {
                f: {label: _dicts(c) for label, c in labels.items()}
                for f, labels in self.breakdowns.items()
            },
            "confusion": _dicts(self.confusion),
            "per_document": {
                doc: {**_dicts(c), "attributes": _dicts(self.per_document_attributes[doc])}
                for doc, c in self.per_document.items()
            },
            "by_meta": {
                k: {value: _dicts(c) for value, c in groups.items()}
                for k, groups in self.by_meta.items()
            },
            "by_table": {k: _dicts(v) for k, v in self.by_table.items()},
            "error_counts": dict(sorted(Counter(e.kind for e in self.errors).items())),
        }


def _dicts(mapping: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value.to_dict() for key, value in mapping.items()}


# --- alignment ---------------------------------------------------------------------------


def tuple_equal(gold: Mention, pred: Mention) -> bool:
    """True when every tuple field agrees; ``Decimal`` compares values numerically."""
    return all(getattr(gold, name) == getattr(pred, name) for name in TUPLE_FIELDS)


def differing_fields(gold: Mention, pred: Mention) -> tuple[str, ...]:
    return tuple(n for n in ATTRIBUTE_FIELDS if getattr(gold, n) != getattr(pred, n))


def _strict_pairs(gold: Sequence[Mention], pred: Sequence[Mention]) -> list[int | None]:
    """One-to-one pairing by span in file order; extra predictions of a span stay unpaired.

    Returns, for each prediction, the index of its gold partner or ``None``.
    """
    waiting: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, mention in enumerate(gold):
        waiting[mention.span].append(index)
    partner: list[int | None] = []
    for mention in pred:
        queue = waiting.get(mention.span)
        partner.append(queue.pop(0) if queue else None)
    return partner


def _overlap(a: Mention, b: Mention) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def _lenient_pairs(
    gold: Sequence[Mention], pred: Sequence[Mention]
) -> list[tuple[Mention, Mention]]:
    """Greedy one-to-one matching of overlapping same-type spans, largest overlap first."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            overlap = _overlap(g, p)
            if overlap > 0 and g.type == p.type:
                union = max(g.end, p.end) - min(g.start, p.start)
                candidates.append((-overlap, union, gi, pi))
    candidates.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, _, gi, pi in candidates:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((gi, pi))
    return [(gold[gi], pred[pi]) for gi, pi in sorted(pairs)]


def align_document(doc_id: str, gold: Sequence[Mention], pred: Sequence[Mention]) -> Alignment:
    """Strict and lenient alignment of one document's mentions (gold and pred in file order)."""
    partner = _strict_pairs(gold, pred)
    matched = {g for g in partner if g is not None}
    return Alignment(
        doc_id=doc_id, gold=list(gold), pred=list(pred),
        pairs=sorted(((gold[g], pred[i]) for i, g in enumerate(partner) if g is not None),
                     key=lambda pair: (pair[0].start, pair[0].end)),
        missed=[m for i, m in enumerate(gold) if i not in matched],
        spurious=[m for i, m in enumerate(pred) if partner[i] is None],
        lenient_pairs=_lenient_pairs(gold, pred), pred_partner=partner,
    )


def _by_doc(mentions: Iterable[Mention]) -> dict[str, list[Mention]]:
    grouped: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        grouped[mention.doc_id].append(mention)
    return grouped


def align(
    gold: Iterable[Mention], pred: Iterable[Mention], doc_ids: Iterable[str] | None = None
) -> tuple[dict[str, Alignment], int]:
    """Align every document; returns the alignments and the number of ignored predictions.

    With ``doc_ids`` the scored documents are exactly those (a document without gold
    mentions still counts its predictions as false positives), and predictions for
    other documents are ignored, because nothing says what their gold would be; gold
    mentions of other documents are an error.
    """
    gold_docs, pred_docs = _by_doc(gold), _by_doc(pred)
    if doc_ids is None:
        ids = sorted(set(gold_docs) | set(pred_docs))
        ignored = 0
    else:
        wanted = set(doc_ids)
        stray = sorted(set(gold_docs) - wanted)
        if stray:  # dropping gold would inflate recall without a word
            raise ValueError(f"gold mentions of documents not being scored: {stray[:5]}")
        ids = sorted(wanted)
        ignored = sum(len(v) for k, v in pred_docs.items() if k not in wanted)
    alignments = {
        doc: align_document(doc, gold_docs.get(doc, []), pred_docs.get(doc, [])) for doc in ids
    }
    return alignments, ignored


# --- counting ----------------------------------------------------------------------------


def _tp(pairs: Iterable[tuple[Mention, Mention]], test: Callable[[Mention, Mention], bool]) -> int:
    return sum(1 for g, p in pairs if test(g, p))


def figure_counts(a: Alignment) -> dict[str, Counts]:
    """The four P/R/F1 counts of one alignment (see :data:`FIGURES`)."""
    n_pred, n_gold = len(a.pred), len(a.gold)
    return {
        "tuple": Counts(_tp(a.pairs, tuple_equal), n_pred, n_gold),
        "strict": Counts(len(a.pairs), n_pred, n_gold),
        "strict_typed": Counts(_tp(a.pairs, lambda g, p: g.type == p.type), n_pred, n_gold),
        "lenient": Counts(len(a.lenient_pairs), n_pred, n_gold),
    }


def attribute_counts(a: Alignment) -> dict[str, Accuracy]:
    n = len(a.pairs)
    return {
        name: Accuracy(_tp(a.pairs, lambda g, p, f=name: getattr(g, f) == getattr(p, f)), n)
        for name in ATTRIBUTE_FIELDS
    }


def _sum(items: Iterable[Mapping[str, Any]], keys: Iterable[str], zero: Any) -> dict[str, Any]:
    totals = {key: zero for key in keys}
    for item in items:
        for key in totals:
            totals[key] = totals[key] + item[key]
    return totals


def _label_counts(
    alignments: Iterable[Alignment], name: str
) -> dict[str, dict[str, Counts]]:
    """Per label of field ``name``: tuple P/R/F1, and label P/R/F1 on strict pairs.

    Tuple: predictions carrying the label, gold carrying it, and tuple-correct ones
    (which carry it on both sides). Label: among strict pairs only, how well the
    label itself is assigned once the span is found.
    """
    tally: dict[str, Counter] = defaultdict(Counter)
    for a in alignments:
        for m in a.pred:
            tally[getattr(m, name)]["pred"] += 1
        for m in a.gold:
            tally[getattr(m, name)]["gold"] += 1
        for g, p in a.pairs:
            tally[getattr(g, name)]["tuple_tp"] += tuple_equal(g, p)
            tally[getattr(g, name)]["pair_gold"] += 1
            tally[getattr(p, name)]["pair_pred"] += 1
            tally[getattr(g, name)]["label_tp"] += getattr(g, name) == getattr(p, name)
    return {
        label: {
            "tuple": Counts(c["tuple_tp"], c["pred"], c["gold"]),
            "label": Counts(c["label_tp"], c["pair_pred"], c["pair_gold"]),
        }
        for label, c in sorted(tally.items())
    }


def _type_counts(alignments: Iterable[Alignment]) -> dict[str, dict[str, Counts]]:
    """Per type: strict (span + type), lenient (same type by definition) and tuple."""
    tally: dict[str, Counter] = defaultdict(Counter)
    for a in alignments:
        for m in a.pred:
            tally[m.type]["pred"] += 1
        for m in a.gold:
            tally[m.type]["gold"] += 1
        for g, p in a.pairs:
            tally[g.type]["strict"] += g.type == p.type
            tally[g.type]["tuple"] += tuple_equal(g, p)
        for g, _ in a.lenient_pairs:
            tally[g.type]["lenient"] += 1
    return {
        t: {fig: Counts(c[fig], c["pred"], c["gold"]) for fig in ("tuple", "strict", "lenient")}
        for t, c in sorted(tally.items())
    }


def confusion(alignments: Iterable[Alignment], name: str) -> Confusion:
    """Gold × predicted label counts over strict pairs; labels ordered by frequency."""
    cells: Counter = Counter()
    freq: Counter = Counter()
    for a in alignments:
        for g, p in a.pairs:
            cells[getattr(g, name), getattr(p, name)] += 1
            freq[getattr(g, name)] += 1
            freq[getattr(p, name)] += 1
    labels = tuple(sorted(freq, key=lambda label: (-freq[label], label)))
    matrix = tuple(tuple(cells[g, p] for p in labels) for g in labels)
    return Confusion(labels, matrix)


# --- breakdowns by document metadata and by table cell --------------------------------


def meta_breakdown(
    per_document: Mapping[str, Mapping[str, Counts]],
    doc_meta: Mapping[str, Mapping[str, Any]],
    keys: Sequence[str] = META_KEYS,
) -> dict[str, dict[str, dict[str, Counts]]]:
    """Sum per-document counts by a metadata value (``source``, ``genre`` …)."""
    out: dict[str, dict[str, dict[str, Counts]]] = {}
    for key in keys:
        groups: dict[str, list[Mapping[str, Counts]]] = defaultdict(list)
        for doc, counts in per_document.items():
            value = doc_meta.get(doc, {}).get(key)
            groups["unknown" if value is None else str(value)].append(counts)
        if set(groups) != {"unknown"}:
            out[key] = {v: _sum(c, FIGURES, Counts()) for v, c in sorted(groups.items())}
    return out


def _in_table(mention: Mention) -> bool:
    return bool(mention.extra.get("in_table", False))


def _pred_in_table(a: Alignment) -> list[bool]:
    """Whether each prediction counts as a table cell.

    A strictly matched prediction takes its gold's flag; otherwise its own
    ``in_table`` key if it has one; otherwise the flag of the first gold mention it
    overlaps; otherwise prose.
    """
    flags = []
    for p, g in zip(a.pred, a.pred_partner, strict=True):
        if g is not None:
            flags.append(_in_table(a.gold[g]))
        elif "in_table" in p.extra:
            flags.append(_in_table(p))
        else:
            overlapping = [o for o in a.gold if _overlap(o, p) > 0]
            flags.append(_in_table(overlapping[0]) if overlapping else False)
    return flags


def table_breakdown(alignments: Iterable[Alignment]) -> dict[str, dict[str, Counts]]:
    """Strict and tuple P/R/F1 for table cells vs prose, by the gold ``in_table`` key."""
    tally: dict[str, Counter] = defaultdict(Counter)
    for a in alignments:
        for g in a.gold:
            tally["table" if _in_table(g) else "prose"]["gold"] += 1
        for flag in _pred_in_table(a):
            tally["table" if flag else "prose"]["pred"] += 1
        for g, p in a.pairs:
            group = tally["table" if _in_table(g) else "prose"]
            group["strict"] += 1
            group["tuple"] += tuple_equal(g, p)
    return {
        k: {fig: Counts(c[fig], c["pred"], c["gold"]) for fig in ("tuple", "strict")}
        for k, c in sorted(tally.items())
    }


# --- error list ----------------------------------------------------------------------------


def sentence_around(text: str, start: int, end: int, limit: int = 120) -> tuple[str, int, int]:
    """The sentence holding ``text[start:end]`` and the span's offsets inside it.

    Sentences end at 。！？；, a newline, or their ASCII forms; at most ``limit``
    characters are kept on each side, because table rows often have no delimiter.
    """
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    left = max(text.rfind(d, 0, start) for d in SENTENCE_DELIMITERS) + 1
    ends = [i for i in (text.find(d, end) for d in SENTENCE_DELIMITERS) if i >= 0]
    right = min(ends) if ends else len(text)
    if right < len(text) and text[right] != "\n":
        right += 1
    left, right = max(left, start - limit), min(right, end + limit)
    while left < start and text[left].isspace():
        left += 1
    return text[left:right].rstrip(), start - left, end - left


def _error(
    kind: str, gold: Mention | None, pred: Mention | None, texts: Mapping[str, str],
    fields: tuple[str, ...] = (), note: str = "",
) -> ErrorItem:
    anchor = gold if gold is not None else pred
    assert anchor is not None
    text = texts.get(anchor.doc_id)
    if text is None:
        context, span = anchor.text, (0, len(anchor.text))
    else:
        context, s, e = sentence_around(text, anchor.start, anchor.end)
        span = (s, e)
    return ErrorItem(
        kind=kind, doc_id=anchor.doc_id, start=anchor.start, end=anchor.end, text=anchor.text,
        gold=gold, pred=pred, fields=fields, note=note, context=context, context_span=span,
    )


def _boundary_note(mention: Mention, others: Sequence[Mention], side: str) -> str:
    overlapping = [o for o in others if _overlap(mention, o) > 0]
    if not overlapping:
        return ""
    o = overlapping[0]
    return f"overlaps {side} {o.start}:{o.end} {o.text!r} ({o.type})"


def error_list(alignments: Iterable[Alignment], texts: Mapping[str, str]) -> list[ErrorItem]:
    """Missed gold, spurious predictions and strict pairs with any differing attribute.

    A boundary error shows up as one missed and one spurious item, each noting the
    span it overlaps. Mislabelled items list every differing attribute, qualifier
    included, even when the tuple itself is correct.
    """
    errors: list[ErrorItem] = []
    for a in alignments:
        items = [_error("missed", g, None, texts, note=_boundary_note(g, a.spurious, "pred"))
                 for g in a.missed]
        items += [_error("spurious", None, p, texts, note=_boundary_note(p, a.missed, "gold"))
                  for p in a.spurious]
        for g, p in a.pairs:
            diff = differing_fields(g, p)
            if diff:
                note = "" if not tuple_equal(g, p) else "tuple correct"
                items.append(_error("mislabelled", g, p, texts, diff, note))
        errors += sorted(items, key=lambda e: (e.start, ERROR_KINDS.index(e.kind), e.end))
    return errors


# --- entry point -------------------------------------------------------------------------


def score(
    gold: Iterable[Mention],
    pred: Iterable[Mention],
    *,
    doc_ids: Iterable[str] | None = None,
    texts: Mapping[str, str] | None = None,
    doc_meta: Mapping[str, Mapping[str, Any]] | None = None,
) -> Scores:
    """Score predictions against gold; every figure of GUIDELINES §4.

    ``doc_ids`` fixes the scored documents (see :func:`align`); ``texts`` (doc id →
    text) gives the error list its sentences; ``doc_meta`` (doc id → metadata such
    as ``source``/``genre``) adds the per-metadata breakdowns.
    """
    alignments, ignored = align(gold, pred, doc_ids)
    docs = list(alignments.values())
    per_document = {a.doc_id: figure_counts(a) for a in docs}
    per_doc_attr = {a.doc_id: attribute_counts(a) for a in docs}
    gold_has_table = any("in_table" in g.extra for a in docs for g in a.gold)
    return Scores(
        corpus=_sum(per_document.values(), FIGURES, Counts()),
        by_type=_type_counts(docs),
        attributes=_sum(per_doc_attr.values(), ATTRIBUTE_FIELDS, Accuracy()),
        breakdowns={name: _label_counts(docs, name) for name in BREAKDOWN_FIELDS},
        confusion={name: confusion(docs, name) for name in BREAKDOWN_FIELDS},
        per_document=per_document,
        per_document_attributes=per_doc_attr,
        by_meta=meta_breakdown(per_document, doc_meta) if doc_meta else {},
        by_table=table_breakdown(docs) if gold_has_table else {},
        errors=error_list(docs, texts or {}),
        ignored_predictions=ignored,
    )
