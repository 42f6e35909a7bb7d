"""Defaults that keep a clerk's dossier short, derived from the dossier itself.

The issuing bodies of a commune (UBND xã, Đảng ủy xã) follow from ``dia_ban`` and the shape of
local government (their words: :mod:`vanban.vocabulary`); the legal bases follow from the
document's date (:mod:`vanban.catalogue`). A document's own default wording lives in its module
under :mod:`vanban.documents`.
"""

from __future__ import annotations

from dataclasses import dataclass

from vanban import catalogue, text, vocabulary
from vanban.model import CoQuan, Hoso, VanBan


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
    def tap_the_lanh_dao(self) -> bool:
        """Tell whether the body is a Party body that leads as a collective (a committee, not
        a ban): :func:`vanban.vocabulary.leads_as_collective`."""
        return self.profile == "dang" and vocabulary.leads_as_collective(" ".join(self.ten))

    @property
    def nhan_danh_mac_dinh(self) -> str:
        """Return who issues by default: a Party committee as a body; a State body's head, and
        the head of a Party advisory body (a ban)."""
        return vocabulary.TAP_THE if self.tap_the_lanh_dao else vocabulary.THU_TRUONG

    def tham_quyen(self, nhan_danh: str | None) -> str:
        """Return the authority line of a decision issued under `nhan_danh` (None: default)."""
        if (nhan_danh or self.nhan_danh_mac_dinh) == vocabulary.TAP_THE:
            return self.tham_quyen_tap_the
        return text.noi_chuc_danh(self.thu_truong, self.ten_day_du)


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
KNOWN_BODIES = tuple(vocabulary.CO_QUAN_XA)


def _builtin_body(hoso: Hoso, key: str) -> CoQuan | None:
    words = vocabulary.CO_QUAN_XA.get(key)
    if words is None:
        return None
    d = hoso.dia_ban
    loai, ten = text.viet_hoa(d.loai_xa), text.viet_hoa(d.xa)
    if hoso.so_cap == 3 and d.huyen:
        loai_tren, ten_tren = text.viet_hoa(d.loai_huyen), text.viet_hoa(d.huyen)
    else:
        loai_tren, ten_tren = text.viet_hoa(d.loai_tinh), text.viet_hoa(d.tinh)
    profile = "dang" if words.loai == "dang" else "nd30"
    if words.tieu_de_rieng:
        lines = [words.tieu_de, *header_lines(loai, ten, profile)]
    else:
        lines = header_lines(f"{words.tieu_de} {loai}", ten, profile)
    full = f"{words.tap_the} {d.ten_xa}"
    return CoQuan(
        loai=words.loai,
        ten=lines,
        cap_tren="\n".join(header_lines(f"{words.cap_tren} {loai_tren}", ten_tren, profile,
                                         bold=False)),
        viet_tat=words.viet_tat,
        tap_the=words.tap_the,
        thu_truong=words.thu_truong,
        ten_day_du=full,
        tham_quyen_tap_the=(f"{words.tham_quyen_tap_the} {d.ten_xa}"
                            if words.tham_quyen_tap_the else None),
    )


def _places(hoso: Hoso) -> list[str]:
    """Return the dossier's place names in capitals, the longest first."""
    d = hoso.dia_ban
    names = {text.viet_hoa(n) for n in (d.xa, d.huyen, d.tinh) if n}
    return sorted(names, key=len, reverse=True)


def _at_place(line: str, places: list[str], profile: str, *, bold: bool = True) -> list[str]:
    """Return a header line as one line, or as two (:func:`header_lines`) before the place
    name it ends with when it is too wide for the header's column."""
    for place in places:
        if line.endswith(f" {place}"):
            return header_lines(line[: -len(place) - 1], place, profile, bold=bold)
    return [line]


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
    cap_tren = text.viet_hoa(str(merged.get("cap_tren") or ""))
    if given is not None:
        # -- lines the dossier gives are broken as vanban breaks its own when too wide --
        places = _places(hoso)
        ten = tuple(part for line in ten for part in _at_place(line, places, profile))
        cap_tren = "\n".join(part for line in cap_tren.split("\n")
                             for part in _at_place(line, places, profile, bold=False))
    thu_truong = str(merged["thu_truong"])
    ten_day_du = str(merged.get("ten_day_du") or text.ten_co_quan(" ".join(ten)))
    return Issuer(
        key=key,
        profile=profile,
        ten=ten,
        cap_tren=cap_tren,
        viet_tat=str(merged["viet_tat"]),
        tap_the=str(merged.get("tap_the") or ten_day_du),
        thu_truong=thu_truong,
        ten_day_du=ten_day_du,
        tham_quyen_tap_the=str(merged.get("tham_quyen_tap_the") or ten_day_du),
        dia_danh=str(merged.get("dia_danh") or hoso.dia_ban.noi_ban_hanh),
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
