"""The documentation promises what the code does."""

import re

import pandas as pd

from framing import analyze

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
REPORT_DOC = (ROOT / "docs" / "report.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands():
    first = [line.strip() for line in README.splitlines()[:5] if line.strip().startswith("pip")]
    assert first == ['pip install -e . && framing analyze seeds', 'pip install -e ".[test]" && python -m pytest']


def test_readme_python_example_runs(monkeypatch):
    monkeypatch.chdir(ROOT)
    code = re.search(r"```python\n(.*?)```", README, re.DOTALL).group(1)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert len(namespace["result"].scores) == 5


def test_every_cli_option_is_in_the_readme():
    from framing.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for action in sub.choices["analyze"]._actions:
        for flag in action.option_strings:
            if flag.startswith("--") and flag != "--help":
                assert flag in README, f"{flag} is not documented in README.md"


def test_every_report_column_is_documented(tmp_path):
    result = analyze(ROOT / "seeds")
    families = {re.sub(r"^(sim|style)_.*", r"\1_<type>", c) for c in result.scores.columns if "." not in c}
    for family in families:
        assert f"`{family}`" in REPORT_DOC or family in REPORT_DOC, f"report.csv column {family} undocumented"
    assert "`<lexicon>.<category>`" in REPORT_DOC
    for table in (result.summary, result.comparisons, result.evaluation, result.terms, result.matches):
        for col in table.columns:
            assert col in REPORT_DOC, f"column {col} undocumented"
    assert isinstance(result.summary, pd.DataFrame)
