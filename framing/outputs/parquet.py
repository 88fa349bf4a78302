"""Typed Parquet from the CSV bytes of ``report.csv`` or ``matches.csv``.

A pure function of a binary source and sink (no paths), so the report
writer runs it on a staged file and the Dask engine's workers on the bytes
of one range of rows. The column types come from ``framing.schema``.
"""

from __future__ import annotations

import csv
from typing import BinaryIO

from ..errors import OutputError
from ..schema import INT_COLUMNS, text_columns

__all__ = ["PARQUET_TABLES", "csv_to_parquet", "require_pyarrow"]

# The tables that ``--format parquet`` writes as Parquet instead of CSV.
PARQUET_TABLES = ("report", "matches")


def require_pyarrow() -> None:
    """Nothing if pyarrow can be imported; else the one ``OutputError`` that says how to install it.

    The command checks this before the analysis, not after it.
    """
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError as exc:
        raise OutputError(f"writing Parquet needs pyarrow: pip install 'framing[parquet]' ({exc})") from None


def csv_to_parquet(source: BinaryIO, sink: BinaryIO, table: str) -> None:
    """``report.csv`` or ``matches.csv`` bytes (``table``: ``"report"`` or ``"matches"``) as Parquet, a block at a time.

    The cells are the CSV's (text cells neutralised the same way), with
    types: the ids and texts strings, counts and character offsets int64,
    rates, scores and weights float64 (an empty cell is null). So a
    spreadsheet-safe CSV and a typed Parquet file hold the same table. The
    Dask engine runs this on its workers, one range of rows at a time.
    ``source`` is read from where it stands; without pyarrow, one
    ``OutputError`` says how to install it.
    """
    require_pyarrow()
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    start = source.tell()
    header = next(csv.reader([source.readline().decode("utf-8", "replace")]))
    source.seek(start)
    types = {c: pa.float64() for c in header}
    types.update({c: pa.int64() for c in INT_COLUMNS[table] if c in types})
    types.update({c: pa.string() for c in text_columns(table, header)})
    reader = pcsv.open_csv(
        source,
        read_options=pcsv.ReadOptions(block_size=1 << 24),
        parse_options=pcsv.ParseOptions(newlines_in_values=True),
        convert_options=pcsv.ConvertOptions(column_types=types, strings_can_be_null=False,
                                            quoted_strings_can_be_null=False),
    )
    schema = pa.schema([(c, types[c]) for c in header])
    with pq.ParquetWriter(sink, schema) as writer:
        for batch in reader:
            writer.write_batch(batch.select(header).cast(schema) if batch.schema != schema else batch)
