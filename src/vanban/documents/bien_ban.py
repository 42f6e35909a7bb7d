"""Biên bản: one file per meeting, from one template.

A meeting's minutes use the wording of ND30 Mẫu 1.9; a conference (hội nghị) gets the words of
a conference record. Every word of the record is written here, in reading order: the template
places them, and the labels it carries itself (``tools/make_templates.py``) come from here too.
"""

from __future__ import annotations

from dataclasses import dataclass

from vanban import text
from vanban.documents.common import (
    BIEN_BAN,
    Loaded,
    Output,
    header,
    issuer_of,
    meta,
    recipients,
    title_lines,
)
from vanban.model import BieuQuyet, CuocHop, Hoso

KIND = "bien-ban"

# ---------------------------------------------------------------------------------------------
# Wording, in reading order
# ---------------------------------------------------------------------------------------------

#: Labels the template carries before the dossier's values.
THOI_GIAN_BAT_DAU = "Thời gian bắt đầu:"
DIA_DIEM = "Địa điểm:"
THANH_PHAN = "Thành phần tham dự:"
#: Who attended, when the dossier counts them; ``{nguoi}`` is :attr:`Words.nguoi`.
SI_SO = "Số {nguoi} được triệu tập: {moi}; có mặt: {co_mat}; vắng mặt: {vang}."
VANG_MAT = "Vắng mặt:"
LY_DO = " (lý do: {ly_do})"
#: A person named with their position: "Đồng chí Nguyễn Văn Hòa, Chủ tịch UBND xã".
DONG_CHI = "Đồng chí {ho_ten}, {chuc_vu}"
#: A vote counted by vanban; the share is rounded (:func:`vanban.text.phan_tram`).
BIEU_QUYET = ("{noi_dung}: {tan_thanh} tán thành{ti_le}; {khong_tan_thanh} không tán thành; "
              "{khong_y_kien} không có ý kiến.")
KET_LUAN = "Kết luận:"
#: The signature block's headings: the secretary (left) and the chair (right).
THU_KY = "THƯ KÝ"
CHU_TOA = "CHỦ TỌA"


@dataclass(frozen=True)
class Words:
    """The words of one kind of record: a meeting (ND30 Mẫu 1.9) or a conference."""

    #: Who attends: "thành viên" of a meeting, "đại biểu" of a conference.
    nguoi: str
    chu_tri: str
    thu_ky: str
    noi_dung: str
    bieu_quyet: str
    #: The closing line, with the end time in ``{gio}``.
    ket_thuc: str


MEETING = Words(
    nguoi="thành viên",
    chu_tri="Chủ trì",
    thu_ky="Thư ký",
    noi_dung="Nội dung cuộc họp:",
    bieu_quyet="Biểu quyết",
    ket_thuc="Cuộc họp kết thúc vào {gio} cùng ngày; biên bản đã được đọc lại cho những người "
    "dự họp cùng nghe và nhất trí thông qua",
)
CONFERENCE = Words(
    nguoi="đại biểu",
    chu_tri="Chủ trì hội nghị",
    thu_ky="Thư ký hội nghị",
    noi_dung="Diễn biến hội nghị:",
    bieu_quyet="Kết quả biểu quyết",
    ket_thuc="Hội nghị kết thúc vào {gio} cùng ngày; biên bản đã được thông qua tại hội nghị",
)


# ---------------------------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------------------------


def _person(hoso: Hoso, name: str) -> str:
    person = hoso.tim_nguoi(name)
    if person is None or not person.chuc_vu:
        return name
    return DONG_CHI.format(ho_ten=person.ho_ten, chuc_vu=person.chuc_vu)


def _items(lines: list[str]) -> list[str]:
    return [
        f"- {text.ket_thuc_bang(x, '.' if i == len(lines) - 1 else ';')}"
        for i, x in enumerate(lines)
    ]


def _vote(bq: BieuQuyet, present: int | None, nguoi: str) -> str:
    """Return a vote as the dossier writes it, or computed with a rounded percentage."""
    if bq.ket_qua:
        return f"{bq.noi_dung}: {text.ket_thuc_bang(bq.ket_qua, '.')}"
    yes = bq.tan_thanh or 0
    base = present if present else yes + bq.khong_tan_thanh + bq.khong_y_kien
    share = f" ({text.phan_tram(yes, base)})" if base else ""
    of = f"{yes}/{base} {nguoi} có mặt" if present else f"{yes} {nguoi}"
    return BIEU_QUYET.format(noi_dung=bq.noi_dung, tan_thanh=of, ti_le=share,
                             khong_tan_thanh=bq.khong_tan_thanh, khong_y_kien=bq.khong_y_kien)


def _absent(hoso: Hoso, hop: CuocHop) -> list[str]:
    lines = []
    for i, vm in enumerate(hop.vang_mat):
        reason = LY_DO.format(ly_do=text.ket_thuc_bang(vm.ly_do, "")) if vm.ly_do else ""
        end = "." if i == len(hop.vang_mat) - 1 else ";"
        lines.append(f"- {_person(hoso, vm.ho_ten)}{reason}{end}")
    return [VANG_MAT, *lines] if lines else []


def _minutes(hoso: Hoso, hop: CuocHop) -> Output:
    body = issuer_of(hoso, hop.co_quan)
    words = CONFERENCE if hop.la_hoi_nghi else MEETING
    agenda = [
        {"tieu_de": f"{i}. {text.ket_thuc_bang(m.tieu_de, '')}", "doan": list(m.dien_bien)}
        for i, m in enumerate(hop.noi_dung, start=1)
    ]
    if hop.bieu_quyet:
        votes = [_vote(bq, hop.so_co_mat, words.nguoi) for bq in hop.bieu_quyet]
        agenda.append({"tieu_de": f"{len(agenda) + 1}. {words.bieu_quyet}", "doan": votes})
    si_so = ""
    if hop.so_moi is not None and hop.so_co_mat is not None:
        si_so = SI_SO.format(nguoi=words.nguoi, moi=hop.so_moi, co_mat=hop.so_co_mat,
                             vang=hop.so_moi - hop.so_co_mat)
    secretary = hoso.tim_nguoi(hop.thu_ky)
    chair = hoso.tim_nguoi(hop.chu_tri)
    context = {
        **header(body, hop.so, BIEN_BAN.ky_hieu, hop.ngay, date_line=False),
        "trich_yeu": title_lines(hop.ten),
        "hop": {
            "bat_dau": f"{text.gio_phut(hop.bat_dau)}, {text.ngay_day_du(hop.ngay)}",
            "dia_diem": hop.dia_diem,
            "thanh_phan": _items(list(hop.thanh_phan)),
            "si_so": si_so,
            "vang_mat": _absent(hoso, hop),
            "chu_tri": f"{words.chu_tri}: {text.ket_thuc_bang(_person(hoso, hop.chu_tri), '.')}",
            "thu_ky": f"{words.thu_ky}: {text.ket_thuc_bang(_person(hoso, hop.thu_ky), '.')}",
            "nhan_noi_dung": words.noi_dung,
            "noi_dung": agenda,
            "ket_luan": _items(list(hop.ket_luan)),
            "ket_thuc": text.ket_thuc_bang(
                words.ket_thuc.format(gio=text.gio_phut(hop.ket_thuc)), "./."
            ),
            "nhan_thu_ky": THU_KY,
            "nhan_chu_toa": CHU_TOA,
            "ten_thu_ky": secretary.ho_ten if secretary else hop.thu_ky,
            "ten_chu_toa": chair.ho_ten if chair else hop.chu_tri,
        },
        "noi_nhan": recipients(list(hop.noi_nhan or []), hop.luu, body),
    }
    so_hieu = text.so_hieu_van_ban(hop.so, BIEN_BAN.ky_hieu, body.viet_tat, body.profile)
    return Output(
        kind=KIND,
        name=f"{KIND}-{hop.ma}",
        template=f"{body.profile}/{KIND}.docx",
        context=context,
        meta=meta(f"{BIEN_BAN.ten} {text.viet_thuong(hop.ten[:1])}{hop.ten[1:]}", body,
                  so_hieu, hop.ngay),
    )


def build(loaded: Loaded) -> list[Output]:
    """Return one Biên bản per meeting in the dossier."""
    return [_minutes(loaded.hoso, hop) for hop in loaded.hoso.cuoc_hop]
