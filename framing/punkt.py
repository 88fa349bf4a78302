"""nltk's untrained Punkt sentence splitter, made faster without changing a single result.

Punkt's per-candidate decision is slow in pure Python; the overwhelmingly
common candidate, a word of two or more letters followed by ``.``, ``?`` or
``!`` and then whitespace or punctuation, is always a break for untrained
Punkt, so it is decided by one regular expression and the rest are left to
nltk. ``tests/test_sentences.py`` checks the two agree on any text. This
module imports nltk, so it is imported only when Punkt is asked for.
"""

from __future__ import annotations

import re

import numpy as np
from nltk.tokenize.punkt import PunktSentenceTokenizer

__all__ = ["sentence_starts"]


# A word of two or more letters (or of letters joined by single "." or "-",
# as in "U.S" or "win-win"), then a sentence-end character, then what Punkt's
# period-context pattern allows after it: whitespace or one of its non-word
# characters. nltk reads such a word as one token that is neither an initial
# nor a number, and untrained Punkt has no abbreviations, collocations or
# orthographic context, so the candidate is always a sentence break.
_CERTAIN_BREAK = re.compile(
    r"(?:[^\W\d_]{2,}|[^\W\d_]+(?:[.\-][^\W\d_]+)+)[.?!]"
    r"(?:\s|[)\";}\]*:@'({\[\u2018\u2019\u201c\u201d\xab\xbb?!])"
)


_ASCII_WHITESPACE = " \t\n\r\x0b\x0c"  # what nltk's _get_last_whitespace_index looks for


def _as_regex_module(pattern: str) -> str:
    """An nltk pattern for the standard re module, with the regex module's meaning of \\s.

    nltk compiles its Punkt patterns with the third-party regex module, whose
    \\s is Unicode White_Space; the re module's \\s also takes \\x1c-\\x1f.
    """
    swap = {r"\s": r"[^\S\x1c-\x1f]", r"\S": r"[\S\x1c-\x1f]"}
    return re.sub(r"\\[sS]", lambda m: swap[m.group()], pattern)


class _UntrainedPunkt(PunktSentenceTokenizer):
    """nltk's Punkt with empty parameters, with two shortcuts that keep its results.

    ``text_contains_sentbreak`` decides the certain breaks with one regex, and
    ``_match_potential_end_contexts`` is nltk's own loop with the standard
    ``re`` module and ``str.rfind`` in place of per-character Python.
    """

    def __init__(self) -> None:
        super().__init__()
        lang = self._lang_vars
        self._context_re = re.compile(_as_regex_module(lang.period_context_re().pattern), re.VERBOSE)
        self._realign_re = re.compile(_as_regex_module(lang.re_boundary_realignment.pattern), re.MULTILINE)

    def text_contains_sentbreak(self, text: str) -> bool:
        if _CERTAIN_BREAK.match(text):
            return True
        return super().text_contains_sentbreak(text)

    def _match_potential_end_contexts(self, text: str):
        prev_start = prev_stop = 0
        prev_match = None
        rare = [c for c in _ASCII_WHITESPACE if c not in " \n" and c in text]
        for m in self._context_re.finditer(text):
            start = m.start()
            # nltk treats "no whitespace" and "whitespace at index 0" alike.
            ws = max(text.rfind(" ", prev_stop, start), text.rfind("\n", prev_stop, start))
            for c in rare:
                ws = max(ws, text.rfind(c, prev_stop, start))
            word_start = ws + 1 if ws > prev_stop else prev_start
            if prev_match is not None and prev_stop <= word_start:
                yield prev_match, text[prev_start:prev_stop] + prev_match.group() + prev_match.group("after_tok")
            prev_match, prev_start, prev_stop = m, word_start, start
        if prev_match is not None:
            yield prev_match, text[prev_start:prev_stop] + prev_match.group() + prev_match.group("after_tok")


    def _realign_boundaries(self, text: str, slices):
        # nltk's method, with the standard re module for its one pattern.
        realign = 0
        previous = None
        for current in slices:
            if previous is not None:
                first = slice(previous.start + realign, previous.stop)
                m = self._realign_re.match(text, current.start, current.stop)
                if m:
                    yield slice(first.start, current.start + len(m.group(0).rstrip()))
                    realign = m.end() - current.start
                else:
                    realign = 0
                    if text[first]:
                        yield first
            previous = current
        if previous is not None:
            last = slice(previous.start + realign, previous.stop)
            if text[last]:
                yield last


_PUNKT = _UntrainedPunkt()


def sentence_starts(text: str) -> np.ndarray:
    """Character offsets where each sentence of ``text`` begins (Punkt, untrained)."""
    starts = [start for start, _ in _PUNKT.span_tokenize(text)]
    return np.asarray(starts or [0], dtype=np.int64)
