"""The local engine: run the per-chunk stages in this process or a process pool, merge, finish.

::

    pass 1  chunks of articles -> score_chunk (pure, in N processes)
            -> merge: vocabulary, document frequencies, group counts;
               spill each article's term counts and CSV cells
    pass 2  spilled counts -> TF-IDF rows -> group sums, top terms
    pass 3  spilled counts -> TF-IDF rows . group sums -> leave-one-out similarities
    finish  style scores, predictions, summaries, distinctive terms (all from
            per-article numbers and group sums), then the tables in id order

Memory holds the vocabulary, a few numbers per article (tokens, the sum of
match weights per category, similarities, ten top-term ids, offsets into the
spill) and a few chunks; never the corpus text or its token table. At most
``2 * jobs`` chunks (pass 1) or blocks (passes 2 and 3) are in flight.
Passes 2 and 3 run in forked processes, which inherit the spill and the
vocabulary arrays instead of receiving them.

**The same bytes for any ``jobs``, chunk size and input order.** Every
per-article figure is computed from that article alone, with its terms in
alphabetical order; corpus figures are integer sums (document frequencies,
counts) or sums of TF-IDF weights in fixed point (``FIXED_POINT`` fractional
bits, exact in any order); means and spreads over articles are taken in id
order.
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import os
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..analysis.chunk_rows import ChunkRows, score_chunk
from ..analysis.features import idf, min_df, rates, tfidf_rows
from ..analysis.mask import Masker
from ..analysis.match import CompiledLexicons, compile_lexicons
from ..analysis.score import loo_similarity, predict, profile_similarity
from ..analysis.typography import NAMES as TYPOGRAPHY
from ..analysis.vocabulary import Vocabulary
from ..cells import csv_cell, csv_line, format_floats
from ..errors import InputError
from ..lexicon.model import Lexicon
from ..result import AnalysisResult
from ..schema import EVALUATION_COLUMNS, MATCHES_COLUMNS
from ..stats.classify import (
    MAX_TRAIN,
    MIN_PER_TYPE,
    Trained,
    cross_validate,
)
from ..stats.comparisons import RATE_FIXED_POINT, comparisons, term_rate_sums
from ..stats.distinctive import distinctive_terms
from ..stats.groups import summarize
from ..stats.labels import label_table
from ..stats.pairs import choose_pair
from ..types import LABELLED_TYPES, SOURCE_TYPES, TYPE_LABELS, Article
from .spill import Spill

__all__ = [
    "CHUNK_ARTICLES", "FIXED_POINT", "MAX_SIMILARITY_ARTICLES", "TOP_TERMS", "Progress", "Scorer", "batches", "prepare", "run",
    "score_chunks",
]

CHUNK_ARTICLES = 500  # articles per pass-1 task: big enough to amortise the per-chunk work
TOP_TERMS = 10  # TF-IDF terms listed per article
MAX_SIMILARITY_ARTICLES = 300  # above this, only group-mean similarities are kept
FIXED_POINT = 32  # fractional bits of the group sums of TF-IDF weights (exact, order-free addition)
_BLOCK = 4096  # articles per block of passes 2 and 3 and of writing (at most 2**16: see top terms)

Progress = Callable[[str, int, "int | None"], None]
# Pass 1 over chunks: ``scorer(chunks, lex, masker)`` yields each chunk's ``score_chunk`` in input order
# (``score_chunks`` here, ``framing.engine.dask.score_chunks_dask`` on a cluster).
Scorer = Callable[[Iterator[list[Article]], CompiledLexicons, "Masker | None"], Iterable[ChunkRows]]


# ----------------------------------------------------------------- workers

_WORKER: tuple[CompiledLexicons, Masker | None] | None = None


def _init_worker(lex: CompiledLexicons, masker: Masker | None) -> None:
    global _WORKER
    _WORKER = (lex, masker)


def _score_in_worker(chunk: list[Article]) -> ChunkRows:
    assert _WORKER is not None
    return score_chunk(chunk, *_WORKER)


def score_chunks(
    chunks: Iterable[list[Article]], lex: CompiledLexicons, jobs: int = 1, masker: Masker | None = None
) -> Iterator[ChunkRows]:
    """``score_chunk`` of every chunk, in order, with at most ``2 * jobs`` chunks in flight.

    Pass 1 alone: tokens, offsets, sentences, matches, per-article totals
    (``rates(rows.totals, rows.n_tokens)`` are the lexicon rates).
    """
    chunks = iter(chunks)
    if jobs <= 1:
        for chunk in chunks:
            yield score_chunk(chunk, lex, masker)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(lex, masker)) as pool:
        pending: list[Future[ChunkRows]] = []
        for chunk in chunks:
            pending.append(pool.submit(_score_in_worker, chunk))
            if len(pending) >= 2 * jobs:
                yield pending.pop(0).result()
        for f in pending:
            yield f.result()


def batches(items: Iterable[Article], size: int = CHUNK_ARTICLES) -> Iterator[list[Article]]:
    """Lists of ``size`` articles (the last one shorter), read lazily."""
    it = iter(items)
    while batch := list(itertools.islice(it, size)):
        yield batch


# ----------------------------------------------------------------- merge state


class _Growing:
    """A 2-D integer array whose second axis grows with the vocabulary."""

    def __init__(self, rows: int) -> None:
        self.data = np.zeros((rows, 1 << 14), dtype=np.int64)

    def ensure(self, size: int) -> None:
        if size > self.data.shape[1]:
            bigger = np.zeros((self.data.shape[0], max(size, 2 * self.data.shape[1])), dtype=np.int64)
            bigger[:, : self.data.shape[1]] = self.data
            self.data = bigger


class _Smallest:
    """The ``limit`` items with the smallest keys seen so far (``limit=None``: all), by index."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.items: dict[int, tuple[str, object]] = {}

    def add(self, key: str, index: int, item: object) -> None:
        if self.limit == 0:
            return
        self.items[index] = (key, item)
        if self.limit is not None and len(self.items) > 2 * self.limit + 64:
            self._prune()

    def __contains__(self, index: int) -> bool:
        return index in self.items

    def set(self, index: int, item: object) -> None:
        self.items[index] = (self.items[index][0], item)

    def _prune(self) -> None:
        if self.limit is not None and len(self.items) > self.limit:
            best = sorted(self.items.items(), key=lambda kv: (kv[1][0], kv[0]))[: self.limit]
            self.items = dict(best)

    def sorted(self) -> list[tuple[int, object]]:
        """``(index, item)`` by key, then index."""
        self._prune()
        return [(i, item) for i, (_, item) in sorted(self.items.items(), key=lambda kv: (kv[1][0], kv[0]))]


@dataclass
class _Pass1:
    """What pass 1 keeps: per-article numbers, offsets into the spill, corpus partial sums."""

    types: tuple[str, ...]
    ids: list[str] = field(default_factory=list)
    digests: list[bytes] = field(default_factory=list)
    type_code: list[np.ndarray] = field(default_factory=list)
    outlet_code: list[np.ndarray] = field(default_factory=list)
    n_tokens: list[np.ndarray] = field(default_factory=list)
    n_sentences: list[np.ndarray] = field(default_factory=list)
    n_masked: list[np.ndarray] = field(default_factory=list)
    typography: list[np.ndarray] = field(default_factory=list)  # float16, n x typography.NAMES
    totals: list[np.ndarray] = field(default_factory=list)
    n_matches: list[np.ndarray] = field(default_factory=list)
    entry_ptr: list[np.ndarray] = field(default_factory=list)
    byte_ptr: list[np.ndarray] = field(default_factory=list)  # head, evidence, matches, end per article
    outlets: dict[str, int] = field(default_factory=dict)
    vocab: Vocabulary = field(default_factory=Vocabulary)
    df: np.ndarray = field(default_factory=lambda: np.zeros(1 << 14, np.int64))
    n_docs: int = 0

    term_weight: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def __post_init__(self) -> None:
        self.group_counts = _Growing(len(self.types))
        self.group_docs = _Growing(len(self.types))
        self.term_rates = np.zeros((len(self.types), len(self.term_weight)), dtype=np.int64)
        self.quote_sums: np.ndarray | None = None  # types x (own, quoted per category): fixed-point sums
        self.quote_counts: np.ndarray | None = None  # articles with a defined rate


# ----------------------------------------------------------------- the run


def run(
    articles: Iterable[Article],
    lexicons: Sequence[Lexicon],
    *,
    jobs: int = 1,
    chunk_articles: int = CHUNK_ARTICLES,
    keep_texts: int | None = 200,
    keep_rows: int | None = 5000,
    progress: Progress | None = None,
    spill_dir: str | os.PathLike[str] | None = None,
    estimate: Callable[[int], int | None] | None = None,
    mask: bool = True,
    classify: bool = True,
    model: Trained | None = None,
    scorer: Scorer | None = None,
    compare: Sequence[str] | None = None,
) -> AnalysisResult:
    """Analyse a stream of articles with the lexicons; return the result with its tables.

    Parameters
    ----------
    articles : iterable of Article
        Read once, chunk by chunk.
    lexicons : sequence of Lexicon
        Their ``role`` says which are framing dimensions and style markers.
    jobs : int
        Processes for pass 1 (1: this process).
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
        A saved classifier (``framing.models.load_model``) to apply instead
        of training one; its lexicon columns must be this run's.
    compare : two article ids, optional
        The pair report.html shows side by side (``framing.stats.pairs``);
        their texts must be kept. Default: the pair chosen from the evidence.
    scorer : callable, optional
        Runs pass 1 elsewhere: ``scorer(chunks, lex, masker)`` must yield
        ``score_chunk(chunk, lex, masker)`` of each chunk in input order
        (``framing.engine.dask.score_chunks_dask``). Default: ``score_chunks``
        with ``jobs`` processes. Passes 2-4 run here with ``jobs`` either way.

    Returns
    -------
    AnalysisResult
        Its ``tables`` stream ``report.csv`` and ``matches.csv`` in id order
        from the spill, which is removed when the result is garbage-collected.
    """
    if jobs < 1:
        raise InputError(f"--jobs must be at least 1, got {jobs}")
    lex, timings, lap, tell = prepare(lexicons, chunk_articles, model, progress)
    spill = Spill(spill_dir)
    try:
        state = _Pass1(types=SOURCE_TYPES, term_weight=np.asarray([t.weight for t in lex.terms], dtype=np.float64))
        texts = _Smallest(keep_texts)
        heads = _Smallest(keep_rows)
        tell("score", 0, None)
        chunks = _chunks_with_meta(articles, chunk_articles, state, texts, heads)
        masker = Masker() if mask else None
        parts = score_chunks(chunks, lex, jobs, masker) if scorer is None else scorer(chunks, lex, masker)
        for part in parts:
            _merge(state, part, spill, texts, heads)
            expected = estimate(state.n_docs) if estimate is not None else None
            tell("score", state.n_docs, max(expected, state.n_docs) if expected is not None else None)
        lap("score")
        if state.n_docs == 0:
            raise InputError("no articles to analyse")
        store = SpillStore(spill, state, jobs)
        result = _finish(
            state, lex, store, texts, heads, keep_rows is None and keep_texts is None, tell, lap, jobs, classify, model,
            compare,
        )
    except BaseException:
        spill.close()
        raise
    result.timings = timings
    result.store = spill  # the tables read from it as long as the result lives
    weakref.finalize(result, spill.close)  # and then it is removed (at exit at the latest)
    return result


def prepare(
    lexicons: Sequence[Lexicon], chunk_articles: int, model: Trained | None, progress: Progress | None
) -> tuple[CompiledLexicons, dict[str, float], Callable[[str], None], Progress]:
    """What every engine's run starts with: its options checked, the lexicons compiled, a stage clock.

    Returns the compiled lexicons, the timings (filled by ``lap(stage)``,
    which adds the seconds since the last lap), ``lap`` and ``tell`` (the
    progress callback, or nothing).
    """
    if not lexicons:
        raise InputError("no lexicons given")
    names = [lx.name for lx in lexicons]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise InputError(f"two lexicons are both named {dup[0]!r}; give one a different 'name'")
    if chunk_articles < 1:
        raise InputError(f"chunks must hold at least 1 article, got {chunk_articles}")
    timings: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(stage: str) -> None:
        now = time.perf_counter()
        timings[stage] = timings.get(stage, 0.0) + now - clock[0]
        clock[0] = now

    def tell(stage: str, done: int, total: int | None) -> None:
        if progress is not None:
            progress(stage, done, total)

    lex = compile_lexicons(lexicons)
    if model is not None and list(model.rate_names) != lex.columns:
        raise InputError(
            f"the model was trained with other lexicons ({len(model.rate_names)} categories, e.g. "
            f"{', '.join(model.rate_names[:3])}); give the same --lexicon options as when it was trained"
        )
    return lex, timings, lap, tell


def _chunks_with_meta(
    articles: Iterable[Article], size: int, state: _Pass1, texts: _Smallest, heads: _Smallest
) -> Iterator[list[Article]]:
    """Chunks of articles; records each article's type, outlet and page candidacy on the way."""
    type_index = {t: i for i, t in enumerate(state.types)}
    n = 0
    for chunk in batches(articles, size):
        state.type_code.append(np.fromiter((type_index.get(a.source_type, 3) for a in chunk), np.int8, len(chunk)))
        outlets = state.outlets
        state.outlet_code.append(
            np.fromiter((outlets.setdefault(a.outlet, len(outlets)) for a in chunk), np.int64, len(chunk))
        )
        for a in chunk:
            heads.add(a.id, n, (a.title, a.outlet, a.source_type))
            texts.add(a.id, n, a)
            n += 1
        yield chunk


def _merge(state: _Pass1, part: ChunkRows, spill: Spill, texts: _Smallest, heads: _Smallest) -> None:
    """Fold one chunk's rows into the corpus state, in input order."""
    base = state.n_docs
    n = len(part)
    chunk_no = len(state.n_tokens)
    state.ids.extend(part.ids)
    state.digests.append(part.digests)
    state.n_tokens.append(part.n_tokens)
    state.n_sentences.append(part.n_sentences)
    state.n_masked.append(part.n_masked)
    state.typography.append(part.typography)
    state.totals.append(part.totals)
    state.n_matches.append(part.n_matches)

    gid, _ = state.vocab.ids(part.word_keys[:, 0], part.word_keys[:, 1], _lines_at(part.words_text))
    terms = gid[part.term] if len(part.term) else np.zeros(0, np.int64)
    doc = np.repeat(np.arange(n, dtype=np.int64), np.diff(part.term_ptr))
    # Each article's terms are spilled in the chunk's order; passes 2 and 3
    # put them in alphabetical order before summing (``_tfidf_block``).
    counts = part.count
    size = len(state.vocab)
    if size > len(state.df):
        state.df = np.concatenate([state.df, np.zeros(max(size, 2 * len(state.df)) - len(state.df), np.int64)])
    state.group_counts.ensure(size)
    state.group_docs.ensure(size)
    if len(terms):
        top = int(terms.max()) + 1
        state.df[:top] += np.bincount(terms, minlength=top)
        tcode = state.type_code[chunk_no][doc]
        for t in np.unique(tcode).tolist():
            mine = tcode == t
            # (float sums of integers below 2**53 are exact)
            state.group_counts.data[t, :top] += np.bincount(terms[mine], weights=counts[mine], minlength=top).astype(np.int64)
            state.group_docs.data[t, :top] += np.bincount(terms[mine], minlength=top)
    _add_quote_sums(state, part.quote_values[:, 1:], state.type_code[chunk_no])
    led = part.ledger
    counted = ~led.negated
    state.term_rates += term_rate_sums(
        led.doc[counted], led.term[counted], state.term_weight[led.term[counted]], part.n_tokens,
        state.type_code[chunk_no], len(state.types), len(state.term_weight),
    )
    first = spill.add_counts(terms, counts)
    state.entry_ptr.append(first + part.term_ptr[:-1])

    blobs = [b for trio in zip(part.head_csv, part.evidence_csv, part.matches_csv) for b in trio]
    offsets = spill.add_bytes(blobs)
    state.byte_ptr.append(offsets[:-1].reshape(n, 3))

    # Rows kept for the page get their evidence and ledger now, while they are here.
    for d in range(n):
        if base + d in heads:
            title, outlet, source_type = heads.items[base + d][1]  # type: ignore[misc]
            heads.set(base + d, (title, outlet, source_type, part.evidence[d], part.quote_values[d],
                                 part.negated_values[d]))
        if base + d in texts:
            article = texts.items[base + d][1]
            texts.set(base + d, (article, _ledger_rows(part, d)))
    state.n_docs += n


def negated_columns(lex: CompiledLexicons) -> list[str]:
    """The negation columns of ``report.csv``: ``<column>.negated`` for each category with a negation rule."""
    return [f"{lex.column(int(c))}.negated" for c in lex.negated_categories]


def quote_columns(columns: Sequence[str]) -> list[str]:
    """The quote columns of ``report.csv``: ``quoted_share``, then ``<column>.own``, ``<column>.quoted`` each."""
    return ["quoted_share", *(f"{c}.{side}" for c in columns for side in ("own", "quoted"))]


def _add_quote_sums(state: _Pass1, values: np.ndarray, type_code: np.ndarray) -> None:
    """Fold a chunk's own-voice and quoted rates into per-type sums (fixed point: exact in any order)."""
    if state.quote_sums is None:
        state.quote_sums = np.zeros((len(state.types), values.shape[1]), dtype=np.int64)
        state.quote_counts = np.zeros((len(state.types), values.shape[1]), dtype=np.int64)
    assert state.quote_counts is not None
    defined = ~np.isnan(values)
    fixed = np.where(defined, np.rint(np.nan_to_num(values) * float(1 << RATE_FIXED_POINT)), 0).astype(np.int64)
    for t in np.unique(type_code).tolist():
        mine = type_code == t
        state.quote_sums[t] += fixed[mine].sum(axis=0)
        state.quote_counts[t] += defined[mine].sum(axis=0)


def _lines_at(text: str) -> Callable[[np.ndarray], list[str]]:
    """``positions -> [lines[i] for i in positions]`` of ``text``'s lines, split on first use."""

    def pick(positions: np.ndarray) -> list[str]:
        lines = text.split("\n")
        return [lines[i] for i in positions.tolist()]

    return pick


def _ledger_rows(part: ChunkRows, d: int) -> dict[str, object]:
    led = part.ledger
    rows = led.rows_of(d)
    return {
        "sentence": led.sentence[rows],
        "start": led.start[rows],
        "end": led.end[rows],
        "text": led.text[rows],
        "category": led.category[rows],
        "term": led.term[rows],
        "quoted": led.quoted[rows],
        "negated": led.negated[rows],
    }


# ----------------------------------------------------------------- passes 2 and 3, and the tables


def _blocks(n: int) -> Iterator[tuple[int, int]]:
    for lo in range(0, n, _BLOCK):
        yield lo, min(n, lo + _BLOCK)


def _tfidf_block(
    spill: Spill, entry_ptr: np.ndarray, lo: int, hi: int, columns: np.ndarray, weight: np.ndarray
) -> sp.csr_matrix:
    """The l2-normalised TF-IDF rows of articles ``lo:hi`` (input order), from the spill.

    ``columns`` maps each corpus word to its column: its alphabetical rank
    (``alpha``), or a saved model's column, -1 for a word the model does not
    have (dropped). Each row is sorted by column, so sums along a row run in
    the same order whatever the input order or chunking was.
    """
    terms, counts = spill.read_counts(int(entry_ptr[lo]), int(entry_ptr[hi]))
    cols = columns[terms]
    indptr = entry_ptr[lo : hi + 1] - entry_ptr[lo]
    keep = cols >= 0
    if not keep.all():
        row = np.repeat(np.arange(hi - lo), np.diff(indptr))
        cols, counts, indptr = cols[keep], counts[keep], np.searchsorted(row[keep], np.arange(hi - lo + 1))
    counts_m = sp.csr_matrix((np.array(counts), cols, indptr), shape=(hi - lo, len(weight)))
    counts_m.has_sorted_indices = False  # each article's terms came in the order of its chunk
    counts_m.sort_indices()
    return tfidf_rows(counts_m, weight)


def _permute_rows(table: np.ndarray, order: np.ndarray) -> None:
    """``table[:] = table[order]``, one column at a time, so only one column is ever copied."""
    for c in range(table.shape[1]):
        table[:, c] = table[order, c]


@dataclass
class _BlockContext:
    """What the blocks of passes 2 and 3 read: the spill and corpus-wide arrays."""

    spill: Spill
    entry_ptr: np.ndarray
    alpha: np.ndarray
    weight: np.ndarray
    type_code: np.ndarray
    size: int
    keep_rows: bool
    dense: np.ndarray | None = None
    train: np.ndarray | None = None  # input order: the classifier's training articles (their rows are kept)
    trained: Trained | None = None  # pass 4: the fitted classifier, the rates (id order) and each article's rank
    rate: np.ndarray | None = None
    typography: np.ndarray | None = None  # id order, float16
    rank_of: np.ndarray | None = None
    feature_map: np.ndarray | None = None  # a saved model: corpus word -> its column, or -1
    feature_idf: np.ndarray | None = None


def _pass2_block(c: _BlockContext, lo: int, hi: int) -> tuple:
    """Articles ``lo:hi``: fixed-point group sums (as flat keys and values), norms, top terms, rows."""
    x = _tfidf_block(c.spill, c.entry_ptr, lo, hi, c.alpha, c.weight)
    row = np.repeat(np.arange(hi - lo), np.diff(x.indptr))
    # Weights are at most 1, so each fixed-point value is below 2**32 and a
    # block's sum below 2**44: float64 sums them exactly, in any order.
    fixed = np.rint(x.data * float(1 << FIXED_POINT))
    tcode = c.type_code[lo:hi][row]
    key_parts, value_parts = [], []
    for t in np.unique(tcode).tolist():
        mine = tcode == t
        dense = np.bincount(x.indices[mine], weights=fixed[mine], minlength=c.size)
        nonzero = np.flatnonzero(dense)
        key_parts.append(t * c.size + nonzero)
        value_parts.append(dense[nonzero].astype(np.int64))
    keys = np.concatenate(key_parts) if key_parts else np.zeros(0, np.int64)
    values = np.concatenate(value_parts) if value_parts else np.zeros(0, np.int64)
    sq = np.asarray(x.multiply(x).sum(axis=1)).ravel()
    top = np.full((hi - lo, TOP_TERMS), -1, dtype=np.int64)
    r, position, entry = _top_per_row(x.indptr, x.data, TOP_TERMS)
    top[r, position] = x.indices[entry]
    train = x[np.flatnonzero(c.train[lo:hi])] if c.train is not None else None
    return keys, values, sq, top, (x if c.keep_rows else None), train


_PADDED = 1024  # rows up to this long are ranked in a padded matrix; longer ones by sorting


def _top_per_row(indptr: np.ndarray, data: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``k`` largest entries of each CSR row, highest first, ties to the earlier entry.

    Returns the row, the rank within the row (0 = highest) and the entry of
    each pick. Rather than sorting the whole block, each row's ``k``-th
    largest value is found by partitioning (rows padded into a matrix); the
    entries above it, and as many equal to it as fit, in entry order, are
    the picks, and only those are sorted.
    """
    lengths = np.diff(indptr)
    n = len(lengths)
    row = np.repeat(np.arange(n), lengths)
    pos = np.arange(len(data)) - np.repeat(indptr[:-1], lengths)
    kth = np.full(n, -np.inf)
    wide = np.flatnonzero(lengths > k)
    narrow = wide[lengths[wide] <= _PADDED]
    if len(narrow):
        width = int(lengths[narrow].max())
        padded = np.full((len(narrow), width), -np.inf)
        slot = np.full(n, -1)
        slot[narrow] = np.arange(len(narrow))
        inside = slot[row] >= 0
        padded[slot[row[inside]], pos[inside]] = data[inside]
        kth[narrow] = -np.partition(-padded, k - 1, axis=1)[:, k - 1]
    for r in wide[lengths[wide] > _PADDED].tolist():  # rare: very long articles
        kth[r] = np.sort(data[indptr[r] : indptr[r + 1]])[::-1][k - 1]
    above = data > kth[row]
    n_above = np.bincount(row[above], minlength=n)
    tie = data == kth[row]
    tie_rank = np.cumsum(tie) - tie  # ties before this entry, in the whole block ...
    tie_rank -= np.repeat(np.concatenate(([0], np.cumsum(tie)))[indptr[:-1]], lengths)  # ... within its row
    pick = np.flatnonzero(above | (tie & (tie_rank < k - n_above[row])))
    order = np.lexsort((pick, -data[pick], row[pick]))
    pick = pick[order]
    r = row[pick]
    per_row = np.bincount(r, minlength=n)
    rank = np.arange(len(pick)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    return r, rank, pick


TOP_WHY = 5  # features listed per article in ``why``


def _pass4_block(c: _BlockContext, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Articles ``lo:hi``: the classifier's probabilities and each one's top contributing features."""
    assert c.trained is not None and c.rate is not None and c.rank_of is not None
    if c.feature_map is None:
        tfidf = _tfidf_block(c.spill, c.entry_ptr, lo, hi, c.alpha, c.weight)
    else:  # a saved model: its words, its idf
        assert c.feature_idf is not None
        tfidf = _tfidf_block(c.spill, c.entry_ptr, lo, hi, c.feature_map, c.feature_idf)
    where = c.rank_of[lo:hi]
    dense = c.rate[where]
    if c.trained.typography_names:
        assert c.typography is not None
        dense = np.hstack([dense, c.typography[where].astype(np.float64)])
    x = c.trained.features(tfidf, dense)
    proba = c.trained.predict_proba(x)
    contrib = c.trained.contributions(x, np.argmax(proba, axis=1))
    positive = contrib.data > 0  # what pushed the article towards its predicted type
    rows = np.repeat(np.arange(hi - lo), np.diff(contrib.indptr))[positive]
    kept = sp.csr_matrix((contrib.data[positive], contrib.indices[positive], np.searchsorted(rows, np.arange(hi - lo + 1))),
                         shape=contrib.shape)
    r, rank, entry = _top_per_row(kept.indptr, kept.data, TOP_WHY)
    which = np.full((hi - lo, TOP_WHY), -1, dtype=np.int64)
    amount = np.zeros((hi - lo, TOP_WHY), dtype=np.float64)
    which[r, rank] = kept.indices[entry]
    amount[r, rank] = kept.data[entry]
    return proba, which, amount


def _pass3_block(c: _BlockContext, lo: int, hi: int) -> np.ndarray:
    """Articles ``lo:hi``: each one's dot product with each labelled group's sum."""
    assert c.dense is not None
    return _tfidf_block(c.spill, c.entry_ptr, lo, hi, c.alpha, c.weight) @ c.dense


_FORKED: _BlockContext | None = None  # set before the pool forks: workers inherit it, nothing is pickled


def _in_fork(fn: Callable[[_BlockContext, int, int], object], lo: int, hi: int) -> object:
    assert _FORKED is not None
    return fn(_FORKED, lo, hi)


def _map_blocks(
    fn: Callable[[_BlockContext, int, int], object], context: _BlockContext, n: int, jobs: int
) -> Iterator[tuple[int, int, object]]:
    """``fn`` of every block of articles, in order; in ``jobs`` forked processes when the system forks.

    The workers inherit the context (the spill's open files, the vocabulary
    arrays) from the fork, so nothing corpus-sized is pickled; without fork,
    the blocks run here.
    """
    global _FORKED
    blocks = list(_blocks(n))
    if jobs <= 1 or len(blocks) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for lo, hi in blocks:
            yield lo, hi, fn(context, lo, hi)
        return
    _FORKED = context
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            pending: list[tuple[int, int, Future]] = []
            for lo, hi in blocks:  # at most 2 * jobs blocks in flight: their results are not small
                pending.append((lo, hi, pool.submit(_in_fork, fn, lo, hi)))
                if len(pending) >= 2 * jobs:
                    a, b, f = pending.pop(0)
                    yield a, b, f.result()
            for a, b, f in pending:
                yield a, b, f.result()
    finally:
        _FORKED = None


class Store(Protocol):
    """Where pass 1 left each article's term counts and CSV cells, and how passes 2-4 run over them.

    ``SpillStore`` here (one spill, blocks in forked processes);
    ``framing.engine.dask`` keeps them in partitions on the Dask workers.
    """

    spill: Spill | None  # for the blocks' context (None: the store fills it in where the blocks run)
    entry_ptr: np.ndarray | None

    def map(
        self, fn: Callable[[_BlockContext, int, int], object], context: _BlockContext, n: int
    ) -> Iterator[tuple[int, int, object]]:
        """``fn(context, lo, hi)`` over blocks covering articles ``0:n`` (input order), yielded in order."""
        ...

    def texts(self, order: np.ndarray) -> Callable[[int, int], Iterator[tuple[bytes, int]]]:
        """For id-order positions ``lo:hi``: each article's head and evidence cells, and where the head ends."""
        ...

    def matches(self, order: np.ndarray) -> Iterator[bytes]:
        """``matches.csv`` (header first), articles in id order (``order``: input position of each)."""
        ...

    def finished(self, columns: list[str], numbers: _Numbers, order: np.ndarray) -> None:
        """Told the report's columns and numbers (id order) once they are known."""
        ...


class SpillStore:
    """The local engine's store: one spill, blocks in ``jobs`` forked processes."""

    def __init__(self, spill: Spill, state: _Pass1, jobs: int) -> None:
        self.spill = spill
        self.entry_ptr = np.append(np.concatenate(state.entry_ptr), spill.n_entries).astype(np.int64)
        self.byte_ptr = np.concatenate(state.byte_ptr)
        self.jobs = jobs
        spill.flush()  # forked workers read the files

    def map(
        self, fn: Callable[[_BlockContext, int, int], object], context: _BlockContext, n: int
    ) -> Iterator[tuple[int, int, object]]:
        return _map_blocks(fn, context, n, self.jobs)

    def texts(self, order: np.ndarray) -> Callable[[int, int], Iterator[tuple[bytes, int]]]:
        byte_ptr = self.byte_ptr[order]

        def read(lo: int, hi: int) -> Iterator[tuple[bytes, int]]:
            for p0, p1, p2 in byte_ptr[lo:hi].tolist():
                yield self.spill.read_bytes(p0, p2), p1 - p0

        return read

    def matches(self, order: np.ndarray) -> Iterator[bytes]:
        byte_end = np.append(self.byte_ptr[1:, 0], self.spill.n_bytes)[order]
        return _matches_csv(self.spill, self.byte_ptr[order], byte_end)

    def finished(self, columns: list[str], numbers: _Numbers, order: np.ndarray) -> None:
        pass  # the tables are written from the spill by the closures ``_finish`` returns


def _finish(
    state: _Pass1,
    lex: CompiledLexicons,
    store: Store,
    texts: _Smallest,
    heads: _Smallest,
    collect: bool,
    tell: Progress,
    lap: Callable[[str], None],
    jobs: int,
    classify: bool = True,
    model: Trained | None = None,
    compare: Sequence[str] | None = None,
) -> AnalysisResult:
    n = state.n_docs
    type_code = np.concatenate(state.type_code).astype(np.int64)

    # The corpus vocabulary in alphabetical order: ids that do not depend on
    # the input order, and ties that break alphabetically.
    first_seen = state.vocab.words
    size = len(first_seen)
    by_word = sorted(range(size), key=first_seen.__getitem__)
    alpha = np.empty(size, dtype=np.int64)
    alpha[by_word] = np.arange(size)
    words = [first_seen[i] for i in by_word]
    del first_seen, by_word
    df = np.zeros(size, np.int64)
    df[alpha] = state.df[:size]
    counts_by_type = np.zeros((len(state.types), size), np.int64)
    counts_by_type[:, alpha] = state.group_counts.data[:, :size]
    docs_by_type = np.zeros((len(state.types), size), np.int64)
    docs_by_type[:, alpha] = state.group_docs.data[:, :size]
    state.group_counts = state.group_docs = None  # type: ignore[assignment]
    is_feature = df >= min_df(n)
    weight = np.where(is_feature, idf(df, n), 0.0)
    present = [i for i in range(len(state.types)) if (type_code == i).any()]

    # Pass 2 (input order): group sums of the TF-IDF rows in fixed point, norms, top terms.
    sums = np.zeros((len(state.types), size), dtype=np.int64)
    sq = np.zeros(n, dtype=np.float64)
    top = np.full((n, TOP_TERMS), -1, dtype=np.int32)
    kept_rows: list[sp.csr_matrix] | None = [] if n <= MAX_SIMILARITY_ARTICLES else None
    context = _BlockContext(store.spill, store.entry_ptr, alpha, weight, type_code, size, kept_rows is not None)
    if model is not None:
        train, classes, why_not = None, list(model.classes), ""
    elif classify:
        train, classes, why_not = _training_set(state, type_code)
    else:
        train, classes, why_not = None, [], "switched off"
    context.train = train
    train_rows: list[sp.csr_matrix] = []
    for lo, hi, part in store.map(_pass2_block, context, n):
        keys, values, sq[lo:hi], top[lo:hi], x, tx = part
        sums.reshape(-1)[keys] += values  # a block names each key once
        if kept_rows is not None:
            kept_rows.append(x)
        if tx is not None:
            train_rows.append(tx)
        tell("tf-idf", hi, n)
    group_sums = sums.astype(np.float64) / float(1 << FIXED_POINT)
    del sums
    lap("tfidf")

    # Pass 3 (input order): each article against each labelled group's sum.
    groups = [t for t in LABELLED_TYPES if state.types.index(t) in present]
    g_index = [state.types.index(t) for t in groups]
    dense = np.ascontiguousarray(group_sums[g_index].T) if groups else np.zeros((size, 0))
    dots = np.zeros((n, len(groups)))
    if groups:
        context.dense = dense
        for lo, hi, part in store.map(_pass3_block, context, n):
            dots[lo:hi] = part
            tell("similarity", hi, n)

    # From here on every per-article array is in id order, so that sums over
    # articles (means, spreads) do not depend on the input order.
    ids = state.ids
    order = np.asarray(sorted(range(n), key=ids.__getitem__), dtype=np.int64)
    sorted_ids = [ids[i] for i in order.tolist()]
    type_code = type_code[order]
    types = np.asarray(state.types, dtype=object)[type_code]
    n_tokens = np.concatenate(state.n_tokens)[order]
    n_sentences = np.concatenate(state.n_sentences)[order]
    n_masked = np.concatenate(state.n_masked)[order]
    typography = np.concatenate(state.typography)[order] if state.typography else np.zeros((0, len(TYPOGRAPHY)), np.float16)
    state.typography.clear()
    # The biggest table in memory (articles x categories): built once, put in
    # id order a column at a time, and turned into rates in place.
    totals = np.concatenate(state.totals) if lex.n_categories else np.zeros((n, 0))
    state.totals.clear()
    _permute_rows(totals, order)
    n_matches = int(np.concatenate(state.n_matches).sum())
    sq, dots = sq[order], dots[order]
    _permute_rows(top, order)
    outlet_names = np.asarray(list(state.outlets), dtype=object)[np.concatenate(state.outlet_code)[order]]
    rank_of = np.empty(n, dtype=np.int64)
    rank_of[order] = np.arange(n)

    sim = np.full((n, len(groups)), np.nan)
    for k, gi in enumerate(g_index):
        inside = type_code == gi
        sim[:, k] = loo_similarity(dots[:, k], sq, inside, float(dense[:, k] @ dense[:, k]), int(inside.sum()))
    rate = rates(totals, n_tokens, out=totals)
    del totals
    roles = [lex.lexicons[lex.category_lexicon[c]].role for c in range(lex.n_categories)]
    style_cols = [c for c, r in enumerate(roles) if r == "style"] or list(range(lex.n_categories))
    prof = profile_similarity(rate[:, style_cols], types, groups)
    style = (sim + prof) / 2
    predicted = np.asarray(predict(style, groups), dtype=object)
    # An article with no content words resembles nothing; say so rather than guess.
    predicted[sq == 0] = "undetermined"
    lap("similarity")

    # The classifier: out-of-fold probabilities for its training articles, the final model's for the rest.
    trained = None
    why_names: list[str] = []
    why_ids = np.full((n, TOP_WHY), -1, dtype=np.int32)  # a million articles: 20 MB
    why_amount = np.zeros((n, TOP_WHY))
    class_notes: list[str] = []
    if train is not None:
        picked = rank_of[np.flatnonzero(train)]  # id-order positions of the training articles
        x_train = sp.vstack(train_rows, format="csr") if train_rows else sp.csr_matrix((0, size))
        by_id = np.argsort(picked, kind="stable")
        picked = picked[by_id]
        trained = cross_validate(x_train[by_id], rate[picked], list(types[picked]), list(outlet_names[picked]), classes,
                                 typography=typography[picked], typography_names=TYPOGRAPHY, jobs=jobs)
        del x_train, train_rows
        context.trained, context.rate, context.rank_of, context.typography = trained, rate, rank_of, typography
        proba = np.zeros((n, len(classes)))
        for lo, hi, part in store.map(_pass4_block, context, n):
            where = rank_of[lo:hi]
            proba[where], why_ids[where], why_amount[where] = part
            tell("classifier", hi, n)
        context.trained = context.rate = context.rank_of = context.typography = None
        proba[picked] = trained.oof  # no article grades itself
        why_names = [*words, *(f"rate {c}" for c in lex.columns), *(f"typography {t}" for t in TYPOGRAPHY)]
        trained.rate_names = list(lex.columns)
        trained.keep_columns(np.flatnonzero(is_feature), words, weight)  # what a saved model needs
        style = np.full((n, len(groups)), np.nan)
        for k, g in enumerate(groups):
            if g in classes:
                style[:, k] = proba[:, classes.index(g)]
        predicted = np.asarray(classes, dtype=object)[np.argmax(proba, axis=1)]
        class_notes = trained.notes
    elif model is not None:
        trained, why_names, why_ids, why_amount = _apply(model, context, store, words, rate, typography, rank_of,
                                                         type_code, state, n, tell)
        proba = trained.oof
        style = np.full((n, len(groups)), np.nan)
        for k, g in enumerate(groups):
            if g in model.classes:
                style[:, k] = proba[:, model.classes.index(g)]
        predicted = np.asarray(model.classes, dtype=object)[np.argmax(proba, axis=1)]
        class_notes = trained.notes
    else:
        class_notes = [f"not trained ({why_not}); style_<type> and predicted_source_type are similarity scores"]
    lap("classifier")

    columns = lex.columns
    quote_means = {}
    if state.quote_sums is not None and state.quote_counts is not None:
        with np.errstate(invalid="ignore", divide="ignore"):
            means = state.quote_sums / float(1 << RATE_FIXED_POINT) / state.quote_counts
        quote_means = {t: (means[i, 0::2], means[i, 1::2], state.quote_counts[i, 1::2]) for i, t in enumerate(state.types)}
    summary = summarize(rate, types, outlet_names, lex.category_ref, quote_means=quote_means)
    outlet_code = np.concatenate(state.outlet_code)[order]
    terms, notes = distinctive_terms(
        [state.types[i] for i in present],
        np.asarray([int((type_code == i).sum()) for i in present]),
        counts_by_type[present],
        docs_by_type[present],
        np.flatnonzero(is_feature),
        np.arange(size),
        words,
        labels=TYPE_LABELS,
        n_outlets=[len(np.unique(outlet_code[type_code == i])) for i in present],
    )
    similarity = None
    if kept_rows is not None:
        x_all = sp.vstack(kept_rows).tocsr() if kept_rows else sp.csr_matrix((0, size))
        x_sorted = x_all[order]
        similarity = pd.DataFrame((x_sorted @ x_sorted.T).toarray(), index=sorted_ids, columns=sorted_ids)
    type_similarity = _type_similarity([state.types[i] for i in present], present, group_sums, sq, type_code)
    in_order = [state.types.index(t) for t in (*LABELLED_TYPES, "unknown") if state.types.index(t) in present]
    compared, dominated = comparisons(
        [state.types[i] for i in in_order],
        np.asarray([int((type_code == i).sum()) for i in in_order]),
        [len(np.unique(outlet_code[type_code == i])) for i in in_order],
        state.term_rates[in_order],
        lex.term_category,
        lex.category_ref,
        [t.text for t in lex.terms],
        rates=rate,
        group_of=_positions_in(type_code, in_order),
        outlet_of=outlet_code,
    )
    lap("compare")

    dims_cols = [c for c, r in enumerate(roles) if r == "dimensions"] or list(range(lex.n_categories))
    cat_label = {(lx.name, cat.id): cat.label for lx in lex.lexicons for cat in lx.categories}
    dimensions = {lex.column(c): cat_label[lex.category_ref[c]] for c in dims_cols}
    styles = {f"style_{g}": TYPE_LABELS[g] for g in groups}
    # The hash of the per-article hashes in id order: the same for any input order.
    per_article = np.frombuffer(b"".join(state.digests), dtype=np.uint8).reshape(n, 32)
    digest = hashlib.sha256(per_article[order].tobytes())
    state.digests.clear()
    del per_article

    numbers = _Numbers(
        n_tokens=n_tokens, n_sentences=n_sentences, n_masked=n_masked, rate=rate, sim=sim, style=style, predicted=predicted,
        top=top, words=words, groups=groups, why_ids=why_ids, why_amount=why_amount, why_names=why_names,
    )
    report_columns = [
        "article_id", "title", "outlet", "source_type", "n_tokens", "n_sentences", "n_masked", *columns,
        *[f"sim_{g}" for g in groups], *[f"style_{g}" for g in groups],
        "predicted_source_type", "why", "top_terms", "top_evidence", *quote_columns(columns),
        *negated_columns(lex),
    ]
    head_rows = [(int(rank_of[i]), item) for i, item in heads.sorted()]
    scores = _scores_frame(head_rows, sorted_ids, numbers, report_columns, columns, negated_columns(lex))
    shown = texts.sorted()
    matches = _matches_frame(shown, ids, lex)
    kept_articles = [item[0] for _, item in shown]  # type: ignore[index]
    labels = label_table(lex.lexicons, matches, kept_articles, scores)
    pair = choose_pair(kept_articles, scores, matches, compare)
    def chart_rows() -> pd.DataFrame:
        """All articles, in id order, with what the charts draw."""
        data: dict[str, object] = {"article_id": sorted_ids, "outlet": outlet_names, "source_type": types}
        data.update({columns[c]: rate[:, c] for c in dims_cols})
        data.update({f"style_{g}": style[:, k] for k, g in enumerate(groups)})
        return pd.DataFrame(data)

    store.finished(report_columns, numbers, order)
    tables = {
        "report.csv": lambda: _report_csv(report_columns, numbers, store.texts(order), n, tell),
        "matches.csv": lambda: store.matches(order),
    }
    return AnalysisResult(
        scores=scores,
        summary=summary,
        terms=terms,
        matches=matches,
        similarity=similarity,
        type_similarity=type_similarity,
        lexicons=list(lex.lexicons),
        dimensions=dimensions,
        styles=styles,
        corpus_sha256=digest.hexdigest(),
        notes={k: v for k, v in (("terms.csv", notes), ("comparisons.csv", dominated), ("evaluation.csv", class_notes))
               if v},
        evaluation=pd.DataFrame(trained.evaluation if trained else [], columns=list(EVALUATION_COLUMNS)),
        evaluation_summary=trained.summary if trained else {"trained": False},
        classifier=trained if train is not None else None,
        comparisons=compared,
        labels=labels,
        pair=pair,
        articles=kept_articles,
        n_articles=n,
        n_matches=n_matches,
        complete=collect,
        tables=tables,
        chart_rows=chart_rows,
    )


def _apply(
    model: Trained, context: _BlockContext, store: Store, words: list[str], rate: np.ndarray, typography: np.ndarray,
    rank_of: np.ndarray, type_code: np.ndarray, state: _Pass1, n: int, tell: Progress,
) -> tuple[Trained, list[str], np.ndarray, np.ndarray]:
    """Score every article with a saved model; evaluate it on the articles whose label it knows.

    Returns the model with its probabilities (as ``oof``) and evaluation, the
    feature names, and each article's top features and their contributions.
    """
    from ..stats.classify import evaluate

    index = {w: j for j, w in enumerate(model.words)}
    context.feature_map = np.asarray([index.get(w, -1) for w in words], dtype=np.int64)[context.alpha]
    context.feature_idf = model.idf
    context.trained, context.rate, context.rank_of, context.typography = model, rate, rank_of, typography
    proba = np.zeros((n, len(model.classes)))
    why_ids = np.full((n, TOP_WHY), -1, dtype=np.int32)
    why_amount = np.zeros((n, TOP_WHY))
    try:
        for lo, hi, part in store.map(_pass4_block, context, n):
            where = rank_of[lo:hi]
            proba[where], why_ids[where], why_amount[where] = part
            tell("classifier", hi, n)
    finally:
        context.trained = context.rate = context.rank_of = context.feature_map = context.feature_idf = None
        context.typography = None
    known = [state.types.index(t) for t in model.classes]
    rows = np.flatnonzero(np.isin(type_code, known))
    applied = Trained(classes=model.classes, model=model.model, mean=model.mean, scale=model.scale, oof=proba,
                      words=model.words, idf=model.idf, rate_names=model.rate_names,
                      typography_names=model.typography_names)
    summary: dict[str, object] = {"applied": True, "n_articles": len(rows), "classes": model.classes}
    if len(rows):
        y = np.asarray([model.classes.index(state.types[c]) for c in type_code[rows].tolist()], dtype=np.int64)
        applied.evaluation, macro = evaluate(y, np.argmax(proba[rows], axis=1), model.classes, "applied",
                                             "none: a saved model on new articles", 0)
        summary["macro_f1_applied"] = round(macro, 4)
    else:
        applied.notes = ["the saved model was applied; no article has a label it knows, so nothing is evaluated"]
    applied.summary = summary
    names = [*model.words, *(f"rate {c}" for c in model.rate_names), *(f"typography {t}" for t in model.typography_names)]
    return applied, names, why_ids, why_amount


def _training_set(state: _Pass1, type_code: np.ndarray) -> tuple[np.ndarray | None, list[str], str]:
    """The classifier's training articles (input order), its classes, or why there is no model.

    Labelled articles of types with at least ``MIN_PER_TYPE`` of them; above
    ``MAX_TRAIN``, those with the smallest content hash (a sample that does
    not depend on the input order).
    """
    codes = [state.types.index(t) for t in LABELLED_TYPES]
    counts = {c: int((type_code == c).sum()) for c in codes}
    classes = [state.types[c] for c in codes if counts[c] >= MIN_PER_TYPE]
    if len(classes) < 2:
        have = ", ".join(f"{counts[c]} {state.types[c]}" for c in codes)
        return None, [], f"it needs {MIN_PER_TYPE} labelled articles of at least 2 types; this corpus has {have}"
    train = np.isin(type_code, [state.types.index(t) for t in classes])
    if train.sum() > MAX_TRAIN:
        digest = np.frombuffer(b"".join(state.digests), dtype=">u8").reshape(-1, 4)[:, 0]
        candidates = np.flatnonzero(train)
        keep = candidates[np.argsort(digest[candidates], kind="stable")[:MAX_TRAIN]]
        train = np.zeros_like(train)
        train[keep] = True
    return train, classes, ""


def _positions_in(codes: np.ndarray, chosen: list[int]) -> np.ndarray:
    """For each code, its position in ``chosen`` (-1 when absent)."""
    lookup = np.full(max([*chosen, int(codes.max()) if len(codes) else 0]) + 1, -1, dtype=np.int64)
    lookup[chosen] = np.arange(len(chosen))
    return lookup[codes]


@dataclass
class _Numbers:
    """The per-article figures of the report, in input order."""

    n_tokens: np.ndarray
    n_sentences: np.ndarray
    n_masked: np.ndarray
    rate: np.ndarray
    sim: np.ndarray
    style: np.ndarray
    predicted: np.ndarray
    top: np.ndarray
    words: list[str]
    groups: list[str]

    why_ids: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int64))
    why_amount: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    why_names: list[str] = field(default_factory=list)  # per feature column: the word, or "rate <column>"

    def top_terms(self, i: int) -> str:
        return "; ".join(self.words[t] for t in self.top[i].tolist() if t >= 0)

    def why(self, i: int) -> str:
        """The features that pushed article ``i`` most towards its predicted type: ``word +0.123; ...``."""
        pairs = zip(self.why_ids[i].tolist(), self.why_amount[i].tolist())
        return "; ".join(f"{self.why_names[j]} +{amount:.3f}" for j, amount in pairs if j >= 0)


def _type_similarity(
    names: list[str], present: list[int], sums: np.ndarray, sq: np.ndarray, type_code: np.ndarray
) -> pd.DataFrame:
    """Mean cosine similarity of article pairs within and between source types, from group sums."""
    order = [t for t in (*LABELLED_TYPES, "unknown") if t in names]
    pos = {t: present[names.index(t)] for t in order}
    table = pd.DataFrame(index=order, columns=order, dtype=float)
    count = {t: int((type_code == pos[t]).sum()) for t in order}
    for a in order:
        for b in order:
            dot = float(sums[pos[a]] @ sums[pos[b]])
            if a == b:
                pairs = count[a] * (count[a] - 1)
                value = (dot - float(sq[type_code == pos[a]].sum())) / pairs if pairs else np.nan
            else:
                value = dot / (count[a] * count[b])
            table.loc[a, b] = value
    return table


def _scores_frame(
    rows: list[tuple[int, object]], ids: list[str], num: _Numbers, report_columns: list[str], rate_columns: list[str],
    negated_cols: list[str],
) -> pd.DataFrame:
    index = np.asarray([i for i, _ in rows], dtype=np.int64)
    meta = [item for _, item in rows]
    data: dict[str, object] = {
        "article_id": [ids[i] for i in index.tolist()],
        "title": [m[0] for m in meta],  # type: ignore[index]
        "outlet": [m[1] for m in meta],  # type: ignore[index]
        "source_type": [m[2] for m in meta],  # type: ignore[index]
        "n_tokens": num.n_tokens[index],
        "n_sentences": num.n_sentences[index],
        "n_masked": num.n_masked[index],
    }
    for k, c in enumerate(rate_columns):
        data[c] = num.rate[index, k]
    for k, g in enumerate(num.groups):
        data[f"sim_{g}"] = num.sim[index, k]
    for k, g in enumerate(num.groups):
        data[f"style_{g}"] = num.style[index, k]
    data["predicted_source_type"] = list(num.predicted[index])
    data["why"] = [num.why(i) for i in index.tolist()]
    data["top_terms"] = [num.top_terms(i) for i in index.tolist()]
    data["top_evidence"] = [m[3] if len(m) > 3 else "" for m in meta]  # type: ignore[arg-type]
    quote_cols = quote_columns(rate_columns)
    values = np.asarray([m[4] for m in meta], dtype=np.float64).reshape(len(meta), len(quote_cols))  # type: ignore[index]
    for j, c in enumerate(quote_cols):
        data[c] = values[:, j]
    negated = np.asarray([m[5] for m in meta], dtype=np.float64).reshape(len(meta), len(negated_cols))  # type: ignore[index]
    for j, c in enumerate(negated_cols):
        data[c] = negated[:, j]
    return pd.DataFrame(data, columns=report_columns)


def _matches_frame(shown: list[tuple[int, object]], ids: list[str], lex: CompiledLexicons) -> pd.DataFrame:
    lex_names = np.asarray([r[0] for r in lex.category_ref], dtype=object)
    cat_ids = np.asarray([r[1] for r in lex.category_ref], dtype=object)
    term_text = np.asarray([t.text for t in lex.terms], dtype=object)
    term_weight = np.asarray([t.weight for t in lex.terms], dtype=np.float64)
    parts = []
    for index, item in shown:
        rows = item[1] if isinstance(item, tuple) else None  # type: ignore[index]
        if not rows or not len(rows["start"]):
            continue
        m = len(rows["start"])
        parts.append(
            pd.DataFrame(
                {
                    "article_id": [ids[index]] * m,
                    "sentence": rows["sentence"],
                    "start": rows["start"],
                    "end": rows["end"],
                    "text": list(rows["text"]),
                    "lexicon": lex_names[rows["category"]],
                    "category": cat_ids[rows["category"]],
                    "term": term_text[rows["term"]],
                    "weight": term_weight[rows["term"]],
                    "quoted": rows["quoted"].astype(np.int64),
                    "negated": rows["negated"].astype(np.int64),
                }
            )
        )
    if not parts:
        return pd.DataFrame({c: [] for c in MATCHES_COLUMNS}).astype(
            {"sentence": np.int64, "start": np.int64, "end": np.int64, "weight": np.float64, "quoted": np.int64}
        )
    return pd.concat(parts, ignore_index=True)


def _report_csv(
    columns: list[str], num: _Numbers, texts: Callable[[int, int], Iterator[tuple[bytes, int]]], n: int, tell: Progress
) -> Iterator[bytes]:
    """``report.csv`` in id order, block by block: text cells from the store, numbers formatted once each.

    ``texts(lo, hi)`` yields, for the articles ``lo:hi`` in id order, their
    head and evidence cells as one byte string and where the head ends.
    """
    yield csv_line(columns)
    for lo, hi in _blocks(n):
        cells = [num.n_tokens[lo:hi].astype(str), num.n_sentences[lo:hi].astype(str), num.n_masked[lo:hi].astype(str)]
        cells += [format_floats(num.rate[lo:hi, k]) for k in range(num.rate.shape[1])]
        cells += [format_floats(num.sim[lo:hi, k]) for k in range(num.sim.shape[1])]
        cells += [format_floats(num.style[lo:hi, k]) for k in range(num.style.shape[1])]
        cells.append(num.predicted[lo:hi])
        cells.append(np.asarray([csv_cell(num.why(i)) for i in range(lo, hi)], dtype=object))
        middle = [",".join(row) for row in zip(*cells)]
        out = []
        for j, (text, split) in enumerate(texts(lo, hi)):
            top_terms = num.top_terms(lo + j).encode("utf-8", "backslashreplace")
            out.append(b"".join((text[:split], b",", middle[j].encode("utf-8", "backslashreplace"), b",", top_terms, b",",
                                 text[split:], b"\r\n")))
        yield b"".join(out)
        tell("write", hi, n)


def _matches_csv(spill: Spill, byte_ptr: np.ndarray, byte_end: np.ndarray) -> Iterator[bytes]:
    """``matches.csv`` in id order: each article's rows copied from the spill, adjacent reads joined."""
    yield csv_line(MATCHES_COLUMNS)
    run_lo = run_hi = -1
    out: list[bytes] = []
    size = 0
    for lo, hi in zip(byte_ptr[:, 2].tolist(), byte_end.tolist()):
        if lo == run_hi:
            run_hi = hi
            continue
        if run_hi > run_lo:
            out.append(spill.read_bytes(run_lo, run_hi))
            size += run_hi - run_lo
        run_lo, run_hi = lo, hi
        if size > 1 << 22:
            yield b"".join(out)
            out, size = [], 0
    if run_hi > run_lo:
        out.append(spill.read_bytes(run_lo, run_hi))
    yield b"".join(out)
