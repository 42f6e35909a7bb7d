"""PAdES B-T and B-LTA: a timestamp authority answering over HTTP on this machine."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from asn1crypto import keys, tsp
from asn1crypto import x509 as ax509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from tests.issuing.conftest import MOMENT, p12
from vanban.errors import SigningError
from vanban.issuing.signing import Level, Role, SignOptions, sign
from vanban.issuing.verify import verify_files


def _tsa_certificate() -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TSA THỬ NGHIỆM")])
    start = datetime.now(timezone.utc) - timedelta(days=1)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(start + timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, cert


#: What a local web server answers to a POST: its path and body → status, type and body.
Answer = Callable[[str, bytes], tuple[int, str, bytes]]


@contextlib.contextmanager
def _serving(answer: Answer) -> Iterator[str]:
    """Serve `answer` on this machine while the block runs; give its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            status, kind, body = answer(self.path,
                                        self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def tsa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """Return the URL of a local timestamp authority and its certificate file."""
    key, cert = _tsa_certificate()
    stamper = DummyTimeStamper(
        tsa_cert=ax509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())),
    )

    def stamp(_path: str, body: bytes) -> tuple[int, str, bytes]:
        request = tsp.TimeStampReq.load(body)
        return 200, "application/timestamp-reply", stamper.request_tsa_response(request).dump()

    pem = tmp_path_factory.mktemp("tsa") / "tsa.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    with _serving(stamp) as url:
        yield f"{url}/", pem


def test_b_t_with_a_timestamp_authority(tsa, pdfs, ca, tmp_path) -> None:
    url, tsa_pem = tsa
    out = tmp_path / "qd.pdf"
    result = sign(pdfs["quyet-dinh"], out, p12(ca.signer_p12),
                  SignOptions(Role.SIGNER, image=ca.signature_png, tsa_url=url))
    assert result.level is Level.B_T
    (report,) = verify_files([out], [ca.ca_pem, tsa_pem])
    assert report.ok, report
    assert report.signatures[0].level == "B-T"
    (untrusted,) = verify_files([out], [ca.ca_pem])
    assert untrusted.signatures[0].problems == [
        "dấu thời gian của chữ ký không hợp lệ hoặc không tin cậy"]


def test_b_lta_adds_a_document_timestamp(tsa, pdfs, ca, tmp_path) -> None:
    url, tsa_pem = tsa
    out = tmp_path / "qd.pdf"
    result = sign(pdfs["quyet-dinh"], out, p12(ca.signer_p12),
                  SignOptions(Role.SIGNER, image=ca.signature_png, tsa_url=url, lta=True,
                              trust=[ca.ca_pem, tsa_pem]))
    assert result.level is Level.B_LTA
    (report,) = verify_files([out], [ca.ca_pem, tsa_pem])
    assert report.signatures[0].level == "B-LTA"
    assert report.signatures[0].intact
    assert not report.signatures[0].modified, "a document timestamp is not a change"
    assert report.ok, report


@pytest.fixture(scope="module")
def broken_tsa() -> Iterator[str]:
    """Return the URL of a web server that is not a timestamp authority: ``/loi`` answers
    HTTP 500, anything else an HTML page."""

    def page(path: str, _body: bytes) -> tuple[int, str, bytes]:
        return 500 if path == "/loi" else 200, "text/html", b"<html>not a TSA</html>"

    with _serving(page) as url:
        yield url


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tsa_refused(pdfs, ca, tmp_path, url: str) -> str:
    out = tmp_path / "qd.pdf"
    with pytest.raises(SigningError) as caught:
        sign(pdfs["quyet-dinh"], out, p12(ca.signer_p12),
             SignOptions(Role.SIGNER, image=ca.signature_png, tsa_url=url, moment=MOMENT))
    assert not out.exists()
    return str(caught.value)


@pytest.mark.parametrize("url", ["not a url", "file:///x", "http://", "ftp://tsa.vn/",
                                 "http://[::1"])
def test_tsa_address_that_is_not_a_web_address(pdfs, ca, tmp_path, url: str) -> None:
    assert _tsa_refused(pdfs, ca, tmp_path, url) == (
        f"địa chỉ máy chủ cấp dấu thời gian '{url}' không hợp lệ: phải là địa chỉ web bắt đầu "
        "bằng http:// hoặc https://, ví dụ http://tsa.example.vn/ (--tsa)")


def test_tsa_that_cannot_be_reached(pdfs, ca, tmp_path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/"
    assert _tsa_refused(pdfs, ca, tmp_path, url).endswith(
        f"không kết nối được máy chủ cấp dấu thời gian {url}; kiểm tra địa chỉ (--tsa) và kết "
        "nối mạng rồi ký lại")


def test_tsa_answering_an_error_or_not_a_timestamp(broken_tsa, pdfs, ca, tmp_path) -> None:
    error = _tsa_refused(pdfs, ca, tmp_path, broken_tsa + "/loi")
    assert "báo lỗi (mã HTTP 500)" in error
    page = _tsa_refused(pdfs, ca, tmp_path, broken_tsa + "/")
    assert "không cấp dấu thời gian (trả lời sai định dạng hoặc từ chối yêu cầu)" in page
    for message in (error, page):
        assert "Error" not in message
        assert "Timestamp" not in message
