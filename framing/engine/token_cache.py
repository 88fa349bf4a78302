"""The token cache: each chunk's token table kept on disk, so that a run after a lexicon edit tokenizes nothing.

Tokenizing (words, offsets, hashes, sentences) is about half of pass 1 and
does not depend on the lexicons. A researcher who edits a lexicon and runs
``analyze``, ``lexicon diff``, ``lexicon stats``, ``lexicon suggest`` or
``kwic`` again on the same corpus
gets every chunk's table back from here instead.

* **Keyed by content**: an entry's name is the BLAKE2b hash of the chunk's
  texts and of ``TOKENS_VERSION`` (the tokenizer's and sentence splitter's
  version, with the Unicode version of Python's character tables), so an
  edited article, another chunking or a new tokenizer is simply another key;
  nothing is ever served stale.
* **Safe under concurrent runs**: an entry is written to a temporary file in
  the cache folder and moved into place (``os.replace``: atomic), so a reader
  sees a whole entry or none; an entry that cannot be read is a miss, rebuilt
  and written again.
* **Size-limited**: after a run, the least recently used entries go until
  the folder holds at most ``limit`` bytes (``TOKEN_CACHE_BYTES``); a run
  stops adding entries once it has written half the limit (its processes
  share that budget: ``for_processes``), so one huge corpus cannot push
  everything else out to store what it will itself evict.
* **Cleared** with ``framing cache clear``; ``framing cache info`` says
  where it is and what it holds. ``FRAMING_CACHE_DIR`` moves it.

The outputs are byte-identical with and without the cache: a cached table is
the same arrays ``build_token_table`` makes (tests compare them).
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..analysis.tokentable import TokenTable, build_token_table, table_arrays, table_from_arrays
from ..defaults import TOKEN_CACHE_BYTES

__all__ = ["CACHE_ENV", "TOKENS_VERSION", "CacheStats", "TokenCache", "cache_dir", "chunk_key"]

CACHE_ENV = "FRAMING_CACHE_DIR"
# Bump when the tokenizer, the word hashes or the sentence splitter change what they give for a text.
TOKENS_VERSION = f"tokens-1/unicode-{unicodedata.unidata_version}"
SUFFIX = ".npz"


def cache_dir() -> Path:
    """Where the token cache lives: ``FRAMING_CACHE_DIR``, else the user's cache folder (``.../framing/tokens``)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "framing" / "tokens"


def chunk_key(texts: Sequence[str]) -> str:
    """The name of a chunk's entry: a hash of ``TOKENS_VERSION`` and the texts, in order."""
    h = hashlib.blake2b(TOKENS_VERSION.encode("ascii"), digest_size=20)
    for text in texts:
        data = text.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))  # lengths first: ("ab", "c") and ("a", "bc") differ
        h.update(data)
    return h.hexdigest()


@dataclass
class CacheStats:
    """What one process did with the cache: entries read, built, written (bytes)."""

    hits: int = 0
    misses: int = 0
    written_bytes: int = 0

    def add(self, other: CacheStats) -> None:
        self.hits += other.hits
        self.misses += other.misses
        self.written_bytes += other.written_bytes

    def since(self, earlier: CacheStats) -> CacheStats:
        """What was done after ``earlier`` (a copy of these stats taken before)."""
        return CacheStats(self.hits - earlier.hits, self.misses - earlier.misses,
                          self.written_bytes - earlier.written_bytes)


@dataclass
class TokenCache:
    """The token tables of chunks, read from and written to ``folder`` (see the module docstring).

    ``table(texts)`` is ``build_token_table(texts)``, from the cache when it
    holds the chunk. Picklable: a process pool's workers each open it.
    """

    folder: Path
    limit: int = TOKEN_CACHE_BYTES
    stats: CacheStats = field(default_factory=CacheStats)
    share: int = 1  # processes writing for one run: each may add limit / 2 / share bytes

    def for_processes(self, n: int) -> TokenCache:
        """This cache as each of ``n`` processes of one run uses it: the run's write budget split between them."""
        return TokenCache(self.folder, self.limit, share=max(n, 1))

    def table(self, texts: Sequence[str]) -> TokenTable:
        """The token table of these texts (``build_token_table``), read from the cache or built and stored."""
        key = chunk_key(texts)
        path = self.folder / key[:2] / (key + SUFFIX)
        cached = self._read(path, texts)
        if cached is not None:
            self.stats.hits += 1
            return cached
        self.stats.misses += 1
        table = build_token_table(texts)
        if self.stats.written_bytes < self.limit // (2 * self.share):
            self.stats.written_bytes += self._write(path, table)
        return table

    def _read(self, path: Path, texts: Sequence[str]) -> TokenTable | None:
        try:
            with np.load(path, allow_pickle=False) as entry:
                arrays = {name: entry[name] for name in entry.files}
            os.utime(path)  # recently used: the last to go when the folder is trimmed
            return table_from_arrays(arrays, texts)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            # Damaged (a full disk, a file cut short by a crash): a miss; the entry is written again.
            _remove(path)
            return None

    def _write(self, path: Path, table: TokenTable) -> int:
        """Store a table (atomically); its size in bytes, 0 when it could not be written (never an error)."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=SUFFIX)
            try:
                with os.fdopen(fd, "wb") as fh:
                    np.savez(fh, **table_arrays(table))
                os.replace(tmp, path)
            except BaseException:
                _remove(Path(tmp))
                raise
            return path.stat().st_size
        except OSError:
            return 0  # a read-only or full cache folder slows the next run down; it must not stop this one

    def trim(self) -> int:
        """Remove the least recently used entries until the folder holds at most ``limit`` bytes; bytes removed."""
        entries = self._stat_entries()
        total = sum(size for _, _, size in entries)
        removed = 0
        for _, path, size in sorted(entries):
            if total - removed <= self.limit:
                break
            if _remove(path):
                removed += size
        return removed

    def _stat_entries(self) -> list[tuple[int, Path, int]]:
        """Each entry's last use (ns), file and size; an entry gone meanwhile is left out."""
        out = []
        for path in self.entries():
            try:
                st = path.stat()
            except OSError:
                continue
            out.append((st.st_mtime_ns, path, st.st_size))
        return out

    def entries(self) -> list[Path]:
        """Every entry's file (leftover temporary files of runs that were killed included)."""
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.glob(f"*/*{SUFFIX}"))

    def size(self) -> int:
        """Bytes the entries hold."""
        return sum(size for _, _, size in self._stat_entries())

    def clear(self) -> int:
        """Remove every entry; how many were removed."""
        removed = sum(_remove(p) for p in self.entries())
        for sub in (self.folder.iterdir() if self.folder.is_dir() else ()):
            if sub.is_dir():
                try:
                    sub.rmdir()  # only when empty
                except OSError:
                    pass
        return removed


def _remove(path: Path) -> bool:
    try:
        path.unlink()
        return True
    except OSError:  # gone already, or open in another process on Windows: it goes at a later trim
        return False
