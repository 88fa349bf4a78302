"""``timeline_chart``: each framing dimension's mean rate per period, one line per group.

Small multiples, one panel per dimension (at most ``max_panels``), all on the
same periods in time order. A group's line is its mean per period in its
colour, the shaded band the 95 % interval of the table handed in
(``ci_low``..``ci_high``); a period with fewer than ``MIN_GROUP_ARTICLES`` of
the group's articles is a hollow marker, so a reader sees which points rest on
a handful of articles. A period without articles has no mean: the line breaks
there. The y axis starts at 0 (bands stop there: rates are never negative)
and ends at the means and at the bands of periods of ``MIN_GROUP_ARTICLES``
articles or more; the band of a thinner period (two articles can give an
interval hundreds wide) is cut at the top, and the title says so. The strip
at the bottom counts the articles per period and group, with the
``MIN_GROUP_ARTICLES`` line drawn across it.

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
from ..legend import GROUP_PALETTE, OKABE_ITO
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


GAP = "\u2026"  # the label of a run of periods without articles, squeezed into one slot of the chart
MIN_SQUEEZED = 3  # runs of this many empty periods or more are squeezed; a shorter gap is drawn as it is


def squeezed_periods(timeline: pd.DataFrame, periods: Sequence[str]) -> tuple[list[str], int]:
    """``periods`` with each run of ``MIN_SQUEEZED`` or more periods in which no group has an article replaced by
    one slot labelled ``GAP`` (and how many); and how many periods were squeezed away.

    A few stray old dates (a 2017 story in a 2022 corpus) would otherwise push every period that holds the
    corpus into the chart's last inch. Lines break at a slot, as at any period without articles.
    """
    if not len(timeline):
        return list(periods), 0
    per = timeline.drop_duplicates(["_group", "_period"]).groupby("_period")["n_articles"].sum()
    empty = [float(per.get(p, 0) or 0) == 0 for p in periods]
    out: list[str] = []
    squeezed = 0
    i = 0
    while i < len(periods):
        j = i
        while j < len(periods) and empty[j]:
            j += 1
        if j - i >= MIN_SQUEEZED:
            out.append(f"{GAP} {j - i}")
            squeezed += j - i
            i = j
        else:
            out.append(periods[i])
            i += 1
    return out, squeezed


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
    """Each shown group's colour: the caller's, else the next colour of ``GROUP_PALETTE`` (Okabe-Ito, black the
    eighth) that no shown group has."""
    given = {g: group_colors[g] for g in shown if group_colors.get(g)}
    used = {c.lower() for c in given.values()}
    spare = [c for c in GROUP_PALETTE if c.lower() not in used]
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
                colors: Mapping[str, str], periods: Sequence[str]) -> tuple[bool, bool]:
    """One dimension: per group a band (its interval), a line (its means), filled and hollow markers.

    The y axis runs from 0 (rates are never negative: bands stop there) to
    the highest mean or band of a period of at least ``MIN_GROUP_ARTICLES``
    articles (of any period when none has that many): a thinner period says
    little, and one headline's rate of 200 would flatten every other line.
    A thin band reaching higher is cut at the top; a thin mean beyond the
    top is drawn on it as a hollow triangle. Returns (a band was cut, a mean
    was).
    """
    x = np.arange(len(periods), dtype=float)
    size = 4.5 if len(periods) <= 20 else 3.0
    series = {g: _series(timeline, column, g, periods) for g in shown}
    reach, every = [0.0], [0.0]  # what the axis must show: of periods that are not thin; of all
    thin_tops = [0.0]  # how far the bands of thin periods reach
    for s in series.values():
        mean, n, high = s["mean"].to_numpy(), s["n_articles"].to_numpy(), s["ci_high"].to_numpy()
        full = np.isfinite(mean) & (n >= MIN_GROUP_ARTICLES)
        reach += [*mean[full], *high[full & np.isfinite(high)]]
        every += list(mean[np.isfinite(mean)])
        thin_tops += list(high[np.isfinite(high) & (n < MIN_GROUP_ARTICLES)])
    top = 1.05 * (max(reach) if max(reach) > 0 else max(every))
    top = top if top > 0 else 1.0
    beyond = False
    for g, s in series.items():
        mean, n = s["mean"].to_numpy(), s["n_articles"].to_numpy()
        c = colors[g]
        low, high = np.maximum(s["ci_low"].to_numpy(), 0.0), s["ci_high"].to_numpy()
        band = np.isfinite(low) & np.isfinite(high)
        if band.any():
            ax.fill_between(x, np.where(band, low, np.nan), np.where(band, np.minimum(high, top), np.nan),
                            where=band, color=c, alpha=_BAND_ALPHA, linewidth=0)
        drawn = np.minimum(mean, top)  # NaN stays NaN: the line breaks at a period without articles
        ax.plot(x, drawn, color=c, linewidth=1.6, zorder=3)
        has = np.isfinite(mean)
        full = has & (n >= MIN_GROUP_ARTICLES)
        thin = has & (n < MIN_GROUP_ARTICLES) & (mean <= top)
        over = has & (mean > top)
        beyond = beyond or bool(over.any())
        ax.plot(x[full], mean[full], linestyle="none", marker="o", markersize=size, color=c, zorder=4)
        ax.plot(x[thin], mean[thin], linestyle="none", marker="o", markersize=size + 1, markerfacecolor="none",
                markeredgecolor=c, markeredgewidth=1.2, zorder=4, gid="thin")
        ax.plot(x[over], np.full(int(over.sum()), top), linestyle="none", marker="^", markersize=size + 2,
                markerfacecolor="none", markeredgecolor=c, markeredgewidth=1.2, zorder=5,
                gid="beyond")
    ax.set_title(escape(shorten(label, _TITLE_WIDTH)), fontsize=9)
    ax.grid(axis="y", alpha=0.3)
    ax.tick_params(labelsize=7)
    # A sliver below 0 and above the top, so that a marker at 0 or a triangle at the top is seen whole.
    ax.set_ylim(-0.02 * top, top * (1.04 if beyond else 1.0))
    return max(thin_tops) > top, beyond
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
    group_name: str | None = None,
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
        colours (hex; a group without one gets a ``GROUP_PALETTE`` colour
        no other group drawn has), and what the grouping is called for
        people (the legend's title).
    group_name : str, optional
        What the groups are called after "by" in the title ("outlet"); the
        title in lower case without it.
    max_panels : int
        Panels at most; the dimensions past it are counted in the title.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per dimension and the article counts below; a placeholder
        saying ``EMPTY_MESSAGE`` when the table has no dated rows.
    """
    from matplotlib.figure import Figure

    title = escape(group_title)
    heading = [f"Framing rates over time by {escape(group_name or group_title.lower())}",
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
    periods, squeezed = squeezed_periods(table, periods)
    shown, left_out = groups_shown(table, group_column, groups)
    totals = group_totals(table, group_column)
    colors = group_color_map(shown, group_colors)
    drawn = list(dims)[: max(max_panels, 1)]
    notes = _left_out_notes(len(dims) - len(drawn), len(drawn), len(left_out), squeezed,
                            sum(p.startswith(GAP) for p in periods))

    n_cols = next((cols for most, cols in _PANEL_COLUMNS if len(drawn) <= most), 3)
    n_rows = math.ceil(len(drawn) / n_cols)
    fig = Figure(figsize=(3.6 * n_cols + 1.2, 2.3 * n_rows + 2.6 + 0.25 * math.ceil(len(shown) / 4)),
                 layout="constrained")
    grid = fig.add_gridspec(n_rows + 1, n_cols, height_ratios=[1.0] * n_rows + [0.6])
    most = max(3, MAX_TICKS // n_cols)
    cut = beyond = False
    for k, column in enumerate(drawn):
        r, c = divmod(k, n_cols)
        ax = fig.add_subplot(grid[r, c])
        cut_here, beyond_here = _draw_panel(ax, table, column, dims[column], shown=shown, colors=colors,
                                            periods=periods)
        cut, beyond = cut or cut_here, beyond or beyond_here
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
    if cut:
        notes.append(f"the bands of periods with fewer than {MIN_GROUP_ARTICLES} articles are cut at the top of "
                     "their panel")
    if beyond:
        notes.append(f"\u25b3 at a panel's top: a mean of fewer than {MIN_GROUP_ARTICLES} articles beyond the axis "
                     "(timeline.csv has it)")
    fig.suptitle("\n".join(heading + notes), fontsize=9)
    width, height = fig.get_size_inches()
    fig.set_size_inches(width, height + 0.18 * len(notes))  # room for the title's notes above the panels
    _legend(fig, shown, colors, group_labels, totals, title)
    return fig


def _left_out_notes(dims_left: int, panels: int, groups_left: int, squeezed: int, gaps: int) -> list[str]:
    """The title's lines on what the chart does not draw: dimensions, groups, runs of empty periods."""
    notes = []
    if dims_left:
        notes.append(f"{plural(dims_left, 'more dimension')} not drawn (at most {panels} panels)")
    if groups_left:
        notes.append(f"{plural(groups_left, 'more group')} with fewer articles not drawn (at most {MAX_GROUPS_SHOWN})")
    if squeezed:
        notes.append(f"{plural(squeezed, 'period')} in which no group has an article drawn as "
                     f"{plural(gaps, 'gap')} ({GAP})")
    return notes


def _legend(fig: Figure, shown: Sequence[str], colors: Mapping[str, str], group_labels: Mapping[str, str],
            totals: Mapping[str, int], title: str) -> None:
    """The groups drawn with their articles, and the hollow marker, below the chart."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=colors[g], marker="o", label=_label(g, group_labels, totals.get(g, 0)))
               for g in shown]
    handles.append(Line2D([], [], color="#555555", marker="o", markerfacecolor="none", linestyle="none",
                          label=f"fewer than {MIN_GROUP_ARTICLES} articles"))
    fig.legend(handles=handles, title=title, loc="outside lower center", ncols=min(4, len(handles)), fontsize=8,
               title_fontsize=8)
