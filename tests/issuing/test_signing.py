"""Signing: where the appearances land, what they say, and that signed output is stable."""

from __future__ import annotations

import io
import re
import struct
import subprocess
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from tests.issuing.conftest import MOMENT, p12, page_text
from vanban.errors import SigningError
from vanban.issuing import placement
from vanban.issuing.appearance import PT_PER_MM
from vanban.issuing.keys import PASSPHRASE_ENV, PIN_ENV, Key, load_pkcs12, secret_from_env
from vanban.issuing.placement import GivenBox
from vanban.issuing.signing import SEAL_MM, Role, SignOptions, sign, sign_pdf
from vanban.issuing.testca import DemoCa, issue, make_test_ca, pkcs12_bytes


def field_rects(pdf: Path) -> dict[str, tuple[float, float, float, float]]:
    """Return each signature field's rectangle, read back from the file."""
    reader = PdfFileReader(io.BytesIO(pdf.read_bytes()), strict=False)
    out = {}
    for name, _value, ref in enumerate_sig_fields(reader):
        x1, y1, x2, y2 = (float(v) for v in ref.get_object()["/Rect"])
        out[name] = (x1, y1, x2, y2)
    return out


def text_lines(pdf: Path, page: int = 1) -> list[tuple[str, float, float, float, float]]:
    """Return each text line of a page unsigned-PDF style: text, xMin, yTop, xMax, yBottom
    in points from the top left (pdftotext -bbox-layout)."""
    done = subprocess.run(
        ["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True, text=True, check=True,
    )
    lines = []
    for match in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                             r'yMax="([\d.]+)">(.*?)</line>', done.stdout, re.S):
        words = re.findall(r">([^<]*)</word>", match.group(5))
        x1, y1, x2, y2 = (float(match.group(i)) for i in range(1, 5))
        lines.append((" ".join(words), x1, y1, x2, y2))
    return lines


def test_signer_image_centred_between_title_and_name(pdfs, signed) -> None:
    rects = field_rects(signed["da-ky"])
    x1, y1, x2, y2 = rects["NguoiKy1"]
    lines = text_lines(pdfs["quyet-dinh"])
    height = 841.89
    title = next(line for line in lines if line[0] == "PHÓ CHỦ TỊCH")
    name = next(line for line in lines if line[0] == "Nguyễn Thị Thảo")
    # Between the bottom of the last title line and the top of the name (points from the top).
    gap_top, gap_bottom = title[4], name[2]
    assert gap_bottom - gap_top > 40, "the block leaves room for the signature"
    image_top, image_bottom = height - y2, height - y1
    assert image_top >= gap_top - 6
    assert image_bottom <= gap_bottom + 6
    assert (image_top + image_bottom) / 2 == pytest.approx((gap_top + gap_bottom) / 2, abs=4)
    # Centred on the block's column, as its centred name is.
    assert (x1 + x2) / 2 == pytest.approx((name[1] + name[3]) / 2, abs=3)
    assert (x1 + x2) / 2 == pytest.approx((title[1] + title[3]) / 2, abs=3)


def test_seal_covers_a_third_of_the_signature_on_its_left(signed) -> None:
    rects = field_rects(signed["da-ky"])
    sx1, sy1, sx2, sy2 = rects["NguoiKy1"]
    bx1, by1, _bx2, by2 = rects["CoQuan"]
    seal = by2 - by1
    # The seal is drawn at its real size: the default 36 mm.
    assert seal == pytest.approx(SEAL_MM * PT_PER_MM, abs=0.1)
    seal_right = bx1 + seal
    assert bx1 < sx1 < seal_right, "the seal starts left of the signature and overlaps it"
    assert (seal_right - sx1) / (sx2 - sx1) == pytest.approx(1 / 3, abs=0.02)
    assert (by1 + by2) / 2 == pytest.approx((sy1 + sy2) / 2, abs=0.5)


def test_stamp_text_is_vietnamese_and_extracts(signed) -> None:
    text = page_text(signed["da-ky"])
    assert "Ký bởi: Ủy ban nhân dân xã Thử Nghiệm" in text
    assert "Thời gian ký: 2026-01-07T09:15:30+07:00" in text


def test_attachment_gets_number_and_time_top_right_no_image(signed) -> None:
    rects = field_rects(signed["quy-che"])
    assert list(rects) == ["CoQuan"]
    x1, y1, x2, y2 = rects["CoQuan"]
    assert x1 > 595.28 / 2, "on the right of page 1"
    assert x2 > 595.28 - 80
    assert y2 > 841.89 - 60, "at the top of page 1"
    lines = text_lines(signed["quy-che"])
    number = next(line for line in lines if line[0] == "05/QĐ-UBND")
    time = next(line for line in lines if line[0] == "2026-01-07T09:15:30+07:00")
    assert number[4] < time[2] + 1, "the number above the time"
    # 10 pt text: a line box of pdftotext is about the font size high.
    assert 8 <= time[4] - time[2] <= 12.5
    fonts = subprocess.run(["pdffonts", str(signed["quy-che"])], capture_output=True,
                           text=True, check=True).stdout
    assert "Liberation-Serif" in fonts or "TimesNewRoman" in fonts.replace(" ", "")
    images = subprocess.run(["pdfimages", "-list", "-f", "1", "-l", "1",
                             str(signed["quy-che"])], capture_output=True, text=True,
                            check=True).stdout
    assert len(images.strip().splitlines()) == 2, "no image on the attachment's page"


def test_signed_output_is_byte_identical_for_the_same_input(pdfs, ca, tmp_path) -> None:
    options = SignOptions(Role.SIGNER, image=ca.signature_png, moment=MOMENT)
    first = sign(pdfs["quyet-dinh"], tmp_path / "a.pdf", p12(ca.signer_p12), options)
    again = sign(pdfs["quyet-dinh"], tmp_path / "b.pdf", p12(ca.signer_p12), options)
    assert first.pdf == again.pdf
    later = SignOptions(Role.SIGNER, image=ca.signature_png, moment=MOMENT + timedelta(seconds=1))
    assert sign(pdfs["quyet-dinh"], tmp_path / "c.pdf", p12(ca.signer_p12), later).pdf != first.pdf


def test_minutes_have_two_signers_each_in_their_own_field(pdfs, ca, tmp_path) -> None:
    secretary, chair = tmp_path / "thu-ky.pdf", tmp_path / "chu-toa.pdf"
    sign(pdfs["bien-ban"], secretary, p12(ca.signer_p12),
         SignOptions(Role.SIGNER, image=ca.signature_png, block=1, moment=MOMENT))
    sign(secretary, chair, p12(ca.signer_p12),
         SignOptions(Role.SIGNER, image=ca.signature_png, block=2, moment=MOMENT))
    rects = field_rects(chair)
    assert set(rects) == {"NguoiKy1", "NguoiKy2"}
    assert rects["NguoiKy1"][2] < rects["NguoiKy2"][0], "Thư ký on the left, Chủ tọa right"
    with pytest.raises(SigningError, match="khối chữ ký"):
        sign(chair, tmp_path / "x.pdf", p12(ca.signer_p12),
             SignOptions(Role.SIGNER, image=ca.signature_png, block=3, moment=MOMENT))


def test_block_found_from_text_matches_the_layouts(pdfs) -> None:
    data = pdfs["quyet-dinh"].read_bytes()
    info = PdfFileReader(io.BytesIO(data), strict=False).trailer["/Info"]
    stored = placement.stored_boxes({str(k).lstrip("/"): str(v) for k, v in info.items()})
    found = placement.text_boxes(data, "qd.pdf")
    assert len(stored) == len(found) == 1
    (a,), (b,) = stored, found
    assert a.page == b.page
    assert a.centre[0] == pytest.approx(b.centre[0], abs=4)
    assert a.centre[1] == pytest.approx(b.centre[1], abs=6)


def test_given_position_in_millimetres(pdfs, ca, tmp_path) -> None:
    box = GivenBox.parse("1,100,150,80,20")
    result = sign(pdfs["quy-che"], tmp_path / "o.pdf", p12(ca.signer_p12),
                  SignOptions(Role.SIGNER, image=ca.signature_png, box=box, moment=MOMENT))
    x1, y1, x2, y2 = field_rects(tmp_path / "o.pdf")["NguoiKy1"]
    assert (x1 + x2) / 2 == pytest.approx(140 * PT_PER_MM, abs=0.1)
    assert (y1 + y2) / 2 == pytest.approx(841.89 - 160 * PT_PER_MM, abs=0.1)
    assert result.rect.height == pytest.approx(20 * PT_PER_MM, abs=0.1)
    with pytest.raises(SigningError, match="TRANG,X,Y"):
        GivenBox.parse("1,100")


# -- one clear error each, and no output --------------------------------------------------


def _refused(source, options, pdf: Path, out: Path, match: str) -> None:
    with pytest.raises(SigningError, match=match):
        sign(pdf, out, source, options)
    assert not out.exists()


def test_wrong_passphrase(pdfs, ca, tmp_path) -> None:
    options = SignOptions(Role.SIGNER, image=ca.signature_png, moment=MOMENT)
    _refused(p12(ca.signer_p12, "sai"), options, pdfs["quyet-dinh"], tmp_path / "o.pdf",
             "sai mật khẩu")


def _key_file(tmp_path: Path, start: datetime, days: int) -> Path:
    key, cert = issue("Người ký hết hạn", None, start, days)
    path = tmp_path / "k.p12"
    path.write_bytes(pkcs12_bytes(key, cert, [], "pw"))
    return path


def test_expired_certificate(pdfs, ca, tmp_path) -> None:
    path = _key_file(tmp_path, datetime(2024, 1, 1, tzinfo=timezone.utc), 30)
    options = SignOptions(Role.SIGNER, image=ca.signature_png, moment=MOMENT)
    _refused(p12(path, "pw"), options, pdfs["quyet-dinh"], tmp_path / "o.pdf", "đã hết hạn")


def test_not_yet_valid_certificate(pdfs, ca, tmp_path) -> None:
    path = _key_file(tmp_path, datetime(2027, 1, 1, tzinfo=timezone.utc), 30)
    options = SignOptions(Role.SIGNER, image=ca.signature_png, moment=MOMENT)
    _refused(p12(path, "pw"), options, pdfs["quyet-dinh"], tmp_path / "o.pdf",
             "chưa có hiệu lực")


def test_missing_image(pdfs, ca, tmp_path) -> None:
    options = SignOptions(Role.SIGNER, image=tmp_path / "khong-co.png", moment=MOMENT)
    _refused(p12(ca.signer_p12), options, pdfs["quyet-dinh"], tmp_path / "o.pdf",
             "không tìm thấy ảnh chữ ký")
    _refused(p12(ca.signer_p12), SignOptions(Role.SIGNER, moment=MOMENT), pdfs["quyet-dinh"],
             tmp_path / "o.pdf", "thiếu ảnh chữ ký")


def test_image_that_is_not_png(pdfs, ca, tmp_path) -> None:
    jpeg = tmp_path / "dau.png"
    jpeg.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 100)
    options = SignOptions(Role.BODY, image=jpeg, moment=MOMENT)
    _refused(p12(ca.body_p12), options, pdfs["quyet-dinh"], tmp_path / "o.pdf",
             "ảnh dấu phải là tệp PNG")


def test_signatures_out_of_the_order_on_paper_are_refused(pdfs, signed, ca, tmp_path) -> None:
    """The body's seal goes over the signer's signature: not on an unsigned document, and
    the signer does not sign after it (the seal was drawn under the signature, and both
    verified as valid)."""
    _refused(p12(ca.body_p12), SignOptions(Role.BODY, image=ca.seal_png, moment=MOMENT),
             pdfs["quyet-dinh"], tmp_path / "o.pdf",
             r"chưa có chữ ký số của người có thẩm quyền \(khối chữ ký 1\); người ký ký trước")
    _refused(p12(ca.signer_p12), SignOptions(Role.SIGNER, image=ca.signature_png, block=2,
                                             moment=MOMENT),
             signed["da-ky"], tmp_path / "o.pdf",
             r"đã có chữ ký số của cơ quan \(CoQuan\); người có thẩm quyền phải ký trước")


def test_the_seal_goes_on_the_chairs_signature_of_minutes(pdfs, ca, tmp_path) -> None:
    """Minutes have two signers, the secretary (block 1, left) and the chair (block 2): the
    body's seal goes by default on the chair's signature, once the chair has signed."""
    secretary, both = tmp_path / "1.pdf", tmp_path / "2.pdf"
    sign(pdfs["bien-ban"], secretary, p12(ca.signer_p12),
         SignOptions(Role.SIGNER, image=ca.signature_png, block=1, moment=MOMENT))
    seal = SignOptions(Role.BODY, image=ca.seal_png, moment=MOMENT)
    _refused(p12(ca.body_p12), seal, secretary, tmp_path / "o.pdf",
             r"chưa có chữ ký số của người có thẩm quyền \(khối chữ ký 2\)")
    chair = sign(secretary, both, p12(ca.signer_p12),
                 SignOptions(Role.SIGNER, image=ca.signature_png, block=2, moment=MOMENT))
    sealed = sign(both, tmp_path / "3.pdf", p12(ca.body_p12), seal)
    assert sealed.rect.page == chair.rect.page
    # the seal covers the left third of the chair's signature, in the right column
    assert sealed.rect.x1 < chair.rect.x1 < sealed.rect.x2
    assert sealed.rect.x1 > pdfs_width(pdfs["bien-ban"]) / 2 - 60


def pdfs_width(pdf: Path) -> float:
    reader = PdfFileReader(io.BytesIO(pdf.read_bytes()), strict=False)
    return float(reader.root["/Pages"]["/Kids"][0].get_object()["/MediaBox"][2])


def test_signing_the_same_field_twice_is_refused(signed, ca, tmp_path) -> None:
    options = SignOptions(Role.BODY, image=ca.seal_png, moment=MOMENT)
    _refused(p12(ca.body_p12), options, signed["da-ky"], tmp_path / "o.pdf", "đã có chữ ký")


def test_key_check_needs_the_certificates_own_key(ca: DemoCa) -> None:
    # A PKCS#12 file cannot hold a foreign key (see test_pkcs11 for a token that does);
    # here the check itself is given a certificate that is not the key's.
    own = load_pkcs12(ca.signer_p12, "vanban-thu-nghiem")
    other = load_pkcs12(ca.body_p12, "vanban-thu-nghiem")
    foreign = SimpleSigner(signing_cert=other.certificate, signing_key=own.signer.signing_key,
                           cert_registry=SimpleCertificateStore.from_certs([other.certificate]))
    key = Key(foreign, "khoa.p12")
    with pytest.raises(SigningError, match="không khớp"):
        key.check(MOMENT)
    with pytest.raises(SigningError, match="không khớp"):
        sign_pdf(b"%PDF-1.7", key, SignOptions(Role.ATTACHMENT, so_ky_hieu="1", moment=MOMENT))


def test_pdf_without_stored_boxes_is_signed_where_its_text_says(pdfs, ca, tmp_path) -> None:
    # The same PDF as another program would make it: no boxes in its document information.
    writer = IncrementalPdfFileWriter(io.BytesIO(pdfs["quyet-dinh"].read_bytes()), strict=False)
    info_ref = writer.trailer.raw_get("/Info")
    del info_ref.get_object()["/VanbanSignatureBoxes"]
    writer.mark_update(info_ref)
    foreign = tmp_path / "khac.pdf"
    with foreign.open("wb") as fh:
        writer.write(fh)
    info = PdfFileReader(io.BytesIO(foreign.read_bytes()), strict=False).trailer["/Info"]
    assert "/VanbanSignatureBoxes" not in info
    options = SignOptions(Role.SIGNER, image=ca.signature_png, moment=MOMENT)
    found = sign(foreign, tmp_path / "a.pdf", p12(ca.signer_p12), options).rect
    laid = sign(pdfs["quyet-dinh"], tmp_path / "b.pdf", p12(ca.signer_p12), options).rect
    assert found.page == laid.page
    assert found.centre[0] == pytest.approx(laid.centre[0], abs=4)
    assert found.centre[1] == pytest.approx(laid.centre[1], abs=6)


@pytest.mark.parametrize("size", [float("nan"), float("inf"), 1e308, -5.0, 0.0, 100000.0, 10.0])
def test_seal_size_must_be_a_real_seals(signed, ca, tmp_path, size: float) -> None:
    options = SignOptions(Role.BODY, image=ca.seal_png, seal_mm=size, moment=MOMENT)
    _refused(p12(ca.body_p12), options, signed["nguoi-ky"], tmp_path / "o.pdf",
             r"đường kính dấu .* từ 15 đến 60 mm")


@pytest.mark.parametrize("text", ["1,nan,10,10,10", "1,inf,1,1,1", "1,10,10,nan,10",
                                  "1,-50,10,10,10", "1,10,-1,10,10", "1,10,10,1e-9,1e-9"])
def test_given_position_must_be_finite_positive_numbers(text: str) -> None:
    with pytest.raises(SigningError, match=re.escape(f"vị trí '{text}'")):
        GivenBox.parse(text)


@pytest.mark.parametrize("text", ["1,10,10,10000,10000", "1,1e308,1,10,10", "1,150,270,61,28"])
def test_given_position_must_lie_on_the_page(pdfs, ca, tmp_path, text: str) -> None:
    options = SignOptions(Role.SIGNER, image=ca.signature_png, box=GivenBox.parse(text),
                          moment=MOMENT)
    _refused(p12(ca.signer_p12), options, pdfs["quy-che"], tmp_path / "o.pdf",
             "vượt ra ngoài trang 1 .*rộng 210 mm, cao 297 mm")


def _encrypted(source: Path, out: Path, user_password: str) -> Path:
    with source.open("rb") as fh:
        writer = copy_into_new_writer(PdfFileReader(fh))
        writer.encrypt("chu-so-huu", user_password)
        with out.open("wb") as target:
            writer.write(target)
    return out


@pytest.mark.parametrize("password", ["u", ""])
def test_password_protected_pdf_is_refused(pdfs, ca, tmp_path, password: str) -> None:
    locked = _encrypted(pdfs["quyet-dinh"], tmp_path / "khoa.pdf", password)
    for source, options in [
        (p12(ca.signer_p12), SignOptions(Role.SIGNER, image=ca.signature_png, moment=MOMENT,
                                         box=GivenBox.parse("1,100,150,80,20"))),
        (p12(ca.body_p12), SignOptions(Role.ATTACHMENT, so_ky_hieu="05/QĐ-UBND", moment=MOMENT)),
    ]:
        _refused(source, options, locked, tmp_path / "o.pdf",
                 "có đặt mật khẩu .* lưu lại thành bản không đặt mật khẩu")


@pytest.mark.parametrize("cut", [5000, 9])
def test_damaged_pdf_is_one_vietnamese_line(pdfs, ca, tmp_path, cut: int) -> None:
    damaged = tmp_path / "hong.pdf"
    damaged.write_bytes(pdfs["quyet-dinh"].read_bytes()[:cut])  # 9: "%PDF-1.7" and a newline
    options = SignOptions(Role.ATTACHMENT, so_ky_hieu="05/QĐ-UBND", moment=MOMENT)
    with pytest.raises(SigningError) as caught:
        sign(damaged, tmp_path / "o.pdf", p12(ca.body_p12), options)
    assert str(caught.value) == (f"{damaged}: tệp PDF bị hỏng hoặc không trọn vẹn (có thể bị cắt "
                                 "cụt khi chép hay tải về), không đọc được; lấy lại tệp gốc")
    assert not (tmp_path / "o.pdf").exists()


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 16))
            + chunk(b"IEND", b""))


def test_truncated_or_corrupt_image_is_refused(pdfs, ca, tmp_path) -> None:
    truncated = tmp_path / "cat.png"
    truncated.write_bytes(ca.signature_png.read_bytes()[:100])
    corrupt = tmp_path / "hong.png"
    data = bytearray(ca.signature_png.read_bytes())
    data[200] ^= 0xFF  # inside the image data: its checksum no longer matches
    corrupt.write_bytes(bytes(data))
    for image in (truncated, corrupt):
        options = SignOptions(Role.SIGNER, image=image, moment=MOMENT)
        _refused(p12(ca.signer_p12), options, pdfs["quyet-dinh"], tmp_path / "o.pdf",
                 "ảnh chữ ký bị hỏng hoặc không trọn vẹn")


def test_image_of_absurd_size_is_refused(signed, ca, tmp_path) -> None:
    huge = tmp_path / "dau.png"
    huge.write_bytes(_png_header(30000, 30000))
    options = SignOptions(Role.BODY, image=huge, moment=MOMENT)
    _refused(p12(ca.body_p12), options, signed["nguoi-ky"], tmp_path / "o.pdf",
             r"ảnh dấu quá lớn \(30000×30000 điểm ảnh\); mỗi chiều tối đa 5000")


def test_secret_that_is_not_utf8_is_refused(ca, tmp_path) -> None:
    undecodable = "\udcff\udcfe"  # how Python reads the bytes ff fe from the environment
    with pytest.raises(SigningError, match="biến môi trường VANBAN_MAT_KHAU .* UTF-8"):
        secret_from_env(PASSPHRASE_ENV, {PASSPHRASE_ENV: undecodable})
    with pytest.raises(SigningError, match="mật khẩu tệp khóa .* UTF-8"):
        load_pkcs12(ca.signer_p12, undecodable)
    with pytest.raises(SigningError, match="UTF-8"):
        make_test_ca(tmp_path / "ca", passphrase=undecodable)
    assert not (tmp_path / "ca").exists() or not any((tmp_path / "ca").iterdir())


def test_missing_secret_without_a_terminal_names_the_variable() -> None:
    with pytest.raises(SigningError, match="đặt biến môi trường VANBAN_MAT_KHAU"):
        secret_from_env(PASSPHRASE_ENV, {}, required=True, interactive=False)
    with pytest.raises(SigningError, match="mã PIN .*đặt biến môi trường VANBAN_PIN"):
        secret_from_env(PIN_ENV, {PIN_ENV: ""}, required=True, interactive=False)
    # At a terminal the caller asks; without `required` (test keys' default) nothing is raised.
    assert secret_from_env(PASSPHRASE_ENV, {}, required=True, interactive=True) is None
    assert secret_from_env(PASSPHRASE_ENV, {}, interactive=False) is None
    assert secret_from_env(PIN_ENV, {PIN_ENV: "123456"}, required=True, interactive=False) == (
        "123456")


def test_an_attachment_shows_the_number_it_cites(ca, tmp_path) -> None:
    """The Quy chế says which decision it is attached to ("Kèm theo Quyết định số 02/…"):
    its signature shows that number by default, and a different --so-ky-hieu is refused (it
    used to be signed, and verified as valid, with the wrong number)."""
    from datetime import date

    from tests import dossiers
    from vanban.issuing.issue import issue as issue_documents

    data = dossiers.sample("trung-chinh-2025")
    data.pop("tap_huan", None)
    hoso = dossiers.write(tmp_path, data)
    done = issue_documents(hoso, tmp_path / "out", ngay=date(2026, 1, 7),
                           register=tmp_path / "so.sqlite")
    adopting = next(i.entry.so_ky_hieu for i in done.issued
                    if i.entry.identity is not None
                    and i.entry.identity.loai_van_ban == "quyet-dinh-ban-hanh-quy-che")
    annex = tmp_path / "out" / "quy-che.pdf"
    options = SignOptions(Role.ATTACHMENT, moment=MOMENT)
    signed = sign(annex, tmp_path / "a.pdf", p12(ca.body_p12), options)
    assert adopting in page_text(tmp_path / "a.pdf")
    assert signed.field == "CoQuan"
    _refused(p12(ca.body_p12), SignOptions(Role.ATTACHMENT, so_ky_hieu="99/QĐ-UBND",
                                           moment=MOMENT), annex, tmp_path / "b.pdf",
             rf"--so-ky-hieu 99/QĐ-UBND khác số văn bản chính mà tệp ghi .*{adopting}")
    # typed as a clerk may type it: the same number
    sign(annex, tmp_path / "c.pdf", p12(ca.body_p12),
         SignOptions(Role.ATTACHMENT, so_ky_hieu=adopting.lstrip("0").lower(), moment=MOMENT))


def test_an_attachment_citing_no_number_needs_one(pdfs, ca, tmp_path) -> None:
    # The sample's Quy chế is unissued: it cites "…/QĐ-UBND", a number left blank.
    _refused(p12(ca.body_p12), SignOptions(Role.ATTACHMENT, moment=MOMENT), pdfs["quy-che"],
             tmp_path / "o.pdf", r"cần số, ký hiệu của văn bản chính \(--so-ky-hieu\)")
