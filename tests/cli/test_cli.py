"""The command line contract: outputs, exit codes, one-line errors, atomic writes."""

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from framing.cli import main
from framing.outputs import REPORT_FILES
from framing.outputs import report as write_mod

from ..conftest import ROOT

SMALL_LEXICON = "name: mini\ncategories:\n  talk:\n    label: Talk\n    description: d\n    terms: [said, talks, 'agree*']\n"


@pytest.fixture
def small(write, tmp_path):
    write("c/one.txt", "Leaders said talks went well. They agreed.")
    write("c/two.txt", "=cmd|' /C calc'!A0 said the blog, agreeing.")
    write("c/three.txt", "Nothing relevant here at all.")
    write("c/manifest.csv", "file,outlet,source_type,title\none.txt,Reuters,wire,One\n"
          "two.txt,Blog,independent_commentary,=HYPERLINK(\"x\")\nthree.txt,AP,wire,Three\n")
    write("lex.yaml", SMALL_LEXICON)
    return tmp_path


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.csv"))}


def test_analyze_writes_every_table(small, capsys):
    out = small / "out"
    code = main(["analyze", str(small / "c"), "--lexicon", str(small / "lex.yaml"), "--out", str(out),
                 "--no-charts", "--quiet"])
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(REPORT_FILES)
    report = pd.read_csv(out / "report.csv", keep_default_na=False)
    assert report["article_id"].tolist() == ["one.txt", "three.txt", "two.txt"]
    assert "mini.talk" in report.columns
    # Formula-looking text is neutralised; numbers stay numbers.
    assert report.set_index("article_id").loc["two.txt", "title"] == "'=HYPERLINK(\"x\")"
    matches = pd.read_csv(out / "matches.csv", keep_default_na=False)
    assert set(matches["term"]) == {"said", "talks", "agree*"}
    run = json.loads((out / "run.json").read_text())
    assert run["articles_read"] == 3 and run["lexicons"][0]["entries"] == 3
    assert len(run["corpus_sha256"]) == 64 and "score" in run["timings_seconds"]
    assert not list(out.glob(".framing-staging-*"))


def test_same_input_gives_byte_identical_csv_for_any_jobs(small):
    base = ["analyze", str(small / "c"), "--lexicon", str(small / "lex.yaml"), "--no-charts", "--quiet"]
    assert main([*base, "--out", str(small / "a")]) == 0
    assert main([*base, "--out", str(small / "b"), "--jobs", "2"]) == 0
    assert digest(small / "a") == digest(small / "b")
    # report, summary, comparisons, evaluation, terms, matches, labels, stories, coverage, within_story
    assert len(digest(small / "a")) == 10


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyze", "NOPE"], "error: corpus not found: NOPE"),
        (["analyze", "{c}", "--lexicon", "missing.yaml"], "error: missing.yaml: error: cannot read"),
        (["analyze", "{c}", "--jobs", "0"], "error: --jobs must be at least 1, got 0"),
        (["analyze", "{c}", "--manifest", "nope.csv"], "error: manifest not found: nope.csv"),
        (["analyze"], "error: the following arguments are required: CORPUS"),
        (["frobnicate"], "error: argument COMMAND: invalid choice"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(small, capsys, args, message):
    args = [a.replace("{c}", str(small / "c")) for a in args]
    with pytest.raises(SystemExit) if args[0] == "frobnicate" or args == ["analyze"] else _nullcontext():
        code = main([*args, "--out", str(small / "o")] if args[0] == "analyze" and len(args) > 1 else args)
        assert code == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if not line.startswith(("reading", "warning"))]
    assert len(lines) == 1 and lines[0].startswith(message)
    assert "Traceback" not in err


class _nullcontext:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_bad_lexicon_leaves_previous_report_intact(small, write):
    out = small / "out"
    base = ["analyze", str(small / "c"), "--out", str(out), "--no-charts", "--quiet"]
    assert main([*base, "--lexicon", str(small / "lex.yaml")]) == 0
    before = digest(out)
    write("bad.yaml", "name: x\ncategories:\n  a:\n    terms: [{term: sanctions, weight: heavy}]\n")
    assert main([*base, "--lexicon", str(small / "bad.yaml")]) == 2
    assert digest(out) == before


def test_failure_while_writing_leaves_previous_report_intact(small, monkeypatch, capsys):
    out = small / "out"
    base = ["analyze", str(small / "c"), "--lexicon", str(small / "lex.yaml"), "--out", str(out), "--quiet"]
    assert main([*base, "--no-charts"]) == 0
    before = digest(out)

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write_mod, "csv_bytes", lambda df, **kw: broken())
    assert main([*base, "--no-charts", "--jobs", "1"]) == 2
    assert "error: cannot write the report" in capsys.readouterr().err
    assert digest(out) == before
    assert not list(out.glob(".framing-staging-*"))


def test_unwritable_output_path(small, capsys):
    target = small / "file.txt"
    target.write_text("x")
    assert main(["analyze", str(small / "c"), "--out", str(target), "--no-charts", "--quiet"]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_lexicon_check_reports_every_problem(write, capsys):
    good = write("g.yaml", SMALL_LEXICON)
    bad = write("b.yaml", "name: b\ncategories:\n  a:\n    terms: [{term: x, weight: nan}, ok, {term: y, weight: z}]\n")
    assert main(["lexicon", "check", str(good)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"{good}: ok: lexicon mini (dimensions), 1 category, 3 terms"
    assert main(["lexicon", "check", str(bad)]) == 2
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and all(line.startswith(f"{bad}:4: error:") for line in out)


def test_version_and_help_on_every_command(capsys):
    for args in (["--version"], ["--help"], ["analyze", "--help"], ["lexicon", "--help"], ["lexicon", "check", "--help"]):
        with pytest.raises(SystemExit) as info:
            main(args)
        assert info.value.code == 0
    assert "framing 0." in capsys.readouterr().out


def test_python_dash_m_runs_the_cli():
    proc = subprocess.run([sys.executable, "-m", "framing", "--version"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and proc.stdout.startswith("framing ")


@pytest.mark.slow
def test_seeds_end_to_end(tmp_path):
    out = tmp_path / "seeds-report"
    proc = subprocess.run(
        [sys.executable, "-m", "framing", "analyze", str(ROOT / "seeds"), "--out", str(out)],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    report = pd.read_csv(out / "report.csv")
    assert len(report) == 5
    assert set(report["source_type"]) == {"state_media", "wire", "independent_commentary", "unknown"}
    for name in ("summary.csv", "terms.csv", "matches.csv", "run.json"):
        assert (out / name).stat().st_size > 0
    charts = sorted(p.name for p in (out / "charts").iterdir())
    assert len(charts) >= 10 and all(n.endswith((".png", ".svg")) for n in charts)
    for col in ("frames.economy_trade", "style.attribution", "labels.ukraine_invasion"):
        assert col in report.columns




@pytest.mark.parametrize("argv, named", [
    (["analyze", "seeds", "--bogus"], "framing analyze --help"),
    (["lexicon", "check", "x.yaml", "--bogus"], "framing lexicon check --help"),
    (["--bogus"], "framing --help"),
])
def test_an_unknown_option_names_the_help_of_its_own_command(argv, named, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and err == f"error: unrecognized arguments: --bogus (see '{named}')\n"


def test_analyze_counting_liwc_counts_a_phrase_once_per_word_and_records_it(write, tmp_path):
    write("c/a.txt", "Outlet: x\nType: wire\n\nA trade war began. The war went on.")
    lexicon = write("mini.dic", "%\n1\tconflict\n2\twar\n%\ntrade war\t1\nwar\t2\n")
    rates = {}
    for counting in ("framing", "liwc"):
        out = tmp_path / counting
        assert main(["analyze", str(tmp_path / "c"), "--lexicon", str(lexicon), "--out", str(out), "--no-charts",
                     "--quiet", "--counting", counting]) == 0
        row = next(csv.DictReader((out / "report.csv").open(encoding="utf-8")))
        rates[counting] = (float(row["mini.conflict"]), float(row["mini.war"]), int(row["n_tokens"]))
        assert json.loads((out / "run.json").read_text())["options"]["counting"] == counting
        page = (out / "report.html").read_text(encoding="utf-8")
        assert ("Counted as LIWC counts" in page) == (counting == "liwc")
    (f_conflict, f_war, n), (l_conflict, l_war, _) = rates["framing"], rates["liwc"]
    # framing: "trade war" once in conflict, both "war"s in war; LIWC: the phrase's 2 words, its "war" used up.
    assert (f_conflict, f_war) == pytest.approx((1000 / n, 2000 / n), abs=1e-3)
    assert (l_conflict, l_war) == pytest.approx((2000 / n, 1000 / n), abs=1e-3)
