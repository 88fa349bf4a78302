"""The shell both pages share: head, style sheet, Content-Security-Policy; and small pieces of the body.

The style sheet is ``framing/data/worksheet.css`` (set for print: an
article starts a page, a task never splits). The pages carry report.html's
Content-Security-Policy and contain no script.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...resources import package_text
from ..html import CSP
from ..html.escape import html_attr, html_text

__all__ = ["page", "paragraphs", "write_lines"]


def page(title: str, body: Sequence[str]) -> bytes:
    """A whole page: its head, then the ``body`` pieces (escaped already), as UTF-8."""
    parts = [
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n",
        '<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{html_attr(CSP)}">\n',
        '<meta name="referrer" content="no-referrer">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{html_text(title)}</title>\n",
        f"<style>\n{package_text('worksheet.css')}</style>\n",
        "</head>\n<body>\n",
        *body,
        "</body>\n</html>\n",
    ]
    # Every piece was escaped already; "replace" only guards against a slip.
    return "".join(parts).encode("utf-8", "replace")


def write_lines(n: int) -> str:
    """``n`` ruled lines for a student to write on."""
    return '<div class="line"></div>' * n + "\n"


def paragraphs(text: str) -> list[str]:
    """Every non-blank line a paragraph: news text breaks paragraphs with a single line break as often
    as with a blank line, and short paragraphs let the printed page break between them."""
    return [line.strip() for line in text.splitlines() if line.strip()]
