"""quanteda's YAML: ``category: [terms]``, nested, as quanteda's ``dictionary()`` and Newsmap write it.

The same tree as the JSON writer's category -> terms (``json_lexicon``): a
category is a list of its terms, or, when it has subcategories or a weight
other than 1, a mapping of its terms (to their weights) and its
subcategories. PyYAML is imported inside the function, as in the reader.
"""

from __future__ import annotations

from ..model import Lexicon
from .json_lexicon import category_tree

__all__ = ["quanteda_clash", "to_quanteda_yaml"]


def quanteda_clash(lexicon: Lexicon) -> bool:
    """Whether ``lexicon`` cannot be written in quanteda's layout (two names of one mapping clash, or a top-level
    category named ``categories``, which would read back as framing's YAML)."""
    tree = category_tree(lexicon)
    return tree is None or "categories" in tree


def to_quanteda_yaml(lexicon: Lexicon) -> str:
    """The lexicon in quanteda's YAML; ``ValueError`` when ``quanteda_clash`` says it cannot be.

    Leaves are written in flow style (``positive: [good, great*]``), one
    category per line, in the lexicon's order.
    """
    import yaml

    tree = category_tree(lexicon)
    if tree is None or "categories" in tree:
        raise ValueError("two names of one mapping clash, or a top-level category is named 'categories'")
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, default_flow_style=None, width=float("inf"))
