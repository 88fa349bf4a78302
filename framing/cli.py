"""The ``framing`` command: parse options, call the API, print one line per problem.

Every ``FramingError`` becomes ``error: <message>`` on stderr and exit status
2; so do bad options. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from . import __version__
from .corpus import MAX_ARTICLE_BYTES
from .errors import FramingError, InputError, OutputError
from .lexicon import check_lexicon
from .pipeline import analyze

__all__ = ["main"]

_MAX_WARNINGS_SHOWN = 30
# Control characters and line separators, which a file name may hold and
# which would break "one line per problem"; and lone surrogates, which is how
# Python holds the bytes of a file name that are not UTF-8, and which no
# UTF-8 stream can print.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escape(char: str) -> str:
    if 0xDC80 <= ord(char) <= 0xDCFF:
        return f"\\x{ord(char) - 0xDC00:02x}"  # the undecodable byte itself
    return repr(char)[1:-1]


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def _one_line(text: str) -> str:
    """``text`` on one line: control characters shown as escapes (``\\n``, ``\\x1b``)."""
    return _UNPRINTABLE.sub(lambda m: _escape(m.group()), text)


class _Parser(argparse.ArgumentParser):
    """argparse, but its errors are one line and exit 2 like ours."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"error: {message} (see '{self.prog} --help')\n")
        raise SystemExit(2)


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="framing",
        description="Bias and framing analysis of news: score articles on framing dimensions "
        "and compare how state media, wire agencies and independent commentary frame events.",
    )
    parser.add_argument("--version", action="version", version=f"framing {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    an = sub.add_parser(
        "analyze",
        help="score a corpus and write the CSV report, charts and HTML report",
        description="Score every article on the lexicons' categories and TF-IDF features; write "
        "report.csv, summary.csv, terms.csv, matches.csv, run.json, report.html and charts/ into --out.",
    )
    an.add_argument("corpus", nargs="+", metavar="CORPUS",
                    help="a folder (*.txt, *.md, recursive), a .txt file, a .csv or a .jsonl; several allowed")
    an.add_argument("--manifest", metavar="FILE",
                    help="CSV with file or id, outlet, source_type, title, date, url "
                    "(default: manifest.csv inside a corpus folder)")
    an.add_argument("--lexicon", action="append", metavar="PATH",
                    help="lexicon file (.yaml, .dic, .csv); repeatable; default: the built-in "
                    "frames, style and labels lexicons")
    an.add_argument("--out", default="reports", metavar="DIR", help="output folder (default: reports)")
    an.add_argument("--text-column", default="text", metavar="NAME",
                    help="text column of .csv/.jsonl input (default: text)")
    an.add_argument("--id-column", metavar="NAME",
                    help="id column of .csv/.jsonl input and of the manifest (default: id)")
    an.add_argument("--jobs", type=int, default=1, metavar="N",
                    help="processes for tokenizing (default 1); results are identical for any N")
    an.add_argument("--max-article-mb", type=float, default=MAX_ARTICLE_BYTES / 1e6, metavar="MB",
                    help="skip, with a warning, any article larger than this "
                    f"(default {MAX_ARTICLE_BYTES / 1e6:g} MB; a bigger one is nearly always a dump read by mistake)")
    an.add_argument("--html-articles", type=int, default=200, metavar="N",
                    help="articles shown with their full, highlighted text in report.html (default 200; "
                    "all are listed in its table)")
    an.add_argument("--no-charts", action="store_true", help="no charts (report.html is written without them)")
    an.add_argument("--quiet", action="store_true", help="no progress or warnings on stderr")

    lx = sub.add_parser("lexicon", help="work with lexicon files",
                        description="Work with lexicon files.")
    lsub = lx.add_subparsers(dest="lexicon_command", metavar="ACTION", parser_class=_Parser, required=True)
    ck = lsub.add_parser("check", help="report every problem in a lexicon as file:line: message",
                         description="Report every problem in a lexicon as file:line: severity: message. "
                         "Exit status 0 when there are no errors (warnings allowed), 2 otherwise.")
    ck.add_argument("path", nargs="+", metavar="PATH", help="lexicon file(s)")
    return parser


class _Progress:
    """Stage progress on stderr, at most one line a second."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < 1.0:
            return
        self.last = now
        self.stream.write(f"{stage}: {done}/{_count(total, 'article')}\n" if stage == "tokenize" else f"{stage}...\n")
        self.stream.flush()


def _check_out(out: str) -> None:
    """Refuse an output folder that cannot be one before the analysis, not
    after it. Nothing is created yet: a run that fails leaves no empty folder."""
    path = Path(out)
    if os.path.lexists(path):
        if not path.is_dir():
            raise OutputError(f"output path {out} is not a folder")
        return
    parent = path.parent
    while not os.path.lexists(parent) and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(f"cannot create output folder {out}: {parent} is not a folder")


def _analyze(args: argparse.Namespace, argv: list[str]) -> int:
    from .report.write import run_record, write_report

    err = sys.stderr
    if args.jobs < 1:
        raise InputError(f"--jobs must be at least 1, got {args.jobs}")
    jobs = min(args.jobs, os.cpu_count() or 1)
    if args.html_articles < 0:
        raise InputError(f"--html-articles must be 0 or more, got {args.html_articles}")
    if not (math.isfinite(args.max_article_mb) and args.max_article_mb > 0):
        raise InputError(f"--max-article-mb must be a positive number, got {args.max_article_mb:g}")
    _check_out(args.out)
    progress = None if args.quiet else _Progress(err)
    if not args.quiet:
        err.write("reading corpus...\n")
    result = analyze(
        args.corpus,
        lexicons=args.lexicon,
        manifest=args.manifest,
        text_column=args.text_column,
        id_column=args.id_column,
        jobs=jobs,
        progress=progress,
        max_article_bytes=max(1, round(args.max_article_mb * 1e6)),
    )
    if result.warnings and not args.quiet:  # quiet: they are still in run.json
        for w in result.warnings[:_MAX_WARNINGS_SHOWN]:
            err.write(f"warning: {_one_line(w)}\n")
        if len(result.warnings) > _MAX_WARNINGS_SHOWN:
            err.write(f"warning: ... and {len(result.warnings) - _MAX_WARNINGS_SHOWN} more (listed in run.json)\n")
    if not args.quiet:
        err.write("writing report...\n")
    options = {k: v for k, v in vars(args).items() if k not in ("command",)}
    record = run_record(result, argv=argv, options=options, version=__version__)
    written = write_report(
        result, args.out, record=record, charts=not args.no_charts, html_articles=args.html_articles
    )
    if not args.quiet:
        print(f"wrote {_count(len(written), 'file')} to {_one_line(args.out)} ({_count(len(result.scores), 'article')}, "
              f"{result.skipped:,} skipped, {_count(len(result.warnings), 'warning')})")
    return 0


def _check(args: argparse.Namespace) -> int:
    n_errors = 0
    for path in args.path:
        problems = check_lexicon(path)
        for pr in problems:
            print(_one_line(str(pr)))
        errors = sum(pr.severity == "error" for pr in problems)
        n_errors += errors
        if not problems:
            print(f"{path}: ok")
    if n_errors:
        sys.stderr.write(f"error: {_count(n_errors, 'error')} in {_count(len(args.path), 'lexicon file')}\n")
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "analyze":
            return _analyze(args, argv)
        if args.command == "lexicon" and args.lexicon_command == "check":
            return _check(args)
        parser.print_help(sys.stderr if args.command else sys.stdout)
        return 2 if args.command else 0
    except FramingError as exc:
        sys.stderr.write(f"error: {_one_line(str(exc))}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted; the report folder is whole (the previous report, or the new one"
                         " if it was being moved in)\n")
        return 130


def entry() -> None:
    """Console-script entry point."""
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (``framing lexicon check x | head``): stop quietly,
        # as the Python docs advise, without a traceback at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 1
    raise SystemExit(status)
