"""Bytes to text by framing's decoding policy, and safe opening of article files.

* UTF-8 (with or without BOM); UTF-16 or UTF-32 when the file starts with
  their BOM; UTF-16 without a BOM when NUL bytes fill every other byte (with
  a warning); otherwise cp1252, with a warning naming the file.
* A file that still holds NUL bytes, or that cp1252 cannot decode, is
  treated as binary and skipped with a warning.
* Line breaks (CRLF, CR) become ``\\n``.
* Only regular files are read (a pipe named ``*.txt`` would block), and
  none over the size limit.
"""

from __future__ import annotations

import codecs
import gzip
import os
import re
import stat
import zlib
from pathlib import Path
from typing import BinaryIO

from .remote import RemotePath, opened_size

__all__ = [
    "OVER_LIMIT", "decode_bytes", "how_to_set", "open_regular", "read_bytes", "shown", "size_text", "utf16_layout",
]



def decode_bytes(data: bytes, name: str, warnings: list[str]) -> str | None:
    """Decode one file's bytes by the documented policy; ``None`` means skip it."""
    text: str | None = None
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                warnings.append(f"{name}: starts with a {encoding} byte-order mark but is not valid {encoding}; skipped")
                return None
            break
    if text is None and b"\x00" in data:
        # NUL bytes are valid UTF-8 but never text: UTF-16 without a BOM, or binary.
        text = _utf16_without_bom(data)
        if text is None:
            warnings.append(f"{name}: binary file (NUL bytes), skipped")
            return None
        warnings.append(f"{name}: no byte-order mark; decoded as UTF-16 (NUL bytes in every other place)")
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                warnings.append(f"{name}: neither UTF-8 nor cp1252 (binary?), skipped")
                return None
            warnings.append(f"{name}: not UTF-8; decoded as cp1252 (Windows-1252)")
    return _finish(text, name, warnings)


def _finish(text: str, name: str, warnings: list[str]) -> str | None:
    if "\x00" in text:
        warnings.append(f"{name}: binary file (NUL characters), skipped")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _utf16_without_bom(data: bytes) -> str | None:
    """Text that is UTF-16 without a byte-order mark, told by where its NUL bytes stand.

    Latin-script UTF-16 has a NUL in nearly every high byte: the odd bytes
    (little-endian) or the even bytes (big-endian), and almost none in the
    others. Anything less regular is treated as binary.
    """
    encoding = utf16_layout(data) if len(data) % 2 == 0 else None
    if encoding is None:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


# Lone surrogates: how Python holds the bytes of a file name that are not
# UTF-8 (PEP 383), or what a JSON "\ud800" escape gives. No UTF-8 file can
# hold them, so each output would fail on them.
SURROGATE = re.compile("[\ud800-\udfff]")


def shown(text: str) -> str:
    """``text`` with lone surrogates made visible: a file name's undecodable
    byte as ``\\xff``, any other as ``\\ud800``."""

    def visible(m: re.Match[str]) -> str:
        code = ord(m.group())
        return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"

    return SURROGATE.sub(visible, text)


def utf16_layout(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when NUL bytes stand in every other place, else ``None``."""
    if len(data) < 4:
        return None
    half = len(data) // 2
    even, odd = data[0::2].count(0) / half, data[1::2].count(0) / half
    return "utf-16-le" if odd > 0.9 and even < 0.1 else "utf-16-be" if even > 0.9 and odd < 0.1 else None


def open_regular(path: Path | RemotePath, name: str, warnings: list[str]) -> BinaryIO | None:
    """``path`` opened for reading if it is a regular file, else ``None`` with a warning.

    Opened non-blocking, so that a pipe named *.txt cannot hang the run, and
    refused, since reading a pipe or device could block or never end. A URL
    (``RemotePath``) names a stored file: opened through fsspec.
    """
    if isinstance(path, RemotePath):
        try:
            return path.open()
        except OSError as exc:
            warnings.append(f"{name}: cannot read ({exc.strerror or exc}), skipped")
            return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        warnings.append(f"{name}: cannot read ({exc.strerror or exc}), skipped")
        return None
    f = open(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        f.close()
        warnings.append(f"{name}: not a regular file (a pipe, socket or device), skipped")
        return None
    return f


def read_bytes(path: Path | RemotePath, name: str, warnings: list[str], limit: int | None = None) -> bytes | None:
    """The bytes of a regular file, or ``None`` (with a warning) when it cannot
    or should not be read: not a regular file, or over ``limit`` bytes (no
    limit for a manifest, which is not an article)."""
    f = open_regular(path, name, warnings)
    if f is None:
        return None
    try:
        with f:
            if path.name.lower().endswith(".gz"):
                # The limit is on what it decompresses to, read no further.
                with gzip.GzipFile(fileobj=f, mode="rb") as unzipped:
                    data = unzipped.read() if limit is None else unzipped.read(limit + 1)
            else:
                size = opened_size(f) if isinstance(path, RemotePath) else os.fstat(f.fileno()).st_size
                if limit is None:
                    return f.read()
                if size > limit:
                    warnings.append(
                        f"{name}: {size_text(size)}, over the {size_text(limit)} limit for one article{OVER_LIMIT}"
                    )
                    return None
                data = f.read(limit + 1)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        warnings.append(f"{name}: not a readable gzip file ({exc}), skipped")
        return None
    except OSError as exc:
        warnings.append(f"{name}: cannot read ({exc.strerror or exc}), skipped")
        return None
    if limit is None:
        return data
    if len(data) > limit:  # it grew while we looked
        warnings.append(f"{name}: over the {size_text(limit)} limit for one article{OVER_LIMIT}")
        return None
    return data


def how_to_set(argument: str, flag: str) -> str:
    """How a reader's option is given, for messages: ``text_column= in Python, --text-column on the command line``.

    The library's messages name its own arguments and the command line's
    flags alike, so that they read right from either.
    """
    return f"{argument}= in Python, {flag} on the command line"


OVER_LIMIT = f" (raise it: {how_to_set('max_article_bytes', '--max-article-mb')}); skipped"


def size_text(n: int) -> str:
    return f"{n / 1e6:,.1f} MB" if n >= 100_000 else (f"{n:,} byte" if n == 1 else f"{n:,} bytes")

