"""``framing lexicon suggest``: candidate terms for a category, for a person to review (nothing is added)."""

from __future__ import annotations

import argparse
import os
import sys

from ..english import plural
from ..errors import OutputError
from .common import (
    add_cache_option,
    add_corpus_options,
    add_csv_options,
    corpus_reader,
    csv_columns,
    max_article_bytes,
    one_line,
    token_tables,
)

__all__ = ["add_suggest"]

_EXAMPLE_CHARS = 70  # of the first example, in the printed table (the CSV has both, whole)


def add_suggest(lsub: argparse._SubParsersAction) -> None:
    """Add the ``suggest`` action to the ``lexicon`` command's sub-parsers."""
    sg = lsub.add_parser(
        "suggest",
        help="list candidate terms for a category, ranked by association with its matches (adds nothing)",
        description="Rank the words (and, with --phrases, two-word phrases) that the sentences matching a "
        "category use more than the other sentences: log-odds ratio with an informative Dirichlet prior "
        "(z-score) and PMI, with two example contexts each. Nothing is added to the lexicon: review the "
        "candidates, then edit the lexicon file yourself. The numbers are explained in docs/suggest.md.",
    )
    sg.add_argument("category", metavar="CATEGORY",
                    help="lexicon.category (e.g. frames.war_conflict), or a category id that only one lexicon has")
    add_corpus_options(sg)
    add_cache_option(sg)
    sg.add_argument("--lexicon", action="append", metavar="PATH",
                    help="lexicon file (.yaml, .dic, .dicx, .csv); repeatable; default: the built-in "
                    "frames, news_frames, style and labels lexicons")
    add_csv_options(sg)
    sg.add_argument("--min-count", type=int, default=5, metavar="N",
                    help="matching sentences a candidate must occur in (default 5)")
    sg.add_argument("--top", type=int, default=30, metavar="K", help="candidates listed (default 30)")
    sg.add_argument("--phrases", action="store_true", help="also rank pairs of adjacent words")
    sg.add_argument("--out", metavar="FILE.csv", help="also write the candidates, with every column, to this CSV file")
    sg.add_argument("--quiet", action="store_true", help="no progress, warnings or notes on stderr")
    sg.set_defaults(handler=_suggest)


def _suggest(args: argparse.Namespace, argv: list[str]) -> int:
    from ..analysis.match import compile_lexicons
    from ..cells import csv_bytes
    from ..lexicon.io import load_lexicons
    from ..outputs import write_file
    from ..workbench.suggest import find_category, suggest_terms
    from .progress import progress_for

    err = sys.stderr
    max_article_bytes(args)  # a bad value fails before anything is read
    if args.out is not None:
        _check_target(args.out)
    lexicons = load_lexicons(args.lexicon, csv_columns=csv_columns(args, args.lexicon or []))
    lex = compile_lexicons(lexicons)
    find_category(lex, args.category)  # an unknown name fails before the corpus is read
    reader = corpus_reader(args)
    progress = progress_for(err, quiet=args.quiet)
    tables, trim = token_tables(args)
    try:
        found = suggest_terms(
            reader, lex, args.category, min_count=args.min_count, top=args.top, phrases=args.phrases,
            progress=lambda stage, done, total: progress(stage, done, reader.estimated_total(done)),
            tables=tables,
        )
        trim()
    finally:
        progress.close()
    if not args.quiet:
        for w in [*reader.warnings, *(w for lx in lexicons for w in lx.warnings)]:
            err.write(f"warning: {one_line(w)}\n")
        for note in found.notes:
            err.write(f"note: {one_line(note)}\n")
    table = found.table
    sys.stdout.write(format_table(table))
    print(f"{found.category}: {found.n_matching:,} of {plural(found.n_sentences, 'sentence')} match, in "
          f"{plural(found.n_articles, 'article')}; {plural(found.compared, 'candidate')} compared, "
          f"{len(table):,} listed (in {args.min_count}+ matching sentences, z > 0).")
    print("Nothing was added to the lexicon. These are associations, not synonyms: read each candidate's "
          "examples before adding it to the lexicon file by hand.")
    if args.out is not None:
        write_file(args.out, csv_bytes(table))
        print(f"wrote {one_line(str(args.out))}")
    return 0


def format_table(table: object) -> str:
    """The candidates as aligned text columns, one line each (the first example cut to fit)."""
    head = ("rank", "term", "z", "log_odds", "in", "out", "docs", "pmi", "example")
    rows = [head]
    for r in table.itertuples(index=False):  # type: ignore[attr-defined]
        example = one_line(r.example_1)
        if len(example) > _EXAMPLE_CHARS:
            example = example[: _EXAMPLE_CHARS - 3] + "..."
        rows.append((str(r.rank), one_line(r.term), f"{r.z:.2f}", f"{r.log_odds:.2f}", str(r.count_in),
                     str(r.count_out), str(r.docs), f"{r.pmi:.2f}", example))
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    numeric = {0, 2, 3, 4, 5, 6, 7}
    lines = [
        "  ".join(cell.rjust(w) if i in numeric else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths))).rstrip()
        for row in rows
    ]
    return "\n".join(lines) + "\n"


def _check_target(path: str) -> None:
    """Fail before the run, not after it, when ``path`` cannot be written."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise OutputError(f"--out {path} is a folder; give a file name such as candidates.csv")
    if not os.path.isdir(folder):
        raise OutputError(f"cannot write {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise OutputError(f"cannot write {path}: the folder {folder} is not writable")
