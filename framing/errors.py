"""The one exception tree of framing.

::

    FramingError                 base class; the CLI prints its message on one line
    ├── InputError (ValueError)  a corpus, manifest or option that cannot be used
    ├── LexiconError (ValueError) a lexicon file with problems (all of them, with lines)
    └── OutputError (OSError)    a report that cannot be written

The library never prints or exits; it raises one of these, and ``framing.cli``
turns it into ``error: <message>`` and exit status 2. Anything else is a bug
and keeps its traceback.
"""

from __future__ import annotations

__all__ = ["FramingError", "InputError", "LexiconError", "OutputError"]


class FramingError(Exception):
    """Base class of every error framing raises on purpose."""


class InputError(FramingError, ValueError):
    """A corpus, manifest or option that cannot be used as given.

    ``argument`` names the library's argument the message is about (``jobs``,
    ``keep_texts``...), when it is one; such a message starts with that name,
    so that the CLI can say the flag the user typed instead (``--jobs``).
    """

    def __init__(self, message: str, *, argument: str | None = None) -> None:
        super().__init__(message)
        self.argument = argument


class LexiconError(FramingError, ValueError):
    """A lexicon that cannot be loaded; ``problems`` holds every ``file:line: message``."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems: list[str] = list(problems or [])


class OutputError(FramingError, OSError):
    """A report folder or file that cannot be written."""
