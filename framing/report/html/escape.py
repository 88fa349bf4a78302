"""Where input meets markup: table cells as text, escaping, safe links, numbers for people.

Every string that comes from input (article text and metadata, lexicon
names, labels, descriptions and terms, warnings) is hostile until escaped:

* text and attribute values go through ``html.escape(s, quote=True)`` after
  characters HTML does not allow (NUL and other controls, lone surrogates,
  noncharacters) are replaced by U+FFFD (``html_text``, ``html_attr``);
* a URL becomes a link only when it is a plain absolute ``http(s)`` URL
  (``safe_url``); any other URL is shown as text.

report.html and the classroom worksheet both escape with these, so one set
of rules holds for both (tests/house/test_hostile.py feeds hostile strings to each).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from ...grouping import NO_VALUE, Grouping, current_grouping, grouped
from ...types import LABELLED_TYPES, type_key, type_label

__all__ = [
    "MAX_CELL",
    "cell_text",
    "clean_text",
    "group_key",
    "group_title",
    "group_words",
    "grouped",
    "html_attr",
    "html_text",
    "labelled_groups",
    "number",
    "other_grouping",
    "safe_url",
    "shorten",
    "source_label",
    "whole_number",
]

MAX_CELL = 300  # characters of a title or id in the articles table; the article section has it all

# Code points HTML forbids or that break UTF-8: C0 controls except tab, line
# feed, form feed and carriage return; DEL and C1 controls; lone surrogates;
# noncharacters.
_NONCHARS = "".join(f"\\U{(plane << 16) | 0xFFFE:08x}\\U{(plane << 16) | 0xFFFF:08x}" for plane in range(17))
_FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef{_NONCHARS}]")
_URL_BAD = re.compile(r"[\s\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def cell_text(value: object) -> str:
    """A table cell as a string; missing values (``None``, NaN) become empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value if isinstance(value, str) else str(value)


def clean_text(value: object) -> str:
    """A cell as a string with the code points HTML forbids replaced by U+FFFD (not yet escaped)."""
    return _FORBIDDEN.sub("\ufffd", cell_text(value))


def html_text(value: object) -> str:
    """Input as HTML text: forbidden code points replaced, then escaped."""
    return html.escape(clean_text(value), quote=True)


def html_attr(value: object) -> str:
    """Input as the value of a double-quoted attribute.

    The same escaping as ``html_text`` is right here: ``quote=True`` escapes
    both quote characters, so a value can never close its attribute.
    """
    return html_text(value)


def safe_url(url: object) -> str | None:
    """The URL if it is a plain absolute http(s) URL, else ``None``.

    Browsers drop tabs and newlines inside a scheme (``java\\tscript:``) and
    accept any case, so anything with whitespace or controls inside is
    refused outright, and only the schemes ``http`` and ``https`` with a host
    are let through: ``javascript:``, ``data:``, ``vbscript:`` and
    scheme-relative ``//host`` URLs never become links.
    """
    u = cell_text(url).strip()
    if not u or _URL_BAD.search(u) or _FORBIDDEN.search(u):
        return None
    try:
        parts = urlsplit(u)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return u


def number(value: object, digits: int = 2) -> str:
    """A number for display (``1,234.57``); missing or undefined values are an em dash."""
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "\u2014"
    if not math.isfinite(x):
        return "\u2014"
    return f"{x:,.{digits}f}"


def whole_number(value: object) -> str:
    """A count for display (``1,234``); anything that is not a whole number is an em dash."""
    try:
        return f"{int(value):,}"  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return "\u2014"


def shorten(value: object, width: int = MAX_CELL) -> str:
    """A cell cut to ``width`` characters, an ellipsis marking the cut (not yet escaped)."""
    s = cell_text(value)
    return s if len(s) <= width else s[: width - 1] + "\u2026"


def source_label(source_type: object) -> str:
    """A source-type cell for people (``"state_media"`` -> ``"State media"``; missing: empty); inside
    ``grouped``, a group's label."""
    g = current_grouping()
    return type_label(cell_text(source_type)) if g is None else g.label(cell_text(source_type))




def group_key(value: object) -> tuple[int, str]:
    """The display order of source types, or of the current grouping's groups."""
    g = current_grouping()
    return type_key(str(value)) if g is None else g.key(value)


def group_words(many: bool = False) -> str:
    """What a group is called in a sentence: "source type(s)", "outlet(s)", "group(s) of mbfc"."""
    g = current_grouping()
    return (g or Grouping()).words(many)


def group_title() -> str:
    """What the groups are called in a table header: "Source type", or the grouping's title ("Outlet", "mbfc")."""
    g = current_grouping()
    return (g or Grouping()).title


def other_grouping() -> bool:
    """Whether the page's group sections speak of another column than the source types (inside ``grouped``)."""
    return current_grouping() is not None


def labelled_groups(values: Iterable[object]) -> list[str]:
    """The groups of ``values`` that are labelled: the four source types, or every group with a value."""
    g = current_grouping()
    if g is None:
        return [str(v) for v in values if str(v) in LABELLED_TYPES]
    return [str(v) for v in values if str(v) != NO_VALUE]
