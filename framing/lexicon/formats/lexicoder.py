"""Lexicoder ``.lc3``: a ``+category`` line, then that category's entries, one per line.

Read as quanteda's ``read_dict_lexicoder`` reads it (the Lexicoder Sentiment
Dictionary is published so): every line is trimmed, a line that starts with
``+`` names a category, every other non-blank line is an entry of the last
category named. Entries carry no weight. Upper case is read as lower case, as
every term is. A category named ``parent/child`` is nested in ``parent``, as
in framing's CSV, so that framing's nested lexicons survive the format.
"""

from __future__ import annotations

from ..model import Category, Collector
from .common import shown
from .flat import Draft, Drafts, draft_for, finish_drafts, path_of

__all__ = ["read_lexicoder"]


def read_lexicoder(text: str, col: Collector) -> tuple[dict[str, str], list[Category]]:
    """The categories of a Lexicoder ``.lc3`` (which has no metadata)."""
    drafts = Drafts(col)
    current: Draft | None = None
    named = False  # a "+" line was read, even a bad one: its entries are not "before any category"
    for line, raw in enumerate(text.splitlines(), start=1):
        content = raw.strip()
        if not content:
            continue
        if content.startswith("+"):
            named = True
            name = content[1:].strip()
            path, _ = path_of(name)
            if not path:
                col.error(line, f"category {shown(name)} has no letters or digits")
                current = None
                continue
            before = drafts.existing(name)
            if before is not None:
                col.warn(line, f"category {before.id} is named twice (first on line {before.line}); "
                         "its entries are read as one category")
            current = draft_for(drafts, name, line, label_as_written=True)
            continue
        if current is None:
            if not named:
                col.error(line, f"entry {shown(content)} comes before any category: a .lc3 file names a category "
                          "on a line starting with '+', then lists its entries")
            continue
        term = col.term(content, None, line, current.id)
        if term is not None:
            current.terms.append(term)
    if not drafts and not col.problems:
        col.error(1, "the file is empty: a .lc3 file names a category on a line starting with '+', "
                  "then lists its entries, one per line")
    return {}, finish_drafts(col, list(drafts.values()), rolled_up=False)
