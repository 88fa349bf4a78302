"""Counts in words, for every message and page framing writes: one home for plurals."""

from __future__ import annotations

__all__ = ["NUMBER_WORDS", "count_words", "plural"]

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def plural(n: int, word: str, many: str = "") -> str:
    """``1 warning``, ``2 warnings``, ``1,000 articles``; ``many`` for an irregular plural (``categories``)."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {many or word + 's'}"


def count_words(n: int, word: str, many: str = "") -> str:
    """As ``plural``, with the numbers up to ten spelled out: ``no articles``, ``one article``, ``11 articles``."""
    number = NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else f"{n:,}"
    return f"{number} {word}" if n == 1 else f"{number} {many or word + 's'}"
