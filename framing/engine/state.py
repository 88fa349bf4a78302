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
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np

from ..analysis.chunk_rows import ChunkRows
from ..analysis.match import CompiledLexicons
from ..analysis.vocabulary import Vocabulary
from ..cells import escape_surrogates, has_surrogates
from ..dates import NO_DAY, PRECISIONS, parse_date
from ..defaults import CHUNK_ARTICLES
from ..grouping import ArticleColumns
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
    """A 2-D integer array whose second axis grows with the vocabulary, and whose first with the groups."""

    def __init__(self, rows: int) -> None:
        self.data = np.zeros((rows, 1 << 14), dtype=np.int64)

    def ensure(self, size: int, rows: int = 0) -> None:
        """Make room for ``size`` columns and ``rows`` rows (doubling columns, so each is copied a bounded number of times)."""
        have_rows, have = self.data.shape
        if size > have or rows > have_rows:
            bigger = np.zeros((max(rows, have_rows), max(size, 2 * have) if size > have else have), dtype=np.int64)
            bigger[:have_rows, :have] = self.data
            self.data = bigger


def grown(table: np.ndarray | None, rows: int) -> np.ndarray | None:
    """``table`` with at least ``rows`` rows (new rows zero)."""
    if table is None or table.shape[0] >= rows:
        return table
    return np.concatenate([table, np.zeros((rows - table.shape[0], *table.shape[1:]), dtype=table.dtype)])


@dataclass
class ArticleNumbers:
    """Every article's numbers from pass 1, in input order: what the engine keeps in memory per article.

    ``type_code`` indexes ``framing.types.SOURCE_TYPES``; ``outlet_code``
    indexes ``outlets``; ``group_code`` indexes ``groups`` (the values of
    the run's grouping column, ``framing.grouping``); ``digests`` holds each
    article's sha256 (32 bytes each); ``totals`` is articles x categories
    (the sum of match weights); ``typography`` articles x
    ``framing.analysis.typography.NAMES`` (float16). ``day`` and
    ``precision``: each article's date (days since 1970-01-01, ``NO_DAY``
    for none; a code of ``framing.dates.PRECISIONS``), empty when the run
    reads no dates; ``bad_dates``: per file, the dates that could not be
    read (how many, the first article and its text).
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
    groups: list[str] = field(default_factory=list)
    group_code: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    day: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    precision: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    bad_dates: dict[str, list] = field(default_factory=dict)

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
        groups: dict[str, int] = {}
        group_codes = []
        for p in parts:
            recode = np.fromiter((groups.setdefault(g, len(groups)) for g in p.groups), np.int32, len(p.groups))
            group_codes.append(recode[p.group_code] if len(p.groups) else p.group_code)
        bad: dict[str, list] = {}
        for p in parts:
            for f, (count, first, text) in p.bad_dates.items():
                have = bad.setdefault(f, [0, first, text])
                have[0] += count
        return cls(
            ids=[i for p in parts for i in p.ids],
            digests=b"".join(p.digests for p in parts),
            type_code=_joined([p.type_code for p in parts], np.int8),
            outlets=list(outlets),
            outlet_code=_joined(codes, np.int64),
            n_tokens=_joined([p.n_tokens for p in parts], np.int64),
            n_sentences=_joined([p.n_sentences for p in parts], np.int64),
            n_masked=_joined([p.n_masked for p in parts], np.int64),
            typography=_joined([p.typography for p in parts], np.float16, width=0),
            totals=_joined([p.totals for p in parts], np.float64, width=0),
            n_matches=_joined([p.n_matches for p in parts], np.int64),
            groups=list(groups),
            group_code=_joined(group_codes, np.int32),
            day=_joined([p.day for p in parts], np.int64),
            precision=_joined([p.precision for p in parts], np.int8),
            bad_dates=bad,
        )


def _joined(parts: list[np.ndarray], dtype: type, width: int | None = None) -> np.ndarray:
    """``parts`` joined along the first axis, each let go once copied (none: empty, of ``width`` columns if given).

    ``np.concatenate`` holds every part and the whole at once: at a million
    articles the category totals alone were 456 MB twice over. ``parts`` is emptied.
    """
    if not parts:
        return np.zeros(0 if width is None else (0, width), dtype)
    dtype = np.result_type(*{p.dtype for p in parts})  # np.concatenate's; the distinct dtypes are few, the parts many
    whole = np.empty((sum(len(p) for p in parts), *parts[0].shape[1:]), dtype=dtype)
    at = 0
    parts.reverse()  # popped from the end: each part goes as soon as it is copied
    while parts:
        part = parts.pop()
        whole[at:at + len(part)] = part
        at += len(part)
    return whole


@dataclass
class CorpusSums:
    """Pass 1's corpus sums, by word of the vocabulary in alphabetical order: what merges.

    ``df``: articles per word; ``group_counts`` and ``group_docs``: groups
    (``groups``, the values of the grouping column) x words, the word's
    count and its articles in each group; ``term_rates``: groups x lexicon
    terms, the sum of each article's rate of the term in fixed point
    (``framing.stats.comparisons``); ``quote_sums`` and ``quote_counts``:
    groups x (own, quoted) rates per category, fixed-point sums and the
    articles with a defined rate (``None`` before the first chunk).
    """

    words: list[str]
    df: np.ndarray
    group_counts: np.ndarray
    group_docs: np.ndarray
    term_rates: np.ndarray
    quote_sums: np.ndarray | None
    quote_counts: np.ndarray | None
    groups: list[str] = field(default_factory=list)

    @classmethod
    def merged(cls, parts: Sequence[CorpusSums]) -> CorpusSums:
        """One set of sums from several: the union of their words and groups, their sums added."""
        words = sorted(set().union(*(p.words for p in parts)))
        index = {w: i for i, w in enumerate(words)}
        groups = list(dict.fromkeys(g for p in parts for g in p.groups))
        row = {g: i for i, g in enumerate(groups)}
        first = parts[0]
        df = np.zeros(len(words), np.int64)
        counts = np.zeros((len(groups), len(words)), np.int64)
        docs = np.zeros_like(counts)
        term_rates = np.zeros((len(groups), first.term_rates.shape[1]), np.int64)
        with_quotes = [p for p in parts if p.quote_sums is not None]
        width = with_quotes[0].quote_sums.shape[1] if with_quotes else 0  # type: ignore[union-attr]
        quote_sums = np.zeros((len(groups), width), np.int64) if with_quotes else None
        quote_counts = np.zeros_like(quote_sums) if with_quotes else None
        for p in parts:
            at = np.fromiter((index[w] for w in p.words), np.int64, len(p.words))
            rows = np.asarray([row[g] for g in p.groups], dtype=np.int64)
            df[at] += p.df
            counts[np.ix_(rows, at)] += p.group_counts[: len(rows)]
            docs[np.ix_(rows, at)] += p.group_docs[: len(rows)]
            term_rates[rows] += p.term_rates[: len(rows)]
            if p.quote_sums is not None and quote_sums is not None and quote_counts is not None:
                quote_sums[rows] += p.quote_sums[: len(rows)]
                quote_counts[rows] += p.quote_counts[: len(rows)]  # type: ignore[index]
        return cls(
            words=words, df=df, group_counts=counts, group_docs=docs, term_rates=term_rates,
            quote_sums=quote_sums, quote_counts=quote_counts, groups=groups,
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
    article's type, outlet, group, date and candidacy for the page;
    ``merge(rows, spill)`` folds a chunk's ``score_chunk`` into the state,
    in input order. ``columns`` says where groups and dates come from
    (default: groups are source types, no dates).
    Afterwards ``numbers()`` and ``sums()`` give what later passes read,
    and ``entry_ptr``/``byte_ptr`` where each article's term counts and CSV
    cells lie in the spill.
    """

    def __init__(
        self, lex: CompiledLexicons, *, keep_texts: int | None, keep_rows: int | None,
        columns: ArticleColumns | None = None,
    ) -> None:
        self.types = SOURCE_TYPES
        self.columns = columns or ArticleColumns()
        # Source types keep their fixed codes (group code = type code); another column's values are coded as met.
        self.groups: dict[str, int] = {t: i for i, t in enumerate(SOURCE_TYPES)} if self.columns.by_type else {}
        self.group_code: list[np.ndarray] = []
        self.day: list[np.ndarray] = []
        self.precision: list[np.ndarray] = []
        self.bad_dates: dict[str, list] = {}
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
        self.group_counts = Growing(len(self.groups))
        self.group_docs = Growing(len(self.groups))
        self.term_rates = np.zeros((len(self.groups), len(self.term_weight)), dtype=np.int64)
        self.quote_sums: np.ndarray | None = None  # groups x (own, quoted per category): fixed-point sums
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
            self._code_groups(chunk)
            if self.columns.dated:
                self._read_dates(chunk)
            outlets = self.outlets
            self.outlet_code.append(
                np.fromiter((outlets.setdefault(a.outlet, len(outlets)) for a in chunk), np.int64, len(chunk))
            )
            for a in chunk:
                self.heads.add(a.id, n, (a.title, a.outlet, a.source_type))
                self.texts.add(a.id, n, a)
                n += 1
            yield chunk

    def _code_groups(self, chunk: list[Article]) -> None:
        """Each article's group code; the group tables get a row for every new group."""
        if self.columns.by_type:
            self.group_code.append(self.type_code[-1].astype(np.int32))
            return
        groups, value = self.groups, self.columns.group
        self.group_code.append(np.fromiter((groups.setdefault(value(a), len(groups)) for a in chunk), np.int32,
                                           len(chunk)))
        rows = len(groups)
        self.group_counts.ensure(0, rows)
        self.group_docs.ensure(0, rows)
        self.term_rates = grown(self.term_rates, rows)  # type: ignore[assignment]
        self.quote_sums, self.quote_counts = grown(self.quote_sums, rows), grown(self.quote_counts, rows)

    def _read_dates(self, chunk: list[Article]) -> None:
        """Each article's day and precision; a date that cannot be read is counted against its file."""
        day = np.full(len(chunk), NO_DAY, dtype=np.int64)
        precision = np.zeros(len(chunk), dtype=np.int8)
        date_of = self.columns.date
        for i, a in enumerate(chunk):
            text = date_of(a)
            if not text or not text.strip():
                continue
            parsed = parse_date(text)
            if parsed is None:
                bad = self.bad_dates.setdefault(source_file(a.source), [0, a.id, text])
                bad[0] += 1
                continue
            day[i], precision[i] = parsed[0], PRECISIONS.index(parsed[1])
        self.day.append(day)
        self.precision.append(precision)

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
        group = self.group_code[chunk_no]
        terms = self._count_terms(part, group)
        self._add_quote_sums(part.quote_values[:, 1:], group)
        led = part.ledger
        counted = ~led.negated
        self.term_rates += term_rate_sums(
            led.doc[counted], led.term[counted], self.term_weight[led.term[counted]], part.n_tokens,
            group, len(self.groups), len(self.term_weight),
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
            self.quote_sums = np.zeros((len(self.groups), values.shape[1]), dtype=np.int64)
            self.quote_counts = np.zeros((len(self.groups), values.shape[1]), dtype=np.int64)
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
        numbers = ArticleNumbers(
            ids=self.ids,
            digests=b"".join(self.digests),
            type_code=_joined(self.type_code, np.int8),
            outlets=list(self.outlets),
            outlet_code=_joined(self.outlet_code, np.int64),
            n_tokens=_joined(self.n_tokens, np.int64),
            n_sentences=_joined(self.n_sentences, np.int64),
            n_masked=_joined(self.n_masked, np.int64),
            typography=_joined(self.typography, np.float16, width=0),
            totals=_joined(self.totals, np.float64, width=self.n_categories),
            n_matches=_joined(self.n_matches, np.int64),
            groups=list(self.groups),
            group_code=_joined(self.group_code, np.int32),
            day=_joined(self.day, np.int64),
            precision=_joined(self.precision, np.int8),
            bad_dates=self.bad_dates,
        )
        self.digests.clear()  # the arrays' chunk lists were emptied as they were joined
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
            groups=list(self.groups),
        )
        self.group_counts = self.group_docs = None  # type: ignore[assignment]
        return sums, alpha


_RECORD_NUMBER = re.compile(r":\d+$")


def source_file(source: str) -> str:
    """The file an article was read from: its ``source`` without a record's ``:<number>``."""
    return _RECORD_NUMBER.sub("", source)


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
