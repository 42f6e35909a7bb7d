"""Reading the files signing needs (PDF, key, images), with one message for each failure."""

from __future__ import annotations

import os
from pathlib import Path

from vanban.errors import SigningError, os_reason


def read_input(path: str | os.PathLike[str], what: str) -> bytes:
    """Return the bytes of `path`; `what` names the file in errors ("tệp PDF", "ảnh dấu")."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise SigningError(f"{path}: không tìm thấy {what}") from None
    except IsADirectoryError:
        raise SigningError(f"{path}: là một thư mục, không phải {what}") from None
    except OSError as exc:
        raise SigningError(f"{path}: không đọc được {what} ({os_reason(exc)})") from exc
