"""Text in, word tokens and sentence spans out, with character offsets.

A *word* is a run of letters or digits; a hyphen or apostrophe between two
such runs stays inside the word (``win-win``, ``china's``). Tokens are lower
case and the typographic apostrophe (U+2019) becomes ``'``, so ``China’s``
and ``china's`` are one word. Both mappings keep every character in place,
so ``text[start:end]`` is always the token as it appears in the text.

Sentences come from nltk's Punkt with no trained parameters (no data files,
no download). Punkt's per-candidate decision is slow in pure Python; the
overwhelmingly common candidate, a word of two or more letters followed by
``.``, ``?`` or ``!`` and then whitespace or punctuation, is always a break
for untrained Punkt, so it is decided by one regular expression and the rest
are left to nltk. ``tests/test_tokenize.py`` checks the two agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from nltk.tokenize.punkt import PunktSentenceTokenizer

__all__ = ["Tokens", "WORD_PATTERN", "normalize", "tokenize", "sentence_starts", "split_words"]

WORD_PATTERN = r"[^\W_]+(?:['\-][^\W_]+)*"
_SPLIT = re.compile(f"({WORD_PATTERN})")
_WORD = re.compile(WORD_PATTERN)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'"})


@dataclass(frozen=True)
class Tokens:
    """The word tokens of one text: ``words[i] == normalize(text)[starts[i]:ends[i]]``."""

    words: list[str]
    starts: np.ndarray
    ends: np.ndarray

    def __len__(self) -> int:
        return len(self.words)


def normalize(text: str) -> str:
    """Lower-case ``text`` and unify apostrophes without moving any character.

    ``str.lower`` turns a few characters into two (``İ``); those keep their
    case so that offsets into the original text stay valid.
    """
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lowered.translate(_APOSTROPHES)


def tokenize(text: str) -> Tokens:
    """Split ``text`` into lower-case word tokens with character offsets.

    One ``re.split`` with a capturing group yields gaps and words alternately;
    their cumulative lengths give every offset without a Python loop per token.

    >>> t = tokenize("China’s win-win deal, said Li.")
    >>> t.words
    ["china's", 'win-win', 'deal', 'said', 'li']
    >>> int(t.starts[1]), int(t.ends[1])
    (8, 15)
    """
    parts = _SPLIT.split(normalize(text))
    words = parts[1::2]
    if not words:
        empty = np.zeros(0, dtype=np.int64)
        return Tokens([], empty, empty)
    bounds = np.cumsum(np.fromiter(map(len, parts), dtype=np.int64, count=len(parts)))
    return Tokens(words, bounds[0:-1:2], bounds[1::2])


def split_words(text: str) -> list[str]:
    """The words of ``text`` as ``tokenize`` sees them (no offsets)."""
    return _WORD.findall(normalize(text))


# A word of two or more letters, then a sentence-end character, then what
# Punkt's period-context pattern allows after it: whitespace or one of its
# non-word characters. Untrained Punkt has no abbreviations, collocations or
# orthographic context, so such a candidate is always a sentence break.
_CERTAIN_BREAK = re.compile(
    r"[^\W\d_]{2,}[.?!](?:\s|[)\";}\]*:@'({\[\u2018\u2019\u201c\u201d\xab\xbb?!])"
)


class _UntrainedPunkt(PunktSentenceTokenizer):
    """nltk's Punkt with empty parameters and a fast path for certain breaks."""

    def text_contains_sentbreak(self, text: str) -> bool:  # noqa: D102 - nltk's API
        if _CERTAIN_BREAK.match(text):
            return True
        return super().text_contains_sentbreak(text)


_PUNKT = _UntrainedPunkt()


def sentence_starts(text: str) -> np.ndarray:
    """Character offsets where each sentence of ``text`` begins (Punkt, untrained)."""
    starts = [start for start, _ in _PUNKT.span_tokenize(text)]
    return np.asarray(starts or [0], dtype=np.int64)
