"""Sign the built sample documents with the throwaway test CA, for ``make demo``.

Usage: ``python tools/demo_sign.py CA_FOLDER OUT/SAMPLE…`` (CA_FOLDER made by
``vanban tao-chung-thu-thu``). For each sample folder it writes ``da-ky/``: each decision
signed by its signer and then by the body, the minutes signed by the secretary and the
chair, the Quy chế signed as an attached document, and a PNG of each signed page.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from vanban.issuing.keys import PASSPHRASE_ENV, KeySource, secret_from_env
from vanban.issuing.signing import Role, SignOptions, SignResult, sign
from vanban.issuing.testca import DEMO_PASSPHRASE
from vanban.output import write_all
from vanban.render.png import page_png


def number_of(pdf: Path) -> str:
    """Return the number and symbol printed on a decision ("…/QĐ-UBND" when unnumbered)."""
    text = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    match = re.search(r"^Số:?\s*(.*\S)\s*$", text, re.M)
    number = match.group(1) if match else ""
    return number if not number.startswith("/") else "…" + number


def sign_folder(folder: Path, ca: Path, secret: str) -> list[tuple[Path, SignResult]]:
    """Sign the documents of one built sample into ``folder/da-ky``."""
    signer = KeySource(pkcs12=ca / "nguoi-ky.p12", secret=secret)
    body = KeySource(pkcs12=ca / "co-quan.p12", secret=secret)
    signature, seal = ca / "chu-ky-mau.png", ca / "dau-mau.png"
    target = folder / "da-ky"
    done: list[tuple[Path, SignResult]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for pdf in sorted(folder.glob("quyet-dinh-*.pdf")):
            half = Path(tmp) / pdf.name
            sign(pdf, half, signer, SignOptions(Role.SIGNER, image=signature), force=True)
            out = target / pdf.name
            done.append((out, sign(half, out, body, SignOptions(Role.BODY, image=seal),
                                   force=True)))
        for pdf in sorted(folder.glob("bien-ban-*.pdf")):
            half = Path(tmp) / pdf.name
            sign(pdf, half, signer, SignOptions(Role.SIGNER, image=signature, block=1),
                 force=True)
            out = target / pdf.name
            done.append((out, sign(half, out, signer,
                                   SignOptions(Role.SIGNER, image=signature, block=2),
                                   force=True)))
        decision = folder / "quyet-dinh-ban-hanh-quy-che.pdf"
        annex = folder / "quy-che.pdf"
        if annex.is_file() and decision.is_file():
            out = target / annex.name
            options = SignOptions(Role.ATTACHMENT, so_ky_hieu=number_of(decision))
            done.append((out, sign(annex, out, body, options, force=True)))
    write_all([(out.with_suffix(".png"), page_png(result.pdf, str(out), result.rect.page + 1,
                                                   dpi=100)) for out, result in done], force=True)
    return done


def main(argv: list[str]) -> int:
    """Sign every sample folder named in `argv` (after the CA folder)."""
    ca, folders = Path(argv[0]), [Path(a) for a in argv[1:]]
    secret = secret_from_env(PASSPHRASE_ENV) or DEMO_PASSPHRASE
    for folder in folders:
        for out, result in sign_folder(folder, ca, secret):
            print(f"Đã ký {out} (ô {result.field}, trang {result.rect.page + 1}); "
                  f"ảnh: {out.with_suffix('.png')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
