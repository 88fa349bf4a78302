"""The layout keeps its direction: a pure core, edges that do I/O, a thin CLI.

Parses every module's *module-level* imports with ``ast`` (imports inside a
function or under ``if TYPE_CHECKING:`` run later or never) and checks who
may import what. See "The layout we grow into" in the developers' style notes
and the module table in README.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "framing"

# The core: text in, data out. No files, no YAML, no matplotlib at import,
# and none of the edges or the CLI.
CORE = (
    "framing.errors", "framing.types", "framing.tokenize", "framing.sentences",
    "framing.lexicon.model", "framing.lexicon.formats", "framing.lexicon.check",
    "framing.analysis", "framing.stats", "framing.report", "framing.workbench",
)
EDGES = ("framing.corpus", "framing.lexicon.io", "framing.outputs", "framing.engine", "framing.pipeline", "framing.cli")
HEAVY_OR_IO = ("yaml", "matplotlib", "tempfile", "shutil", "fcntl", "glob", "pathlib", "sklearn", "nltk")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def top_level_imports(path: Path) -> set[str]:
    """Absolute names imported when the module is imported."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package.pop()
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package[: len(package) - node.level + 1]
                    mod = ".".join(base + ([node.module] if node.module else []))
                else:
                    mod = node.module or ""
                found.add(mod)
                found.update(f"{mod}.{a.name}" for a in node.names)
            elif isinstance(node, ast.If):
                test = ast.unparse(node.test)
                if "TYPE_CHECKING" not in test:
                    visit(node.body)
                    visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for h in node.handlers:
                    visit(h.body)

    visit(tree.body)
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def in_group(name: str, groups: tuple[str, ...]) -> bool:
    return any(name == g or name.startswith(g + ".") for g in groups)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_the_core_imports_no_edge_and_no_heavy_or_io_module(path):
    name = module_name(path)
    if not in_group(name, CORE):
        return
    imported = top_level_imports(path)
    bad = {m for m in imported if in_group(m, EDGES) or m.split(".")[0] in HEAVY_OR_IO}
    assert not bad, f"{name} imports {sorted(bad)} at module level"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_the_core_opens_no_file(path):
    name = module_name(path)
    if not in_group(name, CORE):
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = {
        ast.unparse(n.func) for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, (ast.Name, ast.Attribute))
    }
    opened = {c for c in calls if c == "open" or c.endswith((".read_bytes", ".write_bytes", ".write_text", ".mkdir"))}
    assert not opened, f"{name} calls {sorted(opened)}"


def test_only_the_cli_imports_the_cli_and_only_outputs_writes():
    for path in MODULES:
        name = module_name(path)
        imported = top_level_imports(path)
        if not name.startswith("framing.cli") and name != "framing.__main__":
            assert not any(in_group(m, ("framing.cli",)) for m in imported), name
        if name not in ("framing.outputs", "framing.engine.spill") and in_group(name, CORE + ("framing.pipeline",)):
            assert "framing.outputs" not in imported, name


def test_the_engine_runs_stages_and_the_stages_do_not_know_the_engine():
    for path in MODULES:
        name = module_name(path)
        if in_group(name, ("framing.analysis", "framing.stats", "framing.workbench")):
            assert not any(in_group(m, ("framing.engine", "framing.pipeline")) for m in top_level_imports(path)), name


def test_import_framing_loads_nothing_heavy():
    import subprocess
    import sys

    code = "import sys, framing; print(sorted(m for m in ('numpy', 'pandas', 'sklearn', 'nltk', 'yaml', 'matplotlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_framing_help_loads_nothing_heavy():
    import subprocess
    import sys

    code = (
        "import sys, io, contextlib\n"
        "from framing.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--help'] if False else [])\n"
        "print(sorted(m for m in ('numpy', 'pandas', 'scipy', 'sklearn', 'nltk', 'yaml', 'matplotlib', 'tqdm')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
