"""Read a DOCX's zip package whole, within limits, or say in Vietnamese why it cannot be read.

A DOCX received from another office is data: its zip directory may lie about sizes, its
members may be encrypted, compressed by an unknown method, corrupt, or a "zip bomb" that
inflates a few hundred kilobytes into gigabytes. Every member is read here once, counting the
bytes as they are inflated, so no reader of the package ever holds more than the limits.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterable

#: Most members in one package (a Word document has a few dozen).
MAX_MEMBERS = 5_000
#: Most bytes of all members once inflated (pictures included).
MAX_UNPACKED = 128 * 1024 * 1024
#: Most bytes of one XML member once inflated (a very long document.xml is a few MB).
MAX_XML = 32 * 1024 * 1024

_CHUNK = 1024 * 1024
#: Zip entry timestamp of every generated file (the DOS epoch).
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class PackageUnreadable(ValueError):
    """The package cannot be read; the message (Vietnamese) says why."""


def unpack(data: bytes) -> dict[str, bytes]:
    """Return every member of the zip `data` by name, inflated and checked.

    Raise :class:`PackageUnreadable` when it is not a zip, a member is encrypted, uses an
    unknown compression method, fails its CRC check, or the sizes pass the limits — whether
    the zip directory says so or the inflated bytes do.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise PackageUnreadable("không phải tệp Word .docx hợp lệ (gói ZIP hỏng)") from exc
    with archive:
        members = [i for i in archive.infolist() if not i.is_dir()]
        if len(members) > MAX_MEMBERS:
            raise PackageUnreadable(f"gói ZIP có {len(members)} phần, quá giới hạn {MAX_MEMBERS}")
        declared = sum(i.file_size for i in members)
        if declared > MAX_UNPACKED:
            raise PackageUnreadable(_too_big(declared, MAX_UNPACKED))
        parts: dict[str, bytes] = {}
        total = 0
        for info in members:
            parts[info.filename] = _inflate(archive, info, MAX_UNPACKED - total)
            total += len(parts[info.filename])
        return parts


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    """Return member `info` inflated, stopping as soon as it passes `budget` or its limit."""
    name = info.filename
    if info.flag_bits & 0x1:
        raise PackageUnreadable(f"phần {name} được mã hóa bằng mật khẩu; hãy lưu lại không mật khẩu")
    limit = min(budget, MAX_XML) if name.lower().endswith((".xml", ".rels")) else budget
    if info.file_size > limit:
        raise PackageUnreadable(_too_big(info.file_size, limit, name))
    out = bytearray()
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                out += chunk
                if len(out) > limit:
                    raise PackageUnreadable(_too_big(len(out), limit, name, lied=True))
    except NotImplementedError as exc:
        raise PackageUnreadable(f"phần {name} nén bằng cách vanban không đọc được "
                                f"(mã {info.compress_type}); hãy lưu lại bằng Word") from exc
    except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required"
        raise PackageUnreadable(f"phần {name} được mã hóa; hãy lưu lại không mật khẩu") from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, PackageUnreadable):
            raise
        raise PackageUnreadable(f"phần {name} bị hỏng (sai mã kiểm tra CRC hoặc dữ liệu nén)") from exc
    return bytes(out)


def _too_big(size: int, limit: int, name: str = "", *, lied: bool = False) -> str:
    """Return the message for a package or member over its size limit."""
    what = f"phần {name}" if name else "nội dung gói ZIP"
    verb = "giải nén ra hơn" if lied else "giải nén ra"
    mb = 1024 * 1024
    return (f"{what} {verb} {size // mb} MB, quá giới hạn {limit // mb} MB; tệp có thể là "
            "“bom nén” hoặc chứa ảnh quá lớn")


def deterministic_zip(data: bytes) -> bytes:
    """Rewrite the zip `data` with fixed timestamps and permissions, keeping the member order."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return zipped((info.filename, src.read(info.filename)) for info in src.infolist())


def zipped(members: Iterable[tuple[str, bytes]]) -> bytes:
    """Return a zip of `members` (name, bytes) in their order, compressed, with fixed
    timestamps and permissions: the same members give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in members:
            fixed = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, data)
    return out.getvalue()
