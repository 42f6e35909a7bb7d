"""The outgoing register (sổ đăng ký văn bản đi, NĐ 30 Điều 16 and Phụ lục IV).

One code path over two databases through SQLAlchemy Core: an embedded SQLite file (the
default; one office, one machine or a shared folder) and PostgreSQL (an office whose clerks
share one register on a server). Where the register is:

- an explicit location (``--so-dang-ky``), else the ``VANBAN_REGISTER`` variable, else
  :func:`default_location` (the user's data folder);
- a location containing ``://`` is a database URL (``postgresql://user@host/db``; no other
  kind of database), anything else a file path. Messages name the register as the clerk typed
  it, its password hidden (:func:`shown_location`).

A read-only register. Opened to read (``create=False``: the command must not create a missing
register), a SQLite file whose folder this user cannot write into (a backup medium, a
read-only share, an auditor's access) is opened read-only, so that ``register``, ``tra-cuu``
and ``verify --so-dang-ky`` work on it; a command that would change it (``huy-so``) is refused
with the read-only error, as before. See :meth:`Register._read_only_uri`.

Concurrency. Every change runs in one short transaction that first locks the series' row: on
SQLite every writing transaction is ``BEGIN IMMEDIATE`` on a WAL database (one writer at a
time, readers never blocked), on PostgreSQL ``SELECT … FOR UPDATE`` on the series row. The
next number is the series' last plus one, so numbers have no gaps and no duplicates, and the
date rules are checked under the same lock.

States of an entry: ``cho`` (a number taken by an issue in progress, see
:mod:`vanban.issuing.issue`), ``da_cap`` (issued), ``giu`` (reserved, giữ số), ``huy``
(cancelled, hủy số: the row stays with its reason and the number is never given again).

The schema carries a version (table ``vanban_schema``) and migrates forward when opened; a
register of a newer version than this vanban is refused untouched.
"""

from __future__ import annotations

import os
import re
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vanban import text
from vanban.errors import NumberingError, RegisterError, VanbanError, os_reason
from vanban.issuing.series import SeriesKey

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, Connection, Engine, MetaData, Table

#: Environment variable naming the register (a file path or a database URL).
REGISTER_ENV = "VANBAN_REGISTER"
#: Seconds to wait for another clerk's transaction before giving up.
DEFAULT_TIMEOUT = 10.0

#: The years a register's dates may fall in (a year asked for outside them is a typing error).
MIN_YEAR, MAX_YEAR = 1945, 2100
#: Longest note or reason a clerk types into the register (Ghi chú, lý do hủy số): a few
#: sentences. Longer text would only bloat the printed register (and slow its PDF down).
MAX_NOTE = 500

#: Entry states.
PENDING, ISSUED, RESERVED, CANCELLED = "cho", "da_cap", "giu", "huy"
STATE_NAMES = {PENDING: "đang cấp", ISSUED: "đã cấp", RESERVED: "giữ số", CANCELLED: "đã hủy"}


def default_location() -> Path:
    """Return the default register file: ``vanban/so-dang-ky.sqlite`` in the user's data folder.

    ``%APPDATA%`` on Windows, ``~/Library/Application Support`` on macOS, else
    ``$XDG_DATA_HOME`` (``~/.local/share``).
    """
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        base = Path(os.environ["APPDATA"])
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "vanban" / "so-dang-ky.sqlite"


def resolve_location(location: str | os.PathLike[str] | None = None) -> str:
    """Return the register's location: the argument, ``VANBAN_REGISTER``, or the default."""
    chosen = location or os.environ.get(REGISTER_ENV) or default_location()
    return os.fspath(chosen)


#: The URL schemes of a PostgreSQL register (the last is the internal form, accepted too).
POSTGRESQL_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


def shown_location(location: str) -> str:
    """Return `location` as the clerk typed it, fit for a message: a URL's password (in its
    user part or a ``password=`` parameter) is replaced by ``***``."""
    if "://" not in location:
        return location
    scheme, rest = location.split("://", 1)
    authority, sep, tail = rest.partition("/")
    if "@" in authority:
        user_info, host = authority.rsplit("@", 1)
        if ":" in user_info:
            authority = f"{user_info.split(':', 1)[0]}:***@{host}"
    tail = re.sub(r"(?i)([?&]password=)[^&]*", r"\1***", tail)
    return f"{scheme}://{authority}{sep}{tail}"


def _nobody_writes(folder: Path) -> bool:
    """Tell whether nobody can create a file in `folder` without first changing it: not this
    user (root included: the folder is immutable, ``chattr +i``, or on a read-only mount),
    and not any other (no write permission bit is set, for its owner, group or others)."""
    if os.access(folder, os.W_OK):
        return False
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return True
    except (AttributeError, OSError):  # no statvfs on Windows
        pass
    if getattr(os, "geteuid", lambda: -1)() == 0:
        return True  # root is refused: so is everyone
    try:
        return not folder.stat().st_mode & 0o222
    except OSError:
        return False


#: What the PostgreSQL driver says when the server refuses a name in the register's URL, and
#: what the clerk is told ({} is the name).
_NAMED_REFUSALS = (
    (r"failed to resolve host '([^']*)'|could not translate host name \"([^\"]*)\"",
     "không tìm thấy máy chủ “{}”; hãy kiểm tra tên máy chủ trong địa chỉ sổ và mạng của máy "
     "này"),
    (r'database "([^"]*)" does not exist',
     "máy chủ không có cơ sở dữ liệu “{}”; hãy kiểm tra tên cơ sở dữ liệu trong địa chỉ sổ, "
     "hoặc nhờ người quản trị tạo nó"),
    (r'role "([^"]*)" does not exist',
     "máy chủ không có người dùng “{}”; hãy kiểm tra tên người dùng trong địa chỉ sổ (phần "
     "trước dấu @), hoặc nhờ người quản trị tạo người dùng đó"),
    (r'password authentication failed for user "([^"]*)"',
     "sai mật khẩu của người dùng “{}”; hãy kiểm tra mật khẩu (trong tệp .pgpass, biến "
     "PGPASSWORD hoặc địa chỉ sổ)"),
)
#: How every SQLite database file begins.
SQLITE_HEADER = b"SQLite format 3\x00"


def _foreign(path: Path) -> bool:
    """Tell whether `path` is a file that is not a SQLite database (a PDF, a DOCX given as the
    register), rather than a damaged register: an empty file is a new database."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError:
        return False  # missing or unreadable: told when it is opened
    return bool(head) and head != SQLITE_HEADER


def normal_symbol(so_ky_hieu: str) -> str:
    """Return a number and symbol typed by a clerk as the register writes it: ``1/qđ-ubnd`` is
    ``01/QĐ-UBND``, ``5-qđ/đu`` is ``05-QĐ/ĐU`` (numbers below 10 take a leading zero)."""
    typed = text.viet_hoa(so_ky_hieu.strip())
    number = re.match(r"\d+", typed)
    if number is None:
        return typed
    return f"{int(number.group()):02d}{typed[number.end():]}"


def check_year(nam: int) -> int:
    """Return the year `nam`, refused unless between :data:`MIN_YEAR` and :data:`MAX_YEAR`."""
    if not MIN_YEAR <= nam <= MAX_YEAR:
        raise VanbanError(f"năm {nam} không hợp lệ; sổ đăng ký chỉ nhận năm từ {MIN_YEAR} đến "
                         f"{MAX_YEAR}")
    return nam


def check_note(value: str, what: str) -> str:
    """Return the note `value` a clerk typed (`what`: ``ghi chú``, ``lý do hủy số``), trimmed.

    Refused, as in a dossier: a control character (it cannot be printed, and breaks the
    printed register), a bidirectional control (the text would read differently from what it
    holds), only invisible characters, or more than :data:`MAX_NOTE` characters.
    """
    found = text.unprintable(value)
    if found is not None:
        raise NumberingError(f"{what} {found[1]}")
    value = text.nfc(value.strip())
    if len(value) > MAX_NOTE:
        raise NumberingError(f"{what} dài {len(value)} ký tự, quá giới hạn {MAX_NOTE} ký tự của "
                             "sổ đăng ký; hãy viết ngắn lại")
    return value


@dataclass(frozen=True)
class Identity:
    """Which document of which dossier an entry is (to find its number again)."""

    #: The dossier file's absolute path.
    ho_so: str
    #: Document kind and meeting code (:attr:`vanban.documents.numbered.Numbered.key`).
    loai_van_ban: str
    ma: str = ""


@dataclass(frozen=True)
class Details:
    """What the register's columns say about a document (Phụ lục IV columns 3–7 and 10)."""

    ten_loai_trich_yeu: str = ""
    nguoi_ky: str = ""
    noi_nhan: str = ""
    luu: str = ""
    so_ban: int | None = None
    ghi_chu: str = ""
    #: The parent body's line as printed on the document (for the register's cover).
    cap_tren: str = ""


@dataclass(frozen=True)
class FileRecord:
    """A file issued under an entry, with its SHA-256."""

    vai_tro: str
    duong_dan: str
    sha256: str


@dataclass
class Entry:
    """One row of the register."""

    id: int
    co_quan: str
    ky: str
    nhom: str
    so: int
    so_ky_hieu: str
    ngay: date
    trang_thai: str
    details: Details
    identity: Identity | None
    files: list[FileRecord] = field(default_factory=list)
    #: Who holds a pending entry (``host:pid``), and when the entry last changed.
    chu_tri: str | None = field(default=None, compare=False)
    cap_nhat: datetime | None = field(default=None, compare=False)

    @property
    def so_ngay(self) -> str:
        """Return the number and date as messages give them: ``05/QĐ-UBND ngày 07/01/2026``."""
        return f"{self.so_ky_hieu} ngày {self.ngay:%d/%m/%Y}"

    @property
    def trang_thai_ten(self) -> str:
        """Return the state in words: ``đã cấp``, ``giữ số``…"""
        return STATE_NAMES.get(self.trang_thai, self.trang_thai)


# -- Schema -----------------------------------------------------------------------------------

#: The schema version this vanban writes; see :data:`_MIGRATIONS`.
SCHEMA_VERSION = 3


def _tables(version: int = SCHEMA_VERSION) -> tuple[MetaData, dict[str, Table]]:
    """Return the register's tables as they are at schema `version`."""
    from sqlalchemy import (
        Column,
        Date,
        DateTime,
        ForeignKey,
        Index,
        Integer,
        MetaData,
        Table,
        Text,
        UniqueConstraint,
    )

    md = MetaData()
    t = {
        "schema": Table("vanban_schema", md, Column("version", Integer, nullable=False)),
        "series": Table(
            "so_series", md,
            Column("id", Integer, primary_key=True),
            Column("co_quan", Text, nullable=False),
            Column("ky", Text, nullable=False),
            Column("nhom", Text, nullable=False),
            Column("so_cuoi", Integer, nullable=False),
            Column("ngay_cuoi", Date),
            UniqueConstraint("co_quan", "ky", "nhom"),
        ),
        "entry": Table(
            "van_ban_di", md,
            Column("id", Integer, primary_key=True),
            Column("series_id", Integer, ForeignKey("so_series.id"), nullable=False),
            Column("so", Integer, nullable=False),
            Column("so_ky_hieu", Text, nullable=False),
            Column("ngay", Date, nullable=False),
            Column("trang_thai", Text, nullable=False),
            Column("ten_loai_trich_yeu", Text, nullable=False, default=""),
            Column("nguoi_ky", Text, nullable=False, default=""),
            Column("noi_nhan", Text, nullable=False, default=""),
            Column("luu", Text, nullable=False, default=""),
            Column("so_ban", Integer),
            Column("ghi_chu", Text, nullable=False, default=""),
            Column("ho_so", Text),
            Column("loai_van_ban", Text),
            Column("ma", Text),
            Column("chu_tri", Text),  # who holds a pending entry: "host:pid"
            Column("cap_nhat", DateTime(timezone=True)),
            *([Column("cap_tren", Text)] if version >= 3 else []),
            UniqueConstraint("series_id", "so"),
        ),
        "file": Table(
            "tep_van_ban", md,
            Column("id", Integer, primary_key=True),
            Column("entry_id", Integer, ForeignKey("van_ban_di.id"), nullable=False),
            Column("vai_tro", Text, nullable=False),
            Column("duong_dan", Text, nullable=False),
            Column("sha256", Text, nullable=False),
        ),
    }
    # A document has at most one live entry: the same dossier's document is never numbered twice.
    live = t["entry"].c.trang_thai != CANCELLED
    Index("ux_van_ban_di_danh_tinh", t["entry"].c.series_id, t["entry"].c.ho_so,
          t["entry"].c.loai_van_ban, t["entry"].c.ma, unique=True,
          sqlite_where=live, postgresql_where=live)
    return md, t


def _v1(conn: Connection) -> None:
    """The entries, their series and their files."""
    md, t = _tables(1)
    md.create_all(conn, tables=[t["series"], t["entry"], t["file"]])


def _v2(conn: Connection) -> None:
    """Look files up by their SHA-256 (verifying a file against the register)."""
    from sqlalchemy import Index

    Index("ix_tep_van_ban_sha256", _tables(2)[1]["file"].c.sha256).create(conn)


def _v3(conn: Connection) -> None:
    """Keep the parent body's line of each entry (the printed register's cover)."""
    column = _tables(3)[1]["entry"].c.cap_tren
    conn.exec_driver_sql(
        f"ALTER TABLE van_ban_di ADD COLUMN cap_tren {column.type.compile(conn.dialect)}")


#: Migration from version i to i + 1 is ``_MIGRATIONS[i]``.
_MIGRATIONS: list[Callable[[Connection], None]] = [_v1, _v2, _v3]
assert len(_MIGRATIONS) == SCHEMA_VERSION


# -- The register -----------------------------------------------------------------------------


class Register:
    """An open outgoing register. Use as a context manager, or call :meth:`close`."""

    def __init__(
        self,
        location: str | os.PathLike[str] | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        create: bool = True,
        schema_version: int = SCHEMA_VERSION,
    ) -> None:
        """Open the register at `location` (see :func:`resolve_location`) and migrate it.

        A missing register file is created when `create`; without `create` the register
        must exist, and a SQLite file in a folder this user cannot write into is opened
        read-only (:attr:`read_only`). `schema_version` below the current one leaves the
        register at that version (for testing migrations).
        """
        import sqlite3

        from sqlalchemy import URL, create_engine, event

        self.location = resolve_location(location)
        self.timeout = timeout
        #: The register as the clerk typed it (a URL's password hidden), for messages.
        self.name: str = shown_location(self.location)
        #: Opened read-only: a SQLite register in a folder this user cannot write into.
        self.read_only = False
        self._md, self._t = _tables(schema_version)
        if "://" in self.location:
            scheme, rest = self.location.split("://", 1)
            if scheme.lower() not in POSTGRESQL_SCHEMES:
                raise RegisterError(self._unsupported(scheme, rest))
            try:
                self.engine: Engine = create_engine(
                    "postgresql+psycopg://" + rest,
                    connect_args={"connect_timeout": max(1, int(timeout)),
                                  "options": f"-c lock_timeout={int(timeout * 1000)}"},
                    pool_pre_ping=True,
                )
            except Exception as e:
                raise RegisterError(
                    f"địa chỉ sổ đăng ký {self.name} không hợp lệ; hãy viết theo mẫu "
                    "postgresql://người-dùng@máy-chủ:cổng/tên-cơ-sở-dữ-liệu (cổng là số, có "
                    "thể bỏ)") from e
        else:
            path = Path(self.location).expanduser()
            self.name = str(path)
            if path.is_dir():
                raise RegisterError(f"{path} là một thư mục, không phải tệp sổ đăng ký")
            if _foreign(path):
                raise RegisterError(f"{path} không phải tệp sổ đăng ký (SQLite) của vanban; hãy "
                                    "kiểm tra đường dẫn của sổ (--so-dang-ky)")
            if not path.exists():
                if not create:
                    raise RegisterError(f"không tìm thấy sổ đăng ký {path}")
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as e:
                    raise RegisterError(f"không tạo được thư mục {path.parent}: "
                                        f"{os_reason(e, 'ghi')}") from e
            # A URL object, not text: a "?" or "#" in a folder's name is part of the path.
            sqlite_url = URL.create("sqlite", database=str(path))
            self.read_only = not create and not os.access(path.parent, os.W_OK)
            if self.read_only:
                uri = self._read_only_uri(path)
                self.engine = create_engine(sqlite_url, creator=lambda: sqlite3.connect(
                    uri, uri=True, timeout=timeout, check_same_thread=False))
            else:
                self.engine = create_engine(sqlite_url, connect_args={"timeout": timeout})
            event.listen(self.engine, "connect", self._sqlite_connect)
            event.listen(self.engine, "begin", self._sqlite_begin)
        self._migrate(schema_version)

    # -- connections and errors

    @staticmethod
    def _unsupported(scheme: str, rest: str) -> str:
        """Return the message refusing a register URL of another kind than PostgreSQL."""
        if scheme.lower().startswith("sqlite"):
            path = rest[1:] if rest.startswith("/") else rest
            return (f"sổ đăng ký SQLite được chỉ bằng đường dẫn tệp, không bằng địa chỉ "
                    f"{scheme}://; hãy viết --so-dang-ky {path or 'so-dang-ky.sqlite'}")
        return (f"vanban không dùng được sổ đăng ký kiểu {scheme}://; hãy chỉ sổ bằng đường dẫn "
                "tệp SQLite (ví dụ so-dang-ky.sqlite) hoặc địa chỉ PostgreSQL "
                "postgresql://người-dùng@máy-chủ/tên-cơ-sở-dữ-liệu")

    @staticmethod
    def _read_only_uri(path: Path) -> str:
        """Return the SQLite URI that opens the register `path`, in a folder this user cannot
        write into, read-only.

        ``mode=ro`` reads it, locks and all, when its ``-wal`` and ``-shm`` files are there
        (someone has it open, or they were copied with it). When they are not, SQLite needs to
        create the ``-shm`` file to read a WAL database, and cannot: then ``immutable=1``
        (read without locks or the ``-wal``) is used, only when it is safe: nobody can create
        a file in the folder (:func:`_nobody_writes`), so nobody can be writing the register
        (a writer of a WAL database first creates its ``-wal`` file beside it), and no
        ``-wal`` file holds changes not yet in the register file (immutable would not see
        them). Otherwise the read-only URI is returned and the read fails with the read-only
        error, which asks for write permission.
        """
        import sqlite3

        uri = f"{path.absolute().as_uri()}?mode=ro"
        try:
            probe = sqlite3.connect(uri, uri=True)
            try:
                probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return uri
            finally:
                probe.close()
        except sqlite3.Error:
            pass
        wal = path.with_name(path.name + "-wal")
        try:
            unmerged = wal.stat().st_size > 0
        except FileNotFoundError:
            unmerged = False
        except OSError:
            unmerged = True
        if not unmerged and _nobody_writes(path.parent):
            return f"{uri}&immutable=1"
        return uri

    def _sqlite_connect(self, dbapi_conn: Any, _record: Any) -> None:
        # Transactions are begun by hand (BEGIN IMMEDIATE), not by the driver.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
        if not self.read_only:  # a read-only register's journal mode is left as it is
            cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @staticmethod
    def _sqlite_begin(conn: Connection) -> None:
        # A writing transaction takes the write lock at its start, so it never fails half-way
        # on it; a reading one takes none (it reads a snapshot, even of a read-only file).
        read = conn.get_execution_options().get("vanban_read", False)
        conn.exec_driver_sql("BEGIN" if read else "BEGIN IMMEDIATE")

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn database failures into one Vietnamese line naming the register."""
        import sqlite3

        from sqlalchemy import exc

        try:
            yield
        except (exc.DBAPIError, sqlite3.Error) as e:
            raise self._explain(e) from e

    def _explain(self, e: Exception) -> RegisterError:
        said = str(getattr(e, "orig", e)).strip()
        msg = said.lower()
        where = f"sổ đăng ký {self.name}"
        server = "://" in self.location
        if "locked" in msg or "lock timeout" in msg or "lock_timeout" in msg:
            return RegisterError(f"{where} đang bị người khác giữ quá {self.timeout:g} giây; "
                                 "hãy thử lại sau")
        if "not a database" in msg or "malformed" in msg or "corrupt" in msg:
            return RegisterError(f"{where} bị hỏng (không đọc được); không có gì bị thay đổi: "
                                 "hãy lấy bản sao lưu của sổ hoặc báo người quản trị")
        if "readonly" in msg or "read-only" in msg or "read only" in msg:
            if server:
                return RegisterError(f"{where} chỉ cho đọc trên máy chủ này; không có gì bị thay "
                                     "đổi: hãy dùng địa chỉ máy chủ chính của sổ")
            if self.read_only:
                return RegisterError(f"{where} nằm trong thư mục chỉ đọc (chỉ xem được, không ghi "
                                     "được); không có gì bị thay đổi: hãy cấp quyền ghi cho thư "
                                     "mục và tệp sổ")
            return RegisterError(f"{where} chỉ đọc (không có quyền ghi tệp hoặc thư mục của nó); "
                                 "không có gì bị thay đổi: hãy cấp quyền ghi cho cả hai")
        if "unable to open" in msg or "disk i/o" in msg:
            if "disk i/o" in msg and self._over_file_size_limit():
                return RegisterError(f"không ghi được {where}: tệp vượt giới hạn kích thước tệp "
                                     "được phép (ulimit -f); không có gì bị thay đổi")
            if not server and Path(self.location).expanduser().is_file():
                # SQLite needs to write beside the file (its -wal and -shm files) too.
                return RegisterError(f"{where} hoặc thư mục của nó chỉ đọc (không ghi được); "
                                     "không có gì bị thay đổi: hãy cấp quyền ghi cho cả hai")
            return RegisterError(f"không mở được {where}: kiểm tra đường dẫn và quyền ghi thư mục")
        if server:
            reason = self._server_reason(said)
            if reason is not None:
                return RegisterError(f"không kết nối được {where}: {reason}")
        first = said.splitlines()[0] if said else type(e).__name__
        if server and ("connect" in msg or "connection" in msg):
            return RegisterError(f"không kết nối được {where} ({first}); hãy kiểm tra địa chỉ "
                                 "sổ, máy chủ và mạng")
        return RegisterError(f"lỗi {where}: {first}")

    def _server_reason(self, said: str) -> str | None:
        """Return, in Vietnamese, why the PostgreSQL server of the register refused or could
        not be reached, with what to change; None when the driver's text `said` is not
        recognised. The names in it (host, database, user) are the driver's, quoted."""
        for pattern, reason in _NAMED_REFUSALS:
            found = re.search(pattern, said, re.IGNORECASE)
            if found:
                return reason.format(next(g for g in found.groups() if g is not None))
        msg = said.lower()
        if "no password supplied" in msg:
            return ("máy chủ đòi mật khẩu mà chưa có; hãy ghi mật khẩu vào tệp .pgpass (hoặc "
                    "biến PGPASSWORD)")
        if "no pg_hba.conf entry" in msg:
            return ("máy chủ không cho máy này kết nối; hãy nhờ người quản trị cho phép (tệp "
                    "pg_hba.conf của máy chủ)")
        if "permission denied" in msg:
            return ("người dùng trong địa chỉ sổ không đủ quyền trên cơ sở dữ liệu; hãy nhờ người "
                    "quản trị cấp quyền")
        if "timeout expired" in msg or "timed out" in msg:
            return (f"máy chủ không trả lời sau {max(1, int(self.timeout))} giây; hãy kiểm tra "
                    "tên máy chủ, cổng trong địa chỉ sổ và mạng")
        if "connection refused" in msg or "no such file or directory" in msg:
            return ("máy chủ không nhận kết nối; hãy kiểm tra PostgreSQL đang chạy trên máy chủ "
                    "đó và cổng trong địa chỉ sổ")
        return None

    def _over_file_size_limit(self) -> bool:
        """Tell whether SQLite's files reach the process's file size limit (``ulimit -f``).

        Past that limit a write fails with EFBIG, which SQLite reports as a mere disk I/O
        error: the limit is taken as the cause only when it is set and one of the register's
        files (the database, its ``-wal`` or ``-shm``) has grown to within a page of it.
        """
        if "://" in self.location:
            return False
        try:
            import resource
        except ImportError:  # Windows: no such limit
            return False
        limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
        if limit == resource.RLIM_INFINITY or limit < 0:
            return False
        path = Path(self.location).expanduser()
        sizes = []
        for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            try:
                sizes.append(name.stat().st_size)
            except OSError:
                continue
        return any(size + 65536 >= limit for size in sizes)

    @contextmanager
    def _transaction(self, *, write: bool = True) -> Iterator[Connection]:
        """Run one transaction; a writing one holds SQLite's write lock (``BEGIN IMMEDIATE``)."""
        with self._guard(), self.engine.connect() as conn:
            conn.execution_options(vanban_read=not write)
            with conn.begin():
                yield conn

    def close(self) -> None:
        """Release the register's connections."""
        self.engine.dispose()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema

    def _migrate(self, target: int) -> None:
        from sqlalchemy import insert, inspect, select, update

        schema = self._t["schema"]
        try:
            with self._transaction(write=False) as conn:
                names = set(inspect(conn).get_table_names())
                current = (conn.execute(select(schema.c.version)).scalar_one()
                           if schema.name in names else None)
            if current == target:
                return  # the usual case: no write lock needed to open the register
            if self.read_only:
                self._read_as_is(current, names)
                return
            with self._transaction() as conn:
                if conn.dialect.name == "postgresql":
                    # One migrator at a time on a server shared by several clerks.
                    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(866120160)")
                names = set(inspect(conn).get_table_names())
                if schema.name not in names:
                    if names:
                        raise self._not_a_register(names)
                    schema.create(conn)
                    conn.execute(insert(schema).values(version=0))
                version = conn.execute(select(schema.c.version)).scalar_one()
                if version > SCHEMA_VERSION:
                    raise self._newer(version)
                for step in range(version, target):
                    _MIGRATIONS[step](conn)
                if target > version:
                    conn.execute(update(schema).values(version=target))
        except RegisterError:
            self.close()
            raise

    def _read_as_is(self, version: int | None, names: set[str]) -> None:
        """Read a read-only register at its own schema `version` (it cannot be migrated)."""
        if version is None or version < 1:
            raise self._not_a_register(names)
        if version > SCHEMA_VERSION:
            raise self._newer(version)
        self._md, self._t = _tables(version)

    def _not_a_register(self, names: set[str]) -> RegisterError:
        tables = f"có các bảng: {', '.join(sorted(names))}" if names else "không có bảng nào"
        return RegisterError(f"{self.name} không phải sổ đăng ký của vanban ({tables})")

    def _newer(self, version: int) -> RegisterError:
        return RegisterError(
            f"sổ đăng ký {self.name} theo lược đồ phiên bản {version}, mới hơn phiên bản "
            f"{SCHEMA_VERSION} mà vanban này hiểu; hãy cập nhật vanban (sổ không bị thay đổi)")

    def schema_version(self) -> int:
        """Return the register's schema version."""
        from sqlalchemy import select

        with self._transaction(write=False) as conn:
            return int(conn.execute(select(self._t["schema"].c.version)).scalar_one())

    # -- reading

    def _entries(self, conn: Connection, where: Any) -> list[Entry]:
        from sqlalchemy import select

        e, s, f = self._t["entry"], self._t["series"], self._t["file"]
        rows = conn.execute(
            select(e, s.c.co_quan, s.c.ky, s.c.nhom)
            .join(s, s.c.id == e.c.series_id).where(where)
            .order_by(s.c.co_quan, s.c.ky, s.c.nhom, e.c.so)
        ).mappings().all()
        out = [_entry(r) for r in rows]
        if out:
            ids = {x.id: x for x in out}
            for chunk in range(0, len(out), 500):
                part = [x.id for x in out[chunk:chunk + 500]]
                for r in conn.execute(select(f).where(f.c.entry_id.in_(part)).order_by(f.c.id)):
                    ids[r.entry_id].files.append(FileRecord(r.vai_tro, r.duong_dan, r.sha256))
        return out

    def entries(self, tu: date | None = None, den: date | None = None) -> list[Entry]:
        """Return the entries dated from `tu` to `den` (inclusive), by series and number."""
        from sqlalchemy import and_, true

        e = self._t["entry"]
        conds: list[ColumnElement[bool]] = [true()]
        if tu:
            conds.append(e.c.ngay >= tu)
        if den:
            conds.append(e.c.ngay <= den)
        with self._transaction(write=False) as conn:
            return self._entries(conn, and_(*conds))

    def get(self, entry_id: int) -> Entry:
        """Return the entry `entry_id`."""
        with self._transaction(write=False) as conn:
            found = self._entries(conn, self._t["entry"].c.id == entry_id)
        if not found:
            raise NumberingError(f"sổ đăng ký {self.name} không có mục số {entry_id}")
        return found[0]

    def find(self, identity: Identity) -> Entry | None:
        """Return the live (not cancelled) entry of the document `identity`, if any."""
        from sqlalchemy import and_

        e = self._t["entry"]
        with self._transaction(write=False) as conn:
            found = self._entries(conn, and_(
                e.c.ho_so == identity.ho_so, e.c.loai_van_ban == identity.loai_van_ban,
                e.c.ma == identity.ma, e.c.trang_thai != CANCELLED))
        return found[0] if found else None

    def find_elsewhere(self, identity: Identity) -> list[Entry]:
        """Return the issued entries of the same document kind and meeting code as `identity`
        from other dossier files (the same document, its dossier moved or copied, or another
        dossier's)."""
        from sqlalchemy import and_

        e = self._t["entry"]
        with self._transaction(write=False) as conn:
            return self._entries(conn, and_(
                e.c.ho_so != identity.ho_so, e.c.loai_van_ban == identity.loai_van_ban,
                e.c.ma == identity.ma, e.c.trang_thai == ISSUED))

    def move_dossier(self, entry_id: int, ho_so: str) -> Entry:
        """Record that the dossier of the issued entry `entry_id` is now the file `ho_so` (its
        folder was moved or renamed), and return the entry."""
        from sqlalchemy import update

        e = self._t["entry"]
        with self._transaction() as conn:
            conn.execute(update(e).where(e.c.id == entry_id).values(ho_so=ho_so,
                                                                   cap_nhat=_now()))
            return self._entries(conn, e.c.id == entry_id)[0]

    def find_symbol(self, so_ky_hieu: str, nam: int | None = None) -> list[Entry]:
        """Return the entries numbered `so_ky_hieu` (``05/QĐ-UBND``), in year `nam` if given."""
        from sqlalchemy import and_, true

        e = self._t["entry"]
        if nam is not None:
            check_year(nam)
        year = true() if nam is None else and_(e.c.ngay >= date(nam, 1, 1),
                                               e.c.ngay <= date(nam, 12, 31))
        with self._transaction(write=False) as conn:
            return self._entries(conn, and_(e.c.so_ky_hieu == normal_symbol(so_ky_hieu), year))

    def find_file(self, sha256: str) -> list[Entry]:
        """Return the entries with a file whose SHA-256 is `sha256`."""
        from sqlalchemy import select

        e, f = self._t["entry"], self._t["file"]
        with self._transaction(write=False) as conn:
            return self._entries(conn, e.c.id.in_(
                select(f.c.entry_id).where(f.c.sha256 == sha256.lower())))

    def pending(self) -> list[Entry]:
        """Return the entries of issues still in progress (or interrupted)."""
        with self._transaction(write=False) as conn:
            return self._entries(conn, self._t["entry"].c.trang_thai == PENDING)

    # -- numbering

    def _lock_series(self, conn: Connection, key: SeriesKey) -> Any:
        """Return the series row of `key`, created if new, locked until the transaction ends."""
        from sqlalchemy import and_, exc, insert, select

        s = self._t["series"]
        where = and_(s.c.co_quan == key.co_quan, s.c.ky == key.ky, s.c.nhom == key.nhom)
        row = conn.execute(select(s).where(where).with_for_update()).first()
        if row is None:
            try:
                with conn.begin_nested():
                    conn.execute(insert(s).values(co_quan=key.co_quan, ky=key.ky, nhom=key.nhom,
                                                  so_cuoi=0, ngay_cuoi=None))
            except exc.IntegrityError:
                pass  # another clerk created it first
            row = conn.execute(select(s).where(where).with_for_update()).one()
        return row

    def allocate(
        self,
        key: SeriesKey,
        ngay: date,
        symbol: Callable[[int], str],
        *,
        identity: Identity | None = None,
        details: Details = Details(),
        state: str = PENDING,
    ) -> Entry:
        """Give the next number of series `key`, dated `ngay`, and record it in `state`.

        `symbol` turns the number into its number and symbol (``05/QĐ-UBND``). Raise
        :class:`NumberingError` when `ngay` is earlier than the previous number's date, or when
        `identity` already has a live entry; nothing is changed then.
        """
        from sqlalchemy import insert, update

        e, s = self._t["entry"], self._t["series"]
        with self._transaction() as conn:
            row = self._lock_series(conn, key)
            if row.ngay_cuoi is not None and ngay < row.ngay_cuoi:
                raise NumberingError(
                    f"ngày {ngay:%d/%m/%Y} sớm hơn ngày {row.ngay_cuoi:%d/%m/%Y} của số trước "
                    f"({symbol(row.so_cuoi)}); số sau không được mang ngày sớm hơn số trước: "
                    "hãy dùng ngày từ ngày đó trở đi")
            if identity is not None:
                self._refuse_duplicate(conn, row.id, identity)
            so = row.so_cuoi + 1
            conn.execute(update(s).where(s.c.id == row.id).values(so_cuoi=so, ngay_cuoi=ngay))
            owner, now = (_owner() if state == PENDING else None), _now()
            inserted = conn.execute(insert(e).values(
                series_id=row.id, so=so, so_ky_hieu=symbol(so), ngay=ngay, trang_thai=state,
                **_detail_values(details, e), **_identity_values(identity),
                chu_tri=owner, cap_nhat=now,
            )).inserted_primary_key
            assert inserted is not None
        return Entry(id=inserted[0], co_quan=key.co_quan, ky=key.ky, nhom=key.nhom, so=so,
                     so_ky_hieu=symbol(so), ngay=ngay, trang_thai=state, details=details,
                     identity=identity, chu_tri=owner, cap_nhat=now)

    def _refuse_duplicate(self, conn: Connection, series_id: int, identity: Identity) -> None:
        from sqlalchemy import and_, select

        e = self._t["entry"]
        other = conn.execute(select(e.c.so_ky_hieu, e.c.trang_thai).where(and_(
            e.c.series_id == series_id, e.c.ho_so == identity.ho_so,
            e.c.loai_van_ban == identity.loai_van_ban, e.c.ma == identity.ma,
            e.c.trang_thai != CANCELLED))).first()
        if other is not None:
            raise NumberingError(
                f"văn bản {identity.loai_van_ban} của hồ sơ {identity.ho_so} đã có số "
                f"{other.so_ky_hieu} ({STATE_NAMES[other.trang_thai]}); một văn bản không được "
                "cấp hai số")

    def take_reserved(self, entry_id: int, ngay: date | None, details: Details) -> Entry:
        """Start issuing the reserved number `entry_id`, dated `ngay` (default: its own date).

        The date must lie between the previous and the next numbers' dates in its series.
        """
        from sqlalchemy import and_, select, update

        e = self._t["entry"]
        with self._transaction() as conn:
            current = self._entries(conn, e.c.id == entry_id)[0]
            self._lock_series(conn, SeriesKey(current.co_quan, current.ky, current.nhom))
            if current.trang_thai != RESERVED:
                raise NumberingError(f"số {current.so_ky_hieu} không còn ở trạng thái giữ số "
                                     f"({current.trang_thai_ten})")
            when = ngay or current.ngay
            series_id = conn.execute(select(e.c.series_id).where(e.c.id == entry_id)).scalar_one()
            for other_so, ok, word in ((current.so - 1, lambda d: d <= when, "trước"),
                                       (current.so + 1, lambda d: d >= when, "sau")):
                other = conn.execute(select(e.c.ngay, e.c.so_ky_hieu).where(and_(
                    e.c.series_id == series_id, e.c.so == other_so))).first()
                if other is not None and not ok(other.ngay):
                    raise NumberingError(
                        f"số giữ {current.so_ky_hieu} không thể mang ngày {when:%d/%m/%Y}: số "
                        f"{word} nó ({other.so_ky_hieu}) mang ngày {other.ngay:%d/%m/%Y}")
            conn.execute(update(e).where(e.c.id == entry_id).values(
                trang_thai=PENDING, ngay=when, chu_tri=_owner(), cap_nhat=_now(),
                **_detail_values(details, e)))
            return self._entries(conn, e.c.id == entry_id)[0]

    def record_files(self, entry_id: int, files: list[FileRecord]) -> None:
        """Record the files an issue in progress is about to write (before writing them)."""
        from sqlalchemy import insert

        with self._transaction() as conn:
            for rec in files:
                conn.execute(insert(self._t["file"]).values(
                    entry_id=entry_id, vai_tro=rec.vai_tro, duong_dan=rec.duong_dan,
                    sha256=rec.sha256.lower()))

    add_file = record_files

    def release(self, entry_id: int, ly_do: str) -> Entry | None:
        """Give back the pending number `entry_id`, whose issue failed before any file was kept.

        The last number of its series is deleted (it was never given: the next issue takes it
        again); a number with later numbers after it is cancelled with `ly_do` instead, so
        that the series keeps no gap. Return the cancelled entry, or None when deleted.
        """
        from sqlalchemy import and_, delete, func, select, update

        e, s, f = self._t["entry"], self._t["series"], self._t["file"]
        with self._transaction() as conn:
            found = self._entries(conn, e.c.id == entry_id)
            if not found or found[0].trang_thai != PENDING:
                return found[0] if found else None
            current = found[0]
            row = self._lock_series(conn, SeriesKey(current.co_quan, current.ky, current.nhom))
            if row.so_cuoi != current.so:
                values = {"trang_thai": CANCELLED, "chu_tri": None, "cap_nhat": _now(),
                          "ghi_chu": f"Hủy số: {ly_do}"}
                conn.execute(update(e).where(e.c.id == entry_id).values(**values))
                return self._entries(conn, e.c.id == entry_id)[0]
            conn.execute(delete(f).where(f.c.entry_id == entry_id))
            conn.execute(delete(e).where(e.c.id == entry_id))
            previous = conn.execute(select(func.max(e.c.ngay)).where(and_(
                e.c.series_id == row.id))).scalar()
            conn.execute(update(s).where(s.c.id == row.id).values(
                so_cuoi=current.so - 1, ngay_cuoi=previous))
            return None

    def put_back(self, reserved: Entry) -> Entry:
        """Reserve again the number `reserved` (as it was read before :meth:`take_reserved`),
        taken by an issue that failed before any file was kept: its date, columns and note
        are restored and the files recorded for it forgotten."""
        from sqlalchemy import delete, update

        e, f = self._t["entry"], self._t["file"]
        with self._transaction() as conn:
            found = self._entries(conn, e.c.id == reserved.id)
            if not found or found[0].trang_thai != PENDING:
                return found[0] if found else reserved
            conn.execute(delete(f).where(f.c.entry_id == reserved.id))
            conn.execute(update(e).where(e.c.id == reserved.id).values(
                trang_thai=RESERVED, ngay=reserved.ngay, chu_tri=None, cap_nhat=_now(),
                **_detail_values(reserved.details, e)))
            return self._entries(conn, e.c.id == reserved.id)[0]

    def finish(self, entry_id: int) -> Entry:
        """Mark the pending entry `entry_id` issued (its files are written)."""
        return self._set_state(entry_id, {PENDING}, ISSUED, None)

    def keep_reserved(self, entry_id: int) -> Entry:
        """Mark the pending entry `entry_id` reserved (giữ số: every number asked is taken)."""
        return self._set_state(entry_id, {PENDING}, RESERVED, None)

    def cancel(self, entry_id: int, ly_do: str) -> Entry:
        """Cancel entry `entry_id` (hủy số) with reason `ly_do`; the row stays, marked."""
        ly_do = check_note(ly_do, "lý do hủy số")
        if not ly_do:
            raise NumberingError("hủy số phải ghi rõ lý do")
        return self._set_state(entry_id, {PENDING, ISSUED, RESERVED}, CANCELLED, ly_do)

    def _set_state(self, entry_id: int, allowed: set[str], state: str, note: str | None) -> Entry:
        from sqlalchemy import update

        e = self._t["entry"]
        with self._transaction() as conn:
            found = self._entries(conn, e.c.id == entry_id)
            if not found:
                raise NumberingError(f"sổ đăng ký {self.name} không có mục số {entry_id}")
            current = found[0]
            if current.trang_thai not in allowed:
                raise NumberingError(f"số {current.so_ky_hieu} đang ở trạng thái "
                                     f"“{current.trang_thai_ten}”; không thể chuyển sang "
                                     f"“{STATE_NAMES[state]}”")
            values: dict[str, Any] = {"trang_thai": state, "chu_tri": None, "cap_nhat": _now()}
            if note is not None:
                prefix = f"{current.details.ghi_chu}; " if current.details.ghi_chu else ""
                values["ghi_chu"] = f"{prefix}Hủy số: {note}"
            conn.execute(update(e).where(e.c.id == entry_id).values(**values))
            return self._entries(conn, e.c.id == entry_id)[0]


def _entry(r: Any) -> Entry:
    identity = (Identity(r["ho_so"], r["loai_van_ban"] or "", r["ma"] or "")
                if r["ho_so"] is not None else None)
    return Entry(
        id=r["id"], co_quan=r["co_quan"], ky=r["ky"], nhom=r["nhom"], so=r["so"],
        so_ky_hieu=r["so_ky_hieu"], ngay=r["ngay"], trang_thai=r["trang_thai"],
        details=Details(r["ten_loai_trich_yeu"], r["nguoi_ky"], r["noi_nhan"], r["luu"],
                        r["so_ban"], r["ghi_chu"], r.get("cap_tren") or ""),
        identity=identity, chu_tri=r["chu_tri"], cap_nhat=r["cap_nhat"],
    )


def _detail_values(d: Details, table: Table) -> dict[str, Any]:
    values = {"ten_loai_trich_yeu": d.ten_loai_trich_yeu, "nguoi_ky": d.nguoi_ky,
            "noi_nhan": d.noi_nhan, "luu": d.luu, "so_ban": d.so_ban, "ghi_chu": d.ghi_chu,
            "cap_tren": d.cap_tren}
    return {k: v for k, v in values.items() if k in table.c}


def _identity_values(identity: Identity | None) -> dict[str, Any]:
    if identity is None:
        return {"ho_so": None, "loai_van_ban": None, "ma": None}
    return {"ho_so": identity.ho_so, "loai_van_ban": identity.loai_van_ban, "ma": identity.ma}


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _now() -> datetime:
    return datetime.now(timezone.utc)
