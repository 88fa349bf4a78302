"""A groups file: the order, labels and colours of a grouping's values (``--groups FILE``).

EDGE: reads one small CSV. Its header names ``value`` and, optionally,
``label`` and ``color``; one row per value, in the order tables, charts and
the page list the groups::

    value,label,color
    right_bias,Right,#D55E00
    left_bias,Left,#0072B2

Values the file does not name are listed after its own, by name, and keep
their value as label. A colour is ``#RRGGBB``. A repeated value, a bad
colour or a file without a ``value`` column is an ``InputError`` naming the line.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..errors import InputError
from ..grouping import clean_value
from .decode import decode_bytes, read_bytes

__all__ = ["GroupsFile", "read_groups"]

_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")


class GroupsFile:
    """A groups file's values in order, with the labels and colours it gives."""

    def __init__(self, order: tuple[str, ...], labels: dict[str, str], colors: dict[str, str]) -> None:
        self.order, self.labels, self.colors = order, labels, colors


def read_groups(path: str | Path) -> GroupsFile:
    """The groups file at ``path`` (see the module docstring)."""
    warnings: list[str] = []
    data = read_bytes(Path(path), str(path), warnings)
    text = decode_bytes(data, str(path), warnings) if data is not None else None
    if text is None:
        raise InputError(f"cannot read the groups file {path}" + (f": {warnings[0]}" if warnings else ""),
                         argument="groups")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    reader.fieldnames = fields
    if "value" not in fields:
        raise InputError(f"{path}: a groups file needs a 'value' column (and may have 'label' and 'color'); "
                         f"its header is {', '.join(fields) or 'empty'}", argument="groups")
    order: list[str] = []
    labels: dict[str, str] = {}
    colors: dict[str, str] = {}
    for line, row in enumerate(reader, start=2):
        value = clean_value(row.get("value"))
        if value in order:
            raise InputError(f"{path}:{line}: the value {value!r} is listed twice", argument="groups")
        order.append(value)
        label = (row.get("label") or "").strip()
        if label:
            labels[value] = label
        color = (row.get("color") or "").strip()
        if color:
            if not _COLOR.fullmatch(color):
                raise InputError(f"{path}:{line}: colour {color!r} is not #RRGGBB", argument="groups")
            colors[value] = color.upper()
    return GroupsFile(tuple(order), labels, colors)
