"""Passes 2 to 4: the block functions both runners map over pass 1's stored term counts.

::

    pass 2  term counts -> TF-IDF rows -> fixed-point group sums, norms, top terms,  (pass2_block)
            story vectors (each article's heaviest terms, with --stories auto)
    pass 3  TF-IDF rows . each labelled group's sum -> dot products                  (pass3_block)
    pass 4  TF-IDF rows + rates + typography -> classifier probabilities, reasons    (pass4_block)

A block is a range ``lo:hi`` of articles in input order (``blocks``); its
function reads the block's term counts through the context's ``spill``
and returns small arrays. A ``Store`` runs a block function over every
block: ``framing.engine.local.SpillStore`` in forked processes over one
spill, ``framing.engine.cluster.DaskStore`` on the workers, partition by
partition. Every figure is computed from one article's row, with its terms
in alphabetical order, or summed in fixed point, so the blocks may run in
any order and grouping and give the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
import scipy.sparse as sp

from ..analysis.features import tfidf_rows
from ..defaults import TOP_TERMS
from ..stats.classify import Trained

__all__ = [
    "BLOCK", "FIXED_POINT", "PADDED", "TOP_WHY", "BlockContext", "CountsReader", "Store", "blocks", "pass2_block",
    "pass3_block", "pass4_block", "story_vectors", "tfidf_block", "top_per_row",
]

BLOCK = 4096  # articles per block of passes 2 to 4 and of writing (at most 2**16: see top terms)
FIXED_POINT = 32  # fractional bits of the group sums of TF-IDF weights (exact, order-free addition)
TOP_WHY = 5  # features listed per article in ``why``
PADDED = 1024  # rows up to this long are ranked in a padded matrix; longer ones by sorting


def blocks(n: int) -> Iterator[tuple[int, int]]:
    """``(lo, hi)`` of the blocks covering articles ``0:n``."""
    for lo in range(0, n, BLOCK):
        yield lo, min(n, lo + BLOCK)


class CountsReader(Protocol):
    """Pass 1's term counts, entry by entry (``framing.engine.spill``)."""

    def read_counts(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """Entries ``lo`` to ``hi``: term ids and counts."""
        ...


@dataclass
class BlockContext:
    """What the blocks of passes 2 to 4 read: the stored counts and corpus-wide arrays.

    ``alpha`` maps the store's word ids to columns of the corpus vocabulary
    (alphabetical); the store sets ``spill``, ``entry_ptr`` and ``alpha``
    where the blocks run. The other fields are set by the pass.
    """

    weight: np.ndarray  # per column: its idf, 0 for a word that is no feature
    type_code: np.ndarray  # per article (input order)
    size: int  # columns
    keep_rows: bool  # return each block's TF-IDF rows (small corpora: the similarity matrix)
    spill: CountsReader | None = None
    entry_ptr: np.ndarray | None = None  # per article, its first entry in the spill, and the end
    alpha: np.ndarray | None = None
    dense: np.ndarray | None = None  # pass 3: words x labelled groups, the groups' sums
    train: np.ndarray | None = None  # input order: the classifier's training articles (their rows are kept)
    story_terms: int = 0  # pass 2: each article's heaviest terms kept for its story vector (0: no stories)
    linkable: np.ndarray | None = None  # per column, in 2 articles or more, where some features are not (small corpora)
    trained: Trained | None = None  # pass 4: the fitted classifier, the rates (id order) and each article's rank
    rate: np.ndarray | None = None
    typography: np.ndarray | None = None  # id order, float16
    rank_of: np.ndarray | None = None
    feature_map: np.ndarray | None = None  # a saved model: word (its column, then its store id) -> model column, or -1
    feature_idf: np.ndarray | None = None

    def bound(self, spill: CountsReader, entry_ptr: np.ndarray, alpha: np.ndarray) -> BlockContext:
        """This context where a store's blocks run: its counts, and its own word ids mapped to corpus columns."""
        return replace(self, spill=spill, entry_ptr=entry_ptr, alpha=alpha,
                       feature_map=self.feature_map[alpha] if self.feature_map is not None else None)


BlockFunction = Callable[[BlockContext, int, int], object]


class Store(Protocol):
    """Where pass 1 left each article's term counts and CSV cells, and how passes 2-4 run over them.

    ``framing.engine.local.SpillStore`` (one spill, blocks in forked
    processes); ``framing.engine.cluster.DaskStore`` keeps them in
    partitions on the Dask workers.
    """

    def map(self, fn: BlockFunction, context: BlockContext, n: int) -> Iterator[tuple[int, int, object]]:
        """``fn(context, lo, hi)`` over blocks covering articles ``0:n`` (input order), yielded in order."""
        ...

    def texts(self, order: np.ndarray) -> Callable[[int, int], Iterator[tuple[bytes, int]]]:
        """For id-order positions ``lo:hi``: each article's head and evidence cells, and where the head ends."""
        ...

    def matches(self, order: np.ndarray) -> Iterator[bytes]:
        """``matches.csv`` (header first), articles in id order (``order``: input position of each)."""
        ...

    def finished(self, columns: list[str], numbers: object, order: np.ndarray) -> None:
        """Told the report's columns and numbers (``framing.engine.rows.ReportNumbers``, id order)."""
        ...

    def parquet_parts(self) -> dict[str, Callable[[], Iterator[bytes]]]:
        """Tables made as Parquet parts where the rows are (the Dask workers); empty: the writer converts."""
        ...


def tfidf_block(
    spill: CountsReader, entry_ptr: np.ndarray, lo: int, hi: int, columns: np.ndarray, weight: np.ndarray
) -> sp.csr_matrix:
    """The l2-normalised TF-IDF rows of articles ``lo:hi`` (input order), from the spill.

    ``columns`` maps each stored word to its column: its alphabetical rank
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


def _rows(c: BlockContext, lo: int, hi: int) -> sp.csr_matrix:
    assert c.spill is not None and c.entry_ptr is not None and c.alpha is not None
    return tfidf_block(c.spill, c.entry_ptr, lo, hi, c.alpha, c.weight)


def pass2_block(c: BlockContext, lo: int, hi: int) -> tuple:
    """Articles ``lo:hi``: fixed-point group sums (as flat keys and values), norms, top terms, rows."""
    x = _rows(c, lo, hi)
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
    # One ranking serves both: the first TOP_TERMS of the heaviest story_terms are the heaviest TOP_TERMS.
    r, position, entry = top_per_row(x.indptr, x.data, max(TOP_TERMS, c.story_terms))
    listed = position < TOP_TERMS
    top[r[listed], position[listed]] = x.indices[entry[listed]]
    train = x[np.flatnonzero(c.train[lo:hi])] if c.train is not None else None
    story = None
    if c.story_terms:
        if c.linkable is not None:  # a small corpus's features include words of one article: no link, left out
            data = np.where(c.linkable[x.indices], x.data, 0.0)
            r, position, entry = top_per_row(x.indptr, data, c.story_terms)
            kept = data[entry] > 0
            r, position, entry = r[kept], position[kept], entry[kept]
        story = story_vectors(r, position, x.indices[entry], x.data[entry], hi - lo, c.story_terms)
    return keys, values, sq, top, (x if c.keep_rows else None), train, story


def story_vectors(
    row: np.ndarray, rank: np.ndarray, column: np.ndarray, weight: np.ndarray, n: int, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each article's ``k`` heaviest TF-IDF terms (column, -1 to pad) and weights, l2-normalised (float16).

    ``row``, ``rank``, ``column``, ``weight``: the picks of ``top_per_row``
    (at least ``k`` per row where a row has them). The vector of an article
    depends on its row alone, so it is the same for any block or engine.
    """
    keep = rank < k
    row, rank, weight = row[keep], rank[keep], weight[keep]
    norm = np.sqrt(np.bincount(row, weights=weight * weight, minlength=n))
    cols = np.full((n, k), -1, dtype=np.int32)
    weights = np.zeros((n, k), dtype=np.float16)
    cols[row, rank] = column[keep]
    weights[row, rank] = weight / norm[row]
    return cols, weights


def pass3_block(c: BlockContext, lo: int, hi: int) -> np.ndarray:
    """Articles ``lo:hi``: each one's dot product with each labelled group's sum."""
    assert c.dense is not None
    return _rows(c, lo, hi) @ c.dense


def pass4_block(c: BlockContext, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Articles ``lo:hi``: the classifier's probabilities, each one's top contributing features, its distance."""
    assert c.trained is not None and c.rate is not None and c.rank_of is not None
    if c.feature_map is None:
        tfidf = _rows(c, lo, hi)
    else:  # a saved model: its words, its idf
        assert c.feature_idf is not None and c.spill is not None and c.entry_ptr is not None
        tfidf = tfidf_block(c.spill, c.entry_ptr, lo, hi, c.feature_map, c.feature_idf)
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
    r, rank, entry = top_per_row(kept.indptr, kept.data, TOP_WHY)
    which = np.full((hi - lo, TOP_WHY), -1, dtype=np.int64)
    amount = np.zeros((hi - lo, TOP_WHY), dtype=np.float64)
    which[r, rank] = kept.indices[entry]
    amount[r, rank] = kept.data[entry]
    return proba, which, amount, c.trained.distance(dense)


def top_per_row(indptr: np.ndarray, data: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
    kth = _kth_largest(indptr, data, row, pos, k)
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


def _kth_largest(indptr: np.ndarray, data: np.ndarray, row: np.ndarray, pos: np.ndarray, k: int) -> np.ndarray:
    """Each row's ``k``-th largest value (``-inf`` for rows of ``k`` entries or fewer)."""
    lengths = np.diff(indptr)
    n = len(lengths)
    kth = np.full(n, -np.inf)
    wide = np.flatnonzero(lengths > k)
    narrow = wide[lengths[wide] <= PADDED]
    if len(narrow):
        width = int(lengths[narrow].max())
        padded = np.full((len(narrow), width), -np.inf)
        slot = np.full(n, -1)
        slot[narrow] = np.arange(len(narrow))
        inside = slot[row] >= 0
        padded[slot[row[inside]], pos[inside]] = data[inside]
        kth[narrow] = -np.partition(-padded, k - 1, axis=1)[:, k - 1]
    for r in wide[lengths[wide] > PADDED].tolist():  # rare: very long articles
        kth[r] = np.sort(data[indptr[r] : indptr[r + 1]])[::-1][k - 1]
    return kth
