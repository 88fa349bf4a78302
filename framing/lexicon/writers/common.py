"""What the writers share: the tree order of categories, LIWC's roll-up, numbers, CSV text."""

from __future__ import annotations

import csv
import io

from ..model import Category, Lexicon, Term, to_identifier

__all__ = ["TermKey", "children", "csv_text", "leaf", "name_as_written", "number", "one_line", "path_as_written",
           "rolled_up", "term_key", "tree_order"]

TermKey = tuple[tuple[str, ...], tuple[bool, ...]]


def term_key(t: Term) -> TermKey:
    """What makes two terms one entry: their words and wildcards, whatever their weights."""
    return (t.words, t.wildcard)


def number(weight: float) -> str:
    """``2.0`` -> ``"2"``, ``1.5`` -> ``"1.5"``: the shortest text that reads back as the same float."""
    weight = float(weight)
    return str(int(weight)) if weight.is_integer() and abs(weight) < 1e15 else repr(weight)


def name_as_written(c: Category, forbidden: str = "") -> str:
    """The name of ``c`` in a format that names a category by one string, whose reader takes the id from it.

    Its label when the label gives back its id (``POSITIVE_AFFECT`` for
    ``positive_affect``) and is one clean line without any of ``forbidden``;
    else the last part of its id. So such a format keeps the labels that
    differ from the id only in case and punctuation.
    """
    label = c.label
    ok = (label == label.strip() and label.isprintable() and to_identifier(label) == leaf(c.id)
          and not any(ch in label for ch in forbidden))
    return label if ok else leaf(c.id)


def path_as_written(c: Category, forbidden: str = "") -> str:
    """``parent/child`` with the category's own name as written (``name_as_written``; never a ``/`` in it)."""
    own = name_as_written(c, forbidden + "/")
    return f"{c.parent}/{own}" if c.parent else own


def one_line(t: Term) -> str:
    """The text of ``t`` on one line: tabs, line breaks and other unprintable characters made spaces."""
    text = t.text
    if text.isprintable():
        return text
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def leaf(cid: str) -> str:
    """The last part of a category path: ``econ/energy`` -> ``energy``."""
    return cid.rsplit("/", 1)[-1]


def children(lexicon: Lexicon) -> dict[str, list[Category]]:
    """Categories by parent path (``""``: the top level), each list in the lexicon's order."""
    by_parent: dict[str, list[Category]] = {}
    ids = {c.id for c in lexicon.categories}
    for c in lexicon.categories:
        # A parent that is not in the lexicon cannot hold its child: write the child at the top.
        by_parent.setdefault(c.parent if c.parent in ids else "", []).append(c)
    return by_parent


def tree_order(lexicon: Lexicon) -> list[tuple[int, Category]]:
    """``(depth, category)``, each parent followed by its descendants."""
    by_parent = children(lexicon)
    out: list[tuple[int, Category]] = []

    def walk(parent: str, depth: int) -> None:
        for c in by_parent.get(parent, []):
            out.append((depth, c))
            walk(c.id, depth + 1)

    walk("", 0)
    return out


def rolled_up(lexicon: Lexicon) -> list[tuple[Category, list[Term]]]:
    """Each category with its own terms followed by its descendants' (first occurrence kept), for LIWC."""
    out = []
    for _, c in tree_order(lexicon):
        seen: set[TermKey] = set()
        terms = []
        for t in [*c.terms, *(t for d in lexicon.descendants(c.id) for t in d.terms)]:
            if term_key(t) not in seen:
                seen.add(term_key(t))
                terms.append(t)
        out.append((c, terms))
    return out


def csv_text(rows: list[list[str]]) -> str:
    """``rows`` as CSV text (the csv module's quoting, ``\\n`` line ends)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerows(rows)
    return buf.getvalue()
