"""The outgoing register's rules, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from vanban.errors import NumberingError
from vanban.issuing.register import (
    CANCELLED,
    ISSUED,
    RESERVED,
    SCHEMA_VERSION,
    Details,
    Identity,
    Register,
)
from vanban.issuing.series import SeriesKey

UBND = "ỦY BAN NHÂN DÂN XÃ TÂN THỌ"


def key(year: int = 2026, nhom: str = "") -> SeriesKey:
    return SeriesKey(UBND, str(year), nhom)


def qd(so: int) -> str:
    return f"{so:02d}/QĐ-UBND"


def take(reg: Register, ngay: date, year: int | None = None, **kw: object) -> str:
    entry = reg.allocate(key(year or ngay.year), ngay, qd, state=ISSUED, **kw)  # type: ignore[arg-type]
    return entry.so_ky_hieu


def test_numbers_follow_each_other_and_the_year_rolls_over_to_01(register_location: str) -> None:
    with Register(register_location) as reg:
        got = [take(reg, date(2026, 1, 2)), take(reg, date(2026, 1, 2)),
               take(reg, date(2026, 12, 31)), take(reg, date(2027, 1, 1))]
        assert got == ["01/QĐ-UBND", "02/QĐ-UBND", "03/QĐ-UBND", "01/QĐ-UBND"]
        assert [e.ngay.year for e in reg.entries()] == [2026, 2026, 2026, 2027]


def test_a_date_before_the_previous_numbers_is_refused_and_changes_nothing(
        register_location: str) -> None:
    with Register(register_location) as reg:
        take(reg, date(2026, 3, 5))
        with pytest.raises(NumberingError, match=r"ngày 04/03/2026 sớm hơn ngày 05/03/2026"):
            take(reg, date(2026, 3, 4))
        assert len(reg.entries()) == 1
        assert take(reg, date(2026, 3, 5)) == "02/QĐ-UBND"


def test_series_are_kept_apart_by_body_period_and_group(register_location: str) -> None:
    with Register(register_location) as reg:
        other = SeriesKey("ĐẢNG ỦY XÃ TÂN THỌ", "nhiệm kỳ 2025–2030 (từ 2025-01-01)", "QĐ")
        a = reg.allocate(key(), date(2026, 1, 5), qd, state=ISSUED)
        b = reg.allocate(other, date(2026, 1, 5), lambda n: f"{n:02d}-QĐ/ĐU", state=ISSUED)
        c = reg.allocate(key(nhom="BB"), date(2026, 1, 5), lambda n: f"{n:02d}/BB-UBND",
                         state=ISSUED)
        assert (a.so_ky_hieu, b.so_ky_hieu, c.so_ky_hieu) == ("01/QĐ-UBND", "01-QĐ/ĐU",
                                                              "01/BB-UBND")


def test_one_document_never_gets_two_live_numbers(register_location: str) -> None:
    doc = Identity("/hs/hoso.yaml", "bien-ban", "hop-1")
    with Register(register_location) as reg:
        first = reg.allocate(key(), date(2026, 2, 1), qd, identity=doc, state=ISSUED)
        with pytest.raises(NumberingError, match="không được cấp hai số"):
            reg.allocate(key(), date(2026, 2, 1), qd, identity=doc, state=ISSUED)
        assert reg.find(doc) == first
        reg.cancel(first.id, "ghi sai trích yếu")
        again = reg.allocate(key(), date(2026, 2, 1), qd, identity=doc, state=ISSUED)
        assert again.so == 2
        assert reg.find(doc) == again


def test_a_cancelled_number_keeps_its_row_and_is_never_given_again(
        register_location: str) -> None:
    with Register(register_location) as reg:
        take(reg, date(2026, 4, 1))
        second = reg.allocate(key(), date(2026, 4, 1), qd, state=ISSUED,
                              details=Details(ghi_chu="bản gốc"))
        cancelled = reg.cancel(second.id, "văn bản ban hành nhầm")
        assert cancelled.trang_thai == CANCELLED
        assert cancelled.details.ghi_chu == "bản gốc; Hủy số: văn bản ban hành nhầm"
        assert take(reg, date(2026, 4, 2)) == "03/QĐ-UBND"
        rows = reg.entries()
        assert [(e.so, e.trang_thai) for e in rows] == [(1, ISSUED), (2, CANCELLED), (3, ISSUED)]
        with pytest.raises(NumberingError, match="đã hủy"):
            reg.cancel(second.id, "lần nữa")
        with pytest.raises(NumberingError, match="lý do"):
            reg.cancel(rows[0].id, "  ")


def test_a_reserved_number_is_taken_by_its_document_between_its_neighbours_dates(
        register_location: str) -> None:
    doc = Identity("/hs/hoso.yaml", "quyet-dinh-thanh-lap-ban-dieu-hanh")
    with Register(register_location) as reg:
        take(reg, date(2026, 5, 4))
        held = reg.allocate(key(), date(2026, 5, 5), qd, identity=doc, state=RESERVED)
        take(reg, date(2026, 5, 8))
        assert held.so_ky_hieu == "02/QĐ-UBND"
        with pytest.raises(NumberingError, match=r"số sau nó \(03/QĐ-UBND\) mang ngày 08/05/2026"):
            reg.take_reserved(held.id, date(2026, 5, 9), Details())
        with pytest.raises(NumberingError, match=r"số trước nó \(01/QĐ-UBND\)"):
            reg.take_reserved(held.id, date(2026, 5, 3), Details())
        taken = reg.take_reserved(held.id, date(2026, 5, 7), Details(nguoi_ky="A"))
        issued = reg.finish(taken.id)
        assert (issued.so, issued.ngay, issued.trang_thai) == (2, date(2026, 5, 7), ISSUED)


def test_a_pending_number_given_back_is_deleted_when_last_and_cancelled_otherwise(
        register_location: str) -> None:
    with Register(register_location) as reg:
        take(reg, date(2026, 6, 1))
        last = reg.allocate(key(), date(2026, 6, 2), qd)
        assert reg.release(last.id, "lỗi") is None
        assert take(reg, date(2026, 6, 1)) == "02/QĐ-UBND"  # the date rule sees 01's date again
        middle = reg.allocate(key(), date(2026, 6, 3), qd)
        take(reg, date(2026, 6, 4))
        kept = reg.release(middle.id, "bị gián đoạn")
        assert kept is not None
        assert kept.trang_thai == CANCELLED
        assert [e.so for e in reg.entries()] == [1, 2, 3, 4]


def test_files_are_found_by_their_sha256(register_location: str) -> None:
    from vanban.issuing.register import FileRecord

    with Register(register_location) as reg:
        entry = reg.allocate(key(), date(2026, 7, 1), qd)
        reg.record_files(entry.id, [FileRecord("a.pdf", "/x/a.pdf", "AB" * 32)])
        reg.finish(entry.id)
        assert [e.so_ky_hieu for e in reg.find_file("ab" * 32)] == ["01/QĐ-UBND"]
        assert reg.find_file("cd" * 32) == []


def test_the_schema_migrates_from_an_older_version(register_location: str) -> None:
    with Register(register_location, schema_version=1) as reg:
        assert reg.schema_version() == 1
        take(reg, date(2026, 1, 5))
    with Register(register_location) as reg:
        assert reg.schema_version() == SCHEMA_VERSION
        assert [e.so_ky_hieu for e in reg.entries()] == ["01/QĐ-UBND"]


def test_a_cancel_reason_is_checked_before_anything_changes(register_location: str) -> None:
    with Register(register_location) as reg:
        entry = reg.allocate(key(), date(2026, 1, 5), qd, state=ISSUED)
        for typed, said in (("a\x1bb", "điều khiển U\\+001B"), ("a\u202eb", "đảo chiều"),
                            ("y" * 501, "dài 501 ký tự, quá giới hạn 500"), ("  ", "lý do")):
            with pytest.raises(NumberingError, match=said):
                reg.cancel(entry.id, typed)
        assert reg.get(entry.id).trang_thai == ISSUED
        assert reg.cancel(entry.id, " y" * 250).details.ghi_chu == "Hủy số: " + "y " * 249 + "y"


def test_a_year_out_of_range_is_refused(register_location: str) -> None:
    from vanban.errors import VanbanError

    with Register(register_location) as reg:
        for nam in (0, -5, 1944, 2101, 99999999999999999999):
            with pytest.raises(VanbanError, match=f"năm {nam} không hợp lệ"):
                reg.find_symbol("01/QĐ-UBND", nam)
        assert reg.find_symbol("01/QĐ-UBND", 2026) == []


def test_a_reserved_number_taken_by_a_failed_issue_is_put_back_as_it_was(
        register_location: str) -> None:
    ident = Identity("/hoso.yaml", "quyet-dinh")
    with Register(register_location) as reg:
        held = reg.allocate(key(), date(2026, 3, 1), qd, identity=ident, state=RESERVED,
                            details=Details(ghi_chu="Giữ số: chờ ký"))
        taken = reg.take_reserved(held.id, date(2026, 3, 2), Details(nguoi_ky="A"))
        assert taken.trang_thai == "cho"
        back = reg.put_back(held)
        assert (back.trang_thai, back.ngay, back.details, back.chu_tri) == (
            RESERVED, date(2026, 3, 1), held.details, None)
        assert reg.find(ident) == back
