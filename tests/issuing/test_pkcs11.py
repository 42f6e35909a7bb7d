"""Signing with a key on a PKCS#11 token: a real SoftHSM2 token set up by the fixture."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    pkcs12,
)

from tests.issuing.conftest import MOMENT
from vanban.cli import cli
from vanban.errors import SigningError
from vanban.issuing.keys import KeySource
from vanban.issuing.signing import Role, SignOptions, sign
from vanban.issuing.testca import DEMO_PASSPHRASE, DemoCa
from vanban.issuing.verify import verify_files

MODULES = [Path("/usr/lib/softhsm/libsofthsm2.so"),
           Path("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")]
MODULE = next((m for m in MODULES if m.is_file()), None)
PIN = "123456"

pytestmark = pytest.mark.skipif(
    MODULE is None or shutil.which("softhsm2-util") is None or shutil.which("pkcs11-tool") is None,
    reason="needs softhsm2 and opensc (make setup installs them)",
)


def _write(label: str, object_id: str, kind: str, der: bytes, folder: Path) -> None:
    path = folder / f"{label}-{kind}.der"
    path.write_bytes(der)
    subprocess.run(
        ["pkcs11-tool", "--module", str(MODULE), "--token-label", "vanban", "--login",
         "--pin", PIN, "--write-object", str(path), "--type", kind, "--id", object_id,
         "--label", label],
        check=True, capture_output=True,
    )


@pytest.fixture(scope="module")
def token(ca: DemoCa, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Return the module of a fresh SoftHSM2 token "vanban" holding the signer's key
    ("nguoi-ky") and a key filed under a certificate that is not its own ("sai")."""
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n"
                    "log.level = ERROR\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOFTHSM2_CONF", str(conf))
        subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "vanban",
                        "--pin", PIN, "--so-pin", "87654321"], check=True, capture_output=True)
        loaded = {}
        for name, path in (("signer", ca.signer_p12), ("body", ca.body_p12)):
            key, cert, _chain = pkcs12.load_key_and_certificates(
                path.read_bytes(), DEMO_PASSPHRASE.encode())
            assert key is not None
            assert cert is not None
            loaded[name] = (key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption()),
                            cert.public_bytes(Encoding.DER))
        _write("nguoi-ky", "01", "privkey", loaded["signer"][0], folder)
        _write("nguoi-ky", "01", "cert", loaded["signer"][1], folder)
        _write("sai", "02", "privkey", loaded["body"][0], folder)
        _write("sai", "02", "cert", loaded["signer"][1], folder)
        assert MODULE is not None
        yield MODULE


def _source(module: Path, label: str = "nguoi-ky", pin: str = PIN) -> KeySource:
    return KeySource(module=module, token="vanban", key_label=label, secret=pin)


def test_sign_with_a_token_key(token, pdfs, ca, tmp_path) -> None:
    out = tmp_path / "qd.pdf"
    sign(pdfs["quyet-dinh"], out, _source(token),
         SignOptions(Role.SIGNER, image=ca.signature_png, moment=MOMENT))
    (report,) = verify_files([out], [ca.ca_pem])
    assert report.ok, report
    assert report.signatures[0].signer.startswith("Nguyễn Văn Thử")


def test_token_signature_is_reproducible(token, pdfs, ca, tmp_path) -> None:
    options = SignOptions(Role.SIGNER, image=ca.signature_png, moment=MOMENT)
    first = sign(pdfs["quyet-dinh"], tmp_path / "a.pdf", _source(token), options)
    again = sign(pdfs["quyet-dinh"], tmp_path / "b.pdf", _source(token), options)
    assert first.pdf == again.pdf


def test_wrong_pin(token, pdfs, ca, tmp_path) -> None:
    out = tmp_path / "qd.pdf"
    with pytest.raises(SigningError, match="sai mã PIN"):
        sign(pdfs["quyet-dinh"], out, _source(token, pin="000000"),
             SignOptions(Role.SIGNER, image=ca.signature_png, moment=MOMENT))
    assert not out.exists()


def test_key_not_matching_its_certificate(token, pdfs, ca, tmp_path) -> None:
    out = tmp_path / "qd.pdf"
    with pytest.raises(SigningError, match="không khớp với chứng thư"):
        sign(pdfs["quyet-dinh"], out, _source(token, label="sai"),
             SignOptions(Role.SIGNER, image=ca.signature_png, moment=MOMENT))
    assert not out.exists()


def test_cli_reads_the_pin_from_the_environment(token, pdfs, ca, tmp_path) -> None:
    out = tmp_path / "qd.pdf"
    result = CliRunner(env={"VANBAN_PIN": PIN}).invoke(cli, [
        "ky-so", str(pdfs["quyet-dinh"]), "-o", str(out), "--pkcs11", str(token),
        "--token", "vanban", "--khoa", "nguoi-ky", "--anh-chu-ky", str(ca.signature_png),
        "--thoi-diem", "2026-01-07T09:15:30+07:00",
    ])
    assert result.exit_code == 0, result.output
    assert PIN not in result.output
    assert out.is_file()


def _refused(source: KeySource, pdfs, ca, tmp_path) -> str:
    out = tmp_path / "qd.pdf"
    with pytest.raises(SigningError) as caught:
        sign(pdfs["quyet-dinh"], out, source,
             SignOptions(Role.SIGNER, image=ca.signature_png, moment=MOMENT))
    assert not out.exists()
    return str(caught.value)


def test_unknown_token_label_names_the_tokens_present(token, pdfs, ca, tmp_path) -> None:
    source = KeySource(module=token, token="NOPE", key_label="nguoi-ky", secret=PIN)
    assert _refused(source, pdfs, ca, tmp_path) == (
        "không tìm thấy token nhãn 'NOPE' (trên máy có token: vanban); kiểm tra token đã cắm "
        "vào máy và nhãn cho ở --token")


def test_unknown_key_label(token, pdfs, ca, tmp_path) -> None:
    assert _refused(_source(token, label="NOPE"), pdfs, ca, tmp_path) == (
        "token vanban: token không có đủ khóa bí mật và chứng thư số nhãn 'NOPE'; kiểm tra "
        "nhãn khóa cho ở --khoa (xem bằng phần mềm quản lý token)")


def test_module_that_is_not_a_pkcs11_library(token, pdfs, ca, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "khong-phai.so").write_text("không phải thư viện\n")
    candidates = [Path("khong-phai.so"), *(Path(p) for p in (
        "/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6",
        "/lib/aarch64-linux-gnu/libc.so.6") if Path(p).is_file())]
    for module in candidates[:2]:
        message = _refused(_source(module), pdfs, ca, tmp_path)
        assert message == (
            f"{module}: không nạp được thư viện PKCS#11 (tệp không phải thư viện PKCS#11 của "
            "token, hoặc không dùng được trên máy này); cho --pkcs11 tệp .so/.dll đi kèm phần "
            "mềm của token")
    # A failed load leaves the real module usable.
    sign(pdfs["quyet-dinh"], tmp_path / "ok.pdf", _source(token),
         SignOptions(Role.SIGNER, image=ca.signature_png, moment=MOMENT))
