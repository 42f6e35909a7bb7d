"""Minutes read back from the DOCX: the wording of a meeting and of a conference, absent
members, votes as written or computed."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import pytest

from tests import dossiers
from vanban import build
from vanban.errors import DataError
from vanban.loading import load

FORM_LABELS = ("(chủ tọa)", "(chủ toạ)", "(theo diễn biến", "(người ghi biên bản)")


def minutes(tmp_path: Path, change: Any = None) -> dict[str, list[str]]:
    """Build the Tân Thọ sample's minutes (after `change`) and return each file's paragraphs."""
    data = dossiers.sample()
    data.pop("tap_huan")
    if change:
        change(data)
    loaded = load(dossiers.write(tmp_path, data))
    files = build.render(loaded, formats=("docx",), only=["bien-ban"])[0]
    return {name: [p.text for p in docx.Document(io.BytesIO(b)).paragraphs if p.text.strip()]
            for name, b in files}


def test_a_meeting_uses_the_words_of_mau_1_9_without_form_labels(tmp_path: Path) -> None:
    text = minutes(tmp_path)["bien-ban-hop-thang-6-2023.docx"]
    assert "Nội dung cuộc họp:" in text
    assert any(t.startswith("Chủ trì: Đồng chí Nguyễn Văn Hòa") for t in text)
    assert any(t.startswith("Thư ký: Đồng chí Mai Thị Thu") for t in text)
    assert text[text.index("Nơi nhận:") - 1].startswith("Cuộc họp kết thúc vào 16 giờ 30 phút")
    assert not [t for t in text if any(label in t for label in FORM_LABELS)]


def test_a_conference_gets_a_conference_record(tmp_path: Path) -> None:
    text = minutes(tmp_path)["bien-ban-hoi-nghi-ra-mat.docx"]
    assert "Diễn biến hội nghị:" in text
    assert any(t.startswith("Chủ trì hội nghị: ") for t in text)
    assert any(t.startswith("Thư ký hội nghị: ") for t in text)
    assert "Nội dung cuộc họp:" not in text
    closing = text[text.index("Nơi nhận:") - 1]
    assert closing.startswith("Hội nghị kết thúc vào 17 giờ 00 phút")
    assert closing.endswith("./.")
    assert not [t for t in text if any(label in t for label in FORM_LABELS)]


def test_a_meeting_named_hoi_nghi_can_be_declared_a_meeting(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["cuoc_hop"][0]["loai_hop"] = "hop"

    text = minutes(tmp_path, change)["bien-ban-hoi-nghi-ra-mat.docx"]
    assert "Nội dung cuộc họp:" in text


def test_absent_members_are_named_with_their_reasons(tmp_path: Path) -> None:
    text = minutes(tmp_path)["bien-ban-hop-thang-6-2023.docx"]
    at = text.index("Vắng mặt:")
    assert text[at + 1] == ("- Đồng chí Lương Văn Bắc, Chỉ huy trưởng Ban Chỉ huy quân sự xã "
                            "(lý do: dự tập huấn quân sự tại huyện).")
    assert text.index("Thành phần tham dự:") < at < text.index("Nội dung cuộc họp:")


def test_a_vote_is_written_as_given_or_computed_and_rounded(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        hop = data["cuoc_hop"][1]
        hop["so_co_mat"] = 15
        hop["bieu_quyet"] = [
            {"noi_dung": "Thông qua kế hoạch tháng 7", "ket_qua": "14/15 đồng ý (93%)"},
            {"noi_dung": "Chọn thôn làm điểm", "tan_thanh": 10, "khong_tan_thanh": 5},
        ]
        hop.pop("vang_mat")
        data["cuoc_hop"][0]["so_co_mat"] = 3
        data["cuoc_hop"][0]["so_moi"] = 3
        data["cuoc_hop"][0]["bieu_quyet"] = [{"noi_dung": "Thông qua", "tan_thanh": 2,
                                              "khong_y_kien": 1}]

    built = minutes(tmp_path, change)
    month = built["bien-ban-hop-thang-6-2023.docx"]
    assert "Thông qua kế hoạch tháng 7: 14/15 đồng ý (93%)." in month
    assert ("Chọn thôn làm điểm: 10/15 thành viên có mặt tán thành (66,67 %); 5 không tán "
            "thành; 0 không có ý kiến.") in month
    launch = built["bien-ban-hoi-nghi-ra-mat.docx"]
    assert any("2/3 đại biểu có mặt tán thành (66,67 %)" in t for t in launch)


def test_a_vote_needs_a_result_or_counts(tmp_path: Path) -> None:
    data = dossiers.sample()
    data["cuoc_hop"][0]["bieu_quyet"] = [{"noi_dung": "Thông qua Quy chế"}]
    with pytest.raises(DataError) as info:
        load(dossiers.write(tmp_path, data))
    assert any("cần ket_qua" in p.message for p in info.value.problems)


def test_absent_members_that_do_not_add_up_are_a_warning(tmp_path: Path) -> None:
    data = dossiers.sample()
    data.pop("tap_huan")
    data["cuoc_hop"][1]["vang_mat"].append("Lê Văn Sơn")
    loaded = load(dossiers.write(tmp_path, data))
    assert [w.path for w in loaded.warnings] == ["cuoc_hop[2].vang_mat"]
