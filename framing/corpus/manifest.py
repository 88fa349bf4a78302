"""The manifest: a CSV that gives each article its outlet, source type and other facts.

Rows name articles by ``file`` (relative to the corpus folder, or to the
manifest's folder) or by the id column. A folder's text files are found by
their path; table records (a dataset folder's Parquet rows too) by their id
only, which a ``file`` value may also name. Rows for missing articles, articles
with no row, duplicate rows and unknown ``source_type`` values are all
warned about. A ``file`` path that leaves the corpus folder is refused,
never read.
"""

from __future__ import annotations

import csv
import io
import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import InputError
from ..types import SOURCE_TYPES, Article
from .decode import decode_bytes, how_to_set, read_bytes
from .remote import RemotePath, resolved

__all__ = ["META_FIELDS", "Manifest", "Row", "normalize_type", "read_manifest"]

META_FIELDS = ("outlet", "source_type", "title", "date", "url")
_MAX_MISSING_SHOWN = 20


def normalize_type(value: str) -> str:
    """``"State Media"``, ``"state-media"`` -> ``"state_media"``: case, spaces and hyphens forgiven."""
    return value.strip().lower().replace("-", "_").replace(" ", "_")


class Row:
    """One manifest row, kept small: a million-row manifest is read before the first article.

    Values that repeat (outlets, types, dates) are shared, not copied per row.
    """

    __slots__ = ("key", "line", "values")

    def __init__(self, key: str, line: int, values: tuple[str, ...]) -> None:
        self.key = key
        self.line = line
        self.values = values  # in the order of META_FIELDS

    def fields(self) -> dict[str, str]:
        """The row's non-empty metadata fields."""
        return {k: v for k, v in zip(META_FIELDS, self.values) if v}


@dataclass
class Manifest:
    """Manifest rows by ``file`` and by id.

    A ``file`` row is taken out when its article joins it, so what is left at
    the end is the rows with no article, and the manifest's memory goes as
    the corpus is read; id rows stay (several records may share an id) and
    are marked used.
    """

    path: str
    root: Path | RemotePath
    by_file: dict[str, Row]
    by_id: dict[str, Row]
    used: set[str] = field(default_factory=set)
    _real_root: str = ""

    def refuse_escapes(self, warnings: list[str]) -> None:
        """Refuse (and warn about) ``file`` rows whose path leaves the manifest's folder."""
        self._real_root = resolved(self.root)
        for key in [k for k in self.by_file if not self._holds(k)]:
            row = self.by_file.pop(key)
            warnings.append(f"{self.path}:{row.line}: path {key!r} leaves the corpus folder; refused")

    def _holds(self, key: str) -> bool:
        """Whether the ``file`` path ``key`` lies in the manifest's folder (links resolved; a URL's by its ``..``)."""
        if isinstance(self.root, RemotePath):
            key = posixpath.normpath(key)
            return not (key == ".." or key.startswith(("../", "/")))
        return _inside(self._real_root, os.path.join(self.root, key))

    def join(
        self, article: Article, folder: Path | RemotePath | None, warnings: list[str],
        relative: Callable[[], str | None] | None = None,
    ) -> Article:
        """The article with its manifest row's fields, or as it was (with a warning) when it has none.

        ``folder`` is the corpus folder the article was read from, if any: a
        ``file`` row may be relative to the manifest's folder instead.
        ``relative`` may give that path already resolved (see ``take``).
        """
        if relative is None and folder is not None:
            def relative() -> str | None:
                return self.relative_key(folder, article.id)
        return self.apply(article, self.take(article.id, relative), warnings)

    def take(self, ident: str, relative: Callable[[], str | None] | None = None) -> Row | None:
        """The row for the article ``ident``, marked used (a ``file`` row is taken out), or ``None``.

        ``relative()`` gives the article's path relative to the manifest's
        folder (links resolved), ``None`` when it lies outside; it is called
        only when the id names no row, since resolving links is slow. Split
        from ``join`` so that a merge of separately read parts
        (``framing.corpus.partitions``) can replay the joins without the texts.
        """
        row = self.by_file.pop(ident, None)
        if row is None and ident in self.by_id:
            row = self.by_id[ident]
            self.used.add(ident)
        if row is None and relative is not None and self.by_file:
            key = relative()
            if key is not None:
                row = self.by_file.pop(key, None)
        return row

    def relative_key(self, folder: Path | RemotePath, ident: str) -> str | None:
        """The ``file`` key of the article ``ident`` of ``folder``: its path relative to the manifest's folder."""
        if isinstance(folder, RemotePath):
            try:
                return (folder / ident).relative_to(self.root).as_posix()
            except ValueError:  # the manifest's folder does not hold the corpus folder
                return None
        real = os.path.realpath(os.path.join(folder, ident))
        real_root = self._real_root or os.path.realpath(self.root)
        return Path(os.path.relpath(real, real_root)).as_posix() if _inside(real_root, real) else None

    def apply(self, article: Article, row: Row | None, warnings: list[str]) -> Article:
        """The article with ``row``'s fields; with no row, as it was, and a warning."""
        if row is None:
            # A table record may carry its own labels, which are kept: say so.
            own = normalize_type(article.source_type or "unknown")
            kept = own in SOURCE_TYPES and own != "unknown"
            what = f"keeping the record's own source_type {own!r}" if kept else "source_type 'unknown'"
            warnings.append(f"{article.source}: no row in the manifest; {what}")
            return article
        return replace(article, **row.fields())

    def copy(self) -> Manifest:
        """A manifest whose taking of rows leaves this one as it is (the rows themselves are shared)."""
        return Manifest(self.path, self.root, dict(self.by_file), self.by_id, set(self.used), self._real_root)

    def rows_by_line(self) -> dict[int, Row]:
        """Every row still held, by its line in the manifest (a line names one row)."""
        return {r.line: r for r in (*self.by_file.values(), *self.by_id.values())}

    def finish(self, warnings: list[str]) -> None:
        """Warn about rows that no article used."""
        missing = [*self.by_file.values(), *(r for k, r in self.by_id.items() if k not in self.used)]
        missing.sort(key=lambda r: r.line)
        for r in missing[:_MAX_MISSING_SHOWN]:
            warnings.append(f"{self.path}:{r.line}: no article for {r.key!r}")
        if len(missing) > _MAX_MISSING_SHOWN:
            more = len(missing) - _MAX_MISSING_SHOWN
            warnings.append(f"{self.path}: {more:,} more row{'' if more == 1 else 's'} with no article")


def _inside(real_root: str, candidate: str) -> bool:
    """Whether ``candidate``, links resolved, lies inside the already resolved ``real_root``."""
    try:
        real = os.path.realpath(candidate)
    except (OSError, ValueError, RuntimeError):  # RuntimeError: a link loop, before Python 3.13
        return False
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def read_manifest(path: Path | RemotePath, id_column: str | None, warnings: list[str]) -> Manifest:
    data = read_bytes(path, str(path), warnings)
    if data is None:
        raise InputError(f"cannot read manifest {path}")
    text = decode_bytes(data, str(path), warnings)
    if text is None:
        raise InputError(f"manifest {path} is not a text file")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = [f.strip() for f in (reader.fieldnames or [])]
    reader.fieldnames = fields
    key_col = id_column or "id"
    if "file" not in fields and key_col not in fields:
        raise InputError(
            f"manifest {path} needs a 'file' column or an id column"
            f" ('{key_col}'; name it: {how_to_set('id_column', '--id-column')});"
            f" it has: {', '.join(fields) or 'no header'}"
        )
    by_file: dict[str, Row] = {}
    by_id: dict[str, Row] = {}
    shared: dict[str, str] = {}  # one copy of each value that repeats
    for row in reader:
        line = reader.line_num
        extra = row.pop(None, None)  # cells beyond the header
        multiline = any("\n" in (v or "") for v in row.values())
        row = {k: (v or "").strip() for k, v in row.items()}
        if not any(row.values()):
            continue
        if extra:
            cells = f"{len(extra)} more cell{'' if len(extra) == 1 else 's'}"
            warnings.append(f"{path}:{line}: {cells} than the header has; extra cells ignored")
        if multiline:
            warnings.append(f"{path}:{line}: a cell spans several lines (an unclosed quote?); check this row")
        st = normalize_type(row.get("source_type", "") or "unknown")
        if st not in SOURCE_TYPES:
            warnings.append(
                f"{path}:{line}: unknown source_type {row.get('source_type')!r}"
                f" (expected one of {', '.join(SOURCE_TYPES)}); using 'unknown'"
            )
            st = "unknown"
        row["source_type"] = st
        if row.get("file"):
            target, key = by_file, row["file"].replace("\\", "/")
        elif row.get(key_col):
            target, key = by_id, row[key_col]
        else:
            warnings.append(f"{path}:{line}: row has neither 'file' nor '{key_col}'; ignored")
            continue
        if key in target:
            warnings.append(f"{path}:{line}: duplicate row for {key!r} (first on line {target[key].line}); ignored")
            continue
        target[key] = Row(key, line, tuple(shared.setdefault(v, v) for v in (row.get(k, "") for k in META_FIELDS)))
    return Manifest(str(path), path.parent, by_file, by_id)

