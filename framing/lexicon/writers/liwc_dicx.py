"""LIWC-22 ``.dicx``: a CSV grid, ``DicTerm`` and one column per category."""

from __future__ import annotations

from ..model import Lexicon
from .common import TermKey, csv_text, number, rolled_up, term_key

__all__ = ["to_dicx"]


def to_dicx(lexicon: Lexicon) -> str:
    """The lexicon as a LIWC-22 ``.dicx`` grid: ``DicTerm`` and one column per category (its path).

    A member's cell holds ``X``; in a lexicon with any weight other than 1,
    every member's cell holds its weight instead.
    """
    rolled = rolled_up(lexicon)
    weighted = any(t.weight != 1 for c in lexicon.categories for t in c.terms)
    index = {c.id: n for n, (c, _) in enumerate(rolled)}
    rows: dict[TermKey, list[str]] = {}
    for c, terms in rolled:
        for t in terms:
            row = rows.setdefault(term_key(t), [t.text] + [""] * len(rolled))
            row[1 + index[c.id]] = number(t.weight) if weighted else "X"
    return csv_text([["DicTerm", *(c.id for c, _ in rolled)], *rows.values()])
