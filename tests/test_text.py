"""Unit tests for `vanban.text`."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vanban import text

# -- the checker's regexes (format spec §9 rules 10, 11 and 32) --
SO_ND30 = re.compile(r"^Số: ?(\d{2,}|\s*)/[A-Za-zĐđ]+(-[A-Za-zĐđ0-9]+)*$")
SO_DANG = re.compile(r"^Số (\d{2,}|\s*)-[A-Za-zĐđ]+/[A-Za-zĐđ]+(-[A-Za-zĐđ]+)*$")
DIA_DANH_NGAY = re.compile(
    r"^[^,]+, ngày (0[1-9]|[12]\d|3[01]) tháng (0[12]|[3-9]|1[0-2]) năm \d{4}$"
)

PARAGRAPH_TRUYEN_THONG = (
    "Ủy ban nhân dân xã Tân Thọ, tỉnh Thanh Hóa; hòa giải; khỏe mạnh; thủy lợi; quý; "
    "hoàn thành; khuya"
)
PARAGRAPH_HIEN_DAI = (
    "Uỷ ban nhân dân xã Tân Thọ, tỉnh Thanh Hoá; hoà giải; khoẻ mạnh; thuỷ lợi; quý; "
    "hoàn thành; khuya"
)


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def is_nfc(s: str) -> bool:
    return unicodedata.is_normalized("NFC", s)


# ---------------------------------------------------------------------------------------------
# nfc, control characters
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "s",
    ["Ủy ban nhân dân", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "khuếch", "ế", ""],
    ids=["uy-ban", "quoc-hieu", "khuech", "e-circumflex-acute", "empty"],
)
def test_nfc_composes_decomposed_text(s: str) -> None:
    assert text.nfc(nfd(s)) == s
    assert text.nfc(s) == s
    assert is_nfc(text.nfc(nfd(s)))


def test_nfc_gives_one_code_point_per_letter() -> None:
    assert text.nfc("e\u0302\u0301") == "\u1ebf"


@pytest.mark.parametrize(
    "s",
    ["", "Ủy ban nhân dân", "a\tb", "dòng 1\ndòng 2", "dòng 1\r\ndòng 2", "a\rb", "☺ ✓ €"],
    ids=["empty", "vietnamese", "tab", "lf", "crlf", "cr", "symbols"],
)
def test_find_control_char_accepts_clean_text(s: str) -> None:
    assert text.find_control_char(s) is None
    assert text.CONTROL_CHARS.search(s) is None


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        ("chuông\x07", "U+0007"),
        ("\x00", "U+0000"),
        ("a\x0bb", "U+000B"),
        ("a\x0cb", "U+000C"),
        ("esc\x1b[0m", "U+001B"),
        ("a\x1fb", "U+001F"),
        ("del\x7f", "U+007F"),
        ("nel\x85", "U+0085"),
        ("a\x9fb", "U+009F"),
        ("a\ufffeb", "U+FFFE"),
        ("a\uffffb", "U+FFFF"),
        ("a\ud800b", "U+D800"),
        ("a\udfffb", "U+DFFF"),
        ("a\x01b\x02", "U+0001"),
    ],
    ids=[
        "bell", "nul", "vt", "ff", "esc", "us", "del", "c1-nel", "c1-last",
        "fffe", "ffff", "high-surrogate", "low-surrogate", "first-wins",
    ],
)  # fmt: skip
def test_find_control_char_reports_first_bad_char(s: str, expected: str) -> None:
    assert text.find_control_char(s) == expected


# ---------------------------------------------------------------------------------------------
# Dates and times
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2023, 1, 5), "ngày 05 tháng 01 năm 2023"),
        (date(2023, 5, 29), "ngày 29 tháng 5 năm 2023"),
        (date(2020, 1, 5), "ngày 05 tháng 01 năm 2020"),
        (date(2019, 6, 29), "ngày 29 tháng 6 năm 2019"),
        (date(2024, 2, 1), "ngày 01 tháng 02 năm 2024"),
        (date(2024, 3, 9), "ngày 09 tháng 3 năm 2024"),
        (date(2024, 3, 10), "ngày 10 tháng 3 năm 2024"),
        (date(2023, 12, 31), "ngày 31 tháng 12 năm 2023"),
        (date(2023, 10, 1), "ngày 01 tháng 10 năm 2023"),
    ],
    ids=[
        "day5-month1", "day29-month5", "nd30-example", "nd30-example-2", "day1-month2",
        "day9-month3", "day10-month3", "day31-month12", "day1-month10",
    ],
)  # fmt: skip
def test_ngay_day_du(d: date, expected: str) -> None:
    assert text.ngay_day_du(d) == expected


@pytest.mark.parametrize(
    ("dia_danh", "d", "expected"),
    [
        ("Tân Thọ", date(2023, 1, 5), "Tân Thọ, ngày 05 tháng 01 năm 2023"),
        ("Hà Nội", date(2018, 4, 3), "Hà Nội, ngày 03 tháng 4 năm 2018"),
        (
            "Thành phố Hồ Chí Minh",
            date(2023, 5, 29),
            "Thành phố Hồ Chí Minh, ngày 29 tháng 5 năm 2023",
        ),
        ("  Tân Thọ ", date(2023, 2, 10), "Tân Thọ, ngày 10 tháng 02 năm 2023"),
    ],
    ids=["tan-tho", "hd36-header", "full-city-name", "stripped"],
)
def test_dia_danh_ngay(dia_danh: str, d: date, expected: str) -> None:
    assert text.dia_danh_ngay(dia_danh, d) == expected
    assert DIA_DANH_NGAY.match(expected)


def test_dia_danh_ngay_normalises_place() -> None:
    result = text.dia_danh_ngay(nfd("Tân Thọ"), date(2023, 1, 5))
    assert result == "Tân Thọ, ngày 05 tháng 01 năm 2023"
    assert is_nfc(result)


@pytest.mark.parametrize("dia_danh", ["", "   "], ids=["empty", "blank"])
def test_dia_danh_ngay_rejects_blank_place(dia_danh: str) -> None:
    with pytest.raises(ValueError, match="blank"):
        text.dia_danh_ngay(dia_danh, date(2023, 1, 5))


def test_every_day_of_a_leap_year_passes_the_checker() -> None:
    d = date(2024, 1, 1)
    while d.year == 2024:
        assert DIA_DANH_NGAY.match(text.dia_danh_ngay("Tân Thọ", d)), d
        d += timedelta(days=1)


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2023, 1, 5), "05/01/2023"),
        (date(2023, 5, 29), "29/5/2023"),
        (date(2015, 6, 19), "19/6/2015"),
        (date(2024, 2, 1), "01/02/2024"),
        (date(2024, 3, 9), "09/3/2024"),
        (date(2023, 12, 31), "31/12/2023"),
        (date(2023, 10, 10), "10/10/2023"),
    ],
    ids=["05-01", "29-5", "19-6", "01-02", "09-3", "31-12", "10-10"],
)
def test_ngay_ngan(d: date, expected: str) -> None:
    assert text.ngay_ngan(d) == expected


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        (time(7, 30), "07 giờ 30 phút"),
        (time(0, 0), "00 giờ 00 phút"),
        (time(14, 5), "14 giờ 05 phút"),
        (time(23, 59, 59), "23 giờ 59 phút"),
    ],
    ids=["morning", "midnight", "minute-padded", "seconds-dropped"],
)
def test_gio_phut(t: time, expected: str) -> None:
    assert text.gio_phut(t) == expected


# ---------------------------------------------------------------------------------------------
# Số, ký hiệu
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("so", "loai", "co_quan", "profile", "expected"),
    [
        (5, "QĐ", "UBND", "nd30", "Số: 05/QĐ-UBND"),
        (15, "QĐ", "UBND", "nd30", "Số: 15/QĐ-UBND"),
        (9, "QĐ", "UBND", "nd30", "Số: 09/QĐ-UBND"),
        (10, "KH", "UBND", "nd30", "Số: 10/KH-UBND"),
        (123, "BB", "UBND", "nd30", "Số: 123/BB-UBND"),
        (1, "QyĐ", "UBND", "nd30", "Số: 01/QyĐ-UBND"),
        (7, "TTr", "UBND", "nd30", "Số: 07/TTr-UBND"),
        (12, "", "UBND-VX", "nd30", "Số: 12/UBND-VX"),
        (None, "QĐ", "UBND", "nd30", "Số:      /QĐ-UBND"),
        (None, "", "UBND-VX", "nd30", "Số:      /UBND-VX"),
        (5, "QĐ", "ĐU", "dang", "Số 05-QĐ/ĐU"),
        (36, "HD", "VPTW", "dang", "Số 36-HD/VPTW"),
        (12, "HD", "BDVHU", "dang", "Số 12-HD/BDVHU"),
        (1, "BC", "CB", "dang", "Số 01-BC/CB"),
        (123, "CTr", "HU", "dang", "Số 123-CTr/HU"),
        (None, "QĐ", "ĐU", "dang", "Số      -QĐ/ĐU"),
    ],
    ids=[
        "nd30-5", "nd30-15", "nd30-9-padded", "nd30-10", "nd30-123", "nd30-quy-dinh",
        "nd30-to-trinh", "nd30-cong-van", "nd30-blank", "nd30-cong-van-blank", "dang-5",
        "dang-hd36", "dang-ban-dan-van", "dang-chi-bo", "dang-123", "dang-blank",
    ],
)  # fmt: skip
def test_so_ky_hieu(so: int | None, loai: str, co_quan: str, profile: str, expected: str) -> None:
    result = text.so_ky_hieu(so, loai, co_quan, profile)
    assert result == expected
    checker = SO_ND30 if profile == "nd30" else SO_DANG
    assert checker.match(result)
    assert not re.search(r"/\d{4}/", result)


def test_so_ky_hieu_defaults_to_nd30() -> None:
    assert text.so_ky_hieu(5, "QĐ", "UBND") == "Số: 05/QĐ-UBND"


def test_so_ky_hieu_blank_leaves_exactly_six_spaces() -> None:
    assert text.so_ky_hieu(None, "QĐ", "UBND").split("/")[0] == "Số:" + " " * 6
    assert text.so_ky_hieu(None, "QĐ", "ĐU", "dang").split("-")[0] == "Số" + " " * 6


@pytest.mark.parametrize("so", range(1, 10), ids=lambda so: f"so-{so}")
def test_so_ky_hieu_pads_single_digits(so: int) -> None:
    assert not re.match(r"Số: [1-9]/", text.so_ky_hieu(so, "QĐ", "UBND"))
    assert text.so_ky_hieu(so, "QĐ", "UBND") == f"Số: 0{so}/QĐ-UBND"
    assert text.so_ky_hieu(so, "QĐ", "ĐU", "dang") == f"Số 0{so}-QĐ/ĐU"


@pytest.mark.parametrize(
    ("so", "loai", "co_quan", "profile", "match"),
    [
        (0, "QĐ", "UBND", "nd30", "at least 1"),
        (-3, "QĐ", "UBND", "nd30", "at least 1"),
        (0, "QĐ", "ĐU", "dang", "at least 1"),
        (5, "QĐ", "UB ND", "nd30", "issuer"),
        (5, "QĐ", "", "nd30", "issuer"),
        (5, "QĐ/", "UBND", "nd30", "type"),
        (5, "", "ĐU", "dang", "type abbreviation"),
        (5, "QĐ", "UBND", "nd", "profile"),
    ],
    ids=[
        "zero", "negative", "dang-zero", "space-in-issuer", "empty-issuer", "slash-in-type",
        "dang-without-type", "unknown-profile",
    ],
)  # fmt: skip
def test_so_ky_hieu_rejects_bad_input(
    so: int, loai: str, co_quan: str, profile: str, match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        text.so_ky_hieu(so, loai, co_quan, profile)
    with pytest.raises(ValueError, match=match):
        text.so_hieu_van_ban(so, loai, co_quan, profile)


@pytest.mark.parametrize(
    ("so", "loai", "co_quan", "profile", "expected"),
    [
        (5, "QĐ", "UBND", "nd30", "05/QĐ-UBND"),
        (123, "QĐ", "UBND", "nd30", "123/QĐ-UBND"),
        (12, "", "UBND-VX", "nd30", "12/UBND-VX"),
        (None, "QĐ", "UBND", "nd30", "…/QĐ-UBND"),
        (5, "QĐ", "ĐU", "dang", "05-QĐ/ĐU"),
        (None, "QĐ", "ĐU", "dang", "…-QĐ/ĐU"),
    ],
    ids=["nd30", "nd30-123", "nd30-cong-van", "nd30-blank", "dang", "dang-blank"],
)
def test_so_hieu_van_ban(
    so: int | None, loai: str, co_quan: str, profile: str, expected: str
) -> None:
    assert text.so_hieu_van_ban(so, loai, co_quan, profile) == expected


@pytest.mark.parametrize(
    "ky_hieu",
    ["QĐ", "UBND", "QyĐ", "TTr", "ĐU", "đu", "UBND-VX", "BCĐ389", "KH-UBND-VP", "CT1", "A"],
    ids=[
        "qd", "ubnd", "quy-dinh", "to-trinh", "dang-uy", "lower", "cong-van", "digits",
        "three-groups", "trailing-digit", "one-letter",
    ],
)  # fmt: skip
def test_ky_hieu_hop_le_accepts(ky_hieu: str) -> None:
    assert text.ky_hieu_hop_le(ky_hieu)


@pytest.mark.parametrize(
    "ky_hieu",
    ["", "QĐ UBND", " QĐ", "QĐ ", "QĐ/UBND", "-QĐ", "QĐ-", "QĐ--UBND", "QÐ\u0110", "Ủy", "QĐ\n",
     "QĐ_UB", "QĐ.", "Q\u0110\u0301"],
    ids=[
        "empty", "space", "leading-space", "trailing-space", "slash", "leading-hyphen",
        "trailing-hyphen", "double-hyphen", "icelandic-eth", "vietnamese-vowel", "newline",
        "underscore", "dot", "combining-mark",
    ],
)  # fmt: skip
def test_ky_hieu_hop_le_rejects(ky_hieu: str) -> None:
    assert not text.ky_hieu_hop_le(ky_hieu)


# ---------------------------------------------------------------------------------------------
# Case
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        ("ủy ban nhân dân", "ỦY BAN NHÂN DÂN"),
        ("đảng cộng sản việt nam", "ĐẢNG CỘNG SẢN VIỆT NAM"),
        ("cộng hòa xã hội chủ nghĩa việt nam", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("uỷ ban", "UỶ BAN"),
        ("đ", "Đ"),
        ("ỳỹỵ ữự ặẫ", "ỲỸỴ ỮỰ ẶẪ"),
        ("", ""),
    ],
    ids=["uy-ban", "dang", "quoc-hieu", "modern-style", "d-stroke", "rare-letters", "empty"],
)
def test_viet_hoa(s: str, expected: str) -> None:
    assert text.viet_hoa(s) == expected
    assert text.viet_hoa(nfd(s)) == expected
    assert text.viet_thuong(expected) == s
    assert text.viet_thuong(nfd(expected)) == s


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        ("về việc tổ chức họp", "Về việc tổ chức họp"),
        ("đảng ủy xã", "Đảng ủy xã"),
        ("ủy ban", "Ủy ban"),
        ("  ủy ban", "  Ủy ban"),
        ("“về việc”", "“Về việc”"),
        ("về UBND", "Về UBND"),
        ("Đã viết hoa", "Đã viết hoa"),
        ("2023 là năm", "2023 Là năm"),
        ("123", "123"),
        ("", ""),
    ],
    ids=[
        "ve-viec", "d-stroke", "tone-on-first", "leading-space", "quotes", "rest-unchanged",
        "already-upper", "digits-skipped", "no-letter", "empty",
    ],
)  # fmt: skip
def test_viet_hoa_chu_dau(s: str, expected: str) -> None:
    assert text.viet_hoa_chu_dau(s) == expected
    assert text.viet_hoa_chu_dau(nfd(s)) == expected


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "không"),
        (1, "một"),
        (4, "bốn"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (16, "mười sáu"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (99, "chín mươi chín"),
        (100, "một trăm"),
        (101, "một trăm linh một"),
        (104, "một trăm linh bốn"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (111, "một trăm mười một"),
        (115, "một trăm mười lăm"),
        (121, "một trăm hai mươi mốt"),
        (1000, "một nghìn"),
        (1005, "một nghìn không trăm linh năm"),
        (1010, "một nghìn không trăm mười"),
        (1100, "một nghìn một trăm"),
        (2023, "hai nghìn không trăm hai mươi ba"),
        (2024, "hai nghìn không trăm hai mươi tư"),
        (10_000, "mười nghìn"),
        (21_000, "hai mươi mốt nghìn"),
        (1_000_000, "một triệu"),
        (1_000_005, "một triệu không trăm linh năm"),
        (1_005_000, "một triệu không trăm linh năm nghìn"),
        (15_000_000, "mười lăm triệu"),
        (
            999_999_999,
            "chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn "
            "chín trăm chín mươi chín",
        ),
    ],
    ids=lambda v: str(v) if isinstance(v, int) else "",
)
def test_so_bang_chu(n: int, expected: str) -> None:
    assert text.so_bang_chu(n) == expected
    assert is_nfc(text.so_bang_chu(n))


@pytest.mark.parametrize("n", [-1, 1_000_000_000], ids=["negative", "one-billion"])
def test_so_bang_chu_rejects_out_of_range(n: int) -> None:
    with pytest.raises(ValueError, match="out of range"):
        text.so_bang_chu(n)


@pytest.mark.parametrize(
    ("n", "expected"),
    [(16, "16 (mười sáu)"), (9, "09 (chín)"), (1, "01 (một)"), (25, "25 (hai mươi lăm)"),
     (120, "120 (một trăm hai mươi)")],
    ids=["16", "9-padded", "1-padded", "25", "120"],
)  # fmt: skip
def test_so_kem_chu(n: int, expected: str) -> None:
    assert text.so_kem_chu(n) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "I"), (2, "II"), (4, "IV"), (5, "V"), (9, "IX"), (12, "XII"), (14, "XIV"), (40, "XL"),
     (90, "XC"), (400, "CD"), (900, "CM"), (1994, "MCMXCIV"), (2023, "MMXXIII"),
     (3999, "MMMCMXCIX")],
    ids=lambda v: str(v) if isinstance(v, int) else "",
)  # fmt: skip
def test_la_ma(n: int, expected: str) -> None:
    assert text.la_ma(n) == expected


@pytest.mark.parametrize("n", [0, -1, 4000], ids=["zero", "negative", "4000"])
def test_la_ma_rejects_out_of_range(n: int) -> None:
    with pytest.raises(ValueError, match="1..3999"):
        text.la_ma(n)


def test_la_ma_is_unique_over_its_range() -> None:
    numerals = [text.la_ma(n) for n in range(1, 4000)]
    assert len(set(numerals)) == 3999
    assert all(re.fullmatch(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})", r)
               for r in numerals)  # fmt: skip


def test_nhan_diem_sequence() -> None:
    letters = [text.nhan_diem(i) for i in range(23)]
    assert " ".join(letters) == "a b c d đ e g h i k l m n o p q r s t u v x y"


@pytest.mark.parametrize(("i", "expected"), [(0, "a"), (4, "đ"), (5, "e"), (6, "g"), (22, "y")],
                         ids=["first", "d-stroke", "e", "g-after-e", "last"])  # fmt: skip
def test_nhan_diem(i: int, expected: str) -> None:
    assert text.nhan_diem(i) == expected


@pytest.mark.parametrize("i", [-1, 23, 100], ids=["negative", "past-y", "far"])
def test_nhan_diem_rejects_out_of_range(i: int) -> None:
    with pytest.raises(ValueError, match="điểm index"):
        text.nhan_diem(i)


# ---------------------------------------------------------------------------------------------
# Tone-mark style
# ---------------------------------------------------------------------------------------------

TONE_PAIRS = [
    ("hòa", "hoà"),
    ("hóa", "hoá"),
    ("khỏe", "khoẻ"),
    ("thủy", "thuỷ"),
    ("Ủy", "Uỷ"),
    ("lũy", "luỹ"),
    ("tùy", "tuỳ"),
    ("HÒA", "HOÀ"),
    ("ỦY", "UỶ"),
    ("HÓa", "HOá"),
    ("hỏA", "hoẢ"),
    ("Thanh Hóa", "Thanh Hoá"),
    ("tọa", "toạ"),
    ("xòe", "xoè"),
    ("góa", "goá"),
    ("nhụy", "nhuỵ"),
    ("òa", "oà"),
    ("úy", "uý"),
    ("CỘNG HÒA", "CỘNG HOÀ"),
    ("TM. ỦY BAN NHÂN DÂN", "TM. UỶ BAN NHÂN DÂN"),
]


@pytest.mark.parametrize(("truyen_thong", "hien_dai"), TONE_PAIRS, ids=[p[0] for p in TONE_PAIRS])
def test_doi_kieu_dau_converts_both_ways(truyen_thong: str, hien_dai: str) -> None:
    assert text.doi_kieu_dau(truyen_thong, "hien_dai") == hien_dai
    assert text.doi_kieu_dau(hien_dai, "truyen_thong") == truyen_thong
    assert text.doi_kieu_dau(truyen_thong, "truyen_thong") == truyen_thong
    assert text.doi_kieu_dau(hien_dai, "hien_dai") == hien_dai


UNCHANGED = [
    "hoàn", "toán", "thuyền", "khuếch", "ngoài", "khuya", "quý", "quỳ", "quà", "QUÝ", "giả",
    "hoặc", "huệ", "thuở", "hoa", "thuy", "Việt Nam", "koala", "über", "naïve", "hòa中",
    "2023", "", "hòá", "Noël",
]  # fmt: skip


@pytest.mark.parametrize("word", UNCHANGED, ids=[w or "empty" for w in UNCHANGED])
@pytest.mark.parametrize("kieu", text.KIEU_DAU)
def test_doi_kieu_dau_leaves_other_syllables_alone(word: str, kieu: str) -> None:
    assert text.doi_kieu_dau(word, kieu) == word


def test_doi_kieu_dau_leaves_word_followed_by_combining_mark() -> None:
    word = "hòa\u0331"
    assert text.doi_kieu_dau(word, "hien_dai") == word


def test_doi_kieu_dau_paragraph_round_trip() -> None:
    hien_dai = text.doi_kieu_dau(PARAGRAPH_TRUYEN_THONG, "hien_dai")
    assert hien_dai == PARAGRAPH_HIEN_DAI
    assert text.doi_kieu_dau(hien_dai, "truyen_thong") == PARAGRAPH_TRUYEN_THONG
    assert text.doi_kieu_dau(hien_dai, "hien_dai") == hien_dai
    assert text.doi_kieu_dau(PARAGRAPH_TRUYEN_THONG, "truyen_thong") == PARAGRAPH_TRUYEN_THONG
    assert is_nfc(hien_dai)


def test_doi_kieu_dau_composes_decomposed_input() -> None:
    result = text.doi_kieu_dau(nfd(PARAGRAPH_TRUYEN_THONG), "hien_dai")
    assert result == PARAGRAPH_HIEN_DAI
    assert is_nfc(result)


def test_doi_kieu_dau_rejects_unknown_style() -> None:
    with pytest.raises(ValueError, match="tone-mark style"):
        text.doi_kieu_dau("hòa", "moi")


def test_kieu_dau_names() -> None:
    assert text.KIEU_DAU == ("truyen_thong", "hien_dai")


TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
ONSETS = ["", "b", "ch", "đ", "g", "gi", "h", "kh", "l", "ng", "nh", "qu", "th", "tr", "x"]
RHYMES = ["a", "oa", "oe", "uy", "oan", "oai", "uya", "uyên", "ươ", "ê", "uê", "i", "ô"]


@st.composite
def syllables(draw: st.DrawFn) -> str:
    """Draw a Vietnamese-looking syllable with its tone on any vowel and random letter case."""
    onset, rhyme = draw(st.sampled_from(ONSETS)), draw(st.sampled_from(RHYMES))
    at = draw(st.integers(0, len(rhyme) - 1))
    letters = onset + rhyme[:at] + text.nfc(rhyme[at] + draw(st.sampled_from(TONES)))
    letters += rhyme[at + 1 :]
    upper = draw(st.lists(st.booleans(), min_size=len(letters), max_size=len(letters)))
    return "".join(ch.upper() if up else ch for ch, up in zip(letters, upper, strict=True))


separators = st.sampled_from([" ", ", ", "; ", "\n", "1", "\u0301", "x"])
vietnamese_text = st.lists(st.tuples(syllables(), separators)).map(
    lambda parts: "".join(a + b for a, b in parts)
)


@given(st.one_of(st.text(), vietnamese_text))
def test_doi_kieu_dau_is_idempotent_and_keeps_length(s: str) -> None:
    s = text.nfc(s)
    for kieu in text.KIEU_DAU:
        once = text.doi_kieu_dau(s, kieu)
        assert text.doi_kieu_dau(once, kieu) == once
        assert len(once) == len(s)
        assert is_nfc(once)


@given(vietnamese_text)
def test_doi_kieu_dau_round_trips(s: str) -> None:
    truyen_thong = text.doi_kieu_dau(s, "truyen_thong")
    hien_dai = text.doi_kieu_dau(s, "hien_dai")
    assert text.doi_kieu_dau(hien_dai, "truyen_thong") == truyen_thong
    assert text.doi_kieu_dau(truyen_thong, "hien_dai") == hien_dai
    assert text.viet_thuong(text.doi_kieu_dau(s, "hien_dai")) == text.doi_kieu_dau(
        text.viet_thuong(s), "hien_dai"
    )


# ---------------------------------------------------------------------------------------------
# Punctuation and file names
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("s", "dau", "expected"),
    [
        ("Căn cứ Luật Tổ chức chính quyền", ";", "Căn cứ Luật Tổ chức chính quyền;"),
        ("Theo đề nghị của Văn phòng.", ";", "Theo đề nghị của Văn phòng;"),
        ("Sở Tài chính;  ", ".", "Sở Tài chính."),
        ("Cuộc họp kết thúc lúc 11 giờ", "./.", "Cuộc họp kết thúc lúc 11 giờ./."),
        ("Cuộc họp kết thúc./.", "./.", "Cuộc họp kết thúc./."),
        ("Như trên,;.: \n", ";", "Như trên;"),
        ("- Lưu: VT", ".", "- Lưu: VT."),
        ("Chủ trì:", ",", "Chủ trì,"),
        ("Hôm nay…", ".", "Hôm nay…."),
        ("(xem Phụ lục)", ";", "(xem Phụ lục);"),
        ("", ";", ""),
        ("   ", ";", ""),
        (";.", ".", ""),
    ],
    ids=[
        "add-semicolon", "replace-dot", "strip-space", "closing-mark", "closing-mark-idempotent",
        "mixed-trailing", "luu", "colon-to-comma", "ellipsis-kept", "bracket-kept", "empty",
        "blank", "only-punctuation",
    ],
)  # fmt: skip
def test_ket_thuc_bang(s: str, dau: str, expected: str) -> None:
    assert text.ket_thuc_bang(s, dau) == expected
    assert text.ket_thuc_bang(expected, dau) == expected


@pytest.mark.parametrize(("x", "expected"), [(15.45, "15,45"), (13.0, "13"), (16.1, "16,1"),
                                             (0.5, "0,5")])
def test_so_thap_phan(x: float, expected: str) -> None:
    assert text.so_thap_phan(x) == expected


@pytest.mark.parametrize(
    ("phan", "tong", "expected"),
    [(2, 3, "66,67 %"), (1, 3, "33,33 %"), (1, 6, "16,67 %"), (18, 20, "90 %"), (1, 8, "12,5 %"),
     (56, 56, "100 %"), (0, 5, "0 %"), (1, 200, "0,5 %"), (1, 400, "0,25 %"), (1, 800, "0,13 %")],
)
def test_phan_tram_rounds_half_up_with_a_decimal_comma(phan: int, tong: int, expected: str) -> None:
    assert text.phan_tram(phan, tong) == expected


def test_phan_tram_needs_a_total() -> None:
    with pytest.raises(ValueError, match="positive total"):
        text.phan_tram(1, 0)


# -- Text shown in a terminal, spoofing (issue #9) --------------------------------------------


@pytest.mark.parametrize(
    ("s", "expected"),
    [("Tân Thọ, ngày 25/5/2023", "Tân Thọ, ngày 25/5/2023"),
     ("a\x1b[2Jb", "a\\x1b[2Jb"), ("x\x07\x85y", "x\\x07\\x85y"), ("a\u202eb", "a\\u202eb"),
     ("dòng 1\ndòng 2\tcột", "dòng 1\ndòng 2\tcột"), ("\u200b\u2028", "\\u200b\\u2028"),
     ("\U000e0041", "\\U000e0041"), ("a\xa0b", "a\xa0b")],
)
def test_visible_escapes_what_could_drive_a_terminal(s: str, expected: str) -> None:
    assert text.visible(s) == expected


@given(st.text())
def test_visible_leaves_no_control_or_format_character(s: str) -> None:
    shown = text.visible(s)
    assert all(c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Zl", "Zp")
               for c in shown)
    assert text.visible(shown) == shown


def test_bidi_and_invisible_text_are_found() -> None:
    assert text.find_bidi_char("Tân \u2067Thọ") == "U+2067"
    assert text.find_bidi_char("Tân Thọ") is None
    assert text.only_invisible("\u200b \ufeff")
    assert not text.only_invisible("")
    assert not text.only_invisible("  ")
    assert not text.only_invisible("a\u200b")


# -- Centred titles (trích yếu) ---------------------------------------------------------------

MODEL = "“Chính quyền thân thiện, vì Nhân dân phục vụ”"


@pytest.mark.parametrize(("s", "width", "expected"), [
    ("Họp Ban điều hành tháng 6", 40, "Họp Ban điều hành tháng 6"),
    (f"Về việc thành lập Ban điều hành mô hình {MODEL} xã Tân Thọ", 60,
     f"Về việc thành lập Ban điều hành mô hình\n{MODEL} xã Tân Thọ"),
    # balanced: not "… Nguyễn Văn Hòa làm" / "Trưởng ban"
    ("Về việc cử đồng chí Nguyễn Văn Hòa làm Trưởng ban điều hành", 40,
     "Về việc cử đồng chí Nguyễn Văn Hòa\nlàm Trưởng ban điều hành"),
    # a personal or place name stays whole even when a break inside it would balance better
    ("Hội nghị ở xã Tân Thọ Đông Bắc", 22, "Hội nghị ở xã\nTân Thọ Đông Bắc"),
    # a quoted name longer than a line cannot be broken by the rules: left to the renderer
    (f"Mô hình {MODEL}", 20, f"Mô hình {MODEL}"),
    # never inside a body's name or a word of several syllables (either tone-mark style)
    ("Hội nghị giữa Ủy ban nhân dân phường với Ủy ban Mặt trận Tổ quốc Việt Nam phường", 60,
     "Hội nghị giữa Ủy ban nhân dân phường với\nỦy ban Mặt trận Tổ quốc Việt Nam phường"),
    ("của Uỷ ban nhân dân đặc khu Phú Quốc về văn hoá", 30,
     "của Uỷ ban nhân dân đặc khu\nPhú Quốc về văn hoá"),
    # a number stays with its word and a date whole; brackets round the line are no name
    ("(Kèm theo Quyết định số 16/QĐ-UBND ngày 14 tháng 8 năm 2025 của Ủy ban nhân dân xã)", 62,
     "(Kèm theo Quyết định số 16/QĐ-UBND\nngày 14 tháng 8 năm 2025 của Ủy ban nhân dân xã)"),
    ("Họp tháng 12 năm 2025", 18, "Họp\ntháng 12 năm 2025"),
])
def test_centred_titles_break_at_phrase_boundaries(s: str, width: int, expected: str) -> None:
    assert text.ngat_dong_can_giua(s, width, len) == expected


@given(st.lists(st.sampled_from(["Về", "việc", "Tân", "Thọ", "“Chính", "quyền”", "xã", "và"]),
                min_size=2, max_size=14), st.integers(8, 40))
def test_centred_title_lines_fit_and_keep_the_words(words: list[str], width: int) -> None:
    s = " ".join(words)
    out = text.ngat_dong_can_giua(s, width, len)
    assert out.replace("\n", " ") == s
    if "\n" in out:
        assert all(len(line) <= width for line in out.split("\n"))


@pytest.mark.parametrize(("loai", "ten", "viet"), [
    ("xã", "Tân Thọ", "xã Tân Thọ"),
    ("phường", "Hạc Thành", "phường Hạc Thành"),
    ("phường", "12", "Phường 12"),
    ("quận", "3", "Quận 3"),
    ("thị trấn", "3A", "Thị trấn 3A"),
    ("đặc khu", "Phú Quốc", "đặc khu Phú Quốc"),
    ("thành phố", "Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
    ("thành phố", "Hà Nội", "thành phố Hà Nội"),
])
def test_a_unit_named_by_a_number_capitalises_its_generic_noun(
        loai: str, ten: str, viet: str) -> None:
    # ND30 Phụ lục II: "tỉnh Nam Định", but "Quận 1" and "Thành phố Hồ Chí Minh".
    assert text.don_vi_hanh_chinh(loai, ten) == viet
    assert text.ten_theo_so(ten) is ten[0].isdigit()


@pytest.mark.parametrize(("hoa", "viet"), [
    ("BAN DÂN VẬN", "Ban Dân vận"),
    ("BAN XÂY DỰNG ĐẢNG", "Ban Xây dựng Đảng"),
    ("VĂN PHÒNG HUYỆN ỦY", "Văn phòng Huyện ủy"),
    ("ỦY BAN KIỂM TRA ĐẢNG UỶ", "Ủy ban Kiểm tra Đảng uỷ"),
    ("ĐẢNG ỦY XÃ TÂN THỌ", "Đảng ủy xã Tân Thọ"),
    ("HUYỆN ỦY NÔNG CỐNG", "Huyện ủy Nông Cống"),
    ("ỦY BAN NHÂN DÂN PHƯỜNG 12", "Ủy ban nhân dân Phường 12"),
    ("VĂN PHÒNG HĐND VÀ UBND XÃ", "Văn phòng HĐND và UBND xã"),
    ("PHÒNG VĂN HÓA - XÃ HỘI", "Phòng Văn hóa - Xã hội"),
    ("TRUNG TÂM CHÍNH TRỊ HUYỆN NÔNG CỐNG", "Trung tâm Chính trị huyện Nông Cống"),
])
def test_a_body_named_in_capitals_is_written_as_running_text_writes_it(hoa: str, viet: str) -> None:
    # ND30 Phụ lục II: the type and the field take capitals, "Đảng" too; a unit word does not,
    # the place name after it does.
    assert text.ten_co_quan(hoa) == viet


@pytest.mark.parametrize(("chuc_danh", "co_quan", "ca_hai"), [
    ("Trưởng ban", "Ban Dân vận", "Trưởng Ban Dân vận"),
    ("Chánh Văn phòng", "Văn phòng Huyện ủy", "Chánh Văn phòng Huyện ủy"),
    ("Chủ tịch", "Ủy ban nhân dân xã Tân Thọ", "Chủ tịch Ủy ban nhân dân xã Tân Thọ"),
])
def test_a_title_and_its_body_share_their_common_word(chuc_danh: str, co_quan: str,
                                                      ca_hai: str) -> None:
    assert text.noi_chuc_danh(chuc_danh, co_quan) == ca_hai
