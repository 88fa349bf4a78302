"""Features of articles: lexicon rates and TF-IDF, from counts that merge.

Rates are matches per 1,000 tokens: the sum of the weights of the counted
matches of a category, divided by the article's word tokens, times 1,000. An
article with no tokens has rate 0 in every category.

TF-IDF is scikit-learn's ``TfidfTransformer`` with its defaults (smooth
idf, l2 norm), computed here from the same counts so that it streams: the
document frequencies are partial sums over chunks, and each article's vector
needs only its own counts and the corpus idf::

    idf(t)   = ln((1 + n) / (1 + df(t))) + 1
    x(d, t)  = count(d, t) * idf(t),  then x(d) / ||x(d)||_2

Features are words with at least one letter and two characters, not in the
English stop-word list (scikit-learn's, shipped in ``framing/data``),
occurring in at least ``min_df`` articles (2 from 10 articles up, else 1).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from ..resources import package_text

if TYPE_CHECKING:  # the matrices come from the caller; lexicon commands that only want rates skip scipy's start-up
    import scipy.sparse as sp

__all__ = [
    "PER_TOKENS", "content_words", "idf", "is_content_word", "min_df", "rates", "stop_words", "tfidf_rows",
]

PER_TOKENS = 1000  # rates are per this many word tokens
_HAS_LETTER = re.compile(r"[^\W\d_]")


def rates(totals: np.ndarray, n_tokens: np.ndarray, *, out: np.ndarray | None = None) -> np.ndarray:
    """Weighted matches per 1,000 tokens; 0 where an article has no tokens.

    ``out=totals`` computes them in place (an article x category table is
    the biggest thing a large run keeps).
    """
    denom = np.where(n_tokens > 0, n_tokens, 1).astype(np.float64)[:, None]
    result = np.multiply(totals, PER_TOKENS, out=out)
    np.divide(result, denom, out=result)
    result[n_tokens <= 0] = 0.0
    return result


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """The English stop words (package data, read once)."""
    text = package_text("stopwords_en.txt")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def is_content_word(word: str) -> bool:
    """Whether ``word`` can be a TF-IDF feature: two characters, a letter, not a stop word."""
    return len(word) >= 2 and word not in stop_words() and _HAS_LETTER.search(word) is not None


def content_words(words: Sequence[str]) -> np.ndarray:
    """``is_content_word`` of each word, as a bool array."""
    return np.fromiter(map(is_content_word, words), dtype=bool, count=len(words))


def min_df(n_docs: int) -> int:
    """Articles a feature must occur in: 2 from 10 articles up, else 1."""
    return 2 if n_docs >= 10 else 1


def idf(df: np.ndarray, n_docs: int) -> np.ndarray:
    """Smooth inverse document frequency, as scikit-learn's ``TfidfTransformer``."""
    return np.log((1.0 + n_docs) / (1.0 + df.astype(np.float64))) + 1.0


def tfidf_rows(counts: sp.csr_matrix, weights: np.ndarray) -> sp.csr_matrix:
    """l2-normalised rows of ``counts * weights`` (weights: idf, 0 for non-features).

    Entries with weight 0 are dropped, so a row without features is empty.
    """
    m = counts.astype(np.float64, copy=True).tocsr()
    m.data *= weights[m.indices]
    m.eliminate_zeros()
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    scale = np.where(norms > 0, 1.0 / np.where(norms > 0, norms, 1.0), 0.0)
    m.data *= np.repeat(scale, np.diff(m.indptr))
    return m
