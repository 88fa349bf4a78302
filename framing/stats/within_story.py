"""Differences between groups inside the same stories, pooled over stories (topic held fixed).

A plain comparison of two groups' mean rates mixes *what* each covered with
*how*: if one group wrote about a war and the other about an election, the
war's words differ between them whatever their framing. Inside one story
both groups wrote about the same event, so the difference of their rates
there is about how they told it. ``within_story_table`` pools those
differences over the stories both groups covered.

The estimate is the story fixed-effects (within) estimator of the
difference: each article's rate and group indicator are centred on their
story's means, and the difference is the slope of one on the other. It
equals the mean over stories of ``mean(a) - mean(b)``, each story weighted
by ``n_a * n_b / (n_a + n_b)`` (a story with one article of each side
counts half as much as one with two of each). Stories covered by one group
only drop out.

Its interval is cluster-robust (CR1, t with clusters - 1 degrees of
freedom): the clusters are the outlets when outlets nest in the groups
and there are at least ``MIN_CLUSTERS`` of them (an outlet writing many
stories is one witness, as in the plain comparison), else the stories (an
outlet's articles in different stories counted as independent: the
caution says so). Like every interval here it describes these outlets'
coverage; it is not a claim about outlets the corpus lacks.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .comparisons import ALPHA
from .significance import benjamini_hochberg

__all__ = ["LEVEL", "MIN_CLUSTERS", "MIN_SHARED_STORIES", "WITHIN_STORY_COLUMNS", "within_story_table"]

LEVEL = 0.95
MIN_SHARED_STORIES = 5  # stories both groups covered, for a tested row
MIN_CLUSTERS = 4  # outlets (both groups together) to cluster by outlet; fewer: by story

WITHIN_STORY_COLUMNS = (
    "lexicon", "category", "group_a", "group_b", "n_stories", "n_articles_a", "n_articles_b", "clusters",
    "n_clusters", "plain_difference", "plain_significant", "difference", "ci_low", "ci_high", "p_value",
    "p_adjusted", "significant", "agreement", "caution",
)


def _pair_estimate(
    y: np.ndarray, side: np.ndarray, story: np.ndarray, cluster: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, int]:
    """The within-story difference (a minus b) per column of ``y``, its CR1 standard error, and the clusters.

    ``side``: 1 for group a, 0 for b; ``story``, ``cluster``: codes. Only
    articles of stories with both sides are given.
    """
    _, s = np.unique(story, return_inverse=True)
    counts = np.bincount(s).astype(np.float64)
    x_t = side - (np.bincount(s, weights=side) / counts)[s]
    y_mean = np.stack([np.bincount(s, weights=y[:, c]) for c in range(y.shape[1])], axis=1) / counts[:, None]
    y_t = y - y_mean[s]
    sxx = float(np.dot(x_t, x_t))
    beta = (x_t @ y_t) / sxx
    resid = y_t - x_t[:, None] * beta[None, :]
    _, g = np.unique(cluster, return_inverse=True)
    n_g = int(g.max()) + 1
    score = np.stack([np.bincount(g, weights=x_t * resid[:, c], minlength=n_g) for c in range(y.shape[1])], axis=1)
    var = (n_g / max(n_g - 1, 1)) * (score * score).sum(axis=0) / (sxx * sxx)
    return beta, np.sqrt(var), n_g


def within_story_table(
    rates: np.ndarray, story: np.ndarray, group_of: np.ndarray, outlet_of: np.ndarray, groups: Sequence[str],
    categories: Sequence[tuple[str, str]], plain: pd.DataFrame | None = None, *, by_outlet: bool = True,
    groups_are_outlets: bool = False,
) -> pd.DataFrame:
    """``WITHIN_STORY_COLUMNS``: per category and pair of groups covering stories together, the pooled difference.

    ``rates``: articles x categories (per 1,000 tokens), ``story``,
    ``group_of`` (index into ``groups``, -1 none) and ``outlet_of``: per
    article, any order. ``plain``: comparisons.csv's rows, for its
    ``difference`` and ``significant`` beside each row. ``by_outlet``:
    whether outlets nest in the groups (else the clusters are stories);
    ``groups_are_outlets``: the groups are the outlets (the cautions say so).
    Pairs that share no story have no rows.
    """
    from scipy.stats import t as t_dist

    rows: list[dict[str, object]] = []
    plain_of = {}
    if plain is not None and len(plain):
        for r in plain.itertuples(index=False):
            plain_of[(r.lexicon, r.category, r.group_a, r.group_b)] = (float(r.difference), str(r.significant))
    for a in range(len(groups)):
        for b in range(a + 1, len(groups)):
            in_pair = (group_of == a) | (group_of == b)
            st = story[in_pair]
            has_a = np.zeros(int(story.max()) + 1 if len(story) else 0, dtype=bool)
            has_b = has_a.copy()
            has_a[story[group_of == a]] = True
            has_b[story[group_of == b]] = True
            shared = has_a & has_b
            keep = shared[st]
            if not keep.any():
                continue
            where = np.flatnonzero(in_pair)[keep]
            side = (group_of[where] == a).astype(np.float64)
            n_stories = int(shared.sum())
            n_outlets = len(np.unique(outlet_of[where]))
            by_outlets = by_outlet and n_outlets >= MIN_CLUSTERS
            cluster = outlet_of[where] if by_outlets else story[where]
            beta, se, n_g = _pair_estimate(rates[where], side, story[where], cluster)
            # As in the plain comparison, a group of one outlet is that outlet: described, not tested.
            single = [] if groups_are_outlets else [
                groups[g] for g, mine in ((a, side == 1), (b, side == 0)) if len(np.unique(outlet_of[where][mine])) == 1
            ]
            tested = n_stories >= MIN_SHARED_STORIES and n_g >= 2 and not single
            caution = _caution(n_stories, by_outlet, by_outlets, n_outlets, groups_are_outlets, single)
            q = t_dist.ppf(0.5 + LEVEL / 2, max(n_g - 1, 1))
            with np.errstate(invalid="ignore", divide="ignore"):
                p = 2 * t_dist.sf(np.abs(beta / se), max(n_g - 1, 1))
            for c, (lexicon, category) in enumerate(categories):
                pd_, ps = plain_of.get((lexicon, category, groups[a], groups[b]), (np.nan, ""))
                ok = tested and se[c] > 0
                rows.append({
                    "lexicon": lexicon, "category": category, "group_a": groups[a], "group_b": groups[b],
                    "n_stories": n_stories, "n_articles_a": int(side.sum()), "n_articles_b": int(len(side) - side.sum()),
                    "clusters": "outlets" if by_outlets else "stories", "n_clusters": n_g,
                    "plain_difference": pd_, "plain_significant": ps, "difference": float(beta[c]),
                    "ci_low": float(beta[c] - q * se[c]) if ok else np.nan,
                    "ci_high": float(beta[c] + q * se[c]) if ok else np.nan,
                    "p_value": float(p[c]) if ok else np.nan, "p_adjusted": np.nan, "significant": "",
                    "agreement": "", "caution": caution,
                })
    adjusted = benjamini_hochberg(np.asarray([r["p_value"] for r in rows], dtype=np.float64))
    for r, qv in zip(rows, adjusted.tolist()):
        if not np.isnan(qv):
            r["p_adjusted"] = qv
            r["significant"] = "yes" if qv < ALPHA else "no"
        r["agreement"] = agreement(str(r["plain_significant"]), float(r["plain_difference"]), str(r["significant"]),
                                   float(r["difference"]))
    return pd.DataFrame(rows, columns=list(WITHIN_STORY_COLUMNS))


def agreement(plain_significant: str, plain_difference: float, significant: str, difference: float) -> str:
    """How the within-story row reads beside the plain comparison, in words ("" when neither can say)."""
    if plain_significant == "yes" and significant == "no":
        return "vanishes within stories (topic)"
    if plain_significant == "yes" and significant == "yes":
        return "holds within stories" if np.sign(plain_difference) == np.sign(difference) else "reverses within stories"
    if plain_significant == "no" and significant == "yes":
        return "appears within stories only"
    if plain_significant == "no" and significant == "no":
        return "no difference either way"
    return ""


def _caution(n_stories: int, by_outlet: bool, by_outlets: bool, n_outlets: int, groups_are_outlets: bool = False,
             single: Sequence[str] = ()) -> str:
    parts = []
    if single:
        parts.append("; ".join(f"{g}: one outlet in the shared stories" for g in single)
                     + "; descriptive only, no test")
    elif n_stories < MIN_SHARED_STORIES:
        parts.append(f"only {n_stories} shared stor{'y' if n_stories == 1 else 'ies'}; descriptive only, no test")
    elif not by_outlets:
        if groups_are_outlets:
            why = "the groups are outlets"
        elif not by_outlet:
            why = "outlets do not nest in these groups"
        else:
            why = f"only {n_outlets} outlet{'' if n_outlets == 1 else 's'}"
        parts.append(f"{why}: the interval treats stories as independent, and an outlet's articles in different "
                     "stories as independent witnesses")
    return "; ".join(parts)
