"""Comparative charts of one analysis, each rendered as PNG and SVG bytes.

One module per chart family; ``render_charts`` draws the ones asked for.

* ``rates_by_source_type`` (``rates``): mean rate per 1,000 tokens of every
  framing dimension per source type (bars), with each article as a jittered point.
* ``dimensions_heatmap`` (``heatmap``): articles x framing dimensions,
  coloured by rate (source-type means when there are more than ``MAX_ROWS``
  articles).
* ``style_scores`` (``styles``): each article's style score per labelled
  source type, i.e. how much it resembles that group (the distribution per
  actual source type when there are more than ``MAX_ROWS`` articles).
* ``distinctive_terms`` (``terms``): the top terms of each source type by the
  z-score of their log-odds ratio against the rest (``terms.csv``).
* ``similarity`` (``similarity``): article x article TF-IDF cosine similarity
  (the engine's mean similarity within and between source types above
  ``MAX_SIMILARITY_ARTICLES`` articles).
* ``evaluation`` (``evaluation``): the classifier's out-of-fold F1, overall
  and per type, beside the two baselines of ``evaluation.csv``.

Charts draw the figures of the tables handed in (``summary.csv``'s group means
and intervals, ``terms.csv``, the engine's similarity tables,
``evaluation.csv``) and derive none of them; the one figure of their own is
the median style score per source type, which no table holds. What they
decide is how to show the figures: heatmap colours are
fitted to the values (the 2nd-98th percentiles from ``ROBUST_FROM`` values on,
similarity without its diagonal), the rates axis ends at the groups rather
than the outliers (those beyond are counted at its edge), tied z-scores rank
nothing, and the dot charts sample and rasterise so that no SVG reaches 1 MB
(``MAX_DOTS``, ``MAX_CHART_DOTS``, ``RASTER_DOTS``; see ``common``).

File names are fixed; no input text ever reaches a path. Input text that
does reach a label is escaped so that ``$`` is never read as mathtext.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from ...grouping import Grouping, renamed
from ..legend import CHART_NAMES, GROUP_CHARTS, group_colors
from .common import (
    MAX_CHART_DOTS,
    MAX_DOTS,
    MAX_ROWS,
    RASTER_DOTS,
    RC_PARAMS,
    encode,
    group_name,
    grouped,
    left_out_note,
    ordered,
)
from .evaluation import evaluation_chart
from .heatmap import dimensions_heatmap
from .rates import rates_by_source_type
from .similarity import similarity_chart
from .styles import style_scores
from .terms import distinctive_terms

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["CHART_NAMES", "MAX_CHART_DOTS", "MAX_DOTS", "MAX_ROWS", "RASTER_DOTS", "render_charts"]


def render_charts(
    scores: pd.DataFrame,
    terms: pd.DataFrame,
    similarity: pd.DataFrame | None,
    dimensions: Mapping[str, str],
    styles: Mapping[str, str],
    names: Sequence[str] = CHART_NAMES,
    summary: pd.DataFrame | None = None,
    evaluation: pd.DataFrame | None = None,
    *,
    type_similarity: pd.DataFrame | None = None,
    grouping: Grouping | None = None,
    timeline: pd.DataFrame | None = None,
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
    similarity : pandas.DataFrame or None
        Article x article cosine similarity indexed by ``article_id`` (drawn
        up to ``MAX_SIMILARITY_ARTICLES`` articles), or the source type x
        source type mean similarity; ``None``: draw ``type_similarity``.
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
        ``summary.csv``: its ``mean`` is the bars of the rates chart and the
        rows of the aggregated heatmap, its ``ci_low``/``ci_high`` the
        intervals on the rates chart (columns named ``<lexicon>.<category>``).
        Without it (or with cells missing) those charts average the articles
        of ``scores`` themselves, and draw no intervals.
    evaluation : pandas.DataFrame, optional
        ``evaluation.csv``, for the ``evaluation`` chart (a placeholder without it).
    type_similarity : pandas.DataFrame, optional
        The source type x source type mean similarity
        (``AnalysisResult.type_similarity``), drawn when ``similarity`` is
        ``None`` or has more than ``MAX_SIMILARITY_ARTICLES`` articles; the
        chart never derives it from the article matrix (without it, the
        chart says that it is missing).
    grouping : Grouping, optional
        What the group charts (rates, heatmap, distinctive terms, timeline)
        compare when it is not the source types: ``scores`` then has a
        ``group`` column, and ``summary`` and ``terms`` name their group
        column after ``grouping.column``. At most ``MAX_CHART_GROUPS``
        groups are drawn (those with the most articles); a note on the
        chart counts the rest. The style and similarity charts stay by
        source type.
    timeline : pandas.DataFrame, optional
        ``timeline.csv`` (``--by-period``): the ``timeline`` chart, drawn
        when it is given and named.

    Returns
    -------
    dict of str to bytes
        ``<chart>.png`` (150 dpi) and ``<chart>.svg`` for each name, in order.

    Raises
    ------
    ValueError
        If a name is not one of ``CHART_NAMES``.
    """
    import matplotlib

    df = ordered(scores)
    dims = {c: str(label) for c, label in dimensions.items() if c in df.columns}
    style_cols = {c: str(label) for c, label in styles.items() if c in df.columns}
    by_group = grouping is not None and not grouping.by_type
    g_df, g_summary, g_terms, left_out = (by_groups(scores, summary, terms, grouping) if by_group and grouping
                                          else (df, summary, terms, 0))
    # The groups drawn get distinct colours (a groups file's win), the same in every chart of groups;
    # the timeline, which may draw other groups, picks unused colours for those.
    colors: dict[str, str] = {}
    painted = grouping
    if grouping is not None:
        colors = group_colors(grouping, drawn=set(g_df["source_type"].astype(str)) if by_group else None)
        painted = replace(grouping, colors=colors) if by_group else grouping
    note = left_out_note(left_out)
    figures: dict[str, Callable[[], Figure]] = {
        "rates_by_source_type": lambda: rates_by_source_type(g_df, dims, g_summary, note=note),
        "dimensions_heatmap": lambda: dimensions_heatmap(g_df, dims, g_summary, note=note),
        "style_scores": lambda: style_scores(df, style_cols),
        "distinctive_terms": lambda: distinctive_terms(g_terms, g_df, note=note),
        "similarity": lambda: similarity_chart(similarity, df, type_similarity),
        "evaluation": lambda: evaluation_chart(evaluation),
    }
    if timeline is not None and grouping is not None:
        figures["timeline"] = lambda: timeline_figure(timeline, dims, grouping, colors)
    unknown = [n for n in names if n not in figures]
    if unknown:
        raise ValueError(f"unknown chart {unknown[0]!r}; charts are {', '.join(figures)}")
    files: dict[str, bytes] = {}
    with matplotlib.rc_context(RC_PARAMS):
        for name in names:
            # One figure at a time: large corpora make big figures.
            with grouped(painted if name in GROUP_CHARTS else None):
                fig = figures[name]()
            files.update(encode(fig, name))
    return files


MAX_CHART_GROUPS = 8  # more bars or panels than this are not read; the largest groups are drawn


def by_groups(
    scores: pd.DataFrame, summary: pd.DataFrame | None, terms: pd.DataFrame, grouping: Grouping
) -> tuple[pd.DataFrame, pd.DataFrame | None, pd.DataFrame, int]:
    """The group charts' tables: each article's group as ``source_type``, at most ``MAX_CHART_GROUPS`` groups.

    Returns the rows, the summary and terms with their group column named
    ``source_type``, and how many groups were left out.
    """
    groups = scores["group"].astype(str)
    sizes = groups.value_counts()
    shown = sorted(sizes.index, key=lambda g: (-int(sizes[g]), grouping.key(g)))[:MAX_CHART_GROUPS]
    keep = groups.isin(shown)
    rows = scores.assign(source_type=groups)[keep]
    with grouped(grouping):
        rows = ordered(rows)

    def of_shown(table: pd.DataFrame | None) -> pd.DataFrame | None:
        if table is None or not len(table.columns):
            return table
        table = renamed(table, table.columns[0], "source_type")
        return table[table["source_type"].astype(str).isin(shown)]

    return rows, of_shown(summary), of_shown(terms), len(sizes) - len(shown)  # type: ignore[return-value]


def timeline_figure(timeline: pd.DataFrame, dims: Mapping[str, str], grouping: Grouping,
                    colors: Mapping[str, str]) -> Figure:
    """The small multiples of ``timeline.csv``: the largest groups, one panel per dimension; ``colors``: the
    groups' colours of the other charts (``legend.group_colors``); a group without one gets a colour unused there."""
    from .timeline import timeline_chart

    column = timeline.columns[0]
    sizes = timeline.groupby(column, sort=False)["n_articles"].sum() if len(timeline) else pd.Series(dtype=float)
    groups = [g for g in grouping.order if g in sizes.index]
    return timeline_chart(timeline, dims, group_column=column, groups=groups,
                          group_labels={g: grouping.label(g) for g in groups}, group_colors=colors,
                          group_title=grouping.title, group_name=group_name(grouping))
