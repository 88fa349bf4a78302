"""Tokenize one chunk of articles into flat arrays that the chunk's later stages share.

Lexicon matching, rates and term counts all read the same ``TokenTable``:
one vocabulary id per token, with its character offsets and sentence number,
and ``doc_offsets`` marking where each article's tokens begin. The chunk is
handled as one array of code points, so there is no Python work per token;
tokenizing once and sharing the result is what keeps a run near the speed of
a bare ``re.findall`` over the text.

The vocabulary is the chunk's own, sorted, so that wildcard terms find their
words by binary search; the engine maps it to the corpus vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..sentences import sentence_starts_many
from ..tokenize import code_points, normalize, word_spans

SentenceSplitter = Callable[[list[str]], list[np.ndarray]]

__all__ = ["TokenTable", "build_token_table"]

@dataclass(frozen=True)
class TokenTable:
    """All tokens of a corpus, article after article.

    Token ``i`` of article ``d`` is at flat index ``doc_offsets[d] + i``; its
    word is ``vocab[ids[k]]`` and it spans ``text[starts[k]:ends[k]]`` of that
    article; ``sentence[k]`` is the index of its sentence within the article.
    """

    vocab: list[str]
    ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    sentence: np.ndarray
    doc_offsets: np.ndarray
    n_sentences: np.ndarray

    @property
    def n_docs(self) -> int:
        """Number of articles."""
        return len(self.doc_offsets) - 1

    @property
    def n_tokens(self) -> np.ndarray:
        """Tokens per article."""
        return np.diff(self.doc_offsets)

    def doc_of(self) -> np.ndarray:
        """Article index of every flat token position."""
        return np.repeat(np.arange(self.n_docs, dtype=np.int64), self.n_tokens)

    def counts(self) -> sp.csr_matrix:
        """Article x vocabulary matrix of raw token counts."""
        data = np.ones(len(self.ids), dtype=np.float64)
        m = sp.csr_matrix(
            (data, self.ids, self.doc_offsets), shape=(self.n_docs, len(self.vocab))
        )
        m.sum_duplicates()
        return m


# Two independent 64-bit polynomial hashes name each token without making a
# Python string of it; the second proves that no two different words of a
# chunk share the first (else the chunk is redone with strings).
_HASH_BASES = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F)


# Words longer than this are named by their text (rare: a URL-like run of
# letters); hashing them by Horner's rule would cost one step per character.
_MAX_HASHED = 64


def _span_hashes(cps: np.ndarray, starts: np.ndarray, ends: np.ndarray, bases: Sequence[int]) -> list[np.ndarray]:
    """Polynomial hashes (Horner's rule, modulo 2**64) of every span ``cps[start:end]``, xor its length.

    One hash per base, computed together. The spans are taken longest first,
    so that step ``k`` updates exactly the spans longer than ``k``: the work
    is the number of characters in words, not the length of the text, and
    needs no table of powers.
    """
    lengths = ends - starts
    # Lengths are small (at most _MAX_HASHED): a stable sort of one-byte keys is a radix sort.
    order = np.argsort((_MAX_HASHED - lengths).astype(np.uint8), kind="stable")
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
    codes, uniques = pd.factorize(keys)
    first = np.empty(len(uniques), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # the last write, the earliest place, wins
    return codes, first


def _word_codes(joined: str, cps: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """One code per token, equal exactly when the words are equal.

    Words up to ``_MAX_HASHED`` characters are named by two independent
    64-bit hashes: the first names them, the second proves that no two
    different words share the first (else they are named by their text).
    Longer words are named by their text.
    """
    short = (ends - starts) <= _MAX_HASHED
    codes = np.empty(len(starts), dtype=np.int64)
    s_starts, s_ends = starts[short], ends[short]
    keys, check = _span_hashes(cps, s_starts, s_ends, _HASH_BASES)
    c_short, first = _first_occurrences(keys)
    if not np.array_equal(check, check[first][c_short]):  # a collision: name the words by their text
        texts = np.asarray([joined[a:b] for a, b in zip(s_starts.tolist(), s_ends.tolist())], dtype=object)
        c_short, first = _first_occurrences(texts)
    codes[short] = c_short
    if not short.all():
        long_words = [joined[a:b] for a, b in zip(starts[~short].tolist(), ends[~short].tolist())]
        codes[~short] = len(first) + pd.factorize(np.asarray(long_words, dtype=object))[0]
    return codes


def build_token_table(texts: Sequence[str], *, sentences: SentenceSplitter = sentence_starts_many) -> TokenTable:
    """Tokenize and sentence-split a chunk of texts into one table with a sorted vocabulary.

    The texts are joined by newlines (never part of a word) and handled as
    one array of code points. Words are named by hashes of their code points
    (``_word_codes``) instead of a Python string per token.
    """
    joined = "\n".join(normalize(t) for t in texts)
    cps = code_points(joined)
    starts, ends = word_spans(cps)
    codes = _word_codes(joined, cps, starts, ends)
    codes, first = _first_occurrences(codes)
    words = np.asarray([joined[a:b] for a, b in zip(starts[first].tolist(), ends[first].tolist())], dtype=object)
    order = np.argsort(words.astype(str), kind="stable") if len(words) else np.zeros(0, np.int64)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))

    n_docs = len(texts)
    doc_start = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]]).astype(np.int64) if n_docs else np.zeros(0, np.int64)
    bounds = np.searchsorted(starts, doc_start) if n_docs else np.zeros(0, np.int64)
    doc_offsets = np.append(bounds, len(starts)).astype(np.int64)
    n_tokens = np.diff(doc_offsets)
    doc = np.repeat(np.arange(n_docs, dtype=np.int64), n_tokens)
    local_starts = starts - doc_start[doc] if len(starts) else starts
    local_ends = ends - doc_start[doc] if len(ends) else ends

    # Sentence of every token: the sentence starts of all articles, shifted to
    # chunk offsets, searched once; a token before its article's first start
    # (none, as starts are at the first character) would count as sentence 0.
    per_doc = sentences(list(texts))
    n_starts = np.fromiter((len(s) for s in per_doc), dtype=np.int64, count=n_docs)
    first_start = np.concatenate(([0], np.cumsum(n_starts)[:-1])) if n_docs else np.zeros(0, np.int64)
    all_starts = (
        np.concatenate([s + d for s, d in zip(per_doc, doc_start.tolist())]) if n_docs else np.zeros(0, np.int64)
    )
    sentence = np.searchsorted(all_starts, starts, side="right") - 1 - first_start[doc] if len(starts) else doc
    sentence = np.maximum(sentence, 0)
    # Sentences with at least one word: "..." alone is not a sentence worth counting.
    new = np.ones(len(starts), dtype=bool)
    if len(starts) > 1:
        new[1:] = (sentence[1:] != sentence[:-1]) | (doc[1:] != doc[:-1])
    n_sentences = np.bincount(doc[new], minlength=n_docs).astype(np.int64)
    return TokenTable(
        vocab=words[order].tolist(),
        ids=rank[codes].astype(np.int64) if len(codes) else np.zeros(0, np.int64),
        starts=local_starts.astype(np.int64),
        ends=local_ends.astype(np.int64),
        sentence=sentence.astype(np.int64),
        doc_offsets=doc_offsets,
        n_sentences=n_sentences,
    )
