"""Stories through the whole engine and the CLI: story_id, stories.csv, coverage.csv, within_story.csv, the page.

The corpus is written here: events, each told by several outlets of three
source types within a few days, each with words of its own beside the
common ones, and unrelated articles of one outlet each.
"""

from __future__ import annotations

import hashlib
import json
import random
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

import framing
from framing import Article
from framing.cli import main
from framing.engine import passes
from framing.engine.local import run
from framing.lexicon import load_lexicons
from framing.outputs import write_report

COMMON = ("the officials said on Tuesday that talks were held while analysts reported and sources added "
          "that the government would respond in the coming days").split()
OUTLETS = (("rt", "state_media"), ("tass", "state_media"), ("reuters", "wire"), ("ap", "wire"),
           ("blog-a", "independent_commentary"), ("blog-b", "independent_commentary"))
START = date(2022, 3, 1)
STORY_FILES = ("report.csv", "stories.csv", "coverage.csv", "within_story.csv")


def event_words(e: int) -> list[str]:
    """Twelve made-up words of event ``e`` (names, places), different for every event."""
    return [f"{syllable}{e}x{k}" for k, syllable in enumerate(("vel", "kor", "mun", "dra", "pil", "sto", "qua",
                                                                  "ber", "lin", "tor", "gam", "zef"))]


def records(n_events: int = 12, n_alone: int = 10, seed: int = 5) -> tuple[list[dict], dict[str, str]]:
    """JSONL records, and each article's true event (``alone-<i>`` for an unrelated one).

    An unrelated article uses an event's words, but weeks after it and days
    from any other: only the date window keeps it out of the event.
    """
    rng = random.Random(seed)
    out, truth = [], {}
    for e in range(n_events):
        day = START + timedelta(days=e * 2)  # events overlap in time: only the words tell them apart
        own = event_words(e)
        for outlet, kind in rng.sample(OUTLETS, 4):
            words = [rng.choice(own if rng.random() < 0.35 else COMMON) for _ in range(rng.randint(60, 120))]
            aid = f"e{e:02d}-{outlet}"
            out.append({"id": aid, "outlet": outlet, "source_type": kind, "title": f"Event {e} by {outlet}",
                        "date": (day + timedelta(days=rng.randint(0, 2))).isoformat(), "text": " ".join(words) + "."})
            truth[aid] = f"event-{e}"
    for i in range(n_alone):  # the words of event i again, weeks later: a different event, never pulled in
        own = event_words(i)
        words = [rng.choice(own if rng.random() < 0.35 else COMMON) for _ in range(80)]
        outlet, kind = OUTLETS[i % len(OUTLETS)]
        aid = f"z{i:02d}"
        out.append({"id": aid, "outlet": outlet, "source_type": kind, "title": f"Alone {i}",
                    "date": (START + timedelta(days=60 + 5 * i)).isoformat(), "text": " ".join(words) + "."})
        truth[aid] = f"alone-{i}"
    return out, truth


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("stories") / "events.jsonl"
    recs, truth = records()
    path.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    return path, truth


def cli(path: Path, out: Path, *extra: str) -> dict[str, bytes]:
    assert main(["analyze", str(path), "--out", str(out), "--no-charts", "--quiet", "--jobs", "1", *extra]) == 0
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}


def test_the_events_are_found_and_unrelated_articles_stand_alone(corpus, tmp_path):
    path, truth = corpus
    files = cli(path, tmp_path / "o")
    report = pd.read_csv(tmp_path / "o" / "report.csv", keep_default_na=False)
    assert report.columns[-1] == "story_id"
    assert adjusted_rand_score([truth[a] for a in report["article_id"]], report["story_id"]) == 1.0
    stories = pd.read_csv(tmp_path / "o" / "stories.csv", keep_default_na=False)
    assert len(stories) == 12 and (stories["n_articles"] == 4).all()
    alone = report[report["article_id"].str.startswith("z")]["story_id"]
    assert alone.is_unique and not set(alone) & set(stories["story_id"])
    first = stories.iloc[0]
    members = report[report["story_id"] == first.story_id]
    assert first.n_outlets == members["outlet"].nunique() == 4
    assert first.first_date <= first.last_date and first.n_undated == 0
    event = int(members["article_id"].iloc[0][1:3])
    assert set(first.top_terms.split("; ")) <= set(event_words(event))  # the event's own words, not the common ones
    coverage = pd.read_csv(tmp_path / "o" / "coverage.csv")
    assert coverage["n_stories"].sum() >= 12 and set(coverage["group"]) == {"state_media", "wire", "independent_commentary"}
    within = pd.read_csv(tmp_path / "o" / "within_story.csv", keep_default_na=False)
    assert set(zip(within["group_a"], within["group_b"])) == {("state_media", "wire"),
                                                            ("state_media", "independent_commentary"),
                                                            ("wire", "independent_commentary")}
    assert b"note: " not in files["report.csv"]


def test_the_same_bytes_for_any_jobs_chunk_block_and_input_order(corpus, tmp_path, monkeypatch):
    path, _ = corpus
    recs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    articles = [Article(id=r["id"], text=r["text"], outlet=r["outlet"], source_type=r["source_type"],
                        title=r["title"], date=r["date"]) for r in recs]
    lexicons = load_lexicons()

    def digests(arts, out, **kw) -> dict[str, str]:
        from framing.grouping import ArticleColumns, Comparing, StorySettings

        comparing = Comparing(ArticleColumns(dated=True), stories=StorySettings())
        result = run(arts, lexicons, keep_texts=5, keep_rows=20, comparing=comparing, **kw)
        write_report(result, out, record={}, charts=False, html_articles=5)
        return {n: hashlib.sha256((out / n).read_bytes()).hexdigest() for n in STORY_FILES}

    reference = digests(articles, tmp_path / "ref")
    shuffled = articles[:]
    random.Random(2).shuffle(shuffled)
    for jobs, chunk, block, arts in ((2, 7, 4096, articles), (1, 3, 5, shuffled), (2, 500, 11, shuffled)):
        monkeypatch.setattr(passes, "BLOCK", block)
        assert digests(arts, tmp_path / f"{jobs}-{chunk}-{block}", jobs=jobs, chunk_articles=chunk) == reference


def test_stories_off_writes_what_a_run_without_stories_wrote(corpus, tmp_path):
    path, _ = corpus
    off = cli(path, tmp_path / "off", "--stories", "off")
    on = cli(path, tmp_path / "on")
    assert not {"stories.csv", "coverage.csv", "within_story.csv"} & set(off)
    assert b"story_id" not in off["report.csv"].split(b"\r\n", 1)[0]
    # Every other column is the same: story_id is added at the end of each row.
    strip = [line.rsplit(b",", 1)[0] for line in on["report.csv"].split(b"\r\n") if line]
    assert strip == [line for line in off["report.csv"].split(b"\r\n") if line]
    for name in ("summary.csv", "comparisons.csv", "terms.csv", "matches.csv"):
        assert off[name] == on[name], name
    # An --out folder that held stories loses them with the run that has none.
    cli(path, tmp_path / "on", "--stories", "off")
    assert not (tmp_path / "on" / "stories.csv").exists()


def test_a_tighter_threshold_and_a_shorter_window_give_more_stories(corpus, tmp_path):
    path, _ = corpus
    result = framing.analyze(path, story_threshold=0.95)
    assert result.stories is not None and len(result.stories) < 12
    result = framing.analyze(path, story_window=0)
    assert result.stories is not None and result.stories["n_articles"].max() <= 4
    assert len(result.stories) >= 12


@pytest.mark.parametrize(("args", "said"), [
    (["--stories", "sometimes"], "--stories"),
    (["--story-threshold", "0"], "--story-threshold must be a number above 0"),
    (["--story-threshold", "1.5"], "--story-threshold must be a number above 0"),
    (["--story-window", "-1"], "--story-window must be a whole number of days"),
    (["--story-pages", "-2"], "--story-pages must be a whole number"),
])
def test_bad_story_options_are_one_line(corpus, tmp_path, capsys, args, said):
    path, _ = corpus
    try:
        code = main(["analyze", str(path), "--out", str(tmp_path / "x"), *args])
    except SystemExit as exc:  # argparse's own refusal (a value not among the choices)
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert said in err
    if not err.startswith("usage:"):
        assert err.startswith("error: ") and err.count("\n") == 1
    assert not (tmp_path / "x").exists()


def test_the_library_checks_its_story_arguments(corpus):
    path, _ = corpus
    with pytest.raises(framing.InputError) as exc:
        framing.analyze(path, stories="yes")
    assert exc.value.argument == "stories"
    with pytest.raises(framing.InputError):
        framing.analyze_corpus([Article(id="a", text="x")], load_lexicons(), story_window=True)


def test_the_page_shows_the_largest_stories_side_by_side_with_what_only_each_says(corpus, tmp_path):
    path, _ = corpus
    recs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    # One version of event 0 gets a sentence no other has, and a hostile title.
    first = recs[0]
    assert first["id"].startswith("e00-")
    first["title"] = "<script>alert(1)</script>"
    first["text"] += " Separately, zorblat quimbly frenzled the wobbish grommets."
    hostile = tmp_path / "hostile.jsonl"
    hostile.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    assert main(["analyze", str(hostile), "--out", str(tmp_path / "p"), "--no-charts", "--quiet",
                 "--story-pages", "2", "--html-articles", "60"]) == 0
    page = (tmp_path / "p" / "report.html").read_text(encoding="utf-8")
    assert page.count('<article class="story"') == 2
    assert '<a href="#stories">Stories</a>' in page and '<a href="#coverage">Coverage</a>' in page
    assert "zorblat quimbly frenzled" in page and "Only this one says" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert main(["analyze", str(hostile), "--out", str(tmp_path / "q"), "--no-charts", "--quiet",
                 "--story-pages", "0"]) == 0
    assert '<article class="story"' not in (tmp_path / "q" / "report.html").read_text(encoding="utf-8")


def test_the_seeds_are_one_story_and_their_page_shows_all_five_versions(tmp_path):
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    assert main(["analyze", str(seeds), "--out", str(tmp_path / "s"), "--no-charts", "--quiet"]) == 0
    report = pd.read_csv(tmp_path / "s" / "report.csv")
    assert report["story_id"].nunique() == 1
    page = (tmp_path / "s" / "report.html").read_text(encoding="utf-8")
    assert page.count('<article class="story"') == 1 and page.count('data-version="') == 5
    assert page.count("Only this one says") == 5 and page.count("Its own words here") == 5
    # No group is big enough for distinctive terms: the page points to the stories' own words instead.
    from framing.report.html import render_html
    from framing.report.html.sections import OWN_WORDS_INSTEAD, PNG_SIGNATURE

    assert OWN_WORDS_INSTEAD in page
    result = framing.analyze(seeds)
    with_chart = render_html(result, charts={"distinctive_terms": PNG_SIGNATURE + b"x", "evaluation": PNG_SIGNATURE})
    assert with_chart.decode().count(OWN_WORDS_INSTEAD) == 2 and with_chart.count(b"<img ") == 1


def test_a_date_known_only_to_the_month_leaves_the_article_undated_for_stories(corpus):
    path, truth = corpus
    recs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    articles = [Article(id=r["id"], text=r["text"], outlet=r["outlet"], source_type=r["source_type"],
                        date=r["date"][:7] if r["id"].startswith("e00") else r["date"]) for r in recs]
    result = framing.analyze_corpus(articles, load_lexicons())
    note = " ".join(result.notes["stories.csv"])
    assert "4 articles have no date to the day" in note and "only a month or a year" in note
    # Undated, event 0's articles are compared with each other: their words still make them one story.
    stories = dict(zip(result.scores["article_id"], result.scores["story_id"]))
    assert len({stories[a] for a in truth if a.startswith("e00")}) == 1
    # The dated article on event 0's words weeks later is not linked to them: undated articles link to undated ones.
    assert stories["z00"] != stories["e00-" + recs[0]["outlet"]]
    assert adjusted_rand_score([truth[a] for a in stories], list(stories.values())) == 1.0
