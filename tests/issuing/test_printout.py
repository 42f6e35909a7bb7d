"""The printed register (NĐ 30 Phụ lục IV): DOCX, PDF and CSV read back."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import date
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from docx.shared import Cm

from vanban.cli import cli
from vanban.issuing.printout import COLUMNS, Period, print_register
from vanban.issuing.register import ISSUED, Details, Register
from vanban.issuing.series import SeriesKey

BODY = "ỦY BAN NHÂN DÂN XÃ TÂN THỌ"


def fill(location: str) -> None:
    """Three numbers in 2026 (the second cancelled, the third reserved) and one in 2027."""
    with Register(location) as reg:
        for n, (day, state) in enumerate([(date(2026, 1, 5), ISSUED), (date(2026, 2, 1), ISSUED),
                                          (date(2026, 3, 1), "giu"), (date(2027, 1, 2), ISSUED)]):
            entry = reg.allocate(
                SeriesKey(BODY, str(day.year), ""), day, lambda so: f"{so:02d}/QĐ-UBND",
                state=state, details=Details(
                    ten_loai_trich_yeu=f"Quyết định số {n}", nguoi_ky="Nguyễn Văn Hòa",
                    noi_nhan="Như Điều 3; UBND huyện", luu="VT, VP", so_ban=4,
                    ghi_chu="Giữ số: chờ ký" if state == "giu" else "",
                    cap_tren="UBND HUYỆN NÔNG CỐNG"))
            if n == 1:
                reg.cancel(entry.id, "ban hành nhầm")


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def test_csv_starts_each_row_with_the_number_and_keeps_cancelled_and_reserved_rows(
        register_location: str, tmp_path: Path) -> None:
    fill(register_location)
    path, count, _ = print_register(tmp_path / "so.csv", period=Period.year(2026),
                                    register=register_location)
    rows = csv_rows(path)
    assert rows[0][:10] == list(COLUMNS)
    assert [r[0] for r in rows[1:]] == ["01/QĐ-UBND", "02/QĐ-UBND", "03/QĐ-UBND"]
    assert count == 3
    assert rows[2][9] == "Hủy số: ban hành nhầm"
    assert rows[3][9] == "Giữ số: chờ ký"
    assert rows[1][1] == "05/01/2026"
    assert rows[1][6] == "4"
    ranged = print_register(tmp_path / "b.csv", period=Period(date(2026, 2, 1), date(2027, 1, 2)),
                            register=register_location)[0]
    assert [r[0] for r in csv_rows(ranged)[1:]] == ["02/QĐ-UBND", "03/QĐ-UBND", "01/QĐ-UBND"]


def test_docx_is_the_phu_luc_iv_form_on_a4_landscape(tmp_path: Path) -> None:
    location = str(tmp_path / "r.sqlite")
    fill(location)
    path = print_register(tmp_path / "so.docx", period=Period.year(2026), register=location)[0]
    doc = docx.Document(str(path))
    for section in doc.sections:
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (29.7, 21.0)
    cover = [p.text for p in doc.paragraphs if p.text]
    assert cover[:3] == ["UBND HUYỆN NÔNG CỐNG", BODY, "SỔ ĐĂNG KÝ VĂN BẢN ĐI"]
    assert "Năm: 2026" in cover
    assert "Từ ngày 01/01/2026 đến ngày 31/12/2026" in cover
    assert "Từ số 01/QĐ-UBND đến số 03/QĐ-UBND" in cover
    (table,) = doc.tables
    grid = [[c.text for c in row.cells] for row in table.rows]
    assert grid[0] == list(COLUMNS)
    assert grid[1] == [f"({i})" for i in range(1, 11)]
    assert [r[0] for r in grid[2:]] == ["01/QĐ-UBND", "02/QĐ-UBND", "03/QĐ-UBND"]
    assert grid[3][9] == "Hủy số: ban hành nhầm"
    for row in table.rows[:2]:
        assert row._tr.trPr.find(qn("w:tblHeader")) is not None
    assert sum(c.width for c in table.columns) == pytest.approx(Cm(25.7), rel=0.01)


def test_pdf_comes_from_the_docx_landscape_with_every_row(tmp_path: Path) -> None:
    location = str(tmp_path / "r.sqlite")
    fill(location)
    path = print_register(tmp_path / "so.pdf", register=location)[0]
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "841.89 x 595.276 pts" in info.stdout or "841.9 x 595.3 pts" in info.stdout
    words = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in words
    for day in ("05/01/2026", "01/02/2026", "01/03/2026", "02/01/2027"):
        assert day in words
    assert "Hủy số:" in words


def test_the_register_command(tmp_path: Path) -> None:
    location = str(tmp_path / "r.sqlite")
    fill(location)
    runner = CliRunner()
    out = tmp_path / "so.csv"
    result = runner.invoke(cli, ["register", "--format", "csv", "-o", str(out), "--nam", "2027",
                                 "--so-dang-ky", location])
    assert result.exit_code == 0, result.output
    assert "(1 văn bản)" in result.output
    assert [r[0] for r in csv_rows(out)[1:]] == ["01/QĐ-UBND"]
    both = runner.invoke(cli, ["so-dang-ky", "-o", str(out), "--nam", "2027", "--tu",
                               "1/1/2027", "--so-dang-ky", location])
    assert both.exit_code == 2
    exists = runner.invoke(cli, ["register", "-o", str(out), "--so-dang-ky", location])
    assert exists.exit_code == 1
    assert "--force" in exists.output
    check = runner.invoke(cli, ["register", "--kiem-tra", str(out), "--so-dang-ky", location])
    assert check.exit_code == 1
    assert "KHÔNG KHỚP" in check.output


def test_text_that_cannot_be_printed_is_shown_escaped_not_a_crash(tmp_path: Path) -> None:
    # An older vanban let a clerk store control and bidirectional characters in a note.
    location = str(tmp_path / "r.sqlite")
    with Register(location) as reg:
        reg.allocate(SeriesKey(BODY, "2026", ""), date(2026, 1, 5), lambda so: f"{so:02d}/QĐ-UBND",
                     state=ISSUED, details=Details(
                         ten_loai_trich_yeu="Quyết định\x0b thử", nguoi_ky="Nguyễn\ufffe Văn Hòa",
                         ghi_chu="a\x1bb; ch\x07ờ; \u202eđảo"))
    for fmt in ("docx", "pdf", "csv"):
        path, count, _ = print_register(tmp_path / f"so.{fmt}", register=location)
        assert count == 1
    row = csv_rows(tmp_path / "so.csv")[1]
    assert row[9] == "a\\x1bb; ch\\x07ờ; \\u202eđảo"
    assert row[2] == "Quyết định\\x0b thử"
    (table,) = docx.Document(str(tmp_path / "so.docx")).tables
    assert table.rows[2].cells[9].text == "a\\x1bb; ch\\x07ờ; \\u202eđảo"
    assert table.rows[2].cells[3].text == "Nguyễn\\ufffe Văn Hòa"


def test_a_year_out_of_range_is_refused_in_vietnamese(tmp_path: Path) -> None:
    from vanban.errors import VanbanError

    for nam in (0, -5, 10000, 99999999999999999999):
        with pytest.raises(VanbanError, match=f"năm {nam} không hợp lệ"):
            Period.year(nam)
    location = str(tmp_path / "r.sqlite")
    fill(location)
    result = CliRunner().invoke(cli, ["register", "-o", str(tmp_path / "x.csv"), "--nam", "0",
                                      "--so-dang-ky", location])
    assert result.exit_code == 1, result.output
    assert result.output == "Lỗi: năm 0 không hợp lệ; sổ đăng ký chỉ nhận năm từ 1945 đến 2100\n"
    assert not (tmp_path / "x.csv").exists()


def test_a_missing_register_is_not_printed_empty(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["register", "-o", str(tmp_path / "so.csv"),
                                      "--so-dang-ky", str(tmp_path / "typo.sqlite")])
    assert result.exit_code == 1
    assert result.output == f"Lỗi: không tìm thấy sổ đăng ký {tmp_path / 'typo.sqlite'}\n"
    assert sorted(tmp_path.iterdir()) == []


def test_a_printout_named_by_a_folder_or_without_a_format_is_refused(tmp_path: Path) -> None:
    import sqlite3

    reg = tmp_path / "r.sqlite"
    sqlite3.connect(reg).close()  # there, so that only the output is at fault
    runner = CliRunner()
    for out, said in ((tmp_path, "là một thư mục; hãy cho tên tệp sổ in"),
                      (tmp_path / "so", "chưa rõ định dạng sổ in")):
        result = runner.invoke(cli, ["register", "-o", str(out), "--so-dang-ky", str(reg)])
        assert result.exit_code == 1, result.output
        assert said in result.output
    assert not (tmp_path / "so").exists()


# -- one book per body and numbering period ------------------------------------------------------


def covers(path: Path) -> list[list[str]]:
    """Return the lines of each cover of the printed register `path` (DOCX), in order."""
    out: list[list[str]] = [[]]
    for p in docx.Document(str(path)).paragraphs:
        if p.text:
            out[-1].append(p.text)
        if p.text.startswith("Quyển số:"):  # the cover's last line
            out.append([])
    return out[:-1]


def test_each_year_is_a_book_of_its_own_with_its_own_cover(tmp_path: Path) -> None:
    location = str(tmp_path / "r.sqlite")
    fill(location)  # 01–03/QĐ-UBND of 2026, then 01/QĐ-UBND of 2027
    path = print_register(tmp_path / "so.docx", register=location)[0]
    head = ["UBND HUYỆN NÔNG CỐNG", BODY, "SỔ ĐĂNG KÝ VĂN BẢN ĐI"]
    assert covers(path) == [
        [*head, "Năm: 2026", "Từ ngày 05/01/2026 đến ngày 01/03/2026",
         "Từ số 01/QĐ-UBND đến số 03/QĐ-UBND", "Quyển số: 01"],
        [*head, "Năm: 2027", "Từ ngày 02/01/2027 đến ngày 02/01/2027",
         "Từ số 01/QĐ-UBND đến số 01/QĐ-UBND", "Quyển số: 01"],
    ]
    tables = docx.Document(str(path)).tables
    assert [[r.cells[0].text for r in t.rows[2:]] for t in tables] == [
        ["01/QĐ-UBND", "02/QĐ-UBND", "03/QĐ-UBND"], ["01/QĐ-UBND"]]
    # A range across the new year: each book's dates are the range within its year.
    ranged = print_register(tmp_path / "b.docx", period=Period(date(2026, 2, 1), date(2027, 6, 30)),
                            register=location)[0]
    assert [c[4] for c in covers(ranged)] == ["Từ ngày 01/02/2026 đến ngày 31/12/2026",
                                              "Từ ngày 01/01/2027 đến ngày 30/06/2027"]


def test_the_pdf_prints_each_year_as_its_own_book(tmp_path: Path) -> None:
    location = str(tmp_path / "r.sqlite")
    fill(location)
    path = print_register(tmp_path / "so.pdf", register=location)[0]
    words = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert words.count("SỔ ĐĂNG KÝ VĂN BẢN ĐI") == 2
    assert "Năm: 2026\n" in words
    assert "Năm: 2027\n" in words
    assert "2026, 2027" not in words


def test_the_csv_is_one_table_whose_last_column_tells_the_books_apart(tmp_path: Path) -> None:
    location = str(tmp_path / "r.sqlite")
    fill(location)
    rows = csv_rows(print_register(tmp_path / "so.csv", register=location)[0])
    assert rows[0][10:] == ["Cơ quan ban hành", "Trạng thái", "Năm, nhiệm kỳ"]
    assert [(r[0], r[10], r[12]) for r in rows[1:]] == [
        ("01/QĐ-UBND", BODY, "2026"), ("02/QĐ-UBND", BODY, "2026"), ("03/QĐ-UBND", BODY, "2026"),
        ("01/QĐ-UBND", BODY, "2027")]


def test_a_party_book_runs_through_its_term_and_its_cover_says_so(tmp_path: Path) -> None:
    location = str(tmp_path / "r.sqlite")
    term = SeriesKey("ĐẢNG ỦY XÃ TÂN THỌ", "nhiệm kỳ 2025–2030 (từ 2025-10-15)", "QĐ")
    with Register(location) as reg:
        for day in (date(2025, 12, 30), date(2026, 1, 6)):
            reg.allocate(term, day, lambda so: f"{so:02d}-QĐ/ĐU", state=ISSUED)
    path = print_register(tmp_path / "so.docx", register=location)[0]
    assert covers(path) == [
        ["ĐẢNG ỦY XÃ TÂN THỌ", "SỔ ĐĂNG KÝ VĂN BẢN ĐI", "Nhiệm kỳ: 2025–2030 (từ ngày 15/10/2025)",
         "Từ ngày 30/12/2025 đến ngày 06/01/2026", "Từ số 01-QĐ/ĐU đến số 02-QĐ/ĐU",
         "Quyển số: 01"]]
    year = print_register(tmp_path / "nam.docx", period=Period.year(2026), register=location)[0]
    assert covers(year)[0][2:4] == ["Nhiệm kỳ: 2025–2030 (từ ngày 15/10/2025)",
                                    "Từ ngày 01/01/2026 đến ngày 31/12/2026"]
    rows = csv_rows(print_register(tmp_path / "so.csv", register=location)[0])
    assert {r[12] for r in rows[1:]} == {"Nhiệm kỳ 2025–2030 (từ ngày 15/10/2025)"}
