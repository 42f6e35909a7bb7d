"""Find which register entry a file is, by its SHA-256 (verifying a file against the register).

An issued file matches its entry only while its bytes are those issued: a file edited, or
re-saved by a word processor, after issue matches nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from vanban.issuing.register import DEFAULT_TIMEOUT, Entry, Register


@dataclass
class FileMatch:
    """A file and the register entries it is a file of (none: not issued as it is)."""

    path: Path
    sha256: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.entries)


def lookup_file(
    path: str | os.PathLike[str],
    register: str | os.PathLike[str] | Register | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
) -> FileMatch:
    """Return the entries of the register whose issued files include the file at `path`.

    `register` is a location (see :func:`vanban.issuing.register.resolve_location`) or an
    open :class:`Register`. A register file that does not exist is refused, not created: an
    empty register would tell a genuine file it matches nothing.
    """
    import hashlib

    from vanban.files import read_regular

    file = Path(path)
    # Missing, a folder, a FIFO or a device: each told as what it is (nothing is read from
    # what is not a regular file).
    digest = hashlib.sha256(read_regular(file, str(file))).hexdigest()
    if isinstance(register, Register):
        return FileMatch(file, digest, register.find_file(digest))
    with Register(register, timeout=timeout, create=False) as reg:
        return FileMatch(file, digest, reg.find_file(digest))
