"""Fixtures for every test."""

from __future__ import annotations

import pytest

from vanban.cache import CACHE_ENV


@pytest.fixture(autouse=True)
def _private_pdf_cache(monkeypatch: pytest.MonkeyPatch,
                       tmp_path_factory: pytest.TempPathFactory) -> None:
    """Give every test an empty PDF cache of its own, never the user's (children inherit it)."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path_factory.mktemp("pdf-cache")))
