"""``rates_by_source_type``: each framing dimension's mean rate per source type.

Bars are the group means and black lines their 95 % intervals, both read
from ``summary.csv`` (outlets resampled), and each article is a jittered dot
(a seeded sample above the dot budget of ``common``). The axis ends at the
groups rather than the outliers: those beyond are counted at its right edge.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...defaults import MIN_GROUP_ARTICLES
from ...english import plural
from .common import (
    RASTER_DOTS,
    RATE_LABEL,
    count_dots,
    dot_cap,
    escape,
    group_means,
    group_name,
    group_title,
    other_grouping,
    placeholder,
    sample_dots,
    shorten,
    type_color,
    type_name,
    types_in,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.transforms import Transform

__all__ = ["AXIS_PERCENTILE", "CLIP_SLACK", "rates_by_source_type", "summary_intervals"]

AXIS_PERCENTILE = 99.0  # the rates axis ends past this percentile of the article rates (or the bars)
CLIP_SLACK = 1.25  # ... unless every rate fits within this much more room

Intervals = Mapping[tuple[str, str], tuple[float, float]]


def summary_intervals(summary: pd.DataFrame | None) -> dict[tuple[str, str], tuple[float, float]]:
    """(source type, ``lexicon.category``) -> the 95 % interval of ``summary.csv`` (``{}`` without one)."""
    if summary is None or not len(summary) or "ci_low" not in summary.columns:
        return {}
    keys = zip(summary["source_type"].astype(str), summary["lexicon"].astype(str) + "." + summary["category"].astype(str))
    return dict(zip(keys, zip(summary["ci_low"].astype(float), summary["ci_high"].astype(float))))


def _fmt(x: float) -> str:
    return f"{x:,.1f}" if abs(x) >= 0.1 or x == 0 else f"{x:.2g}"


def _rates_axis(df: pd.DataFrame, dims: Sequence[str], bars: Sequence[float]) -> float:
    """Where the rates axis ends: a little past the longest bar or interval, or the
    ``AXIS_PERCENTILE``-th percentile of every article rate, whichever is larger."""
    values = df[list(dims)].to_numpy(dtype=float).ravel()
    values = values[np.isfinite(values)]
    tail = float(np.percentile(values, AXIS_PERCENTILE)) if values.size else 0.0
    finite_bars = [b for b in bars if np.isfinite(b)]
    end = 1.05 * max([tail, *finite_bars])
    if values.size and values.max() <= CLIP_SLACK * end:
        end = max(end, 1.02 * float(values.max()))  # cutting would save little room: show every article
    return end if end > 0 else 1.0


def _beyond_line(df: pd.DataFrame, dims: Sequence[str], xmax: float) -> list[str]:
    """The title line that counts the article rates past the end of the axis (none if there are none)."""
    values = df[list(dims)].to_numpy(dtype=float)
    beyond = values[np.isfinite(values) & (values > xmax)]
    if not beyond.size:
        return []
    verb = "lie" if beyond.size != 1 else "lies"
    return [f"{plural(beyond.size, 'article rate')} {verb} beyond the axis (up to {_fmt(float(beyond.max()))}): "
            "counted at its right edge (▸ n)"]


def _bars_line(intervals: Intervals, types: Sequence[str], dims: Mapping[str, str]) -> str:
    """The title line that says what the bars and black lines are: a group of another column than the source
    types says that it has no interval when none is drawn (each group one outlet, as by outlet)."""
    drawn = any(np.isfinite(low) and np.isfinite(high) for (t, c), (low, high) in intervals.items()
                if t in types and c in dims)
    if drawn or not other_grouping():  # (a run by source type keeps its bytes)
        return "bars: group mean · black: its 95 % interval, outlets resampled"
    return (f"bars: group mean · no 95 % interval (one needs {MIN_GROUP_ARTICLES} articles of 2 outlets or more "
            "in a group)")


@dataclass(frozen=True)
class _Rows:
    """What every group's rows share: where they are drawn and how many dots they may draw."""

    ax: Axes
    edge: Transform  # x just past the axes' right edge, y in data: where the counts beyond the axis go
    height: float  # of one group's bar
    xmax: float
    cap: int
    rasterized: bool
    rng: np.random.Generator  # one seeded stream for the whole chart: the order of draws is part of the bytes


def _draw_dots(rows: _Rows, values: np.ndarray, y: float, size: float, alpha: float) -> None:
    """One group's articles on one dimension: jittered dots up to the axis end, then the count beyond it."""
    shown = sample_dots(values, rows.rng, rows.cap)
    jitter = y + rows.rng.uniform(-0.3, 0.3, len(shown)) * rows.height
    inside = shown <= rows.xmax
    rows.ax.scatter(shown[inside], jitter[inside], s=size, color="black", alpha=max(alpha, 20 / rows.cap),
                    linewidths=0, zorder=3, rasterized=rows.rasterized)
    out = int((values > rows.xmax).sum())  # all of the group's articles, not the sample
    if out:
        rows.ax.text(1.0, y, f"▸ {out:,}", transform=rows.edge, ha="left", va="center", fontsize=6,
                     color="#333333", clip_on=False, zorder=6)  # after the dots: one raster of them in the SVG


def _draw_interval(ax: Axes, low: float, high: float, y: float, height: float) -> None:
    """The outlet bootstrap of ``summary.csv``: a black line with two end ticks (nothing if undefined)."""
    if np.isfinite(low) and np.isfinite(high):
        ax.plot([low, high], [y, y], color="black", linewidth=1.2, zorder=5)
        ax.plot([low, low], [y - height * 0.2, y + height * 0.2], color="black", linewidth=1.2, zorder=5)
        ax.plot([high, high], [y - height * 0.2, y + height * 0.2], color="black", linewidth=1.2, zorder=5)


def _draw_group(rows: _Rows, group: pd.DataFrame, t: str, label: str, means: np.ndarray, offset: float,
                dims: Sequence[str], intervals: Intervals) -> None:
    """One source type: its bars, its articles as dots, its mean lines and intervals, one row per dimension."""
    centers = np.arange(len(dims)) + offset
    rows.ax.barh(centers, means, height=rows.height * 0.9, color=type_color(t), alpha=0.75, label=label)
    # Thousands of dots would hide the bars: fade them as the group grows,
    # and mark each mean with a line drawn above the dots.
    alpha = 0.7 if len(group) <= 50 else max(0.04, 20 / len(group))
    size = 10 if len(group) <= 50 else 4
    for i, c in enumerate(dims):
        y = centers[i]
        _draw_dots(rows, group[c].to_numpy(dtype=float), y, size, alpha)
        rows.ax.plot([means[i]] * 2, [y - rows.height * 0.45, y + rows.height * 0.45], color=type_color(t),
                     linewidth=2.5, zorder=4)
        low, high = intervals.get((str(t), c), (np.nan, np.nan))
        _draw_interval(rows.ax, low, high, y, rows.height)


def rates_by_source_type(df: pd.DataFrame, dims: Mapping[str, str], summary: pd.DataFrame | None = None, *,
                         note: str = "") -> Figure:
    """The rates chart of ``df`` (articles as ``common.ordered`` gives them).

    ``dims``: rate column -> label, top to bottom; ``summary``
    (``summary.csv``): each group's mean rate (``common.group_means``) and
    its 95 % interval (``summary_intervals``; none drawn without it);
    ``note``: a last line of the title (the groups not drawn).
    """
    from matplotlib.figure import Figure
    from matplotlib.transforms import offset_copy

    types = types_in(df)
    counts = df["source_type"].value_counts()
    n_dims, n_types = len(dims), max(len(types), 1)
    fig = Figure(figsize=(9, max(3.0, 2.0 + n_dims * (0.22 * n_types + 0.2))), layout="constrained")
    ax = fig.add_subplot()
    cap = dot_cap(n_dims * n_types)
    sampled = int(counts.max()) > cap if len(df) else False
    dots = f"dots: articles (at most {cap:,} per group, a random sample)" if sampled else "dots: articles"
    intervals = summary_intervals(summary)
    title = [f"Framing rates by {escape(group_name())}", _bars_line(intervals, types, dims), dots,
             *([note] if note else [])]
    if not dims or not types:
        ax.set_title("\n".join(title), fontsize=9)
        placeholder(ax, "no framing dimensions to chart" if not dims else "no articles")
        ax.set_xlabel(RATE_LABEL)
        return fig
    means = group_means(df, types, list(dims), summary)
    reach = [*means.to_numpy(dtype=float).ravel(),
             *(v for (t, c), iv in intervals.items() if t in means.index and c in dims for v in iv)]
    xmax = _rates_axis(df, list(dims), reach)
    ax.set_title("\n".join(title + _beyond_line(df, list(dims), xmax)), fontsize=9)
    rows = _Rows(ax=ax, edge=offset_copy(ax.get_yaxis_transform(), fig=fig, x=2, units="points"),
                 height=0.8 / n_types, xmax=xmax, cap=cap, rasterized=count_dots(df, list(dims), cap) > RASTER_DOTS,
                 rng=np.random.default_rng(0))
    for j, t in enumerate(types):
        _draw_group(rows, df[df["source_type"] == t], t, f"{type_name(t)} (n={counts[t]})",
                    np.nan_to_num(means.loc[t].to_numpy(dtype=float)), (j - (n_types - 1) / 2) * rows.height,
                    list(dims), intervals)
    ax.set_yticks(np.arange(n_dims), [escape(shorten(label, 40)) for label in dims.values()])
    ax.set_ylim(n_dims - 0.5, -0.5)  # first dimension on top, as listed in the lexicon
    ax.set_xlim(0, xmax)
    ax.set_xlabel(RATE_LABEL)
    ax.set_ylabel("Framing dimension")
    ax.grid(axis="x", alpha=0.3)
    fig.legend(title=escape(group_title()), loc="outside lower center", ncols=2, fontsize=8)
    return fig
