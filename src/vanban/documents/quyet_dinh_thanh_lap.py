"""Quyết định thành lập Ban điều hành (ND30 Mẫu 1.2: a decision that decides directly)."""

from __future__ import annotations

from vanban import defaults, text
from vanban.documents.common import Loaded, Output, article, decision, executors, issuer_of

KIND = "quyet-dinh-thanh-lap-ban-dieu-hanh"


def build(loaded: Loaded) -> list[Output]:
    """Return the establishing decision."""
    hoso = loaded.hoso
    vb = hoso.quyet_dinh_thanh_lap
    ban = hoso.ban_dieu_hanh
    ten_ban = hoso.ten_ban
    trich_yeu = vb.trich_yeu or f"Về việc thành lập {ten_ban}"
    members = [
        {
            "stt": str(i),
            "ho_ten": tv.ho_ten,
            "chuc_vu": tv.chuc_vu,
            "nhiem_vu_trong_ban": (
                f"{tv.vai_tro}, phụ trách {tv.nhiem_vu}" if tv.nhiem_vu else tv.vai_tro
            ),
        }
        for i, tv in enumerate(ban.thanh_vien, start=1)
    ]
    tasks = defaults.board_tasks(hoso)
    articles = [
        article(
            1,
            f"Thành lập {ten_ban} (sau đây gọi tắt là {ban.ten_goi_tat}), gồm "
            f"{text.so_kem_chu(len(ban.thanh_vien))} thành viên có tên sau:",
            [],
            table=True,
        ),
        article(
            2,
            f"Nhiệm vụ của {ban.ten_goi_tat}:",
            [f"{i}. {text.ket_thuc_bang(t, '.')}" for i, t in enumerate(tasks, start=1)],
        ),
        article(
            3,
            "Hiệu lực và trách nhiệm thi hành.",
            [
                "Quyết định này có hiệu lực kể từ ngày ký.",
                f"{vb.thi_hanh or executors(hoso, issuer_of(hoso, vb.co_quan))} chịu trách nhiệm thi hành Quyết định này.",
            ],
        ),
    ]
    return [decision(KIND, hoso, vb, trich_yeu, articles, members=members)]
