"""Charts: every file written, valid PNG/SVG, fixed names, no crash on odd input."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("matplotlib")

from framing.report import charts as charts_module
from framing.report.charts import CHART_NAMES, common, heatmap, rates
from framing.report.charts import similarity as similarity_module
from framing.report.charts import terms as terms_module

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
EXPECTED = sorted(f"{name}.{ext}" for name in CHART_NAMES for ext in ("png", "svg"))
DIMENSIONS = {
    "frames.economy_trade": "Economy & trade",
    "frames.security_military": "Security & military",
    "frames.cooperation_partnership": "Cooperation & partnership",
}
STYLES = {
    "style_state_media": "State media",
    "style_wire": "Wire",
    "style_independent_commentary": "Independent commentary",
}


def make_inputs(types, ids=None, titles=None, seed=0):
    """Small fake pipeline outputs for articles of the given source types."""
    rng = np.random.default_rng(seed)
    n = len(types)
    ids = ids or [f"a{i}" for i in range(n)]
    scores = pd.DataFrame(
        {
            "article_id": ids,
            "title": titles or [f"Title {i}" for i in range(n)],
            "outlet": [f"Outlet {i % 3}" for i in range(n)],
            "source_type": list(types),
            "n_tokens": rng.integers(50, 500, n),
        }
    )
    for col in DIMENSIONS:
        scores[col] = rng.gamma(2.0, 2.0, n)
    styles = {c: label for c, label in STYLES.items() if c.removeprefix("style_") in set(types)}
    for col in styles:
        scores[col] = rng.uniform(0, 1, n)
    scores["predicted_source_type"] = "undetermined"
    terms = pd.DataFrame(
        [
            {"source_type": t, "rank": r, "term": f"{t}_w{r}", "z": 10.0 / r, "count_in": 3, "count_out": 1}
            for t in sorted(set(types))
            for r in range(1, 21)
        ]
    )
    m = rng.uniform(0, 0.5, (n, n))
    m = (m + m.T) / 2
    np.fill_diagonal(m, 1.0)
    similarity = pd.DataFrame(m, index=ids, columns=ids)
    return scores, terms, similarity, dict(DIMENSIONS), styles


def render_charts(scores, terms, similarity, dims, styles, out: Path, **kw) -> list[Path]:
    """Render (bytes, no files) and write them the way the writer does, for the checks below."""
    files = charts_module.render_charts(scores, terms, similarity, dims, styles, **kw)
    assert list(files) == [f"{n}.{ext}" for n in CHART_NAMES for ext in ("png", "svg")]
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (out / name).write_bytes(data)
    return sorted(out / name for name in files)


def check_outputs(paths: list[Path], out: Path) -> None:
    assert paths == sorted(paths)
    assert [p.name for p in paths] == EXPECTED
    assert sorted(p.name for p in out.iterdir()) == EXPECTED
    for path in paths:
        assert path.parent == out
        data = path.read_bytes()
        assert data, path
        if path.suffix == ".png":
            assert data.startswith(PNG_SIGNATURE), path
        else:
            ET.fromstring(data)  # raises on malformed XML


def test_all_charts_written(tmp_path):
    types = ["state_media", "state_media", "wire", "wire", "independent_commentary", "unknown"]
    out = tmp_path / "charts"
    check_outputs(render_charts(*make_inputs(types), out), out)


@pytest.mark.slow
def test_output_is_deterministic(tmp_path):
    inputs = make_inputs(["state_media", "wire", "independent_commentary", "unknown"])
    first = render_charts(*inputs, tmp_path / "one")
    second = render_charts(*inputs, tmp_path / "two")
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_degenerate_inputs(tmp_path):
    scores, _, similarity, dims, styles = make_inputs(["wire"])
    scores["style_wire"] = np.nan
    for col in dims:
        scores[col] = 0.0
    terms = pd.DataFrame(columns=["source_type", "rank", "term", "z", "count_in", "count_out"])
    out = tmp_path / "c"
    check_outputs(render_charts(scores, terms, similarity, dims, styles, out), out)


def test_no_dimensions_no_styles(tmp_path):
    scores, terms, similarity, _, _ = make_inputs(["state_media", "unknown"])
    out = tmp_path / "c"
    check_outputs(render_charts(scores, terms, similarity, {}, {}, out), out)


@pytest.mark.slow
@pytest.mark.parametrize("n", [61, 301])
def test_large_corpora_are_aggregated(tmp_path, n):
    # One independent_commentary article: its within-type similarity is undefined.
    types = ["independent_commentary"] + [("state_media", "wire", "unknown")[i % 3] for i in range(n - 1)]
    names = sorted(set(types))
    table = pd.DataFrame(0.03 + 0.02 * np.eye(len(names)), index=names, columns=names)
    table.loc["independent_commentary", "independent_commentary"] = np.nan
    out = tmp_path / "c"
    check_outputs(render_charts(*make_inputs(types), out, type_similarity=table), out)
    assert b"too many to show one by one" in (out / "dimensions_heatmap.svg").read_bytes()
    if n > 300:  # the engine's source-type table, not one derived from the article matrix
        svg = (out / "similarity.svg").read_bytes()
        assert b"too many to show one by one" in svg and b"mean over article pairs" in svg
        assert b"0.050" in svg and b"n/a" in svg


def test_type_level_similarity_table(tmp_path):
    """For big corpora the pipeline hands over the source-type table instead."""
    scores, terms, _, dims, styles = make_inputs(["state_media", "wire", "wire"])
    table = pd.DataFrame(
        [[np.nan, 0.2], [0.2, 0.6]], index=["state_media", "wire"], columns=["state_media", "wire"]
    )
    out = tmp_path / "c"
    check_outputs(render_charts(scores, terms, table, dims, styles, out), out)


def test_the_similarity_chart_draws_the_tables_it_is_given_and_derives_none():
    scores, terms, similarity, dims, styles = make_inputs(["state_media", "wire", "wire"])
    table = pd.DataFrame([[np.nan, 0.2], [0.2, 0.6]], index=["state_media", "wire"], columns=["state_media", "wire"])

    def texts(sim, **kw):
        return _texts(similarity_module.similarity_chart(sim, common.ordered(scores), **kw))

    # No article matrix (the engine keeps none above MAX_SIMILARITY_ARTICLES): the type table.
    assert "mean over article pairs" in texts(None, type_similarity=table)
    # A matrix of articles few enough to show: the matrix, whatever table comes along.
    assert "between articles (n=3)" in texts(similarity, type_similarity=table)
    # Too many articles and no table: the chart says so instead of averaging the matrix itself.
    many, *_ = make_inputs(["state_media", "wire"] * 151)
    matrix = pd.DataFrame(np.full((302, 302), 0.1), index=many["article_id"], columns=many["article_id"])
    text = _texts(similarity_module.similarity_chart(matrix, common.ordered(many)))
    assert "too many to show one by one,\nand no table of source types given" in text
    assert "mean over article pairs" not in text
    assert "no similarity table given" in texts(None)


def test_dollar_and_markup_in_text(tmp_path):
    nasty = "$x$ <script>alert(1)</script> $\\frac{"
    scores, terms, similarity, dims, styles = make_inputs(
        ["state_media", "wire", "unknown"], ids=["$a$", "b<", "c&"], titles=[nasty] * 3
    )
    scores["outlet"] = nasty
    terms["term"] = nasty
    dims = {col: nasty for col in dims}
    similarity.index = similarity.columns = ["$a$", "b<", "c&"]
    out = tmp_path / "c"
    check_outputs(render_charts(scores, terms, similarity, dims, styles, out), out)
    svg = (out / "distinctive_terms.svg").read_text(encoding="utf-8")
    assert "<script>" not in svg


def test_file_names_never_come_from_input(tmp_path):
    ids = ["../../evil", "/etc/passwd", "ok"]
    scores, terms, similarity, dims, styles = make_inputs(["state_media", "wire", "unknown"], ids=ids)
    terms["source_type"] = ["../../evil"] * len(terms)
    out = tmp_path / "deep" / "charts"
    check_outputs(render_charts(scores, terms, similarity, dims, styles, out), out)
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == EXPECTED


def test_the_rates_chart_draws_the_intervals_of_the_summary():
    scores, terms, similarity, dims, styles = make_inputs(["state_media", "wire", "wire"])
    col = next(iter(dims))
    lexicon, category = col.split(".", 1)
    summary = pd.DataFrame({"source_type": ["wire"], "lexicon": [lexicon], "category": [category],
                            "ci_low": [1.0], "ci_high": [3.0]})

    def lines(**kw):
        svg = charts_module.render_charts(scores, terms, similarity, dims, styles, names=("rates_by_source_type",),
                                          **kw)["rates_by_source_type.svg"]
        return ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}path")

    assert len(list(lines(summary=summary))) == len(list(lines())) + 3  # the interval and its two ends


def test_the_evaluation_chart_draws_the_three_models_or_says_why_not():
    scores, terms, similarity, dims, styles = make_inputs(["state_media", "wire"])
    rows = []
    for model, base in (("classifier", 0.9), ("tfidf_only", 0.85), ("majority", 0.3)):
        rows.append({"model": model, "metric": "macro_f1", "true_type": "all", "predicted_type": "", "value": base,
                     "folds": "grouped by outlet", "n_folds": 5, "n_articles": 40})
        for t in ("state_media", "wire"):
            rows += [{"model": model, "metric": m, "true_type": t, "predicted_type": "", "value": v,
                      "folds": "grouped by outlet", "n_folds": 5, "n_articles": 40} for m, v in (("f1", base), ("support", 20))]
    evaluation = pd.DataFrame(rows)

    def bars(ev):
        svg = charts_module.render_charts(scores, terms, similarity, dims, styles, names=("evaluation",),
                                          evaluation=ev)["evaluation.svg"].decode("utf-8")
        return svg, len(list(ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}path")))

    with_model, n_with = bars(evaluation)
    without, n_without = bars(None)
    assert "no classifier trained" in without and "no classifier trained" not in with_model
    assert n_with >= n_without + 9  # 3 models x (macro-F1 + 2 types)
    # with calibration rows, a reliability panel beside the bars, titled with the calibration error
    calibration = [{"model": "classifier", "metric": m, "at": at, "value": v, "folds": "grouped by outlet", "n_folds": 5,
                    "n_articles": 40, "true_type": "", "predicted_type": ""}
                   for at, conf, acc in (("0.5-0.6", 0.55, 0.5), ("0.9-1.0", 0.95, 0.9))
                   for m, v in (("reliability_confidence", conf), ("reliability_accuracy", acc),
                                ("reliability_articles", 20))]
    calibration.append({"model": "classifier", "metric": "ece", "at": "", "value": 0.0412, "folds": "grouped by outlet",
                        "n_folds": 5, "n_articles": 40, "true_type": "", "predicted_type": ""})
    with_calibration, n_calibrated = bars(pd.concat([evaluation.assign(at=""), pd.DataFrame(calibration)]))
    assert "Calibration: ECE 0.041" in with_calibration and "Calibration" not in with_model
    assert n_calibrated > n_with


def test_big_groups_draw_a_sample_of_dots_so_the_files_stay_small():
    # 30,000 articles: every dot drawn would be 90,000 SVG elements in the rates chart alone.
    n = 30_000
    types = [("state_media", "wire", "independent_commentary")[i % 3] for i in range(n)]
    scores, terms, _, dims, styles = make_inputs(types[:400])  # terms and the rest from a small call
    rng = np.random.default_rng(1)
    scores = pd.DataFrame({"article_id": [f"a{i:05d}" for i in range(n)], "title": "t", "outlet": "o",
                           "source_type": types, "n_tokens": 100,
                           **{c: rng.gamma(2.0, 2.0, n) for c in dims}, **{c: rng.uniform(0, 1, n) for c in styles},
                           "predicted_source_type": "undetermined"})
    table = pd.DataFrame(np.eye(3), index=sorted(set(types)), columns=sorted(set(types)))
    files = charts_module.render_charts(scores, terms, table, dims, styles,
                                        names=("rates_by_source_type", "style_scores"))
    for name in ("rates_by_source_type.svg", "style_scores.svg"):
        svg = files[name]
        assert len(svg) < 3_000_000, (name, len(svg))
        assert f"at most {charts_module.MAX_DOTS:,}".encode() in svg  # the title says it is a sample
    assert files == charts_module.render_charts(scores, terms, table, dims, styles,
                                                names=("rates_by_source_type", "style_scores"))


def _figure(name, scores, terms, similarity, dims, styles, summary=None):
    """The chart's matplotlib figure (before encoding), to read its scales and texts."""
    df = common.ordered(scores)
    if name == "rates_by_source_type":
        return rates.rates_by_source_type(df, dims, summary)
    if name == "dimensions_heatmap":
        return heatmap.dimensions_heatmap(df, dims, summary)
    if name == "similarity":
        return similarity_module.similarity_chart(similarity, df)
    return terms_module.distinctive_terms(terms, df)


def _texts(fig) -> str:
    parts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    return "\n".join(p for p in parts if p)


def test_similarity_colours_are_fitted_to_the_pairs_not_the_diagonal():
    # Real TF-IDF similarities are small: on a fixed 0-1 scale they were one dark square.
    n = 40
    scores, terms, _, dims, styles = make_inputs([("state_media", "wire")[i % 2] for i in range(n)])
    rng = np.random.default_rng(3)
    m = rng.uniform(0.03, 0.06, (n, n))
    m = (m + m.T) / 2
    np.fill_diagonal(m, 1.0)
    sim = pd.DataFrame(m, index=scores["article_id"], columns=scores["article_id"])
    fig = _figure("similarity", scores, terms, sim, dims, styles)
    bar = fig.axes[-1]  # the colour bar
    low, high = sorted(bar.get_ylim())
    off = m[~np.eye(n, dtype=bool)]
    assert np.percentile(off, 2) == pytest.approx(low) and np.percentile(off, 98) == pytest.approx(high)
    assert "percentiles 2–98 of the pairs" in bar.get_ylabel()
    assert "white diagonal" in _texts(fig)

    # The source-type table of big corpora: every cell counts, the scale is their range.
    table = pd.DataFrame([[0.06, 0.03], [0.03, 0.05]], index=["state_media", "wire"], columns=["state_media", "wire"])
    fig = _figure("similarity", scores, terms, table, dims, styles)
    assert sorted(fig.axes[-1].get_ylim()) == pytest.approx([0.03, 0.06])
    assert "0.060" in _texts(fig)  # three decimals: 0.026 and 0.034 are not both 0.03


def test_group_means_are_read_from_the_summary():
    scores, terms, similarity, dims, styles = make_inputs(["state_media", "wire"] * 40)
    summary = pd.DataFrame([{"source_type": t, "lexicon": c.split(".")[0], "category": c.split(".")[1], "mean": 42.0,
                             "ci_low": np.nan, "ci_high": np.nan} for t in ("state_media", "wire") for c in dims])
    assert "42.0" in _texts(_figure("dimensions_heatmap", scores, terms, similarity, dims, styles, summary))
    # A summary without every cell (a caller's own): the mean of the articles handed in.
    assert "42.0" not in _texts(_figure("dimensions_heatmap", scores, terms, similarity, dims, styles, summary[1:]))
    means = common.group_means(common.ordered(scores), ["state_media", "wire"], list(dims), summary)
    assert (means.to_numpy() == 42.0).all() and list(means.index) == ["state_media", "wire"]
    assert list(means.columns) == list(dims)
    fig = _figure("rates_by_source_type", scores, terms, similarity, dims, styles, summary)
    assert {round(p.get_width(), 6) for p in fig.axes[0].patches} == {42.0}


def test_heatmap_colours_are_not_stretched_by_one_article():
    scores, terms, similarity, dims, styles = make_inputs(["state_media", "wire"] * 20)
    col = next(iter(dims))
    scores.loc[0, col] = 1000.0
    fig = _figure("dimensions_heatmap", scores, terms, similarity, dims, styles)
    low, high = sorted(fig.axes[-1].get_ylim())
    assert low == 0 and high < 50
    assert "0 to percentile 98 of the cells" in fig.axes[-1].get_ylabel()


def test_rates_axis_shows_the_groups_and_counts_what_lies_beyond():
    scores, terms, similarity, dims, styles = make_inputs(["state_media", "wire", "unknown"] * 100)
    col = next(iter(dims))
    scores.loc[[0, 3], col] = [200.0, 100.0]
    fig = _figure("rates_by_source_type", scores, terms, similarity, dims, styles)
    ax = fig.axes[0]
    values = scores[list(dims)].to_numpy().ravel()
    assert ax.get_xlim()[1] == pytest.approx(1.05 * np.percentile(values, 99))
    beyond = int((values > ax.get_xlim()[1]).sum())
    assert f"{beyond} article rates lie beyond the axis (up to 200.0)" in ax.get_title()
    assert "▸ 2" in _texts(fig)  # the two state-media outliers, counted on their row

    # An interval wider than the dots moves the end of the axis; nothing past it is hidden.
    summary = pd.DataFrame({"source_type": ["wire"], "lexicon": [col.split(".")[0]], "category": [col.split(".")[1]],
                            "ci_low": [1.0], "ci_high": [2000.0]})
    fig = _figure("rates_by_source_type", scores, terms, similarity, dims, styles, summary)
    assert fig.axes[0].get_xlim()[1] >= 2000 and "beyond the axis" not in fig.axes[0].get_title()


def test_rates_axis_of_a_few_articles_shows_them_all_when_cutting_saves_little():
    scores, terms, similarity, dims, styles = make_inputs(["state_media", "wire", "wire", "unknown", "wire"])
    fig = _figure("rates_by_source_type", scores, terms, similarity, dims, styles)
    assert fig.axes[0].get_xlim()[1] >= scores[list(dims)].to_numpy().max()
    assert "beyond the axis" not in fig.axes[0].get_title()


def _terms(groups, z):
    return pd.DataFrame([{"source_type": t, "rank": r + 1, "term": f"{t}_w{r:02d}", "z": v, "count_in": 1,
                          "count_out": 1} for t in groups for r, v in enumerate(z)])


def test_distinctive_terms_rank_nothing_from_ties_or_small_groups():
    scores, _, similarity, dims, styles = make_inputs(["state_media"] * 6 + ["wire"] * 6 + ["unknown"])
    # All tied (what one article per group gives): no bars, and the panel says why.
    fig = _figure("distinctive_terms", scores, _terms(["state_media", "wire"], [2.5] * 20), similarity, dims, styles)
    assert not any(ax.patches for ax in fig.axes)
    assert "z-scores all tied (z = 2.50): no ranking" in _texts(fig)
    # A group too small for terms.csv is not ranked even when handed a list.
    fig = _figure("distinctive_terms", scores, _terms(["unknown"], np.linspace(9, 1, 20)), similarity, dims, styles)
    assert not fig.axes[0].patches and "too few articles for a ranking" in _texts(fig)
    # A tie across the cut: the tied terms are left out, the rest keep their ranks.
    z = [9, 8, 7, 6, 5, 4, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2]
    fig = _figure("distinctive_terms", scores, _terms(["wire"], z), similarity, dims, styles)
    assert len(fig.axes[0].patches) == 6
    assert "9 terms tied at the cut left out" in fig.axes[0].get_xlabel()
    # Distinct z-scores: the top 15, nothing left out.
    fig = _figure("distinctive_terms", scores, _terms(["wire"], np.linspace(9, 1, 20)), similarity, dims, styles)
    assert len(fig.axes[0].patches) == terms_module.TOP_TERMS and "left out" not in fig.axes[0].get_xlabel()


def test_no_terms_placeholder_says_why():
    scores, _, similarity, dims, styles = make_inputs(["state_media", "wire", "wire"])
    empty = pd.DataFrame(columns=["source_type", "rank", "term", "z", "count_in", "count_out"])
    fig = _figure("distinctive_terms", scores, empty, similarity, dims, styles)
    assert "no source type here has both (3 articles, the largest type 2)" in _texts(fig)


def _large_inputs(n, n_types=4, n_dims=11, seed=5):
    """Fake outputs of ``n`` articles as the pipeline hands them over (the source-type similarity table)."""
    names = ["state_media", "wire", "independent_commentary", "unknown", "blog", "tabloid", "other"][:n_types]
    types = [names[i % n_types] for i in range(n)]
    _, terms, _, _, styles = make_inputs(names)
    rng = np.random.default_rng(seed)
    dims = {f"frames.d{k}": f"Dimension {k}" for k in range(n_dims)}
    scores = pd.DataFrame({"article_id": [f"a{i:06d}" for i in range(n)], "title": "t",
                           "outlet": [f"o{i % 50}" for i in range(n)], "source_type": types, "n_tokens": 100,
                           # many zeros and a long tail, like real rates
                           **{c: rng.gamma(0.8, 3.0, n) * (rng.uniform(0, 1, n) < 0.7) for c in dims},
                           **{c: rng.uniform(0, 1, n) for c in styles}, "predicted_source_type": "undetermined"})
    table = pd.DataFrame(0.03 + 0.02 * np.eye(n_types), index=sorted(names), columns=sorted(names))
    return scores, terms, table, dims, styles


@pytest.mark.parametrize("n, n_types, n_dims, names", [
    (100_000, 4, 11, CHART_NAMES),
    # The worst cases of the dot charts: 2,000 articles was the worst of vector dots
    # (500 per group and row made a 2 MB SVG), 7 types x 30 dimensions the worst of
    # rasters (1.8 MB before the chart's budget of dots).
    (2_000, 4, 11, ("rates_by_source_type", "style_scores")),
    (15_000, 7, 30, ("rates_by_source_type", "style_scores")),
])
@pytest.mark.slow
def test_every_svg_stays_under_a_megabyte(n, n_types, n_dims, names):
    files = charts_module.render_charts(*_large_inputs(n, n_types, n_dims), names=names)
    sizes = {name: len(data) for name, data in files.items() if name.endswith(".svg")}
    assert len(sizes) == len(names)
    assert max(sizes.values()) < 1_000_000, sizes
