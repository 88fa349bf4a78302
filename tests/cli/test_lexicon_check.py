"""``framing lexicon check``: warnings summarised by kind (errors never), ``--all``, and the CSV lexicon flags."""

from __future__ import annotations

import pytest

from framing.cli import main
from framing.cli.lexicon import EXAMPLES_SHOWN, problem_lines
from framing.lexicon.model import Problem

# Five terms in both categories, and two terms with punctuation (a warning of no kind).
TWICE = "category,term\n" + "".join(f"a,w{i}\nb,w{i}\n" for i in range(5)) + "a,u.s.\nb,a&b\n"


def check(capsys, *argv: str) -> tuple[int, list[str], str]:
    status = main(["lexicon", "check", *argv])
    out, err = capsys.readouterr()
    return status, out.splitlines(), err


def test_warnings_of_one_kind_show_three_examples_and_a_count(write, capsys):
    path = write("twice.csv", TWICE)
    status, lines, err = check(capsys, "-q", str(path))
    assert status == 0 and err == ""
    twice = [line for line in lines if "it counts in both" in line]
    assert twice == [f'{path}:{3 + 2 * i}: warning: term "w{i}" is in b and in a (line {2 + 2 * i}); it counts in both'
                     for i in range(EXAMPLES_SHOWN)]
    assert lines[-3:] == [
        f"{path}: note: 5 warnings of kind term-in-two-categories, the first 3 shown",
        f"{path}: 7 warnings: lexicon twice (dimensions), 2 categories, 12 terms",
        "note: 2 warnings not shown; framing lexicon check --all prints every one",
    ]
    # A warning without a kind is a kind of its own: every one is shown.
    assert len([line for line in lines if "contains punctuation" in line]) == 2


def test_all_prints_every_warning(write, capsys):
    path = write("twice.csv", TWICE)
    status, lines, _ = check(capsys, "--all", "-q", str(path))
    assert status == 0
    assert len([line for line in lines if "it counts in both" in line]) == 5
    assert not [line for line in lines if "note:" in line]


def test_without_quiet_the_counts_follow_the_summary(write, capsys):
    path = write("twice.csv", TWICE)
    _, lines, _ = check(capsys, str(path))
    assert lines[-4:] == [
        f"{path}: 7 warnings: lexicon twice (dimensions), 2 categories, 12 terms",
        "  a: 6 terms (1 phrase, 0 wildcards, 0 weighted), negation off",
        "  b: 6 terms (1 phrase, 0 wildcards, 0 weighted), negation off",
        "note: 2 warnings not shown; framing lexicon check --all prints every one",
    ]


def test_errors_are_never_summarised(write, capsys):
    path = write("bad.csv", "category,term,weight\n" + "".join(f"a,w{i},heavy\n" for i in range(6)))
    status, lines, err = check(capsys, str(path))
    assert status == 2 and err == "error: 6 errors in 1 lexicon file\n"
    assert len([line for line in lines if ": error: " in line]) == 6


def test_problem_lines_group_by_kind_per_file():
    problems = [Problem("f", n, "warning", f"w{n}", "k") for n in range(1, 6)]
    problems.insert(2, Problem("f", 2, "error", "bad", "k"))
    lines, held = problem_lines(problems)
    assert lines == ["f:1: warning: w1", "f:2: warning: w2", "f:2: error: bad", "f:3: warning: w3",
                     "f: note: 5 warnings of kind k, the first 3 shown"]
    assert held == 2
    assert problem_lines(problems, every=True) == ([str(p) for p in problems], 0)


# --- the CSV lexicon flags ------------------------------------------------------

LM = "Word,Seq_num,Negative,Positive\nABANDON,1,2009,0\nABLE,2,0,2009\nBOOST,3,0,-2020\n"


def test_check_reads_a_wide_file_with_the_flags(write, capsys):
    path = write("lm.csv", LM)
    status, lines, _ = check(capsys, "--csv-categories", "Negative,Positive", str(path))
    assert status == 0
    assert lines[0] == f"{path}: ok: lexicon lm (dimensions), 2 categories, 2 terms"


def test_check_messages_name_the_flags(write, capsys):
    path = write("lm.csv", LM)
    status, lines, _ = check(capsys, str(path))
    assert status == 2
    assert "name them with --csv-term COLUMN and --csv-category COLUMN, or give --csv-layout wide" in lines[0]
    status, lines, _ = check(capsys, "--csv-categories", "Negativ", str(path))
    assert lines == [f"{path}:1: error: --csv-categories Negativ: the header has no column of that name; the header "
                     "is 'Word,Seq_num,Negative,Positive'"]


@pytest.mark.parametrize(("argv", "message"), [
    (["lexicon", "check", "style", "--csv-layout", "wide"],
     "error: --csv-layout is for CSV lexicons (.csv), and no lexicon given is one\n"),
    (["lexicon", "check", "{lm}", "--csv-categories", "Negative", "--csv-category", "x"],
     "error: --csv-categories is for --csv-layout wide; it cannot go with --csv-category\n"),
    (["lexicon", "check", "{lm}", "--csv-layout", "wide", "--csv-weight", "w"],
     "error: --csv-weight is for --csv-layout long (a wide file has one column per category: --csv-categories "
     "names them)\n"),
    (["analyze", "{corpus}", "--csv-term", "Word"],
     "error: --csv-term is for CSV lexicons (.csv), and no lexicon given is one\n"),
])
def test_bad_flags_are_one_line_errors(write, capsys, argv, message):
    lm, corpus = write("lm.csv", LM), write("corpus/a.txt", "text")
    status = main([a.format(lm=lm, corpus=corpus.parent) for a in argv])
    out, err = capsys.readouterr()
    assert status == 2 and err == message


def test_convert_a_wide_file_with_the_flags(write, capsys, tmp_path):
    path = write("lm.csv", LM)
    status = main(["lexicon", "convert", str(path), str(tmp_path / "lm.yaml"), "--csv-categories", "Negative,Positive"])
    assert status == 0
    assert capsys.readouterr().out == f"wrote {tmp_path / 'lm.yaml'} (2 categories, 2 terms)\n"
