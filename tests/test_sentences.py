"""framing.tokenize.sentence_starts equals nltk's untrained Punkt, start for start."""

from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.tokenize.punkt import PunktSentenceTokenizer

from framing.punkt import sentence_starts

PUNKT = PunktSentenceTokenizer()


def expected(text):
    return [s for s, _ in PUNKT.span_tokenize(text)] or [0]


SAMPLES = [
    "Mr. Smith went to Washington. He said: \"No.\" Then he left! Did he? Yes.",
    "The U.S. and China met on Jan. 5. Talks ended at 5 p.m. Officials said so.",
    "(It worked.) It did... maybe. J. R. R. Tolkien wrote it. 2020. was a year.",
    "Trade rose 12.5%. Exports fell. “We agree,” he said. ‘Yes.’ Next?!  Done",
    "Line one.\nLine two\n\nParagraph. a lowercase start. Another one.\tTabbed.",
    "A win-win deal. Co-operation grew. U.S.-led talks. e.g. this.  Trailing.   ",
    "Sentence.\u00a0Non-breaking space. Ünïcode wörds. Ωmega. 北京. Done!",
    "No break here",
    "",
    "...",
    ". . . ?! \" ' )",
]


def test_samples():
    for text in SAMPLES:
        assert sentence_starts(text).tolist() == expected(text), text


@given(st.text(alphabet=st.sampled_from(list("ab AB.?!\"')(\n\t12,:;-“”’\u00a0é")), max_size=120))
@settings(max_examples=1000, deadline=None)
def test_punctuation_soup(text):
    assert sentence_starts(text).tolist() == expected(text)


@given(st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_any_text(text):
    assert sentence_starts(text).tolist() == expected(text)
