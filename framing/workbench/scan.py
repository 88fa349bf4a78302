"""One pass over a corpus with the matcher, chunk by chunk.

Each chunk is tokenized once (``build_token_table``) and matched with every
compiled lexicon given (``framing.analysis.match.match``): the same tables
and matches ``framing analyze`` counts. The tools of the workbench turn each
``Scanned`` chunk into partial sums that merge, so a corpus of any size is
read once and never held: only the current chunk's texts are in memory.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from ..analysis.match import CompiledLexicons, Matches, category_totals, match
from ..analysis.tokentable import TokenTable, build_token_table
from ..defaults import CHUNK_ARTICLES
from ..types import SOURCE_TYPES, Article, Progress

__all__ = ["SCAN_STAGE", "Scanned", "TableMaker", "scan", "scan_chunk", "type_codes"]

SCAN_STAGE = "reading and matching"
# How a chunk's texts become its token table: ``build_token_table``, or a token cache's ``table`` (the same table).
TableMaker = Callable[[list[str]], TokenTable]



@dataclass(frozen=True)
class Scanned:
    """One chunk: its articles, its token table, and the matches of each compiled lexicon (same order)."""

    articles: list[Article]
    table: TokenTable
    matches: tuple[Matches, ...]

    def __len__(self) -> int:
        return len(self.articles)

    def counted(self, i: int = 0) -> np.ndarray:
        """Which matches of lexicon set ``i`` count in a rate (a negated match is listed but not counted)."""
        return ~np.asarray(self.matches[i].negated, dtype=bool)

    def totals(self, lex: CompiledLexicons, i: int = 0) -> np.ndarray:
        """Article x category sums of match weights, as ``framing analyze`` counts them."""
        return category_totals(lex, self.matches[i], len(self.articles))


def type_codes(articles: Sequence[Article]) -> np.ndarray:
    """Index of each article's source type in ``SOURCE_TYPES`` (an unknown label counts as ``unknown``)."""
    index = {t: i for i, t in enumerate(SOURCE_TYPES)}
    unknown = index["unknown"]
    return np.fromiter((index.get(a.source_type, unknown) for a in articles), dtype=np.int64, count=len(articles))


def scan_chunk(
    articles: Sequence[Article], lexicons: Sequence[CompiledLexicons], tables: TableMaker = build_token_table
) -> Scanned:
    """Tokenize one chunk (with ``tables``) and match it with each of ``lexicons`` (pure with the default)."""
    arts = list(articles)
    table = tables([a.text for a in arts])
    return Scanned(arts, table, tuple(match(lex, table) for lex in lexicons))


def scan(
    articles: Iterable[Article],
    lexicons: Sequence[CompiledLexicons],
    *,
    chunk_articles: int = CHUNK_ARTICLES,
    progress: Progress | None = None,
    tables: TableMaker = build_token_table,
) -> Iterator[Scanned]:
    """``scan_chunk`` of every chunk of ``chunk_articles`` articles, read lazily, in input order.

    ``tables`` makes each chunk's token table (a token cache's ``table``
    reads it from the cache when a run before made it).
    """
    it = iter(articles)
    done = 0
    if progress is not None:
        progress(SCAN_STAGE, 0, None)
    while chunk := list(itertools.islice(it, chunk_articles)):
        yield scan_chunk(chunk, lexicons, tables)
        done += len(chunk)
        if progress is not None:
            progress(SCAN_STAGE, done, None)
