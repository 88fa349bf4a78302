"""Showing hidden passages: ``[…]`` where something that gives the publisher away was.

What to hide is not decided here: the caller hands the renderer a function
``hide(text) -> spans`` (``Hide``), in practice
``framing.analysis.mask.ReaderMask.for_outlets(...).spans``, because finding
datelines, credits and outlet names in a text is analysis, and the report
only renders what the analysis found.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ...types import Article
from ..html.escape import html_text

__all__ = ["MASK", "Hide", "hidden_passages", "mask_text", "masked_html"]

MASK = "[\u2026]"  # what stands where a name, dateline, credit or URL was

# A text -> the ``[start, end)`` spans of it to hide from students, sorted and disjoint.
Hide = Callable[[str], Sequence[tuple[int, int]]]


def mask_text(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with each of ``spans`` (sorted, disjoint) replaced by ``[…]``.

    >>> mask_text("WASHINGTON (Reuters) - Talks resumed.", [(0, 22)])
    '[…] Talks resumed.'
    """
    out, pos = [], 0
    for a, b in spans:
        out += [text[pos:a], MASK]
        pos = b
    out.append(text[pos:])
    return "".join(out)


def masked_html(text: str) -> str:
    """Escaped text with each ``[…]`` greyed, so a reader sees where something was hidden."""
    return html_text(text).replace(MASK, f'<span class="hid">{MASK}</span>')


def hidden_passages(article: Article, hide: Hide) -> list[tuple[str, int]]:
    """What the worksheet hid in the article and its title, in order of first appearance, with counts."""
    seen: dict[str, int] = {}
    for text in (" ".join(article.title.split()), article.text):
        for a, b in hide(text):
            passage = " ".join(text[a:b].split())
            seen[passage] = seen.get(passage, 0) + 1
    return list(seen.items())
