"""Sign a PDF with the appearance NĐ 30 Phụ lục I asks for (PAdES, through pyHanko).

Three kinds of signature, each in its own field and its own incremental update, so an
earlier signature stays valid:

- the **signer's** (:attr:`Role.SIGNER`): their signature image, centred between the title
  lines and the name of their signature block (field ``NguoiKy1``, ``NguoiKy2``… by block);
- the **body's** (:attr:`Role.BODY`): the seal at its real size covering a third of the
  signer's image on its left, with the body's name and the signing time (field ``CoQuan``);
- an **attached document's** (:attr:`Role.ATTACHMENT`), in its own file: the body's
  signature without image, the main document's number and symbol and the signing time at
  the top right of page 1 (field ``CoQuan``).

The same PDF, key, options and signing time give the same bytes (RSA signatures are
deterministic; the file identifier is derived from the input). Level PAdES B-B; B-T with a
timestamp authority; B-LTA on request.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import io
import math
import os
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from vanban.errors import SigningError
from vanban.issuing import appearance, placement
from vanban.issuing.files import read_input
from vanban.issuing.keys import Key, KeySource, common_name, organization
from vanban.issuing.placement import GivenBox, Rect
from vanban.output import write_all

if TYPE_CHECKING:
    from pyhanko.pdf_utils.reader import PdfFileReader

#: Vietnam's time zone (no daylight saving): signing times are shown in it.
VIETNAM = timezone(timedelta(hours=7))
#: Default seal diameter: a commune's or a district body's round seal *(check: 35–36 mm)*.
SEAL_MM = 36.0
#: Seal diameters accepted (millimetres): from a reduced seal to the largest round seals.
SEAL_MM_MIN = 15.0
SEAL_MM_MAX = 60.0
#: Where the attachment's text sits: from the right and top edges of page 1, in millimetres.
ATTACHMENT_RIGHT_MM = 20.0
ATTACHMENT_TOP_MM = 10.0
#: Aspect of the signer's image assumed when the body signs a PDF its signer did not sign
#: here (the seal is placed against where that image would be).
DEFAULT_IMAGE_ASPECT = 2.0


class Role(enum.Enum):
    """Who signs, which decides the appearance and the field."""

    SIGNER = "nguoi-ky"
    BODY = "co-quan"
    ATTACHMENT = "phu-luc"


class Level(enum.Enum):
    """PAdES baseline level."""

    B_B = "B-B"
    B_T = "B-T"
    B_LTA = "B-LTA"


@dataclass
class SignOptions:
    """What to sign and how."""

    role: Role
    #: The signer's signature image, or the body's seal (PNG, transparent background).
    image: Path | None = None
    #: Which signature block (1 = first in the document), for the signer and the body. By
    #: default the first for a signer, and for the body the last: that of the person with
    #: authority (the chair's, right of the secretary's, on minutes).
    block: int | None = None
    seal_mm: float = SEAL_MM
    #: The body's name shown beside the seal; by default the certificate's organisation.
    body_name: str | None = None
    #: The main document's number and symbol, shown on an attachment.
    so_ky_hieu: str | None = None
    #: The signature box given by the user (for a PDF whose block cannot be found).
    box: GivenBox | None = None
    #: Signing time; now by default.
    moment: datetime | None = None
    #: Timestamp authority URL: PAdES B-T.
    tsa_url: str | None = None
    #: Add validation data and a document timestamp: PAdES B-LTA (needs `tsa_url`).
    lta: bool = False
    #: Trust roots used to gather validation data for B-LTA.
    trust: list[Path] = field(default_factory=list)

    @property
    def level(self) -> Level:
        """Return the PAdES level these options give."""
        if self.lta:
            return Level.B_LTA
        return Level.B_T if self.tsa_url else Level.B_B


#: The signature fields vanban names: the signer's of block N is ``NguoiKyN``.
SIGNER_FIELD, BODY_FIELD = "NguoiKy", "CoQuan"


def field_name(role: Role, block: int) -> str:
    """Return the signature field name used for `role` (and signature block `block`)."""
    return f"{SIGNER_FIELD}{block}" if role is Role.SIGNER else BODY_FIELD


def iso_time(moment: datetime) -> str:
    """Return `moment` in Vietnam's time, ISO 8601 to the second: ``2026-01-07T09:15:30+07:00``."""
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds")


def parse_moment(text: str) -> datetime:
    """Read an ISO 8601 time (``2026-01-07T09:15:30+07:00``); without offset, Vietnam's."""
    try:
        return signing_moment(datetime.fromisoformat(text.strip()))
    except ValueError:
        raise SigningError(
            f"thời điểm '{text}' không hợp lệ: viết theo ISO 8601, ví dụ 2026-01-07T09:15:30+07:00"
        ) from None


def signing_moment(moment: datetime | None) -> datetime:
    """Return the signing time: `moment` (made aware in Vietnam's time) or now."""
    if moment is None:
        return datetime.now(VIETNAM).replace(microsecond=0)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VIETNAM)
    return moment


@dataclass(frozen=True)
class SignResult:
    """A signed PDF and where its new signature's appearance is."""

    pdf: bytes
    field: str
    rect: Rect
    level: Level


def sign_pdf(pdf: bytes, key: Key, options: SignOptions, source: str = "<pdf>") -> SignResult:
    """Add one signature to `pdf` (bytes read from `source`) and return the signed bytes."""
    from pyhanko.pdf_utils.generic import ArrayObject, ByteStringObject
    from pyhanko.pdf_utils.misc import PdfError as PyHankoPdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers

    moment = signing_moment(options.moment)
    _check_options(options)
    images = _read_image(options)
    key.check(moment)
    # A damaged file: pyHanko raises many kinds, with reasons of no use to a clerk.
    damaged = (PyHankoPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError)
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    except damaged as exc:
        raise SigningError(f"{source}: {DAMAGED_PDF}") from exc
    if reader.encrypted:
        # pyHanko would need the password to read, and to write the signature encrypted.
        raise SigningError(f"{source}: tệp PDF có đặt mật khẩu (mã hóa) nên không ký được; "
                           "mở tệp, lưu lại thành bản không đặt mật khẩu rồi ký bản đó")
    try:
        found = list(fields.enumerate_sig_fields(reader))
    except damaged as exc:
        raise SigningError(f"{source}: {DAMAGED_PDF}") from exc
    existing = {name: ref for name, _value, ref in found}
    signed = {name for name, value, _ref in found if value is not None}
    if options.role is Role.ATTACHMENT:
        options = replace(options, so_ky_hieu=_attachment_number(options.so_ky_hieu, pdf,
                                                                 source))
    if options.block is None:
        options = replace(options, block=_default_block(reader, options))
    name = field_name(options.role, options.block or 1)
    if name in existing:
        raise SigningError(f"{source}: đã có chữ ký {name}; không ký lại vào cùng ô chữ ký")
    _check_order(options, signed, source)
    look, rect = _appearance(reader, existing, images, key, options, moment, source)

    writer = _timed_writer_class()(io.BytesIO(pdf), moment)
    # The second half of the file identifier marks this revision: derive it from what is
    # signed instead of pyHanko's random bytes, so equal input gives equal output.
    seed = hashlib.sha256(pdf + name.encode() + iso_time(moment).encode()).digest()[:16]
    writer._document_id = ArrayObject([writer._document_id[0], ByteStringObject(seed)])
    fields.append_signature_field(
        writer,
        fields.SigFieldSpec(sig_field_name=name, on_page=rect.page,
                            # pyHanko declares int, but takes any PDF number.
                            box=cast(Any, (rect.x1, rect.y1, rect.x2, rect.y2))),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        use_pades_lta=options.lta,
        embed_validation_info=options.lta,
        validation_context=_validation_context(options.trust) if options.lta else None,
    )
    timestamper = None
    if options.tsa_url:
        from pyhanko.sign.timestamps import HTTPTimeStamper

        timestamper = HTTPTimeStamper(options.tsa_url)
    signer = _timed_signer_class()(meta, key.signer, moment, timestamper=timestamper,
                                   stamp_style=_page_style(look.pdf))
    out = io.BytesIO()
    try:
        signer.sign_pdf(writer, output=out, bytes_reserved=_reserved(key, options))
    except Exception as exc:  # pyHanko, the token and the TSA client raise many kinds
        raise SigningError(f"{source}: {_signing_problem(exc, options)}") from exc
    return SignResult(out.getvalue(), name, rect, options.level)


#: What is said of a PDF pyHanko cannot read (the reason in its words is of no use to a clerk).
DAMAGED_PDF = ("tệp PDF bị hỏng hoặc không trọn vẹn (có thể bị cắt cụt khi chép hay tải về), "
               "không đọc được; lấy lại tệp gốc")


def _check_options(options: SignOptions) -> None:
    """Raise :class:`SigningError` for an option no real signature can have."""
    if options.role is Role.BODY and not (
        math.isfinite(options.seal_mm) and SEAL_MM_MIN <= options.seal_mm <= SEAL_MM_MAX
    ):
        raise SigningError(
            f"đường kính dấu {options.seal_mm:g} mm không hợp lệ: cho một số từ {SEAL_MM_MIN:g} "
            f"đến {SEAL_MM_MAX:g} mm (--dau-mm; dấu tròn của cơ quan thường 32–42 mm)"
        )
    if options.lta and not options.tsa_url:
        raise SigningError("mức B-LTA cần địa chỉ máy chủ cấp dấu thời gian (--tsa)")
    if options.tsa_url is not None:
        _check_tsa_url(options.tsa_url)


def _check_tsa_url(url: str) -> None:
    """Raise :class:`SigningError` unless `url` is an http(s) address with a host."""
    try:
        parts = urlsplit(url)
        _port = parts.port  # reading it checks it
        good = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        good = False
    if not good or any(c.isspace() for c in url):
        raise SigningError(
            f"địa chỉ máy chủ cấp dấu thời gian '{url}' không hợp lệ: phải là địa chỉ web bắt "
            "đầu bằng http:// hoặc https://, ví dụ http://tsa.example.vn/ (--tsa)"
        )


def _signing_problem(exc: BaseException, options: SignOptions) -> str:
    """Return in Vietnamese why signing failed with `exc` (from pyHanko, a token, the TSA)."""
    from pyhanko.sign.timestamps import TimestampRequestError

    chain = _causes(exc)
    if options.tsa_url and any(isinstance(e, TimestampRequestError) for e in chain):
        return _timestamp_problem(chain, options.tsa_url)
    from pkcs11 import exceptions as p11

    if any(isinstance(e, p11.PKCS11Error) for e in chain):
        return ("token không ký được (token bị rút ra, hết phiên làm việc hoặc khóa không cho "
                "phép ký): cắm lại token rồi ký lại")
    return f"không ký được ({type(exc).__name__}: {exc})"


def _timestamp_problem(chain: list[BaseException], url: str) -> str:
    """Return in Vietnamese why the timestamp authority at `url` gave no timestamp."""
    from pyhanko.sign.timestamps import TimestampRequestError

    where = f"máy chủ cấp dấu thời gian {url}"
    if any(isinstance(e, TimeoutError) for e in chain):
        return f"{where} không trả lời kịp; kiểm tra kết nối mạng rồi ký lại"
    # An HTTP error answer (the HTTP client's error carries its status code).
    statuses = (getattr(e, "status", None) for e in chain)
    status = next((s for s in statuses if isinstance(s, int) and s >= 400), None)
    if status is not None:
        return (f"{where} báo lỗi (mã HTTP {status}); kiểm tra lại địa chỉ (--tsa) hoặc hỏi "
                "nhà cung cấp dịch vụ dấu thời gian")
    if any(isinstance(e, OSError) and not isinstance(e, TimestampRequestError) for e in chain):
        return (f"không kết nối được {where}; kiểm tra địa chỉ (--tsa) và kết nối mạng "
                "rồi ký lại")
    return (f"{where} không cấp dấu thời gian (trả lời sai định dạng hoặc từ chối yêu cầu); "
            "kiểm tra lại địa chỉ (--tsa) hoặc hỏi nhà cung cấp dịch vụ dấu thời gian")


def _causes(exc: BaseException) -> list[BaseException]:
    """Return `exc` and the exceptions it was raised from or while handling, in order."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def sign_file(
    path: str | os.PathLike[str],
    output: str | os.PathLike[str],
    key: Key,
    options: SignOptions,
    *,
    force: bool = False,
) -> SignResult:
    """Sign the PDF at `path` and write it to `output` (atomically; nothing on error)."""
    source = Path(path)
    data = read_input(source, "tệp PDF")
    if not data.startswith(b"%PDF-"):
        raise SigningError(f"{source}: không phải tệp PDF")
    target = Path(output)
    if target.exists() and not force:
        # Checked before signing, so a token is not asked to sign for nothing.
        write_all([(target, b"")], force=False)
    result = sign_pdf(data, key, options, str(source))
    write_all([(target, result.pdf)], force=force)
    return result


#: Room kept in the file for a B-B signature's CMS object beside its certificates, so that
#: pyHanko need not sign a dummy first to estimate it.
RESERVED_BYTES = 8192


def _reserved(key: Key, options: SignOptions) -> int | None:
    """Return the room to keep for the signature; None (estimate) when a TSA adds to it."""
    if options.tsa_url:
        return None
    size = RESERVED_BYTES + sum(len(cert.dump()) for cert in key.signer.cert_registry)
    return 2 * size  # written in hexadecimal: two digits a byte


def sign(
    path: str | os.PathLike[str],
    output: str | os.PathLike[str],
    source: KeySource,
    options: SignOptions,
    *,
    force: bool = False,
) -> SignResult:
    """Open the key at `source`, sign the PDF at `path` into `output`, close the key."""
    with source.open() as key:
        return sign_file(path, output, key, options, force=force)


def _read_image(options: SignOptions) -> appearance.Png | None:
    if options.role is Role.ATTACHMENT:
        return None  # no image: the main document's number (:func:`_attachment_number`)
    what = "ảnh chữ ký" if options.role is Role.SIGNER else "ảnh dấu"
    if options.image is None:
        option = "--anh-chu-ky" if options.role is Role.SIGNER else "--anh-dau"
        raise SigningError(f"thiếu {what}: cho tệp PNG bằng {option}")
    return appearance.read_png(options.image, what)


#: Where an attachment cites its main document: "(Kèm theo Quyết định số 05/QĐ-UBND ngày …".
_CITED = re.compile(r"kèm\s+theo\s+(?:\S+\s+){0,8}?số\s+(\S*\d\S*?)[\s,;)]", re.IGNORECASE)


def _attachment_number(given: str | None, pdf: bytes, source: str) -> str:
    """Return the main document's number and symbol an attachment's signature shows: the one
    given, which must be the one the attachment cites on its first page when it cites one, or
    else the cited one."""
    from vanban.issuing.register import normal_symbol

    cited = _cited_number(pdf)
    if given and cited and normal_symbol(given) != normal_symbol(cited):
        raise SigningError(f"{source}: --so-ky-hieu {given} khác số văn bản chính mà tệp ghi "
                           f"(“Kèm theo … số {cited}”); hãy dùng đúng số {cited}")
    number = given or cited
    if not number:
        raise SigningError(f"{source}: chữ ký trên văn bản kèm theo cần số, ký hiệu của văn bản "
                           "chính (--so-ky-hieu), mà tệp không ghi “Kèm theo … số …”")
    return number


def _cited_number(pdf: bytes) -> str | None:
    """Return the number an attachment cites on its first page ("Kèm theo … số 05/QĐ-UBND"),
    or None (none cited, a number left blank, or no pdftotext to read it)."""
    found = _CITED.search((placement.pdf_text(pdf, "-f", "1", "-l", "1") or "") + " ")
    return found.group(1) if found else None


def _default_block(reader: PdfFileReader, options: SignOptions) -> int:
    """Return the block signed when none is given: the first for a signer; for the body, the
    last of the blocks vanban stored in the PDF (the person with authority's: the chair's on
    minutes), or the first in a PDF vanban did not make."""
    if options.role is not Role.BODY or options.box is not None:
        return 1
    info: dict[str, str] = {}
    if "/Info" in reader.trailer:
        info = {str(k).lstrip("/"): str(v) for k, v in reader.trailer["/Info"].items()}
    return max(len(placement.stored_boxes(info)), 1)


def _check_order(options: SignOptions, signed: set[str], source: str) -> None:
    """Refuse a signature out of the order on paper (README, issuing.md §4): the person with
    authority signs first, then the văn thư adds the body's seal over that signature.

    A PDF signed by another program names its fields its own way: there, any signature
    counts as the signer's."""
    role, block, body = options.role, options.block or 1, BODY_FIELD
    ours = any(n.startswith(SIGNER_FIELD) for n in signed)
    if role is Role.BODY and (field_name(Role.SIGNER, block) not in signed
                              if ours else not signed - {body}):
        raise SigningError(
            f"{source}: chưa có chữ ký số của người có thẩm quyền (khối chữ ký {block}); người "
            f"ký ký trước (vanban ky-so … --khoi {block}), văn thư ký số của cơ quan sau")
    if role is Role.SIGNER and body in signed:
        raise SigningError(
            f"{source}: văn bản đã có chữ ký số của cơ quan ({body}); người có thẩm quyền phải "
            "ký trước khi văn thư ký số của cơ quan — ký lại từ bản chưa ký")


def _appearance(
    reader: PdfFileReader,
    existing: dict[str, Any],
    image: appearance.Png | None,
    key: Key,
    options: SignOptions,
    moment: datetime,
    source: str,
) -> tuple[appearance.Appearance, Rect]:
    """Return the appearance of the new signature and its rectangle."""
    if options.role is Role.ATTACHMENT:
        look = appearance.attachment_appearance(options.so_ky_hieu or "", iso_time(moment))
        rect = placement.top_right_rect(
            _media_box(reader, 0), look.width, look.height,
            ATTACHMENT_RIGHT_MM * appearance.PT_PER_MM, ATTACHMENT_TOP_MM * appearance.PT_PER_MM,
        )
        return look, rect
    assert image is not None
    if options.role is Role.SIGNER:
        rect = placement.image_rect(_box(reader, options, source), image.aspect)
        return appearance.signer_appearance(image, rect.width, rect.height), rect
    signer_field = existing.get(field_name(Role.SIGNER, options.block or 1))
    if signer_field is not None:
        x1, y1, x2, y2 = (float(v) for v in signer_field.get_object()["/Rect"])
        page = _page_index(reader, signer_field.get_object())
        signature = Rect(page, min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
    else:
        signature = placement.image_rect(_box(reader, options, source), DEFAULT_IMAGE_ASPECT)
    cert = key.certificate
    body = options.body_name or organization(cert) or common_name(cert)
    look = appearance.seal_appearance(image, options.seal_mm, body, iso_time(moment))
    return look, placement.seal_rect(signature, look.height, look.width)


def _box(reader: PdfFileReader, options: SignOptions, source: str) -> Rect:
    """Return the signature box of block `options.block`: given, stored, or found in the text."""
    if options.box is not None:
        pages = int(reader.root["/Pages"]["/Count"])
        if options.box.page > pages:
            raise SigningError(f"{source}: tệp chỉ có {pages} trang; --vi-tri trang "
                               f"{options.box.page} không có")
        return options.box.placed(_media_box(reader, options.box.page - 1), source)
    info: dict[str, str] = {}
    if "/Info" in reader.trailer:
        info = {str(k).lstrip("/"): str(v) for k, v in reader.trailer["/Info"].items()}
    boxes = placement.stored_boxes(info)
    if not boxes:
        boxes = placement.text_boxes(_whole(reader), source)
    if not boxes:
        raise SigningError(
            f"{source}: không tìm thấy khối chữ ký (dòng 'TM.', 'KT.'… và họ tên người ký); "
            "cho vị trí bằng --vi-tri TRANG,X,Y,RỘNG,CAO (mm)"
        )
    block = options.block or 1
    if not 1 <= block <= len(boxes):
        raise SigningError(f"{source}: chỉ có {len(boxes)} khối chữ ký; --khoi {block} "
                           "không có")
    return boxes[block - 1]


def _media_box(reader: PdfFileReader, index: int) -> tuple[float, float, float, float]:
    ref, _resources = reader.find_page_for_modification(index)
    page = ref.get_object()
    box = page.get("/MediaBox")
    while box is None and "/Parent" in page:
        page = page["/Parent"]
        box = page.get("/MediaBox")
    x1, y1, x2, y2 = (float(v) for v in (box or (0, 0, 595.28, 841.89)))
    return x1, y1, x2, y2


def _whole(reader: PdfFileReader) -> bytes:
    stream = reader.stream
    stream.seek(0)
    return bytes(stream.read())


def _page_index(reader: PdfFileReader, widget: Any) -> int:
    page_ref = widget.raw_get("/P") if "/P" in widget else None
    if page_ref is not None:
        for index in range(int(reader.root["/Pages"]["/Count"])):
            ref, _resources = reader.find_page_for_modification(index)
            if ref.idnum == page_ref.idnum:
                return index
    return 0


def _validation_context(trust: list[Path]) -> Any:
    from pyhanko_certvalidator import ValidationContext

    from vanban.issuing.verify import load_trust_roots

    return ValidationContext(trust_roots=load_trust_roots(trust), allow_fetching=True)


def _page_style(pdf: bytes) -> Any:
    """Return a pyHanko stamp style drawing page 1 of `pdf` over the whole field."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.stamp.base import BaseStamp, BaseStampStyle

    @dataclass(frozen=True)
    class PageStampStyle(BaseStampStyle):
        border_width: int = 0
        page: bytes = b""

        def create_stamp(self, writer: Any, box: Any, text_params: dict) -> BaseStamp:
            return PageStamp(writer, self, box)

    class PageStamp(BaseStamp):
        def render(self) -> bytes:
            # A fixed resource name (pyHanko's own are random): equal input, equal bytes.
            assert self.writer is not None
            xobject = self.writer.import_page_as_xobject(
                PdfFileReader(io.BytesIO(self.style.page)), page_ix=0
            )
            self.resources.xobject["/Trang"] = xobject
            x1, y1, x2, y2 = (float(v) for v in xobject.get_object()["/BBox"])
            sx = self.box.width / (x2 - x1)
            sy = self.box.height / (y2 - y1)
            return b"q %.4f 0 0 %.4f %.4f %.4f cm /Trang Do Q" % (sx, sy, -x1 * sx, -y1 * sy)

    return PageStampStyle(page=pdf)


@functools.cache
def _timed_writer_class() -> Any:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    class TimedWriter(IncrementalPdfFileWriter):
        """An incremental writer that dates the document's change at the signing time
        (pyHanko writes the clock's time)."""

        def __init__(self, stream: Any, moment: datetime) -> None:
            super().__init__(stream, strict=False)
            self.moment = moment

        def _update_meta(self) -> None:
            super()._update_meta()
            if self._info is not None and "/ModDate" in self._info.get_object():
                self._info.get_object()["/ModDate"] = generic.pdf_date(self.moment)

    return TimedWriter


@functools.cache
def _timed_signer_class() -> Any:
    from pyhanko.sign.signers import PdfSigner

    class TimedSigner(PdfSigner):
        """A PdfSigner whose signing time is given rather than read from the clock."""

        def __init__(self, meta: Any, signer: Any, moment: datetime, **kwargs: Any) -> None:
            super().__init__(meta, signer, **kwargs)
            self.moment = moment

        def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = self.moment
            return session

    return TimedSigner
