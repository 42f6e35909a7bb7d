"""The Quy chế: its reference line and chapter names are broken where a clerk breaks them."""

from __future__ import annotations

import io
from pathlib import Path

import docx

from tests import dossiers
from tests.rules import check_document
from vanban import build
from vanban.loading import load

LONG = ("Những quy định chung về phạm vi điều chỉnh, đối tượng áp dụng và nguyên tắc hoạt "
        "động của Ban điều hành mô hình")


def test_long_chapter_names_and_the_reference_line_break_at_phrase_boundaries(
        tmp_path: Path) -> None:
    data = dossiers.sample("trung-chinh-2025")
    data["dia_ban"].update(xa="Phú Quốc", loai_xa="đặc khu")
    data.pop("tap_huan")
    data["quy_che"] = {"chuong": [
        {"ten": LONG, "dieu": [{"tieu_de": "Phạm vi điều chỉnh",
                                "noi_dung": "Quy chế này quy định việc làm của Ban điều hành."}]},
        {"ten": "Điều khoản thi hành", "dieu": [{"tieu_de": "Hiệu lực",
                                                "noi_dung": "Quy chế có hiệu lực từ ngày ký."}]},
    ]}
    files = dict(build.render(load(dossiers.write(tmp_path, data)), formats=("docx",),
                              only=["quy-che"])[0])
    path = tmp_path / "quy-che.docx"
    path.write_bytes(files["quy-che.docx"])
    paragraphs = docx.Document(io.BytesIO(files["quy-che.docx"])).paragraphs
    (reference,) = [p.text for p in paragraphs if p.style.name == "VB Kèm theo"]
    # the whole line is in brackets, and the date and the body's name stay whole
    lines = reference.split("\n")
    assert len(lines) == 2, reference
    assert any("ngày 08 tháng 10 năm 2025" in line for line in lines), reference
    assert any("Uỷ ban nhân dân đặc khu Phú Quốc)" in line for line in lines), reference
    name = next(p.text for p in paragraphs if p.style.name == "VB Tên chương")
    assert name == ("NHỮNG QUY ĐỊNH CHUNG VỀ PHẠM VI\nĐIỀU CHỈNH, ĐỐI TƯỢNG ÁP DỤNG VÀ NGUYÊN "
                    "TẮC\nHOẠT ĐỘNG CỦA BAN ĐIỀU HÀNH MÔ HÌNH")
    assert check_document(path, "nd30", "quy-che") == []
