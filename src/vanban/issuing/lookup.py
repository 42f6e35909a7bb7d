"""Find which register entry a file is, by its SHA-256 (verifying a file against the register).

An issued file matches its entry only while its bytes are those issued: a file edited, or
re-saved by a word processor, after issue matches nothing. A PDF updated after issue (signed:
each signature is an incremental update) does not match either, but the entry of its revision
as issued is told, with how many updates followed, for :mod:`vanban.issuing.verify` to check.
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
    #: For a PDF that is not an issued file itself: the entries of its earliest revision
    #: that is (the file as issued, then updated: signed, most often), and how many updates
    #: followed it.
    earlier: list[Entry] = field(default_factory=list)
    updates: int = 0

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
    from vanban.files import read_regular

    file = Path(path)
    # Missing, a folder, a FIFO or a device: each told as what it is (nothing is read from
    # what is not a regular file).
    data = read_regular(file, str(file))
    if isinstance(register, Register):
        return match_bytes(file, data, register)
    with Register(register, timeout=timeout, create=False) as reg:
        return match_bytes(file, data, reg)


def match_bytes(file: Path, data: bytes, reg: Register) -> FileMatch:
    """Return the entries of `reg` whose issued files are `data` (the bytes of `file`), or,
    for a PDF, one of its earlier revisions (the file as issued, updated since)."""
    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    match = FileMatch(file, digest, reg.find_file(digest))
    if match.found or not data.startswith(b"%PDF"):
        return match
    earlier = [r for r in revisions(data) if len(r) < len(data)]
    for n, revision in enumerate(earlier):
        entries = reg.find_file(hashlib.sha256(revision).hexdigest())
        if entries:
            match.earlier, match.updates = entries, len(earlier) - n
            break
    return match


def revisions(data: bytes) -> list[bytes]:
    """Return every revision of a PDF, oldest first: its bytes up to each ``%%EOF`` line.

    A signature is an incremental update, so the file as issued (before any signature) is
    one of these prefixes of the signed file.
    """
    out = []
    start = 0
    while (found := data.find(b"%%EOF", start)) >= 0:
        end = found + 5
        end += 2 if data[end:end + 2] == b"\r\n" else int(data[end:end + 1] in (b"\n", b"\r"))
        out.append(data[:end])
        start = end
    return out
