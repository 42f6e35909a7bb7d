"""Check the digital signatures of PDF files (pyHanko's validation) and report in Vietnamese.

For each signature: who signed (certificate common name), for which body (organisation),
when (Vietnam's time), whether the signed bytes are intact, whether the document was
changed afterwards by anything other than adding further signatures, and whether the
certificate chains to one of the trust roots given. A file passes when it has at least
one signature and every signature passes.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vanban.errors import SigningError, os_reason
from vanban.issuing.files import read_input
from vanban.issuing.register import ISSUED

if TYPE_CHECKING:
    from vanban.issuing.register import Entry

#: Finds the outgoing register's entry for a PDF (its bytes), or None
#: (:func:`register_lookup` makes one for a register).
RegisterLookup = Callable[[bytes], "Entry | None"]
#: A PDF that needs a password to be opened.
LOCKED_PDF = ("tệp PDF có đặt mật khẩu để mở nên không đọc được chữ ký; xin bản không đặt "
              "mật khẩu từ nơi gửi rồi kiểm tra bản đó")


@dataclass
class SignatureReport:
    """What one signature says and whether it holds."""

    field_name: str
    signer: str
    body: str
    time: str
    #: The signed bytes hash to the signed digest.
    intact: bool
    #: The signature value verifies with the certificate's key.
    valid: bool
    #: The certificate chains to a given trust root and was valid then.
    trusted: bool
    #: The document was changed after this signature by more than added signatures.
    modified: bool
    #: PAdES level seen: B-B, B-T (signature timestamp) or B-LTA (document timestamp).
    level: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return True when the signature passes every check."""
        return not self.problems


@dataclass
class FileReport:
    """The signatures of one file."""

    path: str
    signatures: list[SignatureReport] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: The register entry the file matches, when a register was consulted.
    register_entry: str | None = None

    @property
    def ok(self) -> bool:
        """Return True when the file has signatures and all of them pass."""
        return not self.problems and all(s.ok for s in self.signatures)


def load_trust_roots(paths: Sequence[str | os.PathLike[str]]) -> list[Any]:
    """Read the trust root certificates (PEM or DER files; a PEM file may hold several)."""
    roots = []
    for path in paths:
        roots.extend(load_certificates(path, "chứng thư gốc"))
    return roots


def load_certificates(path: str | os.PathLike[str], what: str) -> list[Any]:
    """Return the X.509 certificates in the PEM or DER file at `path` (`what` names it in
    errors), each read in full: anything else (a key file, an image, nothing) is refused."""
    from asn1crypto import pem, x509

    data = read_input(path, what)
    try:
        if pem.detect(data):
            ders = [der for kind, _headers, der in pem.unarmor(data, multiple=True)
                    if kind == "CERTIFICATE"]
        else:
            ders = [data]
        certs = [x509.Certificate.load(der, strict=True) for der in ders]
        for cert in certs:
            _ = cert.native  # asn1crypto reads lazily: read every field now
    except Exception as exc:  # asn1crypto raises many kinds for what is not a certificate
        raise SigningError(_not_a_certificate(path, what)) from exc
    if not certs:
        raise SigningError(_not_a_certificate(path, what))
    return certs


def _not_a_certificate(path: str | os.PathLike[str], what: str) -> str:
    return (f"{path}: không phải chứng thư số, không dùng làm {what} được; cho tệp chứng thư "
            ".pem, .cer hoặc .crt (không phải tệp khóa .p12/.pfx hay ảnh)")


def register_lookup(location: str) -> RegisterLookup:
    """Return a lookup in the register at `location`: the entry whose issued file is one of
    the PDF's revisions (the file as issued, before it was signed)."""
    from vanban.issuing.lookup import match_bytes
    from vanban.issuing.register import Register

    def lookup(data: bytes) -> Entry | None:
        with Register(location, create=False) as register:
            match = match_bytes(Path(), data, register)
        entries = match.entries or match.earlier
        # -- an issued entry before a cancelled one --
        return min(entries, key=lambda e: e.trang_thai != ISSUED) if entries else None

    return lookup


def not_issued(entry: Entry) -> str:
    """Return why a file of `entry` is not an issued document: its number was cancelled, or
    its issue never ended."""
    return (f"trong sổ đăng ký, số {entry.so_ky_hieu} {entry.trang_thai_ten}: tệp không phải "
            "văn bản đã ban hành")


def configured_register(location: str | None) -> str | None:
    """Return the register to consult: `location`, else ``VANBAN_REGISTER``, else None (a
    verification never creates the default register)."""
    from vanban.issuing.register import REGISTER_ENV

    return location or os.environ.get(REGISTER_ENV) or None


def verify_files(
    paths: Sequence[str | os.PathLike[str]],
    trust: Sequence[str | os.PathLike[str]] = (),
    *,
    register: str | None = None,
    lookup: RegisterLookup | None = None,
) -> list[FileReport]:
    """Check every signature of every PDF in `paths` against the roots in `trust`.

    With a `register` location (or an explicit `lookup`), each signed file must also match
    an entry of the outgoing register.
    """
    roots = load_trust_roots(trust)
    if lookup is None and register:
        lookup = register_lookup(register)
    reports = []
    for path in paths:
        with _quiet_pyhanko():
            report = verify_file(Path(path), roots)
        if lookup is not None and report.signatures:
            entry = lookup(Path(path).read_bytes())
            if entry is None:
                report.problems.append("không khớp văn bản nào trong sổ đăng ký văn bản đi "
                                       "(chưa cấp số, hoặc đã bị sửa sau khi cấp số)")
            else:
                report.register_entry = f"{entry.so_ngay} ({entry.trang_thai_ten})"
                if entry.trang_thai != ISSUED:
                    report.problems.append(not_issued(entry))
        reports.append(report)
    return reports


def verify_file(path: Path, roots: list[Any]) -> FileReport:
    """Check the signatures of the PDF at `path`."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    report = FileReport(str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.problems.append(f"không đọc được tệp ({os_reason(exc)})")
        return report
    import io

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted and not _opened(reader):
            report.problems.append(LOCKED_PDF)
            return report
        signatures = list(reader.embedded_regular_signatures)
        stamps = list(reader.embedded_timestamp_signatures)
    except Exception:  # a damaged file: pyHanko raises many kinds
        report.problems.append("tệp PDF bị hỏng hoặc không trọn vẹn (có thể bị cắt cụt khi chép "
                               "hay tải về), không đọc được chữ ký")
        return report
    if not signatures:
        report.problems.append("không có chữ ký số nào")
    for signature in signatures:
        report.signatures.append(_check(signature, roots))
    for stamp in stamps:
        problem = _check_document_timestamp(stamp, roots)
        if problem:
            report.problems.append(problem)
    return report


def _opened(reader: Any) -> bool:
    """Open an encrypted PDF that needs no password to be read (only to be changed); tell
    whether it opened."""
    from pyhanko.pdf_utils.crypt import AuthStatus

    return bool(reader.decrypt(b"").status != AuthStatus.FAILED)


def _context(roots: list[Any]) -> Any:
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")


def _check_document_timestamp(stamp: Any, roots: list[Any]) -> str | None:
    """Return what is wrong with a document timestamp (PAdES B-LTA), or None."""
    from pyhanko.sign.validation import validate_pdf_timestamp

    try:
        status = validate_pdf_timestamp(stamp, validation_context=_context(roots))
    except Exception:  # a malformed timestamp: pyHanko raises many kinds
        return "dấu thời gian tài liệu bị hỏng, không kiểm tra được"
    if not (status.intact and status.valid):
        return "dấu thời gian tài liệu không nguyên vẹn"
    if not status.trusted:
        return "dấu thời gian tài liệu không dẫn tới chứng thư gốc tin cậy nào"
    return None


def _check(signature: Any, roots: list[Any]) -> SignatureReport:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature

    from vanban.issuing.keys import common_name, organization
    from vanban.issuing.signing import iso_time

    context = _context(roots)
    cert = signature.signer_cert
    moment = signature.self_reported_timestamp
    report = SignatureReport(
        field_name=signature.field_name,
        signer=common_name(cert),
        body=organization(cert),
        time=iso_time(moment) if moment else "",
        intact=False, valid=False, trusted=False, modified=False, level="B-B",
    )
    try:
        status = validate_pdf_signature(signature, signer_validation_context=context)
    except Exception:  # a malformed signature: pyHanko raises many kinds
        report.problems.append("dữ liệu chữ ký bị hỏng, không kiểm tra được chữ ký")
        return report
    report.intact, report.valid, report.trusted = status.intact, status.valid, status.trusted
    level = status.modification_level
    report.modified = (level is None or level > ModificationLevel.FORM_FILLING
                       or status.docmdp_ok is False)
    stamp = status.timestamp_validity
    if stamp is not None:
        report.level = "B-T"
        if not (stamp.intact and stamp.valid and stamp.trusted):
            report.problems.append("dấu thời gian của chữ ký không hợp lệ hoặc không tin cậy")
    if signature.reader.embedded_timestamp_signatures:
        report.level = "B-LTA"
    if not status.intact:
        report.problems.append("nội dung đã bị thay đổi: dữ liệu được ký không còn nguyên vẹn")
    elif not status.valid:
        report.problems.append("giá trị chữ ký không khớp với chứng thư số")
    if report.modified:
        report.problems.append("văn bản đã bị sửa sau khi ký (không chỉ thêm chữ ký)")
    if status.intact and status.valid and not status.trusted:
        # -- (the chain is not looked at for a signature that does not hold: saying it is not
        # -- trusted as well would only hide the real fault) --
        report.problems.append(
            "chứng thư số không dẫn tới chứng thư gốc tin cậy nào"
            + ("" if roots else " (cho chứng thư gốc bằng --tin-cay)")
        )
    return report


@contextlib.contextmanager
def _quiet_pyhanko() -> Any:
    """Keep pyHanko from logging tracebacks for what the report already says."""
    logger = logging.getLogger("pyhanko")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def format_reports(reports: Sequence[FileReport]) -> str:
    """Return the reports as Vietnamese text, one block per file."""
    out: list[str] = []
    for report in reports:
        count = len(report.signatures)
        verdict = "HỢP LỆ" if report.ok else "KHÔNG HỢP LỆ"
        out.append(f"{report.path}: {count} chữ ký — {verdict}")
        out.extend(f"  lỗi: {p}" for p in report.problems)
        if report.register_entry:
            out.append(f"  sổ đăng ký: {report.register_entry}")
        for number, sig in enumerate(report.signatures, 1):
            out.append(f"  {number}. {sig.field_name}: {sig.signer}"
                       + (f" — {sig.body}" if sig.body else ""))
            out.append(f"     thời gian ký: {sig.time or 'không ghi'}; mức PAdES: {sig.level}")
            out.append(
                f"     toàn vẹn: {_yes(sig.intact)}; sửa sau khi ký: {_yes(sig.modified)}; "
                f"chứng thư tin cậy: {_yes(sig.trusted)}"
            )
            out.extend(f"     lỗi: {p}" for p in sig.problems)
    return "\n".join(out)


def reports_json(reports: Sequence[FileReport]) -> str:
    """Return the reports as JSON (keys as in :class:`FileReport`, plus ``ok``)."""
    data = []
    for report in reports:
        item = asdict(report)
        item["ok"] = report.ok
        for sig, raw in zip(report.signatures, item["signatures"], strict=True):
            raw["ok"] = sig.ok
        data.append(item)
    return json.dumps(data, ensure_ascii=False, indent=2)


def _yes(value: bool) -> str:
    return "có" if value else "không"
