"""The only module that writes report files.

Every output is first written into a private staging folder inside ``--out``
and moved into place with ``os.replace`` only when all of them exist, so a
run that fails or is killed leaves the previous report as it was.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

try:  # POSIX; elsewhere runs are not serialised
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

from ..errors import OutputError
from ..pipeline import AnalysisResult
from .tables import csv_bytes

__all__ = ["REPORT_FILES", "run_record", "write_report"]

REPORT_FILES = ("report.csv", "summary.csv", "terms.csv", "matches.csv", "run.json")
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
            {"name": lx.name, "path": lx.path, "sha256": lx.sha256, "entries": lx.n_entries, "version": lx.version}
            for lx in result.lexicons
        ],
        "corpus_sha256": result.corpus_sha256,
        "articles_read": len(result.scores),
        "articles_skipped": result.skipped,
        "warnings": result.warnings,
        "timings_seconds": {k: round(v, 4) for k, v in result.timings.items()},
    }


_STAGING = ".framing-staging-"


def _remove_stale_staging(out: Path) -> None:
    """Remove staging folders left by runs that were killed (their process is gone)."""
    for path in out.glob(f"{_STAGING}*"):
        pid = path.name[len(_STAGING) :].split("-", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass  # alive, or not ours to ask about


@contextmanager
def _exclusive(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` itself (no lock file is left behind),
    so that two runs into one folder move their files in one after the other."""
    if fcntl is None:  # pragma: no cover - not POSIX: runs are not serialised
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def write_report(
    result: AnalysisResult,
    out_dir: str | Path,
    *,
    record: Mapping[str, object],
    charts: bool = True,
    render: Callable[..., list[Path]] | None = None,
) -> list[Path]:
    """Write every output into ``out_dir``; return the final paths.

    ``render`` draws the charts into a folder (defaults to
    ``framing.report.charts.render_charts``; imported lazily so that runs
    with ``--no-charts`` never import matplotlib).
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {out}: {exc.strerror or exc}") from exc
    if not out.is_dir():
        raise OutputError(f"output path {out} is not a folder")
    _remove_stale_staging(out)
    try:
        stage = Path(tempfile.mkdtemp(prefix=f"{_STAGING}{os.getpid()}-", dir=out))
    except OSError as exc:
        raise OutputError(f"cannot write into {out}: {exc.strerror or exc}") from exc
    try:
        files = {
            "report.csv": csv_bytes(result.scores),
            "summary.csv": csv_bytes(result.summary),
            "terms.csv": csv_bytes(result.terms),
            "matches.csv": csv_bytes(result.matches),
        }
        for name, data in files.items():
            (stage / name).write_bytes(data)
        (stage / "run.json").write_text(
            json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
        )
        if charts:
            if render is None:
                from .charts import render_charts as render
            similarity = result.similarity if result.similarity is not None else result.type_similarity
            render(result.scores, result.terms, similarity, result.dimensions, result.styles, stage / "charts")
        with _exclusive(out):
            written = []
            for path in sorted(stage.rglob("*")):
                if path.is_file():
                    target = out / path.relative_to(stage)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(path, target)
                    written.append(target)
        return written
    except OSError as exc:
        raise OutputError(f"cannot write the report into {out}: {exc.strerror or exc}") from exc
    finally:
        shutil.rmtree(stage, ignore_errors=True)
