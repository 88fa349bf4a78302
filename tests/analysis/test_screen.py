"""The word screen: a word it lets pass may match, a word it stops matches nothing (same resolution as without it)."""

import dataclasses
import random

import numpy as np

from framing.analysis.match import WordResolver, compile_lexicons
from framing.analysis.tokentable import build_token_table
from framing.lexicon import Category, Lexicon, Negation, Term, load_lexicons, parse_term


def lexicon(negation: Negation | None = None, **cats: list[str]) -> Lexicon:
    categories = []
    for cid, terms in cats.items():
        made = []
        for text in terms:
            words, wild, problems = parse_term(text)
            assert not problems
            made.append(Term(text=text, words=words, wildcard=wild, weight=1.0))
        category = Category(id=cid, label=cid, description="", terms=tuple(made))
        categories.append(dataclasses.replace(category, negation=negation) if negation else category)
    return Lexicon(name="t", categories=tuple(categories))


def resolutions(lex, texts, screened: bool) -> dict[str, np.ndarray]:
    """Every array the resolver keeps per word, after resolving these texts' words in one chunk."""
    resolver = WordResolver(lex)
    if not screened:
        resolver.screen.every = True  # every word looked up in full: the reference
    resolver.ids(build_token_table(texts))
    return {name: getattr(resolver, name).view.copy() for name in
            ("single_start", "single_len", "single_cat", "single_term", "slot_start", "slot_len", "slot", "content",
             "cue")}


def words_near(terms: list[str], rng: random.Random, n: int) -> list[str]:
    """Words that start, end or nearly spell the terms' words, and words unrelated to them."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    pool = [w.replace("*", "") for t in terms for w in t.split()]
    out = []
    for _ in range(n):
        w = rng.choice(pool) if pool else "x"
        kind = rng.randrange(5)
        if kind == 0:
            w = w + "".join(rng.choices(letters, k=rng.randrange(1, 4)))
        elif kind == 1:
            w = "".join(rng.choices(letters, k=rng.randrange(1, 4))) + w
        elif kind == 2 and len(w) > 1:
            w = w[: rng.randrange(1, len(w))]
        elif kind == 3:
            w = "".join(rng.choices(letters, k=rng.randrange(1, 12)))
        out.append(w)
    return out


def test_the_screen_changes_no_resolution_of_patterns_phrases_and_cues():
    lex = compile_lexicons([lexicon(
        negation=Negation(cues=("not", "never*", "n't", "no*"), window=3),
        econ=["sanction*", "trade", "tariff wars", "eco*omy", "*flation", "re-*", "a*"],
        war=["*ing", "missile strike*", "s*", "attack"],
    )])
    rng = random.Random(7)
    terms = ["sanction*", "trade", "tariff wars", "eco*omy", "*flation", "re-*", "missile strike*", "attack", "never",
             "didn't", "inflation", "economy"]
    texts = [" ".join(words_near(terms, rng, 200)) + " didn't won't nothing never." for _ in range(5)]
    words = build_token_table(texts).vocab
    assert not all(WordResolver(lex).screen.passes(list(words)))  # some words are screened out: a real comparison
    assert all(np.array_equal(a, b) for a, b in zip(resolutions(lex, texts, True).values(),
                                                    resolutions(lex, texts, False).values()))


def test_the_screen_changes_no_resolution_of_the_built_in_lexicons():
    lex = compile_lexicons(load_lexicons(["frames", "style", "labels", "news_frames"]))
    terms = [t.text for lexicon_ in lex.lexicons for c in lexicon_.categories for t in c.terms]
    rng = random.Random(11)
    texts = [" ".join(words_near(terms, rng, 2000)) for _ in range(4)]
    screened, reference = resolutions(lex, texts, True), resolutions(lex, texts, False)
    assert all(np.array_equal(screened[k], reference[k]) for k in reference)
    assert reference["single_len"].sum() > 100  # the words do match terms: the test compares something


def test_the_screen_stops_most_words_that_match_nothing():
    lex = compile_lexicons([lexicon(econ=["sanction*", "trade"], war=["attack*"])])
    resolver = WordResolver(lex)
    passes = resolver.screen.passes(["sanctions", "trade", "attacker", "bread", "zebra", "sanctimony", "trades"])
    assert passes == [True, True, True, False, False, False, False]


def test_a_pattern_with_no_literal_head_or_tail_lets_every_word_through():
    lex = compile_lexicons([lexicon(odd=["*anti*"])])
    assert WordResolver(lex).screen.passes(["bread", "pantie"]) == [True, True]
