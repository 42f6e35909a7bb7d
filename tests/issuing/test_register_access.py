"""Opening the register: a read-only copy is read, and a register that cannot be reached is
said in one Vietnamese line that names it as the clerk typed it and says what to change."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from click.testing import CliRunner

from vanban.cli import cli
from vanban.errors import RegisterError
from vanban.issuing.printout import print_register
from vanban.issuing.register import ISSUED, FileRecord, Register
from vanban.issuing.series import SeriesKey

BODY = "ỦY BAN NHÂN DÂN XÃ TÂN THỌ"


def _symbol(so: int) -> str:
    return f"{so:02d}/QĐ-UBND"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- a register in a read-only folder ----------------------------------------------------------


@contextmanager
def read_only_folder(folder: Path) -> Iterator[None]:
    """Make `folder` read-only for this user, root included (permissions do not stop root:
    the folder is made immutable); skip when that cannot be done here."""
    root = os.geteuid() == 0
    if root:
        done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"cannot make a folder read-only for root here: {done.stderr!r}")
    else:
        folder.chmod(0o555)
    try:
        yield
    finally:
        if root:
            subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
        else:
            folder.chmod(0o755)


def issued_register(folder: Path) -> tuple[Path, Path]:
    """Return a register in `folder` with one issued number, and the file issued under it."""
    folder.mkdir()
    path, issued = folder / "so.sqlite", folder.parent / "01-qd.pdf"
    issued.write_bytes(b"%PDF-1.7\n% quyet dinh 01\n%%EOF\n")
    with Register(path) as reg:
        entry = reg.allocate(SeriesKey(BODY, "2026", ""), date(2026, 3, 2), _symbol)
        reg.record_files(entry.id, [FileRecord("pdf", str(issued), _sha(issued))])
        reg.finish(entry.id)
    assert [p.name for p in folder.iterdir()] == ["so.sqlite"]  # there, even with "?" in its path
    return path, issued


@pytest.mark.parametrize("others", ["closed", "open elsewhere"])
def test_a_register_in_a_read_only_folder_is_read_by_the_commands_that_only_look(
        tmp_path: Path, others: str) -> None:
    from vanban.issuing.verify import register_lookup

    path, issued = issued_register(tmp_path / "sao lưu? #1")  # a path, never read as a URL
    # Closed, the register is one file (no -wal or -shm: SQLite cannot create them);
    # open in another clerk's program, its -wal and -shm files are there.
    other = sqlite3.connect(path) if others == "open elsewhere" else None
    if other is not None:
        other.execute("SELECT count(*) FROM van_ban_di").fetchone()
    before = sorted(p.name for p in path.parent.iterdir())
    runner = CliRunner()
    try:
        with read_only_folder(path.parent):
            with Register(path, create=False) as reg:
                assert reg.read_only
                assert [e.so_ky_hieu for e in reg.entries()] == ["01/QĐ-UBND"]
            out, count, _ = print_register(tmp_path / "so.csv", register=path)
            assert count == 1
            looked = runner.invoke(cli, ["tra-cuu", str(issued), "--so-dang-ky", str(path)])
            assert looked.exit_code == 0, looked.output
            assert "khớp 01/QĐ-UBND ngày 02/03/2026" in looked.output
            printed = runner.invoke(cli, ["register", "-o", str(tmp_path / "so.docx"),
                                          "--so-dang-ky", str(path)])
            assert printed.exit_code == 0, printed.output
            found = register_lookup(str(path))(issued.read_bytes())  # verify --so-dang-ky
            # What the lookup returns (a line or the entry) is verify's; the number is in it.
            assert "01/QĐ-UBND" in str(getattr(found, "so_ky_hieu", found))
    finally:
        if other is not None:
            other.close()
    assert "01/QĐ-UBND" in out.read_text(encoding="utf-8-sig")
    if other is None:
        assert sorted(p.name for p in path.parent.iterdir()) == before


def test_a_register_in_a_read_only_folder_is_not_changed_and_says_why(tmp_path: Path) -> None:
    path, _ = issued_register(tmp_path / "sao lưu? #1")
    before = _sha(path)
    with read_only_folder(path.parent):
        with Register(path, create=False) as reg:  # huy-so opens it so: it must exist
            first = reg.entries()[0]
            with pytest.raises(RegisterError, match=r"so\.sqlite nằm trong thư mục chỉ đọc .*"
                                                    r"hãy cấp quyền ghi") as caught:
                reg.cancel(first.id, "ký nhầm")
            assert "\n" not in str(caught.value)
        result = CliRunner().invoke(cli, ["huy-so", "01/QĐ-UBND", "--ly-do", "ký nhầm",
                                          "--so-dang-ky", str(path)])
        assert result.exit_code == 1, result.output
        assert result.output.count("\n") == 1
        assert "chỉ đọc" in result.output
        with pytest.raises(RegisterError, match="chỉ đọc"), Register(path) as reg:
            reg.allocate(SeriesKey(BODY, "2026", ""), date(2026, 3, 3), _symbol, state=ISSUED)
    assert _sha(path) == before


def test_a_read_only_register_of_an_older_schema_is_read_as_it_is(tmp_path: Path) -> None:
    folder = tmp_path / "sao-luu"
    folder.mkdir()
    path = folder / "so.sqlite"
    with Register(path, schema_version=2) as reg:  # before the parent body's line was kept
        reg.allocate(SeriesKey(BODY, "2026", ""), date(2026, 3, 2), _symbol, state=ISSUED)
    with read_only_folder(folder), Register(path, create=False) as reg:
        assert reg.schema_version() == 2
        assert [e.so_ky_hieu for e in reg.entries()] == ["01/QĐ-UBND"]


def test_a_read_only_copy_with_changes_left_in_its_wal_file_is_not_read_stale(
        tmp_path: Path) -> None:
    # Copied while a clerk had it open: the last number is only in the -wal file. Reading the
    # main file alone (SQLite's immutable mode) would miss it; the read is refused instead.
    path, _ = issued_register(tmp_path / "so")
    live = sqlite3.connect(path)
    live.execute("PRAGMA wal_autocheckpoint = 0")
    live.execute("UPDATE van_ban_di SET ghi_chu = 'sau cùng'")
    live.commit()
    copy = tmp_path / "sao-luu"
    copy.mkdir()
    for name in ("so.sqlite", "so.sqlite-wal"):
        shutil.copy(path.with_name(name), copy / name)
    live.close()
    with read_only_folder(copy), pytest.raises(RegisterError, match="chỉ đọc.*cấp quyền ghi"), \
            Register(copy / "so.sqlite", create=False) as reg:
        reg.entries()
    with Register(copy / "so.sqlite", create=False) as reg:  # writable again: all of it is read
        assert [e.details.ghi_chu for e in reg.entries()] == ["sau cùng"]


# -- a register that cannot be reached -----------------------------------------------------------


def refused(location: str) -> str:
    """Return the message refusing to open the register `location` (one line)."""
    with pytest.raises(RegisterError) as caught:
        Register(location, timeout=2, create=False)
    said = str(caught.value)
    assert "\n" not in said
    assert "postgresql+psycopg" not in said
    return said


def test_a_database_url_of_another_kind_is_refused_saying_what_is_accepted(
        tmp_path: Path) -> None:
    said = refused("mysql://vanban:bimat@localhost/so")
    assert said == ("vanban không dùng được sổ đăng ký kiểu mysql://; hãy chỉ sổ bằng đường dẫn "
                    "tệp SQLite (ví dụ so-dang-ky.sqlite) hoặc địa chỉ PostgreSQL "
                    "postgresql://người-dùng@máy-chủ/tên-cơ-sở-dữ-liệu")
    assert refused(f"sqlite:///{tmp_path}/so.sqlite").endswith(
        f"hãy viết --so-dang-ky {tmp_path}/so.sqlite")
    result = CliRunner().invoke(cli, ["register", "-o", str(tmp_path / "so.csv"),
                                      "--so-dang-ky", "mysql://vanban@localhost/so"])
    assert result.exit_code == 1
    assert result.output.startswith("Lỗi: vanban không dùng được sổ đăng ký kiểu mysql://")
    assert result.output.count("\n") == 1
    assert not (tmp_path / "so.csv").exists()


def test_an_unknown_server_is_named_as_typed_with_its_password_hidden() -> None:
    said = refused("postgresql://vanban:bimat@khongco.invalid/so_van_ban")
    assert said == ("không kết nối được sổ đăng ký postgresql://vanban:***@khongco.invalid/"
                    "so_van_ban: không tìm thấy máy chủ “khongco.invalid”; hãy kiểm tra tên máy "
                    "chủ trong địa chỉ sổ và mạng của máy này")
    url = "postgresql://vanban@127.0.0.1:1/so?password=bimat&connect_timeout=1"
    said = refused(url)
    assert said.startswith("không kết nối được sổ đăng ký postgresql://vanban@127.0.0.1:1/so"
                           "?password=***&connect_timeout=1: máy chủ không nhận kết nối; hãy "
                           "kiểm tra PostgreSQL đang chạy")
    assert "bimat" not in said


def _with(url: str, **parts: str) -> str:
    return urlunsplit(urlsplit(url)._replace(**parts))


def test_a_missing_database_or_user_on_the_server_is_said_in_vietnamese(
        postgres_url: str) -> None:
    missing = _with(postgres_url, path="/khong_co")
    assert refused(missing) == (
        f"không kết nối được sổ đăng ký {missing}: máy chủ không có cơ sở dữ liệu “khong_co”; "
        "hãy kiểm tra tên cơ sở dữ liệu trong địa chỉ sổ, hoặc nhờ người quản trị tạo nó")
    host = urlsplit(postgres_url).netloc.rpartition("@")[2]
    nobody = _with(postgres_url, netloc=f"khongai:bimat@{host}")
    shown = _with(postgres_url, netloc=f"khongai:***@{host}")
    assert refused(nobody) == (
        f"không kết nối được sổ đăng ký {shown}: máy chủ không có người dùng “khongai”; hãy "
        "kiểm tra tên người dùng trong địa chỉ sổ (phần trước dấu @), hoặc nhờ người quản trị "
        "tạo người dùng đó")


@pytest.mark.parametrize(("server_says", "reason"), [
    ('connection failed: connection to server at "10.0.0.5", port 5432 failed: FATAL:  '
     'password authentication failed for user "vanban"',
     "sai mật khẩu của người dùng “vanban”; hãy kiểm tra mật khẩu (trong tệp .pgpass, biến "
     "PGPASSWORD hoặc địa chỉ sổ)"),
    ('connection failed: connection to server at "10.0.0.5", port 5432 failed: '
     "fe_sendauth: no password supplied",
     "máy chủ đòi mật khẩu mà chưa có; hãy ghi mật khẩu vào tệp .pgpass (hoặc biến PGPASSWORD)"),
], ids=["wrong", "missing"])
def test_a_wrong_or_missing_password_is_said_in_vietnamese(
        monkeypatch: pytest.MonkeyPatch, server_says: str, reason: str) -> None:
    # The test server trusts every local connection: the refusal is the server's own text,
    # raised where the driver would raise it.
    import psycopg

    def refuse(*_args: object, **_kw: object) -> None:
        raise psycopg.OperationalError(server_says)

    monkeypatch.setattr(psycopg, "connect", refuse)
    assert refused("postgresql://vanban:sai@10.0.0.5/so_van_ban") == (
        f"không kết nối được sổ đăng ký postgresql://vanban:***@10.0.0.5/so_van_ban: {reason}")
