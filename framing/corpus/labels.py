"""One column of a corpus, read beside its articles: the values a label model is trained on.

EDGE: reads the corpus's tables (or its manifest) a second time for two
cells a row, the id and the column (``framing model train --label COLUMN``),
so that the articles themselves carry no more than they do
(``framing.types.Article``). The rules follow ``framing.corpus.reader``'s:

* **The manifest first.** When the manifest (``manifest``, or a corpus
  folder's ``manifest.csv``) has the column, its rows give the values: a row
  joined by id (``id_column``, else ``id``) labels that article, a row joined
  by ``file`` the article whose id is that path (a folder's file, as the
  reader names it when the manifest lies in the corpus folder).
* **Else the tables** (CSV, JSONL, Parquet given directly): a record's id is
  its ``id_column`` value (else ``id``), or ``<file name>:<record number>``
  as the reader numbers records; the first record of a repeated id gives its
  value (the reader renames the later ones, ``<id>#2``, and these are not labelled).
* **Values** are text, stripped; ``true``/``false`` of JSON become
  ``"true"``/``"false"``; an empty cell, a missing key or a JSON ``null``
  leaves the article unlabelled.

A column that neither the manifest nor any table has is an ``InputError``
naming the columns there are.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from pathlib import Path

from ..defaults import MAX_ARTICLE_BYTES
from ..errors import InputError
from .decode import decode_bytes, read_bytes, shown
from .tables import table_rows
from .walk import kind

__all__ = ["TABLE_KINDS", "label_value", "read_labels"]

TABLE_KINDS = (".csv", ".jsonl", ".parquet")  # the tables a column can be read from, given directly


def read_labels(
    paths: Sequence[str | Path], column: str, *, manifest: str | Path | None = None, id_column: str | None = None,
    text_column: str = "text", max_article_bytes: int = MAX_ARTICLE_BYTES, purpose: str = "to train a model of",
    argument: str = "label",
) -> dict[str, str]:
    """Each labelled article's value of ``column``, by article id (see the module docstring).

    ``purpose`` and ``argument`` say what the column is for in the error
    when no table has it ("to group by", ``group_by``).
    """
    roots = [Path(p) for p in paths]
    man_path = Path(manifest) if manifest else next(
        (p / "manifest.csv" for p in roots if p.is_dir() and (p / "manifest.csv").is_file()), None)
    seen: list[str] = []  # where we looked, and the columns there, for the message when none has it
    if man_path is not None:
        values = _manifest_values(man_path, column, id_column, seen)
        if values is not None:
            return values
    found: dict[str, str] = {}
    ids: set[str] = set()
    has_column = False
    for p in roots:
        if p.is_file() and kind(p) in TABLE_KINDS:
            has_column |= _table_values(p, column, id_column, text_column, max_article_bytes, found, ids, seen)
    if not has_column:
        where = "; ".join(seen) or "no manifest or table (CSV, JSONL, Parquet) among the corpus paths"
        raise InputError(f"no column {column!r} {purpose}: {where}", argument=argument)
    return found


def label_value(value: object) -> str:
    """A cell as a label: text, stripped; a boolean as ``true``/``false``; nothing (``""``) for empty or null."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def _manifest_values(path: Path, column: str, id_column: str | None, seen: list[str]) -> dict[str, str] | None:
    """The manifest's values of ``column`` by article id; ``None`` when it has no such column."""
    data = read_bytes(path, str(path), [])
    text = decode_bytes(data, str(path), []) if data is not None else None
    if text is None:
        raise InputError(f"cannot read manifest {path}")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = [f.strip() for f in (reader.fieldnames or [])]
    reader.fieldnames = fields
    if column not in fields:
        seen.append(f"the manifest {shown(str(path))} has {', '.join(fields) or 'no header'}")
        return None
    key_col = id_column or "id"
    values: dict[str, str] = {}
    for row in reader:
        ident = (row.get(key_col) or "").strip()
        file_key = (row.get("file") or "").strip().replace("\\", "/")
        value = label_value(row.get(column))
        key = file_key or ident  # as the manifest joins: a file row by its path, else by id
        if key and value:
            values.setdefault(key, value)
    return values


def _table_values(
    path: Path, column: str, id_column: str | None, text_column: str, limit: int, found: dict[str, str],
    ids: set[str], seen: list[str],
) -> bool:
    """Add the table's values of ``column`` to ``found`` (``ids``: those met so far); whether any record has it."""
    key = id_column or "id"
    prefix = shown(path.name)
    n = 0
    has = False
    columns: list[str] = []
    for _where, rec in table_rows(path, text_column, [], limit):
        if rec is None:
            continue
        n += 1  # numbered as the reader numbers records: every record read, kept or not
        if not columns:
            columns = [str(k) for k in rec if isinstance(k, str)]
        ident = str(rec.get(key) or "").strip() or f"{prefix}:{n}"
        first = ident not in ids  # a repeated id is renamed by the reader: only its first record is this id
        ids.add(ident)
        if column not in rec:
            continue
        has = True
        value = label_value(rec.get(column))
        if value and first:
            found[ident] = value
    if not has:
        seen.append(f"{prefix} has {', '.join(columns) or 'no records'}")
    return has
