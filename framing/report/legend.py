"""How the report looks, in one place: the colours of source types and the charts' names.

Charts and the HTML page read these, so a new source type or chart is added
here once. The order and the names of source types are
``framing.types.SOURCE_TYPES`` and ``TYPE_LABELS``.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..grouping import NO_VALUE, Grouping

__all__ = [
    "CHART_LABELS", "CHART_NAMES", "EXTRA_COLORS", "GROUP_CHARTS", "GROUP_PALETTE", "MIN_TEXT_CONTRAST", "OKABE_ITO",
    "TIME_CHARTS", "TYPE_COLORS", "chart_label", "group_colors", "text_color",
]

# Okabe & Ito (2008), "Color Universal Design": distinguishable under the
# common colour-vision deficiencies.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
TYPE_COLORS = {"state_media": "#D55E00", "wire": "#0072B2", "mainstream": "#E69F00", "independent_commentary": "#009E73", "unknown": "#999999"}
EXTRA_COLORS = ("#E69F00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
# The colours of a grouping's groups (--group-by): the seven Okabe-Ito colours, then black; eight groups at most are
# drawn in a chart (MAX_CHART_GROUPS), so the groups drawn each get their own.
GROUP_PALETTE = (*OKABE_ITO, "#000000")
# Text in a group's colour (a tick label, a panel title) is darkened until it reaches this contrast on white
# (WCAG's 4.5:1 for small text): Okabe-Ito yellow is 1.3:1, its orange and sky blue 2.3:1.
MIN_TEXT_CONTRAST = 4.5

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
# The labels of the charts of groups when the groups are not source types: "{one}" is what a group is called
# ("outlet", "group of mbfc", ``Grouping.words``).
_GROUP_CHART_LABELS = {
    "rates_by_source_type": "Mean rate per 1,000 tokens of each framing dimension, per {one}",
    "distinctive_terms": "Most distinctive terms of each {one} (log-odds z-score against the rest)",
}
# Drawn only when the run asks for them (--by-period): their alt text is the chart module's CHART_LABEL.
TIME_CHARTS = ("timeline",)
# The charts that compare the run's groups (--group-by); the others compare source types, as the style scores do.
GROUP_CHARTS = ("rates_by_source_type", "dimensions_heatmap", "distinctive_terms", "timeline")
NO_VALUE_COLOR = "#999999"  # the group of articles without a value, as "unknown" is grey


def chart_label(name: str, grouping: Grouping | None = None) -> str:
    """A chart's alt text and caption: ``CHART_LABELS``'s, its groups named after ``grouping`` when that is not
    the source types ("Chart" for a name it does not know)."""
    if grouping is not None and not grouping.by_type and name in _GROUP_CHART_LABELS:
        return _GROUP_CHART_LABELS[name].format(one=grouping.words())
    return CHART_LABELS.get(name, "Chart")


def group_colors(grouping: Grouping, drawn: Iterable[str] | None = None) -> dict[str, str]:
    """Each group's colour: a groups file's, else the source types' own, else one of ``GROUP_PALETTE``.

    ``drawn``: the groups a chart draws (at most ``MAX_CHART_GROUPS``); they
    get the palette's colours first, in display order, each one not taken by
    a groups file's colour among them, so that no two of them share a colour.
    Only the groups with a fixed colour and the ``drawn`` ones are returned
    then. Without ``drawn``, every group gets one (the palette repeats past
    its eight colours).
    """
    fixed: dict[str, str] = {}
    for g in grouping.order:
        if g in grouping.colors:
            fixed[g] = grouping.colors[g]
        elif grouping.by_type and g in TYPE_COLORS:
            fixed[g] = TYPE_COLORS[g]
        elif g == NO_VALUE:
            fixed[g] = NO_VALUE_COLOR
    wanted = list(grouping.order) if drawn is None else list(dict.fromkeys(str(g) for g in drawn))
    first = sorted(wanted, key=grouping.key)
    taken = {fixed[g].lower() for g in first if g in fixed}
    spare = [c for c in GROUP_PALETTE if c.lower() not in taken]
    out = dict(fixed)
    k = 0
    for g in first:
        if g not in fixed:
            out[g] = spare.pop(0) if spare else GROUP_PALETTE[k % len(GROUP_PALETTE)]
            k += 1
    return out


def text_color(color: str) -> str:
    """``color`` (hex) for text on white: itself, or darkened (towards black) until its contrast reaches
    ``MIN_TEXT_CONTRAST``."""
    rgb = [int(color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)] if _is_hex(color) else None
    if rgb is None:
        return color
    scale = 1.0
    while _contrast([c * scale for c in rgb]) < MIN_TEXT_CONTRAST and scale > 0:
        scale = round(scale - 0.05, 2)
    if scale == 1.0:
        return color
    return "#" + "".join(f"{round(c * max(scale, 0.0) * 255):02X}" for c in rgb)


def _is_hex(color: str) -> bool:
    text = color.lstrip("#")
    return color.startswith("#") and len(text) == 6 and all(c in "0123456789abcdefABCDEF" for c in text)


def _contrast(rgb: list[float]) -> float:
    """The contrast ratio of a colour (0..1 channels) against white (WCAG 2)."""
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)
