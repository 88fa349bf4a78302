"""LIWC-22 ``.dicx``: a CSV grid, the entries in the first column and one column per category."""

from __future__ import annotations

from ..model import Category, Collector
from .common import csv_rows, shown
from .flat import Draft, Drafts, draft_for, finish_drafts, path_of

__all__ = ["read_dicx"]


_DICX_HEADER = "a .dicx file starts with a header row: DicTerm,<category>,<category>..."


def read_dicx(text: str, col: Collector) -> tuple[dict[str, str], list[Category]]:
    """A grid: the first column the entries, one column per category; ``X`` or a weight marks a member."""
    if not text.strip():
        col.error(1, f"the file is empty: {_DICX_HEADER}")
        return {}, []
    rows = csv_rows(text, col)
    hline, header = next(rows, (1, None))
    if not header or not any(cell.strip() for cell in header):
        col.error(hline, f"{_DICX_HEADER}; the first line is empty")
        return {}, []
    if len(header) < 2:
        col.error(hline, f"{_DICX_HEADER}; the first line, {shown(','.join(header))}, has no category column")
        return {}, []
    drafts = Drafts(col)
    columns: list[Draft | None] = []  # None: a column without a category
    named: dict[str, int] = {}  # name as written (without case) -> its first column
    for n, cell in enumerate(header[1:], start=2):
        name = cell.strip()
        path, _ = path_of(name)
        if name and not path:
            col.error(hline, f"column {n}: category {name!r} has no letters or digits")
        elif path:
            if name.casefold() in named:
                col.warn(hline, f"column {n} repeats category {name!r} of column {named[name.casefold()]}; its "
                         "marks count in that category")
            named.setdefault(name.casefold(), n)
            columns.append(draft_for(drafts, name, hline, label_as_written=True))
            continue
        columns.append(None)  # an empty header cell is fine while its column stays empty
    if not named and not any(cell.strip() for cell in header[1:]):
        col.error(hline, f"{_DICX_HEADER}; the header names no category")
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        entry = row[0].strip()
        if not entry:
            col.error(line, "row has marks but no entry in its first cell")
            continue
        if not any(cell.strip() for cell in row[1:]):
            col.warn(line, f'"{entry}" is marked in no column; it is in no category', kind="unmarked-entry")
            continue
        for n, cell in enumerate(row[1:], start=2):
            mark = cell.strip()
            if not mark:
                continue
            draft = columns[n - 2] if n - 2 < len(columns) else None
            if draft is None:
                col.error(line, f'"{entry}" is marked in column {n}, which has no category name in the header')
                continue
            weight = None if mark in ("X", "x") else mark
            term = col.term(entry, weight, line, draft.id)
            if term is not None:
                draft.terms.append(term)
    # LIWC-22 counts each column on its own, so a parent column repeats its
    # children's entries.
    return {}, finish_drafts(col, list(drafts.values()), rolled_up=True)
