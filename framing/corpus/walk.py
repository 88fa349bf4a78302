"""Which files a corpus folder holds: the walk, its links and loops, what a file's name says it is.

* A folder is walked in sorted order, any depth. Hidden names (``.x``) are
  not read, nor files named ``README*``, ``LICENSE*``, ``LICENCE*`` or
  ``CHANGELOG*`` (documentation, not articles). Text files (``.txt``,
  ``.md``) are articles; ``.parquet`` files are tables, in their place in
  the same walk. CSV and JSONL files in a folder are not read (only given
  directly).
* Links are followed. A folder reached twice (a link loop) is read once,
  with a warning; a file link that leads back to itself or out of the
  corpus folder is refused by the reading (``FileReader.admitted``).
* A directory named ``key=value`` (Hive-style partitioning) between the
  corpus folder and a file gives ``value`` to that file's records for the
  field ``key`` of ``manifest.META_FIELDS`` (``hive_fields``).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path, PurePath
from urllib.parse import unquote

from .decode import shown
from .manifest import META_FIELDS
from .remote import RemotePath, listing

__all__ = [
    "GZIP_SUFFIX", "TABLE_SUFFIXES", "TEXT_SUFFIXES", "file_size", "folder_files", "hive_fields", "kind",
    "table_label", "within",
]

TEXT_SUFFIXES = (".txt", ".md")
TABLE_SUFFIXES = (".csv", ".jsonl", ".parquet")
GZIP_SUFFIX = ".gz"  # any of the above may be gzip-compressed: read as a stream too

# What a folder's walk picks up, by kind: text files are articles, Parquet files tables
# (True). One dict lookup per name keeps the walk of a folder of small files as fast as before.
_FOLDER_KINDS = {**dict.fromkeys(TEXT_SUFFIXES, False), ".parquet": True}
_DOC_NAMES = ("readme", "license", "licence", "changelog")
# How Hive, Spark and pyarrow name the directory of rows whose partition value is null.
_HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"


def kind(path: str | Path) -> str:
    """The suffix that says what a file holds, ``.gz`` looked through: ``a.jsonl.gz`` -> ``.jsonl``."""
    name = os.path.basename(str(path)).lower()
    name = name.removesuffix(GZIP_SUFFIX)
    return os.path.splitext(name)[1]


def folder_files(
    root: Path | RemotePath, real_root: str, warnings: list[str]
) -> Iterator[tuple[Path | RemotePath, str, bool]]:
    """``(path, resolved path, is a table)`` of every article file and Parquet file under ``root``, in a stable order.

    ``real_root``: ``root`` with links resolved. The resolved path is ``""``
    for a link loop. Links are resolved once per folder, and per file only
    for a file that is a link itself: resolving every path was most of the
    time spent reading a folder of small files. Parquet files (tables) come
    in their place in the same sorted walk as the text files, under the
    same rules. A folder reached a second time is a warning, and not read again.
    A URL's folder (``RemotePath``) has no links: a file's resolved path is its URL.
    """
    if isinstance(root, RemotePath):
        yield from _remote_files(root)
        return
    seen_dirs: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        st = os.stat(dirpath)
        if (st.st_dev, st.st_ino) in seen_dirs:
            warnings.append(f"{shown(dirpath)}: folder already read (a link loop?), skipped")
            dirnames[:] = []
            continue
        seen_dirs.add((st.st_dev, st.st_ino))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        real_dir = real_root if dirpath == str(root) else os.path.realpath(dirpath)
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            table = _FOLDER_KINDS.get(kind(name))
            if table is None:
                continue
            if name.lower().startswith(_DOC_NAMES):
                continue
            full = os.path.join(dirpath, name)
            if os.path.islink(full):
                try:
                    real = os.path.realpath(full, strict=True)
                except (OSError, RuntimeError):  # a loop (ELOOP), or a dangling link
                    real = "" if _is_loop(full) else os.path.realpath(full)
            else:
                real = os.path.join(real_dir, name)
            yield Path(full), real, table


def _remote_files(root: RemotePath) -> Iterator[tuple[RemotePath, str, bool]]:
    """``folder_files`` of a URL's folder: the same names kept, in the same order."""
    for f in listing(root):
        parts = f.relative_to(root).parts
        if any(p.startswith(".") for p in parts):
            continue
        name = parts[-1]
        table = _FOLDER_KINDS.get(kind(name))
        if table is None or name.lower().startswith(_DOC_NAMES):
            continue
        yield f, f.url, table


def _is_loop(path: str) -> bool:
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def within(real: str, real_root: str) -> bool:
    """Whether the resolved path ``real`` is the resolved folder ``real_root`` or inside it (no file system access)."""
    sep = "/" if "://" in real_root else os.sep  # a URL's folder (``remote.resolved``)
    return real == real_root or real.startswith(real_root.rstrip(sep) + sep)


def file_size(path: str | Path | RemotePath) -> int:
    """The size of the file at ``path`` in bytes; 0 when it cannot be stat'ed (a dangling link: the reading warns)."""
    try:
        return path.stat().st_size if isinstance(path, RemotePath) else os.stat(path).st_size
    except OSError:
        return 0


def hive_fields(directories: PurePath) -> dict[str, str]:
    """The metadata that Hive-style ``key=value`` directory names give, for the fields of ``META_FIELDS``.

    ``directories``: the directories between the corpus folder and a file
    (``source_type=wire/outlet=reuters``). Values are URL-decoded
    (``urllib.parse.unquote``, as Hive and pyarrow write them), stripped, and
    bytes that are not UTF-8 shown as ``\\xff`` (as in ids); an empty value and
    Hive's null directory (``__HIVE_DEFAULT_PARTITION__``) give none; other
    keys are ignored. A field named twice takes the directory nearest the file.
    """
    out: dict[str, str] = {}
    for name in directories.parts:
        key, eq, value = name.partition("=")
        if not eq or key not in META_FIELDS:
            continue
        value = "" if value == _HIVE_NULL else shown(unquote(value)).strip()
        if value:
            out[key] = value
        else:
            out.pop(key, None)  # an empty or null value nearer the file: no value
    return out


def table_label(root: str | Path | RemotePath | None, file: str | Path | RemotePath) -> str:
    """What ids of a table's records without an id start with: its name, or its path from the corpus folder ``root``."""
    f = file if isinstance(file, RemotePath) else Path(file)
    return shown(f.name) if root is None else shown(f.relative_to(root).as_posix())
