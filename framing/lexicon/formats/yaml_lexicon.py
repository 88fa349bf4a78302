"""The YAML lexicon: framing's own format, which holds everything the model holds; and quanteda's YAML.

framing's YAML is a mapping with ``name``, ``categories`` and the other
metadata keys. quanteda's (Newsmap is published so) is a mapping from each
category to its terms, ``category: [terms]``, or to a mapping of its
subcategories, ``category: {subcategory: [terms], ...}``, nested to any
depth. A top-level mapping without a ``categories`` key whose every value is
a list or a mapping is read as quanteda's. There, in a category's mapping, a
key whose value is a list or a mapping is a subcategory, and a key whose
value is a number is a term with that weight (``{good: 1, great: 2}``; JSON
lexicons use this). The label of a category is its key as written, its id
``to_identifier(key)``, a nested id the path ``parent/child``.

The reader walks PyYAML's node tree (``yaml.compose``), not the loaded
values, so that every key and entry keeps its line. PyYAML is imported inside
the functions that need it, never at module level: the core and
``framing --help`` do not load it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...tokenize import normalize
from ..model import (
    DEFAULT_NEGATION_CUES,
    DEFAULT_NEGATION_WINDOW,
    VALIDITY,
    Category,
    Collector,
    Negation,
    Term,
    to_identifier,
)
from .common import finish_category, shown
from .flat import Drafts, child_draft, finish_drafts

if TYPE_CHECKING:  # annotations only: yaml is imported when a YAML file is read
    import yaml

__all__ = ["MAX_SYNTAX_ERRORS", "is_quanteda", "read_yaml"]


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
# ``referent_label`` pair the categories of a labels lexicon; ``classroom`` marks a category the worksheet uses;
# ``note``, ``validity`` and ``evidence`` say what a category misses and how far its rate was checked.
_EXTRA_KEYS = ("referent", "side", "referent_label", "classroom", "note", "validity", "evidence")
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
        return f"a string ({shown(str(node.value))})"
    return f"a {kind} ({shown(str(node.value))})"  # e.g. a timestamp: 2024-01-01


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
        if "validity" in fields and dict(extra)["validity"] not in VALIDITY:
            col.error(_line(fields["validity"][1]), f"'validity' of category {path} must be one of "
                      f"{', '.join(VALIDITY)}, got {_kind(fields['validity'][1])}")
        children = _read_categories(children_node, col, path, own, seen) if children_node is not None else []
        categories.append(finish_category(col, path, label, description, terms, line, exclude=tuple(exclude),
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

    # libyaml's parser (PyYAML's wheels carry it) builds the same tree with the same line marks, ten times faster: a
    # command that loads the built-in lexicons starts 0.3 s sooner. A file with a syntax error is read again by the
    # pure-Python parser, whose messages the errors quote.
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
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


def read_yaml(text: str, col: Collector) -> tuple[dict[str, object], list[Category]]:
    """The metadata and categories of a YAML lexicon; after a syntax error, only the syntax errors."""
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
    if is_quanteda(root):
        return {}, _read_quanteda(root, col)
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


def is_quanteda(root: yaml.Node) -> bool:
    """A mapping without ``categories`` whose every value is a list or a mapping: quanteda's layout."""
    import yaml

    return (
        isinstance(root, yaml.MappingNode)
        and bool(root.value)
        and "categories" not in _mapping(root)
        and all(isinstance(v, (yaml.SequenceNode, yaml.MappingNode)) for _, v in root.value)
    )


def _read_quanteda(root: yaml.MappingNode, col: Collector) -> list[Category]:
    """The categories of a quanteda YAML dictionary (which has no metadata), each before its subcategories."""
    drafts = Drafts(col)
    for key_node, value in root.value:
        _read_quanteda_category(key_node, value, "", drafts, col)
    return finish_drafts(col, list(drafts.values()), rolled_up=False)


def _read_quanteda_category(key_node: yaml.Node, node: yaml.Node, parent: str, drafts: Drafts,
                            col: Collector) -> None:
    import yaml

    line = _line(key_node)
    name = _scalar(key_node).strip()
    cid = to_identifier(name)
    if not cid:
        col.error(line, f"category {name!r} has no letters or digits")
        return
    draft = child_draft(drafts, parent, name, line)[0]
    path = draft.id
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.ScalarNode) and not _is_null(item):
                term = col.term(str(item.value), None, _line(item), path)
                if term is not None:
                    draft.terms.append(term)
            else:
                col.error(_line(item), f"an entry of category {path} must be a term, not {_kind(item)}")
        return
    for sub_key, sub in node.value:  # a mapping: terms with weights and subcategories
        if isinstance(sub, (yaml.SequenceNode, yaml.MappingNode)):
            _read_quanteda_category(sub_key, sub, path, drafts, col)
        elif not isinstance(sub_key, yaml.ScalarNode) or _is_null(sub_key):
            col.error(_line(sub_key), f"a key in category {path} must be a term or a subcategory, "
                      f"not {_kind(sub_key)}")
        else:
            weight = None if _is_null(sub) else str(sub.value)
            term = col.term(str(sub_key.value), weight, _line(sub_key), path)
            if term is not None:
                draft.terms.append(term)
