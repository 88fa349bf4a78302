"""Shared helpers: small corpora and lexicons written by the tests themselves."""

from __future__ import annotations

from pathlib import Path

import os

import pytest

ROOT = Path(__file__).resolve().parent.parent
CACHE_ENV = "FRAMING_CACHE_DIR"  # framing.engine.token_cache.CACHE_ENV (not imported here: conftest loads first)


@pytest.fixture(scope="session", autouse=True)
def _token_cache_of_the_tests(tmp_path_factory: pytest.TempPathFactory):
    """The CLI's token cache in a temporary folder: the tests never write to the user's own cache folder."""
    before = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("token-cache"))
    yield
    if before is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = before


@pytest.fixture
def write(tmp_path: Path):
    """write("a/b.txt", "text") -> the path, creating folders."""

    def _write(rel: str, content: str | bytes) -> Path:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


# ``python -m pytest`` runs every test (CI does). ``python -m pytest --fast`` leaves out the tests marked
# browser (headless Chromium), dask (a local Dask cluster) and slow (the longest runs): the loop while working.
FAST_SKIPS = ("browser", "dask", "slow")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--fast", action="store_true",
                     help=f"leave out the tests marked {', '.join(FAST_SKIPS)} (CI runs everything)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--fast"):
        return
    kept = [item for item in items if not any(item.get_closest_marker(m) for m in FAST_SKIPS)]
    left_out = [item for item in items if item not in kept]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
