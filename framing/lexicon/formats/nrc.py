"""NRC word-category-flag text (``.txt``): one ``word<TAB>category<TAB>value`` line per pair.

The NRC Emotion Lexicon gives each word a 0 or a 1 for each emotion; the
NRC Emotion Intensity Lexicon a score. A value of 0 means "not in the
category" and the line is skipped; any other number makes the word a member
with that number as its weight (1: a plain entry). A line
``word<TAB>category`` makes the word a member with weight 1. A first line
whose third column is not a number is a header and is skipped. A category
named ``parent/child`` is nested in ``parent``, as in framing's CSV.
"""

from __future__ import annotations

import math

from ..model import Category, Collector
from .common import shown
from .flat import Drafts, add_entry, finish_drafts

__all__ = ["read_nrc"]

_SHAPE = "a .txt lexicon has one 'word<TAB>category<TAB>value' (or 'word<TAB>category') line per entry"


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return None if math.isnan(value) else value


def read_nrc(text: str, col: Collector) -> tuple[dict[str, str], list[Category]]:
    """The categories of an NRC-style word-category-value list (which has no metadata)."""
    drafts = Drafts(col)
    n_lines = 0
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        cells = [cell.strip() for cell in raw.split("\t")]
        while len(cells) > 2 and not cells[-1]:  # trailing tabs
            cells.pop()
        if line == 1 and len(cells) == 3 and _number(cells[2]) is None:
            continue  # a header: word<TAB>emotion<TAB>association
        n_lines += 1
        if len(cells) not in (2, 3):
            col.error(line, f"{_SHAPE}; this line has {len(cells)} column{'s' if len(cells) != 1 else ''}: "
                      f"{shown(raw.strip())}")
            continue
        word, name = cells[0], cells[1]
        weight = cells[2] if len(cells) == 3 else None
        if not word or not name:
            col.error(line, f"{_SHAPE}; the {'word' if not word else 'category'} is empty: {shown(raw.strip())}")
            continue
        if weight is not None:
            value = _number(weight)
            if value is None:
                col.error(line, f'value of "{word}" in {name} must be a number (0: not in the category), '
                          f"got {weight!r}")
                continue
            if value == 0:
                continue
        add_entry(drafts, name, word, weight, line)
    if not drafts and not col.problems:
        what = "has no entry with a value other than 0" if n_lines else "is empty"
        col.error(1, f"the file {what}: {_SHAPE}")
    return {}, finish_drafts(col, list(drafts.values()), rolled_up=False)
