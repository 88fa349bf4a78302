"""Quoted speech: own voice and quotes counted apart, on sentences written here."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import Article, analyze_corpus
from framing.analysis.quotes import quote_spans, quoted_tokens
from framing.analysis.tokentable import build_token_table
from framing.lexicon import Category, Lexicon, Term, parse_term
from framing.sentences import sentence_starts


def spans(text):
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    s, e = quote_spans(text, cps, sentence_starts(text))
    return sorted(text[a:b] for a, b in zip(s.tolist(), e.tolist()))


def test_curly_and_straight_quotes_within_a_paragraph():
    assert spans('He said “we will win” and left. “Never,” she replied.') == ["“Never,”", "“we will win”"]
    assert spans('A "straight" quote and "another one" here.') == ['"another one"', '"straight"']


def test_a_quote_over_several_paragraphs_and_a_stray_mark():
    text = "“This is the first paragraph of a long quote.\n\n“And this is the second,” he said.\nA stray \" here\nNext."
    assert spans(text) == ['" here', "“And this is the second,”", "“This is the first paragraph of a long quote."]


def test_attributed_clauses_without_quote_marks():
    text = ("The plan will fail, Smith said. The deal is dead, the ministry said in a statement. "
            "Prices rose, officials said. Talks went on, said Jane Doe. He left, and said nothing.")
    assert spans(text) == ["Prices rose", "Talks went on", "The deal is dead", "The plan will fail"]


def test_apostrophes_and_unattributed_opinion_are_not_quotes():
    assert spans("China's 'core interests' matter. I think the plan will fail, frankly.") == []


@given(st.lists(st.text(alphabet=st.sampled_from(list('ab “”",. \nSaid')), max_size=40), min_size=1, max_size=4))
@settings(max_examples=200, deadline=None)
def test_articles_in_a_chunk_are_read_as_if_alone(texts):
    together = quoted_tokens("\n".join(texts), build_token_table(texts))
    alone = np.concatenate([quoted_tokens(t, build_token_table([t])) for t in texts])
    assert together.tolist() == alone.tolist()


def test_rates_in_own_voice_and_in_quotes():
    war = Term(text="war", words=parse_term("war")[0], wildcard=parse_term("war")[1])
    lex = Lexicon(name="f", categories=(Category(id="war", label="War", description="", terms=(war,)),))
    text = "Officials warned of war. “War is near,” he said."
    result = analyze_corpus([Article(id="a", text=text, source_type="wire")], [lex])
    row = result.scores.iloc[0]
    # tokens: officials warned of war | war is near | he said  -> 9 tokens, 3 quoted
    assert row.n_tokens == 9 and row.quoted_share == pytest.approx(3 / 9)
    assert row["f.war"] == pytest.approx(1000 * 2 / 9)
    assert row["f.war.own"] == pytest.approx(1000 * 1 / 6) and row["f.war.quoted"] == pytest.approx(1000 * 1 / 3)
    assert result.matches.quoted.tolist() == [0, 1]
    summary = result.summary.iloc[0]
    assert summary.mean_own == pytest.approx(1000 / 6, abs=1e-6) and summary.n_articles_quoted == 1
