"""A growing vocabulary whose words are found by 128-bit keys, without a Python string per look-up.

A chunk names its words by two 64-bit hashes of their code points (see
``tokentable``). Most words of a chunk were met in earlier chunks, so looking
their keys up in sorted arrays (numpy, for the whole chunk at once) finds
their ids without making their strings; only the words not found are made
into strings, and those decide: a word's id is the one its text has in
``index``. The keys only speed the look-up, so a key shared by two words (or
a word met under two keys) still gives the right id; only two different
words with both hashes equal would be merged, as within a chunk.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["Vocabulary"]


class _SortedKeys:
    """``(k1, k2) -> id`` for many keys: a big sorted array and a small one, merged when it grows.

    Inserting into one sorted array would copy it for every chunk; with the
    small array taking the new keys until it holds an eighth of the big
    one, each key is copied a bounded number of times.
    """

    def __init__(self) -> None:
        empty = np.zeros(0, dtype=np.uint64)
        self.parts = [(empty, empty, np.zeros(0, dtype=np.int64)), (empty, empty, np.zeros(0, dtype=np.int64))]

    def find(self, k1: np.ndarray, k2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each key: its id (or -1), and whether ``k1`` alone is taken (by this or another word)."""
        # Looked up in key order: searchsorted then walks the table forwards
        # (several times faster than in random order), and sorting the keys
        # (a radix sort) costs less than it saves.
        order = np.argsort(k1, kind="stable")
        q1, q2 = k1[order], k2[order]
        found = np.full(len(k1), -1, dtype=np.int64)
        hit_any = np.zeros(len(k1), dtype=bool)
        for keys, checks, values in self.parts:
            if len(keys) == 0:
                continue
            at = np.minimum(np.searchsorted(keys, q1), len(keys) - 1)
            hit = keys[at] == q1
            same = hit & (checks[at] == q2)
            found[same] = values[at[same]]
            hit_any |= hit
        ids = np.empty_like(found)
        ids[order] = found
        taken = np.empty_like(hit_any)
        taken[order] = hit_any
        return ids, taken

    def add(self, k1: np.ndarray, k2: np.ndarray, ids: np.ndarray) -> None:
        """Add keys whose ``k1`` is not taken yet (the caller checks with ``find``)."""
        k1, first = np.unique(k1, return_index=True)  # one entry per k1, the first given
        k2, ids = k2[first], ids[first]
        (bk, bc, bv), (sk, sc, sv) = self.parts
        keys, checks, values = np.concatenate([sk, k1]), np.concatenate([sc, k2]), np.concatenate([sv, ids])
        if len(keys) * 8 > len(bk):
            keys, checks, values = np.concatenate([bk, keys]), np.concatenate([bc, checks]), np.concatenate([bv, values])
            order = np.argsort(keys, kind="stable")
            empty = np.zeros(0, dtype=np.uint64)
            self.parts = [(keys[order], checks[order], values[order]), (empty, empty, np.zeros(0, dtype=np.int64))]
        else:
            order = np.argsort(keys, kind="stable")
            self.parts[1] = (keys[order], checks[order], values[order])


class Vocabulary:
    """Words by id (in the order they were first met), found by text or by key."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self.index: dict[str, int] = {}
        self._keys = _SortedKeys()

    def __len__(self) -> int:
        return len(self.words)

    def ids(
        self, k1: np.ndarray, k2: np.ndarray, words_of: Callable[[np.ndarray], list[str]]
    ) -> tuple[np.ndarray, list[str]]:
        """The ids of the words with keys ``(k1[i], k2[i])``, adding the words not met before.

        ``words_of(positions)`` gives the texts of the words at those
        positions; it is called once, for the keys not found. Returns the ids
        and the new words (their ids follow on from the previous size, in
        this order).
        """
        ids, taken = self._keys.find(k1, k2)
        miss = np.flatnonzero(ids < 0)
        new: list[str] = []
        if len(miss) == 0:
            return ids, new
        index, words = self.index, self.words
        found = np.empty(len(miss), dtype=np.int64)
        for j, word in enumerate(words_of(miss)):
            i = index.get(word)
            if i is None:
                i = index[word] = len(words)
                words.append(word)
                new.append(word)
            found[j] = i
        ids[miss] = found
        free = ~taken[miss]
        if free.any():
            self._keys.add(k1[miss[free]], k2[miss[free]], found[free])
        return ids, new
