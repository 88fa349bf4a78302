"""Group comparisons per category, and how much of each difference one term supplies.

A category's rate is a sum over its terms, so the difference between two
source types' mean rates is a sum of per-term differences. When one term
supplies most of it ("democracy & human rights" differs because one side
writes "Democrats"), the difference says more about that word than about the
category. ``comparisons`` reports, per category and pair of groups, the two
means, the difference, the term that supplies the largest share of it and
that share.

The inputs are partial sums that merge: per source type and term, the sum
over articles of the term's rate in the article (``term_rate_sums``, in fixed
point so that any chunking adds up to the same integers).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ..defaults import MIN_GROUP_ARTICLES
from ..schema import COMPARISON_COLUMNS
from .significance import benjamini_hochberg, cliffs_delta, outlet_permutation_p

__all__ = [
    "ALPHA", "ARTICLES_AS_UNITS", "DOMINANT_SHARE", "OUTLETS_AS_GROUPS", "RATE_FIXED_POINT", "comparisons",
    "term_rate_sums",
]

RATE_FIXED_POINT = 24  # fractional bits of the summed per-article term rates (exact, order-free addition)
DOMINANT_SHARE = 0.5  # above this share of a difference, one term dominates it (a note says so)
ALPHA = 0.05  # false discovery rate at which a difference is called significant


def term_rate_sums(
    doc: np.ndarray, term: np.ndarray, weight: np.ndarray, n_tokens: np.ndarray, group: np.ndarray,
    n_groups: int, n_terms: int,
) -> np.ndarray:
    """Groups x terms: the sum over articles of each term's rate (weight per 1,000 tokens), in fixed point.

    ``doc``, ``term``, ``weight``: one entry per counted match (article index,
    term id, weight); ``n_tokens`` and ``group``: per article. Each article's
    rate is rounded to ``2**-RATE_FIXED_POINT``; the sums are int64, so they
    add up exactly in any order.
    """
    if len(doc) == 0:
        return np.zeros((n_groups, n_terms), dtype=np.int64)
    per_match = 1000.0 * weight / np.maximum(n_tokens[doc], 1)
    keys = doc * n_terms + term
    uniq, where = np.unique(keys, return_inverse=True)
    per_article_term = np.bincount(where.reshape(-1), weights=per_match, minlength=len(uniq))
    fixed = np.rint(per_article_term * float(1 << RATE_FIXED_POINT)).astype(np.int64)
    flat = group[uniq // n_terms].astype(np.int64) * n_terms + uniq % n_terms
    # int64 sums: exact. (A float sum of a chunk's values is exact too, below 2**53, but need not be.)
    out = np.zeros(n_groups * n_terms, dtype=np.int64)
    np.add.at(out, flat, fixed)
    return out.reshape(n_groups, n_terms)


def comparisons(
    groups: Sequence[str],
    n_articles: np.ndarray,
    n_outlets: Sequence[int],
    sums: np.ndarray,
    term_category: np.ndarray,
    categories: Sequence[tuple[str, str]],
    term_texts: Sequence[str],
    *,
    rates: np.ndarray | None = None,
    group_of: np.ndarray | None = None,
    outlet_of: np.ndarray | None = None,
    few_articles: int = MIN_GROUP_ARTICLES,
    by_outlet: bool = True,
    what: str = "source types",
    articles_caution: str | None = None,
    test_first: Callable[[str, str], bool] | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Per category and pair of groups: means, difference, the term supplying most of it, and its share.

    Parameters
    ----------
    groups : sequence of str
        The groups (source types) in report order; ``sums`` has one row each.
    n_articles, n_outlets :
        Per group.
    sums : numpy.ndarray
        Groups x terms, from ``term_rate_sums`` (fixed point).
    term_category : numpy.ndarray
        Each term's category index into ``categories``.
    categories : sequence of (str, str)
        (lexicon, category) of each category.
    term_texts : sequence of str
        Each term as written in its lexicon.
    rates, group_of, outlet_of : numpy.ndarray, optional
        Articles x categories (rates), each article's index into ``groups``
        (-1: none) and outlet code: for the effect size and the tests. A
        pair is tested only when both groups have at least ``few_articles``
        articles and 2 outlets; the p-values are adjusted over all tested
        rows (Benjamini-Hochberg) and ``significant`` is "yes" below
        ``ALPHA``.
    by_outlet : bool
        Whether outlets nest in the groups (each outlet in one group), so
        that the test may shuffle outlets. When they do not (the groups
        are outlets themselves, or an outlet spans groups), a pair is tested
        with Welch's t-test on the articles instead, which treats the
        articles of one outlet as independent; every tested row's caution
        says so, and the 2-outlet rule does not apply.
    what : str
        What the groups are, for the notes ("source types", "values of mbfc").
    articles_caution : str, optional
        The caution of a row tested on articles (``by_outlet`` False):
        ``ARTICLES_AS_UNITS`` by default, ``OUTLETS_AS_GROUPS`` when the groups
        are the outlets.
    test_first : callable, optional
        ``test_first(a, b)``: whether the shuffles of the outlet test draw
        ``a``'s side first. The shuffles are seeded, so a pair's p-value moves
        (by Monte Carlo error) with the side drawn first; a grouping whose
        order is the user's (a groups file) gives an order-free rule here (by
        name), so reordering the groups changes no p-value. ``None``: the
        ``groups`` order, as the source types always had.

    Returns
    -------
    (pandas.DataFrame, list of str)
        ``COMPARISON_COLUMNS``, one row per category and pair ``a`` before
        ``b`` in ``groups`` order; and the notes: one per difference more
        than ``DOMINANT_SHARE`` one term (in rows without a caution), and one
        when every row has a caution. ``top_term_share`` is the term's part of
        ``difference`` (1 = all of it; above 1 when other terms pull the other
        way); empty when the difference is 0.
    """
    means = sums.astype(np.float64) / float(1 << RATE_FIXED_POINT) / np.maximum(n_articles, 1)[:, None]
    rows: list[dict[str, object]] = []
    notes: list[str] = []
    by_category = [np.flatnonzero(term_category == c) for c in range(len(categories))]
    tested = rates is not None and group_of is not None and outlet_of is not None
    members = [np.flatnonzero(group_of == g) for g in range(len(groups))] if tested else []
    p_values: dict[tuple[int, int], np.ndarray] = {}
    if tested:
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                if min(n_articles[a], n_articles[b]) < few_articles:
                    continue
                if not by_outlet:
                    p_values[a, b] = _article_test(rates, members[a], members[b])
                elif min(n_outlets[a], n_outlets[b]) >= 2:
                    first, second = (a, b) if test_first is None or test_first(groups[a], groups[b]) else (b, a)
                    p_values[a, b] = _outlet_test(rates, members[first], members[second], outlet_of)
    for c, (lexicon, category) in enumerate(categories):
        ranked = [np.sort(rates[m, c]) for m in members] if tested else []
        terms = by_category[c]
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                part = means[a, terms] - means[b, terms]
                diff = float(part.sum())
                top, share = "", np.nan
                if diff != 0 and len(terms):
                    k = int(np.argmax(part * np.sign(diff)))  # ties: the first term in lexicon order
                    top, share = term_texts[int(terms[k])], float(part[k] / diff)
                caution = _caution(groups[a], groups[b], n_articles[a], n_articles[b], n_outlets[a], n_outlets[b],
                                   few_articles, by_outlet, articles_caution or ARTICLES_AS_UNITS)
                p = float(p_values[a, b][c]) if (a, b) in p_values else np.nan
                rows.append(
                    {
                        "lexicon": lexicon, "category": category, "group_a": groups[a], "group_b": groups[b],
                        "n_articles_a": int(n_articles[a]), "n_articles_b": int(n_articles[b]),
                        "n_outlets_a": int(n_outlets[a]), "n_outlets_b": int(n_outlets[b]),
                        "mean_a": float(means[a, terms].sum()), "mean_b": float(means[b, terms].sum()),
                        "difference": diff,
                        "cliffs_delta": cliffs_delta(ranked[a], ranked[b]) if tested else np.nan,
                        "p_value": p, "p_adjusted": np.nan, "significant": "",
                        "top_term": top, "top_term_share": share, "caution": caution,
                    }
                )
                if share > DOMINANT_SHARE and caution in ("", articles_caution or ARTICLES_AS_UNITS):
                    notes.append(
                        f"{lexicon}.{category}, {groups[a]} vs {groups[b]}: {share:.0%} of the difference "
                        f"is the term {top!r}"
                    )
    adjusted = benjamini_hochberg(np.asarray([r["p_value"] for r in rows], dtype=np.float64))
    for r, q in zip(rows, adjusted.tolist()):
        if not np.isnan(q):
            r["p_adjusted"] = q
            r["significant"] = "yes" if q < ALPHA else "no"
    if rows and all(r["caution"] not in ("", articles_caution or ARTICLES_AS_UNITS) for r in rows):
        notes.insert(0, (
            f"every pair of {what} has a group of fewer than {few_articles} articles or of one outlet: "
            f"the differences describe these articles only and support no claim about {what}"
        ))
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS)), notes


def _outlet_test(rates: np.ndarray, in_a: np.ndarray, in_b: np.ndarray, outlet_of: np.ndarray) -> np.ndarray:
    """Permutation p-values (one per category) for groups ``a`` and ``b``, shuffling their outlets."""
    rows = np.concatenate([in_a, in_b])
    # Outlets are coded per group, so an outlet name shared by two groups counts as two outlets.
    side = np.concatenate([np.zeros(len(in_a), np.int64), np.ones(len(in_b), np.int64)])
    keys, code = np.unique(np.stack([side, outlet_of[rows]], axis=1), axis=0, return_inverse=True)
    code = code.reshape(-1)
    picked = rates[rows]
    sums = np.stack([np.bincount(code, weights=picked[:, c], minlength=len(keys)) for c in range(rates.shape[1])], axis=1)
    counts = np.bincount(code, minlength=len(keys)).astype(np.float64)
    return outlet_permutation_p(sums, counts, keys[:, 0] == 0)


def _article_test(rates: np.ndarray, in_a: np.ndarray, in_b: np.ndarray) -> np.ndarray:
    """Welch's t-test p-values (one per category) for groups ``a`` and ``b``, articles as the units."""
    from scipy.stats import ttest_ind

    with np.errstate(invalid="ignore", divide="ignore"):
        p = ttest_ind(rates[in_a], rates[in_b], axis=0, equal_var=False).pvalue
    return np.asarray(p, dtype=np.float64).reshape(-1)


ARTICLES_AS_UNITS = ("outlets do not nest in these groups: Welch's t-test on articles, which counts an outlet's "
                     "articles as independent")
OUTLETS_AS_GROUPS = ("the groups are outlets: Welch's t-test on their articles, which counts each article as "
                     "independent")


def _caution(a: str, b: str, n_a: int, n_b: int, o_a: int, o_b: int, few: int, by_outlet: bool = True,
             articles_caution: str = ARTICLES_AS_UNITS) -> str:
    parts = []
    for name, n, o in ((a, n_a, o_a), (b, n_b, o_b)):
        if n < few:
            parts.append(f"{name}: only {n} article{'' if n == 1 else 's'}")
        if o == 1 and by_outlet:
            parts.append(f"{name}: one outlet")
    if parts:
        return "; ".join(parts) + "; descriptive only, no test of a difference"
    return "" if by_outlet else articles_caution
