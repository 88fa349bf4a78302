"""How far each score was checked against people's judgements, as the report says it beside the score.

A lexicon category may carry ``validity`` (one of
``framing.lexicon.model.VALIDITY``), ``evidence`` (the figures behind it)
and ``note`` (what it captures and misses); see lexicons/README.md. A
category without ``validity`` was never checked: the report says "not
validated" rather than nothing, so that no frame score appears without its
standing beside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..lexicon.model import Lexicon

__all__ = ["LEVEL_TEXT", "Validity", "validity_by_column"]

# What each level means, in the words the page and the worksheet's key use.
LEVEL_TEXT = {
    "good": "good validity",
    "fair": "fair validity",
    "weak": "weak validity",
    "unvalidated": "not validated",
}


@dataclass(frozen=True)
class Validity:
    """One category's standing: its level, the figures behind it, and what it misses."""

    level: str  # a key of LEVEL_TEXT
    evidence: str = ""
    note: str = ""

    @property
    def text(self) -> str:
        """``"fair validity"``, ``"not validated"``...: the level for readers."""
        return LEVEL_TEXT[self.level]

    @property
    def doubtful(self) -> bool:
        """Whether a reader should take the score as a word count only (weak or never checked)."""
        return self.level in ("weak", "unvalidated")


def validity_by_column(lexicons: Iterable[Lexicon]) -> dict[str, Validity]:
    """``<lexicon>.<category>`` -> its ``Validity`` ("unvalidated" where the lexicon says nothing)."""
    out = {}
    for lx in lexicons:
        for c in lx.categories:
            # A Category built in Python is not checked as a file is: anything but a level counts as unsaid.
            level = c.validity if c.validity in LEVEL_TEXT else "unvalidated"
            out[f"{lx.name}.{c.id}"] = Validity(level, c.evidence, dict(c.extra).get("note", ""))
    return out
