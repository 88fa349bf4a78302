"""Group summaries: per source type and category, counts, means, medians and cautions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..defaults import MIN_GROUP_ARTICLES
from ..schema import SUMMARY_COLUMNS
from .intervals import outlet_bootstrap

__all__ = ["FEW_OUTLETS", "summarize"]

# Below this many articles (or outlets) per group, the summary says the group
# figures are descriptive only; no test of significance is implied anywhere.
FEW_OUTLETS = 3


def _caution(n_articles: int, n_outlets: int, what: str = "source type") -> str:
    notes = []
    if n_articles < MIN_GROUP_ARTICLES:
        notes.append(f"only {n_articles} article{'' if n_articles == 1 else 's'}: descriptive, not evidence of a difference")
    if what == "outlet":  # a group of one outlet is what was asked for
        pass
    elif n_outlets == 1:
        notes.append(f"one outlet: outlet and {what} cannot be told apart")
    elif n_outlets < FEW_OUTLETS:
        notes.append(f"only {n_outlets} outlets: outlet effects may dominate")
    return "; ".join(notes)


NO_OUTLET = "(no outlet)"  # articles without an outlet count as one outlet of their own


def summarize(
    rates: np.ndarray,
    types: Sequence[str],
    outlets: Sequence[str],
    labels: Sequence[tuple[str, str]],
    *,
    quote_means: Mapping[str, tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None,
    what: str = "source type",
    order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Per source type x category: n_articles, n_outlets, mean, median, outlet-balanced mean.

    Parameters
    ----------
    rates : numpy.ndarray
        Articles x categories (matches per 1,000 tokens), in a fixed article
        order (the engine's is by id), so that the sums do not depend on the
        input order.
    types, outlets : sequence of str
        Each article's source type and outlet (``""``: none).
    labels : sequence of (str, str)
        Each column's (lexicon, category).
    quote_means : mapping, optional
        Per source type: each column's mean rate in the articles' own voice,
        the mean inside quotes (over the articles that quote), and how many
        articles quote (``mean_own``, ``mean_quoted``, ``n_articles_quoted``).
    what : str
        What the groups are, for the cautions ("source type", "outlet",
        "group of mbfc"); groups of outlets get no one-outlet caution.
    order : sequence of str, optional
        The groups' order in the table (those present); by name without it,
        as the source types have always been.

    The outlet-balanced mean is the mean over the group's outlets (sorted by
    name) of each outlet's mean; ``ci_low``, ``ci_high`` the 95 % interval of
    ``mean`` from a bootstrap that resamples outlets, then articles
    (``framing.stats.intervals``), for groups of at least ``MIN_GROUP_ARTICLES``
    articles and 2 outlets. Computed on arrays, one column at a time, so
    a corpus of a million articles needs no copy of the whole table.
    """
    types_arr = np.asarray(types, dtype=object)
    outlet_arr = np.asarray([o if o else NO_OUTLET for o in outlets], dtype=object)
    rows = []
    present = set(types_arr.tolist())
    for st in [g for g in order if g in present] if order is not None else sorted(present):
        inside = np.flatnonzero(types_arr == st)
        names, codes = np.unique(outlet_arr[inside], return_inverse=True)
        codes = codes.reshape(-1)
        n_articles, n_outlets = len(inside), len(names)
        per_outlet = np.bincount(codes, minlength=n_outlets)
        caution = _caution(n_articles, n_outlets, what)
        quoted = (quote_means or {}).get(st)
        if n_articles >= MIN_GROUP_ARTICLES and n_outlets >= 2:
            low, high = outlet_bootstrap(rates[inside], codes)
        else:  # too few to say: the caution says why
            low = high = np.full(len(labels), np.nan)
        for col, (lexicon, category) in enumerate(labels):
            values = rates[inside, col]
            outlet_means = np.bincount(codes, weights=values, minlength=n_outlets) / per_outlet
            rows.append(
                {
                    "source_type": st,
                    "lexicon": lexicon,
                    "category": category,
                    "n_articles": n_articles,
                    "n_outlets": n_outlets,
                    "mean": float(values.mean()),
                    "ci_low": float(low[col]),
                    "ci_high": float(high[col]),
                    "median": float(np.median(values)),
                    "outlet_balanced_mean": float(outlet_means.mean()),
                    "mean_own": float(quoted[0][col]) if quoted else np.nan,
                    "mean_quoted": float(quoted[1][col]) if quoted else np.nan,
                    "n_articles_quoted": int(quoted[2][col]) if quoted else 0,
                    "caution": caution,
                }
            )
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
