"""Lexicon files: the one place that reads them from disk.

``load_lexicon`` and ``check_lexicon`` find the file (``lexicon_path``: a
path, or the name of a built-in lexicon), read the bytes, decode them
(``decode_lexicon``) and hand the text to
``framing.lexicon.formats.parse_lexicon``.
"""

from __future__ import annotations

import codecs
import hashlib
import importlib.resources
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ..errors import InputError, LexiconError
from .formats import LEXICON_SUFFIXES, CsvColumns, parse_lexicon
from .model import Collector, Lexicon, Problem

__all__ = [
    "BUILTIN_LEXICONS",
    "builtin_lexicon_paths",
    "check_lexicon",
    "decode_lexicon",
    "inspect_lexicon",
    "lexicon_files",
    "lexicon_path",
    "load_lexicon",
    "load_lexicons",
    "require_csv",
]

BUILTIN_LEXICONS = ("frames.yaml", "news_frames.yaml", "style.yaml", "labels.yaml")


def builtin_lexicon_paths() -> list[Path]:
    """The built-in ``frames``, ``news_frames``, ``style`` and ``labels`` lexicons.

    An installed wheel carries them in the package (``framing/lexicons/``,
    copied from the project's ``lexicons/`` folder when the wheel is built;
    see setup.py). A checkout or an editable install has no such folder and
    reads the project's ``lexicons/`` itself, so an edit there takes effect
    at once.
    """
    # From the package, not from this module's file, so moving the module
    # within the package changes nothing.
    package = Path(str(importlib.resources.files("framing")))
    packaged = package / "lexicons"
    root = packaged if packaged.is_dir() else package.resolve().parent / "lexicons"
    return [root / name for name in BUILTIN_LEXICONS]


def _builtin_names() -> str:
    return ", ".join(Path(name).stem for name in BUILTIN_LEXICONS)


def _not_found(name: str | os.PathLike[str]) -> Problem:
    # Worded like the OSError of a missing path ("cannot read: ..."), with the names it could have meant.
    return Problem(str(name), 0, "error", "cannot read: No such file or directory, and not the name of a "
                   f"built-in lexicon ({_builtin_names()})")


def lexicon_path(name: str | os.PathLike[str]) -> Path:
    """The file of a lexicon as the user names it: a path, or the name of a built-in lexicon.

    The one place that turns what a user calls a lexicon into a file, so that
    ``load_lexicon``, ``check_lexicon`` and every command accept the same names:

    * a file (or folder) that exists is itself: a file ``style.yaml`` in the
      working folder wins over the built-in ``style.yaml``;
    * a name with no folder in it that is not there is a built-in, by name:
      ``frames``, ``style`` or ``labels``, with or without ``.yaml``;
    * any other path is returned as given, and reading it says what is wrong.

    A name with no folder in it that is neither raises ``LexiconError``,
    naming the built-in names.

    >>> lexicon_path("style").name
    'style.yaml'
    """
    given = os.fspath(name)
    if os.path.lexists(given) or os.path.dirname(given):  # "./style" is a path: only a bare name can be a built-in
        return Path(given)
    for builtin in builtin_lexicon_paths():
        if given in (builtin.stem, builtin.name):
            return builtin
    problem = _not_found(name)
    raise LexiconError(str(problem), [str(problem)])


def decode_lexicon(data: bytes, col: Collector) -> str | None:
    """The text of a lexicon file's bytes; ``None`` (with an error in ``col``) when they are not text.

    UTF-8, with or without a byte-order mark; UTF-16 when the file starts
    with its byte-order mark; otherwise cp1252 (Windows-1252), in which LIWC
    2007 translations and many spreadsheets' CSV come, with a warning, as
    for an article (``framing.corpus.decode``). Bytes that cp1252 leaves
    undefined (0x81, 0x8d, 0x8f, 0x90, 0x9d), or NUL bytes, are an error on
    their line rather than read as latin-1: such a file is in some other
    encoding, and a lexicon read in the wrong one would count the wrong words.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            col.error(1, "starts with a UTF-16 byte-order mark but is not valid UTF-16; save the lexicon as UTF-8")
            return None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        col.error(line, "holds NUL bytes: a binary file, or UTF-16 without a byte-order mark; save the lexicon as "
                  "UTF-8")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col.error(line, f"neither UTF-8 nor cp1252 (Windows-1252): byte 0x{data[exc.start]:02x} means nothing in "
                  "cp1252; save the lexicon as UTF-8")
        return None
    col.warn(1, "not UTF-8; decoded as cp1252 (Windows-1252)", kind="encoding")
    return text


def _read(path: str | os.PathLike[str], csv_columns: CsvColumns | None) -> tuple[Lexicon | None, list[Problem]]:
    try:
        p = lexicon_path(path)
    except LexiconError:
        return None, [_not_found(path)]
    # Messages name the file as the user gave it, except a built-in, which is named by its real path.
    shown = str(path) if p == Path(path) else str(p)
    col = Collector(shown)
    try:
        data = p.read_bytes()
    except OSError as exc:
        col.error(0, f"cannot read: {exc.strerror or exc}")
        return None, col.problems
    text = decode_lexicon(data, col)
    if text is None:
        return None, col.problems
    lexicon, problems = parse_lexicon(text, suffix=p.suffix, path=shown, sha256=hashlib.sha256(data).hexdigest(),
                                      stem=p.stem, csv_columns=csv_columns)
    if col.problems and lexicon is not None:  # the decoding warning is the file's too
        lexicon = replace(lexicon, warnings=tuple(str(pr) for pr in col.problems) + lexicon.warnings)
    return lexicon, col.problems + problems


def check_lexicon(path: str | os.PathLike[str], *, csv_columns: CsvColumns | None = None) -> list[Problem]:
    """Every problem in the lexicon at ``path``, errors and warnings, in file order (see ``inspect_lexicon``)."""
    return inspect_lexicon(path, csv_columns=csv_columns)[1]


def inspect_lexicon(
    path: str | os.PathLike[str], *, csv_columns: CsvColumns | None = None
) -> tuple[Lexicon | None, list[Problem]]:
    """The lexicon at ``path`` (``None`` when it has errors) and every problem in it, in file order.

    ``path`` may also name a built-in lexicon (see ``lexicon_path``).
    ``csv_columns``: how to read a CSV lexicon (``CsvColumns``); ignored for
    the other formats.

    Besides what reading finds, the whole-lexicon checks of
    ``framing.lexicon.check``; a YAML file with syntax errors gives all of
    them at once (the line of each is blanked and the rest read again).
    """
    from .check import lexicon_problems

    lexicon, problems = _read(path, csv_columns)
    if lexicon is not None:
        problems = problems + lexicon_problems(lexicon)
    if any(pr.severity == "error" for pr in problems):
        lexicon = None
    seen: set[tuple[int, str, str]] = set()
    unique = []
    for pr in sorted(problems, key=lambda pr: (pr.line, pr.severity != "error")):
        if (pr.line, pr.severity, pr.message) not in seen:
            seen.add((pr.line, pr.severity, pr.message))
            unique.append(pr)
    return lexicon, unique


def lexicon_files(path: str | Path) -> list[Path]:
    """``path`` itself, or, for a folder, the lexicon files in it (any depth, sorted; hidden ones left out)."""
    p = Path(path)
    if not p.is_dir():
        return [p]
    return sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in LEXICON_SUFFIXES
                  and not any(part.startswith(".") for part in f.relative_to(p).parts))


def load_lexicon(path: str | os.PathLike[str], *, csv_columns: CsvColumns | None = None) -> Lexicon:
    """Read a lexicon (``.yaml``, ``.yml``, ``.dic``, ``.dicx`` or ``.csv``), or a built-in by name.

    ``path`` is a file, or ``frames``, ``style`` or ``labels`` (see
    ``lexicon_path``: a file of that name in the working folder wins).
    ``csv_columns`` says how to read a CSV lexicon laid out otherwise than
    framing writes it (``CsvColumns``: long or wide, which columns); the
    other formats ignore it.
    Raises ``LexiconError`` listing every error with its line; warnings (such as
    a duplicate term) are kept in ``Lexicon.warnings``.

    >>> load_lexicon("frames").name
    'frames'
    """
    lexicon, problems = _read(path, csv_columns)
    errors = [str(pr) for pr in problems if pr.severity == "error"]
    if errors or lexicon is None:
        more = f" (and {len(errors) - 1} more; run 'framing lexicon check {path}')" if len(errors) > 1 else ""
        raise LexiconError(f"{errors[0]}{more}", errors)
    return lexicon


def load_lexicons(
    lexicons: Sequence[str | os.PathLike[str] | Lexicon] | None = None, *, csv_columns: CsvColumns | None = None
) -> list[Lexicon]:
    """The given lexicons, or the built-in ``frames``, ``style`` and ``labels``.

    Files and built-in names are read (``load_lexicon``), ``Lexicon``s kept as
    they are; an empty sequence, like ``None``, gives the built-ins.
    ``csv_columns`` applies to every ``.csv`` file among them; given with
    none, it is an ``InputError`` (it would change nothing, which is
    surely not what was meant).
    """
    given = list(lexicons or builtin_lexicon_paths())
    if csv_columns is not None:
        require_csv(given, csv_columns)
    return [lx if isinstance(lx, Lexicon) else load_lexicon(lx, csv_columns=csv_columns) for lx in given]


def require_csv(paths: Sequence[object], csv_columns: CsvColumns | None) -> None:
    """``InputError`` (about ``csv_columns``) when it is given and none of ``paths`` is a ``.csv`` file."""
    if csv_columns is None:
        return
    if not any(isinstance(p, (str, os.PathLike)) and Path(p).suffix.lower() == ".csv" for p in paths):
        raise InputError("csv_columns applies to CSV lexicons (.csv) only, and no lexicon given is one",
                         argument="csv_columns")
