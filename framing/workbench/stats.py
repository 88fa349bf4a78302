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

**By label** (``lexicon stats --label COLUMN``): when each article may carry
a value of a column people coded (a frame: ``true``/``false``), a chunk also
gives, per value, its articles with each term and with each category, and
its labelled articles' category rates (per-article rows). The second step
(``LexiconStats.term_table`` and ``category_table``) turns them into each
term's ``lift_<value>`` (how much more often the value's articles have the
term than the other labelled articles) and each category's ``auc_<value>``
(ROC AUC of its rate for that value against the other labelled articles):
which words carry a frame, and how well the whole category ranks it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..analysis.match import CompiledLexicons, compile_lexicons
from ..analysis.tokentable import build_token_table
from ..defaults import CHUNK_ARTICLES
from ..errors import InputError
from ..lexicon.model import Lexicon
from ..types import SOURCE_TYPES, Article, Progress
from .scan import Scanned, TableMaker, scan, type_codes

__all__ = ["CATEGORY_COLUMNS", "DOMINANT_SHARE", "MAX_LABEL_VALUES", "TERM_COLUMNS", "LabelPartial", "LexiconStats",
           "StatsPartial", "label_columns", "lexicon_stats", "stats_chunk"]

DOMINANT_SHARE = 0.5  # a top term above this share of its category's hits is flagged
MAX_LABEL_VALUES = 20  # a column with more distinct values is not a label to tell apart (an id, a text)
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
    by_label: LabelPartial | None = None


@dataclass(frozen=True)
class LabelPartial:
    """One chunk's figures by value of a label column, over its labelled articles only.

    ``n_by_value``: articles per value; ``term_*``: articles with a counted
    match of a pair, keyed ``pair * n_values + value``; ``covered_*``:
    articles with a counted match of a category, keyed ``category * n_values
    + value``; ``values`` and ``rates``: each labelled article's value and
    its category rates per 1,000 tokens (the per-article rows the AUC needs).
    """

    n_by_value: np.ndarray
    term_keys: np.ndarray
    term_counts: np.ndarray
    covered_keys: np.ndarray
    covered_counts: np.ndarray
    values: np.ndarray
    rates: np.ndarray


def label_columns(values: Sequence[str]) -> tuple[list[str], list[str]]:
    """The extra columns of term_stats.csv and category_stats.csv for a label with these values."""
    return ([c for v in values for c in (f"articles_{v}", f"lift_{v}")],
            [c for v in values for c in (f"coverage_{v}", f"auc_{v}")])


def _by_label(scanned: Scanned, lex: CompiledLexicons, i: int, codes: np.ndarray, n_values: int) -> LabelPartial:
    """The label figures of one chunk: ``codes`` is each article's value (-1: unlabelled)."""
    found = scanned.matches[i]
    n_terms = max(len(lex.terms), 1)
    n_cats = max(lex.n_categories, 1)
    n_docs = max(len(scanned), 1)
    keep = scanned.counted(i) & (codes[found.doc] >= 0)
    doc, pair = found.doc[keep], found.category[keep] * n_terms + found.term[keep]
    per_doc = np.unique(pair * n_docs + doc)  # each (pair, article) once
    term_keys, term_counts = np.unique((per_doc // n_docs) * n_values + codes[per_doc % n_docs], return_counts=True)
    covered = np.unique(found.category[keep] * n_docs + doc)
    covered_keys, covered_counts = np.unique((covered // n_docs) * n_values + codes[covered % n_docs],
                                             return_counts=True)
    labelled = np.flatnonzero(codes >= 0)
    tokens = np.maximum(scanned.table.n_tokens[labelled], 1).astype(np.float64)
    rates = scanned.totals(lex, i)[labelled] * (1000.0 / tokens)[:, None] if len(labelled) else np.zeros((0, n_cats))
    return LabelPartial(np.bincount(codes[labelled], minlength=n_values).astype(np.int64), term_keys, term_counts,
                        covered_keys, covered_counts, codes[labelled], rates)


def stats_chunk(
    scanned: Scanned, lex: CompiledLexicons, i: int = 0, labels: Mapping[str, int] | None = None, n_values: int = 0,
) -> StatsPartial:
    """The counts of one scanned chunk for lexicon set ``i`` of the scan (pure).

    ``labels``: article id -> index of its value of a label column (articles
    not in it are unlabelled), with ``n_values`` values; ``None``: no label.
    """
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
        by_label=None if labels is None else _by_label(
            scanned, lex, i, np.fromiter((labels.get(a.id, -1) for a in scanned.articles), dtype=np.int64,
                                         count=len(scanned)), n_values),
    )


class LexiconStats:
    """The corpus totals of ``stats_chunk`` partials, and the tables made of them."""

    def __init__(self, lex: CompiledLexicons, values: Sequence[str] = ()) -> None:
        self.lex = lex
        self.values = list(values)  # the label's values ("" none: no label)
        n_values = max(len(self.values), 1)
        n_pairs = lex.n_categories * max(len(lex.terms), 1)
        self.n_by_type = np.zeros(_N_TYPES, dtype=np.int64)
        self.hits = np.zeros((n_pairs, _N_TYPES), dtype=np.int64)
        self.articles = np.zeros(n_pairs, dtype=np.int64)
        self.negated = np.zeros(n_pairs, dtype=np.int64)
        self.covered = np.zeros((lex.n_categories, _N_TYPES), dtype=np.int64)
        self.n_by_value = np.zeros(n_values, dtype=np.int64)
        self.term_by_value = np.zeros((n_pairs, n_values), dtype=np.int64)
        self.covered_by_value = np.zeros((lex.n_categories, n_values), dtype=np.int64)
        self._value_rows: list[tuple[np.ndarray, np.ndarray]] = []  # (values, rates) of each chunk's labelled articles

    def add(self, part: StatsPartial) -> None:
        """Add one chunk's counts (integer sums, and rows sorted at the end: the order of chunks does not matter)."""
        if part.by_label is not None:
            lab = part.by_label
            self.n_by_value += lab.n_by_value
            np.add.at(self.term_by_value.reshape(-1), lab.term_keys, lab.term_counts)
            np.add.at(self.covered_by_value.reshape(-1), lab.covered_keys, lab.covered_counts)
            self._value_rows.append((lab.values, lab.rates))
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
                    hits / total if total else np.nan, *self._term_by_value(k),
                ))
        return pd.DataFrame(rows, columns=[*TERM_COLUMNS, *label_columns(self.values)[0]])

    def _term_by_value(self, k: int) -> list[float]:
        """``articles_<value>``, ``lift_<value>`` of pair ``k``: the share of the value's articles with the term
        over the share of the other labelled articles with it (NaN when either share is undefined or 0 / 0)."""
        out: list[float] = []
        n_all, with_all = int(self.n_by_value.sum()), int(self.term_by_value[k].sum())
        for v in range(len(self.values)):
            n, has = int(self.n_by_value[v]), int(self.term_by_value[k, v])
            rest_n, rest_has = n_all - n, with_all - has
            inside = has / n if n else np.nan
            outside = rest_has / rest_n if rest_n else np.nan
            lift = inside / outside if outside else (np.inf if inside else np.nan)
            out += [has, float(lift)]
        return out

    def category_table(self) -> pd.DataFrame:
        """``category_stats.csv``: one row per category (see docs/workbench.md)."""
        lex, n_terms = self.lex, max(len(self.lex.terms), 1)
        rows = []
        n_all = self.n_articles
        by_value = self._category_by_value()
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
                negated, negated / (hits + negated) if hits + negated else np.nan, *by_value[c],
            ))
        frame = pd.DataFrame(rows, columns=[*CATEGORY_COLUMNS, *label_columns(self.values)[1]])
        return frame.astype({"top_term_share": float, "negated_share": float, "coverage": float})

    def _category_by_value(self) -> list[list[float]]:
        """Per category: ``coverage_<value>`` and ``auc_<value>`` (its rate, the value against the other
        labelled articles; NaN when the value has no article or every labelled article has it)."""
        from ..stats.label_model import auc_columns

        if not self.values:
            return [[] for _ in range(self.lex.n_categories)]
        values = np.concatenate([v for v, _ in self._value_rows]) if self._value_rows else np.zeros(0, np.int64)
        rates = (np.vstack([r for _, r in self._value_rows]) if self._value_rows
                 else np.zeros((0, self.lex.n_categories)))
        aucs = [auc_columns(rates, values == v) if len(values) else np.full(self.lex.n_categories, np.nan)
                for v in range(len(self.values))]
        out = []
        for c in range(self.lex.n_categories):
            row: list[float] = []
            for v in range(len(self.values)):
                n = int(self.n_by_value[v])
                row += [self.covered_by_value[c, v] / n if n else np.nan, float(aucs[v][c])]
            out.append(row)
        return out

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
    tables: TableMaker = build_token_table,
    labels: Mapping[str, str] | None = None,
) -> LexiconStats:
    """Scan ``articles`` once and count how ``lexicon`` matches them.

    ``labels``: article id -> its value of a label column (say, whether
    people coded a frame in it); each value gets its columns in both tables
    (``label_columns``). Values are sorted; at most ``MAX_LABEL_VALUES``.
    """
    lex = compile_lexicons([lexicon])
    values = sorted({v for v in (labels or {}).values() if v})
    if len(values) > MAX_LABEL_VALUES:
        raise InputError(f"the label has {len(values):,} values; a label to tell apart has at most "
                         f"{MAX_LABEL_VALUES} (is it an id or a text column?)", argument="label")
    codes = {k: values.index(v) for k, v in labels.items() if v} if labels is not None else None
    totals = LexiconStats(lex, values)
    for scanned in scan(articles, [lex], chunk_articles=chunk_articles, progress=progress, tables=tables):
        totals.add(stats_chunk(scanned, lex, labels=codes, n_values=len(values)))
    return totals
