"""Lexicon files: the one place that reads them from disk.

``load_lexicon`` and ``check_lexicon`` read the bytes, decode them as UTF-8
and hand the text to ``framing.lexicon.formats.parse_lexicon``.
"""

from __future__ import annotations

import hashlib
import importlib.resources
from pathlib import Path

from ..errors import LexiconError
from .formats import LEXICON_SUFFIXES, parse_lexicon
from .model import Collector, Lexicon, Problem

__all__ = ["BUILTIN_LEXICONS", "builtin_lexicon_paths", "check_lexicon", "inspect_lexicon", "lexicon_files", "load_lexicon", "save_lexicon"]

BUILTIN_LEXICONS = ("frames.yaml", "style.yaml", "labels.yaml")


def builtin_lexicon_paths() -> list[Path]:
    """The built-in ``frames``, ``style`` and ``labels`` lexicons.

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


def _read(path: str | Path) -> tuple[Lexicon | None, list[Problem]]:
    p = Path(path)
    col = Collector(str(path))
    try:
        data = p.read_bytes()
    except OSError as exc:
        col.error(0, f"cannot read: {exc.strerror or exc}")
        return None, col.problems
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col.error(line, "not valid UTF-8; save the lexicon as UTF-8")
        return None, col.problems
    return parse_lexicon(text, suffix=p.suffix, path=str(path), sha256=hashlib.sha256(data).hexdigest(), stem=p.stem)


def check_lexicon(path: str | Path) -> list[Problem]:
    """Every problem in the lexicon at ``path``, errors and warnings, in file order (see ``inspect_lexicon``)."""
    return inspect_lexicon(path)[1]


def inspect_lexicon(path: str | Path) -> tuple[Lexicon | None, list[Problem]]:
    """The lexicon at ``path`` (``None`` when it has errors) and every problem in it, in file order.

    Besides what reading finds, the whole-lexicon checks of
    ``framing.lexicon.check``; a YAML file with syntax errors gives all of
    them at once (the line of each is blanked and the rest read again).
    """
    from .check import lexicon_problems

    lexicon, problems = _read(path)
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


def load_lexicon(path: str | Path) -> Lexicon:
    """Read a lexicon (``.yaml``, ``.yml``, ``.dic`` or ``.csv``).

    Raises ``LexiconError`` listing every error with its line; warnings (such as
    a duplicate term) are kept in ``Lexicon.warnings``.
    """
    lexicon, problems = _read(path)
    errors = [str(pr) for pr in problems if pr.severity == "error"]
    if errors or lexicon is None:
        more = f" (and {len(errors) - 1} more; run 'framing lexicon check {path}')" if len(errors) > 1 else ""
        raise LexiconError(f"{errors[0]}{more}", errors)
    return lexicon


def save_lexicon(lexicon: Lexicon, path: str | Path) -> list[str]:
    """Write ``lexicon`` to ``path`` in the format of its extension; return what that format could not hold.

    ``.yaml``/``.yml`` hold everything; ``.csv``, ``.dic`` and ``.dicx`` drop
    what they have no place for, each said in one returned message
    (``framing.lexicon.writers``). The file is written to a temporary file
    and renamed into place, so a failed write leaves the old file whole.
    """
    from ..outputs import write_file
    from .writers import write_lexicon_text

    target = Path(path)
    text, dropped = write_lexicon_text(lexicon, target.suffix)
    write_file(target, text.encode("utf-8"))
    return dropped
