"""Detection stays linear: time on growing pathological inputs, and its growth exponent.

For each input family the text is built at sizes n, 2n, 4n, 8n and timed through
detection (``make_document``: normalize, structure, tables, quantities) and through
the whole ``extract`` with the rule tagger. The exponent is the slope of log(time)
against log(size): ~1 is linear, ~2 quadratic. Detection above ``--limit`` (1.3) is
reported as SUPERLINEAR and makes the exit status 1; the tagger's exponent is
reported alongside. "report text, one sentence" (the seed sentence with its 。
replaced by ，) puts every figure and term in one sentence, which is what a report
without line breaks becomes when its tables swallow the line. A tagger run that
would take longer than ``--budget`` seconds is cut short and reported as such
instead of hanging the benchmark.

    python benchmarks/bench_linearity.py            # n = 25 000 characters
    python benchmarks/bench_linearity.py --n 50000
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable

from nlp_pipeline.pipeline import make_document
from nlp_pipeline.taggers import RuleTagger

SEED_SENTENCE = (  # seed 000, first paragraph
    "2018年区本级各项基金总收入3347188万元，较上年增加605635万元，增长22%，完成年度预算122%。"
)
RUN_ON = SEED_SENTENCE.replace("。", "，")  # no sentence end: one sentence however long
#: name → text of about ``n`` characters.
FAMILIES: dict[str, Callable[[int], str]] = {
    "report text, one line": lambda n: SEED_SENTENCE * (n // len(SEED_SENTENCE)),
    "report text, lines": lambda n: (SEED_SENTENCE + "\n") * (n // (len(SEED_SENTENCE) + 1)),
    "report text, one sentence": lambda n: RUN_ON * (n // len(RUN_ON)),
    "digits": lambda n: "1" * n,
    "digits + x + newline + unit": lambda n: "1" * n + "x\n元",
    "万万万…": lambda n: "万" * n,
    "nested brackets": lambda n: "（" * (n // 2) + "收入3347188万元" + "）" * (n // 2),
    "thousands separators": lambda n: "1," * (n // 2) + "000万元",
    "tab cells on one line": lambda n: "收入" + "\t1" * (n // 2),
    "one-row tables": lambda n: "单位：万元\n" + "收入\t1\t2\n正文说明文字不是表格。\n" * (n // 20),
    "percentages, no punctuation": lambda n: "增长1%" * (n // 5),
    "space-aligned table": lambda n: "单位：万元\n" + "基金收入    101746    3521\n" * (n // 24),
    "spaces on one line": lambda n: "收入  1" * (n // 5),
    "blank lines": lambda n: "收入1元\n" + "\n" * n + "支出\n",
    "百分之 repeated": lambda n: "百分之" * (n // 3) + "五",
}
SCALES = (1, 2, 4, 8)


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def exponent(sizes: list[int], seconds: list[float]) -> float:
    """Least-squares slope of log(seconds) on log(size)."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(t, 1e-6)) for t in seconds]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def measure(build: Callable[[int], str], n: int, tagger: RuleTagger, budget: float) -> dict:
    sizes, detect, tag = [], [], []
    for scale in SCALES:
        text = build(n * scale)
        sizes.append(len(text))
        detect.append(timed(lambda text=text: make_document(text)))
        if tag is not None:
            doc = make_document(text)
            seconds = timed(lambda doc=doc: tagger.predict([doc]))
            tag.append(seconds)
            if seconds * 2.5 > budget and scale != SCALES[-1]:
                tag = None  # the next size would blow the budget: report what we have
    return {"sizes": sizes, "detect": detect, "tag": tag}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=25_000, help="smallest size in characters")
    parser.add_argument("--limit", type=float, default=1.3, help="largest linear exponent")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per tagger run")
    args = parser.parse_args()
    tagger = RuleTagger()
    make_document(SEED_SENTENCE)  # lexicons and patterns, once
    tagger.predict([make_document(SEED_SENTENCE)])
    failed = False
    print(f"{'input':30} {'chars (8n)':>10} {'detect 8n':>10} {'exp':>5} {'tag 8n':>9} {'exp':>5}")
    for name, build in FAMILIES.items():
        row = measure(build, args.n, tagger, args.budget)
        e_detect = exponent(row["sizes"], row["detect"])
        flag = " SUPERLINEAR" if e_detect > args.limit else ""
        failed |= bool(flag)
        if row["tag"] is None:
            tag = f"{'> budget':>9} {'':>5}"
        else:
            e_tag = exponent(row["sizes"], row["tag"])
            tag = f"{row['tag'][-1]:>8.2f}s {e_tag:>5.2f}"
        print(f"{name:30} {row['sizes'][-1]:>10,} {row['detect'][-1]:>9.3f}s {e_detect:>5.2f} "
              f"{tag}{flag}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
