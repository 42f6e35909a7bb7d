"""A content-addressed cache of rendered PDFs, so that a rebuild lays out only what changed.

A document's PDF is a pure function of its DOCX bytes, the fonts it is drawn with and the
renderer (vanban's translator and the versions of WeasyPrint and its helpers). An entry is
stored under the SHA-256 of all of these, so a changed input is a different key and a stale
entry is never found; nothing needs invalidating.

The folder is ``$VANBAN_CACHE_DIR`` when set, else ``vanban/pdf`` in the user's cache folder
(``$XDG_CACHE_HOME``, ``~/.cache``; ``%LOCALAPPDATA%`` on Windows, ``~/Library/Caches`` on
macOS). Two builds may share it at once: an entry is written to a temporary file and renamed
into place, and an entry that cannot be read or does not check out is a miss. Its size is
kept under :data:`MAX_BYTES` by removing the least recently used entries (a hit refreshes an
entry's time). The cache is an optimisation only: every failure to use it is silent.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
import threading
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from vanban import __version__

#: Environment variable naming the cache folder (tests and benchmarks point it elsewhere).
CACHE_ENV = "VANBAN_CACHE_DIR"
#: Largest total size of the entries, in bytes.
MAX_BYTES = 256 * 1024 * 1024
#: Bump when the entry format changes.
FORMAT = b"vanban-cache 1\n"
#: Packages whose version changes the PDF.
_RENDERERS = ("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2", "tinyhtml5",
              "html5lib", "pyphen", "lxml")

#: C libraries whose version changes the PDF, as (Linux file name, version function).
_LIBRARIES = (("libharfbuzz.so.0", "hb_version_string"),
              ("libpango-1.0.so.0", "pango_version_string"))


@dataclass(frozen=True)
class Entry:
    """What a cached render gives back: named blobs and the warnings the render gave."""

    blobs: dict[str, bytes]
    warnings: list[str]


def user_cache_dir(name: str) -> Path:
    """Return the folder `name` of vanban in the user's cache folder (not created)."""
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "vanban" / name


def cache_dir() -> Path:
    """Return the PDF cache folder: ``$VANBAN_CACHE_DIR``, else the user's (not created)."""
    explicit = os.environ.get(CACHE_ENV)
    return Path(explicit) if explicit else user_cache_dir("pdf")


class Cache:
    """Entries in one folder, addressed by the hash of what they were made from."""

    def __init__(self, folder: str | os.PathLike[str] | None = None,
                 max_bytes: int = MAX_BYTES) -> None:
        self.folder = Path(folder) if folder is not None else cache_dir()
        self.max_bytes = max_bytes

    def key(self, kind: str, *parts: bytes) -> str:
        """Return the key of an entry of `kind` made from `parts` by this renderer."""
        digest = hashlib.sha256(FORMAT + kind.encode() + b"\0" + renderer_fingerprint())
        for part in parts:
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get(self, key: str) -> Entry | None:
        """Return the entry stored under `key`, or None (absent, unreadable, damaged)."""
        path = self._path(key)
        try:
            data = path.read_bytes()
            entry = _decode(data)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # least recently used goes first
        return entry

    def put(self, key: str, entry: Entry) -> None:
        """Store `entry` under `key` (atomically); silently do nothing if that fails."""
        path = self._path(key)
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".vanban-", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(_encode(entry))
            os.replace(tmp, path)
            tmp = None
        except OSError:
            pass
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)

    def trim(self) -> None:
        """Remove the least recently used entries until the folder fits :attr:`max_bytes`."""
        entries: list[tuple[float, int, Path]] = []
        try:
            for sub in os.scandir(self.folder):
                if not sub.is_dir(follow_symlinks=False):
                    continue
                for item in os.scandir(sub.path):
                    info = item.stat(follow_symlinks=False)
                    entries.append((info.st_mtime, info.st_size, Path(item.path)))
        except OSError:
            return
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries, key=lambda e: e[0]):
            if total <= self.max_bytes:
                break
            try:
                path.unlink()
            except OSError:
                continue
            total -= size


def _encode(entry: Entry) -> bytes:
    names = list(entry.blobs)
    body = b"".join(entry.blobs[n] for n in names)
    header = json.dumps({
        "names": names,
        "sizes": [len(entry.blobs[n]) for n in names],
        "warnings": entry.warnings,
        "sha256": hashlib.sha256(body).hexdigest(),
    }).encode()
    return FORMAT + header + b"\n" + body


def _decode(data: bytes) -> Entry:
    """Return the entry in `data`; raise ValueError when it is not a whole, sound one."""
    if not data.startswith(FORMAT):
        raise ValueError("not an entry")
    header, sep, body = data[len(FORMAT):].partition(b"\n")
    if not sep:
        raise ValueError("no header")
    info = json.loads(header)
    if hashlib.sha256(body).hexdigest() != info["sha256"]:
        raise ValueError("damaged entry")
    blobs: dict[str, bytes] = {}
    offset = 0
    for name, size in zip(info["names"], info["sizes"], strict=True):
        blobs[str(name)] = body[offset:offset + int(size)]
        offset += int(size)
    if offset != len(body):
        raise ValueError("damaged entry")
    return Entry(blobs, [str(w) for w in info["warnings"]])


_lock = threading.Lock()
_fingerprint: bytes | None = None


def renderer_fingerprint() -> bytes:
    """Return what, beside its DOCX, a PDF depends on: versions, translator source, fonts.

    vanban's own rendering code is hashed as well as its version, so that a changed
    translator in a development checkout is never served stale PDFs. Computed once per
    process.
    """
    global _fingerprint
    with _lock:
        if _fingerprint is None:
            digest = hashlib.sha256(f"vanban {__version__}\n".encode())
            for name in _RENDERERS:
                try:
                    version = metadata.version(name)
                except metadata.PackageNotFoundError:
                    version = "-"
                digest.update(f"{name} {version}\n".encode())
            for library, function in _LIBRARIES:
                digest.update(f"{function} {_library_version(library, function)}\n".encode())
            render = Path(__file__).resolve().parent / "render"
            for source in sorted(render.rglob("*.py")):
                digest.update(source.relative_to(render).as_posix().encode() + b"\0")
                digest.update(source.read_bytes())
            _fingerprint = digest.digest()
        return _fingerprint


def _library_version(library: str, function: str) -> str:
    """Return a C library's version string (HarfBuzz, Pango shape the text), or "-"."""
    import ctypes

    try:
        found = getattr(ctypes.CDLL(library), function)
    except (OSError, AttributeError):
        return "-"
    found.restype = ctypes.c_char_p
    return str(found().decode())


def font_fingerprint() -> bytes:
    """Return what identifies the faces PDFs are drawn with (their cut files' names).

    A cut file is named after its source face's family and a hash of the source's bytes,
    so another installed font gives another fingerprint.
    """
    from vanban.render.fonts import font_set

    fonts = font_set()
    return "\n".join(f"{face}={path.name}" for face, path in sorted(fonts.files.items())).encode()


__all__ = ["CACHE_ENV", "MAX_BYTES", "Cache", "Entry", "cache_dir", "font_fingerprint",
           "renderer_fingerprint", "user_cache_dir"]
