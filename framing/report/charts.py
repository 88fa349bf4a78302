"""Comparative charts of one analysis, each written as PNG and SVG.

* ``rates_by_source_type``: mean rate per 1,000 tokens of every framing
  dimension per source type (bars), with each article as a jittered point.
* ``dimensions_heatmap``: articles x framing dimensions, coloured by rate
  (source-type means when there are more than ``MAX_ROWS`` articles).
* ``style_scores``: each article's style score per labelled source type, i.e.
  how much it resembles that group (the distribution per actual source type
  when there are more than ``MAX_ROWS`` articles).
* ``distinctive_terms``: the top terms of each source type by the z-score of
  their log-odds ratio against the rest (``framing.stats.distinctive``).
* ``similarity``: article x article TF-IDF cosine similarity (mean similarity
  within and between source types above ``MAX_SIMILARITY_ARTICLES`` articles).
* ``evaluation``: the classifier's out-of-fold F1, overall and per type,
  beside the two baselines of ``evaluation.csv``.

Scales hold for any corpus: heatmap colours are fitted to the values (the
2nd-98th percentiles from ``ROBUST_FROM`` values on, similarity without its
diagonal), the rates axis ends at the groups rather than the outliers (those
beyond are counted at its edge), tied z-scores rank nothing, and the dot
charts sample and rasterise so that no SVG reaches 1 MB (``MAX_DOTS``,
``MAX_CHART_DOTS``, ``RASTER_DOTS``).

File names are fixed; no input text ever reaches a path. Input text that
does reach a label is escaped so that ``$`` is never read as mathtext.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # matplotlib is imported when charts are drawn, so --no-charts runs never load it
    from matplotlib.figure import Figure

from ..defaults import MAX_SIMILARITY_ARTICLES, MIN_GROUP_ARTICLES
from ..types import TYPE_LABELS, type_key
from .legend import CHART_NAMES, EXTRA_COLORS, TYPE_COLORS

__all__ = ["CHART_NAMES", "MAX_CHART_DOTS", "MAX_DOTS", "MAX_ROWS", "RASTER_DOTS", "render_charts"]

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
AXIS_PERCENTILE = 99.0  # the rates axis ends past this percentile of the article rates (or the bars)
CLIP_SLACK = 1.25  # ... unless every rate fits within this much more room
MAX_TICKS = 40
TOP_TERMS = 15
RATE_LABEL = "Rate per 1,000 tokens"

CMAP = "viridis"
_RC = {"svg.hashsalt": "framing", "svg.fonttype": "none", "text.usetex": False}


def _esc(text: object) -> str:
    """Input text as a literal label: an unescaped ``$`` would start mathtext."""
    return str(text).replace("$", r"\$")


def _short(text: object, width: int) -> str:
    s = "" if text is None or (isinstance(text, float) and np.isnan(text)) else str(text)
    s = " ".join(s.split())  # newlines in a tick label would break the row spacing
    return s if len(s) <= width else s[: width - 1] + "…"


def _type_label(t: str) -> str:
    return TYPE_LABELS.get(t, _esc(t))


def _type_color(t: str) -> str:
    if t in TYPE_COLORS:
        return TYPE_COLORS[t]
    return EXTRA_COLORS[sum(map(ord, str(t))) % len(EXTRA_COLORS)]


def _style_color(column: str, i: int) -> str:
    t = column.removeprefix("style_")
    return TYPE_COLORS.get(t, EXTRA_COLORS[i % len(EXTRA_COLORS)])


def _ordered(scores: pd.DataFrame) -> pd.DataFrame:
    """Articles sorted by source type (fixed order), then id.

    Above ``MAX_SIMILARITY_ARTICLES`` rows no chart shows articles one by one, and the
    rows come in id order already (a report's do): a stable sort by type
    keeps that order without comparing a million ids.
    """
    df = scores.copy()
    df["source_type"] = df["source_type"].astype(str)
    keys = {t: type_key(t) for t in set(df["source_type"])}
    rank = {t: i for i, t in enumerate(sorted(keys, key=keys.__getitem__))}
    df["_key"] = df["source_type"].map(rank)
    if len(df) > MAX_SIMILARITY_ARTICLES:
        return df.sort_values("_key", kind="stable").drop(columns="_key").reset_index(drop=True)
    df["article_id"] = df["article_id"].astype(str)
    return df.sort_values(["_key", "article_id"], kind="stable").drop(columns="_key").reset_index(drop=True)


def _types(df: pd.DataFrame) -> list[str]:
    return sorted(set(df["source_type"]), key=type_key)


def _row_label(row: pd.Series) -> str:
    outlet = _short(row.get("outlet", ""), 20)
    label = _short(row["article_id"], 18)
    return _esc(f"{label} · {outlet}" if outlet else label)


def _type_legend(fig: Figure, df: pd.DataFrame, title: str = "Source type") -> None:
    from matplotlib.patches import Patch

    counts = df["source_type"].value_counts()
    handles = [Patch(color=_type_color(t), label=f"{_type_label(t)} (n={counts[t]})") for t in _types(df)]
    if handles:
        fig.legend(handles=handles, title=title, loc="outside lower center", ncols=2, fontsize=8)


def _color_ticks(labels, types) -> None:
    for label, t in zip(labels, types):
        label.set_color(_type_color(t))


def _placeholder(ax, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, fontsize=11, color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])


def _encode(fig: Figure, name: str) -> dict[str, bytes]:
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


def _dot_cap(n_rows: int) -> int:
    """Dots per group and row of a chart of ``n_rows`` such rows: ``MAX_DOTS``, or its share of ``MAX_CHART_DOTS``."""
    return max(1, min(MAX_DOTS, MAX_CHART_DOTS // max(n_rows, 1)))


def _dots(values: np.ndarray, rng: np.random.Generator, cap: int = MAX_DOTS) -> np.ndarray:
    """The values to draw as dots: all of them (NaN left out), or a seeded sample of ``cap``."""
    values = values[~np.isnan(values)]
    if len(values) <= cap:
        return values
    return values[np.sort(rng.choice(len(values), cap, replace=False))]


def _n_dots(df: pd.DataFrame, columns: Sequence[str], cap: int) -> int:
    """How many dots a chart of ``columns`` per source type draws (``_dots`` of each group and column)."""
    counts = df.groupby("source_type")[list(columns)].count().to_numpy()
    return int(np.minimum(counts, cap).sum())


def _color_range(values: np.ndarray, floor: float | None = None) -> tuple[float, float, bool]:
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


def _extend(values: np.ndarray, low: float, high: float) -> str:
    """The colour bar's arrows: which ends of the scale some values lie beyond."""
    finite = values[np.isfinite(values)]
    below, above = bool((finite < low).any()), bool((finite > high).any())
    return {(False, False): "neither", (True, False): "min", (False, True): "max", (True, True): "both"}[below, above]


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


def _rates_by_source_type(
    df: pd.DataFrame, dims: Mapping[str, str], intervals: Mapping[tuple[str, str], tuple[float, float]]
) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.transforms import offset_copy

    types = _types(df)
    counts = df["source_type"].value_counts()
    n_dims, n_types = len(dims), max(len(types), 1)
    fig = Figure(figsize=(9, max(3.0, 2.0 + n_dims * (0.22 * n_types + 0.2))), layout="constrained")
    ax = fig.add_subplot()
    cap = _dot_cap(n_dims * n_types)
    sampled = int(counts.max()) > cap if len(df) else False
    dots = f"dots: articles (at most {cap:,} per group, a random sample)" if sampled else "dots: articles"
    title = ["Framing rates by source type", "bars: group mean · black: its 95 % interval, outlets resampled", dots]
    if not dims or not types:
        ax.set_title("\n".join(title), fontsize=9)
        _placeholder(ax, "no framing dimensions to chart" if not dims else "no articles")
        ax.set_xlabel(RATE_LABEL)
        return fig
    means = df.groupby("source_type")[list(dims)].mean().reindex(types)
    reach = [*means.to_numpy(dtype=float).ravel(),
             *(v for (t, c), iv in intervals.items() if t in means.index and c in dims for v in iv)]
    xmax = _rates_axis(df, list(dims), reach)
    values = df[list(dims)].to_numpy(dtype=float)
    beyond = values[np.isfinite(values) & (values > xmax)]
    if beyond.size:
        many = "s lie" if beyond.size != 1 else " lies"
        title.append(f"{beyond.size:,} article rate{many} beyond the axis (up to {_fmt(float(beyond.max()))}): "
                     "counted at its right edge (▸ n)")
    ax.set_title("\n".join(title), fontsize=9)
    rng = np.random.default_rng(0)
    rasterized = _n_dots(df, list(dims), cap) > RASTER_DOTS
    # x just past the axes' right edge, y in data: one count per row, not a pile of markers.
    edge = offset_copy(ax.get_yaxis_transform(), fig=fig, x=2, units="points")
    height = 0.8 / n_types
    centers = np.arange(n_dims)
    for j, t in enumerate(types):
        group = df[df["source_type"] == t]
        offset = (j - (n_types - 1) / 2) * height
        group_means = np.nan_to_num(means.loc[t].to_numpy(dtype=float))
        ax.barh(centers + offset, group_means, height=height * 0.9, color=_type_color(t), alpha=0.75,
                label=f"{_type_label(t)} (n={counts[t]})")
        # Thousands of dots would hide the bars: fade them as the group grows,
        # and mark each mean with a line drawn above the dots.
        alpha = 0.7 if len(group) <= 50 else max(0.04, 20 / len(group))
        size = 10 if len(group) <= 50 else 4
        for i, c in enumerate(dims):
            y = centers[i] + offset
            shown = _dots(group[c].to_numpy(dtype=float), rng, cap)
            jitter = y + rng.uniform(-0.3, 0.3, len(shown)) * height
            inside = shown <= xmax
            ax.scatter(shown[inside], jitter[inside], s=size, color="black", alpha=max(alpha, 20 / cap),
                       linewidths=0, zorder=3, rasterized=rasterized)
            out = int((group[c].to_numpy(dtype=float) > xmax).sum())  # all of the group's articles, not the sample
            if out:
                ax.text(1.0, y, f"▸ {out:,}", transform=edge, ha="left", va="center", fontsize=6,
                        color="#333333", clip_on=False, zorder=6)  # after the dots: one raster of them in the SVG
            ax.plot([group_means[i]] * 2, [y - height * 0.45, y + height * 0.45], color=_type_color(t),
                    linewidth=2.5, zorder=4)
            low, high = intervals.get((str(t), c), (np.nan, np.nan))
            if np.isfinite(low) and np.isfinite(high):  # the outlet bootstrap of summary.csv
                ax.plot([low, high], [y, y], color="black", linewidth=1.2, zorder=5)
                ax.plot([low, low], [y - height * 0.2, y + height * 0.2], color="black", linewidth=1.2, zorder=5)
                ax.plot([high, high], [y - height * 0.2, y + height * 0.2], color="black", linewidth=1.2, zorder=5)
    ax.set_yticks(centers, [_esc(_short(label, 40)) for label in dims.values()])
    ax.set_ylim(n_dims - 0.5, -0.5)  # first dimension on top, as listed in the lexicon
    ax.set_xlim(0, xmax)
    ax.set_xlabel(RATE_LABEL)
    ax.set_ylabel("Framing dimension")
    ax.grid(axis="x", alpha=0.3)
    fig.legend(title="Source type", loc="outside lower center", ncols=2, fontsize=8)
    return fig


def _dimensions_heatmap(df: pd.DataFrame, dims: Mapping[str, str]) -> Figure:
    from matplotlib.figure import Figure

    aggregate = len(df) > MAX_ROWS
    if aggregate:
        types = _types(df)
        counts = df["source_type"].value_counts()
        values = df.groupby("source_type")[list(dims)].mean().reindex(types).to_numpy(dtype=float)
        row_labels = [f"{_type_label(t)} (n={counts[t]})" for t in types]
        row_types = types
        title = f"Framing rates: mean per source type\n({len(df)} articles, too many to show one by one)"
    else:
        values = df[list(dims)].to_numpy(dtype=float)
        row_labels = [_row_label(r) for _, r in df.iterrows()]
        row_types = list(df["source_type"])
        title = "Framing rates per article"
    n_rows = max(len(row_labels), 1)
    fig = Figure(figsize=(max(8.0, 3.5 + 0.6 * len(dims)), 3.2 + 0.26 * n_rows), layout="constrained")
    ax = fig.add_subplot()
    ax.set_title(title)
    if not dims or not row_labels:
        _placeholder(ax, "no framing dimensions to chart" if not dims else "no articles")
        return fig
    # Rates are >= 0; a fixed floor of 0 keeps zero meaning "absent" in every run. The top
    # is robust, so that one article at 50 per 1,000 does not leave the others dark.
    _, vmax, robust = _color_range(values, floor=0.0)
    im = ax.imshow(np.ma.masked_invalid(values), cmap=CMAP, vmin=0, vmax=vmax, aspect="auto",
                   interpolation="nearest")
    ax.set_xticks(np.arange(len(dims)), [_esc(_short(label, 30)) for label in dims.values()],
                  rotation=35, ha="right", rotation_mode="anchor")
    ax.set_yticks(np.arange(len(row_labels)), row_labels, fontsize=8)
    _color_ticks(ax.get_yticklabels(), row_types)
    if values.size <= 300:
        for (i, j), v in np.ndenumerate(values):
            if np.isfinite(v):
                dark = v < 0.6 * vmax  # viridis is dark at the low end
                ax.text(j, i, f"{v:.1f}", ha="center", va="center", fontsize=7, color="white" if dark else "black")
    ax.set_xlabel("Framing dimension")
    ax.set_ylabel("Source type" if aggregate else "Article (id · outlet)")
    bar = fig.colorbar(im, ax=ax, shrink=0.8, extend=_extend(values, 0.0, vmax))
    how = f"0 to percentile {ROBUST_PERCENTILES[1]:g} of the cells" if robust else "0 to the largest cell"
    bar.set_label(f"{RATE_LABEL}\ncolours: {how}", fontsize=9)
    if not aggregate:
        _type_legend(fig, df)
    return fig


def _style_scores(df: pd.DataFrame, styles: Mapping[str, str]) -> Figure:
    from matplotlib.figure import Figure

    aggregate = len(df) > MAX_ROWS
    cols = list(styles)
    n_rows = len(_types(df)) if aggregate else len(df)
    per_row = 0.14 * max(len(cols), 1) + 0.1
    fig = Figure(figsize=(9, max(3.0, 2.4 + n_rows * per_row * (2 if aggregate else 1))), layout="constrained")
    ax = fig.add_subplot()
    what = "Style score: how much each article resembles each labelled source type"
    cap = _dot_cap(len(_types(df)) * len(cols))
    sampled = aggregate and int(df["source_type"].value_counts().max()) > cap
    how = "distribution per actual source type" if aggregate else "per article"
    if sampled:
        how += f" (dots: at most {cap:,} articles per group, a random sample; medians of all)"
    ax.set_title(f"{what}\n{how}", fontsize=10)
    if not cols or df.empty:
        _placeholder(ax, "no style scores (no labelled source types)" if not cols else "no articles")
        return fig
    height = 0.8 / len(cols)
    offsets = [(k - (len(cols) - 1) / 2) * height for k in range(len(cols))]
    if aggregate:
        types = _types(df)
        counts = df["source_type"].value_counts()
        rng = np.random.default_rng(0)
        rasterized = _n_dots(df, cols, cap) > RASTER_DOTS
        for k, c in enumerate(cols):
            color = _style_color(c, k)
            for i, t in enumerate(types):
                v = df.loc[df["source_type"] == t, c].to_numpy(dtype=float)
                v = v[~np.isnan(v)]
                y = i + offsets[k]
                shown = _dots(v, rng, cap)
                ax.scatter(shown, y + rng.uniform(-0.35, 0.35, len(shown)) * height, s=6, color=color, alpha=0.4,
                           linewidths=0, rasterized=rasterized)
                if len(v):  # the median of every article, not of the sample
                    ax.plot([np.median(v)] * 2, [y - height / 2, y + height / 2], color="black", lw=2)
            ax.scatter([], [], color=color, label=_esc(styles[c]))
        ax.plot([], [], color="black", lw=2, label="median")
        row_labels, row_types = [f"{_type_label(t)} (n={counts[t]})" for t in types], types
        ax.set_ylabel("Actual source type")
    else:
        for k, c in enumerate(cols):
            v = df[c].to_numpy(dtype=float)
            ok = ~np.isnan(v)
            ax.barh(np.arange(len(df))[ok] + offsets[k], v[ok], height=height * 0.9, color=_style_color(c, k),
                    label=_esc(styles[c]))
            # An undefined score is not a zero score; mark it instead of drawing nothing.
            for i in np.flatnonzero(~ok):
                ax.text(0.005, i + offsets[k], "n/a", va="center", fontsize=6, color="#555555")
        row_labels, row_types = [_row_label(r) for _, r in df.iterrows()], list(df["source_type"])
        ax.set_ylabel("Article (id · outlet)")
        _type_legend(fig, df, "Actual source type")
    ax.set_yticks(np.arange(len(row_labels)), row_labels, fontsize=8)
    _color_ticks(ax.get_yticklabels(), row_types)
    ax.set_ylim(len(row_labels) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.set_xlabel("Style score (0–1)")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(title="Resemblance to", loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    return fig


def _rankable(n_in: int, n_all: int) -> bool:
    """Whether a group of ``n_in`` of ``n_all`` articles gets a list (the rule of ``terms.csv``)."""
    return n_in >= MIN_GROUP_ARTICLES and n_all - n_in >= MIN_GROUP_ARTICLES


def _tied(a: np.ndarray | float, b: float) -> np.ndarray:
    """Equal z-scores, up to rounding: equal counts give equal z whatever the order of the sums."""
    return np.isclose(a, b, rtol=1e-9, atol=0.0)


def _ranked(rows: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The first ``TOP_TERMS`` of one group's terms (in rank order) that a z-score ranks, and a note.

    Ties are ranked alphabetically by ``terms.csv``, which is no finding: when
    all the top z-scores are equal (one article per group gives that) nothing
    is returned, and terms tied with the first one below the cut are left out,
    since the cut between them is arbitrary.
    """
    z = rows["z"].to_numpy(dtype=float)
    n = min(len(z), TOP_TERMS)
    if n >= 2 and _tied(z[:n], z[0]).all():
        return rows.iloc[:0], f"z-scores all tied (z = {z[0]:.2f}): no ranking"
    cut = n
    while len(z) > n and cut > 0 and _tied(z[cut - 1], z[n]):
        cut -= 1
    left_out = n - cut
    note = f"{left_out} term{'s' if left_out != 1 else ''} tied at the cut left out" if left_out else ""
    return rows.iloc[:cut], note


def _distinctive_terms(terms: pd.DataFrame, df: pd.DataFrame) -> Figure:
    from matplotlib.figure import Figure

    groups = sorted(set(terms["source_type"].astype(str)), key=type_key) if len(terms) else []
    ncols = min(len(groups), 2) or 1
    nrows = -(-len(groups) // ncols) or 1
    size = (6.5 * ncols, 0.8 + 4.6 * nrows) if groups else (9.0, 3.2)
    fig = Figure(figsize=size, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    fig.suptitle(f"Distinctive terms per source type\n(top {TOP_TERMS} by log-odds z-score, Monroe et al. 2008)")
    xlabel = "z-score of the log-odds ratio (group vs rest)"
    counts = df["source_type"].value_counts()
    if not groups:
        if not any(_rankable(int(k), len(df)) for k in counts):
            largest = int(counts.max()) if len(counts) else 0
            why = (f"a ranking needs {MIN_GROUP_ARTICLES} articles in a source type and {MIN_GROUP_ARTICLES} "
                   f"outside it;\nno source type here has both ({len(df)} articles, the largest type {largest})")
        else:
            why = "terms.csv lists none (run.json's notes say why)"
        _placeholder(axes[0], f"no distinctive terms: {why}")
        return fig
    for ax, t in zip(axes, groups):
        n = int(counts.get(t, 0))
        ax.set_title(f"{_type_label(t)} (n={n} article{'s' if n != 1 else ''})", color=_type_color(t))
        ax.set_xlabel(xlabel)
        rows = terms[terms["source_type"].astype(str) == t].sort_values("rank", kind="stable")
        if not _rankable(n, len(df)):
            # terms.csv leaves such groups out; a list handed in anyway is not ranked here.
            _placeholder(ax, f"too few articles for a ranking\n(a list needs {MIN_GROUP_ARTICLES} in the group "
                             f"and {MIN_GROUP_ARTICLES} outside it)")
            continue
        top, note = _ranked(rows)
        if not len(top):
            _placeholder(ax, note or "no terms")
            continue
        y = np.arange(len(top))
        ax.barh(y, top["z"].to_numpy(dtype=float), color=_type_color(t))
        ax.set_yticks(y, [_esc(_short(term, 28)) for term in top["term"]], fontsize=8)
        ax.set_ylim(TOP_TERMS - 0.5, -0.5)  # the same bar height in every panel, first term on top
        if note:
            ax.set_xlabel(f"{xlabel}\n({note})")
        ax.grid(axis="x", alpha=0.3)
    for ax in axes[len(groups):]:
        ax.set_visible(False)
    return fig


def _type_similarity(sim: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    """Mean similarity of article pairs within and between source types."""
    types = _types(df)
    table = pd.DataFrame(np.nan, index=types, columns=types)
    matrix = sim.to_numpy(dtype=float)
    masks = {t: (df["source_type"] == t).to_numpy() for t in types}
    for a in types:
        for b in types:
            block = matrix[np.ix_(masks[a], masks[b])]
            if a == b:  # self-similarity is always 1 and would inflate the within-group mean
                block = block[~np.eye(len(block), dtype=bool)]
            if block.size:
                table.loc[a, b] = float(np.nanmean(block))
    return table


def _evaluation(evaluation: pd.DataFrame | None) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 4.2), layout="constrained")
    ax = fig.add_subplot()
    e = evaluation if evaluation is not None else pd.DataFrame()
    if not len(e):
        ax.set_title("Source-type classifier")
        _placeholder(ax, "no classifier trained (too few labelled articles; see evaluation.csv's note)")
        return fig
    models = ["classifier", "tfidf_only", "majority"]
    names = {"classifier": "classifier (terms + rates)", "tfidf_only": "TF-IDF only", "majority": "majority class"}
    f1 = e[e["metric"] == "f1"]
    classes = sorted(set(f1["true_type"].astype(str)), key=type_key)
    groups = ["macro-F1", *(_type_label(c) for c in classes)]
    width = 0.8 / len(models)
    for k, m in enumerate(models):
        mine = e[e["model"] == m]
        macro = mine[mine["metric"] == "macro_f1"]["value"]
        values = [float(macro.iloc[0]) if len(macro) else np.nan]
        for c in classes:
            v = mine[(mine["metric"] == "f1") & (mine["true_type"].astype(str) == c)]["value"]
            values.append(float(v.iloc[0]) if len(v) else np.nan)
        x = np.arange(len(groups)) + (k - (len(models) - 1) / 2) * width
        ax.bar(x, values, width=width * 0.9, label=names[m], color=("#000000", "#999999", "#DDDDDD")[k],
               edgecolor="black", linewidth=0.5)
    first = e.iloc[0]
    sup = e[(e["model"] == "classifier") & (e["metric"] == "support")]
    support = dict(zip(sup["true_type"].astype(str), sup["value"].astype(int)))
    ticks = [groups[0], *(f"{g}\n(n={support.get(c, 0)})" for g, c in zip(groups[1:], classes))]
    ax.set_xticks(np.arange(len(groups)), ticks)
    ax.set_ylim(0, 1)
    ax.set_ylabel("F1 (0-1), out-of-fold")
    ax.set_title(f"Source-type classifier, {int(first['n_folds'])} folds {first['folds']}", fontsize=9)
    ax.grid(axis="y", alpha=0.3)
    fig.legend(loc="outside lower center", ncols=3, fontsize=8)
    return fig


def _similarity(sim: pd.DataFrame, df: pd.DataFrame) -> Figure:
    from matplotlib.figure import Figure

    ids = set(df["article_id"])
    index = [str(i) for i in sim.index]
    per_article = bool(index) and set(index) <= ids
    counts = df["source_type"].value_counts()
    if per_article:
        sim = sim.copy()
        sim.index, sim.columns = index, [str(c) for c in sim.columns]
        df = df[df["article_id"].isin(index)]
        sim = sim.reindex(index=df["article_id"], columns=df["article_id"])
        if len(df) > MAX_SIMILARITY_ARTICLES:
            sim, per_article = _type_similarity(sim, df), False
    else:
        # The pipeline passes only the source-type table for large corpora.
        sim = sim.copy()
        sim.index, sim.columns = index, [str(c) for c in sim.columns]
        order = sorted(index, key=type_key)
        sim = sim.reindex(index=order, columns=order)
    n = len(sim)
    side = min(14.0, 4.5 + 0.22 * n) if per_article and n <= MAX_TICKS else 8.0
    fig = Figure(figsize=(side + 1.8, side), layout="constrained")
    ax = fig.add_subplot()
    if n == 0:
        ax.set_title("TF-IDF cosine similarity")
        _placeholder(ax, "no articles")
        return fig
    values = sim.to_numpy(dtype=float)
    # The scale is fitted to the pairs: TF-IDF similarities of real articles lie around
    # 0.03-0.06, which a 0-1 scale shows as one dark square. An article with itself (1.0)
    # says nothing: it is left out of the fit and drawn white, apart from the top colour
    # that marks the most similar pairs.
    fitted = values.copy()
    if per_article:
        np.fill_diagonal(fitted, np.nan)
    low, high, robust = _color_range(fitted)
    import matplotlib
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize, to_rgba

    norm = Normalize(low, high, clip=True)
    rgba = matplotlib.colormaps[CMAP](norm(np.nan_to_num(fitted)))
    rgba[~np.isfinite(fitted)] = to_rgba("#DDDDDD")  # undefined: a type of one article has no within-type pair
    if per_article:
        rgba[np.eye(n, dtype=bool)] = (1.0, 1.0, 1.0, 1.0)
    ax.imshow(rgba, interpolation="nearest")
    im = ScalarMappable(norm=Normalize(low, high), cmap=CMAP)
    if per_article:
        ax.set_title(f"TF-IDF cosine similarity between articles (n={n})\n"
                     "(white diagonal: an article with itself, 1.0, left out of the colour scale)", fontsize=10)
        types = list(df["source_type"])
        # Group boundaries make the within-type blocks readable without tick labels.
        for edge in np.flatnonzero(np.array(types[1:]) != np.array(types[:-1])) + 0.5:
            ax.axhline(edge, color="white", lw=1)
            ax.axvline(edge, color="white", lw=1)
        if n <= MAX_TICKS:
            labels = [_esc(_short(i, 18)) for i in df["article_id"]]
            ax.set_xticks(np.arange(n), labels, rotation=90, fontsize=7)
            ax.set_yticks(np.arange(n), labels, fontsize=7)
            _color_ticks(ax.get_xticklabels(), types)
            _color_ticks(ax.get_yticklabels(), types)
        else:
            ax.set_xticks([])
            ax.set_yticks([])
        ax.set_xlabel("Article (by source type, then id)")
        ax.set_ylabel("Article (by source type, then id)")
        _type_legend(fig, df)
    else:
        ax.set_title("TF-IDF cosine similarity: mean over article pairs within and between source types\n"
                     f"({len(df)} articles, too many to show one by one; grey = undefined)", fontsize=10)
        labels = [f"{_type_label(t)} (n={int(counts.get(t, 0))})" for t in sim.index]
        ax.set_xticks(np.arange(n), labels, rotation=30, ha="right", rotation_mode="anchor")
        ax.set_yticks(np.arange(n), labels)
        # Enough decimals to tell apart the cells the colours tell apart (0.026 and 0.034 are not both 0.03).
        decimals = min(4, max(2, int(np.ceil(-np.log10(high - low))) + 1))
        for (i, j), v in np.ndenumerate(values):
            text = f"{v:.{decimals}f}" if np.isfinite(v) else "n/a"
            dark = not np.isfinite(v) or (v - low) < 0.6 * (high - low)  # viridis is dark at the low end
            ax.text(j, i, text, ha="center", va="center", fontsize=9, color="white" if dark and np.isfinite(v) else
                    "black")
        ax.set_xlabel("Source type")
        ax.set_ylabel("Source type")
    bar = fig.colorbar(im, ax=ax, shrink=0.8, extend=_extend(fitted, low, high))
    what = "pairs" if per_article else "cells"
    how = (f"percentiles {ROBUST_PERCENTILES[0]:g}–{ROBUST_PERCENTILES[1]:g} of the {what}" if robust
           else f"smallest to largest of the {what}")
    bar.set_label(f"Cosine similarity (TF-IDF)\ncolours: {how}", fontsize=9)
    return fig


def _intervals(summary: pd.DataFrame | None) -> dict[tuple[str, str], tuple[float, float]]:
    """(source type, ``lexicon.category``) -> the 95 % interval of ``summary.csv``."""
    if summary is None or not len(summary) or "ci_low" not in summary.columns:
        return {}
    keys = zip(summary["source_type"].astype(str), summary["lexicon"].astype(str) + "." + summary["category"].astype(str))
    return dict(zip(keys, zip(summary["ci_low"].astype(float), summary["ci_high"].astype(float))))


def render_charts(
    scores: pd.DataFrame,
    terms: pd.DataFrame,
    similarity: pd.DataFrame,
    dimensions: Mapping[str, str],
    styles: Mapping[str, str],
    names: Sequence[str] = CHART_NAMES,
    summary: pd.DataFrame | None = None,
    evaluation: pd.DataFrame | None = None,
) -> dict[str, bytes]:
    """Render the charts as PNG and SVG; return file name -> bytes (writes nothing).

    Parameters
    ----------
    scores : pandas.DataFrame
        One row per article: ``article_id``, ``outlet``, ``source_type``, the
        rate columns named in ``dimensions`` and the style columns named in
        ``styles`` (NaN where a style score is undefined).
    terms : pandas.DataFrame
        Distinctive terms: ``source_type``, ``rank``, ``term``, ``z``.
    similarity : pandas.DataFrame
        Article x article cosine similarity indexed by ``article_id``, or the
        source type x source type mean similarity.
    dimensions : Mapping[str, str]
        Rate column -> human label, in display order. Columns missing from
        ``scores`` are left out.
    styles : Mapping[str, str]
        ``style_<type>`` column -> human label, in display order. Columns
        missing from ``scores`` are left out.

    names : sequence of str
        Which charts (default: all of ``CHART_NAMES``); each is drawn on its
        own, so the writer may draw them in several processes.
    summary : pandas.DataFrame, optional
        ``summary.csv``: its ``ci_low``/``ci_high`` are drawn on the rates
        chart (columns named ``<lexicon>.<category>``).
    evaluation : pandas.DataFrame, optional
        ``evaluation.csv``, for the ``evaluation`` chart (a placeholder without it).

    Returns
    -------
    dict of str to bytes
        ``<chart>.png`` (150 dpi) and ``<chart>.svg`` for each name, in order.
    """
    import matplotlib

    df = _ordered(scores)
    dims = {c: str(label) for c, label in dimensions.items() if c in df.columns}
    style_cols = {c: str(label) for c, label in styles.items() if c in df.columns}
    files: dict[str, bytes] = {}
    with matplotlib.rc_context(_RC):
        figures = {
            "rates_by_source_type": lambda: _rates_by_source_type(df, dims, _intervals(summary)),
            "dimensions_heatmap": lambda: _dimensions_heatmap(df, dims),
            "style_scores": lambda: _style_scores(df, style_cols),
            "distinctive_terms": lambda: _distinctive_terms(terms, df),
            "similarity": lambda: _similarity(similarity, df),
            "evaluation": lambda: _evaluation(evaluation),
        }
        unknown = [n for n in names if n not in figures]
        if unknown:
            raise ValueError(f"unknown chart {unknown[0]!r}; charts are {', '.join(CHART_NAMES)}")
        for name in names:
            # One figure at a time: large corpora make big figures.
            files.update(_encode(figures[name](), name))
    return files
