"""A corpus split into parts that workers read themselves, with exactly what ``CorpusReader`` gives.

A Dask worker reads its part of the corpus from the files, so the text never
passes through the machine that runs ``framing`` (the client). The client
only plans (lists folders, stats files, reads Parquet metadata) and merges
what the reads tell it (ids, places, counts; never the text). The calls, in
this order::

    client   plan = plan_parts(paths, manifest=..., text_column=..., ...)
    workers  counts = [count_part(plan.parts[i], plan.options) for i in plan.to_count]
    client   plan = number_parts(plan, counts)        # both steps only when plan.to_count
    workers  reads[i] = read_part(plan.parts[i], plan.options)    # for every part
    client   merged = merge_reads(plan, [r.summary() for r in reads])
    workers  for i, kwargs in merged.rerun.items():
                 reads[i] = read_part(plan.parts[i], plan.options, **kwargs)

Then the articles of ``reads`` in part order are ``list(CorpusReader(...))``,
field for field, and ``merged.warnings`` and ``merged.skipped`` are the
reader's ``warnings`` and ``skipped``. ``read_in_parts`` runs the sequence
in this process (the reference for an engine).

How a corpus is split:

* A folder: its files in the reader's order, in groups of about
  ``target_bytes``. The walk's own warnings (a folder reached twice) travel
  in the part, in their place between files. A Parquet file in the folder
  (a dataset folder's part files) ends the group before it and gets parts
  of its own, cut as a Parquet file given directly is (below); its rows'
  ids and ``key=value`` directories are the reader's (``framing.corpus.sources``).
* A plain JSONL file over ``target_bytes``: byte ranges; a part reads the
  lines that *start* in its range. Its first line number is not known
  without counting the line breaks before it, which is done on the workers
  (``count_part``: no decoding, no JSON) before the reading. Record numbers
  (the ``file:<n>`` ids of records without an id) are guessed from the same
  count and checked by the merge; a wrong guess (blank, invalid or non-object
  lines before a part that has records without ids) reruns that part.
  Whether a file is UTF-16/32 is known only from its first 64 KB: then the
  part that starts the file reads all of it, as the reader does, and the
  others give nothing.
* A Parquet file: its row groups, cut only where the rows before are a
  multiple of ``PARQUET_BATCH`` (so each part decodes the same batches as
  the reader, and a damaged row group fails at the same row).
* Anything else (CSV, whose quoted cells may hold line breaks; gzip; one
  text file; a table that cannot be split): one part per file.

What only the whole corpus decides is decided by the merge, which replays
the reader's last steps on the parts' notes: the manifest's rows (a
``file`` row is used once), source types (one warning per unknown value),
duplicate ids, the file-level decoding warnings of a split file, the rows
nobody used. A part whose articles came out otherwise than the replay says
(an id renamed because of an earlier part, a manifest row an earlier part
already used, a wrong record-number guess) is rerun with the replay's ids
and rows; so are the parts of a file after a part that could not read the
rest of it (they give nothing then). So there are no reruns for a folder
of text files, a CSV file, or a JSONL file without bad lines, as long as
ids are unique and each manifest row names one article.
"""

from __future__ import annotations

import codecs
import math
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from ..defaults import MAX_ARTICLE_BYTES, PARTITION_BYTES
from ..errors import InputError
from ..types import Article
from .decode import open_regular, shown, utf16_layout
from .manifest import Manifest
from .sources import (
    _SNIFF,
    _WIDE_BOMS,
    GZIP_SUFFIX,
    PARQUET_BATCH,
    TABLE_SUFFIXES,
    CorpusReader,
    SpanFindings,
    TableSpan,
    _folder_files,
    _line_start,
    _Lines,
    _Reading,
    _size,
    checked_type,
    decoding_warnings,
    kind,
    table_label,
    unique_id,
    within,
)

__all__ = [
    "Merged", "Note", "Part", "PartCount", "PartRead", "Plan", "ReadOptions",
    "count_part", "merge_reads", "number_parts", "plan_parts", "read_in_parts", "read_part",
]



@dataclass(frozen=True, eq=False)
class ReadOptions:
    """What every part is read with. It holds the manifest: send it to the workers once."""

    paths: tuple[str, ...]  # the corpus paths, as the reader names them
    text_column: str = "text"
    id_column: str | None = None
    max_article_bytes: int = MAX_ARTICLE_BYTES
    manifest: Manifest | None = None  # as read and checked by the plan; never changed afterwards
    real_manifest: str | None = None  # the manifest file, links resolved (a folder does not read it as an article)


@dataclass(frozen=True)
class Part:
    """A picklable recipe for one part of the corpus: which files, which bytes or row groups, and their numbering.

    ``kind``: ``folder`` (files of the corpus folder ``path``, in ``items``),
    ``file`` (the single text file ``path``), ``table`` (the whole table
    ``file``), ``lines`` (a byte range of the JSONL ``file``), ``rows``
    (row groups of the Parquet ``file``), ``error`` (``path`` is neither a
    file nor a folder: reading it fails with ``message``). A ``table`` or
    ``rows`` part whose ``real`` is not ``None`` is a Parquet file inside
    the corpus folder ``path``.
    """

    index: int  # position in the plan (corpus order)
    kind: str
    path: str  # the corpus path this part belongs to, as the reader names it
    file: str = ""  # the one file read, for every kind but folder
    # folder: (file, file with links resolved) pairs, and the walk's warnings (strings) in their place
    items: tuple[tuple[str, str] | str, ...] = ()
    real_root: str = ""  # folder, and a table in a folder: the corpus folder, links resolved
    span: TableSpan | None = None  # lines, rows: the piece of the file, and its numbering
    piece: int = 0  # lines, rows: this part's position among the file's parts
    pieces: int = 1  # lines, rows: how many parts the file has
    numbered: bool = True  # lines: False until ``number_parts`` gave it the numbers of the lines before it
    size: int = 0  # bytes of files (about), to balance the work
    message: str = ""  # error: what reading says
    # table, rows: the file with links resolved, as the walk of the corpus folder ``path`` found it
    # ("": a link loop); None: a table given as a corpus path itself
    real: str | None = None

    @property
    def in_folder(self) -> bool:
        """Whether this part reads a table found in the corpus folder ``path`` (a dataset folder's file)."""
        return self.real is not None


@dataclass(frozen=True, eq=False)
class Plan:
    """The parts of a corpus, in corpus order, and what reading and merging them needs."""

    parts: tuple[Part, ...]
    warnings: tuple[str, ...]  # the warnings met so far, by the client: the manifest's
    options: ReadOptions

    @property
    def to_count(self) -> tuple[int, ...]:
        """Indices of the parts whose ``count_part`` the next part's numbering needs (empty once numbered)."""
        return tuple(
            p.index for p in self.parts
            if p.kind == "lines" and p.piece < p.pieces - 1 and not self.parts[p.index + 1].numbered
        )


@dataclass(frozen=True)
class PartCount:
    """The line breaks of a ``lines`` part, for the numbering of the next part of its file."""

    index: int
    physical: int  # lines ending in \n (or the file's end)
    line: int  # lines ending in \n, \r\n or \r
    records: int  # lines that look like a JSON object: a guess, which the merge checks
    plain: bool  # some line was within the size limit (after one, a byte-order mark is text)


class Note(NamedTuple):
    """What the merge needs of one article of a part: neither its text nor its metadata."""

    id: str  # its id as read, before the duplicate check
    record: int | None  # the number in its id (``file:<n>``) when the record had no id of its own
    source: str  # where it was read (for warnings)
    source_type: str  # its own source type, before the manifest
    relative: str | None | bool  # the manifest key of its path, when the part resolved it (False: not resolved)
    row: int  # the manifest line of the row it was given; 0: none
    final_id: str  # its id in the part's articles
    mark: int  # how many of the part's warnings came before it


@dataclass
class PartRead:
    """One part as read: its articles, and what ``merge_reads`` needs.

    ``warnings`` are the part's reading warnings (decoding, bad lines,
    unreadable files, in order); those that depend on the rest of the corpus
    (manifest rows, unknown source types, duplicate ids, a split file's
    decoding counts) are written by the merge, not here. ``error``: the
    ``InputError`` that stopped the reading (a table without its text column).
    """

    index: int
    articles: list[Article]
    notes: list[Note]
    warnings: list[str]
    skipped: int = 0
    found: SpanFindings | None = None  # lines, rows: records read, decoding counts, whether the rest of the file is gone
    error: str | None = None

    def summary(self) -> PartRead:
        """This read without its articles (so without any text): what the client gets."""
        return replace(self, articles=[])


@dataclass
class Merged:
    """The whole corpus's warnings and skips, and the parts to read again (``read_part(part, options, **kwargs)``)."""

    warnings: list[str]
    skipped: int
    rerun: dict[int, dict[str, object]] = field(default_factory=dict)
    articles: int = 0  # articles in the corpus


def plan_parts(
    paths: Sequence[str | Path],
    *,
    manifest: str | Path | None = None,
    text_column: str = "text",
    id_column: str | None = None,
    max_article_bytes: int = MAX_ARTICLE_BYTES,
    target_bytes: int = PARTITION_BYTES,
) -> Plan:
    """The parts of the corpus at ``paths``, planned on the client without reading any article.

    The checks and the manifest are ``CorpusReader``'s (same errors, same
    warnings). Folders are listed and their files' sizes read; a Parquet
    file's metadata is read; no article file or JSONL line is opened.
    ``target_bytes``: about how many bytes of files a part reads.
    """
    if target_bytes < 1:
        raise InputError(f"the part size must be positive, got {target_bytes} bytes")
    # The reader's own constructor: the same checks, manifest and warnings, and it reads no article.
    reader = CorpusReader(
        paths, manifest=manifest, text_column=text_column, id_column=id_column, max_article_bytes=max_article_bytes
    )
    options = ReadOptions(
        paths=tuple(map(str, reader.paths)),
        text_column=text_column,
        id_column=id_column,
        max_article_bytes=max_article_bytes,
        manifest=reader.manifest,
        real_manifest=os.path.realpath(reader.manifest_path) if reader.manifest_path else None,
    )
    parts: list[Part] = []
    for p in reader.paths:  # the order and the tests of CorpusReader._raw
        if p.is_dir():
            parts += _folder_parts(p, text_column, target_bytes)
        elif kind(p) in TABLE_SUFFIXES:
            parts += _table_parts(p, text_column, target_bytes)
        elif p.is_file():
            parts.append(Part(0, "file", str(p), file=str(p), size=_size(p)))
        else:
            parts.append(Part(0, "error", str(p), message=f"not a file or folder: {p}"))
    numbered = tuple(replace(part, index=i) for i, part in enumerate(parts))
    return Plan(parts=numbered, warnings=tuple(reader.warnings), options=options)


def _folder_parts(root: Path, text_column: str, target: int) -> list[Part]:
    """The folder's text files in groups of about ``target`` bytes (at least one file each), its Parquet files'
    parts between them, in the reader's order; ``index`` still 0."""
    real_root = os.path.realpath(root)
    walk_warnings: list[str] = []
    parts: list[Part] = []
    items: list[tuple[str, str] | str] = []
    size = files = told = 0

    def close() -> None:
        nonlocal items, size, files
        if items:
            parts.append(Part(0, "folder", str(root), items=tuple(items), real_root=real_root, size=size))
        items, size, files = [], 0, 0

    for f, real, table in _folder_files(root, real_root, walk_warnings):
        # A warning of the walk comes before the file found after it, as when reading.
        before, told = walk_warnings[told:], len(walk_warnings)
        if table:
            items += before  # read before the table, at the end of the group it closes
            close()
            parts += _table_parts(f, text_column, target, root=root, real=real, real_root=real_root)
            continue
        n = _size(f)
        if files and size + n > target:
            close()
        items += before
        items.append((str(f), real))
        size += n
        files += 1
    items += walk_warnings[told:]
    close()
    return parts


def _table_parts(
    p: Path, text_column: str, target: int, *, root: Path | None = None, real: str | None = None, real_root: str = ""
) -> list[Part]:
    """One table: byte ranges of a large plain JSONL, row groups of a Parquet file, else the whole file.

    ``root``: the corpus folder the Parquet file ``p`` was found in (``real``:
    ``p`` resolved, ``real_root``: the folder resolved). A file the folder's
    reading refuses (a link loop, a link out of the folder) is one part, whose
    reading says so; its metadata is not read.
    """
    path = str(p) if root is None else str(root)
    whole = [Part(0, "table", path, file=str(p), size=_size(p), real=real, real_root=real_root)]
    if real is not None and not (real and within(real, real_root)):
        return whole
    try:
        st = os.stat(p)
    except OSError:
        return whole
    if not stat.S_ISREG(st.st_mode) or p.name.lower().endswith(GZIP_SUFFIX):
        return whole  # the reading warns (not a regular file), or reads a stream that cannot be cut
    if kind(p) == ".jsonl" and st.st_size > target:
        n = math.ceil(st.st_size / target)
        return [
            Part(0, "lines", str(p), file=str(p), piece=i, pieces=n, numbered=i == 0,
                 span=TableSpan(start=i * target, end=(i + 1) * target if i < n - 1 else None),
                 size=target if i < n - 1 else st.st_size - i * target)
            for i in range(n)
        ]
    if kind(p) == ".parquet":
        pieces = _parquet_pieces(p, text_column, target)
        if pieces is not None and len(pieces) > 1:
            return [
                Part(0, "rows", path, file=str(p), piece=i, pieces=len(pieces),
                     span=TableSpan(groups=groups, record=rows), size=size, real=real, real_root=real_root)
                for i, (groups, rows, size) in enumerate(pieces)
            ]
    return whole


def _parquet_pieces(p: Path, text_column: str, target: int) -> list[tuple[tuple[int, ...], int, int]] | None:
    """(row groups, rows before them, bytes) of each part of a Parquet file, from its metadata; ``None``: read it whole.

    A part starts only where the rows before it are a multiple of
    ``PARQUET_BATCH``, so that it decodes the batches the reader decodes.
    A file whose metadata cannot be read, or that lacks the text column, is
    left whole for the reading to say so.
    """
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return None
    try:
        pf = pq.ParquetFile(p)
        meta = pf.metadata
        if text_column not in pf.schema_arrow.names:
            return None
    except (OSError, pa.ArrowException):
        return None
    pieces: list[tuple[tuple[int, ...], int, int]] = []
    groups: list[int] = []
    first_row = rows = size = 0
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        if groups and size + group.total_byte_size > target and rows % PARQUET_BATCH == 0:
            pieces.append((tuple(groups), first_row, size))
            groups, first_row, size = [], rows, 0
        groups.append(g)
        rows += group.num_rows
        size += group.total_byte_size
    if groups:
        pieces.append((tuple(groups), first_row, size))
    return pieces


def _options(plan_or_options: Plan | ReadOptions) -> ReadOptions:
    return plan_or_options.options if isinstance(plan_or_options, Plan) else plan_or_options


_BREAK = re.compile(rb"\r\n?|\n")


def count_part(part: Part, plan_or_options: Plan | ReadOptions) -> PartCount:
    """The line breaks of a ``lines`` part (on a worker; reads its bytes, decodes nothing).

    Counts the lines exactly as the reader numbers them (an over-long line
    is one line, whatever it holds); the record count is a guess (lines that
    start with ``{``), checked by the merge.
    """
    none = PartCount(part.index, 0, 0, 0, False)
    if part.kind != "lines" or part.span is None:
        return none
    limit = _options(plan_or_options).max_article_bytes
    f = open_regular(Path(part.file), part.file, [])
    if f is None:
        return none  # the part that starts the file says why; this one reads nothing either
    physical = lines = records = 0
    plain = False
    first = part.span.start == 0
    try:
        with f:
            head = f.read(_SNIFF)
            if head.startswith(_WIDE_BOMS) or utf16_layout(head) is not None:
                return none  # read whole by the part that starts the file
            piece = _Lines(f, _line_start(f, part.span.start), part.span.end)
            while raw := piece.readline(limit + 1):
                physical += 1
                if len(raw) > limit and not raw.endswith(b"\n"):
                    while raw and not raw.endswith(b"\n"):
                        raw = piece.readline(1 << 20)
                    lines += 1
                    continue
                if first and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8):]
                first, plain = False, True
                if b"\r" in raw:  # \r and \r\n break lines too, as in sources._numbered
                    cut = _BREAK.split(raw)
                    if cut[-1] == b"":
                        cut.pop()
                else:
                    cut = [raw]
                lines += len(cut)
                records += sum(1 for c in cut if c.lstrip().startswith(b"{"))
    except OSError:
        return none  # the reading meets it too, and says so
    return PartCount(part.index, physical, lines, records, plain)


def number_parts(plan: Plan, counts: Iterable[PartCount] | Mapping[int, PartCount]) -> Plan:
    """The plan with each split JSONL part numbered from the counts of the parts before it (``plan.to_count``)."""
    found = {c.index: c for c in (counts.values() if isinstance(counts, Mapping) else counts)}
    parts = list(plan.parts)
    for i, p in enumerate(parts):
        if p.kind != "lines" or p.numbered:
            continue
        before = parts[i - 1]
        if before.index not in found:
            raise ValueError(f"number_parts needs count_part of part {before.index}")
        c, s = found[before.index], before.span
        assert s is not None and p.span is not None and before.numbered
        span = replace(
            p.span, physical=s.physical + c.physical, line=s.line + c.line, record=s.record + c.records,
            bom=s.bom and not c.plain,
        )
        parts[i] = replace(p, span=span, numbered=True)
    return replace(plan, parts=tuple(parts))


class _PartReader(_Reading):
    """The reader's per-file reading, for one part."""

    def __init__(self, options: ReadOptions) -> None:
        self.text_column = options.text_column
        self.id_column = options.id_column
        self.limit = options.max_article_bytes
        self.warnings: list[str] = []
        self.skipped = 0
        self.table_bytes_read = None
        self.real_manifest = options.real_manifest

    def raw(self, part: Part, found: SpanFindings | None) -> Iterator[tuple[Article, int | None]]:
        """(article, record number of its id or ``None``) of the part, as ``CorpusReader._raw`` reads them."""
        if part.kind == "error":
            raise InputError(part.message)
        if part.kind == "folder":
            root = Path(part.path)
            for item in part.items:
                if isinstance(item, str):  # the folder walk's warning, in its place
                    self.warnings.append(item)
                    continue
                article = self._folder_entry(root, Path(item[0]), item[1], part.real_root, self.real_manifest)
                if article is not None:
                    yield article, None
        elif part.kind == "file":
            p = Path(part.file)
            article = self._file(p, shown(p.name), shown(str(p)))
            if article is not None:
                yield article, None
        elif part.real is not None:
            yield from self._folder_table(
                Path(part.path), Path(part.file), part.real, part.real_root, self.real_manifest, part.span, found
            )
        else:
            yield from self._table_records(Path(part.file), part.span, found)


def read_part(
    part: Part,
    plan_or_options: Plan | ReadOptions,
    *,
    renames: Mapping[int, str] | None = None,
    rows: Sequence[int] | None = None,
    empty: bool = False,
) -> PartRead:
    """The articles of one part, in corpus order, manifest joined, source types normalised (on a worker).

    Pure apart from reading the part's files; the arguments and the result
    pickle. On a first reading, ids repeated within the part are renamed as
    the reader would, and manifest rows are looked up as if no other part
    had used any; ``merge_reads`` checks both. Its reruns pass:
    ``renames``: the final id of the ``j``-th article where it is not the id
    read (no other renaming is done then); ``rows``: the manifest line of
    every article's row (0: none) instead of looking them up; ``empty``: the
    part gives nothing (an earlier part of its file read the rest of it, or
    could not).
    """
    options = _options(plan_or_options)
    if empty:
        return PartRead(part.index, [], [], [])
    if not part.numbered:
        raise ValueError(f"part {part.index} is not numbered yet: count_part and number_parts first")
    reader = _PartReader(options)
    found = SpanFindings() if part.span is not None else None
    manifest = options.manifest.copy() if options.manifest is not None else None
    by_line = manifest.rows_by_line() if manifest is not None and rows is not None else {}
    folder = Path(part.path) if part.kind == "folder" else None
    seen: dict[str, int] = {}
    bad: set[str] = set()
    later: list[str] = []  # the warnings the merge writes, from the whole corpus: not kept
    articles: list[Article] = []
    notes: list[Note] = []
    error = None
    try:
        for j, (article, record) in enumerate(reader.raw(part, found)):
            mark = len(reader.warnings)
            ident, own = article.id, article.source_type
            resolved: list[str | None | bool] = [False]
            line = 0
            if manifest is not None:
                if rows is not None:
                    row = by_line.get(rows[j]) if rows[j] else None
                else:
                    relative = None
                    if folder is not None:
                        def relative(folder: Path = folder, ident: str = ident, resolved: list = resolved) -> str | None:
                            resolved[0] = manifest.relative_key(folder, ident)
                            return resolved[0]
                    row = manifest.take(ident, relative)
                article = manifest.apply(article, row, later)
                line = row.line if row is not None else 0
            article = checked_type(article, bad, later)
            if renames is not None:
                new = renames.get(j, ident)
                article = article if new == article.id else replace(article, id=new)
            else:
                article = unique_id(article, seen, later)
            articles.append(article)
            notes.append(Note(ident, record, article.source, own, resolved[0], line, article.id, mark))
    except InputError as exc:  # the reader stops the corpus here; the merge raises it in corpus order
        error = str(exc)
    return PartRead(part.index, articles, notes, reader.warnings, reader.skipped, found, error)


@dataclass
class _FileState:
    """A split file, as the merge goes through its parts."""

    records: int = 0
    legacy: tuple[int, int] = (0, 0)
    replaced: tuple[int, int] = (0, 0)
    done: bool = False  # the rest of the file was read, or is gone: its later parts give nothing


def _added(total: tuple[int, int], more: tuple[int, int]) -> tuple[int, int]:
    """Decoding counts ``(lines, first line)`` of two pieces of a file, in file order."""
    return total[0] + more[0], total[1] if total[0] else more[1]


def merge_reads(plan: Plan, reads: Iterable[PartRead]) -> Merged:
    """The corpus's warnings and skips from every part's read (summaries will do), and the parts to rerun.

    Replays, over the parts' notes in corpus order, what the reader decides
    from the whole corpus: manifest rows, source-type warnings, duplicate
    ids, a split file's decoding warnings, the manifest rows with no article.
    Raises the first part's ``InputError`` in corpus order, and
    ``InputError`` when the corpus has no readable article, as the reader does.
    """
    by_index = {r.index: r for r in reads}
    if sorted(by_index) != list(range(len(plan.parts))):
        raise ValueError("merge_reads needs the read of every part of the plan")
    options = plan.options
    manifest = options.manifest.copy() if options.manifest is not None else None
    warnings = list(plan.warnings)
    skipped = count = 0
    seen: dict[str, int] = {}
    bad: set[str] = set()
    rerun: dict[int, dict[str, object]] = {}
    files: dict[int, _FileState] = {}  # by the index of the file's first part
    for part in plan.parts:
        read = by_index[part.index]
        state = files.setdefault(part.index - part.piece, _FileState()) if part.span is not None else None
        if state is not None and state.done:
            if read.notes:
                rerun[part.index] = {"empty": True}
            continue
        if read.error is not None:
            raise InputError(read.error)
        # Records without an id are numbered on from the records before the part, which its count only guessed.
        offset = state.records - part.span.record if state is not None and part.span is not None else 0
        label = table_label(part.path if part.in_folder else None, part.file) if part.file else ""
        folder = Path(part.path) if part.kind == "folder" else None
        mark = 0
        finals: list[str] = []
        lines: list[int] = []
        for note in read.notes:
            warnings.extend(read.warnings[mark:note.mark])  # read before this article
            mark = note.mark
            ident = note.id if note.record is None or not offset else f"{label}:{note.record + offset}"
            a = Article(id=ident, text="", source=note.source, source_type=note.source_type)
            if manifest is not None:
                relative = None
                if folder is not None:
                    if note.relative is not False:
                        relative = lambda key=note.relative: key
                    else:  # the part found its row without resolving the path; here it must
                        relative = lambda f=folder, i=ident: manifest.relative_key(f, i)
                row = manifest.take(ident, relative)
                a = manifest.apply(a, row, warnings)
                lines.append(row.line if row is not None else 0)
            a = checked_type(a, bad, warnings)
            a = unique_id(a, seen, warnings)
            finals.append(a.id)
        warnings.extend(read.warnings[mark:])
        skipped += read.skipped
        count += len(read.notes)
        if state is not None and read.found is not None:
            found = read.found
            state.records += found.records
            state.legacy = _added(state.legacy, found.legacy)
            state.replaced = _added(state.replaced, found.replaced)
            if found.failed or found.whole or part.piece == part.pieces - 1:
                # The reader writes these when the file's lines run out.
                warnings.extend(decoding_warnings(shown(str(Path(part.file))), state.legacy, state.replaced))
                state.done = True
        wrong_ids = any(f != n.final_id for f, n in zip(finals, read.notes))
        wrong_rows = any(line != n.row for line, n in zip(lines, read.notes))
        if wrong_ids or wrong_rows:
            kwargs: dict[str, object] = {"renames": {j: f for j, (f, n) in enumerate(zip(finals, read.notes)) if f != n.id}}
            if wrong_rows:
                kwargs["rows"] = tuple(lines)
            rerun[part.index] = kwargs
    if manifest is not None:
        manifest.finish(warnings)
    if not count:
        raise InputError("no readable articles found in " + ", ".join(options.paths))
    return Merged(warnings=warnings, skipped=skipped, rerun=rerun, articles=count)


def read_in_parts(plan: Plan) -> tuple[list[Article], Merged]:
    """Every step in this process, in the order an engine takes them: the articles and the merge."""
    counts = [count_part(plan.parts[i], plan.options) for i in plan.to_count]
    plan = number_parts(plan, counts)
    reads = [read_part(p, plan.options) for p in plan.parts]
    merged = merge_reads(plan, [r.summary() for r in reads])
    for i, kwargs in merged.rerun.items():
        reads[i] = read_part(plan.parts[i], plan.options, **kwargs)  # type: ignore[arg-type]
    return [a for r in reads for a in r.articles], merged
