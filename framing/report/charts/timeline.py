"""``timeline_chart``: each framing dimension's mean rate per period, one line per group.

Small multiples, one panel per dimension (at most ``max_panels``), all on the
same periods in time order. A group's line is its mean per period in its
colour, the shaded band the 95 % interval of the table handed in
(``ci_low``..``ci_high``); a period with fewer than ``MIN_GROUP_ARTICLES`` of
the group's articles is a hollow marker, so a reader sees which points rest on
a handful of articles. A period without articles has no mean: the line breaks
there. The strip at the bottom counts the articles per period and group, with
the ``MIN_GROUP_ARTICLES`` line drawn across it.

The chart draws the figures of the timeline table and derives none; what it
decides is which of them to show: at most ``MAX_GROUPS_SHOWN`` groups (those
with the most articles, in the caller's order) and ``MAX_TICKS`` period labels,
each leaving-out said in the figure's title.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...defaults import MIN_GROUP_ARTICLES
from ...english import plural
from ..legend import OKABE_ITO
from .common import RATE_LABEL, escape, placeholder, shorten

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "CHART_LABEL", "EMPTY_MESSAGE", "MAX_BARS_PERIODS", "MAX_GROUPS_SHOWN", "MAX_TICKS", "group_color_map",
    "group_totals", "groups_shown", "period_order", "tick_positions", "timeline_chart",
]

# Alt text of the chart: fixed words, never input.
CHART_LABEL = ("Mean rate per 1,000 tokens of each framing dimension per period, one line per group with its "
               "95 % interval, and the number of articles per period")
EMPTY_MESSAGE = "no dated articles: run with a date column"
MAX_GROUPS_SHOWN = 8  # lines per panel: past eight colours and crossing lines, none can be followed
MAX_TICKS = 12  # period labels on the bottom axis; more overlap at the chart's width
MAX_BARS_PERIODS = 40  # up to this many periods the counts are bars side by side; beyond, a step line per group
_PANEL_COLUMNS = ((1, 1), (4, 2))  # up to n panels -> columns; more: 3
_BAND_ALPHA = 0.15
_TITLE_WIDTH = 40  # characters of a panel title


def period_order(timeline: pd.DataFrame) -> list[str]:
    """The periods of ``timeline`` in time order (by ``period_start``, then label); labels as text."""
    if not len(timeline):
        return []
    periods = pd.DataFrame({"period": timeline["period"].astype(str),
                            "start": pd.to_datetime(timeline["period_start"], errors="coerce")})
    first = periods.groupby("period", sort=False)["start"].min().reset_index()
    first = first.sort_values(["start", "period"], kind="stable", na_position="last")
    return first["period"].tolist()


def group_totals(timeline: pd.DataFrame, group_column: str) -> dict[str, int]:
    """Articles per group over all periods (``n_articles`` is repeated on each category's row: counted once)."""
    if not len(timeline):
        return {}
    per = timeline.assign(_g=timeline[group_column].astype(str), _p=timeline["period"].astype(str))
    counts = per.groupby(["_g", "_p"], sort=False)["n_articles"].max().fillna(0)
    return {str(g): int(n) for g, n in counts.groupby(level=0, sort=False).sum().items()}


def groups_shown(timeline: pd.DataFrame, group_column: str, groups: Sequence[str],
                 limit: int = MAX_GROUPS_SHOWN) -> tuple[list[str], list[str]]:
    """(shown, left out): the ``limit`` groups of ``timeline`` with the most articles, both in display order.

    Display order is ``groups``, then any group of the table it does not
    list, sorted; ties in articles keep that order.
    """
    totals = group_totals(timeline, group_column)
    listed = [str(g) for g in groups]
    order = [g for g in dict.fromkeys(listed) if g in totals] + sorted(set(totals) - set(listed))
    rank = {g: i for i, g in enumerate(order)}
    top = set(sorted(order, key=lambda g: (-totals[g], rank[g]))[:limit])
    return [g for g in order if g in top], [g for g in order if g not in top]


def tick_positions(n_periods: int, most: int = MAX_TICKS) -> list[int]:
    """Which of ``n_periods`` periods get a label: every k-th from the first, at most ``most`` of them."""
    if n_periods <= 0:
        return []
    step = max(1, math.ceil(n_periods / max(most, 1)))
    return list(range(0, n_periods, step))


def group_color_map(shown: Sequence[str], group_colors: Mapping[str, str]) -> dict[str, str]:
    """Each shown group's colour: the caller's, else the next Okabe-Ito colour (black the eighth) not yet used."""
    given = {g: group_colors[g] for g in shown if group_colors.get(g)}
    used = {c.lower() for c in given.values()}
    spare = [c for c in (*OKABE_ITO, "#000000") if c.lower() not in used]
    out = {}
    for g in shown:
        if g in given:
            out[g] = given[g]
        else:
            out[g] = spare.pop(0) if spare else OKABE_ITO[len(out) % len(OKABE_ITO)]
    return out


def _label(group: str, group_labels: Mapping[str, str], n: int) -> str:
    return f"{escape(shorten(group_labels.get(group, group), 30))} (n={n:,})"


def _set_periods(ax: Axes, periods: Sequence[str], most: int, labelled: bool) -> None:
    """The common x axis: periods at 0..n-1, ``most`` of them labelled (only if ``labelled``)."""
    ticks = tick_positions(len(periods), most)
    ax.set_xticks(ticks, [escape(shorten(periods[i], 12)) for i in ticks] if labelled else [""] * len(ticks))
    ax.set_xlim(-0.5, len(periods) - 0.5)
    if labelled and max((len(periods[i]) for i in ticks), default=0) * len(ticks) > 60:
        ax.tick_params(axis="x", labelrotation=45)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")


def _series(timeline: pd.DataFrame, column: str, group: str, periods: Sequence[str]) -> pd.DataFrame:
    """One group's rows of one ``lexicon.category`` column, one per period in order (missing: NaN, 0 articles)."""
    rows = timeline[(timeline["_column"] == column) & (timeline["_group"] == group)]
    rows = rows.drop_duplicates("_period").set_index("_period")
    out = rows.reindex(list(periods))[["n_articles", "mean", "ci_low", "ci_high"]].astype(float)
    out["n_articles"] = out["n_articles"].fillna(0)
    return out


def _draw_panel(ax: Axes, timeline: pd.DataFrame, column: str, label: str, *, shown: Sequence[str],
                colors: Mapping[str, str], periods: Sequence[str]) -> None:
    """One dimension: per group a band (its interval), a line (its means), filled and hollow markers."""
    x = np.arange(len(periods), dtype=float)
    size = 4.5 if len(periods) <= 20 else 3.0
    for g in shown:
        s = _series(timeline, column, g, periods)
        mean = s["mean"].to_numpy()
        n = s["n_articles"].to_numpy()
        c = colors[g]
        low, high = s["ci_low"].to_numpy(), s["ci_high"].to_numpy()
        band = np.isfinite(low) & np.isfinite(high)
        if band.any():
            ax.fill_between(x, np.where(band, low, np.nan), np.where(band, high, np.nan), where=band,
                            color=c, alpha=_BAND_ALPHA, linewidth=0)
        ax.plot(x, mean, color=c, linewidth=1.6, zorder=3)
        has = np.isfinite(mean)
        full = has & (n >= MIN_GROUP_ARTICLES)
        thin = has & (n < MIN_GROUP_ARTICLES)
        ax.plot(x[full], mean[full], linestyle="none", marker="o", markersize=size, color=c, zorder=4)
        ax.plot(x[thin], mean[thin], linestyle="none", marker="o", markersize=size + 1, markerfacecolor="none",
                markeredgecolor=c, markeredgewidth=1.2, zorder=4, gid="thin")
    ax.set_title(escape(shorten(label, _TITLE_WIDTH)), fontsize=9)
    ax.grid(axis="y", alpha=0.3)
    ax.tick_params(labelsize=7)
    ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))  # rates are never negative: the axis starts at 0


def _draw_counts(ax: Axes, counts: pd.DataFrame, shown: Sequence[str], colors: Mapping[str, str],
                 periods: Sequence[str]) -> None:
    """The bottom strip: articles per period and group (bars side by side, or a step line each), and the thin line."""
    x = np.arange(len(periods), dtype=float)
    width = 0.8 / max(len(shown), 1)
    for j, g in enumerate(shown):
        n = counts[g].to_numpy(dtype=float)
        if len(periods) <= MAX_BARS_PERIODS:
            ax.bar(x + (j - (len(shown) - 1) / 2) * width, n, width=width, color=colors[g], linewidth=0)
        else:
            ax.step(x, n, where="mid", color=colors[g], linewidth=1.2)
    ax.axhline(MIN_GROUP_ARTICLES, color="#555555", linewidth=0.8, linestyle=":", zorder=0)
    ax.set_ylabel("Articles", fontsize=8)
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", alpha=0.3)
    ax.tick_params(labelsize=7)
    ax.set_title(f"Articles per period (dotted: {MIN_GROUP_ARTICLES}; fewer are hollow markers above)",
                 fontsize=8, loc="left")


def timeline_chart(
    timeline: pd.DataFrame,
    dimensions: Mapping[str, str],
    *,
    group_column: str,
    groups: Sequence[str],
    group_labels: Mapping[str, str],
    group_colors: Mapping[str, str],
    group_title: str,
    max_panels: int = 12,
) -> Figure:
    """The timeline chart of ``timeline`` (a row per group x period x category).

    Parameters
    ----------
    timeline : pandas.DataFrame
        ``<group_column>, period, period_start, lexicon, category, n_articles,
        mean, ci_low, ci_high`` (others ignored); empty periods have
        ``n_articles`` 0 and NaN means.
    dimensions : Mapping[str, str]
        ``<lexicon>.<category>`` -> label, in panel order; columns the table
        does not have are left out.
    group_column, groups, group_labels, group_colors, group_title
        The grouping column, its values' display order, their labels and
        colours (hex; a group without one gets an Okabe-Ito colour by its
        place), and what the grouping is called for people.
    max_panels : int
        Panels at most; the dimensions past it are counted in the title.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per dimension and the article counts below; a placeholder
        saying ``EMPTY_MESSAGE`` when the table has no dated rows.
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    title = escape(group_title)
    heading = [f"Framing rates over time by {title}",
               ("line: group mean per period · band: its 95 % interval · "
               f"hollow marker: fewer than {MIN_GROUP_ARTICLES} articles · gap: no articles")]
    table = timeline
    if len(table):
        table = table.assign(_group=table[group_column].astype(str), _period=table["period"].astype(str),
                             _column=table["lexicon"].astype(str) + "." + table["category"].astype(str))
    present = set(table["_column"]) if len(table) else set()
    dims = {c: str(label) for c, label in dimensions.items() if c in present}
    periods = period_order(table)
    if not periods or not dims:
        fig = Figure(figsize=(8, 3.5), layout="constrained")
        ax = fig.add_subplot()
        ax.set_title(heading[0], fontsize=10)
        placeholder(ax, EMPTY_MESSAGE if not periods else "no framing dimensions to chart")
        return fig
    shown, left_out = groups_shown(table, group_column, groups)
    totals = group_totals(table, group_column)
    colors = group_color_map(shown, group_colors)
    drawn = list(dims)[: max(max_panels, 1)]
    notes = []
    if len(dims) > len(drawn):
        notes.append(f"{plural(len(dims) - len(drawn), 'more dimension')} not drawn (at most {len(drawn)} panels)")
    if left_out:
        notes.append(f"{plural(len(left_out), 'more group')} with fewer articles not drawn "
                     f"(at most {MAX_GROUPS_SHOWN})")

    n_cols = next((cols for most, cols in _PANEL_COLUMNS if len(drawn) <= most), 3)
    n_rows = math.ceil(len(drawn) / n_cols)
    fig = Figure(figsize=(3.6 * n_cols + 1.2, 2.3 * n_rows + 2.6 + 0.25 * math.ceil(len(shown) / 4)),
                 layout="constrained")
    grid = fig.add_gridspec(n_rows + 1, n_cols, height_ratios=[1.0] * n_rows + [0.6])
    most = max(3, MAX_TICKS // n_cols)
    for k, column in enumerate(drawn):
        r, c = divmod(k, n_cols)
        ax = fig.add_subplot(grid[r, c])
        _draw_panel(ax, table, column, dims[column], shown=shown, colors=colors, periods=periods)
        below = k + n_cols < len(drawn)  # a panel under this one: its labels would say the same
        _set_periods(ax, periods, most, labelled=not below)
        if c == 0:
            ax.set_ylabel(RATE_LABEL, fontsize=7)
    per = table.drop_duplicates(["_group", "_period"])
    counts = (per.pivot(index="_period", columns="_group", values="n_articles")
              .reindex(index=periods, columns=shown).fillna(0))
    strip = fig.add_subplot(grid[n_rows, :])
    _draw_counts(strip, counts, shown, colors, periods)
    _set_periods(strip, periods, MAX_TICKS, labelled=True)
    fig.suptitle("\n".join(heading + notes), fontsize=9)
    handles = [Line2D([], [], color=colors[g], marker="o", label=_label(g, group_labels, totals.get(g, 0)))
               for g in shown]
    handles.append(Line2D([], [], color="#555555", marker="o", markerfacecolor="none", linestyle="none",
                          label=f"fewer than {MIN_GROUP_ARTICLES} articles"))
    fig.legend(handles=handles, title=title, loc="outside lower center", ncols=min(4, len(handles)), fontsize=8,
               title_fontsize=8)
    return fig
