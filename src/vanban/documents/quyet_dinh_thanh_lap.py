"""Quyết định thành lập Ban điều hành (ND30 Mẫu 1.2: a decision that decides directly).

Every word of the decision that is not the dossier's own is written here, in reading order;
the words every decision shares (the verdict line, Nơi nhận, the effect and execution
articles) are in :mod:`vanban.documents.common`, those naming the unit and the signer in
:mod:`vanban.vocabulary`.
"""

from __future__ import annotations

from vanban import defaults, text, vocabulary
from vanban.documents.common import (
    HIEU_LUC,
    Loaded,
    Output,
    article,
    decision,
    executing_article,
)
from vanban.model import Hoso

KIND = "quyet-dinh-thanh-lap-ban-dieu-hanh"

# ---------------------------------------------------------------------------------------------
# Wording, in reading order
# ---------------------------------------------------------------------------------------------

TRICH_YEU = "Về việc thành lập {ban}"
DIEU_1 = ("Thành lập {ban} (sau đây gọi tắt là {ban_tat}), gồm {so_thanh_vien} thành viên có "
          "tên sau:")
#: The member table's headings (``tools/make_templates.py`` bakes them into the template).
BANG_THANH_VIEN = ("STT", "Họ và tên", "Chức vụ", "Nhiệm vụ trong Ban")
#: A member's task in the board: their role, and the area they are in charge of.
NHIEM_VU_THANH_VIEN = "{vai_tro}, phụ trách {nhiem_vu}"
DIEU_2 = "Nhiệm vụ của {ban_tat}:"
DIEU_3 = "Hiệu lực và trách nhiệm thi hành."


def board_tasks(hoso: Hoso) -> list[str]:
    """Return the tasks of the board (Điều 2): the dossier's, or these.

    The Quy chế is said to be issued by whoever the adopting decision names as its authority.
    Only a State decision lets the board use the People's Committee's seal: a Party body has
    no power over it.
    """
    if hoso.ban_dieu_hanh.nhiem_vu:
        return list(hoso.ban_dieu_hanh.nhiem_vu)
    unit = vocabulary.don_vi(hoso)
    ban_tat = hoso.ban_dieu_hanh.ten_goi_tat
    qc = defaults.adopting_decision(hoso)
    body = defaults.issuer(hoso, qc.co_quan)
    ban_hanh = body.tham_quyen(qc.nhan_danh) if body else unit.ubnd_day_du
    founder = defaults.issuer(hoso, hoso.quyet_dinh_thanh_lap.co_quan)
    seal = (f"{ban_tat} được sử dụng con dấu của {unit.ubnd_day_du} trong hoạt động; "
            if founder is None or founder.profile == "nd30" else "")
    return [
        f"Tham mưu cho {unit.ubnd_day_du} xây dựng và tổ chức thực hiện kế hoạch triển khai mô "
        f"hình “{hoso.ten_mo_hinh}” trên địa bàn {unit.ten}",
        "Phân công nhiệm vụ cụ thể cho từng thành viên; hướng dẫn, đôn đốc, kiểm tra cán bộ, "
        f"công chức và {unit.cac_thon} trong quá trình thực hiện mô hình",
        "Tổ chức cho cán bộ, công chức ký cam kết thực hiện; lấy ý kiến đánh giá sự hài lòng của "
        "người dân đối với sự phục vụ của chính quyền",
        "Định kỳ hằng tháng, 6 tháng và năm sơ kết, tổng kết, báo cáo kết quả thực hiện mô hình "
        "với cấp ủy, chính quyền và cấp trên theo quy định",
        text.viet_hoa_chu_dau(
            f"{seal}các thành viên làm việc theo chế độ kiêm nhiệm; {ban_tat} xây dựng Quy chế "
            f"tổ chức và hoạt động, trình {ban_hanh} ban hành"),
    ]


# ---------------------------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------------------------


def build(loaded: Loaded) -> list[Output]:
    """Return the establishing decision."""
    hoso = loaded.hoso
    vb = hoso.quyet_dinh_thanh_lap
    ban = hoso.ban_dieu_hanh
    names = {"ban": hoso.ten_ban, "ban_tat": ban.ten_goi_tat}
    members = [
        {
            "stt": str(i),
            "ho_ten": tv.ho_ten,
            "chuc_vu": tv.chuc_vu,
            "nhiem_vu_trong_ban": (
                NHIEM_VU_THANH_VIEN.format(vai_tro=tv.vai_tro, nhiem_vu=tv.nhiem_vu)
                if tv.nhiem_vu else tv.vai_tro
            ),
        }
        for i, tv in enumerate(ban.thanh_vien, start=1)
    ]
    tasks = board_tasks(hoso)
    articles = [
        article(1, DIEU_1.format(**names, so_thanh_vien=text.so_kem_chu(len(ban.thanh_vien))),
                [], table=True),
        article(2, DIEU_2.format(**names),
                [f"{i}. {text.ket_thuc_bang(t, '.')}" for i, t in enumerate(tasks, start=1)]),
        article(3, DIEU_3, [HIEU_LUC, executing_article(hoso, vb, named=True)]),
    ]
    trich_yeu = vb.trich_yeu or TRICH_YEU.format(**names)
    return [decision(KIND, hoso, vb, trich_yeu, articles, members=members)]
