"""A report folder: which files it has, rendered through ``framing.report``, staged, committed.

``write_report`` runs five named steps: the tables (CSV, or Parquet), the
run record, the charts (drawn in a process pool), the page, then the move of
them all into ``--out`` (``framing.outputs.commit``). The renderers return
bytes; only this package touches the disk.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..cells import csv_bytes
from ..defaults import KEEP_TEXTS, STORY_PAGES
from ..errors import OutputError
from ..report.html import render_html
from ..report.legend import CHART_NAMES, TIME_CHARTS
from ..result import AnalysisResult
from ..schema import COMPARISON_COLUMNS, EVALUATION_COLUMNS, LABEL_COLUMNS
from ..types import Progress
from .commit import Staging, staging
from .parquet import PARQUET_TABLES, csv_to_parquet
from .record import record_bytes

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["REPORT_FILES", "write_report"]

REPORT_FILES = (
    "report.csv", "summary.csv", "comparisons.csv", "evaluation.csv", "terms.csv", "matches.csv", "labels.csv",
    "stories.csv", "coverage.csv", "within_story.csv", "run.json", "report.html",
)
# Generated files a run may leave behind that a later run does not write
# (charts, after a run with --no-charts): removed in the same commit, so the
# folder never shows charts of an older report beside a newer table.
_CHART_SUFFIXES = (".png", ".svg")
# The Dask engine's Parquet parts: report/part-00000.parquet, ...
_PART = re.compile(r"part-[0-9]{5}\.parquet")

Render = Callable[..., dict[str, bytes]]


def write_report(
    result: AnalysisResult,
    out_dir: str | Path,
    *,
    record: Mapping[str, object],
    charts: bool = True,
    render: Render | None = None,
    html_articles: int = KEEP_TEXTS,
    progress: Progress | None = None,
    jobs: int = 1,
    html: bool = True,
    parquet: bool = False,
    story_pages: int = STORY_PAGES,
) -> list[Path]:
    """Write every output into ``out_dir``; return the final paths.

    ``record`` is what ``run.json`` holds (``run_record``). ``render`` draws
    the charts and returns file name -> bytes (defaults to
    ``framing.report.charts.render_charts``; imported lazily so that runs
    with ``--no-charts`` never import matplotlib; it must accept ``names=``
    to draw some charts only). ``html_articles`` is how many articles
    ``report.html`` shows with their full, highlighted text. ``jobs``
    processes draw the charts (each chart is independent, and the bytes are
    the same for any ``jobs``). ``progress`` is told each stage. ``html``
    false: no report.html (and an old one is removed with the other stale
    outputs).
    ``parquet``: report and matches as ``report.parquet`` and
    ``matches.parquet`` instead of CSV (see ``csv_to_parquet``); from the Dask
    engine, as folders of parts (``report/part-00000.parquet``, ...) that its
    workers made, one per range of article ids.
    ``story_pages``: how many stories the page shows side by side (the largest whose texts are kept).

    All or nothing: ``out_dir`` holds the previous report or this one,
    never a mix (``framing.outputs.commit``). Any failure is one
    ``OutputError``.
    """
    out = Path(out_dir)
    with staging(out) as stage:
        try:
            _stage_tables(stage, result, parquet=parquet, progress=progress)
            stage.write("run.json", [record_bytes(record)])
            pngs: dict[str, bytes] = {}
            if charts:
                pngs = _stage_charts(stage, result, render=render, jobs=jobs, progress=progress)
            if html:
                if progress is not None:
                    progress("html", 0, None)
                stage.write("report.html", [render_html(result, charts=pngs, max_articles=html_articles,
                                                          story_pages=story_pages)])
            return stage.commit(_stale_outputs)
        except OutputError:
            raise
        except OSError as exc:
            raise OutputError(f"cannot write the report into {out}: {exc.strerror or exc}") from exc


def _frames(result: AnalysisResult) -> dict[str, pd.DataFrame]:
    """Each table's DataFrame, by file name (an empty one with its columns where the result has none)."""
    return {
        "report.csv": result.scores,
        "summary.csv": result.summary,
        "comparisons.csv": _or_empty(result.comparisons, COMPARISON_COLUMNS),
        "evaluation.csv": _or_empty(result.evaluation, EVALUATION_COLUMNS),
        "terms.csv": result.terms,
        "matches.csv": result.matches,
        "labels.csv": _or_empty(result.labels, LABEL_COLUMNS),
        # Only with --by-period and --split-date: a run without them writes neither (and removes an old one)
        **({"timeline.csv": result.timeline} if result.timeline is not None else {}),
        **({"before_after.csv": result.before_after} if result.before_after is not None else {}),
        # Only with stories (--stories auto, the default)
        **({"stories.csv": result.stories} if result.stories is not None else {}),
        **({"coverage.csv": result.coverage} if result.coverage is not None else {}),
        **({"within_story.csv": result.within_story} if result.within_story is not None else {}),
    }


def _stage_tables(stage: Staging, result: AnalysisResult, *, parquet: bool, progress: Progress | None) -> None:
    """Every table from its DataFrame, unless the result streams it (a big run's report and ledger)."""
    for name, frame in _frames(result).items():
        if progress is not None and name == "matches.csv":
            progress("matches", 0, None)
        table = name.removesuffix(".csv")
        if parquet and table in result.parquet_parts:
            # Made on the Dask workers, one part per range of ids: report/part-00000.parquet, ...
            for i, data in enumerate(result.parquet_parts[table]()):
                stage.write(f"{table}/part-{i:05d}.parquet", [data])
            continue
        blocks = result.tables[name]() if name in result.tables else [csv_bytes(frame)]
        path = stage.write(name, blocks)
        if parquet and table in PARQUET_TABLES:
            with open(path, "rb") as source, open(path.with_name(f"{table}.parquet"), "wb") as sink:
                csv_to_parquet(source, sink, table)
            path.unlink()


def _stage_charts(
    stage: Staging, result: AnalysisResult, *, render: Render | None, jobs: int, progress: Progress | None
) -> dict[str, bytes]:
    """Draw every chart into ``charts/``; return the PNGs by chart name, for the page."""
    if progress is not None:
        progress("charts", 0, None)
    if render is None:
        from ..report.charts import render_charts as render
    rows = result.chart_rows() if result.chart_rows is not None else result.scores
    args = (rows, result.terms, result.similarity, result.dimensions, result.styles)
    extra: dict[str, object] = {"summary": result.summary, "evaluation": result.evaluation,
                                "type_similarity": result.type_similarity}
    names = CHART_NAMES
    if not result.grouping.by_type or result.timeline is not None:  # (a run without the options draws as it did)
        extra.update(grouping=result.grouping, timeline=result.timeline)
        names = (*CHART_NAMES, *(TIME_CHARTS if result.timeline is not None else ()))
    drawn = _draw_charts(render, args, jobs, extra, names)
    for name, data in drawn.items():
        stage.write(f"charts/{name}", [data])
    return {name[: -len(".png")]: data for name, data in drawn.items() if name.endswith(".png")}


def _draw_charts(
    render: Render, args: tuple, jobs: int, extra: Mapping[str, object], names: Sequence[str] = CHART_NAMES
) -> dict[str, bytes]:
    """Every chart of ``names`` (``render(*args, **extra)``), drawn in up to ``jobs`` processes (each is independent)."""
    if jobs <= 1:
        return render(*args, names=tuple(names), **extra) if tuple(names) != CHART_NAMES else render(*args, **extra)
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(jobs, len(names))) as pool:
        parts = [pool.submit(render, *args, names=(name,), **extra) for name in names]
        drawn: dict[str, bytes] = {}
        for part in parts:
            drawn.update(part.result())
    return drawn


def _stale_outputs(out: Path, new: set[str]) -> list[str]:
    """Chart files (and a report.html) of an earlier run that this run does not write.

    Only the names framing itself writes: a file the user put there is never
    touched.
    """
    names = {f"charts/{name}{suffix}" for name in (*CHART_NAMES, *TIME_CHARTS) for suffix in _CHART_SUFFIXES}
    names |= {"report.html", "timeline.csv", "before_after.csv", "stories.csv", "coverage.csv", "within_story.csv"}
    names |= {f"{table}{suffix}" for table in PARQUET_TABLES for suffix in (".csv", ".parquet")}
    for table in PARQUET_TABLES:  # the Dask engine's parts
        if (out / table).is_dir() and not (out / table).is_symlink():
            names |= {f"{table}/{p.name}" for p in (out / table).iterdir() if _PART.fullmatch(p.name)}
    return sorted(rel for rel in names - new if (out / rel).is_file())


def _or_empty(frame: pd.DataFrame | None, columns: Sequence[str]) -> pd.DataFrame:
    """``frame``, or an empty table with these columns (a result built without that table)."""
    if frame is not None:
        return frame
    import pandas as pd

    return pd.DataFrame(columns=list(columns))
