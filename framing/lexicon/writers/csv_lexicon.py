"""framing's CSV lexicon: ``category,term,weight`` (and ``kind`` when the lexicon has exclusions)."""

from __future__ import annotations

from ..model import Lexicon
from .common import csv_text, number, tree_order

__all__ = ["to_csv"]


def to_csv(lexicon: Lexicon) -> str:
    """The lexicon as framing's CSV: ``category,term,weight`` (and ``kind`` when it has exclusions)."""
    with_kind = any(c.exclude for c in lexicon.categories)
    rows = [["category", "term", "weight", "kind"] if with_kind else ["category", "term", "weight"]]
    for _, c in tree_order(lexicon):
        for t in c.terms:
            rows.append([c.id, t.text, "" if t.weight == 1 else number(t.weight)] + (["term"] if with_kind else []))
        rows += [[c.id, t.text, "", "exclude"] for t in c.exclude]
    return csv_text(rows)
