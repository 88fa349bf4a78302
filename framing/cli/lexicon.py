"""``framing lexicon ...``: work with lexicon files."""

from __future__ import annotations

import argparse
import sys

from ..english import plural
from .common import one_line

__all__ = ["ACTIONS", "register"]

ACTIONS = ("check", "stats", "diff", "suggest", "convert")


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
                    help="lexicon files or folders of them, or built-in names (frames, style, labels)")
    ck.add_argument("-q", "--quiet", action="store_true", help="print the problems and one line per file, "
                    "not the counts of each category")
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

    n_errors = n_warnings = n_files = 0
    for given in args.path:
        files = lexicon_files(given)
        if not files:
            print(f"{one_line(str(given))}: warning: no lexicon files (.yaml, .yml, .csv, .dic, .dicx) in this folder")
            n_warnings += 1
        for path in files:
            n_files += 1
            lexicon, problems = inspect_lexicon(path)
            for pr in problems:
                print(one_line(str(pr)))
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
    if n_errors:
        sys.stderr.write(f"error: {plural(n_errors, 'error')} in {plural(n_files, 'lexicon file')}\n")
        return 2
    return 0
