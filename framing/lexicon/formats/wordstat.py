"""WordStat ``.cat`` (Provalis): categories and entries nested by tab indentation, ``ENTRY (weight)``.

Read as quanteda's ``read_dict_wordstat`` reads it: a line that ends in a
number in parentheses (``GOOD* (1)``) is an entry, with that number as its
weight; any other line is a category. Each leading tab is one level of
nesting: a category holds the lines indented deeper than it that follow it,
up to the next line indented as much as it or less. An underscore in an
entry joins the words of a phrase (``CAPITAL_PUNISHMENT`` is the phrase
"capital punishment"), as in WordStat; spaces do too. Upper case is read as
lower case, as every term is.
"""

from __future__ import annotations

import re

from ..model import Category, Collector, to_identifier
from .common import shown
from .flat import Drafts, child_draft, finish_drafts

__all__ = ["read_wordstat"]

# An entry: text, blanks, then a number in parentheses at the end of the line.
_ENTRY = re.compile(r"^(?P<term>.*?\S)\s*\(\s*(?P<weight>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*\)$")


def read_wordstat(text: str, col: Collector) -> tuple[dict[str, str], list[Category]]:
    """The categories of a WordStat ``.cat`` (which has no metadata), nested as its lines are indented."""
    drafts = Drafts(col)
    stack: list[tuple[int, str]] = []  # (depth, path) of the categories that hold the next line
    empty_leaf: dict[str, int] = {}  # categories with no line under them yet: a missing "(1)" is likely
    for line, raw in enumerate(text.splitlines(), start=1):
        content = raw.strip()
        if not content:
            continue
        depth = len(raw) - len(raw.lstrip("\t"))
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parent = stack[-1][1] if stack else ""
        empty_leaf.pop(parent, None)
        entry = _ENTRY.match(content)
        if entry:
            if not parent:
                col.error(line, f"entry {shown(content)} is in no category: indent it with a tab under a "
                          "category line (a line without a weight in parentheses)")
                continue
            term = col.term(entry.group("term").replace("_", " "), entry.group("weight"), line, parent)
            if term is not None:
                drafts[parent].terms.append(term)
            continue
        cid = to_identifier(content)
        if not cid:
            col.error(line, f"category {shown(content)} has no letters or digits")
            stack.append((depth, parent))  # its lines go to its parent rather than raise one error each
            continue
        draft, before = child_draft(drafts, parent, content, line)
        path = draft.id
        if not before:
            empty_leaf[path] = line
        stack.append((depth, path))
    for path, line in empty_leaf.items():
        col.warn(line, f"{shown(drafts[path].label)} is read as a category with no entries: an entry ends with "
                 "its weight in parentheses, as in 'GOOD* (1)'")
    if not drafts and not col.problems:
        col.error(1, "the file is empty: a .cat file has category lines, and under each, indented by a tab, "
                  "entries such as 'GOOD* (1)'")
    return {}, finish_drafts(col, list(drafts.values()), rolled_up=False)
