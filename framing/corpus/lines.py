"""The lines of a table file, decoded one by one and numbered; the byte ranges a JSONL file is read in.

* A line is decoded as UTF-8, else cp1252, else UTF-8 with U+FFFD for what
  neither decodes: one stray byte costs its line its exotic characters,
  not the whole file (one warning per file, ``decoding_warnings``). A UTF-8
  byte-order mark before the first line is dropped.
* Lines are numbered as an editor numbers them: ``\\n``, ``\\r\\n`` and a lone
  ``\\r`` each end one (``numbered``). Only an over-long line's number counts
  physical lines (those ending in ``\\n``), since it is skipped unread.
* A line longer than the article size limit is skipped unread.
* A piece of a file (``TableSpan``) is the lines that *start* in a byte range
  (``LineRange``, ``line_start``); the lines before it are counted without
  decoding (``count_lines``) to number it on.
"""

from __future__ import annotations

import codecs
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, NamedTuple

from ..english import plural
from .decode import OVER_LIMIT, size_text, utf16_layout

__all__ = [
    "SNIFF", "LineCount", "LineRange", "SpanFindings", "TableSpan", "count_lines", "decoded_lines",
    "decoding_warnings", "line_start", "needs_whole", "numbered",
]

SNIFF = 65536  # bytes of a table's start looked at to tell UTF-16/32 (read whole) from lines decoded one by one
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_LINE_BREAK = re.compile(r"\r\n?|\n")
_LINE_BREAK_BYTES = re.compile(rb"\r\n?|\n")


def needs_whole(head: bytes) -> bool:
    """Whether a file that starts with ``head`` (its first ``SNIFF`` bytes) is UTF-16 or UTF-32: decoded whole, not by line."""
    return head.startswith(_WIDE_BOMS) or utf16_layout(head) is not None


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


def numbered(lines: Iterator[str], start: int = 0) -> Iterator[tuple[int, str]]:
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


def decoded_lines(
    f: BinaryIO | LineRange, name: str, warnings: list[str], limit: int, over_long: list[int],
    counter: list[int] | None = None, position: Callable[[], int] | None = None,
    span: TableSpan | None = None, found: SpanFindings | None = None,
) -> Iterator[tuple[int, str]]:
    """Numbered lines of a UTF-8 (else cp1252) byte stream, decoded one by one.

    A line that is not UTF-8 is decoded as cp1252, so one stray byte in a
    scrape costs that line its exotic characters, not the whole file; one
    warning per file says how many lines and where the first one is. A line
    longer than ``limit`` is skipped unread, and its number added to ``over_long``.
    ``counter``: bytes read so far, for progress (``position``: where the
    file itself is, when ``f`` decompresses it). ``span``: the stream is that
    piece of a file, numbered on from it; the per-file counts go to
    ``found`` (a merge writes the file's warning).
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

    yield from numbered(physical(), span.line if span is not None else 0)
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


class LineRange:
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


def line_start(f: BinaryIO, offset: int) -> int:
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


class LineCount(NamedTuple):
    """The lines of a piece of a file, counted as ``decoded_lines`` numbers them."""

    physical: int  # lines ending in \n (or the file's end)
    line: int  # lines ending in \n, \r\n or \r
    records: int  # lines that look like a JSON object: a guess, which a merge checks
    plain: bool  # some line was within the size limit (after one, a byte-order mark is text)


def count_lines(f: BinaryIO, span: TableSpan, limit: int) -> LineCount:
    """The lines of the piece ``span`` of the plain (not UTF-16/32) file ``f``, counted without decoding anything.

    An over-long line is one line, whatever it holds, as in ``decoded_lines``.
    """
    physical = lines = records = 0
    plain = False
    first = span.start == 0
    piece = LineRange(f, line_start(f, span.start), span.end)
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
        if b"\r" in raw:  # \r and \r\n break lines too, as in ``numbered``
            cut = _LINE_BREAK_BYTES.split(raw)
            if cut[-1] == b"":
                cut.pop()
        else:
            cut = [raw]
        lines += len(cut)
        records += sum(1 for c in cut if c.lstrip().startswith(b"{"))
    return LineCount(physical, lines, records, plain)
