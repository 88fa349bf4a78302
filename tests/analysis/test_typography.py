"""Typography rates: known counts per 1,000 tokens, masked spans left out, the same for any chunking."""

import numpy as np
import pytest

from framing.analysis.mask import text_spans
from framing.analysis.typography import NAMES, typography_rates


def column(name):
    return NAMES.index(name)


def test_known_counts_per_thousand_tokens():
    texts = ["One, two; three \u2014 four?", "He said \u201cno\u201d.\nThen: (maybe) 5%!"]
    rates = typography_rates(texts, np.array([4, 6]), np.array([1, 2])).astype(float)
    assert rates.dtype == np.float64 and rates.shape == (2, len(NAMES))
    first, second = rates
    assert first[column("comma")] == 250 and first[column("semicolon")] == 250
    assert first[column("em_dash")] == 250 and first[column("question_mark")] == 250
    assert first[column("upper_case_letters")] == 250  # "O"
    assert first[column("words_per_sentence")] == 4
    # The line break that joins the two articles counts in neither; the one inside the second does.
    assert first[column("line_break")] == 0
    assert second[column("line_break")] == pytest.approx(1000 / 6, rel=1e-3)
    assert second[column("curly_double_quote_open")] == second[column("curly_double_quote_close")]
    assert second[column("straight_double_quote")] == 0
    assert second[column("parenthesis_open")] == second[column("parenthesis_close")] > 0
    assert second[column("percent_sign")] > 0 and second[column("exclamation_mark")] > 0
    assert second[column("words_per_sentence")] == 3


def test_masked_spans_are_not_counted():
    text = "WASHINGTON (Reuters) - The talks went on, officials said."
    spans = text_spans(text)
    assert spans, "the dateline is a masked span"
    masked = typography_rates([text], np.array([9]), np.array([1]), spans).astype(float)[0]
    plain = typography_rates([text], np.array([9]), np.array([1])).astype(float)[0]
    assert plain[column("parenthesis_open")] > 0 and masked[column("parenthesis_open")] == 0
    assert plain[column("hyphen")] > 0 and masked[column("hyphen")] == 0
    assert masked[column("comma")] == plain[column("comma")] > 0


def test_each_article_the_same_alone_or_in_a_chunk():
    texts = ["A \u2013 b.", "", "C'est \u2018la\u2019 vie\u2026 [sic] & co / $3", "\U0001F600 emoji, outside the plane"]
    tokens, sentences = np.array([2, 0, 8, 4]), np.array([1, 0, 1, 1])
    together = typography_rates(texts, tokens, sentences)
    for d, text in enumerate(texts):
        alone = typography_rates([text], tokens[d : d + 1], sentences[d : d + 1])
        assert np.array_equal(alone[0], together[d])
    assert not together[1].any()  # no tokens: zeros, not a division by zero


def test_huge_rates_are_clipped_to_float16_not_infinite():
    rates = typography_rates(["," * 100_000], np.array([1]), np.array([1]))
    assert np.isfinite(rates).all() and float(rates[0, column("comma")]) == 65504.0
