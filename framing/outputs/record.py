"""What ``run.json`` holds, and its bytes.

The one output that carries clock values (the timings) and the machine's
versions: every other file of a report is the same for the same input.
"""

from __future__ import annotations

import json
import platform
import re
from collections.abc import Mapping
from importlib import metadata

from ..result import AnalysisResult

__all__ = ["record_bytes", "run_record"]

_DEPENDENCIES = ("numpy", "scipy", "pandas", "scikit-learn", "nltk", "matplotlib", "PyYAML")


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def run_record(
    result: AnalysisResult,
    *,
    argv: list[str],
    options: Mapping[str, object],
    version: str,
) -> dict:
    """What ``run.json`` holds: versions, options, lexicons, corpus hash, counts, timings."""
    return {
        "framing": version,
        "python": platform.python_version(),
        "dependencies": {d: _version(d) for d in _DEPENDENCIES},
        "argv": argv,
        "options": dict(options),
        "lexicons": [
            {"name": lx.name, "path": lx.path, "sha256": lx.sha256, "entries": lx.n_entries, "version": lx.version,
             "role": lx.role, "categories": len(lx.categories),
             "negation": lx.negation is not None or any(c.negation is not None for c in lx.categories),
             "exclusions": sum(len(c.exclude) for c in lx.categories)}
            for lx in result.lexicons
        ],
        "corpus_sha256": result.corpus_sha256,
        "articles_read": result.n_articles,
        "articles_skipped": result.skipped,
        "warnings": result.warnings,
        "notes": result.notes,
        "evaluation": result.evaluation_summary,
        "timings_seconds": {k: round(v, 4) for k, v in result.timings.items()},
        "token_cache": result.token_cache,
    }


def record_bytes(record: Mapping[str, object]) -> bytes:
    """``record`` as UTF-8 JSON (``run.json``). Lone surrogates (from a file name that is not
    UTF-8, in argv or a lexicon path) cannot be UTF-8: they become ``\\udcff``
    escapes, which can only stand inside a JSON string and read back the same."""
    text = json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n"
    return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text).encode("utf-8")
