"""Tokenize a whole corpus once into flat arrays that every later stage shares.

Lexicon matching, rates and TF-IDF all read the same ``TokenTable``: one
vocabulary id per token, with its character offsets and sentence number, and
``doc_offsets`` marking where each article's tokens begin. Tokenizing once
and sharing the result is what keeps the whole run near the speed of a bare
``re.findall`` over the text.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .tokenize import code_points, normalize, sentence_starts, word_spans

__all__ = ["TokenTable", "build_token_table"]

# Articles per work unit for --jobs > 1: big enough that pickling overhead is
# small, small enough that progress moves.
_CHUNK = 256


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


class _Vocabulary(dict):
    """Word -> id, handing out the next id to each new word.

    ``map(vocab.__getitem__, words)`` then turns a list of words into ids at C
    speed, calling Python only for words not seen before.
    """

    def __missing__(self, word: str) -> int:
        self[word] = n = len(self)
        return n


# Two independent 64-bit polynomial hashes name each token without making a
# Python string of it; the second proves that no two different words of a
# chunk share the first (else the chunk is redone with strings).
_HASH_BASES = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F)


_POWERS: dict[int, np.ndarray] = {}


def _powers(base: int, n: int) -> np.ndarray:
    """base**0 .. base**(n-1) modulo 2**64 (cached, grown by doubling)."""
    have = _POWERS.get(base)
    if have is None or len(have) < n:
        size = max(n, 2 * len(have) if have is not None else 1 << 16)
        out = np.full(size, base, dtype=np.uint64)
        out[0] = 1
        with np.errstate(over="ignore"):
            have = _POWERS[base] = np.cumprod(out, dtype=np.uint64)
    return have[:n]


def _span_hashes(cps: np.ndarray, starts: np.ndarray, ends: np.ndarray, base: int) -> np.ndarray:
    """Hash of every span ``cps[start:end]``, the same wherever the same word stands.

    With prefix sums ``P`` of ``cps[j] * base**-j``, the span's polynomial is
    ``(P[end] - P[start]) * base**start``; unsigned overflow is arithmetic
    modulo 2**64, where an odd base has an inverse.
    """
    inverse = pow(base, -1, 1 << 64)
    n = len(cps)
    with np.errstate(over="ignore"):
        prefix = np.concatenate(([np.uint64(0)], np.cumsum(cps.astype(np.uint64) * _powers(inverse, n), dtype=np.uint64)))
        return (prefix[ends] - prefix[starts]) * _powers(base, n + 1)[starts] ^ (ends - starts).astype(np.uint64)


def _first_occurrences(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of ``keys`` (0, 1, ... in order of appearance) and where each code first appears."""
    codes, uniques = pd.factorize(keys)
    first = np.empty(len(uniques), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # the last write, the earliest place, wins
    return codes, first


def _tokenize_chunk(texts: Sequence[str]) -> tuple[list[str], list[tuple]]:
    """Tokenize a chunk with a vocabulary of its own; return the vocabulary and per-article arrays.

    The chunk is joined by newlines (never part of a word) and handled as one
    array of code points, so there is no Python work per token.
    """
    joined = "\n".join(normalize(t) for t in texts)
    cps = code_points(joined)
    starts, ends = word_spans(cps)
    keys = _span_hashes(cps, starts, ends, _HASH_BASES[0])
    codes, first = _first_occurrences(keys)
    check = _span_hashes(cps, starts, ends, _HASH_BASES[1])
    if not np.array_equal(check, check[first][codes]):  # a collision: name the words by their text
        codes, first = _first_occurrences(np.asarray([joined[a:b] for a, b in zip(starts, ends)], dtype=object))
    vocab = [joined[a:b] for a, b in zip(starts[first].tolist(), ends[first].tolist())]

    doc_start = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
    bounds = np.searchsorted(starts, doc_start).tolist() + [len(starts)]
    docs = []
    for i, text in enumerate(texts):
        lo, hi = bounds[i], bounds[i + 1]
        tok_starts, tok_ends = starts[lo:hi] - doc_start[i], ends[lo:hi] - doc_start[i]
        sentence = np.maximum(np.searchsorted(sentence_starts(text), tok_starts, side="right") - 1, 0)
        # Sentences with at least one word: "..." alone is not a sentence worth counting.
        n_sentences = int(np.count_nonzero(np.diff(sentence)) + 1) if hi > lo else 0
        docs.append((codes[lo:hi].astype(np.int64), tok_starts, tok_ends, sentence, n_sentences))
    return vocab, docs


def build_token_table(
    texts: Sequence[str],
    *,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> TokenTable:
    """Tokenize and sentence-split every text; results are identical for any ``jobs``."""
    # Many small objects and no reference cycles: the cyclic garbage collector
    # would rescan them again and again for nothing.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(texts, jobs, progress)
    finally:
        if gc_was_enabled:
            gc.enable()


def _build(texts: Sequence[str], jobs: int, progress: Callable[[int, int], None] | None) -> TokenTable:
    chunks = [texts[i : i + _CHUNK] for i in range(0, len(texts), _CHUNK)]
    vocab = _Vocabulary()
    docs: list[tuple] = []
    done = 0

    def merge(part: tuple[list[str], list[tuple]]) -> None:
        nonlocal done
        local_vocab, local_docs = part
        remap = np.fromiter(map(vocab.__getitem__, local_vocab), dtype=np.int64, count=len(local_vocab))
        docs.extend((remap[d[0]], *d[1:]) for d in local_docs)
        done += len(local_docs)
        if progress:
            progress(done, len(texts))

    if jobs > 1 and len(chunks) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for part in pool.map(_tokenize_chunk, chunks):
                merge(part)
    else:
        for chunk in chunks:
            merge(_tokenize_chunk(chunk))

    # A sorted vocabulary makes ids independent of article order and lets
    # wildcard terms find their words by binary search.
    words = np.asarray(list(vocab), dtype=object)
    order = np.argsort(words.astype(str), kind="stable") if len(words) else np.zeros(0, np.int64)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))

    def flat(k: int) -> np.ndarray:
        arrays = [d[k] for d in docs]
        return np.concatenate(arrays).astype(np.int64, copy=False) if arrays else np.zeros(0, np.int64)

    lengths = np.fromiter((len(d[0]) for d in docs), dtype=np.int64, count=len(docs))
    return TokenTable(
        vocab=[str(w) for w in words[order]],
        ids=rank[flat(0)] if len(words) else np.zeros(0, np.int64),
        starts=flat(1),
        ends=flat(2),
        sentence=flat(3),
        doc_offsets=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        n_sentences=np.fromiter((d[4] for d in docs), dtype=np.int64, count=len(docs)),
    )
