"""``framing lexicon convert IN OUT``: rewrite a lexicon in another format."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..english import plural
from ..errors import InputError
from .common import add_csv_options, csv_columns, one_line

__all__ = ["add_convert"]


def add_convert(lsub: argparse._SubParsersAction) -> None:
    """Add the ``convert`` action to the ``lexicon`` command's sub-parsers."""
    # Named in words, not from framing.lexicon.writers: importing that here would load numpy for `framing --help`.
    formats = ("YAML, CSV, LIWC .dic, LIWC-22 .dicx, WordStat .cat, Lexicoder .lc3, Yoshikoder .ykd, "
               "NRC-style .txt or JSON")
    cv = lsub.add_parser("convert", help=f"write a lexicon in another format ({formats})",
                         description="Read the lexicon IN (any format framing reads) and write it to OUT in the "
                         f"format of OUT's extension ({formats}). What the target format cannot hold (weights "
                         "in .dic, descriptions outside YAML ...) is named in one 'warning:' line each on stderr. "
                         "Exit status 0 when OUT was written, 2 otherwise.")
    cv.add_argument("source", metavar="IN", help="lexicon file to read")
    cv.add_argument("target", metavar="OUT", help="file to write; its extension picks the format")
    cv.add_argument("--quanteda", action="store_true",
                    help="with a .yaml or .yml OUT: write quanteda's YAML (category: [terms], nested, as Newsmap's "
                    "dictionaries) instead of framing's")
    add_csv_options(cv)
    cv.set_defaults(handler=_convert)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _convert(args: argparse.Namespace, argv: list[str]) -> int:
    from ..lexicon.io import load_lexicon
    from ..lexicon.writers import WRITER_SUFFIXES
    from ..outputs import save_lexicon

    source, target = Path(args.source), Path(args.target)
    if target.suffix.lower() not in WRITER_SUFFIXES:
        shown = f"extension {target.suffix!r}" if target.suffix else "no extension"
        raise InputError(f"{target} has {shown}; the format is taken from it: use one of {', '.join(WRITER_SUFFIXES)}")
    if _same_file(source, target):
        raise InputError(f"{target} is the input file itself; write the converted lexicon to another file")
    if target.is_dir():
        raise InputError(f"{target} is a folder; give a file name")
    lexicon = load_lexicon(source, csv_columns=csv_columns(args, [source]))
    dropped = save_lexicon(lexicon, target, quanteda=args.quanteda)
    for warning in lexicon.warnings:  # already "file:line: warning: ..."
        sys.stderr.write(one_line(warning) + "\n")
    for message in dropped:
        sys.stderr.write(f"warning: {one_line(message)}\n")
    counts = f"{plural(len(lexicon.categories), 'category', 'categories')}, {plural(lexicon.n_entries, 'term')}"
    print(f"wrote {one_line(str(target))} ({counts})")
    return 0
