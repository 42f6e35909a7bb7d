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

from vanban import catalogue, text, vocabulary
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
    #: The body in running text: "Ủy ban nhân dân xã Tân Thọ".
    ten_day_du: str
    #: Authority line when the body issues as a collective.
    tham_quyen_tap_the: str
    dia_danh: str

    @property
    def nhan_danh_mac_dinh(self) -> str:
        """Return who issues by default: a Party committee as a body, a State body's head."""
        return vocabulary.TAP_THE if self.profile == "dang" else vocabulary.THU_TRUONG

    def tham_quyen(self, nhan_danh: str | None) -> str:
        """Return the authority line of a decision issued under `nhan_danh` (None: default)."""
        if (nhan_danh or self.nhan_danh_mac_dinh) == vocabulary.TAP_THE:
            return self.tham_quyen_tap_the
        return f"{self.thu_truong} {self.ten_day_du}"


#: The header's issuer column (``tools/make_templates.py`` HEADER_COLS), in points, and the
#: sizes of its lines: ND30 62.7 mm, 12 pt; Party 74.3 mm, 14 pt.
HEADER_WIDTH_PT = {"nd30": 3555 / 20, "dang": 4210 / 20}
HEADER_SIZE_PT = {"nd30": 12.0, "dang": 14.0}


def header_lines(kind: str, name: str, profile: str, *, bold: bool = True) -> list[str]:
    """Return one header line ``kind name``, or two (``kind`` / ``name``) when it is too wide.

    A long name breaks between the words of the unit type and the proper name, never inside a
    place name ("ĐẢNG ỦY PHƯỜNG" / "HẠC THÀNH", not "ĐẢNG ỦY PHƯỜNG HẠC" / "THÀNH").
    """
    from vanban.render import metrics  # fontTools: only when a header is laid out

    whole = f"{kind} {name}"
    width = metrics.text_width_pt(whole, HEADER_SIZE_PT[profile], bold=bold)
    return [whole] if width <= HEADER_WIDTH_PT[profile] else [kind, name]


#: Keys of the bodies vanban can derive on its own.
KNOWN_BODIES = ("ubnd_xa", "dang_uy_xa")


def _builtin_body(hoso: Hoso, key: str) -> CoQuan | None:
    d = hoso.dia_ban
    loai, ten = text.viet_hoa(d.loai_xa), text.viet_hoa(d.xa)
    if hoso.so_cap == 3 and d.huyen:
        loai_tren, ten_tren = text.viet_hoa(d.loai_huyen), text.viet_hoa(d.huyen)
    else:
        loai_tren, ten_tren = text.viet_hoa(d.loai_tinh), text.viet_hoa(d.tinh)
    tren_nn = "\n".join(header_lines(f"UBND {loai_tren}", ten_tren, "nd30", bold=False))
    tren_dang = "\n".join(header_lines(f"ĐẢNG BỘ {loai_tren}", ten_tren, "dang", bold=False))
    if key == "ubnd_xa":
        return CoQuan(
            loai="nha_nuoc",
            ten=["ỦY BAN NHÂN DÂN", *header_lines(loai, ten, "nd30")],
            cap_tren=tren_nn,
            viet_tat="UBND",
            tap_the="Ủy ban nhân dân",
            thu_truong="Chủ tịch",
            ten_day_du=f"Ủy ban nhân dân {d.ten_xa}",
        )
    if key == "dang_uy_xa":
        return CoQuan(
            loai="dang",
            ten=header_lines(f"ĐẢNG ỦY {loai}", ten, "dang"),
            cap_tren=tren_dang,
            viet_tat="ĐU",
            tap_the="Đảng ủy",
            thu_truong="Bí thư",
            ten_day_du=f"Đảng ủy {d.ten_xa}",
            tham_quyen_tap_the=f"Ban Chấp hành Đảng bộ {d.ten_xa}",
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
    ten_day_du = str(merged.get("ten_day_du") or " ".join(ten).title())
    return Issuer(
        key=key,
        profile=profile,
        ten=ten,
        cap_tren=text.viet_hoa(str(merged.get("cap_tren") or "")),
        viet_tat=str(merged["viet_tat"]),
        tap_the=str(merged.get("tap_the") or " ".join(ten)),
        thu_truong=thu_truong,
        ten_day_du=ten_day_du,
        tham_quyen_tap_the=str(merged.get("tham_quyen_tap_the") or ten_day_du),
        dia_danh=str(merged.get("dia_danh") or hoso.dia_ban.dia_danh or hoso.dia_ban.xa),
    )


def legal_bases(hoso: Hoso, vb: VanBan) -> list[str]:
    """Return the căn cứ lines of `vb` without final punctuation: given, or chosen by date."""
    if vb.can_cu is not None:
        out = []
        for item in vb.can_cu:
            line = item if isinstance(item, str) else item.dong()
            entry = catalogue.get(line[1:]) if line.startswith("@") else None
            out.append(f"Căn cứ {entry.ten}" if entry else line)
        return out
    return [f"Căn cứ {entry.ten}" for entry in catalogue.default_bases(vb.ngay)]


def adopting_decision(hoso: Hoso) -> VanBan:
    """Return the decision adopting the Quy chế: the dossier's, or one like the establishing one."""
    if hoso.quyet_dinh_ban_hanh_quy_che is not None:
        return hoso.quyet_dinh_ban_hanh_quy_che
    qd = hoso.quyet_dinh_thanh_lap
    return qd.model_copy(update={"so": None, "trich_yeu": None, "can_cu": None, "noi_nhan": None})


def board_tasks(hoso: Hoso) -> list[str]:
    """Return the tasks of the board (Điều 2 of the establishing decision).

    The Quy chế is said to be issued by whoever the adopting decision names as its authority.
    """
    if hoso.ban_dieu_hanh.nhiem_vu:
        return list(hoso.ban_dieu_hanh.nhiem_vu)
    unit = vocabulary.don_vi(hoso)
    xa = unit.ten
    ten = hoso.ban_dieu_hanh.ten_goi_tat
    qc = adopting_decision(hoso)
    body = issuer(hoso, qc.co_quan)
    ban_hanh = body.tham_quyen(qc.nhan_danh) if body else f"Ủy ban nhân dân {xa}"
    return [
        f"Tham mưu cho Ủy ban nhân dân {xa} xây dựng và tổ chức thực hiện kế hoạch triển khai mô "
        f"hình “{hoso.ten_mo_hinh}” trên địa bàn {xa}",
        "Phân công nhiệm vụ cụ thể cho từng thành viên; hướng dẫn, đôn đốc, kiểm tra cán bộ, "
        f"công chức và {unit.cac_thon} trong quá trình thực hiện mô hình",
        "Tổ chức cho cán bộ, công chức ký cam kết thực hiện; lấy ý kiến đánh giá sự hài lòng của "
        "người dân đối với sự phục vụ của chính quyền",
        "Định kỳ hằng tháng, 6 tháng và năm sơ kết, tổng kết, báo cáo kết quả thực hiện mô hình "
        "với cấp ủy, chính quyền và cấp trên theo quy định",
        f"{ten} được sử dụng con dấu của Ủy ban nhân dân {xa} trong hoạt động; các thành viên "
        f"làm việc theo chế độ kiêm nhiệm; {ten} xây dựng Quy chế tổ chức và hoạt động, trình "
        f"{ban_hanh} ban hành",
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
    unit = vocabulary.don_vi(hoso)
    # -- the unit's Party committee is named once: under two levels it is also the body above --
    bao_cao = f"Đảng ủy, Ủy ban nhân dân {unit.ten}"
    if unit.dan_van_tren != unit.dang_uy:
        bao_cao += f" và {unit.dan_van_tren}"
    values = {
        "ban": hoso.ten_ban,
        "ban_tat": hoso.ban_dieu_hanh.ten_goi_tat,
        "xa": unit.ten,
        "loai": unit.loai,
        "cac_thon": unit.cac_thon,
        "mo_hinh": hoso.ten_mo_hinh,
        "cap_tren": unit.dan_van_tren,
        "bao_cao": bao_cao,
    }
    data = _fill(_default_regulation(), values)
    assert isinstance(data, dict)
    return [Chuong.model_validate(c) for c in data["chuong"]]
