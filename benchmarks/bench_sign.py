"""Benchmark: both digital signatures on one decision, beside that decision's build time.

In one process, alternately: rendering the sample's ``quyet-dinh-ban-hanh-quy-che`` to PDF
(DOCX and layout included, as ``vanban build --only … --format pdf`` does after loading),
and signing that PDF twice in memory, the signer's signature and then the body's (the
appearances are laid out each time; keys are loaded once, as a batch run or an open token
session would). Prints the medians in milliseconds and the ratio of signing to building.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from vanban.build import render  # noqa: E402
from vanban.issuing.keys import load_pkcs12  # noqa: E402
from vanban.issuing.signing import VIETNAM, Role, SignOptions, sign_pdf  # noqa: E402
from vanban.issuing.testca import DEMO_PASSPHRASE, make_test_ca  # noqa: E402
from vanban.loading import load  # noqa: E402

KIND = "quyet-dinh-ban-hanh-quy-che"
ROUNDS = 7


def main() -> int:
    loaded = load(ROOT / "samples/trung-chinh-2025/hoso.yaml")
    moment = datetime(2026, 1, 7, 9, 15, 30, tzinfo=VIETNAM)
    with tempfile.TemporaryDirectory() as tmp:
        ca = make_test_ca(tmp, start=datetime.now(timezone.utc) - timedelta(days=400))
        signer = load_pkcs12(ca.signer_p12, DEMO_PASSPHRASE)
        body = load_pkcs12(ca.body_p12, DEMO_PASSPHRASE)
        first = SignOptions(Role.SIGNER, image=ca.signature_png, moment=moment)
        second = SignOptions(Role.BODY, image=ca.seal_png, moment=moment)

        def build() -> bytes:
            files, _warnings = render(loaded, only=[KIND], formats=("pdf",))
            return files[0][1]

        def both(pdf: bytes) -> bytes:
            return sign_pdf(sign_pdf(pdf, signer, first).pdf, body, second).pdf

        pdf = build()
        both(pdf)  # warm-up: imports, fonts, pyHanko's first use
        builds, signs = [], []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            pdf = build()
            builds.append(time.perf_counter() - start)
            start = time.perf_counter()
            both(pdf)
            signs.append(time.perf_counter() - start)
    build_ms = statistics.median(builds) * 1000
    sign_ms = statistics.median(signs) * 1000
    print(f"{KIND}: dựng PDF {build_ms:.0f} ms; hai chữ ký số (người ký + cơ quan) "
          f"{sign_ms:.0f} ms; tỉ lệ ký/dựng {sign_ms / build_ms:.2f} "
          f"(trung vị {ROUNDS} lượt xen kẽ)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
