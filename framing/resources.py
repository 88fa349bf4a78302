"""The files that ship inside the package (word lists, the page's style sheet): the core's one reader.

The core reads no user file; what it needs of its own (stop words, the
sentence splitter's abbreviations, the names masked in articles, the CSS of
report.html) lies in ``framing/data/`` and is read here, once each.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

__all__ = ["package_text"]


@lru_cache(maxsize=None)
def package_text(name: str) -> str:
    """The UTF-8 text of ``framing/data/<name>`` (read once, then cached)."""
    return files("framing").joinpath("data", name).read_text(encoding="utf-8")
