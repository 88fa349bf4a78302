"""``distinctive_terms``: the top terms of each source type from ``terms.csv``.

Bars are the z-scores of the log-odds ratio against the rest (Monroe et al.
2008, computed by ``framing.stats.distinctive``). Tied z-scores rank nothing:
``terms.csv`` breaks ties alphabetically, which is no finding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...defaults import MIN_GROUP_ARTICLES
from ...english import plural
from .common import escape, group_words, label_color, placeholder, shorten, type_color, type_name, type_sort_key

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["TOP_TERMS", "distinctive_terms"]

TOP_TERMS = 15
_XLABEL = "z-score of the log-odds ratio (group vs rest)"


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
    note = f"{plural(left_out, 'term')} tied at the cut left out" if left_out else ""
    return rows.iloc[:cut], note


def _why_none(counts: pd.Series, n_all: int) -> str:
    """Why no source type has a list: too few articles for any, or what ``run.json``'s notes say."""
    if not any(_rankable(int(k), n_all) for k in counts):
        largest = int(counts.max()) if len(counts) else 0
        one, kind = group_words(), "type" if group_words() == "source type" else "group"
        return (f"a ranking needs {MIN_GROUP_ARTICLES} articles in a {escape(one)} and {MIN_GROUP_ARTICLES} "
                f"outside it;\nno {escape(one)} here has both ({n_all} articles, the largest {kind} {largest})")
    return "terms.csv lists none (run.json's notes say why)"


def _panel(ax: Axes, rows: pd.DataFrame, t: str, n: int, n_all: int) -> None:
    """One source type's panel: its top terms as bars, or a placeholder that says why there are none."""
    ax.set_title(f"{type_name(t)} (n={n} article{'s' if n != 1 else ''})", color=label_color(t))
    ax.set_xlabel(_XLABEL)
    if not _rankable(n, n_all):
        # terms.csv leaves such groups out; a list handed in anyway is not ranked here.
        placeholder(ax, f"too few articles for a ranking\n(a list needs {MIN_GROUP_ARTICLES} in the group "
                        f"and {MIN_GROUP_ARTICLES} outside it)")
        return
    top, note = _ranked(rows)
    if not len(top):
        placeholder(ax, note or "no terms")
        return
    y = np.arange(len(top))
    ax.barh(y, top["z"].to_numpy(dtype=float), color=type_color(t))
    ax.set_yticks(y, [escape(shorten(term, 28)) for term in top["term"]], fontsize=8)
    ax.set_ylim(TOP_TERMS - 0.5, -0.5)  # the same bar height in every panel, first term on top
    if note:
        ax.set_xlabel(f"{_XLABEL}\n({note})")
    ax.grid(axis="x", alpha=0.3)


def distinctive_terms(terms: pd.DataFrame, df: pd.DataFrame, *, note: str = "") -> Figure:
    """One panel per source type of ``terms`` (``terms.csv``: ``source_type``, ``rank``, ``term``, ``z``);
    ``df``: the articles, for each group's size; ``note``: a last line of the title (the groups not drawn)."""
    from matplotlib.figure import Figure

    groups = sorted(set(terms["source_type"].astype(str)), key=type_sort_key) if len(terms) else []
    ncols = min(len(groups), 2) or 1
    nrows = -(-len(groups) // ncols) or 1
    size = (6.5 * ncols, 0.8 + 4.6 * nrows) if groups else (9.0, 3.2)
    fig = Figure(figsize=size, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    title = f"Distinctive terms per {escape(group_words())}\n(top {TOP_TERMS} by log-odds z-score, Monroe et al. 2008)"
    fig.suptitle(f"{title}\n{note}" if note else title)
    counts = df["source_type"].value_counts()
    if not groups:
        placeholder(axes[0], f"no distinctive terms: {_why_none(counts, len(df))}")
        return fig
    for ax, t in zip(axes, groups):
        rows = terms[terms["source_type"].astype(str) == t].sort_values("rank", kind="stable")
        _panel(ax, rows, t, int(counts.get(t, 0)), len(df))
    for ax in axes[len(groups):]:
        ax.set_visible(False)
    return fig
