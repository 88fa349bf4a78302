"""What an analysis returns: ``AnalysisResult``, the record every output is made from.

The engine builds it whole, once (``framing.engine.finish``); the report, the
writer and the Python API only read it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .grouping import Grouping
from .types import Article

if TYPE_CHECKING:  # annotations only: this module imports nothing heavy
    import pandas as pd

    from .lexicon.model import Lexicon

__all__ = ["AnalysisResult"]


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
    # The model of a label column trained in this run (``framing.stats.label_model.LabelModel``), for
    # ``framing model train --label``; None without a label column
    label_model: object = field(default=None, repr=False, compare=False)
    skipped: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    # run.json's token_cache: whether the token cache was used, where, chunks read from it and tokenized
    token_cache: dict[str, object] = field(default_factory=lambda: {"used": False})
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
    # Where the streamed tables are read from (the local spill, or the Dask partitions): kept alive with the result
    store: object = field(default=None, repr=False, compare=False)
    # How matches were counted: "framing" (every category on its own) or "liwc" (docs/formats.md#counting)
    counting: str = "framing"
    # What the comparisons compare (``framing.grouping.Grouping``): the column, its groups' order, labels, colours
    grouping: Grouping = field(default_factory=Grouping)
    # timeline.csv (--by-period): rates per group and period; None without --by-period
    timeline: pd.DataFrame | None = None
    # before_after.csv (--split-date): each group against itself across the date; None without --split-date
    before_after: pd.DataFrame | None = None
    period: str | None = None  # week, month, quarter or year (--by-period)
    split_date: str | None = None  # YYYY-MM-DD (--split-date)
    # Each article's group, in id order (all articles, also when ``scores`` holds the first rows only)
    group_of: Callable[[], object] | None = field(default=None, repr=False, compare=False)
    # stories.csv (stories of two or more articles, the largest first), coverage.csv (per group: stories covered,
    # shared, alone) and within_story.csv (differences inside shared stories); None with --stories off
    stories: pd.DataFrame | None = None
    coverage: pd.DataFrame | None = None
    within_story: pd.DataFrame | None = None
    # The story id of each article in ``articles`` (the kept texts), by article id; empty with --stories off
    story_of: dict[str, str] = field(default_factory=dict)
