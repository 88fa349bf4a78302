"""``framing model train``: train the source-type classifier on a labelled corpus and save it."""

from __future__ import annotations

import argparse
import os
import sys

from ..english import plural
from ..errors import InputError
from .common import add_corpus_options, add_csv_options, csv_columns, max_article_bytes, one_line, warning_lines

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``model`` command family to the top-level parser."""
    md = sub.add_parser("model", help="train a source-type classifier and save it for later runs",
                        description="Train the classifier of framing analyze on a labelled corpus and save it "
                        "(JSON) for framing analyze --model.")
    msub = md.add_subparsers(dest="model_command", metavar="SUBCOMMAND")
    tr = msub.add_parser("train", help="train on a labelled corpus; write the model file",
                         description="Read and score the corpus as framing analyze does, train the classifier "
                         "(cross-validated, as in evaluation.csv) and write it to --out.")
    add_corpus_options(tr)
    tr.add_argument("--out", required=True, metavar="FILE", help="the model file to write (JSON)")
    tr.add_argument("--lexicon", action="append", metavar="PATH", help="as for framing analyze (default: built-in)")
    add_csv_options(tr)
    tr.add_argument("--jobs", type=int, default=None, metavar="N", help="processes (default: all cores)")
    tr.add_argument("--no-mask", action="store_true", help="as for framing analyze")
    tr.add_argument("--quiet", action="store_true", help="no progress on stderr")
    tr.set_defaults(handler=_train)
    md.set_defaults(handler=_no_subcommand)


def _no_subcommand(args: argparse.Namespace, argv: list[str]) -> int:
    raise InputError("framing model needs a subcommand: framing model train CORPUS... --out FILE")


def _train(args: argparse.Namespace, argv: list[str]) -> int:
    from ..api import analyze
    from ..model_file import save_model
    from .progress import progress_for

    jobs = (os.cpu_count() or 1) if args.jobs is None else min(args.jobs, os.cpu_count() or 1)
    max_bytes = max_article_bytes(args)
    csv = csv_columns(args, args.lexicon or [])
    progress = progress_for(sys.stderr, quiet=args.quiet)
    try:
        result = analyze(args.corpus, lexicons=args.lexicon, csv_columns=csv, manifest=args.manifest,
                         text_column=args.text_column, id_column=args.id_column, jobs=jobs, progress=progress,
                         keep_texts=0, keep_rows=0, mask=not args.no_mask, max_article_bytes=max_bytes)
    finally:
        progress.close()
    if result.warnings and not args.quiet:
        for line in warning_lines(result.warnings):
            sys.stderr.write(line + "\n")
    trained = result.classifier
    if trained is None:
        why = str(result.evaluation_summary.get("why") or "no labelled articles")
        raise InputError(f"no model could be trained: {why}")
    summary = dict(result.evaluation_summary)
    path = save_model(trained, args.out, trained_on={**summary, "articles": result.n_articles,
                                                    "corpus_sha256": result.corpus_sha256, "mask": not args.no_mask})
    if not args.quiet:
        print(f"wrote {one_line(str(path))}: {', '.join(trained.classes)}; cross-validated macro-F1 "
              f"{summary.get('macro_f1_classifier')} ({summary.get('folds')}; TF-IDF only "
              f"{summary.get('macro_f1_tfidf_only')}, majority {summary.get('macro_f1_majority')}); "
              f"{plural(result.n_articles, 'article')} read, {result.skipped:,} skipped, "
              f"{plural(len(result.warnings), 'warning')}")
    return 0
