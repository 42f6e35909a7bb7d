"""Guards and fixtures for the whole test session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from vanban.cache import CACHE_ENV
from vanban.warm import WARM_ENV

ROOT = Path(__file__).resolve().parents[1]

# No ``vanban build`` a test runs leaves a warm process behind (each test's cache folder is a
# different environment, so each would start its own): tests/test_warm.py starts its own.
os.environ[WARM_ENV] = "0"


def _snapshot(folder: Path) -> dict[str, int]:
    """Every file and folder under `folder` with its modification time (ns)."""
    if not folder.exists():
        return {}
    return {str(p): p.stat().st_mtime_ns for p in [folder, *folder.rglob("*")]}


@pytest.fixture(scope="session", autouse=True)
def repository_out_left_alone() -> Iterator[None]:
    """No test writes into the repository's ``out/`` (``make demo``'s folder): use tmp_path."""
    before = _snapshot(ROOT / "out")
    yield
    assert _snapshot(ROOT / "out") == before, "a test wrote into out/; write into tmp_path"


@pytest.fixture(scope="session", autouse=True)
def _session_pdf_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep session- and module-scoped fixtures (set up before any test's own cache) out of
    the user's PDF cache too: a build there could be served whole from an earlier build."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(tmp_path_factory.mktemp("pdf-cache-session")))
        yield


@pytest.fixture(autouse=True)
def _private_pdf_cache(monkeypatch: pytest.MonkeyPatch,
                       tmp_path_factory: pytest.TempPathFactory) -> None:
    """Give every test an empty PDF cache of its own, never the user's (children inherit it)."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path_factory.mktemp("pdf-cache")))
