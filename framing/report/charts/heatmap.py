"""``dimensions_heatmap``: articles x framing dimensions, coloured by rate.

Above ``MAX_ROWS`` articles the rows are the source types' mean rates. The
colours run from 0 (absent, in every run) to the 98th percentile of the cells
from ``ROBUST_FROM`` cells on, so that one article at 50 per 1,000 does not
leave the others dark.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .common import (
    CMAP,
    MAX_ROWS,
    RATE_LABEL,
    ROBUST_PERCENTILES,
    color_range,
    color_ticks,
    escape,
    extend,
    group_means,
    group_title,
    group_words,
    placeholder,
    row_label,
    shorten,
    type_legend,
    type_name,
    types_in,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["LABELLED_CELLS", "dimensions_heatmap"]

LABELLED_CELLS = 300  # up to this many cells each shows its value; more would be unreadable


def _rows(df: pd.DataFrame, dims: Mapping[str, str], aggregate: bool,
          summary: pd.DataFrame | None) -> tuple[np.ndarray, list[str], list[str], str]:
    """The heatmap's values, row labels, each row's source type, and the title."""
    if aggregate:
        types = types_in(df)
        counts = df["source_type"].value_counts()
        values = group_means(df, types, list(dims), summary).to_numpy(dtype=float)
        labels = [f"{type_name(t)} (n={counts[t]})" for t in types]
        return values, labels, types, (f"Framing rates: mean per {escape(group_words())}\n({len(df)} articles, "
                                       "too many to show one by one)")
    values = df[list(dims)].to_numpy(dtype=float)
    labels = [row_label(r) for _, r in df.iterrows()]
    return values, labels, list(df["source_type"]), "Framing rates per article"


def _label_cells(ax: Axes, values: np.ndarray, vmax: float) -> None:
    """Each cell's value, when there are few enough cells to read them."""
    if values.size > LABELLED_CELLS:
        return
    for (i, j), v in np.ndenumerate(values):
        if np.isfinite(v):
            dark = v < 0.6 * vmax  # viridis is dark at the low end
            ax.text(j, i, f"{v:.1f}", ha="center", va="center", fontsize=7, color="white" if dark else "black")


def dimensions_heatmap(df: pd.DataFrame, dims: Mapping[str, str], summary: pd.DataFrame | None = None, *,
                       note: str = "") -> Figure:
    """The heatmap of ``df`` (articles as ``common.ordered`` gives them); ``dims``: rate column -> label.

    Above ``MAX_ROWS`` articles each row is a source type's mean rates, read
    from ``summary`` (``summary.csv``; see ``common.group_means``). ``note``:
    a last line of the title (the groups not drawn).
    """
    from matplotlib.figure import Figure

    aggregate = len(df) > MAX_ROWS
    values, row_labels, row_types, title = _rows(df, dims, aggregate, summary)
    title = f"{title}\n{note}" if note else title
    n_rows = max(len(row_labels), 1)
    fig = Figure(figsize=(max(8.0, 3.5 + 0.6 * len(dims)), 3.2 + 0.26 * n_rows), layout="constrained")
    ax = fig.add_subplot()
    ax.set_title(title)
    if not dims or not row_labels:
        placeholder(ax, "no framing dimensions to chart" if not dims else "no articles")
        return fig
    # Rates are >= 0; a fixed floor of 0 keeps zero meaning "absent" in every run. The top
    # is robust, so that one article at 50 per 1,000 does not leave the others dark.
    _, vmax, robust = color_range(values, floor=0.0)
    im = ax.imshow(np.ma.masked_invalid(values), cmap=CMAP, vmin=0, vmax=vmax, aspect="auto",
                   interpolation="nearest")
    ax.set_xticks(np.arange(len(dims)), [escape(shorten(label, 30)) for label in dims.values()],
                  rotation=35, ha="right", rotation_mode="anchor")
    ax.set_yticks(np.arange(len(row_labels)), row_labels, fontsize=8)
    color_ticks(ax.get_yticklabels(), row_types)
    _label_cells(ax, values, vmax)
    ax.set_xlabel("Framing dimension")
    ax.set_ylabel(escape(group_title()) if aggregate else "Article (id · outlet)")
    bar = fig.colorbar(im, ax=ax, shrink=0.8, extend=extend(values, 0.0, vmax))
    how = f"0 to percentile {ROBUST_PERCENTILES[1]:g} of the cells" if robust else "0 to the largest cell"
    bar.set_label(f"{RATE_LABEL}\ncolours: {how}", fontsize=9)
    if not aggregate:
        type_legend(fig, df)
    return fig
