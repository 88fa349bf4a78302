"""What each format cannot hold: one plain message per kind of loss, with its count.

``fmt`` is the format's name in messages: ``YAML``, ``.dic``, ``.dicx``,
``CSV``, ``.cat``, ``.lc3``, ``.ykd``, ``.txt``, ``JSON`` or ``quanteda YAML``
(framing's YAML holds everything and has no losses).
"""

from __future__ import annotations

from ...english import plural
from ..model import DEFAULT_ROLE, Category, Lexicon
from .common import leaf, name_as_written
from .liwc_dic import DIC_LABEL_OK
from .wordstat import CAT_LABEL_BAD

# The formats that name a category by one string its id is read from: the characters that string cannot hold.
# They keep a label that gives back the id (POSITIVE_AFFECT for positive_affect); .lc3 and .txt name a nested
# category by its path, parent/child.
_NAMED_BY_LABEL = {".cat": "", ".lc3": "/", ".ykd": "", ".txt": "/", "JSON": "", "quanteda YAML": ""}
# The formats that list a category only through its terms: one without terms and without children is not written.
_BY_TERMS = ("CSV", ".txt")
_UNWEIGHTED = (".dic", ".lc3", ".ykd")


def _label_kept(c: Category, fmt: str) -> bool:
    """Whether ``fmt`` writes the label of ``c`` so that it reads back."""
    if c.label in (c.id, leaf(c.id)):
        return True
    if fmt not in _NAMED_BY_LABEL or (fmt in _BY_TERMS and not c.terms):
        return False
    written = name_as_written(c, _NAMED_BY_LABEL[fmt])
    return written == c.label and not (fmt == ".cat" and CAT_LABEL_BAD.search(written))

__all__ = ["format_losses"]


def format_losses(lexicon: Lexicon, fmt: str) -> list[str]:
    """What the format named ``fmt`` cannot hold of ``lexicon``: one message per kind of loss, in a fixed order."""
    cats = lexicon.categories
    out = []
    meta = [k for k in ("version", "description", "citation", "language") if getattr(lexicon, k)]
    if lexicon.role != DEFAULT_ROLE:
        meta.insert(0, f"role ({lexicon.role})")
    if meta:
        name = "the name is kept" if fmt == ".ykd" else "the name will be the file's name"
        out.append(f"{fmt} has no metadata: {', '.join(meta)} not written ({name})")
    if fmt in _NAMED_BY_LABEL:
        lost = sum(not _label_kept(c, fmt) for c in cats)
        if lost:
            out.append(f"{fmt} has no labels: {plural(lost, 'category label')} not written (ids are kept; a "
                       "label that differs from its id only in case and punctuation is kept)")
    elif fmt != ".dic":
        labelled = sum(c.label not in (c.id, leaf(c.id)) for c in cats)
        if labelled:
            out.append(f"{fmt} has no labels: {plural(labelled, 'category label')} not written (ids are kept)")
    else:
        odd = sum(c.label != leaf(c.id) and not DIC_LABEL_OK.fullmatch(c.label) for c in cats)
        if odd:
            out.append(f".dic labels cannot hold parentheses, tabs or line breaks: {plural(odd, 'label')} not written")
    described = sum(bool(c.description) for c in cats)
    if described:
        out.append(f"{fmt} has no descriptions: {plural(described, 'category description')} not written")
    weighted = sum(t.weight != 1 for c in cats for t in c.terms)
    if weighted and fmt in _UNWEIGHTED:
        out.append(f"{fmt} has no weights: {plural(weighted, 'weighted term')} written unweighted")
    excluded = [c for c in cats if c.exclude]
    if excluded and fmt != "CSV":
        n = sum(len(c.exclude) for c in excluded)
        out.append(
            f"{fmt} has no exclusions: {plural(n, 'exclusion')} of {plural(len(excluded), 'category', 'categories')}"
            " not written, so those categories will also count matches inside the excluded phrases"
        )
    negated = sum(c.negation is not None for c in cats)
    if negated or lexicon.negation is not None:
        out.append(
            f"{fmt} has no negation rule: negation is off when the file is read "
            f"({plural(negated, 'category', 'categories')} had one)"
        )
    extras = sorted({k for c in cats for k, _ in c.extra})
    if extras:
        n = sum(bool(c.extra) for c in cats)
        out.append(
            f"{fmt} has no other keys: {', '.join(extras)} of {plural(n, 'category', 'categories')} not written"
        )
    if fmt in _BY_TERMS:
        # CSV also writes an exclusion's row. A category is written when it or a descendant has a row.
        rows = {c.id for c in cats if c.terms or (fmt == "CSV" and c.exclude)}
        empty = sum(not any(r == c.id or r.startswith(c.id + "/") for r in rows) for c in cats)
        if empty:
            out.append(f"{fmt} lists categories by their terms: {plural(empty, 'category', 'categories')} "
                       "without terms not written")
    return out
