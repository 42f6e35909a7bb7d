"""The warm process (:mod:`vanban.warm`): real processes, a real Unix socket, real builds.

Whether a build ran in the warm process is read from the command's own imports (``python -X
importtime``): a command served there never imports the model (pydantic) or WeasyPrint.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vanban import warm

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "tan-tho-2023" / "hoso.yaml"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the warm process is for Linux")


#: The private folders the tests made (short paths under /tmp), removed at the end.
_FOLDERS: list[str] = []


@pytest.fixture(scope="module", autouse=True)
def _folders_removed() -> Iterator[None]:
    yield
    for folder in _FOLDERS:
        shutil.rmtree(folder, ignore_errors=True)


def _runtime() -> str:
    folder = tempfile.mkdtemp(prefix="vbw-", dir="/tmp")  # a socket's path must be short
    _FOLDERS.append(folder)
    return folder


def _environment(cache: Path, minutes: str = "5") -> dict[str, str]:
    """Return an environment whose warm processes live in a private folder of their own."""
    runtime = _runtime()
    return {**os.environ, warm.WARM_ENV: minutes, "XDG_RUNTIME_DIR": runtime,
            "VANBAN_CACHE_DIR": str(cache)}


def _address(env: dict[str, str]) -> str:
    out = subprocess.run([sys.executable, "-c", "from vanban.warm import address; "
                          "print(address())"], env=env, check=True, capture_output=True,
                         text=True).stdout.strip()
    assert out.endswith(".sock"), out
    return out


def _until(condition: object, seconds: float = 90) -> None:
    end = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        if time.monotonic() > end:
            raise AssertionError("waited in vain")
        time.sleep(0.05)


def _vanban(env: dict[str, str], *args: str, cwd: Path | None = None
            ) -> subprocess.CompletedProcess[str]:
    """Run ``python -X importtime -m vanban ARGS``."""
    return subprocess.run([sys.executable, "-X", "importtime", "-m", "vanban", *args],
                          env=env, cwd=cwd, capture_output=True, text=True, timeout=300)


def _served(done: subprocess.CompletedProcess[str]) -> bool:
    """Tell whether the command ran in the warm process (it imported neither pydantic nor
    WeasyPrint itself; a build served whole from the cache imports neither either, so the
    builds this is asked about are made with ``--no-cache``, or fail before the cache)."""
    return not any(line.endswith(("| pydantic", "| weasyprint"))
                   for line in done.stderr.splitlines())


def _messages(done: subprocess.CompletedProcess[str]) -> list[str]:
    """Return what the command printed, without the interpreter's import lines."""
    return [line for line in (done.stdout + done.stderr).splitlines()
            if not line.startswith("import time:")]


def _stop(path: str, *, started: bool = False) -> None:
    """End the warm process at `path` and wait for it to go; when `started`, a command has
    just started it: wait for it to hold its lock first."""
    if started:
        _until(lambda: warm._holder(path) not in (None, -1), 30)
    pid = warm._holder(path)
    if pid is not None and pid > 0:
        os.kill(pid, signal.SIGTERM)
        _until(lambda: warm._holder(path) is None, 30)


def _under_way(env: dict[str, str], out: Path, disposition: Any = None,
               signum: int = signal.SIGINT) -> subprocess.Popen[str]:
    """Start ``vanban build`` of the sample into `out` (with `signum` set to `disposition`
    when given) and return it once its first document is done."""
    def before() -> None:
        if disposition is not None:
            signal.signal(signum, disposition)

    command = subprocess.Popen(
        [sys.executable, "-m", "vanban", "build", str(SAMPLE), "-o", str(out), "--no-cache"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=before)
    assert command.stdout is not None
    first = command.stdout.readline()
    assert first.startswith("Đã soạn"), first
    return command


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, str], str]]:
    """A warm process started as a build starts it, ready; its environment and socket."""
    env = _environment(tmp_path_factory.mktemp("warm-cache"))
    path = _address(env)
    server = subprocess.Popen([sys.executable, "-c", "import sys; from vanban.warm import "
                               "serve; serve(sys.argv[1])", path], env=env)
    _until(lambda: os.path.exists(path))
    yield env, path
    server.terminate()  # as ``kill`` ends it: it takes its socket with it
    assert server.wait(timeout=30) == 0
    assert not os.path.exists(path)


def test_a_served_build_writes_the_same_bytes_and_says_the_same(
        started: tuple[dict[str, str], str], tmp_path: Path) -> None:
    env, _path = started
    alone = {**env, warm.WARM_ENV: "0"}
    here = _vanban(alone, "-q", "build", str(SAMPLE), "-o", str(tmp_path / "here"), "--no-cache")
    there = _vanban(env, "-q", "build", str(SAMPLE), "-o", str(tmp_path / "there"),
                    "--no-cache")
    assert here.returncode == there.returncode == 0, there.stderr
    assert not _served(here)
    assert _served(there)
    assert _messages(here) == _messages(there)
    names = sorted(p.name for p in (tmp_path / "here").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "there").iterdir())
    assert len(names) == 18
    for name in names:
        assert (tmp_path / "here" / name).read_bytes() == (tmp_path / "there" / name).read_bytes()


@pytest.mark.parametrize(("args", "code"), [
    (["build", "khong-co.yaml"], 1),                       # the dossier is not there
    (["build", str(SAMPLE), "--format", "odt"], 2),        # a usage error
    (["build", str(SAMPLE), "--only", "khong-co"], 2),
])
def test_a_served_build_fails_as_it_fails_alone(started: tuple[dict[str, str], str],
                                                tmp_path: Path, args: list[str],
                                                code: int) -> None:
    env, _path = started
    here = _vanban({**env, warm.WARM_ENV: "0"}, *args, "-o", "out", cwd=tmp_path)
    there = _vanban(env, *args, "-o", "out", cwd=tmp_path)
    assert here.returncode == there.returncode == code
    assert _served(there)
    assert _messages(here) == _messages(there)
    assert _messages(there)[0].startswith(("Lỗi", "Usage", "Cách dùng"))
    assert not (tmp_path / "out").exists()


def test_the_build_runs_in_the_command_s_folder_with_its_umask(
        started: tuple[dict[str, str], str], tmp_path: Path) -> None:
    env, _path = started
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import os, sys; os.umask(0o077); "
         "sys.argv = ['vanban', '-q', 'build', sys.argv[1], '--format', 'docx', '--only', "
         "'quyet-dinh-thanh-lap-ban-dieu-hanh']; from vanban.warm import main; main()",
         str(SAMPLE)],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert _served(done)
    written = list((tmp_path / "out").iterdir())  # -o out: under the command's folder
    assert [p.suffix for p in written] == [".docx"]
    assert written[0].stat().st_mode & 0o777 == 0o600


def test_ctrl_c_stops_a_served_build_and_its_helpers(started: tuple[dict[str, str], str],
                                                    tmp_path: Path) -> None:
    # Ctrl+C as from a terminal (a suite started in the background ignores SIGINT)
    command = _under_way(started[0], tmp_path / "out", signal.SIG_DFL)
    command.send_signal(signal.SIGINT)
    _out, err = command.communicate(timeout=120)
    assert command.returncode == 1
    assert err.strip().endswith("Đã dừng."), err
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_a_served_build_ignores_what_its_command_ignores(started: tuple[dict[str, str], str],
                                                         tmp_path: Path) -> None:
    """``nohup vanban build …``: a closed terminal (SIGHUP) does not stop the build."""
    command = _under_way(started[0], tmp_path / "out", signal.SIG_IGN, signal.SIGHUP)
    command.send_signal(signal.SIGHUP)
    out, err = command.communicate(timeout=300)
    assert command.returncode == 0, err
    assert "Đã ghi 18 tệp" in out
    assert len(list((tmp_path / "out").iterdir())) == 18


def test_kill_ends_the_command_as_it_ends_a_build_alone(started: tuple[dict[str, str], str],
                                                       tmp_path: Path) -> None:
    command = _under_way(started[0], tmp_path / "out")
    command.terminate()
    _out, err = command.communicate(timeout=120)
    assert command.returncode == -signal.SIGTERM, err  # ended by the signal, as alone
    assert "đột ngột" not in err
    assert not (tmp_path / "out").exists()


def test_a_command_with_a_closed_stream_builds_itself(started: tuple[dict[str, str], str],
                                                     tmp_path: Path) -> None:
    env, _path = started
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "vanban", "-q", "build", str(SAMPLE),
         "--format", "docx", "--no-cache", "--only", "quyet-dinh-thanh-lap-ban-dieu-hanh",
         "-o", str(tmp_path / "out")], env=env, capture_output=True, text=True, timeout=300,
        preexec_fn=lambda: os.close(0))
    assert done.returncode == 0, done.stderr
    assert not _served(done)
    assert len(list((tmp_path / "out").iterdir())) == 1


def test_a_warm_process_that_does_not_answer_is_passed_by(tmp_path: Path) -> None:
    env = _environment(tmp_path / "cache")
    path = _address(env)
    server = subprocess.Popen([sys.executable, "-c", "import sys; from vanban.warm import "
                               "serve; serve(sys.argv[1])", path], env=env)
    try:
        _until(lambda: warm.listening(path))
        server.send_signal(signal.SIGSTOP)  # hung
        started = time.monotonic()
        done = _vanban(env, "-q", "build", str(SAMPLE), "--format", "docx", "--no-cache",
                       "--only", "quyet-dinh-thanh-lap-ban-dieu-hanh", "-o", str(tmp_path / "o"))
        assert done.returncode == 0, done.stderr
        assert not _served(done)
        assert time.monotonic() - started < warm._TAKEN_WITHIN + 60
    finally:
        server.send_signal(signal.SIGCONT)
        server.terminate()
        server.wait(timeout=30)


def test_a_warm_process_told_to_end_as_it_forks_ends(tmp_path: Path) -> None:
    """``kill`` landing as a build is forked: Python runs the handler in a fork callback,
    where the exception it raises is dropped; the warm process must end all the same."""
    env = _environment(tmp_path / "cache")
    path = _address(env)
    told = ("import os, signal, sys\n"
            "from vanban import warm\n"
            "tidy = warm._tidy\n"
            "def _tidy(path):\n"
            "    tidy(path)\n"  # ready: from here on, its forks (not its builds') tell it to end
            "    me = os.getpid()\n"
            "    os.register_at_fork(after_in_parent=lambda: os.getpid() == me and "
            "os.kill(me, signal.SIGTERM))\n"
            "warm._tidy = _tidy\n"
            "warm.serve(sys.argv[1])\n")
    server = subprocess.Popen([sys.executable, "-c", told, path], env=env,
                              stderr=subprocess.PIPE, text=True)
    try:
        _until(lambda: warm.listening(path))  # connects: a build is forked for it
        _out, err = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    assert server.returncode == 0, err
    assert "Exception ignored" in err  # where the handler's exception went
    assert not os.path.exists(path)


def test_a_new_warm_process_ends_the_least_used_and_what_dead_ones_left(tmp_path: Path) -> None:
    runtime = _runtime()
    envs = [{**_environment(tmp_path / "cache"), "XDG_RUNTIME_DIR": runtime, "VANBAN_DOT": str(i)}
            for i in range(3)]
    paths = [_address(env) for env in envs]
    dead = os.path.join(runtime, "vanban", "warm-000000000000000000000000.sock")
    Path(dead + ".lock").write_text("123")  # a warm process killed with -9 left these
    Path(dead).touch()
    servers = []
    try:
        for env, path in zip(envs, paths, strict=True):
            servers.append(subprocess.Popen(
                [sys.executable, "-c", "import sys; from vanban.warm import serve; "
                 "serve(sys.argv[1])", path], env=env))
            _until(lambda path=path: warm.listening(path))
        assert servers[0].wait(timeout=30) == 0  # the least used is ended
        assert servers[1].poll() is None
        assert warm.listening(paths[1])
        assert not os.path.exists(dead)
        assert not os.path.exists(dead + ".lock")
        assert not os.path.exists(warm.lock_path(paths[0]))  # it took its lock file too
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


def test_a_build_leaves_a_warm_process_for_the_next(tmp_path: Path) -> None:
    env = _environment(tmp_path / "cache")
    path = _address(env)
    # A socket left behind by a warm process that died is taken over.
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(path)
    dead.close()
    args = ("-q", "build", str(SAMPLE), "--format", "docx", "--force", "--no-cache",
            "--only", "quyet-dinh-thanh-lap-ban-dieu-hanh", "-o", str(tmp_path / "out"))
    try:
        first = _vanban(env, *args)
        assert first.returncode == 0, first.stderr
        assert not _served(first)
        _until(lambda: warm.listening(path))
        assert warm._holder(path) is not None
        second = _vanban(env, *args)
        assert second.returncode == 0, second.stderr
        assert _served(second)
        # Another environment is another warm process: not served by this one.
        other = _vanban({**env, "VANBAN_KHAC": "1"}, *args)
        assert not _served(other)
    finally:
        _stop(path)
        _stop(_address({**env, "VANBAN_KHAC": "1"}), started=True)


def test_a_font_installed_meanwhile_ends_the_warm_process(tmp_path: Path) -> None:
    fontconfig = tmp_path / "xdg-cache" / "fontconfig"  # fontconfig's cache, as fc-cache keeps it
    fontconfig.mkdir(parents=True)
    env = {**_environment(tmp_path / "cache"), "XDG_CACHE_HOME": str(tmp_path / "xdg-cache")}
    path = _address(env)
    server = subprocess.Popen([sys.executable, "-c", "import sys; from vanban.warm import "
                               "serve; serve(sys.argv[1])", path], env=env)
    try:
        _until(lambda: warm.listening(path))
        args = ("-q", "build", str(SAMPLE), "--format", "docx", "--force", "--no-cache",
                "--only", "quyet-dinh-thanh-lap-ban-dieu-hanh", "-o", str(tmp_path / "out"))
        assert _served(_vanban(env, *args))
        os.utime(fontconfig, ns=(0, 0))  # fc-cache ran: a font came or went
        after = _vanban(env, *args)
        assert after.returncode == 0, after.stderr
        assert not _served(after)  # built in its own process, which finds the fonts again
        assert server.wait(timeout=30) == 0
    finally:
        server.terminate()
        server.wait(timeout=30)
    _stop(path, started=True)  # the one the second build left


def test_a_warm_process_nobody_uses_ends_and_takes_its_socket(tmp_path: Path) -> None:
    env = _environment(tmp_path / "cache", minutes="0.01")  # 0.6 s
    path = _address(env)
    server = subprocess.Popen([sys.executable, "-c", "import sys; from vanban.warm import "
                               "serve; serve(sys.argv[1])", path], env=env)
    assert server.wait(timeout=120) == 0
    assert not os.path.exists(path)
    assert warm._holder(path) is None
    # A second one for the same socket, while the first lives, ends at once.
    first = subprocess.Popen([sys.executable, "-c", "import sys; from vanban.warm import serve; "
                              "serve(sys.argv[1], 60)", path], env=env)
    try:
        _until(lambda: warm._holder(path) is not None)
        assert subprocess.run([sys.executable, "-c", "import sys; from vanban.warm import "
                               "serve; serve(sys.argv[1])", path], env=env,
                              timeout=30).returncode == 0
        assert first.poll() is None
    finally:
        first.terminate()
        first.wait(timeout=30)


def test_what_is_served(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(warm.WARM_ENV, "10")
    assert warm.servable(["build", "hoso.yaml"])
    assert warm.servable(["-q", "build", "a.yaml", "b.yaml", "-j", "2"])
    assert not warm.servable(["build", "hoso.yaml", "--theo-doi"])
    assert not warm.servable(["validate", "hoso.yaml"])
    assert not warm.servable(["issue", "hoso.yaml"])
    assert not warm.servable([])
    assert not warm.servable(["--version"])
    assert not warm.servable(["build", "/dev/fd/63"])  # <(…): the command's own open file
    assert not warm.servable(["build", "/proc/self/fd/7"])


@pytest.mark.parametrize(("value", "minutes"), [
    ("0", 0.0), ("", 0.0), ("không", 0.0), ("nan", 0.0), ("-3", 0.0), ("2.5", 2.5),
    ("inf", 1440.0),
])
def test_how_long_a_warm_process_waits(monkeypatch: pytest.MonkeyPatch, value: str,
                                       minutes: float) -> None:
    monkeypatch.setenv(warm.WARM_ENV, value)
    assert warm.minutes() == minutes
    assert warm.servable(["build", "hoso.yaml"]) == bool(minutes)


def test_the_address_follows_the_environment(monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    runtime = Path(_runtime())
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    first = warm.address()
    assert first is not None
    assert first.startswith(str(runtime / "vanban") + "/")
    assert (runtime / "vanban").stat().st_mode & 0o777 == 0o700
    monkeypatch.setenv("PWD", str(tmp_path))  # another folder: the same warm process
    assert warm.address() == first
    monkeypatch.setenv("VANBAN_TEMPLATES_DIR", str(tmp_path))  # another setting: another
    assert warm.address() not in (None, first)


def test_one_address_whatever_the_interpreter_is_called(tmp_path: Path) -> None:
    env = _environment(tmp_path / "cache")
    named = [str(Path(sys.executable).with_name(name)) for name in ("python", "python3")]
    assert all(os.path.exists(name) for name in named)
    code = "from vanban.warm import address; print(address())"
    found = {subprocess.run([name, "-c", code], env=env, capture_output=True, text=True,
                            check=True).stdout for name in named}
    assert len(found) == 1


def test_another_priority_is_another_warm_process(tmp_path: Path) -> None:
    env = _environment(tmp_path / "cache")
    code = "from vanban.warm import address; print(address())"
    plain, nicer = (subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                                   text=True, check=True, preexec_fn=before).stdout
                    for before in (None, lambda: os.nice(5)))
    assert plain != nicer


def test_no_address_in_a_folder_others_may_enter(monkeypatch: pytest.MonkeyPatch) -> None:
    runtime = Path(_runtime())
    (runtime / "vanban").mkdir(mode=0o755)
    (runtime / "vanban").chmod(0o755)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    assert warm.address() is None
    (runtime / "vanban").chmod(0o700)
    assert warm.address() is not None


def test_a_command_started_without_stdout_ends_cleanly(tmp_path: Path) -> None:
    """``vanban build … >&-``: nothing to print to, but no traceback either."""
    done = subprocess.run(
        [sys.executable, "-m", "vanban", "build", str(SAMPLE), "--format", "docx", "--only",
         "quy-che", "-o", str(tmp_path / "out")], capture_output=False, stderr=subprocess.PIPE,
        text=True, timeout=300, preexec_fn=lambda: os.close(1))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["quy-che.docx"]


def test_a_command_that_builds_itself_after_all_meets_ctrl_c_as_usual(tmp_path: Path) -> None:
    """The warm process's build dies after "ready": the command builds itself, and Ctrl+C
    then stops it as it stops any build (not as a warm build it no longer waits for)."""
    import threading

    env = _environment(tmp_path / "cache")
    path = _address(env)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)

    def dies_after_ready() -> None:
        conn, _ = listener.accept()
        conn.sendall(b"R")
        conn.recv(65536)
        conn.close()

    threading.Thread(target=dies_after_ready, daemon=True).start()
    try:
        command = _under_way(env, tmp_path / "out", signal.SIG_DFL)
        command.send_signal(signal.SIGINT)
        _out, err = command.communicate(timeout=120)
    finally:
        listener.close()
        _stop(path, started=False)
    assert command.returncode == 1, err
    assert err.strip().endswith("Đã dừng."), err
    assert "PDF" not in err
    assert not (tmp_path / "out").exists()
