"""framing.sentences: the rules on small hand-written texts, and the contract on any text."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.sentences import (
    STARTER_WORDS,
    abbreviations,
    sentence_starts,
    sentence_starts_many,
)


def split(text: str) -> list[str]:
    """The sentences of ``text``, each stripped, as sentence_starts cuts it."""
    starts = sentence_starts(text).tolist()
    return [text[a:b].strip() for a, b in zip(starts, starts[1:] + [len(text)])]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Mr. Smith went to Washington. He said no.", ["Mr. Smith went to Washington.", "He said no."]),
        ("Sen. Warren and Rep. Jordan spoke. Then they left.", ["Sen. Warren and Rep. Jordan spoke.", "Then they left."]),
        ("Mrs. Clinton met Dr. Lee and Gov. Brown.", ["Mrs. Clinton met Dr. Lee and Gov. Brown."]),
        ("They live in St. Louis now. It is big.", ["They live in St. Louis now.", "It is big."]),
        ("U.S. officials met on Jan. 5. They agreed.", ["U.S. officials met on Jan. 5.", "They agreed."]),
        ("He lives in the U.S. The next day he left.", ["He lives in the U.S.", "The next day he left."]),
        ("It ended at 5 p.m. Officials said so.", ["It ended at 5 p.m. Officials said so."]),
        ("It ended at 5 p.m. The crowd left.", ["It ended at 5 p.m.", "The crowd left."]),
        ("He is the No. 2 Democrat. No. He is not.", ["He is the No. 2 Democrat.", "No.", "He is not."]),
        ("It was signed in Sept. 2001 by the city.", ["It was signed in Sept. 2001 by the city."]),
        ("It came in Sept. The next month it went.", ["It came in Sept.", "The next month it went."]),
        ('He said "No." Then he left.', ['He said "No."', "Then he left."]),
        ("He said \u201cNo.\u201d Then he left.", ["He said \u201cNo.\u201d", "Then he left."]),
        ("She said \u2018yes.\u2019 He nodded.", ["She said \u2018yes.\u2019", "He nodded."]),
        ('"Why?" he asked. It rained.', ['"Why?" he asked.', "It rained."]),
        ('"Why not?" Smith asked. It rained.', ['"Why not?" Smith asked.', "It rained."]),
        ('"Why not?" He left.', ['"Why not?"', "He left."]),
        ("Really? Yes! Are you sure?! Of course.", ["Really?", "Yes!", "Are you sure?!", "Of course."]),
        ("Wait... What happened? Nothing.", ["Wait...", "What happened?", "Nothing."]),
        ("He is here \u2026 I think. It is late.", ["He is here \u2026 I think.", "It is late."]),
        ("It is late. ... We must go.", ["It is late.", "... We must go."]),
        ("Prices rose 3.5 percent. Then they fell 0.2.", ["Prices rose 3.5 percent.", "Then they fell 0.2."]),
        ("J. K. Rowling wrote it. George W. Bush read it.", ["J. K. Rowling wrote it.", "George W. Bush read it."]),
        ("The case was Roe v. Wade. It was big.", ["The case was Roe v. Wade.", "It was big."]),
        ("It was Mr. Mueller\u2019s. Driven by greed, they went.", ["It was Mr. Mueller\u2019s.", "Driven by greed, they went."]),
        ("He spoke (briefly.) Then he sat.", ["He spoke (briefly.)", "Then he sat."]),
        ("See example.com for more. U.S.-led talks.", ["See example.com for more.", "U.S.-led talks."]),
        ("It grew. 2020 was a good year.", ["It grew.", "2020 was a good year."]),
        ("it grew. then it fell.", ["it grew. then it fell."]),
        ("He said so, etc. The end.", ["He said so, etc.", "The end."]),
        ("Kansas City, Mo. The vote was held.", ["Kansas City, Mo.", "The vote was held."]),
        ("Then Ariz. Gov. Jan Brewer spoke.", ["Then Ariz. Gov. Jan Brewer spoke."]),
    ],
)
def test_rules(text: str, sentences: list[str]) -> None:
    assert split(text) == sentences


def test_paragraph_breaks_always_end_a_sentence() -> None:
    assert split("A headline without a period\n\nThe story begins. and goes on\n\nlower case too") == [
        "A headline without a period", "The story begins. and goes on", "lower case too"]
    assert split("Mr.\n\nSmith") == ["Mr.", "Smith"]
    assert split("one\r\n\r\ntwo\u2029three") == ["one", "two", "three"]
    assert split("one\n \t \ntwo") == ["one", "two"]


def test_single_line_breaks() -> None:
    # A line that opens like a sentence starts one (headlines, bylines) ...
    assert split("Headline Here\nBy A Reporter\nThe story.") == ["Headline Here", "By A Reporter", "The story."]
    # ... a hard-wrapped line that goes on in lower case does not, and "\r\n" is one break.
    assert split("a long line that\r\nwraps here. The end.") == ["a long line that\r\nwraps here.", "The end."]


def test_leading_whitespace_and_starts_at_non_space() -> None:
    text = "  \n Hello there. Bye.  \n\n  "
    starts = sentence_starts(text).tolist()
    assert starts == [4, 17]
    assert all(not text[s].isspace() for s in starts)


@pytest.mark.parametrize("text", ["", " ", "\n\n", " \t\r\n\u2029\u00a0 "])
def test_no_sentence_is_zero(text: str) -> None:
    starts = sentence_starts(text)
    assert starts.dtype == np.int64
    assert starts.tolist() == [0]


def test_articles_joined_with_line_breaks() -> None:
    # How the engine calls it: many articles in one text, original case.
    article = "Mr. Smith met Sen. Jones on Jan. 5. They agreed. \u201cGood,\u201d he said."
    text = "\n".join([article] * 1000)
    starts = sentence_starts(text)
    assert len(starts) == 3 * 1000
    assert starts[:3].tolist() == [0, 36, 49]


def test_abbreviation_list_loads() -> None:
    table = abbreviations()
    assert set(table) == {"title", "number", "ambiguous"}
    assert {"Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov"} <= set(table["title"])
    assert {"No", "Jan", "Sept"} <= set(table["number"])
    assert "The" in STARTER_WORDS


def check_contract(text: str) -> None:
    starts = sentence_starts(text)
    assert isinstance(starts, np.ndarray) and starts.dtype == np.int64 and starts.ndim == 1
    assert len(starts) >= 1
    assert starts[0] >= 0
    assert np.all(np.diff(starts) > 0)
    assert np.all(starts < max(len(text), 1))
    if starts.tolist() != [0] or text[:1].strip():
        assert all(not text[s].isspace() for s in starts.tolist())
    if text.strip():
        assert starts[0] == len(text) - len(text.lstrip())


SOUP = list("ab AB Mr U.S. J.?!\"')(][\n\r\t12,:;-\u201c\u201d\u2018\u2019\u2026\u2029\u00a0\u00e9\u00c9")


@given(st.text(alphabet=st.sampled_from(SOUP), max_size=200))
@settings(max_examples=2000, deadline=None)
def test_contract_on_punctuation_soup(text: str) -> None:
    check_contract(text)


@given(st.text(max_size=200))
@settings(max_examples=1000, deadline=None)
def test_contract_on_any_text(text: str) -> None:
    check_contract(text)


@given(st.lists(st.sampled_from(["Mr.", "U.S.", "Jan.", "5.", "etc.", "\u2026", "...", "?!", "\u201d", ")",
                                 " ", "\n", "\n\n", "The", "he", "\ud800", "\x00", "\x1c"]), max_size=60))
@settings(max_examples=1000, deadline=None)
def test_contract_on_token_soup(parts: list[str]) -> None:
    check_contract("".join(parts))


@pytest.mark.parametrize("unit", ["a.", ".", "a. ", "A. ", "U.S. ", "Mr. X ", "?\"", ".)", "\n", "\r\n", " \n", "\u2026 "])
def test_pathological_two_megabytes(unit: str) -> None:
    # Linear time: these would take minutes with a backtracking blow-up; here
    # each finishes in well under a second (not asserted: machines differ).
    text = unit * (2_000_000 // len(unit))
    check_contract(text[:1000])
    starts = sentence_starts(text)
    assert np.all(np.diff(starts) > 0)


def test_long_runs_do_not_backtrack() -> None:
    for text in (
        "." * 1_000_000 + " A",
        "x." + " " * 1_000_000 + "a",
        "x." + "\u201d" * 1_000_000 + " A",
        ("\n" + " " * 1000) * 1000 + "a",
        "x" * 1_000_000 + ". A",
    ):
        check_contract(text)


@given(st.lists(st.text(alphabet=st.sampled_from(list("ab AB.?!\"')(\n\t12,:;-“”’…\u2029é")), max_size=80), max_size=6))
@settings(max_examples=1500, deadline=None)
def test_splitting_many_texts_at_once_equals_splitting_each(texts):
    together = sentence_starts_many(texts)
    assert [s.tolist() for s in together] == [sentence_starts(t).tolist() for t in texts]


@given(st.lists(st.text(max_size=60), max_size=5))
@settings(max_examples=500, deadline=None)
def test_splitting_many_arbitrary_texts_at_once_equals_splitting_each(texts):
    together = sentence_starts_many(texts)
    assert [s.tolist() for s in together] == [sentence_starts(t).tolist() for t in texts]
