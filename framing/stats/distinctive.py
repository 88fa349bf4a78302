"""Distinctive terms per source type, from per-group sums that merge.

``score`` = mean TF-IDF weight of the term in the group minus its mean in
the rest of the corpus (the TF-IDF centroid difference). The sums of the
l2-normalised TF-IDF vectors per group, the raw counts and the document
counts per group are all partial sums over chunks, so the table streams.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["TERMS_COLUMNS", "TOP_DISTINCTIVE", "distinctive_terms"]

TOP_DISTINCTIVE = 25  # terms listed per source type in terms.csv
TERMS_COLUMNS = (
    "source_type", "rank", "term", "score", "mean_tfidf_in", "mean_tfidf_out",
    "count_in", "count_out", "docs_in", "docs_out", "n_articles_in", "n_articles_out",
)


def distinctive_terms(
    groups: Sequence[str],
    n_articles: np.ndarray,
    tfidf_sums: np.ndarray,
    counts: np.ndarray,
    docs: np.ndarray,
    features: np.ndarray,
    alpha_rank: np.ndarray,
    vocab: Sequence[str],
    top: int = TOP_DISTINCTIVE,
) -> pd.DataFrame:
    """The ``top`` terms per group whose mean TF-IDF is most above the rest.

    Parameters
    ----------
    groups : sequence of str
        The source types, in the order of the rows of the arrays below.
    n_articles : numpy.ndarray
        Articles per group.
    tfidf_sums, counts, docs : numpy.ndarray
        Group x vocabulary: sum of TF-IDF weights, occurrences, articles containing the word.
    features : numpy.ndarray
        Vocabulary ids that are TF-IDF features.
    alpha_rank : numpy.ndarray
        Each vocabulary id's rank in alphabetical order, to break ties.
    vocab : sequence of str
        The words, by vocabulary id.
    """
    n_total = int(n_articles.sum())
    rows = []
    order_of = sorted(range(len(groups)), key=lambda g: groups[g])
    all_sums = tfidf_sums[:, features].sum(axis=0) if len(groups) else np.zeros(len(features))
    all_counts = counts[:, features].sum(axis=0) if len(groups) else np.zeros(len(features), np.int64)
    all_docs = docs[:, features].sum(axis=0) if len(groups) else np.zeros(len(features), np.int64)
    for g in order_of:
        n_in = int(n_articles[g])
        n_out = n_total - n_in
        if n_in == 0:
            continue
        s_in = tfidf_sums[g, features]
        mean_in = s_in / n_in
        mean_out = (all_sums - s_in) / n_out if n_out else np.zeros_like(mean_in)
        diff = mean_in - mean_out
        cand = np.flatnonzero(diff > 0)
        # Highest difference first; ties alphabetically, so order never depends on ids.
        best = cand[np.lexsort((alpha_rank[features[cand]], -diff[cand]))][:top]
        c_in, d_in = counts[g, features[best]], docs[g, features[best]]
        for rank, j in enumerate(best.tolist()):
            rows.append(
                {
                    "source_type": groups[g],
                    "rank": rank + 1,
                    "term": vocab[int(features[j])],
                    "score": diff[j],
                    "mean_tfidf_in": mean_in[j],
                    "mean_tfidf_out": mean_out[j],
                    "count_in": int(c_in[rank]),
                    "count_out": int(all_counts[j] - c_in[rank]),
                    "docs_in": int(d_in[rank]),
                    "docs_out": int(all_docs[j] - d_in[rank]),
                    "n_articles_in": n_in,
                    "n_articles_out": n_out,
                }
            )
    return pd.DataFrame(rows, columns=list(TERMS_COLUMNS))
