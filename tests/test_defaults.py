"""Default texts derived from the dossier: who issues the Quy chế (Điều 2), cited plans."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import pytest

from tests import dossiers
from vanban import build
from vanban.loading import load

QD = "quyet-dinh-thanh-lap-ban-dieu-hanh"


def decision_text(tmp_path: Path, change: Any) -> list[str]:
    data = dossiers.sample()
    data.pop("tap_huan")
    change(data)
    files = dict(build.render(load(dossiers.write(tmp_path, data)), formats=("docx",),
                              only=[QD])[0])
    return [p.text for p in docx.Document(io.BytesIO(files[f"{QD}.docx"])).paragraphs]


@pytest.mark.parametrize(("nhan_danh", "hinh_thuc_ky", "issuer"), [
    ("thu_truong", "", "Chủ tịch Ủy ban nhân dân xã Tân Thọ"),
    ("tap_the", "TM", "Ủy ban nhân dân xã Tân Thọ"),
])
def test_dieu_2_names_whoever_the_adopting_decision_names(tmp_path: Path, nhan_danh: str,
                                                          hinh_thuc_ky: str, issuer: str) -> None:
    def change(data: dict[str, Any]) -> None:
        data["quyet_dinh_ban_hanh_quy_che"].update(nhan_danh=nhan_danh, hinh_thuc_ky=hinh_thuc_ky)

    tasks = [t for t in decision_text(tmp_path, change) if "Quy chế tổ chức và hoạt động" in t]
    assert len(tasks) == 1
    assert tasks[0].endswith(f"trình {issuer} ban hành.")
    assert "Trưởng ban ban hành" not in tasks[0]


def test_a_plan_given_by_its_parts_is_cited_with_number_and_date(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["quyet_dinh_thanh_lap"]["can_cu"] = [
            {"ten_loai": "Kế hoạch", "so_ky_hieu": "15-KH/HU", "ngay": "10/3/2023",
             "cua": "Ban Thường vụ Huyện ủy Nông Cống", "ve_viec": "về thực hiện dân vận"}]

    assert ("Căn cứ Kế hoạch số 15-KH/HU ngày 10/3/2023 của Ban Thường vụ Huyện ủy Nông Cống "
            "về thực hiện dân vận;") in decision_text(tmp_path, change)


@pytest.mark.parametrize(("line", "warned"), [
    ("Căn cứ Kế hoạch của Ban Thường vụ Huyện ủy về thực hiện “Năm Dân vận chính quyền 2023”",
     True),
    ({"ten_loai": "Kế hoạch", "cua": "Ban Thường vụ Huyện ủy"}, True),
    ("Căn cứ Kế hoạch số 15-KH/HU của Ban Thường vụ Huyện ủy", False),
    ("Căn cứ Kế hoạch ngày 10/3/2023 của Ban Thường vụ Huyện ủy", False),
    ({"ten_loai": "Kế hoạch", "ngay": "10/3/2023"}, False),
    ("Căn cứ Luật Tiếp công dân ngày 25 tháng 11 năm 2013", False),
])
def test_a_cited_plan_without_number_or_date_is_a_located_warning(
        tmp_path: Path, line: Any, warned: bool) -> None:
    data = dossiers.sample()
    data.pop("tap_huan")
    data["quyet_dinh_thanh_lap"]["can_cu"] = ["@luat-tcchqdp-2015", line]
    loaded = load(dossiers.write(tmp_path, data))
    found = [w for w in loaded.warnings if "chưa có số và ngày" in w.message]
    assert [w.path for w in found] == (["quyet_dinh_thanh_lap.can_cu[2]"] if warned else [])
