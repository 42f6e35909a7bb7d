"""Writing output all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from vanban.errors import OutputError
from vanban.output import write_all


def test_writes_every_file(tmp_path: Path) -> None:
    files = [(tmp_path / "a" / "x.docx", b"x"), (tmp_path / "a" / "y.pdf", b"y")]
    assert write_all(files) == [p for p, _ in files]
    assert [p.read_bytes() for p, _ in files] == [b"x", b"y"]


def test_refuses_existing_files_before_writing_any(tmp_path: Path) -> None:
    (tmp_path / "y.pdf").write_bytes(b"old")
    with pytest.raises(OutputError, match="dùng --force"):
        write_all([(tmp_path / "x.docx", b"x"), (tmp_path / "y.pdf", b"new")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["y.pdf"]
    assert (tmp_path / "y.pdf").read_bytes() == b"old"
    write_all([(tmp_path / "x.docx", b"x"), (tmp_path / "y.pdf", b"new")], force=True)
    assert (tmp_path / "y.pdf").read_bytes() == b"new"


#: Writes three files over existing ones in a child process and, when a staged file exists,
#: sends itself the signal named on the command line (or is stopped by ``ulimit -f``).
WRITER = """
import os, signal, sys
from pathlib import Path
from vanban.output import write_all

folder, signum = Path(sys.argv[1]), int(sys.argv[2])
def hook(event, args):
    if signum and event == "open" and ".vanban-" in str(args[0]):
        staged = sorted(n for n in os.listdir(folder) if n.endswith(".tmp"))
        if staged:
            print("staged:", *staged, file=sys.stderr, flush=True)
            os.kill(os.getpid(), signum)
sys.addaudithook(hook)
write_all([(folder / n, n.encode() * 50_000) for n in ("a.docx", "b.pdf", "c.png")], force=True)
"""


def _write_in_child(folder: Path, signum: int = 0, fsize: int | None = None):
    import resource
    import subprocess
    import sys

    def limit() -> None:
        import signal

        # A test run started in the background by a shell ignores SIGINT, and so would the
        # child: give it the default a clerk's terminal gives.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run([sys.executable, "-c", WRITER, str(folder), str(signum)],
                          capture_output=True, text=True, preexec_fn=limit, timeout=60)


def _old_files(folder: Path) -> dict[str, bytes]:
    old = {"a.docx": b"old docx", "b.pdf": b"old pdf", "c.png": b"old png"}
    for name, data in old.items():
        (folder / name).write_bytes(data)
    return old


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_during_the_write_leaves_no_temporary_file(tmp_path: Path, name: str) -> None:
    import signal

    old = _old_files(tmp_path)
    signum = int(getattr(signal, name))
    done = _write_in_child(tmp_path, signum)
    assert "staged: .vanban-" in done.stderr  # the signal came while a file was staged
    assert done.returncode == -signum, done.stderr  # and still ended the process
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == old


def test_a_file_over_ulimit_is_an_error_and_leaves_nothing(tmp_path: Path) -> None:
    old = _old_files(tmp_path)
    done = _write_in_child(tmp_path, fsize=100_000)  # a.docx (300 kB) is over the limit
    assert done.returncode == 1, done.stderr
    assert "ulimit -f" in done.stderr
    assert "a.docx" in done.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == old


def test_a_failure_leaves_nothing_half_written(tmp_path: Path) -> None:
    blocker = tmp_path / "khong-phai-thu-muc"
    blocker.write_text("a file where a folder is needed")
    with pytest.raises(OutputError, match="không ghi được") as raised:
        write_all([(tmp_path / "x.docx", b"x"), (blocker / "y.pdf", b"y")])
    # The clerk is told which name is a file (``-o`` naming a file), not the system's English.
    assert str(raised.value).endswith(f"{blocker} là một tệp, không phải thư mục")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["khong-phai-thu-muc"]


def test_files_left_by_a_killed_write_are_removed_by_the_next(tmp_path: Path) -> None:
    import fcntl
    import signal

    done = _write_in_child(tmp_path, int(signal.SIGKILL))
    assert done.returncode == -signal.SIGKILL
    left = sorted(p.name for p in tmp_path.glob(".vanban-*.tmp"))
    assert left  # nothing can clean up after SIGKILL
    live = tmp_path / ".vanban-dang-ghi.tmp"  # held by a write still in progress
    live.write_bytes(b"")
    with live.open("rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        write_all([(tmp_path / "x.docx", b"x")])
    assert sorted(p.name for p in tmp_path.iterdir()) == [live.name, "x.docx"]


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o002])
def test_written_files_take_the_umask(tmp_path: Path, umask: int) -> None:
    import os

    (tmp_path / "b.pdf").write_bytes(b"old")
    before = os.umask(umask)
    try:
        write_all([(tmp_path / "a.docx", b"x"), (tmp_path / "b.pdf", b"y")], force=True)
    finally:
        os.umask(before)
    assert {p.name: p.stat().st_mode & 0o777 for p in tmp_path.iterdir()} == {
        "a.docx": 0o666 & ~umask, "b.pdf": 0o666 & ~umask}


def test_a_folder_in_the_way_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.docx").mkdir()
    with pytest.raises(OutputError, match="là một thư mục"):
        write_all([(tmp_path / "x.docx", b"x")], force=True)


def test_a_file_that_cannot_be_replaced_is_named_not_its_staged_copy(tmp_path: Path,
                                                                      monkeypatch) -> None:
    import errno
    import os

    from vanban import output

    target = tmp_path / "x.docx"
    target.write_bytes(b"old")

    def refuse(src: str, dst: str) -> None:  # as a file marked immutable (chattr +i) refuses
        raise OSError(errno.EPERM, "Operation not permitted", src, None, dst)

    monkeypatch.setattr(output.os, "replace", refuse)
    with pytest.raises(OutputError) as raised:
        write_all([(target, b"new")], force=True)
    assert str(raised.value) == f"không ghi được {target}: không có quyền ghi"
    assert os.listdir(tmp_path) == ["x.docx"]
    assert target.read_bytes() == b"old"


def test_a_rename_that_fails_takes_back_the_new_files_already_placed(tmp_path: Path,
                                                                     monkeypatch) -> None:
    import errno
    import os

    from vanban import output

    real = os.replace
    old = tmp_path / "c.docx"
    old.write_bytes(b"old")

    def refuse_the_second(src: str, dst: str) -> None:
        if str(dst).endswith("b.pdf"):
            raise OSError(errno.EPERM, "Operation not permitted", src, None, dst)
        real(src, dst)

    monkeypatch.setattr(output.os, "replace", refuse_the_second)
    with pytest.raises(OutputError, match="b.pdf: không có quyền ghi"):
        write_all([(tmp_path / "a.docx", b"a"), (old, b"new"), (tmp_path / "b.pdf", b"b")],
                  force=True)
    # a.docx was new: taken back; c.docx was there: it keeps what replaced it
    assert sorted(os.listdir(tmp_path)) == ["c.docx"]
    assert old.read_bytes() == b"new"
