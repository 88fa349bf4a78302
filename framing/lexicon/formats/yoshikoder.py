"""Yoshikoder ``.ykd``: XML, a ``<dictionary>`` of nested ``<cnode name=...>`` categories and ``<pnode name=...>`` patterns.

Read as quanteda's ``read_dict_yoshikoder`` reads it, except that a
category may hold patterns of its own next to its subcategories (framing
rolls the subcategories up into it). The ``name`` of the ``<dictionary>``
element is the lexicon's name. A file with a DOCTYPE or an ENTITY
declaration is refused: Yoshikoder writes none, and entity expansion is a
known way to make an XML reader eat all memory. The standard library's
``xml.etree.ElementTree`` parses the rest, fed one line at a time so that
each element keeps the line where its start tag ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Category, Collector, to_identifier
from .common import shown
from .flat import Draft, finish_drafts

__all__ = ["read_yoshikoder"]


@dataclass
class _Node:
    """An element as the reader needs it: its tag, attributes, line and children."""

    tag: str
    attrib: dict[str, str]
    line: int
    children: list[_Node] = field(default_factory=list)

    def all(self, tag: str) -> list[_Node]:
        return [c for c in self.children if c.tag == tag]


class _Builder:
    """An ElementTree parser target that builds ``_Node``s, each with the line being fed when it started."""

    def __init__(self) -> None:
        self.line = 1
        self.root: _Node | None = None
        self.stack: list[_Node] = []

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        node = _Node(tag, dict(attrib), self.line)
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def end(self, tag: str) -> None:
        self.stack.pop()

    def data(self, data: str) -> None:
        pass

    def close(self) -> _Node | None:
        return self.root

_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# The encoding named in the XML declaration: the text is decoded already, so expat must not decode it again.
_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']""")
_SHAPE = "a .ykd file is XML: a <dictionary> element holding <cnode name=...> categories of <pnode name=...> patterns"


def read_yoshikoder(text: str, col: Collector) -> tuple[dict[str, str], list[Category]]:
    """The name and categories of a Yoshikoder ``.ykd``."""
    import xml.etree.ElementTree as ET  # here, not at module level: only a .ykd file needs it

    found = _DECLARATION.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        col.error(line, f"the file declares a {found.group(1).upper()}, which framing refuses (it can make an XML "
                  "reader expand entities without end); a Yoshikoder dictionary has none")
        return {}, []
    if not text.strip():
        col.error(1, f"the file is empty: {_SHAPE}")
        return {}, []
    builder = _Builder()
    parser = ET.XMLParser(target=builder)  # type: ignore[arg-type]  # a duck-typed target, as documented
    try:
        for line, chunk in enumerate(_ENCODING.sub(r"\1", text, count=1).splitlines(keepends=True), start=1):
            builder.line = line
            parser.feed(chunk)
        root = parser.close()
    except ET.ParseError as exc:
        line, _ = exc.position
        col.error(max(line, 1), f"XML syntax: {str(exc).split(':', 1)[0]}")
        return {}, []
    if root is None or root.tag != "dictionary":
        col.error(1, f"{_SHAPE}; the root element is <{root.tag if root else ''}>")
        return {}, []
    name = root.attrib.get("name", "").strip()
    meta = {"name": name} if name else {}
    drafts: dict[str, Draft] = {}
    for pnode in root.all("pnode"):
        col.warn(pnode.line, f"pattern {shown(pnode.attrib.get('name', ''))} is directly under <dictionary>, "
                 "in no category; ignored")
    _read_cnodes(root, "", drafts, col)
    if not drafts and not col.problems:
        col.error(1, f"{_SHAPE}; this one has no <cnode>")
    return meta, finish_drafts(col, list(drafts.values()), rolled_up=False)


def _read_cnodes(node: _Node, parent: str, drafts: dict[str, Draft], col: Collector) -> None:
    """The ``<cnode>`` children of ``node``, each before its own children."""
    for child in node.children:
        if child.tag not in ("cnode", "pnode"):
            col.warn(child.line, f"element <{child.tag}> in {parent or '<dictionary>'} is not a Yoshikoder "
                     "category (<cnode>) or pattern (<pnode>); ignored")
    for cnode in node.all("cnode"):
        name = cnode.attrib.get("name", "").strip()
        cid = to_identifier(name)
        if not cid:
            where = f" in {parent}" if parent else ""
            col.error(cnode.line, f"category {shown(name)}{where} has no letters or digits "
                      "(a <cnode> is named by its name attribute)")
            continue
        path = f"{parent}/{cid}" if parent else cid
        if path in drafts:
            col.warn(cnode.line, f"category {path} appears twice (first on line {drafts[path].line}); "
                     "its patterns are read as one category")
        else:
            drafts[path] = Draft(path, name, cnode.line, parent=parent)
        for pnode in cnode.all("pnode"):
            pattern = pnode.attrib.get("name")
            if pattern is None:
                col.error(pnode.line, f"a <pnode> in {path} has no name attribute (its pattern)")
                continue
            term = col.term(pattern, None, pnode.line, path)
            if term is not None:
                drafts[path].terms.append(term)
        _read_cnodes(cnode, path, drafts, col)
