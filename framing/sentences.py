"""Rule-based English sentence splitting: one compiled regular expression.

``sentence_starts(text)`` finds where sentences begin without any trained
model. The rules:

1. The first sentence starts at the first non-whitespace character. A text
   with none (empty or all whitespace) has the single start ``0``.
2. A paragraph break -- two line breaks with nothing but spaces or tabs
   between them, or U+2029 PARAGRAPH SEPARATOR -- always ends a sentence.
3. A single line break ends a sentence when the next line opens like a
   sentence (rule 5). Headlines, bylines and datelines have no final period
   and are sentences of their own, as in BASIL's gold split, where every
   paragraph ends a sentence; a hard-wrapped line that goes on in lower case
   is not broken. (BASIL with paragraphs joined by one line break: F1 0.9830,
   the same as breaking at every line break; 0.9752 with no line rule.)
4. A *terminator* is a run of ``.``, ``?``, ``!`` and ``…`` that directly
   follows a non-space character, then any closing quotes and brackets
   (``" ” ’ ' ) ] } » ›``), then whitespace. It ends a sentence when what
   follows opens like a sentence (rule 5), subject to rules 6 and 7. So a
   period with no whitespace after it (``3.5``, ``U.S.-led``,
   ``example.com``) never ends a sentence, ``"Why?" he asked`` goes on in
   lower case, and punctuation standing alone (``he said ... I``) is not a
   terminator.
5. A sentence *opens* with an opening quote or bracket (``" “ ‘ ' ( [ { « ‹
   ¿ ¡``), a letter or digit that is not lower case (upper case, digits, and
   scripts without case), or an ellipsis standing alone: in ``in particular.
   ... We have`` the second sentence starts at ``...``.
6. When the run starts with a period, the word before it decides, matched as
   a whole word and case-sensitively against ``framing/data/abbreviations.txt``:

   a. a ``title`` abbreviation (``Mr``, ``Sen``, ``Gov``, ``St``, ...) never ends
      a sentence (a line break after it still may, by rules 2 and 3);
   b. a ``number`` abbreviation (``No``, ``Jan``, ``Sept``, ...) ends one unless
      a digit follows (``on Jan. 5``);
   c. a one-letter word -- an initial as in ``J. K. Rowling``, or the end of
      ``U.S.``, ``D.C.``, ``a.m.`` -- or an ``ambiguous`` abbreviation
      (``etc``, ``Jr``, state names such as ``Calif``) ends one only before a
      common sentence-opening word (``STARTER_WORDS``: ``The``, ``He``,
      ``But``, ...), possibly after an opening quote: ``in the U.S. The next
      day`` breaks, ``U.S. officials`` and ``George W. Bush`` do not;
   d. any other word ends one.

7. A ``?`` or ``!`` inside a closing quotation ends a sentence only before a
   ``STARTER_WORDS`` word: ``"Why not?" Smith asked`` is one sentence. (On
   BASIL's gold, 22 of 28 such cases before a capital are not breaks.)

Runs count once: ``?!`` and ``...`` are one terminator, and an ellipsis after
a word (``win... But``) ends a sentence like a period does. The result is
strictly increasing and every start is the first non-whitespace character of
its sentence.

The whole decision is made inside one compiled pattern that starts with a
single character class, so ``re`` scans for candidates in C and Python only
sees the boundaries. Each part of the pattern is anchored so that a failed
match never rescans what a previous attempt read (a run of terminators is
only tried from its first character): the time is linear in the length of
the text, for any text.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from .resources import package_text

__all__ = ["STARTER_WORDS", "abbreviations", "sentence_starts", "sentence_starts_flat", "sentence_starts_many"]

# Words that open sentences in news text far more often than they follow an
# initial or an abbreviation inside one. Hand-picked function words: after
# "U.S." or "J." a capitalised name or noun is the usual case ("U.S.
# officials", "George W. Bush"); a pronoun, article or conjunction is not.
# A longer list (adding Although, Because, Since, Still, Though, To, Where,
# ...) gave BASIL F1 0.9829 against 0.9830 with this one.
STARTER_WORDS: tuple[str, ...] = (
    "A", "After", "Also", "An", "And", "As", "At", "But", "For", "He", "Her",
    "His", "How", "However", "I", "If", "In", "It", "Its", "My", "No", "Now",
    "On", "Our", "She", "So", "Some", "That", "The", "Their", "Then", "There",
    "These", "They", "This", "Those", "We", "What", "When", "While", "Who",
    "Why", "Yet", "You",
)

_KINDS = ("title", "number", "ambiguous")
_TERMINATORS = ".?!\u2026"
_CLOSERS = "\"\u201d\u2019')\\]}\u00bb\u203a"
_QUOTES = "\"\u201d\u2019'\u00bb\u203a"  # the closers that end quotations
_OPENERS = "\"\u201c\u2018'(\\[{\u00ab\u2039\u00bf\u00a1"
# What str.splitlines splits on; "\r\n" counts as one line break.
_LINE_BREAKS = "\\n\\r\\x0b\\x0c\\x1c\\x1d\\x1e\\x85\\u2028\\u2029"
_SPACE = f"[^\\S{_LINE_BREAKS}]"  # whitespace within a line


def abbreviations() -> dict[str, tuple[str, ...]]:
    """The abbreviation list, by kind: ``{"title": ("Mr", ...), "number": ..., "ambiguous": ...}``.

    Read from ``framing/data/abbreviations.txt`` on first use and cached.
    Each entry is given as written in the file; the splitter also matches
    its all-capitals form.
    """
    return {kind: tuple(words) for kind, words in _read_abbreviations().items()}


@lru_cache(maxsize=1)
def _read_abbreviations() -> dict[str, list[str]]:
    text = package_text("abbreviations.txt")
    table: dict[str, list[str]] = {kind: [] for kind in _KINDS}
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        if len(fields) != 2 or fields[1] not in table or "." in fields[0]:
            raise ValueError(f"abbreviations.txt line {number}: expected 'Abbrev kind' with kind one of {_KINDS}: {line!r}")
        table[fields[1]].append(fields[0])
    return table


def _char_class(predicate: Callable[[str], bool]) -> str:
    """A regex character class body with every code point for which ``predicate(chr(c))`` holds."""
    n = sys.maxunicode + 1
    # map over builtins and numpy for the runs: no Python frame per code point (this runs in every process).
    holds = np.fromiter(map(predicate, map(chr, range(n))), dtype=bool, count=n)
    edges = np.diff(np.concatenate(([False], holds, [False])).view(np.int8))
    starts, ends = np.flatnonzero(edges == 1).tolist(), (np.flatnonzero(edges == -1) - 1).tolist()
    return "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in zip(starts, ends))


def _after_word(words: list[str]) -> str:
    """Lookbehinds that hold when the period just read ends one of ``words`` (as a whole word)."""
    forms = sorted({w for word in words for w in (word, word.upper())})
    by_length: dict[int, list[str]] = {}
    for w in forms:
        by_length.setdefault(len(w), []).append(re.escape(w))
    # One lookbehind per length: re needs a fixed width in each.
    return "|".join(f"(?<=\\b(?:{'|'.join(ws)})\\.)" for _, ws in sorted(by_length.items())) or "(?!)"


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    table = _read_abbreviations()
    lower = _char_class(str.islower)
    # An ellipsis standing alone after a terminator opens the next sentence
    # ("in particular. ... We've"). BASIL's gold is split between that and a
    # break after the ellipsis; F1 is 0.9830 with or without this, recall
    # 0.9970 against 0.9959 (without it neither break is made).
    # "(?:\s|\Z)": at the very end of a text as before a line break, so that
    # a text split alone and in a chunk of articles gives the same starts.
    opens = f"(?=[{_OPENERS}]|(?![{lower}])[^\\W_]|(?:\\.\\.+|\u2026)(?:\\s|\\Z))"
    starter_word = f"[{_OPENERS}]*(?:{'|'.join(STARTER_WORDS)})(?![\\w.])"
    letter = "[^\\W\\d_]"
    # Rule 6a needs no branch of its own: a title is listed, so 6d refuses it.
    number, ambiguous = _after_word(table["number"]), _after_word(table["ambiguous"])
    listed = _after_word([w for kind in _KINDS for w in table[kind]])
    # A one-letter word, but not the "s" of "Mueller's." or the "t" of
    # "don't." (BASIL F1 0.9830, 0.9829 without the apostrophe test).
    initial = f"(?:(?<=\\b{letter}\\.)(?<![\'\u2019]{letter}\\.))"
    tail = f"[{_TERMINATORS}]*[{_CLOSERS}]*\\s+"
    pattern = f"""
    [{_TERMINATORS}{_LINE_BREAKS}]            # every boundary starts here: re scans for it in C
    (?:
        (?<=\\u2029)\\s*                       # rule 2: paragraph separator
      | (?<=[{_LINE_BREAKS}])(?:(?<=\\r)\\n)?   # a line break ("\\r\\n" is one)
        {_SPACE}*
        (?:
            (?!(?<=\\r)\\n)[{_LINE_BREAKS}]\\s* # rule 2: a second one, so a blank line
          | {opens}                            # rule 3
        )
      | (?<=\\S[{_TERMINATORS}])               # rule 4: after a word (F1 0.9830, 0.9826 without)
        (?<![{_TERMINATORS}][{_TERMINATORS}])  # and only from the start of a run
        (?={tail}{opens})                      # cheap test first: "3.5", "x.y", ". the" fail here
        (?:
            (?<=[?!])(?![{_TERMINATORS}]*[{_QUOTES}])
          | (?<=[?!])(?={tail}{starter_word})  # rule 7
          | (?<=\\u2026)
          | (?<=\\.)
            (?:
                (?!{initial}|{listed})         # rule 6d
              | (?:{number})(?={tail}[^\\s\\d])  # rule 6b
              | (?:{initial}|{ambiguous})(?={tail}{starter_word})  # rule 6c
            )
        )
        {tail}
    )
    """
    return re.compile(pattern, re.VERBOSE)


_FIRST = re.compile(r"\S")


def sentence_starts(text: str) -> np.ndarray:
    """Character offsets where the sentences of ``text`` begin.

    Parameters
    ----------
    text
        Any string, in its original case (case matters to the rules). Many
        articles may be joined with ``"\\n"``; the caller adds the article
        starts itself.

    Returns
    -------
    numpy.ndarray
        int64 offsets, strictly increasing, each the first non-whitespace
        character of its sentence; ``[0]`` when the text has no sentence.
        Map token offsets to sentence numbers with
        ``np.maximum(np.searchsorted(starts, token_starts, side="right") - 1, 0)``.

    Notes
    -----
    The rules are listed in the module docstring. Linear time: one pass of one
    compiled pattern.

    >>> sentence_starts("Mr. Smith went to Washington. He said no.").tolist()
    [0, 30]
    >>> sentence_starts("U.S. officials met on Jan. 5. They agreed.").tolist()
    [0, 30]
    """
    first = _FIRST.search(text)
    if first is None:
        return np.asarray([0], dtype=np.int64)
    starts = [first.start()]
    starts += [m.end() for m in _pattern().finditer(text, first.start())]
    # A paragraph break at the very end of the text would start an empty
    # sentence; every other match ends at a non-whitespace character.
    if starts[-1] >= len(text):
        starts.pop()
    return np.array(starts, dtype=np.int64)


# Between two articles split in one pass: a paragraph break always ends a
# sentence (rule 2), and no rule looks across one, so each article is split
# as if it stood alone (tests/text/test_sentences.py checks this on any texts).
_ARTICLE_BREAK = "\n\n"


def sentence_starts_many(texts: list[str]) -> list[np.ndarray]:
    """``sentence_starts`` of each text, found in one pass over them all."""
    starts, counts = sentence_starts_flat(texts)
    return np.split(starts, np.cumsum(counts)[:-1]) if texts else []


def sentence_starts_flat(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """``sentence_starts`` of every text, concatenated, and how many each text has.

    One call of the compiled pattern for a whole chunk of articles instead of
    one per article (about half the time for news-sized articles), and no
    Python work per article beyond finding its first character.
    """
    if not texts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    joined = _ARTICLE_BREAK.join(texts)
    found = np.asarray([m.end() for m in _pattern().finditer(joined)], dtype=np.int64)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    offsets = np.concatenate(([0], np.cumsum(lengths + len(_ARTICLE_BREAK))[:-1]))
    # The first sentence starts at the first non-whitespace character, or at 0 when there is none.
    first = np.fromiter((m.start() if (m := _FIRST.search(t)) else -1 for t in texts), dtype=np.int64, count=len(texts))
    doc = np.searchsorted(offsets, found, side="right") - 1
    inner = found - offsets[doc]
    # The break between articles ends at the next article's first
    # character: that start, and any at or past the text's end, belong to
    # the article boundary, not to this article; a text with no sentence has
    # none inside.
    keep = (inner > first[doc]) & (inner < lengths[doc]) & (first[doc] >= 0)
    doc, inner = doc[keep], inner[keep]
    # Each text's first start, then its inner ones: a stable sort by text puts them in place.
    all_doc = np.concatenate((np.arange(len(texts), dtype=np.int64), doc))
    all_start = np.concatenate((np.maximum(first, 0), inner))
    order = np.argsort(all_doc, kind="stable")
    counts = np.bincount(all_doc, minlength=len(texts)).astype(np.int64)
    return all_start[order], counts
