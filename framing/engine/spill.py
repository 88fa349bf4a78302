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
import shutil
import tempfile
from pathlib import Path

import numpy as np

from ..errors import OutputError

__all__ = ["MemorySpill", "Spill"]


def _no_room(folder: str | os.PathLike[str] | None, exc: OSError) -> OutputError:
    where = folder or tempfile.gettempdir()
    return OutputError(
        f"cannot write framing's temporary files in {where} ({exc.strerror or exc}); "
        "point TMPDIR at a folder with room (a million articles need about 3 GB)"
    )


class Spill:
    """Append-only spill files in a private temporary folder; ``close`` removes them."""

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

    def add_counts(self, terms: np.ndarray, counts: np.ndarray) -> int:
        """Append term ids and counts (int32); return the index of the first entry."""
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

    def read_counts(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """Entries ``lo`` to ``hi``: term ids and counts."""
        self._flush()
        n = (hi - lo) * 4
        terms = np.frombuffer(os.pread(self._terms.fileno(), n, lo * 4), dtype=np.int32)
        counts = np.frombuffer(os.pread(self._counts.fileno(), n, lo * 4), dtype=np.int32)
        return terms, counts

    def read_bytes(self, lo: int, hi: int) -> bytes:
        """Bytes ``lo`` to ``hi`` of what ``add_bytes`` appended."""
        self._flush()
        return os.pread(self._bytes.fileno(), hi - lo, lo) if hi > lo else b""

    def close(self) -> None:
        """Remove the spill files (idempotent)."""
        for f in (self._terms, self._counts, self._bytes):
            try:
                f.close()
            except OSError:  # a write-back that fails now changes nothing: the files go
                pass
        shutil.rmtree(self.path, ignore_errors=True)


class MemorySpill:
    """``Spill``'s interface in memory, and picklable: one partition's pass-1 output on a Dask worker.

    A worker's memory is managed by Dask, which writes what does not fit to
    its own disk; so the partition is an ordinary object, not files of ours.
    Appends are gathered in lists and joined on the first read (``seal``).
    """

    def __init__(self) -> None:
        self._terms: list[np.ndarray] = []
        self._counts: list[np.ndarray] = []
        self._chunks: list[bytes] = []
        self._sealed: tuple[np.ndarray, np.ndarray, bytes] | None = None
        self.n_entries = 0
        self.n_bytes = 0

    def add_counts(self, terms: np.ndarray, counts: np.ndarray) -> int:
        """Append term ids and counts (int32); return the index of the first entry."""
        if self._sealed is not None:
            raise RuntimeError("a sealed MemorySpill takes no more entries")
        first = self.n_entries
        self._terms.append(np.array(terms, dtype=np.int32))
        self._counts.append(np.array(counts, dtype=np.int32))
        self.n_entries += len(terms)
        return first

    def add_bytes(self, blobs: list[bytes]) -> np.ndarray:
        """Append byte strings; return the offset of each one and the end (``len(blobs) + 1`` offsets)."""
        if self._sealed is not None:
            raise RuntimeError("a sealed MemorySpill takes no more bytes")
        sizes = np.fromiter((len(b) for b in blobs), dtype=np.int64, count=len(blobs))
        offsets = self.n_bytes + np.concatenate(([0], np.cumsum(sizes)))
        self._chunks.append(b"".join(blobs))
        self.n_bytes = int(offsets[-1])
        return offsets

    def seal(self) -> tuple[np.ndarray, np.ndarray, bytes]:
        """The entries and bytes as one array or string each (joined once; nothing is added after)."""
        if self._sealed is None:
            self._sealed = (
                np.concatenate(self._terms) if self._terms else np.zeros(0, np.int32),
                np.concatenate(self._counts) if self._counts else np.zeros(0, np.int32),
                b"".join(self._chunks),
            )
            self._terms, self._counts, self._chunks = [], [], []
        return self._sealed

    def flush(self) -> None:
        """Nothing to write: kept for ``Spill``'s interface."""

    def read_counts(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """Entries ``lo`` to ``hi``: term ids and counts."""
        terms, counts, _ = self.seal()
        return terms[lo:hi], counts[lo:hi]

    def read_bytes(self, lo: int, hi: int) -> bytes:
        """Bytes ``lo`` to ``hi`` of what ``add_bytes`` appended."""
        return self.seal()[2][lo:hi]

    def close(self) -> None:
        """Nothing to remove: kept for ``Spill``'s interface."""

    def __getstate__(self) -> dict[str, object]:
        self.seal()  # one array and one string travel, not thousands of pieces
        return self.__dict__.copy()

    def __sizeof__(self) -> int:  # what Dask counts towards a worker's memory
        terms, counts, data = self.seal()
        return terms.nbytes + counts.nbytes + len(data) + 64
