"""Keyword in context, from the matcher itself: every occurrence that counts, where it is.

A target is resolved against the compiled lexicons (``resolve_target``):

1. ``lexicon.category`` (a report column): that category;
2. a term as written in a lexicon (``sanction*``, ``trade war``; compared by
   the form it matches, so case does not matter): that term, in every
   category that lists it;
3. a bare category id (``economy_trade``, ``parent/child``): that category
   in every lexicon that has it;
4. anything else is an ad-hoc term, matched alone in a one-term lexicon.

The corpus is matched with the whole lexicons and the matches of the target
are then picked out, so a term shows only where it wins the precedence of its
category (``framing.analysis.match``), exactly as it counts in ``framing
analyze``. Negated matches are listed and marked; they do not count.

Rows are in article id order, then by position: the same for any chunking
and input order. ``--limit N`` keeps the first ``N`` in that order.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from ..analysis.match import CompiledLexicons, compile_lexicons
from ..analysis.tokentable import build_token_table
from ..cells import csv_line
from ..defaults import CHUNK_ARTICLES
from ..errors import InputError
from ..lexicon.model import Category, Lexicon, Term, parse_term, spelled
from ..types import Article, Progress
from .scan import Scanned, TableMaker, scan

__all__ = ["ADHOC_LEXICON", "KWIC_COLUMNS", "KwicRow", "Target", "kwic", "kwic_chunk", "kwic_csv", "kwic_line",
           "resolve_target"]

ADHOC_LEXICON = "adhoc"
KWIC_COLUMNS = ["article_id", "outlet", "source_type", "category", "term", "match", "left", "right", "negated",
                "char_start", "char_end"]
NEGATED_MARK = "[not-counted: negated]"
# Line breaks, tabs and other control characters would break "one line per occurrence".
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class Target:
    """What to show: the matches of these categories (``categories``) or of these terms (``terms``) of ``lex``."""

    text: str
    kind: str  # "category", "term" or "adhoc"
    lex: CompiledLexicons
    categories: frozenset[int] = frozenset()
    terms: frozenset[int] = frozenset()
    note: str = ""  # a second reading of the target, for the user

    @property
    def n_categories(self) -> int:
        """How many categories the rows can come from."""
        if self.categories:
            return len(self.categories)
        return len({int(self.lex.term_category[t]) for t in self.terms})


_LOOKS_LIKE_COLUMN = re.compile(r"[a-z_][a-z0-9_]+\.[a-z_][a-z0-9_/]+")


def resolve_target(text: str, lexicons: list[Lexicon]) -> Target:
    """The ``Target`` that ``text`` names (see the module docstring); ``InputError`` if it names nothing usable."""
    names = [lx.name for lx in lexicons]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise InputError(f"two lexicons are both named {dup[0]!r}; give one a different 'name'")
    lex = compile_lexicons(lexicons)
    wanted = text.strip()
    columns = lex.columns
    if wanted in columns:
        return Target(wanted, "category", lex, categories=frozenset([columns.index(wanted)]))
    words, wild, problems = parse_term(wanted)
    form = spelled(words, wild) if not problems else None
    terms = frozenset(i for i, t in enumerate(lex.terms) if form is not None and t.form == form)
    by_id = frozenset(c for c, (_, cid) in enumerate(lex.category_ref) if cid == wanted)
    if terms:
        note = ""
        if by_id:
            names = ", ".join(sorted(columns[c] for c in by_id))
            note = f'"{wanted}" is also a category; give {names} to see the category'
        return Target(wanted, "term", lex, terms=terms, note=note)
    if by_id:
        return Target(wanted, "category", lex, categories=by_id)
    head, dot, _ = wanted.partition(".")
    if dot and head in names:
        known = ", ".join(cid for (lx, cid) in lex.category_ref if lx == head)
        raise InputError(f"unknown category {wanted}: lexicon {head} has {known or 'no categories'}")
    if dot and _LOOKS_LIKE_COLUMN.fullmatch(wanted):
        # "frame.war_conflict" is a mistyped column far more often than a term anyone means to look for.
        raise InputError(f"{wanted} looks like lexicon.category, but there is no lexicon {head!r} "
                         f"(the lexicons: {', '.join(names)}); to look for it as words, write it with a space")
    if problems:
        raise InputError(f"{wanted!r} is no category or term of the lexicons, and not a usable term: {problems[0]}")
    term = Term(text=wanted, words=words, wildcard=wild)
    adhoc = Lexicon(name=ADHOC_LEXICON, categories=(Category(id="term", label=wanted, description="", terms=(term,)),))
    return Target(wanted, "adhoc", compile_lexicons([adhoc]), categories=frozenset([0]))


@dataclass(frozen=True, order=True)
class KwicRow:
    """One occurrence; rows sort in article id order, then by position."""

    article_id: str
    char_start: int
    char_end: int
    category: str
    term: str
    outlet: str
    source_type: str
    match: str
    left: str
    right: str
    negated: bool
    more_left: bool = field(default=False, compare=False)  # the article goes on beyond the context shown
    more_right: bool = field(default=False, compare=False)


def _flat(text: str) -> str:
    return _UNPRINTABLE.sub(" ", text)


def kwic_chunk(scanned: Scanned, target: Target, width: int, i: int = 0) -> list[KwicRow]:
    """The target's occurrences in one chunk scanned with ``target.lex`` as lexicon set ``i`` (pure)."""
    found = scanned.matches[i]
    if target.categories:
        pick = np.isin(found.category, np.fromiter(target.categories, dtype=np.int64))
    else:
        pick = np.isin(found.term, np.fromiter(target.terms, dtype=np.int64))
    at = np.flatnonzero(pick)
    if len(at) == 0:
        return []
    table = scanned.table
    starts, _ = table.offsets(found.start[at])
    _, ends = table.offsets(found.end[at] - 1)
    negated = np.asarray(found.negated, dtype=bool)[at]
    columns = target.lex.columns
    rows = []
    for k, (d, s, e, c, t) in enumerate(zip(found.doc[at].tolist(), starts.tolist(), ends.tolist(),
                                          found.category[at].tolist(), found.term[at].tolist())):
        a = scanned.articles[d]
        rows.append(KwicRow(
            article_id=a.id, char_start=s, char_end=e, category=columns[c], term=target.lex.terms[t].text,
            outlet=a.outlet, source_type=a.source_type, match=_flat(a.text[s:e]),
            left=_flat(a.text[max(0, s - width) : s]), right=_flat(a.text[e : e + width]), negated=bool(negated[k]),
            more_left=s > width, more_right=e + width < len(a.text),
        ))
    return rows


def kwic(
    articles: Iterable[Article],
    target: Target,
    *,
    width: int = 40,
    limit: int | None = None,
    chunk_articles: int = CHUNK_ARTICLES,
    progress: Progress | None = None,
    tables: TableMaker = build_token_table,
) -> list[KwicRow]:
    """Every occurrence of ``target`` in ``articles`` (the first ``limit`` in id order), read once."""
    if width < 0:
        raise InputError(f"width must be 0 or more, got {width}", argument="width")
    if limit is not None and limit < 0:
        raise InputError(f"limit must be 0 or more, got {limit}", argument="limit")
    kept: list[KwicRow] = []
    for scanned in scan(articles, [target.lex], chunk_articles=chunk_articles, progress=progress, tables=tables):
        rows = kwic_chunk(scanned, target, width)
        # Only the first ``limit`` rows in id order survive, so memory stays bounded for a frequent term.
        kept = heapq.nsmallest(limit, kept + rows) if limit is not None else kept + rows
    return sorted(kept)


def kwic_line(row: KwicRow, width: int, *, with_category: bool = False) -> str:
    """One text line: ``id  outlet  type  ...left [match] right...``, the matches aligned."""
    left = ("..." if row.more_left else "") + row.left
    right = row.right + ("..." if row.more_right else "")
    head = [row.article_id, row.outlet or "-", row.source_type]
    if with_category:
        head.append(row.category)
    mark = f"  {NEGATED_MARK}" if row.negated else ""
    return f"{'  '.join(_flat(h) for h in head)}  {left:>{width + 3}}[{row.match}]{right}{mark}"


def kwic_csv(rows: Iterable[KwicRow]) -> bytes:
    """The rows as CSV (``KWIC_COLUMNS``), text cells neutralised."""
    out = [csv_line(KWIC_COLUMNS)]
    out += [
        csv_line((r.article_id, r.outlet, r.source_type, r.category, r.term, r.match, r.left, r.right,
                  int(r.negated), r.char_start, r.char_end))
        for r in rows
    ]
    return b"".join(out)
