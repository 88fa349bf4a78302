"""One partition's work, as a Dask worker runs it (``framing.engine.cluster``); nothing here imports Dask.

::

    pass1_part      read the partition, score_chunk per chunk, fold into a Pass1   (pass 1)
                    -> PartStore (kept on the worker, its rows and counts in files on the
                       worker's disk), PartNumbers (per-article numbers, for the client),
                       Partial (sums by word, first articles by id)
    merge_partials  several Partials -> one (the tree reduction)
    bind            a store's words -> columns of the corpus vocabulary
    map_part        a pass's block function over the partition's blocks        (passes 2-4)
    piece           the CSV rows of some of the partition's articles (one range of id order)
    range_*         one range's rows put together: CSV bytes, a DataFrame, a Parquet file

Each is the local engine's own code (``framing.engine.state``, ``passes``
and ``rows``) applied to a partition instead of the whole spill.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from ..analysis.chunk_rows import score_chunk
from ..analysis.mask import Masker
from ..analysis.match import CompiledLexicons
from ..cells import csv_line
from ..grouping import ArticleColumns
from ..schema import MATCHES_COLUMNS
from ..types import Article
from .passes import BlockContext, BlockFunction, blocks
from .rows import ReportNumbers, read_matches, read_report, report_csv
from .spill import Spill
from .state import ArticleNumbers, CorpusSums, FirstById, Pass1

__all__ = [
    "Partial", "PartNumbers", "PartStore", "Piece", "Reader", "bind", "map_part", "merge_partials",
    "pass1_part", "piece", "range_matches", "range_matches_frame", "range_matches_parquet", "range_report_frame",
    "range_report_parquet", "range_texts",
]

# A partition's reader, run on a worker: ``reader(data, shared) -> (articles, info)``. ``data`` is
# the partition's recipe or its DataFrame, ``shared`` what every partition's reading needs (sent to
# each worker once); ``info`` (small, picklable) goes back to the client with the partition's
# numbers, for the warnings.
Reader = Callable[[Any, Any], "tuple[list[Article], Any]"]


# ----------------------------------------------------------------- pass 1, on a worker


@dataclass
class PartStore:
    """One partition's pass-1 output, kept on its worker: what passes 2-4 and the writer read.

    The term counts and CSV cells are in the spill's files on the worker's disk (a few bytes of
    Dask's memory each); only the pointers, and the partition's words until ``bind``, are in memory.
    """

    spill: Spill
    entry_ptr: np.ndarray  # per article, its first entry in the spill, and the end
    byte_ptr: np.ndarray  # per article: head, evidence, matches offsets; the end is the next one's head
    words: np.ndarray  # object array: the partition's words, by its own word id
    type_code: np.ndarray  # int64
    alpha: np.ndarray | None = None  # partition word id -> column of the corpus vocabulary (after ``bind``)

    def __sizeof__(self) -> int:
        return (self.spill.__sizeof__() + self.entry_ptr.nbytes + self.byte_ptr.nbytes + self.type_code.nbytes
                + sum(len(w) + 50 for w in self.words.tolist()) + (self.alpha.nbytes if self.alpha is not None else 0))


@dataclass
class PartNumbers:
    """One partition's per-article numbers for the client, and what its reader said (``info``)."""

    numbers: ArticleNumbers
    info: Any = None

    @property
    def ids(self) -> list[str]:
        return self.numbers.ids


@dataclass
class Partial:
    """What merges across partitions, in a tree: sums keyed by word, and the first articles by id.

    Items of ``texts`` and ``heads`` are keyed by ``(partition << 32) |
    position`` until the client knows the offsets (``FirstById.placed``).
    """

    sums: CorpusSums
    texts: FirstById
    heads: FirstById
    n_docs: int = 0


def pass1_part(
    p: int, data: Any, reader: Reader, shared: Any, lex: CompiledLexicons, masker: Masker | None,
    keep_texts: int | None, keep_rows: int | None, chunk_articles: int, columns: ArticleColumns | None = None,
    spill_dir: str | None = None,
) -> tuple[PartStore, PartNumbers, Partial]:
    """Read partition ``p`` and run pass 1 on it, chunk by chunk, as the local engine does on the corpus.

    ``spill_dir``: where the partition's spill files go (default: the system's temporary folder).
    """
    articles, info = reader(data, shared)
    p1 = Pass1(lex, keep_texts=keep_texts, keep_rows=keep_rows, columns=columns)
    spill = Spill(spill_dir)
    try:
        for chunk in p1.chunks(articles, chunk_articles):
            p1.merge(score_chunk(chunk, lex, masker), spill)
    except BaseException:
        spill.close()
        raise
    del articles
    spill.seal()
    n = p1.n_docs
    words = np.asarray(p1.vocab.words, dtype=object)
    entry_ptr = np.append(np.concatenate(p1.entry_ptr), spill.n_entries).astype(np.int64) if n else np.zeros(1, np.int64)
    byte_ptr = np.concatenate(p1.byte_ptr) if n else np.zeros((0, 3), np.int64)
    numbers = p1.numbers()
    sums, _ = p1.sums()
    store = PartStore(spill=spill, entry_ptr=entry_ptr, byte_ptr=byte_ptr, words=words,
                      type_code=numbers.type_code.astype(np.int64))
    base = p << 32
    partial = Partial(sums=sums, texts=p1.texts.rekeyed(base), heads=p1.heads.rekeyed(base), n_docs=n)
    return store, PartNumbers(numbers, info), partial


def merge_partials(*parts: Partial) -> Partial:
    """One partial from several: the union of their words, their sums added, the first articles of all."""
    return Partial(
        sums=CorpusSums.merged([p.sums for p in parts]),
        texts=FirstById.merged([p.texts for p in parts]),
        heads=FirstById.merged([p.heads for p in parts]),
        n_docs=sum(p.n_docs for p in parts),
    )


def bind(store: PartStore, words: np.ndarray) -> PartStore:
    """The store with each of its words' column in the corpus vocabulary (``words``, alphabetical).

    The partition's own words go: the columns are all the later passes need, and a worker
    holding a hundred partitions held a few hundred MB of word strings.
    """
    alpha = np.searchsorted(words, store.words) if len(store.words) else np.zeros(0, np.int64)
    return replace(store, alpha=alpha.astype(np.int64), words=np.zeros(0, dtype=object))


# ----------------------------------------------------------------- passes 2-4, on a worker


def map_part(
    fn: BlockFunction, store: PartStore, context: BlockContext,
    train: np.ndarray | None, rate: np.ndarray | None, typography: np.ndarray | None,
) -> list[tuple[int, int, object]]:
    """``fn`` over the blocks of one partition: ``context`` (its corpus-wide part) with the partition's own rows."""
    assert store.alpha is not None
    m = len(store.type_code)
    here = replace(context, type_code=store.type_code, train=train, rate=rate, typography=typography,
                   rank_of=np.arange(m) if rate is not None else None)
    bound = here.bound(store.spill, store.entry_ptr, store.alpha)
    return [(lo, hi, fn(bound, lo, hi)) for lo, hi in blocks(m)]


# ----------------------------------------------------------------- output rows, on a worker


@dataclass
class Piece:
    """Some of a partition's articles, of one range of id order: their ranks and CSV bytes.

    ``texts`` and ``splits`` (for the report) or ``matches`` (for the ledger): the other is empty.
    """

    ranks: np.ndarray
    texts: list[bytes]  # head and evidence cells
    splits: np.ndarray  # where each one's head ends
    matches: list[bytes]

    def __sizeof__(self) -> int:  # for Dask, which batches what it moves by size (an object's own is 56 bytes)
        return (self.ranks.nbytes + self.splits.nbytes
                + sum(len(b) + 33 for b in self.texts) + sum(len(b) + 33 for b in self.matches))


def piece(store: PartStore, positions: np.ndarray, ranks: np.ndarray, table: str) -> Piece:
    """The CSV bytes of the partition's articles at ``positions`` (``ranks``: their places in id order), read
    from the spill: their report cells (``table="report"``) or their ``matches.csv`` rows (``"matches"``)."""
    ptr = store.byte_ptr
    ends = np.append(ptr[1:, 0], store.spill.n_bytes) if len(ptr) else np.zeros(0, np.int64)
    rows = ptr[positions]
    if table == "report":
        texts = _spans(store.spill.read_bytes, rows[:, 0], rows[:, 2])
        return Piece(ranks=ranks, texts=texts, splits=rows[:, 1] - rows[:, 0], matches=[])
    matches = _spans(store.spill.read_bytes, rows[:, 2], ends[positions])
    return Piece(ranks=ranks, texts=[], splits=np.zeros(0, np.int64), matches=matches)


def _spans(read: Callable[[int, int], bytes], starts: np.ndarray, ends: np.ndarray) -> list[bytes]:
    """The bytes ``[start, end)`` of each span: one read when they lie close together (a corpus in id order),
    else one read each."""
    if not len(starts):
        return []
    lo, hi = int(starts.min()), int(ends.max())
    if hi - lo <= 2 * int((ends - starts).sum()) + (1 << 16):
        data = read(lo, hi)
        return [data[a - lo : b - lo] for a, b in zip(starts.tolist(), ends.tolist())]
    return [read(a, b) for a, b in zip(starts.tolist(), ends.tolist())]


def range_texts(*pieces: Piece) -> tuple[list[bytes], np.ndarray]:
    """One range's head and evidence cells in id order, and where each head ends."""
    ranks = np.concatenate([p.ranks for p in pieces])
    order = np.argsort(ranks, kind="stable")
    texts = [t for p in pieces for t in p.texts]
    splits = np.concatenate([p.splits for p in pieces])
    return [texts[i] for i in order.tolist()], splits[order]


def _range_report_csv(columns: list[str], num: ReportNumbers, names: tuple[list[str], list[str]], *pieces: Piece) -> bytes:
    """One range's rows of ``report.csv``, the header first: ``framing.engine.rows.report_csv`` on them."""
    texts, splits = range_texts(*pieces)
    num = replace(num, words=names[0], why_names=names[1])
    split_at = splits.tolist()

    def read(lo: int, hi: int) -> Iterator[tuple[bytes, int]]:
        for i in range(lo, hi):
            yield texts[i], split_at[i]

    return b"".join(report_csv(columns, num, read, len(texts), lambda *_: None))


def range_report_frame(
    columns: list[str], num: ReportNumbers, names: tuple[list[str], list[str]], *pieces: Piece
) -> pd.DataFrame:
    """One range's rows of ``report.csv`` as a DataFrame (``framing.engine.rows.read_report``)."""
    return read_report(_range_report_csv(columns, num, names, *pieces))


def range_matches(*pieces: Piece) -> bytes:
    """One range's ``matches.csv`` rows, articles in id order."""
    ranks = np.concatenate([p.ranks for p in pieces])
    rows = [m for p in pieces for m in p.matches]
    return b"".join(rows[i] for i in np.argsort(ranks, kind="stable").tolist())


def range_matches_frame(*pieces: Piece) -> pd.DataFrame:
    """One range's rows of ``matches.csv`` as a DataFrame."""
    return read_matches(csv_line(MATCHES_COLUMNS) + range_matches(*pieces))


def _parquet_bytes(data: bytes, table: str) -> bytes:
    from ..outputs.parquet import csv_to_parquet  # the writer's own conversion, run here on the worker

    sink = io.BytesIO()
    csv_to_parquet(io.BytesIO(data), sink, table)
    return sink.getvalue()


def range_report_parquet(columns: list[str], num: ReportNumbers, names: tuple[list[str], list[str]], *pieces: Piece) -> bytes:
    """One range's rows of the report as a Parquet file (``framing.outputs.csv_to_parquet``)."""
    return _parquet_bytes(_range_report_csv(columns, num, names, *pieces), "report")


def range_matches_parquet(*pieces: Piece) -> bytes:
    """One range's rows of the ledger as a Parquet file."""
    return _parquet_bytes(csv_line(MATCHES_COLUMNS) + range_matches(*pieces), "matches")
