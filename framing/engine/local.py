"""The local engine: pass 1 in this process or a process pool, passes 2-4 in forked processes over a spill.

::

    pass 1  chunks of articles -> score_chunk (pure, in ``jobs`` processes)
            -> Pass1.merge: vocabulary, document frequencies, group counts;
               each article's term counts and CSV cells go to the spill
    finish  framing.engine.finish with a SpillStore: passes 2-4 over blocks
            of the spill in forked processes, then the corpus figures and
            the tables in id order

Memory holds the vocabulary, a few numbers per article (tokens, the sum of
match weights per category, similarities, ten top-term ids, offsets into the
spill) and a few chunks; never the corpus text or its token table. At most
``2 * jobs`` chunks (pass 1) or blocks (passes 2 to 4) are in flight.
Passes 2 to 4 and the classifier's fits run in forked processes, which
inherit the spill and the vocabulary arrays instead of receiving them.

**The same bytes for any ``jobs``, chunk size and input order.** Every
per-article figure is computed from that article alone, with its terms in
alphabetical order; corpus figures are integer sums (document frequencies,
counts) or sums of TF-IDF weights in fixed point (exact in any order);
means and spreads over articles are taken in id order.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from functools import partial
from typing import Any, Protocol

import numpy as np

from ..analysis.chunk_rows import ChunkRows, score_chunk
from ..analysis.mask import Masker
from ..analysis.match import CompiledLexicons
from ..defaults import CHUNK_ARTICLES, KEEP_ROWS, KEEP_TEXTS
from ..errors import InputError
from ..grouping import Comparing
from ..lexicon.model import Lexicon
from ..result import AnalysisResult
from ..stats.classify import FitMap, Trained
from ..types import Article, LabelColumn, Progress
from .finish import Pass1Output, RunOptions, finish
from .memory import give_back_memory
from .passes import BlockContext, BlockFunction, blocks
from .prepare import prepare
from .rows import matches_csv
from .spill import Spill
from .state import Pass1
from .token_cache import CacheStats, TokenCache

__all__ = ["Reading", "SpillStore", "fork_fits", "map_blocks", "run", "score_chunks"]


class Reading(Protocol):
    """What reading the corpus said, read once pass 1 is over: ``CorpusReader`` and ``Corpus`` have both."""

    warnings: list[str]
    skipped: int


def run(
    articles: Iterable[Article],
    lexicons: Sequence[Lexicon],
    *,
    jobs: int = 1,
    chunk_articles: int = CHUNK_ARTICLES,
    keep_texts: int | None = KEEP_TEXTS,
    keep_rows: int | None = KEEP_ROWS,
    progress: Progress | None = None,
    spill_dir: str | os.PathLike[str] | None = None,
    estimate: Callable[[int], int | None] | None = None,
    mask: bool = True,
    classify: bool = True,
    model: Trained | None = None,
    compare: Sequence[str] | None = None,
    counting: str = "framing",
    reading: Reading | None = None,
    labels: LabelColumn | None = None,
    comparing: Comparing | None = None,
    token_cache: TokenCache | None = None,
) -> AnalysisResult:
    """Analyse a stream of articles with the lexicons; return the result with its tables.

    Parameters
    ----------
    articles : iterable of Article
        Read once, chunk by chunk.
    lexicons : sequence of Lexicon
        Their ``role`` says which are framing dimensions and style markers.
    jobs : int
        Processes for the per-chunk and per-block work (1: this process).
    chunk_articles : int
        Articles per pass-1 task; results do not depend on it.
    keep_texts : int or None
        Articles (the first by id) whose text and matches stay in memory for
        the evidence views; ``None`` keeps all.
    keep_rows : int or None
        Rows of ``scores`` (the first by id) kept as a DataFrame; ``None``
        keeps all (the Python API), and ``matches`` then holds every match.
    progress : callable, optional
        Called as ``progress(stage, done, total)``; ``total`` is ``None``
        while the number of articles is not known yet.
    spill_dir : path, optional
        Where the temporary spill folder goes (default: the system's).
    estimate : callable, optional
        ``estimate(done)``: the expected number of articles, for progress
        while reading (``CorpusReader.estimated_total``).
    mask : bool
        Leave bylines, credits, captions, URLs and outlet names out of the
        term counts (``framing.analysis.mask``); default True.
    classify : bool
        Train the source-type classifier when the labels allow
        (``framing.stats.classify``); default True.
    model : Trained, optional
        A saved classifier (``framing.model_file.load_model``) to apply
        instead of training one; its lexicon columns must be this run's.
    compare : two article ids, optional
        The pair report.html shows side by side (``framing.stats.pairs``);
        their texts must be kept. Default: the pair chosen from the evidence.
    reading : optional
        What read ``articles`` (a ``CorpusReader``, a ``Corpus``): its
        ``warnings`` and ``skipped``, read once pass 1 is over, go into the
        result.
    comparing : Comparing, optional
        What the comparisons compare (``framing.grouping``): the grouping
        column and where each article's value and date come from, the
        timeline's period, the split date. Default: source types, no dates.
    labels : LabelColumn, optional
        A column of the corpus (values by article id) to train a model of,
        beside the classifier: the result's ``label_model``
        (``framing.stats.label_model``). With a saved model of a label
        column (``model``), the right answers to evaluate it on instead
        (``evaluation.csv``'s ``label_applied`` rows).
    token_cache : TokenCache, optional
        Where each chunk's token table is read from when a run before
        tokenized the same chunk, and stored otherwise
        (``framing.engine.token_cache``); the outputs are the same bytes.
        ``None``: every chunk is tokenized.

    Returns
    -------
    AnalysisResult
        Its ``tables`` stream ``report.csv`` and ``matches.csv`` in id order
        from the spill, which is removed when the result is garbage-collected.
    """
    if jobs < 1:
        raise InputError(f"jobs must be at least 1, got {jobs}", argument="jobs")
    lex, clock = prepare(lexicons, chunk_articles, model, progress, counting)
    clock.at_lap = give_back_memory  # what a stage freed is the next stage's room (framing.engine.memory)
    spill = Spill(spill_dir)
    try:
        p1 = Pass1(lex, keep_texts=keep_texts, keep_rows=keep_rows, columns=(comparing or Comparing()).columns)
        clock.tell("score", 0, None)
        cache_stats = CacheStats()
        for part in score_chunks(p1.chunks(articles, chunk_articles), lex, jobs, Masker() if mask else None,
                                 token_cache, cache_stats):
            p1.merge(part, spill)
            expected = estimate(p1.n_docs) if estimate is not None else None
            clock.tell("score", p1.n_docs, max(expected, p1.n_docs) if expected is not None else None)
        if token_cache is not None:
            token_cache.trim()
        clock.lap("score")
        if p1.n_docs == 0:
            raise InputError("no articles to analyse")
        sums, alpha = p1.sums()
        store = SpillStore(spill, p1, alpha, jobs)
        output = Pass1Output(p1.numbers(), sums, p1.texts, p1.heads)
        give_back_memory()  # the chunks' arrays, now joined: at a million articles about 0.5 GB
        options = RunOptions(collect=keep_rows is None and keep_texts is None, classify=classify, model=model,
                             compare=compare, map_fits=fork_fits(jobs), labels=labels,
                             comparing=comparing or Comparing())
        result = finish(output, lex, store, clock, options, warnings=list(reading.warnings) if reading else [],
                        skipped=reading.skipped if reading else 0)
    except BaseException:
        spill.close()
        raise
    weakref.finalize(result, spill.close)  # the tables read the spill as long as the result lives; then it goes
    result.token_cache = cache_record(token_cache, cache_stats)
    return result


def cache_record(cache: TokenCache | None, stats: CacheStats) -> dict[str, object]:
    """What ``run.json`` says of the token cache: whether it was used, where, chunks read and tokenized."""
    if cache is None:
        return {"used": False}
    return {"used": True, "folder": str(cache.folder), "hits": stats.hits, "misses": stats.misses,
            "written_mb": round(stats.written_bytes / 1e6, 1)}


# ----------------------------------------------------------------- pass 1 in a pool

_WORKER: tuple[CompiledLexicons, Masker | None, TokenCache | None] | None = None


def _init_worker(lex: CompiledLexicons, masker: Masker | None, cache: TokenCache | None) -> None:
    global _WORKER
    _WORKER = (lex, masker, cache)


def _score(chunk: list[Article], lex: CompiledLexicons, masker: Masker | None,
           cache: TokenCache | None) -> tuple[ChunkRows, CacheStats]:
    """One chunk scored, its token table from the cache when there is one, and what the cache did for it."""
    if cache is None:
        return score_chunk(chunk, lex, masker), CacheStats()
    before = dataclasses.replace(cache.stats)
    rows = score_chunk(chunk, lex, masker, cache.table([a.text for a in chunk]))
    return rows, cache.stats.since(before)


def _score_in_worker(chunk: list[Article]) -> tuple[ChunkRows, CacheStats]:
    assert _WORKER is not None
    return _score(chunk, *_WORKER)


def score_chunks(
    chunks: Iterable[list[Article]], lex: CompiledLexicons, jobs: int = 1, masker: Masker | None = None,
    cache: TokenCache | None = None, cache_stats: CacheStats | None = None,
) -> Iterator[ChunkRows]:
    """``score_chunk`` of every chunk, in order, with at most ``2 * jobs`` chunks in flight.

    Pass 1 alone: tokens, offsets, sentences, matches, per-article totals
    (``rates(rows.totals, rows.n_tokens)`` are the lexicon rates). With a
    ``cache``, token tables come from it and go to it; ``cache_stats`` adds
    up what it did in every process.
    """
    stats = cache_stats if cache_stats is not None else CacheStats()
    chunks = iter(chunks)
    if jobs <= 1:
        for chunk in chunks:
            rows, did = _score(chunk, lex, masker, cache)
            stats.add(did)
            yield rows
        return
    shared = cache.for_processes(jobs) if cache is not None else None  # the run's write budget, split
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(lex, masker, shared)) as pool:
        pending: list[Future[tuple[ChunkRows, CacheStats]]] = []
        for chunk in chunks:
            pending.append(pool.submit(_score_in_worker, chunk))
            if len(pending) >= 2 * jobs:
                rows, did = pending.pop(0).result()
                stats.add(did)
                yield rows
        for f in pending:
            rows, did = f.result()
            stats.add(did)
            yield rows


# ----------------------------------------------------------------- passes 2-4 and the fits in forked processes

_FORKED: Any = None  # set before a pool forks: its processes inherit it, nothing is pickled


def _forks(jobs: int) -> bool:
    return jobs > 1 and "fork" in multiprocessing.get_all_start_methods()


def _block_in_fork(fn: BlockFunction, lo: int, hi: int) -> object:
    return fn(_FORKED, lo, hi)


def map_blocks(fn: BlockFunction, context: BlockContext, n: int, jobs: int) -> Iterator[tuple[int, int, object]]:
    """``fn`` of every block of articles, in order; in ``jobs`` forked processes when the system forks.

    The workers inherit the context (the spill's open files, the vocabulary
    arrays) from the fork, so nothing corpus-sized is pickled; without fork,
    the blocks run here.
    """
    global _FORKED
    spans = list(blocks(n))
    if not _forks(jobs) or len(spans) < 2:
        for lo, hi in spans:
            yield lo, hi, fn(context, lo, hi)
        return
    _FORKED = context
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            pending: list[tuple[int, int, Future]] = []
            for lo, hi in spans:  # at most 2 * jobs blocks in flight: their results are not small
                pending.append((lo, hi, pool.submit(_block_in_fork, fn, lo, hi)))
                if len(pending) >= 2 * jobs:
                    a, b, f = pending.pop(0)
                    yield a, b, f.result()
            for a, b, f in pending:
                yield a, b, f.result()
    finally:
        _FORKED = None


def _fit_in_fork(fn: Callable[[tuple, tuple[int, str]], tuple], task: tuple[int, str]) -> tuple:
    return fn(_FORKED, task)


def fork_fits(jobs: int) -> FitMap:
    """The classifier's fits in ``jobs`` forked processes, which inherit the training data (``FitMap``)."""

    def run_fits(fn: Callable[[tuple, tuple[int, str]], tuple], data: tuple, tasks: list[tuple[int, str]]) -> list:
        global _FORKED
        if not _forks(jobs):
            return [fn(data, t) for t in tasks]
        _FORKED = data
        try:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                return list(pool.map(partial(_fit_in_fork, fn), tasks))
        finally:
            _FORKED = None

    return run_fits


class SpillStore:
    """The local engine's store (``framing.engine.passes.Store``): one spill, blocks in forked processes."""

    def __init__(self, spill: Spill, p1: Pass1, alpha: np.ndarray, jobs: int) -> None:
        self.spill = spill
        self.entry_ptr = np.append(np.concatenate(p1.entry_ptr), spill.n_entries).astype(np.int64)
        self.byte_ptr = np.concatenate(p1.byte_ptr)
        p1.entry_ptr.clear()
        p1.byte_ptr.clear()
        self.alpha = alpha  # the spill's word ids (first met) -> corpus columns (alphabetical)
        self.jobs = jobs
        spill.flush()  # forked workers read the files

    def map(self, fn: BlockFunction, context: BlockContext, n: int) -> Iterator[tuple[int, int, object]]:
        return map_blocks(fn, context.bound(self.spill, self.entry_ptr, self.alpha), n, self.jobs)

    def texts(self, order: np.ndarray) -> Callable[[int, int], Iterator[tuple[bytes, int]]]:
        byte_ptr = self.byte_ptr[order]

        def read(lo: int, hi: int) -> Iterator[tuple[bytes, int]]:
            for p0, p1, p2 in byte_ptr[lo:hi].tolist():
                yield self.spill.read_bytes(p0, p2), p1 - p0

        return read

    def matches(self, order: np.ndarray) -> Iterator[bytes]:
        byte_end = np.append(self.byte_ptr[1:, 0], self.spill.n_bytes)[order]
        return matches_csv(self.spill.read_bytes, self.byte_ptr[order], byte_end)

    def finished(self, columns: list[str], numbers: object, order: np.ndarray) -> None:
        pass  # the tables are written from the spill by the closures ``finish`` returns

    def parquet_parts(self) -> dict[str, Callable[[], Iterator[bytes]]]:
        return {}  # the writer converts the CSV tables

    def close(self) -> None:
        """Remove the spill (idempotent)."""
        self.spill.close()

