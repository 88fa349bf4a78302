"""How the report looks, in one place: the colours of source types and the charts' names.

Charts and the HTML page read these, so a new source type or chart is added
here once. The order and the names of source types are
``framing.types.SOURCE_TYPES`` and ``TYPE_LABELS``.
"""

from __future__ import annotations

from ..grouping import NO_VALUE, Grouping

__all__ = ["CHART_LABELS", "CHART_NAMES", "EXTRA_COLORS", "GROUP_CHARTS", "OKABE_ITO", "TIME_CHARTS", "TYPE_COLORS", "group_colors"]

# Okabe & Ito (2008), "Color Universal Design": distinguishable under the
# common colour-vision deficiencies.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
TYPE_COLORS = {"state_media": "#D55E00", "wire": "#0072B2", "mainstream": "#E69F00", "independent_commentary": "#009E73", "unknown": "#999999"}
EXTRA_COLORS = ("#E69F00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")

# Chart name -> what it shows; alt text on the page comes from these fixed
# labels, never from input. The order is the order on the page.
CHART_LABELS = {
    "rates_by_source_type": "Mean rate per 1,000 tokens of each framing dimension, per source type",
    "dimensions_heatmap": "Articles by framing dimensions, coloured by rate per 1,000 tokens",
    "style_scores": "Style scores: how much each article resembles each source type",
    "distinctive_terms": "Most distinctive terms of each source type (log-odds z-score against the rest)",
    "similarity": "Cosine similarity (TF-IDF) between articles or source types",
    "evaluation": "The source-type classifier against two baselines (cross-validated F1), and how well its probabilities are calibrated",
}
CHART_NAMES = tuple(CHART_LABELS)
# Drawn only when the run asks for them (--by-period): their alt text is the chart module's CHART_LABEL.
TIME_CHARTS = ("timeline",)
# The charts that compare the run's groups (--group-by); the others compare source types, as the style scores do.
GROUP_CHARTS = ("rates_by_source_type", "dimensions_heatmap", "distinctive_terms", "timeline")
NO_VALUE_COLOR = "#999999"  # the group of articles without a value, as "unknown" is grey


def group_colors(grouping: Grouping) -> dict[str, str]:
    """Each group's colour: a groups file's, else the source types' own, else the palette's in display order.

    Okabe-Ito first (colour-blind safe), then the extra colours; past both,
    the palette repeats and the legend's labels tell groups apart.
    """
    palette = [*OKABE_ITO, *EXTRA_COLORS[2:]]
    out: dict[str, str] = {}
    k = 0
    for g in grouping.order:
        if g in grouping.colors:
            out[g] = grouping.colors[g]
        elif grouping.by_type and g in TYPE_COLORS:
            out[g] = TYPE_COLORS[g]
        elif g == NO_VALUE:
            out[g] = NO_VALUE_COLOR
        else:
            out[g] = palette[k % len(palette)]
            k += 1
    return out
