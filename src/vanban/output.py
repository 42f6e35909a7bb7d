"""Write output files all-or-nothing: nothing half-written, nothing overwritten by surprise."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from vanban.errors import OutputError


def temp_prefix(pid: int | None = None) -> str:
    """Return the name prefix of the temporary files process `pid` (default: this one) writes.

    A process killed while writing leaves them behind; the pid tells whose they were.
    """
    return f".vanban-{os.getpid() if pid is None else pid}-"


def write_all(files: Sequence[tuple[Path, bytes]], *, force: bool = False) -> list[Path]:
    """Write every ``(path, data)`` pair, or none of them.

    Existing files are refused unless `force`. Each file is first written to a temporary file
    in its folder; only when all are written are they renamed into place.
    """
    if not force:
        existing = [p for p, _ in files if p.exists()]
        if existing:
            more = f" (và {len(existing) - 1} tệp khác)" if len(existing) > 1 else ""
            raise OutputError(f"{existing[0]} đã có{more}; dùng --force để ghi đè")
    for path, _ in files:
        if path.exists() and path.is_dir():
            raise OutputError(f"{path} là một thư mục; không thể ghi tệp vào chỗ đó")
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=temp_prefix(), suffix=".tmp", dir=path.parent)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
            except OSError as e:
                raise OutputError(f"không ghi được {path}: {e.strerror}") from e
            staged.append((tmp, path))
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return [p for p, _ in files]
