"""The two decisions read back from the DOCX: who executes each (its Điều 3)."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from tests import dossiers
from vanban import build
from vanban.loading import load


def _executing(tmp_path: Path, kind: str, sample: str) -> str:
    """Return the paragraph of decision `kind` of `sample` naming who executes it."""
    loaded = load(dossiers.copy(tmp_path / kind, name=sample))
    [(_, data)] = build.render(loaded, formats=("docx",), only=[kind])[0]
    found = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs
             if "chịu trách nhiệm thi hành" in p.text]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("sample", ["tan-tho-2023", "trung-chinh-2025"])
def test_only_the_decision_that_names_the_members_points_to_its_dieu_1(
        tmp_path: Path, sample: str) -> None:
    # The establishing decision names the board's members in its Điều 1; the one adopting the
    # Quy chế adopts a text there, so its members are not "có tên tại Điều 1".
    assert "có tên tại Điều 1" in _executing(tmp_path, "quyet-dinh-thanh-lap-ban-dieu-hanh", sample)
    adopting = _executing(tmp_path, "quyet-dinh-ban-hanh-quy-che", sample)
    assert "Điều 1" not in adopting
    assert "các thành viên Ban điều hành và các" in adopting


def test_a_phuong_named_by_a_number_is_written_in_full(tmp_path: Path) -> None:
    # ND30: a unit named by a number takes its full name in the date line ("Quận 1") and
    # Phụ lục II capitalises its generic noun in running text.
    data = dossiers.sample()
    data["dia_ban"].update(xa="12", loai_xa="phường", loai_thon="tổ dân phố", huyen="3",
                           loai_huyen="quận", tinh="Hồ Chí Minh", loai_tinh="thành phố")
    data.pop("tap_huan")
    loaded = load(dossiers.write(tmp_path, data))
    [(_, docx_bytes)] = build.render(loaded, formats=("docx",),
                                     only=["quyet-dinh-thanh-lap-ban-dieu-hanh"])[0]
    document = docx.Document(io.BytesIO(docx_bytes))
    paragraphs = [p.text for p in document.paragraphs] + [
        p.text for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    assert any(p.startswith("Phường 12, ngày ") for p in paragraphs)
    body = "\n".join(paragraphs)
    assert "Ủy ban nhân dân Phường 12" in body
    assert "phường 12" not in body


@pytest.mark.parametrize(("co_quan", "seal"), [("ubnd_xa", True), ("dang_uy_xa", False)])
def test_only_a_state_decision_lends_the_board_the_peoples_committees_seal(
        tmp_path: Path, co_quan: str, seal: bool) -> None:
    data = dossiers.sample()
    data.pop("tap_huan")
    qd = data["quyet_dinh_thanh_lap"]
    qd.pop("chuc_vu_ky", None)
    qd.update(co_quan=co_quan, nhan_danh="tap_the", hinh_thuc_ky="TM" if seal else "T/M",
              nguoi_ky="Lê Văn Khải" if not seal else qd["nguoi_ky"], luu="VT")
    loaded = load(dossiers.write(tmp_path, data))
    [(_, docx_bytes)] = build.render(loaded, formats=("docx",),
                                     only=["quyet-dinh-thanh-lap-ban-dieu-hanh"])[0]
    tasks = [p.text for p in docx.Document(io.BytesIO(docx_bytes)).paragraphs
             if p.text.startswith("5. ")]
    assert len(tasks) == 1
    assert ("con dấu của Ủy ban nhân dân xã Tân Thọ" in tasks[0]) is seal
    assert "chế độ kiêm nhiệm" in tasks[0]
