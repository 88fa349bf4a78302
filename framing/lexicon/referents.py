"""Referents: the things that a ``labels`` lexicon names in two or more ways.

A lexicon whose categories carry a ``referent`` key (the built-in ``labels``
lexicon) holds two or more vocabularies for one thing: "invasion" or
"special military operation" for the war in Ukraine. Each such category is
one *label* of its referent, and its ``side`` says whose usage it collects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import Lexicon

__all__ = ["Referent", "referent_name", "referents"]


@dataclass(frozen=True)
class Referent:
    """One referent and the categories (labels) that name it, in lexicon order."""

    lexicon: str
    name: str
    categories: tuple[tuple[str, str, str], ...]  # (category id, label, side)


def referent_name(referent: str) -> str:
    """A referent id for people: ``"ukraine_war"`` -> ``"Ukraine war"``."""
    words = referent.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def referents(lexicons: Sequence[Lexicon]) -> list[Referent]:
    """Every referent of every lexicon whose categories carry ``referent``, in lexicon order."""
    out: list[Referent] = []
    for lx in lexicons:
        found: dict[str, list[tuple[str, str, str]]] = {}
        for c in lx.categories:
            extra = dict(c.extra)
            ref = extra.get("referent", "")
            if ref:
                found.setdefault(ref, []).append((c.id, c.label or c.id, extra.get("side", "")))
        out += [Referent(lx.name, ref, tuple(cats)) for ref, cats in found.items()]
    return out
