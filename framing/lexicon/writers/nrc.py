"""NRC word-category-value text (``.txt``): one ``word<TAB>category<TAB>weight`` line per entry."""

from __future__ import annotations

from ..model import Lexicon
from .common import number, one_line, path_as_written, tree_order

__all__ = ["to_nrc"]


def to_nrc(lexicon: Lexicon) -> str:
    """The lexicon as NRC-style lines ``term<TAB>category<TAB>weight``, category by category.

    A nested category is named by its path, ``parent/child``; phrases and
    wildcards are written as they are. A category without terms has no line.
    """
    lines = []
    for _, c in tree_order(lexicon):
        name = path_as_written(c, "\t")
        lines += [f"{one_line(t)}\t{name}\t{number(t.weight)}" for t in c.terms]
    return "\n".join(lines) + "\n" if lines else ""
