"""The unit and signer vocabulary, read back from built documents.

Every sample is built as every unit type its date allows, and no generated word may name
another unit type; every signing form is built through to DOCX and PDF and read back; a signing
form that does not belong under the decision's authority line is a located error.
"""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from tests import dossiers
from tests.rules import check_document
from vanban import build, catalogue
from vanban.errors import DataError
from vanban.loading import load

QD = "quyet-dinh-thanh-lap-ban-dieu-hanh"

# -- Reading documents back ------------------------------------------------------------------


def document_texts(data: bytes) -> list[str]:
    """Every paragraph of a DOCX: body, tables (nested too) and headers."""
    document = docx.Document(io.BytesIO(data))
    out = [p.text for p in document.paragraphs]

    def cells(tables: Any) -> None:
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    out.extend(p.text for p in cell.paragraphs)
                    cells(cell.tables)

    cells(document.tables)
    for section in document.sections:
        out.extend(p.text for p in section.header.paragraphs)
    return out


def signature_cell(data: bytes) -> list[str]:
    """The non-empty paragraphs of the signer's cell (last table, right cell)."""
    document = docx.Document(io.BytesIO(data))
    cell = document.tables[-1].rows[0].cells[-1]
    return [p.text for p in cell.paragraphs if p.text.strip()]


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


# -- Dossiers of every unit type ----------------------------------------------------------------

#: Words naming each unit type; "xã hội" (society) is not the unit.
UNIT_WORDS = {
    "xã": re.compile(r"\bxã\b(?!\s+hội)", re.IGNORECASE),
    "phường": re.compile(r"\bphường\b", re.IGNORECASE),
    "thị trấn": re.compile(r"\bthị trấn\b", re.IGNORECASE),
    "đặc khu": re.compile(r"\bđặc khu\b", re.IGNORECASE),
}
#: Sub-unit words that belong to a xã, and to a phường or thị trấn ("nông thôn" is rural).
XA_SUBUNITS = re.compile(r"(?<!nông )\bthôn\b", re.IGNORECASE)
PHO_SUBUNITS = re.compile(r"\btổ dân phố\b|\bkhu phố\b", re.IGNORECASE)
SUBUNIT = {"xã": "thôn", "phường": "tổ dân phố", "thị trấn": "khu phố", "đặc khu": "thôn"}


def _rewrite(value: Any, unit: str, subunit: str) -> Any:
    """Rewrite the dossier's own words for `unit`, as a clerk of that unit would write them."""
    if isinstance(value, str):
        value = UNIT_WORDS["xã"].sub(unit, value)
        return XA_SUBUNITS.sub(subunit, value)
    if isinstance(value, list):
        return [_rewrite(v, unit, subunit) for v in value]
    if isinstance(value, dict):
        return {k: _rewrite(v, unit, subunit) for k, v in value.items()}
    return value


def _move_year(value: Any, year: int) -> Any:
    if isinstance(value, date):
        return value.replace(year=year)
    if isinstance(value, list):
        return [_move_year(v, year) for v in value]
    if isinstance(value, dict):
        return {k: _move_year(v, year) for k, v in value.items()}
    return value


def sample(name: str = "tan-tho-2023") -> dict[str, Any]:
    """Return a sample's data with inline handouts, ready to be written anywhere."""
    return inline_handouts(dossiers.sample(name))


def inline_handouts(data: dict[str, Any]) -> dict[str, Any]:
    """Give the training's topics short inline content instead of the sample's files."""
    for n, cd in enumerate(data.get("tap_huan", {}).get("chuyen_de", []), start=1):
        cd.pop("tep", None)
        cd["noi_dung"] = f"# Chuyên đề {n}\n\nNội dung chuyên đề."
    return data


def unit_dossier(tmp_path: Path, sample: str, unit: str, year: int | None = None) -> Path:
    """Write `sample` as a dossier of `unit` (moved to `year`) with short handouts."""
    data = _rewrite(dossiers.sample(sample), unit, SUBUNIT[unit])
    data["dia_ban"]["loai_xa"] = unit
    data["dia_ban"].pop("loai_thon", None)
    if year is not None:
        data = _move_year(data, year)
        for key in ("quyet_dinh_thanh_lap", "quyet_dinh_ban_hanh_quy_che"):
            data[key].pop("can_cu", None)  # chosen by the new date
    return dossiers.write(tmp_path, inline_handouts(data))


CASES = [
    ("tan-tho-2023", "xã", None),
    ("tan-tho-2023", "phường", None),
    ("tan-tho-2023", "thị trấn", 2024),
    ("trung-chinh-2025", "phường", None),
    ("trung-chinh-2025", "đặc khu", 2026),
]


#: The rule checker's kinds, by file-name prefix.
CHECKER_KINDS = ("quyet-dinh", "quy-che", "bien-ban", "tai-lieu", "danh-sach", "phieu")


def _legal_titles_removed(line: str) -> str:
    """Legal titles are quoted as they are ("… ở xã, phường, thị trấn"): not generated words."""
    for entry in catalogue.CATALOGUE:
        line = line.replace(entry.ten, "")
    return line


@pytest.mark.parametrize(("sample", "unit", "year"), CASES,
                         ids=[f"{s}-{u}-{y or 'own'}" for s, u, y in CASES])
def test_no_generated_word_names_another_unit_type(tmp_path: Path, sample: str, unit: str,
                                                   year: int | None) -> None:
    loaded = load(unit_dossier(tmp_path, sample, unit, year))
    files, _ = build.render(loaded, formats=("docx",))
    assert len(files) == 9  # 3 decisions and Quy chế, 2 minutes, 2 handouts, 2 forms
    foreign = {u: p for u, p in UNIT_WORDS.items() if u != unit}
    wrong_subunits = XA_SUBUNITS if unit in ("phường", "thị trấn") else (
        PHO_SUBUNITS if unit == "xã" else None)
    for name, data in files:
        for line in map(_legal_titles_removed, document_texts(data)):
            for other, pattern in foreign.items():
                assert not pattern.search(line), (name, other, line)
            if wrong_subunits is not None:
                assert not wrong_subunits.search(line), (name, line)
        path = tmp_path / name
        path.write_bytes(data)
        kind = next(k for k in CHECKER_KINDS if name.startswith(k))
        profile = "dang" if kind in ("tai-lieu", "danh-sach", "phieu") else "nd30"
        roles = ("THƯ KÝ", "CHỦ TOẠ" if dossiers.sample(sample).get("kieu_dau") == "hien_dai"
                 else "CHỦ TỌA")
        assert check_document(path, profile, kind, roles=roles) == [], name


def test_unit_words_come_from_the_dossier(tmp_path: Path) -> None:
    data = sample("trung-chinh-2025")
    data["dia_ban"].update(xa="Hạc Thành", loai_xa="phường")
    data["co_quan"]["ban_xay_dung_dang"]["cap_tren"] = "ĐẢNG ỦY PHƯỜNG HẠC THÀNH"
    loaded = load(dossiers.write(tmp_path, inline_handouts(data)))
    files = dict(build.render(loaded, formats=("docx",))[0])
    qd = document_texts(files[f"{QD}.docx"])
    assert "PHƯỜNG HẠC THÀNH" in qd
    assert any("các tổ dân phố trong quá trình" in t for t in qd)
    assert any(t.startswith("Chánh Văn phòng Hội đồng nhân dân và Uỷ ban nhân dân phường,")
               for t in qd)  # the sample writes modern tone marks (Uỷ)
    evaluation = "\n".join(document_texts(files["phieu-danh-gia.docx"]))
    assert "cán bộ, công chức ở phường" in evaluation
    quy_che = "\n".join(document_texts(files["quy-che.docx"]))
    assert "ngân sách phường" in quy_che
    assert "các tổ dân phố có liên quan" in quy_che


def test_district_party_committee_follows_the_district_type(tmp_path: Path) -> None:
    data = sample()
    data["dia_ban"].update(loai_xa="phường", loai_thon="khu phố", loai_huyen="thị xã")
    data["quyet_dinh_thanh_lap"].pop("noi_nhan")
    data.pop("tap_huan")
    files = dict(build.render(load(dossiers.write(tmp_path, data)), formats=("docx",),
                              only=[QD])[0])
    qd = document_texts(files[f"{QD}.docx"])
    assert "UBND THỊ XÃ NÔNG CỐNG" in qd
    assert "- Ban Dân vận Thị ủy (để báo cáo);" in qd
    assert "- Thường trực Đảng ủy phường, HĐND phường;" in qd


def test_each_body_is_named_once_in_the_regulation_under_two_levels(tmp_path: Path) -> None:
    files = dict(build.render(load(dossiers.ROOT / "samples/trung-chinh-2025/hoso.yaml"),
                              formats=("docx",), only=["quy-che"])[0])
    for line in document_texts(files["quy-che.docx"]):
        bodies = re.findall(r"Đảng (?:ủy|uỷ)(?: xã)?", line)  # either tone style
        assert len(bodies) <= 1, line


# -- Header lines -------------------------------------------------------------------------------


def test_long_issuer_names_break_between_unit_type_and_name(tmp_path: Path) -> None:
    data = sample("trung-chinh-2025")
    data["dia_ban"].update(xa="Hạc Thành Đông Nam", loai_xa="phường", tinh="Hồ Chí Minh",
                           loai_tinh="thành phố")
    data["kieu_dau"] = "truyen_thong"
    for key in ("quyet_dinh_thanh_lap", "quyet_dinh_ban_hanh_quy_che"):
        data[key].update(co_quan="dang_uy_xa", hinh_thuc_ky="T/M", nhan_danh="tap_the")
        data[key].pop("chuc_vu_ky", None)
    data.pop("tap_huan")
    data["cuoc_hop"] = []
    loaded = load(dossiers.write(tmp_path, data))
    files = dict(build.render(loaded, formats=("docx",), only=[QD])[0])
    path = tmp_path / "qd.docx"
    path.write_bytes(files[f"{QD}.docx"])
    header = docx.Document(str(path)).tables[0].rows[0].cells[0]
    lines = [p.text for p in header.paragraphs if p.text.strip() not in ("", "*")]
    assert lines == ["ĐẢNG BỘ THÀNH PHỐ\nHỒ CHÍ MINH", "ĐẢNG ỦY PHƯỜNG", "HẠC THÀNH ĐÔNG NAM"]
    assert check_document(path, "dang", "quyet-dinh") == []


def test_a_short_issuer_name_stays_on_one_line() -> None:
    loaded = load(dossiers.ROOT / "samples/trung-chinh-2025/hoso.yaml")
    from vanban import defaults

    assert defaults.issuer(loaded.hoso, "dang_uy_xa").ten == ("ĐẢNG ỦY XÃ TRUNG CHÍNH",)
    assert defaults.issuer(loaded.hoso, "ubnd_xa").ten == ("ỦY BAN NHÂN DÂN", "XÃ TRUNG CHÍNH")


# -- Signing forms ------------------------------------------------------------------------------

#: (issuer, nhan_danh, hinh_thuc_ky, chuc_vu_ky) → the signer cell's lines above the name.
FORMS = [
    ("ubnd_xa", "thu_truong", "", None, ["CHỦ TỊCH"]),
    ("ubnd_xa", "thu_truong", "KT", None, ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
    ("ubnd_xa", "thu_truong", "Q", None, ["Q. CHỦ TỊCH"]),
    ("ubnd_xa", "thu_truong", "TL", "Chánh Văn phòng", ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]),
    ("ubnd_xa", "thu_truong", "TUQ", "Trưởng phòng Kinh tế",
     ["TUQ. CHỦ TỊCH", "TRƯỞNG PHÒNG KINH TẾ"]),
    ("ubnd_xa", "tap_the", "TM", None, ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
    ("ubnd_xa", "tap_the", "TM-KT", None,
     ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
    ("dang_uy_xa", "tap_the", "T/M", None, ["T/M ĐẢNG ỦY", "BÍ THƯ"]),
    ("dang_uy_xa", "tap_the", "T/M", "Phó Bí thư", ["T/M ĐẢNG ỦY", "PHÓ BÍ THƯ"]),
    ("dang_uy_xa", "tap_the", "T/L", "Chánh Văn phòng", ["T/L ĐẢNG ỦY", "CHÁNH VĂN PHÒNG"]),
    ("dang_uy_xa", "thu_truong", "", None, ["BÍ THƯ"]),
    # A ban is an advisory agency: its head signs in their own name, a deputy K/T (HD 36).
    ("ban_dan_van", "thu_truong", "", None, ["TRƯỞNG BAN"]),
    ("ban_dan_van", "thu_truong", "K/T", None, ["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"]),
]
AUTHORITY = {
    ("ubnd_xa", "thu_truong"): "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ TÂN THỌ",
    ("ubnd_xa", "tap_the"): "ỦY BAN NHÂN DÂN XÃ TÂN THỌ",
    ("dang_uy_xa", "tap_the"): "BAN CHẤP HÀNH ĐẢNG BỘ XÃ TÂN THỌ",
    ("dang_uy_xa", "thu_truong"): "BÍ THƯ ĐẢNG ỦY XÃ TÂN THỌ",
    ("ban_dan_van", "thu_truong"): "TRƯỞNG BAN DÂN VẬN",
}
#: A ban as a clerk declares it, following ``vanban init``'s template.
BAN_DAN_VAN = {"loai": "dang", "cap_tren": "ĐẢNG ỦY XÃ TÂN THỌ", "ten": "BAN DÂN VẬN",
               "viet_tat": "BDV", "thu_truong": "Trưởng ban"}


def form_dossier(tmp_path: Path, body: str, nhan_danh: str, form: str,
                 chuc_vu: str | None) -> Path:
    data = sample()
    data.pop("tap_huan")
    qd = data["quyet_dinh_thanh_lap"]
    qd.update(co_quan=body, nhan_danh=nhan_danh, hinh_thuc_ky=form)
    qd.pop("chuc_vu_ky", None)
    if chuc_vu:
        qd["chuc_vu_ky"] = chuc_vu
    if body != "ubnd_xa":
        qd.update(nguoi_ky="Lê Văn Khải", luu="VT")
    if body == "ban_dan_van":
        data["co_quan"] = {**(data.get("co_quan") or {}), "ban_dan_van": BAN_DAN_VAN}
    return dossiers.write(tmp_path, data)


@pytest.mark.parametrize(("body", "nhan_danh", "form", "chuc_vu", "expected"), FORMS,
                         ids=[f"{b}-{n}-{f or 'ky-truc-tiep'}" for b, n, f, _, _ in FORMS])
def test_every_signing_form_reaches_docx_and_pdf(tmp_path: Path, body: str, nhan_danh: str,
                                                 form: str, chuc_vu: str | None,
                                                 expected: list[str]) -> None:
    loaded = load(form_dossier(tmp_path, body, nhan_danh, form, chuc_vu))
    files = dict(build.render(loaded, only=[QD])[0])
    data = files[f"{QD}.docx"]
    cell = signature_cell(data)
    assert cell[:-1] == expected
    assert AUTHORITY[(body, nhan_danh)] in document_texts(data)
    path = tmp_path / "qd.docx"
    path.write_bytes(data)
    assert check_document(path, "nd30" if body == "ubnd_xa" else "dang", "quyet-dinh") == []
    # the PDF carries the same lines in order, each ending its line (the right column)
    lines = pdf_text(files[f"{QD}.pdf"], tmp_path).splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("Nơi nhận:"))
    for wanted in expected:
        pattern = re.compile(rf"(^|\s{{2,}}){re.escape(wanted)}$")
        at = next(i for i in range(at, len(lines)) if pattern.search(lines[i].strip()))


def test_a_long_position_breaks_where_a_clerk_breaks_it(tmp_path: Path) -> None:
    """Too wide for the signature's column, the position is balanced over its lines instead
    of leaving "PHƯỜNG" alone on the last one."""
    chuc_vu = "Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân phường"
    loaded = load(form_dossier(tmp_path, "ubnd_xa", "thu_truong", "TUQ", chuc_vu))
    files = dict(build.render(loaded, only=[QD])[0])
    assert signature_cell(files[f"{QD}.docx"])[:-1] == [
        "TUQ. CHỦ TỊCH", "CHÁNH VĂN PHÒNG\nHỘI ĐỒNG NHÂN DÂN VÀ\nỦY BAN NHÂN DÂN PHƯỜNG"]
    lines = [line.strip() for line in pdf_text(files[f"{QD}.pdf"], tmp_path).splitlines()]
    assert any(line.endswith("ỦY BAN NHÂN DÂN PHƯỜNG") for line in lines)


def test_the_head_signs_in_own_name_by_default_under_a_state_authority(tmp_path: Path) -> None:
    data = sample()
    for key in ("quyet_dinh_thanh_lap", "quyet_dinh_ban_hanh_quy_che"):
        data[key].pop("nhan_danh", None)
        data[key].pop("hinh_thuc_ky", None)
    files = dict(build.render(load(dossiers.write(tmp_path, data)), formats=("docx",),
                              only=[QD])[0])
    assert signature_cell(files[f"{QD}.docx"])[:-1] == ["CHỦ TỊCH"]


@pytest.mark.parametrize(("nhan_danh", "form", "fits"), [
    ("thu_truong", "TM", '"", KT, Q, TL, TUQ'),
    ("thu_truong", "TM-KT", '"", KT, Q, TL, TUQ'),
    ("tap_the", "KT", "TM, TM-KT"),
    ("tap_the", "", "TM, TM-KT"),
])
def test_a_signing_form_not_matching_the_authority_line_is_a_located_error(
        tmp_path: Path, nhan_danh: str, form: str, fits: str) -> None:
    data = sample()
    data["quyet_dinh_thanh_lap"].update(nhan_danh=nhan_danh, hinh_thuc_ky=form)
    path = dossiers.write(tmp_path, data)
    with pytest.raises(DataError) as info:
        load(path)
    errors = [p for p in info.value.problems if p.level == "loi"]
    assert len(errors) == 1
    problem = errors[0]
    lines = path.read_text("utf-8").splitlines()
    assert lines[problem.line - 1].strip().startswith("hinh_thuc_ky:")
    assert problem.path == "quyet_dinh_thanh_lap.hinh_thuc_ky"
    assert "không khớp với dòng thẩm quyền" in problem.message
    assert fits in problem.message


@pytest.mark.parametrize(("body", "nhan_danh", "form", "said"), [
    # HD 36: a committee's deputy secretary signs T/M; K/T is for advisory agencies.
    ("dang_uy_xa", "thu_truong", "K/T", "Đảng ủy xã Tân Thọ là tập thể lãnh đạo: cấp phó ký T/M"),
    ("ban_dan_van", "tap_the", "T/M", "T/M chỉ dùng cho tập thể lãnh đạo"),
    ("dang_uy_xa", "tap_the", "T/M-K/T", "cấp phó của tập thể lãnh đạo ký T/M"),
    ("dang_uy_xa", "tap_the", "T/UQ", "văn bản Đảng không ký thừa ủy quyền; ký thừa lệnh dùng T/L"),
], ids=["committee-K/T", "ban-T/M", "T/M-K/T", "T/UQ"])
def test_party_signing_forms_follow_hd36(tmp_path: Path, body: str, nhan_danh: str, form: str,
                                         said: str) -> None:
    with pytest.raises(DataError) as info:
        load(form_dossier(tmp_path, body, nhan_danh, form, "Chánh Văn phòng"))
    errors = [p for p in info.value.problems if p.level == "loi"]
    assert len(errors) == 1
    assert errors[0].path == "quyet_dinh_thanh_lap.hinh_thuc_ky"
    assert said in errors[0].message


def test_a_ban_is_named_in_running_text_as_the_decree_writes_it(tmp_path: Path) -> None:
    # Declared in capitals, as its header shows; running text capitalises only the type and
    # the field (ND30 Phụ lục II), and the head's title does not repeat "Ban".
    loaded = load(form_dossier(tmp_path, "ban_dan_van", "thu_truong", "", None))
    texts = document_texts(dict(build.render(loaded, formats=("docx",), only=[QD])[0])[
        f"{QD}.docx"])
    joined = "\n".join(texts)
    assert "Ban Dân vận" in joined
    assert "Ban Dân Vận" not in joined
    assert "BAN DÂN VẬN," not in joined
    assert "TRƯỞNG BAN DÂN VẬN" in texts
    assert "- Lưu Ban Dân vận." in texts  # its own archive: a ban has no "Văn phòng"


def test_a_ban_reports_to_the_committee_above_it_by_default(tmp_path: Path) -> None:
    # the sample names its recipients: drop them so that the defaults apply
    data = sample()
    data.pop("tap_huan")
    qd = data["quyet_dinh_thanh_lap"]
    qd.update(co_quan="ban_dan_van", nhan_danh="thu_truong", hinh_thuc_ky="",
              nguoi_ky="Lê Văn Khải", luu="VT")
    qd.pop("chuc_vu_ky", None)
    qd.pop("noi_nhan", None)
    data["co_quan"] = {**(data.get("co_quan") or {}), "ban_dan_van": BAN_DAN_VAN}
    loaded = load(dossiers.write(tmp_path, data))
    texts = document_texts(dict(build.render(loaded, formats=("docx",), only=[QD])[0])[
        f"{QD}.docx"])
    at = texts.index("Nơi nhận:")
    assert texts[at + 1:at + 4] == [
        "- Như Điều 3,", "- Thường trực Đảng ủy xã Tân Thọ (để báo cáo),", "- Lưu Ban Dân vận."]


def test_a_delegated_signature_needs_the_signers_position(tmp_path: Path) -> None:
    path = form_dossier(tmp_path, "ubnd_xa", "thu_truong", "TL", None)
    with pytest.raises(DataError) as info:
        load(path)
    assert any("cần ghi chuc_vu_ky" in p.message for p in info.value.problems)


def test_the_old_key_says_what_replaced_it(tmp_path: Path) -> None:
    data = sample()
    data["quyet_dinh_thanh_lap"]["tham_quyen"] = "TM"
    with pytest.raises(DataError) as info:
        load(dossiers.write(tmp_path, data))
    assert any("hinh_thuc_ky" in p.message and "nhan_danh" in p.message
               for p in info.value.problems)


@pytest.mark.parametrize(("unit", "ngay", "message"), [
    ("thị trấn", "2025-10-06", "từ 01/7/2025 không còn thị trấn"),
    ("đặc khu", "2023-05-25", "đặc khu chỉ có từ 01/7/2025"),
])
def test_a_unit_type_of_the_wrong_period_is_an_error(tmp_path: Path, unit: str, ngay: str,
                                                     message: str) -> None:
    data = sample("trung-chinh-2025" if ngay.startswith("2025") else "tan-tho-2023")
    data["dia_ban"]["loai_xa"] = unit
    with pytest.raises(DataError) as info:
        load(dossiers.write(tmp_path, data))
    assert any(message in p.message and p.path == "dia_ban.loai_xa"
               for p in info.value.problems)


@pytest.mark.parametrize("ngay", ["0001-01-01", "2019-12-31", "2101-01-01"])
def test_a_date_outside_the_decrees_time_is_taken_for_a_typo(tmp_path: Path, ngay: str) -> None:
    data = sample()
    data["cuoc_hop"][0]["ngay"] = ngay
    with pytest.raises(DataError) as info:
        load(dossiers.write(tmp_path, data))
    found = [p for p in info.value.problems
             if p.path == "cuoc_hop[1].ngay" and "có lẽ gõ nhầm" in p.message]
    assert len(found) == 1
    assert "05/3/2020" in found[0].message


def test_a_document_dated_after_the_reform_in_a_three_level_dossier_is_an_error(
        tmp_path: Path) -> None:
    # The district level ended on 01/7/2025: a meeting of a dossier set up before it would
    # still be headed "UBND HUYỆN …" (domain-content §5.3: no huyện in headers from then on).
    data = sample()
    data["cuoc_hop"][-1]["ngay"] = "2025-07-10"
    path = dossiers.write(tmp_path, data)
    with pytest.raises(DataError) as info:
        load(path)
    errors = [p for p in info.value.problems if p.level == "loi"]
    # the clerk counts from 1: the last meeting
    assert [p.path for p in errors] == [f"cuoc_hop[{len(data['cuoc_hop'])}].ngay"]
    assert "khi đã bỏ cấp huyện" in errors[0].message
    assert "hồ sơ mới" in errors[0].message
    assert path.read_text("utf-8").splitlines()[errors[0].line - 1].strip().startswith("ngay:")


#: The three dossiers of the issue's acceptance: a ward, a township before the reform and a
#: special zone after it.
ACCEPTANCE = [("trung-chinh-2025", "phường", None), ("tan-tho-2023", "thị trấn", 2024),
              ("trung-chinh-2025", "đặc khu", 2026)]


@pytest.mark.libreoffice
def test_libreoffice_gives_the_same_page_counts_for_every_unit_type(tmp_path: Path) -> None:
    from tests.render import fidelity

    if not fidelity.have_libreoffice():
        pytest.skip("LibreOffice (soffice) or poppler-utils is not installed")
    counts: dict[str, tuple[int, int]] = {}
    for n, (name, unit, year) in enumerate(ACCEPTANCE):
        folder = tmp_path / f"d{n}"
        folder.mkdir()
        loaded = load(unit_dossier(folder, name, unit, year))
        for file_name, data in build.render(loaded)[0]:
            (folder / file_name).write_bytes(data)
        docx_files = sorted(folder.glob("*.docx"))
        # one conversion per dossier: the three dossiers' files have the same names
        theirs = fidelity.libreoffice_pdfs(docx_files, folder / "lo")
        for path in docx_files:
            counts[f"{unit}/{path.stem}"] = (fidelity.page_count(path.with_suffix(".pdf")),
                                            fidelity.page_count(theirs[path]))
    assert len(counts) == 27
    assert {k: v for k, v in counts.items() if v[0] != v[1]} == {}


@pytest.mark.parametrize(("dia_danh", "size"), [("Tân Thọ", 14.0), ("Đông Hưng Thuận", 13.0)])
def test_a_party_date_line_too_wide_for_its_column_is_set_at_13pt(
        tmp_path: Path, dia_danh: str, size: float) -> None:
    # At 14 pt the Party column (90.8 mm) holds about 14 letters of place name before the
    # line breaks before the year; 13 pt (ND30's size) keeps it on one line.
    data = sample()
    data.pop("tap_huan")
    data["dia_ban"]["dia_danh"] = dia_danh
    data["quyet_dinh_thanh_lap"].update(co_quan="dang_uy_xa", nhan_danh="tap_the",
                                        hinh_thuc_ky="T/M", nguoi_ky="Lê Văn Khải", luu="VT")
    data["quyet_dinh_thanh_lap"].pop("chuc_vu_ky", None)
    files = dict(build.render(load(dossiers.write(tmp_path, data)), only=[QD])[0])
    document = docx.Document(io.BytesIO(files[f"{QD}.docx"]))
    [date_line] = [p for p in document.element.body.iter(qn("w:p"))
                   if "ngày 25 tháng 5 năm 2023" in "".join(p.itertext())]
    sizes = {int(sz.get(qn("w:val"))) / 2 for sz in date_line.iter(qn("w:sz"))}
    assert sizes <= {size}
    docx_path = tmp_path / "qd.docx"
    docx_path.write_bytes(files[f"{QD}.docx"])
    assert check_document(docx_path, "dang", "quyet-dinh") == []
    # one line in the PDF, the year included
    assert any(line.strip().endswith(f"{dia_danh}, ngày 25 tháng 5 năm 2023")
               for line in pdf_text(files[f"{QD}.pdf"], tmp_path).splitlines())


def test_a_body_given_in_the_dossier_breaks_before_the_place_name(tmp_path: Path) -> None:
    """A superior line the dossier types on one line, too wide for the header's column, breaks
    as vanban breaks its own ("ĐẢNG ỦY PHƯỜNG" / "TÂN SƠN NHẤT"), never inside the name."""
    data = sample("trung-chinh-2025")
    data["dia_ban"].update(xa="Tân Sơn Nhất", loai_xa="phường")
    data["co_quan"]["ban_xay_dung_dang"]["cap_tren"] = "Đảng ủy phường Tân Sơn Nhất"
    loaded = load(dossiers.write(tmp_path, inline_handouts(data)))
    from vanban import defaults

    body = defaults.issuer(loaded.hoso, "ban_xay_dung_dang")
    assert body is not None
    assert body.cap_tren == "ĐẢNG ỦY PHƯỜNG\nTÂN SƠN NHẤT"
    data["co_quan"]["ban_xay_dung_dang"]["cap_tren"] = "Đảng ủy xã Trung Chính"
    data["dia_ban"].update(xa="Trung Chính", loai_xa="xã")
    body = defaults.issuer(load(dossiers.write(tmp_path, inline_handouts(data))).hoso,
                           "ban_xay_dung_dang")
    assert body is not None
    assert body.cap_tren == "ĐẢNG ỦY XÃ TRUNG CHÍNH"  # it fits: one line
