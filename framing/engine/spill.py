"""Temporary files for what pass 1 produces per article and later passes read back.

Pass 1 sees each article's text once. What the later passes and the writer
need of it is kept here instead of in memory: the article's term counts (for
TF-IDF, read back twice, sequentially) and its CSV cells and ``matches.csv``
rows (copied into the report in id order). Spilling the counts costs a file
write and read instead of tokenizing every article a second time, which is
most of pass 1's work. Reads use ``os.pread``, not ``mmap``: mapped pages
would count as the process's resident memory until the kernel wants them
back, and the point is a bounded footprint.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import BinaryIO

import numpy as np

from ..errors import OutputError

__all__ = ["Parked", "Spill", "receive_in"]

# Where a spill unpickled in this process writes its files: set on a Dask worker to its local
# directory (``receive_in``), so that a partition moved to another worker lands on that worker's disk.
_RECEIVED_IN: dict[str, str | None] = {"folder": None}


def receive_in(folder: str | None) -> None:
    """Make ``folder`` where spills unpickled in this process put their files (``None``: the system's temp)."""
    _RECEIVED_IN["folder"] = folder


def _no_room(folder: str | os.PathLike[str] | None, exc: OSError) -> OutputError:
    where = folder or tempfile.gettempdir()
    return OutputError(
        f"cannot write framing's temporary files in {where} ({exc.strerror or exc}); "
        "point TMPDIR at a folder with room (a million articles need about 3 GB)"
    )


class Spill:
    """Append-only spill files in a private temporary folder; ``close`` (or the object's end) removes them.

    Once pass 1 is over, ``seal`` closes the files for writing: a sealed
    spill pickles (a Dask worker's partition, moved to another worker, is
    written to that worker's disk) and reads with ``os.pread`` from files it
    opens itself. Its folder goes when ``close`` is called or the object is
    garbage-collected, whichever comes first.
    """

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self.folder = folder
        try:
            self.path = Path(tempfile.mkdtemp(prefix="framing-spill-", dir=folder))
            # closed in close()
            self._terms = open(self.path / "terms.i32", "w+b")
            self._counts = open(self.path / "counts.i32", "w+b")
            self._bytes = open(self.path / "rows.bin", "w+b")
        except OSError as exc:
            raise _no_room(folder, exc) from exc
        self.n_entries = 0
        self.n_bytes = 0
        self._flushed = True
        self._sealed = False
        files = (self._terms, self._counts, self._bytes)
        self._gone = weakref.finalize(self, _remove, self.path, files, os.getpid())

    def add_counts(self, terms: np.ndarray, counts: np.ndarray) -> int:
        """Append term ids and counts (int32); return the index of the first entry."""
        if self._sealed:
            raise RuntimeError("a sealed spill takes no more entries")
        first = self.n_entries
        try:
            self._terms.write(np.ascontiguousarray(terms, dtype=np.int32).tobytes())
            self._counts.write(np.ascontiguousarray(counts, dtype=np.int32).tobytes())
        except OSError as exc:  # a full disk, most likely
            raise _no_room(self.folder, exc) from exc
        self.n_entries += len(terms)
        self._flushed = False
        return first

    def add_bytes(self, blobs: list[bytes]) -> np.ndarray:
        """Append byte strings; return the offset of each one and the end (``len(blobs) + 1`` offsets)."""
        if self._sealed:
            raise RuntimeError("a sealed spill takes no more bytes")
        sizes = np.fromiter((len(b) for b in blobs), dtype=np.int64, count=len(blobs))
        offsets = self.n_bytes + np.concatenate(([0], np.cumsum(sizes)))
        try:
            self._bytes.write(b"".join(blobs))
        except OSError as exc:
            raise _no_room(self.folder, exc) from exc
        self.n_bytes = int(offsets[-1])
        self._flushed = False
        return offsets

    def flush(self) -> None:
        """Write what is buffered, so that a forked process reading the files sees all of it."""
        self._flush()

    def _flush(self) -> None:
        if not self._flushed:
            try:
                for f in (self._terms, self._counts, self._bytes):
                    f.flush()
            except OSError as exc:
                raise _no_room(self.folder, exc) from exc
            self._flushed = True

    def seal(self) -> Spill:
        """Everything written and the files closed: no more appends. Returns the spill, now picklable.

        A sealed spill opens a file for each read: a worker may hold hundreds of partitions, and
        three open files each would run into the system's limit on open files.
        """
        self._flush()
        for f in (self._terms, self._counts, self._bytes):
            f.close()
        self._sealed = True
        return self

    def _pread(self, f: BinaryIO, n: int, offset: int) -> bytes:
        if not self._sealed:
            self._flush()
            return os.pread(f.fileno(), n, offset)
        fd = os.open(f.name, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            return os.pread(fd, n, offset)
        finally:
            os.close(fd)

    def read_counts(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """Entries ``lo`` to ``hi``: term ids and counts."""
        n = (hi - lo) * 4
        terms = np.frombuffer(self._pread(self._terms, n, lo * 4), dtype=np.int32)
        counts = np.frombuffer(self._pread(self._counts, n, lo * 4), dtype=np.int32)
        return terms, counts

    def read_bytes(self, lo: int, hi: int) -> bytes:
        """Bytes ``lo`` to ``hi`` of what ``add_bytes`` appended."""
        return self._pread(self._bytes, hi - lo, lo) if hi > lo else b""

    def close(self) -> None:
        """Remove the spill files (idempotent)."""
        self._gone()

    # A sealed spill travels as its contents and lands in a folder of the receiving process's own.
    def __getstate__(self) -> dict[str, object]:
        if not self._sealed:
            raise TypeError("only a sealed spill pickles")
        return {"n_entries": self.n_entries, "n_bytes": self.n_bytes,
                "terms": Path(self._terms.name).read_bytes(), "counts": Path(self._counts.name).read_bytes(),
                "rows": Path(self._bytes.name).read_bytes()}

    def __setstate__(self, state: dict[str, object]) -> None:
        Spill.__init__(self, _RECEIVED_IN["folder"])  # a folder of this process's own (``receive_in``)
        for f, key in ((self._terms, "terms"), (self._counts, "counts"), (self._bytes, "rows")):
            f.write(state[key])  # type: ignore[arg-type]
        self.n_entries, self.n_bytes = state["n_entries"], state["n_bytes"]  # type: ignore[assignment]
        self._flushed = False
        self.seal()

    def __sizeof__(self) -> int:  # what Dask counts towards a worker's memory: the files are on disk
        return 256


class Parked:
    """An object pickled into a temporary file until it is wanted (``load``): what a Dask worker keeps on disk.

    A partition's partial sums (its words, their counts by group, its first
    rows by id: about 15 MB at 32 MB partitions) wait on the worker's disk
    for the tree reduction instead of in its memory. Like a sealed ``Spill``,
    it pickles as its contents and lands in the receiving process's folder
    (``receive_in``); its file goes when the object is garbage-collected.
    """

    def __init__(self, value: object, folder: str | os.PathLike[str] | None = None) -> None:
        self._park(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), folder)

    def _park(self, data: bytes, folder: str | os.PathLike[str] | None) -> None:
        try:
            fd, name = tempfile.mkstemp(prefix="framing-parked-", suffix=".pickle", dir=folder)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
        except OSError as exc:
            raise _no_room(folder, exc) from exc
        self.path = Path(name)
        self.size = len(data)
        self._gone = weakref.finalize(self, _unlink, self.path, os.getpid())

    def load(self) -> object:
        """The object, read back from its file (which stays until this object goes)."""
        return pickle.loads(self.path.read_bytes())

    def __getstate__(self) -> dict[str, object]:
        return {"data": self.path.read_bytes()}

    def __setstate__(self, state: dict[str, object]) -> None:
        self._park(state["data"], _RECEIVED_IN["folder"])  # type: ignore[arg-type]

    def __sizeof__(self) -> int:
        # Its pickled size, though it is on disk: Dask batches the objects it moves between workers by
        # their sizes, and at 256 bytes each a merge fetched dozens of 15 MB partials in one message
        # (120 of them merged 8 at a time on 2 workers: peaks of 535 / 666 MB, 177 / 191 MB with this).
        return self.size + 256


def _unlink(path: Path, owner: int) -> None:
    """Remove a parked object's file, in the process that made it only (a forked child exits without)."""
    if os.getpid() == owner:
        path.unlink(missing_ok=True)


def _remove(path: Path, files: tuple[BinaryIO, ...], owner: int) -> None:
    """Close and remove a spill's files, in the process that made them only (a forked child exits without)."""
    if os.getpid() != owner:
        return
    for f in files:
        try:
            f.close()
        except OSError:  # a write-back that fails now changes nothing: the files go
            pass
    shutil.rmtree(path, ignore_errors=True)
