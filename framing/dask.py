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

import numpy as np
import pandas as pd

from .corpus.manifest import META_FIELDS, normalize_type
from .defaults import KEEP_TEXTS, MAX_ARTICLE_BYTES
from .errors import InputError
from .lexicon import Lexicon
from .lexicon.io import load_lexicons
from .result import AnalysisResult
from .types import SOURCE_TYPES, Article

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
) -> DaskAnalysis:
    """Analyse a Dask DataFrame of articles on the cluster of ``client`` (default: the current one).

    ``articles`` has a ``text_column`` and, optionally, ``id_column``
    (default ``"id"``; without it the index gives the ids) and the metadata
    columns ``outlet``, ``source_type``, ``title``, ``date`` and ``url``. A row
    whose text is missing, not text, too long or binary is skipped with a
    warning; a repeated id is renamed ``<id>#2`` as in a corpus folder.
    ``lexicons`` default to the built-in ones; ``model`` is a saved
    classifier to apply. ``keep_texts``: articles (the first by id) whose
    text and matches ``result`` keeps for report.html.
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
    loaded = load_lexicons(lexicons)
    saved = None
    if model is not None:
        from .model_file import load_model

        saved = load_model(model)[0]
    id_col = id_column if id_column is not None and id_column in articles.columns else None
    reader = _FrameReader(text_column, id_col, max_article_bytes)
    partitions = articles.to_delayed()  # computed on the workers, each dropped once scored

    settled: list[bool] = []

    def settle(numbers: list) -> dict[int, tuple[Any, Any]]:
        if settled:  # the renames were made from the ids as read; one round is all
            return {}
        settled.append(True)
        renames = _renames([n.ids for n in numbers])
        return {p: (partitions[p], _FrameReader(text_column, id_col, max_article_bytes, renames[p])) for p in renames}

    def reading(numbers: list) -> tuple[list[str], int]:
        return _warnings(numbers), sum(n.info.skipped for n in numbers)

    result = run_partitions(partitions, reader, loaded, client, settle=settle, reading=reading, jobs=jobs,
                            keep_texts=keep_texts, keep_rows=0, mask=mask, model=saved)
    report, matches = result.store.frames()  # type: ignore[union-attr]
    return DaskAnalysis(report=report, matches=matches, summary=result.summary, terms=result.terms,
                        comparisons=result.comparisons, evaluation=result.evaluation,
                        type_similarity=result.type_similarity, warnings=result.warnings, result=result)


@dataclass
class _Read:
    """What reading a partition tells the client: warnings (once-per-value ones keyed), skips, renames used."""

    warnings: list[tuple[str | None, str]]
    skipped: int
    renames: dict[int, str]


@dataclass
class _FrameReader:
    """Reads one pandas partition into articles, on a worker (table-row rules: ``framing.corpus.sources``)."""

    text_column: str
    id_column: str | None
    limit: int
    renames: dict[int, str] = field(default_factory=dict)  # position among the partition's articles -> new id

    def __call__(self, frame: pd.DataFrame, shared: object = None) -> tuple[list[Article], _Read]:
        from .corpus.sources import _row_text

        warnings: list[tuple[str | None, str]] = []
        texts: list[str] = []
        out: list[Article] = []
        skipped = 0
        columns = [c for c in (self.id_column, *META_FIELDS) if c is not None and c in frame.columns]
        for index, row in zip(frame.index.tolist(), frame[[self.text_column, *columns]].to_dict("records")):
            where = f"row {index!r}"
            row = {k: (None if _missing(v) else v) for k, v in row.items()}
            text = _row_text(row, self.text_column, where, texts, self.limit)  # type: ignore[arg-type]
            if text is None:
                warnings.append((None, texts.pop()))
                skipped += 1
                continue
            meta = {k: str(row[k]).strip() for k in META_FIELDS if row.get(k) not in (None, "")}
            ident = str(row[self.id_column]).strip() if self.id_column and row.get(self.id_column) is not None else ""
            source_type = normalize_type(meta.get("source_type") or "unknown")
            if source_type not in SOURCE_TYPES:
                message = (f"{where}: unknown source_type {meta['source_type']!r} "
                           f"(expected one of {', '.join(SOURCE_TYPES)}); using 'unknown'")
                warnings.append((f"type:{meta['source_type']}", message))
                source_type = "unknown"
            meta["source_type"] = source_type
            ident = ident or str(index)
            if len(out) in self.renames:
                new = self.renames[len(out)]
                warnings.append((None, f"{where}: duplicate article id {ident!r}; renamed {new!r}"))
                ident = new
            out.append(Article(id=ident, text=text, source=where, **meta))
        return out, _Read(warnings, skipped, dict(self.renames))


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA or value is pd.NaT


def _renames(ids: list[list[str]]) -> dict[int, dict[int, str]]:
    """New names for repeated ids, ``<id>#2``, ``#3`` ... in partition order: partition -> position -> name.

    The rule of ``CorpusReader``: the first keeps its id; a later one gets
    the next free ``#k``.
    """
    seen: dict[str, int] = {}
    out: dict[int, dict[int, str]] = {}
    original = [list(part) for part in ids]
    for p, part in enumerate(original):
        for i, ident in enumerate(part):
            if ident not in seen:
                seen[ident] = 1
                continue
            seen[ident] += 1
            new = f"{ident}#{seen[ident]}"
            while new in seen:
                seen[ident] += 1
                new = f"{ident}#{seen[ident]}"
            seen[new] = 1
            out.setdefault(p, {})[i] = new
    return out


def _warnings(numbers: list) -> list[str]:
    """The partitions' warnings in order, a once-per-value one only the first time."""
    out: list[str] = []
    keys: set[str] = set()
    for n in numbers:
        for key, text in n.info.warnings:
            if key is not None:
                if key in keys:
                    continue
                keys.add(key)
            out.append(text)
    return out
