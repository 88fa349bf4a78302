"""The YAML lexicon file: metadata, negation, categories with nested ``categories:``; it holds everything.

PyYAML is imported inside the functions that quote a scalar, never at
module level, as in the reader.
"""

from __future__ import annotations

import json
import textwrap

from ..model import Category, Lexicon, Negation, Term
from .common import children, leaf, number

__all__ = ["to_yaml"]

_FOLD_WIDTH = 76


def _yaml_scalar(value: str, *, flow: bool = False) -> str:
    """``value`` as a YAML scalar, plain when YAML reads it back as this very string, quoted otherwise."""
    import yaml  # here, not at module level, like the reader

    if not value.isprintable():  # newlines, tabs, line separators: one double-quoted line with escapes
        text = json.dumps(value, ensure_ascii=False)
        return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\x85")
    if flow:
        return yaml.safe_dump([value], allow_unicode=True, default_flow_style=True, width=float("inf")).strip()[1:-1]
    text = yaml.safe_dump(value, allow_unicode=True, width=float("inf"))
    return text.removesuffix("\n...\n").removesuffix("\n")


def _yaml_text(key: str, value: str, indent: str) -> list[str]:
    """``key: value``; a long prose value as a folded block (``>-``) wrapped at ~80 columns."""
    simple = value.isprintable() and value == value.strip() and "  " not in value
    if simple and len(indent) + len(key) + len(value) + 2 > 88:
        width = max(40, _FOLD_WIDTH - len(indent))
        wrapped = textwrap.wrap(value, width=width, break_long_words=False, break_on_hyphens=False)
        return [f"{indent}{key}: >-", *(f"{indent}  {w}" for w in wrapped)]
    return [f"{indent}{key}: {_yaml_scalar(value)}"]


def _yaml_negation(rule: Negation | None) -> str:
    if rule is None:
        return "false"
    if rule == Negation():
        return "true"
    cues = ", ".join(_yaml_scalar(c, flow=True) for c in rule.cues)
    return f"{{cues: [{cues}], window: {rule.window}}}"


def _yaml_term(t: Term) -> str:
    if t.weight == 1:
        return _yaml_scalar(t.text)
    return f"{{term: {_yaml_scalar(t.text, flow=True)}, weight: {number(t.weight)}}}"


def _yaml_category(c: Category, lexicon: Lexicon, inherited: Negation | None, depth: int) -> list[str]:
    pad = "  " * (2 + 2 * depth)
    lines = [f"{'  ' * (1 + 2 * depth)}{_yaml_scalar(leaf(c.id))}:"]
    lines += _yaml_text("label", c.label, pad)
    if c.description:
        lines += _yaml_text("description", c.description, pad)
    for key, value in c.extra:
        lines += _yaml_text(_yaml_scalar(key), value, pad)
    # Written whenever it differs from what the category would take without
    # the key, whether a reader has it inherit from the lexicon or the parent.
    if c.negation != lexicon.negation or c.negation != inherited:
        lines.append(f"{pad}negation: {_yaml_negation(c.negation)}")
    if c.exclude:
        lines.append(f"{pad}exclude:")
        lines += [f"{pad}  - {_yaml_scalar(t.text)}" for t in c.exclude]
    lines.append(f"{pad}terms:" if c.terms else f"{pad}terms: []")
    lines += [f"{pad}  - {_yaml_term(t)}" for t in c.terms]
    return lines


def to_yaml(lexicon: Lexicon) -> str:
    """The lexicon as a YAML lexicon file: metadata, negation, categories with nested ``categories:``."""
    out: list[str] = [f"name: {_yaml_scalar(lexicon.name)}", f"role: {_yaml_scalar(lexicon.role)}"]
    for key in ("version", "description", "citation", "language"):
        value = getattr(lexicon, key)
        if value:
            out += _yaml_text(key, value, "")
    if lexicon.negation is not None:
        out.append(f"negation: {_yaml_negation(lexicon.negation)}")
    out.append("categories:")
    by_parent = children(lexicon)

    def walk(parent: str, depth: int, inherited: Negation | None) -> None:
        kids = by_parent.get(parent, [])
        if depth:
            out.append(f"{'  ' * 2 * depth}categories:")
        for c in kids:
            out.extend(_yaml_category(c, lexicon, inherited, depth))
            if by_parent.get(c.id):
                walk(c.id, depth + 1, c.negation)

    walk("", 0, lexicon.negation)
    return "\n".join(out) + "\n"
