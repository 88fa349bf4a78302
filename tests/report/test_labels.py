"""labels.csv and the "Same thing, different words" section: known answers on a tiny corpus."""

from __future__ import annotations

import re

from framing import Article, analyze_corpus
from framing.outputs import write_report
from framing.report.html import render_html
from framing.schema import LABEL_COLUMNS
from framing.stats.labels import excerpt

from ..conftest import ROOT
from .test_html import HOSTILE, assert_safe, make_lexicon, parse

REPORT_DOC = (ROOT / "docs" / "report.md").read_text(encoding="utf-8")


def _lexicon(tmp_path, label_a="War as invasion", side_a="Western usage"):
    return make_lexicon(
        tmp_path,
        "lab",
        {
            "invasion": {"label": label_a, "referent": "the_war", "side": side_a, "terms": ["invasion"],
                         "negation": {"cues": ["not"], "window": 3}},
            "operation": {"label": "War as operation", "referent": "the_war", "side": "Official usage",
                          "terms": ["special operation"]},
            "plain": {"terms": ["talks"]},  # no referent: not in labels.csv
        },
    )  # fmt: skip


def _corpus():
    return [
        Article(id="a", text="The invasion went on. Talks failed after the invasion.", outlet="W1", source_type="wire"),
        Article(id="b", text='Officials praised the "special operation". It is not an invasion, they said.',
                outlet="S1", source_type="state_media"),
        Article(id="c", text="Talks only.", outlet="S2", source_type="state_media"),
    ]  # fmt: skip


def test_two_articles_with_opposite_labels(tmp_path):
    result = analyze_corpus(_corpus(), [_lexicon(tmp_path)])
    table = result.labels
    assert tuple(table.columns) == LABEL_COLUMNS
    groups = table[table["scope"] == "source_type"]
    got = {(r.category, r.source_type): (r.count, r.quoted, r.negated, r.articles_using, r.articles_in_group)
           for r in groups.itertuples()}  # fmt: skip
    assert got == {
        ("invasion", "state_media"): (0, 0, 1, 0, 2),  # "not an invasion": listed, not counted
        ("invasion", "wire"): (2, 0, 0, 1, 1),
        ("operation", "state_media"): (1, 1, 0, 1, 2),  # in quotation marks
        ("operation", "wire"): (0, 0, 0, 0, 1),
    }
    arts = table[table["scope"] == "article"]
    assert list(zip(arts["article_id"], arts["category"], arts["count"], arts["negated"])) == [
        ("a", "invasion", 2, 0), ("b", "invasion", 0, 1), ("b", "operation", 1, 0),
    ]  # fmt: skip
    assert set(table["referent"]) == {"the_war"} and set(arts["side"]) == {"Western usage", "Official usage"}
    assert arts["excerpt"].tolist() == [
        "The invasion went on.",
        "It is not an invasion, they said.",
        'Officials praised the "special operation".',
    ]
    assert list(zip(arts["matched"], arts["matched_at"])) == [("invasion", 4), ("invasion", 13), ("special operation", 23)]
    assert groups["matched"].eq("").all() and groups["matched_at"].isna().all()
    html_bytes = render_html(result)
    assert b"the <strong>invasion</strong> went on" in html_bytes.lower()
    page = parse(html_bytes)
    assert_safe(page)
    text = page.text
    assert "Same thing, different words" in text and "War as invasion or War as operation?" in text
    assert "2 in 1 article" in text and "1 in 1 article, 1 quoted" in text and "negated only" in text


def test_labels_csv_is_written_neutralised_and_byte_identical(tmp_path):
    lexicon = _lexicon(tmp_path, label_a="=HYPERLINK(1)", side_a="@side")
    result = analyze_corpus(_corpus(), [lexicon])
    first = write_report(result, tmp_path / "o1", record={}, charts=False)
    write_report(analyze_corpus(_corpus()[::-1], [lexicon]), tmp_path / "o2", record={}, charts=False)
    data = (tmp_path / "o1" / "labels.csv").read_bytes()
    assert data == (tmp_path / "o2" / "labels.csv").read_bytes()
    assert any(p.name == "labels.csv" for p in first)
    assert b"'=HYPERLINK(1)" in data and b"'@side" in data and b"\r\n" in data
    assert data.split(b"\r\n", 1)[0].decode() == ",".join(LABEL_COLUMNS)


def test_hostile_labels_sides_titles_and_terms_are_escaped_in_the_new_sections(tmp_path):
    lexicon = make_lexicon(
        tmp_path,
        "hostile",
        {
            "x": {"label": HOSTILE[0], "referent": HOSTILE[1], "side": HOSTILE[2], "terms": ["invasion"]},
            "y": {"label": HOSTILE[3], "referent": HOSTILE[1], "side": HOSTILE[4], "terms": ["operation"]},
        },
    )
    articles = [
        Article(id=f"{HOSTILE[0]}1", text=f"The invasion {HOSTILE[1]} went on.", title=HOSTILE[2], source_type="wire"),
        Article(id=f"{HOSTILE[3]}2", text=f"The operation {HOSTILE[4]} and invasion.", title=HOSTILE[5],
                outlet=HOSTILE[6], source_type="state_media"),
    ]  # fmt: skip
    result = analyze_corpus(articles, [lexicon])
    out = render_html(result)
    page = parse(out)
    assert_safe(page)
    assert out.lower().count(b"<script") == 1
    for h in HOSTILE[:7]:
        assert h in page.text
    # the side by side and the article sections carry the ids as escaped attributes only
    assert sorted(page.attrs("data-compare")) == sorted(a.id for a in articles)
    assert sorted(page.attrs("data-article")) == sorted(a.id for a in articles)


def test_excerpt_stays_in_its_sentence_and_cuts_long_ones():
    text = "First sentence. The war is on here. Last."
    s = text.index("war")
    assert excerpt(text, s, s + 3) == ("The ", "war", " is on here.")
    long = "word " * 60 + "target " + "word " * 60
    before, match, after = excerpt(long, long.index("target"), long.index("target") + 6)
    assert before.startswith("\u2026") and after.endswith("\u2026") and match == "target"
    assert len(before) <= 92 and len(after) <= 92


def test_every_labels_column_is_documented():
    section = REPORT_DOC[REPORT_DOC.index("## `labels.csv`") :]
    for col in LABEL_COLUMNS:
        assert re.search(rf"`{col}`", section), f"labels.csv column {col} undocumented"
