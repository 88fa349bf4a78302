"""Comparing by any column and over time: --group-by, --groups, --by-period, --split-date, --date-column.

The corpus is written here: 90 articles in JSONL from six outlets of three
source types, with a `lean` column that outlets nest in, a `genre` column
that they span, and dates in several forms (some month-only, some unreadable).
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from scipy.stats import ttest_ind

import framing
from framing import Article
from framing.cli import main
from framing.stats.comparisons import ARTICLES_AS_UNITS, OUTLETS_AS_GROUPS

WORDS = (
    "the officials said talks on trade and growth were held while analysts reported that sanctions hurt exports "
    "investment jobs the regime claimed sovereignty hegemony multipolar cooperation partnership Western aggression "
    "a special military operation the invasion the war in Ukraine troops missiles security defence"
).split()
OUTLETS = {  # outlet: (source type, lean)
    "rt": ("state_media", "right"), "tass": ("state_media", "right"),
    "reuters": ("wire", "left"), "ap": ("wire", "left"),
    "blog-a": ("independent_commentary", "left"), "blog-b": ("independent_commentary", ""),
}
START = date(2022, 1, 3)  # a Monday
SPLIT = "2022-02-24"


def day_of(i: int) -> date:
    return START + timedelta(days=(i * 7) % 100)


def date_text(i: int) -> str:
    """The article's date in one of several forms; every 15th month-only, every 29th unreadable."""
    d = day_of(i)
    if i % 29 == 5:
        return "sometime in spring"
    if i % 15 == 7:
        return d.strftime("%Y-%m")
    return (d.isoformat(), d.strftime("%b %d, %Y"), d.strftime("%a, %d %b %Y 10:00:00 +0000"))[i % 3]


def records(n: int = 90, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    out = []
    names = list(OUTLETS)
    for i in range(n):
        outlet = names[i % len(names)]
        kind, lean = OUTLETS[outlet]
        war = WORDS[-12:] if day_of(i).isoformat() >= SPLIT else WORDS[:12]  # the words change at the split
        words = [rng.choice(war if rng.random() < 0.4 else WORDS) for _ in range(rng.randint(30, 90))]
        out.append({"id": f"a{i:03d}", "text": " ".join(words).capitalize() + ".", "outlet": outlet,
                    "source_type": kind, "lean": lean, "genre": ("news", "opinion")[(i // 6) % 2],
                    "date": date_text(i), "title": f"Article {i}"})
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("grouping") / "corpus.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records()), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def by_lean(corpus):
    return framing.analyze(corpus, group_by="lean", period="month", split_date=SPLIT)


def rates_of(result, column: str) -> pd.Series:
    return result.scores.set_index("article_id")[column]


# ------------------------------------------------------------------ groups


def test_a_record_column_groups_every_table_and_the_tables_say_which(by_lean):
    assert by_lean.summary.columns[0] == "lean" and by_lean.terms.columns[0] == "lean"
    assert list(by_lean.grouping.order) == ["left", "right", "(none)"]  # by name, no value last
    assert list(dict.fromkeys(by_lean.summary["lean"])) == ["left", "right", "(none)"]
    n = by_lean.summary.groupby("lean", sort=False)["n_articles"].first()
    assert n.to_dict() == {"left": 45, "right": 30, "(none)": 15}
    pairs = set(zip(by_lean.comparisons["group_a"], by_lean.comparisons["group_b"]))
    assert pairs == {("left", "right"), ("left", "(none)"), ("right", "(none)")}


def test_outlets_nesting_in_the_groups_are_shuffled_as_before(by_lean):
    # lean is a property of the outlet: the permutation moves outlets, and no row speaks of Welch.
    assert not (by_lean.comparisons["caution"] == ARTICLES_AS_UNITS).any()
    tested = by_lean.comparisons[by_lean.comparisons["p_value"].notna()]
    assert set(zip(tested["group_a"], tested["group_b"])) == {("left", "right")}  # (none) is one outlet


def test_outlets_as_groups_are_tested_on_their_articles_and_say_so(corpus):
    result = framing.analyze(corpus, group_by="outlet")
    comp = result.comparisons
    assert (comp["caution"] == OUTLETS_AS_GROUPS).all() and comp["p_value"].notna().any()
    assert result.notes["comparisons.csv"][0].startswith("the groups are outlets, so no outlet can be shuffled")
    # The p-value is Welch's t-test on the two outlets' article rates.
    row = comp[comp["p_value"].notna()].iloc[0]
    column = f"{row['lexicon']}.{row['category']}"
    scores = result.scores
    a = scores.loc[scores["outlet"] == row["group_a"], column]
    b = scores.loc[scores["outlet"] == row["group_b"], column]
    assert row["p_value"] == pytest.approx(ttest_ind(a, b, equal_var=False).pvalue, rel=1e-9)
    # A group that is one outlet by design is not cautioned as "one outlet" in summary.csv.
    assert not result.summary["caution"].str.contains("one outlet").any()


def test_a_column_that_outlets_span_is_not_shuffled_by_outlet(corpus):
    result = framing.analyze(corpus, group_by="genre")
    comp = result.comparisons
    assert list(comp[["group_a", "group_b"]].drop_duplicates().itertuples(index=False, name=None)) == [
        ("news", "opinion")]
    assert (comp["caution"] == ARTICLES_AS_UNITS).all()
    assert result.notes["comparisons.csv"][0].startswith("6 outlets have articles in more than one group of genre "
                                                         "(ap (news 8, opinion 7); blog-a (news 8, opinion 7);")


def test_one_outlet_astray_is_named_as_the_reason_the_test_changes(tmp_path):
    rows = records()
    rows[0]["lean"] = "left"  # rt is right everywhere else
    path = tmp_path / "astray.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = framing.analyze(path, group_by="lean")
    assert result.notes["comparisons.csv"][0].startswith("1 outlet has articles in more than one group of lean "
                                                         "(rt (right 14, left 1))")


def test_reordering_the_groups_changes_no_figure(tmp_path):
    # 8 outlets a side: 12,870 ways to split them, so the outlet test draws shuffles (not every split).
    rows = [{**r, "lean": ("left", "right")[i % 2], "outlet": f"{('left', 'right')[i % 2]}-{(i // 2) % 8}"}
            for i, r in enumerate(records(160))]
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    groups = tmp_path / "groups.csv"
    groups.write_text("value\nright\nleft\n", encoding="utf-8")
    plain = framing.analyze(path, group_by="lean").comparisons
    turned = framing.analyze(path, group_by="lean", groups=groups).comparisons
    assert len(plain) == len(turned) and plain["p_value"].notna().any()
    key = ["lexicon", "category", "a", "b"]
    back = turned.assign(a=turned["group_b"], b=turned["group_a"], difference=-turned["difference"])
    merged = plain.assign(a=plain["group_a"], b=plain["group_b"]).merge(back, on=key, suffixes=("", "_turned"))
    both = merged[merged["a"].isin(["left", "right"]) & merged["b"].isin(["left", "right"])]
    assert len(both) and (both["p_value"].fillna(-1) == both["p_value_turned"].fillna(-1)).all()
    assert (both["difference"] - both["difference_turned"]).abs().max() < 1e-9


def test_a_groups_file_value_no_article_has_is_a_warning(corpus, tmp_path):
    groups = tmp_path / "groups.csv"
    groups.write_text("value\nright\nrigth\n", encoding="utf-8")
    result = framing.analyze(corpus, group_by="lean", groups=groups)
    assert "the groups file lists 1 value that no article has in the column 'lean': 'rigth'" in result.warnings


def test_labels_csv_says_which_groups_it_has_no_kept_article_of(corpus):
    result = framing.analyze(corpus, group_by="outlet", keep_texts=4)  # a000-a003: rt, tass, reuters, ap
    assert result.notes["labels.csv"] == [
        "it counts the 4 articles whose text is kept (the first by id; --html-articles), and 2 outlets have none "
        "of them: blog-a, blog-b"]
    assert "labels.csv" not in framing.analyze(corpus, group_by="outlet").notes


def test_a_groups_file_gives_order_names_and_colours(corpus, tmp_path):
    groups = tmp_path / "groups.csv"
    groups.write_text("value,label,color\nright,Right-leaning,#112233\nnobody,Never seen,\nleft,Left-leaning,#445566\n",
                      encoding="utf-8")
    result = framing.analyze(corpus, group_by="lean", groups=groups)
    assert list(result.grouping.order) == ["right", "left", "(none)"]  # the file's order, the unlisted value after
    assert result.grouping.label("right") == "Right-leaning" and result.grouping.label("(none)") == "(none)"
    assert list(dict.fromkeys(result.summary["lean"])) == ["right", "left", "(none)"]
    out = tmp_path / "report"
    framing.write_report(result, out, record={}, charts=False)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "Right-leaning" in page and "Left-leaning" in page


def test_labels_csv_names_its_group_column_beside_the_articles_outlet(corpus):
    labels = framing.analyze(corpus, group_by="outlet").labels
    assert {"group_outlet", "outlet"} <= set(labels.columns)
    groups = labels[labels["scope"] == "outlet"]
    assert set(groups["group_outlet"]) == set(OUTLETS)
    articles = labels[labels["scope"] == "article"]
    assert len(articles) and (articles["group_outlet"] == articles["outlet"]).all()


def test_articles_in_memory_take_a_column_from_group_values():
    arts = [Article(id=r["id"], text=r["text"], outlet=r["outlet"], source_type=r["source_type"], date=r["date"])
            for r in records(30)]
    genre = {r["id"]: r["genre"] for r in records(30)}
    result = framing.analyze_corpus(arts, framing.lexicon.load_lexicons(), group_by="genre", group_values=genre,
                                    period="month")
    assert result.summary.columns[0] == "genre" and set(result.summary["genre"]) == {"news", "opinion"}
    with pytest.raises(framing.InputError, match="group_values"):
        framing.analyze_corpus(arts, framing.lexicon.load_lexicons(), group_by="genre")


# ------------------------------------------------------------------ dates and time


def test_the_timeline_counts_and_averages_each_groups_articles_per_month(by_lean, corpus):
    rows = {r["id"]: r for r in records()}
    column = "frames.security_military"
    rates = rates_of(by_lean, column)
    timeline = by_lean.timeline[(by_lean.timeline["lexicon"] == "frames")
                                & (by_lean.timeline["category"] == "security_military")]
    for (lean, period), cell in timeline.groupby(["lean", "period"]):
        ids = [i for i, r in rows.items() if (r["lean"] or "(none)") == lean and "spring" not in r["date"]
               and day_of(int(i[1:])).strftime("%Y-%m") == period]
        assert int(cell["n_articles"].iloc[0]) == len(ids), (lean, period)
        if ids:
            assert cell["mean"].iloc[0] == pytest.approx(rates[ids].mean(), abs=1e-9)
            assert int(cell["articles_using"].iloc[0]) == int((rates[ids] > 0).sum())
    assert set(timeline["period"]) == {"2022-01", "2022-02", "2022-03", "2022-04"}


def test_month_only_dates_count_by_month_but_not_by_week(corpus):
    month_only = sum(1 for i, r in enumerate(records()) if i % 15 == 7 and i % 29 != 5)
    unreadable = sum(1 for i in range(90) if i % 29 == 5)
    weekly = framing.analyze(corpus, period="week")
    counts = weekly.timeline.drop_duplicates(["source_type", "period"])["n_articles"].sum()
    assert counts == 90 - unreadable - month_only
    assert any(f"{month_only:,} articles dated only to a coarser unit than a week" in n
               for n in weekly.notes["timeline.csv"])
    assert "2022-W01" in set(weekly.timeline["period"])


def test_before_and_after_compares_each_group_with_itself(by_lean):
    rows = {r["id"]: r for r in records()}
    column = "frames.security_military"
    rates = rates_of(by_lean, column)
    table = by_lean.before_after[(by_lean.before_after["lexicon"] == "frames")
                                 & (by_lean.before_after["category"] == "security_military")].set_index("lean")
    for lean in ("left", "right"):
        # A month-only date is placed when its whole month is on one side of the split (not February 2022).
        exact = [i for i, r in rows.items() if (r["lean"] or "(none)") == lean and "spring" not in r["date"]
                 and not (int(i[1:]) % 15 == 7 and r["date"] == SPLIT[:7])]
        before = [i for i in exact if day_of(int(i[1:])).isoformat() < SPLIT]
        after = [i for i in exact if day_of(int(i[1:])).isoformat() >= SPLIT]
        row = table.loc[lean]
        assert (row["n_before"], row["n_after"]) == (len(before), len(after))
        assert row["difference"] == pytest.approx(rates[after].mean() - rates[before].mean(), abs=1e-9)
        assert row["ci_low"] < row["difference"] < row["ci_high"]
    straddling = sum(1 for r in records() if r["date"] == SPLIT[:7])
    assert straddling and any(f"{straddling:,} articles dated only to the month or the year that holds {SPLIT}" in n
                              for n in by_lean.notes["before_after.csv"])
    # The war words come after the split in every outlet: the within-outlet test sees it.
    assert table.loc["right", "difference"] > 0 and table.loc["right", "p_value"] < 0.05


def test_summary_gives_each_groups_date_range_only_when_dates_are_asked_for(by_lean, corpus):
    dated = [(r["lean"] or "(none)", day_of(int(r["id"][1:]))) for r in records() if "spring" not in r["date"]]
    row = by_lean.summary.drop_duplicates("lean").set_index("lean")
    for lean in ("left", "right", "(none)"):
        days = [d for g, d in dated if g == lean]
        # A month-only date counts as the month's first day.
        assert row.loc[lean, "n_dated"] == len(days)
        assert row.loc[lean, "last_date"] == max(days).isoformat()
    assert "first_date" not in framing.analyze(corpus).summary.columns


def test_unreadable_dates_are_warned_about_once_per_file_and_the_articles_kept(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["analyze", str(corpus), "--by-period", "month", "--out", str(out), "--no-charts", "--no-html"]) == 0
    err = capsys.readouterr().err
    bad = [i for i in range(90) if i % 29 == 5]
    lines = [line for line in err.splitlines() if "cannot read the date" in line]
    assert len(lines) == 1
    assert lines[0].startswith(f"warning: {corpus}: cannot read the date 'sometime in spring' of 'a{bad[0]:03d}' "
                               f"and {len(bad) - 1} more; kept without a date")
    assert len(pd.read_csv(out / "report.csv")) == 90
    # Without a period or a split the dates are not read, so nothing is said about them.
    assert main(["analyze", str(corpus), "--out", str(out), "--no-charts", "--no-html"]) == 0
    assert "cannot read the date" not in capsys.readouterr().err


def test_a_date_column_other_than_date_is_read(corpus, tmp_path):
    moved = tmp_path / "moved.jsonl"
    moved.write_text("".join(json.dumps({**{k: v for k, v in r.items() if k != "date"}, "published": r["date"]})
                             + "\n" for r in records()), encoding="utf-8")
    a = framing.analyze(corpus, period="month").timeline
    b = framing.analyze(moved, period="month", date_column="published").timeline
    pd.testing.assert_frame_equal(a, b)


# ------------------------------------------------------------------ files and bytes


TABLES = ("report.csv", "summary.csv", "comparisons.csv", "terms.csv", "labels.csv", "matches.csv",
          "timeline.csv", "before_after.csv")


def cli(corpus: Path, out: Path, *extra: str) -> int:
    return main(["analyze", str(corpus), "--out", str(out), "--no-charts", "--no-html", "--quiet", *extra])


def test_the_time_files_are_written_when_asked_and_removed_when_not(corpus, tmp_path):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    assert cli(corpus, out, "--group-by", "lean", "--by-period", "quarter", "--split-date", SPLIT) == 0
    assert (out / "timeline.csv").is_file() and (out / "before_after.csv").is_file()
    assert pd.read_csv(out / "timeline.csv").columns[0] == "lean"
    assert cli(corpus, out) == 0
    assert not (out / "timeline.csv").exists() and not (out / "before_after.csv").exists()
    assert cli(corpus, fresh) == 0
    for name in ("summary.csv", "comparisons.csv", "terms.csv", "labels.csv"):
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name


def test_any_jobs_and_chunk_size_give_the_same_bytes_with_every_option(corpus, tmp_path):
    options = ("--group-by", "outlet", "--by-period", "week", "--split-date", SPLIT)
    assert cli(corpus, tmp_path / "one", "--jobs", "1", *options) == 0
    assert cli(corpus, tmp_path / "two", "--jobs", "2", *options) == 0
    for name in TABLES:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    small = framing.analyze(corpus, group_by="outlet", period="week", split_date=SPLIT, chunk_articles=7, jobs=2)
    framing.write_report(small, tmp_path / "small", record={}, charts=False, html=False)
    for name in TABLES:
        assert (tmp_path / "small" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name


@pytest.mark.parametrize("args, message", [
    (["--group-by", "nosuch"], "error: no column 'nosuch' to group by"),
    (["--by-period", "fortnight"], "error: --by-period must be one of week, month, quarter, year, got 'fortnight'"),
    (["--split-date", "24/02/2022"], "error: --split-date must be a date as YYYY-MM-DD"),
    (["--by-period", "month", "--date-column", "nosuch"], "error: no column 'nosuch' to read dates from"),
    (["--groups", "GROUPS"], "error: --groups (a groups file) is for a column other than source_type"),
    (["--group-by", "lean", "--groups", "BADCOLOUR"], "colour 'red' is not #RRGGBB"),
    (["--group-by", "lean", "--groups", "NOVALUE"], "a groups file needs a 'value' column"),
])
def test_bad_options_are_one_line_and_status_2(corpus, tmp_path, capsys, args, message):
    files = {"GROUPS": "value\nleft\n", "BADCOLOUR": "value,color\nleft,red\n", "NOVALUE": "name\nleft\n"}
    for i, a in enumerate(args):
        if a in files:
            path = tmp_path / f"{a}.csv"
            path.write_text(files[a], encoding="utf-8")
            args[i] = str(path)
    out = tmp_path / "out"
    assert main(["analyze", str(corpus), "--out", str(out), "--quiet", *args]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and message in err and "Traceback" not in err
    assert not out.exists()


def test_html_escapes_group_values(tmp_path):
    hostile = "<script>alert(1)</script>"
    rows = [{**r, "lean": hostile if r["lean"] == "left" else r["lean"]} for r in records()]
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["analyze", str(path), "--out", str(out), "--quiet", "--group-by", "lean", "--by-period", "month",
                 "--split-date", SPLIT]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert hostile not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for section in ("Over time", "Names over time", "Before and after"):
        assert f'">{section}</a>' in page, section
