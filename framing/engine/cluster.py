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
    workers  each range of id order put together from the partitions'
             spill files, a few ranges at a time -----------------> client writes

Each stage is the local engine's own code, run on a partition instead of
the whole spill (``framing.engine.worker``, what a worker runs):
``score_chunk`` and ``Pass1.merge`` for pass 1 (into a ``Spill`` in the
worker's local directory, so that a worker holds its partitions on its disk),
``pass2_block`` ... ``pass4_block`` for the later passes;
``framing.engine.finish`` runs here, on the client, with a ``DaskStore``
in place of the local spill. Every per-article figure depends on that
article alone and every corpus figure is an exact (integer or fixed-point)
sum, so the partitioning changes no byte: the CSVs equal the local engine's.

What reaches the client: per-article numbers (ids, token counts, rates,
similarities: what the local engine keeps in memory), the merged
vocabulary, the articles kept for report.html, and the output rows it
writes. Never the corpus text: the workers read it (``framing.corpus.partitions``
for files; the partitions of a Dask DataFrame in ``framing.dask``). A worker
that dies takes its partitions with it; Dask recomputes them from their
recipes (a file range, a DataFrame partition), which are small.

Dask is imported only when this engine is used (``pip install "framing[dask]"``).
"""

from __future__ import annotations

import operator
import os
import weakref
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from ..analysis.mask import Masker
from ..defaults import CHUNK_ARTICLES, KEEP_ROWS, KEEP_TEXTS, PARTITION_BYTES
from ..errors import InputError
from ..grouping import Comparing
from ..lexicon.model import Lexicon
from ..result import AnalysisResult
from ..stats.classify import Trained
from ..types import Article, LabelColumn, Progress
from .dask_store import RETRIES, DaskStore, require_distributed, task_result
from .finish import Pass1Output, RunOptions, finish
from .local import fork_fits
from .memory import give_back_memory
from .prepare import Clock, prepare
from .spill import Parked, receive_in
from .state import ArticleNumbers
from .worker import Partial, PartNumbers, Reader, merge_partials, pass1_part

if TYPE_CHECKING:
    from distributed import Client, Future

__all__ = [
    "CONNECT_TIMEOUT", "DISTRIBUTED", "FAST_MALLOC", "analyze_on_cluster", "connect", "describe", "local_cluster",
    "peak_memory", "run_corpus", "run_partitions",
]

CONNECT_TIMEOUT = 5  # seconds to reach a scheduler (and for it to have a worker) before giving up
FAN_IN = 8  # partials merged per task of the tree reduction
DISTRIBUTED = (
    "reading",
    "pass 1: tokenize, match, count",
    "merging the vocabulary and group counts (tree reduction)",
    "pass 2: TF-IDF rows, group sums, top terms",
    "pass 3: similarities",
    "pass 4: classifier probabilities and reasons",
    "cutting the output rows into id order",
)

def connect(scheduler: str | None, *, timeout: float = CONNECT_TIMEOUT) -> tuple[Client, Callable[[], None]]:
    """A Dask client and the function that closes it (and the cluster it started).

    ``scheduler``: an address (``tcp://host:8786``) connects to that
    scheduler, which must have at least one worker within ``timeout``
    seconds. ``None`` starts a ``LocalCluster`` on this machine, one
    single-threaded worker process per core, closed by the returned function.
    Unreachable or worker-less schedulers raise ``InputError``.
    """
    distributed = require_distributed()
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

    distributed = require_distributed()
    with dask.config.set(FAST_MALLOC):
        return distributed.LocalCluster(
            n_workers=n_workers, threads_per_worker=1, processes=True,
            dashboard_address=":0",  # any free port: another cluster on 8787 would be a warning on stderr
        )


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


# ----------------------------------------------------------------- the run


def run_partitions(
    partitions: Sequence[Any],
    reader: Reader,
    lexicons: Sequence[Lexicon],
    client: Client,
    *,
    shared: Any = None,
    settle: Callable[[list[PartNumbers]], dict[int, tuple[Any, Reader]]] | None = None,
    reading: Callable[[list[PartNumbers]], tuple[list[str], int]] | None = None,
    jobs: int = 1,
    chunk_articles: int = CHUNK_ARTICLES,
    keep_texts: int | None = KEEP_TEXTS,
    keep_rows: int | None = KEEP_ROWS,
    progress: Progress | None = None,
    mask: bool = True,
    classify: bool = True,
    model: Trained | None = None,
    labels: LabelColumn | None = None,
    comparing: Comparing | None = None,
    compare: Sequence[str] | None = None,
    counting: str = "framing",
    on_scored: Callable[[list[Future]], None] | None = None,
) -> AnalysisResult:
    """Analyse the partitions on the Dask cluster of ``client``: the local engine's result, the same bytes.

    ``partitions``: what ``reader`` reads on a worker, one each (recipes, or
    Dask ``Delayed`` partitions of a DataFrame, computed on the workers and
    dropped once scored), as ``reader(partition, shared)``; ``shared`` is
    sent to every worker once. ``settle(numbers)`` is called once every
    partition is read, with their numbers in order; it returns the
    partitions to read and score again, with their reader (for renamed
    duplicate ids, say), and is called again until it returns none.
    ``reading(numbers)`` then gives the readers' warnings and skipped
    articles for the result. ``jobs``: processes for the classifier's
    cross-validation on the client. The result's tables stream from the
    workers while the client is open. ``on_scored(stores)`` is called once
    pass 1 is over, with the futures of the partitions' stores (a hook for
    the tests, which kill a worker there).
    """
    lex, clock = prepare(lexicons, chunk_articles, model, progress, counting)
    clock.at_lap = give_back_memory  # the client holds the per-article numbers, as the local engine does
    masker = Masker() if mask else None
    # Scattered once to every worker; tasks refer to the futures (passing the objects would pickle them into every task).
    # (The columns may hold a grouping column's values of every article: sent once too.)
    columns = (comparing or Comparing()).columns
    lex_f, masker_f, shared_f, columns_f = client.scatter([lex, masker, shared, columns], broadcast=True, hash=False)
    client.run(_receive_here)
    pass1 = _Pass1Tasks(client, (shared_f, lex_f, masker_f, keep_texts, keep_rows, chunk_articles, columns_f))
    store = None
    try:
        got = pass1.score(partitions, reader, settle, clock)
        if on_scored is not None:
            on_scored(pass1.stores())
        clock.lap("score")
        merged = _tree_reduce(client, pass1.partials())
        offsets = np.concatenate(([0], np.cumsum([len(n.ids) for n in got]))).astype(np.int64)
        store = DaskStore(client, pass1.stores(), [len(n.ids) for n in got], merged.sums.words)
        pass1.release()  # the bound stores are all that is wanted now (Dask can still remake them from the tasks)
        output = Pass1Output(ArticleNumbers.concat([n.numbers for n in got]), merged.sums,
                             merged.texts.placed(offsets), merged.heads.placed(offsets))
        del merged
        warnings, skipped = reading(got) if reading is not None else ([], 0)
        del got  # each part's numbers, joined in ``output``: kept, the client would hold them twice all run
        clock.lap("merge")
        options = RunOptions(collect=keep_rows is None and keep_texts is None, classify=classify, model=model,
                             compare=compare, map_fits=fork_fits(jobs), labels=labels,
                             comparing=comparing or Comparing())
        result = finish(output, lex, store, clock, options, warnings=warnings, skipped=skipped)
    except BaseException:
        if store is not None:
            store.close()
        pass1.release()
        raise
    finally:
        for f in (lex_f, masker_f, shared_f, columns_f):
            f.release()
    weakref.finalize(result, store.close)
    return result


class _Pass1Tasks:
    """Pass 1's tasks, one per partition: each gives the partition's store, numbers and partial (three futures)."""

    def __init__(self, client: Client, args: tuple) -> None:
        self.client = client
        self.args = args  # shared, lexicons, masker (futures), keep_texts, keep_rows, chunk_articles, columns
        self.tasks: list[tuple[Future, Future, Future]] = []

    def submit(self, p: int, data: Any, read: Reader) -> tuple[Future, Future, Future]:
        client = self.client
        lazy = hasattr(data, "__dask_graph__")  # a Dask DataFrame's partition, as a Delayed
        if lazy:
            data = client.compute(data)
        whole = client.submit(_pass1_on_worker, p, data, read, *self.args, pure=False, retries=RETRIES)
        if lazy:  # its data goes once scored; the scheduler keeps how to make it again, should a worker die
            data.release()
        parts = tuple(client.submit(operator.getitem, whole, i, pure=False) for i in range(3))
        whole.release()  # the three parts hold it while they are wanted
        return parts  # type: ignore[return-value]

    def score(
        self, partitions: Sequence[Any], reader: Reader,
        settle: Callable[[list[PartNumbers]], dict[int, tuple[Any, Reader]]] | None, clock: Clock,
    ) -> list[PartNumbers]:
        """Pass 1 over every partition, the reruns ``settle`` asks for included: the partitions' numbers, in order."""
        distributed = require_distributed()
        clock.tell("score", 0, None)
        self.tasks = [self.submit(p, data, reader) for p, data in enumerate(partitions)]
        numbers: list[PartNumbers | None] = [None] * len(self.tasks)
        done = 0
        position = {t[1].key: p for p, t in enumerate(self.tasks)}
        for future in distributed.as_completed([t[1] for t in self.tasks]):
            part = task_result(future)
            numbers[position[future.key]] = part
            future.release()  # here now: the worker need not hold a partition's numbers until the merge
            done += len(part.ids)
            clock.tell("score", done, None)
        while settle is not None:
            again = settle([n for n in numbers if n is not None])
            if not again:
                break
            for p, (data, read) in again.items():
                for f in self.tasks[p]:
                    f.release()
                self.tasks[p] = self.submit(p, data, read)
                old = numbers[p]
                numbers[p] = task_result(self.tasks[p][1])
                done += len(numbers[p].ids) - (len(old.ids) if old else 0)  # type: ignore[union-attr]
                clock.tell("score", done, None)
        got = [n for n in numbers if n is not None]
        total = sum(len(n.ids) for n in got)
        if total == 0:
            raise InputError("no articles to analyse")
        clock.tell("score", total, total)
        return got

    def stores(self) -> list[Future]:
        return [t[0] for t in self.tasks]

    def partials(self) -> list[Future]:
        return [t[2] for t in self.tasks]

    def release(self) -> None:
        for t in self.tasks:
            for f in t:
                f.release()


def _local_directory() -> str | None:
    """This worker's local directory (Dask's scratch space, cleared when the worker goes); elsewhere ``None``."""
    try:
        return require_distributed().get_worker().local_directory
    except ValueError:  # not on a worker (a test calling a task directly): the system's temporary folder
        return None


def _pass1_on_worker(*args: Any) -> tuple[Any, Any, Parked]:
    """``pass1_part`` with its spill files and its partial on the worker's disk, not in its memory.

    A worker may score a hundred partitions before the tree reduction starts (a rerun of one,
    once every partition is read, may replace its partial), and their partials held in memory
    were most of its peak: about 15 MB pickled each, and two or three times that unpickled.
    """
    folder = _local_directory()
    receive_in(folder)  # a worker started after the run began (one replacing a dead one) learns it here
    try:
        store, numbers, partial = pass1_part(*args, spill_dir=folder)
        return store, numbers, Parked(partial, folder)
    finally:
        give_back_memory()


def _receive_here(dask_worker: Any) -> None:
    """On each worker (``client.run``): partitions moved to it land in its local directory."""
    receive_in(dask_worker.local_directory)


def _merge_on_worker(*parked: Parked) -> Parked:
    """The parked partials merged one at a time (two in memory at once, not ``FAN_IN``), parked again."""
    try:
        merged = parked[0].load()
        for part in parked[1:]:
            merged = merge_partials(merged, part.load())
        return Parked(merged, _local_directory())
    finally:
        give_back_memory()


def _tree_reduce(client: Client, partials: list[Future]) -> Partial:
    """The parked partials merged ``FAN_IN`` at a time on the workers, level by level; the last one comes here."""
    level = partials
    while len(level) > 1:
        level = [client.submit(_merge_on_worker, *level[i : i + FAN_IN], pure=False, retries=RETRIES)
                 for i in range(0, len(level), FAN_IN)]
    return task_result(level[0]).load()


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

    def reading(numbers: list[PartNumbers]) -> tuple[list[str], int]:
        return list(merged[0].warnings), merged[0].skipped

    return run_partitions([(part, {}) for part in plan.parts], _read_planned, lexicons, client,
                          shared=plan.options, settle=settle, reading=reading, **options)


def analyze_on_cluster(
    paths: Sequence[str | os.PathLike[str]], lexicons: Sequence[Lexicon], *, client: Client | None = None,
    scheduler: str | None = None, **options: Any,
) -> AnalysisResult:
    """``run_corpus`` on ``client``'s cluster, else on the scheduler at ``scheduler``, else on a local cluster.

    A cluster started here is closed when the analysis ends, so the result's
    tables are brought here first (they cannot stream from it afterwards).
    """
    close = None
    if client is None:
        client, close = connect(scheduler)
    try:
        result = run_corpus(paths, lexicons, client, **options)
        if close is None:
            return result
        kept = {name: b"".join(stream()) for name, stream in result.tables.items()}
        return replace(result, tables={name: (lambda data=data: iter([data])) for name, data in kept.items()},
                       parquet_parts={})
    finally:
        if close is not None:
            close()
