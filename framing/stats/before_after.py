"""Each group against itself, before a date and from it on: the change of its mean rates, and a test within outlets.

A group's rate can change over a date because its outlets wrote differently,
or because different outlets wrote before and after. The table keeps the two
apart as far as the data allow:

* the interval of the difference combines the two periods' outlet-clustered
  standard errors (``framing.stats.timeline.cell_means``) as
  sqrt(se_before^2 + se_after^2) with the normal quantile 1.96. It treats
  the two periods as independent samples; when outlets appear in both, their
  periods are positively correlated and the interval is conservative (too
  wide, not too narrow).
* the p-value is a permutation test within outlets (``within_outlet_p``):
  under "nothing changed", which of an outlet's articles fall before the date
  is chance, so the before/after labels are shuffled among each outlet's
  articles, each outlet keeping its numbers before and after. An outlet seen
  on one side only can say nothing about a change and keeps its labels; when
  no outlet is seen on both sides there is no test, and the caution says the
  change cannot be told from a change of outlets.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps

from ..defaults import MIN_GROUP_ARTICLES
from .comparisons import ALPHA
from .significance import PERMUTATION_SEED, PERMUTATIONS, benjamini_hochberg
from .timeline import cell_means

__all__ = [
    "BEFORE_AFTER_COLUMNS_AFTER_GROUP", "NORMAL_ABOVE", "NO_DAY", "ROUNDING", "Z_95", "before_after_table",
    "within_outlet_p",
]

NO_DAY = np.iinfo(np.int64).min  # the day number of an undated article
Z_95 = 1.959963984540054  # the normal 97.5th percentile: the difference's interval is 95 %
# Above this many articles in the outlets seen on both sides, the permutation distribution is replaced by
# its normal limit (``within_outlet_p``). Measured (60 categories, 2 cores): 20-50 ns per article and
# shuffle, shuffling and summing, so 2,000 shuffles of 5,000 articles cost 0.2-0.5 s a group. The cost is
# per shuffled article, so the worst table is one whose groups all stay under the limit: 100,000 articles
# in 20 groups of 5,000 took 5.6 s, in 50 groups of 2,000 10.5 s (on a busy 2-core machine).
# Checked against 20,000 shuffles on 5,000 articles in 20 outlets, for categories used by 0.3 % to 30 % of
# the articles with and without a change: the two p-values differed by at most 0.02 below p = 0.1 and by
# about 0.05 above (0.41 against 0.46, say).
NORMAL_ABOVE = 5_000
ROUNDING = 1e-9  # relative to a column's total: a deviation of the after-sum this small is rounding
BATCH_CELLS = 1_000_000  # shuffles x articles drawn at a time (8 MB of indicators as float64)

BEFORE_AFTER_COLUMNS_AFTER_GROUP = (
    "lexicon", "category", "split_date", "n_before", "n_after", "n_outlets_before", "n_outlets_after",
    "n_outlets_both", "mean_before", "mean_after", "difference", "ci_low", "ci_high", "p_value", "p_adjusted",
    "significant", "caution",
)

NO_SHARED_OUTLET = "no outlet has articles on both sides: the change cannot be told from a change of outlets"


def within_outlet_p(
    rates: np.ndarray, after: np.ndarray, outlet: np.ndarray, *, permutations: int = PERMUTATIONS,
    seed: int = PERMUTATION_SEED, normal_above: int = NORMAL_ABOVE,
) -> np.ndarray:
    """Two-sided p-value per column for mean(after) - mean(before), shuffling the labels within each outlet.

    Parameters
    ----------
    rates : numpy.ndarray
        One group's articles x columns, in a fixed order (by id).
    after : numpy.ndarray
        True for the articles from the date on.
    outlet : numpy.ndarray
        Each article's outlet code (integers).

    Each outlet keeps its numbers of articles before and after; only the
    outlets with articles on both sides (``m`` articles in all) are shuffled.
    p = (1 + the number of shuffles whose difference is at least the observed
    one in absolute value) / (1 + ``permutations``), the shuffles drawn from
    ``seed`` afresh for every call (so a group's p-values do not depend on the
    other groups). Above ``normal_above`` shuffled articles, the shuffled
    after-sum is taken as normal with its exact mean and variance (per
    outlet of n articles, a after, sample variance s^2: mean a * outlet mean,
    variance a (n - a) s^2 / n, the variance of a sample sum drawn without
    replacement, Cochran 1977, Sampling Techniques, ch. 2); how close that is
    to the shuffles is noted at ``NORMAL_ABOVE``. NaN when no outlet has
    articles on both sides.
    """
    rates = np.asarray(rates, dtype=np.float64)
    after = np.asarray(after, dtype=bool)
    n_cols = rates.shape[1]
    _, code = np.unique(outlet, return_inverse=True)
    code = code.reshape(-1)
    n_o = np.bincount(code)
    a_o = np.bincount(code, weights=after).astype(np.int64)
    mixed_outlets = np.flatnonzero((a_o > 0) & (a_o < n_o))
    if len(mixed_outlets) == 0:
        return np.full(n_cols, np.nan)
    n_after, n_before = int(after.sum()), int((~after).sum())
    shuffled = np.isin(code, mixed_outlets)
    fixed_after = rates[after & ~shuffled].sum(axis=0)
    total = rates.sum(axis=0)
    rows = np.flatnonzero(shuffled)
    rows = rows[np.argsort(code[rows], kind="stable")]  # each shuffled outlet's articles together, in order
    x = rates[rows]

    def difference(after_sum: np.ndarray) -> np.ndarray:
        return (fixed_after + after_sum) / n_after - (total - fixed_after - after_sum) / n_before

    after_sum = after[rows].astype(np.float64) @ x
    observed = difference(after_sum)
    sizes, takes = n_o[mixed_outlets], a_o[mixed_outlets]
    if len(rows) > normal_above:
        return _normal_p(x, sizes, takes, after_sum)
    rng = np.random.default_rng(seed)
    template = np.concatenate([np.r_[np.ones(t), np.zeros(s - t)] for s, t in zip(sizes.tolist(), takes.tolist())])
    edges = np.r_[0, np.cumsum(sizes)]
    tolerance = 1e-12 * np.maximum(1.0, np.abs(observed))
    extreme = np.zeros(n_cols, dtype=np.int64)
    buffer = np.empty((max(1, min(permutations, BATCH_CELLS // len(rows))), len(rows)))
    for done in range(0, permutations, len(buffer)):
        z = buffer[: min(len(buffer), permutations - done)]
        z[:] = template
        for lo, hi in zip(edges[:-1].tolist(), edges[1:].tolist()):
            rng.permuted(z[:, lo:hi], axis=1, out=z[:, lo:hi])  # each shuffle, each outlet: its own order
        extreme += (np.abs(difference(z @ x)) >= np.abs(observed) - tolerance).sum(axis=0)
    return (1.0 + extreme) / (1.0 + permutations)


def _normal_p(x: np.ndarray, sizes: np.ndarray, takes: np.ndarray, after_sum: np.ndarray) -> np.ndarray:
    """The p-value of the shuffled after-sum's normal limit (``within_outlet_p``); 1 where it cannot vary."""
    start = np.r_[0, np.cumsum(sizes)[:-1]]
    outlet_mean = np.add.reduceat(x, start, axis=0) / sizes[:, None]
    spread = np.add.reduceat((x - np.repeat(outlet_mean, sizes, axis=0)) ** 2, start, axis=0) / (sizes[:, None] - 1)
    expected = takes @ outlet_mean
    variance = (takes * (sizes - takes) / sizes) @ spread
    # A deviation within rounding of the sums is none (a column constant inside each outlet has variance 0
    # in exact arithmetic, a speck of rounding here).
    deviation = np.abs(after_sum - expected)
    deviation[deviation <= ROUNDING * np.maximum(1.0, np.abs(x).sum(axis=0))] = 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        z = deviation / np.sqrt(variance)
    return np.where(deviation > 0, 2 * sps.norm.sf(z), 1.0)


def _count_phrase(n: int, side: str) -> str:
    if n == 0:
        return f"no articles {side}"
    return f"only {n} article{'' if n == 1 else 's'} {side}"


def _caution(n_b: int, n_a: int, o_b: int, o_a: int, both: int, groups_are_outlets: bool = False) -> str:
    notes = [_count_phrase(n, side) for n, side in ((n_b, "before"), (n_a, "after")) if n < MIN_GROUP_ARTICLES]
    if not groups_are_outlets:  # a group that is one outlet by design: its doc says the interval counts articles
        notes += [f"one outlet {side}: its interval counts articles only" for o, n, side in
                  ((o_b, n_b, "before"), (o_a, n_a, "after")) if o == 1 and n >= 2]
    if n_b and n_a:
        union = o_b + o_a - both
        if both == 0:
            notes.append(NO_SHARED_OUTLET)
        elif both < union:
            notes.append(f"outlets differ before and after: {both} of {union} on both sides")
    return "; ".join(notes)


def before_after_table(
    rates: np.ndarray, group_of: np.ndarray, group_names: Sequence[str], day_of: np.ndarray, split_day: int,
    split_text: str, outlet_of: np.ndarray, labels: Sequence[tuple[str, str]], *, group_column: str = "source_type",
    groups_are_outlets: bool = False,
) -> pd.DataFrame:
    """Per group and category: mean rate before ``split_day`` and from it on, the difference, its interval and test.

    Parameters
    ----------
    rates : numpy.ndarray
        Articles x categories (matches per 1,000 tokens), in a fixed article
        order (the engine's is by id).
    group_of : numpy.ndarray
        Each article's index into ``group_names`` (-1: in no group, left out).
    group_names : sequence of str
        In display order; the rows follow it, every group with rows (a group
        with no article on a side has NaN there and a caution).
    day_of : numpy.ndarray
        Each article's day number (days since 1970-01-01; ``NO_DAY``: undated,
        left out). Before: ``day < split_day``; after: ``day >= split_day``.
    split_text : str
        The date as the table shows it (``split_date``).
    outlet_of : numpy.ndarray
        Each article's outlet code (integers).
    labels : sequence of (str, str)
        Each column's (lexicon, category).

    Returns
    -------
    pandas.DataFrame
        ``group_column`` then ``BEFORE_AFTER_COLUMNS_AFTER_GROUP``, per group
        (code order) and category (column order). ``difference`` is
        ``mean_after - mean_before``; ``ci_low``/``ci_high`` its 95 % interval
        (module docstring); ``p_value`` from ``within_outlet_p``;
        ``p_adjusted``: Benjamini-Hochberg over every row of the table;
        ``significant``: ``p_adjusted`` below ``ALPHA`` (False when NaN).
        ``n_outlets_both``: outlets with articles on both sides.
        ``groups_are_outlets``: every group is one outlet by design, so no
        caution says "one outlet".
    """
    rates = np.asarray(rates, dtype=np.float64)
    group_of = np.asarray(group_of, dtype=np.int64)
    day_of = np.asarray(day_of, dtype=np.int64)
    outlet_of = np.asarray(outlet_of, dtype=np.int64)
    n_groups, n_cols = len(group_names), len(labels)
    dated = (group_of >= 0) & (group_of < n_groups) & (day_of != NO_DAY)
    after = day_of >= split_day
    cm = cell_means(rates, np.where(dated, group_of * 2 + after, -1), outlet_of, 2 * n_groups)
    n = cm.n.reshape(n_groups, 2)
    n_outlets = cm.n_outlets.reshape(n_groups, 2)
    both = _outlets_on_both_sides(group_of[dated], outlet_of[dated], after[dated], n_groups)
    mean = cm.mean.reshape(n_groups, 2, n_cols)
    se = cm.se.reshape(n_groups, 2, n_cols)
    difference = mean[:, 1] - mean[:, 0]
    half = Z_95 * np.sqrt(se[:, 0] ** 2 + se[:, 1] ** 2)
    p = np.full((n_groups, n_cols), np.nan)
    for g in range(n_groups):
        if both[g]:
            members = np.flatnonzero(dated & (group_of == g))
            p[g] = within_outlet_p(rates[members], after[members], outlet_of[members])
    adjusted = benjamini_hochberg(p.reshape(-1))
    cautions = np.asarray([_caution(int(n[g, 0]), int(n[g, 1]), int(n_outlets[g, 0]), int(n_outlets[g, 1]),
                                    int(both[g]), groups_are_outlets) for g in range(n_groups)], dtype=object)
    columns = {
        group_column: np.repeat(np.asarray(list(group_names), dtype=object), n_cols),
        "lexicon": np.tile(np.asarray([lex for lex, _ in labels], dtype=object), n_groups),
        "category": np.tile(np.asarray([cat for _, cat in labels], dtype=object), n_groups),
        "split_date": np.full(n_groups * n_cols, split_text, dtype=object),
        "n_before": np.repeat(n[:, 0], n_cols),
        "n_after": np.repeat(n[:, 1], n_cols),
        "n_outlets_before": np.repeat(n_outlets[:, 0], n_cols),
        "n_outlets_after": np.repeat(n_outlets[:, 1], n_cols),
        "n_outlets_both": np.repeat(both, n_cols),
        "mean_before": mean[:, 0].reshape(-1),
        "mean_after": mean[:, 1].reshape(-1),
        "difference": difference.reshape(-1),
        "ci_low": (difference - half).reshape(-1),
        "ci_high": (difference + half).reshape(-1),
        "p_value": p.reshape(-1),
        "p_adjusted": adjusted,
        "significant": np.nan_to_num(adjusted, nan=1.0) < ALPHA,
        "caution": np.repeat(cautions, n_cols),
    }
    return pd.DataFrame(columns, columns=[group_column, *BEFORE_AFTER_COLUMNS_AFTER_GROUP])


def _outlets_on_both_sides(group: np.ndarray, outlet: np.ndarray, after: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group: how many of its outlets have articles before and after."""
    pairs, code = np.unique(np.stack([group, outlet], axis=1), axis=0, return_inverse=True)
    code = code.reshape(-1)
    n_after = np.bincount(code, weights=after, minlength=len(pairs))
    n_all = np.bincount(code, minlength=len(pairs))
    on_both = (n_after > 0) & (n_after < n_all)
    return np.bincount(pairs[:, 0], weights=on_both, minlength=n_groups).astype(np.int64)
