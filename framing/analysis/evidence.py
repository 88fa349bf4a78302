"""The evidence of one chunk: which words counted, where, and for what.

``ledger`` turns a chunk's matches into the rows of ``matches.csv`` (flat
arrays plus the matched text); ``top_evidence`` names each article's most
frequent matches. Both are pure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..types import Article
from .match import CompiledLexicons, Matches
from .tokentable import TokenTable

__all__ = ["TOP_EVIDENCE", "Ledger", "ledger", "top_evidence"]

TOP_EVIDENCE = 5  # most frequent lexicon matches listed per article


@dataclass(frozen=True)
class Ledger:
    """Every match of a chunk: ``doc`` (chunk index), sentence, character span, category, term, flags.

    ``text[i]`` is ``article.text[start[i]:end[i]]``; rows are sorted by
    article, then start, then category.
    """

    doc: np.ndarray
    sentence: np.ndarray
    start: np.ndarray
    end: np.ndarray
    category: np.ndarray
    term: np.ndarray
    text: list[str]
    quoted: np.ndarray  # True for a match in quoted speech (``framing.analysis.quotes``)
    negated: np.ndarray  # True for a negated match: listed, not counted (``framing.analysis.match``)

    def __len__(self) -> int:
        return len(self.doc)

    def rows_of(self, d: int) -> slice:
        """The rows of chunk article ``d`` (rows are sorted by article)."""
        lo, hi = np.searchsorted(self.doc, [d, d + 1])
        return slice(int(lo), int(hi))


def ledger(articles: list[Article], table: TokenTable, found: Matches, quoted: np.ndarray | None = None) -> Ledger:
    """The ledger rows of a chunk's matches (offsets into each article's text).

    ``quoted``: one flag per token of ``table`` (a match is quoted when its first token is).
    """
    if len(found) == 0:
        empty = np.zeros(0, np.int64)
        return Ledger(empty, empty, empty, empty, empty, empty, [], np.zeros(0, dtype=bool), np.zeros(0, dtype=bool))
    starts = table.offsets(found.start)[0]
    ends = table.offsets(found.end - 1)[1]
    texts = [articles[d].text[s:e] for d, s, e in zip(found.doc.tolist(), starts.tolist(), ends.tolist())]
    return Ledger(
        doc=found.doc,
        sentence=table.sentence_of(found.start),
        start=starts,
        end=ends,
        category=found.category,
        term=found.term,
        text=texts,
        quoted=quoted[found.start] if quoted is not None else np.zeros(len(found), dtype=bool),
        negated=found.negated,
    )


def top_evidence(lex: CompiledLexicons, found: Matches, n_docs: int) -> list[str]:
    """The most frequent matches per article: ``term ×count (lexicon.category)``.

    Counted on integer arrays: a term id already implies its category. Ties
    go to the alphabetically first term, then category.
    """
    out = [""] * n_docs
    if len(found) == 0:
        return out
    found = found.counted()
    n_terms = len(lex.terms)
    texts, columns, label_rank = lex.term_labels
    keys, counts = np.unique(found.doc * n_terms + found.term, return_counts=True)
    doc, term = keys // n_terms, keys % n_terms
    order = np.lexsort((label_rank[term], -counts, doc))
    doc, term, counts = doc[order], term[order], counts[order]
    position = np.arange(len(doc)) - np.searchsorted(doc, doc, side="left")
    parts: list[list[str]] = [[] for _ in range(n_docs)]
    for d, t, n in zip(*(a[position < TOP_EVIDENCE].tolist() for a in (doc, term, counts))):
        parts[d].append(f"{texts[t]} ×{n} ({columns[t]})")
    return ["; ".join(p) for p in parts]
