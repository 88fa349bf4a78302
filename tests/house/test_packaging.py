"""A wheel built from the checkout works on its own, lexicons and data files included.

The editable install that runs the other tests reads lexicons/ from the
checkout, so only a real wheel, installed where the checkout cannot be
imported, shows what a user of ``pip install .`` gets. Nothing is downloaded:
the wheel is built with the setuptools of the running environment, and the
fresh virtualenv borrows the running environment's dependencies through a
``.pth`` file.
"""

from __future__ import annotations

import csv
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ..conftest import ROOT

DEPENDENCIES = ("numpy", "pandas", "sklearn", "nltk", "matplotlib", "yaml")
PROBE = "data/packaging-probe.txt"  # written into a copy of the checkout only


def _version(dist: str) -> tuple[int, ...]:
    try:
        text = importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return ()
    return tuple(int(n) for n in re.findall(r"\d+", text)[:3])


def _require_wheel_builder() -> None:
    # CI installs the test extras, so a missing builder there is a bug, not a reason to skip.
    skip = pytest.fail if os.environ.get("CI") else pytest.skip
    if _version("setuptools") < (64,):
        skip("building the wheel needs setuptools>=64 in the running environment "
             "(pip install -e '.[test]' installs it)")
    # Before 70.1 setuptools has no bdist_wheel of its own; the wheel package adds it.
    if _version("setuptools") < (70, 1) and importlib.util.find_spec("wheel") is None:
        skip("setuptools<70.1 builds wheels only with the 'wheel' package installed "
             "(pip install -e '.[test]' installs setuptools>=70.1)")


def _clean_env(tmp: Path) -> dict[str, str]:
    # PYTHONPATH pointing at the checkout would make the test prove nothing.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_", "VIRTUAL_ENV"))}
    env.update(
        PYTHONNOUSERSITE="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
        MPLBACKEND="Agg",
        MPLCONFIGDIR=str(tmp / "mplconfig"),
    )
    return env


def _run(args: list[str | Path], *, cwd: Path, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=timeout,
    )
    assert proc.returncode == 0, f"{args} exited {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def _dependency_dirs() -> list[str]:
    """Folders of the running interpreter that hold the dependencies, never the checkout."""
    dirs = list(site.getsitepackages())
    if site.ENABLE_USER_SITE:
        dirs.append(site.getusersitepackages())
    for name in DEPENDENCIES:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin, f"{name} is not importable here"
        dirs.append(str(Path(spec.origin).parent.parent))
    unique = dict.fromkeys(d for d in dirs if Path(d).is_dir() and Path(d).resolve() != ROOT)
    return list(unique)


def _ignore_build_clutter(folder: str, names: list[str]) -> set[str]:
    # A stale build/ would let files the sources no longer have into the wheel.
    skip = {"build", "dist", "reports", "bench", "venv", "__pycache__"}
    return {n for n in names if n in skip or n.startswith(".") or n.endswith(".egg-info")}


@pytest.mark.slow
def test_wheel_installs_and_analyzes_outside_the_checkout(tmp_path: Path):
    _require_wheel_builder()
    env = _clean_env(tmp_path)

    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=_ignore_build_clutter)
    probe = src / "framing" / PROBE
    probe.parent.mkdir(exist_ok=True)
    probe.write_text("probe\n", encoding="utf-8")
    data_files = sorted(p.relative_to(src).as_posix() for p in (src / "framing" / "data").iterdir() if p.is_file())
    assert "framing/data/report.css" in data_files and "framing/data/worksheet.css" in data_files

    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
          "-w", dist, src], cwd=tmp_path, env=env)
    (wheel,) = dist.glob("framing-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("frames.yaml", "news_frames.yaml", "style.yaml", "labels.yaml", "README.md"):
        assert f"framing/lexicons/{name}" in names
    for name in data_files:
        assert name in names

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp_path, env=env)
    python = venv / "bin" / "python"
    purelib = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                        cwd=tmp_path, env=env).stdout.strip())
    packaged = (purelib / "framing" / "lexicons").resolve()
    # Installed before the .pth exists, so pip sees an empty environment and
    # never touches the running one (where framing is installed editable).
    if _version("pip") >= (22, 3):
        _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel],
             cwd=tmp_path, env=env)
        command = [venv / "bin" / "framing"]
    else:
        _run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--target", purelib, wheel],
             cwd=tmp_path, env=env)
        command = [python, "-m", "framing"]
    # Lines of a .pth only extend sys.path; .pth files in those folders (the
    # editable install's finder among them) are not run.
    (purelib / "running-environment.pth").write_text("\n".join(_dependency_dirs()) + "\n", encoding="utf-8")

    work = tmp_path / "work"
    shutil.copytree(ROOT / "seeds", work / "seeds")
    where = json.loads(_run([python, "-c", (
        "import importlib.resources, json, framing, framing.lexicon as lx\n"
        "print(json.dumps({'framing': framing.__file__,\n"
        "  'lexicons': [str(p) for p in lx.builtin_lexicon_paths()],\n"
        f"  'probe': importlib.resources.files('framing').joinpath({PROBE!r}).read_text()}}))"
    )], cwd=work, env=env).stdout)
    assert Path(where["framing"]).resolve().is_relative_to(purelib.resolve()), where["framing"]
    assert not Path(where["framing"]).resolve().is_relative_to(ROOT), where["framing"]
    assert [Path(p).parent.resolve() for p in where["lexicons"]] == [packaged] * 4, where
    assert where["probe"] == "probe\n"

    _run([*command, "analyze", "seeds"], cwd=work, env=env)
    with open(work / "reports" / "report.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 5
    for column in ("frames.economy_trade", "news_frames.conflict", "style.attribution", "labels.ukraine_invasion"):
        assert column in rows[0]
    run = json.loads((work / "reports" / "run.json").read_text(encoding="utf-8"))
    assert [Path(lx["path"]).parent.resolve() for lx in run["lexicons"]] == [packaged] * 4
