"""Throughput and peak memory of ``nlp-pipeline extract``, next to bare jieba segmentation.

A corpus of at least ``--mb`` megabytes is made at run time by repeating the seed
reports (never committed), and each measurement runs in a fresh Python process, so
its peak RSS is its own and start-up costs (dictionaries, patterns) are paid as in
real use — but outside the timed region, for jieba and the pipeline alike:

* ``jieba``            — ``jieba.lcut`` on every document text (already in memory);
* ``pipeline:T``       — tagger ``T`` on every text in memory (no file I/O);
* ``extract:T:N``      — ``run_corpus`` from the files to the JSON Lines output, on N
  processes (``N=1``: this process), as ``nlp-pipeline extract`` runs it;
* ``extract:rules:1`` again on a corpus twice as large: peak memory must not grow.

Taggers other than ``rules`` (``learned``, ``hybrid``) are loaded as ``extract`` loads
them, from ``models/default`` (build it first: ``nlp-pipeline train --gold annotated/ -o
models/default``; the hybrid from ``--tagger hybrid``), and skipped with the reason when
there is no model.

    python benchmarks/bench_throughput.py                 # 10 MB, workers 2
    python benchmarks/bench_throughput.py --mb 20 --json results.json
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED_DIRS = (REPO.parent / "shared" / "seeds", REPO / "annotated")
#: Targets of issue 9: end-to-end throughput as a share of bare jieba segmentation.
TARGETS = {"rules": 0.50, "learned": 0.25, "hybrid": 0.25}


def seed_files() -> list[Path]:
    for folder in SEED_DIRS:
        found = sorted(folder.glob("*.txt"))
        if found:
            return found
    sys.exit("no seed reports found in ../shared/seeds or annotated/")


def make_corpus(folder: Path, megabytes: float) -> tuple[int, int]:
    """Copies of the seeds (renamed) until the corpus has ``megabytes``; (files, bytes)."""
    seeds = [(p.stem, p.read_bytes()) for p in seed_files()]
    total = files = 0
    copy = 0
    while total < megabytes * 2**20:
        for stem, data in seeds:
            (folder / f"{copy:04d}_{stem}.txt").write_bytes(data)
            total += len(data)
            files += 1
        copy += 1
    return files, total


def peak_rss_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest child, in MB (Linux: KB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, child


# ---------------------------------------------------------------- one measurement


def measure(kind: str, corpus: Path, out: Path, repeat: int) -> dict:
    """Run one measurement ``repeat`` times in this process; keep the fastest run
    (the machine is shared: the slower runs measure the neighbours, not the code)."""
    from nlp_pipeline.loading import read_text

    files = sorted(corpus.glob("*.txt"))
    if kind == "jieba":
        import jieba

        texts = [read_text(p) for p in files]
        jieba.initialize()
        run = lambda: [jieba.lcut(text) for text in texts]  # noqa: E731
        chars = sum(map(len, texts))
    elif kind.startswith("pipeline:"):
        from nlp_pipeline.pipeline import make_document
        from nlp_pipeline.runner import startup_frozen, warm_up

        tagger = warm_up(_tagger(kind.split(":")[1]))
        docs = [(p.stem, read_text(p)) for p in files]

        def run() -> None:
            # as extract runs: the collector set the same way, and each document's
            # records dropped once made (extract writes them out; keeping 10 MB of
            # records alive would time the garbage collector, not the tagger)
            with startup_frozen():
                for doc_id, text in docs:
                    tagger.predict([make_document(text, doc_id)])
        chars = sum(len(t) for _, t in docs)
    else:
        from nlp_pipeline.runner import run_corpus, warm_up

        _, name, workers = kind.split(":")
        tagger = warm_up(_tagger(name))
        run = lambda: run_corpus([corpus], out, tagger, workers=int(workers))  # noqa: E731
        chars = sum(len(read_text(p)) for p in files)
    seconds = min(_timed(run) for _ in range(repeat))
    own, child = peak_rss_mb()
    return {"kind": kind, "chars": chars, "seconds": seconds, "chars_per_s": chars / seconds,
            "peak_rss_mb": own, "peak_child_rss_mb": child}


def _timed(run) -> float:
    started = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - started
    assert not getattr(result, "failures", None), result.failures
    return seconds


def _tagger(name: str):
    """The tagger ``extract --tagger NAME`` would run (learned ones from models/default)."""
    from nlp_pipeline.taggers.model_io import tagger_for_extract

    return tagger_for_extract(name)


def usable(name: str) -> str | None:
    """None when tagger ``name`` can be built and run here, else the reason it cannot."""
    code = ("from nlp_pipeline.runner import warm_up;"
            "from nlp_pipeline.taggers.model_io import tagger_for_extract;"
            f"warm_up(tagger_for_extract({name!r}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode == 0:
        return None
    lines = done.stderr.strip().splitlines()
    return lines[-1] if lines else f"exit status {done.returncode}"


def run_isolated(kind: str, corpus: Path, out: Path, repeat: int = 3) -> dict:
    """One measurement in a fresh interpreter, so peak memory is its own."""
    command = [sys.executable, __file__, "--measure", kind, "--corpus", str(corpus),
               "--out", str(out), "--repeat", str(repeat)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- the whole benchmark


def machine() -> str:
    import os
    import platform

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="corpus size (default 10)")
    parser.add_argument("--workers", type=int, default=2, help="processes for the scale run")
    parser.add_argument("--taggers", default="rules,learned,hybrid")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; best kept")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.corpus, args.out, args.repeat)))
        return
    with tempfile.TemporaryDirectory(prefix="nlp-bench-") as tmp:
        report = run(Path(tmp), args)
    print(format_report(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")


def run(tmp: Path, args: argparse.Namespace) -> dict:
    corpus, double = tmp / "corpus", tmp / "double"
    corpus.mkdir()
    double.mkdir()
    files, size = make_corpus(corpus, args.mb)
    make_corpus(double, args.mb * 2)
    out = tmp / "out.jsonl"
    rows = [run_isolated("jieba", corpus, out, args.repeat)]
    skipped = {}
    for name in args.taggers.split(","):
        reason = usable(name)
        if reason:
            skipped[name] = reason
            continue
        for kind in (f"pipeline:{name}", f"extract:{name}:1", f"extract:{name}:{args.workers}"):
            rows.append(run_isolated(kind, corpus, out, args.repeat))
    flat = run_isolated("extract:rules:1", double, out, 1)
    flat["kind"] = "extract:rules:1 (corpus x2)"
    rows.append(flat)
    shutil.rmtree(corpus, ignore_errors=True)
    return {"machine": machine(), "corpus_files": files, "corpus_bytes": size,
            "command": " ".join(["python", "benchmarks/bench_throughput.py", *sys.argv[1:]]),
            "rows": rows, "skipped": skipped}


def format_report(report: dict) -> str:
    rows = report["rows"]
    jieba = rows[0]["chars_per_s"]
    lines = [f"machine: {report['machine']}",
             f"corpus: {report['corpus_files']} files, {report['corpus_bytes'] / 2**20:.1f} MB "
             f"(UTF-8), {rows[0]['chars']:,} characters",
             "",
             f"{'measurement':32} {'chars/s':>12} {'x jieba':>8} {'target':>7} {'peak RSS':>9} "
             f"{'largest worker':>15}"]
    for row in rows:
        name = row["kind"].split(":")[1] if ":" in row["kind"] else ""
        target = TARGETS.get(name) if row["kind"].startswith("extract:") else None
        ratio = row["chars_per_s"] / jieba
        mark = "" if target is None else f"{target:.0%}" + (" ok" if ratio >= target else " LOW")
        child = f"{row['peak_child_rss_mb']:.0f} MB" if row["peak_child_rss_mb"] else "-"
        lines.append(f"{row['kind']:32} {row['chars_per_s']:>12,.0f} {ratio:>8.2f} {mark:>7} "
                     f"{row['peak_rss_mb']:>6.0f} MB {child:>15}")
    for name, reason in report["skipped"].items():
        lines.append(f"skipped {name}: {reason}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
