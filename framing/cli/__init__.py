"""The ``framing`` command: parse options, call the library, print one line per problem.

Thin by design: one module per command family (``analyze``, ``lexicon``,
``model``, ``workbench`` for ``kwic``, ``worksheet``, ``cache``),
each registering its sub-parser and its handler. Every ``FramingError``
becomes ``error: <message>`` on stderr and exit status 2; so do bad options.
Anything else is a bug and keeps its traceback. Nothing heavy is imported
until a command runs, so ``framing --help`` answers at once.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from ..errors import FramingError
from ..version import __version__
from . import analyze, cache, lexicon, model, workbench, worksheet
from .common import Parser, error_line

__all__ = ["build_parser", "entry", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The ``framing`` command's parser, every subcommand registered (the docs tests walk it)."""
    parser = Parser(
        prog="framing",
        description="Bias and framing analysis of news: score articles on framing dimensions "
        "and compare how state media, wire agencies and independent commentary frame events.",
    )
    parser.add_argument("--version", action="version", version=f"framing {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    analyze.register(sub)
    lexicon.register(sub)
    model.register(sub)
    workbench.register(sub)
    worksheet.register(sub)
    cache.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # said by the command that was given, so that its --help is the one named
        _command_parser(parser, args).error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command is None:
        parser.print_help(sys.stdout)
        return 0
    try:
        return int(args.handler(args, argv))
    except FramingError as exc:
        sys.stderr.write(f"error: {error_line(exc)}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted; the report folder is whole (the previous report, or the new one"
                         " if it was being moved in)\n")
        return 130


def _command_parser(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.ArgumentParser:
    """The parser of the (sub)command ``args`` were parsed for: ``framing lexicon check``'s, say."""
    while True:
        chosen = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]  # argparse keeps no public list
        name = getattr(args, chosen[0].dest, None) if chosen else None
        if name is None or name not in chosen[0].choices:
            return parser
        parser = chosen[0].choices[name]


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
