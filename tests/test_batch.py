"""Several dossiers in one ``vanban build``: a folder each, a process each, one failing
dossier (or process) not stopping the others, a summary line each, a progress bar on a
terminal only."""

from __future__ import annotations

import fcntl
import gc
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests import dossiers
from vanban.batch import build_many, in_two, output_folders, while_forked
from vanban.build import build
from vanban.cli import cli
from vanban.errors import VanbanError

KIND = "quyet-dinh-thanh-lap-ban-dieu-hanh"


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def communes(tmp_path: Path) -> list[Path]:
    """Two communes' dossiers (different names) and one broken dossier."""
    paths = []
    for name in ("tan-tho", "tan-phuc"):
        data = dossiers.sample()
        data["dia_ban"]["xa"] = name.replace("tan-", "Tân ").title()
        paths.append(dossiers.copy(tmp_path / "in" / name, data))
    broken = tmp_path / "in" / "hong" / "hoso.yaml"
    broken.parent.mkdir(parents=True)
    broken.write_text("ten_mo_hinh: [\n", encoding="utf-8")
    return [paths[0], broken, paths[1]]


def test_each_dossier_in_its_folder_one_failure_does_not_stop_the_others(
    communes: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", *map(str, communes), "-o", str(out), "-j", "2",
                                      "--only", KIND, "--no-cache"])
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["tan-phuc", "tan-tho"]
    for hoso in (communes[0], communes[2]):
        name = hoso.parent.name
        alone = tmp_path / "alone" / name
        build(hoso, alone, only=[KIND], cache=False)
        assert _outputs(out / name) == _outputs(alone), "same bytes as a build of it alone"
        assert f"Xong {hoso} → {out / name}: 2 tệp" in result.output
    assert f"Lỗi {communes[1]}: {communes[1]}:2:1: YAML không hợp lệ" in result.output
    assert "Lỗi: 1/3 hồ sơ không soạn được" in result.output


def test_a_dossier_whose_process_dies_is_an_error_and_the_others_are_built(
    communes: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vanban import batch

    real = batch._build_one
    parent = os.getpid()

    def killed_first(hoso: Path, out_dir: Path, options: dict) -> batch.DossierResult:
        if hoso == communes[0] and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
        return real(hoso, out_dir, options)

    monkeypatch.setattr(batch, "_build_one", killed_first)
    children = set()
    results = build_many(communes, tmp_path / "out", jobs=2, only=[KIND], cache=False,
                         on_done=lambda r: children.add(r.hoso))
    assert children == set(communes)
    assert [r.exit_code for r in results] == [3, 1, 0]
    assert "dừng đột ngột (mã -9)" in results[0].error
    assert (tmp_path / "out" / "tan-phuc" / f"{KIND}.pdf").is_file()


def test_each_dossier_is_built_in_a_process_of_its_own(
    communes: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that built many dossiers keeps memory from each; a process per dossier does
    not (the batch's memory is measured in benchmarks/bench_batch.py)."""
    import shutil

    from vanban import batch

    real = batch._build_one

    def telling_its_process(hoso: Path, out_dir: Path, options: dict) -> batch.DossierResult:
        result = real(hoso, out_dir, options)
        result.warnings.append(f"pid {os.getpid()}")
        return result

    monkeypatch.setattr(batch, "_build_one", telling_its_process)
    hosos = []
    for n in range(4):
        folder = tmp_path / "many" / f"xa-{n}"
        shutil.copytree(communes[n % 2 * 2].parent, folder)
        hosos.append(folder / "hoso.yaml")
    results = build_many(hosos, tmp_path / "out", jobs=2, only=[KIND], cache=False,
                         formats=("docx",))
    pids = {r.warnings[-1] for r in results}
    assert len(pids) == 4
    assert f"pid {os.getpid()}" not in pids


def test_one_worker_and_two_give_the_same_files(communes: list[Path], tmp_path: Path) -> None:
    good = [communes[0], communes[2]]
    one = build_many(good, tmp_path / "j1", jobs=1, only=[KIND], cache=False)
    two = build_many(good, tmp_path / "j2", jobs=2, only=[KIND], cache=False)
    assert [r.hoso for r in one] == [r.hoso for r in two] == good, "results in dossier order"
    assert all(r.ok for r in one + two)
    for name in ("tan-tho", "tan-phuc"):
        assert _outputs(tmp_path / "j1" / name) == _outputs(tmp_path / "j2" / name)


def test_output_folders_are_named_after_the_dossier(tmp_path: Path) -> None:
    assert output_folders(["a/xa-1/hoso.yaml", "b/tan-tho.yaml"], "out") == [
        Path("out/xa-1"), Path("out/tan-tho")]
    with pytest.raises(VanbanError, match="cùng ghi vào"):
        output_folders(["a/xa-1/hoso.yaml", "b/xa-1/hoso.yaml"], "out")


def test_a_clash_is_refused_before_anything_is_built(communes: list[Path], tmp_path: Path) -> None:
    twin = dossiers.copy(tmp_path / "other" / "tan-tho")
    result = CliRunner().invoke(cli, ["build", str(communes[0]), str(twin),
                                      "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "cùng ghi vào" in result.output
    assert not (tmp_path / "out").exists()


def _run_on_terminal(args: list[str]) -> tuple[int, str]:
    """Run vanban with its output on a pseudo-terminal; return the exit code and the output."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "vanban", *args], stdout=follower,
                            stderr=follower, stdin=subprocess.DEVNULL)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the terminal closed: the process is done
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    return proc.wait(), b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_only(communes: list[Path], tmp_path: Path) -> None:
    good = [str(communes[0]), str(communes[2])]
    args = ["build", *good, "--only", KIND, "--format", "docx", "-j", "1"]
    code, shown = _run_on_terminal([*args, "-o", str(tmp_path / "tty")])
    assert code == 0, shown
    assert "0/2 [" in shown, "a progress bar"
    assert "1/2 [" in shown
    assert "hồ sơ/s" in shown
    piped = subprocess.run([sys.executable, "-m", "vanban", *args, "-o", str(tmp_path / "pipe")],
                           capture_output=True, text=True, check=True)
    assert "/2 [" not in piped.stdout + piped.stderr, "no bar when not on a terminal"
    assert piped.stdout.count("Xong ") == 2
    assert f"Đã soạn 2 hồ sơ vào {tmp_path / 'pipe'}" in piped.stdout


def test_one_dossier_shared_between_two_processes_gives_the_same_bytes(tmp_path: Path) -> None:
    hoso = dossiers.copy(tmp_path / "hoso")
    kinds = ["tai-lieu-chuyen-de", "quy-che", KIND]
    build(hoso, tmp_path / "one", only=kinds, cache=False, workers=1)
    build(hoso, tmp_path / "two", only=kinds, cache=False, workers=2)
    one = _outputs(tmp_path / "one")
    assert len([n for n in one if n.endswith(".pdf")]) >= 3
    assert _outputs(tmp_path / "two") == one


def _slow_square(x: int) -> int:
    time.sleep(0.02)
    if x == 13:
        raise ValueError("thirteen")
    return x * x


def test_two_processes_take_every_item_once_from_one_queue() -> None:
    done: list[tuple[int, int]] = []
    items = list(range(12))
    in_two(_slow_square, items, [1] * len(items), lambda x, r: done.append((x, r)))
    assert sorted(done) == [(x, x * x) for x in items]
    # Frozen for the fork only: this process's garbage is collected again afterwards.
    assert gc.get_freeze_count() == 0


def test_an_item_failing_in_either_process_raises_here() -> None:
    items = list(range(16))
    for weights in ([1] * 16, [16 - i for i in range(16)], list(range(16))):
        with pytest.raises(ValueError, match="thirteen"):
            in_two(_slow_square, items, weights, lambda x, r: None)


def _pids() -> tuple[int, int]:
    return os.getpid(), os.getppid()


def test_work_runs_in_a_forked_process_while_this_one_does_the_other() -> None:
    meanwhile: list[int] = []
    pid, parent = while_forked(_pids, lambda: meanwhile.append(os.getpid()))
    assert parent == os.getpid() != pid
    assert meanwhile == [os.getpid()]


def _slow_pids() -> tuple[int, int]:
    time.sleep(0.3)
    return _pids()


@pytest.mark.parametrize(("work", "spared"), [(_slow_pids, True), (_pids, False)],
                         ids=["work still running", "work done"])
def test_spare_work_is_done_only_while_waiting(work: Any, spared: bool) -> None:
    done: list[str] = []

    def meanwhile() -> None:
        if not spared:
            time.sleep(0.3)  # the forked process has sent its result by now

    while_forked(work, meanwhile, lambda: done.append("spare"))
    assert done == (["spare"] if spared else [])


def test_work_whose_process_is_killed_runs_here() -> None:
    here = os.getpid()
    calls: list[int] = []

    def work() -> int:
        if os.getpid() != here:
            os.kill(os.getpid(), signal.SIGKILL)
        calls.append(os.getpid())
        return 7

    assert while_forked(work, lambda: None) == 7
    assert calls == [here]


def test_work_that_fails_there_raises_here() -> None:
    where: list[int] = []

    def work() -> int:
        where.append(os.getpid())
        raise ValueError(f"thirteen in {os.getpid()}")

    with pytest.raises(ValueError, match=f"thirteen in {os.getpid()}"):
        while_forked(work, lambda: None)


def test_a_failure_meanwhile_ends_the_forked_process_too() -> None:
    def broken() -> None:
        raise OSError("no engine")

    before = set(_children())
    with pytest.raises(OSError, match="no engine"):
        while_forked(lambda: b"x" * 1_000_000, broken)  # more than a pipe holds
    assert set(_children()) <= before


def _children() -> list[str]:
    return Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text().split()


COLD = """
import sys
import vanban.batch
forked = []
plain = vanban.batch.while_forked
vanban.batch.while_forked = lambda *a: (forked.append(1), plain(*a))[1]
from vanban.build import build
build(sys.argv[1], sys.argv[2], cache=False, workers=2, only=sys.argv[3].split(","))
print(len(forked))
"""


def test_a_cold_build_renders_docx_while_the_engine_is_made_with_the_same_bytes(
        tmp_path: Path) -> None:
    hoso = dossiers.copy(tmp_path / "hoso")
    kinds = ["tai-lieu-chuyen-de", "quy-che", KIND]
    build(hoso, tmp_path / "one", only=kinds, cache=False, workers=1)
    out = subprocess.run([sys.executable, "-c", COLD, str(hoso), str(tmp_path / "two"),
                          ",".join(kinds)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"
    one = _outputs(tmp_path / "one")
    assert len([n for n in one if n.endswith(".pdf")]) >= 3
    assert _outputs(tmp_path / "two") == one


def _helpers_of(pid: int) -> set[int]:
    """Return the processes `pid` has started and that still run (zombies left out)."""
    found: set[int] = set()
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found |= {int(c) for c in f.read().split()}
        except OSError:
            continue
    return {c for c in found if _running(c)}


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_a_killed_build_leaves_no_helper_process_behind(tmp_path: Path, how: str) -> None:
    import signal
    import subprocess
    import time

    sample = Path(__file__).resolve().parents[1] / "samples/trung-chinh-2025/hoso.yaml"
    build = subprocess.Popen(
        [sys.executable, "-m", "vanban", "build", str(sample), "-o", str(tmp_path / "out"),
         "--no-cache", "-j", "2"], env={**os.environ, "VANBAN_CACHE_DIR": str(tmp_path / "c")},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # A cold build forks twice: a helper that renders the DOCX while the engine is made, then
    # one that lays documents out beside this process. Killed while that second one works, the
    # build used to leave it blocked for ever on a pipe it held open itself.
    seen: list[int] = []
    helpers: set[int] = set()
    deadline = time.monotonic() + 120
    while len(seen) < 2 and build.poll() is None and time.monotonic() < deadline:
        helpers = _helpers_of(build.pid)
        seen += sorted(h for h in helpers if h not in seen)
        time.sleep(0.005)
    if len(seen) < 2:
        build.wait(60)
        pytest.skip("the build ended before it started its layout helper")
    time.sleep(0.3)  # the helper is laying out
    build.send_signal(getattr(signal, how))
    build.wait(60)
    deadline = time.monotonic() + 20
    while {h for h in helpers if _running(h)} and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not {h for h in helpers if _running(h)}
    assert not (tmp_path / "out").exists()
