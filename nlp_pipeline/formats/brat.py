"""brat standoff: a directory of ``<doc_id>.txt`` + ``<doc_id>.ann`` and annotation.conf.

Each mention is a text-bound annotation ``T<n>`` whose entity type is the mention
type; fund, metric, measure, basis and qualifier are attributes ``A<n>`` (qualifier
ids travel as ``ge``/``le``/``gt``/``lt``/``approx``: see :mod:`.labels`); value and
unit ride in the annotator note, ``value=…; unit=…; text=…``. A mention that spans a
line break is written as brat writes such spans, one fragment per line
(``T1<TAB>MONEY 10 18;19 20<TAB>…``).

Reading back (:func:`read_brat`): offsets count the ``.txt`` as brat does, raw — a
``\\r\\n`` is two characters and a BOM is one — and are mapped onto the text as our
records see it (:mod:`.offsets`). The note's value is kept only when its ``text=``
still equals the span, i.e. the span was not edited since.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from ..document import Document
from ..errors import Errors, PipelineError
from ..loading import decode_bytes
from ..records import Mention, format_decimal
from .base import OUTPUT_MARK, DirectoryWriter
from .correction import ImportResult, Region, build_gold
from .errors import FormatErrors
from .labels import EDITABLE_FIELDS, QUALIFIER_IDS, QUALIFIER_NAMES, color, values
from .offsets import Alignment, align, has_astral, utf16_to_codepoints

#: brat attribute names of the label fields.
ATTRIBUTES = {name: name.capitalize() for name in EDITABLE_FIELDS}


def annotation_conf() -> str:
    """The brat project configuration: entity types and one attribute per label field."""
    lines = [f"{OUTPUT_MARK}: mention labels of GUIDELINES §2", "[entities]", *values("type"),
             "", "[relations]", "", "[events]", "", "[attributes]"]
    for name, attribute in ATTRIBUTES.items():
        ids = values(name)
        if name == "qualifier":
            ids = tuple(QUALIFIER_NAMES[q] for q in ids)
        lines.append(f"{attribute}\tArg:<ENTITY>, Value:{'|'.join(ids)}")
    return "\n".join(lines) + "\n"


def visual_conf() -> str:
    """Colours of the entity types, the same as the HTML review page."""
    drawing = [f"{kind}\tbgColor:{color(kind)}" for kind in values("type")]
    return "\n".join(["[labels]", "", "[drawing]", *drawing]) + "\n"


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of a span between line breaks (brat cannot draw across one)."""
    pieces, pos = [], start
    for line in text[start:end].split("\n"):
        if line:
            pieces.append((pos, pos + len(line)))
        pos += len(line) + 1
    return pieces


def _one_line(text: str) -> str:
    """A note is one ``.ann`` line: whitespace runs (line breaks included) become a space."""
    return " ".join(text.split())


def _note(mention: Mention) -> str:
    return (f"value={format_decimal(mention.value)}; unit={_one_line(mention.unit)}; "
            f"text={_one_line(mention.text)}")


def ann_lines(doc: Document, mentions: list[Mention]) -> Iterator[str]:
    """The ``.ann`` lines of one document."""
    attr = 0
    for n, mention in enumerate(sorted(mentions, key=lambda m: m.span), start=1):
        frags = _fragments(doc.text, mention.start, mention.end)
        where = ";".join(f"{a} {b}" for a, b in frags)
        shown = " ".join(doc.text[a:b] for a, b in frags)
        yield f"T{n}\t{mention.type} {where}\t{shown}"
        for name, attribute in ATTRIBUTES.items():
            value = getattr(mention, name)
            if value:
                attr += 1
                value = QUALIFIER_NAMES.get(value, value) if name == "qualifier" else value
                yield f"A{attr}\t{attribute} T{n} {value}"
        yield f"#{n}\tAnnotatorNotes T{n}\t{_note(mention)}"


class BratWriter(DirectoryWriter):
    """Writes ``<doc_id>.txt`` (the original text) and ``<doc_id>.ann`` per document."""

    name: ClassVar[str] = "brat"

    def __init__(self, path: str | Path) -> None:
        super().__init__(path)
        self._seen: set[str] = set()

    def add(self, doc: Document, mentions: list[Mention]) -> None:
        if doc.doc_id in self._seen:
            raise PipelineError(FormatErrors.E055, doc.path, doc_id=doc.doc_id, fmt="brat")
        self._seen.add(doc.doc_id)
        self.write_file(f"{doc.doc_id}.txt", doc.text)
        self.write_file(f"{doc.doc_id}.ann", "".join(f"{ln}\n" for ln in ann_lines(doc, mentions)))

    def _finish(self) -> None:
        self.write_file("annotation.conf", annotation_conf())
        self.write_file("visual.conf", visual_conf())


# --- reading ---------------------------------------------------------------------------


@dataclass
class _TextBound:
    line: int
    type: str
    fragments: list[tuple[int, int]]
    text: str
    attributes: dict[str, str] = field(default_factory=dict)
    note: dict[str, str] = field(default_factory=dict)


def _parse_note(note: str) -> dict[str, str]:
    pairs = (part.partition("=") for part in note.split("; "))
    return {key.strip(): value for key, sep, value in pairs if sep}


def parse_ann(text: str, source: Path) -> tuple[list[_TextBound], list[PipelineError]]:
    """Text-bound annotations with their attributes and notes; other kinds are ignored."""
    bounds: dict[str, _TextBound] = {}
    links: list[tuple[str, str]] = []  # (kind, raw line)
    problems: list[PipelineError] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if line.startswith("T"):
            try:
                ident, head, shown = line.split("\t", 2)
                kind, _, where = head.partition(" ")
                frags = [tuple(int(x) for x in f.split()) for f in where.split(";")]
                if any(len(f) != 2 for f in frags):
                    raise ValueError(where)
            except ValueError:
                problems.append(PipelineError(FormatErrors.E052, source, line=number,
                                              detail=f"not a brat text-bound line: {line!r}"))
                continue
            bounds[ident] = _TextBound(number, kind, [(a, b) for a, b in frags], shown)
        elif line.startswith(("A", "M", "#")):
            links.append((line[0], line))
    for kind, line in links:
        parts = line.split("\t")
        args = parts[1].split() if len(parts) > 1 else []
        if len(args) < 2 or args[1] not in bounds:
            continue
        target = bounds[args[1]]
        if kind == "#" and args[0] == "AnnotatorNotes" and len(parts) > 2:
            target.note = _parse_note(parts[2])
        elif kind in "AM" and len(args) >= 3:
            target.attributes[args[0].lower()] = args[2]
    return list(bounds.values()), problems


def _read_raw(path: Path) -> str:
    """The ``.txt`` as brat counts it: decoded, nothing else (BOM and ``\\r`` kept)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PipelineError(Errors.E004, path, detail=exc.strerror or str(exc)) from exc
    _, encoding = decode_bytes(data, path)
    return data.decode("utf-8" if encoding == "utf-8-sig" else encoding)


def _candidates(bound: _TextBound, raw: str) -> Iterator[list[tuple[int, int]]]:
    """The fragments as code-point offsets, then (if they can differ) as UTF-16 ones."""
    yield bound.fragments
    if has_astral(raw):
        yield [(utf16_to_codepoints(raw, a), utf16_to_codepoints(raw, b))
               for a, b in bound.fragments]


def _shown(raw: str, frags: list[tuple[int, int]]) -> str | None:
    """The text brat stores for the fragments (joined by a space), None if out of range."""
    if not all(0 <= a < b <= len(raw) for a, b in frags):
        return None
    return " ".join(raw[a:b] for a, b in frags)


def _locate(bound: _TextBound, al: Alignment, source: Path) -> tuple[int, int]:
    """Our span of a text-bound annotation, checked against the text brat stored for it."""
    frags = next((f for f in _candidates(bound, al.raw) if _shown(al.raw, f) == bound.text),
                 bound.fragments)
    shown = _shown(al.raw, frags)
    start, end = min(a for a, _ in frags), max(b for _, b in frags)
    if shown is None:
        raise PipelineError(Errors.E014, source, line=bound.line, start=start, end=end,
                            length=len(al.raw))
    if shown != bound.text:
        raise PipelineError(Errors.E015, source, line=bound.line, text=bound.text, slice=shown)
    gaps = [al.raw[b:a] for (_, b), (a, _) in zip(frags, frags[1:], strict=False)]
    if any(gap.strip() for gap in gaps):
        raise PipelineError(FormatErrors.E052, source, line=bound.line,
                            detail="a discontinuous span is not one mention (§1.1)")
    return al.span(start, end)


def _region(bound: _TextBound, al: Alignment, source: Path) -> Region:
    start, end = _locate(bound, al, source)
    labels = {name: bound.attributes.get(attribute.lower(), "")
              for name, attribute in ATTRIBUTES.items()}
    labels["qualifier"] = QUALIFIER_IDS.get(labels["qualifier"], labels["qualifier"])
    region = Region(start, end, bound.type, labels, bound.line)
    # A note written for another span (its text= differs) is stale; a note without
    # text= was typed by the annotator for this very annotation and is trusted.
    current = _one_line(al.text[start:end])
    if bound.note.get("text", current) == current:
        region.value, region.unit = bound.note.get("value"), bound.note.get("unit")
    return region


def read_brat_document(ann_path: Path) -> ImportResult:
    """Gold records of one ``.ann`` file and the ``.txt`` beside it."""
    txt_path = ann_path.with_suffix(".txt")
    result = ImportResult()
    try:
        al = align(_read_raw(txt_path))
        bounds, result.problems = parse_ann(ann_path.read_text(encoding="utf-8-sig"), ann_path)
    except PipelineError as exc:
        result.problems.append(exc)
        return result
    regions = []
    for bound in bounds:
        try:
            regions.append(_region(bound, al, ann_path))
        except PipelineError as exc:
            result.problems.append(exc)
    result.extend(build_gold(ann_path.stem, al.text, regions, ann_path))
    return result


def ann_files(paths: Iterable[str | Path]) -> list[Path]:
    """``.ann`` files named directly or found below directories, sorted."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        found += sorted(path.rglob("*.ann")) if path.is_dir() else [path]
    return found


def read_brat(paths: Iterable[str | Path]) -> ImportResult:
    """Gold records of every ``.ann`` under ``paths`` (doc_id = file name without .ann)."""
    result = ImportResult()
    for ann_path in ann_files(paths):
        result.extend(read_brat_document(ann_path))
    return result
