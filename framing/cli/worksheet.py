"""``framing worksheet``: a classroom worksheet and its answer key from a corpus."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..english import plural
from ..errors import InputError, OutputError
from .common import (
    add_corpus_options,
    add_csv_options,
    csv_columns,
    max_article_bytes,
    one_line,
    warning_lines,
)

__all__ = ["PDF_TIMEOUT", "register"]

PDF_TIMEOUT = 120  # seconds Chromium may take to print one page set; a hung browser must not hang the run
_PAGES = ("worksheet", "answer_key")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``worksheet`` command to the top-level parser."""
    ws = sub.add_parser(
        "worksheet",
        help="write a classroom worksheet (articles A, B, C... without their outlets) and its answer key",
        description="Analyse a corpus and write worksheet.html (for students: the articles labelled A, B, C..., "
        "outlet names, bylines, datelines, credits and URLs hidden, with tasks) and answer_key.html (for the "
        "teacher: the outlets, the tool's evidence and the classifier's view) into --out, and PDFs of both "
        "when Chromium is installed.",
    )
    add_corpus_options(ws)
    ws.add_argument("--lexicon", action="append", metavar="PATH",
                    help="lexicon file (.yaml, .dic, .dicx, .csv); repeatable; default: the built-in "
                    "frames, news_frames, style and labels lexicons")
    add_csv_options(ws)
    ws.add_argument("--out", required=True, metavar="DIR", help="output folder (created if missing)")
    ws.add_argument("--seed", type=int, default=0, metavar="N",
                    help="seeds the order of the articles (default 0); the same seed gives the same worksheet")
    ws.add_argument("--articles", type=int, default=6, metavar="K",
                    help="at most this many articles, the first K of the seeded order (default 6)")
    ws.add_argument("--story", metavar="ID",
                    help="only the articles of one story (an id of stories.csv, e.g. s3, or 'largest'): one "
                    "event in several versions; default: any articles")
    ws.add_argument("--quiet", action="store_true", help="no progress, notes or warnings on stderr")
    ws.set_defaults(handler=_worksheet)


def _worksheet(args: argparse.Namespace, argv: list[str]) -> int:
    from ..analysis.mask import ReaderMask
    from ..api import analyze
    from ..outputs import check_output_folder, write_file
    from ..report.worksheet import choose_articles, render_worksheet
    from .progress import progress_for

    err = sys.stderr
    if args.seed < 0:
        raise InputError(f"--seed must be 0 or more, got {args.seed}")
    if args.articles < 1:
        raise InputError(f"--articles must be at least 1, got {args.articles}")
    max_bytes = max_article_bytes(args)
    csv = csv_columns(args, args.lexicon or [])
    check_output_folder(args.out)  # before the analysis, not after it
    progress = progress_for(err, quiet=args.quiet)
    try:
        result = analyze(
            args.corpus, lexicons=args.lexicon, csv_columns=csv, manifest=args.manifest, text_column=args.text_column,
            id_column=args.id_column, jobs=os.cpu_count() or 1, progress=progress, max_article_bytes=max_bytes,
            # Every text and row: the letters are drawn from the whole corpus, not its first articles by id.
            keep_texts=None, keep_rows=None,
        )
    finally:
        progress.close()
    notes = warning_lines(result.warnings)
    choice = choose_articles(result, seed=args.seed, max_articles=args.articles, story=args.story)
    # What is hidden from students depends on the articles shown: each one's outlet is hidden in all of them.
    hide = ReaderMask.for_outlets(a.outlet for a in choice.articles).spans
    sheet = render_worksheet(result, choice, hide=hide)
    if len(sheet.ids) < sheet.n_candidates:
        notes.append(f"note: the corpus has {plural(sheet.n_candidates, 'article')} with text; the worksheet shows "
                     f"{len(sheet.ids):,}, the first {len(sheet.ids):,} of the order of --seed {args.seed} "
                     "(answer_key.html names them)")

    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {out}: {exc.strerror or exc}") from exc
    written = []
    for name, data in (("worksheet", sheet.worksheet), ("answer_key", sheet.answer_key)):
        written.append(write_file(out / f"{name}.html", data))
    pdfs, note = _print_pdfs(out)
    written += pdfs
    if note:
        notes.append(f"note: {note}")
    if not args.quiet:
        for line in notes:
            err.write(line + "\n")
        print(f"wrote {plural(len(written), 'file')} to {one_line(str(out))} "
              f"({plural(len(sheet.ids), 'article')} of {sheet.n_candidates:,}, seed {args.seed})")
    return 0


def _temp_beside(path: Path) -> Path:
    """A name in ``path``'s folder (so the rename is atomic) that no other run uses."""
    return path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _print_pdfs(out: Path) -> tuple[list[Path], str]:
    """Print both pages to PDF with Chromium; return the PDFs written and a note (empty when all went well).

    No converter is not an error: the HTML pages print from any browser. A
    PDF of an earlier run that cannot be made again is removed, so the folder
    never holds a PDF of another worksheet beside the new HTML.
    """
    import shutil

    chromium = shutil.which("chromium")
    if chromium is None:
        stale = _remove_stale(out, _PAGES)
        return [], ("no PDF converter (chromium not found): print worksheet.html and answer_key.html from a browser"
                    + (f"; removed the {', '.join(stale)} of an earlier run" if stale else ""))
    written, failed = [], []
    for name in _PAGES:
        problem = _chromium_pdf(chromium, out / f"{name}.html", out / f"{name}.pdf")
        if problem:
            failed.append(f"{name}.pdf ({problem})")
        else:
            written.append(out / f"{name}.pdf")
    if not failed:
        return written, ""
    stale = _remove_stale(out, [n for n in _PAGES if out / f"{n}.pdf" not in written])
    return written, (f"chromium could not print {', '.join(failed)}: print the HTML from a browser"
                     + (f"; removed the {', '.join(stale)} of an earlier run" if stale else ""))


def _remove_stale(out: Path, names: list[str] | tuple[str, ...]) -> list[str]:
    stale = [f"{n}.pdf" for n in names if (out / f"{n}.pdf").is_file()]
    for name in stale:
        _remove(out / name)
    return stale


def _chromium_pdf(chromium: str, page: Path, pdf: Path) -> str:
    """Print ``page`` to ``pdf`` (atomically); return what went wrong, or ``""``."""
    import subprocess
    import tempfile

    tmp = _temp_beside(pdf)
    with tempfile.TemporaryDirectory(prefix="framing-chromium-") as profile:
        command = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
            "--no-pdf-header-footer", f"--print-to-pdf={tmp}", page.resolve().as_uri(),
        ]
        try:
            proc = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=PDF_TIMEOUT,
                                  check=False)
        except subprocess.TimeoutExpired:
            _remove(tmp)
            return f"no answer in {PDF_TIMEOUT} s"
        except OSError as exc:
            _remove(tmp)
            return one_line(exc.strerror or str(exc))
    if proc.returncode != 0 or not tmp.is_file() or tmp.stat().st_size == 0:
        _remove(tmp)
        return f"exit status {proc.returncode}" if proc.returncode else "no PDF came out"
    try:
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, pdf)
    except OSError as exc:
        _remove(tmp)
        return one_line(exc.strerror or str(exc))
    return ""
