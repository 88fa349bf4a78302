"""The highlighter: the counted matches of the shown articles, as ``<mark>`` pieces of their text.

Every highlight is a ``<mark>`` with class ``k<N>`` for each legend number
``N`` of the categories covering it and ``data-ends="<m>"``, the number of
ledger rows of the article that end at this piece (negated rows included),
so the ``data-ends`` of an article's marks add up to its rows in
matches.csv. Unchecking a category's toggle puts class ``off-<N>`` on
``<body>``, which the CSS of ``Evidence.css`` turns into no highlight for
marks whose categories are all off.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

import numpy as np

from ...result import AnalysisResult
from ..legend import OKABE_ITO
from .escape import cell_text, html_attr, html_text

__all__ = ["Evidence", "Match", "highlight", "paragraphs"]

# One counted match in one article: (start, end, legend number, term, quoted, negated).
Match = tuple[int, int, int, str, bool, bool]

# After the seven colours repeat, the underline style tells categories apart.
_UNDERLINES = ("solid", "dashed", "dotted", "double")
# A paragraph break is a line break followed by at least one blank line.
_PARAGRAPH_BREAK = re.compile(r"\n(?:[^\S\n]*\n)+")


class Evidence:
    """The matches of the shown articles, grouped once, and the legend numbers.

    Filtering the ledger per article would cost a full scan per article; one
    ``isin`` and one ``groupby`` serve them all.
    """

    def __init__(self, result: AnalysisResult, shown_ids: Sequence[str]) -> None:
        self.categories = {(lx.name, c.id): c for lx in result.lexicons for c in lx.categories}
        order = {key: i for i, key in enumerate(self.categories)}
        m = result.matches
        if len(m) and shown_ids:
            m = m[m["article_id"].isin(set(shown_ids))]
        else:
            m = m.iloc[:0]
        self.starts = m["start"].to_numpy(dtype=np.int64) if len(m) else np.zeros(0, np.int64)
        self.ends = m["end"].to_numpy(dtype=np.int64) if len(m) else np.zeros(0, np.int64)
        self.texts = [cell_text(t) for t in m["text"]] if len(m) else []
        lex = [cell_text(x) for x in m["lexicon"]] if len(m) else []
        cat = [cell_text(x) for x in m["category"]] if len(m) else []
        self.terms = [cell_text(x) for x in m["term"]] if len(m) else []
        self.quoted = m["quoted"].to_numpy(dtype=bool) if len(m) and "quoted" in m.columns else np.zeros(len(m), bool)
        self.negated = m["negated"].to_numpy(dtype=bool) if len(m) and "negated" in m.columns else np.zeros(len(m), bool)
        used = set(zip(lex, cat))
        # Legend numbers follow the lexicon files; a category the lexicons do
        # not list (an edited ledger) still gets a number, after them.
        ranked = sorted(used, key=lambda k: (order.get(k, len(order)), k))
        self.number = {key: i + 1 for i, key in enumerate(ranked)}
        self.keys = [self.number[k] for k in zip(lex, cat)]
        self.refs = {n: key for key, n in self.number.items()}
        self.rows = m.groupby("article_id", sort=False).indices if len(m) else {}

    def for_article(self, article_id: str, text: str) -> list[Match]:
        """``(start, end, legend number, term, quoted, negated)`` of every match that fits the text.

        The ledger promises ``text[start:end] == matched text``; a row that
        breaks it (a repeated id, an edited ledger) is left out rather than
        highlighting the wrong words.
        """
        out = []
        n = len(text)
        for r in self.rows.get(article_id, ()):
            s, e = int(self.starts[r]), int(self.ends[r])
            if 0 <= s < e <= n and text[s:e] == self.texts[r]:
                out.append((s, e, self.keys[r], self.terms[r], bool(self.quoted[r]), bool(self.negated[r])))
        return out

    def name(self, number: int) -> str:
        """The column of legend number ``number``: ``<lexicon>.<category>``."""
        lex, cat = self.refs[number]
        return f"{lex}.{cat}"

    def label(self, number: int) -> str:
        """The category's label for people (its id when the lexicons do not list it)."""
        category = self.categories.get(self.refs[number])
        return category.label if category else self.refs[number][1]

    def description(self, number: int) -> str:
        """What the category captures, as its lexicon says ("" when unknown)."""
        category = self.categories.get(self.refs[number])
        return category.description if category else ""

    def css(self) -> str:
        """The colour of each legend number, and the rules that switch it off.

        A mark may carry several numbers. All "off" rules come before all
        "on" rules of equal specificity, so a mark loses its highlight only
        when every one of its categories is off; while any is on, the last
        on rule paints it.
        """
        swatches, off, on = [], [], []
        for n in sorted(self.refs):
            color = OKABE_ITO[(n - 1) % len(OKABE_ITO)]
            line = _UNDERLINES[(n - 1) // len(OKABE_ITO) % len(_UNDERLINES)]
            look = f"background:{_tint(color)};border-bottom:3px {line} {color}"
            swatches.append(f".sw.k{n}{{{look}}}")
            off.append(f"body.off-{n} mark.k{n}{{background:transparent;border-bottom-color:transparent;--qc:transparent}}")
            on.append(f"body:not(.off-{n}) mark.k{n}{{{look};--qc:#555}}")
        rules = swatches + off + on
        return "\n".join(rules) + ("\n" if rules else "")


def _tint(color: str, strength: float = 0.35) -> str:
    """The colour mixed with white, so black text stays readable on it."""
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(255 - (255 - c) * strength) for c in rgb]
    return "#" + "".join(f"{c:02X}" for c in mixed)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each paragraph, without surrounding whitespace."""
    spans = []
    pos = 0
    for brk in (*_PARAGRAPH_BREAK.finditer(text), None):
        end = brk.start() if brk else len(text)
        chunk = text[pos:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((pos + lead, pos + lead + len(stripped)))
        if brk:
            pos = brk.end()
    return spans


def highlight(text: str, matches: Iterable[Match], evidence: Evidence) -> list[str]:
    """The text as ``<p>`` paragraphs with every matched span in a ``<mark>``.

    Matches may overlap or nest (a phrase in one category, one of its words
    in another). The text is cut at every match and paragraph boundary, and
    each piece covered by any match gets one flat ``<mark>`` naming all the
    categories that cover it, so tags never interleave.
    """
    paras = paragraphs(text)
    if not paras:
        return []
    spans = list(matches)
    opening, closing, cuts = _cuts(len(text), spans, paras)
    out: list[str] = []
    active: set[int] = set()
    para = 0
    inside = False
    for a, b in itertools.pairwise(cuts):
        active.difference_update(closing.get(a, ()))
        active.update(opening.get(a, ()))
        while para < len(paras) and paras[para][1] <= a:
            if inside:
                out.append("</p>\n")
                inside = False
            para += 1
        if para == len(paras):
            break
        if a < paras[para][0]:
            continue  # the blank lines between paragraphs
        if not inside:
            out.append("<p>")
            inside = True
        piece = html_text(text[a:b])
        if active:
            ending = [spans[i][2] for i in active if spans[i][1] == b]
            out.append(_mark(piece, [spans[i] for i in active], ending, evidence))
        else:
            out.append(piece)
    if inside:
        out.append("</p>\n")
    return out


def _cuts(
    n: int, spans: Sequence[Match], paras: Sequence[tuple[int, int]]
) -> tuple[dict[int, list[int]], dict[int, list[int]], list[int]]:
    """Which matches open and close at each offset, and every offset where the text is cut, in order."""
    opening: dict[int, list[int]] = {}
    closing: dict[int, list[int]] = {}
    bounds = {0, n}
    for i, (s, e, *_) in enumerate(spans):
        opening.setdefault(s, []).append(i)
        closing.setdefault(e, []).append(i)
        bounds.update((s, e))
    for ps, pe in paras:
        bounds.update((ps, pe))
    return opening, closing, sorted(bounds)


def _mark(piece: str, covering: list[Match], ending: Sequence[int], evidence: Evidence) -> str:
    """One highlighted piece; ``ending`` are the legend numbers of matches that end here.

    The number is printed where a match ends, not on every piece, so that
    "mutual support" with "mutual" in a second category reads
    "mutual(5) support(17)" rather than repeating 17. ``data-ends`` counts
    those matches (one per ledger row). A piece all of whose matches are in
    quoted speech is set in italics (``data-q``); one all of whose matches
    are negated is struck through (``data-neg``): listed, not counted.
    """
    numbers = sorted({c[2] for c in covering})
    reasons = sorted({(c[2], c[3], c[4], c[5]) for c in covering})
    title = "\n".join(
        f"{evidence.name(k)} ({evidence.label(k)}): term \u201c{term}\u201d"
        + (" (in quoted speech)" if quoted else "")
        + (" (negated: listed, not counted)" if negated else "")
        for k, term, quoted, negated in reasons
    )
    classes = " ".join(f"k{k}" for k in numbers)
    tag = f' data-k="{"+".join(str(k) for k in sorted(set(ending)))}"' if ending else ""
    flags = (" data-q" if all(c[4] for c in covering) else "") + (" data-neg" if all(c[5] for c in covering) else "")
    return f'<mark class="{classes}" data-ends="{len(ending)}"{tag}{flags} title="{html_attr(title)}">{piece}</mark>'
