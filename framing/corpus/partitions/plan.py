"""Planning the parts of a corpus on the client, and numbering the pieces of a split JSONL file.

``plan_parts`` lists folders, stats files and reads Parquet metadata; it
opens no article. ``count_part`` (on a worker) counts the lines of a piece
of a JSONL file without decoding them, and ``number_parts`` numbers each
piece on from the counts of the pieces before it. How a corpus is cut:
``framing.corpus.partitions``.
"""

from __future__ import annotations

import math
import os
import stat
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ...defaults import MAX_ARTICLE_BYTES, PARTITION_BYTES
from ...errors import InputError
from ..decode import open_regular
from ..lines import SNIFF, TableSpan, count_lines, needs_whole
from ..manifest import Manifest
from ..reader import CorpusReader
from ..remote import RemotePath, location, resolved
from ..tables import PARQUET_BATCH, parquet_file
from ..walk import GZIP_SUFFIX, TABLE_SUFFIXES, file_size, folder_files, kind, within

__all__ = ["Part", "PartCount", "Plan", "ReadOptions", "count_part", "number_parts", "options_of", "plan_parts"]


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


def options_of(plan_or_options: Plan | ReadOptions) -> ReadOptions:
    """The read options of a plan (or the options themselves)."""
    return plan_or_options.options if isinstance(plan_or_options, Plan) else plan_or_options


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
        raise InputError(f"the part size (target_bytes) must be positive, got {target_bytes} bytes")
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
        real_manifest=resolved(reader.manifest_path) if reader.manifest_path else None,
    )
    parts: list[Part] = []
    for p in reader.paths:  # the order and the tests of CorpusReader._raw
        if p.is_dir():
            parts += _folder_parts(p, text_column, target_bytes)
        elif kind(p) in TABLE_SUFFIXES:
            parts += _table_parts(p, text_column, target_bytes)
        elif p.is_file():
            parts.append(Part(0, "file", str(p), file=str(p), size=file_size(p)))
        else:
            parts.append(Part(0, "error", str(p), message=f"not a file or folder: {p}"))
    numbered = tuple(replace(part, index=i) for i, part in enumerate(parts))
    return Plan(parts=numbered, warnings=tuple(reader.warnings), options=options)


def _folder_parts(root: Path | RemotePath, text_column: str, target: int) -> list[Part]:
    """The folder's text files in groups of about ``target`` bytes (at least one file each), its Parquet files'
    parts between them, in the reader's order; ``index`` still 0."""
    real_root = resolved(root)
    walk_warnings: list[str] = []
    parts: list[Part] = []
    items: list[tuple[str, str] | str] = []
    size = files = told = 0

    def close() -> None:
        nonlocal items, size, files
        if items:
            parts.append(Part(0, "folder", str(root), items=tuple(items), real_root=real_root, size=size))
        items, size, files = [], 0, 0

    for f, real, table in folder_files(root, real_root, walk_warnings):
        # A warning of the walk comes before the file found after it, as when reading.
        before, told = walk_warnings[told:], len(walk_warnings)
        if table:
            items += before  # read before the table, at the end of the group it closes
            close()
            parts += _table_parts(f, text_column, target, root=root, real=real, real_root=real_root)
            continue
        n = file_size(f)
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
    p: Path | RemotePath, text_column: str, target: int, *,
    root: Path | RemotePath | None = None, real: str | None = None, real_root: str = "",
) -> list[Part]:
    """One table: byte ranges of a large plain JSONL, row groups of a Parquet file, else the whole file.

    ``root``: the corpus folder the Parquet file ``p`` was found in (``real``:
    ``p`` resolved, ``real_root``: the folder resolved). A file the folder's
    reading refuses (a link loop, a link out of the folder) is one part, whose
    reading says so; its metadata is not read.
    """
    path = str(p) if root is None else str(root)
    whole = [Part(0, "table", path, file=str(p), size=file_size(p), real=real, real_root=real_root)]
    if real is not None and not (real and within(real, real_root)):
        return whole
    try:
        st = p.stat() if isinstance(p, RemotePath) else os.stat(p)
    except OSError:
        return whole
    regular = isinstance(p, RemotePath) or stat.S_ISREG(st.st_mode)  # a store holds no pipes
    if not regular or p.name.lower().endswith(GZIP_SUFFIX):
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


def _parquet_pieces(
    p: Path | RemotePath, text_column: str, target: int
) -> list[tuple[tuple[int, ...], int, int]] | None:
    """(row groups, rows before them, bytes) of each part of a Parquet file, from its metadata; ``None``: read it whole.

    A part starts only where the rows before it are a multiple of
    ``PARQUET_BATCH``, so that it decodes the batches the reader decodes.
    A file whose metadata cannot be read, or that lacks the text column, is
    left whole for the reading to say so.
    """
    try:
        import pyarrow as pa
    except ImportError:
        return None
    try:
        with parquet_file(p) as pf:
            meta = pf.metadata
            names = pf.schema_arrow.names
    except (OSError, pa.ArrowException):
        return None
    if text_column not in names:
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


def count_part(part: Part, plan_or_options: Plan | ReadOptions) -> PartCount:
    """The line breaks of a ``lines`` part (on a worker; reads its bytes, decodes nothing).

    Counts the lines exactly as the reader numbers them (``lines.count_lines``);
    the record count is a guess (lines that start with ``{``), checked by the merge.
    """
    none = PartCount(part.index, 0, 0, 0, False)
    if part.kind != "lines" or part.span is None:
        return none
    limit = options_of(plan_or_options).max_article_bytes
    f = open_regular(location(part.file), part.file, [])
    if f is None:
        return none  # the part that starts the file says why; this one reads nothing either
    try:
        with f:
            if needs_whole(f.read(SNIFF)):
                return none  # read whole by the part that starts the file
            counted = count_lines(f, part.span, limit)
    except OSError:
        return none  # the reading meets it too, and says so
    return PartCount(part.index, *counted)


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
