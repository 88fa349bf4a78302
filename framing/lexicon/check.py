"""Checks on a parsed lexicon that no single entry shows: overlaps between categories, idle exclusions.

The readers (``framing.lexicon.formats``) already report what is wrong with
one entry or one key (syntax, unknown keys, bad weights, duplicates, empty
categories, terms with punctuation). ``lexicon_problems`` adds what needs the
whole lexicon:

* a term in two categories (a warning: categories never compete, so the
  word counts in both, which may be meant);
* a wildcard that also matches an exact term of another category
  (``democra*`` in one, ``democrats`` in another: both count it);
* a wildcard of one or two letters, which matches a large share of English;
* a one-word term that is one of the most frequent English function words
  (``FUNCTION_WORDS``: articles, prepositions, conjunctions, forms of "be",
  third-person pronouns), which matches in nearly every text; modals,
  first-person pronouns and adverbs such as "never" are left alone, since
  style lexicons count them on purpose;
* an exclusion that can exclude nothing, because no term of its category
  (or of a category nested under it) can match any of its words.

``category_counts`` gives the per-category figures ``framing lexicon check``
prints. Pure: a ``Lexicon`` in, problems and numbers out.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..english import plural
from .model import Lexicon, Problem, is_pattern, literal_length, pattern_matches

__all__ = ["FUNCTION_WORDS", "CategoryCounts", "category_counts", "lexicon_problems"]

FUNCTION_WORDS = (
    "a", "an", "the", "and", "or", "but", "nor", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as",
    "into", "onto", "about", "over", "under", "up", "down", "out", "off", "than", "then", "so", "if", "that", "this",
    "these", "those", "there", "here", "is", "are", "was", "were", "be", "been", "being", "am", "it", "its", "he",
    "him", "his", "she", "her", "hers", "they", "them", "their", "theirs", "who", "whom", "which", "what",
)
SHORT_WILDCARD = 2  # a prefix of this many letters or fewer matches too much to be meant


def _words_meet(word_a: str, wild_a: bool, word_b: str, wild_b: bool) -> bool:
    """Whether some token can match both word patterns (for a wildcard not at the end: assumed so)."""
    if "*" in word_a or "*" in word_b:
        return True
    if wild_a and wild_b:
        return word_a.startswith(word_b) or word_b.startswith(word_a)
    if wild_a:
        return word_b.startswith(word_a)
    if wild_b:
        return word_a.startswith(word_b)
    return word_a == word_b


def lexicon_problems(lexicon: Lexicon) -> list[Problem]:
    """The whole-lexicon problems of ``lexicon`` (see the module docstring), in line order."""
    function_words = frozenset(FUNCTION_WORDS)
    path = lexicon.path
    out: list[Problem] = []
    first: dict[tuple[tuple[str, ...], tuple[bool, ...]], tuple[str, int]] = {}
    exact_single: dict[str, list[tuple[str, int]]] = {}
    for cat in lexicon.categories:
        for t in cat.terms:
            key = (t.words, t.wildcard)
            if key in first and first[key][0] != cat.id:
                other, line = first[key]
                out.append(Problem(path, t.line, "warning",
                                   f'term "{t.text}" is in {cat.id} and in {other} (line {line}); it counts in both',
                                   "term-in-two-categories"))
            first.setdefault(key, (cat.id, t.line))
            exact = not t.is_phrase and not is_pattern(t.words[0], t.wildcard[0])
            if exact:
                exact_single.setdefault(t.words[0], []).append((cat.id, t.line))
            if exact and t.words[0] in function_words:
                out.append(Problem(path, t.line, "warning",
                                   f'term "{t.text}" in {cat.id} is a function word (a stop word) and matches in '
                                   "nearly every text; use it inside a phrase", "function-word"))
            if any(is_pattern(w, f) and literal_length(w) <= SHORT_WILDCARD for w, f in zip(t.words, t.wildcard)):
                out.append(Problem(path, t.line, "warning",
                                   f'wildcard "{t.text}" in {cat.id} has a prefix of {SHORT_WILDCARD} letters or fewer '
                                   "and matches a great many words; spell the forms out", "short-wildcard"))
    by_prefix = sorted(exact_single)
    for cat in lexicon.categories:
        for t in cat.terms:
            word0, wild0 = t.words[0], t.wildcard[0]
            if t.is_phrase or not is_pattern(word0, wild0):
                continue
            if "*" in word0:  # a wildcard before the end: every exact term is a candidate
                candidates = [w for w in by_prefix if pattern_matches(word0, wild0, w)]
            else:
                lo = bisect.bisect_left(by_prefix, word0)
                candidates = by_prefix[lo : bisect.bisect_left(by_prefix, word0 + "\U0010ffff")]
            shadowed = sorted({(word, other, line) for word in candidates
                               for other, line in exact_single[word] if other != cat.id and
                               not _is_related(cat.id, other)})
            for word, other, line in shadowed[:3]:
                out.append(Problem(path, t.line, "warning",
                                   f'wildcard "{t.text}" in {cat.id} also matches "{word}", a term of {other} '
                                   f"(line {line}); it counts in both", "wildcard-in-two-categories"))
            if len(shadowed) > 3:
                out.append(Problem(path, t.line, "warning",
                                   f'wildcard "{t.text}" in {cat.id} also matches {len(shadowed) - 3} more exact '
                                   "terms of other categories", "wildcard-in-two-categories"))
    for cat in lexicon.categories:
        terms = [t for c in (cat, *lexicon.descendants(cat.id)) for t in c.terms]
        for e in cat.exclude:
            if not any(_words_meet(ew, ef, tw, tf) for ew, ef in zip(e.words, e.wildcard)
                       for t in terms for tw, tf in zip(t.words, t.wildcard)):
                out.append(Problem(path, e.line, "warning",
                                   f'exclusion "{e.form}" in {cat.id} excludes nothing: no term of {cat.id} can '
                                   "match any of its words", "idle-exclusion"))
    return sorted(out, key=lambda p: p.line)


def _is_related(a: str, b: str) -> bool:
    """Whether one category is nested in the other (a parent counts its children's terms anyway)."""
    return a.startswith(b + "/") or b.startswith(a + "/")


@dataclass(frozen=True)
class CategoryCounts:
    """What ``framing lexicon check`` says about one category."""

    category: str
    terms: int
    phrases: int
    wildcards: int
    weighted: int
    exclusions: int
    negation: str  # "off", or "N cues, window W"
    subcategories: int

    def __str__(self) -> str:
        kinds = f"{plural(self.phrases, 'phrase')}, {plural(self.wildcards, 'wildcard')}, {self.weighted} weighted"
        parts = [f"{plural(self.terms, 'term')} ({kinds})"]
        if self.subcategories:
            parts.append(plural(self.subcategories, "subcategory", "subcategories"))
        if self.exclusions:
            parts.append(plural(self.exclusions, "exclusion"))
        parts.append(f"negation {self.negation}")
        return f"{self.category}: " + ", ".join(parts)


def category_counts(lexicon: Lexicon) -> list[CategoryCounts]:
    """Per category, in file order: its own terms by kind, exclusions, negation, subcategories."""
    out = []
    for cat in lexicon.categories:
        rule = cat.negation
        out.append(CategoryCounts(
            category=cat.id,
            terms=len(cat.terms),
            phrases=sum(t.is_phrase for t in cat.terms),
            wildcards=sum(any(t.wildcard) for t in cat.terms),
            weighted=sum(t.weight != 1.0 for t in cat.terms),
            exclusions=len(cat.exclude),
            negation="off" if rule is None else f"on ({len(rule.cues)} cues, window {rule.window})",
            subcategories=len(lexicon.descendants(cat.id)),
        ))
    return out
