"""What changes between two versions of a lexicon: its terms, and the rates they give.

Categories are compared by **id** (their path, ``parent/child`` when
nested), never by lexicon name, so OLD and NEW may be named differently
(``frames`` and ``frames_v2``). Within a category, terms are compared by the
form they match (their words, lower-cased, with ``*`` where a wildcard is):
``Sanction*`` and ``sanction*`` are one term, and rewriting a term without
changing what it matches is not a change.

Rates are those of ``framing analyze``: the sum of the weights of the counted
matches per 1,000 word tokens. Both lexicons are matched on the same token
table of each chunk; each article's rows are formatted as the chunk is read
(``diff_chunk``) and handed to a sink, so nothing but per-type sums is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..analysis.features import rates
from ..analysis.match import CompiledLexicons, compile_lexicons
from ..analysis.tokentable import build_token_table
from ..cells import csv_line, format_floats, rows_csv
from ..defaults import CHUNK_ARTICLES, DIFF_FEW_ARTICLES
from ..lexicon.model import Lexicon, Term
from ..types import SOURCE_TYPES, Article, Progress
from .scan import Scanned, TableMaker, scan, type_codes

if TYPE_CHECKING:  # pandas is imported when a caller asks for a DataFrame: the command writes rows (start-up)
    import pandas as pd

__all__ = [
    "ARTICLE_COLUMNS", "SUMMARY_COLUMNS", "TERM_COLUMNS", "DiffPart", "DiffResult", "RateColumns",
    "diff_chunk", "lexicon_diff", "term_change_rows", "term_changes",
]

TERM_COLUMNS = ["category", "change", "term", "old_weight", "new_weight"]
ARTICLE_COLUMNS = ["article_id", "outlet", "source_type", "category", "old_rate", "new_rate", "change"]
SUMMARY_COLUMNS = ["category", "source_type", "n_articles", "old_mean", "new_mean", "change", "note"]
_N_TYPES = len(SOURCE_TYPES)


def _by_form(terms: Iterable[Term]) -> dict[str, Term]:
    found: dict[str, Term] = {}
    for t in terms:
        found.setdefault(t.form, t)  # a duplicate term matches once; the reader already warned
    return found


def term_changes(old: Lexicon, new: Lexicon) -> pd.DataFrame:
    """``diff_terms.csv`` as a DataFrame (``term_change_rows``)."""
    return _terms_frame(term_change_rows(old, new))


def _terms_frame(rows: list[tuple[str, str, str, float, float]]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(rows, columns=TERM_COLUMNS).astype({"old_weight": float, "new_weight": float})


def term_change_rows(old: Lexicon, new: Lexicon) -> list[tuple[str, str, str, float, float]]:
    """The rows of ``diff_terms.csv``: every term added, removed or reweighted, category by category.

    A category in only one lexicon gets a ``category_added`` or
    ``category_removed`` row, then each of its terms as added or removed.
    Categories come in OLD's order, then NEW's new ones; terms in file order.
    """
    old_cats = {c.id: c for c in old.categories}
    new_cats = {c.id: c for c in new.categories}
    order = [c.id for c in old.categories] + [c.id for c in new.categories if c.id not in old_cats]
    rows: list[tuple[str, str, str, float, float]] = []
    for cid in order:
        before = _by_form(old_cats[cid].terms) if cid in old_cats else {}
        after = _by_form(new_cats[cid].terms) if cid in new_cats else {}
        if cid not in old_cats:
            rows.append((cid, "category_added", "", np.nan, np.nan))
        elif cid not in new_cats:
            rows.append((cid, "category_removed", "", np.nan, np.nan))
        rows += [(cid, "added", t.text, np.nan, t.weight) for k, t in after.items() if k not in before]
        rows += [(cid, "removed", t.text, t.weight, np.nan) for k, t in before.items() if k not in after]
        rows += [(cid, "reweighted", t.text, before[k].weight, t.weight) for k, t in after.items()
                 if k in before and before[k].weight != t.weight]
    return rows


@dataclass(frozen=True)
class RateColumns:
    """The categories compared (union of both, OLD's order first) and where each is in either lexicon (-1: absent)."""

    ids: list[str]
    old_index: np.ndarray
    new_index: np.ndarray

    @classmethod
    def of(cls, old: Lexicon, new: Lexicon) -> RateColumns:
        """The columns of ``old`` against ``new``."""
        old_ids = [c.id for c in old.categories]
        new_ids = [c.id for c in new.categories]
        ids = old_ids + [c for c in new_ids if c not in old_ids]
        where = lambda known: np.asarray([known.index(c) if c in known else -1 for c in ids], dtype=np.int64)
        return cls(ids, where(old_ids), where(new_ids))


def _aligned(values: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Article x union-category table from one lexicon's table (NaN where the category is absent)."""
    out = np.full((values.shape[0], len(index)), np.nan)
    present = index >= 0
    out[:, present] = values[:, index[present]]
    return out


@dataclass(frozen=True)
class DiffPart:
    """One chunk: its ``diff_articles.csv`` rows (bytes) and per source type the article counts and rate sums."""

    rows_csv: bytes
    n_by_type: np.ndarray  # n_types
    old_sum: np.ndarray  # categories x n_types (NaN for a category absent from OLD)
    new_sum: np.ndarray


def diff_chunk(scanned: Scanned, old: CompiledLexicons, new: CompiledLexicons, columns: RateColumns) -> DiffPart:
    """Both lexicons' rates of every article of a chunk scanned with ``[old, new]`` (pure)."""
    n = len(scanned)
    n_tokens = scanned.table.n_tokens
    old_rates = _aligned(rates(scanned.totals(old, 0), n_tokens), columns.old_index)
    new_rates = _aligned(rates(scanned.totals(new, 1), n_tokens), columns.new_index)
    change = new_rates - old_rates
    k = len(columns.ids)
    cells = format_floats(np.stack([old_rates, new_rates, change], axis=2).reshape(-1)).reshape(n, k, 3)
    heads = [csv_line((a.id, a.outlet, a.source_type))[:-2].decode("utf-8") for a in scanned.articles]
    cats = [csv_line((c,))[:-2].decode("utf-8") for c in columns.ids]
    lines = [
        f"{heads[d]},{cats[c]},{o},{w},{x}\r\n"
        for d, row in enumerate(cells.tolist()) for c, (o, w, x) in enumerate(row)
    ]
    types = type_codes(scanned.articles)
    old_sum = np.zeros((k, _N_TYPES))
    new_sum = np.zeros((k, _N_TYPES))
    for t in range(_N_TYPES):
        mine = types == t
        old_sum[:, t] = old_rates[mine].sum(axis=0)
        new_sum[:, t] = new_rates[mine].sum(axis=0)
    return DiffPart(
        rows_csv="".join(lines).encode("utf-8", "backslashreplace"),
        n_by_type=np.bincount(types, minlength=_N_TYPES).astype(np.int64),
        old_sum=old_sum, new_sum=new_sum,
    )


_TERM_FLOATS = (3, 4)  # old_weight, new_weight
_SUMMARY_FLOATS = (3, 4, 5)  # old_mean, new_mean, change


@dataclass
class DiffResult:
    """The term changes and the per-type mean rates (rows of ``TERM_COLUMNS`` and ``SUMMARY_COLUMNS``), and
    how many articles were read."""

    term_rows: list[tuple[str, str, str, float, float]]
    summary_rows: list[tuple[str, str, int, float, float, float, str]]
    n_articles: int
    n_by_type: dict[str, int]

    @property
    def terms(self) -> pd.DataFrame:
        """``diff_terms.csv`` as a DataFrame."""
        return _terms_frame(self.term_rows)

    @property
    def summary(self) -> pd.DataFrame:
        """``diff_summary.csv`` as a DataFrame."""
        import pandas as pd

        return pd.DataFrame(self.summary_rows, columns=SUMMARY_COLUMNS).astype(
            {"old_mean": float, "new_mean": float, "change": float})

    def terms_csv(self) -> bytes:
        """``diff_terms.csv``'s bytes."""
        return rows_csv(TERM_COLUMNS, self.term_rows, _TERM_FLOATS)

    def summary_csv(self) -> bytes:
        """``diff_summary.csv``'s bytes."""
        return rows_csv(SUMMARY_COLUMNS, self.summary_rows, _SUMMARY_FLOATS)


def _summary(
    columns: RateColumns, n_by_type: np.ndarray, old_sum: np.ndarray, new_sum: np.ndarray
) -> list[tuple[str, str, int, float, float, float, str]]:
    rows = []
    groups = [("all", int(n_by_type.sum()), slice(None))]
    groups += [(t, int(n_by_type[i]), slice(i, i + 1)) for i, t in enumerate(SOURCE_TYPES) if n_by_type[i] > 0]
    for c, cid in enumerate(columns.ids):
        for name, n, cols in groups:
            old_mean = float(old_sum[c, cols].sum() / n) if n else np.nan
            new_mean = float(new_sum[c, cols].sum() / n) if n else np.nan
            note = f"fewer than {DIFF_FEW_ARTICLES} articles" if n < DIFF_FEW_ARTICLES else ""
            rows.append((cid, name, n, old_mean, new_mean, new_mean - old_mean, note))
    return rows


def lexicon_diff(
    articles: Iterable[Article],
    old: Lexicon,
    new: Lexicon,
    *,
    sink: Callable[[bytes], None] | None = None,
    chunk_articles: int = CHUNK_ARTICLES,
    progress: Progress | None = None,
    tables: TableMaker = build_token_table,
) -> DiffResult:
    """Compare ``old`` and ``new`` on ``articles``, read once.

    ``sink`` receives ``diff_articles.csv`` as it is made (the header line,
    then each chunk's rows, in input order); ``None`` skips those rows.
    """
    columns = RateColumns.of(old, new)
    old_lex, new_lex = compile_lexicons([old]), compile_lexicons([new])
    n_by_type = np.zeros(_N_TYPES, dtype=np.int64)
    old_sum = np.zeros((len(columns.ids), _N_TYPES))
    new_sum = np.zeros_like(old_sum)
    if sink is not None:
        sink(csv_line(ARTICLE_COLUMNS))
    for scanned in scan(articles, [old_lex, new_lex], chunk_articles=chunk_articles, progress=progress, tables=tables):
        part = diff_chunk(scanned, old_lex, new_lex, columns)
        if sink is not None:
            sink(part.rows_csv)
        n_by_type += part.n_by_type
        old_sum += part.old_sum
        new_sum += part.new_sum
    return DiffResult(
        term_rows=term_change_rows(old, new),
        summary_rows=_summary(columns, n_by_type, old_sum, new_sum),
        n_articles=int(n_by_type.sum()),
        n_by_type={t: int(n_by_type[i]) for i, t in enumerate(SOURCE_TYPES)},
    )
