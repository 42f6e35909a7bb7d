"""Catalogue of the laws and Party documents the dossiers cite, with their dates.

Used two ways: to choose default legal bases (căn cứ) that are in force on a document's date,
and to warn when a dossier cites a text that is not yet in force or already replaced. Dates
come from ``reference/domain-content.md`` §1.3, §4.1 and §5; entries marked ``xac_minh`` are
provisional there and say so in the warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from vanban import text


@dataclass(frozen=True)
class VanBanNguon:
    """A cited text: how to write it, how to recognise it, and when it applies."""

    #: Short key, usable in YAML ``can_cu`` lists as ``@key``.
    ma: str
    #: The wording used in a căn cứ line (laws give only their name and date, ND30 §3.5).
    ten: str
    #: Regular expressions that recognise a citation of this text in free wording.
    nhan_dang: tuple[str, ...]
    #: First day in force.
    hieu_luc: date
    #: First day no longer in force, if replaced.
    het_hieu_luc: date | None = None
    #: What replaced it.
    thay_the_boi: str = ""
    #: True where the dates still need checking against the official text.
    xac_minh: bool = False
    #: The number and symbol exactly as the issuer writes it: "11-QĐi/TW", "25-NQ/TW".
    ky_hieu: str = ""
    #: Who issued it: "Bộ Chính trị", "Ban Bí thư".
    ban_hanh: str = ""
    #: Date it was signed, when it differs from the first day in force.
    ngay_ky: date | None = None

    @property
    def ngay(self) -> date:
        """Return the date the text carries (signed)."""
        return self.ngay_ky or self.hieu_luc


CATALOGUE: tuple[VanBanNguon, ...] = (
    VanBanNguon(
        "luat-tcchqdp-2015",
        "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
        (r"77/2015/QH13", r"chính quyền địa phương ngày 19 tháng 6 năm 2015",
         r"chính quyền địa phương ngày 19/6/2015"),
        date(2016, 1, 1),
        date(2025, 3, 1),
        "Luật Tổ chức chính quyền địa phương số 65/2025/QH15",
    ),
    VanBanNguon(
        "luat-sua-doi-2019",
        "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính "
        "quyền địa phương ngày 22 tháng 11 năm 2019",
        (r"47/2019/QH14", r"Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22"),
        date(2020, 7, 1),
        date(2025, 3, 1),
        "Luật Tổ chức chính quyền địa phương số 65/2025/QH15",
    ),
    VanBanNguon(
        "luat-tcchqdp-65-2025",
        "Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025",
        (r"65/2025/QH15", r"chính quyền địa phương ngày 19 tháng 02 năm 2025"),
        date(2025, 3, 1),
        date(2025, 6, 16),
        "Luật Tổ chức chính quyền địa phương số 72/2025/QH15",
    ),
    VanBanNguon(
        "luat-tcchqdp-72-2025",
        "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025",
        (r"72/2025/QH15", r"chính quyền địa phương ngày 16 tháng 6 năm 2025"),
        date(2025, 6, 16),
    ),
    VanBanNguon(
        "phap-lenh-34-2007",
        "Pháp lệnh Thực hiện dân chủ ở xã, phường, thị trấn ngày 20 tháng 4 năm 2007",
        (r"34/2007/PL-UBTVQH11", r"Pháp lệnh Thực hiện dân chủ ở xã"),
        date(2007, 7, 1),
        date(2023, 7, 1),
        "Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15",
    ),
    VanBanNguon(
        "luat-thdcocs-2022",
        "Luật Thực hiện dân chủ ở cơ sở ngày 10 tháng 11 năm 2022",
        (r"10/2022/QH15", r"Luật Thực hiện dân chủ ở cơ sở"),
        date(2023, 7, 1),
    ),
    VanBanNguon(
        "nd-59-2023",
        "Nghị định số 59/2023/NĐ-CP ngày 14 tháng 8 năm 2023 của Chính phủ quy định chi tiết "
        "một số điều của Luật Thực hiện dân chủ ở cơ sở",
        (r"59/2023/NĐ-CP",),
        date(2023, 8, 15),
    ),
    VanBanNguon(
        "luat-tiep-cong-dan-2013",
        "Luật Tiếp công dân ngày 25 tháng 11 năm 2013",
        (r"42/2013/QH13", r"Luật Tiếp công dân"),
        date(2014, 7, 1),
    ),
    VanBanNguon(
        "qd-23-2023-qd-ttg",
        "Quyết định số 23/2023/QĐ-TTg ngày 18 tháng 9 năm 2023 của Thủ tướng Chính phủ quy định "
        "về tổ chức phối hợp liên ngành",
        (r"23/2023/QĐ-TTg",),
        date(2023, 9, 18),
        xac_minh=True,
    ),
    VanBanNguon(
        "nd-30-2020",
        "Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư",
        (r"30/2020/NĐ-CP",),
        date(2020, 3, 5),
    ),
    VanBanNguon(
        "nq-8b-1990",
        "Nghị quyết số 8B-NQ/HNTW ngày 27 tháng 3 năm 1990 của Ban Chấp hành Trung ương Đảng "
        "khóa VI về đổi mới công tác quần chúng của Đảng",
        (r"\b8B-NQ/",),
        date(1990, 3, 27),
        ky_hieu="8B-NQ/HNTW",
        ban_hanh="Ban Chấp hành Trung ương Đảng khóa VI",
    ),
    VanBanNguon(
        "nq-25-2013",
        "Nghị quyết số 25-NQ/TW ngày 03 tháng 6 năm 2013 của Ban Chấp hành Trung ương Đảng khóa XI "
        "về tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận trong tình hình mới",
        (r"\b25-NQ/TW",),
        date(2013, 6, 3),
        ky_hieu="25-NQ/TW",
        ban_hanh="Ban Chấp hành Trung ương Đảng khóa XI",
    ),
    VanBanNguon(
        "kl-114-2015",
        "Kết luận số 114-KL/TW ngày 14 tháng 7 năm 2015 của Ban Bí thư về nâng cao hiệu quả công "
        "tác dân vận của cơ quan nhà nước, chính quyền các cấp",
        (r"\b114-KL/TW",),
        date(2015, 7, 14),
        ky_hieu="114-KL/TW",
        ban_hanh="Ban Bí thư",
    ),
    VanBanNguon(
        "kl-43-2019",
        "Kết luận số 43-KL/TW ngày 07 tháng 01 năm 2019 của Ban Bí thư về tiếp tục thực hiện Nghị "
        "quyết Trung ương 7 khóa XI về tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác "
        "dân vận trong tình hình mới",
        (r"\b43-KL/TW",),
        date(2019, 1, 7),
        ky_hieu="43-KL/TW",
        ban_hanh="Ban Bí thư",
    ),
    VanBanNguon(
        "qd-290-2010",
        "Quyết định số 290-QĐ/TW ngày 25 tháng 02 năm 2010 của Bộ Chính trị ban hành Quy chế công "
        "tác dân vận của hệ thống chính trị",
        (r"\b290-QĐ/TW",),
        date(2010, 2, 25),
        date(2021, 7, 30),
        "Quyết định số 23-QĐ/TW ngày 30/7/2021",
        ky_hieu="290-QĐ/TW",
        ban_hanh="Bộ Chính trị",
    ),
    VanBanNguon(
        "qd-23-2021",
        "Quyết định số 23-QĐ/TW ngày 30 tháng 7 năm 2021 của Bộ Chính trị ban hành Quy chế công "
        "tác dân vận của hệ thống chính trị",
        (r"\b23-QĐ/TW",),
        date(2021, 7, 30),
        xac_minh=True,
        ky_hieu="23-QĐ/TW",
        ban_hanh="Bộ Chính trị",
    ),
    VanBanNguon(
        "nq-60-2025",
        "Nghị quyết số 60-NQ/TW ngày 12 tháng 4 năm 2025 của Hội nghị lần thứ 11 Ban Chấp hành "
        "Trung ương Đảng khóa XIII",
        (r"\b60-NQ/TW",),
        date(2025, 4, 12),
        ky_hieu="60-NQ/TW",
        ban_hanh="Ban Chấp hành Trung ương Đảng khóa XIII",
    ),
    VanBanNguon(
        "ct-30-1998",
        "Chỉ thị số 30-CT/TW ngày 18 tháng 02 năm 1998 của Bộ Chính trị về xây dựng và thực hiện "
        "Quy chế dân chủ ở cơ sở",
        (r"\b30-CT/TW",),
        date(1998, 2, 18),
        ky_hieu="30-CT/TW",
        ban_hanh="Bộ Chính trị",
    ),
    VanBanNguon(
        "qdi-11-2019",
        "Quy định số 11-QĐi/TW ngày 18 tháng 02 năm 2019 của Bộ Chính trị về trách nhiệm của người "
        "đứng đầu cấp ủy trong việc tiếp dân, đối thoại trực tiếp với dân và xử lý những phản ánh, "
        "kiến nghị của dân",
        # -- a Politburo regulation's symbol is QĐi; "11-QĐ/TW" is the usual slip --
        (r"\b11-QĐi?/TW",),
        date(2019, 2, 18),
        ky_hieu="11-QĐi/TW",
        ban_hanh="Bộ Chính trị",
    ),
    VanBanNguon(
        "nq-57-2024",
        "Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị về đột phá phát triển "
        "khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
        (r"\b57-NQ/TW",),
        date(2024, 12, 22),
        ky_hieu="57-NQ/TW",
        ban_hanh="Bộ Chính trị",
    ),
    VanBanNguon(
        "nq-1686-2025",
        "Nghị quyết số 1686/NQ-UBTVQH15 ngày 16 tháng 6 năm 2025 của Ủy ban Thường vụ Quốc hội "
        "về việc sắp xếp các đơn vị hành chính cấp xã của tỉnh Thanh Hóa năm 2025",
        (r"1686/NQ-UBTVQH15",),
        date(2025, 6, 16),
        xac_minh=True,
    ),
)

_BY_KEY = {v.ma: v for v in CATALOGUE}
_PATTERNS = [(v, [re.compile(p, re.IGNORECASE) for p in v.nhan_dang]) for v in CATALOGUE]


def get(ma: str) -> VanBanNguon | None:
    """Return the catalogue entry with key `ma`, if any."""
    return _BY_KEY.get(ma)


def keys() -> list[str]:
    """Return every catalogue key."""
    return list(_BY_KEY)


def recognise(line: str) -> Iterator[VanBanNguon]:
    """Yield the catalogue entries cited in `line`."""
    for entry, patterns in _PATTERNS:
        if any(p.search(line) for p in patterns):
            yield entry


#: A Party document's number and symbol as cited in running text: "11-QĐi/TW", "8B-NQ/HNTW".
PARTY_SYMBOL = re.compile(r"\b\d+[A-Z]?-[A-Za-zĐđ]+/[A-Za-zĐđ]+(?:-[A-Za-zĐđ]+)*")
_CITED_DATE = re.compile(r"^\s+ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})")


@dataclass(frozen=True)
class SaiTrichDan:
    """A citation that does not match the catalogue's form of a document it names."""

    #: 1-based line of the text.
    dong: int
    trich: str
    entry: VanBanNguon
    #: What is wrong, in Vietnamese.
    loi: str


def check_citations(source: str) -> Iterator[SaiTrichDan]:
    """Yield every Party-document citation in `source` whose symbol or date is not the
    catalogue's: "11-QĐ/TW" for the Politburo's 11-QĐi/TW, or a wrong date after the symbol."""
    for number, line in enumerate(source.splitlines(), start=1):
        for match in PARTY_SYMBOL.finditer(line):
            cited = match.group()
            for entry in recognise(cited):
                if not entry.ky_hieu:
                    continue
                if cited != entry.ky_hieu:
                    yield SaiTrichDan(number, cited, entry,
                                      f"ký hiệu đúng là {entry.ky_hieu}")
                    continue
                when = _CITED_DATE.match(line[match.end():])
                if when:
                    d, m, y = (int(g) for g in when.groups())
                    if (y, m, d) != (entry.ngay.year, entry.ngay.month, entry.ngay.day):
                        yield SaiTrichDan(number, cited, entry,
                                          f"văn bản này ban hành ngày {text.ngay_ngan(entry.ngay)}")


def in_force(entry: VanBanNguon, on: date) -> bool:
    """Return True when `entry` is in force on `on`."""
    return entry.hieu_luc <= on and (entry.het_hieu_luc is None or on < entry.het_hieu_luc)


def default_bases(on: date) -> list[VanBanNguon]:
    """Return the state legal bases a commune decision of date `on` usually cites."""
    wanted = [
        "luat-tcchqdp-2015",
        "luat-sua-doi-2019",
        "luat-tcchqdp-65-2025",
        "luat-tcchqdp-72-2025",
        "phap-lenh-34-2007",
        "luat-thdcocs-2022",
        "nd-59-2023",
    ]
    return [_BY_KEY[k] for k in wanted if in_force(_BY_KEY[k], on)]
