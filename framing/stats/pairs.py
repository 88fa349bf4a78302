"""The two articles report.html shows side by side, and why these two.

Two articles of different labelled source types that share the most
distinct matched terms are likely about the same things, so their wording can
be compared. The choice is made once per run, by the engine, from the kept
articles and their evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..english import plural
from ..errors import InputError
from ..types import LABELLED_TYPES, Article

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MAX_PAIR_CANDIDATES", "choose_pair", "one_line_id"]

MAX_PAIR_CANDIDATES = 500  # articles searched for the pair (pairs grow with the square)


def choose_pair(
    articles: Sequence[Article], scores: pd.DataFrame | None, matches: pd.DataFrame | None,
    ids: Sequence[str] | None = None,
) -> tuple[str, str, str] | None:
    """The two articles to show side by side, and why these two: ``(id, id, reason)``.

    With ``ids`` (two article ids), those two; they must be articles whose
    text is kept (``articles``). Without, the pair of articles of two different
    labelled source types that share the most distinct matched terms (ties:
    the smaller ids), among the first ``MAX_PAIR_CANDIDATES`` kept articles;
    ``None`` if there is no such pair. ``scores`` (the rows of ``report.csv``
    kept) give the source types; ``matches`` (the evidence ledger) the terms.

    Raises
    ------
    InputError
        If ``ids`` is not two different ids of articles with kept texts.
    """
    kept = {a.id: a for a in articles}
    types = {a.id: a.source_type for a in articles}
    if scores is not None and len(scores) and "source_type" in scores.columns:
        types.update(zip(scores["article_id"].astype(str), scores["source_type"].astype(str)))
    terms: dict[str, set[str]] = {}
    m = matches
    if m is not None and len(m):
        for aid, term in zip(m["article_id"].astype(str), m["term"].astype(str)):
            terms.setdefault(aid, set()).add(term)
    if ids is not None:
        ids = [str(i) for i in ids]
        if len(ids) != 2 or ids[0] == ids[1]:
            raise InputError("compare needs two different article ids")
        known = set(types) | set(kept)
        for i in ids:
            if i not in known:
                raise InputError(f"no article with id {one_line_id(i)} to compare (ids are report.csv's article_id)")
            if i not in kept:
                raise InputError(
                    f"the text of article {one_line_id(i)} is not kept in this run (it keeps the text of the "
                    f"first {plural(len(kept), 'article')} by id; raise --html-articles to keep more)"
                )
        shared = len(terms.get(ids[0], set()) & terms.get(ids[1], set()))
        return ids[0], ids[1], f"chosen for this run (--compare); they share {plural(shared, 'matched term')}"
    candidates = sorted(a for a in kept if types.get(a) in LABELLED_TYPES)[:MAX_PAIR_CANDIDATES]
    best: tuple[int, str, str] | None = None
    for i, a in enumerate(candidates):
        ta = terms.get(a, set())
        for b in candidates[i + 1 :]:
            if types[a] == types[b]:
                continue
            n = len(ta & terms.get(b, set()))
            if best is None or n > best[0]:  # candidates are sorted: the first best pair has the smallest ids
                best = (n, a, b)
    if best is None:
        return None
    n, a, b = best
    return a, b, (
        f"of all pairs of articles from two different labelled source types, these two share the most "
        f"matched lexicon terms ({n:,}), so they are likely about the same things and their wording "
        "can be compared"
    )


def one_line_id(article_id: str, width: int = 80) -> str:
    """An id for a one-line error message: control characters shown as escapes, long ids cut."""
    shown = repr(article_id)
    return shown if len(shown) <= width else shown[: width - 1] + "\u2026"
