"""A folder of outputs that changes all at once: staging, locks, the COMMIT list, recovery.

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

``staging`` and ``Staging`` are steps 1 and 2 (``Staging.commit``),
``recover`` step 3. What goes into the folder, and which older files count
as stale, is the report writer's business (``framing.outputs.report``).
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:  # POSIX; elsewhere runs are not serialised
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

from ..errors import OutputError

__all__ = ["Staging", "recover", "signals_held", "staging"]

_STAGING = ".framing-staging-"
_COMMIT = "COMMIT"
# Put in place of COMMIT when a move failed part-way: the files already moved
# are to be moved back, never forward.
_ROLLBACK = "ROLLBACK"
# Inside a staging folder: the files of the previous report that the move
# replaced or removed, kept until the move is done so that it can be undone.
_KEPT = ".previous"


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

    Call it only while holding the lock on ``out_dir`` (``staging`` and
    ``Staging.commit`` do),
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
def signals_held() -> Iterator[None]:
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


def _sync(path: Path) -> None:
    """Flush a staged file to disk, so a power cut after the commit cannot leave it empty."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def staging(out_dir: str | Path) -> Iterator[Staging]:
    """A private staging folder inside ``out_dir``, for one run's outputs (steps 1 and 2 above).

    Makes ``out_dir`` (and its parents), finishes what killed runs left there
    (``recover``), and makes the staging folder, locked for as long as the
    block runs. At the end it is removed, unless a move was left half done
    (a rename back that failed), which the next run's ``recover`` finishes.
    Failing to make or lock it is one ``OutputError``.
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
            path = Path(tempfile.mkdtemp(prefix=f"{_STAGING}{os.getpid()}-", dir=out))
            fd = os.open(path, os.O_RDONLY)
            _lock(fd)
    except OSError as exc:
        raise OutputError(f"cannot write into {out}: {exc.strerror or exc}") from exc
    stage = Staging(out, path)
    try:
        yield stage
    finally:
        if not stage._pending:  # else leave the COMMIT (or ROLLBACK) list for the next run to finish
            shutil.rmtree(path, ignore_errors=True)
        os.close(fd)  # closing releases the lock


class Staging:
    """A staging folder (``path``) inside ``out``, made by ``staging``: ``write`` puts files in, ``commit`` moves them.

    ``commit`` fails with one ``OutputError`` when a move failed and was
    undone (the previous report is kept); any other ``OSError`` from either
    method is the caller's to name.
    """

    def __init__(self, out: Path, path: Path) -> None:
        self.out = out
        self.path = path
        self._pending = False  # a COMMIT or ROLLBACK list is left for recover()

    def write(self, rel: str, blocks: Iterable[bytes]) -> Path:
        """Write ``blocks`` into the staged file ``rel`` (a ``/``-separated name under ``out``); return its path."""
        path = self.path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as f:
            f.writelines(blocks)
        return path

    def commit(self, stale: Callable[[Path, set[str]], Iterable[str]]) -> list[Path]:
        """Move every staged file into ``out``, all or none; return the final paths.

        ``stale(out, new)`` names the files (relative to ``out``) that an
        earlier run left and this one does not write (``new``): they are
        removed in the same move. It is asked under the lock on ``out``.
        """
        stage, out = self.path, self.out
        new = sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*") if p.is_file())
        for rel in new:
            _sync(stage / rel)
        with _exclusive(out):
            recover(out)  # a run that died since we started must not later overwrite us
            plan = [("+", rel) for rel in new] + [("-", rel) for rel in stale(out, set(new))]
            listing = stage / (_COMMIT + ".tmp")
            listing.write_text("".join(f"{op} {rel}\n" for op, rel in plan), encoding="utf-8")
            _sync(listing)
            with signals_held():
                os.replace(listing, stage / _COMMIT)
                self._pending = True  # from here on, the move is finished or undone: by us, or by recover()
                try:
                    written = _apply(stage, out, plan)
                except OSError as exc:
                    _roll_back(stage, out, plan)  # if this fails, the staging folder keeps the old files
                    self._pending = False
                    name = exc.filename2 or exc.filename
                    where = f" ({Path(os.fsdecode(name)).name})" if name else ""
                    raise OutputError(
                        f"cannot move the report into {out}{where}: {exc.strerror or exc}; the previous report is kept"
                    ) from exc
                self._pending = False
        return written
