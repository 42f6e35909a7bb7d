"""The printed register: NĐ 30 Phụ lục IV (sổ đăng ký văn bản đi) as DOCX, PDF or CSV.

An electronic register is printed in the paper form and bound as a book (Điều 16). One book
per issuing body and numbering period: numbers start again from 01 with each period (Điều 15:
the calendar year; a Party body's term of office when its dossier numbers by term, see
:mod:`vanban.issuing.series`), so a printout spanning two years holds two books, never one
book with two 01s. Each book: a cover page (parent body, body, title, "Năm: 2026" or
"Nhiệm kỳ: 2025–2030 (từ ngày …)", from date … to date, from number … to number, volume),
then the ten-column table, its heading repeated on every page. The table is wide: **A4
landscape** (older rules used A3, issuing.md §2 *(check)*), margins 2 cm, Times New Roman
11 pt in the table. The PDF is made from the DOCX by vanban's own DOCX → PDF path
(:func:`vanban.render.pdf.docx_to_pdf`), like every other document.

CSV: one file, one row per entry, the number and symbol first, UTF-8 with a byte-order mark so
that spreadsheet programs read the Vietnamese letters. It stays one table (to sort, filter and
sum in a spreadsheet); the books are told apart by the last columns: the issuing body and the
period (``2026``, or ``Nhiệm kỳ 2025–2030 (từ ngày 01/01/2025)``), its rows in book order.

Reserved and cancelled numbers keep their rows, with the reason in column 10 (Ghi chú).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby
from pathlib import Path
from typing import Any

from vanban import text
from vanban.errors import OutputError, VanbanError
from vanban.issuing.register import (
    CANCELLED,
    DEFAULT_TIMEOUT,
    ISSUED,
    Entry,
    Register,
    check_year,
)
from vanban.issuing.series import period_dates
from vanban.output import write_all

#: Output formats of the printed register.
FORMATS = ("docx", "pdf", "csv")

#: The ten columns of Phụ lục IV.
COLUMNS = (
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)
#: Column widths in centimetres (they fill the 25.7 cm between the landscape margins).
WIDTHS_CM = (2.9, 2.0, 5.7, 2.6, 4.0, 2.2, 1.4, 1.6, 1.6, 1.7)


@dataclass(frozen=True)
class Period:
    """The dates printed: a year, or from one date to another."""

    tu: date | None = None
    den: date | None = None

    @classmethod
    def year(cls, nam: int) -> Period:
        """Return the calendar year `nam` (refused outside the register's years)."""
        check_year(nam)
        return cls(date(nam, 1, 1), date(nam, 12, 31))


def _note(entry: Entry) -> str:
    note = entry.details.ghi_chu
    if entry.trang_thai not in (ISSUED, CANCELLED) and not note:
        note = entry.trang_thai_ten.capitalize()
    return note


def _row(entry: Entry) -> list[str]:
    """Return the ten columns of `entry`; a character that cannot be printed (a control
    character stored by an older vanban) is shown escaped (``\\x1b``), never printed raw."""
    d = entry.details
    cells = [entry.so_ky_hieu, f"{entry.ngay:%d/%m/%Y}", d.ten_loai_trich_yeu, d.nguoi_ky,
             d.noi_nhan, d.luu, "" if d.so_ban is None else str(d.so_ban), "", "", _note(entry)]
    return [_shown(cell) for cell in cells]


def _shown(value: str) -> str:
    """Return `value` fit for the printed register: :func:`vanban.text.visible`, and the two
    noncharacters XML refuses escaped too."""
    return text.visible(value).replace("\ufffe", "\\ufffe").replace("\uffff", "\\uffff")


def _book_period(ky: str, entries: Sequence[Entry] = ()) -> tuple[str, str]:
    """Return how the cover names the numbering period `ky` of a book: ``("Năm", "2026")`` or
    ``("Nhiệm kỳ", "2025–2030 (từ ngày 01/01/2025)")``. A period vanban does not know (not
    written by :func:`vanban.issuing.series.series_key`) is named by its entries' years."""
    dates = period_dates(ky)
    if dates is None:
        years = sorted({e.ngay.year for e in entries})
        return "Năm", ", ".join(str(y) for y in years) or _shown(ky)
    first, last, term = dates
    if not term:
        return "Năm", str(first.year)
    return "Nhiệm kỳ", f"{first.year}–{(last + timedelta(days=1)).year} (từ ngày {first:%d/%m/%Y})"


def _books(entries: Sequence[Entry]) -> list[tuple[str, str, list[Entry]]]:
    """Return the books of `entries` (in the register's order: by body, period, group and
    number): each issuing body's entries of one numbering period."""
    return [(body, ky, list(group))
            for (body, ky), group in groupby(entries, key=lambda e: (e.co_quan, e.ky))]


def to_csv(entries: Sequence[Entry]) -> bytes:
    """Return the entries as CSV: the ten columns, then the issuing body, the state and the
    book's period (its year, or its term of office)."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow([*COLUMNS, "Cơ quan ban hành", "Trạng thái", "Năm, nhiệm kỳ"])
    for _, ky, book in _books(entries):
        label, value = _book_period(ky, book)
        period = value if label == "Năm" else f"{label} {value}"
        for e in book:
            out.writerow([*_row(e), _shown(e.co_quan), e.trang_thai_ten, period])
    return buf.getvalue().encode("utf-8-sig")


def _cell_text(cell: Any, text: str, *, bold: bool = False, size: float = 11,
               align: str = "left") -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    para = cell.paragraphs[0]
    para.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT,
                      "center": WD_ALIGN_PARAGRAPH.CENTER}[align]
    para.paragraph_format.space_after = Pt(0)
    run = para.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def _repeat_heading(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _line(doc: Any, text: str, *, bold: bool = False, size: float = 13, before: float = 0,
          italic: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.space_before = Pt(before)
    para.paragraph_format.space_after = Pt(0)
    run = para.add_run(text)
    run.bold = bold
    run.italic = italic
    run.font.size = Pt(size)


def _cover(doc: Any, body: str, ky: str, entries: list[Entry], period: Period,
           volume: int) -> None:
    """Write the cover of the book of `body`'s entries numbered in period `ky`. Its dates are
    the printed `period` within the book's own (a printout from 1/7/2026 to 30/6/2027 holds a
    book from 1/7 to 31/12/2026 and one from 1/1 to 30/6/2027), or else its entries' dates."""
    cap_tren = _shown(
        next((e.details.cap_tren for e in reversed(entries) if e.details.cap_tren), ""))
    body = _shown(body)
    first, last = entries[0], entries[-1]
    label, value = _book_period(ky, entries)
    dates = period_dates(ky)
    tu, den = period.tu or first.ngay, period.den or last.ngay
    if dates is not None and period.tu:
        tu = max(tu, dates[0])
    if dates is not None and period.den:
        den = min(den, dates[1])
    if cap_tren:
        _line(doc, text.viet_hoa(cap_tren))
    _line(doc, text.viet_hoa(body), bold=True)
    _line(doc, "SỔ ĐĂNG KÝ VĂN BẢN ĐI", bold=True, size=20, before=110)
    _line(doc, f"{label}: {value}", bold=True, size=14, before=24)
    _line(doc, f"Từ ngày {tu:%d/%m/%Y} đến ngày {den:%d/%m/%Y}", size=14, before=12)
    _line(doc, f"Từ số {_shown(first.so_ky_hieu)} đến số {_shown(last.so_ky_hieu)}",
          size=14, before=6)
    _line(doc, f"Quyển số: {volume:02d}", size=14, before=6)


def _table(doc: Any, entries: list[Entry]) -> None:
    from docx.shared import Cm

    table = doc.add_table(rows=2, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.autofit = False
    for col, width in zip(table.columns, WIDTHS_CM, strict=True):
        col.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, WIDTHS_CM, strict=True):
            cell.width = Cm(width)
    for i, (title, cell) in enumerate(zip(COLUMNS, table.rows[0].cells, strict=True)):
        _cell_text(cell, title, bold=True, align="center")
        _cell_text(table.rows[1].cells[i], f"({i + 1})", size=10, align="center")
    _repeat_heading(table.rows[0])
    _repeat_heading(table.rows[1])
    for entry in entries:
        cells = table.add_row().cells
        for i, (value, cell) in enumerate(zip(_row(entry), cells, strict=True)):
            cell.width = Cm(WIDTHS_CM[i])
            _cell_text(cell, value, align="center" if i in (0, 1, 6) else "left")


def to_docx(entries: Sequence[Entry], period: Period = Period()) -> bytes:
    """Return the Phụ lục IV register of `entries`: per issuing body and numbering period
    (each book), a cover and the table."""
    import docx
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Cm, Pt

    doc = docx.Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    doc.core_properties.title = "Sổ đăng ký văn bản đi"
    doc.core_properties.language = "vi-VN"
    books = _books(entries)
    if not books:
        _line(doc, "SỔ ĐĂNG KÝ VĂN BẢN ĐI", bold=True, size=20)
        _line(doc, "(không có văn bản nào trong khoảng thời gian này)", italic=True, before=12)
    for n, (body, ky, group) in enumerate(books):
        # Each cover and each table starts a page: a new section (a section break is the page
        # break both Word and vanban's PDF path honour before a table).
        if n:
            doc.add_section(WD_SECTION.NEW_PAGE)
        _cover(doc, body, ky, group, period, 1)
        doc.add_section(WD_SECTION.NEW_PAGE)
        _table(doc, group)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def render(entries: Sequence[Entry], fmt: str, period: Period = Period()) -> tuple[bytes, list[str]]:
    """Return the register of `entries` in format `fmt`, and the PDF engine's warnings."""
    if fmt == "csv":
        return to_csv(entries), []
    docx = to_docx(entries, period)
    if fmt == "docx":
        return docx, []
    from vanban.render.pdf import docx_to_pdf

    result = docx_to_pdf(docx)
    return result.pdf, list(result.warnings)


def print_register(
    out: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    period: Period = Period(),
    register: str | os.PathLike[str] | None = None,
    force: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> tuple[Path, int, list[str]]:
    """Write the register's entries dated within `period` to `out` as `fmt` (default: from
    the file's extension). Return the path, the number of entries and the warnings."""
    path = Path(out)
    if path.is_dir():
        raise OutputError(f"{path} là một thư mục; hãy cho tên tệp sổ in, ví dụ {path / 'so.pdf'}")
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if not chosen:
        raise VanbanError(f"{path}: chưa rõ định dạng sổ in; đặt tên tệp có đuôi "
                          f"{', '.join('.' + f for f in FORMATS)} hoặc dùng --format")
    if chosen not in FORMATS:
        raise VanbanError(f"định dạng sổ '{chosen}' không hợp lệ; chỉ nhận: {', '.join(FORMATS)}")
    with Register(register, timeout=timeout, create=False) as reg:
        entries = reg.entries(period.tu, period.den)
    data, warnings = render(entries, chosen, period)
    write_all([(path, data)], force=force)
    return path, len(entries), warnings
