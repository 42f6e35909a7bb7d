"""Registers for the tests: every register test runs on SQLite and on PostgreSQL.

The PostgreSQL server comes from ``tools/with-postgres`` (``make test``, CI), which exports
its URL as ``VANBAN_TEST_POSTGRES``. Without it the PostgreSQL cases skip, unless
``VANBAN_TEST_POSTGRES_REQUIRED=1`` (CI), where a missing or unreachable server fails them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

PG_ENV = "VANBAN_TEST_POSTGRES"


def _server() -> str:
    url = os.environ.get(PG_ENV)
    required = os.environ.get("VANBAN_TEST_POSTGRES_REQUIRED") == "1"
    if not url:
        if required:
            pytest.fail(f"{PG_ENV} is not set but PostgreSQL tests are required")
        pytest.skip(f"no PostgreSQL server ({PG_ENV} unset; run through tools/with-postgres)")
    try:
        import psycopg

        psycopg.connect(url, connect_timeout=5).close()
    except Exception as e:  # any failure to reach the server
        if required:
            pytest.fail(f"PostgreSQL server {url} unreachable: {e}")
        pytest.skip(f"PostgreSQL server unreachable: {e}")
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """Return the URL of a fresh, empty PostgreSQL database (dropped afterwards)."""
    import psycopg

    base = _server()
    name = f"vanban_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(base)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def register_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return the location of a new register: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "so-dang-ky.sqlite")
    return str(request.getfixturevalue("postgres_url"))
