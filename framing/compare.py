"""Comparisons between source types: group summaries and distinctive terms."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .features import Tfidf

__all__ = ["FEW_ARTICLES", "distinctive_terms", "summarize"]

# Below this many articles (or outlets) per group, the summary says the group
# figures are descriptive only; no test of significance is implied anywhere.
FEW_ARTICLES = 5
FEW_OUTLETS = 3


def _caution(n_articles: int, n_outlets: int) -> str:
    notes = []
    if n_articles < FEW_ARTICLES:
        notes.append(f"only {n_articles} article{'' if n_articles == 1 else 's'}: descriptive, not evidence of a difference")
    if n_outlets == 1:
        notes.append("one outlet: outlet and source type cannot be told apart")
    elif n_outlets < FEW_OUTLETS:
        notes.append(f"only {n_outlets} outlets: outlet effects may dominate")
    return "; ".join(notes)


def summarize(scores: pd.DataFrame, columns: Sequence[str], labels: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """Per source type x category: n_articles, n_outlets, mean, median, outlet-balanced mean.

    ``labels`` maps a rate column to its (lexicon, category).
    """
    rows = []
    for st, group in scores.groupby("source_type", sort=True):
        n_articles = len(group)
        outlets = group["outlet"].fillna("").replace("", "(no outlet)")
        n_outlets = outlets.nunique()
        caution = _caution(n_articles, n_outlets)
        for col in columns:
            values = group[col].astype(float)
            lexicon, category = labels[col]
            rows.append(
                {
                    "source_type": st,
                    "lexicon": lexicon,
                    "category": category,
                    "n_articles": n_articles,
                    "n_outlets": n_outlets,
                    "mean": values.mean(),
                    "median": values.median(),
                    "outlet_balanced_mean": values.groupby(outlets).mean().mean(),
                    "caution": caution,
                }
            )
    return pd.DataFrame(rows, columns=[
        "source_type", "lexicon", "category", "n_articles", "n_outlets",
        "mean", "median", "outlet_balanced_mean", "caution",
    ])


def distinctive_terms(tfidf: Tfidf, types: Sequence[str], top: int = 25) -> pd.DataFrame:
    """Terms whose mean TF-IDF is most above the rest of the corpus, per source type.

    ``score`` = mean TF-IDF weight in the group minus mean outside it; counts
    are raw occurrences (``count_*``) and articles containing the term
    (``docs_*``) in and outside the group.
    """
    arr = np.asarray(types, dtype=object)
    rows = []
    present = (tfidf.counts > 0).astype(np.float64)
    for st in sorted(set(arr)):
        inside = arr == st
        n_in, n_out = int(inside.sum()), int((~inside).sum())
        mean_in = np.asarray(tfidf.matrix[inside].mean(axis=0)).ravel()
        mean_out = np.asarray(tfidf.matrix[~inside].mean(axis=0)).ravel() if n_out else np.zeros_like(mean_in)
        diff = mean_in - mean_out
        candidates = np.flatnonzero(diff > 0)
        # Highest difference first; ties by term so the order never depends on hashing.
        order = candidates[np.lexsort((tfidf.features[candidates].astype(str), -diff[candidates]))][:top]
        c_in = np.asarray(tfidf.counts[inside][:, order].sum(axis=0)).ravel()
        c_out = np.asarray(tfidf.counts[~inside][:, order].sum(axis=0)).ravel() if n_out else np.zeros(len(order))
        d_in = np.asarray(present[inside][:, order].sum(axis=0)).ravel()
        d_out = np.asarray(present[~inside][:, order].sum(axis=0)).ravel() if n_out else np.zeros(len(order))
        for rank, j in enumerate(order):
            k = rank
            rows.append(
                {
                    "source_type": st,
                    "rank": rank + 1,
                    "term": tfidf.features[j],
                    "score": diff[j],
                    "mean_tfidf_in": mean_in[j],
                    "mean_tfidf_out": mean_out[j],
                    "count_in": int(c_in[k]),
                    "count_out": int(c_out[k]),
                    "docs_in": int(d_in[k]),
                    "docs_out": int(d_out[k]),
                    "n_articles_in": n_in,
                    "n_articles_out": n_out,
                }
            )
    return pd.DataFrame(rows, columns=[
        "source_type", "rank", "term", "score", "mean_tfidf_in", "mean_tfidf_out",
        "count_in", "count_out", "docs_in", "docs_out", "n_articles_in", "n_articles_out",
    ])
