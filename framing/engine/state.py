"""Pass 1's state: what the engine keeps of each article, and the corpus sums that merge.

::

    chunks of articles -> score_chunk (framing.analysis.chunk_rows) -> Pass1.merge
    Pass1 -> ArticleNumbers (per article, input order)
           + CorpusSums (per word of the vocabulary, alphabetical)
           + the first articles by id (FirstById), for report.html

Both runners fold chunks into a ``Pass1``: the local engine one for the
whole corpus (each article's term counts and CSV cells go to its spill), a
Dask worker one per partition. On the cluster, the partitions'
``CorpusSums`` are added in a tree (``CorpusSums.merged``) and their
``ArticleNumbers`` joined on the client (``ArticleNumbers.concat``), which
gives the same numbers as one ``Pass1`` over the whole corpus: every
per-article figure depends on that article alone, and every sum is of
integers.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from ..analysis.chunk_rows import ChunkRows
from ..analysis.match import CompiledLexicons
from ..analysis.vocabulary import Vocabulary
from ..cells import escape_surrogates, has_surrogates
from ..defaults import CHUNK_ARTICLES
from ..stats.comparisons import RATE_FIXED_POINT, term_rate_sums
from ..types import SOURCE_TYPES, Article

__all__ = ["ArticleNumbers", "CorpusSums", "FirstById", "Growing", "Pass1", "Spilling", "batches", "ledger_rows"]


def batches(items: Iterable[Article], size: int = CHUNK_ARTICLES) -> Iterator[list[Article]]:
    """Lists of ``size`` articles (the last one shorter), read lazily."""
    it = iter(items)
    while batch := list(itertools.islice(it, size)):
        yield batch


class FirstById:
    """The ``limit`` items with the smallest keys (article ids) seen so far (``limit=None``: all), by index.

    The engine keeps the first articles by id for report.html: their rows
    (``heads``) and their texts and matches (``texts``). Items are keyed by
    the article's input position; on a Dask worker by ``(partition << 32) |
    position`` until the client knows where each partition starts
    (``placed``).
    """

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.items: dict[int, tuple[str, object]] = {}

    def add(self, key: str, index: int, item: object) -> None:
        """Offer the item of article ``index`` whose id is ``key``."""
        if self.limit == 0:
            return
        self.items[index] = (key, item)
        if self.limit is not None and len(self.items) > 2 * self.limit + 64:
            self.prune()

    def __contains__(self, index: int) -> bool:
        return index in self.items

    def item(self, index: int) -> object:
        """The item kept for article ``index``."""
        return self.items[index][1]

    def set(self, index: int, item: object) -> None:
        """Replace the item kept for article ``index``."""
        self.items[index] = (self.items[index][0], item)

    def prune(self) -> None:
        """Keep only the ``limit`` smallest keys (ties: the smaller index)."""
        if self.limit is not None and len(self.items) > self.limit:
            best = sorted(self.items.items(), key=lambda kv: (kv[1][0], kv[0]))[: self.limit]
            self.items = dict(best)

    def sorted(self) -> list[tuple[int, object]]:
        """``(index, item)`` by key, then index."""
        self.prune()
        return [(i, item) for i, (_, item) in sorted(self.items.items(), key=lambda kv: (kv[1][0], kv[0]))]

    def rekeyed(self, base: int) -> FirstById:
        """The kept items, pruned, with ``base`` or-ed into their indices (a partition's number, shifted)."""
        out = FirstById(self.limit)
        self.prune()
        out.items = {base | i: item for i, item in self.items.items()}
        return out

    def placed(self, offsets: np.ndarray) -> FirstById:
        """Items keyed ``(partition << 32) | position`` re-keyed by input position, given each partition's offset."""
        out = FirstById(self.limit)
        out.items = {int(offsets[key >> 32]) + (key & 0xFFFFFFFF): item for key, item in self.items.items()}
        return out

    @classmethod
    def merged(cls, parts: Sequence[FirstById]) -> FirstById:
        """The first items of all ``parts`` (whose keys do not overlap)."""
        out = cls(parts[0].limit)
        for p in parts:
            out.items.update(p.items)
        out.prune()
        return out


class Growing:
    """A 2-D integer array whose second axis grows with the vocabulary."""

    def __init__(self, rows: int) -> None:
        self.data = np.zeros((rows, 1 << 14), dtype=np.int64)

    def ensure(self, size: int) -> None:
        """Make room for ``size`` columns (doubling, so each column is copied a bounded number of times)."""
        if size > self.data.shape[1]:
            bigger = np.zeros((self.data.shape[0], max(size, 2 * self.data.shape[1])), dtype=np.int64)
            bigger[:, : self.data.shape[1]] = self.data
            self.data = bigger


@dataclass
class ArticleNumbers:
    """Every article's numbers from pass 1, in input order: what the engine keeps in memory per article.

    ``type_code`` indexes ``framing.types.SOURCE_TYPES``; ``outlet_code``
    indexes ``outlets``; ``digests`` holds each article's sha256 (32 bytes
    each); ``totals`` is articles x categories (the sum of match weights);
    ``typography`` articles x ``framing.analysis.typography.NAMES`` (float16).
    """

    ids: list[str]
    digests: bytes
    type_code: np.ndarray
    outlets: list[str]
    outlet_code: np.ndarray
    n_tokens: np.ndarray
    n_sentences: np.ndarray
    n_masked: np.ndarray
    typography: np.ndarray
    totals: np.ndarray
    n_matches: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def concat(cls, parts: Sequence[ArticleNumbers]) -> ArticleNumbers:
        """The partitions' numbers one after the other; outlets coded in order of first appearance."""
        parts = [p for p in parts if len(p)]
        outlets: dict[str, int] = {}
        codes = []
        for p in parts:
            recode = np.fromiter((outlets.setdefault(o, len(outlets)) for o in p.outlets), np.int64, len(p.outlets))
            codes.append(recode[p.outlet_code])
        return cls(
            ids=[i for p in parts for i in p.ids],
            digests=b"".join(p.digests for p in parts),
            type_code=_joined([p.type_code for p in parts], np.int8),
            outlets=list(outlets),
            outlet_code=_joined(codes, np.int64),
            n_tokens=_joined([p.n_tokens for p in parts], np.int64),
            n_sentences=_joined([p.n_sentences for p in parts], np.int64),
            n_masked=_joined([p.n_masked for p in parts], np.int64),
            typography=np.concatenate([p.typography for p in parts]) if parts else np.zeros((0, 0), np.float16),
            totals=np.concatenate([p.totals for p in parts]) if parts else np.zeros((0, 0)),
            n_matches=_joined([p.n_matches for p in parts], np.int64),
        )


def _joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype)


@dataclass
class CorpusSums:
    """Pass 1's corpus sums, by word of the vocabulary in alphabetical order: what merges.

    ``df``: articles per word; ``group_counts`` and ``group_docs``: source
    types x words, the word's count and its articles in each type;
    ``term_rates``: source types x lexicon terms, the sum of each article's
    rate of the term in fixed point (``framing.stats.comparisons``);
    ``quote_sums`` and ``quote_counts``: source types x (own, quoted) rates
    per category, fixed-point sums and the articles with a defined rate
    (``None`` before the first chunk).
    """

    words: list[str]
    df: np.ndarray
    group_counts: np.ndarray
    group_docs: np.ndarray
    term_rates: np.ndarray
    quote_sums: np.ndarray | None
    quote_counts: np.ndarray | None

    @classmethod
    def merged(cls, parts: Sequence[CorpusSums]) -> CorpusSums:
        """One set of sums from several: the union of their words, their sums added."""
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
        return cls(
            words=words, df=df, group_counts=counts, group_docs=docs,
            term_rates=sum((p.term_rates for p in parts[1:]), first.term_rates.copy()),
            quote_sums=sum(p.quote_sums for p in with_quotes) if with_quotes else None,  # type: ignore[misc]
            quote_counts=sum(p.quote_counts for p in with_quotes) if with_quotes else None,  # type: ignore[misc]
        )


class Spilling(Protocol):
    """Where pass 1 puts each article's term counts and CSV cells (``framing.engine.spill``)."""

    def add_counts(self, terms: np.ndarray, counts: np.ndarray) -> int:
        """Append term ids and counts; return the index of the first entry."""
        ...

    def add_bytes(self, blobs: list[bytes]) -> np.ndarray:
        """Append byte strings; return the offset of each one and the end."""
        ...


class Pass1:
    """Pass 1 over a stream of chunks: per-article numbers, spill offsets, growing corpus sums.

    ``chunks(articles, size)`` cuts the stream into chunks and notes each
    article's type, outlet and candidacy for the page; ``merge(rows,
    spill)`` folds a chunk's ``score_chunk`` into the state, in input order.
    Afterwards ``numbers()`` and ``sums()`` give what later passes read,
    and ``entry_ptr``/``byte_ptr`` where each article's term counts and CSV
    cells lie in the spill.
    """

    def __init__(self, lex: CompiledLexicons, *, keep_texts: int | None, keep_rows: int | None) -> None:
        self.types = SOURCE_TYPES
        self.term_weight = np.asarray([t.weight for t in lex.terms], dtype=np.float64)
        self.n_categories = lex.n_categories
        self.ids: list[str] = []
        self.digests: list[bytes] = []
        self.outlets: dict[str, int] = {}
        self.type_code: list[np.ndarray] = []
        self.outlet_code: list[np.ndarray] = []
        self.n_tokens: list[np.ndarray] = []
        self.n_sentences: list[np.ndarray] = []
        self.n_masked: list[np.ndarray] = []
        self.typography: list[np.ndarray] = []  # float16, n x typography.NAMES
        self.totals: list[np.ndarray] = []
        self.n_matches: list[np.ndarray] = []
        self.entry_ptr: list[np.ndarray] = []  # per chunk: each article's first entry in the spill
        self.byte_ptr: list[np.ndarray] = []  # per chunk: head, evidence, matches offsets of each article
        self.vocab = Vocabulary()
        self.df = np.zeros(1 << 14, np.int64)
        self.group_counts = Growing(len(self.types))
        self.group_docs = Growing(len(self.types))
        self.term_rates = np.zeros((len(self.types), len(self.term_weight)), dtype=np.int64)
        self.quote_sums: np.ndarray | None = None  # types x (own, quoted per category): fixed-point sums
        self.quote_counts: np.ndarray | None = None  # articles with a defined rate
        self.texts = FirstById(keep_texts)  # input position -> (article, its ledger rows)
        self.heads = FirstById(keep_rows)  # input position -> (title, outlet, type, evidence, quotes, negated)
        self.n_docs = 0

    def chunks(self, articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
        """Chunks of articles; records each article's type, outlet and page candidacy on the way."""
        type_index = {t: i for i, t in enumerate(self.types)}
        n = 0
        for chunk in batches(articles, size):
            chunk = [_printable(a) for a in chunk]
            self.type_code.append(np.fromiter((type_index.get(a.source_type, 3) for a in chunk), np.int8, len(chunk)))
            outlets = self.outlets
            self.outlet_code.append(
                np.fromiter((outlets.setdefault(a.outlet, len(outlets)) for a in chunk), np.int64, len(chunk))
            )
            for a in chunk:
                self.heads.add(a.id, n, (a.title, a.outlet, a.source_type))
                self.texts.add(a.id, n, a)
                n += 1
            yield chunk

    def merge(self, part: ChunkRows, spill: Spilling) -> None:
        """Fold one chunk's rows into the corpus state, in input order (after ``chunks`` gave the chunk)."""
        chunk_no = len(self.n_tokens)
        self.ids.extend(part.ids)
        self.digests.append(part.digests)
        self.n_tokens.append(part.n_tokens)
        self.n_sentences.append(part.n_sentences)
        self.n_masked.append(part.n_masked)
        self.typography.append(part.typography)
        self.totals.append(part.totals)
        self.n_matches.append(part.n_matches)
        terms = self._count_terms(part, self.type_code[chunk_no])
        self._add_quote_sums(part.quote_values[:, 1:], self.type_code[chunk_no])
        led = part.ledger
        counted = ~led.negated
        self.term_rates += term_rate_sums(
            led.doc[counted], led.term[counted], self.term_weight[led.term[counted]], part.n_tokens,
            self.type_code[chunk_no], len(self.types), len(self.term_weight),
        )
        first = spill.add_counts(terms, part.count)
        self.entry_ptr.append(first + part.term_ptr[:-1])
        blobs = [b for trio in zip(part.head_csv, part.evidence_csv, part.matches_csv) for b in trio]
        offsets = spill.add_bytes(blobs)
        self.byte_ptr.append(offsets[:-1].reshape(len(part), 3))
        self._keep_for_the_page(part)
        self.n_docs += len(part)

    def _count_terms(self, part: ChunkRows, tcode_of_doc: np.ndarray) -> np.ndarray:
        """The chunk's words as corpus word ids; document frequencies and group counts added. Returns the ids.

        Each article's terms go to the spill in the chunk's order; passes 2
        and 3 put them in alphabetical order before summing
        (``framing.engine.passes.tfidf_block``).
        """
        gid, _ = self.vocab.ids(part.word_keys[:, 0], part.word_keys[:, 1], _lines_at(part.words_text))
        terms = gid[part.term] if len(part.term) else np.zeros(0, np.int64)
        doc = np.repeat(np.arange(len(part), dtype=np.int64), np.diff(part.term_ptr))
        counts = part.count
        size = len(self.vocab)
        if size > len(self.df):
            self.df = np.concatenate([self.df, np.zeros(max(size, 2 * len(self.df)) - len(self.df), np.int64)])
        self.group_counts.ensure(size)
        self.group_docs.ensure(size)
        if len(terms):
            top = int(terms.max()) + 1
            self.df[:top] += np.bincount(terms, minlength=top)
            tcode = tcode_of_doc[doc]
            for t in np.unique(tcode).tolist():
                mine = tcode == t
                # (float sums of integers below 2**53 are exact)
                self.group_counts.data[t, :top] += np.bincount(
                    terms[mine], weights=counts[mine], minlength=top
                ).astype(np.int64)
                self.group_docs.data[t, :top] += np.bincount(terms[mine], minlength=top)
        return terms

    def _add_quote_sums(self, values: np.ndarray, type_code: np.ndarray) -> None:
        """Fold a chunk's own-voice and quoted rates into per-type sums (fixed point: exact in any order)."""
        if self.quote_sums is None:
            self.quote_sums = np.zeros((len(self.types), values.shape[1]), dtype=np.int64)
            self.quote_counts = np.zeros((len(self.types), values.shape[1]), dtype=np.int64)
        assert self.quote_counts is not None
        defined = ~np.isnan(values)
        fixed = np.where(defined, np.rint(np.nan_to_num(values) * float(1 << RATE_FIXED_POINT)), 0).astype(np.int64)
        for t in np.unique(type_code).tolist():
            mine = type_code == t
            self.quote_sums[t] += fixed[mine].sum(axis=0)
            self.quote_counts[t] += defined[mine].sum(axis=0)

    def _keep_for_the_page(self, part: ChunkRows) -> None:
        """Rows kept for the page get their evidence and ledger now, while they are here."""
        base = self.n_docs
        for d in range(len(part)):
            if base + d in self.heads:
                title, outlet, source_type = self.heads.item(base + d)  # type: ignore[misc]
                self.heads.set(base + d, (title, outlet, source_type, part.evidence[d], part.quote_values[d],
                                          part.negated_values[d]))
            if base + d in self.texts:
                self.texts.set(base + d, (self.texts.item(base + d), ledger_rows(part, d)))

    def numbers(self) -> ArticleNumbers:
        """Every article's numbers, joined (the per-chunk lists are released)."""
        n = self.n_docs
        numbers = ArticleNumbers(
            ids=self.ids,
            digests=b"".join(self.digests),
            type_code=_joined(self.type_code, np.int8),
            outlets=list(self.outlets),
            outlet_code=_joined(self.outlet_code, np.int64),
            n_tokens=_joined(self.n_tokens, np.int64),
            n_sentences=_joined(self.n_sentences, np.int64),
            n_masked=_joined(self.n_masked, np.int64),
            typography=np.concatenate(self.typography) if n else np.zeros((0, 0), np.float16),
            totals=np.concatenate(self.totals) if n else np.zeros((0, self.n_categories)),
            n_matches=_joined(self.n_matches, np.int64),
        )
        for chunks in (self.digests, self.type_code, self.outlet_code, self.n_tokens, self.n_sentences,
                       self.n_masked, self.typography, self.totals, self.n_matches):
            chunks.clear()
        return numbers

    def sums(self) -> tuple[CorpusSums, np.ndarray]:
        """The corpus sums by word in alphabetical order, and each word id's alphabetical rank (``alpha``).

        Alphabetical ids do not depend on the input order, and ties between
        words break alphabetically. The growing tables are released.
        """
        words = self.vocab.words
        size = len(words)
        by_word = sorted(range(size), key=words.__getitem__)
        alpha = np.empty(size, dtype=np.int64)
        alpha[by_word] = np.arange(size)
        sums = CorpusSums(
            words=[words[i] for i in by_word],
            df=self.df[:size][by_word],
            group_counts=self.group_counts.data[:, :size][:, by_word],
            group_docs=self.group_docs.data[:, :size][:, by_word],
            term_rates=self.term_rates,
            quote_sums=self.quote_sums,
            quote_counts=self.quote_counts,
        )
        self.group_counts = self.group_docs = None  # type: ignore[assignment]
        return sums, alpha


def _printable(a: Article) -> Article:
    """The article with lone surrogates in its id, title, outlet and type written as escapes (``cells.escape_surrogates``).

    Every table shows these fields; the text keeps its characters, since
    match offsets count them.
    """
    if not has_surrogates(a.id + a.title + a.outlet + a.source_type):
        return a
    return replace(a, id=escape_surrogates(a.id), title=escape_surrogates(a.title),
                   outlet=escape_surrogates(a.outlet), source_type=escape_surrogates(a.source_type))


def _lines_at(text: str) -> Callable[[np.ndarray], list[str]]:
    """``positions -> [lines[i] for i in positions]`` of ``text``'s lines, split on first use."""

    def pick(positions: np.ndarray) -> list[str]:
        lines = text.split("\n")
        return [lines[i] for i in positions.tolist()]

    return pick


def ledger_rows(part: ChunkRows, d: int) -> dict[str, object]:
    """Article ``d``'s rows of the chunk's ledger, as arrays (what ``matches`` of the result is made of)."""
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
