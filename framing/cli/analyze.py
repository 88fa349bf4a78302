"""``framing analyze``: score a corpus and write the report."""

from __future__ import annotations

import argparse
import os
import sys

from ..defaults import KEEP_ROWS, KEEP_TEXTS, STORY_PAGES, STORY_THRESHOLD, STORY_WINDOW
from ..english import plural
from ..errors import InputError
from .common import (
    add_cache_option,
    add_corpus_options,
    add_csv_options,
    cache_folder,
    csv_columns,
    max_article_bytes,
    one_line,
    warning_lines,
)

__all__ = ["register"]

_MAX_NOTES_SHOWN = 4  # per file; run.json lists them all


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``analyze`` command to the top-level parser."""
    an = sub.add_parser(
        "analyze",
        help="score a corpus and write the CSV report, charts and HTML report",
        description="Score every article on the lexicons' categories and TF-IDF features; write "
        "report.csv, summary.csv, comparisons.csv, evaluation.csv, terms.csv, matches.csv, labels.csv, run.json, "
        "report.html and charts/ into --out.",
    )
    add_corpus_options(an)
    an.add_argument("--lexicon", action="append", metavar="PATH",
                    help="lexicon file (.yaml, .dic, .dicx, .csv); repeatable; default: the built-in "
                    "frames, news_frames, style and labels lexicons")
    add_csv_options(an)
    an.add_argument("--out", default="reports", metavar="DIR", help="output folder (default: reports)")
    an.add_argument("--jobs", type=int, default=None, metavar="N",
                    help="processes for the per-chunk stages (default: all cores); results are identical for any N")
    an.add_argument("--html-articles", type=int, default=KEEP_TEXTS, metavar="N",
                    help=f"articles shown with their full, highlighted text in report.html (default {KEEP_TEXTS}; "
                    f"the first {KEEP_ROWS:,} are listed in its table)")
    an.add_argument("--model", metavar="FILE",
                    help="apply a saved model (framing model train): a classifier instead of training one, or a model "
                    "of a label column beside the source type (its columns end report.csv)")
    an.add_argument("--no-mask", action="store_true",
                    help="keep bylines, photo credits, captions, URLs and outlet names in the term counts")
    an.add_argument("--counting", choices=("framing", "liwc"), default="framing",
                    help="how matches count (default framing): framing counts every category on its own, a phrase once; liwc "
                    "(as LIWC counts: one dictionary entry per word, exact before wildcard, a phrase uses up its "
                    "words and counts as many as it has), to replicate published LIWC figures")
    an.add_argument("--no-charts", action="store_true", help="no charts (report.html is written without them)")
    an.add_argument("--format", choices=("csv", "parquet"), default="csv",
                    help="report and matches as CSV (default) or as Parquet (report.parquet, matches.parquet, "
                    "typed; needs pyarrow); the summaries stay CSV")
    an.add_argument("--no-html", action="store_true", help="no report.html (run.json says so); the CSV files are written")
    an.add_argument("--compare", nargs=2, metavar="ID",
                    help="the two articles report.html shows side by side (default: two articles of different "
                    "labelled source types that share the most matched terms); their texts must be kept, "
                    "see --html-articles")
    an.add_argument("--engine", choices=("local", "dask"), default="local",
                    help="where the analysis runs: in processes here (local, default) or on Dask workers, which "
                    "read the corpus themselves (dask; needs framing[dask]); the CSV files are the same")
    an.add_argument("--scheduler", metavar="ADDRESS",
                    help="with --engine dask: the Dask scheduler (e.g. tcp://host:8786); default: a local cluster "
                    "of one worker process per core")
    an.add_argument("--partition-mb", type=float, default=None, metavar="MB",
                    help="with --engine dask: about how many MB of corpus files each worker task reads (default 32)")
    compare_by = an.add_argument_group("what to compare")
    compare_by.add_argument("--group-by", default="source_type", metavar="COLUMN",
                            help="the column whose values every comparison compares (summary, comparisons, terms, "
                            "labels, charts, page): source_type (default), outlet, or any column of the manifest or "
                            "the records (e.g. mbfc, lean, country)")
    compare_by.add_argument("--groups", metavar="FILE",
                            help="CSV with value[,label][,color]: the groups' order, names and #RRGGBB colours "
                            "(default: the values by name)")
    compare_by.add_argument("--by-period", metavar="PERIOD",
                            help="rates per group and period (week, month, quarter or year): timeline.csv, a chart "
                            "per dimension and a page section; adds each group's date range to summary.csv")
    compare_by.add_argument("--split-date", metavar="YYYY-MM-DD",
                            help="compare each group with itself before and from this date: before_after.csv and a "
                            "page section; adds each group's date range to summary.csv")
    compare_by.add_argument("--date-column", default="date", metavar="COLUMN",
                            help="the column the dates are read from (default: date); ISO, RFC 2822, "
                            "'Sep 10, 2022', '10 Sep 2022' and year-only dates are read")
    stories = an.add_argument_group("stories (the same event told by different outlets)")
    stories.add_argument("--stories", choices=("auto", "off"), default="auto",
                         help="group the articles into stories from their words and dates (auto, default): "
                         "report.csv's story_id, stories.csv, coverage.csv, within_story.csv and the page's "
                         "stories; off: none")
    stories.add_argument("--story-threshold", type=float, default=STORY_THRESHOLD, metavar="COSINE",
                         help=f"the cosine of two articles' heaviest TF-IDF terms that links them into one story "
                         f"(default {STORY_THRESHOLD:g}; higher: tighter stories)")
    stories.add_argument("--story-window", type=int, default=STORY_WINDOW, metavar="DAYS",
                         help=f"two dated articles of one story are at most this many days apart (default "
                         f"{STORY_WINDOW}); undated articles are compared with undated ones only")
    stories.add_argument("--story-pages", type=int, default=STORY_PAGES, metavar="N",
                         help=f"stories report.html shows side by side, the largest first (default {STORY_PAGES}); "
                         "their texts must be kept, see --html-articles")
    add_cache_option(an)
    an.add_argument("--quiet", action="store_true", help="no progress or warnings on stderr")
    an.set_defaults(handler=_analyze)


def _analyze(args: argparse.Namespace, argv: list[str]) -> int:
    from ..api import analyze
    from ..outputs import check_output_folder, run_record, write_report
    from ..outputs.parquet import require_pyarrow
    from ..version import __version__
    from .progress import progress_for

    err = sys.stderr
    cores = os.cpu_count() or 1
    jobs = cores if args.jobs is None else min(args.jobs, cores)  # the library checks it (and says --jobs here)
    if args.no_html and args.compare:
        raise InputError("--compare chooses what report.html shows; it cannot go with --no-html")
    if args.scheduler is not None and args.engine != "dask":
        raise InputError("--scheduler is for --engine dask only")
    if args.partition_mb is not None and args.engine != "dask":
        raise InputError("--partition-mb is for --engine dask only")
    if args.partition_mb is not None and not args.partition_mb > 0:
        raise InputError(f"--partition-mb must be more than 0, got {args.partition_mb:g}")
    if args.story_pages < 0:
        raise InputError(f"--story-pages must be a whole number of at least 0, got {args.story_pages}")
    max_bytes = max_article_bytes(args)
    csv = csv_columns(args, args.lexicon or [])
    check_output_folder(args.out)  # before the analysis, not after it
    if args.format == "parquet":
        require_pyarrow()  # likewise
    client, close, engine = None, None, {"name": "local", "jobs": jobs}
    cache = cache_folder(args) if args.engine == "local" else None  # Dask workers tokenize their own parts
    progress = progress_for(err, quiet=args.quiet)
    try:
        if args.engine == "dask":
            from ..engine.cluster import connect, describe

            client, close = connect(args.scheduler)  # an unreachable scheduler fails here, before any reading
            engine = describe(client, args.scheduler)
        result = analyze(
            args.corpus,
            lexicons=args.lexicon,
            csv_columns=csv,
            manifest=args.manifest,
            text_column=args.text_column,
            id_column=args.id_column,
            jobs=jobs,
            progress=progress,
            max_article_bytes=max_bytes,
            keep_texts=args.html_articles,
            keep_rows=KEEP_ROWS,
            mask=not args.no_mask,
            counting=args.counting,
            model=args.model,
            compare=args.compare,
            engine=args.engine,
            client=client,
            partition_bytes=round(args.partition_mb * 1e6) if args.partition_mb is not None else None,
            group_by=args.group_by,
            groups=args.groups,
            period=args.by_period,
            split_date=args.split_date,
            date_column=args.date_column,
            stories=args.stories,
            story_threshold=args.story_threshold,
            story_window=args.story_window,
            token_cache=cache,
        )
        if client is not None:
            from ..engine.cluster import peak_memory

            # After the analysis; writing the tables moves one range of rows at a time.
            engine["peak_memory_mb"] = peak_memory(client)
        if result.warnings and not args.quiet:
            progress.pause()
            for line in warning_lines(result.warnings, more=" (listed in run.json)"):
                err.write(line + "\n")
        if not args.quiet:
            for name, lines in result.notes.items():
                progress.pause()
                for line in lines[:_MAX_NOTES_SHOWN]:
                    err.write(f"note: {name}: {one_line(line)}\n")
                if len(lines) > _MAX_NOTES_SHOWN:
                    more = len(lines) - _MAX_NOTES_SHOWN
                    err.write(f"note: {name}: ... and {plural(more, 'more note')} (listed in run.json)\n")
        options = {k: v for k, v in vars(args).items() if k not in ("command", "handler")}
        options["jobs"] = jobs
        record = run_record(result, argv=argv, options=options, version=__version__)
        record["report_html"] = "not written (--no-html)" if args.no_html else "written"
        record["engine"] = engine
        record["tables_format"] = args.format
        written = write_report(
            result, args.out, record=record, charts=not args.no_charts, html_articles=args.html_articles,
            progress=progress, jobs=jobs, html=not args.no_html, story_pages=args.story_pages,
            parquet=args.format == "parquet",
        )
    finally:
        progress.close()
        if close is not None:
            close()
    if not args.quiet:
        print(f"wrote {plural(len(written), 'file')} to {one_line(str(args.out))} "
              f"({plural(result.n_articles, 'article')}, {result.skipped:,} skipped, "
              f"{plural(len(result.warnings), 'warning')})")
    return 0
