"""A lexicon written to a file, in the format its extension names (the writer's part of ``framing.save_lexicon``)."""

from __future__ import annotations

import os
from pathlib import Path

from ..lexicon.model import Lexicon
from ..lexicon.writers import write_lexicon_text
from .files import write_file

__all__ = ["save_lexicon"]


def save_lexicon(lexicon: Lexicon, path: str | os.PathLike[str], *, quanteda: bool = False) -> list[str]:
    """Write ``lexicon`` to ``path`` in the format of its extension; return what that format could not hold.

    ``.yaml``/``.yml`` hold everything; ``.csv``, ``.dic`` and ``.dicx`` drop
    what they have no place for, each said in one returned message
    (``framing.lexicon.writers``). ``quanteda``: a ``.yaml``/``.yml`` path gets
    quanteda's YAML (``category: [terms]``) instead of framing's. The file is written to a temporary file
    and renamed into place, so a failed write leaves the old file whole.
    """
    target = Path(path)
    text, dropped = write_lexicon_text(lexicon, target.suffix, quanteda=quanteda)
    write_file(target, text.encode("utf-8"))
    return dropped
