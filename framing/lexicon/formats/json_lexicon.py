"""JSON lexicons: category -> terms, word -> categories, or framing's own layout.

Three layouts, told apart by the decoded object:

* **framing's own**: an object with a ``categories`` key, the keys of
  framing's YAML (``name``, ``role``, ``categories`` ...);
* **category -> terms** (as quanteda's YAML): each key a category, each
  value a list of terms (``{"positive": ["good", "great*"]}``), an object
  ``{term: weight}``, or an object of subcategories; in an object, a key
  whose value is a list or an object is a subcategory, a key whose value is
  a number a term with that weight;
* **word -> categories**: each key a word, each value the list of its
  categories (``{"good": ["positive"]}``) or an object ``{category: weight}``
  (``{"awful": {"negative": 2}}``; a weight of 0 means "not a member").

The rule: an object is read as **word -> categories** when every value is a
list of strings or an object of numbers, **and** it has more keys than
there are distinct strings (or keys) in its values, at least one, as a word
list with a few categories has. Otherwise it is read as category -> terms. (A tiny
category -> terms file such as ``{"a": ["x"], "b": ["x"]}`` is read as two
words of one category ``x``: write it in framing's layout to be sure.)

JSON is YAML, so the two object layouts are walked as YAML nodes (their
lines kept) by the YAML reader's code, once the ``json`` module has checked
the syntax (its errors name their line). Tabs, which JSON allows between
tokens and YAML does not, are read as spaces.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..model import Category, Collector
from .flat import Drafts, add_entry, finish_drafts
from .yaml_lexicon import read_yaml

if TYPE_CHECKING:
    import yaml

__all__ = ["is_word_to_categories", "read_json"]

_SHAPE = ("a JSON lexicon is an object: category -> terms ({\"positive\": [\"good\"]}), word -> categories "
          "({\"good\": [\"positive\"]}) or framing's layout ({\"name\": ..., \"categories\": {...}})")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_word_to_categories(data: Any) -> bool:
    """The orientation rule: every value a list of strings or an object of numbers, more keys than category names.

    >>> is_word_to_categories({"good": ["positive"], "great": ["positive"]}), is_word_to_categories({"positive": ["good"]})
    (True, False)
    """
    if not isinstance(data, dict) or not data or "categories" in data:
        return False
    names: set[str] = set()
    for value in data.values():
        if isinstance(value, list) and all(isinstance(v, str) for v in value) or isinstance(value, dict) and all(_is_number(v) for v in value.values()):
            names.update(value)
        else:
            return False
    return len(data) > len(names) > 0


def read_json(text: str, col: Collector) -> tuple[dict[str, object], list[Category]]:
    """The metadata (framing's layout only) and categories of a JSON lexicon."""
    if not text.strip():
        col.error(1, f"the file is empty: {_SHAPE}")
        return {}, []
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        col.error(exc.lineno, f"JSON syntax: {exc.msg} (column {exc.colno})")
        return {}, []
    if not isinstance(data, dict) or not data:
        what = "an empty object" if isinstance(data, dict) else f"a {type(data).__name__.replace('dict', 'object')}"
        col.error(1, f"{_SHAPE}; this file holds {what}")
        return {}, []
    as_yaml = text.replace("\t", " ")  # valid JSON has no tab inside a string: these are blanks between tokens
    if not is_word_to_categories(data):
        return read_yaml(as_yaml, col)
    import yaml  # here, not at module level, like the YAML reader

    try:
        root = yaml.compose(as_yaml, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:  # valid JSON that PyYAML refuses (a key over 1024 characters ...)
        mark = getattr(exc, "problem_mark", None)
        col.error(mark.line + 1 if mark is not None else 1, f"cannot walk this JSON: {exc}")
        return {}, []
    return {}, _read_words(root, col)


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _read_words(root: yaml.MappingNode, col: Collector) -> list[Category]:
    """Word -> categories: each category made where it is first named."""
    import yaml

    drafts = Drafts(col)
    for key, value in root.value:
        word = str(key.value)
        if isinstance(value, yaml.SequenceNode):
            for item in value.value:
                add_entry(drafts, str(item.value), word, None, _line(item))
        else:
            for cat, weight in value.value:
                try:
                    zero = float(weight.value) == 0
                except ValueError:
                    zero = False
                if not zero:
                    add_entry(drafts, str(cat.value), word, str(weight.value), _line(cat))
    return finish_drafts(col, list(drafts.values()), rolled_up=False)
