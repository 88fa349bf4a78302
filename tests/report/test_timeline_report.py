"""The timeline chart and the "Over time", "Names over time" and "Before and after" sections.

Small tables made here, with hostile group names: the chart has a panel per
dimension up to its limit, leaves out groups past ``MAX_GROUPS_SHOWN`` and
says so, draws thin periods hollow; the HTML escapes every input string,
lists every period, marks thin cells and has a row per group x dimension.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("matplotlib")

from framing.defaults import MIN_GROUP_ARTICLES
from framing.report.charts import timeline as chart
from framing.report.charts.common import encode
from framing.report.html import timeline as html
from framing.report.html.sections import PNG_SIGNATURE

HOSTILE = ["<script>alert(1)</script>", "$x$", "=cmd|' /C calc'!A0", "RT", "Global Times"]
DIMENSIONS = {"frames.economy": "Economy & trade", "frames.security": "Security", "frames.$x$": "Dollar $x$"}
LABELS = {"labels.invasion": ("ukraine_war", "invasion"), "labels.smo": ("ukraine_war", "special <b>operation</b>")}


def make_timeline(groups, periods=6, dims=tuple(DIMENSIONS), thin=(), empty=(), sizes=None, group_column="outlet",
                  labels=(), seed=0):
    """A row per group x month x category; ``thin``/``empty``: (group, period index) with 2 / 0 articles."""
    rng = np.random.default_rng(seed)
    starts = pd.date_range("2022-01-01", periods=periods, freq="MS")
    rows = []
    for gi, g in enumerate(groups):
        for pi, start in enumerate(starts):
            n = (sizes or {}).get(g, 20 + gi)
            n = 2 if (g, pi) in thin else 0 if (g, pi) in empty else n
            for column in (*dims, *labels):
                lexicon, category = column.split(".", 1)
                mean = np.nan if n == 0 else float(rng.gamma(2.0, 2.0))
                using = min(n, 3)
                rows.append({
                    group_column: g, "period": start.strftime("%Y-%m"), "period_start": start.date().isoformat(),
                    "lexicon": lexicon, "category": category, "n_articles": n, "n_outlets": 2, "mean": mean,
                    "ci_low": mean * 0.8, "ci_high": mean * 1.2, "articles_using": using,
                    "share_using": using / n if n else np.nan, "caution": "" if n >= MIN_GROUP_ARTICLES else "few",
                })
    # Shuffled: the chart and the tables must put periods in time order themselves.
    return pd.DataFrame(rows).sample(frac=1.0, random_state=1).reset_index(drop=True)


def draw(table, dims=DIMENSIONS, groups=HOSTILE, **kwargs):
    return chart.timeline_chart(table, dims, group_column="outlet", groups=groups,
                                group_labels={g: f"{g} label" for g in groups}, group_colors={"RT": "#D55E00"},
                                group_title="Outlet $", **kwargs)


def texts(fig):
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text)]


def panels(fig):
    """The rate panels (their y label or title is not the counts strip's)."""
    return [ax for ax in fig.axes if not ax.get_title(loc="left").startswith("Articles per period")]


def thin_points(ax):
    """(x, y) of the hollow markers of an axis."""
    from matplotlib.lines import Line2D

    out = []
    for line in ax.get_children():
        if isinstance(line, Line2D) and line.get_marker() == "o" and line.get_markerfacecolor() == "none":
            out += list(zip(line.get_xdata(), line.get_ydata()))
    return out


# --- the chart -------------------------------------------------------------------------------------------


def test_one_panel_per_dimension_and_a_counts_strip():
    fig = draw(make_timeline(HOSTILE))
    assert len(panels(fig)) == 3
    assert len(fig.axes) == 4
    assert [ax.get_title() for ax in panels(fig)] == ["Economy & trade", "Security", r"Dollar \$x\$"]


def test_panels_stop_at_max_panels_and_the_note_counts_the_rest():
    dims = {f"frames.d{i}": f"D {i}" for i in range(7)}
    fig = draw(make_timeline(HOSTILE[:2], dims=tuple(dims)), dims=dims, max_panels=4)
    assert len(panels(fig)) == 4
    assert any("3 more dimensions not drawn" in t for t in texts(fig))


def test_dimensions_missing_from_the_table_get_no_panel():
    dims = {**DIMENSIONS, "frames.absent": "Not in the table"}
    fig = draw(make_timeline(HOSTILE), dims=dims)
    assert len(panels(fig)) == 3
    assert not any("Not in the table" in t for t in texts(fig))


def test_groups_beyond_the_limit_are_left_out_with_a_note():
    groups = [f"g{i}" for i in range(11)]
    sizes = {g: 10 + i for i, g in enumerate(groups)}  # g0, g1, g2 have the fewest articles
    fig = draw(make_timeline(groups, sizes=sizes), groups=groups)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert len(legend) == chart.MAX_GROUPS_SHOWN + 1  # the groups and the hollow-marker key
    assert not any(t.startswith(("g0 ", "g1 ", "g2 ")) for t in legend)
    assert legend[0].startswith("g3 label")  # the given order, not the order of size
    assert any("3 more groups with fewer articles not drawn" in t for t in texts(fig))


def test_groups_shown_keeps_the_given_order_and_breaks_ties_by_it():
    table = make_timeline(["b", "a", "c"], sizes={"a": 10, "b": 10, "c": 30})
    shown, left = chart.groups_shown(table, "outlet", ["c", "a", "b"], limit=2)
    assert shown == ["c", "a"] and left == ["b"]


def test_thin_periods_are_hollow_markers_and_only_they():
    table = make_timeline(HOSTILE, thin={("RT", 1), ("$x$", 4)})
    fig = draw(table)
    for ax, column in zip(panels(fig), DIMENSIONS):
        hollow = sorted(thin_points(ax))
        lexicon, category = column.split(".", 1)
        rows = table[(table["lexicon"] == lexicon) & (table["category"] == category)
                     & (table["n_articles"] < MIN_GROUP_ARTICLES)]
        assert len(hollow) == 2
        assert {round(y, 9) for _, y in hollow} == {round(m, 9) for m in rows["mean"]}
        assert sorted(x for x, _ in hollow) == [1.0, 4.0]  # periods in time order although the table is shuffled


def test_no_hollow_markers_without_thin_periods():
    fig = draw(make_timeline(HOSTILE))
    assert all(not thin_points(ax) for ax in panels(fig))


def test_empty_periods_break_the_line_and_are_counted_zero():
    table = make_timeline(HOSTILE[:2], empty={(HOSTILE[0], 2)})
    fig = draw(table, groups=HOSTILE[:2])
    ax = panels(fig)[0]
    lines = [ln for ln in ax.get_lines() if ln.get_marker() in ("None", "", None) and len(ln.get_xdata()) == 6]
    assert any(np.isnan(ln.get_ydata()[2]) for ln in lines)


def test_empty_table_is_a_placeholder():
    empty = make_timeline(HOSTILE).iloc[:0]
    fig = draw(empty)
    assert chart.EMPTY_MESSAGE in texts(fig)
    assert len(fig.axes) == 1


def test_period_ticks_are_thinned():
    fig = draw(make_timeline(HOSTILE[:2], periods=40), groups=HOSTILE[:2])
    strip = next(ax for ax in fig.axes if ax not in panels(fig))
    labels = [t.get_text() for t in strip.get_xticklabels() if t.get_text()]
    assert 1 < len(labels) <= chart.MAX_TICKS
    assert labels[0] == "2022-01"
    assert chart.tick_positions(12) == list(range(12))
    assert len(chart.tick_positions(1000)) <= chart.MAX_TICKS


def test_legend_and_labels_escape_dollars():
    fig = draw(make_timeline(HOSTILE))
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert r"\$x\$ label (n=" in " ".join(legend)
    assert fig.legends[0].get_title().get_text() == r"Outlet \$"
    assert all(re.search(r"(?<!\\)\$", t) is None for t in texts(fig)), "an unescaped $ would start mathtext"


def test_colours_are_distinct_and_the_given_ones_are_kept():
    groups = [f"g{i}" for i in range(8)]
    colors = chart.group_color_map(groups, {"g3": "#D55E00"})
    assert colors["g3"] == "#D55E00"
    assert len({c.lower() for c in colors.values()}) == 8


def test_renders_to_png_and_svg():
    files = encode(draw(make_timeline(HOSTILE, thin={("RT", 0)})), "timeline")
    assert files["timeline.png"].startswith(PNG_SIGNATURE)
    assert b"<script>" not in files["timeline.svg"]


# --- "Over time" -----------------------------------------------------------------------------------------


def section(table, image=None, **kwargs):
    kw = {"group_column": "outlet", "groups": HOSTILE, "group_labels": {}, "group_title": "<i>Outlet</i>",
          "period": "month"}
    return "".join(html.timeline_section(table, DIMENSIONS, image, **{**kw, **kwargs}))


def test_section_escapes_hostile_names_and_lists_every_period():
    table = make_timeline(HOSTILE, periods=9)
    page = section(table, group_labels={"RT": "<b>RT</b>"})
    assert "<script>" not in page and "<b>RT" not in page and "<i>Outlet" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;RT&lt;/b&gt;" in page
    assert page.startswith('<section id="timeline">\n<h2>Over time</h2>')
    body = page.split("<tbody>")[1]
    found = re.findall(r"<tr><th class=\"n\">([^<]*)</th>", body)
    assert found == [f"2022-{m:02d}" for m in range(1, 10)]  # time order, although the table is shuffled


def test_thin_cells_are_marked_and_explained():
    page = section(make_timeline(HOSTILE, thin={("RT", 2)}))
    cells = re.findall(r'<td class="n thin" title="([^"]*)">([^<]*)</td>', page)
    assert len(cells) == 1
    assert cells[0][1] == f"2 {html.THIN_MARK}" and "Fewer than 5" in cells[0][0]


def test_periods_without_articles_are_named_and_left_out_of_the_table():
    groups = HOSTILE[:2]
    table = make_timeline(groups, empty={(g, 3) for g in groups} | {(groups[0], 1)})
    page = section(table, groups=groups)
    assert "1 month of 6 without any article (2022-04): left out of the tables" in page
    body = page.split("<tbody>")[1]
    assert re.findall(r"<tr><th class=\"n\">([^<]*)</th>", body) == ["2022-01", "2022-02", "2022-03", "2022-05",
                                                                    "2022-06"]
    assert "\u2026 1 month without any article (2022-04), left out here" in body  # where the gap is
    assert page.count('class="n empty"') == 1  # one group's empty month, in a month the other group has articles
    assert "Every month" in section(make_timeline(groups), groups=groups)


def test_many_periods_show_first_and_last_with_a_gap_row():
    table = make_timeline(HOSTILE[:1], periods=100)
    page = section(table, groups=HOSTILE[:1])
    assert page.split("<tbody>")[1].count("<tr><th class=\"n\">") == html.MAX_PERIOD_ROWS
    assert "2022-01" in page and "2030-04" in page  # first and last
    assert "40 more periods, 2024-07 to 2027-10, left out here" in page


def test_image_is_embedded_only_when_png():
    table = make_timeline(HOSTILE)
    png = PNG_SIGNATURE + b"rest"
    assert 'src="data:image/png;base64,' in section(table, png)
    assert "data:image" not in section(table, b"<svg onload=alert(1)>")
    assert "not drawn" in section(table, None)


def test_empty_timeline_says_what_to_do():
    page = section(make_timeline(HOSTILE).iloc[:0])
    assert "run with a date column" in page and "<table" not in page


# --- "Names over time" -----------------------------------------------------------------------------------


def shares(table, label_columns=LABELS):
    return "".join(html.label_shares_section(table, label_columns, group_column="outlet", groups=HOSTILE,
                                             group_labels={}, group_title="Outlet"))


def test_label_shares_are_percentages_with_counts():
    table = make_timeline(HOSTILE[:2], labels=tuple(LABELS), thin={("RT", 0)})
    page = shares(table)
    assert page.count("<h3>") == 1  # one referent
    assert "invasion or special &lt;b&gt;operation&lt;/b&gt;?" in page and "<b>" not in page
    assert '<td class="n" title="3 of 20 articles">15 %</td>' in page
    assert page.split("<tbody>")[1].count("<tr><th class=\"n\">") == 6


def test_label_shares_without_label_columns_is_empty():
    assert html.label_shares_section(make_timeline(HOSTILE), LABELS, group_column="outlet", groups=HOSTILE,
                                     group_labels={}, group_title="Outlet") == []


# --- "Before and after" ----------------------------------------------------------------------------------


def before_after(groups=HOSTILE, dims=DIMENSIONS, significant=()):
    rows = []
    for g in groups:
        for column in dims:
            lexicon, category = column.split(".", 1)
            rows.append({
                "outlet": g, "lexicon": lexicon, "category": category, "split_date": "2022-02-24",
                "n_before": 30, "n_after": 3, "n_outlets_before": 2, "n_outlets_after": 1, "n_outlets_both": 1,
                "mean_before": 2.0, "mean_after": 3.5, "difference": 1.5, "ci_low": -0.25, "ci_high": 3.0,
                "p_value": 0.01, "p_adjusted": 0.03, "significant": "yes" if (g, column) in significant else "no",
                "caution": "<few> after" if g == "RT" else "",
            })
    return pd.DataFrame(rows)


def ba_section(table, **kwargs):
    kw = {"group_column": "outlet", "groups": HOSTILE, "group_labels": {}, "group_title": "Outlet",
          "split_date": "2022-02-24<script>"}
    return "".join(html.before_after_section(table, DIMENSIONS, **{**kw, **kwargs}))


def test_before_after_has_a_row_per_group_and_dimension():
    page = ba_section(before_after(significant={("RT", "frames.economy")}))
    body = page.split("<tbody>")[1]
    assert body.count("<tr") == len(HOSTILE) * len(DIMENSIONS)
    assert "Before and after 2022-02-24&lt;script&gt;" in page and "<script>" not in page
    assert body.count('<tr class="significant">') == 1
    assert "&lt;few&gt; after" in page
    assert "+1.50 (\u22120.25 to +3.00)" in page
    assert "within each outlet" in page


def test_before_after_leaves_out_dimensions_not_asked_for():
    table = before_after(dims={**DIMENSIONS, "frames.other": "Other"})
    body = ba_section(table).split("<tbody>")[1]
    assert body.count("<tr") == len(HOSTILE) * len(DIMENSIONS)
    assert "frames.other" not in body


def test_before_after_empty():
    page = ba_section(before_after().iloc[:0])
    assert "<table" not in page and "2022-02-24" in page
