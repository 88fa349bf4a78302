"""What the readers share: finishing a category, quoting file text in a message, reading CSV rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ..model import Category, Collector, Negation, Term

__all__ = ["csv_rows", "finish_category", "shown"]


def finish_category(
    col: Collector,
    cid: str,
    label: str,
    description: str,
    terms: list[Term],
    line: int,
    *,
    exclude: tuple[Term, ...] = (),
    negation: Negation | None = None,
    parent: str = "",
    extra: tuple[tuple[str, str], ...] = (),
    has_children: bool = False,
) -> Category:
    """The ``Category`` a reader gathered, each term once.

    A repeated term (same words, same wildcards) is dropped with a warning on
    its line; a category with no terms gets a warning on ``line``, unless it
    has children (``has_children``), whose terms are its own.
    """
    seen: dict[tuple[tuple[str, ...], tuple[bool, ...]], int] = {}
    unique: list[Term] = []
    for t in terms:
        key = (t.words, t.wildcard)
        if key in seen:
            col.warn(t.line, f'duplicate term "{t.text}" in {cid} (first on line {seen[key]}); counted once',
                     kind="duplicate-term")
            continue
        seen[key] = t.line
        unique.append(t)
    if not unique and not has_children:  # a parent may hold nothing of its own: its children are its terms
        col.warn(line, f"category {cid} has no terms", kind="empty-category")
    return Category(
        id=cid,
        label=label or cid,
        description=description,
        terms=tuple(unique),
        exclude=exclude,
        negation=negation,
        parent=parent,
        extra=extra,
    )


def shown(text: str, limit: int = 60) -> str:
    """``text`` quoted for a message, cut short when long (a whole line of the file may be quoted)."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def csv_rows(text: str, col: Collector) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` of a CSV text; a line the csv module refuses is an error, and the rows after it are read."""
    lines = io.StringIO(text, newline="")
    reader = csv.reader(lines)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. a NUL, which Python 3.10's csv refuses
            col.error(reader.line_num, f"not a readable CSV line ({exc})")
            continue
        yield reader.line_num, row
