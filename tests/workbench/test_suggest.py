"""``framing lexicon suggest``: candidates ranked by association with a category's matching sentences."""

from __future__ import annotations

import argparse
import hashlib

import numpy as np
import pytest

from framing import Article
from framing.analysis.match import compile_lexicons
from framing.cli.common import Parser
from framing.cli.suggest import add_suggest
from framing.errors import InputError, OutputError
from framing.lexicon import Category, Lexicon, Term, parse_term
from framing.stats.distinctive import log_odds_dirichlet
from framing.workbench.suggest import SUGGEST_COLUMNS, TermSuggester, find_category, suggest_terms

from ..conftest import ROOT


def term(text: str) -> Term:
    words, wild, _ = parse_term(text)
    return Term(text=text, words=words, wildcard=wild)


def lexicon() -> Lexicon:
    cats = (
        Category("conflict", "Conflict", "", (term("war"), term("attack*"), term("armed clash"))),
        Category("talk", "Talk", "", (term("talks"),)),
    )
    return Lexicon(name="t", categories=cats)


def corpus() -> list[Article]:
    """``bombing`` is only ever in a sentence with a conflict match, and the commonest such word; ``market`` only outside one."""
    arts = []
    for i in range(12):
        arts.append(Article(id=f"b{i:02d}", text=(
            f"The war brought heavy bombing to town {i}. "
            "The market opened and the market closed. "
            "Prices at the market rose. "
            "Bombing followed an armed clash."  # "armed clash" is a phrase term: its words are never candidates
        )))
    # "shelling": in 3 matching sentences only, below a minimum count of 5
    for i in range(3):
        arts.append(Article(id=f"a{i:02d}", text="Attackers began shelling the bridge. Calm returned."))
    return arts


def run(arts=None, **kw):
    kw.setdefault("min_count", 5)
    return suggest_terms(arts if arts is not None else corpus(), compile_lexicons([lexicon()]), "t.conflict", **kw)


def test_a_word_only_in_matching_sentences_ranks_first():
    found = run()
    table = found.table
    assert list(table.columns) == list(SUGGEST_COLUMNS)
    assert table.loc[0, "term"] == "bombing"
    assert table.loc[0, "rank"] == 1 and table.loc[0, "z"] > 0
    # two matching sentences in each of 12 articles, never elsewhere
    assert (table.loc[0, "count_in"], table.loc[0, "count_out"], table.loc[0, "docs"]) == (24, 0, 12)
    assert found.category == "t.conflict"
    assert (found.n_articles, found.n_sentences, found.n_matching) == (15, 12 * 4 + 3 * 2, 12 * 2 + 3)


def test_terms_their_phrase_words_stop_words_and_rare_words_are_not_candidates():
    terms = set(run().table["term"])
    assert {"war", "attackers", "armed", "clash"}.isdisjoint(terms)  # terms (exact, wildcard, phrase words)
    assert {"the", "an", "to", "at", "and"}.isdisjoint(terms)  # stop words
    assert "shelling" not in terms  # in 3 matching sentences, below --min-count 5
    assert "shelling" in set(run(min_count=3).table["term"])
    assert "market" not in terms  # never in a matching sentence: z < 0
    assert all(run().table["count_in"] >= 5)


def test_numbers_are_the_documented_formulas():
    found = run(min_count=1, top=100)
    row = found.table.set_index("term").loc["bombing"]
    # PMI in bits over sentences: log2(P(w, M) / (P(w) P(M)))
    assert row["pmi"] == pytest.approx(np.log2((24 / 54) / ((24 / 54) * (27 / 54))))
    assert row["words"] == 1
    assert row["se"] > 0 and row["log_odds"] == pytest.approx(row["z"] * row["se"])


def test_log_odds_are_distinctive_log_odds_over_the_candidate_counts():
    lex = compile_lexicons([lexicon()])
    work = TermSuggester(lex, find_category(lex, "conflict"))
    work.add_chunk(corpus())
    found = work.result(min_count=1, top=1000)
    y_in, y_out = work.count_in.astype(float), work.count_out.astype(float)
    a0 = (y_in + y_out).sum() / 15
    _, _, z = log_odds_dirichlet(y_in, y_out, a0 * (y_in + y_out) / (y_in + y_out).sum())
    expected = {w: zz for w, zz in zip(work.words, z) if zz > 0}
    assert dict(zip(found.table["term"], found.table["z"])) == pytest.approx(expected)
    assert found.prior_tokens == pytest.approx(a0)


def test_examples_come_from_the_first_two_articles_by_id():
    row = run().table.set_index("term").loc["bombing"]
    # b00 has it twice in matching sentences; its first occurrence is shown, then b01's
    assert row["example_1"] == "The war brought heavy [bombing] to town 0."
    assert row["example_2"] == "The war brought heavy [bombing] to town 1."
    assert run(chunk_articles=1).table.equals(run().table)
    shuffled = corpus()[::-1]
    assert run(shuffled).table.equals(run().table)


def test_any_chunking_and_order_gives_the_same_table():
    base = run(min_count=1, top=100, phrases=True).table
    for size in (1, 4, 500):
        assert run(min_count=1, top=100, phrases=True, chunk_articles=size).table.equals(base)


def test_phrases_are_pairs_of_adjacent_content_words_in_one_sentence():
    arts = [Article(id=f"d{i}", text="War again. Heavy bombing hit the war zone. Quiet market day.") for i in range(6)]
    table = run(arts, phrases=True, min_count=5).table
    by_term = table.set_index("term")
    assert "heavy bombing" in by_term.index and by_term.loc["heavy bombing", "words"] == 2
    assert "bombing hit" in by_term.index
    assert "war zone" not in by_term.index  # "war" is a term: its tokens are never candidates
    assert "hit the" not in by_term.index and "the war" not in by_term.index  # stop words
    assert "market day" not in by_term.index  # never in a matching sentence
    assert not any(" " in t for t in run(arts, min_count=5).table["term"])


def test_negated_matches_do_not_make_a_sentence_match(monkeypatch):
    import framing.workbench.suggest as suggest

    real = suggest.match

    def negate_all(lex, table, rid=None):
        found = real(lex, table, rid)
        found.negated[:] = True
        return found

    monkeypatch.setattr(suggest, "match", negate_all)
    found = run(min_count=1)
    assert found.n_matching == 0 and len(found.table) == 0
    assert "no sentence holds a counted match" in found.notes[0]


def test_category_names():
    lex = compile_lexicons([lexicon(), Lexicon(name="u", categories=(Category("talk", "", "", (term("chat"),)),))])
    assert find_category(lex, "t.conflict") == 0
    assert find_category(lex, "conflict") == 0
    assert find_category(lex, "u.talk") == 2
    with pytest.raises(InputError, match="several lexicons; name one of t.talk, u.talk"):
        find_category(lex, "talk")
    with pytest.raises(InputError, match="no category 'peace'"):
        find_category(lex, "peace")


def test_bad_counts_are_input_errors():
    with pytest.raises(InputError, match="^min_count must be at least 1") as raised:
        run(min_count=0)
    assert raised.value.argument == "min_count"  # the CLI says --min-count
    with pytest.raises(InputError, match="^top must be at least 1"):
        run(top=0)


# --- the command -----------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    p = Parser(prog="framing lexicon")
    add_suggest(p.add_subparsers(dest="lexicon_command", parser_class=Parser))
    return p


def write_corpus(write) -> str:
    lines = ["id,text"] + [f'{a.id},"{a.text}"' for a in corpus()]
    return str(write("corpus.csv", "\n".join(lines) + "\n"))


def write_lexicon(write) -> str:
    return str(write("t.csv", "category,term\nconflict,war\nconflict,attack*\nconflict,armed clash\ntalk,talks\n"))


def call(argv, capsys):
    args = parser().parse_args(argv)
    status = args.handler(args, argv)
    out = capsys.readouterr()
    return status, out.out, out.err


def test_parser_defaults():
    args = parser().parse_args(["suggest", "frames.war_conflict", "a.jsonl", "b.jsonl"])
    assert (args.category, args.corpus, args.min_count, args.top, args.out, args.lexicon) == (
        "frames.war_conflict", ["a.jsonl", "b.jsonl"], 5, 30, None, None)
    assert not args.quiet and not args.phrases


def test_the_command_prints_the_table_and_writes_the_same_bytes_each_time(write, tmp_path, capsys):
    corpus_path, lex_path = write_corpus(write), write_lexicon(write)
    out = tmp_path / "cand.csv"
    argv = ["suggest", "t.conflict", corpus_path, "--lexicon", lex_path, "--out", str(out), "--quiet"]
    status, stdout, stderr = call(argv, capsys)
    assert status == 0 and stderr == ""
    lines = stdout.splitlines()
    assert lines[0].split() == ["rank", "term", "z", "log_odds", "in", "out", "docs", "pmi", "example"]
    assert lines[1].split()[:2] == ["1", "bombing"]
    assert "Nothing was added to the lexicon" in stdout
    first = out.read_bytes()
    assert first.startswith(b"category,rank,term,words,z,log_odds,se,count_in,count_out,docs,pmi,example_1,example_2\r\n")
    assert b"t.conflict,1,bombing,1," in first
    call(argv, capsys)
    assert hashlib.sha256(out.read_bytes()).digest() == hashlib.sha256(first).digest()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".cand")] == []  # no temp file left


def test_csv_cells_that_look_like_formulas_are_neutralised(write, tmp_path, capsys):
    lex_path = write_lexicon(write)
    texts = ["=cmd war now. Nothing new today."] * 6
    corpus_path = write("c.jsonl", "".join(f'{{"id": "=x{i}", "text": "{t}"}}\n' for i, t in enumerate(texts)))
    out = tmp_path / "c.csv"
    call(["suggest", "conflict", str(corpus_path), "--lexicon", lex_path, "--out", str(out), "--quiet"], capsys)
    body = out.read_text(encoding="utf-8")
    assert "t.conflict,1,cmd,1," in body
    assert ",'=[cmd] war now.,'=[cmd] war now." in body
    for line in body.splitlines()[1:]:
        for cell in line.split(","):
            assert not cell.startswith(("=", "+", "-", "@"))


def test_progress_goes_to_stderr_unless_quiet(write, capsys):
    corpus_path, lex_path = write_corpus(write), write_lexicon(write)
    _, _, stderr = call(["suggest", "t.conflict", corpus_path, "--lexicon", lex_path], capsys)
    assert "reading and counting" in stderr
    _, _, stderr = call(["suggest", "t.conflict", corpus_path, "--lexicon", lex_path, "--quiet"], capsys)
    assert stderr == ""


@pytest.mark.parametrize("extra, message", [
    (["--min-count", "0"], "error: --min-count must be at least 1, got 0"),
    (["--top", "0"], "error: --top must be at least 1, got 0"),
    (["--out", "/nonexistent-folder/x.csv"], "error: cannot write"),
])
def test_bad_options_are_one_line_errors_naming_the_flag(write, capsys, extra, message):
    from framing.cli import main

    corpus_path, lex_path = write_corpus(write), write_lexicon(write)
    status = main(["lexicon", "suggest", "t.conflict", corpus_path, "--lexicon", lex_path, *extra])
    err = capsys.readouterr().err
    assert status == 2 and err.startswith(message) and err.count("\n") == 1


def test_an_unknown_category_fails_before_the_corpus_is_read(write, capsys):
    with pytest.raises(InputError, match="no category 'nope'"):
        call(["suggest", "nope", "/nonexistent.jsonl", "--lexicon", write_lexicon(write)], capsys)


def test_out_may_not_be_a_folder(write, tmp_path, capsys):
    with pytest.raises(OutputError, match="is a folder"):
        call(["suggest", "t.conflict", write_corpus(write), "--lexicon", write_lexicon(write), "--out", str(tmp_path)],
             capsys)


def test_every_column_and_option_is_documented():
    doc = (ROOT / "docs" / "suggest.md").read_text(encoding="utf-8")
    for column in SUGGEST_COLUMNS:
        assert f"`{column}`" in doc, column
    for action in parser()._subparsers._group_actions[0].choices["suggest"]._actions:
        for flag in action.option_strings:
            if flag.startswith("--") and flag != "--help":
                assert flag in doc, flag
