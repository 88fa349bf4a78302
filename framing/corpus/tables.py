"""The records of CSV, JSONL and Parquet tables, read as a stream, and the rules for a record's text.

* **CSV.** The first line is the header; its delimiter is the one of
  ``,`` ``;`` tab ``|`` that makes the text column a column (``delimiter``).
  Quoted cells may hold line breaks; empty lines are no row. A row that
  cannot be parsed is skipped with a warning, and so is a row shorter than
  the header that has no cell for the text column (an empty cell is an
  empty text, and kept).
* **JSONL.** One JSON object a line; a line of nothing but JSON's own
  whitespace (space, tab) is no record. A line that is not JSON (a raw
  control character in a string, a line of other whitespace such as a form
  feed or U+2028), or not an object, is skipped with a warning that says why.
* **Parquet.** Read ``PARQUET_BATCH`` rows at a time with pyarrow (the
  ``parquet`` extra). A column that is not text becomes its string form in
  the metadata.
* **A record's text** (``row_text``): missing, not text, over the article
  size limit or holding NUL characters, the record is skipped with a
  warning; line breaks become ``\\n``.

Every record skipped is named by one warning, ``file:line: why; skipped``
(a row number for Parquet), and counted.
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import json
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from ..english import plural
from ..errors import InputError
from .decode import OVER_LIMIT, decode_bytes, how_to_set, open_regular, shown, size_text
from .lines import SNIFF, LineRange, SpanFindings, TableSpan, decoded_lines, line_start, needs_whole, numbered
from .manifest import META_FIELDS
from .remote import RemotePath
from .walk import GZIP_SUFFIX, kind

__all__ = [
    "MAY_HOLD_SURROGATES", "PARQUET_BATCH", "SHORT_ROW", "delimiter", "parquet_columns", "parquet_file",
    "record_meta", "row_text",
    "table_rows",
]

PARQUET_BATCH = 1024  # rows decoded at a time: memory follows the batch, not the file
# A key no JSON object can have (JSON keys are strings): marks a record whose
# line held a \ud800-style escape, the only way a record gets lone surrogates.
MAY_HOLD_SURROGATES = object()
# A key no CSV header can give: marks a row with fewer cells than the header, (its cells, the header's).
SHORT_ROW = object()
_NO_CELL = object()  # what a short CSV row holds for the header's columns it has no cell for
_DELIMITERS = (",", ";", "\t", "|")
_JSON_SPACE = " \t\n\r"  # the only whitespace JSON has: a line of nothing else is blank, no record

csv.field_size_limit(2**31 - 1)


def table_rows(
    path: Path | RemotePath, text_column: str, warnings: list[str], limit: int, counter: list[int] | None = None,
    span: TableSpan | None = None, found: SpanFindings | None = None,
) -> Iterator[tuple[str, dict | None]]:
    """(place, record) pairs of a .csv, .jsonl or .parquet file, read as a stream.

    The record is ``None`` for a line that held a record but could not be
    read (already warned about), so that the caller can count it as skipped.
    Memory stays bounded by the largest record, not the file: a table of a
    million rows is never held as one string. ``counter``: bytes read so
    far, for progress. ``span``: read only that piece of a JSONL or Parquet
    file (see ``TableSpan``); the piece's file-level findings go to
    ``found`` instead of ``warnings`` (the decoding counts).
    """
    name = shown(str(path))
    if kind(path) == ".parquet":
        yield from parquet_rows(path, name, text_column, warnings, counter, span, found)
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
            head = f.read(SNIFF)
            f.seek(0)
        except (OSError, EOFError, zlib.error) as exc:
            file_warnings.append(f"{name}: not a readable gzip file ({exc}), skipped")
            if whole:
                yield name, None
            return
        over_long: list[int] = []
        if needs_whole(head):
            if not whole:
                return
            lines = _whole_lines(f, name, warnings, counter, found)
            if lines is None:
                yield name, None  # the file is skipped, and counted
                return
        elif span is not None:
            piece = LineRange(f, line_start(f, span.start), span.end)
            lines = decoded_lines(piece, name, warnings, limit, over_long, span=span, found=found)
        else:
            # Progress counts the bytes of the file itself, compressed or not.
            position = raw_file.tell if compressed else None
            lines = decoded_lines(f, name, warnings, limit, over_long, counter, position)
        if kind(path) == ".jsonl":
            yield from _jsonl_records(lines, name, warnings)
        else:
            yield from _csv_records(lines, name, text_column, warnings)
        for n in over_long:
            yield f"{name}:{n}", None


def _whole_lines(
    f: BinaryIO | gzip.GzipFile, name: str, warnings: list[str], counter: list[int] | None,
    found: SpanFindings | None,
) -> Iterator[tuple[int, str]] | None:
    """The numbered lines of a UTF-16/32 file, which must be decoded whole; ``None`` when it cannot be (warned about).

    A NUL elsewhere stays in its own line, to be skipped with that record alone.
    """
    if found is not None:
        found.whole = True
    data = f.read()
    if counter is not None:
        counter[0] += len(data)
    text = decode_bytes(data, name, warnings)
    if text is None:
        return None
    return numbered(io.StringIO(text, newline=""))


def parquet_columns(path: Path | RemotePath) -> list[str] | None:
    """A Parquet file's column names, from its metadata; ``None`` when it cannot be read (the reading says why)."""
    try:
        import pyarrow as pa
    except ImportError:
        return None
    try:
        with parquet_file(path) as pf:
            return list(pf.schema_arrow.names)
    except (OSError, pa.ArrowException):
        return None


@contextmanager
def parquet_file(path: Path | RemotePath) -> Iterator[Any]:
    """pyarrow's ``ParquetFile`` of a local file or a URL's (opened through fsspec), closed with its file (a context)."""
    import pyarrow.parquet as pq

    handle = path.open() if isinstance(path, RemotePath) else None
    try:
        with pq.ParquetFile(handle if handle is not None else path) as pf:
            yield pf
    finally:
        if handle is not None:  # pyarrow closes only the files it opened itself
            handle.close()


def parquet_rows(
    path: Path | RemotePath, name: str, text_column: str, warnings: list[str], counter: list[int] | None,
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
    except ImportError as exc:
        raise InputError(f"{name}: reading Parquet needs pyarrow: pip install 'framing[parquet]'") from exc
    if path.name.lower().endswith(GZIP_SUFFIX):
        warnings.append(f"{name}: a gzip-compressed Parquet file; Parquet compresses itself, give the .parquet file. Skipped")
        yield name, None
        return
    opened = ExitStack()
    try:
        pf = opened.enter_context(parquet_file(path))
        fields = list(pf.schema_arrow.names)
    except (OSError, pa.ArrowException) as exc:
        opened.close()
        warnings.append(f"{name}: not a readable Parquet file ({exc}), skipped")
        yield name, None
        return
    with opened:
        yield from _parquet_batches(pf, path, name, text_column, fields, warnings, counter, span, found)


def _parquet_batches(
    pf: Any, path: Path | RemotePath, name: str, text_column: str, fields: list[str], warnings: list[str],
    counter: list[int] | None, span: TableSpan | None, found: SpanFindings | None,
) -> Iterator[tuple[str, dict | None]]:
    """``parquet_rows`` of the opened file ``pf``."""
    import pyarrow as pa

    if text_column not in fields:
        raise InputError(
            f"{name} has no '{text_column}' column (columns: {', '.join(fields)}); "
            f"name the text column ({how_to_set('text_column', '--text-column')})"
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


def _jsonl_records(
    lines: Iterator[tuple[int, str]], name: str, warnings: list[str]
) -> Iterator[tuple[str, dict | None]]:
    for n, line in lines:
        if not line.strip(_JSON_SPACE):
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            warnings.append(f"{name}:{n}: invalid JSON ({_json_problem(exc, line)}), skipped")
            yield f"{name}:{n}", None
            continue
        if not isinstance(rec, dict):
            warnings.append(f"{name}:{n}: not a JSON object, skipped")
            yield f"{name}:{n}", None
            continue
        # Only a "\ud800"-style escape makes a lone surrogate (decoded lines
        # never hold one), so only such a line is looked at again.
        if "\\ud" in line or "\\uD" in line:
            rec[MAY_HOLD_SURROGATES] = True
        yield f"{name}:{n}", rec


def _json_problem(exc: json.JSONDecodeError, line: str) -> str:
    """What is wrong with a JSONL ``line`` (which ends in its ``\\n``), in words: JSON's own message, and where.

    A raw control character in a string is named by its code point; one that
    is the line's own break means the string is not closed on its line.
    """
    if exc.msg == "Invalid control character at" and exc.pos == len(line) - 1:
        try:
            json.loads(line[:-1])
        except json.JSONDecodeError as unclosed:  # "Unterminated string starting at", always
            exc = unclosed
    if exc.msg == "Invalid control character at":
        return f"control character U+{ord(line[exc.pos]):04X} at column {exc.colno}: JSON allows it only escaped"
    if exc.msg.endswith(" at"):
        return f"{exc.msg} column {exc.colno}"
    return exc.msg


def delimiter(header: str, text_column: str) -> str:
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
    reader = csv.DictReader(
        (line for _, line in itertools.chain([first], lines)), delimiter=delimiter(first[1], text_column),
        restval=_NO_CELL,
    )
    try:
        fields = reader.fieldnames
    except csv.Error as exc:
        raise InputError(f"{name}: not a readable CSV header ({exc})") from exc
    if fields is None or text_column not in [f.strip() for f in fields]:
        raise InputError(
            f"{name} has no '{text_column}' column (columns: {', '.join(fields or [])}); "
            f"name the text column ({how_to_set('text_column', '--text-column')})"
        )
    reader.fieldnames = [f.strip() for f in fields]
    columns = len(fields)
    while True:
        try:
            rec = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            warnings.append(f"{name}:{reader.line_num}: unreadable CSV row ({exc}), skipped")
            yield f"{name}:{reader.line_num}", None
            continue
        record = {k: v for k, v in rec.items() if k is not None and v is not _NO_CELL}
        if len(record) < len(rec) - (None in rec):  # a short row: the cells it lacks are no fields
            record[SHORT_ROW] = (columns - (len(rec) - len(record)), columns)
        yield f"{name}:{reader.line_num}", record


def row_text(row: dict, text_column: str, where: str, warnings: list[str], limit: int) -> str | None:
    """The text of a table's record ``row`` (read at ``where``), line breaks as ``\\n``; ``None`` (warned about): skip it.

    Missing (a CSV row shorter than its header says so), not text, over
    ``limit`` characters or holding NUL characters, the record is skipped. A pandas partition's rows (``framing.corpus.frames``)
    follow the same rules.
    """
    value = row.get(text_column)
    if value is None:
        short = row.get(SHORT_ROW)
        if short is not None:
            warnings.append(f"{where}: a short row ({plural(short[0], 'cell')}, the header has {short[1]}): "
                            f"no '{text_column}' cell; skipped")
        else:
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


def record_meta(record: dict) -> dict[str, str]:
    """The metadata fields (``META_FIELDS``) a record has a value for, as stripped text."""
    return {k: str(record[k]).strip() for k in META_FIELDS if record.get(k) not in (None, "")}
