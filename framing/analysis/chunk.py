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

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..report.tables import FLOAT_FORMAT, csv_line, neutralize
from ..types import Article
from .evidence import Ledger, ledger, top_evidence
from .match import CompiledLexicons, category_totals, match
from .tokentable import build_token_table

__all__ = ["ChunkRows", "score_chunk"]


@dataclass(frozen=True)
class ChunkRows:
    """What pass 1 returns for one chunk of ``n`` articles (see the module docstring).

    Term counts are CSR-like: article ``d`` has the words ``words[term[k]]``
    ``count[k]`` times for ``k`` in ``term_ptr[d]:term_ptr[d + 1]``; only
    content words (TF-IDF candidates) are listed.
    """

    ids: list[str]
    digests: bytes  # sha256 of each article (id, outlet, type, title, text), 32 bytes each
    n_tokens: np.ndarray
    n_sentences: np.ndarray
    totals: np.ndarray  # n x categories, sum of match weights
    n_matches: np.ndarray
    words: list[str]
    term_ptr: np.ndarray
    term: np.ndarray
    count: np.ndarray
    head_csv: list[bytes]  # article_id,title,outlet,source_type
    evidence_csv: list[bytes]  # the top_evidence cell
    matches_csv: list[bytes]  # the article's matches.csv rows
    ledger: Ledger
    evidence: list[str]

    def __len__(self) -> int:
        return len(self.ids)


def score_chunk(articles: Sequence[Article], lex: CompiledLexicons) -> ChunkRows:
    """Tokenize, match and count one chunk of articles (pure: no I/O)."""
    arts = list(articles)
    n = len(arts)
    table = build_token_table([a.text for a in arts])
    rid = lex.resolver.ids(table.vocab)
    found = match(lex, table, rid)
    totals = category_totals(lex, found, n)
    n_matches = np.bincount(found.doc, minlength=n).astype(np.int64)
    rows = ledger(arts, table, found)
    evidence = top_evidence(lex, found, n)

    # Term counts per article over the content words only: what TF-IDF and
    # the group counts need, and far smaller than the token table.
    content = lex.resolver.content.view[rid].astype(bool)
    words = [w for w, keep in zip(table.vocab, content) if keep]
    new_id = np.cumsum(content) - 1
    doc = np.repeat(np.arange(n, dtype=np.int64), table.n_tokens)
    keep = content[table.ids] if len(table.ids) else np.zeros(0, bool)
    n_words = max(len(words), 1)
    keys, counts = np.unique(doc[keep] * n_words + new_id[table.ids[keep]], return_counts=True)
    term_doc, term = keys // n_words, keys % n_words
    term_ptr = np.searchsorted(term_doc, np.arange(n + 1)).astype(np.int64)

    return ChunkRows(
        ids=[a.id for a in arts],
        digests=b"".join(_digest(a) for a in arts),
        n_tokens=table.n_tokens,
        n_sentences=table.n_sentences,
        totals=totals,
        n_matches=n_matches,
        words=words,
        term_ptr=term_ptr,
        term=term.astype(np.int32),
        count=counts.astype(np.int32),
        head_csv=[csv_line((a.id, a.title, a.outlet, a.source_type))[:-2] for a in arts],
        # csv.writer writes a lone empty cell as "" (a row must not look empty); here it is one cell of many.
        evidence_csv=[csv_line((e,))[:-2] if e else b"" for e in evidence],
        matches_csv=_matches_csv(arts, rows, lex),
        ledger=rows,
        evidence=evidence,
    )


def _digest(a: Article) -> bytes:
    h = hashlib.sha256()
    for part in (a.id, a.outlet, a.source_type, a.title, a.text):
        h.update(part.encode("utf-8", "surrogatepass") + b"\x00")
    return h.digest()


def _matches_csv(arts: list[Article], rows: Ledger, lex: CompiledLexicons) -> list[bytes]:
    """Each article's ``matches.csv`` rows as CSV bytes.

    The matched text starts at a word, never with a formula character, and
    lexicon and category names are identifiers, so only ids and terms are
    neutralised.
    """
    n = len(arts)
    if len(rows) == 0:
        return [b""] * n
    lex_name = [lex.category_ref[c][0] for c in range(lex.n_categories)]
    cat_id = [lex.category_ref[c][1] for c in range(lex.n_categories)]
    term_text = [neutralize(t.text) for t in lex.terms]
    weight = [FLOAT_FORMAT % t.weight for t in lex.terms]
    category, term = rows.category.tolist(), rows.term.tolist()
    # The reader skips texts with NUL; articles given through the API may hold one.
    texts = [neutralize(t) for t in rows.text] if any("\x00" in a.text for a in arts) else rows.text
    table = list(zip(
        rows.sentence.tolist(), rows.start.tolist(), rows.end.tolist(), texts,
        [lex_name[c] for c in category], [cat_id[c] for c in category],
        [term_text[t] for t in term], [weight[t] for t in term],
    ))
    bounds = np.searchsorted(rows.doc, np.arange(n + 1)).tolist()
    ids = [neutralize(a.id) for a in arts]
    doc = rows.doc.tolist()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows((ids[d], *r) for d, r in zip(doc, table))
    data = buffer.getvalue().encode("utf-8", "backslashreplace")
    lines = data.split(b"\r\n")
    if len(lines) == len(table) + 1:  # one CSV row per line: no cell holds a CR LF
        return [b"\r\n".join(lines[lo:hi]) + b"\r\n" if hi > lo else b"" for lo, hi in zip(bounds, bounds[1:])]
    out = []  # a cell holds "\r\n" (an id or a text given through the API): article by article
    for d in range(n):
        lo, hi = bounds[d], bounds[d + 1]
        buffer.seek(0)
        buffer.truncate()
        writer.writerows((ids[d], *r) for r in table[lo:hi])
        out.append(buffer.getvalue().encode("utf-8", "backslashreplace"))
    return out
