"""The report folder is always whole: a run killed at any point, even between
two renames, leaves the previous report or (after recovery) the new one.

The killed runs are real processes that die with ``os._exit`` (no cleanup,
no ``finally``), which is what SIGKILL or a crash leaves behind.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from framing.cli import main
from framing.outputs import REPORT_FILES, recover

LEXICON = "name: t\ncategories:\n  talk:\n    terms: [said, talks, agreed]\n"

# Runs the CLI in a child process that dies (os._exit, like SIGKILL) on the
# k-th rename into the output folder.
DYING_RUN = textwrap.dedent(
    """
    import os, sys
    out, k = os.path.realpath(sys.argv[1]), int(sys.argv[2])
    real_replace, moved = os.replace, [0]
    def dying_replace(src, dst):
        if os.path.realpath(os.path.dirname(os.path.dirname(os.fspath(src)))) == out or \\
           os.path.realpath(os.fspath(dst)).startswith(out + os.sep):
            if moved[0] == k:
                os._exit(9)
            moved[0] += 1
        real_replace(src, dst)
    os.replace = dying_replace
    from framing.cli import main
    main(["analyze", *sys.argv[3:], "--out", out, "--quiet"])
    """
)


def make_corpus(root: Path, words: str) -> Path:
    root.mkdir(parents=True)
    for i in range(3):
        (root / f"a{i}.txt").write_text(f"Officials {words} on day {i}. They said more.", encoding="utf-8")
    return root


def _files(out: Path) -> dict[str, bytes]:
    """Every report file but run.json (which holds timings) and staging folders."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != "run.json" and not p.relative_to(out).as_posix().startswith(".framing")
    }


@pytest.fixture
def runs(tmp_path):
    """An old report in ``out``, and the reference for the new one in ``ref``."""
    lex = tmp_path / "lex.yaml"
    lex.write_text(LEXICON, encoding="utf-8")
    old = make_corpus(tmp_path / "old", "talks")
    new = make_corpus(tmp_path / "new", "agreed and said")
    out, ref = tmp_path / "out", tmp_path / "ref"
    args = ["--lexicon", str(lex), "--no-charts", "--quiet"]
    assert main(["analyze", str(old), "--out", str(out), *args]) == 0
    assert main(["analyze", str(new), "--out", str(ref), *args]) == 0
    return {"out": out, "old": _files(out), "new": _files(ref), "new_args": [str(new), "--lexicon", str(lex),
            "--no-charts"], "lex": lex, "ref": ref}


def _die_after(runs: dict, k: int) -> None:
    code = subprocess.run(
        [sys.executable, "-c", DYING_RUN, str(runs["out"]), str(k), *runs["new_args"]],
        check=False, capture_output=True, text=True, timeout=300,
    )
    assert code.returncode == 9, code.stderr


def test_killed_before_the_move_leaves_the_previous_report(runs):
    _die_after(runs, 0)  # dies placing the COMMIT list: nothing moved yet
    assert _files(runs["out"]) == runs["old"]
    assert recover(runs["out"]) == []  # nothing to finish: the staging folder is just removed
    assert not list(runs["out"].glob(".framing-staging-*"))
    assert _files(runs["out"]) == runs["old"]


@pytest.mark.parametrize("k", [2, len(REPORT_FILES)])
def test_killed_during_the_move_is_finished_by_recovery(runs, k):
    _die_after(runs, k)  # the COMMIT list and k - 1 files moved: a mixed folder
    mixed = _files(runs["out"])
    assert mixed != runs["old"] and mixed != runs["new"]
    assert len(recover(runs["out"])) == 1
    assert _files(runs["out"]) == runs["new"]
    assert not list(runs["out"].glob(".framing-staging-*"))


def test_the_next_run_finishes_a_killed_move_before_its_own(runs, tmp_path):
    _die_after(runs, 3)
    # The next run writes only a different lexicon's report; the killed run's
    # move must be finished first, then replaced by this run's files.
    other = make_corpus(tmp_path / "other", "said twice, said")
    assert main(["analyze", str(other), "--lexicon", str(runs["lex"]), "--out", str(runs["out"]), "--no-charts",
                 "--quiet"]) == 0
    assert main(["analyze", str(other), "--lexicon", str(runs["lex"]), "--out", str(tmp_path / "ref2"),
                 "--no-charts", "--quiet"]) == 0
    assert _files(runs["out"]) == _files(tmp_path / "ref2")
    assert not list(runs["out"].glob(".framing-staging-*"))


def test_a_tampered_commit_list_cannot_touch_files_outside_out(tmp_path):
    out = tmp_path / "out"
    stage = out / ".framing-staging-1-x"
    stage.mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (stage / "COMMIT").write_text(f"- ../victim.txt\n- {victim}\n+ ../escape.csv\n", encoding="utf-8")
    (tmp_path / "escape.csv").write_text("outside")
    recover(out)
    assert victim.read_text() == "keep me" and (tmp_path / "escape.csv").read_text() == "outside"
    assert not stage.exists()


def test_no_charts_run_removes_the_charts_of_an_earlier_run(tmp_path):
    corpus = make_corpus(tmp_path / "c", "talks")
    out = tmp_path / "out"
    assert main(["analyze", str(corpus), "--out", str(out), "--quiet"]) == 0
    assert list((out / "charts").glob("*.png"))
    (out / "charts" / "mine.png").write_bytes(b"a file the user put here")
    assert main(["analyze", str(corpus), "--out", str(out), "--quiet", "--no-charts"]) == 0
    assert [p.name for p in (out / "charts").iterdir()] == ["mine.png"]
