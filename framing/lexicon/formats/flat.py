"""The drafts of the flat formats (.dic, .dicx, CSV): categories built up line by line, then finished.

A flat format names a category on each entry (by code or by its path,
``parent/child``) instead of nesting entries under it. Its reader makes a
``Draft`` per category as the lines come (``draft_for`` makes a parent named
only through its children, just before its first child), adds the terms to
it, and ends with ``finish_drafts``.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field

from ..model import Category, Collector, Term, to_identifier
from .common import finish_category

__all__ = ["Draft", "Drafts", "add_entry", "child_draft", "draft_for", "finish_drafts", "name_key", "path_of", "unique_id"]


@dataclass
class Draft:
    """A category while its file is read: terms are added as their lines come."""

    id: str
    label: str
    line: int
    parent: str = ""
    description: str = ""
    terms: list[Term] = field(default_factory=list)
    exclude: list[Term] = field(default_factory=list)


_SAME_NAME = re.compile(r"[\s_]+")


class Drafts(dict[str, Draft]):
    """The drafts of a file by id, with the id each category name (as written) was given.

    Two names written differently may make the same id (the General
    Inquirer's ``Econ@`` and ``ECON`` are both ``econ``); they are two
    categories, so the later one gets the next free id (``econ_2``), with a
    warning that says so.
    """

    def __init__(self, col: Collector) -> None:
        super().__init__()
        self.col = col
        self.given: dict[str, str] = {}  # a category's path as written (see ``name_key``) -> its id

    def make(self, key: str, parent: str, name: str, line: int, *, label: str | None = None) -> Draft:
        """A new category written ``name`` under ``parent`` (an id path), found again by ``key``.

        Its id is ``parent/<name in snake_case>``, or the next free one when
        another name made that id first, with a warning. ``label``: the
        name as written, or (``None``) the id's last part.
        """
        leaf = to_identifier(name)
        wanted = f"{parent}/{leaf}" if parent else leaf
        pid = unique_id(self, wanted)
        if pid != wanted:
            self.col.warn(line, f"categories {self[wanted].label!r} (line {self[wanted].line}) and {name!r} both "
                          f"make the id {wanted}; {name!r} is {pid}", kind="category-id-clash")
        self.given[key] = pid
        self[pid] = Draft(pid, pid.rsplit("/", 1)[-1] if label is None else label, line, parent=parent)
        return self[pid]

    def existing(self, name: str) -> Draft | None:
        """The draft of the category ``name`` (a ``parent/child`` path as written), if it was made already."""
        pid = self.given.get(name_key(name))
        return None if pid is None else self[pid]


def name_key(name: str) -> str:
    """What makes two written names (paths) one category: the same but for case, spaces and underscores."""
    return "/".join(_SAME_NAME.sub("_", part.strip().casefold()) for part in name.split("/"))


def unique_id(taken: Container[str], wanted: str) -> str:
    """``wanted``, or ``wanted_2``, ``wanted_3``, ... : the first that is not ``taken``."""
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}_{n}" in taken:
        n += 1
    return f"{wanted}_{n}"


def path_of(name: str) -> tuple[str, list[str]]:
    """``"Economy/Trade"`` -> ``("economy/trade", ["economy", "trade"])``; an empty part gives ``""``."""
    parts = [to_identifier(p) for p in name.split("/")]
    return ("/".join(parts) if all(parts) else ""), parts


def draft_for(drafts: Drafts, name: str, line: int, *, label_as_written: bool) -> Draft:
    """The draft of category ``name`` (a ``parent/child`` path), made with its missing ancestors.

    A parent named only through its children is made here, just before its
    first child, so every parent precedes its descendants. Its label is its
    id; so is the category's own unless ``label_as_written``. Names are one
    category when they differ only in case, spaces and underscores (``Pos
    Emo``, ``pos_emo``); names that differ otherwise but make the same id
    (``Econ@``, ``ECON``) are two, the later one with the next free id.
    """
    written = [part.strip() for part in name.split("/")]
    parent = ""
    for depth in range(1, len(written) + 1):
        key = name_key("/".join(written[:depth]))
        pid = drafts.given.get(key)
        if pid is None:
            own = label_as_written and depth == len(written)
            name_here = written[depth - 1]
            pid = drafts.make(key, parent, name_here, line, label=name_here if own else None).id
        parent = pid
    return drafts[parent]


def child_draft(drafts: Drafts, parent: str, name: str, line: int) -> tuple[Draft, bool]:
    """The draft of the category written ``name`` directly under ``parent`` (an id path; "" at the top).

    For the formats that nest categories (WordStat, quanteda's YAML). Returns
    the draft and whether that category was written before (with a warning:
    its entries are read as one category); names are one category or two by
    the rule of ``draft_for``.
    """
    key = f"{parent}\x00{name_key(name)}"  # NUL: no written name holds one, so no key of draft_for's
    pid = drafts.given.get(key)
    if pid is not None:
        drafts.col.warn(line, f"category {pid} appears twice (first on line {drafts[pid].line}); its entries are "
                        "read as one category")
        return drafts[pid], True
    return drafts.make(key, parent, name, line, label=name), False


def add_entry(drafts: Drafts, name: str, text: str, weight: str | None, line: int) -> None:
    """Add the entry ``text`` (``weight`` as written, or ``None``) to the category written ``name``.

    For the formats that name a category on every entry (NRC, JSON word ->
    categories); a name without letters or digits is an error on ``line``.
    """
    if not path_of(name)[0]:
        drafts.col.error(line, f'category {name!r} of "{text}" has no letters or digits')
        return
    draft = draft_for(drafts, name, line, label_as_written=True)
    term = drafts.col.term(text, weight, line, draft.id)
    if term is not None:
        draft.terms.append(term)


def finish_drafts(col: Collector, drafts: list[Draft], *, rolled_up: bool) -> list[Category]:
    """Categories from drafts, in order.

    ``rolled_up``: the file lists a child's terms under its parents too (LIWC
    dictionaries do, because LIWC counts every category on its own). framing
    rolls children up into parents itself, so such a term is kept in the
    child only and the parent counts it once, through the child.
    """
    below: dict[str, set[tuple[tuple[str, ...], tuple[bool, ...]]]] = {d.id: set() for d in drafts}
    parents = {d.parent for d in drafts if d.parent}
    if rolled_up:
        for d in drafts:
            keys = {(t.words, t.wildcard) for t in d.terms}
            ancestor = d.parent
            while ancestor:
                below[ancestor] |= keys
                ancestor = ancestor.rsplit("/", 1)[0] if "/" in ancestor else ""
    categories = []
    for d in drafts:
        own = [t for t in d.terms if (t.words, t.wildcard) not in below[d.id]]
        categories.append(
            finish_category(
                col, d.id, d.label, d.description, own, d.line,
                exclude=tuple(d.exclude), parent=d.parent, has_children=d.id in parents,
            )
        )
    return categories
