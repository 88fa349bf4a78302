"""Group summaries: per source type and category, counts, means, medians and cautions."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

__all__ = ["FEW_ARTICLES", "FEW_OUTLETS", "summarize"]

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
