"""The lexicon model: terms, categories, lexicons and the problems found reading them.

Pure data and rules, no file access and no YAML (readers are in
``framing.lexicon.formats``, files in ``framing.lexicon.io``). To read or
write a lexicon file, use ``framing.load_lexicon(path)`` and
``framing.save_lexicon(lexicon, path)``: the model imports nothing above it.

Terms are literal. ``*`` is the one special character: a wildcard for any
run of characters within one word (``sanction*``, ``anti-*``, ``*ing``,
``sanc*ions``; see ``parse_term``); a term of several words is a phrase. Each term is split
into words with the same rules as the text (``framing.tokenize``), so a term
such as ``U.S.`` becomes the phrase ``u s`` and matches what the tokenizer
makes of "U.S." in an article.

A lexicon says what **role** it plays in a run (its ``role:`` key):

* ``dimensions``: framing dimensions, charted and summarised on the page;
* ``style``: style markers, whose rates make the style profile of the
  ``style_<type>`` scores;
* ``labels``: the words used for one referent ("special military operation"
  or "invasion"), reported as rates like the others.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

from ..errors import LexiconError
from ..tokenize import normalize

__all__ = [
    "DEFAULT_NEGATION_CUES",
    "DEFAULT_NEGATION_WINDOW",
    "DEFAULT_ROLE",
    "ROLES",
    "VALIDITY",
    "Category",
    "Collector",
    "Lexicon",
    "Negation",
    "Problem",
    "Role",
    "Term",
    "is_pattern",
    "literal_length",
    "make_term",
    "parse_term",
    "pattern_matches",
    "spelled",
    "to_identifier",
    "word_form",
]

# A term's words: runs of letters, digits, wildcards, hyphens and apostrophes; two or more hyphens or
# apostrophes in a row split a run (no token holds them), as does any other character.
_TERM_RUN = re.compile(r"(?:[^\W_]|[*'\-])+")
_PUNCT_RUN = re.compile(r"['\-]{2,}")
_STARS = re.compile(r"\*+")
_ID_CHARS = re.compile(r"[^a-z0-9_]+")

Role = Literal["dimensions", "style", "labels"]
ROLES: tuple[str, ...] = ("dimensions", "style", "labels")
DEFAULT_ROLE: Role = "dimensions"


@dataclass(frozen=True)
class Term:
    """One lexicon entry: the words it matches and how much each match weighs."""

    text: str
    words: tuple[str, ...]
    wildcard: tuple[bool, ...]
    weight: float = 1.0
    line: int = 0

    @property
    def is_phrase(self) -> bool:
        """True for terms of more than one word."""
        return len(self.words) > 1

    @property
    def form(self) -> str:
        """What the term matches, as text (``sanction* regime``): its words, lower case, with their wildcards."""
        return spelled(self.words, self.wildcard)


DEFAULT_NEGATION_CUES: tuple[str, ...] = ("not", "no", "never", "without", "neither", "nor", "cannot", "n't")
DEFAULT_NEGATION_WINDOW = 3


# How far a category's rate was checked against human labels (its lexicon's ``validity:`` key), best first:
# ``good`` and ``fair`` on held-out labelled texts of more than one topic, ``weak`` below the bar,
# ``unvalidated`` never checked. The thresholds are the lexicon author's, stated in the lexicon's ``evidence``.
VALIDITY = ("good", "fair", "weak", "unvalidated")


@dataclass(frozen=True)
class Negation:
    """The negation rule: a match is negated when a cue occurs up to ``window`` tokens before it, in its sentence.

    A cue is a word (``not``), a prefix wildcard (``never*``), or a suffix
    that starts with an apostrophe (``n't``: any token ending in "n't", such
    as "didn't" or "won't", which the tokenizer keeps whole).
    """

    cues: tuple[str, ...] = DEFAULT_NEGATION_CUES
    window: int = DEFAULT_NEGATION_WINDOW


@dataclass(frozen=True)
class Category:
    """A named group of terms; ``id`` is used in column names.

    ``id`` of a nested category is its path, ``parent/child``; ``parent`` is
    the path of the category it rolls up into ("" at the top). ``terms`` are
    the category's own terms: a parent's rate also counts its descendants'
    terms (``framing.analysis.match`` rolls them up). ``exclude``: patterns
    (terms) whose occurrences a match of this category must not touch.
    ``negation``: this category's negation rule (``None``: none); a category
    without its own ``negation:`` key takes the lexicon's.
    """

    id: str
    label: str
    description: str
    terms: tuple[Term, ...]
    exclude: tuple[Term, ...] = ()
    negation: Negation | None = None
    parent: str = ""
    extra: tuple[tuple[str, str], ...] = ()  # other documented keys kept for writers (referent, side)

    @property
    def validity(self) -> str:
        """How far the category's rate was checked against people's judgements (``VALIDITY``); "" when unsaid."""
        return dict(self.extra).get("validity", "")

    @property
    def evidence(self) -> str:
        """The figures behind ``validity`` (free text from the lexicon; "" when unsaid)."""
        return dict(self.extra).get("evidence", "")


@dataclass(frozen=True)
class Lexicon:
    """A parsed lexicon with its provenance.

    Read one with ``framing.load_lexicon``, write one with ``framing.save_lexicon``.
    """

    name: str
    categories: tuple[Category, ...]
    role: Role = DEFAULT_ROLE
    version: str = ""
    description: str = ""
    citation: str = ""
    language: str = ""
    negation: Negation | None = None  # the lexicon-wide rule the categories take unless they set their own
    path: str = ""
    sha256: str = ""
    warnings: tuple[str, ...] = field(default=())

    @property
    def n_entries(self) -> int:
        """Number of terms over all categories."""
        return sum(len(c.terms) for c in self.categories)

    def category(self, cid: str) -> Category:
        """The category with this id (path); ``KeyError`` when there is none."""
        for c in self.categories:
            if c.id == cid:
                return c
        raise KeyError(cid)

    def descendants(self, cid: str) -> list[Category]:
        """The categories nested (at any depth) under ``cid``, in file order."""
        prefix = cid + "/"
        return [c for c in self.categories if c.id.startswith(prefix)]

    # --- editing: a Lexicon is immutable, so each edit returns a new one ---

    def with_terms(self, cid: str, terms: Iterable[str | tuple[str, float]]) -> Lexicon:
        """This lexicon with ``terms`` (texts, or ``(text, weight)``) added to category ``cid``.

        >>> lx = Lexicon("t", (Category("trade", "Trade", "", ()),))
        >>> [t.text for t in lx.with_terms("trade", ["tariff*", ("trade war", 2)]).category("trade").terms]
        ['tariff*', 'trade war']
        """
        cat = self.category(cid)
        have = {(t.words, t.wildcard) for t in cat.terms}
        added = []
        for item in terms:
            term = make_term(*(item if isinstance(item, tuple) else (item,)))
            if (term.words, term.wildcard) not in have:
                have.add((term.words, term.wildcard))
                added.append(term)
        return self._replace_category(replace(cat, terms=cat.terms + tuple(added)))

    def without_terms(self, cid: str, texts: Iterable[str]) -> Lexicon:
        """This lexicon without these terms in category ``cid`` (matched as parsed: ``Tariff*`` is ``tariff*``)."""
        cat = self.category(cid)
        drop = {parse_term(t)[:2] for t in texts}
        return self._replace_category(replace(cat, terms=tuple(t for t in cat.terms if (t.words, t.wildcard) not in drop)))

    def with_exclusions(self, cid: str, patterns: Iterable[str]) -> Lexicon:
        """This lexicon with exclusion ``patterns`` added to category ``cid``."""
        cat = self.category(cid)
        return self._replace_category(replace(cat, exclude=cat.exclude + tuple(make_term(p) for p in patterns)))

    def with_category(self, category: Category) -> Lexicon:
        """This lexicon with ``category`` added at the end, or replacing the one with its id."""
        if any(c.id == category.id for c in self.categories):
            return self._replace_category(category)
        return replace(self, categories=self.categories + (category,), sha256="", path="")

    def _replace_category(self, category: Category) -> Lexicon:
        # An edited lexicon is no longer the file it was read from: its sha256 and path would misattribute it.
        cats = tuple(category if c.id == category.id else c for c in self.categories)
        return replace(self, categories=cats, sha256="", path="")


@dataclass(frozen=True)
class Problem:
    """A problem found while reading a lexicon, with its place."""

    path: str
    line: int
    severity: Literal["error", "warning"]
    message: str
    # A stable name for the kind of problem ("term-in-two-categories"), so that a summary can group them
    # without parsing messages; "" when the problem has none (it is then a kind of its own).
    kind: str = ""

    def __str__(self) -> str:
        place = f"{self.path}:{self.line}" if self.line else self.path
        return f"{place}: {self.severity}: {self.message}"


def to_identifier(name: str) -> str:
    """Lower-case snake_case form of ``name`` for column names (``"Pos Emo" -> "pos_emo"``)."""
    return _ID_CHARS.sub("_", name.strip().lower()).strip("_")


def parse_term(text: str) -> tuple[tuple[str, ...], tuple[bool, ...], list[str]]:
    """Split a term into words and wildcard flags; return them with any problems.

    A word of a term is what the tokenizer makes a word (letters and digits,
    with a hyphen or apostrophe inside), where ``*`` may stand for any run
    of characters within the word, at its end (``sanction*``), after a
    hyphen or apostrophe (``fair-*``, ``you'*``), at its start (``*ing``) or
    inside (``sanc*ions``). A trailing ``*`` is kept as the word's wildcard
    flag (``("sanction", True)``, as every lexicon before wildcards elsewhere
    wrote it); any other ``*`` stays in the word (``"*ing"``, ``"sanc*ions"``).
    A term with no letters or digits (``!``, ``:)``) can never match; a lone
    ``*`` would match every word: both are problems.

    >>> parse_term("Sanction* regime")
    (('sanction', 'regime'), (True, False), [])
    >>> parse_term("fair-* *ing")
    (('fair-', '*ing'), (True, False), [])
    """
    norm = normalize(text.strip())
    words: list[str] = []
    wild: list[bool] = []
    problems: list[str] = []
    for m in _TERM_RUN.finditer(norm):
        for piece in _PUNCT_RUN.split(m.group(0)):
            # No token starts or ends with a hyphen or apostrophe; "fair-*" keeps its own, before the wildcard.
            word = _STARS.sub("*", piece).strip("'-")
            if not word:
                continue
            if not any(ch.isalnum() for ch in word):
                if "*" in word:
                    problems.append(f'term "{text}" has a word that is only "*", which would match every word')
                continue
            words.append(word.removesuffix("*"))
            wild.append(word.endswith("*"))
    if not words and not problems:
        problems.append(f'term "{text}" has no letters or digits, so it can never match')
    return tuple(words), tuple(wild), problems


def word_form(word: str, wildcard: bool) -> str:
    """A term word as written: ``("sanction", True) -> "sanction*"``, ``("*ing", False) -> "*ing"``."""
    return word + "*" if wildcard else word


def literal_length(word: str) -> int:
    """The characters of a term word besides its wildcards (``sanc*ions``: 8), for precedence and checks."""
    return len(word) - word.count("*")


def spelled(words: tuple[str, ...], wildcard: tuple[bool, ...]) -> str:
    """Term words as one text, with their wildcards: ``(("sanction", "regime"), (True, False))`` -> ``sanction* regime``."""
    return " ".join(word_form(w, f) for w, f in zip(words, wildcard))


def is_pattern(word: str, wildcard: bool) -> bool:
    """Whether a term word has a wildcard anywhere (it is not one exact word)."""
    return wildcard or "*" in word


def pattern_matches(word: str, wildcard: bool, token: str) -> bool:
    """Whether ``token`` (a token, lower case) is matched by the term word ``(word, wildcard)``.

    ``*`` stands for any run of characters, none included, within the token.

    >>> pattern_matches("*ing", False, "framing"), pattern_matches("fair-", True, "fair-minded")
    (True, True)
    """
    if not is_pattern(word, wildcard):
        return token == word
    parts = word.split("*")
    if wildcard:
        parts.append("")
    head, tail = parts[0], parts[-1]
    if len(token) < len(head) + len(tail) or not token.startswith(head) or not token.endswith(tail):
        return False
    pos, stop = len(head), len(token) - len(tail)
    for inner in parts[1:-1]:
        found = token.find(inner, pos, stop)
        if found < 0:
            return False
        pos = found + len(inner)
    return True


def make_term(text: str, weight: float = 1.0) -> Term:
    """A ``Term`` from its text, for lexicons built in code; ``LexiconError`` for a term that cannot match.

    >>> make_term("Sanction* regime", 2).words
    ('sanction', 'regime')
    """
    words, wild, problems = parse_term(text)
    if problems:
        raise LexiconError(problems[0])
    if not math.isfinite(weight):
        raise LexiconError(f'weight of "{text}" must be a finite number, got {weight!r}')
    return Term(text=text.strip(), words=words, wildcard=wild, weight=float(weight))


class Collector:
    """Gathers problems for one file, then raises once if any is an error.

    Entries that can never match (no letters or digits: ``!``, ``:)``) are
    not errors: published dictionaries carry a few, and one should not
    refuse thousands of good entries. They are skipped and named in one
    warning for the whole file, made by ``finish``.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.unmatchable: list[tuple[int, str]] = []  # (line, text) of the entries skipped as unmatchable

    def error(self, line: int, message: str, *, kind: str = "") -> None:
        """Record an error on ``line`` (1 for a problem of the whole file; 0 only when the file could not be read)."""
        self.problems.append(Problem(self.path, line, "error", message, kind))

    def warn(self, line: int, message: str, *, kind: str = "") -> None:
        """Record a warning on ``line``; ``kind`` names what kind of warning it is (see ``Problem.kind``)."""
        self.problems.append(Problem(self.path, line, "warning", message, kind))

    def finish(self) -> None:
        """Add the one warning that names the entries skipped because they can never match."""
        if not self.unmatchable:
            return
        n = len(self.unmatchable)
        shown = ", ".join(f'"{text}" (line {line})' for line, text in self.unmatchable[:5])
        more = f" and {n - 5} more" if n > 5 else ""
        self.warn(self.unmatchable[0][0], f"{n} {'entry has' if n == 1 else 'entries have'} no letters or digits "
                  f"and can never match; skipped: {shown}{more}", kind="unmatchable")

    def term(self, text: str, weight_text: str | None, line: int, category: str) -> Term | None:
        """The ``Term`` of an entry on ``line``, or ``None`` when it cannot be used; its problems are recorded.

        A weight may be any finite number: negative weights (a sentiment
        dictionary's) subtract from the category's total.
        """
        words, wild, problems = parse_term(text)
        weight = 1.0
        if weight_text is not None and str(weight_text).strip() != "":
            try:
                weight = float(weight_text)
            except ValueError:
                weight = math.nan
            if not math.isfinite(weight):
                self.error(line, f'weight of "{text}" in {category} must be a finite number, got {weight_text!r}')
                return None
        if problems:
            if words or "*" in text:  # a lone "*": it would match every word
                self.warn(line, problems[0] + "; skipped", kind="lone-wildcard")
            else:
                self.unmatchable.append((line, text.strip()))
            return None
        joined = spelled(words, wild)
        written = _STARS.sub("*", normalize(text.strip()))
        if joined != written and joined.replace(" ", "") != written.replace(" ", ""):
            self.warn(line, f'term "{text}" contains punctuation; it matches as "{joined}"', kind="punctuation")
        return Term(text=text.strip(), words=words, wildcard=wild, weight=weight, line=line)
