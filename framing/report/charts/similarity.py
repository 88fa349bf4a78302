"""``similarity``: TF-IDF cosine similarity, article x article or source type x source type.

Up to ``MAX_SIMILARITY_ARTICLES`` articles every pair is a cell; above, the
chart shows the engine's table of mean similarity within and between source
types (``AnalysisResult.type_similarity``, computed from group sums). The
chart only draws: it never derives one table from the other.

The colours are fitted to the pairs: TF-IDF similarities of real articles lie
around 0.03-0.06, which a 0-1 scale shows as one dark square.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...defaults import MAX_SIMILARITY_ARTICLES
from ...english import plural
from ...types import type_key
from .common import (
    CMAP,
    ROBUST_PERCENTILES,
    color_range,
    color_ticks,
    escape,
    extend,
    placeholder,
    shorten,
    type_legend,
    type_name,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.cm import ScalarMappable
    from matplotlib.figure import Figure

__all__ = ["MAX_TICKS", "similarity_chart"]

MAX_TICKS = 40  # up to this many articles, each gets its own tick label


def _by_type(table: pd.DataFrame | None) -> pd.DataFrame | None:
    """A source type x source type table with text labels, in the fixed order of source types."""
    if table is None:
        return None
    table = table.copy()
    table.index, table.columns = [str(i) for i in table.index], [str(c) for c in table.columns]
    order = sorted(table.index, key=type_key)
    return table.reindex(index=order, columns=order)


def _choose(sim: pd.DataFrame | None, df: pd.DataFrame,
            type_similarity: pd.DataFrame | None) -> tuple[pd.DataFrame | None, pd.DataFrame, bool]:
    """The table to draw (``None``: none given that fits), the articles it covers, and whether it is per article.

    ``sim`` is per article when its index is article ids of ``df``; the
    writer hands over the source-type table in its place when the engine kept
    no article matrix (above ``MAX_SIMILARITY_ARTICLES`` articles).
    """
    if sim is None:
        return _by_type(type_similarity), df, False
    index = [str(i) for i in sim.index]
    if not index or not set(index) <= set(df["article_id"]):
        return _by_type(sim), df, False
    df = df[df["article_id"].isin(index)]
    if len(df) > MAX_SIMILARITY_ARTICLES:  # too many to show one by one: the engine's source-type table
        return _by_type(type_similarity), df, False
    sim = sim.copy()
    sim.index, sim.columns = index, [str(c) for c in sim.columns]
    return sim.reindex(index=df["article_id"], columns=df["article_id"]), df, True


def _draw_cells(ax: Axes, fitted: np.ndarray, low: float, high: float, per_article: bool) -> ScalarMappable:
    """The coloured cells (grey: undefined; white: an article with itself); returns the colour bar's scale."""
    import matplotlib
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize, to_rgba

    norm = Normalize(low, high, clip=True)
    rgba = matplotlib.colormaps[CMAP](norm(np.nan_to_num(fitted)))
    rgba[~np.isfinite(fitted)] = to_rgba("#DDDDDD")  # undefined: a type of one article has no within-type pair
    if per_article:
        rgba[np.eye(len(fitted), dtype=bool)] = (1.0, 1.0, 1.0, 1.0)
    ax.imshow(rgba, interpolation="nearest")
    return ScalarMappable(norm=Normalize(low, high), cmap=CMAP)


def _label_articles(fig: Figure, ax: Axes, df: pd.DataFrame) -> None:
    """Title, group boundaries, ticks (up to ``MAX_TICKS`` articles) and legend of the article x article chart."""
    n = len(df)
    ax.set_title(f"TF-IDF cosine similarity between articles (n={n})\n"
                 "(white diagonal: an article with itself, 1.0, left out of the colour scale)", fontsize=10)
    types = list(df["source_type"])
    # Group boundaries make the within-type blocks readable without tick labels.
    for edge in np.flatnonzero(np.array(types[1:]) != np.array(types[:-1])) + 0.5:
        ax.axhline(edge, color="white", lw=1)
        ax.axvline(edge, color="white", lw=1)
    if n <= MAX_TICKS:
        labels = [escape(shorten(i, 18)) for i in df["article_id"]]
        ax.set_xticks(np.arange(n), labels, rotation=90, fontsize=7)
        ax.set_yticks(np.arange(n), labels, fontsize=7)
        color_ticks(ax.get_xticklabels(), types)
        color_ticks(ax.get_yticklabels(), types)
    else:
        ax.set_xticks([])
        ax.set_yticks([])
    ax.set_xlabel("Article (by source type, then id)")
    ax.set_ylabel("Article (by source type, then id)")
    type_legend(fig, df)


def _label_types(ax: Axes, table: pd.DataFrame, n_articles: int, counts: pd.Series, low: float, high: float) -> None:
    """Title, ticks and each cell's value of the source type x source type chart."""
    ax.set_title("TF-IDF cosine similarity: mean over article pairs within and between source types\n"
                 f"({n_articles} articles, too many to show one by one; grey = undefined)", fontsize=10)
    n = len(table)
    labels = [f"{type_name(t)} (n={int(counts.get(t, 0))})" for t in table.index]
    ax.set_xticks(np.arange(n), labels, rotation=30, ha="right", rotation_mode="anchor")
    ax.set_yticks(np.arange(n), labels)
    # Enough decimals to tell apart the cells the colours tell apart (0.026 and 0.034 are not both 0.03).
    decimals = min(4, max(2, int(np.ceil(-np.log10(high - low))) + 1))
    for (i, j), v in np.ndenumerate(table.to_numpy(dtype=float)):
        text = f"{v:.{decimals}f}" if np.isfinite(v) else "n/a"
        dark = not np.isfinite(v) or (v - low) < 0.6 * (high - low)  # viridis is dark at the low end
        ax.text(j, i, text, ha="center", va="center", fontsize=9, color="white" if dark and np.isfinite(v) else
                "black")
    ax.set_xlabel("Source type")
    ax.set_ylabel("Source type")


def similarity_chart(sim: pd.DataFrame | None, df: pd.DataFrame,
                     type_similarity: pd.DataFrame | None = None) -> Figure:
    """The similarity chart of ``df`` (articles as ``common.ordered`` gives them).

    ``sim``: article x article similarity indexed by ``article_id`` (drawn up
    to ``MAX_SIMILARITY_ARTICLES`` articles), or the source type x source
    type table; ``type_similarity``: the source-type table, drawn when
    ``sim`` is ``None`` or has too many articles (a placeholder says so when
    it is missing too).
    """
    from matplotlib.figure import Figure

    counts = df["source_type"].value_counts()
    table, df, per_article = _choose(sim, df, type_similarity)
    n = 0 if table is None else len(table)
    side = min(14.0, 4.5 + 0.22 * n) if per_article and n <= MAX_TICKS else 8.0
    fig = Figure(figsize=(side + 1.8, side), layout="constrained")
    ax = fig.add_subplot()
    if table is None or n == 0:
        ax.set_title("TF-IDF cosine similarity")
        if table is not None:
            placeholder(ax, "no articles")
        elif sim is None:
            placeholder(ax, "no similarity table given")
        else:
            placeholder(ax, f"{plural(len(df), 'article')}: too many to show one by one,\n"
                            "and no table of source types given")
        return fig
    # An article with itself (1.0) says nothing: it is left out of the fit and drawn white,
    # apart from the top colour that marks the most similar pairs.
    fitted = table.to_numpy(dtype=float, copy=True)
    if per_article:
        np.fill_diagonal(fitted, np.nan)
    low, high, robust = color_range(fitted)
    im = _draw_cells(ax, fitted, low, high, per_article)
    if per_article:
        _label_articles(fig, ax, df)
    else:
        _label_types(ax, table, len(df), counts, low, high)
    bar = fig.colorbar(im, ax=ax, shrink=0.8, extend=extend(fitted, low, high))
    what = "pairs" if per_article else "cells"
    how = (f"percentiles {ROBUST_PERCENTILES[0]:g}–{ROBUST_PERCENTILES[1]:g} of the {what}" if robust
           else f"smallest to largest of the {what}")
    bar.set_label(f"Cosine similarity (TF-IDF)\ncolours: {how}", fontsize=9)
    return fig
