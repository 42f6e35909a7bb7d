"""The DOCX templates: tags, styles, and rendered output that meets the decree's rules."""

from __future__ import annotations

import copy
import importlib.util
import re
import sys
import unicodedata
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

from vanban.documents import Meta
from vanban.render.docx import render_docx

if __package__:
    from . import rules
else:
    import rules

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates_docx"
PROFILES = ("nd30", "dang")
NAMES = ("quyet-dinh-thanh-lap-ban-dieu-hanh", "quyet-dinh-ban-hanh-quy-che", "quy-che", "bien-ban")
CASES = [(profile, name) for profile in PROFILES for name in NAMES]
IDS = [f"{profile}-{name}" for profile, name in CASES]

#: Top-level tags of the contract (docs/mau-van-ban.md, "Context").
CONTRACT_TAGS = {
    "co_quan", "so_ky_hieu", "dia_danh_ngay", "trich_yeu", "noi_nhan", "ky",
    "tham_quyen_ban_hanh", "can_cu", "dieu", "thanh_vien", "kem_theo", "chuong", "hop",
}
#: The tags each template uses (both profiles).
TEMPLATE_TAGS = {
    "quyet-dinh-thanh-lap-ban-dieu-hanh": {
        "co_quan", "so_ky_hieu", "dia_danh_ngay", "trich_yeu", "tham_quyen_ban_hanh", "can_cu",
        "dieu", "thanh_vien", "noi_nhan", "ky",
    },
    "quyet-dinh-ban-hanh-quy-che": {
        "co_quan", "so_ky_hieu", "dia_danh_ngay", "trich_yeu", "tham_quyen_ban_hanh", "can_cu",
        "dieu", "noi_nhan", "ky",
    },
    "quy-che": {"co_quan", "trich_yeu", "kem_theo", "chuong"},
    "bien-ban": {"co_quan", "so_ky_hieu", "trich_yeu", "hop", "noi_nhan"},
}
CONTRACT_STYLES = (
    "VB Cơ quan cấp trên", "VB Cơ quan ban hành", "VB Dấu sao", "VB Kẻ ngắn", "VB Quốc hiệu",
    "VB Tiêu ngữ", "VB Tiêu đề Đảng", "VB Kẻ dài", "VB Số ký hiệu", "VB Địa danh ngày",
    "VB Tên loại", "VB Trích yếu", "VB Gạch ngang", "VB Kèm theo", "VB Thẩm quyền", "VB Căn cứ",
    "VB Quyết định", "VB Nội dung", "VB Điều", "VB Chương", "VB Tên chương", "VB Phần", "VB Mục",
    "VB Trích dẫn", "VB Nhãn", "VB Nơi nhận", "VB Nơi nhận mục", "VB Thẩm quyền ký",
    "VB Chức vụ ký", "VB Chữ ký trống", "VB Người ký", "VB Bảng", "VB Bảng tiêu đề", "VB Mục lục",
    "VB Số trang",
)


def kind_of(name: str) -> str:
    """The checker's kind for template `name`."""
    return "quyet-dinh" if name.startswith("quyet-dinh") else name


# ---------------------------------------------------------------------------------------------
# Sample dossier: xã Tân Thọ, huyện Nông Cống, tỉnh Thanh Hóa (2023)
# ---------------------------------------------------------------------------------------------

MO_HINH = "mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ” xã Tân Thọ"
NGAY_QD = "ngày 25 tháng 5 năm 2023"

MEMBERS = [
    ("Nguyễn Văn Hòa", "Chủ tịch UBND xã", "Trưởng ban"),
    ("Lê Văn Thành", "Phó Chủ tịch UBND xã", "Phó Trưởng ban thường trực"),
    ("Trần Thị Thủy", "Phó Chủ tịch UBND xã", "Phó Trưởng ban"),
    ("Lê Thị Mai", "Công chức Văn phòng - Thống kê", "Thành viên, Thư ký"),
    ("Nguyễn Đình Khôi", "Trưởng Công an xã", "Thành viên"),
    ("Hoàng Văn Tuấn", "Chỉ huy trưởng Ban Chỉ huy Quân sự xã", "Thành viên"),
    ("Phạm Thị Lan", "Công chức Tư pháp - Hộ tịch", "Thành viên"),
    ("Đỗ Văn Nam", "Công chức Địa chính - Xây dựng", "Thành viên"),
    ("Vũ Thị Hương", "Công chức Văn hóa - Xã hội", "Thành viên"),
    ("Lê Đình Quang", "Công chức Tài chính - Kế toán", "Thành viên"),
    ("Nguyễn Thị Hằng", "Chủ tịch Ủy ban MTTQ Việt Nam xã", "Thành viên"),
    ("Trịnh Văn Lực", "Chủ tịch Hội Nông dân xã", "Thành viên"),
    ("Lê Thị Nga", "Chủ tịch Hội Liên hiệp Phụ nữ xã", "Thành viên"),
    ("Mai Văn Hùng", "Chủ tịch Hội Cựu chiến binh xã", "Thành viên"),
    ("Nguyễn Văn Đức", "Bí thư Đoàn Thanh niên xã", "Thành viên"),
    ("Lê Văn Sơn", "Trưởng thôn Tân Hưng", "Thành viên"),
]


def _issuer(profile: str) -> dict[str, Any]:
    if profile == "nd30":
        return {"cap_tren": "UBND HUYỆN NÔNG CỐNG", "dong": ["ỦY BAN NHÂN DÂN", "XÃ TÂN THỌ"]}
    return {"cap_tren": "ĐẢNG BỘ HUYỆN NÔNG CỐNG", "dong": ["ĐẢNG ỦY XÃ TÂN THỌ"]}


def _so(profile: str, number: str, abbr: str) -> str:
    return f"Số: {number}/{abbr}-UBND" if profile == "nd30" else f"Số {number}-{abbr}/ĐU"


def _signer(profile: str) -> dict[str, Any]:
    if profile == "nd30":
        return {"quyen_han": ["TM. ỦY BAN NHÂN DÂN"], "chuc_vu": "CHỦ TỊCH",
                "ho_ten": "Nguyễn Văn Hòa"}
    return {"quyen_han": ["T/M ĐẢNG ỦY"], "chuc_vu": "BÍ THƯ", "ho_ten": "Lê Đình Thắng"}


def _noi_nhan(profile: str, first: str, *others: str) -> list[str]:
    if profile == "nd30":
        return [f"- {first};", *(f"- {o};" for o in others), "- Lưu: VT, VP."]
    return [f"- {first},", *(f"- {o}," for o in others), "- Lưu Văn phòng Đảng ủy."]


def _can_cu(profile: str, *, quy_che: bool) -> list[str]:
    if profile == "nd30":
        lines = [
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, "
            "bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa "
            "phương ngày 22 tháng 11 năm 2019;",
            "Căn cứ Kế hoạch số 112/KH-UBND ngày 10 tháng 5 năm 2023 của Ủy ban nhân dân huyện "
            "Nông Cống về triển khai thực hiện mô hình “Chính quyền thân thiện, vì Nhân dân phục "
            "vụ”;",
        ]
        if quy_che:
            lines.append("Căn cứ Quyết định số 45/QĐ-UBND ngày 25 tháng 5 năm 2023 của Chủ tịch "
                         f"Ủy ban nhân dân xã về việc thành lập Ban điều hành {MO_HINH};")
        return [*lines, "Theo đề nghị của Công chức Văn phòng - Thống kê xã."]
    return [
        "- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
        "- Căn cứ Quy chế làm việc của Ban Chấp hành Đảng bộ xã Tân Thọ nhiệm kỳ 2020 - 2025;",
        "- Xét đề nghị của Văn phòng Đảng ủy,",
    ]


def _decision_articles(profile: str, *, quy_che: bool) -> list[dict[str, Any]]:
    ubnd = "Ủy ban nhân dân xã" if profile == "nd30" else "Đảng ủy xã"
    if quy_che:
        first = {
            "nhan": "Điều 1.",
            "tieu_de": f"Ban hành kèm theo Quyết định này Quy chế hoạt động của Ban điều hành "
                       f"{MO_HINH}.",
            "doan": [], "bang": False,
        }
    else:
        first = {
            "nhan": "Điều 1.",
            "tieu_de": f"Thành lập Ban điều hành {MO_HINH}, gồm các ông (bà) có tên sau:",
            "doan": ["Ban điều hành tự giải thể sau khi hoàn thành nhiệm vụ."], "bang": True,
        }
    return [
        first,
        {
            "nhan": "Điều 2.",
            "tieu_de": "Nhiệm vụ của Ban điều hành:" if not quy_che
            else "Quyết định này có hiệu lực kể từ ngày ký.",
            "doan": [
                f"1. Tham mưu cho {ubnd} xây dựng kế hoạch triển khai mô hình; phân công nhiệm "
                "vụ cụ thể cho từng thành viên.",
                "2. Chỉ đạo, hướng dẫn, kiểm tra việc thực hiện mô hình tại Bộ phận Tiếp nhận "
                "và Trả kết quả, các thôn trên địa bàn xã:",
                "a) Niêm yết công khai thủ tục hành chính;",
                "b) Tiếp nhận, xử lý phản ánh, kiến nghị của người dân.",
                "3. Định kỳ sơ kết, tổng kết, báo cáo kết quả thực hiện mô hình.",
            ] if not quy_che else [],
            "bang": False,
        },
        {
            "nhan": "Điều 3.",
            "tieu_de": "Tổ chức thực hiện." if not quy_che else "Trách nhiệm thi hành.",
            "doan": [
                "Quyết định này có hiệu lực kể từ ngày ký. Văn phòng, các ban, ngành, đoàn thể "
                "xã, Trưởng các thôn và các ông (bà) có tên tại Điều 1 chịu trách nhiệm thi hành "
                "Quyết định này./."
                if not quy_che else
                "Văn phòng, các ban, ngành, đoàn thể xã và các thành viên Ban điều hành chịu "
                "trách nhiệm thi hành Quyết định này./."
            ],
            "bang": False,
        },
    ]


def _chapters() -> list[dict[str, Any]]:
    def art(n: int, title: str, *doan: str) -> dict[str, Any]:
        return {"nhan": f"Điều {n}.", "tieu_de": title, "doan": list(doan), "bang": False}

    return [
        {"nhan": "Chương I", "ten": "QUY ĐỊNH CHUNG", "dieu": [
            art(1, "Phạm vi điều chỉnh và đối tượng áp dụng",
                "1. Quy chế này quy định nguyên tắc, nhiệm vụ, chế độ làm việc của Ban điều hành "
                f"{MO_HINH}.",
                "2. Quy chế áp dụng đối với các thành viên Ban điều hành."),
            art(2, "Nguyên tắc hoạt động",
                "Ban điều hành làm việc theo nguyên tắc tập trung dân chủ, đề cao trách nhiệm cá "
                "nhân của Trưởng ban và các thành viên."),
        ]},
        {"nhan": "Chương II", "ten": "NHIỆM VỤ, QUYỀN HẠN", "dieu": [
            art(3, "Nhiệm vụ của Ban điều hành",
                "1. Xây dựng kế hoạch triển khai mô hình hằng năm.",
                "2. Chỉ đạo thực hiện các nội dung của mô hình:",
                "a) Cải cách thủ tục hành chính, rút ngắn thời gian giải quyết hồ sơ;",
                "b) Nâng cao tinh thần, thái độ phục vụ của cán bộ, công chức;",
                "c) Tiếp nhận và trả lời phản ánh, kiến nghị của người dân;",
                "d) Ứng dụng công nghệ thông tin trong giải quyết công việc;",
                "đ) Kiểm tra, đánh giá kết quả thực hiện hằng quý."),
            art(4, "Nhiệm vụ của Trưởng ban và các thành viên",
                "1. Trưởng ban chịu trách nhiệm chung về hoạt động của Ban điều hành.",
                "2. Các thành viên thực hiện nhiệm vụ do Trưởng ban phân công."),
        ]},
        {"nhan": "Chương III", "ten": "CHẾ ĐỘ LÀM VIỆC", "dieu": [
            art(5, "Chế độ họp", "Ban điều hành họp định kỳ mỗi quý một lần; họp bất thường khi "
                "cần thiết."),
            art(6, "Chế độ báo cáo", "Thư ký tổng hợp, báo cáo kết quả thực hiện mô hình trước "
                "ngày 20 của tháng cuối quý."),
            art(7, "Kinh phí hoạt động", "Kinh phí hoạt động của Ban điều hành được bố trí trong "
                "dự toán ngân sách xã hằng năm."),
        ]},
        {"nhan": "Chương IV", "ten": "TỔ CHỨC THỰC HIỆN", "dieu": [
            art(8, "Trách nhiệm thi hành", "Các thành viên Ban điều hành có trách nhiệm thực hiện "
                "Quy chế này."),
            art(9, "Sửa đổi, bổ sung Quy chế", "Trong quá trình thực hiện, nếu có vướng mắc, các "
                "thành viên phản ánh về Thư ký để tổng hợp, báo cáo Trưởng ban xem xét, sửa đổi, "
                "bổ sung cho phù hợp./."),
        ]},
    ]


def _meeting(profile: str) -> dict[str, Any]:
    chair = "Nguyễn Văn Hòa" if profile == "nd30" else "Lê Đình Thắng"
    return {
        "bat_dau": "08 giờ 00 phút, ngày 29 tháng 5 năm 2023",
        "dia_diem": "Hội trường Ủy ban nhân dân xã Tân Thọ",
        "thanh_phan": [
            f"- Ông {chair}, Trưởng Ban điều hành;",
            "- Các thành viên Ban điều hành;",
            "- Cán bộ, công chức xã; Bí thư chi bộ, Trưởng các thôn.",
        ],
        "si_so": "Có mặt 45/48 đại biểu; vắng 03 đại biểu (có lý do).",
        "vang_mat": ["Vắng mặt:", "- Bà Trần Thị Hoa, Chủ tịch Hội Liên hiệp Phụ nữ xã (lý do: ốm)."],
        "chu_tri": f"Chủ trì hội nghị: Ông {chair}, Trưởng Ban điều hành.",
        "thu_ky": "Thư ký hội nghị: Bà Lê Thị Mai, Công chức Văn phòng - Thống kê xã.",
        "nhan_noi_dung": "Diễn biến hội nghị:",
        "noi_dung": [
            {"tieu_de": "1. Khai mạc hội nghị",
             "doan": ["Ông Lê Văn Thành, Phó Trưởng ban thường trực, tuyên bố lý do, giới thiệu "
                      "đại biểu."]},
            {"tieu_de": "2. Quán triệt Quyết định và Quy chế",
             "doan": ["Bà Lê Thị Mai đọc Quyết định thành lập Ban điều hành và Quy chế hoạt động "
                      "của Ban điều hành."]},
            {"tieu_de": "3. Thảo luận",
             "doan": ["a) Ông Nguyễn Đình Khôi đề nghị bố trí thêm ghế chờ tại Bộ phận Một cửa;",
                      "b) Bà Phạm Thị Lan đề nghị công khai số điện thoại đường dây nóng."]},
        ],
        "ket_luan": [
            "Hội nghị thống nhất triển khai mô hình từ ngày 01 tháng 6 năm 2023.",
            "Giao Văn phòng xã tham mưu kế hoạch chi tiết, hoàn thành trước ngày 05 tháng 6 năm "
            "2023.",
        ],
        "ket_thuc": "Hội nghị kết thúc vào 11 giờ 00 phút cùng ngày; biên bản đã được thông qua "
                     "tại hội nghị./.",
        "nhan_thu_ky": "THƯ KÝ",
        "nhan_chu_toa": "CHỦ TỌA",
        "ten_thu_ky": "Lê Thị Mai",
        "ten_chu_toa": chair,
    }


def sample_context(profile: str, name: str) -> dict[str, Any]:
    """A realistic context for template `name` of `profile`."""
    nd30 = profile == "nd30"
    base: dict[str, Any] = {"co_quan": _issuer(profile)}
    date = f"Tân Thọ, {NGAY_QD}"
    if name == "quyet-dinh-thanh-lap-ban-dieu-hanh":
        return base | {
            "so_ky_hieu": _so(profile, "45" if nd30 else "05", "QĐ"),
            "dia_danh_ngay": date,
            "trich_yeu": f"{'Về' if nd30 else 'về'} việc thành lập Ban điều hành {MO_HINH}",
            "tham_quyen_ban_hanh": ("CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ TÂN THỌ" if nd30
                                    else "BAN CHẤP HÀNH ĐẢNG BỘ XÃ TÂN THỌ"),
            "can_cu": _can_cu(profile, quy_che=False),
            "dieu": _decision_articles(profile, quy_che=False),
            "thanh_vien": [{"stt": str(i), "ho_ten": n, "chuc_vu": c, "nhiem_vu_trong_ban": t}
                           for i, (n, c, t) in enumerate(MEMBERS, 1)],
            "noi_nhan": _noi_nhan(profile, "Như Điều 3", "UBND huyện Nông Cống (để b/c)",
                                  "Thường trực Đảng ủy, HĐND xã (để b/c)"),
            "ky": _signer(profile),
        }
    if name == "quyet-dinh-ban-hanh-quy-che":
        return base | {
            "so_ky_hieu": _so(profile, "46" if nd30 else "06", "QĐ"),
            "dia_danh_ngay": date,
            "trich_yeu": f"{'Ban' if nd30 else 'ban'} hành Quy chế hoạt động của Ban điều hành "
                         f"{MO_HINH}",
            "tham_quyen_ban_hanh": ("CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ TÂN THỌ" if nd30
                                    else "BAN CHẤP HÀNH ĐẢNG BỘ XÃ TÂN THỌ"),
            "can_cu": _can_cu(profile, quy_che=True),
            "dieu": _decision_articles(profile, quy_che=True),
            "noi_nhan": _noi_nhan(profile, "Như Điều 3", "UBND huyện Nông Cống (để b/c)"),
            "ky": _signer(profile),
        }
    if name == "quy-che":
        so = "46/QĐ-UBND" if nd30 else "06-QĐ/ĐU"
        issuer = "Chủ tịch Ủy ban nhân dân xã Tân Thọ" if nd30 else "Đảng ủy xã Tân Thọ"
        return base | {
            "trich_yeu": f"Hoạt động của Ban điều hành {MO_HINH}",
            "kem_theo": f"(Kèm theo Quyết định số {so} {NGAY_QD} của {issuer})",
            "chuong": _chapters(),
        }
    return base | {
        "so_ky_hieu": _so(profile, "12" if nd30 else "03", "BB"),
        "trich_yeu": f"Hội nghị triển khai {MO_HINH}",
        "hop": _meeting(profile),
        "noi_nhan": _noi_nhan(profile, "Thành viên Ban điều hành", "UBND huyện Nông Cống"),
    }


# ---------------------------------------------------------------------------------------------
# Hostile context: markup characters, quotes, Jinja syntax, very long values
# ---------------------------------------------------------------------------------------------

HOSTILE = "A & B < C > D “trích” ‘x’ {{ x }} {% if y %} </w:t>"
HOSTILE_UPPER = "XÃ TÂN THỌ & <ĐÔNG> “THỌ” {{ X }}"
LONG_NAME = ("Tôn Nữ Hoàng Phương Thảo Minh Nguyệt Ngọc Bích Trâm Anh Xuân Thu Hạ Đông "
             "& <Út> “Bé” {{ x }}")
LONG_PARAGRAPH = " ".join(
    f"Đoạn văn rất dài số {i} có ký tự & < > “ngoặc kép” {{{{ x }}}} và nhiều chữ tiếng Việt."
    for i in range(1, 40)
)[:2996] + " ./."


def hostile_context(profile: str, name: str) -> dict[str, Any]:
    """The sample context with hostile values where the rules allow free text."""
    ctx = copy.deepcopy(sample_context(profile, name))
    ctx["co_quan"]["dong"][-1] = HOSTILE_UPPER
    ctx["trich_yeu"] = f"Về việc {HOSTILE} và một trích yếu rất dài để buộc xuống dòng nhiều lần"
    if "noi_nhan" in ctx:
        sep = ";" if profile == "nd30" else ","
        ctx["noi_nhan"].insert(1, f"- {HOSTILE}{sep}")
    if "ky" in ctx:
        ctx["ky"]["ho_ten"] = LONG_NAME
    if "thanh_vien" in ctx:
        ctx["thanh_vien"][0]["ho_ten"] = LONG_NAME
        ctx["thanh_vien"][1]["nhiem_vu_trong_ban"] = HOSTILE
    if "dieu" in ctx:
        ctx["dieu"][1]["tieu_de"] = HOSTILE
        ctx["dieu"][-1]["doan"] = [f"{HOSTILE}.", LONG_PARAGRAPH]
    if "chuong" in ctx:
        ctx["chuong"][0]["ten"] = f"QUY ĐỊNH CHUNG {HOSTILE_UPPER}"
        ctx["chuong"][-1]["dieu"][-1]["doan"] = [f"{HOSTILE}.", LONG_PARAGRAPH]
    if "hop" in ctx:
        ctx["hop"]["dia_diem"] = HOSTILE
        ctx["hop"]["thanh_phan"].insert(0, f"- {HOSTILE};")
        ctx["hop"]["ten_chu_toa"] = LONG_NAME
        ctx["hop"]["ket_luan"].append(LONG_PARAGRAPH.replace("./.", "."))
    return ctx


# ---------------------------------------------------------------------------------------------
# Rendering helpers
# ---------------------------------------------------------------------------------------------


def render(profile: str, name: str, context: dict[str, Any], out: Path) -> Path:
    """Render template `name` of `profile` with `context` into `out` as vanban does.

    vanban's renderer gives each ``VB Kẻ …`` rule its length; the checker measures it.
    """
    meta = Meta(title="Quyết định", author="Ủy ban", subject="Số", ngay=date(2023, 5, 25))
    out.write_bytes(render_docx(TEMPLATES / profile / f"{name}.docx", context, meta,
                                "truyen_thong"))
    return out


def all_text(path: Path) -> str:
    """Every paragraph's text (body, tables, headers), one per line."""
    doc = rules.Doc(path)
    return "\n".join(doc.para_text(p) for root in doc.all_roots() for p in root.iter(qn("w:p")))


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("profile", "name"), CASES, ids=IDS)
def test_sample_conforms(tmp_path: Path, profile: str, name: str) -> None:
    out = render(profile, name, sample_context(profile, name), tmp_path / f"{name}.docx")
    docx.Document(str(out))
    assert rules.check_document(out, profile, kind_of(name)) == []


#: Rules the decree sizes by a fixed text, in mm by the text's size in points (format-spec
#: ô 1 and §8, S18): under the Tiêu ngữ, as long as it (≈56 mm at 13 pt, ≈61 mm at 14 pt);
#: under the Party's "ĐẢNG CỘNG SẢN VIỆT NAM", as long as it (≈73 mm at 15 pt).
DECREE_RULE_MM = {"nd30": ("VB Tiêu ngữ", {13: 56, 14: 61}), "dang": ("VB Tiêu đề Đảng", {15: 73})}


@pytest.mark.parametrize(("profile", "name"), CASES, ids=IDS)
def test_rules_under_fixed_texts_have_the_decree_lengths(tmp_path: Path, profile: str,
                                                         name: str) -> None:
    doc = rules.Doc(render(profile, name, sample_context(profile, name), tmp_path / "x.docx"))
    style, figures = DECREE_RULE_MM[profile]
    (text,) = doc.styled(style)
    rule = doc.next_para(text)
    assert rule is not None
    assert doc.has_rule(rule)
    (size,) = {r.size for r in doc.runs(text) if r.text.strip()}
    assert abs(doc.rule_length(rule) / rules.TWIPS_PER_MM - figures[size]) <= 1.5


@pytest.mark.parametrize(("profile", "name"), CASES, ids=IDS)
def test_hostile_values_are_verbatim_and_conform(tmp_path: Path, profile: str, name: str) -> None:
    ctx = hostile_context(profile, name)
    out = render(profile, name, ctx, tmp_path / f"{name}.docx")
    document = docx.Document(str(out))
    assert document.paragraphs
    text = all_text(out)
    assert HOSTILE in text
    assert HOSTILE_UPPER in text
    if name != "quy-che":
        assert LONG_NAME in text
    if name.startswith("quyet-dinh") or name == "quy-che":
        assert LONG_PARAGRAPH in text.splitlines()
    assert "&amp;" not in text
    assert "&lt;" not in text
    assert rules.check_document(out, profile, kind_of(name)) == []


def test_sample_text_reaches_the_document(tmp_path: Path) -> None:
    out = render("nd30", "quyet-dinh-thanh-lap-ban-dieu-hanh",
                 sample_context("nd30", "quyet-dinh-thanh-lap-ban-dieu-hanh"), tmp_path / "qd.docx")
    document = docx.Document(str(out))
    members = document.tables[1]
    assert len(members.rows) == 1 + len(MEMBERS)
    assert [c.text for c in members.rows[0].cells] == ["STT", "Họ và tên", "Chức vụ",
                                                       "Nhiệm vụ trong Ban"]
    assert members.rows[16].cells[1].text == "Lê Văn Sơn"
    body = [p.text for p in document.paragraphs]
    # The member table follows the first line of Điều 1, before its own paragraphs.
    first = body.index(next(t for t in body if t.startswith("Điều 1.")))
    assert body[first + 1] == "Ban điều hành tự giải thể sau khi hoàn thành nhiệm vụ."
    assert not any("{%" in t or "{{" in t for t in body)


@pytest.mark.parametrize(("profile", "name"), CASES, ids=IDS)
def test_template_tags_follow_the_contract(profile: str, name: str) -> None:
    found = DocxTemplate(str(TEMPLATES / profile / f"{name}.docx")).get_undeclared_template_variables()
    assert found <= CONTRACT_TAGS
    assert found == TEMPLATE_TAGS[name]


@pytest.mark.parametrize(("profile", "name"), CASES, ids=IDS)
def test_tags_sit_in_one_run(profile: str, name: str) -> None:
    with zipfile.ZipFile(TEMPLATES / profile / f"{name}.docx") as package:
        document = docx.Document(str(TEMPLATES / profile / f"{name}.docx"))
        assert package.testzip() is None
    for p in document.element.body.iter(qn("w:p")):
        texts = [t.text or "" for t in p.iter(qn("w:t"))]
        for text in texts:
            assert text.count("{{") == text.count("}}"), text
            assert text.count("{%") == text.count("%}"), text
        joined = "".join(texts)
        if "{%p" in joined or "{%tr" in joined:
            assert re.fullmatch(r"\{%(p|tr) [^%]+ %\}", joined), joined


@pytest.mark.parametrize(("profile", "name"), CASES, ids=IDS)
def test_template_styles_and_page(profile: str, name: str) -> None:
    path = TEMPLATES / profile / f"{name}.docx"
    document = docx.Document(str(path))
    styles = {s.name: s for s in document.styles}
    for style_name in CONTRACT_STYLES:
        assert style_name in styles, style_name
        sid = styles[style_name].style_id
        assert re.fullmatch(r"VB[A-Za-z]+", sid), sid
    assert {"VB Đậm", "VB Nghiêng"} <= set(styles)
    fonts = document.styles.element.find(f"{qn('w:docDefaults')}//{qn('w:rFonts')}")
    for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
        assert fonts.get(qn(f"w:{attr}")) == "Times New Roman"
    # Widow control written out: without it Word's format leaves it off (LibreOffice so reads
    # it), where vanban's PDF keeps it on.
    widows = document.styles.element.find(f"{qn('w:docDefaults')}//{qn('w:widowControl')}")
    assert widows is not None
    assert widows.get(qn("w:val")) in (None, "1", "true", "on")
    section = document.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    assert (section.top_margin.twips, section.bottom_margin.twips, section.left_margin.twips,
            section.right_margin.twips) == (1134, 1134, 1701, 850)
    assert section.different_first_page_header_footer
    assert not any(p.text for p in section.first_page_header.paragraphs)
    header = section.header.paragraphs[0]
    assert header.style.name == "VB Số trang"
    fields = [el.get(qn("w:fldCharType")) for el in header._p.iter(qn("w:fldChar"))]
    assert fields == ["begin", "separate", "end"]
    assert [t.text for t in header._p.iter(qn("w:instrText"))] == [" PAGE "]
    assert not list(document.element.iter(qn("w:numPr")))
    for text in (t.text or "" for t in document.element.iter(qn("w:t"))):
        assert unicodedata.normalize("NFC", text) == text


def _load_make_templates() -> Any:
    spec = importlib.util.spec_from_file_location("make_templates", ROOT / "tools" / "make_templates.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_templates", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_templates_are_up_to_date_and_deterministic() -> None:
    make = _load_make_templates()
    for profile, name in CASES:
        data = make.build_template(profile, name)
        assert data == make.build_template(profile, name)
        assert data == (TEMPLATES / profile / f"{name}.docx").read_bytes(), (
            f"{profile}/{name}.docx is stale: run python tools/make_templates.py")


@pytest.mark.parametrize("profile", PROFILES)
def test_kem_theo_matches_the_adopting_decision(tmp_path: Path, profile: str) -> None:
    qd_name, qc_name = "quyet-dinh-ban-hanh-quy-che", "quy-che"
    qd = render(profile, qd_name, sample_context(profile, qd_name), tmp_path / "qd.docx")
    qc = render(profile, qc_name, sample_context(profile, qc_name), tmp_path / "qc.docx")
    assert rules.kem_theo_matches(qc, qd)
    other = sample_context(profile, qc_name)
    other["kem_theo"] = other["kem_theo"].replace("25 tháng 5", "26 tháng 5")
    qc2 = render(profile, qc_name, other, tmp_path / "qc2.docx")
    assert not rules.kem_theo_matches(qc2, qd)
    thanh_lap = render(profile, "quyet-dinh-thanh-lap-ban-dieu-hanh",
                       sample_context(profile, "quyet-dinh-thanh-lap-ban-dieu-hanh"),
                       tmp_path / "tl.docx")
    assert not rules.kem_theo_matches(qc, thanh_lap)


@pytest.mark.parametrize("profile", PROFILES)
def test_optional_parts_may_be_empty(tmp_path: Path, profile: str) -> None:
    name = "quyet-dinh-thanh-lap-ban-dieu-hanh"
    ctx = sample_context(profile, name)
    ctx["co_quan"]["cap_tren"] = ""
    ctx["ky"]["chuc_vu"] = ""
    out = render(profile, name, ctx, tmp_path / "qd.docx")
    styles = {p.style.name for p in docx.Document(str(out)).paragraphs}
    assert rules.check_document(out, profile, "quyet-dinh") == []
    header = rules.Doc(out).styled("VB Cơ quan cấp trên", "VB Chức vụ ký", nonempty=False)
    assert header == []
    assert "VB Điều" in styles
    bb = sample_context(profile, "bien-ban")
    bb["hop"]["si_so"] = ""
    out = render(profile, "bien-ban", bb, tmp_path / "bb.docx")
    assert "Có mặt" not in all_text(out)
    assert rules.check_document(out, profile, "bien-ban") == []


def test_a_template_replaced_keeping_its_time_is_read_again(tmp_path: Path) -> None:
    """``cp -p``, ``rsync -a`` or an unpacked archive replace a template and keep its time: the
    next render in the same process (a watch, a warm process) reads the new one."""
    import os
    import shutil

    from tests import edited

    first = edited.templates(tmp_path / "a", "Dòng thêm lần một")
    second = edited.templates(tmp_path / "b", "Dòng thêm lần hai")
    template = first / edited.BIEN_BAN
    context = sample_context("nd30", "bien-ban")
    meta = Meta(title="Biên bản", author="Ủy ban", subject="", ngay=date(2023, 5, 25))
    before = render_docx(template, context, meta, "truyen_thong")
    stat = template.stat()
    shutil.copyfile(second / edited.BIEN_BAN, template)
    os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the time kept
    assert template.stat().st_mtime_ns == stat.st_mtime_ns
    after = render_docx(template, context, meta, "truyen_thong")
    out = tmp_path / "after.docx"
    out.write_bytes(after)
    assert "Dòng thêm lần hai" in all_text(out)
    assert before != after
