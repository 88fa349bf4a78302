"""The analysis pipeline: articles and lexicons in, tables out. Writes nothing.

::

    articles -> token table -> lexicon matches -> rates, TF-IDF
             -> similarity and style scores -> group summaries, distinctive terms
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .compare import distinctive_terms, summarize
from .corpus import LABELLED_TYPES, MAX_ARTICLE_BYTES, Article, Corpus, read_corpus
from .errors import InputError
from .features import Tfidf, rates, tfidf
from .lexicon import Lexicon, builtin_lexicon_paths, load_lexicon
from .match import CompiledLexicons, Matches, category_totals, compile_lexicons, match
from .score import loo_centroid_similarity, predict, profile_similarity
from .tokentable import TokenTable, build_token_table

__all__ = ["MAX_SIMILARITY_ARTICLES", "TOP_EVIDENCE", "TOP_TERMS", "AnalysisResult", "analyze", "analyze_corpus"]

TOP_TERMS = 10  # TF-IDF terms listed per article
TOP_EVIDENCE = 5  # most frequent lexicon matches listed per article
MAX_SIMILARITY_ARTICLES = 300  # above this, only group-mean similarities are kept

Progress = Callable[[str, int, int], None]


@dataclass
class AnalysisResult:
    """Everything ``framing analyze`` reports, as DataFrames plus run facts.

    ``scores``: one row per article (the report); ``summary``: per source type
    x category; ``terms``: distinctive terms per source type; ``matches``: the
    evidence ledger; ``similarity``: article x article cosine similarity (only
    up to ``MAX_SIMILARITY_ARTICLES`` articles, else ``None``);
    ``type_similarity``: mean similarity between and within source types;
    ``articles``: the articles themselves, sorted like ``scores``.
    """

    scores: pd.DataFrame
    summary: pd.DataFrame
    terms: pd.DataFrame
    matches: pd.DataFrame
    similarity: pd.DataFrame | None
    type_similarity: pd.DataFrame
    lexicons: list[Lexicon]
    dimensions: dict[str, str]
    styles: dict[str, str]
    corpus_sha256: str = ""
    warnings: list[str] = field(default_factory=list)
    skipped: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    articles: list[Article] = field(default_factory=list)  # in ``scores`` order, for the evidence views


TYPE_LABELS = {
    "state_media": "State media",
    "wire": "Wire",
    "independent_commentary": "Independent commentary",
    "unknown": "Unknown / unlabelled",
}


def analyze(
    corpus: str | Path | Sequence[str | Path],
    *,
    lexicons: Sequence[str | Path | Lexicon] | None = None,
    manifest: str | Path | None = None,
    text_column: str = "text",
    id_column: str | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    max_article_bytes: int = MAX_ARTICLE_BYTES,
) -> AnalysisResult:
    """Read a corpus and lexicons from disk and analyse them.

    ``lexicons`` defaults to the built-in ``frames``, ``style`` and ``labels``.

    >>> result = analyze("seeds")                         # doctest: +SKIP
    >>> result.scores[["article_id", "predicted_source_type"]]  # doctest: +SKIP
    """
    paths = [corpus] if isinstance(corpus, (str, Path)) else list(corpus)
    t0 = time.perf_counter()
    loaded = [lx if isinstance(lx, Lexicon) else load_lexicon(lx) for lx in (lexicons or builtin_lexicon_paths())]
    read = read_corpus(
        paths, manifest=manifest, text_column=text_column, id_column=id_column, max_article_bytes=max_article_bytes
    )
    elapsed = time.perf_counter() - t0
    result = analyze_corpus(read, loaded, jobs=jobs, progress=progress)
    result.timings = {"read": elapsed, **result.timings}
    return result


def analyze_corpus(
    corpus: Corpus | Sequence[Article],
    lexicons: Sequence[Lexicon],
    *,
    jobs: int = 1,
    progress: Progress | None = None,
) -> AnalysisResult:
    """Analyse articles already in memory (pure: no file is read or written)."""
    if isinstance(corpus, Corpus):
        articles, warnings, skipped = corpus.articles, list(corpus.warnings), corpus.skipped
    else:
        articles, warnings, skipped = list(corpus), [], 0
    if not articles:
        raise InputError("no articles to analyse")
    if not lexicons:
        raise InputError("no lexicons given")
    names = [lx.name for lx in lexicons]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise InputError(f"two lexicons are both named {dup[0]!r}; give one a different 'name'")
    if jobs < 1:
        raise InputError(f"--jobs must be at least 1, got {jobs}")
    for lx in lexicons:
        warnings.extend(lx.warnings)

    articles = sorted(articles, key=lambda a: a.id)
    digest = hashlib.sha256()
    for a in articles:
        for part in (a.id, a.outlet, a.source_type, a.title, a.text):
            digest.update(part.encode("utf-8", "surrogatepass") + b"\x00")
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = now - clock
        clock = now

    def tick(done: int, total: int) -> None:
        if progress:
            progress("tokenize", done, total)

    table = build_token_table([a.text for a in articles], jobs=jobs, progress=tick)
    lap("tokenize")
    compiled = compile_lexicons(lexicons)
    found = match(compiled, table)
    lap("match")
    if progress:
        progress("score", 0, 1)
    n_tokens = table.n_tokens
    rate = rates(category_totals(compiled, found, table.n_docs), n_tokens)
    tf = tfidf(table)
    lap("tfidf")

    types = [a.source_type for a in articles]
    groups = [t for t in LABELLED_TYPES if t in set(types)]
    sim = loo_centroid_similarity(tf.matrix, types, groups)
    style_cols = [c for c in range(compiled.n_categories) if compiled.category_ref[c][0] == "style"]
    profile_cols = style_cols or list(range(compiled.n_categories))
    prof = profile_similarity(rate[:, profile_cols], types, groups)
    style = (sim + prof) / 2
    predicted = predict(style, groups)
    # An article with no content words resembles nothing; say so rather than guess.
    no_content = np.diff(tf.matrix.indptr) == 0
    predicted = ["undetermined" if empty else p for p, empty in zip(predicted, no_content)]

    columns = [compiled.column(c) for c in range(compiled.n_categories)]
    scores = pd.DataFrame(
        {
            "article_id": [a.id for a in articles],
            "title": [a.title for a in articles],
            "outlet": [a.outlet for a in articles],
            "source_type": types,
            "n_tokens": n_tokens,
            "n_sentences": table.n_sentences,
        }
    )
    scores = pd.concat(
        [
            scores,
            pd.DataFrame(rate, columns=columns),
            pd.DataFrame(sim, columns=[f"sim_{g}" for g in groups]),
            pd.DataFrame(style, columns=[f"style_{g}" for g in groups]),
        ],
        axis=1,
    )
    scores["predicted_source_type"] = predicted
    scores["top_terms"] = _top_terms(tf)
    ledger = _ledger(articles, table, compiled, found)
    scores["top_evidence"] = _top_evidence(compiled, found, table.n_docs)
    lap("score")

    labels = {compiled.column(c): compiled.category_ref[c] for c in range(compiled.n_categories)}
    summary = summarize(scores, columns, labels)
    terms = distinctive_terms(tf, types)
    similarity, type_similarity = _similarities(tf, scores)
    lap("compare")

    frames = [c for c in range(compiled.n_categories) if compiled.category_ref[c][0] == "frames"]
    shown = frames or list(range(compiled.n_categories))
    cat_label = {(lx.name, cat.id): cat.label for lx in lexicons for cat in lx.categories}
    dimensions = {compiled.column(c): cat_label[compiled.category_ref[c]] for c in shown}
    styles = {f"style_{g}": TYPE_LABELS[g] for g in groups}
    return AnalysisResult(
        scores=scores,
        summary=summary,
        terms=terms,
        matches=ledger,
        similarity=similarity,
        type_similarity=type_similarity,
        lexicons=list(lexicons),
        dimensions=dimensions,
        styles=styles,
        corpus_sha256=digest.hexdigest(),
        warnings=warnings,
        skipped=skipped,
        timings=timings,
        articles=articles,
    )


def _top_terms(tf: Tfidf) -> list[str]:
    out = []
    m = tf.matrix
    features = tf.features.tolist()
    for i in range(m.shape[0]):
        lo, hi = m.indptr[i], m.indptr[i + 1]
        cols, vals = m.indices[lo:hi], m.data[lo:hi]
        # Features are in alphabetical order, so ties fall back to the term.
        order = np.lexsort((cols, -vals))[:TOP_TERMS]
        out.append("; ".join(features[c] for c in cols[order]))
    return out


def _ledger(articles: list[Article], table: TokenTable, lex: CompiledLexicons, found: Matches) -> pd.DataFrame:
    """The evidence ledger: one row per counted match, ``text[start:end]`` is ``text``."""
    starts = table.starts[found.start] if len(found) else np.zeros(0, np.int64)
    ends = table.ends[found.end - 1] if len(found) else np.zeros(0, np.int64)
    texts = [articles[d].text for d in found.doc]
    matched = [t[s:e] for t, s, e in zip(texts, starts.tolist(), ends.tolist())]
    lex_names = np.asarray([r[0] for r in lex.category_ref], dtype=object)
    cat_ids = np.asarray([r[1] for r in lex.category_ref], dtype=object)
    term_text = np.asarray([t.text for t in lex.terms], dtype=object)
    return pd.DataFrame(
        {
            "article_id": np.asarray([a.id for a in articles], dtype=object)[found.doc],
            "sentence": table.sentence[found.start] if len(found) else np.zeros(0, np.int64),
            "start": starts,
            "end": ends,
            "text": matched,
            "lexicon": lex_names[found.category] if len(found) else [],
            "category": cat_ids[found.category] if len(found) else [],
            "term": term_text[found.term] if len(found) else [],
            "weight": found.weight,
        }
    )


def _top_evidence(lex: CompiledLexicons, found: Matches, n_docs: int) -> list[str]:
    """The most frequent matches per article: ``term ×count (lexicon.category)``.

    Counted on integer arrays: a term id already implies its category.
    """
    out = [""] * n_docs
    if len(found) == 0:
        return out
    n_terms = len(lex.terms)
    texts = [t.text for t in lex.terms]
    columns = [lex.column(int(c)) for c in lex.term_category]
    # Ties go to the alphabetically first term, then category.
    label_rank = np.empty(n_terms, dtype=np.int64)
    label_rank[sorted(range(n_terms), key=lambda i: (texts[i], columns[i]))] = np.arange(n_terms)
    keys, counts = np.unique(found.doc * n_terms + found.term, return_counts=True)
    doc, term = keys // n_terms, keys % n_terms
    order = np.lexsort((label_rank[term], -counts, doc))
    doc, term, counts = doc[order], term[order], counts[order]
    position = np.arange(len(doc)) - np.searchsorted(doc, doc, side="left")
    parts: list[list[str]] = [[] for _ in range(n_docs)]
    for d, t, n in zip(*(a[position < TOP_EVIDENCE].tolist() for a in (doc, term, counts))):
        parts[d].append(f"{texts[t]} ×{n} ({columns[t]})")
    return ["; ".join(p) for p in parts]


def _similarities(tf: Tfidf, scores: pd.DataFrame) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """Article x article cosine similarity (small corpora) and group means."""
    m = tf.matrix
    ids = scores["article_id"].tolist()
    types = scores["source_type"].to_numpy(dtype=object)
    article = None
    if m.shape[0] <= MAX_SIMILARITY_ARTICLES:
        article = pd.DataFrame((m @ m.T).toarray(), index=ids, columns=ids)
    present = [t for t in (*LABELLED_TYPES, "unknown") if t in set(types)]
    sums = {t: np.asarray(m[types == t].sum(axis=0)).ravel() for t in present}
    sq = np.asarray(m.multiply(m).sum(axis=1)).ravel()
    n = {t: int((types == t).sum()) for t in present}
    table = pd.DataFrame(index=present, columns=present, dtype=float)
    for a in present:
        for b in present:
            dot = float(sums[a] @ sums[b])
            if a == b:
                pairs = n[a] * (n[a] - 1)
                value = (dot - sq[types == a].sum()) / pairs if pairs else np.nan
            else:
                value = dot / (n[a] * n[b])
            table.loc[a, b] = value
    return article, table
