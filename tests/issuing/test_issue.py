"""Issuing a dossier's documents: the number and date in the files, and the register's entry."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from tests import dossiers
from vanban.cli import cli
from vanban.errors import NumberingError, OutputError, UnknownKindError
from vanban.issuing.issue import cancel, issue, reserve
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


def test_force_never_replaces_another_documents_issued_original(hoso: Path, tmp_path: Path
                                                                 ) -> None:
    """Issued files have the same names in every dossier: a second dossier issued into the
    same folder with --force used to replace the first one's original, and issuing the
    first again did not notice."""
    reg, out = tmp_path / "reg.sqlite", tmp_path / "out"
    issue(hoso, out, only=[DECISION], ngay=date(2026, 3, 2), register=reg)
    original = (out / f"{DECISION}.pdf").read_bytes()
    other = sample()
    other["dia_ban"]["xa"] = "Xuân Lập"
    (tmp_path / "khac").mkdir()
    second = dossiers.write(tmp_path / "khac", other)
    with pytest.raises(OutputError, match=r"là bản gốc của văn bản số 01/QĐ-UBND ngày "
                                          r"02/03/2026 đã cấp; không ghi đè, kể cả với --force"):
        issue(second, out, only=[DECISION], ngay=date(2026, 3, 2), register=reg, force=True)
    assert (out / f"{DECISION}.pdf").read_bytes() == original
    with Register(reg) as r:
        assert [e.so_ky_hieu for e in r.entries()] == ["01/QĐ-UBND"]
    # A file changed after issue is told when the first dossier is issued again.
    (out / f"{DECISION}.docx").write_bytes(b"sua tay")
    again = issue(hoso, out, only=[DECISION], register=reg)
    assert any("không còn là bản đã cấp số 01/QĐ-UBND" in w for w in again.warnings)


def test_a_moved_dossier_gets_its_number_back_and_a_copy_beside_it_is_refused(
        tmp_path: Path) -> None:
    """The register knows a document by its dossier file: moved or renamed, the dossier used
    to get a second number for the same decision."""
    reg = tmp_path / "reg.sqlite"
    first = tmp_path / "ho-so"
    first.mkdir()
    hoso = dossiers.write(first, sample())
    issued = issue(hoso, tmp_path / "out", only=[DECISION], ngay=date(2026, 3, 2),
                   register=reg).issued[0]
    copy = tmp_path / "ban-sao"
    shutil.copytree(first, copy)
    with pytest.raises(NumberingError, match=r"sổ đã có văn bản này \(cùng cơ quan, cùng trích "
                                             r"yếu\): số 01/QĐ-UBND ngày 02/03/2026, cấp từ hồ sơ"):
        issue(copy / "hoso.yaml", tmp_path / "out2", only=[DECISION], ngay=date(2026, 3, 2),
              register=reg)
    moved = tmp_path / "ho-so-trung-chinh"
    first.rename(moved)
    again = issue(moved / "hoso.yaml", tmp_path / "out3", only=[DECISION], register=reg)
    assert again.issued[0].existing
    assert again.issued[0].entry.so_ky_hieu == issued.entry.so_ky_hieu
    assert any("hồ sơ đã chuyển từ" in w for w in again.warnings)
    with Register(reg) as r:
        assert [e.so_ky_hieu for e in r.entries()] == ["01/QĐ-UBND"]
        (entry,) = r.entries()
    assert entry.identity is not None
    assert entry.identity.ho_so == str((moved / "hoso.yaml").resolve())
    # Another document of the same kind (another trích yếu) still gets its own number.
    other = sample()
    other["quyet_dinh_thanh_lap"]["trich_yeu"] = "Về việc thành lập Ban điều hành khác"
    (tmp_path / "khac").mkdir()
    second = issue(dossiers.write(tmp_path / "khac", other), tmp_path / "out4",
                   only=[DECISION], ngay=date(2026, 3, 2), register=reg)
    assert second.issued[0].entry.so_ky_hieu == "02/QĐ-UBND"


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
    # typed as a clerk types it: no leading zero, lower case
    cancelled = runner.invoke(cli, ["huy-so", "1/qđ-ubnd", "--ly-do", "ký nhầm", *base])
    assert cancelled.exit_code == 0, cancelled.output
    with Register(reg) as r:
        assert r.entries()[0].trang_thai == CANCELLED
    twice = runner.invoke(cli, ["huy-so", "01/QĐ-UBND", "--ly-do", "ký nhầm", *base])
    assert twice.exit_code == 1
    assert "Lỗi: số 01/QĐ-UBND đã hủy trước đó; không hủy lại" in twice.output
    # a file that is not a register, given as one, is named so (not "damaged: restore it")
    stray = runner.invoke(cli, ["tra-cuu", str(hoso), "--so-dang-ky",
                                str(out / f"{DECISION}.pdf")])
    assert stray.exit_code == 1
    assert "không phải tệp sổ đăng ký (SQLite) của vanban" in stray.output
    assert "sao lưu" not in stray.output
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


# -- all or nothing -----------------------------------------------------------------------------


def _state(location: str | Path) -> list[tuple[str, str, date, str]]:
    with Register(location) as r:
        return [(e.so_ky_hieu, e.trang_thai, e.ngay, e.details.ghi_chu) for e in r.entries()]


def test_a_refused_document_leaves_the_register_and_the_folder_as_they_were(
        hoso: Path, tmp_path: Path, register_location: str) -> None:
    # Decisions first, then minutes whose meeting is after the date: nothing is issued.
    out = tmp_path / "out"
    issue(hoso, tmp_path / "first", only=[DECISION], ngay=date(2025, 10, 1),
          register=register_location)
    before = _state(register_location)
    with pytest.raises(NumberingError, match="chưa diễn ra"):
        issue(hoso, out, ngay=date(2025, 10, 8), register=register_location)
    assert _state(register_location) == before
    assert not out.exists()
    # The next issue takes the very next number.
    done = issue(hoso, out, only=["quy-che"], ngay=date(2025, 10, 8), register=register_location)
    assert done.issued[0].entry.so_ky_hieu == "02/QĐ-UBND"


def test_a_failure_after_numbers_are_taken_gives_them_back_and_writes_no_file(
        hoso: Path, tmp_path: Path, register_location: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import vanban.build

    held = reserve(hoso, only=[DECISION], ngay=date(2026, 3, 2), ghi_chu="chờ ký",
                   register=register_location)
    before = _state(register_location)
    real, calls = vanban.build.render, []

    def render(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 3:
            raise OutputError("hỏng giữa chừng")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(vanban.build, "render", render)
    out = tmp_path / "out"
    with pytest.raises(OutputError, match="hỏng giữa chừng"):
        issue(hoso, out, ngay=date(2026, 3, 2), register=register_location)
    assert len(calls) == 3
    # The reserved number is reserved again, as it was; the numbers taken after it are gone.
    assert _state(register_location) == before
    with Register(register_location) as r:
        assert r.get(held[0].id).trang_thai == RESERVED
    assert not out.exists() or not list(out.iterdir())


def test_files_that_cannot_all_be_written_leave_none_and_no_number(
        hoso: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import os

    from vanban import output

    reg = tmp_path / "reg.sqlite"
    real = os.replace
    placed: list[str] = []

    def replace(src: str, dst: str) -> None:  # one file put in place, then the disk fails
        if placed:
            raise OSError(errno.ENOSPC, "No space left on device", src, None, dst)
        real(src, dst)
        placed.append(dst)

    monkeypatch.setattr(output.os, "replace", replace)
    with pytest.raises(OutputError, match="đầy"):
        issue(hoso, tmp_path / "out", only=[DECISION, "quy-che"], ngay=date(2026, 3, 2),
              register=reg)
    assert _state(reg) == []
    assert list((tmp_path / "out").iterdir()) == []


def test_reserving_is_all_or_nothing(hoso: Path, tmp_path: Path) -> None:
    reg = tmp_path / "reg.sqlite"
    issue(hoso, tmp_path / "out", only=["bien-ban"], ngay=date(2026, 3, 2), register=reg)
    before = _state(reg)
    with pytest.raises(NumberingError, match="không được cấp hai số"):
        reserve(hoso, only=[DECISION, "bien-ban"], ngay=date(2026, 3, 2), register=reg)
    assert _state(reg) == before


def test_a_date_far_ahead_of_today_is_refused(hoso: Path, tmp_path: Path) -> None:
    from datetime import timedelta

    reg = tmp_path / "reg.sqlite"
    for far in (date.today() + timedelta(days=30), date(9999, 12, 31)):
        with pytest.raises(NumberingError, match="quá xa hôm nay"):
            issue(hoso, tmp_path / "out", only=[DECISION], ngay=far, register=reg)
        with pytest.raises(NumberingError, match="quá xa hôm nay"):
            reserve(hoso, only=[DECISION], ngay=far, register=reg)
    with pytest.raises(NumberingError, match="từ năm 1945"):
        issue(hoso, tmp_path / "out", only=[DECISION], ngay=date(1, 1, 1), register=reg)
    assert not (tmp_path / "out").exists()
    assert not reg.exists() or _state(reg) == []
    soon = date.today() + timedelta(days=3)
    entry = issue(hoso, tmp_path / "out", only=[DECISION], ngay=soon,
                  register=reg).issued[0].entry
    assert entry.ngay == soon
    result = CliRunner().invoke(cli, ["issue", str(hoso), "-o", str(tmp_path / "x"),
                                      "--ngay", "31/12/9999", "--so-dang-ky", str(reg)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "quá xa hôm nay" in result.output


# -- what a clerk types into the register -------------------------------------------------------


@pytest.mark.parametrize(("typed", "said"), [
    ("a\x1bb", "ký tự điều khiển U+001B"),
    ("ch\x07ờ", "ký tự điều khiển U+0007"),
    ("a\u202eb", "ký tự đảo chiều văn bản U+202E"),
    ("\u200b", "ký tự vô hình"),
    ("x " * 8000, "quá giới hạn 500 ký tự"),
])
def test_notes_and_reasons_with_control_characters_or_too_long_are_refused(
        hoso: Path, tmp_path: Path, typed: str, said: str) -> None:
    reg = tmp_path / "reg.sqlite"
    issue(hoso, tmp_path / "out", only=[DECISION], ngay=date(2026, 3, 2), register=reg)
    before = _state(reg)
    with pytest.raises(NumberingError, match=re.escape(said)):
        reserve(hoso, only=["bien-ban"], ngay=date(2026, 3, 2), ghi_chu=typed, register=reg)
    with pytest.raises(NumberingError, match=re.escape(said)):
        cancel("01/QĐ-UBND", typed, register=reg)
    assert _state(reg) == before
    runner = CliRunner()
    for args in (["huy-so", "01/QĐ-UBND", "--ly-do", typed],
                 ["giu-so", str(hoso), "--only", "bien-ban", "--ghi-chu", typed]):
        result = runner.invoke(cli, [*args, "--so-dang-ky", str(reg)])
        assert result.exit_code == 1, result.output
        assert result.output.count("\n") == 1
        assert said in result.output
    assert _state(reg) == before


# -- read-only commands never create a register -------------------------------------------------


def test_a_missing_register_is_refused_by_commands_that_only_read_or_change_entries(
        hoso: Path, tmp_path: Path) -> None:
    from vanban.errors import RegisterError
    from vanban.issuing.printout import print_register

    typo = tmp_path / "nosuchdir" / "r.sqlite"
    with pytest.raises(RegisterError, match="không tìm thấy sổ đăng ký"):
        lookup_file(hoso, typo)
    with pytest.raises(RegisterError, match="không tìm thấy sổ đăng ký"):
        print_register(tmp_path / "so.csv", register=typo)
    with pytest.raises(RegisterError, match="không tìm thấy sổ đăng ký"):
        cancel("01/QĐ-UBND", "ký nhầm", register=typo)
    runner = CliRunner()
    for args in (["register", "-o", str(tmp_path / "so.csv")],
                 ["huy-so", "01/QĐ-UBND", "--ly-do", "ký nhầm"],
                 ["tra-cuu", str(hoso)],
                 ["register", "--kiem-tra", str(hoso)]):
        result = runner.invoke(cli, [*args, "--so-dang-ky", str(typo)])
        assert result.exit_code == 1, result.output
        assert "không tìm thấy sổ đăng ký" in result.output
    assert not typo.parent.exists()
    assert not (tmp_path / "so.csv").exists()


def test_a_year_out_of_range_is_a_clear_error(hoso: Path, tmp_path: Path) -> None:
    from vanban.errors import VanbanError

    reg = tmp_path / "reg.sqlite"
    issue(hoso, tmp_path / "out", only=[DECISION], ngay=date(2026, 3, 2), register=reg)
    for nam in (0, -5, 10000, 99999999999999999999):
        with pytest.raises(VanbanError, match=f"năm {nam} không hợp lệ"):
            cancel("01/QĐ-UBND", "ký nhầm", nam=nam, register=reg)
    result = CliRunner().invoke(cli, ["huy-so", "01/QĐ-UBND", "--ly-do", "x", "--nam", "-5",
                                      "--so-dang-ky", str(reg)])
    assert result.exit_code == 1, result.output
    assert result.output.count("\n") == 1
    assert "năm -5 không hợp lệ" in result.output
    assert _state(reg)[0][1] == ISSUED


def test_the_register_keeps_a_title_on_one_line(hoso: Path, tmp_path: Path) -> None:
    # The sample's titles are broken in two on the documents (centred under the header).
    result = issue(hoso, tmp_path / "out", ngay=date(2026, 3, 2),
                   register=tmp_path / "reg.sqlite")
    summaries = [i.entry.details.ten_loai_trich_yeu for i in result.issued]
    assert any("mô hình “Chính quyền" in s for s in summaries)
    assert not [s for s in summaries if "\n" in s]


def test_a_lookup_of_what_is_not_a_regular_file_says_what_it_is(tmp_path: Path) -> None:
    import os
    import sqlite3

    reg = tmp_path / "r.sqlite"
    sqlite3.connect(reg).close()  # there, so that only the file looked up is at fault
    fifo = tmp_path / "ong"
    os.mkfifo(fifo)
    for path, said in ((fifo, "là một ống FIFO, không phải tệp thường"),
                       (tmp_path, "là một thư mục, không phải tệp thường"),
                       (tmp_path / "khong-co.pdf", "không tìm thấy tệp")):
        result = CliRunner().invoke(cli, ["tra-cuu", str(path), "--so-dang-ky", str(reg)])
        assert result.exit_code == 1, result.output
        assert said in result.output
