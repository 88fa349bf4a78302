"""How the report looks, in one place: the colours of source types and the charts' names.

Charts and the HTML page read these, so a new source type or chart is added
here once. The order and the names of source types are
``framing.types.SOURCE_TYPES`` and ``TYPE_LABELS``.
"""

from __future__ import annotations

__all__ = ["CHART_LABELS", "CHART_NAMES", "EXTRA_COLORS", "OKABE_ITO", "TYPE_COLORS"]

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
