""""Same thing, different words": which label each article uses for a contested referent.

A lexicon whose categories carry a ``referent`` key (the built-in ``labels``
lexicon) holds two or more vocabularies for one thing: "invasion" or
"special military operation" for the war in Ukraine. ``label_table`` turns
the evidence ledger into one table (``labels.csv``): per referent, per
article, which label (category, and the ``side`` whose usage it collects) the
article used, how often, and a short excerpt around its first use; and per
source type the totals. Pure: no files, no printing.

Only the articles in the ledger are counted: every article in the Python
API, the articles whose text the run kept in a streamed CLI run (the first
``--html-articles`` by id).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

from ..cells import escape_surrogates
from ..grouping import Grouping, renamed, table_column
from ..lexicon.model import Lexicon
from ..lexicon.referents import referents
from ..schema import LABEL_COLUMNS, LABEL_INT_COLUMNS
from ..types import Article

__all__ = ["EXCERPT_WIDTH", "excerpt", "label_table"]

EXCERPT_WIDTH = 90  # characters of context on each side of the first match, at most

# Where a sentence (or a line) ends: an excerpt never reaches past one.
_SENTENCE_END = re.compile(r"[.!?\n](?=\s|$)|\n")
_SPACES = re.compile(r"\s+")


def excerpt(text: str, start: int, end: int, width: int = EXCERPT_WIDTH) -> tuple[str, str, str]:
    """``(before, match, after)``: the match with the rest of its sentence, cut to ``width`` each side.

    A cut inside a sentence gets an ellipsis; whitespace runs become one
    space, so the excerpt is one line.
    """
    if not (0 <= start <= end <= len(text)):
        return "", "", ""
    left = max(0, start - width)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, left, start)]
    cut_left = bool(left > 0 and not ends)
    left = ends[-1] if ends else left
    right = min(len(text), end + width)
    stop = _SENTENCE_END.search(text, end, right)
    cut_right = bool(stop is None and right < len(text))
    right = stop.end() if stop else right
    before, after = text[left:start], text[end:right]
    if cut_left:  # start at a word, not in the middle of one
        before = before.split(" ", 1)[1] if " " in before else before
    if cut_right:
        after = after.rsplit(" ", 1)[0] if " " in after else after
    before = _SPACES.sub(" ", before).lstrip()
    after = _SPACES.sub(" ", after).rstrip()
    return ("\u2026" if cut_left else "") + before, _SPACES.sub(" ", text[start:end]), after + ("\u2026" if cut_right else "")


def label_table(
    lexicons: Sequence[Lexicon], matches: pd.DataFrame | None, articles: Sequence[Article], scores: pd.DataFrame | None,
    *, grouping: Grouping | None = None, groups: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """``labels.csv``: per referent, the labels each article and each source type used.

    Rows with ``scope`` ``"source_type"`` come first (every label of every
    referent that any article used, for every source type, zeros included),
    then ``scope`` ``"article"`` rows (one per article and label it used).
    ``count`` counts matches that count in the rates (not negated);
    ``quoted`` how many of those are in quoted speech; ``negated`` the
    negated matches, listed but not counted. The order is fixed: referents
    and labels in lexicon order, source types in the report's order,
    articles by id.

    ``matches`` is the evidence ledger (``matches.csv``'s columns),
    ``articles`` the articles whose text is kept (for the excerpts),
    ``scores`` the rows of ``report.csv`` kept (for source types and outlets).
    With a ``grouping`` by another column, ``groups`` gives each article's
    group: the group rows' ``scope`` is the column's name, and so is the
    header of the ``source_type`` column (``framing.grouping.table_column``).
    """
    refs = referents(lexicons)
    grouping = grouping or Grouping()
    m = matches
    empty = pd.DataFrame({c: pd.Series(dtype="int64" if c in LABEL_INT_COLUMNS else object) for c in LABEL_COLUMNS})
    if not refs or m is None or not len(m):
        return _named(empty, grouping)
    where = {(r.lexicon, cid): (r, i) for r in refs for i, (cid, _, _) in enumerate(r.categories)}
    keys = list(zip(m["lexicon"].astype(str), m["category"].astype(str)))
    rows = [i for i, k in enumerate(keys) if k in where]
    if not rows:
        return _named(empty, grouping)
    sub = m.iloc[rows]
    types, outlets = _article_facts(articles, scores)
    if groups is not None:
        types = dict(groups)
    texts = {a.id: a.text for a in articles}

    # (referent index, category index, article id) -> [count, quoted, negated, first counted, first negated];
    # the excerpt shows the first use that counted, a negated one only if none did.
    ref_index = {(r.lexicon, r.name): i for i, r in enumerate(refs)}
    per: dict[tuple[int, int, str], list] = {}
    for aid, lex, cat, start, end, quoted, negated in zip(
        sub["article_id"].astype(str), sub["lexicon"].astype(str), sub["category"].astype(str),
        sub["start"], sub["end"], sub["quoted"], sub["negated"],
    ):  # fmt: skip
        ref, ci = where[(lex, cat)]
        cell = per.setdefault((ref_index[(ref.lexicon, ref.name)], ci, aid), [0, 0, 0, None, None])
        span = (int(start), int(end))
        if int(negated):
            cell[2] += 1
            cell[4] = span if cell[4] is None else min(cell[4], span)
        else:
            cell[0] += 1
            cell[1] += int(quoted)
            cell[3] = span if cell[3] is None else min(cell[3], span)

    used_refs = sorted({r for r, _, _ in per})
    group_sizes: dict[str, int] = {}
    for aid in texts or {k[2] for k in per}:
        t = types.get(aid, "unknown")
        group_sizes[t] = group_sizes.get(t, 0) + 1
    for _, _, aid in per:
        group_sizes.setdefault(types.get(aid, "unknown"), 0)
    ordered_types = sorted(group_sizes, key=grouping.key)

    out: list[list[object]] = []
    for r in used_refs:
        ref = refs[r]
        for ci, (cid, label, side) in enumerate(ref.categories):
            for t in ordered_types:
                cells = [v for (rr, cc, aid), v in per.items() if rr == r and cc == ci and types.get(aid, "unknown") == t]
                out.append([
                    grouping.column, ref.name, ref.lexicon, cid, label, side, t, "", "",
                    sum(v[0] for v in cells), sum(v[1] for v in cells), sum(v[2] for v in cells),
                    sum(1 for v in cells if v[0]), group_sizes[t], "", "", None,
                ])  # fmt: skip
    for (r, ci, aid) in sorted(per, key=lambda k: (k[0], k[2], k[1])):
        ref = refs[r]
        cid, label, side = ref.categories[ci]
        v = per[(r, ci, aid)]
        first = v[3] or v[4]
        text = texts.get(aid)
        before, used, after = (escape_surrogates(part) for part in (excerpt(text, *first) if text is not None
                                                                      else ("", "", "")))
        out.append([
            "article", ref.name, ref.lexicon, cid, label, side, types.get(aid, "unknown"), aid, outlets.get(aid, ""),
            v[0], v[1], v[2], 1 if v[0] else 0, None, before + used + after, used, len(before) if used else None,
        ])  # fmt: skip
    table = pd.DataFrame(out, columns=list(LABEL_COLUMNS))
    table["articles_in_group"] = table["articles_in_group"].astype("Int64")
    table["matched_at"] = table["matched_at"].astype("Int64")
    return _named(table, grouping)


def _named(table: pd.DataFrame, grouping: Grouping) -> pd.DataFrame:
    """The table with its group column named after the grouping's (``source_type`` as it is)."""
    if grouping.by_type:
        return table
    others = [c for c in LABEL_COLUMNS if c != "source_type"]
    return renamed(table, "source_type", table_column(grouping.column, others))


def _article_facts(articles: Sequence[Article], scores: pd.DataFrame | None) -> tuple[dict[str, str], dict[str, str]]:
    """Article id -> source type and -> outlet, from ``scores``, else from the kept articles."""
    types = {a.id: a.source_type for a in articles}
    outlets = {a.id: a.outlet for a in articles}
    s = scores
    if s is not None and len(s) and "article_id" in s.columns:
        ids = s["article_id"].astype(str).tolist()
        if "source_type" in s.columns:
            types.update(zip(ids, s["source_type"].fillna("unknown").astype(str)))
        if "outlet" in s.columns:
            outlets.update(zip(ids, s["outlet"].fillna("").astype(str)))
    return types, outlets
