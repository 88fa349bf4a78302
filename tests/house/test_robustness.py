"""Any bytes in: a result or a FramingError out, never another exception."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing import FramingError, check_lexicon, load_lexicon, read_corpus
from framing.corpus import decode_bytes

ANY_BYTES = st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda t: t.encode("utf-8")))
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _file(factory, suffix: str, data: bytes):
    path = factory.mktemp("fuzz") / f"x{suffix}"
    path.write_bytes(data)
    return path


@given(st.binary(max_size=400))
@SETTINGS
def test_decode_any_bytes(data):
    warnings: list[str] = []
    text = decode_bytes(data, "f.txt", warnings)
    assert text is None or ("\r" not in text and "\x00" not in text)
    if text is None:
        assert warnings and warnings[-1].startswith("f.txt:")


@pytest.mark.parametrize("suffix", [".yaml", ".dic", ".dicx", ".csv"])
@given(data=ANY_BYTES)
@SETTINGS
def test_lexicon_reader_any_bytes(tmp_path_factory, suffix, data):
    path = _file(tmp_path_factory, suffix, data)
    problems = check_lexicon(path)
    try:
        lexicon = load_lexicon(path)
    except FramingError:
        assert any(p.severity == "error" for p in problems)
    else:
        assert not any(p.severity == "error" for p in problems)
        assert all(t.words for c in lexicon.categories for t in c.terms)


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".txt"])
@given(data=ANY_BYTES)
@SETTINGS
def test_corpus_reader_any_bytes(tmp_path_factory, suffix, data):
    path = _file(tmp_path_factory, suffix, data)
    try:
        corpus = read_corpus([path])
    except FramingError:
        return
    assert corpus.articles
    assert len({a.id for a in corpus.articles}) == len(corpus.articles)


@given(st.binary(max_size=300))
@SETTINGS
def test_manifest_any_bytes(tmp_path_factory, data):
    root = tmp_path_factory.mktemp("m")
    (root / "a.txt").write_text("some text")
    (root / "manifest.csv").write_bytes(data)
    try:
        corpus = read_corpus([root])
    except FramingError:
        return
    assert [a.id for a in corpus.articles] == ["a.txt"]


@pytest.mark.slow
@given(st.lists(st.text(max_size=200), min_size=1, max_size=6))
@settings(max_examples=40, deadline=None)
def test_analysis_of_any_text_has_no_nan_rates(texts):
    from framing import Article, analyze_corpus
    from framing.lexicon import builtin_lexicon_paths

    lexicons = [load_lexicon(p) for p in builtin_lexicon_paths()]
    types = ["wire", "state_media", "independent_commentary", "unknown"]
    articles = [Article(id=f"a{i}", text=t, outlet=f"o{i % 2}", source_type=types[i % 4]) for i, t in enumerate(texts)]
    result = analyze_corpus(articles, lexicons)
    rate_cols = [c for c in result.scores.columns if "." in c and not c.endswith((".own", ".quoted"))]
    rates = result.scores[rate_cols]
    assert rates.notna().all().all() and (rates >= 0).all().all()
    # Inside and outside quotes: defined exactly where there are such tokens, never negative.
    share = result.scores["quoted_share"]
    for c in rate_cols:
        own, quoted = result.scores[f"{c}.own"], result.scores[f"{c}.quoted"]
        assert (quoted.isna() == ~(share > 0)).all() and (own.isna() == ~(share < 1)).all()
        assert (own.dropna() >= 0).all() and (quoted.dropna() >= 0).all()
    assert set(result.scores["predicted_source_type"]) <= {*types[:3], "undetermined"}
    for r in result.matches.itertuples():
        assert texts[int(r.article_id[1:])][r.start : r.end] == r.text
