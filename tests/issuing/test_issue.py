"""Issuing a dossier's documents: the number and date in the files, and the register's entry."""

from __future__ import annotations

import hashlib
import subprocess
from datetime import date
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from tests import dossiers
from vanban.cli import cli
from vanban.errors import NumberingError, OutputError, UnknownKindError
from vanban.issuing.issue import issue, reserve
from vanban.issuing.lookup import lookup_file
from vanban.issuing.register import CANCELLED, ISSUED, RESERVED, Register

DECISION = "quyet-dinh-thanh-lap-ban-dieu-hanh"
ADOPTING = "quyet-dinh-ban-hanh-quy-che"


def docx_text(path: Path) -> str:
    """Return every paragraph of a DOCX, tables included, one per line."""
    doc = docx.Document(str(path))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                lines += [p.text for p in cell.paragraphs]
    return "\n".join(lines)


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         check=True, text=True)
    return " ".join(out.stdout.split())


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sample() -> dict:
    """Return the 2025 sample without its training (whose Markdown files stay behind)."""
    data = dossiers.sample("trung-chinh-2025")
    data.pop("tap_huan", None)
    return data


@pytest.fixture
def hoso(tmp_path: Path) -> Path:
    return dossiers.write(tmp_path, sample())


def test_issued_decisions_carry_their_number_and_date_and_the_quy_che_cites_it(
        hoso: Path, tmp_path: Path, register_location: str) -> None:
    out = tmp_path / "out"
    result = issue(hoso, out, only=[DECISION, "quy-che"], ngay=date(2026, 3, 2),
                   register=register_location)
    first, second = (i.entry for i in result.issued)
    assert (first.so_ky_hieu, second.so_ky_hieu) == ("01/QĐ-UBND", "02/QĐ-UBND")
    assert "Số: 01/QĐ-UBND" in docx_text(out / f"{DECISION}.docx")
    adopting = docx_text(out / f"{ADOPTING}.docx")
    assert "Số: 02/QĐ-UBND" in adopting
    assert "ngày 02 tháng 3 năm 2026" in adopting
    assert "Căn cứ Quyết định số 01/QĐ-UBND ngày 02/3/2026" in adopting
    assert "(Kèm theo Quyết định số 02/QĐ-UBND ngày 02 tháng 3 năm 2026" in docx_text(
        out / "quy-che.docx")
    assert "Kèm theo Quyết định số 02/QĐ-UBND" in pdf_text(out / "quy-che.pdf")
    assert "Số: 02/QĐ-UBND" in pdf_text(out / f"{ADOPTING}.pdf")
    # The entry: its columns, and every file it wrote with the file's real SHA-256.
    assert second.trang_thai == ISSUED
    assert second.details.ten_loai_trich_yeu.startswith("Quyết định ban hành Quy chế")
    assert second.details.nguoi_ky
    assert second.details.luu
    assert second.details.so_ban == len(second.details.noi_nhan.split("; ")) + len(
        second.details.luu.split(","))
    assert second.identity is not None
    assert second.identity.ho_so == str(hoso.resolve())
    names = sorted(Path(f.duong_dan).name for f in second.files)
    assert names == sorted(f"{n}.{x}" for n in (ADOPTING, "quy-che") for x in ("docx", "pdf"))
    for rec in [*first.files, *second.files]:
        assert sha(Path(rec.duong_dan)) == rec.sha256


def test_issuing_again_returns_the_existing_entry_and_writes_nothing(
        hoso: Path, tmp_path: Path, register_location: str) -> None:
    out = tmp_path / "out"
    first = issue(hoso, out, only=["bien-ban"], ngay=date(2026, 1, 10),
                  register=register_location).issued
    stamps = {p: p.stat().st_mtime_ns for i in first for p in i.files}
    again = issue(hoso, tmp_path / "elsewhere", only=["bien-ban"], ngay=date(2026, 2, 1),
                  register=register_location).issued
    assert [i.existing for i in again] == [True, True]
    assert [i.entry for i in again] == [i.entry for i in first]
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps
    assert not (tmp_path / "elsewhere").exists()
    with Register(register_location) as reg:
        assert [e.so_ky_hieu for e in reg.entries()] == ["01/BB-UBND", "02/BB-UBND"]


def test_the_adopting_decision_waits_for_the_decision_it_cites(
        hoso: Path, tmp_path: Path) -> None:
    reg = tmp_path / "reg.sqlite"
    with pytest.raises(NumberingError, match=f"hãy cấp số nó trước: .*--only {DECISION}"):
        issue(hoso, tmp_path / "out", only=[ADOPTING], register=reg)
    with Register(reg) as r:
        assert r.entries() == []
    assert not (tmp_path / "out").exists()


def test_minutes_are_not_entered_before_their_meeting(hoso: Path, tmp_path: Path) -> None:
    reg = tmp_path / "reg.sqlite"
    with pytest.raises(NumberingError, match="chưa diễn ra"):
        issue(hoso, tmp_path / "out", only=["bien-ban"], ngay=date(2025, 1, 1), register=reg)
    with Register(reg) as r:
        assert r.entries() == []


def test_only_numbered_documents_can_be_issued(hoso: Path, tmp_path: Path) -> None:
    with pytest.raises(UnknownKindError, match="tai-lieu-chuyen-de"):
        issue(hoso, tmp_path / "out", only=["tai-lieu-chuyen-de"], register=tmp_path / "r")


def test_existing_files_are_refused_before_a_number_is_taken(hoso: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{DECISION}.pdf").write_bytes(b"old")
    with pytest.raises(OutputError, match="--force"):
        issue(hoso, out, only=[DECISION], register=tmp_path / "reg.sqlite")
    with Register(tmp_path / "reg.sqlite") as r:
        assert r.entries() == []


def test_a_party_body_numbers_its_minutes_in_its_own_series(hoso: Path, tmp_path: Path) -> None:
    data = sample()
    data["cuoc_hop"][1]["co_quan"] = "dang_uy_xa"
    path = dossiers.write(tmp_path, data)
    out = tmp_path / "out"
    issued = issue(path, out, only=["bien-ban"], ngay=date(2026, 1, 10),
                   register=tmp_path / "reg.sqlite").issued
    state, party = (i.entry for i in issued)
    assert (state.so_ky_hieu, party.so_ky_hieu) == ("01/BB-UBND", "01-BB/ĐU")
    assert party.ky.startswith("nhiệm kỳ 2025–2030")
    assert party.nhom == "BB"
    name = data["cuoc_hop"][1]["ma"]
    assert "Số 01-BB/ĐU" in docx_text(out / f"bien-ban-{name}.docx")


def test_a_reserved_number_goes_to_its_document(hoso: Path, tmp_path: Path) -> None:
    reg = tmp_path / "reg.sqlite"
    held = reserve(hoso, only=[DECISION], ngay=date(2026, 4, 1), ghi_chu="chờ ký",
                   register=reg)
    assert [(e.so_ky_hieu, e.trang_thai) for e in held] == [("01/QĐ-UBND", RESERVED)]
    issue(hoso, tmp_path / "b", only=["bien-ban"], ngay=date(2026, 4, 2), register=reg)
    done = issue(hoso, tmp_path / "a", only=[DECISION], register=reg).issued[0].entry
    assert (done.so_ky_hieu, done.ngay, done.trang_thai) == ("01/QĐ-UBND", date(2026, 4, 1),
                                                             ISSUED)
    assert "ngày 01 tháng 4 năm 2026" in docx_text(tmp_path / "a" / f"{DECISION}.docx")


def test_a_file_is_found_in_the_register_until_its_bytes_change(
        hoso: Path, tmp_path: Path, register_location: str) -> None:
    out = tmp_path / "out"
    entry = issue(hoso, out, only=[DECISION], ngay=date(2026, 3, 2),
                  register=register_location).issued[0].entry
    pdf = out / f"{DECISION}.pdf"
    assert [e.id for e in lookup_file(pdf, register_location).entries] == [entry.id]
    pdf.write_bytes(pdf.read_bytes() + b"\n")
    assert not lookup_file(pdf, register_location).found


def test_the_clerks_commands(hoso: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    reg = str(tmp_path / "reg.sqlite")
    out = tmp_path / "out"
    base = ["--so-dang-ky", reg]
    result = runner.invoke(cli, ["cap-so", str(hoso), "-o", str(out), "--only", DECISION,
                                 "--ngay", "2/3/2026", *base])
    assert result.exit_code == 0, result.output
    assert "Đã cấp số 01/QĐ-UBND ngày 02/03/2026: Quyết định về việc thành lập" in result.output
    again = runner.invoke(cli, ["issue", str(hoso), "-o", str(out), "--only", DECISION, *base])
    assert again.exit_code == 0
    assert "Đã có số 01/QĐ-UBND" in again.output
    early = runner.invoke(cli, ["issue", str(hoso), "-o", str(out), "--only", "bien-ban",
                                "--ngay", "2026-03-01", *base])
    assert early.exit_code == 1
    assert early.output.startswith("Lỗi: ngày 01/03/2026 sớm hơn ngày 02/03/2026")
    bad_date = runner.invoke(cli, ["issue", str(hoso), "--ngay", "31/2/2026", *base])
    assert bad_date.exit_code == 2
    found = runner.invoke(cli, ["tra-cuu", str(out / f"{DECISION}.docx"), *base])
    assert found.exit_code == 0
    assert "khớp 01/QĐ-UBND ngày 02/03/2026 (đã cấp)" in found.output
    cancelled = runner.invoke(cli, ["huy-so", "01/QĐ-UBND", "--ly-do", "ký nhầm", *base])
    assert cancelled.exit_code == 0, cancelled.output
    with Register(reg) as r:
        assert r.entries()[0].trang_thai == CANCELLED
    missing = runner.invoke(cli, ["tra-cuu", str(hoso), *base])
    assert missing.exit_code == 1
    assert "KHÔNG KHỚP" in missing.output


def test_a_lost_file_is_written_again_identical_and_a_changed_dossier_writes_nothing(
        hoso: Path, tmp_path: Path) -> None:
    reg = tmp_path / "reg.sqlite"
    out = tmp_path / "out"
    first = issue(hoso, out, only=[DECISION], ngay=date(2026, 3, 2), register=reg).issued[0]
    pdf = out / f"{DECISION}.pdf"
    issued = pdf.read_bytes()
    pdf.unlink()
    again = issue(hoso, tmp_path / "x", only=[DECISION], register=reg).issued[0]
    assert again.existing
    assert again.restored == [pdf]
    assert pdf.read_bytes() == issued
    assert again.entry == first.entry
    # The dossier changed after issue: the rebuilt file would differ, so it is not written.
    data = sample()
    data["quyet_dinh_thanh_lap"]["trich_yeu"] = "Về việc khác"
    dossiers.write(tmp_path, data)
    pdf.unlink()
    result = issue(hoso, tmp_path / "x", only=[DECISION], register=reg)
    assert result.issued[0].restored == []
    assert not pdf.exists()
    assert any("không còn giống bản đã cấp" in w for w in result.warnings)
