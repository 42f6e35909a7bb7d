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
import dataclasses
import hashlib
import json
import os
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from vanban import __version__
from vanban.errors import Problem, VanbanError

#: Environment variable naming the cache folder (tests and benchmarks point it elsewhere).
CACHE_ENV = "VANBAN_CACHE_DIR"
#: Largest total size of the entries, in bytes.
MAX_BYTES = 256 * 1024 * 1024
#: Bump when the entry format changes.
FORMAT = b"vanban-cache 1\n"
#: C libraries whose version changes the PDF, as (Linux file name, version function). With
#: HarfBuzz's subsetter installed, WeasyPrint embeds subsets of the faces instead of whole
#: faces (:func:`vanban.render.pdf._fast_subsetting`): its presence changes the bytes too.
_LIBRARIES = (("libharfbuzz.so.0", "hb_version_string"),
              ("libharfbuzz-subset.so.0", "hb_version_string"),
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

    def has(self, key: str) -> bool:
        """Tell whether an entry is stored under `key` (without reading it)."""
        return self._path(key).is_file()

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


@dataclass(frozen=True)
class Built:
    """A whole dossier's build, as :class:`Dossiers` gives it back."""

    files: list[tuple[str, bytes]]
    warnings: list[str]
    problems: list[Problem]
    #: The files besides the YAML it was built from (:meth:`vanban.loading.Loaded.inputs`).
    inputs: list[Path] = field(default_factory=list)


class Dossiers:
    """Whole builds, keyed by the dossier file's bytes and everything vanban builds it with.

    The key covers the YAML file (its bytes, its path as given and its folder), the build's
    options, the templates (the edited-templates folder's files too), vanban's whole package
    and the versions of the libraries it renders with, and the fonts. The files the YAML
    refers to (:meth:`vanban.loading.Loaded.inputs`) are a function of the YAML, so they are
    listed in the entry with their hashes and checked on every lookup: an edited Markdown
    file is a miss.
    """

    def __init__(self, store: Cache | None = None) -> None:
        self.store = store or Cache()

    def _key(self, hoso: str | os.PathLike[str], options: dict[str, object],
             templates_dir: str | os.PathLike[str] | None) -> str | None:
        from vanban import resources
        from vanban.files import read_regular

        path = Path(hoso)
        try:
            data = read_regular(path, str(path))
            templates = _tree_digest(resources.builtin_templates_dir())
            if templates_dir is not None or os.environ.get(resources.TEMPLATES_ENV):
                templates += _tree_digest(resources.templates_dir(templates_dir))
        except (OSError, VanbanError):
            return None  # the build itself reports it
        setting = json.dumps({"path": str(path), "folder": str(path.resolve().parent),
                              "options": options}, sort_keys=True, default=str)
        return self.store.key("dossier", package_fingerprint(), font_fingerprint(), templates,
                              setting.encode(), data)

    def get(self, hoso: str | os.PathLike[str], options: dict[str, object],
            templates_dir: str | os.PathLike[str] | None) -> Built | None:
        """Return the build stored for these inputs, or None."""
        from vanban.files import read_regular

        key = self._key(hoso, options, templates_dir)
        entry = self.store.get(key) if key else None
        if entry is None:
            return None
        try:
            meta = json.loads(entry.blobs.pop("\0meta"))
            for name, digest in meta["inputs"]:
                if hashlib.sha256(read_regular(Path(name), name)).hexdigest() != digest:
                    return None
            problems = [Problem(**p) for p in meta["problems"]]
        except (OSError, ValueError, KeyError, TypeError, VanbanError):
            return None
        return Built(list(entry.blobs.items()), entry.warnings, problems,
                     [Path(name) for name, _ in meta["inputs"]])

    def put(self, hoso: str | os.PathLike[str], inputs: list[Path], options: dict[str, object],
            templates_dir: str | os.PathLike[str] | None, files: list[tuple[str, bytes]],
            warnings: list[str], problems: list[Problem]) -> None:
        """Store a build made from `hoso` and `inputs` with these options."""
        key = self._key(hoso, options, templates_dir)
        from vanban.files import read_regular

        try:
            listed = [(str(p), hashlib.sha256(read_regular(p, str(p))).hexdigest())
                      for p in inputs]
        except (OSError, VanbanError):
            return
        if key is None or any(name == "\0meta" for name, _ in files):
            return
        meta = {"inputs": listed, "problems": [dataclasses.asdict(p) for p in problems]}
        self.store.put(key, Entry({**dict(files), "\0meta": json.dumps(meta).encode()},
                                  warnings))
        self.store.trim()


def docx_fingerprint() -> bytes:
    """Return what, beside its template and data, a rendered DOCX depends on.

    That is all of vanban (:func:`package_fingerprint`: its code, and the libraries it renders
    with) and the Liberation Serif files whose widths size the rules
    (:func:`vanban.render.metrics.text_width_pt`): their paths and bytes.
    """
    from vanban.render.fonts import liberation_file

    digest = hashlib.sha256(package_fingerprint())
    for face in ("regular", "bold"):
        path = liberation_file(face)
        digest.update(f"{face} {path}\n".encode())
        if path is not None:
            with contextlib.suppress(OSError):
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.digest()


class _NotPlain(Exception):
    """A value :func:`plain_bytes` cannot stand for."""


def plain_bytes(value: object) -> bytes | None:
    """Return bytes that stand for `value` alone, or None when it is not plain data.

    Plain data is None, str, bool, int, float, date and datetime, and lists, tuples,
    str-keyed dicts and dataclass instances made of them, each of exactly its type (a
    subclass, such as a ``Markup`` string, may render differently, so it is not plain). Two
    values give the same bytes only if they are equal and of the same types.
    """
    try:
        return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":")).encode()
    except _NotPlain:
        return None


def _plain(value: object) -> Any:
    kind = type(value)
    if value is None or kind in (str, bool, int):
        return value
    if kind is float:
        return {"float": repr(value)}
    if kind in (date, datetime):
        return {kind.__name__: value.isoformat()}  # type: ignore[attr-defined]
    if kind in (list, tuple):
        return {kind.__name__: [_plain(v) for v in value]}  # type: ignore[attr-defined]
    if kind is dict and all(type(k) is str for k in value):  # type: ignore[attr-defined]
        return {"dict": [[k, _plain(v)] for k, v in value.items()]}  # type: ignore[attr-defined]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f"{kind.__module__}.{kind.__qualname__}": [
            [f.name, _plain(getattr(value, f.name))] for f in dataclasses.fields(value)]}
    raise _NotPlain(kind.__name__)


def _tree_digest(folder: Path) -> bytes:
    """Return a hash of every file under `folder` (names and bytes)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*")
                       if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.digest()


_lock = threading.Lock()
_fingerprint: bytes | None = None
_package: bytes | None = None


def package_fingerprint() -> bytes:
    """Return a hash of all of vanban (code, data), with :func:`renderer_fingerprint`;
    computed once per process."""
    global _package
    with _lock:
        if _package is None:
            digest = hashlib.sha256(f"vanban {__version__}\n".encode())
            digest.update(_tree_digest(Path(__file__).resolve().parent))
            _package = digest.digest()
    return _package + renderer_fingerprint()


def _installed() -> bytes:
    """Return the name and version of every installed distribution (one listing per path).

    Read from the ``*.dist-info`` folder names, which is much quicker than asking
    :mod:`importlib.metadata` about each library vanban builds with.
    """
    names: list[str] = []
    for entry in sys.path:
        try:
            names += [n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info"))]
        except OSError:
            continue
    return "\n".join(sorted(names)).encode()


def renderer_fingerprint() -> bytes:
    """Return what, beside its DOCX and fonts, a PDF depends on: the installed libraries.

    That is every installed distribution's version (a changed WeasyPrint, pydyf, fontTools…),
    HarfBuzz's and Pango's, and vanban's translator.

    vanban's own rendering code is hashed as well as its version, so that a changed
    translator in a development checkout is never served stale PDFs. Computed once per
    process.
    """
    global _fingerprint
    with _lock:
        if _fingerprint is None:
            digest = hashlib.sha256(f"vanban {__version__}\n".encode())
            digest.update(_installed())
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


__all__ = ["CACHE_ENV", "MAX_BYTES", "Built", "Cache", "Dossiers", "Entry", "cache_dir",
           "docx_fingerprint", "font_fingerprint", "package_fingerprint", "plain_bytes",
           "renderer_fingerprint", "user_cache_dir"]
