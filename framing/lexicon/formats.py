"""Lexicon file formats: YAML, LIWC ``.dic``, LIWC-22 ``.dicx`` and CSV; text in, model out.

Like a compiler, each reader keeps the line of every entry, collects every
problem before it gives up, and names the line in each message::

    lexicons/mine.yaml:12: error: wildcard "*" is only allowed at the end of a word: "sanc*ions"

``parse_lexicon`` is pure: it takes the decoded text of a file and never
opens one (``framing.lexicon.io`` does). PyYAML is imported only when a YAML
lexicon is parsed. The formats are documented in ``lexicons/README.md``; the
writers that make them are in ``framing.lexicon.writers``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..tokenize import normalize
from .model import (
    DEFAULT_NEGATION_CUES,
    DEFAULT_NEGATION_WINDOW,
    DEFAULT_ROLE,
    ROLES,
    Category,
    Collector,
    Lexicon,
    Negation,
    Problem,
    Term,
    to_identifier,
)

if TYPE_CHECKING:  # annotations only: yaml is imported when a YAML file is read
    import yaml

__all__ = ["LEXICON_SUFFIXES", "parse_lexicon"]

LEXICON_SUFFIXES = (".yaml", ".yml", ".dic", ".dicx", ".csv")


def _finish_category(
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
    seen: dict[tuple[tuple[str, ...], tuple[bool, ...]], int] = {}
    unique: list[Term] = []
    for t in terms:
        key = (t.words, t.wildcard)
        if key in seen:
            col.warn(t.line, f'duplicate term "{t.text}" in {cid} (first on line {seen[key]}); counted once')
            continue
        seen[key] = t.line
        unique.append(t)
    if not unique and not has_children:  # a parent may hold nothing of its own: its children are its terms
        col.warn(line, f"category {cid} has no terms")
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


def _shown(text: str, limit: int = 60) -> str:
    """``text`` quoted for a message, cut short when long (a whole line of the file may be quoted)."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


# --- YAML -------------------------------------------------------------------


def _scalar(node: yaml.Node | None) -> str:
    import yaml

    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    return ""


def _mapping(node: yaml.Node) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    import yaml

    return {str(k.value): (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


_YAML_SHAPE = "a YAML lexicon is a mapping with 'name' and 'categories'"
_TOP_KEYS = ("name", "role", "version", "description", "citation", "language", "negation", "categories")
# Documented keys that label a category and change nothing in matching: ``referent``, ``side`` and
# ``referent_label`` pair the categories of a labels lexicon; ``classroom`` marks a category the worksheet uses.
_EXTRA_KEYS = ("referent", "side", "referent_label", "classroom")
_CATEGORY_KEYS = ("label", "description", "terms", "exclude", "negation", "categories", *_EXTRA_KEYS)
_NEGATION_KEYS = ("cues", "window")
_TRUE = ("true", "yes", "on")
_FALSE = ("false", "no", "off")


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _is_null(node: yaml.Node) -> bool:
    """``~``, ``null`` or nothing at all (``key:`` with no value, a document that is only ``---``)."""
    import yaml

    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _kind(node: yaml.Node) -> str:
    """What a YAML value is, for a message that says what was found instead: ``a list``, ``a number (3)``."""
    import yaml

    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    kind = str(node.tag).rsplit(":", 1)[-1]
    if kind == "null":
        return "null"
    if kind in ("int", "float"):
        return f"a number ({node.value})"
    if kind == "bool":
        return f"true/false ({node.value})"
    if kind == "str":
        return f"a string ({_shown(str(node.value))})"
    return f"a {kind} ({_shown(str(node.value))})"  # e.g. a timestamp: 2024-01-01


def _unknown_keys(col: Collector, fields: dict[str, tuple[yaml.Node, yaml.Node]], known: tuple[str, ...], where: str) -> None:
    for key, (key_node, _) in fields.items():
        if key not in known:
            col.error(_line(key_node), f"unknown key {key!r} in {where}; the keys are: {', '.join(known)}")


def _read_negation(node: yaml.Node, col: Collector, where: str) -> tuple[bool, Negation | None]:
    """A ``negation:`` value: ``true`` (the default rule), ``false``, or ``{cues: [...], window: N}``."""
    import yaml

    if isinstance(node, yaml.ScalarNode):
        value = str(node.value).strip().lower()
        if value in _TRUE:
            return True, Negation()
        if value in _FALSE:
            return True, None
    elif isinstance(node, yaml.MappingNode):
        fields = _mapping(node)
        _unknown_keys(col, fields, _NEGATION_KEYS, f"the negation of {where}")
        cues = DEFAULT_NEGATION_CUES
        window = DEFAULT_NEGATION_WINDOW
        if "cues" in fields:
            cue_node = fields["cues"][1]
            if isinstance(cue_node, yaml.SequenceNode) and all(isinstance(c, yaml.ScalarNode) for c in cue_node.value):
                cues = tuple(normalize(str(c.value).strip()) for c in cue_node.value if str(c.value).strip())
                if not cues:
                    col.error(_line(cue_node), f"the negation of {where} has an empty list of cues")
            else:
                col.error(_line(cue_node), f"'cues' in the negation of {where} must be a list of words")
        if "window" in fields:
            text = _scalar(fields["window"][1])
            if text.isdigit() and 1 <= int(text) <= 20:
                window = int(text)
            else:
                col.error(_line(fields["window"][1]), f"'window' in the negation of {where} must be a whole number "
                          f"of tokens from 1 to 20, got {text!r}")
        return True, Negation(cues=cues, window=window)
    col.error(_line(node), f"negation of {where} must be true, false or {{cues: [...], window: N}}")
    return False, None


def _read_terms(node: yaml.Node, col: Collector, cid: str, key: str) -> list[Term]:
    """The entries of a ``terms:`` (or, without weights, ``exclude:``) list."""
    import yaml

    if not isinstance(node, yaml.SequenceNode):
        col.error(_line(node), f"'{key}' of category {cid} must be a list")
        return []
    terms = []
    for item in node.value:
        tline = _line(item)
        if isinstance(item, yaml.ScalarNode):
            text, weight = str(item.value), None
        elif isinstance(item, yaml.MappingNode) and key == "terms":
            entry = _mapping(item)
            _unknown_keys(col, entry, ("term", "weight"), f"an entry of {cid}")
            text = _scalar(entry.get("term", (None, None))[1])
            weight = _scalar(entry.get("weight", (None, None))[1]) if "weight" in entry else None
            if not text:
                col.error(tline, f"entry in {cid} needs 'term': {{term: ..., weight: ...}}")
                continue
        else:
            shape = "a term or {term: ..., weight: ...}" if key == "terms" else "a term (exclusions have no weight)"
            col.error(tline, f"entry of '{key}' in {cid} must be {shape}")
            continue
        term = col.term(text, weight, tline, cid)
        if term is not None:
            terms.append(term)
    return terms


def _read_categories(
    node: yaml.Node,
    col: Collector,
    parent: str,
    negation: Negation | None,
    seen: dict[str, tuple[int, str]] | None = None,
) -> list[Category]:
    """The categories of a ``categories:`` mapping, each before its children (paths ``parent/child``).

    ``seen``: the path of every category read so far, with its line and id as
    written, so that two keys with one id (``Trade`` and ``trade``) are
    reported where the second one is.
    """
    import yaml

    seen = {} if seen is None else seen
    categories: list[Category] = []
    for key_node, cat_node in node.value:
        line = _line(key_node)
        raw_id = _scalar(key_node)
        cid = to_identifier(raw_id)
        if not cid:
            col.error(line, f"category id {raw_id!r} has no letters or digits")
            continue
        path = f"{parent}/{cid}" if parent else cid
        if path in seen:
            first, first_raw = seen[path]
            spelled = f", as {first_raw!r}" if first_raw != raw_id else ""
            col.error(line, f"category {path} is defined twice (first on line {first}{spelled})")
            continue
        seen[path] = (line, raw_id)
        if not isinstance(cat_node, yaml.MappingNode):
            col.error(line, f"category {path} must be a mapping with 'description' and 'terms'")
            continue
        fields = _mapping(cat_node)
        _unknown_keys(col, fields, _CATEGORY_KEYS, f"category {path}")
        own = negation
        if "negation" in fields:
            ok, rule = _read_negation(fields["negation"][1], col, f"category {path}")
            if ok:
                own = rule
        children_node = fields.get("categories", (None, None))[1]
        if children_node is not None and not isinstance(children_node, yaml.MappingNode):
            col.error(_line(children_node), f"'categories' of category {path} must be a mapping of its "
                      f"subcategories, not {_kind(children_node)}")
            children_node = None
        if "terms" in fields:
            terms = _read_terms(fields["terms"][1], col, path, "terms")
        elif children_node is None:
            col.error(line, f"category {path} needs 'terms': a list (or subcategories under 'categories')")
            continue
        else:
            terms = []
        exclude = _read_terms(fields["exclude"][1], col, path, "exclude") if "exclude" in fields else []
        label = _scalar(fields.get("label", (None, None))[1])
        description = _scalar(fields.get("description", (None, None))[1])
        extra = tuple((k, _scalar(fields[k][1])) for k in _EXTRA_KEYS if k in fields)
        children = _read_categories(children_node, col, path, own, seen) if children_node is not None else []
        categories.append(_finish_category(col, path, label, description, terms, line, exclude=tuple(exclude),
                                           negation=own, parent=parent, extra=extra, has_children=bool(children)))
        categories.extend(children)
    return categories


MAX_SYNTAX_ERRORS = 20


def _compose_all_errors(text: str, col: Collector) -> yaml.Node | None:
    """The YAML tree of ``text``; after a syntax error, the line is blanked and the rest read again.

    So one run reports every syntax error that is not a consequence of an
    earlier one (up to ``MAX_SYNTAX_ERRORS``). ``None`` when nothing could be
    read.
    """
    import yaml

    lines = text.split("\n")
    for _ in range(MAX_SYNTAX_ERRORS):
        try:
            return yaml.compose("\n".join(lines), Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 1
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            # An unclosed bracket or quote is found where it ends; the line that opened it is the one to blank.
            context = getattr(exc, "context_mark", None)
            start = context.line + 1 if context is not None else line
            if context is not None and start != line:
                problem += f" on line {line}"
            col.error(start, f"YAML syntax: {problem}")
            if start > len(lines) or not lines[start - 1].strip():
                return None  # nothing left to blank: the error is where the text ends
            lines[start - 1] = ""
    return None


def _read_yaml(text: str, col: Collector) -> tuple[dict[str, object], list[Category]]:
    import yaml  # here, not at module level, so that the core and `framing --help` never load it

    before = len(col.problems)
    root = _compose_all_errors(text, col)
    if len(col.problems) > before:
        # What the blanked lines leave is not the file the author wrote: its
        # other problems would be artefacts. Every syntax error is reported.
        return {}, []
    if root is None or (_is_null(root) and not root.value):  # no document, or only "---"
        what = "empty" if not text.strip() else "empty but for comments and '---'"
        col.error(1, f"the file is {what}: {_YAML_SHAPE}")
        return {}, []
    if not isinstance(root, yaml.MappingNode):
        col.error(_line(root), f"{_YAML_SHAPE}, not {_kind(root)}")
        return {}, []
    top = _mapping(root)
    _unknown_keys(col, top, _TOP_KEYS, "the lexicon")
    meta: dict[str, object] = {
        k: _scalar(top[k][1]) for k in ("name", "role", "version", "description", "citation", "language") if k in top
    }
    if "role" in top:
        meta["_role_line"] = str(_line(top["role"][0]))
    negation = None
    if "negation" in top:
        _, negation = _read_negation(top["negation"][1], col, "the lexicon")
        meta["negation"] = negation
    if "categories" not in top:
        col.error(1, "missing 'categories': a mapping from category id to its terms")
        return meta, []
    key, value = top["categories"]
    # The line of the key, not of its value: an empty value has no line of its own.
    if _is_null(value) or (isinstance(value, yaml.MappingNode) and not value.value):
        col.error(_line(key), "'categories' is empty: a lexicon needs at least one category "
                  "(id: its description and terms)")
        return meta, []
    if not isinstance(value, yaml.MappingNode):
        col.error(_line(key), f"'categories' must be a mapping from category id to its terms, not {_kind(value)}")
        return meta, []
    return meta, _read_categories(value, col, "", negation)


# --- shared by the flat formats (.dic, .dicx, CSV) --------------------------


@dataclass
class _Draft:
    """A category while its file is read: terms are added as their lines come."""

    id: str
    label: str
    line: int
    parent: str = ""
    description: str = ""
    terms: list[Term] = field(default_factory=list)
    exclude: list[Term] = field(default_factory=list)


def _path_of(name: str) -> tuple[str, list[str]]:
    """``"Economy/Trade"`` -> ``("economy/trade", ["economy", "trade"])``; an empty part gives ``""``."""
    parts = [to_identifier(p) for p in name.split("/")]
    return ("/".join(parts) if all(parts) else ""), parts


def _draft_for(drafts: dict[str, _Draft], name: str, line: int, *, label_as_written: bool) -> _Draft:
    """The draft of category ``name`` (a ``parent/child`` path), made with its missing ancestors.

    A parent named only through its children is made here, just before its
    first child, so every parent precedes its descendants. Its label is its
    id; so is the category's own unless ``label_as_written``.
    """
    path, parts = _path_of(name)
    for depth in range(1, len(parts) + 1):
        pid = "/".join(parts[:depth])
        if pid not in drafts:
            own = label_as_written and depth == len(parts)
            label = name.split("/")[depth - 1].strip() if own else parts[depth - 1]
            drafts[pid] = _Draft(pid, label, line, parent="/".join(parts[: depth - 1]))
    return drafts[path]


def _finish_drafts(col: Collector, drafts: list[_Draft], *, rolled_up: bool) -> list[Category]:
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
            _finish_category(
                col, d.id, d.label, d.description, own, d.line,
                exclude=tuple(d.exclude), parent=d.parent, has_children=d.id in parents,
            )
        )
    return categories


# --- LIWC .dic --------------------------------------------------------------

# One category code of an entry: a plain id (12), LIWC2007's "followed by"
# code (<of>131/125: in 131 when the next word is "of", else in 125) or its
# "preceded by" code ((02 134)125/464: in 125 after a word of category 02 or
# 134, else in 464).
_DIC_CODE = re.compile(
    r"\s*(?:(?P<plain>\d+)"
    r"|<(?P<next>[^<>\t]+)>\s*(?P<next_then>\d+)(?:/(?P<next_else>\d+))?"
    r"|\((?P<prev>\s*\d+(?:\s+\d+)*\s*)\)\s*(?P<prev_then>\d+)(?:/(?P<prev_else>\d+))?)"
    r"(?=\s|$)"
)
_DIC_CODES_AT_END = re.compile(
    r"^(?P<term>.*?)(?P<codes>(?:\s+(?:\d+|<[^<>\t]+>\s*\d+(?:/\d+)?|\(\s*\d+(?:\s+\d+)*\s*\)\s*\d+(?:/\d+)?))+)\s*$"
)
_DIC_HEADER = re.compile(r"^(\d+)\s+(.+?)\s*$")
_DIC_LABEL = re.compile(r"^(.*?)\s*\(([^()]*)\)$")


def _is_comment(raw: str) -> bool:
    """``# ...`` and ``// ...`` lines: some hand-made dictionaries carry them (LIWC itself has none)."""
    return raw.startswith(("#", "//")) and not _DIC_CODES_AT_END.match(raw)


def _dic_codes(codes: str) -> list[re.Match[str]] | None:
    """The codes of an entry, or ``None`` when part of the text is not a code."""
    found, pos = [], 0
    while pos < len(codes.rstrip()):
        m = _DIC_CODE.match(codes, pos)
        if not m:
            return None
        found.append(m)
        pos = m.end()
    return found


_DIC_START = "a .dic file starts with a line holding only '%', then one 'id<TAB>name' line per category and another '%'"


def _read_dic(text: str, col: Collector) -> tuple[dict[str, str], list[Category]]:
    lines = text.splitlines()
    i = 0
    while i < len(lines) and (not lines[i].strip() or _is_comment(lines[i].strip())):
        i += 1
    if i >= len(lines):
        what = "empty" if not text.strip() else "empty but for comments"
        col.error(1, f"the file is {what}: {_DIC_START}")
        return {}, []
    if lines[i].strip() != "%":
        col.error(i + 1, f"{_DIC_START}; line {i + 1} is {_shown(lines[i].strip())}")
        return {}, []
    opened = i + 1
    block_errors = len(col.problems)
    by_code: dict[str, _Draft] = {}
    drafts: dict[str, _Draft] = {}
    # LIWC2015 dictionaries show the hierarchy by indenting a child's header
    # line with one more tab than its parent's.
    stack: list[tuple[int, str]] = []
    i += 1
    while i < len(lines) and lines[i].strip() != "%":
        line, raw = i + 1, lines[i].strip()
        i += 1
        if not raw or _is_comment(raw):
            continue
        m = _DIC_HEADER.match(raw)
        if not m:
            col.error(line, f"category line must be 'id<TAB>name', got {raw!r}")
            continue
        code, rest = m.group(1).lstrip("0") or "0", m.group(2)
        name, _, label = rest.partition("\t")
        name, label = name.strip(), label.strip()
        lm = _DIC_LABEL.match(label or name)
        if lm and (label or lm.group(1)):  # LIWC2015 style: "1<TAB>function<TAB>(Function Words)"
            name, label = (name if label else lm.group(1)), lm.group(2).strip()
        if code in by_code:
            col.error(line, f"category id {m.group(1)} is defined twice (first on line {by_code[code].line})")
            continue
        cid = to_identifier(name) or f"category_{code}"
        depth = len(lines[line - 1]) - len(lines[line - 1].lstrip("\t"))
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parent = stack[-1][1] if stack else ""
        path = f"{parent}/{cid}" if parent else cid
        stack.append((depth, path))
        if path in drafts:
            col.error(line, f"category {path} is defined twice (first on line {drafts[path].line})")
            continue
        by_code[code] = drafts[path] = _Draft(path, label or name, line, parent=parent)
    if i >= len(lines):
        col.error(len(lines), "the category block is not closed by a line holding only '%'")
        return {}, []
    if not drafts and len(col.problems) == block_errors:  # a block with no category lines at all
        col.error(opened, f"the category block (lines {opened}-{i + 1}) defines no categories: put one "
                  "'id<TAB>name' line per category between the two '%' lines")
        return {}, []
    for j in range(i + 1, len(lines)):
        _read_dic_entry(col, j + 1, lines[j].strip(), by_code)
    return {}, _finish_drafts(col, list(drafts.values()), rolled_up=True)


def _read_dic_entry(col: Collector, line: int, raw: str, by_code: dict[str, _Draft]) -> None:
    if not raw or _is_comment(raw):
        return
    # The term ends at the first tab; without a tab, at the first of the codes
    # that end the line (so "kind of 12" is the phrase "kind of" in 12).
    term_text, tab, codes_text = raw.partition("\t")
    codes = _dic_codes(codes_text) if tab else None
    if codes is None:
        m = _DIC_CODES_AT_END.match(raw)
        codes = _dic_codes(m.group("codes")) if m else None
        term_text = m.group("term") if m else term_text
    term_text = term_text.strip()
    if not codes or not term_text:
        col.error(line, f"entry must be 'term<TAB>category ids', got {raw!r}")
        return

    def add(text: str, code: str) -> None:
        draft = by_code.get(code.lstrip("0") or "0")
        if draft is None:
            col.error(line, f'term "{text}" names category id {code}, which the header does not define')
            return
        term = col.term(text, None, line, draft.id)
        if term is not None:
            draft.terms.append(term)

    for m in codes:
        if m.group("plain"):
            add(term_text, m.group("plain"))
        elif m.group("next"):
            nxt, then, other = m.group("next").strip(), m.group("next_then"), m.group("next_else")
            add(f"{term_text} {nxt}", then)
            if other:
                add(term_text, other)
                col.warn(
                    line,
                    f'"{term_text}" {m.group(0).strip()}: read as the phrase "{term_text} {nxt}" in {then} and '
                    f'"{term_text}" in {other}; "{term_text}" before "{nxt}" counts in {other} too',
                )
        else:
            other = m.group("prev_else")
            col.warn(
                line,
                f'"{term_text}" {m.group(0).strip()}: the category depends on the word before it, which framing '
                f"cannot express; " + (f"read as {other}, its category otherwise" if other else "ignored"),
            )
            if other:
                add(term_text, other)


# --- LIWC-22 .dicx ----------------------------------------------------------


_DICX_HEADER = "a .dicx file starts with a header row: DicTerm,<category>,<category>..."


def _read_dicx(text: str, col: Collector) -> tuple[dict[str, str], list[Category]]:
    """A grid: the first column the entries, one column per category; ``X`` or a weight marks a member."""
    if not text.strip():
        col.error(1, f"the file is empty: {_DICX_HEADER}")
        return {}, []
    rows = _csv_rows(text, col)
    hline, header = next(rows, (1, None))
    if not header or not any(cell.strip() for cell in header):
        col.error(hline, f"{_DICX_HEADER}; the first line is empty")
        return {}, []
    if len(header) < 2:
        col.error(hline, f"{_DICX_HEADER}; the first line, {_shown(','.join(header))}, has no category column")
        return {}, []
    drafts: dict[str, _Draft] = {}
    columns: list[_Draft | None] = []  # None: a column without a category
    named: set[str] = set()
    for n, cell in enumerate(header[1:], start=2):
        name = cell.strip()
        path, _ = _path_of(name)
        if name and not path:
            col.error(hline, f"column {n}: category {name!r} has no letters or digits")
        elif path in named:
            col.error(hline, f"column {n}: category {path} is defined twice")
        elif path:
            named.add(path)
            columns.append(_draft_for(drafts, name, hline, label_as_written=True))
            continue
        columns.append(None)  # an empty header cell is fine while its column stays empty
    if not named and not any(cell.strip() for cell in header[1:]):
        col.error(hline, f"{_DICX_HEADER}; the header names no category")
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        entry = row[0].strip()
        if not entry:
            col.error(line, "row has marks but no entry in its first cell")
            continue
        if not any(cell.strip() for cell in row[1:]):
            col.warn(line, f'"{entry}" is marked in no column; it is in no category')
            continue
        for n, cell in enumerate(row[1:], start=2):
            mark = cell.strip()
            if not mark:
                continue
            draft = columns[n - 2] if n - 2 < len(columns) else None
            if draft is None:
                col.error(line, f'"{entry}" is marked in column {n}, which has no category name in the header')
                continue
            weight = None if mark in ("X", "x") else mark
            term = col.term(entry, weight, line, draft.id)
            if term is not None:
                draft.terms.append(term)
    # LIWC-22 counts each column on its own, so a parent column repeats its
    # children's entries.
    return {}, _finish_drafts(col, list(drafts.values()), rolled_up=True)


# --- CSV --------------------------------------------------------------------


def _csv_rows(text: str, col: Collector) -> Iterator[tuple[int, list[str]]]:
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


_CSV_KINDS = ("term", "exclude")
_CSV_HEADER = "a CSV lexicon starts with a header with columns category,term[,weight][,kind]"


def _read_csv(text: str, col: Collector) -> tuple[dict[str, str], list[Category]]:
    if not text.strip():
        col.error(1, f"the file is empty: {_CSV_HEADER}")
        return {}, []
    rows = _csv_rows(text, col)
    hline, header = next(rows, (1, None))
    cols = [h.strip().lower() for h in header] if header else []
    if "category" not in cols or "term" not in cols:
        found = ",".join(header or [])
        col.error(hline, f"{_CSV_HEADER}; " + (f"the first line is {_shown(found)}" if found.strip() else
                                               "the first line is empty"))
        return {}, []
    ci, ti = cols.index("category"), cols.index("term")
    wi = cols.index("weight") if "weight" in cols else None
    ki = cols.index("kind") if "kind" in cols else None
    drafts: dict[str, _Draft] = {}
    n_rows = 0
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        n_rows += 1
        if len(row) <= max(ci, ti):
            col.error(line, f"row has {len(row)} cell{'' if len(row) == 1 else 's'}, expected category,term[,weight]")
            continue
        path, _ = _path_of(row[ci])
        if not path:
            col.error(line, f"category {row[ci]!r} has no letters or digits")
            continue
        kind = row[ki].strip().lower() if ki is not None and ki < len(row) else ""
        if kind and kind not in _CSV_KINDS:
            col.error(line, f"kind {row[ki]!r} is not one of {', '.join(_CSV_KINDS)} (empty means term)")
            continue
        weight = row[wi] if wi is not None and wi < len(row) else None
        draft = _draft_for(drafts, row[ci], line, label_as_written=False)
        if kind == "exclude":
            if weight is not None and weight.strip():
                col.warn(line, f'weight of exclusion "{row[ti]}" in {path} is ignored: exclusions do not count')
            term = col.term(row[ti], None, line, path)
            if term is not None:
                draft.exclude.append(term)
            continue
        term = col.term(row[ti], weight, line, path)
        if term is not None:
            draft.terms.append(term)
    if not n_rows:
        col.error(hline, "the file has a header but no terms: a CSV lexicon has one row per term after its header")
    return {}, _finish_drafts(col, list(drafts.values()), rolled_up=False)


_READERS = {".yaml": _read_yaml, ".yml": _read_yaml, ".dic": _read_dic, ".dicx": _read_dicx, ".csv": _read_csv}


def parse_lexicon(
    text: str, *, suffix: str, path: str, sha256: str = "", stem: str = ""
) -> tuple[Lexicon | None, list[Problem]]:
    """Parse a lexicon from its decoded text; return it (``None`` if unusable) and every problem.

    ``suffix`` picks the reader (``.yaml``, ``.yml``, ``.dic``, ``.dicx``,
    ``.csv``); ``path`` is only the name used in messages; ``stem`` names a
    lexicon whose file does not (``.dic``, ``.dicx`` and ``.csv`` carry no
    name). A reader returns the metadata as strings, except the file-level
    negation rule, which it may return as ``meta["negation"]`` (a
    ``Negation``; absent or ``None``: off).
    """
    col = Collector(path)
    reader = _READERS.get(suffix.lower())
    if reader is None:
        col.error(1, f"unknown lexicon format {suffix!r}; use one of {', '.join(LEXICON_SUFFIXES)}")
        return None, col.problems
    meta, categories = reader(text.removeprefix("\ufeff"), col)
    # The readers report these where they are; these checks only keep a reader's slip from making a bad lexicon.
    # A problem of the whole file is on line 1, so every message has a line.
    ids: set[str] = set()
    for c in categories:
        if c.id in ids:
            col.error(1, f"category {c.id} is defined twice")
        ids.add(c.id)
    if not categories and not any(pr.severity == "error" for pr in col.problems):
        col.error(1, "the lexicon defines no categories")
    role = (meta.get("role") or DEFAULT_ROLE).strip().lower()
    if role not in ROLES:
        col.error(int(meta.get("_role_line", 1)), f"role {meta.get('role')!r} is not one of {', '.join(ROLES)}")
        role = DEFAULT_ROLE
    name = to_identifier(meta.get("name") or stem) or "lexicon"
    negation = meta.get("negation")
    lexicon = Lexicon(
        name=name,
        categories=tuple(categories),
        role=role,  # type: ignore[arg-type]  # checked against ROLES above
        version=meta.get("version", ""),
        description=meta.get("description", ""),
        citation=str(meta.get("citation", "")),
        language=str(meta.get("language", "")),
        negation=negation if isinstance(negation, Negation) else None,
        path=path,
        sha256=sha256,
        warnings=tuple(str(pr) for pr in col.problems if pr.severity == "warning"),
    )
    return lexicon, col.problems
