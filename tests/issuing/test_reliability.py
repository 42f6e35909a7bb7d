"""The register under stress: concurrent clerks, killed processes, damaged or locked files."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import random
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests import dossiers
from vanban.errors import NumberingError, RegisterError
from vanban.issuing.issue import recover
from vanban.issuing.register import CANCELLED, ISSUED, PENDING, Register
from vanban.issuing.series import SeriesKey

BODY = "ỦY BAN NHÂN DÂN XÃ THỬ"
WORKERS, EACH = 8, 500
ROOT = Path(__file__).resolve().parents[2]


def _symbol(so: int) -> str:
    return f"{so:02d}/QĐ-UBND"


def _clerk(location: str, start: float, ready: object, go: object) -> None:
    """Take EACH numbers dated by a shared clock (a day every 20 ms), retrying when another
    clerk took a later date first (the date rule refuses going back)."""
    reg = Register(location, timeout=120)
    ready.release()  # type: ignore[attr-defined]
    go.wait()  # type: ignore[attr-defined]
    done = 0
    while done < EACH:
        day = date(2026, 11, 1) + timedelta(days=int((time.monotonic() - start) * 50))
        try:
            reg.allocate(SeriesKey(BODY, str(day.year), ""), day, _symbol, state=ISSUED)
        except NumberingError:
            continue
        done += 1
    reg.close()


@pytest.mark.slow
def test_eight_clerks_at_once_leave_no_duplicate_no_gap_and_ordered_dates(
        register_location: str) -> None:
    Register(register_location).close()  # created once, as an office would
    ctx = multiprocessing.get_context("fork")
    ready, go = ctx.Semaphore(0), ctx.Event()
    start = time.monotonic()
    procs = [ctx.Process(target=_clerk, args=(register_location, start, ready, go))
             for _ in range(WORKERS)]
    for p in procs:
        p.start()
    for _ in procs:
        assert ready.acquire(timeout=120)
    go.set()
    for p in procs:
        p.join(timeout=600)
        assert p.exitcode == 0
    with Register(register_location) as reg:
        entries = reg.entries()
    assert len(entries) == WORKERS * EACH
    series: dict[str, list] = defaultdict(list)
    for e in entries:
        series[e.ky].append(e)
    for ky, rows in series.items():
        rows.sort(key=lambda e: e.so)
        assert [e.so for e in rows] == list(range(1, len(rows) + 1)), ky  # no gap, no duplicate
        dates = [e.ngay for e in rows]
        assert dates == sorted(dates), ky  # dates follow the numbers
        assert {e.ngay.year for e in rows} == {int(ky)}  # each year starts again at 01
        assert [e.so_ky_hieu for e in rows[:2]] == ["01/QĐ-UBND", "02/QĐ-UBND"]


# -- kill -9 while issuing ----------------------------------------------------------------------

MEETINGS = 10


def _many_meetings(tmp_path: Path) -> Path:
    data = dossiers.sample("trung-chinh-2025")
    data.pop("tap_huan", None)
    meeting = data["cuoc_hop"][-1]
    data["cuoc_hop"] = [{**meeting, "ma": f"hop-{i}"} for i in range(MEETINGS)]
    return dossiers.write(tmp_path, data)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check_consistent(location: str, out: Path, seed: int) -> set[str]:
    """Assert: every issued entry has all its files; every file on disk is an issued one's.

    Return the names of the meetings issued.
    """
    with Register(location) as reg:
        entries = reg.entries()
    assert not [e for e in entries if e.trang_thai == PENDING], seed
    issued_files = {}
    for e in entries:
        if e.trang_thai != ISSUED:
            continue
        assert e.files, (seed, e)
        for rec in e.files:
            path = Path(rec.duong_dan)
            assert path.is_file(), (seed, e.so_ky_hieu, path)
            assert _sha(path) == rec.sha256, (seed, e.so_ky_hieu, path)
            issued_files[path] = e
    on_disk = sorted(out.iterdir()) if out.exists() else []
    for path in on_disk:
        # No temporary leftovers, and nothing that is not an issued entry's file.
        assert path in issued_files, (seed, path.name, [p.name for p in on_disk])
    return {e.identity.ma for e in issued_files.values() if e.identity}


@pytest.mark.slow
def test_kill_9_while_issuing_never_leaves_a_number_without_files_or_files_without_a_number(
        register_location: str, tmp_path: Path) -> None:
    seed = int(os.environ.get("VANBAN_TEST_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    hoso = _many_meetings(tmp_path)
    out = tmp_path / "out"
    env = {**os.environ, "VANBAN_REGISTER": register_location}
    killed = finished = 0
    recovered: list[str] = []

    def command(ma: str) -> list[str]:
        return [sys.executable, "-m", "vanban", "-q", "issue", str(hoso), "-o", str(out),
                "--only", f"bien-ban-{ma}", "--ngay", "2026-03-02"]

    # One whole run tells how long an issue takes on this machine: the kills fall across it.
    began = time.monotonic()
    subprocess.run(command(f"hop-{MEETINGS - 1}"), env=env, check=True, capture_output=True)
    whole = time.monotonic() - began
    for i in range(MEETINGS - 2):
        proc = subprocess.Popen(command(f"hop-{i}"), env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        try:
            proc.wait(timeout=rng.uniform(0.3, 1.1) * whole)
            finished += 1
            assert proc.returncode == 0, (seed, proc.stderr.read() if proc.stderr else b"")
        except subprocess.TimeoutExpired:
            proc.kill()  # SIGKILL
            proc.wait()
            killed += 1
        if proc.stderr:
            proc.stderr.close()
        with Register(register_location) as reg:  # the next run
            recovered += recover(reg)
        _check_consistent(register_location, out, seed)
    print(f"seed {seed}: {killed} killed, {finished} finished; recovered: {recovered}")
    assert killed, f"seed {seed}: no run was killed; the test proved nothing"
    # Finally every meeting is issued once, and the series has no gap (a number interrupted
    # after a later one was taken stays, cancelled).
    done = subprocess.run([*command("x")[:-3], "bien-ban", "--ngay", "2026-03-02"], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, (seed, done.stderr)
    assert _check_consistent(register_location, out, seed) == {f"hop-{i}"
                                                               for i in range(MEETINGS)}
    with Register(register_location) as reg:
        entries = reg.entries()
    assert [e.so for e in entries] == list(range(1, len(entries) + 1))
    assert len([e for e in entries if e.trang_thai == ISSUED]) == MEETINGS
    assert {e.trang_thai for e in entries} <= {ISSUED, CANCELLED}


# -- a damaged, locked, read-only or newer register ----------------------------------------------


def _fill(location: str) -> None:
    with Register(location) as reg:
        for _ in range(3):
            reg.allocate(SeriesKey(BODY, "2026", ""), date(2026, 1, 5), _symbol, state=ISSUED)


def test_a_file_that_is_not_a_register_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "so.sqlite"
    path.write_bytes(b"Day khong phai so dang ky\n" * 200)
    before = _sha(path)
    with pytest.raises(RegisterError, match=r"so\.sqlite không phải tệp sổ đăng ký \(SQLite\) "
                                            r"của vanban; hãy kiểm tra đường dẫn"):
        Register(path)
    assert _sha(path) == before
    # A SQLite file whose pages are damaged is a damaged register: its backup is asked for.
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    before = _sha(path)
    with pytest.raises(RegisterError, match=r"so\.sqlite bị hỏng \(không đọc được\)"):
        Register(path)
    assert _sha(path) == before


def test_a_register_damaged_inside_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "so.sqlite"
    _fill(str(path))
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    data[page:] = os.urandom(len(data) - page)  # every page after the first
    path.write_bytes(bytes(data))
    before = _sha(path)
    with pytest.raises(RegisterError, match="bị hỏng"), Register(path) as reg:
        reg.entries()
    assert _sha(path) == before


def test_a_register_of_a_newer_schema_is_refused_untouched(register_location: str) -> None:
    _fill(register_location)
    with Register(register_location) as opened:  # opened before a newer vanban upgraded it
        with opened.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE vanban_schema SET version = 99")
        with pytest.raises(RegisterError,
                           match="phiên bản 99, mới hơn phiên bản 3.*cập nhật vanban"):
            Register(register_location)
        assert [e.so for e in opened.entries()] == [1, 2, 3]
        with opened.engine.begin() as conn:
            assert conn.exec_driver_sql("SELECT version FROM vanban_schema").scalar() == 99


def test_a_register_locked_longer_than_the_timeout_is_an_error_and_changes_nothing(
        tmp_path: Path) -> None:
    path = tmp_path / "so.sqlite"
    _fill(str(path))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another clerk's transaction, never finished
    try:
        with Register(path, timeout=0.5) as reg, pytest.raises(
                RegisterError, match=r"đang bị người khác giữ quá 0\.5 giây"):
            reg.allocate(SeriesKey(BODY, "2026", ""), date(2026, 1, 6), _symbol)
    finally:
        other.execute("ROLLBACK")
        other.close()
    with Register(path) as reg:
        assert [e.so for e in reg.entries()] == [1, 2, 3]


def test_a_postgresql_series_locked_longer_than_the_timeout_is_an_error(
        postgres_url: str) -> None:
    import psycopg

    _fill(postgres_url)
    with psycopg.connect(postgres_url) as other:
        other.execute("SELECT * FROM so_series FOR UPDATE")  # held until the block ends
        with Register(postgres_url, timeout=1) as reg, pytest.raises(
                RegisterError, match="đang bị người khác giữ quá 1 giây"):
            reg.allocate(SeriesKey(BODY, "2026", ""), date(2026, 1, 6), _symbol)
        other.rollback()
    with Register(postgres_url) as reg:
        assert [e.so for e in reg.entries()] == [1, 2, 3]


def test_an_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(RegisterError, match="không kết nối được sổ đăng ký postgresql"):
        Register("postgresql://vanban@127.0.0.1:1/none", timeout=1)


def _read_only(paths: list[Path]) -> None:
    """Make `paths` read-only, for root too (whom permissions do not stop): immutable."""
    for path in paths:
        path.chmod(0o555 if path.is_dir() else 0o444)
    if os.geteuid() == 0:
        done = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"cannot make a file read-only for root here: {done.stderr!r}")


def _writable(paths: list[Path]) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", *map(str, paths)], capture_output=True)
    for path in paths:
        path.chmod(0o755 if path.is_dir() else 0o644)


def test_a_read_only_register_is_an_error_and_nothing_is_lost(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "so.sqlite"
    _fill(str(path))
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for extra in folder.glob("so.sqlite-*"):
        extra.unlink()
    before = _sha(path)
    _read_only([path, folder])
    try:
        with pytest.raises(RegisterError, match=r"so\.sqlite .*chỉ đọc") as caught, \
                Register(path) as reg:
            reg.allocate(SeriesKey(BODY, "2026", ""), date(2026, 1, 6), _symbol)
        assert "\n" not in str(caught.value)
    finally:
        _writable([path, folder])
    assert _sha(path) == before
    with Register(path) as reg:
        assert [e.so for e in reg.entries()] == [1, 2, 3]


@pytest.mark.skipif(sys.platform == "win32", reason="no ulimit -f on Windows")
def test_a_register_over_the_file_size_limit_says_so(tmp_path: Path) -> None:
    import resource

    def limit() -> None:  # ulimit -f 20: 20 KiB, less than SQLite's shared memory file
        resource.setrlimit(resource.RLIMIT_FSIZE, (20 * 1024, 20 * 1024))

    code = ("from vanban.issuing.register import Register\n"
            "from vanban.errors import describe\n"
            "try:\n"
            "    Register('uf.sqlite').close()\n"
            "except Exception as e:\n"
            "    print(describe(e)[0])\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, preexec_fn=limit,
                          capture_output=True, text=True, check=True)
    assert done.stdout == ("không ghi được sổ đăng ký uf.sqlite: tệp vượt giới hạn kích thước "
                           "tệp được phép (ulimit -f); không có gì bị thay đổi\n")
