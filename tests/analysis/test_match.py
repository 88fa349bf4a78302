"""Known answers for the matcher, on tiny texts written here."""

import numpy as np
import pytest

from framing.analysis.match import category_totals, compile_lexicons, match
from framing.analysis.tokentable import build_token_table
from framing.lexicon import Category, Lexicon, Term, parse_term


def lexicon(**cats: list) -> Lexicon:
    categories = []
    for cid, terms in cats.items():
        made = []
        for t in terms:
            text, weight = (t if isinstance(t, tuple) else (t, 1.0))
            words, wild, problems = parse_term(text)
            assert not problems
            made.append(Term(text=text, words=words, wildcard=wild, weight=weight))
        categories.append(Category(id=cid, label=cid, description="", terms=tuple(made)))
    return Lexicon(name="t", categories=tuple(categories))


def run(texts, lex):
    table = build_token_table(texts)
    compiled = compile_lexicons([lex])
    found = match(compiled, table)
    rows = []
    for d, s, e, c, t in zip(found.doc, found.start, found.end, found.category, found.term):
        cs, ce = table.starts[s], table.ends[e - 1]
        rows.append((int(d), texts[d][cs:ce], compiled.category_ref[c][1], compiled.terms[t].text))
    return rows, category_totals(compiled, found, table.n_docs)


def test_exact_beats_wildcard_in_the_same_category():
    rows, _ = run(["Sanctions and sanctioned."], lexicon(a=["sanction*", "sanctions"]))
    assert rows == [(0, "Sanctions", "a", "sanctions"), (0, "sanctioned", "a", "sanction*")]


def test_wildcard_does_not_hide_exact_term_of_another_category():
    # The trap of a trie: "abc" must still count for b even though "a*" covers it for a.
    rows, _ = run(["abc"], lexicon(a=["a*"], b=["abc"]))
    assert sorted(rows) == [(0, "abc", "a", "a*"), (0, "abc", "b", "abc")]


def test_longer_prefix_wins():
    rows, _ = run(["sanctioning"], lexicon(a=["sanc*", "sanction*"]))
    assert rows == [(0, "sanctioning", "a", "sanction*")]


def test_phrase_beats_its_words_and_counts_once():
    text = "The special military operation continued; the operation was special."
    rows, totals = run([text], lexicon(a=["special military operation", "operation", "special"]))
    assert rows == [
        (0, "special military operation", "a", "special military operation"),
        (0, "operation", "a", "operation"),
        (0, "special", "a", "special"),
    ]
    assert totals[0, 0] == 3


def test_longer_phrase_beats_overlapping_shorter_phrase_then_leftmost():
    rows, _ = run(
        ["comprehensive strategic partnership", "a b c d"],
        lexicon(x=["strategic partnership", "comprehensive strategic partnership"], y=["b c", "a b", "c d"]),
    )
    assert (0, "comprehensive strategic partnership", "x", "comprehensive strategic partnership") in rows
    assert not any(r[3] == "strategic partnership" for r in rows)
    # "a b" (leftmost) wins over "b c"; then "c d" no longer overlaps it.
    assert [r[1] for r in rows if r[0] == 1] == ["a b", "c d"]


def test_phrase_with_wildcard_and_case_insensitive():
    rows, _ = run(["UNILATERAL Sanctions regimes"], lexicon(a=["unilateral sanction* regime*"]))
    assert rows == [(0, "UNILATERAL Sanctions regimes", "a", "unilateral sanction* regime*")]


def test_phrases_do_not_cross_articles_or_sentences():
    rows, _ = run(["It ended in peace.", "Talks went on."], lexicon(a=["peace talks"]))
    assert rows == []
    rows, _ = run(["They chose peace. Talks went on."], lexicon(a=["peace talks"]))
    assert rows == []


def test_terms_are_literal_not_regular_expressions():
    rows, _ = run(["a.b axb a b"], lexicon(a=["a.b"]))
    # "a.b" is the phrase "a b": it matches the text "a.b" and "a b", never "axb".
    assert [r[1] for r in rows] == ["a.b", "a b"]


def test_weights_add_up():
    _, totals = run(["war war peace"], lexicon(a=[("war", 2.0), ("peace", 0.5)]))
    assert totals[0, 0] == pytest.approx(4.5)


def test_words_outside_the_lexicon_never_raise_a_count():
    lex = lexicon(a=["war", "peace talks"])
    _, before = run(["war and peace talks"], lex)
    _, after = run(["war and many unrelated words peace talks here"], lex)
    assert np.array_equal(before, after)


def test_empty_articles():
    rows, totals = run(["", "war"], lexicon(a=["war"]))
    assert rows == [(1, "war", "a", "war")]
    assert totals.tolist() == [[0.0], [1.0]]


def test_wildcards_after_a_hyphen_or_apostrophe_at_the_start_and_inside():
    text = "Fair-minded people. You're framing anti-war sanctions; you've seen the fairness of kings."
    rows, totals = run([text], lexicon(fair=["fair-*"], you=["you'*"], ing=["*ing"], sanc=["sanc*ions"],
                                       anti=["*anti*"]))
    assert sorted((r[1], r[2]) for r in rows) == sorted([
        ("Fair-minded", "fair"), ("You're", "you"), ("you've", "you"), ("framing", "ing"),
        ("anti-war", "anti"), ("sanctions", "sanc"),
    ])
    assert totals[0].tolist() == [1, 2, 1, 1, 1]


def test_patterns_compete_by_literal_length_then_as_written():
    # "*tioning" (8 letters) beats "sanc*" (4) in one category; each counts once.
    rows, _ = run(["sanctioning"], lexicon(a=["sanc*", "*tioning"], b=["sanc*", "s*g"]))
    assert sorted(rows) == [(0, "sanctioning", "a", "*tioning"), (0, "sanctioning", "b", "sanc*")]


def test_a_pattern_inside_a_phrase():
    rows, _ = run(["The anti-western regime fell; the regime stood."], lexicon(a=["anti-* regime", "*ime"]))
    assert rows == [(0, "anti-western regime", "a", "anti-* regime"), (0, "regime", "a", "*ime")]


def test_signed_weights_subtract():
    _, totals = run(["good bad bad"], lexicon(tone=[("good", 1.5), ("bad", -0.5)]))
    assert totals[0, 0] == pytest.approx(0.5)


def run_liwc(texts, lex):
    table = build_token_table(texts)
    compiled = compile_lexicons([lex], counting="liwc")
    found = match(compiled, table)
    rows = sorted((int(d), compiled.category_ref[c][1], compiled.terms[t].text, float(w))
                  for d, c, t, w in zip(found.doc, found.category, found.term, found.weight))
    return rows, category_totals(compiled, found, table.n_docs)


def test_liwc_counting_gives_each_token_one_entry_exact_before_wildcard():
    # framing counts "sanctions" in both; LIWC gives it to the exact entry, so only in a.
    lex = lexicon(a=["sanctions"], b=["sanction*"], c=["sanctions", "war"])
    rows, totals = run_liwc(["Sanctions, sanctioned, war."], lex)
    assert rows == [(0, "a", "sanctions", 1.0), (0, "b", "sanction*", 1.0), (0, "c", "sanctions", 1.0),
                    (0, "c", "war", 1.0)]
    assert totals[0].tolist() == [1, 1, 2]
    _, framing_totals = run(["Sanctions, sanctioned, war."], lex)
    assert framing_totals[0].tolist() == [1, 2, 2]


def test_liwc_counting_phrases_use_up_their_words_and_weigh_their_length():
    lex = lexicon(a=["trade war"], b=["war"], c=["trade*"])
    rows, totals = run_liwc(["A trade war. War."], lex)
    assert rows == [(0, "a", "trade war", 2.0), (0, "b", "war", 1.0)]
    assert totals[0].tolist() == [2, 1, 0]


def test_liwc_counting_reads_phrases_left_to_right():
    # "a b" starts first and uses up "b", so the longer "b c d" cannot start there.
    rows, _ = run_liwc(["a b c d"], lexicon(x=["a b"], y=["b c d"], z=["c", "d"]))
    assert rows == [(0, "x", "a b", 2.0), (0, "z", "c", 1.0), (0, "z", "d", 1.0)]


def test_liwc_counting_unknown_mode_is_refused():
    with pytest.raises(Exception, match="counting must be one of framing, liwc"):
        compile_lexicons([lexicon(a=["x"])], counting="liwc2015")


def test_patterns_of_one_length_prefer_a_plain_prefix_then_the_first_in_alphabetical_order():
    # "sanction*", "sanc*ions" and "*anctions" all have 8 letters besides their wildcards.
    rows, _ = run(["sanctions"], lexicon(a=["sanc*ions", "sanction*"], b=["sanc*ions", "*anctions"]))
    assert sorted(rows) == [(0, "sanctions", "a", "sanction*"), (0, "sanctions", "b", "*anctions")]
