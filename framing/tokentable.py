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

from .tokenize import sentence_starts, tokenize

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


def _tokenize_one(text: str) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, int]:
    tokens = tokenize(text)
    sents = sentence_starts(text)
    sentence = np.searchsorted(sents, tokens.starts, side="right") - 1
    n_sent = len(sents) if text.strip() else 0
    return tokens.words, tokens.starts, tokens.ends, np.maximum(sentence, 0), n_sent


def _tokenize_chunk(texts: Sequence[str]) -> list[tuple]:
    return [_tokenize_one(t) for t in texts]


def build_token_table(
    texts: Sequence[str],
    *,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> TokenTable:
    """Tokenize and sentence-split every text; results are identical for any ``jobs``."""
    # Millions of small strings and no reference cycles: the cyclic garbage
    # collector would rescan them again and again for nothing.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(texts, jobs, progress)
    finally:
        if gc_was_enabled:
            gc.enable()


def _build(texts: Sequence[str], jobs: int, progress: Callable[[int, int], None] | None) -> TokenTable:
    chunks = [texts[i : i + _CHUNK] for i in range(0, len(texts), _CHUNK)]
    results: list[tuple] = []
    done = 0
    if jobs > 1 and len(chunks) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for part in pool.map(_tokenize_chunk, chunks):
                results.extend(part)
                done += len(part)
                if progress:
                    progress(done, len(texts))
    else:
        for chunk in chunks:
            results.extend(_tokenize_chunk(chunk))
            done += len(chunk)
            if progress:
                progress(done, len(texts))

    lengths = np.fromiter((len(r[0]) for r in results), dtype=np.int64, count=len(results))
    doc_offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    words = [w for r in results for w in r[0]]
    if words:
        codes, uniques = pd.factorize(np.asarray(words, dtype=object))
        # A sorted vocabulary makes ids independent of article order and lets
        # wildcard terms find their words by binary search.
        order = np.argsort(uniques.astype(str), kind="stable")
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        vocab = [str(u) for u in uniques[order]]
        ids = rank[codes]
    else:
        vocab, ids = [], np.zeros(0, dtype=np.int64)

    def flat(k: int) -> np.ndarray:
        arrays = [r[k] for r in results]
        return np.concatenate(arrays).astype(np.int64) if arrays else np.zeros(0, np.int64)

    return TokenTable(
        vocab=vocab,
        ids=ids,
        starts=flat(1),
        ends=flat(2),
        sentence=flat(3),
        doc_offsets=doc_offsets,
        n_sentences=np.fromiter((r[4] for r in results), dtype=np.int64, count=len(results)),
    )
