"""The Dask engine's store: pass 1's output in partitions on the workers (``framing.engine.passes.Store``).

Passes 2-4 map a block function over every partition where it lies
(``framing.engine.worker.map_part``); the tables are cut on the workers
into ranges of id order and put together there, range by range, as CSV
bytes for the client to write, as Parquet parts, or as lazy Dask
DataFrames (``framing.dask``). Dask is imported only when this engine runs.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from ..cells import csv_line
from ..errors import InputError
from ..schema import MATCHES_COLUMNS
from .memory import give_back_memory
from .passes import BlockContext, BlockFunction
from .rows import ReportNumbers, read_matches, read_report
from .worker import (
    bind,
    map_part,
    piece,
    range_matches,
    range_matches_frame,
    range_matches_parquet,
    range_report_frame,
    range_report_parquet,
    range_texts,
)

if TYPE_CHECKING:
    from distributed import Client, Future

__all__ = [
    "RANGE_ARTICLES", "RETRIES", "DaskStore", "in_flight_for", "require_distributed", "submitter",
    "task_result", "trimmed",
]

RETRIES = 2  # re-runs of a task that raised; a task whose worker died is rescheduled by Dask anyway
RANGE_ARTICLES = 4 * 4096  # articles (in id order) per output range; a multiple of the local engine's block

_INSTALL = 'the dask engine needs Dask on this machine and on the workers: pip install "framing[dask]"'


def require_distributed() -> Any:
    """The ``distributed`` module, or a one-line error saying how to install it."""
    try:
        import distributed
    except ImportError as exc:
        raise InputError(f"{_INSTALL} ({exc})") from None
    return distributed


def task_result(future: Future) -> Any:
    """A task's result; workers that died too often are one ``InputError``."""
    distributed = require_distributed()
    try:
        return future.result()
    except distributed.KilledWorker as exc:
        raise InputError(f"the Dask workers died running a task more often than the scheduler allows ({exc})") from None


def trimmed(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` on a worker, then the memory it freed handed back (``give_back_memory``)."""
    try:
        return fn(*args)
    finally:
        give_back_memory()


def submitter(client: Client, fn: Callable[..., object], *args: Any) -> Callable[[], Future]:
    """A function that submits ``fn(*args)`` (not pure: each call is a new task), retried on errors."""
    return lambda: client.submit(trimmed, fn, *args, pure=False, retries=RETRIES)


def in_flight_for(client: Client) -> int:
    """Tasks whose results the client takes in order, kept out at a time: two per worker thread."""
    return max(2, 2 * sum(client.nthreads().values()))


def _after_pieces(client: Client, fn: Callable[..., object], pieces: list[Future], *args: Any) -> Callable[[], Future]:
    """``submitter`` of ``fn(*args, *pieces)``, with the pieces' tasks released once it is submitted."""
    def submit() -> Future:
        future = client.submit(trimmed, fn, *args, *pieces, pure=False, retries=RETRIES)
        for p in pieces:
            p.release()  # the range's task holds them now; they go once it is done
        return future

    return submit


class DaskStore:
    """Pass 1's output in partitions on the workers (``framing.engine.passes.Store``)."""

    def __init__(self, client: Client, stores: list[Future], counts: list[int], words: list[str]) -> None:
        self.client = client
        self.counts = counts
        self.offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        self.in_flight = in_flight_for(client)
        self._words = client.scatter(np.asarray(words, dtype=object), broadcast=True, hash=False)
        self.stores = self._bound(stores)
        # range of id order -> (partition, positions of its articles in the range, their ranks)
        self._ranges: dict[int, list[tuple[int, np.ndarray, np.ndarray]]] = {}
        self._cut_order: np.ndarray | None = None
        self._names_f: Future | None = None
        self._report: tuple[list[str], ReportNumbers, np.ndarray] | None = None

    def _bound(self, stores: list[Future]) -> list[Future]:
        """Each partition bound to the corpus vocabulary (``bind``), with at most ``in_flight`` binds out at a time.

        A bind is quick and its partition says it is small (its files stay on disk: ``spill.Spill``),
        so when every bind was queued at once, work stealing moved partitions by the dozen to even
        out the queues, each read into memory to travel: at a million articles on two workers, a
        20-second spike from 0.85 to 2.1 GB. With few binds out, the queues stay even and each
        partition is bound where it lies.
        """
        distributed = require_distributed()
        bound: list[Future] = []
        for i, s in enumerate(stores):
            if i >= self.in_flight:
                distributed.wait(bound[i - self.in_flight])
            bound.append(self.client.submit(trimmed, bind, s, self._words, pure=False, retries=RETRIES))
        distributed.wait(bound)
        return bound

    def _ordered(self, futures: Iterable[tuple[Any, Callable[[], Future]]]) -> Iterator[tuple[Any, Any]]:
        """Each ``(tag, submit)``'s result in order, with at most ``in_flight`` submitted and unreturned."""
        pending: deque[tuple[Any, Future]] = deque()

        def take() -> tuple[Any, Any]:
            tag, future = pending.popleft()
            value = task_result(future)
            future.release()
            return tag, value

        try:
            for tag, submit in futures:
                pending.append((tag, submit()))
                if len(pending) >= self.in_flight:
                    yield take()
            while pending:
                yield take()
        finally:
            for _, future in pending:
                future.cancel()

    # --------------------------------------------------------- passes 2-4

    def map(self, fn: BlockFunction, context: BlockContext, n: int) -> Iterator[tuple[int, int, object]]:
        # The corpus-wide part of the context goes to every worker once; the per-article arrays by partition.
        shared = replace(context, type_code=np.zeros(0, np.int64), train=None, rate=None, typography=None, rank_of=None)
        shared_f = self.client.scatter(shared, broadcast=True, hash=False)
        try:
            def jobs() -> Iterator[tuple[int, Callable[[], Future]]]:
                for p, store in enumerate(self.stores):
                    s, e = int(self.offsets[p]), int(self.offsets[p + 1])
                    train = context.train[s:e] if context.train is not None else None
                    rate = typography = None
                    if context.rank_of is not None and context.rate is not None:
                        rows = context.rank_of[s:e]
                        rate = context.rate[rows]
                        typography = context.typography[rows] if context.typography is not None else None
                    yield s, submitter(self.client, map_part, fn, store, shared_f, train, rate, typography)

            for s, parts in self._ordered(jobs()):
                for lo, hi, part in parts:
                    yield s + lo, s + hi, part
        finally:
            shared_f.release()

    # --------------------------------------------------------- the tables

    def _cut_all(self, order: np.ndarray) -> None:
        """Which articles of each partition fall in each range of id order (``_ranges``), for ``order``.

        Only positions and ranks, here on the client; each range's rows are read from the
        partitions' spill files when the range is put together (``piece``), so the workers never
        hold more than the ranges in flight.
        """
        if self._cut_order is not None and np.array_equal(self._cut_order, order):
            return
        rank_of = np.empty(len(order), np.int64)
        rank_of[order] = np.arange(len(order))
        self._ranges = {}
        for p in range(len(self.stores)):
            ranks = rank_of[self.offsets[p] : self.offsets[p + 1]]
            by_rank = np.argsort(ranks, kind="stable")
            which = ranks[by_rank] // RANGE_ARTICLES
            cuts = np.flatnonzero(np.diff(which)) + 1
            for positions in np.split(by_rank, cuts):
                if len(positions):
                    r = int(ranks[positions[0]] // RANGE_ARTICLES)
                    self._ranges.setdefault(r, []).append((p, positions, ranks[positions]))
        self._cut_order = order

    def _pieces(self, r: int, table: str) -> list[Future]:
        return [self.client.submit(trimmed, piece, self.stores[p], positions, ranks, table, pure=False,
                                   retries=RETRIES)
                for p, positions, ranks in self._ranges[r]]

    def _range_jobs(self, fn: Callable[..., object], table: str) -> Iterator[tuple[int, Callable[[], Future]]]:
        for r in sorted(self._ranges):
            yield r, _after_pieces(self.client, fn, self._pieces(r, table))

    def texts(self, order: np.ndarray) -> Callable[[int, int], Iterator[tuple[bytes, int]]]:
        self._cut_all(order)
        ranges = self._ordered(self._range_jobs(range_texts, "report"))
        current: dict[str, Any] = {"r": -1, "texts": [], "splits": np.zeros(0, np.int64)}

        def read(lo: int, hi: int) -> Iterator[tuple[bytes, int]]:
            r = lo // RANGE_ARTICLES
            while current["r"] != r:  # blocks come in order, and a block lies in one range
                current["r"], (current["texts"], current["splits"]) = next(ranges)
            base = r * RANGE_ARTICLES
            texts, splits = current["texts"], current["splits"].tolist()
            for i in range(lo - base, hi - base):
                yield texts[i], splits[i]

        return read

    def matches(self, order: np.ndarray) -> Iterator[bytes]:
        self._cut_all(order)
        yield csv_line(MATCHES_COLUMNS)
        for _, rows in self._ordered(self._range_jobs(range_matches, "matches")):
            yield rows

    def finished(self, columns: list[str], numbers: object, order: np.ndarray) -> None:
        assert isinstance(numbers, ReportNumbers)
        self._report = (columns, numbers, order)

    def _names(self) -> Future:
        """The words and the classifier's feature names, on every worker once (the report's cells name them)."""
        if self._names_f is None:
            assert self._report is not None
            num = self._report[1]
            # In a list: a tuple would be scattered as one future per item.
            self._names_f = self.client.scatter([(num.words, num.why_names)], broadcast=True, hash=False)[0]
        return self._names_f

    def _range_numbers(self, r: int) -> ReportNumbers:
        """The report's numbers of range ``r`` (id order), without the name lists (``_names``)."""
        assert self._report is not None
        num, n = self._report[1], len(self._report[2])
        return num.sliced(r * RANGE_ARTICLES, min(n, (r + 1) * RANGE_ARTICLES))

    def frames(self) -> tuple[Any, Any]:
        """``report.csv`` and ``matches.csv`` as Dask DataFrames, one partition per range of id order (lazy)."""
        import dask
        import dask.dataframe as dd

        assert self._report is not None, "frames() needs a finished analysis"
        columns, _, order = self._report
        self._cut_all(order)
        names = self._names()
        reports, matches = [], []
        for r in sorted(self._ranges):
            def pieces(table: str, r: int = r) -> list[Any]:
                return [dask.delayed(piece)(self.stores[p], positions, ranks, table)
                        for p, positions, ranks in self._ranges[r]]

            reports.append(dask.delayed(range_report_frame)(columns, self._range_numbers(r), names, *pieces("report")))
            matches.append(dask.delayed(range_matches_frame)(*pieces("matches")))
        report = dd.from_delayed(reports, meta=read_report(csv_line(columns)), verify_meta=False)
        match_rows = dd.from_delayed(matches, meta=read_matches(csv_line(MATCHES_COLUMNS)), verify_meta=False)
        return report, match_rows

    def parquet(self, table: str) -> Iterator[bytes]:
        """``table`` ("report" or "matches") as Parquet files, one per range of id order, made on the workers."""
        assert self._report is not None, "parquet() needs a finished analysis"
        columns, _, order = self._report
        self._cut_all(order)
        names = self._names() if table == "report" else None

        def jobs() -> Iterator[tuple[int, Callable[[], Future]]]:
            for r in sorted(self._ranges):
                if table == "report":
                    yield r, _after_pieces(self.client, range_report_parquet, self._pieces(r, table),
                                           columns, self._range_numbers(r), names)
                else:
                    yield r, _after_pieces(self.client, range_matches_parquet, self._pieces(r, table))

        for _, data in self._ordered(jobs()):
            yield data

    def parquet_parts(self) -> dict[str, Callable[[], Iterator[bytes]]]:
        return {"report": lambda: self.parquet("report"), "matches": lambda: self.parquet("matches")}

    def close(self) -> None:
        """Let the workers forget the partitions."""
        if self.client.status in ("closing", "closed"):  # its futures went with it
            return
        for f in [*self.stores, self._words, *([self._names_f] if self._names_f else [])]:
            f.release()
        self.stores = []
