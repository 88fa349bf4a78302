"""Read articles from folders, text files, CSV and JSONL, and join a manifest.

This is an edge module: it opens files. What it returns is plain data, a
``Corpus`` of ``Article`` records plus the warnings met on the way; it never
prints. Policies (also in the README):

* **Decoding.** UTF-8 (with or without BOM); UTF-16 or UTF-32 when the file
  starts with their BOM; UTF-16 without a BOM when NUL bytes fill every other
  byte (with a warning); otherwise cp1252, with a warning naming the file.
  A file that still holds NUL bytes, or that cp1252 cannot decode, is treated
  as binary and skipped with a warning. Line breaks (CRLF, CR) become ``\\n``.
* **Ids.** A file's id is its path relative to the corpus folder (``/``
  separators); a table row's id is its ``--id-column`` value, else
  ``<file name>:<row number>``. A repeated id is kept and renamed
  ``<id>#2``, ``#3`` ... with a warning.
* **Manifest.** ``manifest.csv`` inside a corpus folder is used unless
  ``--manifest`` names one. Rows name articles by ``file`` (relative to the
  corpus folder) or by the id column. Rows for missing articles, articles with
  no row, duplicate rows and unknown ``source_type`` values are all warned
  about. A ``file`` path that leaves the corpus folder is refused, never read.
* Files named ``README*``, ``LICENSE*`` and the manifest itself are
  documentation, not articles, and are not read from a corpus folder.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from .errors import InputError

__all__ = ["MAX_ARTICLE_BYTES", "SOURCE_TYPES", "Article", "Corpus", "decode_bytes", "read_corpus"]

SOURCE_TYPES = ("state_media", "wire", "independent_commentary", "unknown")
LABELLED_TYPES = SOURCE_TYPES[:3]
TEXT_SUFFIXES = (".txt", ".md")
_DOC_NAMES = ("readme", "license", "licence", "changelog")
_META_FIELDS = ("outlet", "source_type", "title", "date", "url")

MAX_ARTICLE_BYTES = 32_000_000  # default; larger "articles" are nearly always a mistaken dump

csv.field_size_limit(2**31 - 1)


@dataclass(frozen=True)
class Article:
    """One article: its text and what the manifest says about it."""

    id: str
    text: str
    outlet: str = ""
    source_type: str = "unknown"
    title: str = ""
    date: str = ""
    url: str = ""
    source: str = ""  # the file it was read from


@dataclass
class Corpus:
    """Articles in a stable order, plus every warning met while reading."""

    articles: list[Article] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: int = 0


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
    encoding = _utf16_layout(data) if len(data) % 2 == 0 else None
    if encoding is None:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _utf16_layout(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when NUL bytes stand in every other place, else ``None``."""
    if len(data) < 4:
        return None
    half = len(data) // 2
    even, odd = data[0::2].count(0) / half, data[1::2].count(0) / half
    return "utf-16-le" if odd > 0.9 and even < 0.1 else "utf-16-be" if even > 0.9 and odd < 0.1 else None


def _open_regular(path: Path, name: str, warnings: list[str]) -> BinaryIO | None:
    """``path`` opened for reading if it is a regular file, else ``None`` with a warning.

    Opened non-blocking, so that a pipe named *.txt cannot hang the run, and
    refused, since reading a pipe or device could block or never end.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        warnings.append(f"{name}: cannot read ({exc.strerror or exc}), skipped")
        return None
    f = open(fd, "rb")  # noqa: SIM115 - the caller closes it
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        f.close()
        warnings.append(f"{name}: not a regular file (a pipe, socket or device), skipped")
        return None
    return f


def _read_bytes(path: Path, name: str, warnings: list[str], limit: int | None = None) -> bytes | None:
    """The bytes of a regular file, or ``None`` (with a warning) when it cannot
    or should not be read: not a regular file, or over ``limit`` bytes (no
    limit for a manifest, which is not an article)."""
    f = _open_regular(path, name, warnings)
    if f is None:
        return None
    try:
        with f:
            size = os.fstat(f.fileno()).st_size
            if limit is None:
                return f.read()
            if size > limit:
                warnings.append(f"{name}: {_size(size)}, over the {_size(limit)} limit for one article{_RAISE}")
                return None
            data = f.read(limit + 1)
    except OSError as exc:
        warnings.append(f"{name}: cannot read ({exc.strerror or exc}), skipped")
        return None
    if len(data) > limit:  # it grew while we looked
        warnings.append(f"{name}: over the {_size(limit)} limit for one article{_RAISE}")
        return None
    return data


_RAISE = " (raise it with --max-article-mb); skipped"


def _size(n: int) -> str:
    return f"{n / 1e6:,.1f} MB" if n >= 100_000 else _count(n, "byte")


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


# Lone surrogates: how Python holds the bytes of a file name that are not
# UTF-8 (PEP 383), or what a JSON "\ud800" escape gives. No UTF-8 file can
# hold them, so each output would fail on them.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _shown(text: str) -> str:
    """``text`` with lone surrogates made visible: a file name's undecodable
    byte as ``\\xff``, any other as ``\\ud800``."""

    def visible(m: re.Match) -> str:
        code = ord(m.group())
        return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"

    return _SURROGATE.sub(visible, text)


def _resolved(path: Path) -> Path | None:
    """``path`` with its links resolved, or ``None`` for a link loop (which
    Python before 3.13 raises as RuntimeError) or a link that cannot be followed."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def _normalize_type(value: str) -> str:
    return value.strip().lower().replace("-", "_").replace(" ", "_")


# --- manifests --------------------------------------------------------------


@dataclass
class _Manifest:
    path: str
    by_file: dict[str, dict[str, str]]
    by_id: dict[str, dict[str, str]]
    used: set[str] = field(default_factory=set)


def _read_manifest(path: Path, id_column: str | None, warnings: list[str]) -> _Manifest:
    data = _read_bytes(path, str(path), warnings)
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
            f" ('{key_col}'; set it with --id-column); it has: {', '.join(fields) or 'no header'}"
        )
    by_file: dict[str, dict[str, str]] = {}
    by_id: dict[str, dict[str, str]] = {}
    for row in reader:
        line = reader.line_num
        extra = row.pop(None, None)  # cells beyond the header
        multiline = any("\n" in (v or "") for v in row.values())
        row = {k: (v or "").strip() for k, v in row.items()}
        if not any(row.values()):
            continue
        if extra:
            warnings.append(f"{path}:{line}: {_count(len(extra), 'more cell')} than the header has; extra cells ignored")
        if multiline:
            warnings.append(f"{path}:{line}: a cell spans several lines (an unclosed quote?); check this row")
        st = _normalize_type(row.get("source_type", "") or "unknown")
        if st not in SOURCE_TYPES:
            warnings.append(
                f"{path}:{line}: unknown source_type {row.get('source_type')!r}"
                f" (expected one of {', '.join(SOURCE_TYPES)}); using 'unknown'"
            )
            st = "unknown"
        row["source_type"] = st
        row["_line"] = str(line)
        if row.get("file"):
            target, key = by_file, row["file"].replace("\\", "/")
        elif row.get(key_col):
            target, key = by_id, row[key_col]
        else:
            warnings.append(f"{path}:{line}: row has neither 'file' nor '{key_col}'; ignored")
            continue
        if key in target:
            warnings.append(f"{path}:{line}: duplicate row for {key!r} (first on line {target[key]['_line']}); ignored")
            continue
        target[key] = row
    return _Manifest(str(path), by_file, by_id)


# --- sources ----------------------------------------------------------------


def _inside(root: Path, candidate: Path) -> bool:
    try:
        candidate.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def _folder_files(root: Path, warnings: list[str]) -> list[Path]:
    found = []
    seen_dirs: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        st = os.stat(dirpath)
        if (st.st_dev, st.st_ino) in seen_dirs:
            warnings.append(f"{_shown(dirpath)}: folder already read (a link loop?), skipped")
            dirnames[:] = []
            continue
        seen_dirs.add((st.st_dev, st.st_ino))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            p = Path(dirpath) / name
            if name.startswith(".") or p.suffix.lower() not in TEXT_SUFFIXES:
                continue
            if name.lower().startswith(_DOC_NAMES):
                continue
            found.append(p)
    return found


def _row_text(row: dict, text_column: str, where: str, warnings: list[str], limit: int) -> str | None:
    value = row.get(text_column)
    if value is None:
        warnings.append(f"{where}: no '{text_column}' field, skipped")
        return None
    if not isinstance(value, str):
        warnings.append(f"{where}: '{text_column}' is not text, skipped")
        return None
    if len(value) > limit:
        warnings.append(f"{where}: text of {len(value):,} characters, over the {_size(limit)} limit for one article{_RAISE}")
        return None
    if "\x00" in value:
        warnings.append(f"{where}: text holds NUL characters (binary?), skipped")
        return None
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _table_rows(path: Path, text_column: str, warnings: list[str], limit: int) -> Iterator[tuple[str, dict | None]]:
    """(place, record) pairs of a .csv or .jsonl file, read as a stream.

    The record is ``None`` for a line that held a record but could not be
    read (already warned about), so that the caller can count it as skipped.
    Memory stays bounded by the largest record, not the file: a table of a
    million rows is never held as one string.
    """
    name = _shown(str(path))
    f = _open_regular(path, name, warnings)
    if f is None:
        yield name, None
        return
    with f:
        head = f.read(_SNIFF)
        f.seek(0)
        over_long: list[int] = []
        if head.startswith(_WIDE_BOMS) or _utf16_layout(head) is not None:
            # UTF-16/32 need the whole file to decode. A NUL elsewhere stays
            # in its own line, to be skipped with that record alone.
            text = decode_bytes(f.read(), name, warnings)
            if text is None:
                yield name, None  # the file is skipped, and counted
                return
            lines: Iterator[tuple[int, str]] = _numbered(io.StringIO(text, newline=""))
        else:
            lines = _decoded_lines(f, name, warnings, limit, over_long)
        if path.suffix.lower() == ".jsonl":
            yield from _jsonl_records(lines, name, warnings)
        else:
            yield from _csv_records(lines, name, text_column, warnings)
        for n in over_long:
            yield f"{name}:{n}", None


_SNIFF = 65536
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_LINE_BREAK = re.compile(r"\r\n?|\n")


def _numbered(lines: Iterator[str]) -> Iterator[tuple[int, str]]:
    """Number lines and end each with a single ``\\n``, whatever its break was."""
    n = 0
    for physical in lines:
        parts = _LINE_BREAK.split(physical)
        if parts[-1] == "":
            parts.pop()
        for part in parts:
            n += 1
            yield n, part + "\n"


def _decoded_lines(
    f: io.BufferedReader, name: str, warnings: list[str], limit: int, over_long: list[int]
) -> Iterator[tuple[int, str]]:
    """Lines of a UTF-8 (else cp1252) byte stream, decoded one by one.

    A line that is not UTF-8 is decoded as cp1252, so one stray byte in a
    scrape costs that line its exotic characters, not the whole file; one
    warning per file says how many lines and where the first one is. A line
    longer than ``limit`` is skipped unread, and its number added to ``over_long``.
    """
    legacy: list[int] = []
    replaced: list[int] = []

    def physical() -> Iterator[str]:
        n = 0
        first = True
        while True:
            raw = f.readline(limit + 1)
            if not raw:
                break
            n += 1
            if len(raw) > limit and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # skip the rest of the line
                    raw = f.readline(1 << 20)
                warnings.append(f"{name}:{n}: line over the {_size(limit)} limit for one article{_RAISE}")
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

    yield from _numbered(physical())
    if legacy:
        warnings.append(
            f"{name}: {_count(len(legacy), 'line')} not UTF-8 (first: line {legacy[0]}); decoded as cp1252 (Windows-1252)"
        )
    if replaced:
        warnings.append(
            f"{name}: {_count(len(replaced), 'line')} neither UTF-8 nor cp1252 (first: line {replaced[0]});"
            " undecodable bytes shown as U+FFFD"
        )


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
        yield f"{name}:{n}", rec


def _csv_records(
    lines: Iterator[tuple[int, str]], name: str, text_column: str, warnings: list[str]
) -> Iterator[tuple[str, dict | None]]:
    reader = csv.DictReader(line for _, line in lines)
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
    return {k: str(record[k]).strip() for k in _META_FIELDS if record.get(k) not in (None, "")}


def read_corpus(
    paths: Sequence[str | Path],
    *,
    manifest: str | Path | None = None,
    text_column: str = "text",
    id_column: str | None = None,
    max_article_bytes: int = MAX_ARTICLE_BYTES,
) -> Corpus:
    """Read every article under ``paths`` and join the manifest.

    An article file (or table cell) over ``max_article_bytes`` is skipped with
    a warning: it is nearly always a dump read by mistake, and one such file
    could exhaust memory.

    Raises ``InputError`` when a path does not exist, a table lacks its text
    column, or nothing readable is found; one unreadable article is skipped
    with a warning instead.
    """
    corpus = Corpus()
    warnings = corpus.warnings
    if not paths:
        raise InputError("no corpus given")
    if max_article_bytes < 1:
        raise InputError(f"the article size limit must be positive, got {_count(max_article_bytes, 'byte')}")
    for p in paths:
        if not Path(p).exists():
            raise InputError(f"corpus not found: {p}")
    man_path = Path(manifest) if manifest else None
    if man_path is None:
        for p in paths:
            if Path(p).is_dir() and (Path(p) / "manifest.csv").is_file():
                man_path = Path(p) / "manifest.csv"
                break
    elif not man_path.is_file():
        raise InputError(f"manifest not found: {man_path}")
    man = _read_manifest(man_path, id_column, warnings) if man_path else None
    man_root = man_path.parent if man_path else None

    raw: list[Article] = []
    for p in map(Path, paths):
        if p.is_dir():
            root = p
            for f in _folder_files(root, warnings):
                rel = _shown(f.relative_to(root).as_posix())
                name = _shown(str(f))
                real = _resolved(f)
                if real is None:
                    warnings.append(f"{name}: a link loop (it leads back to itself), skipped")
                    corpus.skipped += 1
                    continue
                if man_path is not None and real == _resolved(man_path):
                    continue
                if not _inside(root, f):
                    warnings.append(f"{name}: link leads outside the corpus folder, skipped")
                    corpus.skipped += 1
                    continue
                data = _read_bytes(f, name, warnings, max_article_bytes)
                text = decode_bytes(data, name, warnings) if data is not None else None
                if text is None:
                    corpus.skipped += 1
                    continue
                raw.append(Article(id=rel, text=text, source=name, title=""))
        elif p.suffix.lower() in (".csv", ".jsonl"):
            key = id_column or "id"
            n = 0  # records with fields, for ids of records without one
            for where, rec in _table_rows(p, text_column, warnings, max_article_bytes):
                if rec is None:
                    corpus.skipped += 1
                    continue
                n += 1
                text = _row_text(rec, text_column, where, warnings, max_article_bytes)
                if text is None:
                    corpus.skipped += 1
                    continue
                ident = str(rec.get(key) or "").strip() or f"{_shown(p.name)}:{n}"
                meta = _meta(rec)
                if any(_SURROGATE.search(v) for v in (text, ident, *meta.values())):
                    warnings.append(f"{where}: lone surrogates (not Unicode characters) replaced by U+FFFD")
                    text, ident = _SURROGATE.sub("\ufffd", text), _SURROGATE.sub("\ufffd", ident)
                    meta = {k: _SURROGATE.sub("\ufffd", v) for k, v in meta.items()}
                raw.append(Article(id=ident, text=text, source=where, **meta))
        elif p.is_file():
            data = _read_bytes(p, _shown(str(p)), warnings, max_article_bytes)
            text = decode_bytes(data, _shown(str(p)), warnings) if data is not None else None
            if text is None:
                corpus.skipped += 1
                continue
            raw.append(Article(id=_shown(p.name), text=text, source=_shown(str(p))))
        else:
            raise InputError(f"not a file or folder: {p}")

    if man is not None:
        raw = _join_manifest(raw, man, man_root, paths, warnings)
    corpus.articles = _unique_ids(_check_types(raw, warnings), warnings)
    # Manifest and folder names reach the warnings unescaped; every output must be able to hold them.
    corpus.warnings[:] = [_shown(w) for w in warnings]
    if not corpus.articles:
        raise InputError("no readable articles found in " + ", ".join(map(str, paths)))
    return corpus


def _join_manifest(
    raw: list[Article], man: _Manifest, man_root: Path | None, paths: Sequence[str | Path], warnings: list[str]
) -> list[Article]:
    roots = [Path(p) for p in paths if Path(p).is_dir()]
    for key in man.by_file:
        # A link loop is not refused as leading outside: it leads nowhere, and was skipped as a loop.
        if man_root is not None and _resolved(man_root / key) is not None and not _inside(man_root, man_root / key):
            warnings.append(f"{man.path}:{man.by_file[key]['_line']}: path {key!r} leaves the corpus folder; refused")
            man.used.add(key)
    out = []
    for a in raw:
        row = None
        if a.id in man.by_file and a.id not in man.used:
            row = man.by_file[a.id]
        elif a.id in man.by_id:
            row = man.by_id[a.id]
        else:
            # A file row may be relative to the manifest's folder rather than the corpus folder.
            for root in roots:
                try:
                    rel = (root / a.id).resolve().relative_to(man_root.resolve()).as_posix() if man_root else None
                except (ValueError, OSError, RuntimeError):
                    rel = None
                if rel and rel in man.by_file:
                    row = man.by_file[rel]
                    break
        if row is None:
            # A table record may carry its own labels, which are kept: say so.
            own = _normalize_type(a.source_type or "unknown")
            if own in SOURCE_TYPES and own != "unknown":
                warnings.append(f"{a.source}: no row in the manifest; keeping the record's own source_type {own!r}")
            else:
                warnings.append(f"{a.source}: no row in the manifest; source_type 'unknown'")
            out.append(a)
            continue
        man.used.add(row.get("file") or a.id)
        fields = {k: row[k] for k in _META_FIELDS if row.get(k)}
        out.append(replace(a, **fields))
    missing = [r for k, r in {**man.by_file, **man.by_id}.items() if k not in man.used]
    for r in missing[:20]:
        warnings.append(f"{man.path}:{r['_line']}: no article for {r.get('file') or r.get('id')!r}")
    if len(missing) > 20:
        warnings.append(f"{man.path}: {_count(len(missing) - 20, 'more row')} with no article")
    return out


def _check_types(articles: list[Article], warnings: list[str]) -> list[Article]:
    out, bad = [], {}
    for a in articles:
        st = _normalize_type(a.source_type or "unknown")
        if st not in SOURCE_TYPES:
            bad.setdefault(a.source_type, a.source)
            st = "unknown"
        out.append(a if st == a.source_type else replace(a, source_type=st))
    for value, where in bad.items():
        warnings.append(
            f"{where}: unknown source_type {value!r} (expected one of {', '.join(SOURCE_TYPES)}); using 'unknown'"
        )
    return out


def _unique_ids(articles: list[Article], warnings: list[str]) -> list[Article]:
    seen: dict[str, int] = {}
    out = []
    for a in articles:
        if a.id in seen:
            seen[a.id] += 1
            new = f"{a.id}#{seen[a.id]}"
            while new in seen:
                seen[a.id] += 1
                new = f"{a.id}#{seen[a.id]}"
            warnings.append(f"{a.source}: duplicate article id {a.id!r}; renamed {new!r}")
            seen[new] = 1
            a = replace(a, id=new)
        else:
            seen[a.id] = 1
        out.append(a)
    return out
