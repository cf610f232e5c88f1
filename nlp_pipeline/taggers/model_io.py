"""Saving and loading trained taggers: skops files with an explicit trusted-types list.

A model is a directory::

    models/NAME/model.skops   the fitted tagger (skops format: no pickle, no code runs)
    models/NAME/meta.json     what it was trained on and with, and how well it did

Pickle executes code when loaded, so models are written with ``skops.io`` and loaded
only if every type the file refers to is either one skops trusts by default (numpy,
scipy, scikit-learn) or on :data:`TRUSTED_TYPES` — this package's own tagger classes.
Anything else is refused with E030 before any object is built.

``meta.json`` records the format version and library versions; a model from another
format version or another scikit-learn release is refused with E031 (fitted
scikit-learn objects are not portable across releases). It also records the SHA-256 of
``model.skops`` (a truncated or edited file gives E030) and a fingerprint of the
fitted parameters: two trainings on the same documents give the same fingerprint,
which is how "reproducible" is checked — skops names its zip entries by object id,
so the file bytes themselves differ from run to run while the model does not.
"""

from __future__ import annotations

import hashlib
import json
import platform
import zipfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import skops.io as sio

from ..errors import Errors, PipelineError
from ..lexicon import lexicon_dir
from ..writing import atomic_write
from .base import Tagger

#: Bumped when the layout of a model directory or of meta.json changes.
FORMAT_VERSION = 1
MODEL_FILE = "model.skops"
META_FILE = "meta.json"
DEFAULT_MODEL = Path("models/default")
#: The only non-library types a model file may contain.
TRUSTED_TYPES = frozenset({
    "nlp_pipeline.taggers.learned.LearnedTagger",
    "nlp_pipeline.taggers.hybrid.HybridTagger",
    "nlp_pipeline.taggers.detector.MentionDetector",
})
#: Libraries whose versions are recorded; the first must match exactly to load.
LIBRARIES = ("scikit-learn", "skops", "numpy", "scipy", "jieba", "nlp-pipeline")
STRICT_LIBRARIES = ("scikit-learn",)


def train_command(path: str | Path, tagger: str = "learned") -> str:
    """The documented command that builds a model at ``path``."""
    extra = "" if tagger == "learned" else f" --tagger {tagger}"
    return f"nlp-pipeline train --gold annotated/ -o {path}{extra}"


def library_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "unknown"
    return out


def lexicon_checksum() -> str:
    """SHA-256 over the lexicon files: the features are computed from them."""
    digest = hashlib.sha256()
    for path in sorted(lexicon_dir().glob("*.toml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _arrays(obj: Any, seen: set[int]) -> Iterable[bytes]:
    """Bytes of every fitted attribute (``name_``) reachable from ``obj``, in a fixed order."""
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, np.ndarray):
        yield str(obj.dtype).encode() + repr(obj.shape).encode()
        yield obj.tobytes() if obj.dtype != object else repr(obj.tolist()).encode()
    elif isinstance(obj, dict):
        for key in sorted(obj, key=repr):
            yield repr(key).encode()
            yield from _arrays(obj[key], seen)
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from _arrays(item, seen)
    elif hasattr(obj, "__dict__") and type(obj).__module__.split(".")[0] in ("nlp_pipeline",
                                                                             "sklearn"):
        for key in sorted(k for k in vars(obj) if k.endswith("_") and not k.startswith("_")):
            yield key.encode()
            yield from _arrays(vars(obj)[key], seen)
    else:
        yield repr(obj).encode()


def fingerprint(tagger: Tagger) -> str:
    """SHA-256 of the fitted parameters: equal for equal trainings, byte for byte."""
    digest = hashlib.sha256()
    for chunk in _arrays(tagger, set()):
        digest.update(chunk)
    return digest.hexdigest()


def save_model(tagger: Tagger, path: str | Path, meta: dict[str, Any]) -> Path:
    """Write ``model.skops`` and ``meta.json`` into the directory ``path``."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    model_path = path / MODEL_FILE
    data = sio.dumps(tagger, compression=zipfile.ZIP_DEFLATED)
    with atomic_write(model_path, mode="wb") as fh:
        fh.write(data)
    full = {
        "format_version": FORMAT_VERSION, "tagger": tagger.name,
        "class": f"{type(tagger).__module__}.{type(tagger).__qualname__}",
        "params": _jsonable(tagger.get_params()), "versions": library_versions(),
        "lexicon_sha256": lexicon_checksum(), "fingerprint": fingerprint(tagger),
        "model_sha256": hashlib.sha256(data).hexdigest(), **meta,
    }
    with atomic_write(path / META_FILE) as fh:
        fh.write(json.dumps(full, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return path


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def read_meta(path: str | Path) -> dict[str, Any]:
    """The metadata of a model directory (E032 if absent, E030 if unreadable)."""
    path = Path(path)
    meta_path = path / META_FILE
    if not path.exists() or (path.is_dir() and not meta_path.exists()
                             and not (path / MODEL_FILE).exists()):
        raise PipelineError(Errors.E032, path, command=train_command(path))
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PipelineError(Errors.E030, meta_path, detail=f"cannot read {META_FILE}: {exc}"
                            ) from exc
    if not isinstance(meta, dict) or "format_version" not in meta:
        raise PipelineError(Errors.E030, meta_path, detail=f"{META_FILE} has no format_version")
    return meta


def check_versions(meta: dict[str, Any], path: Path) -> None:
    """E031 unless the model's format and scikit-learn version are this installation's."""
    if meta["format_version"] != FORMAT_VERSION:
        raise PipelineError(Errors.E031, path, detail=(
            f"model format {meta['format_version']}, this nlp-pipeline reads {FORMAT_VERSION}; "
            f"retrain with: {train_command(path, meta.get('tagger', 'learned'))}"))
    saved = meta.get("versions", {})
    current = library_versions()
    for name in STRICT_LIBRARIES:
        if saved.get(name) != current[name]:
            raise PipelineError(Errors.E031, path, detail=(
                f"saved with {name} {saved.get(name)}, installed {current[name]}; retrain "
                f"with: {train_command(path, meta.get('tagger', 'learned'))}"))


def load_model(path: str | Path) -> tuple[Tagger, dict[str, Any]]:
    """Load a model directory: checks versions, checksum and trusted types, then loads."""
    path = Path(path)
    meta = read_meta(path)
    check_versions(meta, path)
    model_path = path / MODEL_FILE
    if not model_path.is_file():
        raise PipelineError(Errors.E030, model_path, detail="model.skops is missing")
    if _sha256(model_path) != meta.get("model_sha256"):
        raise PipelineError(Errors.E030, model_path,
                            detail="checksum differs from meta.json: the file is damaged")
    try:
        untrusted = set(sio.get_untrusted_types(file=model_path))
        unexpected = untrusted - TRUSTED_TYPES
        if unexpected:
            raise PipelineError(Errors.E030, model_path, detail=(
                f"refers to types outside the trusted list: {', '.join(sorted(unexpected))}"))
        tagger = sio.load(model_path, trusted=sorted(untrusted))
    except PipelineError:
        raise
    except Exception as exc:  # skops raises many kinds on a bad file; all mean "corrupt"
        raise PipelineError(Errors.E030, model_path, detail=f"{type(exc).__name__}: {exc}"
                            ) from exc
    if not isinstance(tagger, Tagger) or not getattr(tagger, "requires_fit", False):
        raise PipelineError(Errors.E030, model_path, detail="does not hold a trained tagger")
    return tagger, meta


def default_model(name: str) -> Path:
    """Where ``extract --tagger NAME`` looks for a model when ``--model`` is not given."""
    return DEFAULT_MODEL if name == "learned" else DEFAULT_MODEL.parent / name


def load_tagger(name: str, path: str | Path | None = None) -> Tagger:
    """A trained tagger of kind ``name`` (``learned``/``hybrid``) from ``path``.

    This is what ``extract --tagger learned [--model DIR]`` calls; the default
    directory is ``models/default`` for ``learned`` and ``models/hybrid`` for ``hybrid``.
    """
    path = Path(path) if path is not None else default_model(name)
    if not path.exists():
        raise PipelineError(Errors.E032, path, command=train_command(path, name))
    tagger, meta = load_model(path)
    if tagger.name != name:
        raise PipelineError(Errors.E033, path, found=tagger.name, expected=name,
                            command=train_command(f"models/{name}", name)
                            + f" (then pass --model models/{name})")
    return tagger


def tagger_for_extract(name: str, model: str | Path | None = None) -> Tagger:
    """The tagger ``extract`` should run: a rule tagger as is, a learned one from its model."""
    from . import TAGGERS, get_tagger

    cls = TAGGERS.get(name)
    if cls is not None and getattr(cls, "requires_fit", False):
        return load_tagger(name, model)
    return get_tagger(name)
