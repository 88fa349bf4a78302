"""TF-IDF features: the stop words framing ships are scikit-learn's, and what makes a content word."""

from framing.analysis.features import is_content_word, stop_words


def test_the_shipped_stop_words_are_scikit_learns():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    assert stop_words() == frozenset(ENGLISH_STOP_WORDS)


def test_content_words_have_two_characters_a_letter_and_are_no_stop_word():
    assert is_content_word("sanctions") and is_content_word("g7") and is_content_word("eu")
    assert not is_content_word("us")  # a stop word ("us", not "US": tokens are lower-cased)
    assert not is_content_word("the") and not is_content_word("a") and not is_content_word("1990")
