"""CSV cells for every table framing writes: fixed float format, spreadsheet-safe text.

Text cells that a spreadsheet would run as a formula (starting with ``=``,
``+``, ``-``, ``@``, tab or carriage return) get a leading ``'``, as OWASP
advises for CSV injection; a NUL character becomes U+FFFD. Only text columns are touched, so numbers stay
numbers. Missing values are empty cells; floats are written with
``FLOAT_FORMAT`` so the same input always gives the same bytes.

The one home of cell formatting: pass 1 formats each article's cells as it
scores the article (``framing.analysis.chunk_rows``), the engine formats the
numbers, and the writer the small tables; all three use these functions.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pandas is imported by csv_bytes, when a table is written
    import pandas as pd

__all__ = [
    "FLOAT_FORMAT", "csv_bytes", "csv_cell", "csv_cells", "csv_line", "escape_surrogates", "format_floats", "has_surrogates",
    "neutralize", "rows_csv",
]

FLOAT_FORMAT = "%.4f"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: object) -> object:
    """Prefix ``'`` to a string a spreadsheet would treat as a formula; NUL becomes U+FFFD.

    (A NUL is no text, and Python 3.10's csv module cannot write one.)
    """
    if isinstance(value, str):
        if "\x00" in value:
            value = value.replace("\x00", "\ufffd")
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogates(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate (a JSON ``"\\ud83d"``, a byte of a file name that is not UTF-8)."""
    return _SURROGATE.search(text) is not None


def escape_surrogates(text: str) -> str:
    """``text`` with each lone surrogate as its escape (``\\ud83d``): what the CSV files write for it.

    A lone surrogate is no text: UTF-8 cannot hold it, nor can the Arrow
    strings pandas 3 keeps text in. Escaped, it reads the same in every
    table and on the page.
    """
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def csv_cell(text: str) -> str:
    """One text cell as ``csv.writer`` writes it in a row of several: quoted only when it must be.

    (Not neutralised: the caller does that where a cell can start like a formula.)
    """
    if _NEEDS_QUOTES.search(text) is None:
        return text
    return '"' + text.replace('"', '""') + '"'


def csv_cells(texts: list[str]) -> list[str]:
    """``csv_cell`` of every text, with one scan of them all (most need no quotes)."""
    joined = "\x1f".join(texts)
    hits = [m.start() for m in _NEEDS_QUOTES.finditer(joined)]
    if not hits:
        return texts
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1)
    out = list(texts)
    for i in set(np.searchsorted(ends, hits, side="right").tolist()):
        out[i] = csv_cell(texts[i])
    return out


def format_floats(values: np.ndarray, float_format: str = FLOAT_FORMAT) -> np.ndarray:
    """Floats as text (NaN as empty), formatting each distinct value once (pandas formats every cell)."""
    # + 0.0 turns -0.0 into 0.0, which np.unique would otherwise merge with it.
    distinct, where = np.unique(values + 0.0, return_inverse=True)
    text = np.array(["" if np.isnan(v) else float_format % v for v in distinct], dtype=object)
    return text[where.reshape(-1)]


def csv_line(cells: Sequence[object]) -> bytes:
    """One CSV line (CRLF), text cells neutralised, as ``csv_bytes`` writes a row.

    A lone surrogate (a file name that is not UTF-8, a JSON ``"\\ud800"``) is
    written as its escape, so the file stays valid UTF-8 and shows it.
    """
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([neutralize(c) for c in cells])
    return buffer.getvalue().encode("utf-8", "backslashreplace")


def rows_csv(columns: Sequence[str], rows: Sequence[Sequence[object]], floats: Sequence[int] = ()) -> bytes:
    """A table given as rows, the bytes ``csv_bytes`` writes for it as a DataFrame, without pandas.

    ``floats``: the positions of the float columns (``FLOAT_FORMAT``, NaN as
    an empty cell); the other cells are written as they are. For commands
    whose tables are small and whose start-up counts (``lexicon diff``).
    """
    table = [[neutralize(cell) for cell in r] for r in rows]
    for c in floats:  # formatted after the text cells are neutralised: "-0.5" is a number, not a formula
        for r, text in zip(table, format_floats(np.asarray([r[c] for r in rows], dtype=float))):
            r[c] = text
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralize(str(c)) for c in columns])
    writer.writerows(table)
    return buffer.getvalue().encode("utf-8", "backslashreplace")


def csv_bytes(df: pd.DataFrame, float_format: str = FLOAT_FORMAT) -> bytes:
    """The table as UTF-8 CSV bytes with CRLF line ends (RFC 4180)."""
    import pandas as pd

    safe = df.copy()
    for col in safe.columns:
        values = safe[col]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            if values.str.contains("\x00", regex=False, na=False).any():
                values = safe[col] = values.str.replace("\x00", "\ufffd", regex=False)
            risky = values.str.startswith(_FORMULA_START, na=False).astype(bool)
            if risky.any():
                safe[col] = values.where(~risky, "'" + values[risky].astype(str))
    for col in safe.columns:
        if pd.api.types.is_float_dtype(safe[col]):
            safe[col] = format_floats(safe[col].to_numpy(dtype=float), float_format)
    safe.columns = [neutralize(str(c)) for c in safe.columns]
    # RFC 4180 line ends: with "\n" alone, the csv module would leave a cell
    # holding a bare "\r" unquoted, and readers would split the row there.
    text = safe.to_csv(index=False, float_format=float_format, lineterminator="\r\n")
    return text.encode("utf-8", "backslashreplace")
