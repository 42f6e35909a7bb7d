"""The regulation (Quy chế) and the decision that adopts it (ND30 Mẫu 1.3).

Both come from one module because the Quy chế's reference line must carry the adopting
decision's real number and date. The decision's wording is written here, in reading order;
the regulation's default text (its title, reference line and nine articles) is
``data/quy_che_mac_dinh.yaml``, read top to bottom like the printed Quy chế. The words every
decision shares are in :mod:`vanban.documents.common`, the unit's in :mod:`vanban.vocabulary`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from string import Template
from typing import Any

import yaml

from vanban import defaults, text, vocabulary
from vanban.documents.common import (
    HIEU_LUC,
    QUY_CHE,
    QUYET_DINH,
    Loaded,
    Output,
    article,
    close_body,
    decision,
    executing_article,
    header,
    issuer_of,
    meta,
    single,
    title_lines,
)
from vanban.model import Chuong, Dieu, Hoso

KIND_DECISION = "quyet-dinh-ban-hanh-quy-che"
KIND = "quy-che"

# ---------------------------------------------------------------------------------------------
# The adopting decision's wording, in reading order
# ---------------------------------------------------------------------------------------------

TRICH_YEU_QUYET_DINH = "Ban hành Quy chế tổ chức và hoạt động của {ban}"
#: The căn cứ citing the establishing decision.
CAN_CU_THANH_LAP = ("Căn cứ {loai} số {so_hieu} ngày {ngay} của {tham_quyen} về việc thành lập "
                    "{ban}")
DIEU_1 = "Ban hành kèm theo Quyết định này Quy chế tổ chức và hoạt động của {ban}."

# ---------------------------------------------------------------------------------------------
# The regulation's frame (its default text: data/quy_che_mac_dinh.yaml)
# ---------------------------------------------------------------------------------------------

#: A chapter's label: "Chương I".
NHAN_CHUONG = "Chương {so}"


@cache
def _default_regulation() -> dict[str, Any]:
    source = (resources.files("vanban") / "data" / "quy_che_mac_dinh.yaml").read_text("utf-8")
    return yaml.safe_load(source)


def _fill(value: object, values: dict[str, str]) -> object:
    if isinstance(value, str):
        return Template(value).safe_substitute(values)
    if isinstance(value, list):
        return [_fill(v, values) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items()}
    return value


def default_text(hoso: Hoso, **values: str) -> dict[str, Any]:
    """Return the default regulation with the dossier's words (and `values`) filled in."""
    unit = vocabulary.don_vi(hoso)
    # -- the unit's Party committee is named once: under two levels it is also the body above --
    bao_cao = f"{vocabulary.DANG_UY.tap_the}, {unit.ubnd_day_du}"
    if unit.dan_van_tren != unit.dang_uy:
        bao_cao += f" và {unit.dan_van_tren}"
    words = {
        "ban": hoso.ten_ban,
        "ban_tat": hoso.ban_dieu_hanh.ten_goi_tat,
        "xa": unit.ten,
        "ubnd": unit.ubnd_day_du,
        "loai": unit.loai,
        "cac_thon": unit.cac_thon,
        "mo_hinh": hoso.ten_mo_hinh,
        "cap_tren": unit.dan_van_tren,
        "bao_cao": bao_cao,
        **values,
    }
    data = _fill(_default_regulation(), words)
    assert isinstance(data, dict)
    return data


def regulation_chapters(hoso: Hoso) -> list[Chuong]:
    """Return the regulation's chapters: the dossier's own or the standard 9 articles."""
    if hoso.quy_che.chuong:
        return list(hoso.quy_che.chuong)
    return [Chuong.model_validate(c) for c in default_text(hoso)["chuong"]]


# ---------------------------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------------------------


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
    trich_yeu = vb.trich_yeu or TRICH_YEU_QUYET_DINH.format(ban=ten_ban)
    qd = hoso.quyet_dinh_thanh_lap
    qd_body = issuer_of(hoso, qd.co_quan)
    established = CAN_CU_THANH_LAP.format(
        loai=QUYET_DINH.ten,
        so_hieu=text.so_hieu_van_ban(qd.so, QUYET_DINH.ky_hieu, qd_body.viet_tat,
                                     qd_body.profile),
        ngay=text.ngay_ngan(qd.ngay), tham_quyen=qd_body.tham_quyen(qd.nhan_danh), ban=ten_ban)
    articles = [
        article(1, DIEU_1.format(ban=ten_ban), []),
        article(2, HIEU_LUC, []),
        article(3, executing_article(hoso, vb, named=False), []),
    ]
    return [decision(KIND_DECISION, hoso, vb, trich_yeu, articles, extra_bases=(established,))]


def build_regulation(loaded: Loaded) -> list[Output]:
    """Return the regulation attached to the adopting decision."""
    hoso = loaded.hoso
    vb = defaults.adopting_decision(hoso)
    body = issuer_of(hoso, vb.co_quan)
    so_hieu = text.so_hieu_van_ban(vb.so, QUYET_DINH.ky_hieu, body.viet_tat, body.profile)
    frame = default_text(hoso, quyet_dinh=QUYET_DINH.ten, so_hieu=so_hieu,
                         ngay=text.ngay_day_du(vb.ngay).removeprefix("ngày "),
                         tham_quyen=body.tham_quyen(vb.nhan_danh))
    chapters: list[dict[str, Any]] = []
    articles: list[dict[str, Any]] = []
    number = 0
    for c, chuong in enumerate(regulation_chapters(hoso), start=1):
        articles = []
        for dieu in chuong.dieu:
            number += 1
            articles.append(article(number, dieu.tieu_de, _article_paragraphs(dieu)))
        chapters.append({"nhan": NHAN_CHUONG.format(so=text.la_ma(c)),
                         "ten": title_lines(chuong.ten, upper=True), "dieu": articles})
    close_body(articles)  # the last chapter's
    trich_yeu = hoso.quy_che.trich_yeu or frame["trich_yeu"]
    context = {
        **header(body, None, QUY_CHE.ky_hieu, vb.ngay, so_line=False, date_line=False),
        "trich_yeu": title_lines(trich_yeu),
        "kem_theo": title_lines(frame["kem_theo"], bold=False, italic=True),
        "chuong": chapters,
    }
    info = meta(f"{QUY_CHE.ten} {text.viet_thuong(trich_yeu[:1])}{trich_yeu[1:]}", body,
                so_hieu, vb.ngay)
    return [single(KIND, body, context, info)]
