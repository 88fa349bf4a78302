"""Lexicon writers: a ``Lexicon`` in, the text of a file out (the readers are in ``formats``).

YAML holds everything the model holds. The other formats hold less, and
``write_lexicon_text`` says what was left out, one plain message per kind of
loss, so that ``framing lexicon convert`` can show it::

    .dic has no weights: 3 weighted terms written unweighted

What each format holds:

======================  ======  =====  ======  =====
                        YAML    .dic   .dicx   CSV
======================  ======  =====  ======  =====
metadata (name, ...)    yes     no     no      no
labels                  yes     yes    no      no
descriptions            yes     no     no      no
weights                 yes     no     yes     yes
nesting                 yes     yes    yes     yes
exclusions              yes     no     no      yes
negation                yes     no     no      no
other keys (referent)   yes     no     no      no
======================  ======  =====  ======  =====

Nesting: ``.dic`` indents a child's header line by one tab more than its
parent's (as LIWC2015 does); ``.dicx`` and CSV name a child by its path,
``parent/child``. LIWC counts every category on its own, so ``.dic`` and
``.dicx`` also list a child's terms under each of its ancestors; their
readers keep such a term in the child only, as framing rolls children up
itself. Output is deterministic: the same lexicon gives the same text.
"""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
from collections.abc import Callable

from ..errors import InputError
from .model import DEFAULT_ROLE, Category, Lexicon, Negation, Term

__all__ = ["WRITER_SUFFIXES", "to_csv", "to_dic", "to_dicx", "to_yaml", "write_lexicon_text"]

WRITER_SUFFIXES = (".yaml", ".yml", ".dic", ".dicx", ".csv")

_TermKey = tuple[tuple[str, ...], tuple[bool, ...]]


def _key(t: Term) -> _TermKey:
    return (t.words, t.wildcard)


def _number(weight: float) -> str:
    """``2.0`` -> ``"2"``, ``1.5`` -> ``"1.5"``: the shortest text that reads back as the same float."""
    weight = float(weight)
    return str(int(weight)) if weight.is_integer() and abs(weight) < 1e15 else repr(weight)


def _leaf(cid: str) -> str:
    return cid.rsplit("/", 1)[-1]


def _children(lexicon: Lexicon) -> dict[str, list[Category]]:
    """Categories by parent path (``""``: the top level), each list in the lexicon's order."""
    by_parent: dict[str, list[Category]] = {}
    ids = {c.id for c in lexicon.categories}
    for c in lexicon.categories:
        # A parent that is not in the lexicon cannot hold its child: write the child at the top.
        by_parent.setdefault(c.parent if c.parent in ids else "", []).append(c)
    return by_parent


def _tree_order(lexicon: Lexicon) -> list[tuple[int, Category]]:
    """``(depth, category)``, each parent followed by its descendants."""
    by_parent = _children(lexicon)
    out: list[tuple[int, Category]] = []

    def walk(parent: str, depth: int) -> None:
        for c in by_parent.get(parent, []):
            out.append((depth, c))
            walk(c.id, depth + 1)

    walk("", 0)
    return out


def _rolled_up(lexicon: Lexicon) -> list[tuple[Category, list[Term]]]:
    """Each category with its own terms followed by its descendants' (first occurrence kept), for LIWC."""
    out = []
    for _, c in _tree_order(lexicon):
        seen: set[_TermKey] = set()
        terms = []
        for t in [*c.terms, *(t for d in lexicon.descendants(c.id) for t in d.terms)]:
            if _key(t) not in seen:
                seen.add(_key(t))
                terms.append(t)
        out.append((c, terms))
    return out


# --- YAML -------------------------------------------------------------------

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
    return f"{{term: {_yaml_scalar(t.text, flow=True)}, weight: {_number(t.weight)}}}"


def _yaml_category(c: Category, lexicon: Lexicon, inherited: Negation | None, depth: int) -> list[str]:
    pad = "  " * (2 + 2 * depth)
    lines = [f"{'  ' * (1 + 2 * depth)}{_yaml_scalar(_leaf(c.id))}:"]
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
    by_parent = _children(lexicon)

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


# --- LIWC .dic --------------------------------------------------------------

_DIC_LABEL_OK = re.compile(r"[^()\t\n\r]+")


def to_dic(lexicon: Lexicon) -> str:
    """The lexicon as a LIWC ``.dic``: numbered categories between ``%`` lines, then ``term<TAB>ids``.

    A child's header line is indented one tab more than its parent's, and a
    label that differs from the id follows it as ``<TAB>(Label)``, as in
    LIWC2015 dictionaries. Weights, exclusions and negation are not written.
    """
    order = _tree_order(lexicon)
    code = {c.id: n for n, (_, c) in enumerate(order, start=1)}
    lines = ["%"]
    for depth, c in order:
        label = f"\t({c.label})" if c.label != _leaf(c.id) and _DIC_LABEL_OK.fullmatch(c.label) else ""
        lines.append(f"{chr(9) * depth}{code[c.id]}\t{_leaf(c.id)}{label}")
    lines.append("%")
    entries: dict[_TermKey, tuple[str, list[int]]] = {}
    for c, terms in _rolled_up(lexicon):
        for t in terms:
            entries.setdefault(_key(t), (t.text, []))[1].append(code[c.id])
    lines += [f"{text}\t" + "\t".join(str(i) for i in ids) for text, ids in entries.values()]
    return "\n".join(lines) + "\n"


# --- LIWC-22 .dicx and CSV --------------------------------------------------


def _csv_text(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerows(rows)
    return buf.getvalue()


def to_dicx(lexicon: Lexicon) -> str:
    """The lexicon as a LIWC-22 ``.dicx`` grid: ``DicTerm`` and one column per category (its path).

    A member's cell holds ``X``; in a lexicon with any weight other than 1,
    every member's cell holds its weight instead.
    """
    rolled = _rolled_up(lexicon)
    weighted = any(t.weight != 1 for c in lexicon.categories for t in c.terms)
    index = {c.id: n for n, (c, _) in enumerate(rolled)}
    rows: dict[_TermKey, list[str]] = {}
    for c, terms in rolled:
        for t in terms:
            row = rows.setdefault(_key(t), [t.text] + [""] * len(rolled))
            row[1 + index[c.id]] = _number(t.weight) if weighted else "X"
    return _csv_text([["DicTerm", *(c.id for c, _ in rolled)], *rows.values()])


def to_csv(lexicon: Lexicon) -> str:
    """The lexicon as framing's CSV: ``category,term,weight`` (and ``kind`` when it has exclusions)."""
    with_kind = any(c.exclude for c in lexicon.categories)
    rows = [["category", "term", "weight", "kind"] if with_kind else ["category", "term", "weight"]]
    for _, c in _tree_order(lexicon):
        for t in c.terms:
            rows.append([c.id, t.text, "" if t.weight == 1 else _number(t.weight)] + (["term"] if with_kind else []))
        rows += [[c.id, t.text, "", "exclude"] for t in c.exclude]
    return _csv_text(rows)


# --- what each format cannot hold -------------------------------------------


def _plural(n: int, word: str, many: str = "") -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {many or word + 's'}"


def _losses(lexicon: Lexicon, fmt: str) -> list[str]:
    cats = lexicon.categories
    out = []
    meta = [k for k in ("version", "description", "citation", "language") if getattr(lexicon, k)]
    if lexicon.role != DEFAULT_ROLE:
        meta.insert(0, f"role ({lexicon.role})")
    if meta:
        out.append(f"{fmt} has no metadata: {', '.join(meta)} not written (the name will be the file's name)")
    if fmt != ".dic":
        labelled = sum(c.label not in (c.id, _leaf(c.id)) for c in cats)
        if labelled:
            out.append(f"{fmt} has no labels: {_plural(labelled, 'category label')} not written (ids are kept)")
    else:
        odd = sum(c.label != _leaf(c.id) and not _DIC_LABEL_OK.fullmatch(c.label) for c in cats)
        if odd:
            out.append(f".dic labels cannot hold parentheses, tabs or line breaks: {_plural(odd, 'label')} not written")
    described = sum(bool(c.description) for c in cats)
    if described:
        out.append(f"{fmt} has no descriptions: {_plural(described, 'category description')} not written")
    weighted = sum(t.weight != 1 for c in cats for t in c.terms)
    if weighted and fmt == ".dic":
        out.append(f".dic has no weights: {_plural(weighted, 'weighted term')} written unweighted")
    excluded = [c for c in cats if c.exclude]
    if excluded and fmt != "CSV":
        n = sum(len(c.exclude) for c in excluded)
        out.append(
            f"{fmt} has no exclusions: {_plural(n, 'exclusion')} of {_plural(len(excluded), 'category', 'categories')}"
            " not written, so those categories will also count matches inside the excluded phrases"
        )
    negated = sum(c.negation is not None for c in cats)
    if negated or lexicon.negation is not None:
        out.append(
            f"{fmt} has no negation rule: negation is off when the file is read "
            f"({_plural(negated, 'category', 'categories')} had one)"
        )
    extras = sorted({k for c in cats for k, _ in c.extra})
    if extras:
        n = sum(bool(c.extra) for c in cats)
        out.append(
            f"{fmt} has no other keys: {', '.join(extras)} of {_plural(n, 'category', 'categories')} not written"
        )
    if fmt == "CSV":
        parents = {c.parent for c in cats}
        empty = sum(not c.terms and not c.exclude and c.id not in parents for c in cats)
        if empty:
            out.append(f"CSV lists categories by their terms: {_plural(empty, 'category', 'categories')} "
                       "without terms not written")
    return out


_WRITERS: dict[str, tuple[str, Callable[[Lexicon], str]]] = {
    ".yaml": ("YAML", to_yaml),
    ".yml": ("YAML", to_yaml),
    ".dic": (".dic", to_dic),
    ".dicx": (".dicx", to_dicx),
    ".csv": ("CSV", to_csv),
}


def write_lexicon_text(lexicon: Lexicon, suffix: str) -> tuple[str, list[str]]:
    """The text of ``lexicon`` in the format of ``suffix``, and what that format could not hold.

    Each message names one kind of loss with its count (empty for YAML,
    which holds everything). Raises ``InputError`` for an unknown suffix.
    """
    found = _WRITERS.get(suffix.lower())
    if found is None:
        raise InputError(f"cannot write a lexicon as {suffix or 'a file without extension'!r}; "
                         f"use one of {', '.join(WRITER_SUFFIXES)}")
    fmt, writer = found
    return writer(lexicon), ([] if fmt == "YAML" else _losses(lexicon, fmt))
