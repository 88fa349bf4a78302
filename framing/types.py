"""The plain records that flow through framing: articles and source types.

Source types have one home: their order (tables, charts and the page list
them in it) and their names for people are here. No behaviour beyond that
lives here; every stage imports these, and these import nothing of framing's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: this module imports nothing heavy
    import pandas as pd

    from .lexicon.model import Lexicon

__all__ = ["LABELLED_TYPES", "SOURCE_TYPES", "TYPE_LABELS", "AnalysisResult", "Article", "type_key", "type_label"]

# In this order everywhere: tables, charts and the page.
SOURCE_TYPES = ("state_media", "wire", "independent_commentary", "unknown")
LABELLED_TYPES = SOURCE_TYPES[:3]
TYPE_LABELS = {
    "state_media": "State media",
    "wire": "Wire",
    "independent_commentary": "Independent commentary",
    "unknown": "Unknown / unlabelled",
    "undetermined": "Undetermined",
}


def type_key(source_type: str) -> tuple[int, str]:
    """Sort key: the fixed order of ``SOURCE_TYPES``, then any other type by name."""
    t = str(source_type)
    return (SOURCE_TYPES.index(t), "") if t in SOURCE_TYPES else (len(SOURCE_TYPES), t)


def type_label(source_type: object) -> str:
    """A source type for people: ``"state_media"`` -> ``"State media"``."""
    t = "" if source_type is None else str(source_type)
    return TYPE_LABELS.get(t, t)


@dataclass(frozen=True)
class Article:
    """One article: its text and what the manifest says about it."""

    id: str
    text: str
    outlet: str = ""
    source_type: str = "unknown"
    title: str = ""
    date: str = ""
    url: str = ""
    source: str = ""  # where it was read from, for warnings


@dataclass
class AnalysisResult:
    """Everything ``framing analyze`` reports, as DataFrames plus run facts.

    ``scores``: one row per article (report.csv), sorted by id; ``summary``:
    per source type x category; ``terms``: distinctive terms per source type;
    ``matches``: the evidence ledger of the articles in ``articles``;
    ``similarity``: article x article cosine similarity (only up to 300
    articles, else ``None``); ``type_similarity``: mean similarity between
    and within source types; ``articles``: the articles whose text is kept
    for the evidence views, in id order; ``notes``: plain statements of what
    the figures cannot support, by file (``"terms.csv"``: a group too small
    for distinctive terms, ...); ``comparisons``: per category and pair of
    source types, the difference of mean rates and the term that supplies
    most of it.

    When ``complete`` is true (the Python API), ``scores`` and ``matches``
    hold every article and match. When it is false (a streamed CLI run), they
    hold the first rows by id only, ``n_articles`` and ``n_matches`` give the
    totals, and ``tables`` streams the whole ``report.csv`` and
    ``matches.csv`` as bytes.
    """

    scores: pd.DataFrame
    summary: pd.DataFrame
    terms: pd.DataFrame
    matches: pd.DataFrame
    similarity: pd.DataFrame | None
    type_similarity: pd.DataFrame
    lexicons: list[Lexicon]
    dimensions: dict[str, str]
    styles: dict[str, str]
    corpus_sha256: str = ""
    warnings: list[str] = field(default_factory=list)
    # Plain statements of what the figures cannot support, by the file they are about
    # (e.g. "terms.csv": a group too small for distinctive terms).
    notes: dict[str, list[str]] = field(default_factory=dict)
    # comparisons.csv: per category and pair of source types, the difference and its top term
    comparisons: pd.DataFrame | None = None
    # labels.csv: which label each kept article and each source type used for a contested referent
    labels: pd.DataFrame | None = None
    # The two kept articles report.html shows side by side, and why: (id, id, reason); None: no such pair
    pair: tuple[str, str, str] | None = None
    # evaluation.csv: the classifier's cross-validated scores beside two baselines, and its summary for run.json
    evaluation: pd.DataFrame | None = None
    evaluation_summary: dict[str, object] = field(default_factory=dict)
    # The classifier trained in this run (``framing.stats.classify.Trained``), for ``framing model train``
    classifier: object = field(default=None, repr=False, compare=False)
    skipped: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    articles: list[Article] = field(default_factory=list)
    n_articles: int = 0
    n_matches: int = 0
    complete: bool = True
    tables: dict[str, Callable[[], Iterator[bytes]]] = field(default_factory=dict, repr=False)
    # Every article's rates and style scores for the charts (``scores`` may
    # hold only the first rows); ``None``: chart ``scores``.
    chart_rows: Callable[[], pd.DataFrame] | None = field(default=None, repr=False)
    # ``--format parquet`` from the Dask engine: table ("report", "matches") -> its Parquet parts, in id order
    parquet_parts: dict[str, Callable[[], Iterator[bytes]]] = field(default_factory=dict, repr=False)
    _spill: object = field(default=None, repr=False, compare=False)
