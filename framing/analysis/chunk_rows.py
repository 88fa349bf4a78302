"""Pass 1 of the engine: one chunk of articles in, per-article rows and mergeable partials out.

``score_chunk`` is a pure function of a chunk and the compiled lexicons, so
the engine can run it in this process, in a process pool or as a Dask task,
for any chunking, and get the same rows. It returns

* per-article numbers: tokens, sentences, the sum of match weights per
  category, matches;
* per-article text cells, already formatted as CSV: the report's first
  columns and ``top_evidence``, and the article's ``matches.csv`` rows, so
  the engine never needs the text again;
* the article's term counts over the chunk's content words (the partial sums
  that document frequencies, group counts and TF-IDF are made of);
* the ledger as arrays, for the evidence views.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..cells import (
    FLOAT_FORMAT,
    csv_cell,
    csv_cells,
    csv_line,
    format_floats,
    neutralize,
)
from ..types import Article
from .evidence import Ledger, ledger, top_evidence
from .features import PER_TOKENS, rates
from .mask import Masker, text_spans
from .match import CompiledLexicons, Matches, category_totals, match
from .quotes import quoted_tokens
from .tokentable import TokenTable, build_token_table
from .typography import typography_rates

__all__ = ["ChunkRows", "score_chunk"]


@dataclass(frozen=True)
class ChunkRows:
    """What pass 1 returns for one chunk of ``n`` articles (see the module docstring).

    Term counts are CSR-like: article ``d`` has the word ``words[term[k]]``
    ``count[k]`` times for ``k`` in ``term_ptr[d]:term_ptr[d + 1]``; only
    content words (TF-IDF candidates) are listed, in order of first
    appearance in the chunk. The words come as one string (``words_text``,
    one word per line) with their keys (``word_keys``, two uint64 each), so
    that the engine makes strings only of the words it has not met.
    """

    ids: list[str]
    digests: bytes  # sha256 of each article (id, outlet, type, title, text), 32 bytes each
    n_tokens: np.ndarray
    n_sentences: np.ndarray
    n_masked: np.ndarray  # tokens left out of the term counts (``framing.analysis.mask``)
    typography: np.ndarray  # n x ``typography.NAMES``, float16 (``framing.analysis.typography``)
    totals: np.ndarray  # n x categories, sum of match weights
    n_matches: np.ndarray
    word_keys: np.ndarray
    words_text: str
    term_ptr: np.ndarray
    term: np.ndarray
    count: np.ndarray
    head_csv: list[bytes]  # article_id,title,outlet,source_type
    evidence_csv: list[bytes]  # the top_evidence cell, then the quote cells (``quote_values`` formatted)
    # per article: quoted_share, then each category's rate in its own voice and in quotes
    # (matches per 1,000 tokens; NaN where there are no such tokens)
    quote_values: np.ndarray
    # per article: the rate of the negated matches of each category with a negation rule
    # (``CompiledLexicons.negated_categories``), matches per 1,000 tokens
    negated_values: np.ndarray
    matches_csv: list[bytes]  # the article's matches.csv rows
    ledger: Ledger
    evidence: list[str]

    def __len__(self) -> int:
        return len(self.ids)


def score_chunk(
    articles: Sequence[Article], lex: CompiledLexicons, masker: Masker | None = None, table: TokenTable | None = None
) -> ChunkRows:
    """Tokenize, match and count one chunk of articles (pure: no I/O).

    ``masker``: what to leave out of the term counts (bylines, credits,
    outlet names, ...; ``None``: nothing). ``table``: the chunk's token
    table when it is known already (the token cache's), else it is built.
    """
    arts = list(articles)
    n = len(arts)
    if table is None:
        table = build_token_table([a.text for a in arts])
    rid = lex.resolver.ids(table)
    found = match(lex, table, rid)
    totals = category_totals(lex, found, n)
    n_matches = np.bincount(found.doc, minlength=n).astype(np.int64)
    joined = "\n".join(a.text for a in arts)
    quoted = quoted_tokens(joined, table)
    rows = ledger(arts, table, found, quoted)
    quote_values = _quote_values(lex, found, quoted, table, totals)
    negated_values = rates(category_totals(lex, found, n, negated=True)[:, lex.negated_categories], table.n_tokens)
    evidence = top_evidence(lex, found, n)

    # Term counts per article over the content words only: what TF-IDF and
    # the group counts need, and far smaller than the token table.
    content = lex.resolver.content.view[rid].astype(bool)
    entries = np.flatnonzero(content)
    new_id = np.cumsum(content) - 1
    doc = table.doc_of()
    keep = content[table.ids] if len(table.ids) else np.zeros(0, bool)
    spans = text_spans(joined) if masker is not None else []
    masked = masker.tokens(arts, table, joined, spans) if masker is not None else np.zeros(len(table.ids), dtype=bool)
    keep &= ~masked
    n_words = max(len(entries), 1)
    keys, counts = np.unique(doc[keep] * n_words + new_id[table.ids[keep]], return_counts=True)
    term_doc, term = keys // n_words, keys % n_words
    term_ptr = np.searchsorted(term_doc, np.arange(n + 1)).astype(np.int64)

    return ChunkRows(
        ids=[a.id for a in arts],
        digests=b"".join(_digest(a) for a in arts),
        n_tokens=table.n_tokens,
        n_sentences=table.n_sentences,
        n_masked=np.bincount(doc[masked], minlength=n).astype(np.int64),
        typography=typography_rates([a.text for a in arts], table.n_tokens, table.n_sentences, spans, joined),
        totals=totals,
        n_matches=n_matches,
        word_keys=np.stack([table.keys[entries], table.checks[entries]], axis=1),
        words_text="\n".join(table.words(entries)),
        term_ptr=term_ptr,
        term=term.astype(np.int32),
        count=counts.astype(np.int32),
        head_csv=[csv_line((a.id, a.title, a.outlet, a.source_type))[:-2] for a in arts],
        # csv.writer writes a lone empty cell as "" (a row must not look empty); here it is one cell of many.
        evidence_csv=[
            (csv_line((e,))[:-2] if e else b"") + b"," + q
            for e, q in zip(evidence, _quote_cells(np.hstack([quote_values, negated_values])))
        ],
        quote_values=quote_values,
        negated_values=negated_values,
        matches_csv=_matches_csv(arts, rows, lex),
        ledger=rows,
        evidence=evidence,
    )


def _quote_values(
    lex: CompiledLexicons, found: Matches, quoted: np.ndarray, table: TokenTable, totals: np.ndarray
) -> np.ndarray:
    """Per article: the share of tokens in quotes, then per category the rate outside and inside quotes."""
    n, n_cat = totals.shape
    doc = table.doc_of()
    n_quoted = np.bincount(doc[quoted], minlength=n).astype(np.float64)
    n_own = table.n_tokens.astype(np.float64) - n_quoted
    in_quotes = quoted[found.start] if len(found) else np.zeros(0, dtype=bool)
    q_found = found.subset(in_quotes)
    q_totals = category_totals(lex, q_found, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(table.n_tokens > 0, n_quoted / np.maximum(table.n_tokens, 1), np.nan)
        own = np.where(n_own[:, None] > 0, (totals - q_totals) / n_own[:, None] * PER_TOKENS, np.nan)
        inside = np.where(n_quoted[:, None] > 0, q_totals / n_quoted[:, None] * PER_TOKENS, np.nan)
    out = np.empty((n, 1 + 2 * n_cat))
    out[:, 0] = share
    out[:, 1::2] = own
    out[:, 2::2] = inside
    return out


def _quote_cells(values: np.ndarray) -> list[bytes]:
    """The quote columns of ``report.csv``, one CSV fragment per article."""
    if values.shape[0] == 0:
        return []
    cells = format_floats(values.ravel()).reshape(values.shape)  # each distinct value formatted once
    return [",".join(row).encode("ascii") for row in cells.tolist()]


def _digest(a: Article) -> bytes:
    h = hashlib.sha256()
    for part in (a.id, a.outlet, a.source_type, a.title, a.text):
        h.update(part.encode("utf-8", "surrogatepass") + b"\x00")
    return h.digest()


def _matches_csv(arts: list[Article], rows: Ledger, lex: CompiledLexicons) -> list[bytes]:
    """Each article's ``matches.csv`` rows as CSV bytes, the bytes ``csv.writer`` would write.

    A row is the article's cells, the match's numbers and text, and the
    term's cells; the first and last are formatted once per article and once
    per term, which is most of the row. The matched text starts at a word,
    never with a formula character, and lexicon and category names are
    identifiers, so only ids and terms are neutralised.
    """
    n = len(arts)
    if len(rows) == 0:
        return [b""] * n
    suffix = lex.memo.get("matches.csv")
    if suffix is None:
        suffix = lex.memo["matches.csv"] = [
            csv_line(("", lex.category_ref[int(c)][0], lex.category_ref[int(c)][1], t.text, FLOAT_FORMAT % t.weight))
            .decode("utf-8")[:-2]
            for t, c in zip(lex.terms, lex.term_category)
        ]
    prefix = [csv_cell(str(neutralize(a.id))) + "," for a in arts]
    texts = rows.text
    if any("\x00" in a.text for a in arts):  # the reader skips such texts; the API may pass one
        texts = [str(neutralize(t)) for t in texts]
    texts = csv_cells(texts)  # a phrase may span a comma or a quote
    lines = [
        f"{prefix[d]}{s},{a},{b},{t}{suffix[k]},{int(q)},{int(g)}\r\n"
        for d, s, a, b, t, k, q, g in zip(
            rows.doc.tolist(), rows.sentence.tolist(), rows.start.tolist(), rows.end.tolist(), texts,
            rows.term.tolist(), rows.quoted.tolist(), rows.negated.tolist(),
        )
    ]
    bounds = np.searchsorted(rows.doc, np.arange(n + 1)).tolist()
    return ["".join(lines[lo:hi]).encode("utf-8", "backslashreplace") for lo, hi in itertools.pairwise(bounds)]
