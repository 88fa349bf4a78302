"""``framing model train``: train the source-type classifier, or a model of any label column, and save it."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

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
                         "(cross-validated, as in evaluation.csv) and write it to --out. With --label, a model of "
                         "that column of the corpus instead, with its out-of-fold probabilities and evaluation.")
    add_corpus_options(tr)
    tr.add_argument("--out", required=True, metavar="FILE", help="the model file to write (JSON)")
    tr.add_argument("--label", metavar="COLUMN", default=None,
                    help="a column of the corpus table or manifest to train a model of (default: source_type: "
                    "the source-type classifier)")
    tr.add_argument("--oof", metavar="FILE", default=None,
                    help="with --label: the out-of-fold probabilities (CSV; default: beside --out, .oof.csv)")
    tr.add_argument("--evaluation", metavar="FILE", default=None,
                    help="with --label: the evaluation (CSV; default: beside --out, .evaluation.csv)")
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
    label = None if args.label in (None, "source_type") else args.label
    if label is None and (args.oof is not None or args.evaluation is not None):
        raise InputError("--oof and --evaluation are for a model of a label column (--label COLUMN); the "
                         "source-type classifier's evaluation is framing analyze's evaluation.csv")
    progress = progress_for(sys.stderr, quiet=args.quiet)
    try:
        result = analyze(args.corpus, lexicons=args.lexicon, csv_columns=csv, manifest=args.manifest,
                         text_column=args.text_column, id_column=args.id_column, jobs=jobs, progress=progress,
                         keep_texts=0, keep_rows=0, mask=not args.no_mask, max_article_bytes=max_bytes, label=label)
    finally:
        progress.close()
    if result.warnings and not args.quiet:
        for line in warning_lines(result.warnings):
            sys.stderr.write(line + "\n")
    if label is not None:
        return _save_label_model(args, result)
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


def beside(out: str, suffix: str) -> Path:
    """A file beside the model file: ``conflict.json`` -> ``conflict.oof.csv`` (``suffix``: ``.oof.csv``)."""
    return Path(out).with_suffix(suffix)


def _save_label_model(args: argparse.Namespace, result: object) -> int:
    """Write a label model, its out-of-fold probabilities and its evaluation; print one line of figures."""
    from ..model_file import save_model
    from ..outputs import write_file
    from ..report.label_tables import evaluation_csv, oof_csv

    model = result.label_model  # type: ignore[attr-defined]
    summary = dict(model.summary)
    path = save_model(model.trained, args.out, trained_on={
        **summary, "articles": result.n_articles,  # type: ignore[attr-defined]
        "corpus_sha256": result.corpus_sha256, "mask": not args.no_mask})  # type: ignore[attr-defined]
    oof = Path(args.oof) if args.oof else beside(args.out, ".oof.csv")
    evaluation = Path(args.evaluation) if args.evaluation else beside(args.out, ".evaluation.csv")
    write_file(oof, oof_csv(model), what=f"the out-of-fold probabilities to {oof}")
    write_file(evaluation, evaluation_csv(model), what=f"the evaluation to {evaluation}")
    if not args.quiet:
        figures = "; ".join(
            f"{name}: AUC {_figure(c['auc'])} (lexicon rate {_figure(c['lexicon_auc'])}"
            f"{' ' + c['lexicon_column'] if c['lexicon_column'] else ''}), F1 {_figure(c['f1'])} "
            f"(majority {_figure(c['majority_f1'])})"
            for name, c in summary["by_class"].items()
        )
        print(f"wrote {one_line(str(path))}: a model of {one_line(model.trained.label)} on "
              f"{plural(int(summary['n_articles']), 'labelled article')}, out of fold ({summary['folds']}): "
              f"{one_line(figures)}; probabilities in {one_line(str(oof))}, evaluation in {one_line(str(evaluation))}")
    return 0


def _figure(value: object) -> str:
    """A summary figure, or ``n/a`` where there is none (a class no held-out article had)."""
    return "n/a" if value is None else f"{float(value):.3f}"  # type: ignore[arg-type]
