"""What every command shares: the one-line error parser, safe one-line messages, the corpus options."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn

from ..english import plural

if TYPE_CHECKING:  # annotations only: the corpus package is imported when a command runs
    from pathlib import Path

    from ..corpus import CorpusReader
    from ..engine.token_cache import TokenCache
    from ..lexicon.formats.csv_lexicon import CsvColumns
    from ..workbench.scan import TableMaker

__all__ = [
    "FLAGS", "MAX_WARNINGS_SHOWN", "Parser", "add_cache_option", "add_corpus_options", "add_csv_options",
    "cache_folder", "corpus_reader", "csv_columns", "error_line", "flags_named", "max_article_bytes", "one_line", "token_cache",
    "token_tables", "warning_lines",
]

MAX_WARNINGS_SHOWN = 30  # on stderr; the rest are counted (and, for analyze, listed in run.json)

# Control characters and line separators, which a file name may hold and
# which would break "one line per problem".
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def one_line(text: str) -> str:
    """``text`` on one line: control characters (and undecodable bytes of a file name) as escapes."""
    return _UNPRINTABLE.sub(lambda m: _escape(m.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return repr(char)[1:-1]


class Parser(argparse.ArgumentParser):
    """argparse, but its errors are one line and exit 2 like ours."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"error: {message} (see '{self.prog} --help')\n")
        raise SystemExit(2)


# The library names its own arguments in its messages (``InputError.argument``); here they are the flags.
FLAGS = {
    "jobs": "--jobs", "keep_texts": "--html-articles", "max_articles": "--html-articles", "lexicons": "--lexicon",
    "scheduler": "--scheduler", "engine": "--engine", "partition_bytes": "--partition-mb",
    "max_article_bytes": "--max-article-mb", "text_column": "--text-column", "id_column": "--id-column",
    "compare": "--compare", "min_count": "--min-count", "top": "--top", "width": "--width", "limit": "--limit",
    "group_by": "--group-by", "groups": "--groups", "period": "--by-period", "split_date": "--split-date",
    "date_column": "--date-column", "stories": "--stories", "story_threshold": "--story-threshold",
    "story_window": "--story-window", "story_pages": "--story-pages", "story": "--story",
}


# The CSV lexicon options as the library names them in messages (``csv_columns.layout=wide``): the flags.
_CSV_FIELD = re.compile(r"\bcsv_columns\.(layout|term|category|weight|categories|weights_from_cells|skip)(=?)")


def flags_named(message: str) -> str:
    """``message`` with each CSV lexicon option the library names (``csv_columns.term=COLUMN``) said as its flag.

    Lexicon problems (``file:line: error: ...``) name them anywhere in the
    message, not only at its start, so they are replaced wherever they are.
    """
    return _CSV_FIELD.sub(lambda m: f"--csv-{m.group(1).replace('_', '-')}" + (" " if m.group(2) else ""), message)


def error_line(exc: Exception) -> str:
    """``exc``'s message on one line, the library's argument it starts with said as the flag (``--jobs ...``)."""
    message = str(exc)
    argument = getattr(exc, "argument", None)
    flag = FLAGS.get(argument) if argument else None
    if flag and message.startswith(argument + " "):
        message = flag + message[len(argument):]
    return one_line(flags_named(message))


def warning_lines(warnings: list[str], *, more: str = "") -> list[str]:
    """The first ``MAX_WARNINGS_SHOWN`` warnings as ``warning: ...`` lines, then how many more (``more`` after it).

    A lexicon's warnings already read ``file:line: warning: ...`` and are shown as they are.
    """
    lines = []
    for w in warnings[:MAX_WARNINGS_SHOWN]:
        line = one_line(flags_named(w))
        lines.append(line if ": warning: " in line else f"warning: {line}")
    if len(warnings) > MAX_WARNINGS_SHOWN:
        lines.append(f"warning: ... and {plural(len(warnings) - MAX_WARNINGS_SHOWN, 'more warning')}{more}")
    return lines


def add_corpus_options(p: argparse.ArgumentParser) -> None:
    """The corpus options every command that reads a corpus shares: ``CORPUS...`` and how to read it.

    One home for their names, defaults and help, so that ``analyze``,
    ``model train``, ``kwic`` and the ``lexicon`` actions read a corpus the same way.
    """
    from ..defaults import MAX_ARTICLE_BYTES

    p.add_argument("corpus", nargs="+", metavar="CORPUS",
                   help="a folder (*.txt, *.md and *.parquet, recursive: a Parquet dataset folder too), a .txt file, a .csv, "
                   "a .jsonl (each may be .gz) or a .parquet; several allowed")
    p.add_argument("--manifest", metavar="FILE",
                   help="CSV with file or id, outlet, source_type (state_media, wire, mainstream, "
                   "independent_commentary or unknown), title, date, url "
                   "(default: manifest.csv inside a corpus folder)")
    p.add_argument("--text-column", default="text", metavar="NAME",
                   help="text column of .csv/.jsonl/.parquet input (default: text)")
    p.add_argument("--id-column", metavar="NAME",
                   help="id column of .csv/.jsonl/.parquet input and of the manifest (default: id)")
    p.add_argument("--max-article-mb", type=float, default=MAX_ARTICLE_BYTES / 1e6, metavar="MB",
                   help="skip, with a warning, any article larger than this "
                   f"(default {MAX_ARTICLE_BYTES / 1e6:g} MB; a bigger one is nearly always a dump read by mistake)")


def max_article_bytes(args: argparse.Namespace) -> int:
    """``--max-article-mb`` in bytes; ``InputError`` unless it is a positive number."""
    import math

    from ..errors import InputError

    if not (math.isfinite(args.max_article_mb) and args.max_article_mb > 0):
        raise InputError(f"--max-article-mb must be a positive number, got {args.max_article_mb:g}")
    return max(1, round(args.max_article_mb * 1e6))


def corpus_reader(args: argparse.Namespace) -> CorpusReader:
    """The reader of the corpus named by ``add_corpus_options``' options (nothing is read yet)."""
    from ..corpus import CorpusReader

    return CorpusReader(args.corpus, manifest=args.manifest, text_column=args.text_column,
                        id_column=args.id_column, max_article_bytes=max_article_bytes(args))


def add_cache_option(p: argparse.ArgumentParser) -> None:
    """``--no-cache``: the token cache off for this run (on by default; ``framing cache info`` says where it is)."""
    p.add_argument("--no-cache", action="store_true",
                   help="neither read nor write the token cache (each chunk's tokens, kept so that a run after a "
                        "lexicon edit tokenizes nothing; FRAMING_CACHE_DIR moves it; see: framing cache info)")


def cache_folder(args: argparse.Namespace) -> Path | None:
    """The token cache's folder (``FRAMING_CACHE_DIR``, else the user's cache folder), or ``None`` (``--no-cache``)."""
    if getattr(args, "no_cache", False):
        return None
    from ..engine.token_cache import cache_dir

    return cache_dir()


def token_cache(args: argparse.Namespace) -> TokenCache | None:
    """The run's token cache (``cache_folder``), or ``None`` (``--no-cache``)."""
    folder = cache_folder(args)
    if folder is None:
        return None
    from ..engine.token_cache import TokenCache

    return TokenCache(folder)


def token_tables(args: argparse.Namespace) -> tuple[TableMaker, Callable[[], object]]:
    """How a workbench command makes token tables (the token cache's, unless ``--no-cache``), and what it does at
    the end (the cache is trimmed to its limit)."""
    cache = token_cache(args)
    if cache is None:
        from ..analysis.tokentable import build_token_table

        return build_token_table, lambda: None
    return cache.table, cache.trim


def add_csv_options(p: argparse.ArgumentParser) -> None:
    """The options of every command that reads lexicon files: how to read a CSV lexicon (``CsvColumns``).

    One home for their names and help; ``csv_columns`` turns them into the
    library's ``CsvColumns``. They apply to the ``.csv`` lexicons only.
    """
    g = p.add_argument_group("CSV lexicon options", "how to read a .csv lexicon not laid out as "
                             "category,term[,weight] (docs/cli.md); the other formats ignore them")
    g.add_argument("--csv-layout", choices=("long", "wide"),
                   help="long: one row per term and category; wide: one row per term, one column per category "
                   "(default: read from the header)")
    g.add_argument("--csv-term", metavar="COLUMN", help="the column of the terms (default: the column named term, "
                   "word, entry, token or pattern)")
    g.add_argument("--csv-category", metavar="COLUMN", help="long: the column of the categories (default: the column "
                   "named category, categories, class, label, emotion or sentiment)")
    g.add_argument("--csv-weight", metavar="COLUMN", help="long: the column of the weights (default: the column named "
                   "weight, score or value, if any)")
    g.add_argument("--csv-categories", metavar="A,B,...", help="wide: the category columns, comma-separated "
                   "(default: every column but the terms')")
    g.add_argument("--csv-skip", metavar="A,B,...", help="wide: columns that are not categories, comma-separated "
                   "(instead of --csv-categories; default: none)")
    g.add_argument("--csv-weights-from-cells", action="store_true",
                   help="wide: a member's cell is its weight, instead of weight 1")


def csv_columns(args: argparse.Namespace, paths: list[object] | None = None) -> CsvColumns | None:
    """The ``CsvColumns`` of ``add_csv_options``' flags (``None`` when none is given).

    ``paths``: the lexicon files the command reads; given, flags with no
    ``.csv`` among them are an ``InputError``.
    """
    from ..errors import InputError
    from ..lexicon.formats.csv_lexicon import CsvColumns

    given = {"layout": args.csv_layout, "term": args.csv_term, "category": args.csv_category,
             "weight": args.csv_weight, "weights_from_cells": args.csv_weights_from_cells or False}
    if args.csv_categories is not None:
        given["categories"] = tuple(c.strip() for c in args.csv_categories.split(","))
    if args.csv_skip is not None:
        given["skip"] = tuple(c.strip() for c in args.csv_skip.split(","))
    if not any(v for v in given.values()):
        return None
    columns = CsvColumns(**given)  # type: ignore[arg-type]  # layout: one of argparse's choices
    if paths is not None and not any(str(p).lower().endswith(".csv") for p in paths):
        # Said here rather than by the library, so that the message names the flag that was typed.
        flag = next(f"--csv-{k.replace('_', '-')}" for k, v in given.items() if v)
        raise InputError(f"{flag} is for CSV lexicons (.csv), and no lexicon given is one")
    return columns
