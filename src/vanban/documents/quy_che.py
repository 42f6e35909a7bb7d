"""The regulation (Quy chế) and the decision that adopts it (ND30 Mẫu 1.3).

Both come from one module because the Quy chế's reference line must carry the adopting
decision's real number and date.
"""

from __future__ import annotations

from typing import Any

from vanban import defaults, text
from vanban.documents.common import (
    QUY_CHE,
    QUYET_DINH,
    Loaded,
    Output,
    article,
    close_body,
    decision,
    executors,
    header,
    issuer_of,
    meta,
    single,
    title_lines,
)
from vanban.model import Dieu

KIND_DECISION = "quyet-dinh-ban-hanh-quy-che"
KIND = "quy-che"


def _article_paragraphs(dieu: Dieu) -> list[str]:
    out = [dieu.noi_dung] if dieu.noi_dung else []
    for k, khoan in enumerate(dieu.khoan, start=1):
        end = ":" if khoan.diem else "."
        out.append(f"{k}. {text.ket_thuc_bang(khoan.noi_dung, end)}")
        for d, diem in enumerate(khoan.diem):
            end = "." if d == len(khoan.diem) - 1 else ";"
            out.append(f"{text.nhan_diem(d)}) {text.ket_thuc_bang(diem, end)}")
    return out


def build_decision(loaded: Loaded) -> list[Output]:
    """Return the decision adopting the regulation."""
    hoso = loaded.hoso
    vb = defaults.adopting_decision(hoso)
    ten_ban = hoso.ten_ban
    trich_yeu = vb.trich_yeu or f"Ban hành Quy chế tổ chức và hoạt động của {ten_ban}"
    qd = hoso.quyet_dinh_thanh_lap
    qd_body = issuer_of(hoso, qd.co_quan)
    so_hieu = text.so_hieu_van_ban(qd.so, QUYET_DINH.ky_hieu, qd_body.viet_tat, qd_body.profile)
    established = (
        f"Căn cứ {QUYET_DINH.ten} số {so_hieu}"
        f" ngày {text.ngay_ngan(qd.ngay)} của {qd_body.tham_quyen(qd.nhan_danh)} về việc thành lập"
        f" {ten_ban}"
    )
    articles = [
        article(
            1,
            f"Ban hành kèm theo Quyết định này Quy chế tổ chức và hoạt động của {ten_ban}.",
            [],
        ),
        article(2, "Quyết định này có hiệu lực kể từ ngày ký.", []),
        article(
            3,
            f"{vb.thi_hanh or executors(hoso, issuer_of(hoso, vb.co_quan))} chịu trách nhiệm thi hành Quyết định này.",
            [],
        ),
    ]
    return [decision(KIND_DECISION, hoso, vb, trich_yeu, articles, extra_bases=(established,))]


def build_regulation(loaded: Loaded) -> list[Output]:
    """Return the regulation attached to the adopting decision."""
    hoso = loaded.hoso
    vb = defaults.adopting_decision(hoso)
    body = issuer_of(hoso, vb.co_quan)
    so_hieu = text.so_hieu_van_ban(vb.so, QUYET_DINH.ky_hieu, body.viet_tat, body.profile)
    kem_theo = (
        f"(Kèm theo {QUYET_DINH.ten} số {so_hieu} ngày"
        f" {text.ngay_day_du(vb.ngay).removeprefix('ngày ')} của {body.tham_quyen(vb.nhan_danh)})"
    )
    chapters: list[dict[str, Any]] = []
    articles: list[dict[str, Any]] = []
    number = 0
    for c, chuong in enumerate(defaults.regulation_chapters(hoso), start=1):
        articles = []
        for dieu in chuong.dieu:
            number += 1
            articles.append(article(number, dieu.tieu_de, _article_paragraphs(dieu)))
        chapters.append(
            {"nhan": f"Chương {text.la_ma(c)}", "ten": text.viet_hoa(chuong.ten), "dieu": articles}
        )
    close_body(articles)  # the last chapter's
    trich_yeu = hoso.quy_che.trich_yeu or f"Tổ chức và hoạt động của {hoso.ten_ban}"
    context = {
        **header(body, None, QUY_CHE.ky_hieu, vb.ngay, so_line=False, date_line=False),
        "trich_yeu": title_lines(trich_yeu),
        "kem_theo": kem_theo,
        "chuong": chapters,
    }
    info = meta(f"Quy chế {text.viet_thuong(trich_yeu[:1])}{trich_yeu[1:]}", body,
                      so_hieu, vb.ngay)
    return [single(KIND, body, context, info)]
