"""Tokenize one chunk of articles into flat arrays that the chunk's later stages share.

Lexicon matching, rates and term counts all read the same ``TokenTable``:
one vocabulary entry per token, with its character offsets, and
``doc_offsets`` marking where each article's tokens begin. The chunk is
handled as one array of code points, so there is no Python work per token;
tokenizing once and sharing the result is what keeps a run near the speed of
a bare ``re.findall`` over the text.

The vocabulary is the chunk's own, in order of first appearance, and its
entries are named by 128-bit keys: later stages look words up by key
(``framing.analysis.vocabulary``) and make strings only of the words they
have not met, so most of a chunk's words never become Python strings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from ..sentences import sentence_starts_flat
from ..tokenize import code_points, normalize, word_spans

if TYPE_CHECKING:  # pandas and scipy are imported where tokens are made or counted: a warm cache needs neither
    import scipy.sparse as sp

SentenceSplitter = Callable[[list[str]], tuple[np.ndarray, np.ndarray]]

__all__ = ["MAX_HASHED", "TokenTable", "build_token_table", "table_arrays", "table_from_arrays"]

@dataclass(frozen=True)
class TokenTable:
    """All tokens of a chunk of articles, article after article.

    Token ``i`` of article ``d`` is at flat index ``k = doc_offsets[d] + i``;
    it is vocabulary entry ``ids[k]``, and ``spans[k]`` gives its offsets in
    the chunk's normalised text (the articles joined by ``"\\n"``). Entries
    are numbered in order of first appearance and named by two 64-bit keys
    (``keys``, ``checks``); their texts (``vocab``, ``words``) and each
    token's offsets in its own article (``starts``, ``ends``) and sentence
    (``sentence``) are worked out only where asked for, since most tokens
    never need them.
    """

    keys: np.ndarray  # per entry: the first hash (uint64)
    checks: np.ndarray  # per entry: the second hash (uint64)
    first: np.ndarray  # per entry: the token where it first appears
    ids: np.ndarray
    flat_starts: np.ndarray
    flat_ends: np.ndarray
    doc_offsets: np.ndarray
    doc_start: np.ndarray  # where each article begins in the joined text
    n_sentences: np.ndarray
    sentence_starts: np.ndarray  # every sentence start, in joined-text offsets (strictly increasing)
    first_sentence: np.ndarray  # per article: the index of its first sentence in ``sentence_starts``
    joined: str
    text_keys: bool = False  # True when a hash collision made the chunk name its words by their text

    @property
    def n_docs(self) -> int:
        """Number of articles."""
        return len(self.doc_offsets) - 1

    @property
    def n_vocab(self) -> int:
        """Number of distinct words."""
        return len(self.keys)

    @property
    def n_tokens(self) -> np.ndarray:
        """Tokens per article."""
        return np.diff(self.doc_offsets)

    def doc_of(self, positions: np.ndarray | None = None) -> np.ndarray:
        """Article index of the flat token ``positions`` (default: every token)."""
        if positions is None:
            return np.repeat(np.arange(self.n_docs, dtype=np.int64), self.n_tokens)
        return np.searchsorted(self.doc_offsets, positions, side="right") - 1

    def words(self, entries: np.ndarray) -> list[str]:
        """The texts of vocabulary ``entries``."""
        at = self.first[entries]
        return _span_texts(self.joined, self.flat_starts[at], self.flat_ends[at])

    @cached_property
    def vocab(self) -> list[str]:
        """The text of every vocabulary entry, by entry."""
        return self.words(np.arange(self.n_vocab))

    def offsets(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Start and end of the tokens at ``positions`` within their own article."""
        base = self.doc_start[self.doc_of(positions)]
        return self.flat_starts[positions] - base, self.flat_ends[positions] - base

    @cached_property
    def starts(self) -> np.ndarray:
        """Every token's start within its article."""
        return self.offsets(np.arange(len(self.ids)))[0]

    @cached_property
    def ends(self) -> np.ndarray:
        """Every token's end within its article."""
        return self.offsets(np.arange(len(self.ids)))[1]

    def in_spans(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """One flag per token: True when it starts inside one of the spans (joined-text offsets; may overlap)."""
        flags = np.zeros(len(self.ids), dtype=bool)
        if len(starts) == 0 or len(flags) == 0:
            return flags
        order = np.argsort(starts, kind="stable")
        s, e = starts[order], np.maximum.accumulate(ends[order])  # overlapping spans merge
        at = np.searchsorted(s, self.flat_starts, side="right") - 1
        return (at >= 0) & (self.flat_starts < e[np.maximum(at, 0)])

    def sentence_key(self, positions: np.ndarray) -> np.ndarray:
        """A number per token, equal for two tokens of one article exactly when they share a sentence."""
        return np.searchsorted(self.sentence_starts, self.flat_starts[positions], side="right")

    def sentence_of(self, positions: np.ndarray) -> np.ndarray:
        """The sentence index (within its article) of the tokens at ``positions``."""
        first = self.first_sentence[self.doc_of(positions)]
        return np.maximum(self.sentence_key(positions) - 1 - first, 0)

    @cached_property
    def sentence(self) -> np.ndarray:
        """Every token's sentence index within its article."""
        return self.sentence_of(np.arange(len(self.ids)))

    def counts(self) -> sp.csr_matrix:
        """Article x vocabulary matrix of raw token counts."""
        import scipy.sparse as sp

        data = np.ones(len(self.ids), dtype=np.float64)
        m = sp.csr_matrix((data, self.ids, self.doc_offsets), shape=(self.n_docs, self.n_vocab))
        m.sum_duplicates()
        return m


def _span_texts(text: str, starts: np.ndarray, ends: np.ndarray) -> list[str]:
    """``[text[a:b] for a, b in zip(starts, ends)]``."""
    return [text[a:b] for a, b in zip(starts.tolist(), ends.tolist())]


# Two independent 64-bit polynomial hashes name each token without making a
# Python string of it; the second proves that no two different words of a
# chunk share the first (else the chunk is redone with strings).
_HASH_BASES = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F)


# Words longer than this are named by their text (rare: a URL-like run of
# letters); hashing them by Horner's rule would cost one step per character.
MAX_HASHED = 64


def _span_hashes(cps: np.ndarray, starts: np.ndarray, ends: np.ndarray, bases: Sequence[int]) -> list[np.ndarray]:
    """Polynomial hashes (Horner's rule, modulo 2**64) of every span ``cps[start:end]``, xor its length.

    One hash per base, computed together. The spans are taken longest first,
    so that step ``k`` updates exactly the spans longer than ``k``: the work
    is the number of characters in words, not the length of the text, and
    needs no table of powers.
    """
    lengths = ends - starts
    # Lengths are small (at most MAX_HASHED): a stable sort of one-byte keys is a radix sort.
    order = np.argsort((MAX_HASHED - lengths).astype(np.uint8), kind="stable")
    at, ordered = starts[order], lengths[order]
    hashes = [np.zeros(len(order), dtype=np.uint64) for _ in bases]
    factors = [np.uint64(b) for b in bases]
    longest = int(ordered[0]) if len(ordered) else 0
    # live[k]: how many spans are longer than k (spans are sorted longest first)
    live = np.searchsorted(-ordered, -np.arange(longest), side="left")
    with np.errstate(over="ignore"):
        for k in range(longest):
            m = int(live[k])
            c = cps[at[:m]].astype(np.uint64)
            for h, f in zip(hashes, factors):
                part = h[:m]
                part *= f
                part += c
            at[:m] += 1
        out = []
        for h in hashes:
            h ^= ordered.astype(np.uint64)
            unsorted = np.empty_like(h)
            unsorted[order] = h
            out.append(unsorted)
    return out


def _first_occurrences(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of ``keys`` (0, 1, ... in order of appearance) and where each code first appears."""
    import pandas as pd  # its hash table: np.unique would sort every chunk's keys

    codes, uniques = pd.factorize(keys)
    first = np.empty(len(uniques), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # the last write, the earliest place, wins
    return codes.astype(np.int64, copy=False), first


def _text_keys(words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Two 64-bit keys per word from its text (BLAKE2b), for the words not hashed by code points."""
    digests = b"".join(hashlib.blake2b(w.encode("utf-32-le", "surrogatepass"), digest_size=16).digest() for w in words)
    both = np.frombuffer(digests, dtype="<u8").reshape(-1, 2)
    return both[:, 0].astype(np.uint64), both[:, 1].astype(np.uint64)


def _word_keys(
    joined: str, cps: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, bool]:
    """Vocabulary entry of every token, per entry its two keys and first token, and whether keys are of text.

    Words up to ``MAX_HASHED`` characters are keyed by two independent
    64-bit hashes of their code points; longer ones by a hash of their text.
    The first key names the entries; the second proves that no two different
    words of the chunk share the first (else the chunk's words are named by
    their text).
    """
    n = len(starts)
    k1, k2 = np.zeros(n, dtype=np.uint64), np.zeros(n, dtype=np.uint64)
    short = (ends - starts) <= MAX_HASHED
    if short.any():
        k1[short], k2[short] = _span_hashes(cps, starts[short], ends[short], _HASH_BASES)
    if not short.all():
        k1[~short], k2[~short] = _text_keys(_span_texts(joined, starts[~short], ends[~short]))
    ids, first = _first_occurrences(k1)
    if not np.array_equal(k2, k2[first][ids]):  # a collision: name the words by their text
        ids, first = _first_occurrences(np.asarray(_span_texts(joined, starts, ends), dtype=object))
        e1, e2 = _text_keys(_span_texts(joined, starts[first], ends[first]))
        return ids, e1, e2, first, True
    return ids, k1[first], k2[first], first, False


def build_token_table(texts: Sequence[str], *, sentences: SentenceSplitter = sentence_starts_flat) -> TokenTable:
    """Tokenize and sentence-split a chunk of texts into one table.

    The texts are joined by newlines (never part of a word) and handled as
    one array of code points. Words are named by hashes of their code points
    (``_word_keys``) instead of a Python string per token.
    """
    joined = "\n".join(normalize(t) for t in texts)
    cps = code_points(joined)
    starts, ends = word_spans(cps)
    ids, k1, k2, first, text_keys = _word_keys(joined, cps, starts, ends)

    n_docs = len(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n_docs)
    doc_start = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])).astype(np.int64) if n_docs else lengths
    doc_offsets = np.append(np.searchsorted(starts, doc_start), len(starts)).astype(np.int64)

    # Sentences, in joined-text offsets. A sentence counts when it holds a
    # word ("..." alone is not a sentence worth counting): when some token
    # starts between it and the next sentence (of this article or the next:
    # no token lies between an article's end and the next one's first start).
    local, per_doc = sentences(list(texts))
    sentence_starts = local + np.repeat(doc_start, per_doc)
    first_sentence = np.concatenate(([0], np.cumsum(per_doc)[:-1])).astype(np.int64) if n_docs else per_doc
    before = np.searchsorted(starts, sentence_starts)
    has_word = np.append(before[1:], len(starts)) > before
    sentence_doc = np.repeat(np.arange(n_docs, dtype=np.int64), per_doc)
    n_sentences = np.bincount(sentence_doc[has_word], minlength=n_docs).astype(np.int64)
    return TokenTable(
        keys=k1,
        checks=k2,
        first=first,
        ids=ids,
        flat_starts=starts.astype(np.int64),
        flat_ends=ends.astype(np.int64),
        doc_offsets=doc_offsets,
        doc_start=doc_start,
        n_sentences=n_sentences,
        sentence_starts=sentence_starts.astype(np.int64),
        first_sentence=first_sentence,
        joined=joined,
        text_keys=text_keys,
    )


# The arrays of a table, besides its text: what the token cache stores (``framing.engine.token_cache``).
_ARRAYS = ("keys", "checks", "first", "ids", "flat_starts", "flat_ends", "doc_offsets", "doc_start", "n_sentences",
           "sentence_starts", "first_sentence")


def table_arrays(table: TokenTable) -> dict[str, np.ndarray]:
    """A table as named arrays, without its text (``table_from_arrays`` makes it again from them and the texts).

    Offsets and ids are stored as 32-bit unsigned integers when they fit
    (they nearly always do: a chunk of 4 GB of text would not), with the
    dtype each had, so that the table read back has the same dtypes.
    """
    out: dict[str, np.ndarray] = {"text_keys": np.asarray(table.text_keys)}
    for name in _ARRAYS:
        values = np.asarray(getattr(table, name))
        small = values.dtype.kind in "iu" and values.dtype.itemsize > 4 and (
            not len(values) or (values.min() >= 0 and values.max() < 2**32))
        out[name] = values.astype(np.uint32) if small else values
        out[name + ".dtype"] = np.asarray(values.dtype.str)
    return out


def table_from_arrays(arrays: dict[str, np.ndarray], texts: Sequence[str]) -> TokenTable:
    """The table of ``texts`` from ``table_arrays`` of it (the text is joined again, as ``build_token_table`` does)."""
    fields = {name: arrays[name].astype(np.dtype(str(arrays[name + ".dtype"])), copy=False) for name in _ARRAYS}
    return TokenTable(**fields, joined="\n".join(normalize(t) for t in texts), text_keys=bool(arrays["text_keys"]))
