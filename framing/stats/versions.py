"""The versions of one story side by side: what only each says, and each one's own words.

``only_sentences``: a sentence of one version has a counterpart when some
sentence of another version of the story is close to it (cosine of their
TF-IDF vectors over the story's sentences at least ``COUNTERPART``); the
sentences without one are what only this version says: the facts, quotes
and context it chose to include (informational selection). How far this
catches the informational bias that BASIL's annotators marked is measured
in docs/validation.md (bench/stories.py): read it as a reading aid, not a
detector.

``own_words``: each version's characteristic words within its story (its
term frequencies against the other versions'), descriptive, for stories
whose groups are too small for ranked distinctive terms.

Pure: texts in, numbers out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..analysis.features import is_content_word
from ..sentences import sentence_starts
from ..tokenize import split_words

__all__ = ["COUNTERPART", "OWN_WORDS", "Sentences", "only_sentences", "own_words", "sentences_of"]

COUNTERPART = 0.1  # cosine of two sentences' TF-IDF vectors from which one is the other's counterpart
OWN_WORDS = 8  # words listed per version


@dataclass
class Sentences:
    """One version's sentences: their character spans and each one's best cosine with another version's sentences."""

    starts: np.ndarray
    ends: np.ndarray
    best: np.ndarray  # per sentence: its highest cosine with a sentence of another version (0: none shares a word)
    has_words: np.ndarray  # bool: the sentence has a content word (a sentence without one is never "only")

    def only(self, counterpart: float = COUNTERPART) -> np.ndarray:
        """Indices of the sentences without a counterpart in the other versions."""
        return np.flatnonzero(self.has_words & (self.best < counterpart))


def sentences_of(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Character spans of ``text``'s sentences (``framing.sentences``), trailing spaces trimmed."""
    starts = np.asarray(sentence_starts(text), dtype=np.int64)
    if not len(starts) or starts[0] != 0:
        starts = np.concatenate(([0], starts)).astype(np.int64)
    ends = np.concatenate((starts[1:], [len(text)])).astype(np.int64)
    ends = np.asarray([s + len(text[s:e].rstrip()) for s, e in zip(starts.tolist(), ends.tolist())], dtype=np.int64)
    keep = ends > starts
    return starts[keep], ends[keep]


def only_sentences(texts: Sequence[str]) -> list[Sentences]:
    """Each version's sentences and how close each comes to a sentence of another version of the story.

    ``texts``: the story's versions. TF-IDF over the story's sentences
    (each sentence a document; content words as in the report's TF-IDF), so
    a word every version uses ("communique", the names) weighs less than
    a detail one version alone gives.
    """
    spans = [sentences_of(t) for t in texts]
    bags: list[dict[str, int]] = []
    owner: list[int] = []
    for v, (text, (starts, ends)) in enumerate(zip(texts, spans)):
        for s, e in zip(starts.tolist(), ends.tolist()):
            bag: dict[str, int] = {}
            for w in split_words(text[s:e]):
                if is_content_word(w):
                    bag[w] = bag.get(w, 0) + 1
            bags.append(bag)
            owner.append(v)
    vocab = sorted({w for b in bags for w in b})
    col = {w: i for i, w in enumerate(vocab)}
    rows, cols, vals = [], [], []
    for r, b in enumerate(bags):
        for w, c in b.items():
            rows.append(r)
            cols.append(col[w])
            vals.append(float(c))
    m = sp.csr_matrix((vals, (rows, cols)), shape=(len(bags), len(vocab)))
    df = np.bincount(m.indices, minlength=len(vocab))
    m.data *= (np.log((1.0 + len(bags)) / (1.0 + df)) + 1.0)[m.indices]
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    m = sp.diags(np.where(norms > 0, 1.0 / np.where(norms > 0, norms, 1.0), 0.0)) @ m
    owner_a = np.asarray(owner, dtype=np.int64)
    sim = (m @ m.T).toarray() if len(bags) else np.zeros((0, 0))
    out: list[Sentences] = []
    for v, (starts, ends) in enumerate(spans):
        mine = np.flatnonzero(owner_a == v)
        others = owner_a != v
        best = sim[np.ix_(mine, np.flatnonzero(others))].max(axis=1) if others.any() and len(mine) else \
            np.zeros(len(mine))
        out.append(Sentences(starts, ends, best, norms[mine] > 0))
    return out


def own_words(texts: Sequence[str], k: int = OWN_WORDS) -> list[list[str]]:
    """Each version's ``k`` most characteristic content words within the story (descriptive).

    A word's score in a version: its share of the version's content words
    minus its share in the other versions together, for words the version
    uses at least twice; ties by the word. A story of one version has
    none.
    """
    counts = []
    for t in texts:
        c: dict[str, int] = {}
        for w in split_words(t):
            if is_content_word(w):
                c[w] = c.get(w, 0) + 1
        counts.append(c)
    out = []
    for v, mine in enumerate(counts):
        rest: dict[str, int] = {}
        for u, other in enumerate(counts):
            if u != v:
                for w, c in other.items():
                    rest[w] = rest.get(w, 0) + c
        if not rest or not mine:
            out.append([])
            continue
        n_mine, n_rest = sum(mine.values()), sum(rest.values())
        scored = sorted(((mine[w] / n_mine - rest.get(w, 0) / n_rest, w) for w in mine if mine[w] >= 2),
                        key=lambda p: (-p[0], p[1]))
        out.append([w for score, w in scored[:k] if score > 0])
    return out
