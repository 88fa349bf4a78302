"""Features from the shared token table: lexicon rates and TF-IDF.

Rates are matches per 1,000 tokens: the sum of the weights of the counted
matches of a category, divided by the article's word tokens, times 1,000. An
article with no tokens has rate 0 in every category.

TF-IDF uses scikit-learn's ``TfidfTransformer`` (smooth idf, l2 norm) on the
raw counts of the same tokens the lexicons saw, so no second tokenization
pass is made. Features are words with at least one letter and two
characters, not in scikit-learn's English stop-word list, occurring in at
least ``min_df`` articles (2 from 10 articles up, else 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfTransformer

from .tokentable import TokenTable

__all__ = ["PER_TOKENS", "Tfidf", "rates", "tfidf"]

PER_TOKENS = 1000  # rates are per this many word tokens
_HAS_LETTER = re.compile(r"[^\W\d_]")


def rates(totals: np.ndarray, n_tokens: np.ndarray) -> np.ndarray:
    """Weighted matches per 1,000 tokens; 0 where an article has no tokens."""
    denom = np.where(n_tokens > 0, n_tokens, 1).astype(np.float64)
    return np.where(n_tokens[:, None] > 0, totals * PER_TOKENS / denom[:, None], 0.0)


@dataclass(frozen=True)
class Tfidf:
    """L2-normalised TF-IDF rows, raw counts of the same features, feature names."""

    matrix: sp.csr_matrix
    counts: sp.csr_matrix
    features: np.ndarray


def tfidf(table: TokenTable, counts: sp.csr_matrix | None = None) -> Tfidf:
    """TF-IDF of every article over the content words of the corpus."""
    counts = table.counts() if counts is None else counts
    n_docs = counts.shape[0]
    min_df = 2 if n_docs >= 10 else 1
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    keep = np.fromiter(
        (len(w) >= 2 and w not in ENGLISH_STOP_WORDS and _HAS_LETTER.search(w) is not None for w in table.vocab),
        dtype=bool,
        count=len(table.vocab),
    ) & (df >= min_df)
    cols = np.flatnonzero(keep)
    sub = counts[:, cols].tocsr()
    if len(cols) == 0:  # no content word anywhere: every article has an empty vector
        matrix = sp.csr_matrix((n_docs, 0), dtype=np.float64)
    else:
        matrix = TfidfTransformer(norm="l2", smooth_idf=True).fit_transform(sub).tocsr()
    features = np.asarray(table.vocab, dtype=object)[cols]
    return Tfidf(matrix=matrix, counts=sub, features=features)
