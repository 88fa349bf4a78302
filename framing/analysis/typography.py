"""Typography: how an article is punctuated and laid out, as rates the classifier can use.

Word counts say what an article talks about; its typography says how it was
written and typeset: how often it uses dashes and which kind (a wire's ``-``
against a magazine's ``—``), straight or curly quotes, semicolons,
parentheses, question marks, line breaks, capital letters, and how long its
sentences are. These are house style as much as writing style (a publisher's
content system decides between ``"`` and ``“``), which is what tells source
types apart on outlets the model has seen, and they are kept out of every
other statistic: only the classifier reads them.

Every feature is a count per 1,000 word tokens, except ``words_per_sentence``.
Characters inside masked text spans (datelines, credits, captions, URLs:
``framing.analysis.mask.text_spans``) are not counted, so a "WASHINGTON
(Reuters) -" dateline adds no parenthesis and no dash.

Pure: texts in, numbers out, per article (the same for any chunking).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from ..schema import TYPOGRAPHY_FEATURES
from .features import PER_TOKENS

__all__ = ["CHARACTERS", "NAMES", "typography_rates"]

# (feature name, the character it counts), from the features' one home (report.csv's ``why`` names them too)
CHARACTERS: tuple[tuple[str, str], ...] = tuple((name, char) for name, char in TYPOGRAPHY_FEATURES.items() if char)
_UPPER = len(CHARACTERS)  # the column of upper-case letters
NAMES: tuple[str, ...] = tuple(TYPOGRAPHY_FEATURES)  # every column: the characters, upper_case_letters, words_per_sentence
# typography_rates fills the columns by position: the characters, then upper-case letters, then sentence length.
assert NAMES[_UPPER:] == ("upper_case_letters", "words_per_sentence"), NAMES
_MAX16 = 65504.0  # the largest float16: rates are kept as float16 (a million articles: 54 MB)


@lru_cache(maxsize=1)
def _table() -> np.ndarray:
    """Feature column of each code point of the Basic Multilingual Plane (-1: none)."""
    table = np.full(0x10000, -1, dtype=np.int16)
    upper = [c for c in range(0x10000) if chr(c).isupper()]
    table[upper] = _UPPER
    for j, (_, chars) in enumerate(CHARACTERS):
        for ch in chars:
            table[ord(ch)] = j
    table[0xFFFF] = -1  # code points above the plane are clipped to this one
    return table


def typography_rates(
    texts: Sequence[str], n_tokens: np.ndarray, n_sentences: np.ndarray, spans: Sequence[tuple[int, int]] = (),
    joined: str | None = None,
) -> np.ndarray:
    """Each article's typography (columns ``NAMES``), as float16.

    ``texts``: the articles; ``n_tokens`` / ``n_sentences``: their word
    tokens and sentences; ``spans``: character spans of ``"\\n".join(texts)``
    not to count (sorted); ``joined``: that joined text, when the caller has
    it already. An article without tokens has 0 everywhere.
    """
    n = len(texts)
    out = np.zeros((n, len(NAMES)), dtype=np.float16)
    if n == 0:
        return out
    if joined is None:
        joined = "\n".join(texts)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    column = _table()[np.minimum(codes, 0xFFFF)]
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=n)
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    counted = column >= 0
    if len(spans):  # +1 / -1 at span edges, summed: inside a span (they may overlap) the sum is > 0
        edges = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
        depth = np.zeros(len(codes) + 1, dtype=np.int64)
        np.add.at(depth, edges[:, 0], 1)
        np.add.at(depth, edges[:, 1], -1)
        counted &= np.cumsum(depth)[:-1] == 0
    counted[starts[1:] - 1] = False  # the line breaks that join the articles
    # Only the few counted characters are placed in their article (most characters count for nothing).
    at = np.flatnonzero(counted)
    doc = np.searchsorted(starts, at, side="right") - 1
    counts = np.bincount(doc * len(NAMES) + column[at], minlength=n * len(NAMES)).reshape(n, -1)
    tokens = np.asarray(n_tokens, dtype=np.float64)
    rates = counts.astype(np.float64) * PER_TOKENS / np.where(tokens > 0, tokens, 1.0)[:, None]
    rates[:, -1] = tokens / np.maximum(np.asarray(n_sentences, dtype=np.float64), 1.0)
    rates[tokens <= 0] = 0.0
    out[:] = np.minimum(rates, _MAX16)
    return out
