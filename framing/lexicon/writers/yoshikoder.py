"""Yoshikoder ``.ykd``: XML, nested ``<cnode name=...>`` categories of ``<pnode name=...>`` patterns."""

from __future__ import annotations

from ..model import Lexicon
from .common import children, name_as_written, one_line

__all__ = ["to_yoshikoder"]


def to_yoshikoder(lexicon: Lexicon) -> str:
    """The lexicon as a Yoshikoder ``.ykd``: a ``<dictionary name=...>`` of nested ``<cnode>``s of ``<pnode>``s.

    Every name is escaped for XML (``&``, ``<``, quotes, tabs and line
    breaks as character references).
    """
    from xml.sax.saxutils import escape  # here, not at module level: only a .ykd file needs it

    def quoteattr(value: str) -> str:
        return '"' + escape(value, {'"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}) + '"'

    by_parent = children(lexicon)
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f"<dictionary style=\"framing\" name={quoteattr(lexicon.name)}>"]

    def walk(parent: str, depth: int) -> None:
        for c in by_parent.get(parent, []):
            pad = "  " * depth
            out.append(f"{pad}<cnode name={quoteattr(name_as_written(c))}>")
            out.extend(f"{pad}  <pnode name={quoteattr(one_line(t))}/>" for t in c.terms)
            walk(c.id, depth + 1)
            out.append(f"{pad}</cnode>")

    walk("", 1)
    out.append("</dictionary>")
    return "\n".join(out) + "\n"
