"""What every chart shares: row order, source-type colours and labels, legends,
placeholders, the dot budget, colour ranges, and encoding a figure as PNG and SVG.

Input text that reaches a label goes through ``escape`` so that ``$`` is
never read as mathtext; ``shorten`` keeps tick labels on one line.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...defaults import MAX_SIMILARITY_ARTICLES
from ...english import plural
from ...grouping import ARTICLE_FIELDS, Grouping, current_grouping, grouped
from ...types import type_key, type_label
from ..legend import EXTRA_COLORS, TYPE_COLORS, group_colors, text_color

if TYPE_CHECKING:  # matplotlib is imported when charts are drawn, so --no-charts runs never load it
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

__all__ = [
    "CMAP", "MAX_CHART_DOTS", "MAX_DOTS", "MAX_ROWS", "RASTER_DOTS", "RATE_LABEL", "RC_PARAMS", "ROBUST_FROM",
    "ROBUST_PERCENTILES", "SVG_RASTER_DPI",
    "color_range", "color_ticks", "count_dots", "dot_cap", "encode", "escape", "extend", "group_means", "group_name",
    "group_title", "group_words", "grouped", "label_color", "left_out_note", "ordered", "other_grouping",
    "placeholder", "row_label", "sample_dots", "shorten", "style_color", "type_color", "type_legend", "type_name",
    "type_sort_key", "types_in",
]

MAX_ROWS = 60  # above this, per-article rows stop being readable; show group summaries
# Dots per group and row: more say nothing more to the eye and made a million-article
# SVG of 1 GB (one element per dot); above it a seeded sample is drawn, and said.
MAX_DOTS = 2000
# And in all: many source types times many dimensions at MAX_DOTS each made a 1.2 MB SVG
# even as one raster; past this the cap per group is lowered to share it out.
MAX_CHART_DOTS = 100_000
# Above this many dots in one chart, all of its dots are one raster image in the SVG:
# 500 vector dots per group and dimension made a 2 MB rates SVG at 2,000 articles.
RASTER_DOTS = 1000
SVG_RASTER_DPI = 72  # the raster parts of an SVG (dots, heatmaps) at screen resolution: a third of the PNG's bytes
# Colour scales run over the 2nd-98th percentile of the values, so that a few extreme
# cells do not leave the rest in one colour; below this many values every cell counts
# (and is labelled), so the scale is their full range.
ROBUST_FROM = 50
ROBUST_PERCENTILES = (2.0, 98.0)
RATE_LABEL = "Rate per 1,000 tokens"

CMAP = "viridis"
# No random SVG ids and no font files or TeX: the same input gives the same bytes on any machine.
RC_PARAMS = {"svg.hashsalt": "framing", "svg.fonttype": "none", "text.usetex": False}


def escape(text: object) -> str:
    """Input text as a literal label: an unescaped ``$`` would start mathtext."""
    return str(text).replace("$", r"\$")


def shorten(text: object, width: int) -> str:
    """``text`` on one line and at most ``width`` characters (an ellipsis marks a cut); ``""`` for missing."""
    s = "" if text is None or (isinstance(text, float) and np.isnan(text)) else str(text)
    s = " ".join(s.split())  # newlines in a tick label would break the row spacing
    return s if len(s) <= width else s[: width - 1] + "…"




def group_title() -> str:
    """What the rows' groups are called on a chart: ``"Source type"``, or the grouping's title."""
    g = current_grouping()
    return "Source type" if g is None else g.title


def other_grouping() -> bool:
    """Whether the charts draw groups of another column than the source types (inside ``grouped``)."""
    return current_grouping() is not None


def group_words(many: bool = False) -> str:
    """What a group is called in a title: "source type(s)", or the grouping's words ("outlet", "group of mbfc")."""
    g = current_grouping()
    return ("source types" if many else "source type") if g is None else g.words(many)


def group_name(grouping: Grouping | None = None) -> str:
    """What the groups are called after "by": "source type", "outlet", or another column's name as it is;
    of ``grouping``, or of the charts' grouping (``grouped``)."""
    g = grouping if grouping is not None else current_grouping()
    if g is None or g.by_type:
        return "source type"
    return g.words() if g.column in ARTICLE_FIELDS else g.column


def left_out_note(left_out: int) -> str:
    """The title line of a chart of groups that leaves out its ``left_out`` smallest groups ("" for none)."""
    if not left_out:
        return ""
    return f"{plural(left_out, 'more group')} with fewer articles not drawn (all are in the CSV files)"


def type_name(source_type: str) -> str:
    """A source type (or group) as a chart label: its name for people, or the value itself, escaped."""
    g = current_grouping()
    return escape(type_label(source_type) if g is None else g.label(source_type))


def type_color(source_type: str) -> str:
    """A source type's colour: its own, or one of ``EXTRA_COLORS`` picked by its name (the same in every run);
    a group's: the grouping's (``legend.group_colors``)."""
    g = current_grouping()
    if g is not None:
        return group_colors(g).get(str(source_type), "#999999")
    if source_type in TYPE_COLORS:
        return TYPE_COLORS[source_type]
    return EXTRA_COLORS[sum(map(ord, str(source_type))) % len(EXTRA_COLORS)]


def label_color(source_type: str) -> str:
    """The colour of text about a source type or group: its colour; a group's darkened until it reads on white
    (``legend.text_color``; yellow text is unreadable)."""
    if current_grouping() is None:
        return type_color(source_type)
    return text_color(type_color(source_type))


def type_sort_key(source_type: str) -> tuple[int, str]:
    """The rows' order: the source types' fixed one, or the grouping's."""
    g = current_grouping()
    return type_key(source_type) if g is None else g.key(source_type)


def style_color(column: str, i: int) -> str:
    """The colour of the ``i``-th style column ``style_<type>``: its type's, or the ``i``-th extra colour."""
    t = column.removeprefix("style_")
    return TYPE_COLORS.get(t, EXTRA_COLORS[i % len(EXTRA_COLORS)])


def ordered(scores: pd.DataFrame) -> pd.DataFrame:
    """Articles sorted by source type (fixed order), then id; ``source_type`` as text.

    Above ``MAX_SIMILARITY_ARTICLES`` rows no chart shows articles one by one, and the
    rows come in id order already (a report's do): a stable sort by type
    keeps that order without comparing a million ids.
    """
    df = scores.copy()
    df["source_type"] = df["source_type"].astype(str)
    keys = {t: type_sort_key(t) for t in set(df["source_type"])}
    rank = {t: i for i, t in enumerate(sorted(keys, key=keys.__getitem__))}
    df["_key"] = df["source_type"].map(rank)
    if len(df) > MAX_SIMILARITY_ARTICLES:
        return df.sort_values("_key", kind="stable").drop(columns="_key").reset_index(drop=True)
    df["article_id"] = df["article_id"].astype(str)
    return df.sort_values(["_key", "article_id"], kind="stable").drop(columns="_key").reset_index(drop=True)


def types_in(df: pd.DataFrame) -> list[str]:
    """The source types of ``df``'s articles, in the fixed order."""
    return sorted(set(df["source_type"]), key=type_sort_key)


def row_label(row: pd.Series) -> str:
    """An article's tick label: ``id · outlet``, each shortened."""
    outlet = shorten(row.get("outlet", ""), 20)
    label = shorten(row["article_id"], 18)
    return escape(f"{label} · {outlet}" if outlet else label)


def type_legend(fig: Figure, df: pd.DataFrame, title: str | None = None) -> None:
    """A legend below ``fig`` of the source types (groups) of ``df``, each with its number of articles."""
    from matplotlib.patches import Patch

    title = escape(title or group_title())
    counts = df["source_type"].value_counts()
    handles = [Patch(color=type_color(t), label=f"{type_name(t)} (n={counts[t]})") for t in types_in(df)]
    if handles:
        fig.legend(handles=handles, title=title, loc="outside lower center", ncols=2, fontsize=8)


def color_ticks(labels: Iterable[Text], types: Iterable[str]) -> None:
    """Colour each tick label by its row's source type (``label_color``)."""
    for label, t in zip(labels, types):
        label.set_color(label_color(t))


def placeholder(ax: Axes, message: str) -> None:
    """``message`` in the middle of an empty ``ax``: a chart with nothing to draw says why."""
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, fontsize=11, color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])


def encode(fig: Figure, name: str) -> dict[str, bytes]:
    """The figure as PNG (150 dpi) and SVG bytes (raster parts at ``SVG_RASTER_DPI``); no date, so the
    same input gives the same bytes."""
    out = {}
    for suffix, kwargs in (("png", {"dpi": 150}), ("svg", {"metadata": {"Date": None}, "dpi": SVG_RASTER_DPI})):
        buffer = io.BytesIO()
        fig.savefig(buffer, format=suffix, **kwargs)
        out[f"{name}.{suffix}"] = buffer.getvalue()
        # Laid out once: the SVG keeps the PNG's layout instead of solving it again.
        fig.set_layout_engine("none")
    fig.clear()
    return out


def dot_cap(n_rows: int) -> int:
    """Dots per group and row of a chart of ``n_rows`` such rows: ``MAX_DOTS``, or its share of ``MAX_CHART_DOTS``."""
    return max(1, min(MAX_DOTS, MAX_CHART_DOTS // max(n_rows, 1)))


def sample_dots(values: np.ndarray, rng: np.random.Generator, cap: int = MAX_DOTS) -> np.ndarray:
    """The values to draw as dots: all of them (NaN left out), or a seeded sample of ``cap``."""
    values = values[~np.isnan(values)]
    if len(values) <= cap:
        return values
    return values[np.sort(rng.choice(len(values), cap, replace=False))]


def count_dots(df: pd.DataFrame, columns: Sequence[str], cap: int) -> int:
    """How many dots a chart of ``columns`` per source type draws (``sample_dots`` of each group and column)."""
    counts = df.groupby("source_type")[list(columns)].count().to_numpy()
    return int(np.minimum(counts, cap).sum())


def color_range(values: np.ndarray, floor: float | None = None) -> tuple[float, float, bool]:
    """The colour scale of a heatmap's ``values`` (NaN ignored): ``(low, high, robust)``.

    The 2nd-98th percentiles (``robust``) from ``ROBUST_FROM`` values on,
    their full range below; ``floor`` fixes the low end (rates: 0 means
    absent in every run). A flat range is widened so that the one value
    still gets a colour.
    """
    finite = values[np.isfinite(values)]
    robust = finite.size >= ROBUST_FROM
    if not finite.size:
        low, high = 0.0, 1.0
    elif robust:
        low, high = (float(v) for v in np.percentile(finite, ROBUST_PERCENTILES))
    else:
        low, high = float(finite.min()), float(finite.max())
    if floor is not None:
        low = floor
    if high <= low:
        high = low + (abs(low) * 0.1 or 1.0)
    return low, high, robust


def extend(values: np.ndarray, low: float, high: float) -> str:
    """The colour bar's arrows: which ends of the scale some values lie beyond."""
    finite = values[np.isfinite(values)]
    below, above = bool((finite < low).any()), bool((finite > high).any())
    return {(False, False): "neither", (True, False): "min", (False, True): "max", (True, True): "both"}[below, above]


def group_means(df: pd.DataFrame, types: Sequence[str], dims: Sequence[str],
                summary: pd.DataFrame | None) -> pd.DataFrame:
    """Each source type's mean rate (rows, in ``types`` order) per rate column (``dims``).

    Read from ``summary.csv``'s ``mean`` (the engine's figure; columns are
    named ``<lexicon>.<category>``). Only a caller without a summary that has
    every one of these cells (the Python API's own calls, the tests) gets the
    mean of ``df``'s articles instead: the same figure, up to rounding.
    """
    if summary is not None and len(summary) and "mean" in summary.columns:
        column = summary["lexicon"].astype(str) + "." + summary["category"].astype(str)
        table = (summary.assign(_column=column, source_type=summary["source_type"].astype(str))
                 .pivot(index="source_type", columns="_column", values="mean")
                 .reindex(index=list(types), columns=list(dims)))
        if not table.isna().to_numpy().any():
            table.columns.name = table.index.name = None
            return table.astype(float)
    return df.groupby("source_type")[list(dims)].mean().reindex(list(types))
