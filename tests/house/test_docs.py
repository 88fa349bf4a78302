"""The documentation promises what the code does.

The command line is read from ``python -m framing ... --help`` in a
subprocess, so these tests see the options a user sees, and no private
name of framing is imported.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from framing import analyze

from ..conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"
CLI_DOC = (DOCS / "cli.md").read_text(encoding="utf-8")
# The page of every output file and column (docs/outputs.md points to it).
OUTPUTS_DOC = (DOCS / "report.md").read_text(encoding="utf-8")
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]

README_MAX_LINES = 220
IMAGE_MAX_BYTES = 300_000


# ------------------------------------------------------------------ README


def test_readme_opens_with_the_two_commands():
    first = [line.strip() for line in README.splitlines()[:5] if line.strip().startswith("pip")]
    assert first == ['pip install -e . && framing analyze seeds', 'pip install -e ".[test]" && python -m pytest']


def test_every_python_example_of_the_python_page_runs(tmp_path, monkeypatch):
    """docs/python.md's examples, one after the other as a reader would, in a folder with the seeds."""
    for name in ("seeds", "lexicons"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / "reports").mkdir()
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```python\n(.*?)```", (DOCS / "python.md").read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) >= 4
    namespace: dict = {}
    for code in blocks:
        exec(compile(code, "docs/python.md", "exec"), namespace)
    assert len(namespace["result"].scores) == 5
    assert (tmp_path / "reports" / "api" / "report.csv").is_file() and (tmp_path / "reports" / "mine.yaml").is_file()


def test_readme_python_example_runs(monkeypatch):
    monkeypatch.chdir(ROOT)
    code = re.search(r"```python\n(.*?)```", README, re.DOTALL).group(1)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert len(namespace["result"].scores) == 5


def test_readme_is_a_short_page():
    n = len(README.splitlines())
    assert n < README_MAX_LINES, f"README.md has {n} lines; the reference belongs in docs/"


def test_readme_pictures_exist_and_are_small():
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", README)
    assert images, "README.md shows no picture of the report"
    for target in images:
        path = ROOT / target
        assert path.is_file(), f"README.md shows {target}, which does not exist"
        assert path.stat().st_size < IMAGE_MAX_BYTES, f"{target} is {path.stat().st_size:,} bytes"


def test_readme_links_every_docs_page():
    linked = {Path(m).name for m in re.findall(r"\]\(docs/([^)#\s]+\.md)", README)}
    pages = {p.name for p in DOCS.glob("*.md")} - {"outputs.md"}  # outputs.md only points to report.md
    assert pages <= linked, f"docs pages not linked from README.md: {sorted(pages - linked)}"


# ------------------------------------------------------------------ the command line


def _help(*command: str) -> str:
    done = subprocess.run([sys.executable, "-m", "framing", *command, "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _options(text: str) -> dict[tuple[str, ...], str]:
    """``--help`` text -> {option strings: help text} for the entries of its "options:" section."""
    entries: dict[tuple[str, ...], str] = {}
    section = re.split(r"(?m)^options:\n", text, maxsplit=1)[1]
    current = None
    for line in section.splitlines():
        m = re.match(r"^  (-\S.*?)(?: {2,}(.*))?$", line)
        if m:
            flags = tuple(re.findall(r"(?:^|, )(-{1,2}[\w-]+)", m.group(1)))
            current = flags
            entries[current] = m.group(2) or ""
        elif line.startswith("   ") and current is not None:
            entries[current] += " " + line.strip()
        elif not line.strip():
            current = None
    return {k: " ".join(v.split()) for k, v in entries.items()}


def _subcommands(text: str) -> list[str]:
    """The sub-commands a ``--help`` text lists (argparse indents each by four spaces)."""
    if "positional arguments:" not in text:
        return []
    section = text.split("positional arguments:", 1)[1].split("\noptions:", 1)[0]
    return re.findall(r"(?m)^ {4}([a-z][\w-]*)(?: |$)", section)


@functools.lru_cache(maxsize=1)
def _cli() -> dict[tuple[str, ...], dict[tuple[str, ...], str]]:
    """Every command path (``()``, ``("analyze",)``, ``("lexicon", "check")``, ...) -> its options."""
    found: dict[tuple[str, ...], dict[tuple[str, ...], str]] = {}
    todo: list[tuple[str, ...]] = [()]
    while todo:
        path = todo.pop(0)
        text = _help(*path)
        found[path] = _options(text)
        todo += [(*path, sub) for sub in _subcommands(text)]
    return found


def _doc_section(doc: str, heading: str) -> str:
    """The text under the heading that is exactly ``heading`` (any level), up to the next heading."""
    m = re.search(rf"(?m)^#+ {re.escape(heading)}\n(.*?)(?=^#|\Z)", doc, re.DOTALL)
    assert m, f"no heading {heading!r} in docs/cli.md"
    return m.group(1)


CORPUS_SECTION = _doc_section(CLI_DOC, "Corpus options (shared by every command that reads a corpus)")
CSV_SECTION = _doc_section(CLI_DOC, "CSV lexicon options (shared by every command that reads lexicon files)")


def test_the_cli_walk_finds_every_command():
    paths = {" ".join(p) for p in _cli()}
    for expected in ("analyze", "lexicon check", "lexicon stats", "lexicon diff", "lexicon suggest",
                     "lexicon convert", "kwic", "model train", "worksheet"):
        assert expected in paths
    assert ("--scheduler",) in _cli()[("analyze",)] and ("-q", "--quiet") in _cli()[("lexicon", "check")]


def _documented(path: tuple[str, ...], flag: str) -> str | None:
    """The row of an options table in docs/cli.md that documents ``flag`` for the command ``path``, or None.

    The row is in the command's own section, or, for a command whose section
    names the corpus options or the CSV lexicon options, in their shared table.
    """
    section = _doc_section(CLI_DOC, f"`{' '.join(('framing', *path))}`")
    places = [section]
    if "corpus options" in section:  # the command points to the shared table
        places.append(CORPUS_SECTION)
    if "CSV lexicon options" in section:
        places.append(CSV_SECTION)
    for text in places:
        for line in text.splitlines():
            first_cell = line.split("|")[1] if line.startswith("|") and line.count("|") > 2 else ""
            if re.search(rf"`{re.escape(flag)}(?![\w-])", first_cell):
                return line
    return None


def test_every_option_of_every_command_is_in_cli_md():
    missing = []
    for path, options in _cli().items():
        for flags in options:
            for flag in flags:
                if flag not in ("-h", "--help") and _documented(path, flag) is None:
                    missing.append(f"framing {' '.join(path)} {flag}".replace("  ", " "))
    assert not missing, f"options not documented in their docs/cli.md section: {missing}"


def test_cli_md_gives_the_defaults_the_help_gives():
    wrong = []
    for path, options in _cli().items():
        for flags, text in options.items():
            m = re.search(r"\(default:? ([^;)]+)", text)
            if not m:
                continue
            default = re.sub(r" MB$", "", m.group(1).strip())
            line = _documented(path, flags[-1])
            if line is not None and default not in line.replace("`", ""):
                wrong.append(f"framing {' '.join(path)} {flags[-1]}: default {default!r} not in {line!r}")
    assert not wrong, "\n".join(wrong)


def test_cli_md_documents_the_exit_statuses():
    section = _doc_section(CLI_DOC, "Exit statuses and messages")
    for status in ("0", "2", "130"):
        assert re.search(rf"(?m)^\| {status} \|", section), f"exit status {status} not in docs/cli.md"
    done = subprocess.run([sys.executable, "-m", "framing", "analyze", "no-such-corpus"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and done.stderr.startswith("error: ")


# ------------------------------------------------------------------ the outputs


def test_every_report_column_is_documented(tmp_path):
    result = analyze(ROOT / "seeds")
    families = {re.sub(r"^(sim|style)_.*", r"\1_<type>", c) for c in result.scores.columns if "." not in c}
    for family in families:
        assert f"`{family}`" in OUTPUTS_DOC, f"report.csv column {family} undocumented"
    assert "`<lexicon>.<category>`" in OUTPUTS_DOC
    # An applied label model's columns (analyze --model with a model of a label column: tests/engine/test_apply_label.py).
    for family in ("`model.<label>`", "`model.<label>.why_undetermined`", "`model.<label>.p_<class>`"):
        assert family in OUTPUTS_DOC, f"report.csv column {family} undocumented"
    for table in (result.summary, result.comparisons, result.evaluation, result.terms, result.matches):
        for col in table.columns:
            assert f"`{col}`" in OUTPUTS_DOC, f"column {col} undocumented"
    assert isinstance(result.summary, pd.DataFrame)


def test_every_column_of_the_tables_over_time_is_documented():
    result = analyze(ROOT / "seeds", group_by="outlet", period="month", split_date="2022-01-01")
    assert result.timeline is not None and result.before_after is not None
    for name, table in (("summary.csv", result.summary), ("timeline.csv", result.timeline),
                        ("before_after.csv", result.before_after), ("labels.csv", result.labels)):
        assert table.columns[0 if name != "labels.csv" else 6].endswith("outlet")  # the group column, named for it
        for col in table.columns[1:]:
            assert f"`{col}`" in OUTPUTS_DOC, f"{name} column {col} undocumented"
    assert "`group_<name>`" in OUTPUTS_DOC and "(or the `--group-by` column)" in OUTPUTS_DOC


def test_every_column_of_the_story_tables_is_documented():
    result = analyze(ROOT / "seeds")
    assert result.stories is not None and result.coverage is not None and result.within_story is not None
    for name, table in (("stories.csv", result.stories), ("coverage.csv", result.coverage),
                        ("within_story.csv", result.within_story)):
        section = _outputs_section(f"`{name}`")
        for col in table.columns:
            assert f"`{col}`" in section, f"{name} column {col} undocumented"
    assert "`story_id`" in _outputs_section("`report.csv`")


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "report"
    done = subprocess.run([sys.executable, "-m", "framing", "analyze", "seeds", "--out", str(out), "--quiet"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return out


def _outputs_section(title: str) -> str:
    m = re.search(rf"(?m)^## {re.escape(title)}[^\n]*\n(.*?)(?=^## |\Z)", OUTPUTS_DOC, re.DOTALL)
    assert m, f"no section {title!r} in docs/report.md"
    return m.group(1)


def test_every_output_file_and_run_json_key_is_documented(seeds_run):
    for path in seeds_run.iterdir():
        name = path.name + ("/" if path.is_dir() else "")
        assert f"`{name}`" in OUTPUTS_DOC, f"output {name} undocumented"
    record = json.loads((seeds_run / "run.json").read_text(encoding="utf-8"))
    section = _outputs_section("`run.json`")
    for key in [*record, *record["timings_seconds"], *record["lexicons"][0], *record["engine"]]:
        assert f"`{key}`" in section, f"run.json key {key} undocumented"


def test_every_chart_and_page_section_is_documented(seeds_run):
    charts = _outputs_section("Charts")
    names = {p.stem for p in (seeds_run / "charts").iterdir()}
    assert names, "the run drew no charts"
    for name in names:
        assert f"`{name}`" in charts, f"chart {name} undocumented"
    page = (seeds_run / "report.html").read_text(encoding="utf-8")
    nav = re.search(r"<nav>(.*?)</nav>", page, re.DOTALL).group(1)
    labels = re.findall(r'<a href="#[^"]+">([^<]+)</a>', nav)
    assert len(labels) >= 8
    section = _outputs_section("`report.html`")
    for label in labels:
        assert f"**{label}" in section, f"report.html section {label!r} undocumented"


# ------------------------------------------------------------------ links and names


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[`*]", "", heading.strip()).lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = re.sub(r"(?ms)^```.*?^```", "", path.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    anchors = set()
    for heading in re.findall(r"(?m)^#{1,6} (.+)$", text):
        slug = _slug(heading)
        anchors.add(slug if slug not in seen else f"{slug}-{seen[slug]}")
        seen[slug] = seen.get(slug, 0) + 1
    return anchors


def _links(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^```.*?^```", "", text)  # code blocks
    text = re.sub(r"`[^`\n]*`", "", text)  # inline code
    return re.findall(r"\]\(([^)\s]+)\)", text)


def test_slugs_follow_github():
    assert _slug("`report.csv`: one row per article") == "reportcsv-one-row-per-article"
    assert _slug("Charts (`charts/`, PNG and SVG)") == "charts-charts-png-and-svg"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page):
    links = _links(page)
    broken = []
    for link in links:
        if re.match(r"^[a-z][a-z0-9+.-]*:", link):  # http:, https:, mailto:
            continue
        target, _, anchor = link.partition("#")
        path = (page.parent / target).resolve() if target else page
        if not path.exists():
            broken.append(f"{link}: no such file")
        elif anchor and path.suffix == ".md" and anchor not in _anchors(path):
            broken.append(f"{link}: no heading #{anchor} in {path.name}")
    assert not broken, f"{page.name}: {broken}"


PUBLIC = {"analyze", "analyze_corpus", "write_report", "load_lexicon", "save_lexicon", "Lexicon", "LexiconVectorizer", "dask",
          "CsvColumns", "Article", "FramingError", "InputError", "LexiconError", "OutputError"}


def test_user_docs_name_only_public_entry_points():
    allowed = set(PUBLIC)
    bad = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for name in re.findall(r"(?<![\w/.-])framing\.(\w+)", text):
            if name not in allowed:
                bad.append(f"{page.name}: framing.{name}")
        bad += [f"{page.name}: {p}" for p in re.findall(r"framing/[\w/]+\.py", text)]
    assert not bad, f"internal module paths in user docs: {sorted(set(bad))}"
