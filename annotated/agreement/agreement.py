"""Inter-annotator agreement between the two independent passes of the double-annotated
documents, as reported in ``annotated/README.md``.

``first/`` holds the primary pass and ``second/`` the independent second pass of each
double-annotated document, both exactly as the annotators delivered them (before
adjudication), so these figures describe the annotation process, not the final gold.

Figures, per group (seed reports; corpus excerpts) and per document:

* span P/R/F1 of the second pass against the first (strict: same start and end);
  with the two passes swapped P and R swap and F1 stays, so F1 is the agreement figure;
* on spans both passes marked: percent agreement and Cohen's kappa
  (``sklearn.metrics.cohen_kappa_score``) of ``fund``, ``metric``, ``measure``,
  ``basis``, ``type`` and ``qualifier``, and percent agreement of the value (numeric
  equality; kappa is not meaningful for open-ended numbers);
* tuple agreement (GUIDELINES §4: span, type, value, fund, metric, measure and basis all
  equal), as an F1 over all mentions of both passes and as a share of the common spans.

Run from anywhere: ``python annotated/agreement/agreement.py [--json OUT]``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import warnings
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LABELS = ("fund", "metric", "measure", "basis", "type", "qualifier")
TUPLE = ("type", "value", "fund", "metric", "measure", "basis")


def read(path: Path) -> dict[tuple[int, int], dict[str, Any]]:
    """Records of one file keyed by span; the value parsed as a number."""
    records = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.strip():
            record = json.loads(line)
            record["value"] = Decimal(str(record["value"]))
            record["qualifier"] = record.get("qualifier") or ""
            records[(record["start"], record["end"])] = record
    return records


def kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Cohen's kappa, or None when it is undefined (both passes used a single label)."""
    from sklearn.metrics import cohen_kappa_score

    if len(set(a) | set(b)) < 2:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        value = float(cohen_kappa_score(a, b))
    return None if math.isnan(value) else value


def figures(pairs: Sequence[tuple[dict, dict]]) -> dict[str, Any]:
    """All figures for a set of documents, each a (first, second) pair of span maps."""
    n_first = sum(len(f) for f, _ in pairs)
    n_second = sum(len(s) for _, s in pairs)
    common = [(f[k], s[k]) for f, s in pairs for k in sorted(f.keys() & s.keys())]
    matched = len(common)
    out: dict[str, Any] = {
        "documents": len(pairs), "first": n_first, "second": n_second, "common_spans": matched,
        "span_precision": matched / n_second if n_second else 0.0,
        "span_recall": matched / n_first if n_first else 0.0,
        "span_f1": 2 * matched / (n_first + n_second) if n_first + n_second else 0.0,
        "labels": {},
    }
    for name in LABELS:
        a = [x[name] for x, _ in common]
        b = [y[name] for _, y in common]
        agree = sum(x == y for x, y in zip(a, b, strict=True))
        out["labels"][name] = {"agreement": agree / matched if matched else 0.0,
                               "kappa": kappa(a, b), "disagreements": matched - agree}
    value_agree = sum(x["value"] == y["value"] for x, y in common)
    out["labels"]["value"] = {"agreement": value_agree / matched if matched else 0.0,
                              "kappa": None, "disagreements": matched - value_agree}
    tuples = sum(all(x[n] == y[n] for n in TUPLE) for x, y in common)
    out["tuple_agree"] = tuples
    out["tuple_f1"] = 2 * tuples / (n_first + n_second) if n_first + n_second else 0.0
    out["tuple_share_of_common"] = tuples / matched if matched else 0.0
    return out


def gold_file(name: str) -> Path:
    """The released gold of a document: annotated/<id>.jsonl or annotated/corpus/<id>.jsonl."""
    seed = HERE.parent / f"{name}.jsonl"
    return seed if seed.is_file() else HERE.parent / "corpus" / f"{name}.jsonl"


def compute(first_dir: Path | None = HERE / "first", second_dir: Path = HERE / "second"
            ) -> dict:
    """Figures for ``seeds``, ``corpus`` and each document (by file stem); with
    ``first_dir=None`` the second pass is compared with the released gold."""
    names = sorted(p.stem for p in second_dir.glob("*.jsonl"))
    docs = {n: (read(first_dir / f"{n}.jsonl" if first_dir else gold_file(n)),
                read(second_dir / f"{n}.jsonl")) for n in names}
    groups = {
        "seeds": [docs[n] for n in names if not n.startswith("d")],
        "corpus": [docs[n] for n in names if n.startswith("d")],
    }
    return {
        "groups": {g: figures(pairs) for g, pairs in groups.items() if pairs},
        "documents": {n: figures([docs[n]]) for n in names},
    }


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _k(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def markdown(result: dict) -> str:
    """The README tables."""
    groups = result["groups"]
    cols = list(groups)
    lines = ["| | " + " | ".join(cols) + " |", "|---|" + "---:|" * len(cols)]

    def row(label: str, cells: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row("documents", [str(groups[c]["documents"]) for c in cols])
    row("mentions, first / second pass", [f'{groups[c]["first"]} / {groups[c]["second"]}'
                                          for c in cols])
    row("spans marked by both", [str(groups[c]["common_spans"]) for c in cols])
    row("span F1 (P / R)", [f'{groups[c]["span_f1"]:.4f} ({groups[c]["span_precision"]:.4f}'
                            f' / {groups[c]["span_recall"]:.4f})' for c in cols])
    for name in (*LABELS, "value"):
        row(f"`{name}`: agreement, kappa",
            [f'{_pct(groups[c]["labels"][name]["agreement"])}, '
             f'{_k(groups[c]["labels"][name]["kappa"])}' for c in cols])
    row("tuple agreement F1", [f'{groups[c]["tuple_f1"]:.4f}' for c in cols])
    row("tuple agreement on common spans", [_pct(groups[c]["tuple_share_of_common"])
                                            for c in cols])
    lines += ["", "| document | first | second | common | span F1 | tuple F1 | "
              "label disagreements |", "|---|---:|---:|---:|---:|---:|---|"]
    for name, f in result["documents"].items():
        dis = ", ".join(f"{k} {v['disagreements']}" for k, v in f["labels"].items()
                        if v["disagreements"]) or "none"
        lines.append(f'| {name} | {f["first"]} | {f["second"]} | {f["common_spans"]} | '
                     f'{f["span_f1"]:.4f} | {f["tuple_f1"]:.4f} | {dis} |')
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--blind", action="store_true",
                        help="compare the blind passes (blind/) with the released gold")
    args = parser.parse_args(argv)
    result = compute(None, HERE / "blind") if args.blind else compute()
    print(markdown(result), end="")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
