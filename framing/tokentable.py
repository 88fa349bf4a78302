"""Tokenize a whole corpus once into flat arrays that every later stage shares.

Lexicon matching, rates and TF-IDF all read the same ``TokenTable``: one
vocabulary id per token, with its character offsets and sentence number, and
``doc_offsets`` marking where each article's tokens begin. Tokenizing once
and sharing the result is what keeps the whole run near the speed of a bare
``re.findall`` over the text.
"""

from __future__ import annotations

import gc
from itertools import chain
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


class _Vocabulary(dict):
    """Word -> id, handing out the next id to each new word.

    ``map(vocab.__getitem__, words)`` then turns a list of words into ids at C
    speed, calling Python only for words not seen before.
    """

    def __missing__(self, word: str) -> int:
        self[word] = n = len(self)
        return n


def _tokenize_chunk(texts: Sequence[str]) -> tuple[list[str], list[tuple]]:
    """Tokenize a chunk with a vocabulary of its own; return the vocabulary and per-article arrays.

    Keeping ids instead of millions of token strings is what keeps memory and
    time down; the chunk's vocabulary is merged into the corpus's afterwards.
    """
    tokens = [tokenize(t) for t in texts]
    words = list(chain.from_iterable(t.words for t in tokens))
    codes, uniques = pd.factorize(np.asarray(words, dtype=object)) if words else (np.zeros(0, np.int64), [])
    bounds = np.cumsum([0] + [len(t) for t in tokens])
    docs = []
    for i, (text, tok) in enumerate(zip(texts, tokens)):
        sents = sentence_starts(text)
        sentence = np.maximum(np.searchsorted(sents, tok.starts, side="right") - 1, 0)
        ids = np.asarray(codes[bounds[i] : bounds[i + 1]], dtype=np.int64)
        # Sentences with at least one word: "..." alone is not a sentence worth counting.
        n_sentences = int(np.count_nonzero(np.diff(sentence)) + 1) if len(sentence) else 0
        docs.append((ids, tok.starts, tok.ends, sentence, n_sentences))
    return [str(u) for u in uniques], docs


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
