"""Read articles from folders, text files, CSV, JSONL and Parquet tables, as a stream.

This is an edge module: it opens files. ``CorpusReader`` yields ``Article``
records one at a time, with the manifest joined, and gathers the warnings
met on the way; it never prints and never holds more than one article (or
one table line, or one batch of Parquet rows) at a time, so a corpus of any
size can be read. Policies (also in the README):

* **Ids.** A file's id is its path relative to the corpus folder (``/``
  separators); a table row's id is its ``--id-column`` value, else
  ``<file name>:<row number>`` for a table given directly and
  ``<path relative to the folder>:<row number>`` for a Parquet file inside
  a folder. A repeated id is kept and renamed ``<id>#2``, ``#3`` ... with a
  warning. (The set of ids seen is the one thing kept per article.)
* **Parquet dataset folders.** In a corpus folder, ``.parquet`` files are
  tables (any depth, in the folder's sorted order among the text files,
  with the text files' rules for hidden names and links), read like a
  Parquet file given directly. A directory named ``key=value`` between the
  folder and the file (Hive-style partitioning), where ``key`` is one of
  ``manifest.META_FIELDS``, gives its URL-decoded value to the rows that
  have no value of their own for that field; other keys are ignored. CSV
  and JSONL files inside a folder are not read (only given directly).
* **Manifest.** ``manifest.csv`` inside a corpus folder is used unless
  ``--manifest`` names one (see ``framing.corpus.manifest``). A folder's
  text files join their rows by path; table rows, a folder's Parquet rows
  too, join by id.
* Files named ``README*``, ``LICENSE*``, ``CHANGELOG*`` and the manifest
  itself are documentation, not articles, and are not read from a folder.
* Decoding, size limits and non-regular files: ``framing.corpus.decode``.
"""

from __future__ import annotations

import codecs
import csv
import errno
import gzip
import io
import itertools
import json
import os
import re
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import BinaryIO
from urllib.parse import unquote

from ..defaults import MAX_ARTICLE_BYTES
from ..english import plural
from ..errors import InputError
from ..types import SOURCE_TYPES, Article
from .decode import (
    OVER_LIMIT,
    SURROGATE,
    decode_bytes,
    open_regular,
    read_bytes,
    shown,
    size_text,
    utf16_layout,
)
from .manifest import META_FIELDS, Manifest, normalize_type, read_manifest

__all__ = ["TEXT_SUFFIXES", "Corpus", "CorpusReader", "hive_fields", "read_corpus"]

TEXT_SUFFIXES = (".txt", ".md")
TABLE_SUFFIXES = (".csv", ".jsonl", ".parquet")
GZIP_SUFFIX = ".gz"  # any of the above may be gzip-compressed: read as a stream too


def kind(path: str | Path) -> str:
    """The suffix that says what a file holds, ``.gz`` looked through: ``a.jsonl.gz`` -> ``.jsonl``."""
    name = os.path.basename(os.fspath(path)).lower()
    name = name.removesuffix(GZIP_SUFFIX)
    return os.path.splitext(name)[1]


# What a folder's walk picks up, by kind: text files are articles, Parquet files tables
# (True). One dict lookup per name keeps the walk of a folder of small files as fast as before.
_FOLDER_KINDS = {**dict.fromkeys(TEXT_SUFFIXES, False), ".parquet": True}
_DOC_NAMES = ("readme", "license", "licence", "changelog")
# How Hive, Spark and pyarrow name the directory of rows whose partition value is null.
_HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"

csv.field_size_limit(2**31 - 1)


@dataclass
class Corpus:
    """Articles in a stable order, plus every warning met while reading."""

    articles: list[Article] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: int = 0


class _Reading:
    """What turns files into raw articles (no manifest, no id check), and the warnings and skips met.

    Shared by ``CorpusReader`` and the part reader of
    ``framing.corpus.partitions``, so that both read a file the same way.
    Needs ``text_column``, ``id_column``, ``limit``, ``warnings``,
    ``skipped`` and ``table_bytes_read``.
    """

    text_column: str
    id_column: str | None
    limit: int
    warnings: list[str]
    skipped: int
    table_bytes_read: list[int] | None

    def _file(self, path: Path, ident: str, name: str) -> Article | None:
        data = read_bytes(path, name, self.warnings, self.limit)
        text = decode_bytes(data, name, self.warnings) if data is not None else None
        if text is None:
            self.skipped += 1
            return None
        return Article(id=ident, text=text, source=name)

    def _admitted(self, name: str, real: str, real_root: str, real_manifest: str | None) -> bool:
        """Whether a file the folder's walk found (``real``: resolved) is read; one refused is warned about, counted."""
        if real == real_manifest:
            return False
        if not real:
            self.warnings.append(f"{name}: a link loop (it leads back to itself), skipped")
            self.skipped += 1
            return False
        if not within(real, real_root):
            self.warnings.append(f"{name}: link leads outside the corpus folder, skipped")
            self.skipped += 1
            return False
        return True

    def _folder_entry(self, root: Path, f: Path, real: str, real_root: str, real_manifest: str | None) -> Article | None:
        """The article of the file ``f`` found under the corpus folder ``root`` (``real``: ``f`` resolved)."""
        name = shown(str(f))
        if not self._admitted(name, real, real_root, real_manifest):
            return None
        return self._file(f, shown(f.relative_to(root).as_posix()), name)

    def _folder_table(
        self, root: Path, f: Path, real: str, real_root: str, real_manifest: str | None,
        span: TableSpan | None = None, found: SpanFindings | None = None,
    ) -> Iterator[tuple[Article, int | None]]:
        """(article, record number) of the Parquet file ``f`` in the corpus folder ``root``, as ``_table_records``.

        The walk's checks are a text file's (links, loops); ids of rows
        without one are ``<path relative to root>:<n>``, and ``key=value``
        directories on the way give their metadata (``hive_fields``).
        """
        name = shown(str(f))
        if not self._admitted(name, real, real_root, real_manifest):
            return
        # A pipe named *.parquet would block pyarrow for ever: refused unread, as for text files.
        handle = open_regular(f, name, self.warnings)
        if handle is None:
            self.skipped += 1
            return
        handle.close()
        columns = _parquet_columns(f)
        if columns is not None and self.text_column not in columns:
            # Given as a file, such a table is an error; in a folder it may be another run's output
            # (--format parquet into the corpus folder): not articles, and the rest of the folder is.
            self.warnings.append(f"{name}: no '{self.text_column}' column (columns: {', '.join(columns)}); "
                                 "not articles, skipped")
            self.skipped += 1
            return
        yield from self._table_records(
            f, span, found, label=table_label(root, f), defaults=hive_fields(f.relative_to(root).parent)
        )

    def _table(self, p: Path) -> Iterator[Article]:
        for article, _ in self._table_records(p):
            yield article

    def _table_records(
        self, p: Path, span: TableSpan | None = None, found: SpanFindings | None = None,
        label: str | None = None, defaults: Mapping[str, str] | None = None,
    ) -> Iterator[tuple[Article, int | None]]:
        """(article, record number) of a table; the number is ``None`` when the record had its own id.

        ``span``: only that piece of the table (``None``: all of it), with its
        numbering; ``found`` gathers what a merge of pieces needs. ``label``:
        what ids of records without one start with (``None``: the file's
        name); ``defaults``: metadata for the records that have no value of
        their own for a field (a dataset folder's ``key=value`` directories).
        """
        key = self.id_column or "id"
        n = span.record if span is not None else 0  # records with fields, for ids of records without one
        start = n
        prefix = shown(p.name) if label is None else label
        rows = _table_rows(p, self.text_column, self.warnings, self.limit, self.table_bytes_read, span, found)
        for where, rec in rows:
            if rec is None:
                self.skipped += 1
                continue
            n += 1
            if found is not None:
                found.records = n - start
            text = _row_text(rec, self.text_column, where, self.warnings, self.limit)
            if text is None:
                self.skipped += 1
                continue
            ident = str(rec.get(key) or "").strip()
            auto = None if ident else n
            ident = ident or f"{prefix}:{n}"
            meta = _meta(rec)
            if defaults:
                for k, v in defaults.items():
                    if not meta.get(k):
                        meta[k] = v
            if rec.get(_MAY_HOLD_SURROGATES) and any(SURROGATE.search(v) for v in (text, ident, *meta.values())):
                # Not characters, and no output could hold them.
                self.warnings.append(f"{where}: lone surrogates (not Unicode characters) replaced by U+FFFD")
                text, ident = SURROGATE.sub("\ufffd", text), SURROGATE.sub("\ufffd", ident)
                meta = {k: SURROGATE.sub("\ufffd", v) for k, v in meta.items()}
            yield Article(id=ident, text=text, source=where, **meta), auto


class CorpusReader(_Reading):
    """The articles under ``paths``, read one at a time with the manifest joined.

    Checks the paths and reads the manifest when created (so a missing corpus
    fails at once); iterating reads the articles. ``warnings`` and
    ``skipped`` grow while iterating. Iterate once.

    Raises ``InputError`` when a path does not exist, a table lacks its text
    column, or (at the end) nothing readable was found; one unreadable
    article is skipped with a warning instead.
    """

    def __init__(
        self,
        paths: Sequence[str | Path],
        *,
        manifest: str | Path | None = None,
        text_column: str = "text",
        id_column: str | None = None,
        max_article_bytes: int = MAX_ARTICLE_BYTES,
    ) -> None:
        if not paths:
            raise InputError("no corpus given")
        if max_article_bytes < 1:
            raise InputError(f"the article size limit must be positive, got {max_article_bytes} bytes")
        self.paths = [Path(p) for p in paths]
        for p in self.paths:
            if not p.exists():
                raise InputError(f"corpus not found: {p}")
        self.text_column = text_column
        self.id_column = id_column
        self.limit = max_article_bytes
        self.warnings: list[str] = []
        self.skipped = 0
        self.count = 0
        self.table_bytes_read = [0]  # bytes of CSV/JSONL tables read so far, for progress estimates
        self._estimate: tuple[int, int] | None = None
        man_path = Path(manifest) if manifest else None
        if man_path is None:
            for p in self.paths:
                if p.is_dir() and (p / "manifest.csv").is_file():
                    man_path = p / "manifest.csv"
                    break
        elif not man_path.is_file():
            raise InputError(f"manifest not found: {man_path}")
        self.manifest_path = man_path
        self.manifest: Manifest | None = read_manifest(man_path, id_column, self.warnings) if man_path else None
        if self.manifest is not None:
            self.manifest.refuse_escapes(self.warnings)

    def estimated_total(self, done: int) -> int | None:
        """How many articles the corpus will give, estimated after ``done`` of them, for progress.

        Folders are counted once (names only, nothing is read); tables are
        extrapolated from the bytes read so far. ``None`` before any estimate
        can be made.
        """
        if self._estimate is None:
            files = table_size = 0
            for p in self.paths:
                if not p.is_dir():
                    continue
                for f, _, table in _folder_files(p, os.path.realpath(p), []):
                    if table:  # a dataset folder's Parquet file: its rows are estimated like a table's
                        table_size += _size(f)
                    else:
                        files += 1
            files += sum(1 for p in self.paths if p.is_file() and kind(p) not in TABLE_SUFFIXES)
            table_size += sum(p.stat().st_size for p in self.paths if p.is_file() and kind(p) in TABLE_SUFFIXES)
            self._estimate = (files, table_size)
        files, table_size = self._estimate
        if not table_size:
            return files
        read = self.table_bytes_read[0]
        if read == 0:
            return None
        from_tables = max(done - min(done, files), 1)
        return files + round(from_tables * table_size / read)

    def __iter__(self) -> Iterator[Article]:
        seen: dict[str, int] = {}
        bad_types: set[str] = set()
        for path in self.paths:
            for article, folder in self._raw(path):
                if self.manifest is not None:
                    article = self.manifest.join(article, folder, self.warnings)
                article = self._checked_type(article, bad_types)
                article = self._unique(article, seen)
                self.count += 1
                yield article
        if self.manifest is not None:
            self.manifest.finish(self.warnings)
        if not self.count:
            raise InputError("no readable articles found in " + ", ".join(map(str, self.paths)))

    def _raw(self, p: Path) -> Iterator[tuple[Article, Path | None]]:
        """(article, the folder its manifest row is looked up by path from, or ``None``: by id only) of ``p``."""
        if p.is_dir():
            yield from self._folder(p)
        elif kind(p) in TABLE_SUFFIXES:
            for article in self._table(p):
                yield article, None
        elif p.is_file():
            article = self._file(p, shown(p.name), shown(str(p)))
            if article is not None:
                yield article, None
        else:
            raise InputError(f"not a file or folder: {p}")

    def _folder(self, root: Path) -> Iterator[tuple[Article, Path | None]]:
        real_root = os.path.realpath(root)
        real_manifest = os.path.realpath(self.manifest_path) if self.manifest_path else None
        for f, real, table in _folder_files(root, real_root, self.warnings):
            if table:
                # Rows join the manifest by id, as a table's given directly do: they have no path of their own.
                for article, _ in self._folder_table(root, f, real, real_root, real_manifest):
                    yield article, None
                continue
            article = self._folder_entry(root, f, real, real_root, real_manifest)
            if article is not None:
                yield article, root

    def _checked_type(self, a: Article, bad: set[str]) -> Article:
        return checked_type(a, bad, self.warnings)

    def _unique(self, a: Article, seen: dict[str, int]) -> Article:
        return unique_id(a, seen, self.warnings)


def checked_type(a: Article, bad: set[str], warnings: list[str]) -> Article:
    """``a`` with its source type normalised; an unknown one is ``unknown``, warned about once per value (in ``bad``)."""
    st = normalize_type(a.source_type or "unknown")
    if st in SOURCE_TYPES:
        return a if st == a.source_type else replace(a, source_type=st)
    if a.source_type not in bad:  # once per value: a whole table may share one typo
        bad.add(a.source_type)
        warnings.append(
            f"{a.source}: unknown source_type {a.source_type!r} "
            f"(expected one of {', '.join(SOURCE_TYPES)}); using 'unknown'"
        )
    return replace(a, source_type="unknown")


def unique_id(a: Article, seen: dict[str, int], warnings: list[str]) -> Article:
    """``a``, renamed ``<id>#2``, ``#3`` ... (with a warning) when an earlier article had its id (``seen``)."""
    if a.id not in seen:
        seen[a.id] = 1
        return a
    seen[a.id] += 1
    new = f"{a.id}#{seen[a.id]}"
    while new in seen:
        seen[a.id] += 1
        new = f"{a.id}#{seen[a.id]}"
    warnings.append(f"{a.source}: duplicate article id {a.id!r}; renamed {new!r}")
    seen[new] = 1
    return replace(a, id=new)


def read_corpus(
    paths: Sequence[str | Path],
    *,
    manifest: str | Path | None = None,
    text_column: str = "text",
    id_column: str | None = None,
    max_article_bytes: int = MAX_ARTICLE_BYTES,
) -> Corpus:
    """Read every article under ``paths`` into memory (``CorpusReader`` streams them instead)."""
    reader = CorpusReader(
        paths, manifest=manifest, text_column=text_column, id_column=id_column, max_article_bytes=max_article_bytes
    )
    articles = list(reader)
    return Corpus(articles=articles, warnings=reader.warnings, skipped=reader.skipped)


def _is_loop(path: str) -> bool:
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def within(real: str, real_root: str) -> bool:
    """Whether the resolved path ``real`` is the resolved folder ``real_root`` or inside it (no file system access)."""
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


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


def table_label(root: str | Path | None, file: str | Path) -> str:
    """What ids of a table's records without an id start with: its name, or its path from the corpus folder ``root``."""
    f = Path(file)
    return shown(f.name) if root is None else shown(f.relative_to(root).as_posix())


def _size(path: str | Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:  # a dangling link, a link loop: the reading warns
        return 0


def _folder_files(root: Path, real_root: str, warnings: list[str]) -> Iterator[tuple[Path, str, bool]]:
    """``(path, resolved path, is a table)`` of every article file and Parquet file under ``root``, in a stable order.

    Links are resolved once per folder, and per file only for a file that is
    a link itself: resolving every path was most of the time spent reading a
    folder of small files. Parquet files (tables) come in their place in the
    same sorted walk as the text files, under the same rules.
    """
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


def _row_text(row: dict, text_column: str, where: str, warnings: list[str], limit: int) -> str | None:
    value = row.get(text_column)
    if value is None:
        warnings.append(f"{where}: no '{text_column}' field, skipped")
        return None
    if not isinstance(value, str):
        warnings.append(f"{where}: '{text_column}' is not text, skipped")
        return None
    if len(value) > limit:
        warnings.append(f"{where}: text of {len(value):,} characters, over the {size_text(limit)} limit for one article{OVER_LIMIT}")
        return None
    if "\x00" in value:
        warnings.append(f"{where}: text holds NUL characters (binary?), skipped")
        return None
    return value.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class TableSpan:
    """The piece of one table that a part reads (``framing.corpus.partitions``), and its numbering.

    A JSONL piece is the lines that *start* in the bytes ``[start, end)``
    (``end`` ``None``: to the end of the file); it needs the numbers of the
    lines before it, counted the two ways the reader numbers them. A Parquet
    piece is some row groups. Whatever concerns the whole file (it cannot be
    opened, it is UTF-16 and must be decoded whole) is done by the piece that
    starts the file, and the others read nothing.
    """

    start: int = 0  # JSONL: first byte
    end: int | None = None  # JSONL: lines starting here or later belong to the next piece
    physical: int = 0  # JSONL: lines ending in \n before ``start`` (places of over-long lines)
    line: int = 0  # JSONL: lines before ``start``, \r and \r\n breaks counted too (all other places)
    bom: bool = True  # JSONL: no line read before ``start``, so a UTF-8 byte-order mark is still dropped
    record: int = 0  # records before the piece, for the ids of records without one
    groups: tuple[int, ...] | None = None  # Parquet: the row groups read; row numbers start at ``record``

    @property
    def first(self) -> bool:
        """Whether this piece starts the file (and so speaks for the whole file)."""
        return self.groups[0] == 0 if self.groups else self.start == 0


@dataclass
class SpanFindings:
    """What reading a piece of a table found that a merge of the pieces needs."""

    records: int = 0  # records (lines or rows that held fields), numbered on by the next piece
    legacy: tuple[int, int] = (0, 0)  # lines decoded as cp1252: how many, and the (physical) number of the first
    replaced: tuple[int, int] = (0, 0)  # lines neither UTF-8 nor cp1252: how many, the first
    failed: bool = False  # the rest of the file could not be read: later pieces must give nothing
    whole: bool = False  # the file was read whole by this piece (UTF-16/32): later pieces give nothing


def _table_rows(
    path: Path, text_column: str, warnings: list[str], limit: int, counter: list[int] | None = None,
    span: TableSpan | None = None, found: SpanFindings | None = None,
) -> Iterator[tuple[str, dict | None]]:
    """(place, record) pairs of a .csv, .jsonl or .parquet file, read as a stream.

    The record is ``None`` for a line that held a record but could not be
    read (already warned about), so that the caller can count it as skipped.
    Memory stays bounded by the largest record, not the file: a table of a
    million rows is never held as one string. ``span``: read only that piece
    of a JSONL or Parquet file (see ``TableSpan``); the piece's file-level
    findings go to ``found`` instead of ``warnings`` (the decoding counts).
    """
    name = shown(str(path))
    if kind(path) == ".parquet":
        yield from _parquet_rows(path, name, text_column, warnings, counter, span, found)
        return
    whole = span is None or span.first
    # A piece that does not start the file says nothing about the file as a whole.
    file_warnings = warnings if whole else []
    raw_file = open_regular(path, name, file_warnings)
    if raw_file is None:
        if whole:
            yield name, None  # the table is skipped, and counted
        return
    compressed = path.name.lower().endswith(GZIP_SUFFIX)
    f = gzip.GzipFile(fileobj=raw_file, mode="rb") if compressed else raw_file
    with raw_file, f:
        try:
            head = f.read(_SNIFF)
            f.seek(0)
        except (OSError, EOFError, zlib.error) as exc:
            file_warnings.append(f"{name}: not a readable gzip file ({exc}), skipped")
            if whole:
                yield name, None
            return
        f.seek(0)
        over_long: list[int] = []
        if head.startswith(_WIDE_BOMS) or utf16_layout(head) is not None:
            if not whole:
                return
            if found is not None:
                found.whole = True
            # UTF-16/32 need the whole file to decode. A NUL elsewhere stays
            # in its own line, to be skipped with that record alone.
            data = f.read()
            if counter is not None:
                counter[0] += len(data)
            text = decode_bytes(data, name, warnings)
            if text is None:
                yield name, None  # the file is skipped, and counted
                return
            lines: Iterator[tuple[int, str]] = _numbered(io.StringIO(text, newline=""))
        elif span is not None:
            piece = _Lines(f, _line_start(f, span.start), span.end)
            lines = _decoded_lines(piece, name, warnings, limit, over_long, span=span, found=found)
        else:
            # Progress counts the bytes of the file itself, compressed or not.
            position = raw_file.tell if compressed else None
            lines = _decoded_lines(f, name, warnings, limit, over_long, counter, position)
        if kind(path) == ".jsonl":
            yield from _jsonl_records(lines, name, warnings)
        else:
            yield from _csv_records(lines, name, text_column, warnings)
        for n in over_long:
            yield f"{name}:{n}", None


PARQUET_BATCH = 1024  # rows decoded at a time: memory follows the batch, not the file


def _parquet_columns(path: Path) -> list[str] | None:
    """A Parquet file's column names, from its metadata; ``None`` when it cannot be read (the reading says why)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return None
    try:
        return list(pq.ParquetFile(path).schema_arrow.names)
    except (OSError, pa.ArrowException):
        return None


def _parquet_rows(
    path: Path, name: str, text_column: str, warnings: list[str], counter: list[int] | None,
    span: TableSpan | None = None, found: SpanFindings | None = None,
) -> Iterator[tuple[str, dict | None]]:
    """(place, record) pairs of a Parquet file, ``PARQUET_BATCH`` rows at a time (pyarrow, imported here).

    Places are ``file.parquet:<row>`` (1-based). A column that is not text
    (numbers, dates) becomes its string form in the metadata; a text column
    that is not text skips its row with a warning, as in a CSV. A file or a
    row group pyarrow cannot read is a warning and what is left of the file
    is skipped. ``span``: only its row groups (``span.groups``), numbered
    from ``span.record``.
    """
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise InputError(f"{name}: reading Parquet needs pyarrow: pip install 'framing[parquet]'") from exc
    if path.name.lower().endswith(GZIP_SUFFIX):
        warnings.append(f"{name}: a gzip-compressed Parquet file; Parquet compresses itself, give the .parquet file. Skipped")
        yield name, None
        return
    try:
        pf = pq.ParquetFile(path)
        fields = list(pf.schema_arrow.names)
    except (OSError, pa.ArrowException) as exc:
        warnings.append(f"{name}: not a readable Parquet file ({exc}), skipped")
        yield name, None
        return
    if text_column not in fields:
        raise InputError(
            f"{name} has no '{text_column}' column (columns: {', '.join(fields)}); name it with --text-column"
        )
    size, rows = path.stat().st_size, max(pf.metadata.num_rows, 1)
    n = span.record if span is not None else 0
    groups = list(span.groups) if span is not None and span.groups is not None else None
    try:
        for batch in pf.iter_batches(batch_size=PARQUET_BATCH, row_groups=groups):
            for rec in batch.to_pylist():
                n += 1
                yield f"{name}:{n}", rec
            if counter is not None:  # progress: the file's bytes, in proportion to the rows read
                counter[0] += round(size * batch.num_rows / rows)
    except (OSError, pa.ArrowException) as exc:
        warnings.append(f"{name}:{n + 1}: unreadable Parquet data ({exc}); the rest of the file skipped")
        if found is not None:
            found.failed = True
        yield f"{name}:{n + 1}", None


_SNIFF = 65536
# A key no JSON object can have (JSON keys are strings): marks a record whose
# line held a \ud800-style escape.
_MAY_HOLD_SURROGATES = object()
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_LINE_BREAK = re.compile(r"\r\n?|\n")


def _numbered(lines: Iterator[str], start: int = 0) -> Iterator[tuple[int, str]]:
    """Number lines (after ``start``) and end each with a single ``\\n``, whatever its break was."""
    n = start
    for physical in lines:
        if "\r" not in physical:  # the usual case, and a fast test: at most one "\n", at the end
            n += 1
            yield n, physical if physical.endswith("\n") else physical + "\n"
            continue
        parts = _LINE_BREAK.split(physical)
        if parts[-1] == "":
            parts.pop()
        for part in parts:
            n += 1
            yield n, part + "\n"


def _decoded_lines(
    f: BinaryIO | _Lines, name: str, warnings: list[str], limit: int, over_long: list[int],
    counter: list[int] | None = None, position: Callable[[], int] | None = None,
    span: TableSpan | None = None, found: SpanFindings | None = None,
) -> Iterator[tuple[int, str]]:
    """Lines of a UTF-8 (else cp1252) byte stream, decoded one by one.

    A line that is not UTF-8 is decoded as cp1252, so one stray byte in a
    scrape costs that line its exotic characters, not the whole file; one
    warning per file says how many lines and where the first one is. A line
    longer than ``limit`` is skipped unread, and its number added to ``over_long``.
    ``span``: the stream is that piece of a file, numbered on from it; the
    per-file counts go to ``found`` (a merge writes the file's warning).
    """
    legacy: list[int] = []
    replaced: list[int] = []

    start = counter[0] if counter is not None else 0

    def physical() -> Iterator[str]:
        n = span.physical if span is not None else 0
        first = span.bom if span is not None else True
        while True:
            try:
                raw = f.readline(limit + 1)
            except (OSError, EOFError, zlib.error) as exc:  # damaged compressed data
                warnings.append(f"{name}:{n + 1}: compressed data damaged ({exc}); the rest of the file is skipped")
                over_long.append(n + 1)  # counted as one skipped record
                if found is not None:
                    found.failed = True
                break
            if not raw:
                break
            if counter is not None:
                if position is None:
                    counter[0] += len(raw)
                else:
                    counter[0] = start + position()
            n += 1
            if len(raw) > limit and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # skip the rest of the line
                    raw = f.readline(1 << 20)
                warnings.append(f"{name}:{n}: line over the {size_text(limit)} limit for one article{OVER_LIMIT}")
                over_long.append(n)
                yield "\n"  # keep the numbering; an empty line is no record
                continue
            if first and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            first = False
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    line = raw.decode("cp1252")
                    legacy.append(n)
                except UnicodeDecodeError:
                    line = raw.decode("utf-8", errors="replace")
                    replaced.append(n)
                yield line

    yield from _numbered(physical(), span.line if span is not None else 0)
    if found is not None:
        found.legacy = (len(legacy), legacy[0] if legacy else 0)
        found.replaced = (len(replaced), replaced[0] if replaced else 0)
        return
    warnings.extend(
        decoding_warnings(name, (len(legacy), legacy[0] if legacy else 0), (len(replaced), replaced[0] if replaced else 0))
    )


def decoding_warnings(name: str, legacy: tuple[int, int], replaced: tuple[int, int]) -> list[str]:
    """The file's warnings about lines not UTF-8: ``(how many, first line)`` decoded as cp1252, and replaced."""
    out = []
    if legacy[0]:
        out.append(
            f"{name}: {plural(legacy[0], 'line')} not UTF-8 (first: line {legacy[1]}); decoded as cp1252 (Windows-1252)"
        )
    if replaced[0]:
        out.append(
            f"{name}: {plural(replaced[0], 'line')} neither UTF-8 nor cp1252 (first: line {replaced[1]});"
            " undecodable bytes shown as U+FFFD"
        )
    return out


class _Lines:
    """The lines of a binary file that start in ``[at, end)``, read with ``readline`` as from the file itself.

    ``at`` must be a line start. A line that starts before ``end`` is read to
    its end, however far beyond ``end`` that is; then the reading stops, so
    a piece of a file ends where the next piece's first line starts.
    """

    def __init__(self, f: BinaryIO, at: int, end: int | None) -> None:
        self._f, self.at, self._end = f, at, end
        self._inside = False  # in the middle of a line (the last read stopped short of its break)

    def readline(self, size: int = -1) -> bytes:
        if self._end is not None and self.at >= self._end and not self._inside:
            return b""
        raw = self._f.readline(size)
        self.at += len(raw)
        self._inside = bool(raw) and not raw.endswith(b"\n")
        return raw


def _line_start(f: BinaryIO, offset: int) -> int:
    """Seek ``f`` to the first line start at or after ``offset``, and return it.

    Only the bytes from ``offset - 1`` to the next line break are read: the
    piece before this one reads the line that straddles ``offset``.
    """
    if offset <= 0:
        f.seek(0)
        return 0
    f.seek(offset - 1)
    at = offset - 1
    while True:
        raw = f.readline(1 << 16)
        at += len(raw)
        if not raw or raw.endswith(b"\n"):
            return at


def _jsonl_records(
    lines: Iterator[tuple[int, str]], name: str, warnings: list[str]
) -> Iterator[tuple[str, dict | None]]:
    for n, line in lines:
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            warnings.append(f"{name}:{n}: invalid JSON ({exc.msg}), skipped")
            yield f"{name}:{n}", None
            continue
        if not isinstance(rec, dict):
            warnings.append(f"{name}:{n}: not a JSON object, skipped")
            yield f"{name}:{n}", None
            continue
        # Only a "\ud800"-style escape makes a lone surrogate (decoded lines
        # never hold one), so only such a line is looked at again.
        if "\\ud" in line or "\\uD" in line:
            rec[_MAY_HOLD_SURROGATES] = True
        yield f"{name}:{n}", rec


_DELIMITERS = (",", ";", "\t", "|")


def _delimiter(header: str, text_column: str) -> str:
    """The delimiter that makes ``text_column`` a column of ``header`` (a comma when none does).

    Tables exported with a semicolon (the BABE and MBIC files, spreadsheets
    in many locales) or a tab read as they are, without an option.
    """
    for d in _DELIMITERS:
        try:
            cells = next(csv.reader([header], delimiter=d), [])
        except csv.Error:
            continue
        if text_column in (c.strip() for c in cells):
            return d
    return ","


def _csv_records(
    lines: Iterator[tuple[int, str]], name: str, text_column: str, warnings: list[str]
) -> Iterator[tuple[str, dict | None]]:
    first = next(lines, None)
    if first is None:
        raise InputError(f"{name} is empty: a CSV corpus needs a header with a '{text_column}' column")
    delimiter = _delimiter(first[1], text_column)
    reader = csv.DictReader((line for _, line in itertools.chain([first], lines)), delimiter=delimiter)
    try:
        fields = reader.fieldnames
    except csv.Error as exc:
        raise InputError(f"{name}: not a readable CSV header ({exc})") from exc
    if fields is None or text_column not in [f.strip() for f in fields]:
        raise InputError(
            f"{name} has no '{text_column}' column (columns: {', '.join(fields or [])}); name it with --text-column"
        )
    reader.fieldnames = [f.strip() for f in fields]
    while True:
        try:
            rec = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            warnings.append(f"{name}:{reader.line_num}: unreadable CSV row ({exc}), skipped")
            yield f"{name}:{reader.line_num}", None
            continue
        yield f"{name}:{reader.line_num}", {k: v for k, v in rec.items() if k is not None}


def _meta(record: dict) -> dict[str, str]:
    return {k: str(record[k]).strip() for k in META_FIELDS if record.get(k) not in (None, "")}


