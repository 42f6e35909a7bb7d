"""Read the files a clerk is given: regular files only, inside their folder, each read once.

Dossier folders, templates and DOCX files come from other offices. A FIFO named as one would
block the read forever and ``/dev/zero`` would never end, so a file's type is checked on the
opened descriptor (opened without blocking) before anything is read, not guessed from its size.
A file that a dossier names must really be in the dossier's folder: a symlink, to a file or
through a folder, whose target leaves that folder is refused, as is one leaving a folder the
user named (``--templates-dir``). Callers keep the bytes they read: what was checked is what
is printed.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from vanban.errors import InputFileError, os_reason

#: What a file that is not a regular file is, by its type bits.
_KINDS = (
    (stat.S_ISDIR, "một thư mục"),
    (stat.S_ISFIFO, "một ống FIFO"),
    (stat.S_ISCHR, "một thiết bị ký tự (như /dev/zero)"),
    (stat.S_ISBLK, "một thiết bị khối"),
    (stat.S_ISSOCK, "một socket"),
)


def inside(folder: Path, name: str | os.PathLike[str], shown: str) -> Path:
    """Return the real path of `name` (relative to `folder`), which must stay in `folder`.

    Every symlink on the way is followed; raise :class:`InputFileError` (its message starts
    with `shown`) when the real path is outside the real `folder`.
    """
    root = Path(os.path.realpath(folder))
    real = Path(os.path.realpath(folder / name))
    if real != root and root not in real.parents:
        raise InputFileError(
            f"{shown}: là liên kết (symlink) trỏ ra ngoài thư mục {folder} (tới {real}); vanban "
            "chỉ đọc tệp nằm thật trong thư mục đó, hãy chép tệp vào đây"
        )
    return real


def kind_of(mode: int) -> str:
    """Return what a file of `mode` is, in Vietnamese, when it is not a regular file."""
    return next((name for test, name in _KINDS if test(mode)), "không phải tệp thường")


def read_regular(path: Path, shown: str, limit: int | None = None) -> bytes:
    """Return the bytes of the regular file at `path` (symlinks followed).

    Anything else (folder, FIFO, device, socket) is refused before a byte is read, and so is a
    file larger than `limit` bytes. Raise :class:`InputFileError` starting with `shown`.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise InputFileError(f"{shown}: không tìm thấy tệp; hãy kiểm tra đường dẫn") from None
    except OSError as e:
        raise InputFileError(f"{shown}: không đọc được tệp ({os_reason(e)})") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise InputFileError(
            f"{shown}: là {kind_of(info.st_mode)}, không phải tệp thường; vanban không đọc "
            "loại tệp này"
        )
    if limit is not None and info.st_size > limit:
        os.close(fd)
        raise InputFileError(f"{shown}: tệp quá lớn ({info.st_size} byte, tối đa {limit})")
    with os.fdopen(fd, "rb") as f:
        try:
            data = f.read() if limit is None else f.read(limit + 1)
        except OSError as e:
            raise InputFileError(f"{shown}: không đọc được tệp ({os_reason(e)})") from None
    if limit is not None and len(data) > limit:
        raise InputFileError(f"{shown}: tệp quá lớn (hơn {limit} byte)")
    return data


__all__ = ["inside", "kind_of", "read_regular"]
