"""Distinctive terms per source type: log-odds ratios with an informative Dirichlet prior.

Monroe, Colaresi & Quinn (2008), "Fightin' Words", Political Analysis 16(4),
eq. 16-22. For a word ``w``, a group ``i`` and the rest of the corpus ``j``,
with counts ``y`` and totals ``n`` over the TF-IDF features::

    delta_w = log((y_wi + a_w) / (n_i + a_0 - y_wi - a_w))
            - log((y_wj + a_w) / (n_j + a_0 - y_wj - a_w))          (eq. 16)
    var_w  ~= 1 / (y_wi + a_w) + 1 / (y_wj + a_w)                   (eq. 20)
    z_w     = delta_w / sqrt(var_w)                                  (eq. 22)

The prior is informative: ``a_w = a_0 * y_w / n``, the corpus's own word
frequencies, worth ``a_0`` tokens in all (default: the corpus's mean feature
tokens per article, so the prior weighs as much as one typical article).
``z`` ranks; unlike a raw log-odds ratio it does not put rare words on top,
and unlike a difference of frequencies it does not put only the commonest.

Everything here is a function of the per-group counts and document counts,
which are integer sums over chunks: the table streams.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..defaults import MIN_GROUP_ARTICLES
from ..schema import TERMS_COLUMNS

__all__ = [
    "MIN_DOCS_IN", "TOP_DISTINCTIVE", "distinctive_terms",
    "log_odds_dirichlet",
]

TOP_DISTINCTIVE = 25  # terms listed per source type in terms.csv
MIN_DOCS_IN = 3  # a listed term occurs in at least this many of the group's articles


def log_odds_dirichlet(
    y_in: np.ndarray, y_out: np.ndarray, alpha: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Log-odds ratio of each word between two groups, its standard error and z-score.

    Monroe et al. (2008), eq. 16 (``delta``), 20 (its variance) and 22
    (``z``), with the Dirichlet prior ``alpha`` (one pseudo-count per word,
    all positive; ``a_0 = alpha.sum()``). ``y_in``, ``y_out``: the words'
    counts in the group and outside it.
    """
    y_in = np.asarray(y_in, dtype=np.float64)
    y_out = np.asarray(y_out, dtype=np.float64)
    alpha = np.asarray(alpha, dtype=np.float64)
    a0, n_in, n_out = alpha.sum(), y_in.sum(), y_out.sum()
    delta = np.log((y_in + alpha) / (n_in + a0 - y_in - alpha)) - np.log((y_out + alpha) / (n_out + a0 - y_out - alpha))
    se = np.sqrt(1.0 / (y_in + alpha) + 1.0 / (y_out + alpha))
    return delta, se, delta / se


def distinctive_terms(
    groups: Sequence[str],
    n_articles: np.ndarray,
    counts: np.ndarray,
    docs: np.ndarray,
    features: np.ndarray,
    alpha_rank: np.ndarray,
    vocab: Sequence[str],
    *,
    labels: dict[str, str] | None = None,
    n_outlets: Sequence[int] | None = None,
    prior_tokens: float | None = None,
    top: int = TOP_DISTINCTIVE,
) -> tuple[pd.DataFrame, list[str]]:
    """The ``top`` terms per group most over-represented in it against the rest, by log-odds ``z``.

    Parameters
    ----------
    groups : sequence of str
        The source types, in the order of the rows of the arrays below.
    n_articles : numpy.ndarray
        Articles per group.
    counts, docs : numpy.ndarray
        Group x vocabulary: occurrences, and articles containing the word.
    features : numpy.ndarray
        Vocabulary ids that are TF-IDF features (the words compared).
    alpha_rank : numpy.ndarray
        Each vocabulary id's rank in alphabetical order, to break ties.
    vocab : sequence of str
        The words, by vocabulary id.
    labels : dict, optional
        Display names of the groups, for the notes.
    n_outlets : sequence of int, optional
        Outlets per group: a group of one outlet gets a note.
    prior_tokens : float, optional
        ``a_0``, the prior's weight in tokens (default: mean feature tokens per article).

    Returns
    -------
    (pandas.DataFrame, list of str)
        The table (``TERMS_COLUMNS``; groups in alphabetical order, highest
        ``z`` first, ties alphabetically) and one plain note per group that
        gets no list or whose list needs a caution.
    """
    labels = labels or {}
    n_total = int(n_articles.sum())
    y = counts[:, features].astype(np.float64) if len(groups) else np.zeros((0, len(features)))
    d = docs[:, features] if len(groups) else np.zeros((0, len(features)), np.int64)
    y_all, d_all = y.sum(axis=0), d.sum(axis=0)
    n_tokens = float(y_all.sum())
    a0 = float(prior_tokens) if prior_tokens is not None else n_tokens / max(n_total, 1)
    alpha = a0 * y_all / n_tokens if n_tokens > 0 else np.zeros(len(features))
    rows: list[dict[str, object]] = []
    notes: list[str] = []
    for g in sorted(range(len(groups)), key=lambda i: groups[i]):
        n_in = int(n_articles[g])
        n_out = n_total - n_in
        name = labels.get(groups[g], groups[g])
        if n_in == 0:
            continue
        if n_in < MIN_GROUP_ARTICLES or n_out < MIN_GROUP_ARTICLES:
            notes.append(
                f"{name}: no distinctive terms; {_articles(n_in)} in the group and {_articles(n_out)} outside it "
                f"(a list needs at least {MIN_GROUP_ARTICLES} on each side)"
            )
            continue
        if n_outlets is not None and n_outlets[g] == 1:
            notes.append(f"{name}: one outlet, so its distinctive terms are that outlet's as much as the type's")
        y_in = y[g]
        delta, se, z = log_odds_dirichlet(y_in, y_all - y_in, alpha)
        cand = np.flatnonzero((z > 0) & (d[g] >= MIN_DOCS_IN))
        best = cand[np.lexsort((alpha_rank[features[cand]], -z[cand]))][:top]
        tokens_in, tokens_out = float(y_in.sum()), n_tokens - float(y_in.sum())
        for rank, j in enumerate(best.tolist()):
            c_in, c_all = int(y_in[j]), int(y_all[j])
            rows.append(
                {
                    "source_type": groups[g],
                    "rank": rank + 1,
                    "term": vocab[int(features[j])],
                    "z": z[j],
                    "log_odds": delta[j],
                    "se": se[j],
                    "count_in": c_in,
                    "count_out": c_all - c_in,
                    "per_10k_in": 1e4 * c_in / tokens_in if tokens_in else np.nan,
                    "per_10k_out": 1e4 * (c_all - c_in) / tokens_out if tokens_out else np.nan,
                    "docs_in": int(d[g, j]),
                    "docs_out": int(d_all[j] - d[g, j]),
                    "n_articles_in": n_in,
                    "n_articles_out": n_out,
                }
            )
        if not len(best):
            notes.append(f"{name}: no term is over-represented in {MIN_DOCS_IN} or more of its articles")
    return pd.DataFrame(rows, columns=list(TERMS_COLUMNS)), notes


def _articles(n: int) -> str:
    return f"{n:,} article" if n == 1 else f"{n:,} articles"
