"""``evaluation``: the source-type classifier's out-of-fold F1, overall and per
type, beside the two baselines of ``evaluation.csv`` (TF-IDF only, majority class),
and, when evaluation.csv has them, its reliability: the share right against the
mean top probability per bin, with the expected calibration error."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...types import type_key
from .common import placeholder, type_name

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["MODELS", "evaluation_chart"]

# evaluation.csv's models, in the order of their bars, with their names on the chart.
MODELS = {"classifier": "classifier (terms + rates)", "tfidf_only": "TF-IDF only", "majority": "majority class"}
_SHADES = ("#000000", "#999999", "#DDDDDD")  # grey levels: the models are not source types


def _model_bars(ax: Axes, e: pd.DataFrame, classes: list[str], n_groups: int) -> None:
    """Each model's macro-F1 and F1 per class, as one bar per group (NaN where ``evaluation.csv`` has none)."""
    width = 0.8 / len(MODELS)
    for k, (m, name) in enumerate(MODELS.items()):
        mine = e[e["model"] == m]
        macro = mine[mine["metric"] == "macro_f1"]["value"]
        values = [float(macro.iloc[0]) if len(macro) else np.nan]
        for c in classes:
            v = mine[(mine["metric"] == "f1") & (mine["true_type"].astype(str) == c)]["value"]
            values.append(float(v.iloc[0]) if len(v) else np.nan)
        x = np.arange(n_groups) + (k - (len(MODELS) - 1) / 2) * width
        ax.bar(x, values, width=width * 0.9, label=name, color=_SHADES[k], edgecolor="black", linewidth=0.5)


def _reliability(ax: Axes, e: pd.DataFrame, model: str) -> None:
    """The reliability diagram of ``model``'s rows: share right against mean top probability, per bin."""
    mine = e[e["model"] == model]

    def per_bin(metric: str) -> pd.Series:
        rows = mine[mine["metric"] == metric]
        return pd.Series(rows["value"].to_numpy(dtype=float), index=rows["at"].astype(str))

    conf, acc, n = per_bin("reliability_confidence"), per_bin("reliability_accuracy"), per_bin("reliability_articles")
    ax.plot([0, 1], [0, 1], color="#999999", linewidth=0.8, linestyle="--", label="perfectly calibrated")
    x, y = conf.to_numpy(), acc.reindex(conf.index).to_numpy()
    sizes = (20 + 180 * n / max(float(n.max()), 1.0)).reindex(conf.index).to_numpy()
    ax.scatter(x, y, s=sizes, color="#000000", zorder=3)
    ax.plot(x, y, color="#000000", linewidth=0.8)
    ece = mine[mine["metric"] == "ece"]["value"]
    abstained = mine[mine["metric"] == "abstained"]["value"]
    title = "Calibration"
    if len(ece):
        title += f": ECE {float(ece.iloc[0]):.3f}"
    if len(abstained):
        title += f", undetermined {100 * float(abstained.iloc[0]):.0f} %"
    ax.set_title(title, fontsize=9)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("mean top probability (bins of 0.1; dot size: articles)", fontsize=8)
    ax.set_ylabel("share right", fontsize=8)
    ax.grid(alpha=0.3)


def evaluation_chart(evaluation: pd.DataFrame | None) -> Figure:
    """The classifier chart of ``evaluation.csv`` (a placeholder without one, or when it is empty)."""
    from matplotlib.figure import Figure

    e = evaluation if evaluation is not None else pd.DataFrame()
    calibrated = [m for m in ("classifier", "applied")
                  if len(e) and "at" in e.columns and ((e["model"] == m) & (e["metric"] == "reliability_accuracy")).any()]
    fig = Figure(figsize=(11.5 if calibrated else 8, 4.2), layout="constrained")
    if calibrated:
        ax, side = fig.subplots(1, 2, width_ratios=(2, 1))
        _reliability(side, e, calibrated[0])
    else:
        ax = fig.add_subplot()
    if not len(e):
        ax.set_title("Source-type classifier")
        placeholder(ax, "no classifier trained (too few labelled articles; see evaluation.csv's note)")
        return fig
    f1 = e[e["metric"] == "f1"]
    classes = sorted(set(f1["true_type"].astype(str)), key=type_key)
    groups = ["macro-F1", *(type_name(c) for c in classes)]
    _model_bars(ax, e, classes, len(groups))
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
