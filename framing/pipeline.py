"""The analysis, stage by stage: corpus and lexicons in, an ``AnalysisResult`` out. Writes nothing.

::

    read (stream)  -> per chunk: tokens, sentences, lexicon matches, counts   (pass 1)
                   -> corpus: vocabulary, idf, TF-IDF group sums               (pass 2)
                   -> leave-one-out similarities, style scores, predictions   (pass 3)
                   -> group summaries, distinctive terms, tables in id order

The stages are pure functions of a chunk (``framing.analysis``) or of
counts (``framing.stats``); ``framing.engine.local`` runs them, with pass 1
on a Dask cluster when asked (``framing.engine.dask``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .corpus import MAX_ARTICLE_BYTES, Corpus, CorpusReader
from .engine.local import CHUNK_ARTICLES, Progress, run
from .errors import InputError
from .lexicon import Lexicon, load_lexicons
from .types import AnalysisResult, Article

__all__ = ["AnalysisResult", "analyze", "analyze_corpus", "load_lexicons"]


def analyze(
    corpus: str | Path | Sequence[str | Path],
    *,
    lexicons: Sequence[str | Path | Lexicon] | None = None,
    manifest: str | Path | None = None,
    text_column: str = "text",
    id_column: str | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    max_article_bytes: int = MAX_ARTICLE_BYTES,
    keep_texts: int | None = None,
    keep_rows: int | None = None,
    chunk_articles: int = CHUNK_ARTICLES,
    mask: bool = True,
    model: str | Path | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    client: Any = None,
    partition_bytes: int | None = None,
) -> AnalysisResult:
    """Read a corpus and lexicons from disk and analyse them, streaming the articles.

    ``lexicons`` defaults to the built-in ``frames``, ``style`` and ``labels``.
    By default every row is kept in the result's DataFrames; for a corpus too
    big for that, give ``keep_rows``/``keep_texts`` and write the tables with
    ``framing.outputs.write_report`` (what the CLI does). ``mask=False``
    keeps bylines, credits and outlet names in the term counts. ``model``: a
    saved classifier (``framing model train``) to apply instead of training one.

    ``engine="dask"`` runs the analysis on Dask workers
    (``framing.engine.dask``): those of ``client`` (a ``distributed.Client``),
    else of the scheduler at ``scheduler``, else of a ``LocalCluster`` started
    for the run and closed when it ends (so its tables cannot stream
    afterwards: give ``keep_rows=None, keep_texts=None``, or a ``client``).
    The workers read the corpus themselves, in parts of about
    ``partition_bytes`` (default 32 MiB); the results are the same bytes as
    the local engine's.

    >>> result = analyze("seeds")                         # doctest: +SKIP
    >>> result.scores[["article_id", "predicted_source_type"]]  # doctest: +SKIP
    """
    if engine not in ("local", "dask"):
        raise InputError(f"unknown engine {engine!r}; use 'local' or 'dask'")
    if engine == "local" and (scheduler is not None or client is not None):
        raise InputError("--scheduler is for --engine dask only")
    paths = [corpus] if isinstance(corpus, (str, Path)) else list(corpus)
    loaded = load_lexicons(lexicons)
    saved = None
    if model is not None:
        from .models import load_model

        saved = load_model(model)[0]
    if engine == "dask":
        from .engine.dask import connect, run_corpus

        close = None
        if client is None:
            client, close = connect(scheduler)
        try:
            result = run_corpus(
                paths, loaded, client, manifest=manifest, text_column=text_column, id_column=id_column,
                max_article_bytes=max_article_bytes, partition_bytes=partition_bytes, jobs=jobs,
                chunk_articles=chunk_articles, keep_texts=keep_texts, keep_rows=keep_rows, progress=progress,
                mask=mask, model=saved,
            )
            if close is not None:  # the cluster goes with this call: its tables are brought here first
                kept = {name: b"".join(stream()) for name, stream in result.tables.items()}
                result.tables = {name: (lambda data=data: iter([data])) for name, data in kept.items()}
                result.parquet_parts = {}
            return result
        finally:
            if close is not None:
                close()
    reader = CorpusReader(
        paths, manifest=manifest, text_column=text_column, id_column=id_column, max_article_bytes=max_article_bytes
    )
    result = run(
        reader, loaded, jobs=jobs, chunk_articles=chunk_articles, keep_texts=keep_texts, keep_rows=keep_rows,
        progress=progress, estimate=reader.estimated_total if progress is not None else None, mask=mask,
        model=saved,
    )
    result.warnings = [*reader.warnings, *(w for lx in loaded for w in lx.warnings)]
    result.skipped = reader.skipped
    return result


def analyze_corpus(
    corpus: Corpus | Sequence[Article],
    lexicons: Sequence[Lexicon],
    *,
    jobs: int = 1,
    progress: Progress | None = None,
    mask: bool = True,
) -> AnalysisResult:
    """Analyse articles already in memory (pure: no file is read or written); every row is kept."""
    if isinstance(corpus, Corpus):
        articles, warnings, skipped = corpus.articles, list(corpus.warnings), corpus.skipped
    else:
        articles, warnings, skipped = list(corpus), [], 0
    if not articles:
        raise InputError("no articles to analyse")
    result = run(articles, lexicons, jobs=jobs, keep_texts=None, keep_rows=None, progress=progress, mask=mask)
    result.warnings = [*warnings, *(w for lx in lexicons for w in lx.warnings)]
    result.skipped = skipped
    return result
