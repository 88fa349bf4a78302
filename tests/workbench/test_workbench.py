"""The lexicon workbench: stats, diff and kwic, with answers worked out by hand on tiny corpora."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from framing.analysis.match import compile_lexicons
from framing.api import analyze_corpus
from framing.errors import InputError
from framing.lexicon.formats import parse_lexicon
from framing.types import Article
from framing.workbench.diff import lexicon_diff, term_changes
from framing.workbench.kwic import KwicRow, kwic, kwic_csv, kwic_line, resolve_target
from framing.workbench.scan import scan_chunk
from framing.workbench.stats import LexiconStats, lexicon_stats, stats_chunk

LEXICON = """\
name: mini
categories:
  talk:
    label: Talk
    description: d
    terms: [said, talks, 'agree*', 'peace talks']
  war:
    label: War
    description: d
    terms: [war]
"""

ARTICLES = [
    ("one.txt", "Leaders said peace talks went well. They agreed.", "Reuters", "wire"),
    ("two.txt", "He said it, she said it.", "Blog", "independent_commentary"),
    ("three.txt", "Nothing relevant here.", "AP", "wire"),
]


def lexicon(text: str = LEXICON, path: str = "mini.yaml"):
    lx, problems = parse_lexicon(text, suffix=".yaml", path=path)
    assert lx is not None, problems
    return lx


def articles() -> list[Article]:
    return [Article(id=i, text=t, outlet=o, source_type=s) for i, t, o, s in ARTICLES]


@pytest.fixture
def corpus(write, tmp_path):
    for name, text, _, _ in ARTICLES:
        write(f"c/{name}", text)
    write("c/manifest.csv", "file,outlet,source_type\n" + "".join(f"{n},{o},{s}\n" for n, _, o, s in ARTICLES))
    write("mini.yaml", LEXICON)
    return tmp_path


def run(argv: list[str]) -> int:
    """``framing.cli.main``: the CLI has the workbench commands (``kwic``, ``lexicon stats``, ``lexicon diff``)."""
    from framing import cli

    return cli.main(argv)


# ------------------------------------------------------------------ stats


def test_stats_hits_and_coverage_on_three_articles():
    result = lexicon_stats(articles(), lexicon(), chunk_articles=2)
    terms = result.term_table().set_index(["category", "term"])
    # "talks" inside "peace talks" is claimed by the phrase (longer match wins), so it never counts alone.
    assert terms.loc[("talk", "said"), ["hits", "hits_wire", "hits_independent_commentary", "articles"]].tolist() == [3, 1, 2, 2]
    assert terms.loc[("talk", "talks"), "hits"] == 0
    assert terms.loc[("talk", "peace talks"), "hits"] == 1
    assert terms.loc[("talk", "agree*"), "hits"] == 1
    assert terms.loc[("talk", "said"), "share_of_category"] == pytest.approx(0.6)
    assert terms.loc[("war", "war"), ["hits", "articles", "negated_hits"]].tolist() == [0, 0, 0]

    cats = result.category_table().set_index("category")
    talk = cats.loc["talk"]
    assert (talk["terms"], talk["terms_never_matched"], talk["hits"], talk["articles"]) == (4, 1, 5, 2)
    assert talk["coverage"] == pytest.approx(2 / 3)
    assert talk["coverage_wire"] == pytest.approx(0.5)
    assert talk["coverage_independent_commentary"] == 1.0
    assert np.isnan(talk["coverage_state_media"])  # no article of that type: no share at all
    assert (talk["top_term"], talk["top_term_over_half"]) == ("said", 1)
    assert talk["top_term_share"] == pytest.approx(0.6)
    war = cats.loc["war"]
    assert (war["hits"], war["terms_never_matched"], war["top_term"], war["top_term_over_half"]) == (0, 1, "", 0)
    assert result.dominated() == [("mini.talk", "said", 0.6, 5)]


def test_stats_hits_are_what_analyze_counts():
    arts = articles()
    lx = lexicon()
    matches = analyze_corpus(arts, [lx]).matches
    counted = matches.groupby("category").size().to_dict()
    cats = lexicon_stats(arts, lx).category_table().set_index("category")["hits"]
    assert {c: int(n) for c, n in cats.items() if n} == counted


def test_stats_do_not_depend_on_chunking_or_order():
    lx = lexicon()
    one = lexicon_stats(articles(), lx, chunk_articles=1)
    other = lexicon_stats(articles()[::-1], lx, chunk_articles=500)
    pd.testing.assert_frame_equal(one.term_table(), other.term_table())
    pd.testing.assert_frame_equal(one.category_table(), other.category_table())


def test_negated_matches_are_counted_apart():
    # The matcher does not mark negation yet; mark the first "said" by hand to test the bookkeeping.
    lex = compile_lexicons([lexicon()])
    scanned = scan_chunk(articles(), [lex])
    found = scanned.matches[0]
    negated = np.zeros(len(found), dtype=bool)
    negated[int(np.flatnonzero(found.term == 0)[0])] = True
    scanned = dataclasses.replace(scanned, matches=(dataclasses.replace(found, negated=negated),))
    totals = LexiconStats(lex)
    totals.add(stats_chunk(scanned, lex))
    terms = totals.term_table().set_index("term")
    assert terms.loc["said", ["hits", "negated_hits"]].tolist() == [2, 1]
    talk = totals.category_table().set_index("category").loc["talk"]
    assert (talk["hits"], talk["negated_hits"]) == (4, 1)
    assert talk["negated_share"] == pytest.approx(1 / 5)


def test_stats_cli_writes_both_tables_prints_a_table_and_warns(corpus, capsys):
    out = corpus / "st"
    assert run(["lexicon", "stats", str(corpus / "mini.yaml"), str(corpus / "c"), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "mini.talk" in captured.out and "1/4" in captured.out
    warnings = [line for line in captured.err.splitlines() if line.startswith("warning:")]
    assert warnings == ['warning: mini.talk: "said" supplies 60.0% of its 5 hits; its rate mostly measures that one term']
    assert "note: coverage_wire rests on 2 articles" in captured.err
    cats = pd.read_csv(out / "category_stats.csv")
    assert cats["hits"].tolist() == [5, 0]
    terms = pd.read_csv(out / "term_stats.csv", keep_default_na=False)
    assert len(terms) == 5 and terms["term"].tolist()[-1] == "war"


def test_stats_by_label_give_each_terms_lift_and_each_categorys_auc():
    # Frame "yes" articles talk of war, "no" ones talk; one article is unlabelled and counts in no label figure.
    texts = {"a": "War and war again.", "b": "The war went on; they said so.", "c": "They said talks went well.",
             "d": "Peace talks, she said.", "e": "War, war, war."}
    arts = [Article(id=k, text=t) for k, t in texts.items()]
    labels = {"a": "yes", "b": "yes", "c": "no", "d": "no"}
    totals = lexicon_stats(arts, lexicon(), labels=labels, chunk_articles=2)
    assert totals.values == ["no", "yes"] and totals.n_by_value.tolist() == [2, 2]
    cats = totals.category_table().set_index("category")
    assert cats.loc["war", "auc_yes"] == 1.0 and cats.loc["war", "auc_no"] == 0.0
    assert cats.loc["talk", "auc_no"] == 1.0  # b says "said" too, but in a longer text: a lower rate than c and d
    assert cats.loc["war", ["coverage_yes", "coverage_no"]].tolist() == [1.0, 0.0]
    terms = totals.term_table().set_index("term")
    assert terms.loc["war", ["articles_yes", "articles_no"]].tolist() == [2, 0]
    assert terms.loc["war", "lift_yes"] == np.inf and terms.loc["said", "lift_yes"] == pytest.approx(0.5)
    # The same figures for any chunking and order.
    other = lexicon_stats(arts[::-1], lexicon(), labels=labels, chunk_articles=500)
    pd.testing.assert_frame_equal(totals.category_table(), other.category_table())
    pd.testing.assert_frame_equal(totals.term_table(), other.term_table())
    # Without a label the tables keep their columns.
    assert "auc_yes" not in lexicon_stats(arts, lexicon()).category_table().columns


def test_stats_cli_label_column_from_the_manifest_and_its_errors(corpus, capsys, write):
    rows = "".join(f"{n},{o},{s},{'yes' if 'said' in t else 'no'}\n" for n, t, o, s in ARTICLES)
    write("c/manifest.csv", "file,outlet,source_type,frame\n" + rows)
    out = corpus / "st"
    assert run(["lexicon", "stats", str(corpus / "mini.yaml"), str(corpus / "c"), "--out", str(out),
                "--label", "frame", "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "ROC AUC of each category's rate for each value of frame" in printed and "no 1, yes 2" in printed
    cats = pd.read_csv(out / "category_stats.csv").set_index("category")
    assert cats.loc["talk", "auc_yes"] == 1.0
    assert run(["lexicon", "stats", str(corpus / "mini.yaml"), str(corpus / "c"), "--out", str(out),
                "--label", "nope", "--quiet"]) == 2
    assert capsys.readouterr().err.startswith("error: no column 'nope'")


def test_same_input_gives_byte_identical_csv(corpus):
    for name in ("a", "b"):
        base = [str(corpus / "c"), "--quiet"]
        assert run(["lexicon", "stats", str(corpus / "mini.yaml"), *base, "--out", str(corpus / name / "st")]) == 0
        assert run(["lexicon", "diff", str(corpus / "mini.yaml"), str(corpus / "mini.yaml"), *base,
                    "--out", str(corpus / name / "df")]) == 0
        assert run(["kwic", "said", *base, "--lexicon", str(corpus / "mini.yaml"),
                    "--csv", str(corpus / name / "k.csv")]) == 0
    files = ["st/term_stats.csv", "st/category_stats.csv", "df/diff_terms.csv", "df/diff_articles.csv",
             "df/diff_summary.csv", "k.csv"]
    for rel in files:
        assert (corpus / "a" / rel).read_bytes() == (corpus / "b" / rel).read_bytes(), rel
    assert not list((corpus / "a").rglob("*.tmp"))  # the temporary files were renamed into place


# ------------------------------------------------------------------ diff

OLD = """\
name: old
categories:
  econ:
    label: E
    description: d
    terms: [trade, 'market*', investment, Tariff]
  war:
    label: W
    description: d
    terms: [war]
"""
NEW = """\
name: new_name
categories:
  econ:
    label: E
    description: d
    terms: [{term: trade, weight: 2}, 'market*', tariff, export]
  peace:
    label: P
    description: d
    terms: [peace]
"""


def test_diff_terms_by_category_id():
    changes = term_changes(lexicon(OLD), lexicon(NEW))
    rows = [tuple("" if pd.isna(v) else v for v in r) for r in changes.itertuples(index=False)]
    # "Tariff" and "tariff" match the same, so they are one term; the lexicons' names do not matter.
    assert rows == [
        ("econ", "added", "export", "", 1.0),
        ("econ", "removed", "investment", 1.0, ""),
        ("econ", "reweighted", "trade", 1.0, 2.0),
        ("war", "category_removed", "", "", ""),
        ("war", "removed", "war", 1.0, ""),
        ("peace", "category_added", "", "", ""),
        ("peace", "added", "peace", "", 1.0),
    ]


def test_diff_rates_per_article_and_per_type():
    arts = [
        Article(id="a", text="Trade war over trade.", outlet="X", source_type="wire"),  # 4 tokens
        Article(id="b", text="Peace and exports, peace.", outlet="Y", source_type="state_media"),  # 4 tokens
    ]
    sink: list[bytes] = []
    result = lexicon_diff(arts, lexicon(OLD), lexicon(NEW), sink=sink.append, chunk_articles=1)
    lines = b"".join(sink).decode().splitlines()
    assert lines[0] == "article_id,outlet,source_type,category,old_rate,new_rate,change"
    # a: "trade" twice in 4 tokens: 500 per 1,000 at weight 1, 1,000 at weight 2; war 1 in 4 under OLD only.
    assert lines[1:4] == ["a,X,wire,econ,500.0000,1000.0000,500.0000", "a,X,wire,war,250.0000,,",
                          "a,X,wire,peace,,0.0000,"]
    # b: "exports" is no match of the exact term "export"; "peace" twice under NEW.
    assert lines[4:7] == ["b,Y,state_media,econ,0.0000,0.0000,0.0000", "b,Y,state_media,war,0.0000,,",
                          "b,Y,state_media,peace,,500.0000,"]
    summary = result.summary.set_index(["category", "source_type"])
    assert summary.loc[("econ", "all"), ["n_articles", "old_mean", "new_mean", "change"]].tolist() == [2, 250.0, 500.0, 250.0]
    assert summary.loc[("econ", "wire"), "change"] == 500.0
    assert summary.loc[("econ", "wire"), "note"] == "fewer than 10 articles"
    assert ("econ", "unknown") not in summary.index  # no article of that type, no row
    assert result.n_articles == 2


def test_diff_cli_prints_the_changes(corpus, capsys, write):
    old, new = write("old.yaml", OLD), write("new.yaml", NEW)
    assert run(["lexicon", "diff", str(old), str(new), str(corpus / "c"), "--out", str(corpus / "df")]) == 0
    out = capsys.readouterr().out
    assert "  econ: 1 added, 1 removed, 1 reweighted" in out
    assert "  war (category removed): 1 removed" in out
    assert "  peace (category added): 1 added" in out
    assert {p.name for p in (corpus / "df").iterdir()} == {"diff_terms.csv", "diff_articles.csv", "diff_summary.csv"}


def test_a_warm_lexicon_diff_starts_without_pandas_or_scipy(tmp_path, write):
    # The lexicon-editing loop: once the tokens are cached, diff needs neither (their start-up was a third of it).
    old, new = write("old.yaml", OLD), write("new.yaml", NEW)
    write("c/a.txt", "Trade war over trade.")
    write("c/b.txt", "Peace and exports, peace.")
    code = (
        "import sys\nfrom framing.cli import main\n"
        f"status = main(['lexicon', 'diff', {str(old)!r}, {str(new)!r}, {str(tmp_path / 'c')!r}, '--quiet', "
        f"'--out', {str(tmp_path / 'out')!r}])\n"
        "print(status, sorted(m for m in ('pandas', 'scipy', 'sklearn', 'matplotlib') if m in sys.modules))"
    )
    env = {**os.environ, "FRAMING_CACHE_DIR": str(tmp_path / "cache")}
    run_it = lambda: subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                    env=env).stdout.strip().splitlines()[-1]
    assert run_it() == "0 ['pandas']"  # cold: the tokenizer's hash table is pandas's
    assert run_it() == "0 []"  # warm: the tokens come from the cache
    assert (tmp_path / "out" / "diff_summary.csv").read_bytes().startswith(b"category,source_type,n_articles,")


# ------------------------------------------------------------------ kwic


def test_kwic_context_strings_are_exact():
    arts = [Article(id="k1", text="The sanctions hit hard.\nNew sanctions came.", outlet="O", source_type="wire")]
    lx = lexicon("name: m\ncategories:\n  p:\n    label: P\n    description: d\n    terms: ['sanction*']\n")
    rows = kwic(arts, resolve_target("sanction*", [lx]), width=10)
    assert [(r.left, r.match, r.right, r.char_start, r.char_end) for r in rows] == [
        ("The ", "sanctions", " hit hard.", 4, 13),
        ("hard. New ", "sanctions", " came.", 28, 37),  # the line break is shown as a space
    ]
    assert kwic_line(rows[0], 10) == "k1  O  wire           The [sanctions] hit hard...."
    assert kwic_line(rows[1], 10) == "k1  O  wire  ...hard. New [sanctions] came."


def test_kwic_shows_only_what_counts_under_precedence():
    lx = lexicon()
    # "talks" inside "peace talks" does not count as "talks": the phrase claims it.
    assert kwic(articles(), resolve_target("talks", [lx])) == []
    rows = kwic(articles(), resolve_target("mini.talk", [lx]))
    assert [(r.article_id, r.match) for r in rows] == [
        ("one.txt", "said"), ("one.txt", "peace talks"), ("one.txt", "agreed"), ("two.txt", "said"), ("two.txt", "said"),
    ]
    assert [r.match for r in kwic(articles(), resolve_target("talk", [lx]))] == [r.match for r in rows]  # bare id


def test_kwic_rows_are_in_id_order_and_limit_keeps_the_first():
    lx = lexicon()
    rows = kwic(articles()[::-1], resolve_target("said", [lx]), limit=2, chunk_articles=1)
    assert [(r.article_id, r.char_start) for r in rows] == [("one.txt", 8), ("two.txt", 3)]


def test_kwic_ad_hoc_term():
    target = resolve_target("well", [lexicon()])
    assert target.kind == "adhoc"
    rows = kwic(articles(), target, width=5)
    assert [(r.article_id, r.left, r.match, r.right, r.category) for r in rows] == [
        ("one.txt", "went ", "well", ". The", "adhoc.term")]


def test_kwic_unknown_category_is_an_error():
    with pytest.raises(InputError, match="unknown category mini.nope"):
        resolve_target("mini.nope", [lexicon()])


def test_kwic_unknown_category_on_the_command_line_is_one_line_and_exit_2(corpus, capsys):
    code = run(["kwic", "mini.nope", str(corpus / "c"), "--lexicon", str(corpus / "mini.yaml")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err == ["error: unknown category mini.nope: lexicon mini has talk, war"]


def test_kwic_csv_neutralises_a_context_that_starts_like_a_formula():
    arts = [Article(id="=id", text="=1+2 said so", outlet="@o", source_type="wire")]
    rows = kwic(arts, resolve_target("said", [lexicon()]), width=5)
    lines = kwic_csv(rows).decode().splitlines()
    assert lines[0] == "article_id,outlet,source_type,category,term,match,left,right,negated,char_start,char_end"
    assert lines[1] == "'=id,'@o,wire,mini.talk,said,said,'=1+2 , so,0,5,9"


def test_kwic_marks_negated_matches():
    row = KwicRow("a", 0, 4, "mini.talk", "said", "O", "wire", "said", "", " no", True)
    assert kwic_line(row, 3).endswith("[said] no  [not-counted: negated]")
    assert kwic_csv([row]).decode().splitlines()[1].split(",")[8] == "1"


def test_kwic_cli_prints_lines(corpus, capsys):
    assert run(["kwic", "said", str(corpus / "c"), "--lexicon", str(corpus / "mini.yaml"), "--width", "6"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "one.txt  Reuters  wire  ...aders [said] peace...",
        "two.txt  Blog  independent_commentary        He [said] it, s...",
        "two.txt  Blog  independent_commentary  ..., she [said] it.",
    ]
    assert "3 occurrences of lexicon term said, 0 negated, in 2 articles" in captured.err


def test_every_column_written_is_documented():
    from framing.workbench import diff, stats
    from framing.workbench import kwic as kwic_mod

    from ..conftest import ROOT

    doc = (ROOT / "docs" / "workbench.md").read_text(encoding="utf-8")
    columns = [*stats.TERM_COLUMNS, *stats.CATEGORY_COLUMNS, *diff.TERM_COLUMNS, *diff.ARTICLE_COLUMNS,
               *diff.SUMMARY_COLUMNS, *kwic_mod.KWIC_COLUMNS]
    missing = [c for c in columns if f"`{c}`" not in doc]
    assert not missing, f"columns not in docs/workbench.md: {missing}"


def test_kwic_refuses_a_mistyped_lexicon_name_instead_of_finding_nothing(tmp_path, capsys):
    from framing.cli import main

    corpus = tmp_path / "c.csv"
    corpus.write_text("id,text\n1,War and peace.\n", encoding="utf-8")
    assert main(["kwic", "frame.war_conflict", str(corpus), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: frame.war_conflict looks like lexicon.category, but there is no lexicon 'frame'")
    assert main(["kwic", "frames.war_conflict", str(corpus), "--quiet"]) == 0
    assert "[War]" in capsys.readouterr().out
