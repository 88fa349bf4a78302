"""One output file written atomically, and the check that an output folder can be one.

A lexicon, a model, a worksheet or a workbench table is one file: it is
written beside its target and renamed into place (``atomic_file``). A report
is a folder of files that must change together: ``framing.outputs.commit``
stages them instead.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ..errors import OutputError

__all__ = ["atomic_file", "check_output_folder", "write_file"]


@contextmanager
def atomic_file(path: str | os.PathLike[str], *, what: str = "") -> Iterator[BinaryIO]:
    """A binary file to write one output through, renamed into place only when the block ends well.

    The temporary file is made beside ``path`` (so the rename is atomic) by
    ``mkstemp`` (a new file, never one already there), flushed to disk and
    made readable by all (0644: a table, lexicon or model is a file to
    share) before the rename; on any error it is removed and the old file
    stays. ``OSError`` becomes one ``OutputError``: ``cannot write
    <what or path>: <reason>``. For a folder of files that must change
    together, ``write_report`` stages them instead.
    """
    target = Path(path)
    name = what or str(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {name}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"cannot write {name}: {exc.strerror or exc}") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_file(path: str | os.PathLike[str], data: bytes, *, what: str = "") -> Path:
    """``data`` into ``path`` through ``atomic_file``; return the path."""
    with atomic_file(path, what=what) as f:
        f.write(data)
    return Path(path)


def check_output_folder(out_dir: str | Path) -> None:
    """Fail at once, before any analysis, if ``out_dir`` can never hold a report.

    It must be a folder or not exist yet (a dangling link counts as
    existing), and its nearest existing parent must be a folder. Nothing is
    created, so a run that fails later leaves no empty folder behind; whether
    the folder can be written is known only when writing.
    """
    path = Path(out_dir)
    if os.path.lexists(path):
        if not path.is_dir():
            raise OutputError(f"output path {out_dir} is not a folder")
        return
    parent = path.parent
    while not os.path.lexists(parent) and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(f"cannot create output folder {out_dir}: {parent} is not a folder")
