"""LIWC ``.dic``: numbered categories between ``%`` lines, then ``term<TAB>ids``."""

from __future__ import annotations

import re

from ..model import Lexicon
from .common import TermKey, leaf, rolled_up, term_key, tree_order

__all__ = ["DIC_LABEL_OK", "to_dic"]

# A label a .dic header line can carry after the id, as "<TAB>(Label)": no parenthesis, tab, or character
# that ends a line when the file is read again (str.splitlines also breaks at \v, \f, \x1c-\x1e, NEL, LS, PS).
DIC_LABEL_OK = re.compile(r"[^()\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")


def to_dic(lexicon: Lexicon) -> str:
    """The lexicon as a LIWC ``.dic``: numbered categories between ``%`` lines, then ``term<TAB>ids``.

    A child's header line is indented one tab more than its parent's, and a
    label that differs from the id follows it as ``<TAB>(Label)``, as in
    LIWC2015 dictionaries. Weights, exclusions and negation are not written.
    """
    order = tree_order(lexicon)
    code = {c.id: n for n, (_, c) in enumerate(order, start=1)}
    lines = ["%"]
    for depth, c in order:
        label = f"\t({c.label})" if c.label != leaf(c.id) and DIC_LABEL_OK.fullmatch(c.label) else ""
        lines.append(f"{chr(9) * depth}{code[c.id]}\t{leaf(c.id)}{label}")
    lines.append("%")
    entries: dict[TermKey, tuple[str, list[int]]] = {}
    for c, terms in rolled_up(lexicon):
        for t in terms:
            entries.setdefault(term_key(t), (t.text, []))[1].append(code[c.id])
    lines += [f"{text}\t" + "\t".join(str(i) for i in ids) for text, ids in entries.values()]
    return "\n".join(lines) + "\n"
