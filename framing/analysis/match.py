"""Match lexicons against a tokenized corpus at the vocabulary level.

Nothing here runs a pattern per term per article. Each distinct word of the
corpus is resolved once against every single-word term (a dictionary look-up
for exact terms; for wildcards, the few patterns that share the word's first
or last letters, see ``Patterns``); phrases
start from an inverted index of the vocabulary and are checked with numpy on
the flat token array. Overlaps are then resolved by one explicit rule.

Precedence, within one category (categories never compete with each other, so
one word may count in several categories):

1. a longer match (more words) beats a shorter one it overlaps;
2. for the same length, fewer wildcard words beats more (exact beats wildcard);
3. then the longer literal text (``sanction*`` beats ``sanc*``);
4. then the leftmost.

Each token counts at most once per category. A phrase never crosses a
sentence boundary.

That is framing's counting (``counting="framing"``). ``counting="liwc"``
counts as LIWC does, so that published LIWC figures can be replicated:
within each lexicon, each token goes to one entry (the best by the same
precedence, over all the lexicon's categories; an entry is a form, the same
words and wildcards, which may be in several categories, and every category
that has it counts it); phrases are taken left to right and use up their
words, so no category counts a word of a phrase on its own; and a phrase
weighs its number of words (``trade war`` counts 2). Categories of different
lexicons still never compete.

Three rules then apply to the matches, in this order:

* **Nesting**: a category's matches are those of its own terms and of every
  category nested under it (``security`` counts ``security/military``'s
  terms too), found by the same precedence within the parent: each term is
  compiled once per category it counts in.
* **Exclusions**: a category's ``exclude`` patterns are matched like terms
  (in a shadow category of their own, so they never compete with terms); a
  match is dropped when any of its tokens lies inside an occurrence of an
  exclusion of the category it counts in or of the category its term was
  written in (a child's exclusions follow its terms into the parent).
* **Negation**: a match is ``negated`` when a cue of its category's rule
  occurs up to ``window`` tokens before its first token, in the same
  sentence. Negated matches are kept (the ledger lists them) but not counted
  in the category's totals. Cues are resolved once per distinct word, like
  terms.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..errors import InputError, LexiconError
from ..lexicon.model import Lexicon, Negation, Term, is_pattern, literal_length, pattern_matches, word_form
from .features import content_words
from .tokentable import TokenTable
from .vocabulary import Vocabulary

__all__ = [
    "COUNTING_MODES", "CompiledLexicons", "Matches", "WordResolver", "WordScreen", "category_totals",
    "compile_lexicons", "match",
]

@dataclass(frozen=True)
class CompiledLexicons:
    """Several lexicons flattened into global category and term tables."""

    lexicons: tuple[Lexicon, ...]
    category_lexicon: tuple[int, ...]  # lexicon index of each global category
    category_ref: tuple[tuple[str, str], ...]  # (lexicon name, category id)
    terms: tuple[Term, ...]  # each counted term, once per category it counts in
    term_category: np.ndarray
    term_origin: np.ndarray  # the category each term was written in (its own, or a descendant of the one it counts in)
    # single-word terms: exact word -> terms, and wildcard prefixes -> terms
    single: tuple[dict[str, list[int]], Patterns]
    # phrase slots (word j of phrase t, coded t * max_words + j), indexed the same way
    slots: tuple[dict[str, list[int]], Patterns]
    max_words: int
    # Below, "all terms" are the counted terms followed by the exclusion patterns;
    # exclusion k counts in the shadow category ``n_categories + exclusion_target[k]``.
    exclusion_target: np.ndarray
    match_category: np.ndarray  # category of all terms (shadow categories for the exclusions)
    term_length: np.ndarray  # of all terms
    term_rank: np.ndarray  # the precedence key of ``_rank`` of all terms, n x 3
    term_form: np.ndarray  # of all terms: one number per distinct form (words and wildcards), the LIWC entry
    negation_rules: tuple[Negation, ...]  # the distinct rules (at most 62)
    category_negation: np.ndarray  # per category: index into ``negation_rules``, -1 for none
    counting: str = "framing"  # "framing" or "liwc" (see COUNTING_MODES)
    # Tables other stages derive from these once per process (e.g. each term's matches.csv cells).
    memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def resolver(self) -> WordResolver:
        """This process's resolver of words against these lexicons (made on first use)."""
        return WordResolver(self)

    @cached_property
    def category_lexicons(self) -> np.ndarray:
        """The lexicon index of each category, as an array."""
        return np.asarray(self.category_lexicon, dtype=np.int64)

    @property
    def n_categories(self) -> int:
        """Number of categories over all lexicons."""
        return len(self.category_ref)

    def column(self, c: int) -> str:
        """Report column of global category ``c``: ``<lexicon>.<category>``."""
        lex, cat = self.category_ref[c]
        return f"{lex}.{cat}"

    @cached_property
    def columns(self) -> list[str]:
        """Report columns of every category, in order."""
        return [self.column(c) for c in range(self.n_categories)]

    @cached_property
    def negated_categories(self) -> np.ndarray:
        """The categories with a negation rule, whose negated matches get a ``<column>.negated`` rate."""
        return np.flatnonzero(self.category_negation >= 0)

    @cached_property
    def term_labels(self) -> tuple[list[str], list[str], np.ndarray]:
        """Term texts, each term's column, and each term's rank by (text, column) for ties."""
        texts = [t.text for t in self.terms]
        columns = [self.column(int(c)) for c in self.term_category]
        rank = np.empty(len(texts), dtype=np.int64)
        rank[sorted(range(len(texts)), key=lambda i: (texts[i], columns[i]))] = np.arange(len(texts))
        return texts, columns, rank


@dataclass(frozen=True)
class Matches:
    """Every match: flat token span ``[start, end)``, category, term, weight, and whether it is negated.

    Sorted by article, then start, then category. A negated match (a cue of
    its category's negation rule just before it) is listed but not counted
    in the category's rate: ``category_totals`` leaves it out.
    """

    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray
    category: np.ndarray
    term: np.ndarray
    weight: np.ndarray
    negated: np.ndarray  # bool

    def __len__(self) -> int:
        return len(self.doc)

    def subset(self, keep: np.ndarray) -> Matches:
        """The matches where ``keep`` (a flag per match) is true."""
        return Matches(self.doc[keep], self.start[keep], self.end[keep], self.category[keep], self.term[keep],
                       self.weight[keep], self.negated[keep])

    def counted(self) -> Matches:
        """The matches that count (not negated)."""
        return self.subset(~self.negated) if self.negated.any() else self


COUNTING_MODES = ("framing", "liwc")
MAX_NEGATION_RULES = 62  # distinct rules per run: each is one bit of a word's cue flags


def compile_lexicons(lexicons: Sequence[Lexicon], *, counting: str = "framing") -> CompiledLexicons:
    """Flatten lexicons into global tables (done once per run).

    ``counting``: ``"framing"`` (every category on its own, the module
    docstring) or ``"liwc"`` (one entry per token in each lexicon, as LIWC
    counts; see ``COUNTING_MODES``). ``InputError`` for another value.
    """
    if counting not in COUNTING_MODES:
        raise InputError(f"counting must be one of {', '.join(COUNTING_MODES)}, got {counting!r}",
                         argument="counting")
    cat_lex, refs, terms, term_cat, term_origin = [], [], [], [], []
    exclusions, exclusion_target = [], []
    rules: list[Negation] = []
    cat_rule: list[int] = []
    for li, lex in enumerate(lexicons):
        index = {cat.id: len(refs) + k for k, cat in enumerate(lex.categories)}
        for cat in lex.categories:
            c = len(refs)
            refs.append((lex.name, cat.id))
            cat_lex.append(li)
            for written in (cat, *lex.descendants(cat.id)):
                for t in written.terms:
                    terms.append(t)
                    term_cat.append(c)
                    term_origin.append(index[written.id])
            for t in cat.exclude:
                exclusions.append(t)
                exclusion_target.append(c)
            if cat.negation is None:
                cat_rule.append(-1)
            else:
                if cat.negation not in rules:
                    rules.append(cat.negation)
                cat_rule.append(rules.index(cat.negation))
    if len(rules) > MAX_NEGATION_RULES:
        raise LexiconError(f"{len(rules)} different negation rules in one run; at most {MAX_NEGATION_RULES}")
    n_cat = len(refs)
    everything = [*terms, *exclusions]
    match_cat = [*term_cat, *(n_cat + c for c in exclusion_target)]
    exact: dict[str, list[int]] = {}
    wild: dict[str, list[int]] = {}
    for ti, t in enumerate(everything):
        if not t.is_phrase:
            if is_pattern(t.words[0], t.wildcard[0]):
                wild.setdefault(word_form(t.words[0], t.wildcard[0]), []).append(ti)
            else:
                exact.setdefault(t.words[0], []).append(ti)
    width = max([len(t.words) for t in everything if t.is_phrase], default=1)
    slot_exact: dict[str, list[int]] = {}
    slot_wild: dict[str, list[int]] = {}
    for ti, t in enumerate(everything):
        if t.is_phrase:
            for j, (w, is_wild) in enumerate(zip(t.words, t.wildcard)):
                if is_pattern(w, is_wild):
                    slot_wild.setdefault(word_form(w, is_wild), []).append(ti * width + j)
                else:
                    slot_exact.setdefault(w, []).append(ti * width + j)
    return CompiledLexicons(
        lexicons=tuple(lexicons),
        category_lexicon=tuple(cat_lex),
        category_ref=tuple(refs),
        terms=tuple(terms),
        term_category=np.asarray(term_cat, dtype=np.int64),
        term_origin=np.asarray(term_origin, dtype=np.int64),
        single=(exact, Patterns(wild)),
        slots=(slot_exact, Patterns(slot_wild)),
        max_words=width,
        exclusion_target=np.asarray(exclusion_target, dtype=np.int64),
        match_category=np.asarray(match_cat, dtype=np.int64),
        term_length=np.asarray([len(t.words) for t in everything], dtype=np.int64),
        term_rank=np.asarray([_rank(t) for t in everything], dtype=np.int64).reshape(-1, 3),
        term_form=_forms(everything),
        negation_rules=tuple(rules),
        category_negation=np.asarray(cat_rule, dtype=np.int64),
        counting=counting,
    )


def _forms(terms: Sequence[Term]) -> np.ndarray:
    """A number per term: terms of the same words and wildcards (one entry of a LIWC dictionary) share it."""
    seen: dict[tuple[tuple[str, ...], tuple[bool, ...]], int] = {}
    return np.asarray([seen.setdefault((t.words, t.wildcard), len(seen)) for t in terms], dtype=np.int64)


def is_cue(word: str, cues: Sequence[str]) -> bool:
    """Whether ``word`` (a token, lower case) is one of these negation cues (see ``Negation``)."""
    for cue in cues:
        if cue.startswith(("'", "n'")):
            if word.endswith(cue):
                return True
        elif cue.endswith("*"):
            if word.startswith(cue[:-1]):
                return True
        elif word == cue:
            return True
    return False


def _rank(term: Term) -> tuple[int, int, int]:
    """Sort key of a term: smaller wins (see the module docstring)."""
    return (-len(term.words), sum(map(is_pattern, term.words, term.wildcard)),
            -sum(map(literal_length, term.words)))


class Patterns:
    """Wildcard term words -> what they stand for, found for a word longest literal text first.

    Keys are term words as written (``word_form``): ``sanction*`` (a
    prefix), ``*ing`` (a suffix), ``sanc*ions`` or ``*anti*``. Prefixes are
    grouped by their first ``HEAD`` characters, so a word is checked
    against the few prefixes that share its head instead of one look-up per
    prefix length (most words match none); a pattern with a wildcard
    elsewhere is grouped by its literal head, or, when it starts with ``*``,
    by its literal tail, and checked with ``pattern_matches``.
    """

    HEAD = 3

    def __init__(self, items: dict[str, list[int]]) -> None:
        by_length = sorted(items.items(), key=lambda kv: (-literal_length(kv[0]), kv[0]))
        self.by_head: dict[str, list[tuple[str, list[int]]]] = {}
        self.short: list[tuple[str, list[int]]] = []
        # Patterns with a wildcard before their end: (literal length, word, wildcard, values).
        self.glob_head: dict[str, list[tuple[int, str, bool, list[int]]]] = {}
        self.glob_tail: dict[str, list[tuple[int, str, bool, list[int]]]] = {}
        self.glob_other: list[tuple[int, str, bool, list[int]]] = []
        for form, values in by_length:
            word, wild = form.removesuffix("*"), form.endswith("*")
            if "*" not in word:
                if len(word) >= self.HEAD:
                    self.by_head.setdefault(word[: self.HEAD], []).append((word, values))
                else:
                    self.short.append((word, values))
                continue
            item = (literal_length(form), word, wild, values)
            head, tail = word.split("*", 1)[0], ("" if wild else word.rsplit("*", 1)[1])
            if len(head) >= self.HEAD:
                self.glob_head.setdefault(head[: self.HEAD], []).append(item)
            elif len(tail) >= self.HEAD:
                self.glob_tail.setdefault(tail[-self.HEAD :], []).append(item)
            else:
                self.glob_other.append(item)
        self.has_globs = bool(self.glob_head or self.glob_tail or self.glob_other)

    def matching(self, word: str) -> list[list[int]]:
        """The values of every pattern that matches ``word``, longest literal text first."""
        found = [(prefix, values) for prefix, values in self.by_head.get(word[: self.HEAD], ()) if word.startswith(prefix)]
        found += [(prefix, values) for prefix, values in self.short if word.startswith(prefix)]
        if self.has_globs:
            candidates = (*self.glob_head.get(word[: self.HEAD], ()), *self.glob_tail.get(word[-self.HEAD :], ()),
                          *self.glob_other)
            globs = [(-length, 1, pattern + "*" * wild, values) for length, pattern, wild, values in candidates
                     if pattern_matches(pattern, wild, word)]
            if globs:
                # More letters first; then a plain prefix before another pattern; then the pattern's text (two
                # prefixes of one length that both match a word are the same prefix).
                hits = [(-len(prefix), 0, prefix, values) for prefix, values in found] + globs
                return [hit[3] for hit in sorted(hits, key=lambda hit: hit[:3])]
        return [values for _, values in found]


class WordScreen:
    """A cheap test that words can be nothing to the lexicons: no term, no phrase slot, no negation cue.

    ``screen.passes(words)`` is False only for a word that the full look-up
    (``WordResolver``) would find nothing for; True means "look it up". Most
    of a corpus's distinct words match nothing, and this test does, for a
    whole batch of words at once, one set look-up per word (the exact words)
    and a binary search per prefix and per suffix over the sorted words,
    instead of the full look-up's dozen Python steps per word. A pattern
    with no literal head or tail (``*anti*``) screens nothing out.
    """

    LONGEST = 32  # longer words are always looked up (they would widen the sorted array of every word)

    def __init__(self, lex: CompiledLexicons) -> None:
        (exact, wild), (slot_exact, slot_wild) = lex.single, lex.slots
        self.exact: set[str] = set(exact) | set(slot_exact)
        prefixes: set[str] = set()  # a word starting with one of these may match
        suffixes: set[str] = set()  # a word ending with one of these may match
        self.every = False  # a pattern with no literal head or tail: every word is looked up
        for patterns in (wild, slot_wild):
            prefixes.update(prefix for group in patterns.by_head.values() for prefix, _ in group)
            prefixes.update(prefix for prefix, _ in patterns.short)
            for _, word, wild_end, _ in (*(i for g in patterns.glob_head.values() for i in g),
                                         *(i for g in patterns.glob_tail.values() for i in g), *patterns.glob_other):
                head, tail = word.split("*", 1)[0], ("" if wild_end else word.rsplit("*", 1)[1])
                if head:
                    prefixes.add(head)
                elif tail:
                    suffixes.add(tail)
                else:
                    self.every = True
        for rule in lex.negation_rules:
            for cue in rule.cues:
                if cue.startswith(("'", "n'")):
                    suffixes.add(cue)
                elif cue.endswith("*"):
                    prefixes.add(cue[:-1])
                else:
                    self.exact.add(cue)
        self.every |= "" in prefixes or "" in suffixes
        # Affixes longer than LONGEST can only start or end longer words, which are looked up anyway.
        self.prefixes = sorted(p for p in prefixes if len(p) <= self.LONGEST)
        self.suffixes = sorted(x[::-1] for x in suffixes if len(x) <= self.LONGEST)

    def passes(self, words: list[str]) -> list[bool]:
        """For each word, whether it may be something to the lexicons (False: certainly nothing)."""
        if self.every:
            return [True] * len(words)
        keep = np.fromiter((w in self.exact or len(w) > self.LONGEST for w in words), dtype=bool, count=len(words))
        keep |= _any_prefix(words, self.prefixes)
        if self.suffixes:
            keep |= _any_prefix([w[::-1] for w in words], self.suffixes)
        return keep.tolist()


def _any_prefix(words: list[str], prefixes: list[str]) -> np.ndarray:
    """Whether each word (of at most ``WordScreen.LONGEST`` characters; longer ones: any) starts with one of
    ``prefixes``: the words starting with a prefix are one run of the sorted words, found by binary search."""
    out = np.zeros(len(words), dtype=bool)
    if not words or not prefixes:
        return out
    short = [w if len(w) <= WordScreen.LONGEST else "" for w in words]
    arr = np.asarray(short, dtype=f"<U{WordScreen.LONGEST}")
    order = np.argsort(arr, kind="stable")
    ordered = arr[order]
    low = np.asarray(prefixes, dtype=f"<U{WordScreen.LONGEST + 1}")
    # Every word that starts with p sorts from p up to, not including, p followed by the last code point.
    high = np.char.add(low, chr(0x10FFFF))
    lo, hi = np.searchsorted(ordered, low, side="left"), np.searchsorted(ordered, high, side="left")
    marks = np.zeros(len(words) + 1, dtype=np.int64)
    np.add.at(marks, lo, 1)
    np.add.at(marks, hi, -1)
    out[order] = np.cumsum(marks)[:-1] > 0
    return out


class _Buffer:
    """An int64 array that grows at the end (capacity doubles)."""

    def __init__(self) -> None:
        self.data = np.zeros(1024, dtype=np.int64)
        self.size = 0

    def extend(self, values: Sequence[int] | np.ndarray) -> None:
        end = self.size + len(values)
        if end > len(self.data):
            bigger = np.zeros(max(end, 2 * len(self.data)), dtype=np.int64)
            bigger[: self.size] = self.data[: self.size]
            self.data = bigger
        self.data[self.size : end] = values
        self.size = end

    @property
    def view(self) -> np.ndarray:
        return self.data[: self.size]


class WordResolver:
    """What each distinct word is to the lexicons, worked out once per process.

    A corpus repeats most of its words in every chunk, so each word gets an id
    the first time it is met, its single-word terms (the best per category),
    the phrase slots it can fill and whether it is a TF-IDF feature are found
    then, and every later chunk only looks its words up and gathers from
    these arrays.
    """

    def __init__(self, lex: CompiledLexicons) -> None:
        self.lex = lex
        self.screen = WordScreen(lex)
        self.vocabulary = Vocabulary()
        self.single_start, self.single_len = _Buffer(), _Buffer()
        self.single_cat, self.single_term = _Buffer(), _Buffer()
        self.slot_start, self.slot_len, self.slot = _Buffer(), _Buffer(), _Buffer()
        self.content = _Buffer()  # 1 when the word can be a TF-IDF feature
        self.cue = _Buffer()  # bit r set when the word is a cue of negation rule r

    def ids(self, table: TokenTable) -> np.ndarray:
        """The resolver id of every vocabulary entry of ``table``, resolving the words not met before."""
        ids, new = self.vocabulary.ids(table.keys, table.checks, table.words)
        if new:
            self._add(new)
        return ids

    def _add(self, words: list[str]) -> None:
        """Resolve these new words: the few that ``screen`` lets through in full, the rest as matching nothing."""
        passed = np.flatnonzero(self.screen.passes(words))
        self._extend(self._looked_up([words[i] for i in passed]), passed, words)

    def _looked_up(self, words: list[str]) -> list[tuple[list[int], list[int], list[int], int]]:
        """Per word: the categories it has a single-word term in, that best term of each, its phrase slots, its
        negation cue bits."""
        exact, wild = self.lex.single
        s_exact, s_wild = self.lex.slots
        term_cat = self.lex.match_category.tolist()
        # LIWC counting: the first hit in a lexicon (hits come in precedence order) is the token's entry there.
        liwc = self.lex.counting == "liwc"
        form = self.lex.term_form.tolist() if liwc else []
        cat_lexicon, n_cat = self.lex.category_lexicon, self.lex.n_categories
        rules = self.lex.negation_rules
        out = []
        for word in words:
            best: dict[int, int] = {}
            entry: dict[int, int] = {}  # lexicon -> the form of its entry for this word (LIWC counting)
            # Exact first, then patterns longest literal first: the first hit per category wins.
            for tis in (exact.get(word, ()), *wild.matching(word)):
                for ti in tis:
                    c = term_cat[ti]
                    if liwc and c < n_cat and entry.setdefault(cat_lexicon[c], form[ti]) != form[ti]:
                        continue
                    best.setdefault(c, ti)
            cats = sorted(best)
            codes = set(s_exact.get(word, ()))
            for more in s_wild.matching(word):
                codes.update(more)
            cue = sum(1 << r for r, rule in enumerate(rules) if is_cue(word, rule.cues)) if rules else 0
            out.append((cats, [best[c] for c in cats], sorted(codes), cue))
        return out

    def _extend(self, resolved: list[tuple[list[int], list[int], list[int], int]], passed: np.ndarray,
                words: list[str]) -> None:
        """Append the new words: those at ``passed`` as ``resolved``, every other one as matching nothing."""
        n = len(words)
        single_len, slot_len, cue = np.zeros(n, np.int64), np.zeros(n, np.int64), np.zeros(n, np.int64)
        single_len[passed] = [len(cats) for cats, _, _, _ in resolved]
        slot_len[passed] = [len(codes) for _, _, codes, _ in resolved]
        cue[passed] = [bits for _, _, _, bits in resolved]
        self.single_start.extend(self.single_cat.size + np.cumsum(single_len) - single_len)
        self.single_len.extend(single_len)
        self.single_cat.extend([c for cats, _, _, _ in resolved for c in cats])
        self.single_term.extend([t for _, terms, _, _ in resolved for t in terms])
        self.slot_start.extend(self.slot.size + np.cumsum(slot_len) - slot_len)
        self.slot_len.extend(slot_len)
        self.slot.extend([c for _, _, codes, _ in resolved for c in codes])
        self.content.extend(content_words(words))
        self.cue.extend(cue)


def _gather(start: np.ndarray, length: np.ndarray, rid: np.ndarray, *values: np.ndarray) -> tuple[np.ndarray, ...]:
    """CSR arrays for the words ``rid``: ``ptr`` and the gathered ``values``."""
    sizes = length[rid]
    ptr = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    offsets = np.arange(int(ptr[-1])) - np.repeat(ptr[:-1], sizes)
    idx = np.repeat(start[rid], sizes) + offsets
    return (ptr, *(v[idx] for v in values))


def _resolve_words(lex: CompiledLexicons, rid: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every vocabulary word (by resolver id), its best single-word term in each category.

    Returns CSR-like arrays: ``ptr`` (len V+1), and per entry the category and term.
    """
    r = lex.resolver
    return _gather(r.single_start.view, r.single_len.view, rid, r.single_cat.view, r.single_term.view)


def _phrase_slots(lex: CompiledLexicons, rid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For every vocabulary word (by resolver id), the phrase slots it can fill, as CSR arrays.

    A slot is word ``j`` of phrase term ``t``, coded ``t * lex.max_words + j``.
    """
    r = lex.resolver
    return _gather(r.slot_start.view, r.slot_len.view, rid, r.slot.view)


def _phrase_candidates(lex: CompiledLexicons, table: TokenTable, rid: np.ndarray) -> np.ndarray:
    """Every ``(flat start, flat end, term)`` where a phrase term occurs, as an n x 3 array.

    Vectorised over all phrase terms at once: start from every token whose
    word can open some phrase, then check the second word of every candidate,
    the third, ... against the slots each word can fill.
    """
    ids = table.ids
    n, width = len(ids), lex.max_words
    if n == 0 or width < 2:
        return np.zeros((0, 3), dtype=np.int64)
    ptr, codes = _phrase_slots(lex, rid)
    # Openers: the slots of word 0, per vocabulary word.
    opener = codes % width == 0
    word_of_code = np.repeat(np.arange(table.n_vocab, dtype=np.int64), np.diff(ptr))
    o_ptr = np.concatenate(([0], np.cumsum(np.bincount(word_of_code[opener], minlength=table.n_vocab)))).astype(np.int64)
    o_term = codes[opener] // width
    # Most tokens that could open a phrase are not followed by a word that
    # could be second in any: test that on the vocabulary first.
    second = np.zeros(table.n_vocab + 1, dtype=bool)
    second[word_of_code[codes % width == 1]] = True
    following = np.append(ids[1:], table.n_vocab)  # the last token has none
    starts = np.flatnonzero((np.diff(o_ptr)[ids] > 0) & second[following])
    per_token = np.diff(o_ptr)[ids[starts]]
    pos = np.repeat(starts, per_token)
    offsets = np.arange(len(pos)) - np.repeat(np.cumsum(per_token) - per_token, per_token)
    term = o_term[np.repeat(o_ptr[ids[starts]], per_token) + offsets]
    length = lex.term_length[term]
    keep = pos + length <= n
    pos, term, length = pos[keep], term[keep], length[keep]
    # Every (slot, word) pair that fits, as one sorted key array.
    vocab_size = max(table.n_vocab, 1)
    valid = np.unique(codes * vocab_size + word_of_code)
    for j in range(1, width):
        active = np.flatnonzero(length > j)
        if len(active) == 0 or len(valid) == 0:
            break
        key = (term[active] * width + j) * vocab_size + ids[pos[active] + j]
        at = np.minimum(np.searchsorted(valid, key), len(valid) - 1)
        drop = active[valid[at] != key]
        if len(drop):
            mask = np.ones(len(pos), dtype=bool)
            mask[drop] = False
            pos, term, length = pos[mask], term[mask], length[mask]
    # Within one article and one sentence: the sentence number never goes
    # down along the tokens, so the first and last token decide.
    last = pos + length - 1
    keep = (last < table.doc_offsets[table.doc_of(pos) + 1]) & (table.sentence_key(last) == table.sentence_key(pos))
    pos, term, length = pos[keep], term[keep], length[keep]
    return np.stack([pos, pos + length, term], axis=1) if len(pos) else np.zeros((0, 3), dtype=np.int64)


def match(lex: CompiledLexicons, table: TokenTable, rid: np.ndarray | None = None) -> Matches:
    """Find every match of ``lex`` in ``table``, negated ones flagged (pure: no I/O).

    ``rid``: the resolver ids of the table's vocabulary, when the caller has them already.
    """
    n_cat = max(2 * lex.n_categories, 1)  # the categories, then their shadows (exclusions)
    if rid is None:
        rid = lex.resolver.ids(table)
    ptr, word_cat, word_term = _resolve_words(lex, rid)

    # Single-word matches: every token whose word resolved to some category.
    per_token = np.diff(ptr)[table.ids] if len(table.ids) else np.zeros(0, np.int64)
    s_pos = np.repeat(np.arange(len(table.ids), dtype=np.int64), per_token)
    first_entry = ptr[table.ids] if len(table.ids) else np.zeros(0, np.int64)
    offsets = np.arange(len(s_pos)) - np.repeat(np.cumsum(per_token) - per_token, per_token)
    entry = np.repeat(first_entry, per_token) + offsets
    s_cat, s_term = word_cat[entry], word_term[entry]

    # Phrases: greedy by precedence within each category; claimed tokens are
    # then taken away from single-word matches of the same category.
    cands = _phrase_candidates(lex, table, rid)
    kept: list[tuple[int, int, int]] = []
    if lex.counting == "liwc":
        shadow = cands[:, 2] >= len(lex.terms)  # exclusions: found as in framing's counting, below
        kept, used = _liwc_phrases(lex, cands[~shadow])
        cands = cands[shadow]
        if used:  # a word a phrase used up counts for no single word of that lexicon (exclusions aside)
            real = np.flatnonzero(s_cat < lex.n_categories)
            drop = np.zeros(len(s_pos), dtype=bool)
            drop[real] = np.isin(s_pos[real] * len(lex.lexicons) + lex.category_lexicons[s_cat[real]],
                                 np.fromiter(used, dtype=np.int64))
            s_pos, s_cat, s_term = s_pos[~drop], s_cat[~drop], s_term[~drop]
    t = cands[:, 2]
    # By category, then precedence (the module docstring), then leftmost, then lexicon order.
    order = np.lexsort((t, cands[:, 0], lex.term_rank[t, 2], lex.term_rank[t, 1], lex.term_rank[t, 0],
                        lex.match_category[t]))
    claimed: set[int] = set()
    term_category = lex.match_category.tolist()
    for start, end, ti in cands[order].tolist():
        c = term_category[ti]
        keys = [p * n_cat + c for p in range(start, end)]
        if any(k in claimed for k in keys):
            continue
        claimed.update(keys)
        kept.append((start, end, ti))
    if claimed:
        drop = np.isin(s_pos * n_cat + s_cat, np.fromiter(claimed, dtype=np.int64))
        s_pos, s_cat, s_term = s_pos[~drop], s_cat[~drop], s_term[~drop]

    p_arr = np.asarray(kept, dtype=np.int64).reshape(-1, 3)
    start = np.concatenate([s_pos, p_arr[:, 0]])
    end = np.concatenate([s_pos + 1, p_arr[:, 1]])
    term = np.concatenate([s_term, p_arr[:, 2]])
    if len(lex.exclusion_target):
        start, end, term = _drop_excluded(lex, start, end, term)
    category = lex.term_category[term] if len(term) else np.zeros(0, np.int64)
    weight = _term_weights(lex)[term] if len(term) else np.zeros(0)
    if lex.counting == "liwc":  # LIWC adds a phrase's words: "trade war" counts 2
        weight = weight * lex.term_length[term]
    doc = np.searchsorted(table.doc_offsets, start, side="right") - 1
    order = np.lexsort((category, start, doc))
    start, doc, category = start[order], doc[order], category[order]
    return Matches(
        doc=doc, start=start, end=end[order], category=category, term=term[order], weight=weight[order],
        negated=_negated(lex, table, rid, start, doc, category),
    )


def _liwc_phrases(lex: CompiledLexicons, cands: np.ndarray) -> tuple[list[tuple[int, int, int]], set[int]]:
    """The phrases LIWC's counting keeps, and the tokens they use up, coded ``token * n_lexicons + lexicon``.

    In each lexicon on its own, read left to right: at a token not used up
    yet, the best phrase that starts there (by precedence) is the entry,
    and uses up its words; every category with that entry (the same words
    and wildcards) at that span counts it.
    """
    if not len(cands):
        return [], set()
    t = cands[:, 2]
    lexicon = lex.category_lexicons[lex.term_category[t]]
    order = np.lexsort((t, lex.term_form[t], lex.term_rank[t, 2], lex.term_rank[t, 1], lex.term_rank[t, 0],
                        cands[:, 0], lexicon))
    n_lex = len(lex.lexicons)
    forms = lex.term_form.tolist()
    kept: list[tuple[int, int, int]] = []
    used: set[int] = set()
    free_from: dict[int, int] = {}  # lexicon -> the first token not used up by its phrases
    group: tuple[int, int] = (-1, -1)
    entry: tuple[int, int] | None = None  # (end, form) of the entry chosen at this group's start, if any
    for (start, end, ti), lx in zip(cands[order].tolist(), lexicon[order].tolist()):
        if (lx, start) != group:  # the best phrase starting here comes first
            group = (lx, start)
            entry = None
            if start >= free_from.get(lx, 0):
                entry = (end, forms[ti])
                free_from[lx] = end
                used.update(p * n_lex + lx for p in range(start, end))
        if entry == (end, forms[ti]):
            kept.append((start, end, ti))
    return kept, used


def _term_weights(lex: CompiledLexicons) -> np.ndarray:
    weights = lex.memo.get("term_weights")
    if weights is None:
        weights = lex.memo["term_weights"] = np.asarray([t.weight for t in lex.terms], dtype=np.float64)
    return weights  # type: ignore[return-value]


def _drop_excluded(
    lex: CompiledLexicons, start: np.ndarray, end: np.ndarray, term: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split off the exclusions' occurrences and drop the matches that touch one (module docstring)."""
    n_terms, n_cat = len(lex.terms), lex.n_categories
    shadow = term >= n_terms
    e_start, e_end = start[shadow], end[shadow]
    e_cat = lex.exclusion_target[term[shadow] - n_terms]
    start, end, term = start[~shadow], end[~shadow], term[~shadow]
    if not len(e_start) or not len(start):
        return start, end, term
    lengths = e_end - e_start
    pos = np.repeat(e_start, lengths) + (np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths))
    covered = np.unique(pos * n_cat + np.repeat(e_cat, lengths))
    lengths = end - start
    which = np.repeat(np.arange(len(start)), lengths)
    tokens = np.repeat(start, lengths) + (np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths))
    hit = np.isin(tokens * n_cat + lex.term_category[term][which], covered)
    hit |= np.isin(tokens * n_cat + lex.term_origin[term][which], covered)
    keep = np.bincount(which[hit], minlength=len(start)) == 0
    return start[keep], end[keep], term[keep]


def _negated(
    lex: CompiledLexicons, table: TokenTable, rid: np.ndarray, start: np.ndarray, doc: np.ndarray, category: np.ndarray
) -> np.ndarray:
    """Whether each match has a cue of its category's rule within its window before it, in its sentence."""
    negated = np.zeros(len(start), dtype=bool)
    if not lex.negation_rules or not len(start):
        return negated
    rule = lex.category_negation[category]
    ruled = np.flatnonzero(rule >= 0)
    if not len(ruled):
        return negated
    bits = np.left_shift(np.int64(1), rule[ruled])
    window = np.asarray([r.window for r in lex.negation_rules], dtype=np.int64)[rule[ruled]]
    first = start[ruled]
    doc_start = table.doc_offsets[doc[ruled]]
    sentence = table.sentence_key(first)
    cue = lex.resolver.cue.view[rid]  # cue flags per vocabulary entry of this table
    for k in range(1, int(window.max()) + 1):
        p = first - k
        ok = (k <= window) & (p >= doc_start)
        at = np.flatnonzero(ok)
        if not len(at):
            break
        p_ok = p[at]
        same = table.sentence_key(p_ok) == sentence[at]
        flagged = (cue[table.ids[p_ok]] & bits[at]) != 0
        negated[ruled[at[same & flagged]]] = True
    return negated


def category_totals(lex: CompiledLexicons, matches: Matches, n_docs: int, *, negated: bool = False) -> np.ndarray:
    """Article x category sum of the weights of the counted matches (``negated=True``: of the negated ones)."""
    n_cat = lex.n_categories
    mine = matches.negated if negated else ~matches.negated
    flat = np.bincount(matches.doc[mine] * n_cat + matches.category[mine], weights=matches.weight[mine],
                       minlength=n_docs * n_cat)
    # (bincount gives integers when there is no match at all)
    return flat.reshape(n_docs, n_cat).astype(np.float64, copy=False)
