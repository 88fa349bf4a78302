"""The Dask engine: the local engine's stages as Dask tasks over partitions of the corpus.

::

    workers  partition p: read its articles -> score_chunk per chunk of 500 -> merge
             into the partition's store (term counts, CSV cells)           pass 1
             partials (vocabulary, document frequencies, group counts,
             first articles by id) ------- tree reduction ------> client
    client   vocabulary in alphabetical order, idf; per-article numbers
    workers  per partition: TF-IDF rows -> group sums, norms, top terms    pass 2
             . group sums -> similarities                                  pass 3
             classifier probabilities and reasons                          pass 4
    client   similarities, predictions, summaries (per-article numbers)
    workers  each partition's CSV cells cut into ranges of id order;
             each range put together ----------------------------> client writes

Each stage is the local engine's own function, run on a partition instead
of the whole spill (``framing.engine.parts``, what a worker runs):
``score_chunk`` and ``_merge`` for pass 1 (into a ``MemorySpill``),
``_pass2_block`` ... ``_pass4_block`` for the later passes; ``_finish``
runs here, on the client, with a ``DaskStore`` for the local spill. Every per-article figure depends on that
article alone and every corpus figure is an exact (integer or fixed-point)
sum, so the partitioning changes no byte: the CSVs equal the local engine's.

What reaches the client: per-article numbers (ids, token counts, rates,
similarities: what the local engine keeps in memory), the merged
vocabulary, the articles kept for report.html, and the output rows it
writes. Never the corpus text: the workers read it (``framing.corpus.parts``
for files; the partitions of a Dask DataFrame in ``framing.dask``). A worker
that dies takes its partitions with it; Dask recomputes them from their
recipes (a file range, a DataFrame partition), which are small.

Dask is imported only when this engine is used (``pip install "framing[dask]"``).
"""

from __future__ import annotations

import operator
import os
import weakref
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..analysis.mask import Masker
from ..analysis.match import CompiledLexicons
from ..cells import csv_line
from ..defaults import PARTITION_BYTES
from ..errors import InputError
from ..lexicon.model import Lexicon
from ..result import AnalysisResult
from ..schema import MATCHES_COLUMNS
from ..stats.classify import Trained
from ..types import SOURCE_TYPES, Article
from .local import (
    CHUNK_ARTICLES,
    Progress,
    _BlockContext,
    _finish,
    _Numbers,
    _Pass1,
    _Smallest,
    prepare,
)
from .parts import (
    Partial,
    PartNumbers,
    Reader,
    _bind,
    _cut,
    _map_part,
    _merge_partials,
    _pass1_part,
    _range_matches,
    _range_matches_frame,
    _range_matches_parquet,
    _range_report,
    _range_report_parquet,
    _range_texts,
    _Shared,
)

if TYPE_CHECKING:
    from distributed import Client, Future

__all__ = [
    "CONNECT_TIMEOUT", "DISTRIBUTED", "FAST_MALLOC", "RANGE_ARTICLES", "Reader", "connect", "describe", "local_cluster",
    "peak_memory", "run_corpus",
    "run_partitions",
]

CONNECT_TIMEOUT = 5  # seconds to reach a scheduler (and for it to have a worker) before giving up
RETRIES = 2  # re-runs of a task that raised; a task whose worker died is rescheduled by Dask anyway
FAN_IN = 8  # partials merged per task of the tree reduction
RANGE_ARTICLES = 4 * 4096  # articles (in id order) per output range; a multiple of the local engine's block
DISTRIBUTED = (
    "reading",
    "pass 1: tokenize, match, count",
    "merging the vocabulary and group counts (tree reduction)",
    "pass 2: TF-IDF rows, group sums, top terms",
    "pass 3: similarities",
    "pass 4: classifier probabilities and reasons",
    "cutting the output rows into id order",
)

_INSTALL = 'the dask engine needs Dask on this machine and on the workers: pip install "framing[dask]"'


def _distributed() -> Any:
    """The ``distributed`` module, or a one-line error saying how to install it."""
    try:
        import distributed
    except ImportError as exc:
        raise InputError(f"{_INSTALL} ({exc})") from None
    return distributed


def connect(scheduler: str | None, *, timeout: float = CONNECT_TIMEOUT) -> tuple[Client, Callable[[], None]]:
    """A Dask client and the function that closes it (and the cluster it started).

    ``scheduler``: an address (``tcp://host:8786``) connects to that
    scheduler, which must have at least one worker within ``timeout``
    seconds. ``None`` starts a ``LocalCluster`` on this machine, one
    single-threaded worker process per core, closed by the returned function.
    Unreachable or worker-less schedulers raise ``InputError``.
    """
    distributed = _distributed()
    if scheduler is None:
        cluster = local_cluster(os.cpu_count() or 1)
        client = distributed.Client(cluster)

        def close_local() -> None:
            client.close()
            cluster.close()

        return client, close_local
    try:
        client = distributed.Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler} within {timeout:g} s ({exc})") from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        client.close()
        raise InputError(f"the Dask scheduler at {scheduler} has no worker after {timeout:g} s ({exc})") from None
    return client, client.close


# Dask's nannies start workers with MALLOC_TRIM_THRESHOLD_=65536, to give freed memory back to the
# system sooner. Any such setting also fixes glibc's mmap threshold at 128 KiB, so every larger numpy
# temporary is a fresh mmap and its pages fault in: pass 1 ran 1.8x slower in a worker than here.
FAST_MALLOC = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}


def local_cluster(n_workers: int) -> Any:
    """A ``LocalCluster`` of ``n_workers`` single-threaded worker processes, with glibc's own malloc tuning."""
    import dask

    distributed = _distributed()
    with dask.config.set(FAST_MALLOC):
        return distributed.LocalCluster(
            n_workers=n_workers, threads_per_worker=1, processes=True,
            dashboard_address=":0",  # any free port: another cluster on 8787 would be a warning on stderr
        )


def in_flight_for(client: Client) -> int:
    """Tasks whose results the client takes in order, kept out at a time: two per worker thread."""
    return max(2, 2 * sum(client.nthreads().values()))


def describe(client: Client, scheduler: str | None) -> dict[str, object]:
    """The engine's entry of ``run.json``: where the work ran."""
    nthreads = client.nthreads()
    return {
        "name": "dask",
        "scheduler": scheduler if scheduler is not None else "a LocalCluster started for this run",
        "workers": len(nthreads),
        "threads": sum(nthreads.values()),
        "distributed": list(DISTRIBUTED),
    }


def _peak_mb() -> float | None:
    """This process's peak resident memory in MB (10**6 bytes), from ``VmHWM``; ``None`` where there is none."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) * 1024 / 1e6, 1)
    except OSError:
        pass
    return None


def peak_memory(client: Client) -> dict[str, float | None]:
    """Each worker's peak resident memory since it started, in MB, and this process's (``client``).

    On a cluster started for the run, that is the run's peak; a long-lived
    cluster's workers also count what they did before. ``None`` where the
    system does not say (only Linux does here).
    """
    peaks = client.run(_peak_mb)
    out: dict[str, float | None] = {"client": _peak_mb()}
    for i, address in enumerate(sorted(peaks)):
        out[f"worker {i}"] = peaks[address]
    return out


# ----------------------------------------------------------------- the store the client sees


class DaskStore:
    """Pass 1's output in partitions on the workers (``framing.engine.local.Store``)."""

    spill = None
    entry_ptr = None

    def __init__(self, client: Client, stores: list[Future], counts: list[int], words: list[str]) -> None:
        distributed = _distributed()
        self.client = client
        self.counts = counts
        self.offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        self.in_flight = in_flight_for(client)
        self._words = client.scatter(np.asarray(words, dtype=object), broadcast=True, hash=False)
        self.stores = [client.submit(_bind, s, self._words, pure=False, retries=RETRIES) for s in stores]
        distributed.wait(self.stores)
        self._cuts: list[Future] | None = None
        self._ranges: dict[int, list[int]] = {}
        self._cut_order: np.ndarray | None = None
        self._names_f: Future | None = None
        self._report: tuple[list[str], _Numbers, np.ndarray] | None = None

    def _ordered(self, futures: Iterable[tuple[Any, Callable[[], Future]]]) -> Iterator[tuple[Any, Any]]:
        """Each ``(tag, submit)``'s result in order, with at most ``in_flight`` submitted and unreturned."""
        pending: deque[tuple[Any, Future]] = deque()

        def take() -> tuple[Any, Any]:
            tag, future = pending.popleft()
            value = _result(future)
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

    def map(
        self, fn: Callable[[_BlockContext, int, int], object], context: _BlockContext, n: int
    ) -> Iterator[tuple[int, int, object]]:
        shared = _Shared(context.alpha, context.weight, context.size, context.keep_rows, context.dense, context.trained,
                         context.feature_map, context.feature_idf)
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
                    yield s, _submitter(self.client, _map_part, fn, store, shared_f, train, rate, typography)

            for s, blocks in self._ordered(jobs()):
                for lo, hi, part in blocks:
                    yield s + lo, s + hi, part
        finally:
            shared_f.release()

    def _cut_all(self, order: np.ndarray) -> None:
        """Cut every partition's bytes into ranges of id order, once (both tables read the cuts)."""
        if self._cuts is not None and self._cut_order is not None and np.array_equal(self._cut_order, order):
            return
        if not self.stores:
            raise RuntimeError("the partitions were cut in another order already")
        rank_of = np.empty(len(order), np.int64)
        rank_of[order] = np.arange(len(order))
        self._cuts, self._ranges = [], {}
        for p, store in enumerate(self.stores):
            ranks = rank_of[self.offsets[p] : self.offsets[p + 1]]
            self._cuts.append(self.client.submit(_cut, store, ranks, RANGE_ARTICLES, pure=False, retries=RETRIES))
            for r in np.unique(ranks // RANGE_ARTICLES).tolist():
                self._ranges.setdefault(r, []).append(p)
        self._cut_order = order
        # Passes 2-4 are over and the cuts hold the rows: each store goes once cut (the scheduler keeps
        # how to make it again, should a worker holding a cut die).
        for store in self.stores:
            store.release()
        self.stores = []

    def _range_jobs(self, fn: Callable[..., object]) -> Iterator[tuple[int, Callable[[], Future]]]:
        assert self._cuts is not None
        for r in sorted(self._ranges):
            pieces = [self.client.submit(operator.getitem, self._cuts[p], r, pure=False) for p in self._ranges[r]]
            yield r, _submitter(self.client, fn, *pieces)

    def texts(self, order: np.ndarray) -> Callable[[int, int], Iterator[tuple[bytes, int]]]:
        self._cut_all(order)
        ranges = self._ordered(self._range_jobs(_range_texts))
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
        for _, rows in self._ordered(self._range_jobs(_range_matches)):
            yield rows

    def finished(self, columns: list[str], numbers: _Numbers, order: np.ndarray) -> None:
        self._report = (columns, numbers, order)

    def _names(self) -> Future:
        """The words and the classifier's feature names, on every worker once (the report's cells name them)."""
        if self._names_f is None:
            assert self._report is not None
            num = self._report[1]
            # In a list: a tuple would be scattered as one future per item.
            self._names_f = self.client.scatter([(num.words, num.why_names)], broadcast=True, hash=False)[0]
        return self._names_f

    def _range_numbers(self, r: int) -> _Numbers:
        """The report's numbers of range ``r`` (id order), without the name lists (``_names``)."""
        assert self._report is not None
        num, n = self._report[1], len(self._report[2])
        lo, hi = r * RANGE_ARTICLES, min(n, (r + 1) * RANGE_ARTICLES)
        return _Numbers(
            n_tokens=num.n_tokens[lo:hi], n_sentences=num.n_sentences[lo:hi], n_masked=num.n_masked[lo:hi],
            rate=num.rate[lo:hi], sim=num.sim[lo:hi], style=num.style[lo:hi], predicted=num.predicted[lo:hi],
            top=num.top[lo:hi], words=[], groups=num.groups, why_ids=num.why_ids[lo:hi],
            why_amount=num.why_amount[lo:hi], why_names=[],
        )

    def frames(self) -> tuple[Any, Any]:
        """``report.csv`` and ``matches.csv`` as Dask DataFrames, one partition per range of id order (lazy)."""
        import dask
        import dask.dataframe as dd

        from ..dask import matches_frame, report_frame

        assert self._report is not None, "frames() needs a finished analysis"
        columns, _, order = self._report
        self._cut_all(order)
        assert self._cuts is not None
        names = self._names()
        reports, matches = [], []
        for r in sorted(self._ranges):
            pieces = [dask.delayed(operator.getitem)(self._cuts[p], r) for p in self._ranges[r]]
            reports.append(dask.delayed(_range_report)(columns, self._range_numbers(r), names, *pieces))
            matches.append(dask.delayed(_range_matches_frame)(*pieces))
        report = dd.from_delayed(reports, meta=report_frame(csv_line(columns)), verify_meta=False)
        match_rows = dd.from_delayed(matches, meta=matches_frame(csv_line(MATCHES_COLUMNS)), verify_meta=False)
        return report, match_rows

    def parquet(self, table: str) -> Iterator[bytes]:
        """``table`` ("report" or "matches") as Parquet files, one per range of id order, made on the workers."""
        assert self._report is not None, "parquet() needs a finished analysis"
        columns, _, order = self._report
        self._cut_all(order)
        assert self._cuts is not None
        names = self._names() if table == "report" else None

        def jobs() -> Iterator[tuple[int, Callable[[], Future]]]:
            assert self._cuts is not None
            for r in sorted(self._ranges):
                pieces = [self.client.submit(operator.getitem, self._cuts[p], r, pure=False) for p in self._ranges[r]]
                if table == "report":
                    yield r, _submitter(self.client, _range_report_parquet, columns, self._range_numbers(r), names,
                                        *pieces)
                else:
                    yield r, _submitter(self.client, _range_matches_parquet, *pieces)

        for _, data in self._ordered(jobs()):
            yield data

    def close(self) -> None:
        """Let the workers forget the partitions."""
        if self.client.status in ("closing", "closed"):  # its futures went with it
            return
        for f in [*self.stores, *(self._cuts or []), self._words, *([self._names_f] if self._names_f else [])]:
            f.release()
        self.stores, self._cuts = [], None


def _submitter(client: Client, fn: Callable[..., object], *args: Any) -> Callable[[], Future]:
    return lambda: client.submit(fn, *args, pure=False, retries=RETRIES)


def _result(future: Future) -> Any:
    distributed = _distributed()
    try:
        return future.result()
    except distributed.KilledWorker as exc:
        raise InputError(f"the Dask workers died running a task more often than the scheduler allows ({exc})") from None


# ----------------------------------------------------------------- the run


@dataclass
class _Words:
    """A vocabulary already in alphabetical order (what ``_finish`` reads of ``Vocabulary``)."""

    words: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.words)


@dataclass
class _Counts:
    data: np.ndarray


def run_partitions(
    partitions: Sequence[Any],
    reader: Reader,
    lexicons: Sequence[Lexicon],
    client: Client,
    *,
    shared: Any = None,
    settle: Callable[[list[PartNumbers]], dict[int, tuple[Any, Reader]]] | None = None,
    jobs: int = 1,
    chunk_articles: int = CHUNK_ARTICLES,
    keep_texts: int | None = 200,
    keep_rows: int | None = 5000,
    progress: Progress | None = None,
    mask: bool = True,
    classify: bool = True,
    model: Trained | None = None,
    on_scored: Callable[[list[Future]], None] | None = None,
    compare: Sequence[str] | None = None,
) -> tuple[AnalysisResult, list[PartNumbers]]:
    """Analyse the partitions on the Dask cluster of ``client``: the local engine's result, the same bytes.

    ``partitions``: what ``reader`` reads on a worker, one each (recipes, or
    Dask ``Delayed`` partitions of a DataFrame, computed on the workers and
    dropped once scored), as ``reader(partition, shared)``; ``shared`` is
    sent to every worker once. ``settle(numbers)`` is called once every
    partition is read, with their numbers in order; it returns the
    partitions to read and score again, with their reader (for renamed
    duplicate ids, say), and is called again until it returns none. ``jobs``:
    processes for the classifier's cross-validation on the client. Returns
    the result (its tables stream from the workers while the client is open)
    and the partitions' numbers (their ``info`` holds the readers' warnings).
    ``on_scored(stores)`` is called once pass 1 is over, with the futures of
    the partitions' stores (a hook for the tests, which kill a worker there).
    """
    lex, timings, lap, tell = prepare(lexicons, chunk_articles, model, progress)
    distributed = _distributed()
    masker = Masker() if mask else None
    # Scattered once to every worker; tasks refer to the futures (passing the objects would pickle them into every task).
    lex_f, masker_f, shared_f = client.scatter([lex, masker, shared], broadcast=True, hash=False)
    tell("score", 0, None)

    def submit(p: int, data: Any, read: Reader) -> tuple[Future, Future, Future]:
        lazy = hasattr(data, "__dask_graph__")  # a Dask DataFrame's partition, as a Delayed
        if lazy:
            data = client.compute(data)
        whole = client.submit(_pass1_part, p, data, read, shared_f, lex_f, masker_f, keep_texts, keep_rows,
                              chunk_articles, pure=False, retries=RETRIES)
        if lazy:  # its data goes once scored; the scheduler keeps how to make it again, should a worker die
            data.release()
        parts = tuple(client.submit(operator.getitem, whole, i, pure=False) for i in range(3))
        whole.release()  # the three parts hold it while they are wanted
        return parts  # type: ignore[return-value]

    tasks = [submit(p, data, reader) for p, data in enumerate(partitions)]
    numbers: list[PartNumbers | None] = [None] * len(tasks)
    store = None
    try:
        done = 0
        position = {t[1].key: p for p, t in enumerate(tasks)}
        for future in distributed.as_completed([t[1] for t in tasks]):
            part = _result(future)
            numbers[position[future.key]] = part
            done += len(part.ids)
            tell("score", done, None)
        while settle is not None:
            again = settle([n for n in numbers if n is not None])
            if not again:
                break
            for p, (data, read) in again.items():
                for f in tasks[p]:
                    f.release()
                tasks[p] = submit(p, data, read)
                old = numbers[p]
                numbers[p] = _result(tasks[p][1])
                done += len(numbers[p].ids) - (len(old.ids) if old else 0)  # type: ignore[union-attr]
                tell("score", done, None)
        got = [n for n in numbers if n is not None]
        total = sum(len(n.ids) for n in got)
        if total == 0:
            raise InputError("no articles to analyse")
        tell("score", total, total)
        if on_scored is not None:
            on_scored([t[0] for t in tasks])
        lap("score")
        merged = _tree_reduce(client, [t[2] for t in tasks])

        state = _client_state(got, merged, lex)
        offsets = np.concatenate(([0], np.cumsum([len(n.ids) for n in got]))).astype(np.int64)
        texts, heads = _placed(merged.texts, offsets), _placed(merged.heads, offsets)
        store = DaskStore(client, [t[0] for t in tasks], [len(n.ids) for n in got], merged.words)
        for t in tasks:
            for f in t[1:]:
                f.release()
        del merged
        lap("merge")
        result = _finish(state, lex, store, texts, heads, keep_rows is None and keep_texts is None, tell, lap, jobs,
                         classify, model, compare)
    except BaseException:
        if store is not None:
            store.close()
        for t in tasks:
            for f in t:
                f.release()
        raise
    finally:
        for f in (lex_f, masker_f, shared_f):
            f.release()
    result.timings = timings
    result.store = store
    result.parquet_parts = {"report": lambda: store.parquet("report"), "matches": lambda: store.parquet("matches")}
    weakref.finalize(result, store.close)
    return result, got


def _tree_reduce(client: Client, partials: list[Future]) -> Partial:
    """The partials merged ``FAN_IN`` at a time on the workers, level by level; the last one comes here."""
    level = partials
    while len(level) > 1:
        level = [client.submit(_merge_partials, *level[i : i + FAN_IN], pure=False, retries=RETRIES)
                 for i in range(0, len(level), FAN_IN)]
    return _result(level[0])


def _client_state(numbers: list[PartNumbers], merged: Partial, lex: CompiledLexicons) -> _Pass1:
    """The local engine's pass-1 state, put together from the partitions' numbers and the merged partial."""
    state = _Pass1(types=SOURCE_TYPES, term_weight=np.zeros(0))
    state.term_rates = merged.term_rates
    state.quote_sums, state.quote_counts = merged.quote_sums, merged.quote_counts
    state.vocab = _Words(merged.words)  # type: ignore[assignment]
    state.df = merged.df
    state.group_counts = _Counts(merged.group_counts)  # type: ignore[assignment]
    state.group_docs = _Counts(merged.group_docs)  # type: ignore[assignment]
    for part in numbers:
        if not part.ids:
            continue
        state.ids.extend(part.ids)
        state.digests.append(part.digests)
        state.type_code.append(part.type_code)
        codes = np.fromiter((state.outlets.setdefault(o, len(state.outlets)) for o in part.outlets), np.int64,
                            len(part.outlets))
        state.outlet_code.append(codes[part.outlet_code])
        state.n_tokens.append(part.n_tokens)
        state.n_sentences.append(part.n_sentences)
        state.n_masked.append(part.n_masked)
        state.typography.append(part.typography)
        state.totals.append(part.totals)
        state.n_matches.append(part.n_matches)
        state.n_docs += len(part.ids)
    return state


def _placed(kept: _Smallest, offsets: np.ndarray) -> _Smallest:
    """``kept`` with its keys turned into input positions, now that each partition's offset is known."""
    out = _Smallest(kept.limit)
    out.items = {int(offsets[key >> 32]) + (key & 0xFFFFFFFF): item for key, item in kept.items.items()}
    return out


# ----------------------------------------------------------------- a corpus on disk, read by the workers


def _read_planned(data: tuple[Any, dict[str, object]], options: Any) -> tuple[list[Article], Any]:
    """A planned part of a corpus on disk, read on a worker: its articles, and what the merge needs of them."""
    from ..corpus.partitions import read_part

    part, again = data
    read = read_part(part, options, **again)
    return read.articles, read.summary()


def _count_planned(part: Any, options: Any) -> Any:
    from ..corpus.partitions import count_part

    return count_part(part, options)


def run_corpus(
    paths: Sequence[str | os.PathLike[str]],
    lexicons: Sequence[Lexicon],
    client: Client,
    *,
    manifest: str | os.PathLike[str] | None = None,
    text_column: str = "text",
    id_column: str | None = None,
    max_article_bytes: int | None = None,
    partition_bytes: int | None = None,
    **options: Any,
) -> AnalysisResult:
    """Analyse the corpus under ``paths`` on the cluster, its files read by the workers (``framing.corpus.partitions``).

    The paths must be readable at the same place on every worker (a shared
    or copied file system). This process plans the parts (it lists folders
    and reads file sizes and Parquet metadata, not the text), and the result
    has the warnings and skips ``CorpusReader`` would give. ``options`` go to
    ``run_partitions``.
    """
    from ..corpus.partitions import merge_reads, number_parts, plan_parts

    extra: dict[str, Any] = {}
    if max_article_bytes is not None:
        extra["max_article_bytes"] = max_article_bytes
    plan = plan_parts(paths, manifest=manifest, text_column=text_column, id_column=id_column,
                      target_bytes=partition_bytes or PARTITION_BYTES, **extra)
    if plan.to_count:  # the first line number of each piece of a split JSONL file: counted on the workers
        options_f = client.scatter(plan.options, broadcast=True, hash=False)
        counts = client.gather([client.submit(_count_planned, plan.parts[i], options_f, pure=False, retries=RETRIES)
                                for i in plan.to_count])
        options_f.release()
        plan = number_parts(plan, counts)
    merged: list[Any] = []

    def settle(numbers: list[PartNumbers]) -> dict[int, tuple[Any, Reader]]:
        if merged:  # the merge replayed the whole corpus: its warnings stand, and one round of rereading is all
            return {}
        merged.append(merge_reads(plan, [n.info for n in numbers]))
        return {i: ((plan.parts[i], again), _read_planned) for i, again in merged[0].rerun.items()}

    result, _ = run_partitions([(part, {}) for part in plan.parts], _read_planned, lexicons, client,
                               shared=plan.options, settle=settle, **options)
    result.warnings = [*merged[0].warnings, *(w for lx in lexicons for w in lx.warnings)]
    result.skipped = merged[0].skipped
    return result
