"""Lexicoder ``.lc3``: a ``+category`` line, then that category's entries, one per line."""

from __future__ import annotations

from ..model import Lexicon
from .common import one_line, path_as_written, tree_order

__all__ = ["to_lexicoder"]


def to_lexicoder(lexicon: Lexicon) -> str:
    """The lexicon as a Lexicoder ``.lc3``: ``+category`` (``+parent/child`` when nested), then its terms.

    Weights are not written. An entry that starts with ``+`` would read as a
    category, so its leading ``+`` is left out (it is punctuation, which
    matches nothing).
    """
    lines = []
    for _, c in tree_order(lexicon):
        lines.append(f"+{path_as_written(c)}")
        lines += [one_line(t).lstrip("+ ") for t in c.terms]
    return "\n".join(lines) + "\n"
