"""One partition's work, as a Dask worker runs it: pure functions of a partition (``framing.engine.dask``).

::

    _pass1_part     read the partition, score_chunk per chunk, merge into a PartStore  (pass 1)
                    -> PartNumbers (per-article numbers, for the client), Partial (sums by word)
    _merge_partials several Partials -> one (the tree reduction)
    _bind           a store's words -> columns of the corpus vocabulary
    _map_part       a pass's block function over the partition's blocks (passes 2-4)
    _cut            the partition's CSV rows by range of id order
    _range_*        one range's rows put together: CSV bytes, a DataFrame, a Parquet file

Each is the local engine's own code (``framing.engine.local``) applied to a
partition instead of the whole spill; nothing here imports Dask.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..analysis.chunk_rows import score_chunk
from ..analysis.mask import Masker
from ..analysis.match import CompiledLexicons
from ..cells import csv_line
from ..schema import MATCHES_COLUMNS
from ..stats.classify import Trained
from ..types import SOURCE_TYPES, Article
from .local import (
    _BlockContext,
    _blocks,
    _chunks_with_meta,
    _merge,
    _Numbers,
    _Pass1,
    _report_csv,
    _Smallest,
)
from .spill import MemorySpill

__all__ = ["PartNumbers", "PartStore", "Partial", "Reader"]

# A partition's reader, run on a worker: ``reader(data, shared) -> (articles, info)``. ``data`` is
# the partition's recipe or its DataFrame, ``shared`` what every partition's reading needs (sent to
# each worker once); ``info`` (small, picklable) goes back to the client with the partition's
# numbers, for the warnings.
Reader = Callable[[Any, Any], "tuple[list[Article], Any]"]


# ----------------------------------------------------------------- pass 1, on a worker


@dataclass
class PartStore:
    """One partition's pass-1 output, kept on its worker: what passes 2-4 and the writer read."""

    spill: MemorySpill
    entry_ptr: np.ndarray  # per article, its first entry in the spill, and the end
    byte_ptr: np.ndarray  # per article: head, evidence, matches offsets; the end is the next one's head
    words: np.ndarray  # object array: the partition's words, by its own word id
    type_code: np.ndarray  # int64
    alpha: np.ndarray | None = None  # partition word id -> column of the corpus vocabulary (after ``_bind``)

    def __sizeof__(self) -> int:
        return (self.spill.__sizeof__() + self.entry_ptr.nbytes + self.byte_ptr.nbytes + self.type_code.nbytes
                + sum(len(w) + 50 for w in self.words.tolist()) + (self.alpha.nbytes if self.alpha is not None else 0))


@dataclass
class PartNumbers:
    """One partition's per-article numbers, for the client (``_Pass1``'s per-article lists, one entry each)."""

    ids: list[str]
    digests: bytes
    type_code: np.ndarray
    outlets: list[str]  # the partition's outlets, by its own code
    outlet_code: np.ndarray
    n_tokens: np.ndarray
    n_sentences: np.ndarray
    n_masked: np.ndarray
    typography: np.ndarray
    totals: np.ndarray
    n_matches: np.ndarray
    info: Any = None  # the reader's: warnings and the like


@dataclass
class Partial:
    """What merges across partitions, in a tree: sums keyed by word, and the first articles by id.

    ``words`` are in alphabetical order; ``df``, ``group_counts`` and
    ``group_docs`` follow them. Items of ``texts`` and ``heads`` are keyed by
    ``(partition << 32) | position`` until the client knows the offsets.
    """

    words: list[str]
    df: np.ndarray
    group_counts: np.ndarray
    group_docs: np.ndarray
    term_rates: np.ndarray
    quote_sums: np.ndarray | None
    quote_counts: np.ndarray | None
    texts: _Smallest
    heads: _Smallest
    n_docs: int = 0


def _pass1_part(
    p: int, data: Any, reader: Reader, shared: Any, lex: CompiledLexicons, masker: Masker | None,
    keep_texts: int | None, keep_rows: int | None, chunk_articles: int,
) -> tuple[PartStore, PartNumbers, Partial]:
    """Read partition ``p`` and run pass 1 on it, chunk by chunk, as the local engine does on the corpus."""
    articles, info = reader(data, shared)
    term_weight = np.asarray([t.weight for t in lex.terms], dtype=np.float64)
    state = _Pass1(types=SOURCE_TYPES, term_weight=term_weight)
    texts, heads = _Smallest(keep_texts), _Smallest(keep_rows)
    spill = MemorySpill()
    for chunk in _chunks_with_meta(articles, chunk_articles, state, texts, heads):
        _merge(state, score_chunk(chunk, lex, masker), spill, texts, heads)
    del articles
    spill.seal()
    n = state.n_docs
    size = len(state.vocab)
    words = state.vocab.words
    by_word = sorted(range(size), key=words.__getitem__)
    base = p << 32
    store = PartStore(
        spill=spill,
        entry_ptr=np.append(np.concatenate(state.entry_ptr), spill.n_entries).astype(np.int64) if n else np.zeros(1, np.int64),
        byte_ptr=np.concatenate(state.byte_ptr) if n else np.zeros((0, 3), np.int64),
        words=np.asarray(words, dtype=object),
        type_code=np.concatenate(state.type_code).astype(np.int64) if n else np.zeros(0, np.int64),
    )
    numbers = PartNumbers(
        ids=state.ids,
        digests=b"".join(state.digests),
        type_code=_joined(state.type_code, np.int8),
        outlets=list(state.outlets),
        outlet_code=_joined(state.outlet_code, np.int64),
        n_tokens=_joined(state.n_tokens, np.int64),
        n_sentences=_joined(state.n_sentences, np.int64),
        n_masked=_joined(state.n_masked, np.int64),
        typography=np.concatenate(state.typography) if n else np.zeros((0, 0), np.float16),
        totals=np.concatenate(state.totals) if n else np.zeros((0, lex.n_categories)),
        n_matches=_joined(state.n_matches, np.int64),
        info=info,
    )
    partial = Partial(
        words=[words[i] for i in by_word],
        df=state.df[:size][by_word],
        group_counts=state.group_counts.data[:, :size][:, by_word],
        group_docs=state.group_docs.data[:, :size][:, by_word],
        term_rates=state.term_rates,
        quote_sums=state.quote_sums,
        quote_counts=state.quote_counts,
        texts=_rekeyed(texts, base),
        heads=_rekeyed(heads, base),
        n_docs=n,
    )
    return store, numbers, partial


def _joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype)


def _rekeyed(kept: _Smallest, base: int) -> _Smallest:
    out = _Smallest(kept.limit)
    kept._prune()
    out.items = {base | i: item for i, item in kept.items.items()}
    return out


def _merge_partials(*parts: Partial) -> Partial:
    """One partial from several: the union of their words, their sums added, the first articles of all."""
    words = sorted(set().union(*(p.words for p in parts)))
    index = {w: i for i, w in enumerate(words)}
    first = parts[0]
    df = np.zeros(len(words), np.int64)
    counts = np.zeros((first.group_counts.shape[0], len(words)), np.int64)
    docs = np.zeros_like(counts)
    for p in parts:
        at = np.fromiter((index[w] for w in p.words), np.int64, len(p.words))
        df[at] += p.df
        counts[:, at] += p.group_counts
        docs[:, at] += p.group_docs
    with_quotes = [p for p in parts if p.quote_sums is not None]
    texts, heads = _Smallest(first.texts.limit), _Smallest(first.heads.limit)
    for p in parts:
        texts.items.update(p.texts.items)
        heads.items.update(p.heads.items)
    texts._prune()
    heads._prune()
    return Partial(
        words=words, df=df, group_counts=counts, group_docs=docs,
        term_rates=sum((p.term_rates for p in parts[1:]), first.term_rates.copy()),
        quote_sums=sum(p.quote_sums for p in with_quotes) if with_quotes else None,  # type: ignore[misc]
        quote_counts=sum(p.quote_counts for p in with_quotes) if with_quotes else None,  # type: ignore[misc]
        texts=texts, heads=heads, n_docs=sum(p.n_docs for p in parts),
    )


def _bind(store: PartStore, words: np.ndarray) -> PartStore:
    """The store with each of its words' column in the corpus vocabulary (``words``, alphabetical)."""
    alpha = np.searchsorted(words, store.words) if len(store.words) else np.zeros(0, np.int64)
    return PartStore(store.spill, store.entry_ptr, store.byte_ptr, store.words, store.type_code, alpha.astype(np.int64))


# ----------------------------------------------------------------- passes 2-4, on a worker


@dataclass
class _Shared:
    """The corpus-wide part of a pass's context, sent to every worker once per pass."""

    alpha: np.ndarray
    weight: np.ndarray
    size: int
    keep_rows: bool
    dense: np.ndarray | None
    trained: Trained | None
    feature_map: np.ndarray | None
    feature_idf: np.ndarray | None


def _map_part(
    fn: Callable[[_BlockContext, int, int], object], store: PartStore, shared: _Shared,
    train: np.ndarray | None, rate: np.ndarray | None, typography: np.ndarray | None,
) -> list[tuple[int, int, object]]:
    """``fn`` over the blocks of one partition, with a context whose columns are the corpus's."""
    assert store.alpha is not None
    m = len(store.type_code)
    context = _BlockContext(
        spill=store.spill,  # type: ignore[arg-type]
        entry_ptr=store.entry_ptr,
        alpha=shared.alpha[store.alpha],
        weight=shared.weight,
        type_code=store.type_code,
        size=shared.size,
        keep_rows=shared.keep_rows,
        dense=shared.dense,
        train=train,
        trained=shared.trained,
        rate=rate,
        typography=typography,
        rank_of=np.arange(m) if rate is not None else None,
        feature_map=shared.feature_map[store.alpha] if shared.feature_map is not None else None,
        feature_idf=shared.feature_idf,
    )
    return [(lo, hi, fn(context, lo, hi)) for lo, hi in _blocks(m)]


# ----------------------------------------------------------------- output rows, on a worker


@dataclass
class _Piece:
    """A partition's articles that fall in one range of id order: their ranks and CSV bytes."""

    ranks: np.ndarray
    texts: list[bytes]  # head and evidence cells
    splits: np.ndarray  # where each one's head ends
    matches: list[bytes]


def _cut(store: PartStore, ranks: np.ndarray, width: int) -> dict[int, _Piece]:
    """The partition's CSV bytes by range of id order (``ranks``: each article's place in id order)."""
    _, _, data = store.spill.seal()
    ptr = store.byte_ptr
    ends = np.append(ptr[1:, 0], store.spill.n_bytes) if len(ptr) else np.zeros(0, np.int64)
    pieces: dict[int, _Piece] = {}
    which = ranks // width
    for r in np.unique(which).tolist():
        mine = np.flatnonzero(which == r)
        mine = mine[np.argsort(ranks[mine], kind="stable")]
        rows = ptr[mine]
        pieces[r] = _Piece(
            ranks=ranks[mine],
            texts=[data[a:c] for a, c in zip(rows[:, 0].tolist(), rows[:, 2].tolist())],
            splits=rows[:, 1] - rows[:, 0],
            matches=[data[a:b] for a, b in zip(rows[:, 2].tolist(), ends[mine].tolist())],
        )
    return pieces


def _range_texts(*pieces: _Piece) -> tuple[list[bytes], np.ndarray]:
    """One range's head and evidence cells in id order, and where each head ends."""
    ranks = np.concatenate([p.ranks for p in pieces])
    order = np.argsort(ranks, kind="stable")
    texts = [t for p in pieces for t in p.texts]
    splits = np.concatenate([p.splits for p in pieces])
    return [texts[i] for i in order.tolist()], splits[order]


def _range_report_csv(columns: list[str], num: _Numbers, names: tuple[list[str], list[str]], *pieces: _Piece) -> bytes:
    """One range's rows of ``report.csv``, the header first: the local engine's ``_report_csv`` on them."""
    texts, splits = _range_texts(*pieces)
    num.words, num.why_names = names
    split_at = splits.tolist()

    def read(lo: int, hi: int) -> Iterator[tuple[bytes, int]]:
        for i in range(lo, hi):
            yield texts[i], split_at[i]

    return b"".join(_report_csv(columns, num, read, len(texts), lambda *_: None))


def _range_report(columns: list[str], num: _Numbers, names: tuple[list[str], list[str]], *pieces: _Piece) -> Any:
    """One range's rows of ``report.csv`` as a DataFrame (``framing.dask.report_frame``)."""
    from ..dask import report_frame

    return report_frame(_range_report_csv(columns, num, names, *pieces))


def _range_matches_frame(*pieces: _Piece) -> Any:
    """One range's rows of ``matches.csv`` as a DataFrame."""
    from ..dask import matches_frame

    return matches_frame(csv_line(MATCHES_COLUMNS) + _range_matches(*pieces))


def _parquet_bytes(data: bytes, table: str) -> bytes:
    import io

    from ..outputs import csv_to_parquet

    sink = io.BytesIO()
    csv_to_parquet(io.BytesIO(data), sink, table)
    return sink.getvalue()


def _range_report_parquet(columns: list[str], num: _Numbers, names: tuple[list[str], list[str]], *pieces: _Piece) -> bytes:
    """One range's rows of the report as a Parquet file (``framing.outputs.csv_to_parquet``)."""
    return _parquet_bytes(_range_report_csv(columns, num, names, *pieces), "report")


def _range_matches_parquet(*pieces: _Piece) -> bytes:
    """One range's rows of the ledger as a Parquet file."""
    return _parquet_bytes(csv_line(MATCHES_COLUMNS) + _range_matches(*pieces), "matches")


def _range_matches(*pieces: _Piece) -> bytes:
    """One range's ``matches.csv`` rows, articles in id order."""
    ranks = np.concatenate([p.ranks for p in pieces])
    rows = [m for p in pieces for m in p.matches]
    return b"".join(rows[i] for i in np.argsort(ranks, kind="stable").tolist())
