from hypothesis import given, settings
from hypothesis import strategies as st

from framing.tokenize import normalize, sentence_starts, split_words, tokenize


def test_words_keep_hyphens_and_apostrophes_and_are_lower_case():
    t = tokenize("China’s WIN-WIN deal: Li's 3-point plan -- done.")
    assert t.words == ["china's", "win-win", "deal", "li's", "3-point", "plan", "done"]


def test_offsets_point_at_the_token_in_the_original_text():
    text = "Der Kreml sagte: «Ni hao», İstanbul’s mayor — 北京 talks."
    t = tokenize(text)
    assert t.words  # non-empty
    for w, s, e in zip(t.words, t.starts, t.ends):
        assert normalize(text[s:e]) == w


@given(st.text(max_size=300))
@settings(max_examples=300)
def test_offsets_property(text):
    t = tokenize(text)
    assert len(t.words) == len(t.starts) == len(t.ends)
    for w, s, e in zip(t.words, t.starts, t.ends):
        assert normalize(text[s:e]) == w
    assert t.words == split_words(text)


def test_empty_text_has_no_tokens():
    assert len(tokenize("")) == 0
    assert len(tokenize(" ,.;  ")) == 0


def test_sentence_starts():
    starts = sentence_starts("One here. Two here. Three.")
    assert starts.tolist() == [0, 10, 20]
