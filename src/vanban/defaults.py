"""Defaults that keep a clerk's dossier short, derived from the dossier itself.

The issuing bodies of a commune (UBND xã, Đảng ủy xã) follow from ``dia_ban`` and the shape of
local government; the legal bases follow from the document's date (:mod:`vanban.catalogue`);
the standard 9-article regulation ships as ``data/quy_che_mac_dinh.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Template

import yaml

from vanban import catalogue, text
from vanban.model import Chuong, CoQuan, Hoso, VanBan


@dataclass(frozen=True)
class Issuer:
    """An issuing body with every field resolved."""

    key: str
    profile: str  # "nd30" or "dang"
    ten: tuple[str, ...]
    cap_tren: str
    viet_tat: str
    tap_the: str
    thu_truong: str
    tham_quyen: str
    dia_danh: str


#: Keys of the bodies vanban can derive on its own.
KNOWN_BODIES = ("ubnd_xa", "dang_uy_xa")


def _builtin_body(hoso: Hoso, key: str) -> CoQuan | None:
    d = hoso.dia_ban
    xa = text.viet_hoa(d.ten_xa)
    if hoso.so_cap == 3 and d.huyen:
        tren_nn = f"UBND {text.viet_hoa(d.ten_huyen)}"
        tren_dang = f"ĐẢNG BỘ {text.viet_hoa(d.ten_huyen)}"
    else:
        tren_nn = f"UBND {text.viet_hoa(d.ten_tinh)}"
        tren_dang = f"ĐẢNG BỘ {text.viet_hoa(d.ten_tinh)}"
    if key == "ubnd_xa":
        return CoQuan(
            loai="nha_nuoc",
            ten=["ỦY BAN NHÂN DÂN", xa],
            cap_tren=tren_nn,
            viet_tat="UBND",
            tap_the="Ủy ban nhân dân",
            thu_truong="Chủ tịch",
            tham_quyen=f"Chủ tịch Ủy ban nhân dân {d.ten_xa}",
        )
    if key == "dang_uy_xa":
        return CoQuan(
            loai="dang",
            ten=[f"ĐẢNG ỦY {xa}"],
            cap_tren=tren_dang,
            viet_tat="ĐU",
            tap_the="Đảng ủy",
            thu_truong="Bí thư",
            tham_quyen=f"Ban Chấp hành Đảng bộ {d.ten_xa}",
        )
    return None


def issuer(hoso: Hoso, key: str) -> Issuer | None:
    """Return the body `key` with its defaults filled in, or None when it cannot be resolved."""
    given = hoso.co_quan.get(key)
    base = _builtin_body(hoso, key)
    if given is None and base is None:
        return None
    merged: dict[str, object] = base.model_dump() if base else {}
    if given is not None:
        merged.update({k: v for k, v in given.model_dump().items() if v is not None})
    if not merged.get("ten") or not merged.get("viet_tat") or not merged.get("thu_truong"):
        return None
    profile = "dang" if merged.get("loai") == "dang" else "nd30"
    ten = tuple(text.viet_hoa(str(t)) for t in merged["ten"])  # type: ignore[attr-defined]
    thu_truong = str(merged["thu_truong"])
    return Issuer(
        key=key,
        profile=profile,
        ten=ten,
        cap_tren=text.viet_hoa(str(merged.get("cap_tren") or "")),
        viet_tat=str(merged["viet_tat"]),
        tap_the=str(merged.get("tap_the") or " ".join(ten)),
        thu_truong=thu_truong,
        tham_quyen=str(merged.get("tham_quyen") or f"{thu_truong} {' '.join(ten).title()}"),
        dia_danh=str(merged.get("dia_danh") or hoso.dia_ban.dia_danh or hoso.dia_ban.xa),
    )


def legal_bases(hoso: Hoso, vb: VanBan) -> list[str]:
    """Return the căn cứ lines of `vb` without final punctuation: given, or chosen by date."""
    if vb.can_cu is not None:
        out = []
        for line in vb.can_cu:
            entry = catalogue.get(line[1:]) if line.startswith("@") else None
            out.append(f"Căn cứ {entry.ten}" if entry else line)
        return out
    return [f"Căn cứ {entry.ten}" for entry in catalogue.default_bases(vb.ngay)]


def board_tasks(hoso: Hoso) -> list[str]:
    """Return the tasks of the board (Điều 2 of the establishing decision)."""
    if hoso.ban_dieu_hanh.nhiem_vu:
        return list(hoso.ban_dieu_hanh.nhiem_vu)
    xa = hoso.dia_ban.ten_xa
    ten = hoso.ban_dieu_hanh.ten_goi_tat
    return [
        f"Tham mưu cho Ủy ban nhân dân {xa} xây dựng và tổ chức thực hiện kế hoạch triển khai mô "
        f"hình “{hoso.ten_mo_hinh}” trên địa bàn {xa}",
        "Phân công nhiệm vụ cụ thể cho từng thành viên; hướng dẫn, đôn đốc, kiểm tra cán bộ, "
        "công chức và các thôn trong quá trình thực hiện mô hình",
        "Tổ chức cho cán bộ, công chức ký cam kết thực hiện; lấy ý kiến đánh giá sự hài lòng của "
        "người dân đối với sự phục vụ của chính quyền",
        "Định kỳ hằng tháng, 6 tháng và năm sơ kết, tổng kết, báo cáo kết quả thực hiện mô hình "
        "với cấp ủy, chính quyền và cấp trên theo quy định",
        f"{ten} được sử dụng con dấu của Ủy ban nhân dân {xa} trong hoạt động; các thành viên "
        f"làm việc theo chế độ kiêm nhiệm; Trưởng ban ban hành Quy chế tổ chức và hoạt động "
        f"của {ten}",
    ]


@cache
def _default_regulation() -> dict[str, object]:
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


def regulation_chapters(hoso: Hoso) -> list[Chuong]:
    """Return the regulation's chapters: the dossier's own or the standard 9 articles."""
    if hoso.quy_che.chuong:
        return list(hoso.quy_che.chuong)
    values = {
        "ban": hoso.ten_ban,
        "ban_tat": hoso.ban_dieu_hanh.ten_goi_tat,
        "xa": hoso.dia_ban.ten_xa,
        "mo_hinh": hoso.ten_mo_hinh,
        "cap_tren": "Ban Dân vận Huyện ủy" if hoso.so_cap == 3 else "Đảng ủy xã",
    }
    data = _fill(_default_regulation(), values)
    assert isinstance(data, dict)
    return [Chuong.model_validate(c) for c in data["chuong"]]
