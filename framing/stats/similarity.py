"""Per-article scores: similarity to each source type, style scores, prediction.

``sim_<type>``: cosine similarity between the article's TF-IDF vector and the
centroid (mean of the l2-normalised vectors) of the articles labelled
``<type>``, leaving the article itself out of its own type's centroid. It is
undefined (empty) when no other article of that type exists.

``style_<type>``: the mean of two similarities on [0, 1], weighted equally:
``sim_<type>`` above, and the style-profile similarity ``(1 + cos) / 2``
between the article's standardised style-lexicon rates (z-scores across the
corpus) and the leave-one-out mean profile of the type. It says which
labelled group the article *resembles* in wording and style; it is not a
probability and not a validated classifier.

``predicted_source_type``: the type with the highest style score, or
``undetermined`` when the top two are closer than ``MIN_MARGIN`` or some
type's score is undefined.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..types import LABELLED_TYPES
from .confidence import type_words

__all__ = [
    "MIN_MARGIN", "loo_centroid_similarity", "loo_similarity", "predict", "predict_with_reasons", "profile_similarity",
    "type_similarity", "undetermined_reasons",
]

# A heuristic, not a calibrated threshold: below this the two best types are
# treated as a tie. Chosen as roughly the spread of style scores between
# near-duplicate articles; see docs/scores.md.
MIN_MARGIN = 0.02


def _group_masks(types: Sequence[str], groups: Sequence[str]) -> np.ndarray:
    arr = np.asarray(types, dtype=object)
    return np.stack([arr == g for g in groups], axis=1) if groups else np.zeros((len(arr), 0), bool)


def loo_centroid_similarity(matrix: sp.csr_matrix, types: Sequence[str], groups: Sequence[str]) -> np.ndarray:
    """Cosine similarity of each row to each group's centroid, leaving the row out.

    Uses ``x.(S - x) / (|x| |S - x|)`` with ``S`` the group's sum vector, so no
    centroid is ever rebuilt per article. ``NaN`` where the centroid is empty.
    """
    member = _group_masks(types, groups)
    out = np.full((matrix.shape[0], len(groups)), np.nan)
    sq = np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel()
    for g in range(len(groups)):
        rows = np.flatnonzero(member[:, g])
        if len(rows) == 0:
            continue
        total = np.asarray(matrix[rows].sum(axis=0)).ravel()
        out[:, g] = loo_similarity(matrix @ total, sq, member[:, g], float(total @ total), len(rows))
    return out


def loo_similarity(dot: np.ndarray, sq: np.ndarray, inside: np.ndarray, total_sq: float, n_in: int) -> np.ndarray:
    """Leave-one-out cosine similarity to one group's centroid, from sums only.

    ``dot`` is ``x . S`` per article, ``sq`` is ``|x|^2``, ``inside`` says
    which articles belong to the group, ``total_sq`` is ``|S|^2`` and ``n_in``
    the group size. For a member, ``S - x`` is the sum of the others, so
    ``x.(S - x) = dot - sq`` and ``|S - x|^2 = |S|^2 - 2 dot + sq``. ``NaN``
    where no other article is in the group; clipped to [0, 1] (TF-IDF
    vectors are non-negative, so only rounding goes beyond).
    """
    num = dot - np.where(inside, sq, 0.0)
    norm2 = total_sq - np.where(inside, 2 * dot - sq, 0.0)
    others = n_in - inside.astype(int)
    denom = np.sqrt(np.clip(norm2, 0, None) * sq)
    with np.errstate(invalid="ignore", divide="ignore"):
        sim = np.where(denom > 0, num / np.where(denom > 0, denom, 1), 0.0)
    return np.where(others > 0, np.clip(sim, 0.0, 1.0), np.nan)


def profile_similarity(profile: np.ndarray, types: Sequence[str], groups: Sequence[str]) -> np.ndarray:
    """``(1 + cos) / 2`` between standardised profiles and leave-one-out group means."""
    n_docs = profile.shape[0]
    out = np.full((n_docs, len(groups)), np.nan)
    if profile.shape[1] == 0 or n_docs == 0:
        return out
    sd = profile.std(axis=0)
    z = np.where(sd > 0, (profile - profile.mean(axis=0)) / np.where(sd > 0, sd, 1), 0.0)
    member = _group_masks(types, groups)
    znorm = np.linalg.norm(z, axis=1)
    for g in range(len(groups)):
        inside = member[:, g]
        n = inside.sum()
        if n == 0:
            continue
        total = z[inside].sum(axis=0)
        others = n - inside.astype(int)
        means = (total[None, :] - np.where(inside[:, None], z, 0.0)) / np.maximum(others, 1)[:, None]
        mnorm = np.linalg.norm(means, axis=1)
        denom = znorm * mnorm
        with np.errstate(invalid="ignore", divide="ignore"):
            cos = np.where(denom > 0, (z * means).sum(axis=1) / np.where(denom > 0, denom, 1), 0.0)
        out[:, g] = np.where(others > 0, (1 + np.clip(cos, -1, 1)) / 2, np.nan)
    return out


def predict(style: np.ndarray, groups: Sequence[str], min_margin: float = MIN_MARGIN) -> list[str]:
    """Best-scoring group per row, or ``undetermined`` (see the module docstring)."""
    return predict_with_reasons(style, groups, min_margin)[0].tolist()


def undetermined_reasons(style: np.ndarray, groups: Sequence[str], min_margin: float = MIN_MARGIN) -> list[str]:
    """Why ``predict`` gives each row ``undetermined`` ("" where it names a group), in words."""
    return predict_with_reasons(style, groups, min_margin)[1].tolist()


def predict_with_reasons(
    style: np.ndarray, groups: Sequence[str], min_margin: float = MIN_MARGIN
) -> tuple[np.ndarray, np.ndarray]:
    """``predict``'s call for each row and, where it is ``undetermined``, why (object arrays; "" for a call)."""
    n = style.shape[0]
    if len(groups) < 2 or n == 0:
        why = f"{len(groups)} labelled source type{'' if len(groups) == 1 else 's'}: nothing to tell apart"
        return np.full(n, "undetermined", dtype=object), np.full(n, why, dtype=object)
    filled = np.where(np.isnan(style), -np.inf, style)
    order = np.argsort(-filled, axis=1, kind="stable")
    rows = np.arange(n)
    first, second = filled[rows, order[:, 0]], filled[rows, order[:, 1]]
    undefined = np.isnan(style).any(axis=1)
    close = ~undefined & (first - second < min_margin)
    why = np.full(n, "", dtype=object)
    why[undefined] = "a source type's score is undefined (no other article of that type)"
    names = [type_words(g) for g in groups]
    for i in np.flatnonzero(close).tolist():  # only these are formatted: most rows get a call
        a, b = order[i, 0], order[i, 1]
        why[i] = (f"too close to call: {names[a]} {first[i]:.3f}, {names[b]} {second[i]:.3f} "
                  f"(a call needs a margin of {min_margin})")
    predicted = np.asarray(groups, dtype=object)[order[:, 0]]
    predicted[why != ""] = "undetermined"
    return predicted, why


def type_similarity(
    names: list[str], present: list[int], sums: np.ndarray, sq: np.ndarray, type_code: np.ndarray
) -> pd.DataFrame:
    """Mean cosine similarity of article pairs within and between source types, from group sums.

    ``names``: the source types present, ``present``: their codes (rows of
    ``sums``, the groups' sums of l2-normalised TF-IDF rows); ``sq``: each
    article's squared norm; ``type_code``: each article's code. Between two
    types, the mean of ``x . y`` over pairs is ``S_a . S_b / (n_a n_b)``;
    within one, the pairs of an article with itself are taken out
    (``(S . S - sum |x|^2) / (n (n - 1))``). Empty (NaN) for a type of one article.
    """
    order = [t for t in (*LABELLED_TYPES, "unknown") if t in names]
    pos = {t: present[names.index(t)] for t in order}
    table = pd.DataFrame(index=order, columns=order, dtype=float)
    count = {t: int((type_code == pos[t]).sum()) for t in order}
    for a in order:
        for b in order:
            dot = float(sums[pos[a]] @ sums[pos[b]])
            if a == b:
                pairs = count[a] * (count[a] - 1)
                value = (dot - float(sq[type_code == pos[a]].sum())) / pairs if pairs else np.nan
            else:
                value = dot / (count[a] * count[b])
            table.loc[a, b] = value
    return table
