"""A chunk's token table equals tokenizing each text on its own, for any text."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.analysis import tokentable
from framing.analysis.tokentable import build_token_table
from framing.sentences import sentence_starts
from framing.tokenize import normalize, tokenize

TEXTS = st.lists(st.text(alphabet=st.sampled_from(list("abAB -'’.\n1é İß")), max_size=60), min_size=1, max_size=5)


def reference(texts):
    return [tokenize(t) for t in texts]


def check(texts, table):
    ref = reference(texts)
    assert table.n_docs == len(texts)
    for d, tok in enumerate(ref):
        lo, hi = table.doc_offsets[d], table.doc_offsets[d + 1]
        assert [table.vocab[i] for i in table.ids[lo:hi]] == tok.words
        assert table.starts[lo:hi].tolist() == tok.starts.tolist()
        assert table.ends[lo:hi].tolist() == tok.ends.tolist()
        for w, s, e in zip(tok.words, tok.starts, tok.ends):
            assert normalize(texts[d][s:e]) == w
    assert len(set(table.vocab)) == table.n_vocab == len(set(table.keys.tolist()))
    # entries are numbered in order of first appearance
    assert list(dict.fromkeys(table.ids.tolist())) == list(range(table.n_vocab))
    for d, tok in enumerate(ref):  # sentences, per token and per article, as the splitter says
        lo, hi = table.doc_offsets[d], table.doc_offsets[d + 1]
        starts = sentence_starts(texts[d])
        per_token = np.maximum(np.searchsorted(starts, tok.starts, side="right") - 1, 0)
        assert table.sentence[lo:hi].tolist() == per_token.tolist()
        assert table.n_sentences[d] == len(set(per_token.tolist()))


@given(TEXTS)
@settings(max_examples=300, deadline=None)
def test_table_matches_per_text_tokenizer(texts):
    check(texts, build_token_table(texts))


def test_hash_collision_falls_back_to_exact_words(monkeypatch):
    calls = []

    def colliding(cps, starts, ends, bases):
        calls.append(bases)
        # Every word gets the same first hash; the second hash tells them apart.
        return [np.zeros(len(starts), dtype=np.uint64), np.arange(len(starts), dtype=np.uint64)]

    monkeypatch.setattr(tokentable, "_span_hashes", colliding)
    texts = ["War and peace, war again.", "Peace talks"]
    check(texts, build_token_table(texts))
    assert calls


def test_words_longer_than_the_hashed_length_are_told_apart_by_their_text():
    long_a = "a" * (tokentable.MAX_HASHED + 5)
    long_b = "a" * (tokentable.MAX_HASHED + 4) + "b"
    texts = [f"{long_a} x {long_b}", f"{long_b} {long_a} {long_a[:-1]}", "x " + "z" * tokentable.MAX_HASHED]
    table = build_token_table(texts)
    check(texts, table)
    assert len(set(table.vocab)) == 5
