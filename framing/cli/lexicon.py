"""``framing lexicon ...``: work with lexicon files."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from typing import TYPE_CHECKING

from ..english import plural
from .common import add_csv_options, csv_columns, flags_named, one_line

if TYPE_CHECKING:
    from ..lexicon.model import Problem

__all__ = ["ACTIONS", "EXAMPLES_SHOWN", "problem_lines", "register"]

ACTIONS = ("check", "stats", "diff", "suggest", "convert")
# Warnings of one kind shown per file before the rest are counted: a LIWC dictionary has thousands of terms
# in two categories, which would bury the warnings that matter.
EXAMPLES_SHOWN = 3


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``lexicon`` command family to the top-level parser."""
    from .common import Parser

    lx = sub.add_parser("lexicon", help="work with lexicon files", description="Work with lexicon files.")
    lsub = lx.add_subparsers(dest="lexicon_command", metavar="ACTION", parser_class=Parser)
    lx.set_defaults(handler=lambda args, argv: _no_action(lx))
    ck = lsub.add_parser("check", help="report every problem in a lexicon as file:line: message",
                         description="Report every problem in every lexicon file as file:line: severity: message, "
                         "then each category's counts. Exit status 0 when there are no errors (warnings allowed), "
                         "2 otherwise.")
    ck.add_argument("path", nargs="+", metavar="PATH",
                    help="lexicon files or folders of them, or built-in names (frames, news_frames, style, labels)")
    ck.add_argument("-q", "--quiet", action="store_true", help="print the problems and one line per file, "
                    "not the counts of each category")
    ck.add_argument("--all", action="store_true", help=f"print every warning; by default, of each kind of warning "
                    f"a file has more than {EXAMPLES_SHOWN} of, the first {EXAMPLES_SHOWN} and a count")
    add_csv_options(ck)
    ck.set_defaults(handler=_check)
    from .convert import add_convert
    from .suggest import add_suggest
    from .workbench import add_lexicon_actions

    add_lexicon_actions(lsub)
    add_suggest(lsub)
    add_convert(lsub)


def _no_action(parser: argparse.ArgumentParser) -> int:
    parser.error(f"the following arguments are required: ACTION (one of: {', '.join(ACTIONS)})")
    return 2  # pragma: no cover - error() exits


def _check(args: argparse.Namespace, argv: list[str]) -> int:
    from ..lexicon.check import category_counts
    from ..lexicon.io import inspect_lexicon, lexicon_files

    n_errors = n_warnings = n_files = n_held = 0
    found = [(given, lexicon_files(given)) for given in args.path]
    csv = csv_columns(args, [f for _, files in found for f in files])
    for given, files in found:
        if not files:
            print(f"{one_line(str(given))}: warning: no lexicon files (.yaml, .yml, .csv, .dic, .dicx) in this folder")
            n_warnings += 1
        for path in files:
            n_files += 1
            lexicon, problems = inspect_lexicon(path, csv_columns=csv)
            lines, held = problem_lines(problems, every=args.all)
            for line in lines:
                print(line)
            n_held += held
            errors = sum(pr.severity == "error" for pr in problems)
            n_errors += errors
            n_warnings += len(problems) - errors
            if lexicon is None:
                continue
            verdict = "ok" if not problems else plural(len(problems), "warning")
            # lexicon.path: the file as given, or the real file of a built-in named by its name.
            print(f"{one_line(lexicon.path)}: {verdict}: lexicon {lexicon.name} ({lexicon.role}), "
                  f"{plural(len(lexicon.categories), 'category', 'categories')}, {plural(lexicon.n_entries, 'term')}")
            if not args.quiet:
                for counts in category_counts(lexicon):
                    print(f"  {one_line(str(counts))}")
    if n_held:
        print(f"note: {plural(n_held, 'warning')} not shown; framing lexicon check --all prints every one")
    if n_errors:
        sys.stderr.write(f"error: {plural(n_errors, 'error')} in {plural(n_files, 'lexicon file')}\n")
        return 2
    return 0


def problem_lines(problems: list[Problem], *, every: bool = False) -> tuple[list[str], int]:
    """The lines ``framing lexicon check`` prints for one file's problems, and how many warnings they hold back.

    Every error, in full. Of each kind of warning (``Problem.kind``) the
    first ``EXAMPLES_SHOWN``, in file order, then one line counting them all
    when there are more; a warning without a kind is a kind of its own and
    always shown. ``every``: every problem in full, nothing held back.
    """
    lines: list[str] = []
    counts: Counter[str] = Counter()
    for pr in problems:
        if pr.severity == "warning" and pr.kind and not every:
            counts[pr.kind] += 1
            if counts[pr.kind] > EXAMPLES_SHOWN:
                continue
        lines.append(one_line(flags_named(str(pr))))
    held = 0
    path = one_line(problems[0].path) if problems else ""
    for kind, n in counts.items():
        if n > EXAMPLES_SHOWN:
            held += n - EXAMPLES_SHOWN
            lines.append(f"{path}: note: {n:,} warnings of kind {kind}, the first {EXAMPLES_SHOWN} shown")
    return lines, held
