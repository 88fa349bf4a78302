"""How a lexicon matches a corpus: hits, coverage and dominance, per term and per category.

A **hit** is one counted match (a negated match is counted apart, as
``negated_hits``, since it does not enter the category's rate). Hits are
numbers of occurrences: term weights scale rates, not hits. An article is
**covered** by a category when it has at least one counted hit of it.

With the matcher's roll-up of nested categories, a parent's hits include
its children's terms; such a term is listed under the parent too, with
``defined_in`` naming the category where it is written.

Everything is an integer sum per chunk (``stats_chunk``) merged by addition
(``LexiconStats.add``), so the tables are the same for any chunking and any
input order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..analysis.match import CompiledLexicons, compile_lexicons
from ..defaults import CHUNK_ARTICLES
from ..lexicon.model import Lexicon
from ..types import SOURCE_TYPES, Article, Progress
from .scan import Scanned, scan, type_codes

__all__ = ["CATEGORY_COLUMNS", "DOMINANT_SHARE", "TERM_COLUMNS", "LexiconStats", "StatsPartial", "lexicon_stats",
           "stats_chunk"]

DOMINANT_SHARE = 0.5  # a top term above this share of its category's hits is flagged
_N_TYPES = len(SOURCE_TYPES)

TERM_COLUMNS = [
    "lexicon", "category", "term", "defined_in", "weight", "hits",
    *(f"hits_{t}" for t in SOURCE_TYPES), "articles", "negated_hits", "share_of_category",
]
CATEGORY_COLUMNS = [
    "lexicon", "category", "terms", "terms_never_matched", "hits", "articles", "coverage",
    *(f"coverage_{t}" for t in SOURCE_TYPES), "top_term", "top_term_share", "top_term_over_half",
    "negated_hits", "negated_share",
]


@dataclass(frozen=True)
class StatsPartial:
    """One chunk's counts as (key, count) pairs; a pair key is ``category * n_terms + term``.

    ``hit_*``: counted matches keyed ``pair * n_types + source type``;
    ``article_*``: articles with a counted match, per pair; ``negated_*``:
    negated matches per pair; ``covered_*``: articles with a counted match,
    keyed ``category * n_types + source type``; ``n_by_type``: articles.
    """

    n_by_type: np.ndarray
    hit_keys: np.ndarray
    hit_counts: np.ndarray
    article_keys: np.ndarray
    article_counts: np.ndarray
    negated_keys: np.ndarray
    negated_counts: np.ndarray
    covered_keys: np.ndarray
    covered_counts: np.ndarray


def stats_chunk(scanned: Scanned, lex: CompiledLexicons, i: int = 0) -> StatsPartial:
    """The counts of one scanned chunk for lexicon set ``i`` of the scan (pure)."""
    found = scanned.matches[i]
    n_terms = max(len(lex.terms), 1)
    types = type_codes(scanned.articles)
    doc_type = types[found.doc]
    pair = found.category * n_terms + found.term
    counted = scanned.counted(i)
    hit_keys, hit_counts = np.unique(pair[counted] * _N_TYPES + doc_type[counted], return_counts=True)
    # One key per (article, pair): how many articles a term reaches.
    n_docs = max(len(scanned), 1)
    per_doc = np.unique(pair[counted] * n_docs + found.doc[counted])
    article_keys, article_counts = np.unique(per_doc // n_docs, return_counts=True)
    negated_keys, negated_counts = np.unique(pair[~counted], return_counts=True)
    covered = np.unique(found.doc[counted] * max(lex.n_categories, 1) + found.category[counted])
    covered_cat = covered % max(lex.n_categories, 1)
    covered_keys, covered_counts = np.unique(covered_cat * _N_TYPES + types[covered // max(lex.n_categories, 1)],
                                             return_counts=True)
    return StatsPartial(
        n_by_type=np.bincount(types, minlength=_N_TYPES).astype(np.int64),
        hit_keys=hit_keys, hit_counts=hit_counts,
        article_keys=article_keys, article_counts=article_counts,
        negated_keys=negated_keys, negated_counts=negated_counts,
        covered_keys=covered_keys, covered_counts=covered_counts,
    )


class LexiconStats:
    """The corpus totals of ``stats_chunk`` partials, and the tables made of them."""

    def __init__(self, lex: CompiledLexicons) -> None:
        self.lex = lex
        n_pairs = lex.n_categories * max(len(lex.terms), 1)
        self.n_by_type = np.zeros(_N_TYPES, dtype=np.int64)
        self.hits = np.zeros((n_pairs, _N_TYPES), dtype=np.int64)
        self.articles = np.zeros(n_pairs, dtype=np.int64)
        self.negated = np.zeros(n_pairs, dtype=np.int64)
        self.covered = np.zeros((lex.n_categories, _N_TYPES), dtype=np.int64)

    def add(self, part: StatsPartial) -> None:
        """Add one chunk's counts (integer sums: the order of chunks does not matter)."""
        self.n_by_type += part.n_by_type
        np.add.at(self.hits.reshape(-1), part.hit_keys, part.hit_counts)
        np.add.at(self.articles, part.article_keys, part.article_counts)
        np.add.at(self.negated, part.negated_keys, part.negated_counts)
        np.add.at(self.covered.reshape(-1), part.covered_keys, part.covered_counts)

    @property
    def n_articles(self) -> int:
        """Articles scanned."""
        return int(self.n_by_type.sum())

    def _pairs(self, c: int) -> list[int]:
        """Term indices listed under category ``c``: its own terms, then rolled-up terms that hit it."""
        n_terms = max(len(self.lex.terms), 1)
        own = np.flatnonzero(self.lex.term_category == c).tolist()
        row = slice(c * n_terms, (c + 1) * n_terms)
        seen = self.hits[row].sum(axis=1) + self.negated[row] > 0
        rolled = [t for t in np.flatnonzero(seen).tolist() if self.lex.term_category[t] != c]
        return own + rolled

    def term_table(self) -> pd.DataFrame:
        """``term_stats.csv``: one row per term of each category (see docs/workbench.md)."""
        lex, n_terms = self.lex, max(len(self.lex.terms), 1)
        rows = []
        for c in range(lex.n_categories):
            lexicon, category = lex.category_ref[c]
            pairs = self._pairs(c)
            total = int(self.hits[c * n_terms : (c + 1) * n_terms].sum())
            for t in pairs:
                k = c * n_terms + t
                hits = int(self.hits[k].sum())
                term = lex.terms[t]
                rows.append((
                    lexicon, category, term.text, lex.category_ref[int(lex.term_category[t])][1], float(term.weight),
                    hits, *(int(h) for h in self.hits[k]), int(self.articles[k]), int(self.negated[k]),
                    hits / total if total else np.nan,
                ))
        return pd.DataFrame(rows, columns=TERM_COLUMNS)

    def category_table(self) -> pd.DataFrame:
        """``category_stats.csv``: one row per category (see docs/workbench.md)."""
        lex, n_terms = self.lex, max(len(self.lex.terms), 1)
        rows = []
        n_all = self.n_articles
        for c in range(lex.n_categories):
            lexicon, category = lex.category_ref[c]
            row = slice(c * n_terms, (c + 1) * n_terms)
            hits_by_term = self.hits[row].sum(axis=1)
            own = np.flatnonzero(lex.term_category == c)
            never = int(((hits_by_term[own] + self.negated[row][own]) == 0).sum())
            hits, negated = int(hits_by_term.sum()), int(self.negated[row].sum())
            articles = int(self.covered[c].sum())
            top, share = "", np.nan
            if hits:
                # The most hits; ties go to the term listed first (own terms in file order, then rolled-up ones).
                pairs = self._pairs(c)
                best = max(pairs, key=lambda t: (hits_by_term[t], -pairs.index(t)))
                top, share = lex.terms[best].text, hits_by_term[best] / hits
            with np.errstate(invalid="ignore", divide="ignore"):
                by_type = np.where(self.n_by_type > 0, self.covered[c] / np.maximum(self.n_by_type, 1), np.nan)
            rows.append((
                lexicon, category, len(own), never, hits, articles, articles / n_all if n_all else np.nan,
                *(float(v) for v in by_type), top, float(share), int(bool(share > DOMINANT_SHARE)),
                negated, negated / (hits + negated) if hits + negated else np.nan,
            ))
        frame = pd.DataFrame(rows, columns=CATEGORY_COLUMNS)
        return frame.astype({"top_term_share": float, "negated_share": float, "coverage": float})

    def dominated(self) -> list[tuple[str, str, float, int]]:
        """Categories whose top term supplies over half their hits: (column, top term, share, hits)."""
        table = self.category_table()
        flagged = table[table["top_term_over_half"] == 1]
        return [(f"{r.lexicon}.{r.category}", r.top_term, float(r.top_term_share), int(r.hits))
                for r in flagged.itertuples(index=False)]


def lexicon_stats(
    articles: Iterable[Article],
    lexicon: Lexicon,
    *,
    chunk_articles: int = CHUNK_ARTICLES,
    progress: Progress | None = None,
) -> LexiconStats:
    """Scan ``articles`` once and count how ``lexicon`` matches them."""
    lex = compile_lexicons([lexicon])
    totals = LexiconStats(lex)
    for scanned in scan(articles, [lex], chunk_articles=chunk_articles, progress=progress):
        totals.add(stats_chunk(scanned, lex))
    return totals
