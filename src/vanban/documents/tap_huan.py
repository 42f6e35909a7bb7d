"""Training paperwork issued by a Party body: one handout per topic, the attendance list and
the evaluation form (Hướng dẫn 36-HD/VPTW layout).

Every word of the three kinds that is not the dossier's is written here, in reading order; the
labels the templates carry themselves (``tools/make_templates.py``) come from here too.
"""

from __future__ import annotations

from typing import Any

from vanban import markdown, text, vocabulary
from vanban.defaults import Issuer
from vanban.documents.common import (
    Loaded,
    Output,
    RichContent,
    header,
    issuer_of,
    meta,
    single,
    title_lines,
)
from vanban.model import ChuyenDe, HocVien, Hoso, TapHuan, ThanhVien

KIND_HANDOUT = "tai-lieu-chuyen-de"
KIND_ATTENDANCE = "danh-sach-hoc-vien"
KIND_EVALUATION = "phieu-danh-gia"

#: A handout longer than this many pages gets a table of contents.
TOC_AFTER_PAGES = 4

# ---------------------------------------------------------------------------------------------
# Wording, in reading order
# ---------------------------------------------------------------------------------------------

#: The event every training document names.
SU_KIEN = "Hội nghị tập huấn xây dựng mô hình “{mo_hinh}” tại {xa}, {ngay}"

# -- the handout --
TEN_TAI_LIEU = "TÀI LIỆU TẬP HUẤN"
CHUYEN_DE = "Chuyên đề {n}: {tieu_de}"
BAO_CAO_VIEN = "Báo cáo viên: đồng chí {ho_ten}"
MUC_LUC = "MỤC LỤC"
TIEU_DE_TAI_LIEU = "Tài liệu tập huấn - {trich_yeu}"

# -- the attendance list --
TEN_DANH_SACH = "DANH SÁCH HỌC VIÊN"
TRICH_YEU_DANH_SACH = "Tham dự {su_kien}"
THOI_GIAN = "Thời gian:"
DIA_DIEM = "Địa điểm:"
BANG_HOC_VIEN = ("STT", "Họ và tên", "Chức vụ", "Đơn vị", "Ký nhận tài liệu", "Ký tên")
NGUOI_LAP = "NGƯỜI LẬP DANH SÁCH"
KY_GHI_RO = "(Ký, ghi rõ họ tên)"
TIEU_DE_DANH_SACH = "Danh sách học viên {su_kien}"

# -- the evaluation form --
TEN_PHIEU = "PHIẾU ĐÁNH GIÁ"
HUONG_DAN = ("Để nâng cao chất lượng tập huấn, đề nghị đồng chí cho biết ý kiến bằng cách đánh "
             "dấu (x) vào ô phù hợp. Phiếu không ghi tên người trả lời.")
BANG_DANH_GIA = ("STT", "Nội dung đánh giá", "Rất tốt", "Tốt", "Đạt", "Chưa đạt")
TIEU_CHI_CHUYEN_DE = "Nội dung Chuyên đề {n}: {tieu_de}"
#: The criteria after one per topic; ``{loai}`` is the unit type ("xã", "phường"…).
TIEU_CHI = (
    "Tài liệu tập huấn sát với công việc của cán bộ, công chức ở {loai}",
    "Cách truyền đạt của báo cáo viên; thời gian trao đổi, thảo luận",
    "Khả năng vận dụng vào việc thực hiện mô hình tại địa phương",
    "Thời gian, địa điểm và công tác tổ chức hội nghị",
)
CAU_HOI_MO = (
    "1. Nội dung đồng chí thấy cần thiết nhất cho công việc của mình:",
    "2. Nội dung cần bổ sung hoặc làm rõ thêm:",
    "3. Đề xuất, kiến nghị để thực hiện mô hình ở địa phương có hiệu quả:",
)
CAM_ON = "Xin trân trọng cảm ơn đồng chí!"
TIEU_DE_PHIEU = "Phiếu đánh giá {su_kien}"

# ---------------------------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------------------------


def content_blocks(loaded: Loaded, cd: ChuyenDe) -> list[markdown.MarkdownBlock]:
    """Return the topic's content blocks, from its text or its Markdown file (as checked)."""
    source = cd.noi_dung if cd.noi_dung else loaded.topics[str(cd.tep)]
    return markdown.parse(text.nfc(source))


def _event(hoso: Hoso, th: TapHuan) -> str:
    return SU_KIEN.format(mo_hinh=hoso.ten_mo_hinh, xa=hoso.dia_ban.ten_xa,
                          ngay=text.ngay_day_du(th.ngay))


def _presenter(hoso: Hoso, name: str | None) -> str:
    if not name:
        return ""
    person = hoso.tim_nguoi(name)
    position = f", {person.chuc_vu}" if person and person.chuc_vu else ""
    return BAO_CAO_VIEN.format(ho_ten=name) + position


def _training(loaded: Loaded) -> tuple[Hoso, TapHuan, Issuer] | None:
    """Return the dossier, its training and the training's issuer, if there is a training."""
    th = loaded.hoso.tap_huan
    return None if th is None else (loaded.hoso, th, issuer_of(loaded.hoso, th.co_quan))


def build_handouts(loaded: Loaded) -> list[Output]:
    """Return one handout per topic; a long one is given its table of contents at render."""
    if (found := _training(loaded)) is None:
        return []
    hoso, th, body = found
    out = []
    for n, cd in enumerate(th.chuyen_de, start=1):
        blocks = content_blocks(loaded, cd)
        trich_yeu = CHUYEN_DE.format(n=n, tieu_de=cd.tieu_de)
        context = {
            **header(body, None, "", th.ngay, so_line=False),
            "trich_yeu": title_lines(trich_yeu),
            "bao_cao_vien": _presenter(hoso, cd.bao_cao_vien),
            "muc_luc": [],
            "noi_dung": RichContent(tuple(blocks)),
        }
        out.append(
            Output(
                kind=KIND_HANDOUT,
                name=f"{KIND_HANDOUT}-{n}",
                template=f"dang/{KIND_HANDOUT}.docx",
                context=context,
                meta=meta(TIEU_DE_TAI_LIEU.format(trich_yeu=trich_yeu), body, "", th.ngay),
                extra={
                    "muc_luc": [b.text for b in markdown.headings(blocks)],
                    "muc_luc_sau_trang": TOC_AFTER_PAGES,
                },
            )
        )
    return out


def participants(hoso: Hoso, th: TapHuan) -> list[HocVien | ThanhVien]:
    """Return everyone the dossier names for the training, once each, in list order.

    The ``hoc_vien`` come first as given; then, unless ``moi_ban_dieu_hanh`` is off, each
    board member they do not already name (the same name, case and composition aside).
    """
    people: list[HocVien | ThanhVien] = list(th.hoc_vien)
    seen = {text.viet_thuong(p.ho_ten) for p in people}
    if th.moi_ban_dieu_hanh:
        for tv in hoso.ban_dieu_hanh.thanh_vien:
            if text.viet_thuong(tv.ho_ten) not in seen:
                seen.add(text.viet_thuong(tv.ho_ten))
                people.append(tv)
    return people


def build_attendance(loaded: Loaded) -> list[Output]:
    """Return the attendance and handout-receipt list, with blank rows for walk-ins.

    ``extra["dong_trong"]`` is the number of blank rows the dossier asks for and
    ``extra["voi_dong_trong"]`` gives the context with another number, for the fitting pass.
    """
    if (found := _training(loaded)) is None:
        return []
    hoso, th, body = found

    def with_blank_rows(blank: int) -> dict[str, Any]:
        rows = [
            {"stt": str(i), "ho_ten": p.ho_ten, "chuc_vu": p.chuc_vu, "don_vi": p.don_vi}
            for i, p in enumerate(participants(hoso, th), start=1)
        ]
        start = len(rows) + 1
        rows += [
            {"stt": str(i), "ho_ten": "", "chuc_vu": "", "don_vi": ""}
            for i in range(start, start + blank)
        ]
        return {
            **header(body, None, "", th.ngay, so_line=False),
            "trich_yeu": title_lines(TRICH_YEU_DANH_SACH.format(su_kien=_event(hoso, th))),
            "thoi_gian": text.ngay_day_du(th.ngay),
            "dia_diem": th.dia_diem,
            "hoc_vien": rows,
            "nguoi_lap": th.nguoi_lap,
        }

    info = meta(TIEU_DE_DANH_SACH.format(su_kien=_event(hoso, th)), body, "", th.ngay)
    out = single(KIND_ATTENDANCE, body, with_blank_rows(th.so_dong_trong), info)
    out.extra = {"dong_trong": th.so_dong_trong, "voi_dong_trong": with_blank_rows}
    return [out]


def build_evaluation(loaded: Loaded) -> list[Output]:
    """Return the participants' evaluation form."""
    if (found := _training(loaded)) is None:
        return []
    hoso, th, body = found
    unit = vocabulary.don_vi(hoso)
    criteria = [TIEU_CHI_CHUYEN_DE.format(n=n, tieu_de=cd.tieu_de)
                for n, cd in enumerate(th.chuyen_de, 1)]
    criteria += [c.format(loai=unit.loai) for c in TIEU_CHI]
    context = {
        **header(body, None, "", th.ngay, so_line=False),
        "trich_yeu": title_lines(_event(hoso, th)),
        "huong_dan": HUONG_DAN,
        "tieu_chi": [{"stt": str(i), "noi_dung": c} for i, c in enumerate(criteria, start=1)],
        "cau_hoi_mo": list(CAU_HOI_MO),
    }
    info = meta(TIEU_DE_PHIEU.format(su_kien=_event(hoso, th)), body, "", th.ngay)
    return [single(KIND_EVALUATION, body, context, info)]
