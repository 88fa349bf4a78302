"""The only module that writes report files.

A run never leaves ``--out`` half-written:

1. every output is written into a private staging folder inside ``--out``
   (on the same file system, so moving a file is an atomic rename), while
   the run holds a lock on that folder to show it is alive;
2. under an exclusive lock on ``--out`` (so concurrent runs take turns), the
   staging folder gets a ``COMMIT`` list of the files to move in and the
   stale files to remove, written atomically, and only then are the files
   renamed into place, with Ctrl-C, SIGTERM and SIGHUP held back; each
   file replaced is kept in the staging folder until the end, so a rename
   that fails part-way (a folder where a file must go) is undone, and the
   ``COMMIT`` list becomes a ``ROLLBACK`` list first;
3. a staging folder whose run has died is found by the next run (its lock
   is free): with a ``COMMIT`` list, the run was killed while moving files,
   and the move is finished (rolled forward) so the report is whole again;
   with a ``ROLLBACK`` list, the undoing is finished;
   without one, the run died before touching the report, and the folder is
   deleted.

So a run that fails, is interrupted or killed (even with SIGKILL, between
any two renames) leaves ``--out`` holding either the previous report or the
new one, never a mix, once the next run (or ``recover``) has looked at it.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

try:  # POSIX; elsewhere runs are not serialised
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

from .cells import csv_bytes
from .defaults import KEEP_TEXTS
from .errors import OutputError
from .report.html import render_html
from .report.legend import CHART_NAMES
from .result import AnalysisResult
from .schema import COMPARISON_COLUMNS, EVALUATION_COLUMNS, INT_COLUMNS, LABEL_COLUMNS, TEXT_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["REPORT_FILES", "atomic_file", "check_output_folder", "recover", "run_record", "write_file", "write_report"]

REPORT_FILES = (
    "report.csv", "summary.csv", "comparisons.csv", "evaluation.csv", "terms.csv", "matches.csv", "labels.csv",
    "run.json", "report.html",
)
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
    }


_STAGING = ".framing-staging-"
_COMMIT = "COMMIT"
# Put in place of COMMIT when a move failed part-way: the files already moved
# are to be moved back, never forward.
_ROLLBACK = "ROLLBACK"
# Inside a staging folder: the files of the previous report that the move
# replaced or removed, kept until the move is done so that it can be undone.
_KEPT = ".previous"
# Generated files a run may leave behind that a later run does not write
# (charts, after a run with --no-charts): removed in the same commit, so the
# folder never shows charts of an older report beside a newer table.
_CHART_SUFFIXES = (".png", ".svg")


def _lock(fd: int, *, wait: bool = True) -> bool:
    """Take an exclusive flock on ``fd``; ``False`` if ``wait`` is off and it is taken."""
    if fcntl is None:  # pragma: no cover - not POSIX: no locks, runs are not serialised
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


@contextmanager
def _exclusive(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` itself (no lock file is left behind),
    so that two runs into one folder move their files in one after the other."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        _lock(fd)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _abandoned(stage: Path) -> bool:
    """Whether the run that owns ``stage`` is gone.

    A live run holds a lock on its staging folder from creation to removal;
    the kernel drops the lock when the process dies, however it dies. Where
    there are no locks, the process id in the name is asked instead.
    """
    if fcntl is None:  # pragma: no cover
        pid = stage.name[len(_STAGING) :].split("-", 1)[0]
        if not pid.isdigit():
            return False
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except OSError:
            return False
        return False
    try:
        fd = os.open(stage, os.O_RDONLY)
    except OSError:
        return False  # removed meanwhile, or not ours to open
    try:
        return _lock(fd, wait=False)
    finally:
        os.close(fd)


def recover(out_dir: str | Path) -> list[str]:
    """Finish or discard what killed runs left in ``out_dir``; return what was done.

    Call it only while holding the lock on ``out_dir`` (``write_report`` does),
    or when no run is writing there.
    """
    out = Path(out_dir)
    done = []
    for stage in sorted(out.glob(f"{_STAGING}*")):
        if not stage.is_dir() or stage.is_symlink() or not _abandoned(stage):
            continue
        undo, plan = _read_plan(stage, _ROLLBACK), _read_plan(stage, _COMMIT)
        if undo is not None:
            _undo(stage, out, undo)
            done.append(f"put back the previous report in {out}, which a failed run had begun to replace")
        elif plan is not None:
            try:
                _apply(stage, out, plan)
            except OSError:
                _roll_back(stage, out, plan)
                done.append(f"put back the previous report in {out}: an interrupted run's report could not be moved in")
            else:
                done.append(f"finished moving the report of an interrupted run into {out}")
        # Not reached when undoing failed: the folder still holds the old files.
        shutil.rmtree(stage, ignore_errors=True)
    return done


def _read_plan(stage: Path, name: str) -> list[tuple[str, str]] | None:
    try:
        lines = (stage / name).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    plan = []
    for line in lines:
        op, _, rel = line.partition(" ")
        # Only plain relative names under --out: a tampered list cannot move
        # or delete anything outside it.
        parts = Path(rel).parts
        if op in ("+", "-") and parts and not Path(rel).is_absolute() and ".." not in parts:
            plan.append((op, rel))
    return plan


def _apply(stage: Path, out: Path, plan: list[tuple[str, str]]) -> list[Path]:
    """Carry out a COMMIT list. Idempotent: a file already moved or removed is skipped.

    Each file it replaces or removes is first moved into the staging folder,
    so that ``_undo`` can put the previous report back if a later step fails.
    """
    written = []
    for op, rel in plan:
        target, source, kept = out / rel, stage / rel, stage / _KEPT / rel
        if op == "+" and not source.exists():
            written.append(target)  # moved in already
            continue
        # A folder where a file must go is left alone: the move below fails on
        # it and is undone, rather than the folder being moved away and lost.
        if os.path.lexists(target) and not os.path.lexists(kept) and not _real_dir(target):
            kept.parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, kept)
        if op == "+":
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
            written.append(target)
    return written


def _real_dir(path: Path) -> bool:
    return os.path.isdir(path) and not os.path.islink(path)


def _undo(stage: Path, out: Path, plan: list[tuple[str, str]]) -> None:
    """Reverse a partly carried out COMMIT list. Idempotent, like ``_apply``."""
    for op, rel in reversed(plan):
        target, source, kept = out / rel, stage / rel, stage / _KEPT / rel
        if op == "+" and not os.path.lexists(source) and os.path.lexists(target) and not _real_dir(target):
            os.replace(target, source)
        if os.path.lexists(kept):
            os.replace(kept, target)


def _roll_back(stage: Path, out: Path, plan: list[tuple[str, str]]) -> None:
    """Undo a move that failed part-way. COMMIT is renamed first, so that a
    run killed while undoing is undone by ``recover`` too, not finished."""
    os.replace(stage / _COMMIT, stage / _ROLLBACK)
    _undo(stage, out, plan)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back Ctrl-C, SIGTERM and SIGHUP while the files are moved in.

    They are delivered when the block ends, so an interrupt still stops the
    run, just not between two renames. SIGKILL cannot be held; ``recover``
    covers it.

    A signal mask would not do: it covers only the calling thread, and once
    other threads exist (numpy's BLAS pool) the kernel hands the signal to
    one of them, after which Python still raises in the main thread. So the
    Python-level handlers, which always run in the main thread, are swapped
    for ones that only take note.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # pragma: no cover - handlers can only be set from the main thread
        return
    numbers = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    received: list[int] = []

    def note(signum: int, frame: object) -> None:
        if signum not in received:
            received.append(signum)

    previous = {}
    try:
        for signum in numbers:
            previous[signum] = signal.signal(signum, note)
        yield
    finally:
        for signum, handler in previous.items():
            # None: set from outside Python; the default is the closest we can restore.
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        for signum in received:
            # Raised again with the old handler in place, so it acts as it
            # would have: KeyboardInterrupt, the caller's handler, or the
            # default action (SIGTERM ends the process).
            signal.raise_signal(signum)


def _json_bytes(record: Mapping[str, object]) -> bytes:
    """``record`` as UTF-8 JSON. Lone surrogates (from a file name that is not
    UTF-8, in argv or a lexicon path) cannot be UTF-8: they become ``\\udcff``
    escapes, which can only stand inside a JSON string and read back the same."""
    text = json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n"
    return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text).encode("utf-8")


def _sync(path: Path) -> None:
    """Flush a staged file to disk, so a power cut after the commit cannot leave it empty."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _stale_outputs(out: Path, new: set[str]) -> list[str]:
    """Chart files (and a report.html) of an earlier run that this run does not write.

    Only the names framing itself writes: a file the user put there is never
    touched.
    """
    names = {f"charts/{name}{suffix}" for name in CHART_NAMES for suffix in _CHART_SUFFIXES} | {"report.html"}
    names |= {f"{table}{suffix}" for table in _PARQUET_TABLES for suffix in (".csv", ".parquet")}
    for table in _PARQUET_TABLES:  # the Dask engine's parts
        if (out / table).is_dir() and not (out / table).is_symlink():
            names |= {f"{table}/{p.name}" for p in (out / table).iterdir() if _PART.fullmatch(p.name)}
    return sorted(rel for rel in names - new if (out / rel).is_file())


_PART = re.compile(r"part-[0-9]{5}\.parquet")


_PARQUET_TABLES = ("report", "matches")
def _to_parquet(csv_path: Path, parquet_path: Path, table: str) -> None:
    """Convert a staged ``report.csv`` or ``matches.csv`` to Parquet (``csv_to_parquet``)."""
    with open(csv_path, "rb") as source, open(parquet_path, "wb") as sink:
        csv_to_parquet(source, sink, table)


def csv_to_parquet(source: BinaryIO, sink: BinaryIO, table: str) -> None:
    """``report.csv`` or ``matches.csv`` bytes (``table``: ``"report"`` or ``"matches"``) as Parquet, a block at a time.

    The cells are the CSV's (text cells neutralised the same way), with
    types: the ids and texts strings, counts and character offsets int64,
    rates, scores and weights float64 (an empty cell is null). So a
    spreadsheet-safe CSV and a typed Parquet file hold the same table. The
    Dask engine runs this on its workers, one range of rows at a time.
    """
    try:
        import pyarrow as pa
        import pyarrow.csv as pcsv
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise OutputError(f"writing Parquet needs pyarrow: pip install 'framing[parquet]' ({exc})") from None
    start = source.tell()
    header = next(csv.reader([source.readline().decode("utf-8", "replace")]))
    source.seek(start)
    types = {c: pa.float64() for c in header}
    types.update({c: pa.int64() for c in INT_COLUMNS[table] if c in types})
    types.update({c: pa.string() for c in TEXT_COLUMNS[table] if c in types})
    reader = pcsv.open_csv(
        source,
        read_options=pcsv.ReadOptions(block_size=1 << 24),
        parse_options=pcsv.ParseOptions(newlines_in_values=True),
        convert_options=pcsv.ConvertOptions(column_types=types, strings_can_be_null=False,
                                            quoted_strings_can_be_null=False),
    )
    schema = pa.schema([(c, types[c]) for c in header])
    with pq.ParquetWriter(sink, schema) as writer:
        for batch in reader:
            writer.write_batch(batch.select(header).cast(schema) if batch.schema != schema else batch)


@contextmanager
def atomic_file(path: str | os.PathLike[str], *, what: str = "") -> Iterator[BinaryIO]:
    """A binary file to write one output through, renamed into place only when the block ends well.

    The temporary file is made beside ``path`` (so the rename is atomic) by
    ``mkstemp`` (a new file, never one already there), flushed to disk and
    made readable by all (0644: a table, lexicon or model is a file to
    share) before the rename; on any error it is removed and the old file
    stays. ``OSError`` becomes one ``OutputError``: ``cannot write
    <what or path>: <reason>``. For a folder of files that must change
    together, ``write_report`` stages them instead.
    """
    target = Path(path)
    name = what or str(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {name}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"cannot write {name}: {exc.strerror or exc}") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_file(path: str | os.PathLike[str], data: bytes, *, what: str = "") -> Path:
    """``data`` into ``path`` through ``atomic_file``; return the path."""
    with atomic_file(path, what=what) as f:
        f.write(data)
    return Path(path)


def check_output_folder(out_dir: str | Path) -> None:
    """Fail at once, before any analysis, if ``out_dir`` can never hold a report.

    It must be a folder or not exist yet (a dangling link counts as
    existing), and its nearest existing parent must be a folder. Nothing is
    created, so a run that fails later leaves no empty folder behind; whether
    the folder can be written is known only when writing.
    """
    path = Path(out_dir)
    if os.path.lexists(path):
        if not path.is_dir():
            raise OutputError(f"output path {out_dir} is not a folder")
        return
    parent = path.parent
    while not os.path.lexists(parent) and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(f"cannot create output folder {out_dir}: {parent} is not a folder")


def _draw(render: Callable[..., dict[str, bytes]], args: tuple, jobs: int, extra: Mapping[str, object]) -> dict[str, bytes]:
    """Every chart, drawn in up to ``jobs`` processes (each chart is independent)."""
    if jobs <= 1:
        return render(*args, **extra)
    from concurrent.futures import ProcessPoolExecutor

    from .report.legend import CHART_NAMES

    with ProcessPoolExecutor(max_workers=min(jobs, len(CHART_NAMES))) as pool:
        parts = [pool.submit(render, *args, names=(name,), **extra) for name in CHART_NAMES]
        drawn: dict[str, bytes] = {}
        for part in parts:
            drawn.update(part.result())
    return drawn


def write_report(
    result: AnalysisResult,
    out_dir: str | Path,
    *,
    record: Mapping[str, object],
    charts: bool = True,
    render: Callable[..., dict[str, bytes]] | None = None,
    html_articles: int = KEEP_TEXTS,
    progress: Callable[[str, int, int | None], None] | None = None,
    jobs: int = 1,
    html: bool = True,
    parquet: bool = False,
) -> list[Path]:
    """Write every output into ``out_dir``; return the final paths.

    ``render`` draws the charts and returns file name -> bytes (defaults to
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
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {out}: {exc.strerror or exc}") from exc
    if not out.is_dir():
        raise OutputError(f"output path {out} is not a folder")
    try:
        with _exclusive(out):
            recover(out)
            # Created and locked under the folder lock, so no other run's
            # recovery can mistake it for abandoned in between.
            stage = Path(tempfile.mkdtemp(prefix=f"{_STAGING}{os.getpid()}-", dir=out))
            stage_fd = os.open(stage, os.O_RDONLY)
            _lock(stage_fd)
    except OSError as exc:
        raise OutputError(f"cannot write into {out}: {exc.strerror or exc}") from exc
    committed = False
    try:
        # Every table from its DataFrame, unless the result streams it (a big run's report and ledger).
        frames = {"report.csv": result.scores, "summary.csv": result.summary, "comparisons.csv": _or_empty(result.comparisons, COMPARISON_COLUMNS),
                  "evaluation.csv": _or_empty(result.evaluation, EVALUATION_COLUMNS),
                  "terms.csv": result.terms, "matches.csv": result.matches, "labels.csv": _or_empty(result.labels, LABEL_COLUMNS)}
        for name, frame in frames.items():
            if progress is not None and name == "matches.csv":
                progress("matches", 0, None)
            table = name.removesuffix(".csv")
            if parquet and table in result.parquet_parts:
                # Made on the Dask workers, one part per range of ids: report/part-00000.parquet, ...
                (stage / table).mkdir()
                for i, data in enumerate(result.parquet_parts[table]()):
                    (stage / table / f"part-{i:05d}.parquet").write_bytes(data)
                continue
            blocks = result.tables[name]() if name in result.tables else [csv_bytes(frame)]
            with open(stage / name, "wb") as f:
                f.writelines(blocks)
            if parquet and table in _PARQUET_TABLES:
                _to_parquet(stage / name, stage / f"{table}.parquet", table)
                (stage / name).unlink()
        (stage / "run.json").write_bytes(_json_bytes(record))
        pngs: dict[str, bytes] = {}
        if charts:
            if progress is not None:
                progress("charts", 0, None)
            if render is None:
                from .report.charts import render_charts as render
            similarity = result.similarity if result.similarity is not None else result.type_similarity
            rows = result.chart_rows() if result.chart_rows is not None else result.scores
            args = (rows, result.terms, similarity, result.dimensions, result.styles)
            drawn = _draw(render, args, jobs, {"summary": result.summary, "evaluation": result.evaluation})
            (stage / "charts").mkdir()
            for name, data in drawn.items():
                (stage / "charts" / name).write_bytes(data)
            pngs = {name[: -len(".png")]: data for name, data in drawn.items() if name.endswith(".png")}
        if html:
            if progress is not None:
                progress("html", 0, None)
            page = render_html(result, charts=pngs, max_articles=html_articles)
            (stage / "report.html").write_bytes(page)

        new = sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*") if p.is_file())
        for rel in new:
            _sync(stage / rel)
        with _exclusive(out):
            recover(out)  # a run that died since we started must not later overwrite us
            plan = [("+", rel) for rel in new] + [("-", rel) for rel in _stale_outputs(out, set(new))]
            listing = stage / (_COMMIT + ".tmp")
            listing.write_text("".join(f"{op} {rel}\n" for op, rel in plan), encoding="utf-8")
            _sync(listing)
            with _signals_held():
                os.replace(listing, stage / _COMMIT)
                committed = True  # from here on, the move is finished or undone: by us, or by recover()
                try:
                    written = _apply(stage, out, plan)
                except OSError as exc:
                    _roll_back(stage, out, plan)  # if this fails, the staging folder keeps the old files
                    committed = False
                    name = exc.filename2 or exc.filename
                    where = f" ({Path(os.fsdecode(name)).name})" if name else ""
                    raise OutputError(
                        f"cannot move the report into {out}{where}: {exc.strerror or exc}; the previous report is kept"
                    ) from exc
                committed = False
        return written
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write the report into {out}: {exc.strerror or exc}") from exc
    finally:
        if not committed:  # else leave the COMMIT (or ROLLBACK) list for the next run to finish
            shutil.rmtree(stage, ignore_errors=True)
        os.close(stage_fd)


def _or_empty(frame: pd.DataFrame | None, columns: Sequence[str]) -> pd.DataFrame:
    """``frame``, or an empty table with these columns (a result built without that table)."""
    if frame is not None:
        return frame
    import pandas as pd

    return pd.DataFrame(columns=list(columns))
