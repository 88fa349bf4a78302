"""Lexicon file formats: YAML, LIWC-style ``.dic`` and CSV; text in, model out.

Like a compiler, each reader keeps the line of every entry, collects every
problem before it gives up, and names the line in each message::

    lexicons/mine.yaml:12: error: wildcard "*" is only allowed at the end of a word: "sanc*ions"

``parse_lexicon`` is pure: it takes the decoded text of a file and never
opens one (``framing.lexicon.io`` does). PyYAML is imported only when a YAML
lexicon is parsed. The format is documented in ``lexicons/README.md``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

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
from ..tokenize import normalize

if TYPE_CHECKING:  # annotations only: yaml is imported when a YAML file is read
    import yaml

__all__ = ["LEXICON_SUFFIXES", "parse_lexicon"]

LEXICON_SUFFIXES = (".yaml", ".yml", ".dic", ".csv")


def _finish_category(
    col: Collector, cid: str, label: str, description: str, terms: list[Term], line: int, *, has_children: bool = False
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
    if not unique and not has_children:
        col.warn(line, f"category {cid} has no terms")
    return Category(id=cid, label=label or cid, description=description, terms=tuple(unique))


# --- YAML -------------------------------------------------------------------


def _scalar(node: yaml.Node | None) -> str:
    import yaml

    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    return ""


def _mapping(node: yaml.Node) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    import yaml

    return {str(k.value): (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


_TOP_KEYS = ("name", "role", "version", "description", "citation", "language", "negation", "categories")
_CATEGORY_KEYS = ("label", "description", "terms", "exclude", "negation", "categories", "referent", "side")
_EXTRA_KEYS = ("referent", "side")  # documented keys that label a category and change nothing in matching
_NEGATION_KEYS = ("cues", "window")
_TRUE = ("true", "yes", "on")
_FALSE = ("false", "no", "off")


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


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
    node: yaml.Node, col: Collector, parent: str, negation: Negation | None
) -> list[Category]:
    """The categories of a ``categories:`` mapping, each before its children (paths ``parent/child``)."""
    import yaml

    categories: list[Category] = []
    for key_node, cat_node in node.value:
        line = _line(key_node)
        raw_id = _scalar(key_node)
        cid = to_identifier(raw_id)
        if not cid:
            col.error(line, f"category id {raw_id!r} has no letters or digits")
            continue
        path = f"{parent}/{cid}" if parent else cid
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
            col.error(_line(children_node), f"'categories' of category {path} must be a mapping of its subcategories")
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
        children = _read_categories(children_node, col, path, own) if children_node is not None else []
        category = _finish_category(col, path, label, description, terms, line, has_children=bool(children))
        categories.append(replace(category, exclude=tuple(exclude), negation=own, parent=parent, extra=extra))
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
    if root is None or len(col.problems) > before:
        # What the blanked lines leave is not the file the author wrote: its
        # other problems would be artefacts. Every syntax error is reported.
        return {}, []
    if not isinstance(root, yaml.MappingNode):
        col.error(1, "a lexicon file must be a mapping with 'name' and 'categories'")
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
    if "categories" not in top or not isinstance(top["categories"][1], yaml.MappingNode):
        col.error(1, "missing 'categories': a mapping from category id to its terms")
        return meta, []
    return meta, _read_categories(top["categories"][1], col, "", negation)


# --- LIWC .dic --------------------------------------------------------------

_DIC_ENTRY = re.compile(r"^(.*?)\s+(\d+(?:\s+\d+)*)\s*$")


def _read_dic(text: str, col: Collector) -> tuple[dict[str, str], list[Category]]:
    lines = text.splitlines()
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines) or lines[i].strip() != "%":
        col.error(i + 1, "a .dic file starts with a line holding only '%'")
        return {}, []
    names: dict[str, tuple[str, int]] = {}
    i += 1
    while i < len(lines) and lines[i].strip() != "%":
        raw = lines[i].strip()
        if raw:
            parts = raw.split(None, 1)
            if len(parts) != 2 or not parts[0].isdigit():
                col.error(i + 1, f"category line must be 'id<TAB>name', got {raw!r}")
            else:
                names[parts[0].lstrip("0") or "0"] = (parts[1].strip(), i + 1)
        i += 1
    if i >= len(lines):
        col.error(len(lines), "the category block is not closed by a line holding only '%'")
        return {}, []
    buckets: dict[str, list[Term]] = {k: [] for k in names}
    for j in range(i + 1, len(lines)):
        raw = lines[j].strip()
        if not raw:
            continue
        fields = [f.strip() for f in raw.split("\t") if f.strip()]
        if len(fields) >= 2 and all(re.fullmatch(r"\d+(\s+\d+)*", f) for f in fields[1:]):
            text, ids = fields[0], " ".join(fields[1:]).split()
        else:
            m = _DIC_ENTRY.match(raw)
            if not m:
                col.error(j + 1, f"entry must be 'term<TAB>category ids', got {raw!r}")
                continue
            text, ids = m.group(1), m.group(2).split()
        for cat_id in ids:
            key = cat_id.lstrip("0") or "0"
            if key not in names:
                col.error(j + 1, f'term "{text}" names category id {cat_id}, which the header does not define')
                continue
            term = col.term(text, None, j + 1, names[key][0])
            if term is not None:
                buckets[key].append(term)
    categories = []
    for key, (name, line) in names.items():
        cid = to_identifier(name) or f"category_{key}"
        categories.append(_finish_category(col, cid, name, "", buckets[key], line))
    return {}, categories


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


def _read_csv(text: str, col: Collector) -> tuple[dict[str, str], list[Category]]:
    rows = _csv_rows(text, col)
    _, header = next(rows, (1, None))
    cols = [h.strip().lower() for h in header] if header else []
    if "category" not in cols or "term" not in cols:
        col.error(1, "a CSV lexicon needs a header with columns category,term[,weight]")
        return {}, []
    ci, ti = cols.index("category"), cols.index("term")
    wi = cols.index("weight") if "weight" in cols else None
    buckets: dict[str, tuple[int, list[Term]]] = {}
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(ci, ti):
            col.error(line, f"row has {len(row)} cell{'' if len(row) == 1 else 's'}, expected category,term[,weight]")
            continue
        cid = to_identifier(row[ci])
        if not cid:
            col.error(line, f"category {row[ci]!r} has no letters or digits")
            continue
        weight = row[wi] if wi is not None and wi < len(row) else None
        bucket = buckets.setdefault(cid, (line, []))
        term = col.term(row[ti], weight, line, cid)
        if term is not None:
            bucket[1].append(term)
    return {}, [_finish_category(col, cid, cid, "", terms, line) for cid, (line, terms) in buckets.items()]


_READERS = {".yaml": _read_yaml, ".yml": _read_yaml, ".dic": _read_dic, ".csv": _read_csv}


def parse_lexicon(
    text: str, *, suffix: str, path: str, sha256: str = "", stem: str = ""
) -> tuple[Lexicon | None, list[Problem]]:
    """Parse a lexicon from its decoded text; return it (``None`` if unusable) and every problem.

    ``suffix`` picks the reader (``.yaml``, ``.yml``, ``.dic``, ``.csv``);
    ``path`` is only the name used in messages; ``stem`` names a lexicon
    whose file does not (``.dic`` and ``.csv`` carry no name).
    """
    col = Collector(path)
    reader = _READERS.get(suffix.lower())
    if reader is None:
        col.error(0, f"unknown lexicon format {suffix!r}; use one of {', '.join(LEXICON_SUFFIXES)}")
        return None, col.problems
    meta, categories = reader(text, col)
    ids: set[str] = set()
    for c in categories:
        if c.id in ids:
            col.error(0, f"category {c.id} is defined twice")
        ids.add(c.id)
    if not categories and not any(pr.severity == "error" for pr in col.problems):
        col.error(0, "the lexicon defines no categories")
    role = (meta.get("role") or DEFAULT_ROLE).strip().lower()
    if role not in ROLES:
        col.error(int(meta.get("_role_line", 0)), f"role {meta.get('role')!r} is not one of {', '.join(ROLES)}")
        role = DEFAULT_ROLE
    name = to_identifier(meta.get("name") or stem) or "lexicon"
    lexicon = Lexicon(
        name=name,
        categories=tuple(categories),
        role=role,  # type: ignore[arg-type]  # checked against ROLES above
        version=meta.get("version", ""),
        description=meta.get("description", ""),
        citation=str(meta.get("citation", "")),
        language=str(meta.get("language", "")),
        negation=meta.get("negation"),  # type: ignore[arg-type]  # a Negation or None, from the YAML reader
        path=path,
        sha256=sha256,
        warnings=tuple(str(pr) for pr in col.problems if pr.severity == "warning"),
    )
    return lexicon, col.problems
