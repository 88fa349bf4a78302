"""Per group and period: how many articles, the mean rate with an outlet-clustered interval, who used a category.

The timeline is a table of cells, one per group and period, from the group's
first dated period to its last, the empty periods in between included (a gap
in the chart is a gap in the data, not a line drawn across it). Per cell and
category it gives the mean rate, its 95 % interval, and how many articles use
the category at all (rate above 0): for a label lexicon, which label a group
used, period by period.

The interval is that of a mean over articles that cluster in outlets
(``cell_means``). summary.csv's interval resamples outlets, then articles
(``framing.stats.intervals.outlet_bootstrap``); a bootstrap per group, period
and category would cost too much at 100,000 articles and 40 periods, so the
timeline takes the cluster-robust standard error instead, the large-sample
analogue of that resampling (Cameron & Miller 2015, "A practitioner's guide
to cluster-robust inference", J. Human Resources 50(2), eq. 11 for the
sandwich and section VI.C for the G/(G-1) factor and t with G-1 degrees of
freedom):

    SE^2 = G/(G-1) * sum_g (sum_{i in g} (x_i - mean))^2 / n^2

over the cell's G outlets and n articles. It is computed from per-outlet
sums, so a cell costs a few numbers per outlet, whatever its size.

Period keys are integers one apart for neighbouring periods (a month or week
number); the caller names them (``period_label``) and dates their first day
(``period_start``). ``NO_PERIOD`` marks an undated article.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

from ..defaults import MIN_GROUP_ARTICLES

__all__ = [
    "LEVEL", "NO_PERIOD", "PERIOD_COUNT_COLUMNS_AFTER_GROUP", "TIMELINE_COLUMNS_AFTER_GROUP", "CellMeans",
    "cell_means", "period_counts", "timeline_table",
]

NO_PERIOD = np.iinfo(np.int64).min  # the period key of an undated article
LEVEL = 0.95  # of every interval in the timeline

TIMELINE_COLUMNS_AFTER_GROUP = (
    "period", "period_start", "lexicon", "category", "n_articles", "n_outlets", "mean", "ci_low", "ci_high",
    "articles_using", "share_using", "caution",
)
PERIOD_COUNT_COLUMNS_AFTER_GROUP = ("period", "period_start", "n_articles", "n_outlets")

NO_ARTICLES = "no articles"
ONE_OUTLET = "one outlet: the interval counts articles only and cannot include outlet effects"


@dataclass(frozen=True)
class CellMeans:
    """Per cell (a group in a period, say), from ``cell_means``.

    ``n`` articles and ``n_outlets`` (ints, per cell); ``mean``, ``se`` and
    ``n_using`` (articles with a rate above 0) per cell and column; ``df``,
    per cell, the degrees of freedom of ``se``: outlets - 1 (clustered), or
    articles - 1 when the cell has one outlet (articles only). ``mean`` is NaN
    in an empty cell, ``se`` and ``df`` below 2 articles.
    """

    n: np.ndarray
    n_outlets: np.ndarray
    mean: np.ndarray
    se: np.ndarray
    df: np.ndarray
    n_using: np.ndarray

    def interval(self, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray]:
        """The ``level`` interval of each mean: mean -/+ the t quantile with ``df`` degrees of freedom x se."""
        with np.errstate(invalid="ignore"):
            half = sps.t.ppf(0.5 + level / 2, self.df)[:, None] * self.se
        return self.mean - half, self.mean + half


def cell_means(rates: np.ndarray, cell: np.ndarray, outlet: np.ndarray, n_cells: int) -> CellMeans:
    """Means of ``rates`` per cell, with an outlet-clustered standard error, from per-outlet sums.

    Parameters
    ----------
    rates : numpy.ndarray
        Articles x columns, in a fixed article order (the engine's is by id):
        the sums follow it, so the same input gives the same bytes.
    cell : numpy.ndarray
        Each article's cell, 0 to ``n_cells`` - 1; below 0: left out.
    outlet : numpy.ndarray
        Each article's outlet code (any integers).

    With 2 outlets or more, ``se`` is the cluster-robust standard error of
    the module docstring; with one outlet and 2 articles or more, the
    standard error of a mean of independent articles (sd with ddof 1 over
    sqrt(n)), which cannot see outlet effects.
    """
    n_cols = rates.shape[1]
    kept = np.flatnonzero(cell >= 0)
    n = np.zeros(n_cells, dtype=np.int64)
    n_outlets = np.zeros(n_cells, dtype=np.int64)
    sums = np.zeros((n_cells, n_cols))
    n_using = np.zeros((n_cells, n_cols), dtype=np.int64)
    # Per cell: the sum over outlets of (the outlet's sum of deviations)^2; in a one-outlet cell, over articles.
    spread = np.zeros((n_cells, n_cols))
    single = np.zeros(n_cells, dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        if len(kept):
            names, code = np.unique(outlet[kept], return_inverse=True)
            key = cell[kept].astype(np.int64) * len(names) + code.reshape(-1)
            order = np.argsort(key, kind="stable")  # by cell, then outlet; article order kept inside
            key = key[order]
            x = rates[kept[order]]
            row_cell = key // len(names)
            # Clusters (a cell's articles of one outlet) and cells: contiguous runs of the sorted rows.
            c_start = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
            c_cell = row_cell[c_start]
            c_n = np.diff(np.r_[c_start, len(key)])
            c_sum = np.add.reduceat(x, c_start, axis=0)
            g_start = np.flatnonzero(np.r_[True, c_cell[1:] != c_cell[:-1]])
            present = c_cell[g_start]
            n[present] = np.add.reduceat(c_n, g_start)
            n_outlets[present] = np.diff(np.r_[g_start, len(c_cell)])
            sums[present] = np.add.reduceat(c_sum, g_start, axis=0)
            row_start = np.flatnonzero(np.r_[True, row_cell[1:] != row_cell[:-1]])
            n_using[present] = np.add.reduceat((x > 0).astype(np.int64), row_start, axis=0)
            mean = sums / n[:, None]
            spread[present] = np.add.reduceat((c_sum - c_n[:, None] * mean[c_cell]) ** 2, g_start, axis=0)
            single = (n_outlets == 1) & (n >= 2)
            spread[single] = _article_spread(x, row_cell, mean, single)[single]
        mean = sums / n[:, None]
        g = n_outlets.astype(np.float64)[:, None]
        nf = n.astype(np.float64)[:, None]
        se = np.where(single[:, None], np.sqrt(spread / (nf - 1) / nf), np.sqrt(g / (g - 1) * spread) / nf)
        df = np.where(n_outlets >= 2, g[:, 0] - 1, np.where(single, nf[:, 0] - 1, np.nan))
    se[np.isnan(df)] = np.nan
    return CellMeans(n=n, n_outlets=n_outlets, mean=mean, se=se, df=df, n_using=n_using)


def _article_spread(x: np.ndarray, row_cell: np.ndarray, mean: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Per cell: the sum of the squared deviations of its articles from its mean, for the ``wanted`` cells only."""
    out = np.zeros(mean.shape)
    rows = np.flatnonzero(wanted[row_cell])
    if len(rows):
        cells = row_cell[rows]
        start = np.flatnonzero(np.r_[True, cells[1:] != cells[:-1]])
        out[cells[start]] = np.add.reduceat((x[rows] - mean[cells]) ** 2, start, axis=0)
    return out


def _period_cells(
    group_of: np.ndarray, period_of: np.ndarray, n_groups: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each article's cell (-1: left out), and per cell its group and period key.

    A group's cells run from its first dated period to its last, one per key,
    in group-code order; a group with no dated article has none.
    """
    group_of = np.asarray(group_of, dtype=np.int64)
    period_of = np.asarray(period_of, dtype=np.int64)
    dated = (group_of >= 0) & (group_of < n_groups) & (period_of != NO_PERIOD)
    groups, periods = group_of[dated], period_of[dated]
    first = np.full(n_groups, np.iinfo(np.int64).max)
    last = np.full(n_groups, np.iinfo(np.int64).min)
    np.minimum.at(first, groups, periods)
    np.maximum.at(last, groups, periods)
    span = np.where(last >= first, last - first + 1, 0)
    offset = np.r_[0, np.cumsum(span)[:-1]]
    cell = np.full(len(group_of), -1, dtype=np.int64)
    cell[dated] = offset[groups] + periods - first[groups]
    cell_group = np.repeat(np.arange(n_groups), span)
    cell_key = first[cell_group] + np.arange(int(span.sum())) - offset[cell_group]
    return cell, cell_group, cell_key


def _cell_head(
    group_names: Sequence[str], cell_group: np.ndarray, cell_key: np.ndarray, period_label: Callable[[int], str],
    period_start: Callable[[int], str], group_column: str,
) -> dict[str, np.ndarray]:
    """Per cell: the group's name, the period's label and first day."""
    keys = [int(k) for k in cell_key]
    return {
        group_column: np.asarray([group_names[g] for g in cell_group], dtype=object),
        "period": np.asarray([period_label(k) for k in keys], dtype=object),
        "period_start": np.asarray([period_start(k) for k in keys], dtype=object),
    }


def period_counts(
    group_of: np.ndarray, group_names: Sequence[str], period_of: np.ndarray, outlet_of: np.ndarray,
    period_label: Callable[[int], str], period_start: Callable[[int], str], *, group_column: str = "source_type",
) -> pd.DataFrame:
    """Per group and period (the same filled ranges as ``timeline_table``): articles and outlets.

    Columns: ``group_column`` then ``PERIOD_COUNT_COLUMNS_AFTER_GROUP``; for a
    chart to show which periods are thin.
    """
    cell, cell_group, cell_key = _period_cells(group_of, period_of, len(group_names))
    kept = cell >= 0
    n = np.bincount(cell[kept], minlength=len(cell_key)).astype(np.int64)
    pairs = np.unique(np.stack([cell[kept], np.asarray(outlet_of, dtype=np.int64)[kept]], axis=1), axis=0)
    n_outlets = np.bincount(pairs[:, 0], minlength=len(cell_key)).astype(np.int64)
    head = _cell_head(group_names, cell_group, cell_key, period_label, period_start, group_column)
    return pd.DataFrame({**head, "n_articles": n, "n_outlets": n_outlets},
                        columns=[group_column, *PERIOD_COUNT_COLUMNS_AFTER_GROUP])


def _caution(n: int, n_outlets: int, groups_are_outlets: bool = False) -> str:
    if n == 0:
        return NO_ARTICLES
    notes = []
    if n < MIN_GROUP_ARTICLES:
        notes.append(f"only {n} article{'' if n == 1 else 's'}: thin period")
    if n_outlets == 1 and n >= 2 and not groups_are_outlets:
        notes.append(ONE_OUTLET)
    return "; ".join(notes)


def timeline_table(
    rates: np.ndarray, group_of: np.ndarray, group_names: Sequence[str], period_of: np.ndarray,
    period_label: Callable[[int], str], period_start: Callable[[int], str], outlet_of: np.ndarray,
    labels: Sequence[tuple[str, str]], *, group_column: str = "source_type", groups_are_outlets: bool = False,
) -> pd.DataFrame:
    """Per group, period and category: articles, outlets, mean rate, its 95 % interval, articles using it.

    Parameters
    ----------
    rates : numpy.ndarray
        Articles x categories (matches per 1,000 tokens), in a fixed article
        order (the engine's is by id).
    group_of : numpy.ndarray
        Each article's index into ``group_names`` (-1: in no group, left out).
    group_names : sequence of str
        In display order; the rows follow it.
    period_of : numpy.ndarray
        Each article's period key (int64; ``NO_PERIOD``: undated, left out).
    period_label, period_start : callable
        A period key's label, and its first day as an ISO date.
    outlet_of : numpy.ndarray
        Each article's outlet code (integers).
    labels : sequence of (str, str)
        Each column's (lexicon, category).

    Returns
    -------
    pandas.DataFrame
        ``group_column`` then ``TIMELINE_COLUMNS_AFTER_GROUP``: per group (in
        code order), per period from its first dated period to its last (an
        empty period has 0 articles, NaN mean and interval), per category (in
        column order). ``share_using`` is ``articles_using / n_articles``.
        ``ci_low``/``ci_high``: the 95 % interval of ``mean`` from the
        outlet-clustered standard error (module docstring) with 2 outlets or
        more; from the articles alone with one outlet (the caution says so);
        NaN below 2 articles; ``ci_low`` stops at 0. ``caution``: "no articles", a thin period
        (fewer than ``MIN_GROUP_ARTICLES`` articles), one outlet (not said
        when ``groups_are_outlets``: every group is one outlet by design); "" if none.
    """
    rates = np.asarray(rates, dtype=np.float64)
    cell, cell_group, cell_key = _period_cells(group_of, period_of, len(group_names))
    n_cells, n_cols = len(cell_key), len(labels)
    cm = cell_means(rates, cell, np.asarray(outlet_of, dtype=np.int64), n_cells)
    low, high = cm.interval(LEVEL)
    low = np.where(low < 0, 0.0, low)  # a rate is never negative: a wide interval of a thin cell stops at 0
    head = _cell_head(group_names, cell_group, cell_key, period_label, period_start, group_column)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = cm.n_using / cm.n[:, None]
    cautions = np.asarray([_caution(int(a), int(b), groups_are_outlets) for a, b in zip(cm.n, cm.n_outlets)],
                          dtype=object)
    columns = {
        **{k: np.repeat(v, n_cols) for k, v in head.items()},
        "lexicon": np.tile(np.asarray([lex for lex, _ in labels], dtype=object), n_cells),
        "category": np.tile(np.asarray([cat for _, cat in labels], dtype=object), n_cells),
        "n_articles": np.repeat(cm.n, n_cols),
        "n_outlets": np.repeat(cm.n_outlets, n_cols),
        "mean": cm.mean.reshape(-1),
        "ci_low": low.reshape(-1),
        "ci_high": high.reshape(-1),
        "articles_using": cm.n_using.reshape(-1),
        "share_using": share.reshape(-1),
        "caution": np.repeat(cautions, n_cols),
    }
    return pd.DataFrame(columns, columns=[group_column, *TIMELINE_COLUMNS_AFTER_GROUP])
