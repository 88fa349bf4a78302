"""WordStat ``.cat``: categories and entries nested by tab indentation, ``ENTRY (weight)``."""

from __future__ import annotations

import re

from ..model import Lexicon
from .common import name_as_written, number, one_line, tree_order

__all__ = ["CAT_LABEL_BAD", "to_wordstat"]

# A label that would read back as an entry (it ends with a number in parentheses) is written as the id.
CAT_LABEL_BAD = re.compile(r"\(\s*[-+.\d][^()]*\)$")


def to_wordstat(lexicon: Lexicon) -> str:
    """The lexicon as a WordStat ``.cat``: each category on its line, its entries one tab deeper as ``TERM (weight)``.

    A child category is indented one tab more than its parent, after the
    parent's own entries. The name is the category's label when the label
    gives back the id, else the id's last part.
    """
    lines = []
    for depth, c in tree_order(lexicon):
        name = name_as_written(c)
        if CAT_LABEL_BAD.search(name):
            name = c.id.rsplit("/", 1)[-1]
        lines.append("\t" * depth + name)
        lines += [f"{chr(9) * (depth + 1)}{one_line(t)} ({number(t.weight)})" for t in c.terms]
    return "\n".join(lines) + "\n"
