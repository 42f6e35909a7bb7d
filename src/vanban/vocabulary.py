"""The words that name the unit, its bodies and the signer: one table every document uses.

A document never writes "xã", "thôn", "Huyện ủy" or "TM." itself: it asks this module, so that
a change of unit type (xã, phường, thị trấn, đặc khu) or of signing form is one lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from vanban import text
from vanban.model import Hoso

# ---------------------------------------------------------------------------------------------
# The unit and the bodies around it
# ---------------------------------------------------------------------------------------------

#: Commune-level unit types: xã, phường, thị trấn (until 30/6/2025), đặc khu (from 01/7/2025).
LOAI_XA = ("xã", "phường", "thị trấn", "đặc khu")
#: Unit types that exist only before the two-level government (thị trấn) or only after it
#: (đặc khu).
CHI_BA_CAP = ("thị trấn",)
CHI_HAI_CAP = ("đặc khu",)

#: The sub-units (khu dân cư) each unit type is divided into; the first is the default.
THON: dict[str, tuple[str, ...]] = {
    "xã": ("thôn", "bản", "ấp", "buôn", "làng", "phum", "sóc"),
    "phường": ("tổ dân phố", "khu phố"),
    "thị trấn": ("tổ dân phố", "khu phố"),
    "đặc khu": ("thôn", "tổ dân phố", "khu phố", "ấp", "bản", "làng"),
}
#: Every sub-unit word.
MOI_THON = ("thôn", "bản", "ấp", "buôn", "làng", "phum", "sóc", "tổ dân phố", "khu phố")

#: The Party committee of a district-level unit, by the district's type.
CAP_UY_HUYEN = {"huyện": "Huyện ủy", "quận": "Quận ủy", "thị xã": "Thị ủy", "thành phố": "Thành ủy"}
#: The Party committee of a province-level unit, by the province's type.
CAP_UY_TINH = {"tỉnh": "Tỉnh ủy", "thành phố": "Thành ủy"}


@dataclass(frozen=True)
class DonVi:
    """Every word that names the commune-level unit and the bodies around it."""

    #: Unit type: "xã", "phường", "thị trấn", "đặc khu".
    loai: str
    #: The unit named in running text: "phường Hạc Thành".
    ten: str
    #: Sub-unit word: "thôn", "tổ dân phố".
    thon: str
    #: The Party committee one level up: "Huyện ủy", "Quận ủy", "Tỉnh ủy".
    cap_uy_tren: str
    #: The body the board reports to on the Party side: "Ban Dân vận Huyện ủy" (three levels)
    #: or "Đảng ủy phường" (two levels).
    dan_van_tren: str
    #: The State office that executes the unit's decisions.
    van_phong: str
    #: The unit's Party committee, short: "Đảng ủy xã".
    dang_uy: str
    #: The unit's People's Committee, short: "UBND phường".
    ubnd: str
    #: The unit's People's Committee in running text: "Ủy ban nhân dân phường Hạc Thành".
    ubnd_day_du: str

    @property
    def cac_thon(self) -> str:
        """Return the sub-units in the plural: "các tổ dân phố"."""
        return f"các {self.thon}"


def don_vi(hoso: Hoso) -> DonVi:
    """Return the words of `hoso`'s unit, by its type and the shape of local government."""
    d = hoso.dia_ban
    loai = d.loai_xa
    if hoso.so_cap == 3 and d.huyen:
        cap_uy = CAP_UY_HUYEN[d.loai_huyen]
        dan_van = f"Ban Dân vận {cap_uy}"
        van_phong = "Công chức Văn phòng - Thống kê"
    else:
        cap_uy = CAP_UY_TINH[d.loai_tinh]
        dan_van = f"{DANG_UY.tap_the} {loai}"
        van_phong = f"Chánh Văn phòng Hội đồng nhân dân và {UBND.tap_the} {loai}"
    return DonVi(
        loai=loai,
        ten=d.ten_xa,
        thon=d.loai_thon or THON[loai][0],
        cap_uy_tren=cap_uy,
        dan_van_tren=dan_van,
        van_phong=van_phong,
        dang_uy=f"{DANG_UY.tap_the} {loai}",
        ubnd=f"{UBND.viet_tat} {loai}",
        ubnd_day_du=f"{UBND.tap_the} {d.ten_xa}",
    )


# ---------------------------------------------------------------------------------------------
# The unit's own bodies (what ``co_quan.ubnd_xa`` and ``co_quan.dang_uy_xa`` default to)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoQuanXa:
    """The words of a body every commune-level unit has, before its unit's name."""

    loai: Literal["nha_nuoc", "dang"]
    #: The header's first line: "ỦY BAN NHÂN DÂN" (the unit follows on its own line), or the
    #: words that the unit's type and name follow: "ĐẢNG ỦY".
    tieu_de: str
    #: Whether the header puts the unit on the line(s) after :attr:`tieu_de`.
    tieu_de_rieng: bool
    viet_tat: str
    #: The body as a collective, in running text and in "TM." lines: "Ủy ban nhân dân".
    tap_the: str
    thu_truong: str
    #: The body above the unit, in its header: "UBND" (+ tỉnh/huyện), "ĐẢNG BỘ".
    cap_tren: str
    #: The collective in an authority line, before the unit: "Ban Chấp hành Đảng bộ" (None:
    #: the body's own name).
    tham_quyen_tap_the: str | None = None


UBND = CoQuanXa("nha_nuoc", "ỦY BAN NHÂN DÂN", True, "UBND", "Ủy ban nhân dân", "Chủ tịch",
                "UBND")
DANG_UY = CoQuanXa("dang", "ĐẢNG ỦY", False, "ĐU", "Đảng ủy", "Bí thư", "ĐẢNG BỘ",
                   "Ban Chấp hành Đảng bộ")
#: The bodies vanban derives on its own, by their key in ``co_quan``.
CO_QUAN_XA = {"ubnd_xa": UBND, "dang_uy_xa": DANG_UY}


# ---------------------------------------------------------------------------------------------
# Signing forms (ND30 Phụ lục I Mục II khoản 7; Hướng dẫn 36-HD/VPTW)
# ---------------------------------------------------------------------------------------------

#: Who a decision is issued by: the head in their own name, or the body as a collective.
THU_TRUONG = "thu_truong"
TAP_THE = "tap_the"


@dataclass(frozen=True)
class HinhThucKy:
    """One signing form: the authority lines above the position and who issues under it."""

    #: The dossier's value: "TM", "TM-KT", "T/M", "" (the head in their own name).
    ma: str
    profile: str
    #: Whose authority line the form belongs under: :data:`THU_TRUONG` or :data:`TAP_THE`.
    nhan_danh: str
    #: Authority lines; ``{tap_the}`` and ``{thu_truong}`` are the body's words.
    dong: tuple[str, ...]
    #: The position line when the dossier gives none; |None| when it must be given.
    chuc_vu: str | None
    #: What the form means, for messages.
    nghia: str


def _form(ma: str, profile: str, nhan_danh: str, dong: tuple[str, ...], chuc_vu: str | None,
          nghia: str) -> HinhThucKy:
    return HinhThucKy(ma, profile, nhan_danh, dong, chuc_vu, nghia)


#: What each signing form means, for messages (the same in both profiles).
_DUNG_DAU = "người đứng đầu ký"
_KY_THAY = "cấp phó ký thay người đứng đầu"
_QUYEN = "quyền người đứng đầu ký"
_THUA_LENH = "ký thừa lệnh"
_THUA_UY_QUYEN = "ký thừa ủy quyền"
_TAP_THE_KY_THAY = "cấp phó ký thay mặt tập thể, ký thay người đứng đầu"

#: Every signing form, by profile and value.
HINH_THUC_KY: dict[tuple[str, str], HinhThucKy] = {
    (f.profile, f.ma): f
    for f in (
        _form("", "nd30", THU_TRUONG, (), "{thu_truong}", _DUNG_DAU),
        _form("KT", "nd30", THU_TRUONG, ("KT. {thu_truong}",), "Phó {thu_truong}", _KY_THAY),
        _form("Q", "nd30", THU_TRUONG, ("Q. {thu_truong}",), "", _QUYEN),
        _form("TL", "nd30", THU_TRUONG, ("TL. {thu_truong}",), None, _THUA_LENH),
        _form("TUQ", "nd30", THU_TRUONG, ("TUQ. {thu_truong}",), None, _THUA_UY_QUYEN),
        _form("TM", "nd30", TAP_THE, ("TM. {tap_the}",), "{thu_truong}",
              "người đứng đầu ký thay mặt tập thể"),
        _form("TM-KT", "nd30", TAP_THE, ("TM. {tap_the}", "KT. {thu_truong}"),
              "Phó {thu_truong}", _TAP_THE_KY_THAY),
        _form("", "dang", THU_TRUONG, (), "{thu_truong}", _DUNG_DAU),
        _form("K/T", "dang", THU_TRUONG, ("K/T {thu_truong}",), "Phó {thu_truong}", _KY_THAY),
        _form("Q", "dang", THU_TRUONG, ("Q. {thu_truong}",), "", _QUYEN),
        _form("T/M", "dang", TAP_THE, ("T/M {tap_the}",), "{thu_truong}", "thay mặt tập thể"),
        _form("T/L", "dang", TAP_THE, ("T/L {tap_the}",), None, _THUA_LENH),
    )
}
#: The Party has no "T/M … K/T" form (a committee's deputy secretary signs T/M) and no
#: "T/UQ" (HD 36: T/M, K/T, T/L, Q.); what to write instead, for the message.
KHONG_DUNG_DANG = {
    "T/M-K/T": "cấp phó của tập thể lãnh đạo ký T/M, ghi hinh_thuc_ky: T/M và chuc_vu_ky: Phó Bí thư",
    "T/UQ": "văn bản Đảng không ký thừa ủy quyền; ký thừa lệnh dùng T/L",
}

#: How the name of a Party body that leads as a collective begins (a committee, a cell, a
#: standing board, an inspection commission): its deputies sign T/M, never K/T. Any other
#: Party body (a ban, an office) is an advisory agency, whose head signs in their own name
#: and whose deputies sign K/T (HD 36; format-spec §8.3).
_TAP_THE_LANH_DAO = (
    "ĐẢNG ỦY", "HUYỆN ỦY", "TỈNH ỦY", "THỊ ỦY", "QUẬN ỦY", "THÀNH ỦY", "KHU ỦY",
    "CHI BỘ", "ĐẢNG BỘ", "BAN THƯỜNG VỤ", "BAN CHẤP HÀNH", "BAN CÁN SỰ", "ĐẢNG ĐOÀN",
    "ỦY BAN KIỂM TRA",
)


def leads_as_collective(name: str) -> bool:
    """Tell whether the Party body named `name` (its header lines, any case or tone-mark
    style) leads as a collective (:data:`_TAP_THE_LANH_DAO`)."""
    words = text.viet_hoa(text.doi_kieu_dau(" ".join(name.split()), "truyen_thong"))
    return words.startswith(_TAP_THE_LANH_DAO)


def forms_of(profile: str, nhan_danh: str | None = None) -> list[HinhThucKy]:
    """Return the signing forms of `profile`, only those under `nhan_danh` when given."""
    return [
        f for (p, _), f in HINH_THUC_KY.items()
        if p == profile and (nhan_danh is None or f.nhan_danh == nhan_danh)
    ]


def default_form(profile: str, nhan_danh: str) -> str:
    """Return the signing form used when the dossier gives none."""
    if nhan_danh == TAP_THE:
        return "T/M" if profile == "dang" else "TM"
    return ""


def shown(ma: str) -> str:
    """Return a signing form's value as a clerk writes it ("" reads as a quoted empty string)."""
    return ma or '""'


def signing_lines(form: HinhThucKy, tap_the: str, thu_truong: str,
                  chuc_vu: str | None) -> tuple[list[str], str]:
    """Return the authority lines and the position line, in upper case."""
    words = {"tap_the": text.viet_hoa(tap_the), "thu_truong": text.viet_hoa(thu_truong)}
    lines = [line.format(**words) for line in form.dong]
    position = chuc_vu if chuc_vu else (form.chuc_vu or "").format(thu_truong=thu_truong)
    return lines, text.viet_hoa(position)
