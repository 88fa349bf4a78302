"""The public entry points: ``analyze`` a corpus on disk, ``analyze_corpus`` articles in memory; ``write_report``.

::

    read (stream)  -> per chunk: tokens, sentences, lexicon matches, counts   (pass 1)
                   -> corpus: vocabulary, idf, TF-IDF group sums               (pass 2)
                   -> leave-one-out similarities, the classifier             (passes 3, 4)
                   -> group summaries, distinctive terms, tables in id order   (finish)

The stages are pure functions of a chunk (``framing.analysis``) or of sums
(``framing.stats``); the engine runs them (``framing.engine``): in this
process and a process pool (``engine.local``), or on a Dask cluster
(``engine.cluster``). The analysis writes nothing; ``write_report`` (the
writer, ``framing.outputs``) writes a result into a report folder.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .corpus import Corpus, CorpusReader
from .corpus.groups import read_groups
from .corpus.labels import read_labels
from .dates import check_times
from .defaults import CHUNK_ARTICLES, MAX_ARTICLE_BYTES, STORY_THRESHOLD, STORY_WINDOW
from .engine.local import run
from .engine.token_cache import TokenCache
from .errors import InputError
from .grouping import ARTICLE_FIELDS, DEFAULT_GROUP_BY, ArticleColumns, Comparing, StorySettings, story_settings
from .lexicon import CsvColumns, Lexicon, load_lexicons
from .model_file import load_model
from .result import AnalysisResult
from .stats.label_model import label_classes
from .types import Article, LabelColumn, Progress

__all__ = ["analyze", "analyze_corpus", "comparing_of"]


def analyze(
    corpus: str | Path | Sequence[str | Path],
    *,
    lexicons: Sequence[str | Path | Lexicon] | None = None,
    csv_columns: CsvColumns | None = None,
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
    compare: Sequence[str] | None = None,
    counting: str = "framing",
    label: str | None = None,
    group_by: str = DEFAULT_GROUP_BY,
    groups: str | Path | None = None,
    period: str | None = None,
    split_date: str | None = None,
    date_column: str = "date",
    stories: str = "auto",
    story_threshold: float = STORY_THRESHOLD,
    story_window: int = STORY_WINDOW,
    token_cache: str | Path | None = None,
) -> AnalysisResult:
    """Read a corpus and lexicons from disk and analyse them, streaming the articles.

    ``lexicons`` defaults to the built-in ``frames``, ``style`` and ``labels``;
    ``csv_columns`` says how to read the CSV ones among them that are not laid
    out as framing writes them (``framing.CsvColumns``: long or wide, which
    columns hold the terms, categories and weights).
    By default every row is kept in the result's DataFrames; for a corpus too
    big for that, give ``keep_rows``/``keep_texts`` and write the tables with
    ``framing.outputs.write_report`` (what the CLI does). ``mask=False``
    keeps bylines, credits and outlet names in the term counts. ``model``: a
    saved model (``framing model train``): a source-type classifier is applied
    instead of training one; a model of a label column (``--label``) is applied
    beside the source type, which the run scores as without it, and adds the
    columns ``model.<label>``, ``model.<label>.why_undetermined`` and
    ``model.<label>.p_<class>`` at the end of the report
    (``framing.schema.model_columns``).
    ``compare``: the two article ids report.html shows side by side (their
    texts must be kept; default: the two kept articles of different labelled
    source types that share the most matched terms). ``counting="liwc"``
    counts matches as LIWC does (one dictionary entry per word, phrases use
    up their words and weigh their length), to replicate published LIWC
    figures; the default, ``"framing"``, counts every category on its own.
    ``label``: a column of the corpus's tables or manifest (``frame_conflict``,
    say) to train a model of, beside the classifier, with the classifier's
    features and folds: the result's ``label_model``
    (``framing.stats.label_model.LabelModel``: the model, its out-of-fold
    probabilities and their evaluation); ``"source_type"`` or ``None``: the
    classifier alone, as always. Local engine only.

    ``group_by``: the column whose values the comparisons compare (summary,
    comparisons, terms, labels, charts, page; ``framing.grouping``):
    ``source_type`` (default), another field of the manifest (``outlet``),
    or any column of the corpus's tables or manifest (``mbfc``). ``groups``:
    a groups file giving the values' order, labels and colours
    (``framing.corpus.groups``). ``period`` (``week``, ``month``,
    ``quarter``, ``year``): rates per group and period (the result's
    ``timeline``); ``split_date`` (``YYYY-MM-DD``): each group against
    itself before and from that date (``before_after``). Dates are read from
    ``date_column`` (default ``date``) in the common forms
    (``framing.dates``); either option adds each group's date range to
    ``summary``.

    ``stories="auto"`` (default) groups the articles into stories (the same
    event; ``framing.stats.stories``): two articles are linked when the
    cosine of their heaviest TF-IDF terms is at least ``story_threshold``
    and their dates (``date_column``) are at most ``story_window`` days
    apart; the result's ``stories``, ``coverage`` and ``within_story``
    tables, and report.csv's last column ``story_id``. ``"off"``: none.

    ``engine="dask"`` runs the analysis on Dask workers
    (``framing.engine.cluster``): those of ``client`` (a ``distributed.Client``),
    else of the scheduler at ``scheduler``, else of a ``LocalCluster`` started
    for the run and closed when it ends (so its tables cannot stream
    afterwards: give ``keep_rows=None, keep_texts=None``, or a ``client``).
    The workers read the corpus themselves, in parts of about
    ``partition_bytes`` (default 32 MiB); the results are the same bytes as
    the local engine's.

    ``token_cache``: a folder where each chunk's token table is kept, so
    that a run on the same corpus after a lexicon edit tokenizes nothing
    (``framing.engine.token_cache``; the results are the same). ``None``
    (default): no cache; ``framing analyze`` uses one unless ``--no-cache``.
    Local engine only.

    >>> result = analyze("seeds")                         # doctest: +SKIP
    >>> result.scores[["article_id", "predicted_source_type"]]  # doctest: +SKIP
    """
    if engine not in ("local", "dask"):
        raise InputError(f"engine must be 'local' or 'dask', got {engine!r}", argument="engine")
    if engine == "local" and (scheduler is not None or client is not None):
        raise InputError("scheduler and client are for the dask engine only", argument="scheduler")
    _check_counts(jobs=jobs, keep_texts=keep_texts, keep_rows=keep_rows)
    paths = [corpus] if isinstance(corpus, (str, Path)) else list(corpus)
    comparing = comparing_of(paths, group_by=group_by, groups=groups, period=period, split_date=split_date,
                             date_column=date_column, stories=story_settings(stories, story_threshold, story_window),
                             manifest=manifest, id_column=id_column, text_column=text_column,
                             max_article_bytes=max_article_bytes)
    loaded = load_lexicons(lexicons, csv_columns=csv_columns)
    saved = load_model(model)[0] if model is not None else None
    labels = None
    if label is not None and label != "source_type":
        if engine == "dask":
            raise InputError("label runs on the local engine only", argument="label")
        labels = LabelColumn(label, read_labels(paths, label, manifest=manifest, id_column=id_column,
                                                text_column=text_column, max_article_bytes=max_article_bytes))
        label_classes(list(labels.values.values()), label)  # too few to train: said before the corpus is read
    if saved is not None and saved.label != "source_type":
        if labels is not None:
            raise InputError("train a model of a label (label) or apply one (model), not both in one run",
                             argument="label")
        labels = _right_answers(paths, saved.label, manifest=manifest, id_column=id_column, text_column=text_column,
                                max_article_bytes=max_article_bytes)
    if engine == "dask" and token_cache is not None:
        raise InputError("token_cache is for the local engine: Dask workers tokenize their own parts",
                         argument="token_cache")
    if engine == "dask":
        from .engine.cluster import analyze_on_cluster

        return analyze_on_cluster(
            paths, loaded, client=client, scheduler=scheduler, manifest=manifest, text_column=text_column,
            id_column=id_column, max_article_bytes=max_article_bytes, partition_bytes=partition_bytes, jobs=jobs,
            chunk_articles=chunk_articles, keep_texts=keep_texts, keep_rows=keep_rows, progress=progress,
            mask=mask, model=saved, compare=compare, counting=counting, labels=labels, comparing=comparing,
        )
    reader = CorpusReader(
        paths, manifest=manifest, text_column=text_column, id_column=id_column, max_article_bytes=max_article_bytes
    )
    return run(
        reader, loaded, jobs=jobs, chunk_articles=chunk_articles, keep_texts=keep_texts, keep_rows=keep_rows,
        progress=progress, estimate=reader.estimated_total if progress is not None else None, mask=mask,
        model=saved, compare=compare, reading=reader, counting=counting, labels=labels, comparing=comparing,
        token_cache=TokenCache(Path(token_cache)) if token_cache is not None else None,
    )


def comparing_of(
    paths: Sequence[str | Path], *, group_by: str = DEFAULT_GROUP_BY, groups: str | Path | None = None,
    period: str | None = None, split_date: str | None = None, date_column: str = "date",
    stories: StorySettings | None = None, manifest: str | Path | None = None, id_column: str | None = None, text_column: str = "text",
    max_article_bytes: int = MAX_ARTICLE_BYTES,
) -> Comparing:
    """What a run compares, checked, with a grouping or date column that no article carries read beside the corpus.

    Raises ``InputError`` for a period that is not one of ``framing.dates.PERIODS``,
    a split date that is not ``YYYY-MM-DD``, a column the corpus does not
    have, or a bad groups file; all before any article is scored.
    """
    group_by = (group_by or DEFAULT_GROUP_BY).strip()
    if not group_by:
        raise InputError("group_by names no column", argument="group_by")
    check_times(period, split_date)
    if groups is not None and group_by == DEFAULT_GROUP_BY:
        raise InputError("groups (a groups file) is for a column other than source_type, whose order, names and "
                         "colours are fixed", argument="groups")
    read = {"manifest": manifest, "id_column": id_column, "text_column": text_column,
            "max_article_bytes": max_article_bytes}
    group_values = None
    if group_by not in ARTICLE_FIELDS:
        group_values = read_labels(paths, group_by, purpose="to group by", argument="group_by", **read)
    dated = period is not None or split_date is not None or stories is not None
    date_values = None
    if dated and date_column != "date":
        date_values = read_labels(paths, date_column, purpose="to read dates from", argument="date_column", **read)
    file = read_groups(groups) if groups is not None else None
    columns = ArticleColumns(group_by, group_values, date_column, date_values, dated)
    return Comparing(columns, file.order if file else (), file.labels if file else None,
                     file.colors if file else None, period, split_date, stories)



def _right_answers(
    paths: Sequence[str | Path], column: str, *, manifest: str | Path | None, id_column: str | None, text_column: str,
    max_article_bytes: int,
) -> LabelColumn | None:
    """The corpus's own values of a saved label model's column, to evaluate the model on; ``None`` without one."""
    try:
        values = read_labels(paths, column, manifest=manifest, id_column=id_column, text_column=text_column,
                             max_article_bytes=max_article_bytes)
    except InputError as exc:
        if exc.argument == "label":  # the corpus has no such column: nothing to evaluate against, not an error
            return None
        raise
    return LabelColumn(column, values) if values else None


def _check_counts(**counts: int | None) -> None:
    """``jobs`` at least 1; ``keep_texts`` and ``keep_rows`` none or at least 0."""
    for name, value in counts.items():
        least = 1 if name == "jobs" else 0
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(f"{name} must be a whole number, got {value!r}", argument=name)
        if value < least:
            raise InputError(f"{name} must be at least {least}, got {value}", argument=name)


def analyze_corpus(
    corpus: Corpus | Sequence[Article],
    lexicons: Sequence[Lexicon],
    *,
    jobs: int = 1,
    progress: Progress | None = None,
    mask: bool = True,
    compare: Sequence[str] | None = None,
    counting: str = "framing",
    group_by: str = DEFAULT_GROUP_BY,
    group_values: Mapping[str, str] | None = None,
    period: str | None = None,
    split_date: str | None = None,
    stories: str = "auto",
    story_threshold: float = STORY_THRESHOLD,
    story_window: int = STORY_WINDOW,
) -> AnalysisResult:
    """Analyse articles already in memory (pure: no file is read or written); every row is kept.

    ``group_by``, ``period``, ``split_date`` and the ``stor*`` arguments are ``analyze``'s; a
    grouping column that is not a field of ``Article`` takes its values from
    ``group_values`` (article id -> value). Dates are the articles' ``date``.
    """
    if isinstance(corpus, Corpus):
        articles, reading = corpus.articles, corpus
    else:
        articles, reading = list(corpus), None
    if not articles:
        raise InputError("no articles to analyse")
    check_times(period, split_date)
    if group_by not in ARTICLE_FIELDS and group_values is None:
        raise InputError(f"group_by {group_by!r} is not a field of the articles ({', '.join(ARTICLE_FIELDS)}); "
                         "give its values as group_values", argument="group_by")
    settings = story_settings(stories, story_threshold, story_window)
    columns = ArticleColumns(group_by, group_values if group_by not in ARTICLE_FIELDS else None,
                             dated=period is not None or split_date is not None or settings is not None)
    return run(articles, lexicons, jobs=jobs, keep_texts=None, keep_rows=None, progress=progress, mask=mask,
               compare=compare, reading=reading, counting=counting,
               comparing=Comparing(columns, period=period, split_date=split_date, stories=settings))
