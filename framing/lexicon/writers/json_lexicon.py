"""JSON: category -> terms, nested, as quanteda's YAML (framing's own layout when that would be misread)."""

from __future__ import annotations

import json
from typing import Any

from ..formats.json_lexicon import is_word_to_categories
from ..model import Category, Lexicon, Term
from .common import children, name_as_written, one_line

__all__ = ["category_tree", "to_json"]


def _weight(t: Term) -> int | float:
    weight = float(t.weight)
    return int(weight) if weight.is_integer() and abs(weight) < 1e15 else weight


def category_tree(lexicon: Lexicon) -> dict[str, Any] | None:
    """``{name: [terms] | {term: weight, subcategory: ...}}``; ``None`` when two keys of one object would clash."""
    by_parent = children(lexicon)

    def node(c: Category) -> list[str] | dict[str, Any] | None:
        kids = by_parent.get(c.id, [])
        if not kids and all(t.weight == 1 for t in c.terms):
            return [one_line(t) for t in c.terms]
        obj: dict[str, Any] = {one_line(t): _weight(t) for t in c.terms}
        if len(obj) < len(c.terms):
            return None
        for k in kids:
            sub = node(k)
            if sub is None or name_as_written(k) in obj:
                return None
            obj[name_as_written(k)] = sub
        return obj

    top: dict[str, Any] = {}
    for c in by_parent.get("", []):
        value = node(c)
        if value is None or name_as_written(c) in top:
            return None
        top[name_as_written(c)] = value
    return top


def _framing_layout(lexicon: Lexicon) -> dict[str, Any]:
    """framing's layout (``name``, ``categories`` with ``label``, ``terms``, nested ``categories``)."""
    by_parent = children(lexicon)

    def node(c: Category) -> dict[str, Any]:
        terms = [one_line(t) if t.weight == 1 else {"term": one_line(t), "weight": _weight(t)} for t in c.terms]
        out: dict[str, Any] = {"label": c.label, "terms": terms}
        if by_parent.get(c.id):
            out["categories"] = {k.id.rsplit("/", 1)[-1]: node(k) for k in by_parent[c.id]}
        return out

    return {"name": lexicon.name, "categories": {c.id.rsplit("/", 1)[-1]: node(c) for c in by_parent.get("", [])}}


def to_json(lexicon: Lexicon) -> str:
    """The lexicon as JSON, category -> terms: a list of terms, or ``{term: weight}`` when a weight is not 1.

    A category with subcategories is an object holding its own terms (with
    their weights) and its subcategories (lists or objects). Category names
    are their labels when the label gives back the id, else the id's last
    part. When that object would read back otherwise (word -> categories by
    the reader's rule, a top-level category named ``categories``, a term
    and a subcategory with one name), framing's own layout is written
    instead, which reads back as the same lexicon.
    """
    data = category_tree(lexicon)
    if data is None or "categories" in data or is_word_to_categories(data):
        data = _framing_layout(lexicon)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
