"""A process kept warm for the next ``vanban build``: a rebuild after an edit in a blink.

A new ``vanban build`` process spends about a second before it lays anything out: it imports
the model, the DOCX renderer and WeasyPrint and makes the fonts ready. That is most of a
rebuild after a one-field edit, since the PDF cache (:mod:`vanban.cache`) spares it every
document that did not change. So after a build run in its own process, vanban leaves behind
a *warm process* (Linux only) that has made all of that ready once, and waits
:data:`MINUTES` minutes (``$VANBAN_CHO_SAN``; ``0`` turns it off) for the next ``vanban
build``. That command hands it its arguments, working folder, environment, umask and its
standard streams themselves (their file descriptors, over a Unix socket), so what the build
prints reaches the clerk's terminal as usual; it forwards the signals it gets (Ctrl+C) and
ends with the build's exit status.

The warm process forks for each build, so every build starts from the same state, and the
child runs the same command-line code a build in its own process runs: the files and the
messages are the same, byte for byte. A warm process serves only builds made with the same
vanban, Python, installed libraries, environment and process settings (:func:`address`, a
hash of them); any other starts one of its own, and a warm process nobody uses ends by
itself. Its socket lives
in a folder only its user can enter, and it serves only processes of its user.
"""

from __future__ import annotations

# What the command's side needs, and no more: it runs before every build, so it imports only
# modules built into the interpreter (``socket`` and ``signal`` would cost 20 ms, ``json`` 14,
# ``typing`` 20).
import _signal  # type: ignore[import-not-found]
import _socket
import marshal
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    import socket
    from collections.abc import Sequence
    from typing import Any

#: Environment variable: minutes a warm process waits for the next build (0: none is kept).
WARM_ENV = "VANBAN_CHO_SAN"
#: Minutes a warm process waits by default, and at most.
MINUTES, MOST_MINUTES = 10, 24 * 60
#: Commands a warm process serves, and options that keep a command in its own process.
SERVED = frozenset({"build"})
_OWN_PROCESS = frozenset({"--theo-doi", "--watch", "--version"})
#: Paths that name this process's own open files (``<(…)`` in a shell): not the warm one's.
_OWN_FILES = ("/dev/fd/", "/proc/self/", "/dev/stdin")
#: Options before the command that a warm process may be handed.
_GLOBAL = frozenset({"-q", "--quiet"})
#: Environment variables that differ between two commands of one terminal session without
#: changing what a build does (it runs in the folder it is handed).
_VOLATILE = frozenset({"PWD", "OLDPWD", "_", "SHLVL"})
#: Messages from the warm process's child: that it runs, its process id, the exit status.
_READY, _PID, _EXIT = b"R", b"P", b"X"
#: The request's length, before it (bytes, big-endian).
_LENGTH = 4


def main() -> None:
    """Run a ``vanban`` command (console script entry point): in the warm process when one
    is waiting and the command is a build, else here (and then keep a warm process)."""
    args = sys.argv[1:]
    path = address() if servable(args) else None
    if path is not None:
        code = _served(args, path)
        if code is not None:
            sys.stderr.flush()  # the streams are open (else not served)
            os._exit(code & 0xFF)  # nothing of this process's own is left to finish
        import atexit

        atexit.register(_start_warm, path)
    from vanban.cli import main as run

    run()


def minutes() -> float:
    """Return how long a warm process waits (minutes; 0 when none is kept)."""
    try:
        value = float(os.environ.get(WARM_ENV, MINUTES))
    except ValueError:
        return 0.0
    return min(value, MOST_MINUTES) if value > 0 else 0.0  # NaN is not > 0


def servable(args: Sequence[str]) -> bool:
    """Tell whether the command `args` (after ``vanban``) may run in a warm process."""
    if not sys.platform.startswith("linux") or not minutes():
        return False
    i = 0
    while i < len(args) and args[i] in _GLOBAL:
        i += 1
    return (i < len(args) and args[i] in SERVED
            and not any(a in _OWN_PROCESS or a.startswith(_OWN_FILES) for a in args[i + 1:]))


def address() -> str | None:
    """Return the socket of the warm process for this vanban, Python and environment, or
    None when there is no private folder for it.

    Its name is a hash of what a process that imported vanban could differ in: vanban's
    version and files (names, sizes and times), the interpreter, the import path and the
    libraries installed on it (the folders' times change with every install), the
    environment, and what else a build inherits from its process (:func:`_process_settings`).
    """
    folder = _private_folder()
    if folder is None:
        return None
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]
    except ImportError:  # an interpreter built without it
        from hashlib import sha256
    digest = sha256()
    package = os.path.dirname(os.path.realpath(__file__))

    def add(*parts: object) -> None:
        digest.update(repr(parts).encode("utf-8", "surrogateescape") + b"\n")

    # The interpreter by its file, not its name (``python`` and ``python3`` are one), and the
    # environment (venv) it runs in.
    add(os.path.realpath(sys.executable), sys.prefix, sys.version, os.getuid(), package)
    for root, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            try:
                st = os.stat(os.path.join(root, name))
            except OSError:
                continue
            add(os.path.relpath(os.path.join(root, name), package), st.st_size, st.st_mtime_ns)
    for entry in sys.path[1:]:
        try:
            add(entry, os.stat(entry or ".").st_mtime_ns)
        except OSError:
            add(entry)
    add(sorted((k, v) for k, v in os.environ.items() if k not in _VOLATILE))
    add(*_process_settings())
    return os.path.join(folder, f"warm-{digest.hexdigest()[:24]}.sock")


def _process_settings() -> list[object]:
    """Return what else a build inherits from its process: the user and groups it runs as
    (the files it may read, the group of those it writes), its priority, the CPUs it may use
    (how many processes it lays out in), its limits, and the namespaces and control group it
    runs in (what files its paths name)."""
    import resource

    settings: list[object] = [os.geteuid(), os.getgid(), os.getegid(), sorted(os.getgroups()),
                              os.getpriority(os.PRIO_PROCESS, 0),
                              sorted(os.sched_getaffinity(0))]
    settings += [(name, resource.getrlimit(getattr(resource, name)))
                 for name in sorted(dir(resource)) if name.startswith("RLIMIT_")]
    for kind in ("mnt", "pid", "user", "net", "ipc", "uts", "cgroup"):
        try:
            settings.append(os.readlink(f"/proc/self/ns/{kind}"))
        except OSError:
            settings.append(kind)
    try:
        with open("/proc/self/cgroup", "rb") as groups:
            settings.append(groups.read())
    except OSError:
        pass
    return settings


def _private_folder() -> str | None:
    """Return a folder only this user can enter, for the sockets (created when missing):
    ``$XDG_RUNTIME_DIR/vanban``, else ``vanban-<uid>`` in the temporary folder (``$TMPDIR``,
    else ``/tmp``)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if os.path.isabs(runtime):
        folder = os.path.join(runtime, "vanban")
    else:
        temporary = os.environ.get("TMPDIR", "")
        folder = os.path.join(temporary if os.path.isabs(temporary) else "/tmp",
                              f"vanban-{os.getuid()}")
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        st = os.lstat(folder)
    except OSError:
        return None
    if (st.st_mode & 0o170777) != 0o040700 or st.st_uid != os.getuid():
        return None  # not a folder, or not this user's alone
    # A socket's path is at most 107 bytes long.
    return folder if len(os.fsencode(folder)) <= 64 else None


# ---------------------------------------------------------------------------------------------
# The command's side
# ---------------------------------------------------------------------------------------------


#: Signals a command hands on to the build it waits for (Ctrl+C, ``kill``, a closed terminal).
_FORWARDED = (_signal.SIGINT, _signal.SIGTERM, _signal.SIGHUP)
#: Seconds a command waits for the warm process to take its build before building itself.
_TAKEN_WITHIN = 10.0


class _Stopped(Exception):
    """A signal came before the warm process took the build: stop waiting for it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _served(args: Sequence[str], path: str) -> int | None:
    """Run the command `args` in the warm process listening on `path`; return its exit
    status, or None when none took it (none waits, or it could not be handed the streams)."""
    try:
        for fd in (0, 1, 2):
            os.fstat(fd)  # a closed stream: this process's own (the socket would take its place)
        here = os.open(".", os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None
    ignored = [s for s in (*_FORWARDED, _signal.SIGTSTP) if _signal.getsignal(s) == _signal.SIG_IGN]
    conn = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        conn.settimeout(_TAKEN_WITHIN)
        conn.connect(path)
        # The streams go only to a build that runs: one a warm process has not yet taken
        # (stopped, say) would hold them open, and whoever reads this command's output
        # would wait for it.
        if conn.recv(1) != _READY:
            raise ConnectionError
        umask = os.umask(0o022)
        os.umask(umask)
        request = marshal.dumps({
            "args": list(args), "env": dict(os.environ), "umask": umask, "ignored": ignored,
            "streams": [(s.encoding, s.errors) if s is not None else None
                        for s in (sys.stdin, sys.stdout, sys.stderr)],
        })
        # The standard streams and the working folder (as a folder, not its path, which may
        # name another or none where the warm process runs).
        fds = b"".join(fd.to_bytes(4, sys.byteorder) for fd in (0, 1, 2, here))
        sent = conn.sendmsg([len(request).to_bytes(_LENGTH, "big") + request],
                            [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, fds)])
        if sent < _LENGTH + len(request):
            conn.sendall(request[sent - _LENGTH:])
    except (OSError, ValueError):
        conn.close()
        return None
    except KeyboardInterrupt:  # Ctrl+C before any build began
        conn.close()
        return _stopped(_signal.SIGINT)
    finally:
        os.close(here)
    return _wait(conn, ignored)


def _wait(conn: Any, ignored: list[int]) -> int | None:
    """Wait for the build's exit status, handing on the signals this process gets (those it
    ignores stay ignored, there too); None when the warm process does not take the build
    within :data:`_TAKEN_WITHIN` seconds (stopped, say)."""
    child: list[int] = []
    forwarded: list[int] = []

    def forward(signum: int, _frame: object) -> None:
        if not child:
            raise _Stopped(signum)
        forwarded.append(signum)
        _kill(child[0], signum)

    def stop(_signum: int, _frame: object) -> None:
        """Ctrl+Z: stop the build (a group without a terminal takes no SIGTSTP), then this."""
        if child:
            _kill(child[0], _signal.SIGSTOP)
        _signal.signal(_signal.SIGTSTP, _signal.SIG_DFL)
        os.kill(os.getpid(), _signal.SIGTSTP)
        # Back here once resumed, or at once where the system dropped the signal (a group
        # without a terminal): the build goes on either way.
        resume(_signal.SIGCONT, None)

    def resume(_signum: int, _frame: object) -> None:
        if child:
            _kill(child[0], _signal.SIGCONT)
        _signal.signal(_signal.SIGTSTP, stop)

    handlers = {signum: forward for signum in _FORWARDED if signum not in ignored}
    if _signal.SIGTSTP not in ignored:
        handlers.update({_signal.SIGTSTP: stop, _signal.SIGCONT: resume})
    before = {}
    received = b""
    try:
        # Installed here, and put back below: a command that ends up building itself
        # (the warm process did not take it) meets its signals as usual.
        for signum, handler in handlers.items():
            before[signum] = _signal.signal(signum, handler)
        while True:
            try:
                chunk = conn.recv(64)
            except InterruptedError:
                continue
            except OSError:  # the warm process closed it, or did not answer in time
                chunk = b""
            if not chunk:
                break
            received += chunk
            if not child and len(received) >= 9 and received[:1] == _PID:
                child.append(int.from_bytes(received[1:9], "big", signed=True))
                received = received[9:]
                conn.settimeout(None)  # taken: the build takes what it takes
            if child and len(received) >= 5 and received[:1] == _EXIT:
                return int.from_bytes(received[1:5], "big", signed=True)
    except _Stopped as stopped:
        return _stopped(stopped.signum)
    finally:
        conn.close()
        for signum, handler in before.items():
            _signal.signal(signum, handler)
    if not child:
        return None  # the warm process did not take it (ending, or failing): build here
    if forwarded:  # the build ended on the signal handed on: end on it too
        return _stopped(forwarded[-1])
    print("Lỗi: tiến trình soạn chờ sẵn đã dừng đột ngột; chạy lại lệnh "
          f"(hoặc đặt {WARM_ENV}=0 để soạn trong tiến trình riêng)", file=sys.stderr)
    return 3


def _stopped(signum: int) -> int:
    """End as a build in its own process ends on `signum`: Ctrl+C is told and gives 1 (as the
    CLI does), another signal ends this process as it would have ended it."""
    if signum == _signal.SIGINT:
        print("Đã dừng.", file=sys.stderr)
        return 1
    _signal.signal(signum, _signal.SIG_DFL)
    os.kill(os.getpid(), signum)
    return 128 + signum  # not reached


def _kill(group: int, signum: int) -> None:
    """Send `signum` to the build's process group, as a terminal sends Ctrl+C to every
    process of a command (the build's helpers too)."""
    try:  # noqa: SIM105 (contextlib is not imported on this side)
        os.killpg(group, signum)
    except OSError:
        pass


def _start_warm(path: str) -> None:
    """Start a warm process listening on `path` for the next build (at the end of a build
    run here), unless one is already there or starting (it holds the lock file): it outlives
    this process, in a session of its own."""
    import contextlib
    import subprocess

    if _holder(path) is not None:
        return
    with contextlib.suppress(OSError):
        started = subprocess.Popen(
            # not the folder it starts in on the import path (the first entry, as -P does)
            [sys.executable, "-c", "import sys; del sys.path[0]; from vanban.warm import serve; "
             "serve(sys.argv[1])", path],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            cwd="/", start_new_session=True)
        started.returncode = 0  # never waited for: no "still running" warning as this ends


def lock_path(path: str | os.PathLike[str]) -> str:
    """Return the lock file of the warm process at `path`: it holds the lock while it lives,
    and the file holds its process id."""
    return os.fspath(path) + ".lock"


def _holder(path: str | os.PathLike[str]) -> int | None:
    """Return the id of the warm process at `path` when one lives (or is starting), else None."""
    import fcntl

    try:
        fd = os.open(lock_path(path), os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        try:
            return int(os.read(fd, 32) or b"0") or -1
        except ValueError:
            return -1
    finally:
        os.close(fd)
    return None


def listening(path: str | os.PathLike[str]) -> bool:
    """Tell whether a warm process is ready at `path` (one that is getting ready is not)."""
    conn = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        conn.connect(os.fspath(path))
    except OSError:
        return False
    finally:
        conn.close()
    return True


# ---------------------------------------------------------------------------------------------
# The warm process's side
# ---------------------------------------------------------------------------------------------

#: The warm process's lock file, open (a forked build closes it, so as not to hold the lock).
_lock: int | None = None


def serve(path: str | os.PathLike[str], wait: float | None = None) -> None:
    """Make the build ready, listen on `path`, then build for each command that connects, in
    a forked process, until nobody has come for `wait` seconds (by default :func:`minutes`).

    Holds :func:`lock_path` meanwhile (with its process id in it), so that another warm process
    for `path` ends at once; a command that comes while this one is getting ready does not
    find the socket yet and builds in its own process. Ends when the socket is removed or
    replaced.
    """
    import contextlib
    import fcntl
    import signal

    global _lock
    path = os.fspath(path)
    wait = minutes() * 60 if wait is None else wait
    signal.signal(signal.SIGTERM, _stop)  # ``kill``: end as when nobody comes
    for _ in range(3):
        lock = os.open(lock_path(path), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(lock)
            return  # another warm process lives, or is getting ready
        try:
            if os.stat(lock_path(path)).st_ino == os.fstat(lock).st_ino:
                break
        except OSError:
            pass
        os.close(lock)  # locked as one ending removed it: take the file now there
    else:
        return
    os.ftruncate(lock, 0)
    os.write(lock, str(os.getpid()).encode())
    _lock = lock
    listener = None
    try:
        _prepare()
        listener = _listen(path)
        mine = os.stat(path).st_ino
        _tidy(path)
        _loop(listener, path, mine, wait)
    finally:
        if listener is not None:
            listener.close()
            with contextlib.suppress(OSError):
                if os.stat(path).st_ino == mine:
                    os.unlink(path)
        with contextlib.suppress(OSError):
            if os.stat(lock_path(path)).st_ino == os.fstat(lock).st_ino:
                os.unlink(lock_path(path))
        os.close(lock)
        _builds_ended()


#: How many other warm processes of this user may wait beside a new one (each keeps about
#: 70 MiB): a new setting (environment, vanban edited or upgraded) ends the least used.
_OTHERS = 1


def _tidy(path: str) -> None:
    """Beside the warm process at `path` (just ready), remove what dead ones left in its
    folder, and end all but the :data:`_OTHERS` most recently used of the live ones."""
    import contextlib
    import glob
    import signal

    others = []
    for other in glob.glob(os.path.join(glob.escape(os.path.dirname(path)), "warm-*.sock.lock")):
        socket_path = other.removesuffix(".lock")
        if socket_path == path:
            continue
        holder = _holder(socket_path)
        if holder is None:  # nobody holds it: a warm process that died left these
            for left in (socket_path, other):
                with contextlib.suppress(OSError):
                    os.unlink(left)
        elif holder > 0:
            with contextlib.suppress(OSError):
                others.append((os.stat(other).st_mtime_ns, holder))
    for _used, holder in sorted(others, reverse=True)[_OTHERS:]:
        with contextlib.suppress(OSError):
            os.kill(holder, signal.SIGTERM)


#: Set once this warm process is told to end (``kill``): see :func:`_stop`.
_stopping = False


def _stop(_signum: int, _frame: object) -> None:
    """End this warm process as when nobody comes. The flag is what :func:`_loop` reads:
    where the signal lands decides where the exception is raised, and Python drops it when
    that is a callback (the handlers run around :func:`os.fork`, a ``__del__``)."""
    global _stopping
    _stopping = True
    raise SystemExit(0)


def _listen(path: str) -> socket.socket:
    """Return a socket listening on `path` (a socket left there by a process that died is
    replaced: the lock says no warm process lives)."""
    import contextlib
    import socket

    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    return listener


def _prepare() -> None:
    """Import and make ready all a build uses, so that each forked build shares it."""
    from vanban.batch import _prepare_fork

    _prepare_fork(pdf=True)
    import vanban.cli  # noqa: F401
    _rehearse()


def _rehearse() -> None:
    """Build the starter dossier once (every document's DOCX, the fitting pass's layouts, no
    cache), in a temporary folder then removed: what a build makes on first use (the text
    widths of the fonts, the templates read and compiled, the model's validators) is then
    made here once and shared by every forked build.

    Only caches that hold the same values for any build are filled (each is keyed by what it
    depends on: a template's path and time, a text), so a build served here writes the bytes
    a build in its own process writes.
    """
    import contextlib
    import tempfile
    from pathlib import Path

    from vanban.build import build
    from vanban.errors import VanbanError
    from vanban.resources import TEMPLATES_ENV
    from vanban.starter import write_starter

    edited = os.environ.pop(TEMPLATES_ENV, None)  # vanban's own templates only: a clerk's
    try:  # may be replaced keeping its time
        with tempfile.TemporaryDirectory(prefix="vanban-warm-") as folder, \
                contextlib.suppress(VanbanError, OSError):
            build(write_starter(folder), Path(folder, "out"), formats=("docx",), cache=False,
                  workers=1)
    finally:
        if edited is not None:
            os.environ[TEMPLATES_ENV] = edited


def _loop(listener: socket.socket, path: str, mine: int, wait: float) -> None:
    """Accept commands until nobody has come for `wait` seconds and no build is running."""
    import contextlib
    import time

    from vanban.batch import _frozen_while_forking

    listener.settimeout(min(5.0, max(wait, 0.1)))
    last = time.monotonic()
    fonts = _fonts_state()
    while True:
        _look_after_builds()
        if _stopping or not _builds and time.monotonic() - last >= wait:
            return
        try:
            if os.stat(path).st_ino != mine:
                return  # removed, or another warm process took the name
        except OSError:
            return
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        except OSError:
            return
        if not _same_user(conn):  # the folder is private; this is a second lock
            conn.close()
            continue
        if _fonts_state() != fonts:  # a font installed or removed since: a new process
            conn.close()  # finds the faces again; this command builds in its own
            return
        with _frozen_while_forking():
            pid = os.fork()
        if pid == 0:
            listener.close()
            for other in _builds.values():  # the other builds' commands are not this one's
                if other is not None:
                    other.close()
            _build(conn)  # never returns
        _builds[pid] = conn  # kept, to tell when its command goes (:func:`_look_after_builds`)
        last = time.monotonic()
        if _lock is not None:
            with contextlib.suppress(OSError):
                os.utime(_lock)  # when last used, for a newer one to tell (:func:`_tidy`)


def _fonts_state() -> list[tuple[str, int, int]]:
    """Return what says the fonts a new process would find changed: the faces this process
    draws with, and fontconfig's cache folders (an installed font is added to them)."""
    from vanban.render.fonts import font_set

    places = [str(p) for p in font_set().sources.values()]
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    places += ["/var/cache/fontconfig", os.path.join(home, "fontconfig")]
    state = []
    for place in places:
        try:
            st = os.stat(place)
        except OSError:
            state.append((place, -1, -1))
            continue
        state.append((place, st.st_mtime_ns, st.st_size))
    return state


#: The builds this warm process forked and that have not ended, with their connections.
_builds: dict[int, socket.socket | None] = {}


def _look_after_builds() -> None:
    """Forget the builds that ended; resume those whose command went away while they were
    stopped (Ctrl+Z, then the command killed), so that they see it gone and stop."""
    import contextlib
    import select
    import signal
    import socket as sockets

    for pid, conn in list(_builds.items()):
        if _ended(pid):
            if conn is not None:
                conn.close()
            del _builds[pid]
            continue
        if conn is None or not select.select([conn], [], [], 0)[0]:
            continue
        try:
            gone = conn.recv(1, sockets.MSG_PEEK | sockets.MSG_DONTWAIT) == b""
        except BlockingIOError:
            gone = False
        except OSError:
            gone = True
        if gone:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGCONT)
            conn.close()
            _builds[pid] = None


def _builds_ended() -> None:
    """Wait, as this warm process ends, for the builds it runs: a build stopped with Ctrl+Z
    whose parent is gone would be hung up on by the system."""
    import time

    while _builds:
        _look_after_builds()
        if _builds:
            time.sleep(0.5)


def _ended(pid: int) -> bool:
    try:
        return os.waitpid(pid, os.WNOHANG)[0] != 0
    except ChildProcessError:
        return True


def _same_user(conn: socket.socket) -> bool:
    """Tell whether the process at the other end of `conn` is this process's user's."""
    import socket
    import struct

    try:
        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    except OSError:
        return False
    return struct.unpack("3i", creds)[1] == os.getuid()


def _build(conn: socket.socket) -> None:
    """Run the command `conn` hands over, in its folder, with its environment and streams;
    send back this process's id, then the exit status; end this process."""
    import contextlib
    import signal

    code = 3
    done = [False]
    handed_on = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    signal.pthread_sigmask(signal.SIG_BLOCK, handed_on)  # until the command's own are set
    try:
        os.setpgid(0, 0)  # a group of its own, with the helpers it forks: Ctrl+C reaches all
        if _lock is not None:
            os.close(_lock)
        conn.sendall(_READY)
        conn.settimeout(10)
        request, fds = _receive(conn)
        conn.settimeout(None)
        conn.sendall(_PID + os.getpid().to_bytes(8, "big", signed=True))
        os.fchdir(fds[3])  # the command's folder, whatever its path names here
        for target, fd in enumerate(fds[:3]):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        _adopt(request)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, handed_on)
        _watch_command(conn, done, request["ignored"])
        code = _run(request["args"])
    except BaseException:  # the command's own errors are told by the CLI; this is ours
        code = 3
    finally:
        done[0] = True
        with contextlib.suppress(OSError, OverflowError):
            conn.sendall(_EXIT + code.to_bytes(4, "big", signed=True))
        os._exit(code & 0xFF)


def _receive(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """Return the request sent on `conn` and the file descriptors that came with it."""
    import socket

    data, fds, _flags, _addr = socket.recv_fds(conn, 65536, 4)
    if len(fds) != 4 or len(data) < _LENGTH:
        for fd in fds:
            os.close(fd)
        raise ConnectionError("yêu cầu không đủ")
    size = int.from_bytes(data[:_LENGTH], "big")
    data = data[_LENGTH:]
    while len(data) < size:
        more = conn.recv(size - len(data))
        if not more:
            raise ConnectionError("yêu cầu bị cắt")
        data += more
    request = marshal.loads(data)  # from this user's own process (checked)
    if not isinstance(request, dict):
        raise ConnectionError("yêu cầu sai dạng")
    return request, list(fds)


def _adopt(request: dict[str, Any]) -> None:
    """Take the command's environment, umask, signals it ignores and standard streams."""
    import signal

    os.umask(int(request["umask"]))
    os.environ.clear()
    os.environ.update(request["env"])
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGTSTP):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for signum in request["ignored"]:  # nohup, or a background job of a script
        signal.signal(signum, signal.SIG_IGN)
    names = ("stdin", "stdout", "stderr")
    for fd, (name, stream) in enumerate(zip(names, request["streams"], strict=True)):
        encoding, errors = stream if stream is not None else (None, None)
        # As Python opens them: stderr line by line, stdout so on a terminal only.
        buffering = 1 if fd == 2 or (fd == 1 and os.isatty(fd)) else -1
        setattr(sys, name, open(fd, "r" if fd == 0 else "w",  # noqa: SIM115
                                buffering=buffering, encoding=encoding, errors=errors,
                                closefd=False))
    sys.argv = ["vanban", *request["args"]]


def _watch_command(conn: socket.socket, done: list[bool], ignored: list[int]) -> None:
    """Stop this build when the command waiting for it goes away (killed, say), as the
    build would have ended with it: interrupted, or killed where it ignores Ctrl+C."""
    import signal
    import threading

    def watch() -> None:
        try:
            while conn.recv(64):
                pass
        except OSError:
            pass
        if not done[0]:
            os.killpg(0, signal.SIGKILL if signal.SIGINT in ignored else signal.SIGINT)

    threading.Thread(target=watch, daemon=True).start()


def _run(args: list[str]) -> int:
    """Run the command line `args` as the ``vanban`` command does; return its exit status."""
    from vanban import cli

    return cli.run_command(args)


__all__ = ["MINUTES", "WARM_ENV", "address", "listening", "lock_path", "main", "minutes",
           "servable", "serve"]
