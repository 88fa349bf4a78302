"""Match lexicons against a tokenized corpus at the vocabulary level.

Nothing here runs a pattern per term per article. Each distinct word of the
corpus is resolved once against every single-word term (a dictionary look-up
for exact terms, one look-up per wildcard prefix length otherwise); phrases
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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..lexicon.model import Lexicon, Term
from .tokentable import TokenTable

__all__ = ["CompiledLexicons", "Matches", "compile_lexicons", "match"]

@dataclass(frozen=True)
class CompiledLexicons:
    """Several lexicons flattened into global category and term tables."""

    lexicons: tuple[Lexicon, ...]
    category_lexicon: tuple[int, ...]  # lexicon index of each global category
    category_ref: tuple[tuple[str, str], ...]  # (lexicon name, category id)
    terms: tuple[Term, ...]
    term_category: np.ndarray
    # single-word terms: exact word -> terms, wildcard prefix -> terms, prefix lengths (longest first)
    single: tuple[dict[str, list[int]], dict[str, list[int]], list[int]]
    # phrase slots (word j of phrase t, coded t * max_words + j), indexed the same way
    slots: tuple[dict[str, list[int]], dict[str, list[int]], list[int]]
    max_words: int
    term_length: np.ndarray
    term_rank: np.ndarray  # the precedence key of ``_rank`` per term, n_terms x 3
    # word -> its (categories, terms) among single-word terms, and word -> the
    # phrase slots it fills; filled as words are met: a corpus repeats most
    # of its words in every chunk.
    memo: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = field(default_factory=dict, compare=False, repr=False)
    slot_memo: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False, repr=False)

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
    def term_labels(self) -> tuple[list[str], list[str], np.ndarray]:
        """Term texts, each term's column, and each term's rank by (text, column) for ties."""
        texts = [t.text for t in self.terms]
        columns = [self.column(int(c)) for c in self.term_category]
        rank = np.empty(len(texts), dtype=np.int64)
        rank[sorted(range(len(texts)), key=lambda i: (texts[i], columns[i]))] = np.arange(len(texts))
        return texts, columns, rank


@dataclass(frozen=True)
class Matches:
    """Every counted match: flat token span ``[start, end)``, category, term, weight.

    Sorted by article, then start, then category.
    """

    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray
    category: np.ndarray
    term: np.ndarray
    weight: np.ndarray

    def __len__(self) -> int:
        return len(self.doc)


def compile_lexicons(lexicons: Sequence[Lexicon]) -> CompiledLexicons:
    """Flatten lexicons into global tables (done once per run)."""
    cat_lex, refs, terms, term_cat = [], [], [], []
    for li, lex in enumerate(lexicons):
        for cat in lex.categories:
            c = len(refs)
            refs.append((lex.name, cat.id))
            cat_lex.append(li)
            for t in cat.terms:
                terms.append(t)
                term_cat.append(c)
    exact: dict[str, list[int]] = {}
    wild: dict[str, list[int]] = {}
    for ti, t in enumerate(terms):
        if not t.is_phrase:
            (exact if not t.wildcard[0] else wild).setdefault(t.words[0], []).append(ti)
    width = max([len(t.words) for t in terms if t.is_phrase], default=1)
    slot_exact: dict[str, list[int]] = {}
    slot_wild: dict[str, list[int]] = {}
    for ti, t in enumerate(terms):
        if t.is_phrase:
            for j, (w, is_wild) in enumerate(zip(t.words, t.wildcard)):
                (slot_wild if is_wild else slot_exact).setdefault(w, []).append(ti * width + j)
    return CompiledLexicons(
        lexicons=tuple(lexicons),
        category_lexicon=tuple(cat_lex),
        category_ref=tuple(refs),
        terms=tuple(terms),
        term_category=np.asarray(term_cat, dtype=np.int64),
        single=(exact, wild, sorted({len(p) for p in wild}, reverse=True)),
        slots=(slot_exact, slot_wild, sorted({len(p) for p in slot_wild}, reverse=True)),
        max_words=width,
        term_length=np.asarray([len(t.words) for t in terms], dtype=np.int64),
        term_rank=np.asarray([_rank(t) for t in terms], dtype=np.int64).reshape(-1, 3),
    )


def _rank(term: Term) -> tuple[int, int, int]:
    """Sort key of a term: smaller wins (see the module docstring)."""
    return (-len(term.words), sum(term.wildcard), -sum(map(len, term.words)))


def _resolve_words(lex: CompiledLexicons, vocab: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every vocabulary word, its best single-word term in each category.

    Returns CSR-like arrays: ``ptr`` (len V+1), and per entry the category and term.
    Each distinct word is resolved once per process (``lex.memo``).
    """
    memo = lex.memo
    new = [w for w in vocab if w not in memo]
    if new:
        memo.update(_resolve_new(lex, new))
    resolved = [memo[w] for w in vocab]
    sizes = np.fromiter((len(c) for c, _ in resolved), dtype=np.int64, count=len(vocab))
    ptr = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    cats = np.fromiter((c for cs, _ in resolved for c in cs), dtype=np.int64, count=int(ptr[-1]))
    tids = np.fromiter((t for _, ts in resolved for t in ts), dtype=np.int64, count=int(ptr[-1]))
    return ptr, cats, tids


def _resolve_new(lex: CompiledLexicons, words: list[str]) -> dict[str, tuple[tuple[int, ...], tuple[int, ...]]]:
    exact, wild, prefix_lengths = lex.single
    term_cat = lex.term_category.tolist()
    out = {}
    for word in words:
        best: dict[int, int] = {}
        for ti in exact.get(word, ()):
            best.setdefault(term_cat[ti], ti)
        for n in prefix_lengths:  # longest prefix first, so the first hit per category wins
            if n > len(word):
                continue
            for ti in wild.get(word[:n], ()):
                best.setdefault(term_cat[ti], ti)
        cats = tuple(sorted(best))
        out[word] = (cats, tuple(best[c] for c in cats))
    return out


def _phrase_slots(lex: CompiledLexicons, vocab: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """For every vocabulary word, the phrase slots it can fill, as CSR arrays.

    A slot is word ``j`` of phrase term ``t``, coded ``t * lex.max_words + j``.
    Each distinct word is resolved once per process (``lex.slot_memo``).
    """
    memo = lex.slot_memo
    new = [w for w in vocab if w not in memo]
    if new:
        exact, wild, prefix_lengths = lex.slots
        for word in new:
            codes = list(exact.get(word, ()))
            for n in prefix_lengths:
                if n <= len(word):
                    codes.extend(wild.get(word[:n], ()))
            memo[word] = tuple(sorted(set(codes)))
    resolved = [memo[w] for w in vocab]
    sizes = np.fromiter(map(len, resolved), dtype=np.int64, count=len(vocab))
    ptr = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    codes = np.fromiter((c for cs in resolved for c in cs), dtype=np.int64, count=int(ptr[-1]))
    return ptr, codes


def _phrase_candidates(lex: CompiledLexicons, table: TokenTable) -> np.ndarray:
    """Every ``(flat start, flat end, term)`` where a phrase term occurs, as an n x 3 array.

    Vectorised over all phrase terms at once: start from every token whose
    word can open some phrase, then check the second word of every candidate,
    the third, ... against the slots each word can fill.
    """
    ids = table.ids
    n, width = len(ids), lex.max_words
    if n == 0 or width < 2:
        return np.zeros((0, 3), dtype=np.int64)
    ptr, codes = _phrase_slots(lex, table.vocab)
    # Openers: the slots of word 0, per vocabulary word.
    opener = codes % width == 0
    word_of_code = np.repeat(np.arange(len(table.vocab), dtype=np.int64), np.diff(ptr))
    o_ptr = np.concatenate(([0], np.cumsum(np.bincount(word_of_code[opener], minlength=len(table.vocab))))).astype(np.int64)
    o_term = codes[opener] // width
    per_token = np.diff(o_ptr)[ids]
    pos = np.repeat(np.arange(n, dtype=np.int64), per_token)
    offsets = np.arange(len(pos)) - np.repeat(np.cumsum(per_token) - per_token, per_token)
    term = o_term[np.repeat(o_ptr[ids], per_token) + offsets]
    length = lex.term_length[term]
    doc_end = np.repeat(table.doc_offsets[1:], table.n_tokens)
    keep = pos + length <= doc_end[pos]
    pos, term, length = pos[keep], term[keep], length[keep]
    # Every (slot, word) pair that fits, as one sorted key array.
    vocab_size = max(len(table.vocab), 1)
    valid = np.unique(codes * vocab_size + word_of_code)
    for j in range(1, width):
        active = np.flatnonzero(length > j)
        if len(active) == 0:
            break
        p, q = pos[active], pos[active] + j
        key = (term[active] * width + j) * vocab_size + ids[q]
        at = np.minimum(np.searchsorted(valid, key), len(valid) - 1)
        ok = (valid[at] == key) & (table.sentence[q] == table.sentence[p])
        drop = active[~ok]
        if len(drop):
            mask = np.ones(len(pos), dtype=bool)
            mask[drop] = False
            pos, term, length = pos[mask], term[mask], length[mask]
    return np.stack([pos, pos + length, term], axis=1) if len(pos) else np.zeros((0, 3), dtype=np.int64)


def match(lex: CompiledLexicons, table: TokenTable) -> Matches:
    """Find every counted match of ``lex`` in ``table`` (pure: no I/O)."""
    n_cat = max(lex.n_categories, 1)
    ptr, word_cat, word_term = _resolve_words(lex, table.vocab)

    # Single-word matches: every token whose word resolved to some category.
    per_token = np.diff(ptr)[table.ids] if len(table.ids) else np.zeros(0, np.int64)
    s_pos = np.repeat(np.arange(len(table.ids), dtype=np.int64), per_token)
    first_entry = ptr[table.ids] if len(table.ids) else np.zeros(0, np.int64)
    offsets = np.arange(len(s_pos)) - np.repeat(np.cumsum(per_token) - per_token, per_token)
    entry = np.repeat(first_entry, per_token) + offsets
    s_cat, s_term = word_cat[entry], word_term[entry]

    # Phrases: greedy by precedence within each category; claimed tokens are
    # then taken away from single-word matches of the same category.
    cands = _phrase_candidates(lex, table)
    t = cands[:, 2]
    # By category, then precedence (the module docstring), then leftmost, then lexicon order.
    order = np.lexsort((t, cands[:, 0], lex.term_rank[t, 2], lex.term_rank[t, 1], lex.term_rank[t, 0],
                        lex.term_category[t]))
    claimed: set[int] = set()
    kept: list[tuple[int, int, int]] = []
    term_category = lex.term_category.tolist()
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
    category = lex.term_category[term] if len(term) else np.zeros(0, np.int64)
    weight = np.asarray([t.weight for t in lex.terms], dtype=np.float64)[term] if len(term) else np.zeros(0)
    doc = np.searchsorted(table.doc_offsets, start, side="right") - 1
    order = np.lexsort((category, start, doc))
    return Matches(
        doc=doc[order], start=start[order], end=end[order],
        category=category[order], term=term[order], weight=weight[order],
    )


def category_totals(lex: CompiledLexicons, matches: Matches, n_docs: int) -> np.ndarray:
    """Article x category sum of match weights."""
    n_cat = lex.n_categories
    flat = np.bincount(matches.doc * n_cat + matches.category, weights=matches.weight, minlength=n_docs * n_cat)
    return flat.reshape(n_docs, n_cat)
