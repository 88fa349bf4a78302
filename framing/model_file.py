"""The saved-classifier file: one JSON file that a later run applies (``framing model train``, ``analyze --model``).

EDGE: the only module that reads model files or makes their bytes (it writes
them through ``framing.outputs.write_file``). Not to be confused with
``framing.lexicon.model``, the lexicon's data model. A model file holds
numbers and words only (no pickle, nothing that runs on loading):

* ``format`` (``"framing-model"``), ``format_version`` and the ``framing``
  version that wrote it: a file from another version is refused, since
  masking, tokens or features may have changed;
* the classes, the coefficients and intercepts of the one-vs-rest logistic
  model (``framing.stats.classify.LinearModel``), the TF-IDF words and their
  idf weights, the rate and typography columns (``typography_names``) with
  their standardisation (``rate_mean``, ``rate_scale``: rates, then typography);
* ``temperature`` (the calibration of the probabilities) and the abstention
  rule's limits: ``far`` (the distance beyond which an article is unlike the
  training articles; null when there were too few to place it),
  ``min_tokens``, ``min_probability``, ``unreliable`` (the types it never
  calls for a new outlet, with the precision that ruled them out) and
  ``outlets`` (each type's training outlets, as compared: an article of
  another outlet is "new");
* ``label``: the column its classes are values of, written only for a model
  of a label column (``framing model train --label``); a file without it is
  the source-type classifier's (so that a classifier's file is the bytes it
  always was, and files written before labels load as they did);
* what it was trained on (articles, folds, the cross-validated macro-F1);
* ``sha256``: of everything else, so an edited or truncated file is refused.

Written to a temporary file and renamed into place, like the reports.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np

from .errors import InputError
from .stats.classify import LinearModel, Trained
from .version import __version__

__all__ = ["FORMAT", "FORMAT_VERSION", "load_model", "save_model"]

FORMAT = "framing-model"
FORMAT_VERSION = 3


def _digest(body: dict[str, object]) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def save_model(trained: Trained, path: str | os.PathLike[str], *, trained_on: dict[str, object]) -> Path:
    """Write ``trained`` to ``path`` (JSON); return the path."""
    from .outputs import write_file  # the writer of every output; imported only when a model is saved

    body: dict[str, object] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "framing": __version__,
        "classes": list(trained.classes),
        "coef": trained.model.coef.tolist(),
        "intercept": trained.model.intercept.tolist(),
        "words": list(trained.words),
        "idf": trained.idf.tolist(),
        "rate_names": list(trained.rate_names),
        "typography_names": list(trained.typography_names),
        "rate_mean": trained.mean.tolist(),
        "rate_scale": trained.scale.tolist(),
        "temperature": trained.model.temperature,
        "far": trained.far if np.isfinite(trained.far) else None,  # JSON has no infinity: none is "far"
        "min_tokens": trained.min_tokens,
        "min_probability": trained.min_probability,
        "unreliable": dict(trained.unreliable),
        "outlets": {c: list(names) for c, names in trained.outlets.items()},
        "trained_on": trained_on,
    }
    if trained.label != "source_type":
        body["label"] = trained.label
    record = {**body, "sha256": _digest(body)}
    text = json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n"
    target = Path(path)
    write_file(target, text.encode("utf-8"), what=f"the model to {target}")
    return target


def load_model(path: str | os.PathLike[str]) -> tuple[Trained, dict[str, object]]:
    """Read a model file; return the model and what it was trained on. A bad file is one ``InputError``."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the model {name}: {getattr(exc, 'strerror', None) or exc}") from exc
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name} is not a framing model (not JSON: {exc.msg} at line {exc.lineno})") from exc
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise InputError(f"{name} is not a framing model (no \"format\": \"{FORMAT}\")")
    if record.get("format_version") != FORMAT_VERSION or record.get("framing") != __version__:
        raise InputError(
            f"{name} was written by framing {record.get('framing')} (model format {record.get('format_version')}); "
            f"this is framing {__version__}: train the model again with this version"
        )
    body = {k: v for k, v in record.items() if k != "sha256"}
    try:
        ok = record.get("sha256") == _digest(body)
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise InputError(f"{name} has been changed since it was written (its sha256 does not match): train it again")
    try:
        classes = [str(c) for c in record["classes"]]
        coef = np.asarray(record["coef"], dtype=np.float64)
        intercept = np.asarray(record["intercept"], dtype=np.float64)
        words = [str(w) for w in record["words"]]
        rate_names = [str(r) for r in record["rate_names"]]
        typography_names = [str(t) for t in record["typography_names"]]
        temperature = float(record["temperature"])
        trained = Trained(
            classes=classes, model=LinearModel(classes, coef, intercept, temperature),
            mean=np.asarray(record["rate_mean"], dtype=np.float64), scale=np.asarray(record["rate_scale"], dtype=np.float64),
            oof=np.zeros((0, len(classes))), words=words, idf=np.asarray(record["idf"], dtype=np.float64),
            rate_names=rate_names, typography_names=typography_names,
            far=float("inf") if record["far"] is None else float(record["far"]), min_tokens=int(record["min_tokens"]), min_probability=float(record["min_probability"]),
            unreliable={str(k): float(v) for k, v in dict(record["unreliable"]).items()},
            outlets={str(k): [str(o) for o in v] for k, v in dict(record["outlets"]).items()},
        )
        trained.label = str(record.get("label", "source_type"))
        n_dense = len(rate_names) + len(typography_names)
        shapes_ok = (coef.shape[1] == len(words) + n_dense and len(trained.idf) == len(words)
                     and len(trained.mean) == n_dense == len(trained.scale) and temperature > 0)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise InputError(f"{name} is not a complete framing model ({exc})") from exc
    if not shapes_ok:
        raise InputError(f"{name} is not a complete framing model (its columns do not add up)")
    return trained, dict(record.get("trained_on") or {})
