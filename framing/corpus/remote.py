"""Corpus paths that are URLs (``s3://``, ``gs://``, ``abfs://``, ``https://``, ``file://`` ...), read through fsspec.

An edge module: it reaches file systems. ``location`` turns a corpus path as
given into what the reader opens: a ``pathlib.Path`` for a local path, a
``RemotePath`` for a URL. ``RemotePath`` has the few of ``Path``'s methods
the reader uses (``name``, ``parent``, ``/``, ``relative_to``, ``exists``,
``is_dir``, ``is_file``, ``stat``) and opens its file as a buffered binary
stream, so the reading of tables, byte ranges and Parquet row groups is the
local reading, byte for byte (``framing.corpus.reader``).

An object store has no links, no pipes and no inodes: a URL "folder" is a
prefix, walked in the local walk's order (``folder_files``), and a file
under it is always inside it. Credentials and endpoints are fsspec's and
the file system's own (``~/.config/fsspec/``, ``FSSPEC_S3_ENDPOINT_URL``,
``AWS_PROFILE``, ...): framing passes none. fsspec and the package of each
protocol (``s3fs``, ``gcsfs``, ``adlfs``, ``aiohttp`` for https: the extras
``s3``, ``gcs``, ``azure``, ``http``) are imported only when a URL is read.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from typing import Any, BinaryIO

from ..errors import InputError

__all__ = ["READ_BUFFER", "RemotePath", "is_url", "listing", "location", "opened_size", "resolved"]

# A URL names its scheme before "://"; a Windows path ("C:\\x", "C:/x") never has "://".
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
# Bytes asked of the store per read: readline on fsspec's own file reads a whole block per line, so the
# stream is wrapped in Python's buffered reader, which reads this much at a time and finds lines in C.
READ_BUFFER = 1 << 20


def is_url(path: object) -> bool:
    """Whether a corpus path is a URL (``scheme://...``) rather than a local path."""
    return isinstance(path, RemotePath) or (isinstance(path, str) and _SCHEME.match(path) is not None)


def location(path: str | os.PathLike[str] | RemotePath) -> Path | RemotePath:
    """What the reader opens for a corpus path as given: a ``RemotePath`` for a URL, else a ``Path``."""
    if isinstance(path, RemotePath):
        return path
    return RemotePath(path) if is_url(path) else Path(path)


def resolved(path: Path | RemotePath) -> str:
    """``path`` with links resolved (``os.path.realpath``); a URL as it is (object stores have no links)."""
    return path.url if isinstance(path, RemotePath) else os.path.realpath(path)


def _split(url: str) -> tuple[str, str]:
    """``("s3://", "bucket/key")``: a URL's scheme with its ``://``, and the rest."""
    scheme = _SCHEME.match(url)
    end = scheme.end() if scheme else 0
    return url[:end], url[end:]


def _file_system(url: str) -> tuple[Any, str]:
    """fsspec's file system for ``url`` and the path within it; ``InputError`` when the protocol cannot be used."""
    try:
        import fsspec
    except ImportError:
        raise InputError(f"reading {url} needs fsspec and its store's package: pip install 'framing[s3]' "
                         "(or [gcs], [azure], [http]; for file:// URLs, fsspec alone)") from None
    try:
        return fsspec.core.url_to_fs(url)
    except ImportError as exc:  # fsspec names the package the protocol needs (s3fs, gcsfs, adlfs, aiohttp ...)
        raise InputError(f"cannot read {url}: {exc}") from None
    except ValueError as exc:  # an unknown protocol
        raise InputError(f"cannot read {url}: {exc}") from None


@dataclass(frozen=True)
class RemotePath:
    """A file or folder of an fsspec file system, named by its URL (pickles as the URL: workers open it themselves)."""

    url: str
    size: int | None = field(default=None, compare=False)  # known from a folder's listing: no round trip to stat it

    def __post_init__(self) -> None:
        # "s3://bucket/corpus/" is the folder "s3://bucket/corpus": one spelling, so that ids are relative to it
        # (a root, "file:///", keeps its one slash).
        scheme, rest = _split(self.url)
        object.__setattr__(self, "url", scheme + (rest.rstrip("/") or rest[:1]))

    def __str__(self) -> str:
        return self.url

    def __truediv__(self, name: str) -> RemotePath:
        return RemotePath(self._prefix() + name)

    def _prefix(self) -> str:
        """The URL that names what is inside this folder, ending in one ``/``."""
        return self.url if self.url.endswith("/") else self.url + "/"

    @property
    def name(self) -> str:
        return posixpath.basename(_split(self.url)[1])

    @property
    def parent(self) -> RemotePath:
        scheme, rest = _split(self.url)
        head, slash, _ = rest.rpartition("/")
        if not slash:  # a bucket, or a host: its own parent, as a path's root is
            return self
        return RemotePath(scheme + (head or "/"))

    def relative_to(self, root: RemotePath | str) -> PurePosixPath:
        """The path of this file below the folder ``root``, ``/``-separated."""
        prefix = RemotePath(str(root))._prefix()
        if not self.url.startswith(prefix):
            raise ValueError(f"{self.url} is not inside {root}")
        return PurePosixPath(self.url[len(prefix):])

    def _info(self) -> dict[str, Any] | None:
        fs, path = _file_system(self.url)
        try:
            return fs.info(path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise InputError(f"cannot reach {self.url}: {exc}") from None

    def exists(self) -> bool:
        return self._info() is not None

    def is_dir(self) -> bool:
        info = self._info()
        return info is not None and info.get("type") == "directory"

    def is_file(self) -> bool:
        info = self._info()
        return info is not None and info.get("type") != "directory"

    def stat(self) -> SimpleNamespace:
        """The file's size as ``st_size`` (all a store says that the reader uses); ``FileNotFoundError`` if none."""
        if self.size is not None:
            return SimpleNamespace(st_size=self.size)
        info = self._info()
        if info is None:
            raise FileNotFoundError(self.url)
        return SimpleNamespace(st_size=int(info.get("size") or 0))

    def open(self) -> BinaryIO:
        """The file as a seekable, buffered binary stream (``OSError`` when it cannot be read)."""
        fs, path = _file_system(self.url)
        raw = fs.open(path, "rb")
        if isinstance(raw, io.BufferedIOBase) and hasattr(raw, "peek"):
            return raw  # already buffered in C (a local file, an in-memory one)
        return io.BufferedReader(raw, buffer_size=READ_BUFFER)  # type: ignore[arg-type]


def opened_size(f: BinaryIO) -> int:
    """The size in bytes of a file that ``RemotePath.open`` opened (fsspec learnt it when opening)."""
    raw = getattr(f, "raw", f)
    size = getattr(raw, "size", None)
    if isinstance(size, int):
        return size
    position = f.tell()  # a local or in-memory file: its end
    end = f.seek(0, io.SEEK_END)
    f.seek(position)
    return end


def listing(root: RemotePath) -> Iterator[RemotePath]:
    """Every file under the folder ``root``, its size known, in ``os.walk``'s sorted order (a folder's files, then
    its subfolders one by one)."""
    fs, path = _file_system(root.url)
    try:
        found = fs.find(path, withdirs=False, detail=True)
    except OSError as exc:
        raise InputError(f"cannot list {root.url}: {exc}") from None
    base = path.rstrip("/") + "/"
    files: list[tuple[tuple[tuple[int, str], ...], str, int]] = []
    for name, info in found.items():
        name = name if name.startswith("/") == base.startswith("/") else "/" + name.lstrip("/")
        if not name.startswith(base):
            continue
        parts = name[len(base):].split("/")
        # Folders sort after the files beside them, as os.walk reads a folder's files before going down.
        key = tuple((1, d) for d in parts[:-1]) + ((0, parts[-1]),)
        files.append((key, name[len(base):], int(info.get("size") or 0)))
    files.sort()
    for _, relative, size in files:
        yield RemotePath(root._prefix() + relative, size)
