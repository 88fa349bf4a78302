"""framing inside a Dask pipeline: analyse a Dask DataFrame of articles, get Dask DataFrames back.

>>> import dask.dataframe as dd                                   # doctest: +SKIP
>>> from distributed import Client                                # doctest: +SKIP
>>> import framing.dask                                           # doctest: +SKIP
>>> client = Client("tcp://scheduler:8786")                       # doctest: +SKIP
>>> articles = dd.read_parquet("s3://bucket/stories/")            # doctest: +SKIP
>>> out = framing.dask.analyze(articles, client=client)           # doctest: +SKIP
>>> out.report.groupby("source_type")["frames.sovereignty"].mean().compute()  # doctest: +SKIP
>>> out.summary                                                   # a pandas DataFrame  # doctest: +SKIP

Every stage runs on the workers (``framing.engine.cluster``): the partitions of
``articles`` are read where they are, and their text never reaches this
process. ``report`` and ``matches`` are Dask DataFrames, one partition per
range of article ids, cell for cell what ``report.csv`` and ``matches.csv``
hold (text cells that could start a spreadsheet formula carry the same
leading ``'``); the corpus-wide tables are small pandas DataFrames.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .corpus.frames import FrameReader, merged_warnings, rename_duplicates
from .dates import check_times
from .defaults import KEEP_TEXTS, MAX_ARTICLE_BYTES, STORY_THRESHOLD, STORY_WINDOW
from .errors import InputError
from .grouping import ARTICLE_FIELDS, DEFAULT_GROUP_BY, ArticleColumns, Comparing, story_settings
from .lexicon import Lexicon
from .lexicon.io import load_lexicons
from .result import AnalysisResult

__all__ = ["DaskAnalysis", "analyze"]


@dataclass
class DaskAnalysis:
    """What ``analyze`` returns: per-article tables as Dask DataFrames, the corpus tables as pandas.

    ``result`` is the full ``AnalysisResult`` (``framing.outputs.write_report``
    writes it as the CLI does); its tables stream from the workers while
    the client is open.
    """

    report: Any  # dask.dataframe.DataFrame
    matches: Any  # dask.dataframe.DataFrame
    summary: pd.DataFrame
    terms: pd.DataFrame
    comparisons: pd.DataFrame | None
    evaluation: pd.DataFrame | None
    type_similarity: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    result: AnalysisResult | None = field(default=None, repr=False)


def analyze(
    articles: Any,
    *,
    lexicons: Sequence[str | Path | Lexicon] | None = None,
    client: Any = None,
    text_column: str = "text",
    id_column: str | None = "id",
    max_article_bytes: int = MAX_ARTICLE_BYTES,
    keep_texts: int | None = KEEP_TEXTS,
    mask: bool = True,
    model: str | Path | None = None,
    jobs: int = 1,
    counting: str = "framing",
    group_by: str = DEFAULT_GROUP_BY,
    period: str | None = None,
    split_date: str | None = None,
    stories: str = "auto",
    story_threshold: float = STORY_THRESHOLD,
    story_window: int = STORY_WINDOW,
) -> DaskAnalysis:
    """Analyse a Dask DataFrame of articles on the cluster of ``client`` (default: the current one).

    ``articles`` has a ``text_column`` and, optionally, ``id_column``
    (default ``"id"``; without it the index gives the ids) and the metadata
    columns ``outlet``, ``source_type``, ``title``, ``date`` and ``url``. A row
    whose text is missing, not text, too long or binary is skipped with a
    warning; a repeated id is renamed ``<id>#2`` as in a corpus folder.
    ``lexicons`` default to the built-in ones; ``model`` is a saved
    classifier to apply. ``keep_texts``: articles (the first by id) whose
    text and matches ``result`` keeps for report.html. ``counting``: as in
    ``framing.analyze``. ``group_by``, ``period`` and ``split_date``: as in
    ``framing.analyze``, with ``group_by`` one of the metadata columns above
    and the dates read from ``date``; ``result.result.timeline`` and
    ``.before_after`` hold the tables over time. ``stories``,
    ``story_threshold``, ``story_window``: as in ``framing.analyze``
    (``result.result.stories``, ``.coverage``, ``.within_story``).
    """
    from .engine.cluster import run_partitions
    from .engine.dask_store import require_distributed

    distributed = require_distributed()
    if client is None:
        try:
            client = distributed.get_client()
        except ValueError:
            raise InputError("no Dask client: give client=, or create a distributed.Client first") from None
    if not hasattr(articles, "to_delayed") or not hasattr(articles, "columns"):
        raise InputError(f"articles must be a Dask DataFrame, got {type(articles).__name__}")
    if text_column not in articles.columns:
        raise InputError(f"the DataFrame has no '{text_column}' column (columns: {', '.join(map(str, articles.columns))})")
    if max_article_bytes < 1:
        raise InputError(f"the article size limit must be positive, got {max_article_bytes} bytes")
    if group_by not in ARTICLE_FIELDS:
        raise InputError(f"group_by must be one of {', '.join(ARTICLE_FIELDS)} here, got {group_by!r}; to group by "
                         "another column, give framing.analyze a manifest with it and engine='dask'",
                         argument="group_by")
    check_times(period, split_date)
    settings = story_settings(stories, story_threshold, story_window)
    dated = period is not None or split_date is not None or settings is not None
    comparing = Comparing(ArticleColumns(group_by, dated=dated), period=period, split_date=split_date,
                          stories=settings)
    loaded = load_lexicons(lexicons)
    saved = None
    if model is not None:
        from .model_file import load_model

        saved = load_model(model)[0]
    id_col = id_column if id_column is not None and id_column in articles.columns else None
    reader = FrameReader(text_column, id_col, max_article_bytes)
    partitions = articles.to_delayed()  # computed on the workers, each dropped once scored

    settled: list[bool] = []

    def settle(numbers: list) -> dict[int, tuple[Any, Any]]:
        if settled:  # the renames were made from the ids as read; one round is all
            return {}
        settled.append(True)
        renames = rename_duplicates([n.ids for n in numbers])
        return {p: (partitions[p], FrameReader(text_column, id_col, max_article_bytes, renames[p])) for p in renames}

    def reading(numbers: list) -> tuple[list[str], int]:
        return merged_warnings(n.info for n in numbers), sum(n.info.skipped for n in numbers)

    result = run_partitions(partitions, reader, loaded, client, settle=settle, reading=reading, jobs=jobs,
                            keep_texts=keep_texts, keep_rows=0, mask=mask, model=saved,
                            counting=counting, comparing=comparing)
    report, matches = result.store.frames()  # type: ignore[union-attr]
    return DaskAnalysis(report=report, matches=matches, summary=result.summary, terms=result.terms,
                        comparisons=result.comparisons, evaluation=result.evaluation,
                        type_similarity=result.type_similarity, warnings=result.warnings, result=result)
