"""``framing lexicon ...``: work with lexicon files."""

from __future__ import annotations

import argparse
import sys

from .common import one_line, plural

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``lexicon`` command family to the top-level parser."""
    from .common import Parser

    lx = sub.add_parser("lexicon", help="work with lexicon files", description="Work with lexicon files.")
    lsub = lx.add_subparsers(dest="lexicon_command", metavar="ACTION", parser_class=Parser)
    lx.set_defaults(handler=lambda args, argv: _no_action(lx))
    ck = lsub.add_parser("check", help="report every problem in a lexicon as file:line: message",
                         description="Report every problem in a lexicon as file:line: severity: message. "
                         "Exit status 0 when there are no errors (warnings allowed), 2 otherwise.")
    ck.add_argument("path", nargs="+", metavar="PATH", help="lexicon file(s)")
    ck.set_defaults(handler=_check)


def _no_action(parser: argparse.ArgumentParser) -> int:
    parser.error("the following arguments are required: ACTION (one of: check)")
    return 2  # pragma: no cover - error() exits


def _check(args: argparse.Namespace, argv: list[str]) -> int:
    from ..lexicon.io import check_lexicon

    n_errors = 0
    for path in args.path:
        problems = check_lexicon(path)
        for pr in problems:
            print(one_line(str(pr)))
        errors = sum(pr.severity == "error" for pr in problems)
        n_errors += errors
        if not problems:
            print(f"{one_line(str(path))}: ok")
    if n_errors:
        sys.stderr.write(f"error: {plural(n_errors, 'error')} in {plural(len(args.path), 'lexicon file')}\n")
        return 2
    return 0
