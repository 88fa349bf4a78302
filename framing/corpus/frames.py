"""A pandas partition of a Dask DataFrame read into articles, on a worker (``framing.dask``).

A row follows a table record's rules (``framing.corpus.tables.row_text``):
a row whose text is missing, not text, too long or holding NUL characters
is skipped with a warning naming it (``row <index>``). Its metadata columns
are ``manifest.META_FIELDS``; an unknown source type is ``unknown``, with
one warning per value for the whole frame. A repeated id is renamed
``<id>#2``, ``#3`` ... as ``CorpusReader`` renames it, from the ids of every
partition (``rename_duplicates``); the renamed partitions are read again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..types import SOURCE_TYPES, Article
from .manifest import META_FIELDS, normalize_type
from .tables import row_text

__all__ = ["FrameRead", "FrameReader", "is_missing", "merged_warnings", "rename_duplicates"]


@dataclass
class FrameRead:
    """What reading a partition tells the client: warnings (once-per-value ones keyed), skips, renames used."""

    warnings: list[tuple[str | None, str]]
    skipped: int
    renames: dict[int, str]


@dataclass
class FrameReader:
    """Reads one pandas partition into articles, on a worker (a table row's rules: ``framing.corpus.tables``)."""

    text_column: str
    id_column: str | None
    limit: int
    renames: dict[int, str] = field(default_factory=dict)  # position among the partition's articles -> new id

    def __call__(self, frame: pd.DataFrame, shared: object = None) -> tuple[list[Article], FrameRead]:
        warnings: list[tuple[str | None, str]] = []
        texts: list[str] = []
        out: list[Article] = []
        skipped = 0
        columns = [c for c in (self.id_column, *META_FIELDS) if c is not None and c in frame.columns]
        for index, row in zip(frame.index.tolist(), frame[[self.text_column, *columns]].to_dict("records")):
            where = f"row {index!r}"
            row = {k: (None if is_missing(v) else v) for k, v in row.items()}
            text = row_text(row, self.text_column, where, texts, self.limit)  # type: ignore[arg-type]
            if text is None:
                warnings.append((None, texts.pop()))
                skipped += 1
                continue
            meta = {k: str(row[k]).strip() for k in META_FIELDS if row.get(k) not in (None, "")}
            ident = str(row[self.id_column]).strip() if self.id_column and row.get(self.id_column) is not None else ""
            source_type = normalize_type(meta.get("source_type") or "unknown")
            if source_type not in SOURCE_TYPES:
                message = (f"{where}: unknown source_type {meta['source_type']!r} "
                           f"(expected one of {', '.join(SOURCE_TYPES)}); using 'unknown'")
                warnings.append((f"type:{meta['source_type']}", message))
                source_type = "unknown"
            meta["source_type"] = source_type
            ident = ident or str(index)
            if len(out) in self.renames:
                new = self.renames[len(out)]
                warnings.append((None, f"{where}: duplicate article id {ident!r}; renamed {new!r}"))
                ident = new
            out.append(Article(id=ident, text=text, source=where, **meta))
        return out, FrameRead(warnings, skipped, dict(self.renames))


def is_missing(value: object) -> bool:
    """Whether a pandas cell holds no value (``None``, NaN, ``pd.NA``, ``pd.NaT``)."""
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA or value is pd.NaT


def rename_duplicates(ids: list[list[str]]) -> dict[int, dict[int, str]]:
    """New names for repeated ids, ``<id>#2``, ``#3`` ... in partition order: partition -> position -> name.

    The rule of ``CorpusReader``: the first keeps its id; a later one gets
    the next free ``#k``.
    """
    seen: dict[str, int] = {}
    out: dict[int, dict[int, str]] = {}
    original = [list(part) for part in ids]
    for p, part in enumerate(original):
        for i, ident in enumerate(part):
            if ident not in seen:
                seen[ident] = 1
                continue
            seen[ident] += 1
            new = f"{ident}#{seen[ident]}"
            while new in seen:
                seen[ident] += 1
                new = f"{ident}#{seen[ident]}"
            seen[new] = 1
            out.setdefault(p, {})[i] = new
    return out


def merged_warnings(reads: Iterable[FrameRead]) -> list[str]:
    """The partitions' warnings in order, a once-per-value one only the first time."""
    out: list[str] = []
    keys: set[str] = set()
    for read in reads:
        for key, text in read.warnings:
            if key is not None:
                if key in keys:
                    continue
                keys.add(key)
            out.append(text)
    return out
