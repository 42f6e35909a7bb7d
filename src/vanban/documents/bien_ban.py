"""Biên bản (ND30 Mẫu 1.9): one file per meeting, from one template."""

from __future__ import annotations

from vanban import text
from vanban.documents.common import (
    BIEN_BAN,
    Loaded,
    Output,
    header,
    issuer_of,
    meta,
    recipients,
)
from vanban.model import CuocHop, Hoso

KIND = "bien-ban"


def _person(hoso: Hoso, name: str) -> str:
    person = hoso.tim_nguoi(name)
    if person is None or not person.chuc_vu:
        return name
    return f"Đồng chí {person.ho_ten}, {person.chuc_vu}"


def _items(lines: list[str]) -> list[str]:
    return [
        f"- {text.ket_thuc_bang(x, '.' if i == len(lines) - 1 else ';')}"
        for i, x in enumerate(lines)
    ]


def _minutes(hoso: Hoso, hop: CuocHop) -> Output:
    body = issuer_of(hoso, hop.co_quan)
    agenda = [
        {"tieu_de": f"{i}. {text.ket_thuc_bang(m.tieu_de, '')}", "doan": list(m.dien_bien)}
        for i, m in enumerate(hop.noi_dung, start=1)
    ]
    if hop.bieu_quyet:
        votes = []
        for bq in hop.bieu_quyet:
            line = f"{bq.noi_dung}: {bq.tan_thanh} đại biểu tán thành"
            if hop.so_co_mat:
                line += f" ({bq.tan_thanh * 100 // hop.so_co_mat}% số đại biểu có mặt)"
            line += f", {bq.khong_tan_thanh} không tán thành, {bq.khong_y_kien} không có ý kiến."
            votes.append(line)
        agenda.append({"tieu_de": f"{len(agenda) + 1}. Biểu quyết", "doan": votes})
    si_so = ""
    if hop.so_moi is not None and hop.so_co_mat is not None:
        si_so = (
            f"Số đại biểu được mời: {hop.so_moi}; có mặt: {hop.so_co_mat}; "
            f"vắng mặt: {hop.so_moi - hop.so_co_mat}."
        )
    secretary = hoso.tim_nguoi(hop.thu_ky)
    chair = hoso.tim_nguoi(hop.chu_tri)
    context = {
        **header(body, hop.so, BIEN_BAN.ky_hieu, hop.ngay, date_line=False),
        "trich_yeu": hop.ten,
        "hop": {
            "bat_dau": f"{text.gio_phut(hop.bat_dau)}, {text.ngay_day_du(hop.ngay)}",
            "dia_diem": hop.dia_diem,
            "thanh_phan": _items(list(hop.thanh_phan)),
            "si_so": si_so,
            "chu_tri": _person(hoso, hop.chu_tri),
            "thu_ky": _person(hoso, hop.thu_ky),
            "noi_dung": agenda,
            "ket_luan": _items(list(hop.ket_luan)),
            "ket_thuc": (
                f"{text.gio_phut(hop.ket_thuc)} cùng ngày; biên bản đã được đọc lại cho những "
                "người dự họp cùng nghe và nhất trí"
            ),
            "nhan_thu_ky": "THƯ KÝ",
            "nhan_chu_toa": "CHỦ TỌA",
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
        meta=meta(f"Biên bản {text.viet_thuong(hop.ten[:1])}{hop.ten[1:]}", body, so_hieu,
                  hop.ngay),
    )


def build(loaded: Loaded) -> list[Output]:
    """Return one Biên bản per meeting in the dossier."""
    return [_minutes(loaded.hoso, hop) for hop in loaded.hoso.cuoc_hop]
