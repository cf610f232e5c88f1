"""The hand-annotated gold: loading it, checking it, and counting it.

Gold lives in ``annotated/`` (see ``annotated/README.md``):

* seed reports — public Xinjiang government reports — are stored in the repository,
  ``annotated/<doc_id>.txt`` beside their records ``annotated/<doc_id>.jsonl``;
* corpus excerpts are third-party text that must not be copied into the project, so
  only their records are kept, stand-off, in ``annotated/corpus/<doc_id>.jsonl``, and
  the texts are read at run time from a corpus directory (``--corpus``, else the
  environment variable ``NLP_PIPELINE_CORPUS``, else ``../shared/corpus`` beside the
  repository). Without those texts the corpus documents are skipped with a warning,
  so a clean clone still loads and checks the seed part;
* ``annotated/manifest.json`` lists every document with the SHA-256 of its text file.
  Offsets index a text exactly as stored, so a silently edited or re-encoded text would
  make every offset after the edit point wrong; the checksum catches that.

Everything the scorer and the taggers learn from is measured against these files, so
:func:`check_gold` reports *every* problem it finds (each a :class:`PipelineError` with
a code from the E010–E018 range, naming file and line), not just the first one:
a gold file is edited by hand, and fixing one error per run is slow.

``python -m nlp_pipeline.gold stats`` prints the label counts quoted in the README;
``nlp-pipeline check-gold`` is the command-line check (:func:`add_parser`, :func:`run`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Errors, PipelineError
from .lexicon import load_lexicon
from .records import LABEL_FIELDS, Mention, iter_jsonl, parse_record

#: The repository checkout this module belongs to (``nlp_pipeline/..``).
REPO_ROOT = Path(__file__).resolve().parent.parent
#: Environment variable naming the directory of the corpus texts.
CORPUS_ENV = "NLP_PIPELINE_CORPUS"
#: Where the corpus texts are when neither ``corpus_dir`` nor the variable is given.
DEFAULT_CORPUS_DIR = REPO_ROOT.parent / "shared" / "corpus"
MANIFEST = "manifest.json"
CORPUS_SUBDIR = "corpus"


class GoldWarning(UserWarning):
    """Part of the gold could not be loaded or checked (corpus texts absent)."""


@dataclass
class GoldDocument:
    """One gold document: its text, its mentions (sorted by offset) and its manifest entry.

    ``meta`` carries at least ``source`` (``"seed"``/``"corpus"``), ``region``, ``year``,
    ``genre``, ``sha256`` and ``file``, and ``url`` for corpus excerpts, so that scores
    can be broken down by where a document comes from.
    """

    doc_id: str
    text: str
    mentions: list[Mention]
    meta: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- paths


def resolve_gold_dir(gold_dir: str | Path = "annotated") -> Path:
    """The gold directory; a relative path that is not below the working directory is
    taken relative to the repository, so tests and scripts work from any directory."""
    path = Path(gold_dir)
    if not path.is_absolute() and not path.exists() and (REPO_ROOT / path).exists():
        return REPO_ROOT / path
    return path


def resolve_corpus_dir(corpus_dir: str | Path | None = None) -> Path:
    """``corpus_dir`` if given, else ``$NLP_PIPELINE_CORPUS``, else ``../shared/corpus``."""
    if corpus_dir is not None:
        return Path(corpus_dir)
    env = os.environ.get(CORPUS_ENV)
    if env:
        return Path(env)
    return DEFAULT_CORPUS_DIR


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes (not of its decoded text: any byte change counts)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_manifest(gold_dir: str | Path) -> list[dict[str, Any]]:
    """The manifest's document entries, in their order; raises E004/E010/E011."""
    path = Path(gold_dir) / MANIFEST
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PipelineError(Errors.E004, path, detail=exc.strerror or str(exc)) from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise PipelineError(Errors.E010, path, line=exc.lineno, detail=exc.msg) from None
    documents = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(documents, list):
        raise PipelineError(Errors.E011, path, line=1, field="documents", detail="must be a list")
    seen: set[str] = set()
    for number, entry in enumerate(documents, start=1):
        for name in ("doc_id", "file", "sha256", "source"):
            if not isinstance(entry, dict) or not isinstance(entry.get(name), str):
                raise PipelineError(Errors.E011, path, line=1, field=f"documents[{number}].{name}",
                                    detail="is missing or not a string")
        if entry["doc_id"] in seen:
            raise PipelineError(Errors.E011, path, line=1, field=f"documents[{number}].doc_id",
                                detail=f"repeats {entry['doc_id']!r}")
        seen.add(entry["doc_id"])
    return documents


def _annotation_path(gold_dir: Path, item: dict[str, Any]) -> Path:
    """A manifest entry's records: ``annotation`` if given, else the default place."""
    default = (f"{CORPUS_SUBDIR}/{item['doc_id']}.jsonl" if item["source"] == "corpus"
               else f"{item['doc_id']}.jsonl")
    return gold_dir / item.get("annotation", default)


def _read_text(path: Path) -> str:
    """A gold text exactly as stored: strict UTF-8, nothing normalized (GUIDELINES §3)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PipelineError(Errors.E004, path, detail=exc.strerror or str(exc)) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PipelineError(Errors.E003, path, detail=str(exc)) from exc


@dataclass
class _Entry:
    """Where one document's annotation and text are, and what the manifest says of it."""

    doc_id: str
    annotation: Path
    text_path: Path | None  # None: a corpus document whose texts are absent
    meta: dict[str, Any]


def _entries(gold_dir: Path, corpus_dir: Path, manifest: list[dict[str, Any]]) -> list[_Entry]:
    corpus_present = corpus_dir.is_dir()
    entries = []
    for item in manifest:
        meta = {k: v for k, v in item.items() if k not in ("doc_id", "annotation")}
        if item["source"] == "corpus":
            text_path = corpus_dir / item["file"] if corpus_present else None
        else:
            text_path = gold_dir / item["file"]
        entries.append(_Entry(item["doc_id"], _annotation_path(gold_dir, item), text_path, meta))
    return entries


def _warn_corpus_absent(corpus_dir: Path, skipped: int) -> None:
    warnings.warn(
        f"{skipped} corpus gold documents skipped: their texts are not in {corpus_dir} "
        f"(set {CORPUS_ENV} or pass the corpus directory to read them)",
        GoldWarning, stacklevel=3,
    )


# --------------------------------------------------------------------------- checking


def _check_unit(obj: dict[str, Any], path: Path, line: int) -> list[PipelineError]:
    """The unit must be one the lexicon knows (after width folding) and fit the type."""
    unit, kind = obj.get("unit"), obj.get("type")
    if not isinstance(unit, str) or not isinstance(kind, str):
        return []
    known = load_lexicon().units.get(unit.replace("％", "%"))
    if known is None:
        return [PipelineError(Errors.E012, path, line=line, field="unit", value=unit)]
    if kind in load_lexicon().types and known.type != kind:
        return [PipelineError(Errors.E011, path, line=line, field="type",
                              detail=f"is {kind!r} but unit {unit!r} counts {known.type}")]
    return []


def _check_labels(obj: dict[str, Any], path: Path, line: int) -> list[PipelineError]:
    """Every label field, not just the first bad one (``parse_record`` stops at one)."""
    lex = load_lexicon()
    problems = []
    for name in LABEL_FIELDS:
        value = obj.get(name, "" if name == "qualifier" else None)
        if name == "qualifier" and value is None:
            value = ""
        if isinstance(value, str) and value not in lex.labels(name):
            problems.append(PipelineError(Errors.E012, path, line=line, field=name, value=value))
    return problems


def _check_file(path: Path, doc_id: str, text: str | None) -> tuple[list[PipelineError], int]:
    """All problems of one annotation file; ``text`` None skips the offset checks."""
    problems: list[PipelineError] = []
    spans: list[tuple[int, int, int]] = []  # (start, end, line)
    try:
        # Split on "\n" only, as iter_jsonl does (str.splitlines also splits on U+2028).
        raw_lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return [PipelineError(Errors.E004, path, detail=detail)], 0
    count = 0
    for number, raw in enumerate(raw_lines, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(PipelineError(Errors.E010, path, line=number, detail=exc.msg))
            continue
        if isinstance(obj, dict):
            problems += _check_labels(obj, path, number)
            problems += _check_unit(obj, path, number)
        try:
            mention = parse_record(obj, path=path, line=number, check_ids=False)
        except PipelineError as exc:
            problems.append(exc)
            continue
        count += 1
        if mention.doc_id != doc_id:
            problems.append(PipelineError(
                Errors.E011, path, line=number, field="doc_id",
                detail=f"is {mention.doc_id!r}, but the file belongs to {doc_id!r}"))
        spans.append((mention.start, mention.end, number))
        if text is None:
            continue
        if mention.end > len(text):
            problems.append(PipelineError(Errors.E014, path, line=number, start=mention.start,
                                          end=mention.end, length=len(text)))
        elif text[mention.start:mention.end] != mention.text:
            problems.append(PipelineError(Errors.E015, path, line=number, text=mention.text,
                                          slice=text[mention.start:mention.end]))
    problems += _overlaps(spans, path)
    return problems, count


def _overlaps(spans: list[tuple[int, int, int]], path: Path) -> list[PipelineError]:
    """Each span that overlaps (or repeats) an earlier one; mentions never nest (§1)."""
    problems = []
    widest: tuple[int, int, int] | None = None  # the earlier span reaching furthest right
    for start, end, line in sorted(spans):
        if widest is not None and start < widest[1]:
            problems.append(PipelineError(Errors.E016, path, line=line, start=start, end=end,
                                          other=widest[2]))
        if widest is None or end > widest[1]:
            widest = (start, end, line)
    return sorted(problems, key=lambda e: e.line or 0)


def check_gold(gold_dir: str | Path = "annotated",
               corpus_dir: str | Path | None = None) -> list[PipelineError]:
    """Every problem in the gold, in file order; an empty list means the gold is sound.

    Checks: the manifest parses; each record is valid JSON (E010) with well-formed
    fields (E011), known label ids and unit (E012), a decimal value (E013), offsets
    inside the text (E014) whose slice equals ``text`` (E015), no overlapping or
    duplicate spans (E016); each text's SHA-256 equals the manifest's (E017); every
    annotated document has its text (E018), and every annotation file is in the
    manifest (an unlisted file is E018 too: no text is known for it). When the corpus
    directory is absent, corpus records are still checked for everything that needs
    no text, and a :class:`GoldWarning` says so.
    """
    gold = resolve_gold_dir(gold_dir)
    corpus = resolve_corpus_dir(corpus_dir)
    try:
        manifest = read_manifest(gold)
    except PipelineError as exc:
        return [exc]
    problems: list[PipelineError] = []
    entries = _entries(gold, corpus, manifest)
    listed = {e.annotation.resolve() for e in entries}
    skipped = 0
    for entry in entries:
        text = None
        if entry.text_path is None:
            skipped += 1
        elif not entry.text_path.is_file():
            problems.append(PipelineError(Errors.E018, entry.text_path, doc_id=entry.doc_id))
        else:
            actual = sha256_file(entry.text_path)
            if actual != entry.meta["sha256"]:
                problems.append(PipelineError(Errors.E017, entry.text_path, actual=actual,
                                              expected=entry.meta["sha256"]))
            try:
                text = _read_text(entry.text_path)
            except PipelineError as exc:
                problems.append(exc)
        if not entry.annotation.is_file():
            problems.append(PipelineError(Errors.E004, entry.annotation,
                                          detail=f"listed in {MANIFEST} but missing"))
            continue
        problems += _check_file(entry.annotation, entry.doc_id, text)[0]
    for path in sorted([*gold.glob("*.jsonl"), *(gold / CORPUS_SUBDIR).glob("*.jsonl")]):
        if path.resolve() not in listed:
            # Not in the manifest: no text (or checksum) is known for it.
            problems.append(PipelineError(Errors.E018, path, doc_id=path.stem))
    if skipped:
        _warn_corpus_absent(corpus, skipped)
    return problems


# --------------------------------------------------------------------------- loading


def load_gold(gold_dir: str | Path = "annotated", corpus_dir: str | Path | None = None, *,
              verify: bool = True) -> list[GoldDocument]:
    """The gold documents in manifest order (seeds, then corpus excerpts).

    With ``verify`` (the default) the first problem :func:`check_gold` would report for
    a loaded document is raised, so nothing is ever scored against gold whose offsets
    do not match its text; run :func:`check_gold` to see all of them. Corpus documents
    whose texts are absent are skipped with a :class:`GoldWarning`.
    """
    gold = resolve_gold_dir(gold_dir)
    corpus = resolve_corpus_dir(corpus_dir)
    documents = []
    skipped = 0
    for entry in _entries(gold, corpus, read_manifest(gold)):
        if entry.text_path is None:
            skipped += 1
            continue
        if not entry.text_path.is_file():
            raise PipelineError(Errors.E018, entry.text_path, doc_id=entry.doc_id)
        if verify:
            actual = sha256_file(entry.text_path)
            if actual != entry.meta["sha256"]:
                raise PipelineError(Errors.E017, entry.text_path, actual=actual,
                                    expected=entry.meta["sha256"])
        text = _read_text(entry.text_path)
        if verify:
            problems, _ = _check_file(entry.annotation, entry.doc_id, text)
            if problems:
                raise problems[0]
        mentions = sorted(iter_jsonl(entry.annotation), key=lambda m: (m.start, m.end))
        documents.append(GoldDocument(entry.doc_id, text, mentions, entry.meta))
    if skipped:
        _warn_corpus_absent(corpus, skipped)
    return documents


# --------------------------------------------------------------------------- counting


def gold_counts(gold_dir: str | Path = "annotated") -> dict[str, dict[str, Counter]]:
    """Label counts per source (``seed``, ``corpus``, ``all``) for ``type``, ``fund``,
    ``metric``, ``measure``, ``basis`` and ``qualifier``, plus ``documents``/``mentions``.

    Read from the records alone, so the counts need no corpus texts.
    """
    gold = resolve_gold_dir(gold_dir)
    out: dict[str, dict[str, Counter]] = {}
    for source in ("seed", "corpus", "all"):
        out[source] = {name: Counter() for name in (*LABEL_FIELDS, "totals")}
    for entry in read_manifest(gold):
        mentions = list(iter_jsonl(_annotation_path(gold, entry)))
        for source in (entry["source"], "all"):
            counts = out[source]
            counts["totals"].update(documents=1, mentions=len(mentions))
            for mention in mentions:
                for name in LABEL_FIELDS:
                    counts[name][getattr(mention, name) or "(none)"] += 1
    return out


def format_counts(counts: dict[str, dict[str, Counter]],
                  fields: Iterable[str] = ("type", "fund", "metric", "measure", "basis",
                                           "qualifier")) -> str:
    """Markdown tables (one per field, most frequent first) of :func:`gold_counts`."""
    lines = []
    totals = {s: counts[s]["totals"] for s in ("seed", "corpus", "all")}
    lines.append("| | seeds | corpus | all |")
    lines.append("|---|---:|---:|---:|")
    for key in ("documents", "mentions"):
        lines.append(f"| {key} | " + " | ".join(str(totals[s][key]) for s in totals) + " |")
    for name in fields:
        lines += ["", f"| {name} | seeds | corpus | all |", "|---|---:|---:|---:|"]
        for label, n in sorted(counts["all"][name].items(), key=lambda kv: (-kv[1], kv[0])):
            cells = [str(counts[s][name].get(label, 0)) for s in ("seed", "corpus")]
            lines.append(f"| `{label}` | {cells[0]} | {cells[1]} | {n} |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- command line


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``check-gold`` on an ``argparse`` subparsers object and return its parser."""
    p = subparsers.add_parser(
        "check-gold", help="check the gold annotations and report every problem",
        description="Check the gold (annotated/): JSON, label ids, values, offsets against "
                    "the texts, overlapping spans and text checksums. Prints one line per "
                    "problem and exits 1 when there is any.",
    )
    p.add_argument("--gold", type=Path, default=Path("annotated"), metavar="DIR",
                   help="gold directory (default: annotated)")
    p.add_argument("--corpus", type=Path, default=None, metavar="DIR",
                   help=f"directory of the corpus texts (default: ${CORPUS_ENV}, "
                        "else ../shared/corpus beside the repository)")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    """``check-gold``: 0 when the gold is sound, 1 with one line per problem otherwise."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", GoldWarning)
        problems = check_gold(args.gold, args.corpus)
    for warning in caught:
        print(f"nlp-pipeline check-gold: warning: {warning.message}", file=sys.stderr)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {args.gold}", file=sys.stderr)
        return 1
    print(f"gold OK: {args.gold}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m nlp_pipeline.gold {stats,check-gold}``: the README's counts, or the check."""
    parser = argparse.ArgumentParser(prog="python -m nlp_pipeline.gold")
    sub = parser.add_subparsers(dest="command", required=True)
    stats = sub.add_parser("stats", help="label counts of the gold as Markdown tables")
    stats.add_argument("--gold", type=Path, default=Path("annotated"), metavar="DIR")
    check = add_parser(sub)
    check.prog = "python -m nlp_pipeline.gold check-gold"
    args = parser.parse_args(argv)
    if args.command == "stats":
        print(format_counts(gold_counts(args.gold)), end="")
        return 0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
