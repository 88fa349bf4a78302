"""EDGE: the only writer. Every output file of framing is written here.

* ``files``: one file written atomically (``atomic_file``, ``write_file``),
  and ``check_output_folder``;
* ``commit``: a folder that changes all at once: the staging folder, the
  locks, the COMMIT/ROLLBACK lists, ``recover`` after a killed run, the
  signals held during the move;
* ``parquet``: ``csv_to_parquet``, typed Parquet from CSV bytes (also run by
  the Dask engine's workers);
* ``record``: ``run_record``, what ``run.json`` holds;
* ``lexicon_file``: ``save_lexicon``, a lexicon in the format of its file's extension;
* ``report``: ``write_report``, which files a report has, rendered through
  ``framing.report`` (which returns bytes), staged and committed.
"""

from .commit import recover
from .files import atomic_file, check_output_folder, write_file
from .lexicon_file import save_lexicon
from .parquet import csv_to_parquet
from .record import run_record

__all__ = [
    "REPORT_FILES", "atomic_file", "check_output_folder", "csv_to_parquet", "recover", "run_record", "save_lexicon",
    "write_file", "write_report",
]


def __getattr__(name: str) -> object:
    """``REPORT_FILES`` and ``write_report``, from ``report`` when first asked for.

    The report's writer brings the page and its charts (pandas, scipy, half a second of
    start-up): commands that write only CSV files (``lexicon diff``, ``kwic``) start without it.
    """
    if name in ("REPORT_FILES", "write_report"):
        from . import report

        return getattr(report, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
