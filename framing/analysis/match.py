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

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..lexicon.model import Lexicon, Term
from .tokentable import TokenTable

__all__ = ["CompiledLexicons", "Matches", "compile_lexicons", "match"]

_MAX_CHAR = "\U0010ffff"


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
    # word -> its (categories, terms) among single-word terms, filled as words
    # are met: a corpus repeats most of its words in every chunk.
    memo: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = field(default_factory=dict, compare=False, repr=False)

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
    return CompiledLexicons(
        lexicons=tuple(lexicons),
        category_lexicon=tuple(cat_lex),
        category_ref=tuple(refs),
        terms=tuple(terms),
        term_category=np.asarray(term_cat, dtype=np.int64),
        single=(exact, wild, sorted({len(p) for p in wild}, reverse=True)),
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


def _word_ids(word: str, wildcard: bool, vocab: list[str], index: dict[str, int]) -> np.ndarray:
    """Vocabulary ids one phrase word can match (vocab is sorted)."""
    if not wildcard:
        v = index.get(word)
        return np.asarray([] if v is None else [v], dtype=np.int64)
    lo = bisect_left(vocab, word)
    hi = bisect_left(vocab, word + _MAX_CHAR)
    return np.arange(lo, hi, dtype=np.int64)


def _phrase_candidates(lex: CompiledLexicons, table: TokenTable) -> list[tuple[int, int, int]]:
    """Every (flat start, flat end, term) where a phrase term occurs."""
    vocab = table.vocab
    index = {w: i for i, w in enumerate(vocab)}
    ids = table.ids
    n = len(ids)
    if n == 0:
        return []
    order = np.argsort(ids, kind="stable")
    ptr = np.concatenate([[0], np.cumsum(np.bincount(ids, minlength=len(vocab)))])
    doc_end = np.repeat(table.doc_offsets[1:], table.n_tokens)
    found: list[tuple[int, int, int]] = []
    for ti, t in enumerate(lex.terms):
        if not t.is_phrase:
            continue
        first = _word_ids(t.words[0], t.wildcard[0], vocab, index)
        if len(first) == 0:
            continue
        pos = np.concatenate([order[ptr[v] : ptr[v + 1]] for v in first]) if len(first) < 64 else (
            np.flatnonzero(np.isin(ids, first))
        )
        k = len(t.words)
        pos = pos[pos + k <= doc_end[pos]]
        for j in range(1, k):
            if len(pos) == 0:
                break
            allowed = _word_ids(t.words[j], t.wildcard[j], vocab, index)
            q = pos + j
            keep = np.isin(ids[q], allowed) & (table.sentence[q] == table.sentence[pos])
            pos = pos[keep]
        found.extend((int(p), int(p) + k, ti) for p in pos)
    return found


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
    cands.sort(key=lambda c: (int(lex.term_category[c[2]]), _rank(lex.terms[c[2]]), c[0]))
    claimed: set[int] = set()
    kept: list[tuple[int, int, int]] = []
    for start, end, ti in cands:
        c = int(lex.term_category[ti])
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
