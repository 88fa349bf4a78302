"""Read articles from folders, text files, CSV, JSONL and Parquet tables, as a stream.

This is an edge module: it opens files. ``CorpusReader`` yields ``Article``
records one at a time, with the manifest joined, and gathers the warnings
met on the way; it never prints and never holds more than one article (or
one table line, or one batch of Parquet rows) at a time, so a corpus of any
size can be read. Policies (also in the README):

* **Ids.** A file's id is its path relative to the corpus folder (``/``
  separators); a table row's id is its ``id_column`` value, else
  ``<file name>:<row number>`` for a table given directly and
  ``<path relative to the folder>:<row number>`` for a Parquet file inside
  a folder. A repeated id is kept and renamed ``<id>#2``, ``#3`` ... with a
  warning (``unique_id``). (The set of ids seen is the one thing kept per article.)
* **Parquet dataset folders.** In a corpus folder, ``.parquet`` files are
  tables (any depth, in the folder's sorted order among the text files,
  with the text files' rules for hidden names and links), read like a
  Parquet file given directly. A directory named ``key=value`` between the
  folder and the file (Hive-style partitioning), where ``key`` is one of
  ``manifest.META_FIELDS``, gives its URL-decoded value to the rows that
  have no value of their own for that field; other keys are ignored
  (``framing.corpus.walk``). CSV and JSONL files inside a folder are not
  read (only given directly).
* **Manifest.** ``manifest.csv`` inside a corpus folder is used unless
  ``manifest`` names one (see ``framing.corpus.manifest``). A folder's
  text files join their rows by path; table rows, a folder's Parquet rows
  too, join by id.
* **Source types** are normalised (``checked_type``); an unknown one is
  ``unknown``, with one warning per value.
* Files named ``README*``, ``LICENSE*``, ``CHANGELOG*`` and the manifest
  itself are documentation, not articles, and are not read from a folder.
* Decoding, size limits and non-regular files: ``framing.corpus.decode``;
  table records: ``framing.corpus.tables``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..defaults import MAX_ARTICLE_BYTES
from ..errors import InputError
from ..types import SOURCE_TYPES, Article
from .decode import SURROGATE, decode_bytes, open_regular, read_bytes, shown
from .lines import SpanFindings, TableSpan
from .manifest import Manifest, normalize_type, read_manifest
from .remote import RemotePath, location, resolved
from .tables import MAY_HOLD_SURROGATES, parquet_columns, record_meta, row_text, table_rows
from .walk import TABLE_SUFFIXES, file_size, folder_files, hive_fields, kind, table_label, within

__all__ = ["Corpus", "CorpusReader", "FileReader", "checked_type", "nothing_readable", "read_corpus", "unique_id"]


@dataclass
class Corpus:
    """Articles in a stable order, plus every warning met while reading."""

    articles: list[Article] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: int = 0


class FileReader:
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

    def file_article(self, path: Path | RemotePath, ident: str, name: str) -> Article | None:
        """The article of the text file ``path`` (``name``: as warnings name it), or ``None`` (warned about, counted)."""
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

    def folder_article(
        self, root: Path | RemotePath, f: Path | RemotePath, real: str, real_root: str, real_manifest: str | None
    ) -> Article | None:
        """The article of the file ``f`` found under the corpus folder ``root`` (``real``: ``f`` resolved)."""
        name = shown(str(f))
        if not self._admitted(name, real, real_root, real_manifest):
            return None
        return self.file_article(f, shown(f.relative_to(root).as_posix()), name)

    def folder_table_records(
        self, root: Path | RemotePath, f: Path | RemotePath, real: str, real_root: str, real_manifest: str | None,
        span: TableSpan | None = None, found: SpanFindings | None = None,
    ) -> Iterator[tuple[Article, int | None]]:
        """(article, record number) of the Parquet file ``f`` in the corpus folder ``root``, as ``table_records``.

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
        columns = parquet_columns(f)
        if columns is not None and self.text_column not in columns:
            # Given as a file, such a table is an error; in a folder it may be another run's output
            # (--format parquet into the corpus folder): not articles, and the rest of the folder is.
            self.warnings.append(f"{name}: no '{self.text_column}' column (columns: {', '.join(columns)}); "
                                 "not articles, skipped")
            self.skipped += 1
            return
        yield from self.table_records(
            f, span, found, label=table_label(root, f), defaults=hive_fields(f.relative_to(root).parent)
        )

    def table_records(
        self, p: Path | RemotePath, span: TableSpan | None = None, found: SpanFindings | None = None,
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
        rows = table_rows(p, self.text_column, self.warnings, self.limit, self.table_bytes_read, span, found)
        for where, rec in rows:
            if rec is None:
                self.skipped += 1
                continue
            n += 1
            if found is not None:
                found.records = n - start
            text = row_text(rec, self.text_column, where, self.warnings, self.limit)
            if text is None:
                self.skipped += 1
                continue
            ident = str(rec.get(key) or "").strip()
            auto = None if ident else n
            ident = ident or f"{prefix}:{n}"
            meta = record_meta(rec)
            if defaults:
                for k, v in defaults.items():
                    if not meta.get(k):
                        meta[k] = v
            if rec.get(MAY_HOLD_SURROGATES) and any(SURROGATE.search(v) for v in (text, ident, *meta.values())):
                # Not characters, and no output could hold them.
                self.warnings.append(f"{where}: lone surrogates (not Unicode characters) replaced by U+FFFD")
                text, ident = SURROGATE.sub("\ufffd", text), SURROGATE.sub("\ufffd", ident)
                meta = {k: SURROGATE.sub("\ufffd", v) for k, v in meta.items()}
            yield Article(id=ident, text=text, source=where, **meta), auto


class CorpusReader(FileReader):
    """The articles under ``paths``, read one at a time with the manifest joined.

    Checks the paths and reads the manifest when created (so a missing corpus
    fails at once); iterating reads the articles. ``warnings`` and
    ``skipped`` grow while iterating. Iterate once.

    Raises ``InputError`` when a path does not exist, a table lacks its text
    column, or (at the end) nothing readable was found (``nothing_readable``:
    the message names what was skipped); one unreadable article or row is
    skipped with a warning that names it instead.
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
            raise InputError(f"the article size limit (max_article_bytes) must be positive, got {max_article_bytes} bytes")
        self.paths = [location(p) for p in paths]  # a URL: read through fsspec (``framing.corpus.remote``)
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
        man_path = location(manifest) if manifest else None
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
                for f, _, table in folder_files(p, resolved(p), []):
                    if table:  # a dataset folder's Parquet file: its rows are estimated like a table's
                        table_size += file_size(f)
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
                article = checked_type(article, bad_types, self.warnings)
                article = unique_id(article, seen, self.warnings)
                self.count += 1
                yield article
        if self.manifest is not None:
            self.manifest.finish(self.warnings)
        if not self.count:
            raise nothing_readable(list(map(str, self.paths)), self.warnings, self.skipped)

    def _raw(self, p: Path | RemotePath) -> Iterator[tuple[Article, Path | RemotePath | None]]:
        """(article, the folder its manifest row is looked up by path from, or ``None``: by id only) of ``p``."""
        if p.is_dir():
            yield from self._folder(p)
        elif kind(p) in TABLE_SUFFIXES:
            for article, _ in self.table_records(p):
                yield article, None
        elif p.is_file():
            article = self.file_article(p, shown(p.name), shown(str(p)))
            if article is not None:
                yield article, None
        else:
            raise InputError(f"not a file or folder: {p}")

    def _folder(self, root: Path | RemotePath) -> Iterator[tuple[Article, Path | RemotePath | None]]:
        real_root = resolved(root)
        real_manifest = resolved(self.manifest_path) if self.manifest_path else None
        for f, real, table in folder_files(root, real_root, self.warnings):
            if table:
                # Rows join the manifest by id, as a table's given directly do: they have no path of their own.
                for article, _ in self.folder_table_records(root, f, real, real_root, real_manifest):
                    yield article, None
                continue
            article = self.folder_article(root, f, real, real_root, real_manifest)
            if article is not None:
                yield article, root


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


SKIPS_NAMED = 3  # skipped articles and rows an error for a corpus with nothing readable names (the rest are counted)


def nothing_readable(paths: Sequence[str], warnings: Sequence[str], skipped: int) -> InputError:
    """The error for a corpus that gave no article, naming what was skipped and why.

    A caller stopped by the error may never show the reading's warnings (the
    command line shows only the error), and a few hand-written rows that
    are all skipped would then vanish without a word. ``warnings`` and
    ``skipped``: the reading's. The first ``SKIPS_NAMED`` warnings that tell
    of a skip are named (without their ``skipped``), the others counted.
    """
    message = "no readable articles found in " + ", ".join(paths)
    if not skipped:
        return InputError(message)
    reasons = [_SKIPPED.sub("", w) for w in warnings if "skipped" in w.lower()]
    if len(reasons) > SKIPS_NAMED:
        reasons[SKIPS_NAMED:] = [f"and {len(reasons) - SKIPS_NAMED:,} more"]
    return InputError(f"{message}; {skipped:,} skipped" + (": " + "; ".join(reasons) if reasons else ""))


_SKIPPED = re.compile(r"[,;.] ?[sS]kipped$")


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
