"""The house keeps its direction: a pure core in layers, edges that do I/O, a thin CLI on top.

Every import is an arrow, wherever it stands: at module level, inside a
function, under ``if TYPE_CHECKING:``. The tests parse every module with
``ast`` and check that

* arrows run down the layers (``LAYERS``), never up or sideways between the
  groups of one layer, except the few edge-to-edge arrows in ``EDGE_ARROWS``;
* there is no circle of modules;
* no file imports a private (``_name``) name of another, and no test or
  benchmark reaches into a module's private names;
* the core (``CORE_LAYERS``) opens no file, prints nothing, starts no process
  pool, and loads nothing heavy or file-bound when imported.

docs/architecture.md draws the same layers.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from ..conftest import ROOT

PACKAGE = ROOT / "framing"

# Lowest first. A module may import its own group and any group of a lower layer.
LAYERS: list[dict[str, tuple[str, ...]]] = [
    {"base": ("framing.errors", "framing.version", "framing.types", "framing.defaults", "framing.schema",
              "framing.cells", "framing.english", "framing.resources", "framing.dates", "framing.grouping")},
    {"text": ("framing.tokenize", "framing.sentences")},
    {"lexicon": ("framing.lexicon.model", "framing.lexicon.formats", "framing.lexicon.writers",
                 "framing.lexicon.check", "framing.lexicon.referents")},
    {"analysis": ("framing.analysis",)},
    {"stats": ("framing.stats",)},
    {"result": ("framing.result",)},
    {
        "engine": ("framing.engine.prepare", "framing.engine.state", "framing.engine.passes", "framing.engine.rows",
                   "framing.engine.story", "framing.engine.finish"),
        "workbench": ("framing.workbench",),
        "report": ("framing.report",),
    },
    {
        "runners": ("framing.engine.local", "framing.engine.spill", "framing.engine.cluster",
                    "framing.engine.dask_store", "framing.engine.worker", "framing.engine.token_cache",
                    "framing.engine.memory"),
        "corpus": ("framing.corpus",),
        "lexicon files": ("framing.lexicon.io", "framing.lexicon"),
        "writer": ("framing.outputs",),
        "model files": ("framing.model_file",),
    },
    {"api": ("framing.api", "framing.dask", "framing.vectorizer")},
    {"cli": ("framing.cli", "framing.__main__", "framing")},
]
# Arrows between groups of one layer that the design has (edges using the writer, runners reading corpora).
EDGE_ARROWS = {("runners", "corpus"), ("runners", "writer"), ("model files", "writer")}
CORE_LAYERS = 7  # the first seven layers: the pure core
HEAVY_OR_IO = ("yaml", "matplotlib", "tempfile", "shutil", "fcntl", "glob", "pathlib", "sklearn", "nltk")
# Calls the core never makes: files, printing, processes. (The package's own data is read by
# framing.resources, through importlib.resources.)
IO_CALLS = ("open", "print", "ProcessPoolExecutor", "Pool", "Process")
IO_METHODS = (".read_text", ".read_bytes", ".write_text", ".write_bytes", ".mkdir", ".unlink", ".rename")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = sorted(PACKAGE.rglob("*.py"))
NAMES = {module_name(p) for p in MODULES}


def group_of(name: str) -> tuple[int, str]:
    """(layer, group) of a framing module: the longest prefix that names it."""
    best: tuple[int, int, str] | None = None
    for layer, groups in enumerate(LAYERS):
        for group, prefixes in groups.items():
            for prefix in prefixes:
                if name == prefix or name.startswith(prefix + ".") and prefix != "framing":
                    if best is None or len(prefix) > best[0]:
                        best = (len(prefix), layer, group)
    assert best is not None, f"{name} is in no layer: add it to LAYERS"
    return best[1], best[2]


def _resolve(node: ast.ImportFrom, package: list[str]) -> str:
    if node.level:
        base = package[: len(package) - node.level + 1]
        return ".".join(base + ([node.module] if node.module else []))
    return node.module or ""


def imports_in(source: str, module: str, is_package: bool = False) -> tuple[tuple[str, tuple[str, ...], int], ...]:
    """Every import in ``source`` (the text of ``module``): (module, names taken, line), wherever it stands.

    ``from pkg import sub`` names the module ``pkg.sub`` when there is one.
    """
    tree = ast.parse(source)
    package = module.split(".") if module else []
    if package and not is_package:
        package.pop()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, (), node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            mod = _resolve(node, package)
            subs = [a.name for a in node.names if f"{mod}.{a.name}" in NAMES]
            names = tuple(a.name for a in node.names if a.name not in subs)
            found += [(f"{mod}.{s}", (), node.lineno) for s in subs]
            if names or not subs:
                found.append((mod, names, node.lineno))
    return tuple(found)


@cache
def imports_of(path: Path) -> tuple[tuple[str, tuple[str, ...], int], ...]:
    """``imports_in`` of a file of the package, the tests or the benchmarks."""
    module = module_name(path) if path.is_relative_to(PACKAGE) else ""
    return imports_in(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")


def top_level_imports(path: Path) -> set[str]:
    """The absolute names a module imports when it is imported (not inside functions or TYPE_CHECKING)."""
    module = module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module.split(".")
    if path.name != "__init__.py":
        package.pop()
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            mod = _resolve(node, package)
            found.add(mod)
            found.update(f"{mod}.{a.name}" for a in node.names)
    return found


def framing_arrows(path: Path) -> list[tuple[str, int]]:
    """The framing modules ``path`` imports (the nearest existing module of each dotted name)."""
    return arrows(imports_of(path))


def arrows(imports: tuple[tuple[str, tuple[str, ...], int], ...]) -> list[tuple[str, int]]:
    out = []
    for mod, _, line in imports:
        if mod == "framing" or mod.startswith("framing."):
            while mod not in NAMES and "." in mod:
                mod = mod.rsplit(".", 1)[0]
            out.append((mod, line))
    return out


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_every_arrow_runs_down_the_layers(path):
    name = module_name(path)
    layer, group = group_of(name)
    wrong = []
    for target, line in framing_arrows(path):
        if target == name or target == "framing" and name == "framing":
            continue
        t_layer, t_group = group_of(target)
        down = t_layer < layer or t_group == group or (layer == t_layer and (group, t_group) in EDGE_ARROWS)
        if not down:
            wrong.append(f"line {line}: {name} ({group}) -> {target} ({t_group})")
    assert not wrong, "arrows that run up or sideways:\n" + "\n".join(wrong)


def test_no_circle_of_modules():
    graph = {module_name(p): {t for t, _ in framing_arrows(p) if t != module_name(p)} for p in MODULES}
    # The package face only hands names on, lazily; its arrows are the public API's, not a dependency.
    graph["framing"] = set()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            pytest.fail("import circle: " + " -> ".join(cycle))


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _python_files() -> list[Path]:
    return MODULES + sorted((ROOT / "tests").rglob("*.py")) + sorted((ROOT / "bench").glob("*.py"))


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_private_name_crosses_a_file(path):
    own = module_name(path) if path.is_relative_to(PACKAGE) else ""
    bad = [f"line {line}: {', '.join(n for n in names if _private(n))} from {mod}"
           for mod, names, line in imports_of(path)
           if (mod == "framing" or mod.startswith("framing.")) and mod != own and any(map(_private, names))]
    # A test reaching into a module: ``module._name`` where ``module`` was imported from framing.
    bound = {alias.asname or alias.name for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names
             if isinstance(node, ast.ImportFrom) and _resolve(node, []).startswith("framing")
             and f"{_resolve(node, [])}.{alias.name}" in NAMES}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and _private(node.attr) and isinstance(node.value, ast.Name):
            if node.value.id in bound:
                bad.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    assert not bad, "private names used across files:\n" + "\n".join(bad)


def _core(path: Path) -> bool:
    return group_of(module_name(path))[0] < CORE_LAYERS


@pytest.mark.parametrize("path", [p for p in MODULES if _core(p)], ids=module_name)
def test_the_core_opens_no_file_prints_nothing_and_starts_no_process(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [(ast.unparse(n.func), n.lineno) for n in ast.walk(tree)
             if isinstance(n, ast.Call) and isinstance(n.func, (ast.Name, ast.Attribute))]
    name = module_name(path)
    bad = [f"line {line}: {call}" for call, line in calls
           if call.split(".")[-1] in IO_CALLS and (call in IO_CALLS or call.endswith(tuple("." + c for c in IO_CALLS)))
           or call.endswith(IO_METHODS) and not (name == "framing.resources" and call.endswith(".read_text"))]
    imported = {mod for mod, _, _ in imports_of(path)}
    bad += [f"imports {m}" for m in imported if m.split(".")[0] in ("multiprocessing", "subprocess", "concurrent")]
    assert not bad, f"{name} does I/O or starts processes:\n" + "\n".join(bad)


@pytest.mark.parametrize("path", [p for p in MODULES if _core(p)], ids=module_name)
def test_the_core_loads_nothing_heavy_or_file_bound_when_imported(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top: list[str] = []

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.Import):
                top.extend(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level:
                top.append(node.module or "")
            elif isinstance(node, ast.If) and "TYPE_CHECKING" not in ast.unparse(node.test):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)

    visit(tree.body)
    heavy = sorted(m for m in top if m.split(".")[0] in HEAVY_OR_IO)
    assert not heavy, f"{module_name(path)} imports {heavy} when imported"


def test_every_module_is_in_a_layer():
    for path in MODULES:
        group_of(module_name(path))


HEAVY = ("numpy", "pandas", "scipy", "sklearn", "nltk", "yaml", "matplotlib", "tqdm")


@pytest.mark.parametrize("code", [
    "import framing",
    "import io, contextlib\nfrom framing.cli import main\nwith contextlib.redirect_stdout(io.StringIO()):\n    main([])",
], ids=["import framing", "framing --help"])
def test_starting_loads_nothing_heavy(code):
    """``import framing`` and ``framing`` without a command answer at once: no numpy, pandas or the like."""
    probe = f"import sys\n{code}\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_the_layer_test_sees_arrows_inside_functions_and_under_type_checking():
    """The parser finds every kind of import (a test of the test: an arrow it missed would never fail)."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from ..engine.finish import finish\n"
        "def f():\n    from ..cli import main\n    import framing.outputs\n"
        "from . import labels, nothing_here\n"
    )
    got = {t for t, _ in arrows(imports_in(source, "framing.stats.probe"))}
    assert {"framing.engine.finish", "framing.cli", "framing.outputs", "framing.stats.labels", "framing.stats"} == got


MAX_FUNCTION_LINES = 80  # in engine/ and report/, where the long ones grew: a longer function is cut into named steps


def _body_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """The function's lines from ``def`` to its end, its docstring left out."""
    lines = node.end_lineno - node.lineno + 1  # type: ignore[operator]
    doc = node.body[0] if node.body else None
    if isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant) and isinstance(doc.value.value, str):
        lines -= doc.end_lineno - doc.lineno + 1  # type: ignore[operator]
    return lines


@pytest.mark.parametrize("folder", ["engine", "report"])
def test_no_long_functions_in_the_engine_and_the_report(folder):
    long = []
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _body_lines(node) > MAX_FUNCTION_LINES:
                long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({_body_lines(node)} lines)")
    assert not long, "functions to cut into named steps:\n" + "\n".join(long)
