"""Known answers for rates, leave-one-out similarity, summaries and determinism."""

import numpy as np
import pytest

from framing import Article, analyze_corpus
from framing.lexicon import Category, Lexicon, Term, parse_term
from framing.stats.similarity import loo_centroid_similarity


def lex(name, **cats):
    out = []
    for cid, terms in cats.items():
        ts = tuple(Term(text=t, words=parse_term(t)[0], wildcard=parse_term(t)[1]) for t in terms)
        out.append(Category(id=cid, label=cid.title(), description="", terms=ts))
    return Lexicon(name=name, categories=tuple(out))


ARTICLES = [
    Article(id="s1", text="Win-win cooperation and core interests. Cooperation deepens.", outlet="RT", source_type="state_media"),
    Article(id="s2", text="Core interests and win-win cooperation, officials said.", outlet="TASS", source_type="state_media"),
    Article(id="w1", text="Officials said trade rose, according to data. Analysts said more.", outlet="Reuters", source_type="wire"),
    Article(id="w2", text="Trade fell, the ministry said, according to a statement.", outlet="AP", source_type="wire"),
    Article(id="c1", text="I think the war is a disaster. In my view we must act.", outlet="Blog", source_type="independent_commentary"),
    Article(id="c2", text="I believe my readers know the war matters. Subscribe now.", outlet="Sub", source_type="independent_commentary"),
    Article(id="u1", text="", outlet="", source_type="unknown"),
]
LEXICONS = [
    lex("frames", cooperation=["cooperation", "win-win"], conflict=["war"]),
    lex("style", attribution=["said", "according to"], voice=["i", "my", "in my view"]),
]


@pytest.fixture(scope="module")
def result():
    return analyze_corpus(ARTICLES, LEXICONS)


def test_rates_per_thousand_tokens(result):
    row = result.scores.set_index("article_id").loc["w2"]
    # "Trade fell, the ministry said, according to a statement." = 9 tokens, 2 attribution matches.
    assert row["n_tokens"] == 9
    assert row["style.attribution"] == pytest.approx(2 / 9 * 1000)
    assert (result.scores.filter(regex=r"^[^.]+\.[^.]+$").to_numpy() >= 0).all()


def test_empty_article_has_zero_rates_and_no_nan(result):
    row = result.scores.set_index("article_id").loc["u1"]
    assert row["n_tokens"] == 0 and row["n_sentences"] == 0
    assert row["frames.cooperation"] == 0 and row["style.voice"] == 0
    assert row["predicted_source_type"] == "undetermined"


def test_rows_sorted_by_id_and_shuffling_only_permutes():
    a = analyze_corpus(ARTICLES, LEXICONS).scores
    b = analyze_corpus(list(reversed(ARTICLES)), LEXICONS).scores
    assert a["article_id"].tolist() == sorted(a["article_id"])
    assert a.equals(b)


def test_leave_one_out_excludes_the_article_itself():
    import scipy.sparse as sp
    rows = np.array([[1.0, 0, 0], [0, 1.0, 0], [0.6, 0.8, 0], [0, 0, 1.0]])
    m = sp.csr_matrix(rows)
    types = ["wire", "wire", "state_media", "unknown"]
    sim = loo_centroid_similarity(m, types, ["wire", "state_media"])
    # Row 0's wire centroid without itself is row 1: orthogonal, so 0 (not the 0.707 of the full mean).
    assert sim[0, 0] == pytest.approx(0.0)
    assert sim[1, 0] == pytest.approx(0.0)
    # Row 2 is not wire: full wire centroid (0.5, 0.5, 0) -> cos = (0.3+0.4)/0.7071
    assert sim[2, 0] == pytest.approx(0.7 / np.sqrt(0.5))
    # state_media has no other article for row 2: undefined.
    assert np.isnan(sim[2, 1])
    assert sim[0, 1] == pytest.approx(0.6)


def test_style_scores_predict_the_obvious_group(result):
    s = result.scores.set_index("article_id")
    assert {"style_state_media", "style_wire", "style_independent_commentary"} <= set(s.columns)
    assert s.loc["w1", "style_wire"] > s.loc["w1", "style_state_media"]
    assert s.loc["c1", "style_independent_commentary"] > s.loc["c1", "style_wire"]


def test_summary_and_caution(result):
    summ = result.summary
    row = summ[(summ.source_type == "wire") & (summ.category == "attribution")].iloc[0]
    assert row.n_articles == 2 and row.n_outlets == 2
    s = result.scores.set_index("article_id")
    assert row["mean"] == pytest.approx((s.loc["w1", "style.attribution"] + s.loc["w2", "style.attribution"]) / 2)
    assert "descriptive" in row.caution


def test_matches_ledger_offsets(result):
    texts = {a.id: a.text for a in ARTICLES}
    assert len(result.matches) > 0
    for r in result.matches.itertuples():
        assert texts[r.article_id][r.start : r.end] == r.text


def test_groups_too_small_for_distinctive_terms_get_no_list_and_a_note(result):
    # Two articles per type: too few to say which words are a type's own.
    assert len(result.terms) == 0
    notes = result.notes["terms.csv"]
    assert len(notes) == 4  # wire, state media, commentary, unknown
    assert all("no distinctive terms" in n and "at least 5" in n for n in notes)


