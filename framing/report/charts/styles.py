"""``style_scores``: how much each article resembles each labelled source type.

One bar per article and style column; above ``MAX_ROWS`` articles, the
distribution per actual source type instead (a seeded sample of dots, and
the median of every article).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .common import (
    MAX_ROWS,
    RASTER_DOTS,
    color_ticks,
    count_dots,
    dot_cap,
    escape,
    placeholder,
    row_label,
    sample_dots,
    style_color,
    type_legend,
    type_name,
    types_in,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["style_scores"]


def _per_type(ax: Axes, df: pd.DataFrame, styles: Mapping[str, str], offsets: list[float], height: float,
              cap: int) -> tuple[list[str], list[str]]:
    """Each source type's scores as dots with their median; returns the row labels and types."""
    types = types_in(df)
    counts = df["source_type"].value_counts()
    rng = np.random.default_rng(0)
    rasterized = count_dots(df, list(styles), cap) > RASTER_DOTS
    for k, c in enumerate(styles):
        color = style_color(c, k)
        for i, t in enumerate(types):
            v = df.loc[df["source_type"] == t, c].to_numpy(dtype=float)
            v = v[~np.isnan(v)]
            y = i + offsets[k]
            shown = sample_dots(v, rng, cap)
            ax.scatter(shown, y + rng.uniform(-0.35, 0.35, len(shown)) * height, s=6, color=color, alpha=0.4,
                       linewidths=0, rasterized=rasterized)
            if len(v):  # the median of every article, not of the sample
                ax.plot([np.median(v)] * 2, [y - height / 2, y + height / 2], color="black", lw=2)
        ax.scatter([], [], color=color, label=escape(styles[c]))
    ax.plot([], [], color="black", lw=2, label="median")
    ax.set_ylabel("Actual source type")
    return [f"{type_name(t)} (n={counts[t]})" for t in types], types


def _per_article(ax: Axes, df: pd.DataFrame, styles: Mapping[str, str], offsets: list[float],
                 height: float) -> tuple[list[str], list[str]]:
    """One bar per article and style column ("n/a" where undefined); returns the row labels and types."""
    for k, c in enumerate(styles):
        v = df[c].to_numpy(dtype=float)
        ok = ~np.isnan(v)
        ax.barh(np.arange(len(df))[ok] + offsets[k], v[ok], height=height * 0.9, color=style_color(c, k),
                label=escape(styles[c]))
        # An undefined score is not a zero score; mark it instead of drawing nothing.
        for i in np.flatnonzero(~ok):
            ax.text(0.005, i + offsets[k], "n/a", va="center", fontsize=6, color="#555555")
    ax.set_ylabel("Article (id · outlet)")
    return [row_label(r) for _, r in df.iterrows()], list(df["source_type"])


def style_scores(df: pd.DataFrame, styles: Mapping[str, str]) -> Figure:
    """The style chart of ``df`` (articles as ``common.ordered`` gives them); ``styles``: column -> label."""
    from matplotlib.figure import Figure

    aggregate = len(df) > MAX_ROWS
    cols = list(styles)
    n_rows = len(types_in(df)) if aggregate else len(df)
    per_row = 0.14 * max(len(cols), 1) + 0.1
    fig = Figure(figsize=(9, max(3.0, 2.4 + n_rows * per_row * (2 if aggregate else 1))), layout="constrained")
    ax = fig.add_subplot()
    what = "Style score: how much each article resembles each labelled source type"
    cap = dot_cap(len(types_in(df)) * len(cols))
    sampled = aggregate and int(df["source_type"].value_counts().max()) > cap
    how = "distribution per actual source type" if aggregate else "per article"
    if sampled:
        how += f" (dots: at most {cap:,} articles per group, a random sample; medians of all)"
    ax.set_title(f"{what}\n{how}", fontsize=10)
    if not cols or df.empty:
        placeholder(ax, "no style scores (no labelled source types)" if not cols else "no articles")
        return fig
    height = 0.8 / len(cols)
    offsets = [(k - (len(cols) - 1) / 2) * height for k in range(len(cols))]
    if aggregate:
        row_labels, row_types = _per_type(ax, df, styles, offsets, height, cap)
    else:
        row_labels, row_types = _per_article(ax, df, styles, offsets, height)
        type_legend(fig, df, "Actual source type")
    ax.set_yticks(np.arange(len(row_labels)), row_labels, fontsize=8)
    color_ticks(ax.get_yticklabels(), row_types)
    ax.set_ylim(len(row_labels) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.set_xlabel("Style score (0–1)")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(title="Resemblance to", loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    return fig
