"""Tests between two groups that respect outlets, a correction for testing many, and an effect size.

* ``outlet_permutation_p``: is the difference of two groups' mean rates more
  than shuffling would give? What is shuffled is the outlets, not the
  articles: under "no difference between source types", an outlet's articles
  could as well belong to either group, but they stay together, so one
  prolific outlet cannot make a difference look certain. With few outlets the
  test has little power (2 outlets a side: no p-value below 1/6), which is
  the honest answer.
* ``benjamini_hochberg``: adjusted p-values controlling the false discovery
  rate over all the comparisons of a report.
* ``cliffs_delta``: how often an article of one group has a higher rate than
  one of the other, minus the reverse (-1 to 1; 0: no tendency); robust to
  the skew of rates and to outliers.
"""

from __future__ import annotations

import numpy as np

__all__ = ["PERMUTATIONS", "PERMUTATION_SEED", "benjamini_hochberg", "cliffs_delta", "outlet_permutation_p"]

PERMUTATIONS = 2000
PERMUTATION_SEED = 20082


def outlet_permutation_p(
    sums: np.ndarray, counts: np.ndarray, in_a: np.ndarray, *, permutations: int = PERMUTATIONS,
    seed: int = PERMUTATION_SEED,
) -> np.ndarray:
    """Two-sided permutation p-value per column for the difference of two groups' mean rates.

    Parameters
    ----------
    sums : numpy.ndarray
        Outlets x columns: the sum of the rates of each outlet's articles.
    counts : numpy.ndarray
        Articles per outlet.
    in_a : numpy.ndarray
        True for the outlets of group a (the rest are group b).

    The statistic is the difference of the article means, ``mean_a -
    mean_b``; the outlets are reassigned to the groups at random, keeping
    each group's number of outlets; p = (1 + the number of reassignments
    with a difference at least as large in absolute value) / (1 +
    ``permutations``). When there are no more distinct reassignments than
    ``permutations``, each is counted once (an exact test; the observed one
    is among them, so p is at least one over their number).
    """
    k = len(counts)
    n_a = int(in_a.sum())
    observed = _differences(sums, counts, in_a[None, :])[0]
    assignments, exact = _assignments(k, n_a, permutations, seed)
    diffs = _differences(sums, counts, assignments)
    # A tiny tolerance, so that reassignments equal to the observed one are not lost to rounding.
    extreme = (np.abs(diffs) >= np.abs(observed)[None, :] - 1e-12 * np.maximum(1.0, np.abs(observed))[None, :])
    if exact:  # every reassignment, the observed one among them
        return extreme.sum(axis=0) / len(assignments)
    return (1.0 + extreme.sum(axis=0)) / (1.0 + len(assignments))


def _differences(sums: np.ndarray, counts: np.ndarray, in_a: np.ndarray) -> np.ndarray:
    """Per assignment (rows of ``in_a``) and column: mean over group a's articles minus group b's."""
    a = in_a.astype(np.float64)
    b = 1.0 - a
    n_a, n_b = a @ counts, b @ counts
    return (a @ sums) / n_a[:, None] - (b @ sums) / n_b[:, None]


def _assignments(k: int, n_a: int, permutations: int, seed: int) -> tuple[np.ndarray, bool]:
    """Boolean rows: which of ``k`` outlets go to group a (``n_a`` of them); every one when few (exact)."""
    from math import comb

    if comb(k, n_a) <= permutations:
        from itertools import combinations

        rows = np.zeros((comb(k, n_a), k), dtype=bool)
        for i, chosen in enumerate(combinations(range(k), n_a)):
            rows[i, list(chosen)] = True
        return rows, True
    rng = np.random.default_rng(seed)
    order = np.argsort(rng.random((permutations, k)), axis=1)
    rows = np.zeros((permutations, k), dtype=bool)
    np.put_along_axis(rows, order[:, :n_a], True, axis=1)
    return rows, False


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (NaN stays NaN and does not count as a test)."""
    p = np.asarray(p, dtype=np.float64)
    out = np.full(len(p), np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    m = len(ok)
    if m == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    ranked = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    out[order] = np.minimum(adjusted, 1.0)
    return out


def cliffs_delta(a: np.ndarray, b: np.ndarray) -> float:
    """P(x > y) - P(x < y) for x from ``a`` and y from ``b`` (NaN when either is empty)."""
    if len(a) == 0 or len(b) == 0:
        return float("nan")
    b_sorted = np.sort(b)
    below = np.searchsorted(b_sorted, a, side="left").sum()
    above = (len(b) - np.searchsorted(b_sorted, a, side="right")).sum()
    return float((below - above) / (len(a) * len(b)))
