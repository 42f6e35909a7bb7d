"""Acceptance: every sample dossier builds, and every document obeys the decree's rules.

The documents are built through the CLI, read back with python-docx and checked with the
independent rule checker (``tests/rules.py``); a real reader (LibreOffice) must open each one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from tests import dossiers
from tests.rules import check_document, kem_theo_matches
from vanban.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted(p.parent.name for p in ROOT.glob("samples/*/hoso.yaml"))
STATE_KINDS = "quyet-dinh-thanh-lap-ban-dieu-hanh,quyet-dinh-ban-hanh-quy-che,quy-che,bien-ban"


def checker_kind(name: str) -> str:
    if name.startswith("quyet-dinh"):
        return "quyet-dinh"
    if name.startswith("bien-ban"):
        return "bien-ban"
    return name


def build(dossier: Path, out: Path, *extra: str) -> list[Path]:
    result = CliRunner().invoke(
        cli, ["build", str(dossier), "-o", str(out), "--format", "docx", "--only", STATE_KINDS,
              *extra],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return sorted(out.glob("*.docx"))


@pytest.fixture(scope="module", params=SAMPLES)
def sample(request, tmp_path_factory) -> tuple[str, list[Path]]:
    out = tmp_path_factory.mktemp(request.param)
    return request.param, build(ROOT / "samples" / request.param / "hoso.yaml", out)


def roles_for(name: str) -> tuple[str, str]:
    data = dossiers.sample(name)
    return ("THƯ KÝ", "CHỦ TOẠ") if data.get("kieu_dau") == "hien_dai" else ("THƯ KÝ", "CHỦ TỌA")


def test_every_state_document_is_built(sample) -> None:
    name, files = sample
    stems = {f.stem for f in files}
    assert {"quyet-dinh-thanh-lap-ban-dieu-hanh", "quyet-dinh-ban-hanh-quy-che", "quy-che"} <= stems
    assert any(s.startswith("bien-ban-") for s in stems)


def test_every_document_obeys_nd30(sample) -> None:
    name, files = sample
    for path in files:
        problems = check_document(path, "nd30", checker_kind(path.stem), roles=roles_for(name))
        assert problems == [], f"{path.name}: {problems}"


def test_regulation_reference_line_matches_adopting_decision(sample) -> None:
    _, files = sample
    by_stem = {f.stem: f for f in files}
    assert kem_theo_matches(by_stem["quy-che"], by_stem["quyet-dinh-ban-hanh-quy-che"])


def texts(path: Path) -> list[str]:
    document = docx.Document(str(path))
    out = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                out.extend(p.text for p in cell.paragraphs)
    return out


def test_tan_tho_content(tmp_path: Path) -> None:
    files = {f.stem: f for f in build(ROOT / "samples/tan-tho-2023/hoso.yaml", tmp_path)}
    qd = texts(files["quyet-dinh-thanh-lap-ban-dieu-hanh"])
    assert "Số: 45/QĐ-UBND" in qd
    assert "Tân Thọ, ngày 25 tháng 5 năm 2023" in qd
    assert any("gồm 16 (mười sáu) thành viên" in t for t in qd)
    assert "UBND HUYỆN NÔNG CỐNG" in qd
    # a decision issued in the Chủ tịch's own name is signed CHỦ TỊCH, without TM.
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ TÂN THỌ" in qd
    assert "CHỦ TỊCH" in qd
    assert not any(t.startswith("TM.") for t in qd)
    # a document dated May 2023 cites the 2007 ordinance, not the 2022 law (in force 1/7/2023)
    assert any("Pháp lệnh Thực hiện dân chủ" in t for t in qd)
    assert not any("Luật Thực hiện dân chủ" in t for t in qd)
    members = docx.Document(str(files["quyet-dinh-thanh-lap-ban-dieu-hanh"])).tables[1]
    assert len(members.rows) == 1 + 16
    qc = texts(files["quy-che"])
    assert [t for t in qc if t.startswith("Điều ")][-1].startswith("Điều 9.")
    assert [t for t in qc if t.startswith("Chương ")] == ["Chương I", "Chương II", "Chương III",
                                                         "Chương IV"]
    bb = texts(files["bien-ban-hoi-nghi-ra-mat"])
    assert "Số:      /BB-UBND" in bb
    assert any(t.startswith("Hội nghị kết thúc vào 17 giờ 00 phút") for t in bb)


def test_two_level_sample_has_no_district(tmp_path: Path) -> None:
    files = build(ROOT / "samples/trung-chinh-2025/hoso.yaml", tmp_path)
    for path in files:
        joined = "\n".join(texts(path))
        assert "HUYỆN" not in joined.upper(), path.name
    qd = texts(tmp_path / "quyet-dinh-thanh-lap-ban-dieu-hanh.docx")
    assert "UBND TỈNH THANH HOÁ" in qd  # modern tone style throughout
    assert any("16 tháng 6 năm 2025" in t for t in qd)  # Luật 72/2025/QH15
    assert "Số:      /QĐ-UBND" in qd
    quy_che = texts(tmp_path / "quyet-dinh-ban-hanh-quy-che.docx")
    assert "KT. CHỦ TỊCH" in quy_che
    assert "PHÓ CHỦ TỊCH" in quy_che


@pytest.mark.parametrize("name", SAMPLES)
def test_every_document_is_byte_identical_across_processes(tmp_path: Path, name: str) -> None:
    """Two ``vanban build`` processes (own hash seeds, font caches, time zones) agree to the byte."""
    outputs = []
    for run, zone in (("a", "UTC"), ("b", "Asia/Ho_Chi_Minh")):
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / f"cache-{run}"), "TZ": zone}
        env.pop("PYTHONHASHSEED", None)
        subprocess.run([sys.executable, "-m", "vanban", "-q", "build",
                        str(ROOT / "samples" / name / "hoso.yaml"), "-o", str(tmp_path / run)],
                       check=True, capture_output=True, env=env, timeout=600)
        outputs.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                        for p in sorted((tmp_path / run).iterdir())})
    assert outputs[0] == outputs[1]
    stems = {Path(n).stem for n in outputs[0]}
    assert {f"{s}.{ext}" for s in stems for ext in ("docx", "pdf")} == set(outputs[0])
    assert {"quyet-dinh-thanh-lap-ban-dieu-hanh", "quy-che", "danh-sach-hoc-vien"} <= stems
    assert len(stems) >= 9


def test_core_properties_describe_the_document(tmp_path: Path) -> None:
    files = build(ROOT / "samples/tan-tho-2023/hoso.yaml", tmp_path)
    props = docx.Document(str(tmp_path / "quyet-dinh-thanh-lap-ban-dieu-hanh.docx")).core_properties
    assert props.title.startswith("Về việc thành lập Ban điều hành")
    assert props.author == "ỦY BAN NHÂN DÂN XÃ TÂN THỌ"
    assert props.subject == props.keywords == "45/QĐ-UBND"
    assert props.language == "vi-VN"
    assert props.created.date().isoformat() == "2023-05-25"
    assert len(files) == 5


# -- Hostile and long text ----------------------------------------------------------------------


def hostile_dossier(tmp_path: Path) -> Path:
    data = dossiers.sample()
    data.pop("tap_huan")
    long_name = "Nguyễn Thị " + "Minh " * 12 + "Châu"
    members = data["ban_dieu_hanh"]["thanh_vien"]
    members[4]["ho_ten"] = long_name
    members[5]["chuc_vu"] = 'Trưởng ban Văn hóa & Thông tin <số 1> "mới" {{ x }} {% if %}'
    body = ("Ban điều hành vận động Nhân dân tham gia “hiến đất, mở đường” & giám sát <công trình>. "
            * 40).strip()
    chapters = [{"ten": f"Chương thử {i}", "dieu": [
        {"tieu_de": f"Điều khoản {i}.{j} & <kiểm tra>", "khoan": [
            {"noi_dung": body, "diem": ["điểm một", "điểm hai", "điểm ba", "điểm bốn", "điểm năm",
                                        "điểm sáu"]}]}
        for j in range(1, 9)]} for i in range(1, 8)]
    data["quy_che"] = {"chuong": chapters}
    data["cuoc_hop"][0]["dia_diem"] = "Hội trường <A> & B “mới”"
    return dossiers.write(tmp_path, data)


def test_hostile_and_long_text_is_escaped_and_still_conforms(tmp_path: Path) -> None:
    files = build(hostile_dossier(tmp_path), tmp_path / "out")
    for path in files:
        assert check_document(path, "nd30", checker_kind(path.stem)) == [], path.name
    qc = texts(tmp_path / "out/quy-che.docx")
    assert sum(t.startswith("Điều ") for t in qc) == 56
    assert any("& giám sát <công trình>" in t for t in qc)
    assert any(t == "đ) điểm năm;" for t in qc)
    members = "\n".join(texts(tmp_path / "out/quyet-dinh-thanh-lap-ban-dieu-hanh.docx"))
    assert 'Văn hóa & Thông tin <số 1> "mới" {{ x }} {% if %}' in members
    bb = "\n".join(texts(tmp_path / "out/bien-ban-hoi-nghi-ra-mat.docx"))
    assert "Hội trường <A> & B “mới”" in bb


# -- Party profile for the same documents ---------------------------------------------------------


def party_dossier(tmp_path: Path) -> Path:
    data = dossiers.sample()
    data.pop("tap_huan")
    for key in ("quyet_dinh_thanh_lap", "quyet_dinh_ban_hanh_quy_che"):
        data[key].pop("nhan_danh", None)
        data[key].pop("hinh_thuc_ky", None)
        data[key].update(co_quan="dang_uy_xa", hinh_thuc_ky="T/M", nguoi_ky="Lê Văn Khải",
                         chuc_vu_ky="Bí thư", so=5 if key == "quyet_dinh_thanh_lap" else 6,
                         luu="VT")
    for hop in data["cuoc_hop"]:
        hop["co_quan"] = "dang_uy_xa"
    return dossiers.write(tmp_path, data)


def test_party_issued_documents_follow_hd36(tmp_path: Path) -> None:
    files = build(party_dossier(tmp_path), tmp_path / "out")
    for path in files:
        assert check_document(path, "dang", checker_kind(path.stem)) == [], path.name
    qd = texts(tmp_path / "out/quyet-dinh-thanh-lap-ban-dieu-hanh.docx")
    assert "Số 05-QĐ/ĐU" in qd
    assert "T/M ĐẢNG ỦY" in qd
    assert "BÍ THƯ" in qd
    assert "ĐẢNG BỘ HUYỆN NÔNG CỐNG" in qd
    assert "- Lưu Văn phòng Đảng ủy." in qd
    assert not any("CỘNG HÒA" in t for t in qd)
    assert kem_theo_matches(tmp_path / "out/quy-che.docx",
                            tmp_path / "out/quyet-dinh-ban-hanh-quy-che.docx")


# -- A real reader opens every document -----------------------------------------------------------


@pytest.mark.libreoffice
def test_libreoffice_opens_every_document(sample, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    _, files = sample
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
         "pdf", "--outdir", str(tmp_path), *map(str, files)],
        check=True, capture_output=True, timeout=300,
    )
    for path in files:
        pdf = tmp_path / f"{path.stem}.pdf"
        assert pdf.is_file(), path.name
        words = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                               capture_output=True, text=True).stdout
        docx_text = " ".join(texts(path))
        for needle in ("ỦY BAN NHÂN DÂN", "Độc lập - Tự do - Hạnh phúc"):
            needle = needle if "ỦY" in docx_text or "Độc" in needle else needle.replace("ỦY", "UỶ")
            assert needle in words or needle.replace("ỦY", "UỶ") in words, (path.name, needle)
        first_name = docx.Document(str(path)).core_properties.author.split()[-1]
        assert first_name in words


def test_long_trich_yeu_breaks_before_the_quoted_name(tmp_path: Path) -> None:
    files = {f.stem: f for f in build(ROOT / "samples/tan-tho-2023/hoso.yaml", tmp_path)}
    for stem in ("quyet-dinh-thanh-lap-ban-dieu-hanh", "bien-ban-hoi-nghi-ra-mat"):
        document = docx.Document(str(files[stem]))
        title = next(p for p in document.paragraphs if p.style.name == "VB Trích yếu")
        lines = title.text.split("\n")
        assert len(lines) == 2, stem
        assert lines[1].startswith("“Chính quyền thân thiện, vì Nhân dân phục vụ”"), stem
