"""Errors raised by vanban; every one is a :class:`VanbanError`.

Messages are Vietnamese and fit on one line: they are what a clerk reads. The
CLI prints ``str(error)`` and exits with :attr:`VanbanError.exit_code`.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar


class VanbanError(Exception):
    """Root of every error vanban raises on purpose."""

    #: Process exit code the CLI uses for this error.
    exit_code: ClassVar[int] = 1


@dataclass(frozen=True)
class Problem:
    """One finding about a dossier, located in its YAML file."""

    #: Dotted key path, e.g. ``ban_dieu_hanh.thanh_vien[3].ho_ten``.
    path: str
    #: Vietnamese message.
    message: str
    #: ``"loi"`` (error) or ``"canh_bao"`` (warning).
    level: str = "loi"
    file: str = ""
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        where = self.file or "<hồ sơ>"
        if self.line:
            where = f"{where}:{self.line}:{self.column}"
        label = "cảnh báo: " if self.level == "canh_bao" else ""
        path = f"{self.path}: " if self.path else ""
        return f"{where}: {path}{label}{self.message}"


class InputFileError(VanbanError):
    """The input file cannot be read at all (missing, a folder, not UTF-8, empty)."""


class DataError(VanbanError):
    """The dossier was read but is invalid; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(self._summary())

    def _summary(self) -> str:
        lines = [str(p) for p in self.problems]
        return "\n".join(lines)


class TemplateNotFoundError(VanbanError):
    """A template file for a document kind is missing."""


class TemplateRenderError(VanbanError):
    """A template has a broken tag or uses a field the dossier does not provide."""


class UsageError(VanbanError):
    """The call itself is wrong (an option's value), not the dossier: exit code 2."""

    exit_code: ClassVar[int] = 2


class UnknownKindError(UsageError):
    """A document kind named by the user does not exist."""


class UnknownFormatError(UsageError):
    """An output format named by the user does not exist."""


class OutputError(VanbanError):
    """The output cannot be written (exists without --force, not writable, ...)."""


class PdfError(VanbanError):
    """The PDF cannot be produced (missing font, unsupported DOCX, ...)."""


class RegisterError(VanbanError):
    """The outgoing register (sổ đăng ký văn bản đi) cannot be used: missing, corrupt, locked,
    read-only, of a newer schema, or its server cannot be reached."""


class NumberingError(VanbanError):
    """Issuing, reserving or cancelling a number would break a numbering rule (NĐ 30 Điều 15);
    nothing was changed."""


class SigningError(VanbanError):
    """A PDF cannot be signed (key, passphrase, certificate, image or position at fault)."""


#: Why the system refused to read or write a file, as a clerk reads it (``{}``: the action).
_OS_REASONS = {
    errno.EACCES: "không có quyền {}",
    errno.EPERM: "không có quyền {}",
    errno.ENOENT: "không có tệp hay thư mục này",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.EISDIR: "là một thư mục",
    errno.EEXIST: "đã có tệp trùng tên",
    errno.ELOOP: "đường dẫn có liên kết (symlink) vòng quanh",
    errno.ENAMETOOLONG: "tên tệp quá dài",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EFBIG: "tệp vượt giới hạn kích thước tệp được phép (ulimit -f)",
    errno.EDQUOT: "đã hết hạn mức dung lượng của người dùng",
    errno.EROFS: "ổ đĩa chỉ đọc",
    errno.EIO: "lỗi đọc ghi của ổ đĩa",
    errno.EMFILE: "đang mở quá nhiều tệp cùng lúc",
    errno.ENFILE: "đang mở quá nhiều tệp cùng lúc",
    errno.EBUSY: "tệp đang bị chương trình khác dùng",
}


def os_reason(exc: OSError, action: str = "đọc") -> str:
    """Return in Vietnamese why the system refused to `action` (``đọc``, ``ghi``) a file.

    An error without a known reason keeps the system's own words, marked as such.
    """
    known = _OS_REASONS.get(exc.errno or 0)
    if known is not None:
        return known.format(action)
    return f"lỗi hệ thống: {exc.strerror or exc}"


def describe(exc: BaseException) -> tuple[str, int]:
    """Return the Vietnamese message shown for `exc` and the exit code it gives.

    A :class:`VanbanError` is the clerk's to fix; anything else is a bug in vanban (exit 3).
    """
    if isinstance(exc, DataError):
        n = len([p for p in exc.problems if p.level == "loi"])
        return f"hồ sơ có {n} lỗi:\n{exc}", exc.exit_code
    if isinstance(exc, VanbanError):
        return str(exc), exc.exit_code
    return (
        f"lỗi nội bộ của vanban ({type(exc).__name__}: {exc}); đặt VANBAN_DEBUG=1 để xem "
        "chi tiết và báo lại cho người phát triển",
        3,
    )
