"""``framing lexicon stats``, ``framing lexicon diff`` and ``framing kwic``: look at what a lexicon counts.

Thin: options in, ``framing.workbench`` does the counting, files are written
here (each to a temporary file in the output folder, then renamed into
place, so a file is never seen half-written).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

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
    warning_lines,
)

if TYPE_CHECKING:
    import pandas as pd

    from ..corpus import CorpusReader
    from ..workbench.stats import LexiconStats

__all__ = ["add_lexicon_actions", "register"]

_SMALL_GROUP = 10  # fewer articles of a source type than this: its coverage is said to rest on few articles
_MOST_MOVED = 8  # category x source type rows shown by diff


# ------------------------------------------------------------------ options


def _corpus_options(p: argparse.ArgumentParser) -> None:
    """The corpus options of ``framing analyze``, ``--no-cache`` and ``--quiet``."""
    add_corpus_options(p)
    add_cache_option(p)
    p.add_argument("--quiet", action="store_true", help="no progress or warnings on stderr")


def add_lexicon_actions(lsub: argparse._SubParsersAction) -> None:
    """Add ``stats`` and ``diff`` to the ``lexicon`` command's actions."""
    st = lsub.add_parser(
        "stats", help="how often each term and category of a lexicon matches a corpus",
        description="Scan a corpus with one lexicon and write term_stats.csv (hits per term, overall and per "
        "source type) and category_stats.csv (hits, coverage, top term, never-matched terms) into --out; "
        "print a table per category and warn where one term supplies over half a category's hits. "
        "See docs/workbench.md.")
    st.add_argument("lexicon", metavar="LEXICON",
                    help="lexicon file, or the name of a built-in (frames, news_frames, style, labels)")
    _corpus_options(st)
    add_csv_options(st)
    st.add_argument("--out", default="reports/lexicon-stats", metavar="DIR",
                    help="output folder (default: reports/lexicon-stats)")
    st.add_argument("--label", metavar="COLUMN", default=None,
                    help="a column of the corpus table or manifest that people coded (a frame: true/false); adds "
                    "each term's lift and each category's ROC AUC for every value of it")
    st.set_defaults(handler=_stats)

    df = lsub.add_parser(
        "diff", help="what changes between two versions of a lexicon, in terms and in rates",
        description="Compare two lexicons category by category (by category id, so their names may differ): "
        "write diff_terms.csv (terms added, removed, reweighted), diff_articles.csv (each article's rate per "
        "category under both) and diff_summary.csv (mean rates per source type) into --out. See docs/workbench.md.")
    df.add_argument("old", metavar="OLD", help="the old lexicon (file or built-in name)")
    df.add_argument("new", metavar="NEW", help="the new lexicon (file or built-in name)")
    _corpus_options(df)
    add_csv_options(df)
    df.add_argument("--out", default="reports/lexicon-diff", metavar="DIR",
                    help="output folder (default: reports/lexicon-diff)")
    df.set_defaults(handler=_diff)


def register(sub: argparse._SubParsersAction) -> None:
    """Add the top-level ``kwic`` command."""
    kw = sub.add_parser(
        "kwic", help="every counted occurrence of a term or category, in context",
        description="Keyword in context from the lexicon matcher, so it shows exactly what framing analyze "
        "counts. TERM|CATEGORY is a category (lexicon.category, or a bare category id), a term as written in a "
        "lexicon (sanction*, 'trade war'), or any other term (matched on its own). Lines are in article id "
        "order, then position; negated matches are marked and do not count. See docs/workbench.md.")
    kw.add_argument("target", metavar="TERM|CATEGORY", help="a term or a category")
    _corpus_options(kw)
    kw.add_argument("--lexicon", action="append", metavar="PATH",
                    help="lexicon file; repeatable; default: the built-in frames, news_frames, style and labels lexicons")
    add_csv_options(kw)
    kw.add_argument("--width", type=int, default=40, metavar="N", help="characters of context each side (default 40)")
    kw.add_argument("--limit", type=int, default=None, metavar="N",
                    help="show only the first N occurrences (in article id order)")
    kw.add_argument("--csv", metavar="FILE",
                    help="write the occurrences to this CSV file instead of printing them")
    kw.set_defaults(handler=_kwic)


# ------------------------------------------------------------------ shared


def _reader(args: argparse.Namespace) -> CorpusReader:
    return corpus_reader(args)


def _warn(lines: list[str], quiet: bool) -> None:
    if quiet:
        return
    for line in warning_lines(lines):
        sys.stderr.write(line + "\n")


def _output(path: Path) -> AbstractContextManager[BinaryIO]:
    """The file ``path`` is written through (``framing.outputs.atomic_file``), its folder made first."""
    from ..outputs import atomic_file

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return atomic_file(path)


def _check_out(out: str) -> Path:
    from ..outputs import check_output_folder

    check_output_folder(out)  # before the scan, not after it
    return Path(out)


def _pct(value: float) -> str:
    import math

    return "" if math.isnan(value) else f"{value:.1%}"


# ------------------------------------------------------------------ stats


def _stats(args: argparse.Namespace, argv: list[str]) -> int:
    from ..cells import csv_bytes
    from ..lexicon.io import load_lexicon
    from ..types import SOURCE_TYPES
    from ..workbench.stats import lexicon_stats
    from .progress import progress_for

    lexicon = load_lexicon(args.lexicon, csv_columns=csv_columns(args, [args.lexicon]))  # a file, or a built-in
    out = _check_out(args.out)
    labels = None
    if args.label is not None:
        from ..corpus.labels import read_labels

        labels = read_labels(args.corpus, args.label, manifest=args.manifest, id_column=args.id_column,
                             text_column=args.text_column, max_article_bytes=max_article_bytes(args))
    reader = _reader(args)
    progress = progress_for(sys.stderr, quiet=args.quiet)
    try:
        tables, trim = token_tables(args)
        result = lexicon_stats(reader, lexicon, progress=progress, labels=labels, tables=tables)
        trim()
    finally:
        progress.close()
    terms, categories = result.term_table(), result.category_table()
    for name, frame in (("term_stats.csv", terms), ("category_stats.csv", categories)):
        with _output(out / name) as f:
            f.write(csv_bytes(frame))

    _warn([*reader.warnings, *lexicon.warnings], args.quiet)
    n_by_type = dict(zip(SOURCE_TYPES, result.n_by_type.tolist()))
    groups = ", ".join(f"{t} {n:,}" for t, n in n_by_type.items() if n)
    print(f"{one_line(lexicon.name)}: {plural(result.n_articles, 'article')} ({groups})")
    width = max([len("category"), *(len(f"{r.lexicon}.{r.category}") for r in categories.itertuples())])
    print(f"{'category':<{width}}  {'hits':>9}  {'coverage':>8}  {'top share':>9}  {'never matched':>13}  top term")
    for r in categories.itertuples(index=False):
        never = f"{r.terms_never_matched}/{r.terms}"
        flag = " (!)" if r.top_term_over_half else ""
        print(f"{one_line(f'{r.lexicon}.{r.category}'):<{width}}  {r.hits:>9,}  {_pct(r.coverage):>8}  "
              f"{_pct(r.top_term_share):>9}  {never:>13}  {one_line(r.top_term)}{flag}")
    if result.values:
        _print_label_figures(categories, result, args.label)
    if not args.quiet:
        for column, term, share, hits in result.dominated():
            sys.stderr.write(f"warning: {one_line(column)}: \"{one_line(term)}\" supplies {share:.1%} of its "
                             f"{plural(hits, 'hit')}; its rate mostly measures that one term\n")
        for t, n in n_by_type.items():
            if 0 < n < _SMALL_GROUP:
                sys.stderr.write(f"note: coverage_{t} rests on {plural(n, 'article')}; "
                                 "a share of so few says little\n")
        print(f"wrote term_stats.csv and category_stats.csv to {one_line(str(out))}")
    return 0


def _print_label_figures(categories: pd.DataFrame, result: LexiconStats, column: str) -> None:
    """Each category's ROC AUC for each value of the label, and how many articles each value has."""
    values = result.values
    counts = ", ".join(f"{one_line(v)} {n:,}" for v, n in zip(values, result.n_by_value.tolist()))
    print(f"ROC AUC of each category's rate for each value of {one_line(column)} against the other labelled "
          f"articles ({counts}; 0.5 is chance):")
    for r in categories.to_dict("records"):
        figures = "  ".join(f"{one_line(v)} {_auc(float(r[f'auc_{v}']))}" for v in values)
        print(f"  {one_line(str(r['lexicon']) + '.' + str(r['category']))}: {figures}")


def _auc(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.3f}"  # NaN: the value has no article, or every one


# ------------------------------------------------------------------ diff


def _diff(args: argparse.Namespace, argv: list[str]) -> int:
    from ..lexicon.io import load_lexicon
    from ..workbench.diff import lexicon_diff
    from .progress import progress_for

    csv = csv_columns(args, [args.old, args.new])
    old, new = load_lexicon(args.old, csv_columns=csv), load_lexicon(args.new, csv_columns=csv)
    out = _check_out(args.out)
    reader = _reader(args)
    progress = progress_for(sys.stderr, quiet=args.quiet)
    try:
        with _output(out / "diff_articles.csv") as f:
            tables, trim = token_tables(args)
            result = lexicon_diff(reader, old, new, sink=f.write, progress=progress, tables=tables)
            trim()
    finally:
        progress.close()
    with _output(out / "diff_terms.csv") as f:
        f.write(result.terms_csv())
    with _output(out / "diff_summary.csv") as f:
        f.write(result.summary_csv())

    _warn([*reader.warnings, *old.warnings, *new.warnings], args.quiet)
    print(f"{one_line(old.name)} -> {one_line(new.name)} on {plural(result.n_articles, 'article')}")
    _print_term_changes(result.term_rows)
    _print_moves(result.summary_rows)
    if not args.quiet:
        print(f"wrote diff_terms.csv, diff_articles.csv and diff_summary.csv to {one_line(str(out))}")
    return 0


def _print_term_changes(rows: list[tuple[str, str, str, float, float]]) -> None:
    """Per category: how many terms were added, removed and reweighted (rows of ``diff_terms.csv``)."""
    changed = list(dict.fromkeys(r[0] for r in rows))
    if not changed:
        print("no term added, removed or reweighted")
    for cid in changed:
        counts = Counter(r[1] for r in rows if r[0] == cid)
        whole = next((c for c in ("category_added", "category_removed") if counts[c]), "")
        parts = [f"{counts[k]:,} {k}" for k in ("added", "removed", "reweighted") if counts[k]]
        label = f" ({whole.replace('_', ' ')})" if whole else ""
        print(f"  {one_line(cid)}{label}: {', '.join(parts) or 'no terms'}")


def _print_moves(rows: list[tuple[str, str, int, float, float, float, str]]) -> None:
    """The ``_MOST_MOVED`` largest changes of a mean rate (rows of ``diff_summary.csv``), largest first."""
    moved = [r for r in rows if not math.isnan(r[5]) and r[5] != 0]
    if not moved:
        print("no mean rate moves")
        return
    print("largest moves in mean rate (per 1,000 tokens):")
    # Ties in size go by category, then source type (a stable sort keeps the rest in file order).
    for category, source_type, n, old_mean, new_mean, change, note in sorted(
            moved, key=lambda r: (-abs(r[5]), r[0], r[1]))[:_MOST_MOVED]:
        note = f"  ({note})" if note else ""
        print(f"  {one_line(category)}  {source_type}  {old_mean:.3f} -> {new_mean:.3f} "
              f"({change:+.3f}, n={n:,}){note}")


# ------------------------------------------------------------------ kwic


def _kwic(args: argparse.Namespace, argv: list[str]) -> int:
    from ..lexicon.io import load_lexicons
    from ..workbench.kwic import kwic, kwic_csv, kwic_line, resolve_target
    from .progress import progress_for

    lexicons = load_lexicons(args.lexicon, csv_columns=csv_columns(args, args.lexicon or []))
    target = resolve_target(args.target, lexicons)
    if args.csv:
        csv_path = Path(args.csv)
        if csv_path.is_dir():
            raise OutputError(f"--csv {args.csv} is a folder; give a file name")
    reader = _reader(args)
    progress = progress_for(sys.stderr, quiet=args.quiet)
    try:
        tables, trim = token_tables(args)
        rows = kwic(reader, target, width=args.width, limit=args.limit, progress=progress, tables=tables)
        trim()
    finally:
        progress.close()
    _warn([*reader.warnings, *(w for lx in lexicons for w in lx.warnings)], args.quiet)
    if target.note and not args.quiet:
        sys.stderr.write(f"note: {one_line(target.note)}\n")
    if args.csv:
        with _output(csv_path) as f:
            f.write(kwic_csv(rows))
    else:
        several = target.n_categories > 1
        for row in rows:
            print(kwic_line(row, args.width, with_category=several))
    if not args.quiet:
        negated = sum(r.negated for r in rows)
        shown = f" (the first {args.limit:,})" if args.limit is not None and len(rows) == args.limit else ""
        what = {"category": "category", "term": "lexicon term", "adhoc": "ad-hoc term"}[target.kind]
        wrote = f"; wrote {one_line(args.csv)}" if args.csv else ""
        sys.stderr.write(f"{plural(len(rows), 'occurrence')}{shown} of {what} {one_line(args.target)}, "
                         f"{negated:,} negated, in {plural(len({r.article_id for r in rows}), 'article')}{wrote}\n")
    return 0
