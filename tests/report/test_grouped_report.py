"""The charts and the page under ``--group-by``: they speak of the grouping, stay readable, and keep their promises.

The corpus is written here: 78 articles of twelve outlets (12, 11, ... 1
articles), compared by outlet and by month. One stray article of 2019 makes
the timeline start three years early, so most of its months are empty. The
charts draw the eight largest outlets; each outlet is one group and one
outlet, so no group has a 95 % interval.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("matplotlib")

import framing
from framing.defaults import MIN_GROUP_ARTICLES
from framing.grouping import Grouping
from framing.report import charts as charts_module
from framing.report.charts import rates
from framing.report.charts import timeline as timeline_chart_module
from framing.report.charts.common import grouped
from framing.report.html import render_html
from framing.report.html import timeline as timeline_html
from framing.report.legend import CHART_LABELS, CHART_NAMES, GROUP_PALETTE, MIN_TEXT_CONTRAST, group_colors, text_color

WORDS = (
    "the officials said talks on trade and growth were held while analysts reported that sanctions hurt exports "
    "investment jobs the regime claimed sovereignty hegemony multipolar cooperation partnership Western aggression "
    "a special military operation the invasion the war in Ukraine troops missiles security defence"
).split()
N_OUTLETS = 12
DRAWN = [f"Paper {k:02d}" for k in range(charts_module.MAX_CHART_GROUPS)]  # the eight with the most articles
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR fake but signed"


def records() -> list[dict]:
    rng = random.Random(3)
    rows = []
    for k in range(N_OUTLETS):
        for _ in range(N_OUTLETS - k):
            i = len(rows)
            date = "2019-01-15" if i == 0 else f"2022-{1 + i % 6:02d}-{1 + i % 27:02d}"
            rows.append({"id": f"a{i:03d}", "text": " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 80))),
                         "outlet": f"Paper {k:02d}", "source_type": ("state_media", "wire", "mainstream")[k % 3],
                         "date": date, "title": f"Article {i}"})
    return rows


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    path = tmp_path_factory.mktemp("grouped") / "corpus.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records()), encoding="utf-8")
    return framing.analyze(path, group_by="outlet", period="month")


def figures_of(result, grouping=None, names=("rates_by_source_type", "dimensions_heatmap", "distinctive_terms",
                                             "timeline")):
    """The charts' figures as ``render_charts`` draws them (caught before they are encoded)."""
    caught = {}

    def catch(fig, name):
        caught[name] = fig
        return {}

    rows = result.chart_rows() if result.chart_rows is not None else result.scores
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(charts_module, "encode", catch)
        charts_module.render_charts(rows, result.terms, result.similarity, result.dimensions, result.styles,
                                    names=names, summary=result.summary, evaluation=result.evaluation,
                                    type_similarity=result.type_similarity, grouping=grouping or result.grouping,
                                    timeline=result.timeline)
    return caught


@pytest.fixture(scope="module")
def figures(result):
    return figures_of(result)


def legend_colors(fig) -> dict[str, str]:
    """Group -> colour (hex, lower case) of a figure's legend, read from its entries "<group> (n=...)"."""
    from matplotlib.colors import to_hex

    legend = fig.legends[0]
    out = {}
    for handle, text in zip(legend.legend_handles, legend.get_texts()):
        label = text.get_text()
        if " (n=" not in label:
            continue
        color = handle.get_facecolor() if hasattr(handle, "get_facecolor") and not hasattr(handle, "get_xdata") \
            else handle.get_color()
        out[label.split(" (n=")[0]] = to_hex(color, keep_alpha=False)
    return out


def contrast_on_white(color) -> float:
    from matplotlib.colors import to_rgb

    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(color)]
    return 1.05 / (0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2] + 0.05)


def all_texts(fig) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text)]


# --- colours ---------------------------------------------------------------------------------------------


def test_the_groups_drawn_get_distinct_colours():
    many = Grouping.of("outlet", [f"o{k:02d}" for k in range(55)])
    drawn = [f"o{k:02d}" for k in (3, 10, 11, 17, 24, 31, 40, 54)]  # scattered through the order
    colors = group_colors(many, drawn=drawn)
    assert len({colors[g].lower() for g in drawn}) == 8
    assert set(colors) == set(drawn)  # the others are never drawn by the charts of groups


def test_a_groups_file_colour_wins_and_the_others_avoid_it():
    groups = [f"o{k}" for k in range(8)]
    grouping = Grouping.of("outlet", groups, colors={"o5": GROUP_PALETTE[0]})
    colors = group_colors(grouping, drawn=groups)
    assert colors["o5"] == GROUP_PALETTE[0]
    assert len({c.lower() for c in colors.values()}) == 8


def test_charts_of_groups_and_the_timeline_give_each_group_one_colour_and_eight_distinct(figures):
    bars = legend_colors(figures["rates_by_source_type"])
    lines = legend_colors(figures["timeline"])
    assert sorted(bars) == DRAWN  # the largest eight, and only they
    assert len(set(bars.values())) == len(DRAWN)
    assert len(set(lines.values())) == len(lines)
    assert {g: lines[g] for g in lines if g in bars} == {g: bars[g] for g in lines if g in bars}
    assert len(set(bars) & set(lines)) >= 6  # the timeline draws the groups with the most dated articles


def test_a_groups_file_colour_wins_in_every_chart(result):
    file_grouping = replace(result.grouping, colors={"Paper 04": "#123456"})
    figs = figures_of(result, file_grouping, names=("rates_by_source_type", "timeline"))
    assert legend_colors(figs["rates_by_source_type"])["Paper 04"] == "#123456"
    assert legend_colors(figs["timeline"])["Paper 04"] == "#123456"
    assert len(set(legend_colors(figs["rates_by_source_type"]).values())) == len(DRAWN)


def test_text_in_a_group_colour_is_readable_on_white(figures):
    assert contrast_on_white("#F0E442") < 2  # Okabe-Ito yellow as it is
    for color in GROUP_PALETTE:
        assert contrast_on_white(text_color(color)) >= MIN_TEXT_CONTRAST, color
    assert text_color("#0072B2") == "#0072B2"  # dark enough already: kept
    heatmap = figures["dimensions_heatmap"]
    labels = heatmap.axes[0].get_yticklabels()
    assert len(labels) == len(DRAWN)
    assert all(contrast_on_white(t.get_color()) >= MIN_TEXT_CONTRAST for t in labels)
    titles = [ax.title for ax in figures["distinctive_terms"].axes if ax.get_visible() and ax.get_title()]
    assert titles and all(contrast_on_white(t.get_color()) >= MIN_TEXT_CONTRAST for t in titles)


# --- what the charts say ---------------------------------------------------------------------------------


def test_the_note_on_groups_not_drawn_is_in_each_title(figures):
    note = f"{N_OUTLETS - len(DRAWN)} more groups with fewer articles not drawn"
    assert note in figures["rates_by_source_type"].axes[0].get_title()
    assert note in figures["dimensions_heatmap"].axes[0].get_title()
    assert note in figures["distinctive_terms"].get_suptitle()
    for name in ("rates_by_source_type", "dimensions_heatmap", "distinctive_terms"):
        fig = figures[name]  # no loose figure text, where the legend hid it
        assert not [t for t in fig.texts if "not drawn" in t.get_text() and t.get_text() != fig.get_suptitle()]


def test_chart_titles_name_the_grouping(figures):
    words = " ".join(t for name in ("rates_by_source_type", "dimensions_heatmap", "distinctive_terms", "timeline")
                     for t in all_texts(figures[name]))
    assert "source type" not in words.lower()
    assert "Framing rates by outlet" in words and "Distinctive terms per outlet" in words
    assert "mean per outlet" in words and "Framing rates over time by outlet" in words


def test_no_interval_is_promised_when_none_is_drawn(figures):
    title = figures["rates_by_source_type"].axes[0].get_title()
    assert "black: its 95 % interval" not in title
    assert "no 95 % interval" in title


def summary_of(groups, dims, interval):
    rows = []
    for g in groups:
        for c in dims:
            lexicon, category = c.split(".", 1)
            rows.append({"source_type": g, "lexicon": lexicon, "category": category, "mean": 2.0,
                         "ci_low": 1.0 if interval else np.nan, "ci_high": 3.0 if interval else np.nan})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("interval", [True, False])
def test_the_interval_promise_follows_the_intervals_drawn(interval):
    dims = {"frames.a": "A", "frames.b": "B"}
    df = pd.DataFrame({"article_id": [f"x{i}" for i in range(6)], "source_type": ["g1", "g2"] * 3,
                       "frames.a": np.arange(6.0), "frames.b": np.arange(6.0)})
    summary = summary_of(["g1", "g2"], dims, interval)
    with grouped(Grouping.of("lean", ["g1", "g2"])):
        title = rates.rates_by_source_type(df, dims, summary).axes[0].get_title()
    assert ("black: its 95 % interval" in title) is interval
    assert "Framing rates by lean" in title
    # By source type the line stays as it always was (the bytes of a run without --group-by are kept).
    st = df.assign(source_type=["wire", "state_media"] * 3)
    by_type = summary_of(["wire", "state_media"], dims, interval)
    title = rates.rates_by_source_type(st, dims, by_type).axes[0].get_title()
    assert "black: its 95 % interval, outlets resampled" in title


# --- the timeline's axis ---------------------------------------------------------------------------------


def timeline_table(thin_high=750.0, full_high=6.0):
    """Two outlets over four months; outlet b's month 2 has two articles and a huge interval."""
    rows = []
    for g, n in (("a", 40), ("b", 30)):
        for m in range(4):
            thin = g == "b" and m == 2
            mean = 4.0 + m
            rows.append({"outlet": g, "period": f"2022-0{m + 1}", "period_start": f"2022-0{m + 1}-01",
                         "lexicon": "frames", "category": "x", "n_articles": 2 if thin else n, "n_outlets": 1,
                         "mean": mean, "ci_low": -thin_high + mean if thin else mean - 1,
                         "ci_high": thin_high if thin else (full_high if m == 3 and g == "a" else mean + 1)})
    return pd.DataFrame(rows)


def draw_timeline(table):
    return timeline_chart_module.timeline_chart(table, {"frames.x": "X"}, group_column="outlet", groups=["a", "b"],
                                                group_labels={}, group_colors={}, group_title="Outlet",
                                                group_name="outlet")


def test_a_thin_periods_band_does_not_set_the_axis_and_is_said_to_be_cut():
    fig = draw_timeline(timeline_table())
    panel = fig.axes[0]
    low, high = panel.get_ylim()
    assert 7.0 <= high < 20  # the means (up to 7) and the bands of full months (up to 8), not 750
    assert -0.5 < low <= 0
    assert any("cut at the top" in t for t in all_texts(fig))
    bands = [c for c in panel.collections if len(c.get_paths())]
    assert bands and all(p.vertices[:, 1].min() >= 0 for c in bands for p in c.get_paths())  # never below 0
    # A wide band of a month with enough articles does set the axis, and nothing is cut.
    fig = draw_timeline(timeline_table(thin_high=3.0, full_high=60.0))
    assert fig.axes[0].get_ylim()[1] >= 60
    assert not any("cut at the top" in t for t in all_texts(fig))


def test_thin_periods_are_still_hollow_markers_within_the_axis():
    fig = draw_timeline(timeline_table())
    hollow = [ln for ln in fig.axes[0].get_lines() if ln.get_markerfacecolor() == "none" and len(ln.get_xdata())]
    assert [list(ln.get_xdata()) for ln in hollow] == [[2.0]]
    assert MIN_GROUP_ARTICLES > 2


# --- the page --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page(result):
    charts = {name: PNG for name in (*CHART_NAMES, "timeline")}
    return render_html(result, charts=charts).decode("utf-8")


def captions(page: str) -> list[str]:
    return re.findall(r"<figcaption>([^<]*)", page) + re.findall(r' alt="([^"]*)"', page)


def test_chart_captions_and_alt_texts_name_the_grouping(page):
    group_charts = [c for c in captions(page) if "framing dimension, per" in c or "distinctive terms" in c]
    assert len(group_charts) == 4  # rates and terms, each caption and alt text
    assert not any("source type" in c for c in group_charts)
    assert any(c.startswith("Mean rate per 1,000 tokens of each framing dimension, per outlet") for c in group_charts)
    assert any(c.startswith("Most distinctive terms of each outlet") for c in group_charts)
    # The charts of source types keep their words.
    assert any(c.startswith(CHART_LABELS["style_scores"]) for c in captions(page))


def test_the_summary_does_not_speak_of_outlets_within_an_outlet(page):
    summary = page[page.index('<section id="summary">'):page.index("</section>", page.index('id="summary"'))]
    assert "prolific outlet" not in summary and "whole outlet" not in summary
    assert "each outlet's articles" in summary


def test_the_grouping_title_is_a_header_and_its_words_are_in_sentences(page):
    labels = page[page.index('<section id="labels">'):page.index("</section>", page.index('id="labels"'))]
    assert "<thead><tr><th>Outlet</th>" in labels and "<th>Source type</th>" not in labels
    assert "how often each outlet used each name" in labels
    text = re.sub(r"<[^>]+>", " ", page)
    mid = re.findall(r"\b(?:per|each|by|and|of) Outlet\b", text)
    assert not mid, mid


def test_months_without_articles_are_left_out_of_the_page_and_counted(page, result):
    over = page[page.index('<section id="timeline">'):page.index("</section>", page.index('id="timeline"'))]
    rows = re.findall(r'<tr><th class="n">([^<]*)</th>', over)
    assert rows == ["2019-01", *(f"2022-{m:02d}" for m in range(1, 7))]
    assert result.timeline["period"].nunique() == 42  # the CSV keeps them all
    assert "35 months of 42 without any article" in over
    assert "35 months without any article (2019-02 to 2021-12), left out here" in over
    shares = page[page.index('<section id="label-shares">'):page.index("</section>", page.index('id="label-shares"'))]
    assert "35 months without any article left out of the tables" in shares
    for table in shares.split("<tbody>")[1:]:
        assert re.findall(r'<tr><th class="n">([^<]*)</th>', table.split("</tbody>")[0]) == rows


def test_label_shares_table_with_no_empty_period_says_nothing_of_them():
    rows = []
    for m in range(3):
        for c in ("labels.a", "labels.b"):
            rows.append({"outlet": "o", "period": f"2022-0{m + 1}", "period_start": f"2022-0{m + 1}-01",
                         "lexicon": "labels", "category": c.split(".")[1], "n_articles": 10, "mean": 1.0,
                         "ci_low": 0.5, "ci_high": 1.5, "articles_using": 2, "share_using": 0.2})
    html = "".join(timeline_html.label_shares_section(
        pd.DataFrame(rows), {"labels.a": ("r", "A"), "labels.b": ("r", "B")}, group_column="outlet", groups=["o"],
        group_labels={}, group_title="Outlet", group_words="outlet", period="month"))
    assert "without any article" not in html
    assert html.split("<tbody>")[1].count('<tr><th class="n">') == 3


def test_a_thin_periods_mean_beyond_the_others_is_a_triangle_at_the_top():
    table = timeline_table(thin_high=3.0)
    table.loc[(table["outlet"] == "b") & (table["period"] == "2022-03"), "mean"] = 200.0  # one headline's rate
    fig = draw_timeline(table)
    panel = fig.axes[0]
    top = panel.get_ylim()[1]
    assert 7.0 <= top < 20  # set by the months with enough articles, not by 200
    triangles = [ln for ln in panel.get_lines() if ln.get_gid() == "beyond" and len(ln.get_xdata())]
    assert [list(ln.get_xdata()) for ln in triangles] == [[2.0]]
    assert triangles[0].get_ydata()[0] <= top
    assert any("beyond the axis" in t for t in all_texts(fig))


def test_a_long_run_of_empty_periods_is_one_gap_in_the_chart():
    rows = timeline_table(thin_high=3.0)
    stray = rows[rows["period"] == "2022-01"].assign(period="2019-01", period_start="2019-01-01", n_articles=1)
    empty = [rows[rows["period"] == "2022-01"].assign(period=f"{y}-{m:02d}", period_start=f"{y}-{m:02d}-01",
                                                      n_articles=0, mean=np.nan, ci_low=np.nan, ci_high=np.nan)
             for y in (2019, 2020, 2021) for m in range(1, 13) if (y, m) != (2019, 1)]
    fig = draw_timeline(pd.concat([stray, *empty, rows], ignore_index=True))
    panel = fig.axes[0]
    labels = [t.get_text() for t in fig.axes[-1].get_xticklabels()]
    assert panel.get_xlim() == (-0.5, 5.5)  # 2019-01, one gap, and the four months of 2022
    assert labels == ["2019-01", "\u2026 35", "2022-01", "2022-02", "2022-03", "2022-04"]
    assert any("35 periods in which no group has an article drawn as 1 gap" in t for t in all_texts(fig))
