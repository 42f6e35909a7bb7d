"""Fixtures of the issuing tests.

Registers: every register test runs on SQLite and on PostgreSQL. The PostgreSQL server
comes from ``tools/with-postgres`` (``make test``, CI), which exports its URL as
``VANBAN_TEST_POSTGRES``. Without it the PostgreSQL cases skip, unless
``VANBAN_TEST_POSTGRES_REQUIRED=1`` (CI), where a missing or unreachable server fails them.

Signing: sample PDFs built once, a throwaway CA, a fixed signing time.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.dossiers import ROOT
from vanban.build import build
from vanban.issuing.keys import KeySource
from vanban.issuing.signing import VIETNAM, Role, SignOptions, sign
from vanban.issuing.testca import DEMO_PASSPHRASE, DemoCa, make_test_ca

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


#: The signing time the tests pass, so that signed output is reproducible.
MOMENT = datetime(2026, 1, 7, 9, 15, 30, tzinfo=VIETNAM)


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Return the unsigned decision, its Quy chế and the minutes of a sample, by kind."""
    out = tmp_path_factory.mktemp("unsigned")
    kinds = ["quyet-dinh-ban-hanh-quy-che", "quy-che", "bien-ban"]
    result = build(ROOT / "samples/trung-chinh-2025/hoso.yaml", out, only=kinds,
                   formats=("pdf",))
    files = {p.stem: p for p in result.files}
    return {
        "quyet-dinh": files["quyet-dinh-ban-hanh-quy-che"],
        "quy-che": files["quy-che"],
        "bien-ban": next(p for s, p in sorted(files.items()) if s.startswith("bien-ban")),
    }


@pytest.fixture(scope="session")
def ca(tmp_path_factory: pytest.TempPathFactory) -> DemoCa:
    """Return a throwaway CA with a signer's and a body's PKCS#12 key."""
    start = datetime(2025, 1, 1, tzinfo=VIETNAM)
    return make_test_ca(tmp_path_factory.mktemp("ca"), start=start)


def p12(path: Path, passphrase: str = DEMO_PASSPHRASE) -> KeySource:
    """Return the key source of a PKCS#12 file."""
    return KeySource(pkcs12=path, secret=passphrase)


@pytest.fixture(scope="session")
def signed(pdfs: dict[str, Path], ca: DemoCa, tmp_path_factory: pytest.TempPathFactory
           ) -> dict[str, Path]:
    """Return the decision signed by its signer, then by the body; and the Quy chế signed."""
    out = tmp_path_factory.mktemp("signed")
    first, both, annex = out / "qd-nguoi-ky.pdf", out / "qd-da-ky.pdf", out / "quy-che.pdf"
    sign(pdfs["quyet-dinh"], first, p12(ca.signer_p12),
         SignOptions(Role.SIGNER, image=ca.signature_png, moment=MOMENT))
    sign(first, both, p12(ca.body_p12),
         SignOptions(Role.BODY, image=ca.seal_png, moment=MOMENT))
    sign(pdfs["quy-che"], annex, p12(ca.body_p12),
         SignOptions(Role.ATTACHMENT, so_ky_hieu="05/QĐ-UBND", moment=MOMENT))
    return {"nguoi-ky": first, "da-ky": both, "quy-che": annex}


def page_text(pdf: Path, page: int = 1) -> str:
    """Return the text of one page (annotation appearances included) with pdftotext."""
    done = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True)
    return done.stdout

