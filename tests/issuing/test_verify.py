"""Verification: intact and trusted signatures pass; tampering and later edits are caught."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from tests import dossiers
from tests.issuing.conftest import MOMENT, p12
from vanban.cli import cli
from vanban.issuing.issue import cancel, issue
from vanban.issuing.signing import Role, SignOptions, sign
from vanban.issuing.testca import DEMO_PASSPHRASE
from vanban.issuing.verify import load_trust_roots, verify_files


def test_both_signatures_valid_and_trusted(signed, ca) -> None:
    (report,) = verify_files([signed["da-ky"]], [ca.ca_pem])
    assert report.ok, report
    assert [s.field_name for s in report.signatures] == ["NguoiKy1", "CoQuan"]
    signer, body = report.signatures
    assert signer.signer.startswith("Nguyễn Văn Thử")
    assert body.body == "Ủy ban nhân dân xã Thử Nghiệm"
    assert signer.time == body.time == "2026-01-07T09:15:30+07:00"
    assert not signer.modified, "the body's signature is not a change of the signed document"
    assert signer.level == "B-B"


def test_without_trust_roots_the_chain_fails(signed) -> None:
    (report,) = verify_files([signed["da-ky"]])
    assert not report.ok
    assert all(s.intact and not s.trusted for s in report.signatures)


def test_one_byte_changed_fails(signed, ca, tmp_path) -> None:
    data = bytearray(signed["nguoi-ky"].read_bytes())
    # A byte of the page's text, well inside the signed range.
    at = data.index(b"stream\n", len(data) // 4) + 20
    data[at] ^= 0x01
    damaged = tmp_path / "sua-1-byte.pdf"
    damaged.write_bytes(bytes(data))
    (report,) = verify_files([damaged], [ca.ca_pem])
    assert not report.ok
    (signature,) = report.signatures
    assert not signature.intact
    # only the fault itself: the chain of a signature that does not hold is not looked at,
    # and "not trusted" beside it would only hide the real fault
    assert signature.problems == ["nội dung đã bị thay đổi: dữ liệu được ký không còn nguyên "
                                  "vẹn"]


def test_incremental_update_changing_the_page_is_reported(signed, ca, tmp_path) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed["da-ky"].read_bytes()), strict=False)
    # Paint a white box over part of page 1 in a later revision.
    cover = generic.StreamObject(stream_data=b"q 1 1 1 rg 100 400 200 50 re f Q")
    writer.add_stream_to_page(0, writer.add_object(cover))
    changed = tmp_path / "sua-trang.pdf"
    with changed.open("wb") as fh:
        writer.write(fh)
    (report,) = verify_files([changed], [ca.ca_pem])
    assert not report.ok
    assert all(s.intact for s in report.signatures), "the signed revisions are untouched"
    assert all(s.modified for s in report.signatures)


def test_cli_text_json_and_exit_codes(signed, ca, pdfs) -> None:
    runner = CliRunner()
    good = runner.invoke(cli, ["kiem-tra-chu-ky", str(signed["da-ky"]), "--tin-cay",
                               str(ca.ca_pem)])
    assert good.exit_code == 0, good.output
    assert "2 chữ ký — HỢP LỆ" in good.output
    assert "thời gian ký: 2026-01-07T09:15:30+07:00" in good.output
    bad = runner.invoke(cli, ["verify", str(pdfs["quyet-dinh"]), "--json"])
    assert bad.exit_code == 1
    (item,) = json.loads(bad.output)
    assert item["ok"] is False
    assert item["problems"] == ["không có chữ ký số nào"]


@pytest.mark.skipif(shutil.which("certutil") is None, reason="needs libnss3-tools")
def test_pdfsig_lists_both_signatures_valid_and_trusted(signed, ca, tmp_path) -> None:
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{nss}", "-n", "ca-thu-nghiem", "-t", "CT,C,C",
                    "-i", str(ca.ca_pem)], check=True)
    done = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(signed["da-ky"])],
                          capture_output=True, text=True, check=False)
    out = done.stdout
    assert out.count("Signature is Valid.") == 2, out
    assert out.count("Certificate is Trusted.") == 2, out
    assert "Signature Field Name: NguoiKy1" in out
    assert "Signature Field Name: CoQuan" in out
    assert "Total document signed" in out


def test_unreadable_trust_root_is_one_clear_error(signed, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["verify", str(signed["da-ky"]), "--tin-cay",
                                 str(tmp_path / "khong-co.pem")])
    assert result.exit_code == 1
    assert "không tìm thấy chứng thư gốc" in result.output


def test_signed_file_matches_its_register_entry(ca, signed, tmp_path) -> None:
    data = dossiers.sample("trung-chinh-2025")
    data.pop("tap_huan", None)
    hoso = dossiers.write(tmp_path, data)
    register = str(tmp_path / "so-dang-ky.sqlite")
    kind = "quyet-dinh-thanh-lap-ban-dieu-hanh"
    issue(hoso, tmp_path / "out", only=[kind], ngay=date(2026, 1, 7), register=register)
    first, both = tmp_path / "1.pdf", tmp_path / "2.pdf"
    sign(tmp_path / "out" / f"{kind}.pdf", first, p12(ca.signer_p12),
         SignOptions(Role.SIGNER, image=ca.signature_png, moment=MOMENT))
    sign(first, both, p12(ca.body_p12), SignOptions(Role.BODY, image=ca.seal_png, moment=MOMENT))
    issued, unissued = verify_files([both, signed["da-ky"]], [ca.ca_pem], register=register)
    assert issued.ok, issued
    assert issued.register_entry is not None
    assert issued.register_entry.startswith("01/QĐ-UBND ngày 07/01/2026")
    assert unissued.register_entry is None
    assert not unissued.ok
    assert "không khớp văn bản nào trong sổ đăng ký" in unissued.problems[0]
    result = CliRunner().invoke(cli, ["verify", str(both), "--tin-cay", str(ca.ca_pem),
                                      "--so-dang-ky", register])
    assert result.exit_code == 0, result.output
    assert "sổ đăng ký: 01/QĐ-UBND ngày 07/01/2026" in result.output
    # tra-cuu finds the issued file inside the signed one, and says what it cannot vouch for
    # (it used to say the genuine signed file was changed after issue).
    looked = CliRunner().invoke(cli, ["tra-cuu", str(both), "--so-dang-ky", register])
    assert looked.exit_code == 1, looked.output
    assert "có bản đã cấp số 01/QĐ-UBND ngày 07/01/2026 (đã cấp)" in looked.output
    assert "có thêm 2 lần cập nhật sau khi cấp số (thường là chữ ký số)" in looked.output
    assert "KHÔNG KHỚP" not in looked.output
    # Its number cancelled (ban hành nhầm), the file is no issued document any more: neither
    # check passes it.
    cancel("01/QĐ-UBND", "ban hành nhầm", register=register, nam=2026)
    (cancelled,) = verify_files([both], [ca.ca_pem], register=register)
    assert not cancelled.ok
    assert cancelled.problems == ["trong sổ đăng ký, số 01/QĐ-UBND đã hủy: tệp không phải văn "
                                  "bản đã ban hành"]
    found = CliRunner().invoke(cli, ["tra-cuu", str(tmp_path / "out" / f"{kind}.pdf"),
                                     "--so-dang-ky", register])
    assert found.exit_code == 1, found.output
    assert "số 01/QĐ-UBND đã hủy: tệp không phải văn bản đã ban hành" in found.output


@pytest.mark.parametrize("kind", ["p12", "png", "empty", "key-pem"])
def test_trust_root_that_is_not_a_certificate(signed, ca, tmp_path, kind: str) -> None:
    path = {"p12": ca.signer_p12, "png": ca.seal_png, "empty": tmp_path / "rong.pem",
            "key-pem": tmp_path / "khoa.pem"}[kind]
    if kind == "empty":
        path.write_bytes(b"")
    if kind == "key-pem":
        path.write_text("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    result = CliRunner().invoke(cli, ["verify", str(signed["da-ky"]), "--tin-cay", str(path)])
    assert result.exit_code == 1, result.output
    assert result.output.strip() == (
        f"Lỗi: {path}: không phải chứng thư số, không dùng làm chứng thư gốc được; cho tệp "
        "chứng thư .pem, .cer hoặc .crt (không phải tệp khóa .p12/.pfx hay ảnh)")


def test_trust_roots_in_der_and_in_a_pem_bundle(signed, ca, tmp_path) -> None:
    from asn1crypto import pem

    pem_data = ca.ca_pem.read_bytes()
    der = tmp_path / "ca.cer"
    der.write_bytes(pem.unarmor(pem_data)[2])
    bundle = tmp_path / "bo.pem"
    bundle.write_bytes(pem_data + pem_data)
    assert len(load_trust_roots([der])) == 1
    assert len(load_trust_roots([bundle])) == 2
    (report,) = verify_files([signed["da-ky"]], [der])
    assert report.ok, report


@pytest.mark.parametrize("cut", [5000, 9])
def test_damaged_pdf_is_reported_in_vietnamese(signed, tmp_path, cut: int) -> None:
    damaged = tmp_path / "hong.pdf"
    damaged.write_bytes(signed["da-ky"].read_bytes()[:cut])
    (report,) = verify_files([damaged])
    assert report.problems == ["tệp PDF bị hỏng hoặc không trọn vẹn (có thể bị cắt cụt khi chép "
                               "hay tải về), không đọc được chữ ký"]


def _protected(source: Path, out: Path, user_password: str) -> Path:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(source.read_bytes())))
    writer.encrypt("chu-so-huu", user_password)
    buffer = io.BytesIO()
    writer.write(buffer)
    out.write_bytes(buffer.getvalue())
    return out


def test_a_pdf_locked_with_a_password_is_named_so(pdfs, tmp_path) -> None:
    locked = _protected(pdfs["quy-che"], tmp_path / "khoa.pdf", "mo-tep")
    (report,) = verify_files([locked])
    assert report.problems == ["tệp PDF có đặt mật khẩu để mở nên không đọc được chữ ký; xin "
                               "bản không đặt mật khẩu từ nơi gửi rồi kiểm tra bản đó"]


def test_a_pdf_protected_only_against_changes_is_checked(pdfs, ca, tmp_path) -> None:
    """A PDF that opens without a password (an owner password only), signed by another tool
    while so protected, is read and its signature checked."""
    from pyhanko.sign import signers

    protected = _protected(pdfs["quy-che"], tmp_path / "bao-ve.pdf", "")
    writer = IncrementalPdfFileWriter(io.BytesIO(protected.read_bytes()), strict=False)
    writer.encrypt("chu-so-huu")
    key = signers.SimpleSigner.load_pkcs12(str(ca.body_p12),
                                             passphrase=DEMO_PASSPHRASE.encode())
    assert key is not None
    signed = tmp_path / "da-ky.pdf"
    with signed.open("wb") as out:
        signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="CoQuan"),
                         signer=key, output=out)
    (report,) = verify_files([signed], [ca.ca_pem])
    assert report.ok, report
    assert [s.body for s in report.signatures] == ["Ủy ban nhân dân xã Thử Nghiệm"]
    (unsigned,) = verify_files([protected])
    assert unsigned.problems == ["không có chữ ký số nào"]
