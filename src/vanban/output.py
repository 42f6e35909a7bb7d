"""Write output files all-or-nothing: nothing half-written, nothing overwritten by surprise.

:func:`write_all` is the one way vanban writes a file (documents, PNG pictures, the starter
dossier, the font cache). Each file is staged in a temporary ``.vanban-*.tmp`` file beside its
target and renamed into place only when every file is staged. A staged file is removed on every
failure and on every signal that can be caught (SIGINT, SIGTERM, SIGHUP; SIGXFSZ becomes an
error); one left behind by a process killed outright (SIGKILL) is removed by the next write into
the same folder. Written files take the user's umask, as files any other tool writes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType

from vanban.errors import OutputError, os_reason

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

#: Name pattern of staged files: ``.vanban-<random>.tmp``.
PREFIX, SUFFIX = ".vanban-", ".tmp"

#: Signals that stop a write cleanly: the staged files are removed, then the signal goes on.
STOPPING = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class _Stopped(BaseException):
    """A stopping signal arrived while files were staged."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def temp_prefix(pid: int | None = None) -> str:
    """Return the name prefix of the temporary files process `pid` (default: this one) writes.

    A process killed while writing leaves them behind; the pid tells whose they were.
    """
    return f".vanban-{os.getpid() if pid is None else pid}-"


def refuse_existing(paths: Sequence[Path]) -> None:
    """Refuse to replace files that exist (the clerk's choice, ``--force``, is needed)."""
    existing = [p for p in paths if _exists(p)]
    if existing:
        more = f" (và {len(existing) - 1} tệp khác)" if len(existing) > 1 else ""
        raise OutputError(f"{existing[0]} đã có{more}; dùng --force để ghi đè")


def write_all(files: Sequence[tuple[Path, bytes]], *, force: bool = False) -> list[Path]:
    """Write every ``(path, data)`` pair, or none of them.

    Existing files are refused unless `force`. Each file is first written to a temporary file
    in its folder; only when all are written are they renamed into place. Should a rename
    fail (a target made read-only or immutable meanwhile), the files this call had already
    put where none was are removed again (one it replaced keeps its new content).
    """
    files = [(Path(p), d) for p, d in files]
    if not force:
        refuse_existing([p for p, _ in files])
    existing = [p for p, _ in files if _exists(p)]
    for path in existing:
        if path.is_dir():
            raise OutputError(f"{path} là một thư mục; không thể ghi tệp vào chỗ đó")
    mode = 0o666 & ~_umask()
    staged: list[tuple[int, str, Path]] = []
    placed: list[Path] = []
    with _signals_stop_the_write():
        try:
            for path, data in files:
                staged.append(_stage(path, data, mode))
            # Renames are not interrupted: a signal arriving now is handled once all are done.
            with _signals_blocked():
                for _, tmp, path in staged:
                    os.replace(tmp, path)
                    placed.append(path)
        except OSError as e:
            for path in placed:
                if path not in existing:
                    with contextlib.suppress(OSError):
                        path.unlink()
            # A rename names its target second: the clerk's file, not the staged one.
            raise OutputError(f"không ghi được {e.filename2 or e.filename or ''}: {_reason(e)}"
                              ) from e
        finally:
            for fd, tmp, _ in staged:
                with contextlib.suppress(OSError):
                    os.close(fd)
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
    return [p for p, _ in files]


def same_bytes(path: Path, data: bytes) -> bool:
    """Tell whether `path` is a regular file holding exactly `data` (False when unreadable)."""
    try:
        if not path.is_file() or path.stat().st_size != len(data):
            return False
        with open(path, "rb") as f:
            return f.read(len(data) + 1) == data
    except (OSError, ValueError):
        return False


def _exists(path: Path) -> bool:
    """Tell whether `path` exists; raise :class:`OutputError` when it cannot even be looked up."""
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as e:
        raise OutputError(f"không ghi được {path}: {_reason(e)}") from None
    except ValueError:  # a NUL byte in the name
        raise OutputError(f"không ghi được {path}: tên tệp có ký tự không hợp lệ") from None
    return True


def _stage(path: Path, data: bytes, mode: int) -> tuple[int, str, Path]:
    """Write `data` to a new locked temporary file beside `path`; return its descriptor and name.

    The lock, held until the file is renamed or removed, tells :func:`remove_stale` that the
    file belongs to a live write.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # the folder's name is taken by a file (``-o`` names a file)
        raise OutputError(f"không ghi được {path}: {path.parent} là một tệp, không phải thư mục"
                          ) from None
    except OSError as e:
        e.filename = str(path)
        raise
    try:
        remove_stale(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(), suffix=SUFFIX, dir=path.parent)
    except OSError as e:
        e.filename = str(path)
        raise
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.fchmod(fd, mode)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except BaseException as e:
        os.close(fd)
        os.unlink(tmp)
        if isinstance(e, OSError):
            e.filename = str(path)
        raise
    return fd, tmp, path


def remove_stale(folder: Path) -> list[Path]:
    """Remove staged files in `folder` that no live write holds (left by a killed process)."""
    removed: list[Path] = []
    if fcntl is None:  # pragma: no cover - not POSIX
        return removed
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if not (entry.name.startswith(PREFIX) and entry.name.endswith(SUFFIX)):
                continue
            if not entry.is_file(follow_symlinks=False):
                continue
            try:
                fd = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:
                pass  # held by a write in progress, or not ours to remove
            finally:
                os.close(fd)
    return removed


def _reason(e: OSError) -> str:
    """Return the Vietnamese reason for a failed write."""
    return os_reason(e, "ghi")


def _umask() -> int:
    """Return the process umask (reading it means setting it; it is set back at once)."""
    current = os.umask(0o022)
    os.umask(current)
    return current


@contextlib.contextmanager
def _signals_stop_the_write() -> Iterator[None]:
    """Turn stopping signals into an exception while files are staged, then re-send them.

    SIGXFSZ (a file over ``ulimit -f``) is ignored, so the write fails with an error instead
    of killing the process. Signal handlers can only be set from the main thread; elsewhere
    the process's own handlers stay.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise _Stopped(signum)

    saved: dict[int, signal.Handlers | object] = {}
    for signum in STOPPING:
        if signal.getsignal(signum) not in (signal.SIG_IGN, None):
            saved[signum] = signal.signal(signum, stop)
    if hasattr(signal, "SIGXFSZ"):
        saved[signal.SIGXFSZ] = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        yield
    except _Stopped as stopped:
        _restore(saved)
        saved = {}
        signal.raise_signal(stopped.signum)
        # The process's own handler returned instead of ending it: say what happened.
        name = signal.Signals(stopped.signum).name
        raise OutputError(f"dừng vì tín hiệu {name}; không tệp nào được ghi dở") from None
    finally:
        _restore(saved)


def _restore(saved: dict[int, signal.Handlers | object]) -> None:
    for signum, handler in saved.items():
        signal.signal(signum, handler)  # type: ignore[arg-type]


@contextlib.contextmanager
def _signals_blocked() -> Iterator[None]:
    """Hold stopping signals back (they are delivered on leaving)."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not POSIX
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
