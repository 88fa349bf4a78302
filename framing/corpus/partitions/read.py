"""Reading one part of a corpus, on a worker: its articles, and the notes the merge needs of them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

from ...errors import InputError
from ...types import Article
from ..decode import shown
from ..lines import SpanFindings
from ..reader import FileReader, checked_type, unique_id
from ..remote import RemotePath, location
from .plan import Part, Plan, ReadOptions, options_of

__all__ = ["Note", "PartRead", "PartReader", "read_part"]


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


class PartReader(FileReader):
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
        """(article, record number of its id or ``None``) of the part, as ``CorpusReader`` reads them."""
        if part.kind == "error":
            raise InputError(part.message)
        if part.kind == "folder":
            root = location(part.path)
            for item in part.items:
                if isinstance(item, str):  # the folder walk's warning, in its place
                    self.warnings.append(item)
                    continue
                article = self.folder_article(root, location(item[0]), item[1], part.real_root, self.real_manifest)
                if article is not None:
                    yield article, None
        elif part.kind == "file":
            p = location(part.file)
            article = self.file_article(p, shown(p.name), shown(str(p)))
            if article is not None:
                yield article, None
        elif part.real is not None:
            yield from self.folder_table_records(
                location(part.path), location(part.file), part.real, part.real_root, self.real_manifest, part.span, found
            )
        else:
            yield from self.table_records(location(part.file), part.span, found)


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
    options = options_of(plan_or_options)
    if empty:
        return PartRead(part.index, [], [], [])
    if not part.numbered:
        raise ValueError(f"part {part.index} is not numbered yet: count_part and number_parts first")
    reader = PartReader(options)
    found = SpanFindings() if part.span is not None else None
    manifest = options.manifest.copy() if options.manifest is not None else None
    by_line = manifest.rows_by_line() if manifest is not None and rows is not None else {}
    folder = location(part.path) if part.kind == "folder" else None
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
                        def relative(folder: Path | RemotePath = folder, ident: str = ident, resolved: list = resolved) -> str | None:
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
