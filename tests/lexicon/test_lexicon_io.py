"""Lexicon files: naming a lexicon (a path or a built-in), loading, saving, and which way the imports run."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import framing
from framing.cli import main
from framing.errors import LexiconError
from framing.lexicon import Lexicon, builtin_lexicon_paths, lexicon_path, load_lexicon, load_lexicons
from framing.outputs import save_lexicon

from ..conftest import ROOT

MINE = "name: mine\ncategories:\n  talk:\n    terms: [said]\n"
BUILTINS = {p.stem: p for p in builtin_lexicon_paths()}


# ------------------------------------------------------------------ naming a lexicon


@pytest.mark.parametrize("name", ["frames", "news_frames", "style", "labels", "frames.yaml", "news_frames.yaml", "style.yaml", "labels.yaml"])
def test_a_builtin_is_found_by_name_with_or_without_its_suffix(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # an empty working folder: nothing there shadows the built-ins
    assert lexicon_path(name) == BUILTINS[name.removesuffix(".yaml")]
    assert load_lexicon(name).name == name.removesuffix(".yaml")


def test_a_file_in_the_working_folder_wins_over_the_builtin(write, tmp_path, monkeypatch):
    write("style.yaml", MINE)
    monkeypatch.chdir(tmp_path)
    assert lexicon_path("style.yaml") == Path("style.yaml")
    assert load_lexicon("style.yaml").name == "mine"
    assert load_lexicon("style").name == "style"  # no file called "style": the built-in


def test_a_path_is_a_path(write):
    path = write("sub/mine.yaml", MINE)
    assert lexicon_path(path) == path
    assert lexicon_path(str(path)) == path


def test_a_path_that_is_not_there_is_not_a_builtin(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert lexicon_path("./style") == Path("style")
    assert lexicon_path("missing/mine.yaml") == Path("missing/mine.yaml")
    with pytest.raises(LexiconError, match=r"^missing/mine.yaml: error: cannot read: No such file or directory$"):
        load_lexicon("missing/mine.yaml")


def test_a_name_that_is_neither_names_the_builtins(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    message = ("stlye: error: cannot read: No such file or directory, and not the name of a built-in lexicon "
               "(frames, news_frames, style, labels)")
    with pytest.raises(LexiconError) as info:
        lexicon_path("stlye")
    assert str(info.value) == message and info.value.problems == [message]
    with pytest.raises(LexiconError) as info:
        load_lexicon("stlye")
    assert str(info.value) == message


def test_load_lexicons_reads_names_paths_and_lexicons(write):
    mine = load_lexicon(write("mine.yaml", MINE))
    assert [lx.name for lx in load_lexicons(["style", mine])] == ["style", "mine"]
    assert [lx.name for lx in load_lexicons()] == ["frames", "news_frames", "style", "labels"]
    assert [lx.name for lx in load_lexicons([])] == ["frames", "news_frames", "style", "labels"]
    # A built-in named by the user is the same lexicon as the default one, provenance included.
    assert load_lexicons(["frames"])[0] == load_lexicons()[0]


def test_the_package_face_hands_on_the_one_load_lexicons():
    import framing.lexicon

    assert framing.lexicon.load_lexicons is load_lexicons


# ------------------------------------------------------------------ every command takes a built-in name


@pytest.fixture
def corpus(write, tmp_path):
    write("c/one.txt", "Officials said the trade talks went well.")
    write("c/two.txt", "The war goes on, critics said.")
    write("c/manifest.csv", "file,outlet,source_type\none.txt,Reuters,wire\ntwo.txt,Blog,independent_commentary\n")
    return tmp_path / "c"


def test_analyze_takes_a_builtin_name(corpus, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["analyze", str(corpus), "--lexicon", "style", "--out", "out", "--quiet", "--jobs", "1"]) == 0
    header = (tmp_path / "out" / "report.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "style." in header and "frames." not in header


def test_analyze_with_an_unknown_name_says_what_the_names_are(corpus, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["analyze", str(corpus), "--lexicon", "stlye", "--out", "out", "--quiet"]) == 2
    assert capsys.readouterr().err == (
        "error: stlye: error: cannot read: No such file or directory, and not the name of a built-in lexicon "
        "(frames, news_frames, style, labels)\n")


def test_lexicon_check_takes_a_builtin_name(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["lexicon", "check", "-q", "labels"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{BUILTINS['labels']}: ")  # named by its real file, so its lines can be found


def test_lexicon_stats_takes_a_builtin_name_and_the_same_error(corpus, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["lexicon", "stats", "style.yaml", str(corpus), "--out", "st", "--quiet"]) == 0
    assert (tmp_path / "st" / "term_stats.csv").exists()
    capsys.readouterr()
    assert main(["lexicon", "diff", "frames", "nope", str(corpus), "--out", "df", "--quiet"]) == 2
    assert capsys.readouterr().err == (
        "error: nope: error: cannot read: No such file or directory, and not the name of a built-in lexicon "
        "(frames, news_frames, style, labels)\n")


# ------------------------------------------------------------------ loading and saving


def test_save_lexicon_and_load_lexicon_are_the_public_way(write, tmp_path):
    assert framing.save_lexicon is save_lexicon and framing.load_lexicon is load_lexicon
    assert "save_lexicon" in framing.__all__
    lexicon = load_lexicon(write("mine.yaml", MINE)).with_terms("talk", ["talks"])
    assert save_lexicon(lexicon, tmp_path / "again.csv") == []
    assert [t.text for t in load_lexicon(tmp_path / "again.csv").category("talk").terms] == ["said", "talks"]


# ------------------------------------------------------------------ imports run one way


def _framing_imports(path: Path) -> set[str]:
    """The framing modules ``path`` imports, anywhere in it (inside functions too), as dotted names."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            found.add(".".join([*base, *([node.module] if node.module else [])]))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m.startswith("framing")}


def test_the_model_imports_only_the_layers_below_it():
    assert _framing_imports(ROOT / "framing" / "lexicon" / "model.py") == {"framing.errors", "framing.tokenize"}
    assert not hasattr(Lexicon, "load") and not hasattr(Lexicon, "save")


def test_formats_writers_and_check_do_no_file_access():
    lexicon = ROOT / "framing" / "lexicon"
    paths = [*(lexicon / "formats").glob("*.py"), *(lexicon / "writers").glob("*.py"), lexicon / "check.py"]
    assert len(paths) > 3
    for path in paths:
        assert "framing.lexicon.io" not in _framing_imports(path), path
