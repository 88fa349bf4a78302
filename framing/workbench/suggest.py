"""Candidate terms for a lexicon category: the words its matching sentences use more than the others.

Pure: articles in, a table out; nothing is read, written or printed (the
``framing lexicon suggest`` command does that). Nothing is ever added to a
lexicon: the table is for a person to review.

How the numbers are made (``docs/suggest.md`` says it at length):

1. Each article is split into sentences by framing's sentence splitter, and
   matched by the same matcher as ``framing analyze``. A sentence *matches*
   when it holds a counted (not negated) match of the category or of a
   category nested under it.
2. The words compared are the content words (``is_content_word``: two
   characters or more, a letter, not a stop word) that are not terms of the
   category: a word the matcher would match for the category on its own
   (exact or by a wildcard) is left out, and so is every token inside a
   match of the category. With ``phrases``, pairs of adjacent content words
   in one sentence are compared too.
3. For each candidate: ``count_in``, the matching sentences that contain it;
   ``count_out``, the other sentences that contain it (a sentence counts
   once however often the word occurs in it); ``docs``, the articles that
   contain it. These are integer sums over chunks of articles, so the
   counts stream and merge in any order.
4. Ranking: the log-odds ratio with an informative Dirichlet prior of
   Monroe, Colaresi & Quinn (2008), ``framing.stats.distinctive.log_odds_dirichlet``,
   between matching and other sentences, and its z-score; plus the
   pointwise mutual information (bits) of the word and a matching sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..analysis.features import content_words
from ..analysis.match import CompiledLexicons, match
from ..analysis.tokentable import TokenTable, build_token_table
from ..defaults import CHUNK_ARTICLES
from ..errors import InputError
from ..stats.distinctive import log_odds_dirichlet
from ..types import Article, Progress
from .scan import TableMaker

__all__ = [
    "DEFAULT_MIN_COUNT", "DEFAULT_TOP", "KWIC_WIDTH", "SUGGEST_COLUMNS", "ChunkCounts",
    "Suggestions", "TermSuggester", "count_chunk", "find_category", "suggest_terms",
]

DEFAULT_MIN_COUNT = 5  # matching sentences a candidate must occur in
DEFAULT_TOP = 30
KWIC_WIDTH = 50  # characters of context either side of the candidate, at most
N_EXAMPLES = 2
SUGGEST_COLUMNS = (
    "category", "rank", "term", "words", "z", "log_odds", "se", "count_in", "count_out", "docs", "pmi",
    "example_1", "example_2",
)
_SPACE = re.compile(r"\s+")



def find_category(lex: CompiledLexicons, name: str) -> int:
    """The global index of a category named ``lexicon.category`` or by its bare id.

    Raises
    ------
    InputError
        No such category, or a bare id that several lexicons define.
    """
    columns = lex.columns
    if name in columns:
        return columns.index(name)
    hits = [c for c, (_, cid) in enumerate(lex.category_ref) if cid == name]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise InputError(f"category {name!r} is in several lexicons; name one of {', '.join(columns[c] for c in hits)}")
    shown = ", ".join(columns[:12]) + (f", ... ({len(columns)} in all)" if len(columns) > 12 else "")
    raise InputError(f"no category {name!r} in the lexicons; the categories are {shown}")


def _family(lex: CompiledLexicons, c: int) -> np.ndarray:
    """Category ``c`` and every category nested under it (their matches count in its rate)."""
    lx_name, cid = lex.category_ref[c]
    prefix = cid + "/"
    return np.asarray(
        [k for k, (ln, kid) in enumerate(lex.category_ref) if ln == lx_name and (kid == cid or kid.startswith(prefix))],
        dtype=np.int64,
    )


@dataclass
class ChunkCounts:
    """The partial counts of one chunk of articles; ``TermSuggester.add`` merges them.

    Per candidate ``words[i]`` (a word, or two words joined by a space):
    matching sentences containing it (``count_in``), other sentences
    containing it (``count_out``), articles containing it (``docs``) and up
    to two examples, each ``(article id, offset in the article, context)``:
    the first occurrence in a matching sentence of each of the first two
    articles by id.
    """

    words: list[str]
    count_in: np.ndarray
    count_out: np.ndarray
    docs: np.ndarray
    examples: dict[int, list[tuple[str, int, str]]]
    n_articles: int
    n_sentences: int  # sentences holding at least one word
    n_matching: int  # of those, sentences holding a counted match of the category


def count_chunk(
    articles: Sequence[Article],
    lex: CompiledLexicons,
    category: int,
    is_term: Callable[[list[str]], np.ndarray],
    *,
    phrases: bool = False,
    tables: TableMaker = build_token_table,
) -> ChunkCounts:
    """Count one chunk of articles (pure with the default ``tables``: no I/O).

    Parameters
    ----------
    articles : sequence of Article
        The chunk.
    lex : CompiledLexicons
        The lexicons, as the matcher uses them.
    category : int
        Global index of the category (``find_category``).
    is_term : callable
        Given candidate texts, one flag per text: True when the text is a
        term of the category (``TermSuggester`` asks the matcher, once per word).
    phrases : bool
        Also count pairs of adjacent words.
    tables : callable
        Makes the chunk's token table (``build_token_table``, or a token
        cache's ``table``: the same table).

    Returns
    -------
    ChunkCounts
    """
    arts = list(articles)
    texts = [a.text for a in arts]
    table = tables(texts)
    n_tok = len(table.ids)
    found = match(lex, table, lex.resolver.ids(table))
    family = np.isin(found.category, _family(lex, category))
    counted = family & ~found.negated
    sent = table.sentence_key(np.arange(n_tok)) if n_tok else np.zeros(0, np.int64)
    matching = np.unique(sent[found.start[counted]])
    # Tokens inside a match of the category are the terms themselves (or a
    # phrase term's other words): never candidates.
    delta = np.zeros(n_tok + 1, dtype=np.int64)
    np.add.at(delta, found.start[family], 1)
    np.add.at(delta, found.end[family], -1)
    covered = np.cumsum(delta[:-1]) > 0

    vocab = table.vocab
    content = content_words(vocab)
    ok_tok = content[table.ids] & ~covered if n_tok else np.zeros(0, dtype=bool)
    doc = table.doc_of()
    id_rank = np.empty(len(arts), dtype=np.int64)
    id_rank[sorted(range(len(arts)), key=lambda i: arts[i].id)] = np.arange(len(arts))
    joined = "\n".join(texts)  # same offsets as the table's (normalising keeps every character in place)

    # Unigrams: code = vocabulary entry, at token k.
    uni_pos = np.flatnonzero(ok_tok)
    pools = [(table.ids[uni_pos], uni_pos, uni_pos + 1, lambda codes: [vocab[c] for c in codes])]
    if phrases and n_tok > 1:
        k = np.flatnonzero(ok_tok[:-1] & ok_tok[1:] & (sent[:-1] == sent[1:]) & (doc[:-1] == doc[1:]))
        n_vocab = max(table.n_vocab, 1)
        pools.append((
            table.ids[k] * n_vocab + table.ids[k + 1], k, k + 2,
            lambda codes, nv=n_vocab: [f"{vocab[c // nv]} {vocab[c % nv]}" for c in codes],
        ))

    words: list[str] = []
    parts_in, parts_out, parts_docs = [], [], []
    examples: dict[int, list[tuple[str, int, str]]] = {}
    for codes, start, end, name in pools:
        if len(codes) == 0:
            continue
        texts_of = name(np.unique(codes).tolist())
        flags = np.asarray(is_term(texts_of), dtype=bool)
        uniq = np.unique(codes)
        keep = ~np.isin(codes, uniq[flags])
        codes, start, end = codes[keep], start[keep], end[keep]
        uniq, texts_of = uniq[~flags], [t for t, f in zip(texts_of, flags.tolist()) if not f]
        local = np.searchsorted(uniq, codes)
        n_u = len(uniq)
        s = sent[start]
        # one row per (candidate, sentence): its first occurrence there
        _, first = np.unique(local * (int(sent.max(initial=0)) + 1) + s, return_index=True)
        in_match = np.isin(s[first], matching)
        c_in = np.bincount(local[first][in_match], minlength=n_u)
        c_out = np.bincount(local[first][~in_match], minlength=n_u)
        d = doc[start]
        docs_keys = np.unique(local * max(len(arts), 1) + d)
        c_docs = np.bincount(docs_keys // max(len(arts), 1), minlength=n_u)
        # examples: first two matching sentences per candidate, by article id then offset
        ex = first[in_match]
        order = np.lexsort((table.flat_starts[start[ex]], id_rank[d[ex]], local[ex]))
        ex = ex[order]
        # one per article: its first occurrence
        ex = ex[np.concatenate(([True], (local[ex][1:] != local[ex][:-1]) | (d[ex][1:] != d[ex][:-1])))[: len(ex)]]
        lead = np.searchsorted(local[ex], np.arange(n_u))
        rank_in_group = np.arange(len(ex)) - lead[local[ex]]
        ex = ex[rank_in_group < N_EXAMPLES]
        base = len(words)
        for j in ex.tolist():
            dd = int(d[j])
            a0 = int(table.doc_start[dd])
            lo, hi = int(table.flat_starts[start[j]]), int(table.flat_ends[end[j] - 1])
            context = _kwic(joined, table, lo, hi, a0 + len(texts[dd]))
            examples.setdefault(base + int(local[j]), []).append((arts[dd].id, lo - a0, context))
        words.extend(texts_of)
        parts_in.append(c_in)
        parts_out.append(c_out)
        parts_docs.append(c_docs)

    cat = lambda parts: np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)
    return ChunkCounts(
        words=words, count_in=cat(parts_in), count_out=cat(parts_out), docs=cat(parts_docs), examples=examples,
        n_articles=len(arts), n_sentences=int(table.n_sentences.sum()), n_matching=len(matching),
    )


def _kwic(joined: str, table: TokenTable, lo: int, hi: int, article_end: int) -> str:
    """``left [candidate] right``: up to ``KWIC_WIDTH`` characters either side, within the sentence, whole words."""
    starts = table.sentence_starts
    k = int(np.searchsorted(starts, lo, side="right"))
    s_lo = int(starts[k - 1]) if k > 0 else 0
    s_hi = min(int(starts[k]) if k < len(starts) else len(joined), article_end)
    left = joined[max(s_lo, lo - KWIC_WIDTH):lo]
    right = joined[hi:min(s_hi, hi + KWIC_WIDTH)]
    if lo - KWIC_WIDTH > s_lo and " " in left:
        left = "..." + left[left.index(" ") + 1:]
    if hi + KWIC_WIDTH < s_hi and " " in right:
        right = right[: right.rindex(" ")] + "..."
    return _SPACE.sub(" ", f"{left}[{joined[lo:hi]}]{right}").strip()


@dataclass
class Suggestions:
    """What ``suggest_terms`` returns.

    ``table``: one row per candidate (``SUGGEST_COLUMNS``), best first;
    ``compared``: how many candidates were compared (before ``min_count``
    and ``top``); ``notes``: plain statements of what limits the list.
    """

    category: str
    table: pd.DataFrame
    n_articles: int
    n_sentences: int
    n_matching: int
    compared: int
    prior_tokens: float
    notes: list[str] = field(default_factory=list)


class TermSuggester:
    """Merges the chunks' counts for one category and ranks the candidates at the end.

    Parameters
    ----------
    lex : CompiledLexicons
        The lexicons.
    category : int
        Global index of the category (``find_category``).
    phrases : bool
        Also compare pairs of adjacent words.
    tables : callable
        Makes each chunk's token table (``count_chunk``).
    """

    def __init__(self, lex: CompiledLexicons, category: int, *, phrases: bool = False,
                 tables: TableMaker = build_token_table) -> None:
        self.lex, self.category, self.phrases, self.tables = lex, category, phrases, tables
        self.family = set(_family(lex, category).tolist())
        self.index: dict[str, int] = {}
        self.words: list[str] = []
        self.count_in = np.zeros(0, np.int64)
        self.count_out = np.zeros(0, np.int64)
        self.docs = np.zeros(0, np.int64)
        self.examples: dict[int, list[tuple[str, int, str]]] = {}
        self.n_articles = self.n_sentences = self.n_matching = 0
        self._term_cache: dict[str, bool] = {}

    def is_term(self, texts: list[str]) -> np.ndarray:
        """Whether the matcher matches each text, alone, as a whole, for the category (cached per text)."""
        new = [t for t in texts if t not in self._term_cache]
        if new:
            table = build_token_table(new)
            found = match(self.lex, table)
            whole = (found.end - found.start) == table.n_tokens[found.doc]
            hit = np.zeros(len(new), dtype=bool)
            hit[found.doc[whole & np.isin(found.category, list(self.family))]] = True
            self._term_cache.update(zip(new, hit.tolist()))
        return np.fromiter((self._term_cache[t] for t in texts), dtype=bool, count=len(texts))

    def add_chunk(self, articles: Sequence[Article]) -> None:
        """Count one chunk and merge it."""
        self.add(count_chunk(articles, self.lex, self.category, self.is_term, phrases=self.phrases,
                             tables=self.tables))

    def add(self, part: ChunkCounts) -> None:
        """Merge a chunk's counts (integer sums; examples keep the first two by article id and offset)."""
        at = np.fromiter((self.index.setdefault(w, len(self.index)) for w in part.words), dtype=np.int64,
                         count=len(part.words))
        new = [w for w, i in zip(part.words, at.tolist()) if i >= len(self.words)]
        self.words.extend(new)
        grow = len(self.words) - len(self.count_in)
        if grow:
            self.count_in, self.count_out, self.docs = (
                np.concatenate([a, np.zeros(grow, np.int64)]) for a in (self.count_in, self.count_out, self.docs)
            )
        self.count_in[at] += part.count_in
        self.count_out[at] += part.count_out
        self.docs[at] += part.docs
        for i, found in part.examples.items():
            g = int(at[i])
            merged, seen = [], set()
            for ex in sorted(self.examples.get(g, []) + found):
                if ex[0] not in seen:  # one example per article (an id may recur across chunks)
                    seen.add(ex[0])
                    merged.append(ex)
            self.examples[g] = merged[:N_EXAMPLES]
        self.n_articles += part.n_articles
        self.n_sentences += part.n_sentences
        self.n_matching += part.n_matching

    def result(self, *, min_count: int = DEFAULT_MIN_COUNT, top: int = DEFAULT_TOP,
               prior_tokens: float | None = None) -> Suggestions:
        """Rank the candidates: the ``top`` with ``z > 0`` and ``count_in >= min_count``, highest ``z`` first.

        Single words and two-word phrases are compared within their own kind
        (each has its own totals and prior), then listed together by ``z``;
        ties go alphabetically.
        """
        if min_count < 1:
            raise InputError(f"the minimum count must be at least 1, got {min_count}")
        if top < 1:
            raise InputError(f"the number of candidates to list must be at least 1, got {top}")
        name = self.lex.column(self.category)
        y_in, y_out = self.count_in.astype(np.float64), self.count_out.astype(np.float64)
        n_words = np.fromiter((w.count(" ") + 1 for w in self.words), dtype=np.int64, count=len(self.words))
        z = np.zeros(len(self.words))
        delta, se, pmi = np.zeros_like(z), np.zeros_like(z), np.full_like(z, np.nan)
        a0 = 0.0
        for k in (1, 2):
            sel = np.flatnonzero(n_words == k)
            y_all = y_in[sel] + y_out[sel]
            total = float(y_all.sum())
            if not len(sel) or total == 0:
                continue
            # The prior weighs as much as the candidates of one typical article (as in terms.csv).
            a0_k = float(prior_tokens) if prior_tokens is not None else total / max(self.n_articles, 1)
            a0 = a0_k if k == 1 else a0
            delta[sel], se[sel], z[sel] = log_odds_dirichlet(y_in[sel], y_out[sel], a0_k * y_all / total)
        with np.errstate(divide="ignore", invalid="ignore"):
            # log2 P(word, matching sentence) / (P(word) P(matching sentence)), over sentences
            pmi = np.log2(y_in * self.n_sentences / ((y_in + y_out) * self.n_matching))
        keep = np.flatnonzero((self.count_in >= min_count) & (z > 0))
        order = sorted(keep.tolist(), key=lambda i: (-z[i], self.words[i]))[:top]
        rows = []
        for rank, i in enumerate(order, 1):
            ex = [c for _, _, c in self.examples.get(i, [])] + [""] * N_EXAMPLES
            rows.append((name, rank, self.words[i], int(n_words[i]), z[i], delta[i], se[i], int(self.count_in[i]),
                         int(self.count_out[i]), int(self.docs[i]), pmi[i], ex[0], ex[1]))
        table = pd.DataFrame(rows, columns=list(SUGGEST_COLUMNS))
        table = table.astype({"rank": np.int64, "words": np.int64, "count_in": np.int64, "count_out": np.int64,
                              "docs": np.int64, "z": np.float64, "log_odds": np.float64, "se": np.float64,
                              "pmi": np.float64})
        notes = []
        if self.n_matching == 0:
            notes.append(f"no sentence holds a counted match of {name}, so there is nothing to compare")
        elif self.n_matching == self.n_sentences:
            notes.append(f"every sentence holds a match of {name}: there are no other sentences to compare with")
        elif self.n_matching < 20:
            notes.append(f"only {self.n_matching} sentences match {name}; with so few, the list is mostly chance")
        if len(keep) == 0 and self.n_matching:
            notes.append(f"no candidate occurs in {min_count} or more matching sentences more often than elsewhere; "
                         "try a lower --min-count or a bigger corpus")
        compared = int(np.count_nonzero(y_in + y_out))
        return Suggestions(category=name, table=table, n_articles=self.n_articles, n_sentences=self.n_sentences,
                           n_matching=self.n_matching, compared=compared, prior_tokens=a0, notes=notes)


def suggest_terms(
    articles: Iterable[Article],
    lex: CompiledLexicons,
    category: str,
    *,
    min_count: int = DEFAULT_MIN_COUNT,
    top: int = DEFAULT_TOP,
    phrases: bool = False,
    chunk_articles: int = CHUNK_ARTICLES,
    progress: Progress | None = None,
    tables: TableMaker = build_token_table,
) -> Suggestions:
    """Candidate terms for ``category``, ranked by their association with its matching sentences.

    Parameters
    ----------
    articles : iterable of Article
        The corpus, read once, ``chunk_articles`` at a time.
    lex : CompiledLexicons
        The lexicons (``framing.analysis.match.compile_lexicons``).
    category : str
        ``lexicon.category``, or a category id that only one lexicon has.
    min_count : int
        Matching sentences a candidate must occur in.
    top : int
        Candidates listed.
    phrases : bool
        Also compare pairs of adjacent content words.
    chunk_articles : int
        Articles counted together; the result does not depend on it.
    progress : callable, optional
        ``progress(stage, done, total)`` after each chunk.
    tables : callable
        Makes each chunk's token table: ``build_token_table``, or a token
        cache's ``table`` (the CLI's; the same tables).

    Returns
    -------
    Suggestions

    Raises
    ------
    InputError
        An unknown or ambiguous category, or a count below 1.
    """
    if chunk_articles < 1:
        raise InputError(f"chunk_articles must be at least 1, got {chunk_articles}", argument="chunk_articles")
    if min_count < 1:
        raise InputError(f"min_count must be at least 1, got {min_count}", argument="min_count")
    if top < 1:
        raise InputError(f"top must be at least 1, got {top}", argument="top")
    work = TermSuggester(lex, find_category(lex, category), phrases=phrases, tables=tables)
    chunk: list[Article] = []
    for article in articles:
        chunk.append(article)
        if len(chunk) >= chunk_articles:
            work.add_chunk(chunk)
            chunk = []
            if progress is not None:
                progress("reading and counting", work.n_articles, None)
    if chunk:
        work.add_chunk(chunk)
        if progress is not None:
            progress("reading and counting", work.n_articles, None)
    return work.result(min_count=min_count, top=top)
