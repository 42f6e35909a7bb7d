"""Vietnamese text rules shared by every document: dates, symbols, case, numbers, tone marks."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, time
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache

__all__ = [
    "CONTROL_CHARS",
    "KIEU_DAU",
    "doi_kieu_dau",
    "dia_danh_ngay",
    "don_vi_hanh_chinh",
    "BIDI_CHARS",
    "find_bidi_char",
    "find_control_char",
    "only_invisible",
    "unprintable",
    "visible",
    "gio_phut",
    "ket_thuc_bang",
    "ky_hieu_hop_le",
    "la_ma",
    "ngay_day_du",
    "ngay_ngan",
    "nfc",
    "ngat_dong_can_giua",
    "nhan_diem",
    "phan_tram",
    "SO_DIEM_TOI_DA",
    "so_bang_chu",
    "so_hieu_van_ban",
    "so_kem_chu",
    "so_ky_hieu",
    "ten_co_quan",
    "ten_theo_so",
    "noi_chuc_danh",
    "viet_hoa",
    "viet_hoa_chu_dau",
    "viet_thuong",
]


def nfc(s: str) -> str:
    """Return `s` in Unicode normal form C (one precomposed code point per Vietnamese letter)."""
    # -- ND30 Phụ lục I Phần I Mục I khoản 4 asks for TCVN 6909:2001 Unicode; NFC is what
    # -- Times New Roman renders and PDF text extraction finds reliably --
    return unicodedata.normalize("NFC", s)


# ---------------------------------------------------------------------------------------------
# Control characters
# ---------------------------------------------------------------------------------------------

#: C0 controls except tab, line feed and carriage return; DEL and the C1 block; lone
#: surrogates; and the noncharacters U+FFFE and U+FFFF.
CONTROL_CHARS: re.Pattern[str] = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"
)


def find_control_char(s: str) -> str | None:
    """Return the first forbidden control character of `s` as ``"U+0007"``, or |None|.

    Tab, line feed and carriage return (so ``"\\r\\n"`` line ends) are allowed; see
    :data:`CONTROL_CHARS` for what is not.
    """
    match = CONTROL_CHARS.search(s)
    if match is None:
        return None
    return f"U+{ord(match.group()):04X}"


#: Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they
#: reorder what is displayed, so a text can read differently from what it holds.
BIDI_CHARS: re.Pattern[str] = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: Characters that show nothing: zero-width space, non-joiner, joiner, word joiner, byte order
#: mark, Mongolian vowel separator, soft hyphen.
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u180e\u00ad")


def find_bidi_char(s: str) -> str | None:
    """Return the first bidirectional control character of `s` as ``"U+202E"``, or |None|."""
    match = BIDI_CHARS.search(s)
    return None if match is None else f"U+{ord(match.group()):04X}"


def only_invisible(s: str) -> bool:
    """Tell whether `s` holds invisible characters and nothing else but white space."""
    return any(c in INVISIBLE for c in s) and all(c in INVISIBLE or c.isspace() for c in s)


def unprintable(s: str) -> tuple[str, str] | None:
    """Return why text `s` a clerk typed cannot stand in a document, as a code and a
    Vietnamese message: a control character, a bidirectional control, or nothing visible.
    None when it can (the dossier and the register check their text alike)."""
    bad = find_control_char(s)
    if bad:
        return "ky_tu_dieu_khien", f"có ký tự điều khiển {bad} không in được; hãy xóa ký tự đó"
    bad = find_bidi_char(s)
    if bad:
        return ("dao_chieu", f"có ký tự đảo chiều văn bản {bad}, làm chữ hiện ra khác chữ thật; "
                             "hãy xóa ký tự đó")
    if only_invisible(s):
        return ("vo_hinh", "chỉ gồm ký tự vô hình (như U+200B, khoảng trắng không độ rộng); "
                           "hãy viết nội dung thật")
    return None


def visible(s: str) -> str:
    """Return `s` fit to print in a terminal: what is not printable is escaped, as ``\\x1b``.

    Control characters (but line feed and tab), format characters (bidirectional controls,
    zero-width characters), line and paragraph separators and lone surrogates are written as
    Python escapes, so a dossier cannot move the cursor, recolour the terminal or reorder a
    message. Vietnamese text is unchanged.
    """
    if s.isprintable():
        return s
    return "".join(_escape(c) if c not in "\n\t" and unicodedata.category(c) in _HIDDEN else c
                   for c in s)


#: Unicode categories :func:`visible` escapes.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def _escape(c: str) -> str:
    code = ord(c)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


# ---------------------------------------------------------------------------------------------
# Dates and times
# ---------------------------------------------------------------------------------------------


def _ngay(d: date) -> str:
    # -- ND30 Phụ lục I Phần I Mục II khoản 4 điểm b: a day below 10 gets a leading zero --
    return f"{d.day:02d}"


def _thang(d: date) -> str:
    # -- ND30 Phụ lục I Phần I Mục II khoản 4 điểm b: only months 1 and 2 get a leading zero --
    return f"{d.month:02d}" if d.month < 3 else str(d.month)


def ngay_day_du(d: date) -> str:
    """Return date `d` written in full, e.g. ``"ngày 05 tháng 01 năm 2023"``."""
    return f"ngày {_ngay(d)} tháng {_thang(d)} năm {d.year}"


def dia_danh_ngay(dia_danh: str, d: date) -> str:
    """Return the place-and-date line, e.g. ``"Tân Thọ, ngày 05 tháng 01 năm 2023"``.

    `dia_danh` is stripped and normalised to NFC; a blank `dia_danh` raises |ValueError|. The
    same form serves the ND30 and the Party profile.
    """
    dia_danh = nfc(dia_danh.strip())
    if not dia_danh:
        raise ValueError("dia_danh must not be blank")
    return f"{dia_danh}, {ngay_day_du(d)}"


def ngay_ngan(d: date) -> str:
    """Return date `d` in short citation form, e.g. ``"05/01/2023"`` or ``"29/5/2023"``."""
    return f"{_ngay(d)}/{_thang(d)}/{d.year}"


def gio_phut(t: time) -> str:
    """Return time `t` as ``"07 giờ 30 phút"`` (two-digit hour and minute)."""
    return f"{t.hour:02d} giờ {t.minute:02d} phút"


# ---------------------------------------------------------------------------------------------
# Số, ký hiệu
# ---------------------------------------------------------------------------------------------

_PROFILES = ("nd30", "dang")

#: Spaces left for the văn thư to write the number by hand.
_SO_TRONG = " " * 6

_KY_HIEU = re.compile(r"[A-Za-zĐđ0-9]+(?:-[A-Za-zĐđ0-9]+)*")


def ky_hieu_hop_le(ky_hieu: str) -> bool:
    """Return |True| when `ky_hieu` is a valid type or issuer abbreviation.

    Valid means nonempty ASCII letters, "Đ"/"đ" and digits, optionally joined by single inner
    hyphens ("QĐ", "QyĐ", "TTr", "UBND-VX", "BCĐ389"); no spaces, slashes or other letters.
    """
    return _KY_HIEU.fullmatch(ky_hieu) is not None


def _kiem_tra_ky_hieu(loai: str, co_quan: str, profile: str) -> None:
    if profile not in _PROFILES:
        raise ValueError(f"unknown profile {profile!r}; expected one of {_PROFILES}")
    if not ky_hieu_hop_le(co_quan):
        raise ValueError(f"invalid issuer abbreviation {co_quan!r}")
    if loai and not ky_hieu_hop_le(loai):
        raise ValueError(f"invalid type abbreviation {loai!r}")
    if not loai and profile == "dang":
        # -- HD36 §1.3: every Party symbol has a type part; a Party công văn uses "CV" --
        raise ValueError("the Party profile needs a type abbreviation (use 'CV' for a công văn)")


def _so(so: int) -> str:
    if so < 1:
        raise ValueError(f"document number must be at least 1, got {so}")
    # -- ND30 Phụ lục I Phần I Mục II khoản 3 điểm c: numbers below 10 get a leading zero --
    return f"{so:02d}"


def _ky_hieu_sau_so(loai: str, co_quan: str, profile: str) -> str:
    if profile == "dang":
        return f"-{loai}/{co_quan}"
    # -- ND30 Phụ lục I Phần I Mục II khoản 3 điểm b: a công văn's symbol has no type part --
    return f"/{loai}-{co_quan}" if loai else f"/{co_quan}"


def so_hieu_van_ban(so: int | None, loai: str, co_quan: str, profile: str = "nd30") -> str:
    """Return the number and symbol as cited inside text, e.g. ``"05/QĐ-UBND"``.

    `loai` is the type abbreviation ("QĐ"; empty for an ND30 công văn) and `co_quan` the issuer
    abbreviation ("UBND", "UBND-VX"). `profile` is ``"nd30"`` or ``"dang"``; the Party form is
    ``"05-QĐ/ĐU"``. A `so` of |None| gives ``"…/QĐ-UBND"`` / ``"…-QĐ/ĐU"``. Raise |ValueError| for
    `so` below 1, an invalid abbreviation or an unknown profile.
    """
    _kiem_tra_ky_hieu(loai, co_quan, profile)
    so_text = "…" if so is None else _so(so)
    return so_text + _ky_hieu_sau_so(loai, co_quan, profile)


def so_ky_hieu(so: int | None, loai: str, co_quan: str, profile: str = "nd30") -> str:
    """Return the "Số" line of the header, e.g. ``"Số: 05/QĐ-UBND"`` or ``"Số 05-QĐ/ĐU"``.

    Arguments are as for :func:`so_hieu_van_ban`. The symbol carries no year. A `so` of |None|
    leaves six spaces for the văn thư: ``"Số:      /QĐ-UBND"``, ``"Số      -QĐ/ĐU"``.
    """
    _kiem_tra_ky_hieu(loai, co_quan, profile)
    # -- ND30 uses "Số:" (Phụ lục I Phần I Mục II khoản 3 điểm c); HD36 writes "Số 36-HD/VPTW" --
    nhan = "Số:" if profile == "nd30" else "Số"
    so_text = _SO_TRONG if so is None else " " + _so(so)
    return nhan + so_text + _ky_hieu_sau_so(loai, co_quan, profile)


# ---------------------------------------------------------------------------------------------
# Case
# ---------------------------------------------------------------------------------------------


def viet_hoa(s: str) -> str:
    """Return `s` in Vietnamese upper case (``"đ"`` → ``"Đ"``), normalised to NFC."""
    return nfc(nfc(s).upper())


def viet_thuong(s: str) -> str:
    """Return `s` in Vietnamese lower case, normalised to NFC."""
    return nfc(nfc(s).lower())


def viet_hoa_chu_dau(s: str) -> str:
    """Return `s` with its first letter upper-cased and the rest unchanged, normalised to NFC.

    Leading non-letters (spaces, quotes, brackets, digits) are skipped: ``"“về việc”"`` gives
    ``"“Về việc”"``.
    """
    s = nfc(s)
    for i, ch in enumerate(s):
        if ch.isalpha():
            return nfc(s[:i] + ch.upper() + s[i + 1 :])
    return s


#: Administrative units whose generic noun is written capitalised by name (ND30 Phụ lục II).
_DON_VI_VIET_HOA = frozenset({("thành phố", "Hồ Chí Minh"), ("thủ đô", "Hà Nội")})


def don_vi_hanh_chinh(loai: str, ten: str) -> str:
    """Return an administrative unit as running text writes it: ``"xã Tân Thọ"``.

    ND30 Phụ lục II keeps the generic noun (``xã``, ``phường``, ``quận``…) in lower case,
    except where a number forms the name (``"Phường 12"``, ``"Quận 1"``) and in the special
    cases it names (``"Thành phố Hồ Chí Minh"``). Such a unit also takes its full name in the
    date line (ND30 Phụ lục I, place and date).
    """
    loai, ten = nfc(loai.strip()), nfc(ten.strip())
    if ten_theo_so(ten) or (viet_thuong(loai), ten) in _DON_VI_VIET_HOA:
        loai = viet_hoa_chu_dau(loai)
    return f"{loai} {ten}"


#: Words naming an organisation's type, longest first (:func:`ten_co_quan`); True for a Party
#: committee, whose name a place name follows.
_LOAI_TO_CHUC = {
    "ủy ban nhân dân": False, "hội đồng nhân dân": False, "ban chấp hành": False,
    "ban thường vụ": False, "ban cán sự": False, "văn phòng": False, "ủy ban": False,
    "trung tâm": False, "đảng ủy": True, "đảng bộ": True, "đảng đoàn": False, "chi bộ": True,
    "huyện ủy": True, "tỉnh ủy": True, "thị ủy": True, "quận ủy": True, "thành ủy": True,
    "khu ủy": True, "ban": False, "hội": False, "sở": False, "phòng": False,
}
#: Administrative unit words, which stay in lower case unless a number names the unit.
_DON_VI = ("thị trấn", "thị xã", "thành phố", "đặc khu", "xã", "phường", "huyện", "quận",
           "tỉnh", "thôn", "tổ dân phố", "khu phố", "bản", "ấp")
#: The first word of a committee named "… ủy" inside a name: "Huyện ủy".
_CAP_UY = ("huyện", "tỉnh", "thị", "quận", "thành", "đảng", "khu")
#: Abbreviations kept in capitals.
_VIET_TAT = frozenset({"UBND", "HĐND", "MTTQ", "TW", "BCH", "BTV", "UBKT", "TƯ"})


def ten_co_quan(ten: str) -> str:
    """Return the name of a body as running text writes it, from its header form (capitals):
    ``"BAN DÂN VẬN"`` → ``"Ban Dân vận"``, ``"VĂN PHÒNG HUYỆN ỦY"`` → ``"Văn phòng Huyện ủy"``.

    ND30 Phụ lục II capitalises the words naming the organisation's type and its field, and
    "Đảng"; a unit word stays in lower case and the place name after it takes a capital on
    every word (``"ĐẢNG ỦY XÃ TÂN THỌ"`` → ``"Đảng ủy xã Tân Thọ"``; ``"Phường 12"``, see
    :func:`don_vi_hanh_chinh`). Capitals cannot tell every proper name apart: a dossier whose
    body needs another form gives it (``ten_day_du``).
    """
    words = nfc(" ".join(ten.split())).split(" ")
    low = [viet_thuong(doi_kieu_dau(w, "truyen_thong")) for w in words]
    out = [viet_thuong(w) for w in words]
    i, place = 0, False
    for loai, committee in _LOAI_TO_CHUC.items():
        k = len(loai.split())
        if low[:k] == loai.split():
            out[0] = viet_hoa_chu_dau(out[0])
            i, place = k, committee
            break
    field = i == 0 or not place  # the first word after the type names the field
    while i < len(words):
        dash = i > 0 and words[i - 1] in ("-", "–")  # "Văn hóa - Xã hội": a second field
        if words[i] in ("-", "–"):
            i, field = i + 1, True
            continue
        unit = 0 if dash else next(
            (len(u.split()) for u in _DON_VI if low[i:i + len(u.split())] == u.split()), 0)
        if low[i] in _CAP_UY and low[i + 1:i + 2] == ["ủy"]:
            out[i] = viet_hoa_chu_dau(out[i])
            i, place, field = i + 2, True, False
            continue
        if unit:
            if words[i + unit:i + unit + 1] and words[i + unit][:1].isdigit():
                out[i] = viet_hoa_chu_dau(out[i])
            i, place, field = i + unit, True, False
            continue
        if words[i] in _VIET_TAT:
            out[i] = words[i]
        elif place or field or low[i] == "đảng":
            out[i] = viet_hoa_chu_dau(out[i])
        field = False
        i += 1
    return " ".join(out)


def noi_chuc_danh(chuc_danh: str, co_quan: str) -> str:
    """Return a head's title joined to their body's name, the words they share written once:
    ``("Trưởng ban", "Ban Dân vận")`` → ``"Trưởng Ban Dân vận"``; ``("Chủ tịch", "Ủy ban
    nhân dân xã Tân Thọ")`` → ``"Chủ tịch Ủy ban nhân dân xã Tân Thọ"``."""
    title, name = chuc_danh.split(), co_quan.split()
    fold = [viet_thuong(w) for w in title], [viet_thuong(w) for w in name]
    for n in range(min(len(title) - 1, len(name)), 0, -1):
        if fold[0][-n:] == fold[1][:n]:
            return " ".join([*title[:-n], *name])
    return " ".join([*title, *name])


def ten_theo_so(ten: str) -> bool:
    """Tell whether a unit's name `ten` is a number (``"12"``, ``"3A"``), which is written
    with its generic noun everywhere (:func:`don_vi_hanh_chinh`)."""
    return nfc(ten.strip())[:1].isdigit()


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------

_CHU_SO = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_SO_LON_NHAT = 999_999_999


def _doc_ba_so(n: int, day_du: bool) -> list[str]:
    """Read a group of three digits; `day_du` also reads a zero hundreds and "linh"."""
    tram, chuc, don_vi = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if tram or day_du:
        words += [_CHU_SO[tram], "trăm"]
    if chuc == 0:
        if don_vi and words:
            words.append("linh")
    elif chuc == 1:
        words.append("mười")
    else:
        words += [_CHU_SO[chuc], "mươi"]
    if don_vi == 0:
        return words
    if don_vi == 1 and chuc >= 2:
        words.append("mốt")
    elif don_vi == 4 and chuc >= 2:
        words.append("tư")
    elif don_vi == 5 and chuc >= 1:
        words.append("lăm")
    else:
        words.append(_CHU_SO[don_vi])
    return words


def so_bang_chu(n: int) -> str:
    """Return `n` (0 to 999 999 999) in Vietnamese words.

    2023 gives "hai nghìn không trăm hai mươi ba", 21 "hai mươi mốt", 24 "hai mươi tư", 15
    "mười lăm", 101 "một trăm linh một"; "nghìn" is used, not "ngàn". Zero groups are skipped
    ("một triệu không trăm linh năm" for 1 000 005). Raise |ValueError| outside the range.
    """
    if not 0 <= n <= _SO_LON_NHAT:
        raise ValueError(f"number out of range 0..{_SO_LON_NHAT}: {n}")
    if n == 0:
        return _CHU_SO[0]
    groups = ((n // 1_000_000, "triệu"), (n // 1000 % 1000, "nghìn"), (n % 1000, ""))
    words: list[str] = []
    for value, unit in groups:
        if value == 0:
            continue
        words += _doc_ba_so(value, day_du=bool(words))
        if unit:
            words.append(unit)
    return " ".join(words)


def so_kem_chu(n: int) -> str:
    """Return `n` in figures followed by words, e.g. ``"16 (mười sáu)"``, ``"09 (chín)"``."""
    return f"{n:02d} ({so_bang_chu(n)})"


def so_thap_phan(x: float) -> str:
    """Return `x` with a decimal comma and no trailing zeros, e.g. ``"15,45"``, ``"13"``."""
    return f"{x:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def phan_tram(phan: int, tong: int) -> str:
    """Return `phan` of `tong` as a Vietnamese percentage: 2 of 3 gives ``"66,67 %"``.

    Rounded half up to two decimals (not truncated), decimal comma, no trailing zero decimals
    (``"90 %"``, ``"12,5 %"``). Raise |ValueError| when `tong` is not positive.
    """
    if tong <= 0:
        raise ValueError(f"a percentage needs a positive total, got {tong}")
    value = (Decimal(phan) * 100 / Decimal(tong)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    shown = f"{value:f}".rstrip("0").rstrip(".")
    return f"{shown.replace('.', ',')} %"


_LA_MA = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def la_ma(n: int) -> str:
    """Return `n` (1 to 3999) in Roman numerals, as used for Phần and Chương.

    Raise |ValueError| outside the range.
    """
    # -- ND30 Phụ lục I Phần I Mục II khoản 6 điểm đ: Phần and Chương are numbered in Roman --
    if not 1 <= n <= 3999:
        raise ValueError(f"Roman numerals cover 1..3999, got {n}")
    parts: list[str] = []
    for value, symbol in _LA_MA:
        count, n = divmod(n, value)
        parts.append(symbol * count)
    return "".join(parts)


# -- ND30 Phụ lục I Phần I Mục II khoản 6 điểm đ says "Vietnamese alphabet order"; the usual
# -- practice drops the letters with a vowel mark and the foreign letters f, j, w, z --
_CHU_DIEM = "abcdđeghiklmnopqrstuvxy"
#: How many điểm a khoản (or a handout's mục) can have: one per letter, a) to y).
SO_DIEM_TOI_DA = len(_CHU_DIEM)


def nhan_diem(i: int) -> str:
    """Return the letter of the `i`-th (0-based) điểm: a, b, c, d, đ, e, g, … y.

    Raise |ValueError| when `i` is negative or past the 23rd letter.
    """
    if not 0 <= i < len(_CHU_DIEM):
        raise ValueError(f"điểm index must be in 0..{len(_CHU_DIEM) - 1}, got {i}")
    return _CHU_DIEM[i]


# ---------------------------------------------------------------------------------------------
# Tone-mark style
# ---------------------------------------------------------------------------------------------

#: Tone-mark styles: traditional "hòa, thủy" and modern "hoà, thuỷ" (format spec §6.2).
KIEU_DAU = ("truyen_thong", "hien_dai")

# -- grave, acute, tilde, hook above, dot below: the five marked Vietnamese tones --
_DAU_THANH = frozenset("\u0300\u0301\u0303\u0309\u0323")

# -- onsets that can precede the glides o/u; "qu" and "gi" are left out on purpose: there the
# -- u/i belongs to the onset, so "quý" and "quà" are the same in both styles --
_PHU_AM_DAU = frozenset(
    {
        "", "b", "c", "ch", "d", "đ", "g", "gh", "h", "k", "kh", "l", "m",
        "n", "ng", "ngh", "nh", "p", "ph", "r", "s", "t", "th", "tr", "v", "x",
    }
)  # fmt: skip

_VAN_DOI = ("oa", "oe", "uy")


def _chu_viet() -> frozenset[str]:
    letters = set("abcdefghijklmnopqrstuvwxyzđ")
    for vowel in "aăâeêioôơuưy":
        letters.update(nfc(vowel + mark) for mark in _DAU_THANH)
        letters.add(vowel)
    return frozenset(letters | {ch.upper() for ch in letters})


#: Every letter a Vietnamese syllable can be written with, in NFC, both cases.
_CHU_VIET = _chu_viet()

_AM_TIET = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=8192)
def _hai_kieu(am_tiet: str) -> tuple[str, str] | None:
    """Return the (traditional, modern) forms of an NFC syllable, or |None| if they agree."""
    if len(am_tiet) < 2 or not _CHU_VIET.issuperset(am_tiet):
        return None
    bases: list[str] = []
    tones: list[str] = []
    for ch in am_tiet:
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        bases.append(nfc(base + "".join(m for m in marks if m not in _DAU_THANH)))
        tones += [m for m in marks if m in _DAU_THANH]
    if len(tones) != 1:
        return None
    tone = tones[0]
    khong_dau = "".join(bases).lower()
    # -- only an open syllable ending in oa/oe/uy after a plain onset differs (spec §6.2); the
    # -- onset has no vowel, so the single tone mark sits on one of the last two letters --
    if khong_dau[-2:] not in _VAN_DOI or khong_dau[:-2] not in _PHU_AM_DAU:
        return None

    def dat_dau(at: int) -> str:
        chars = bases.copy()
        chars[at] = nfc(chars[at] + tone)
        return "".join(chars)

    return dat_dau(len(am_tiet) - 2), dat_dau(len(am_tiet) - 1)


def _cac_am_tiet_doi(s: str) -> list[tuple[re.Match[str], tuple[str, str]]]:
    found: list[tuple[re.Match[str], tuple[str, str]]] = []
    for match in _AM_TIET.finditer(s):
        end = match.end()
        # -- a following combining mark belongs to the last letter; such a word is not plain
        # -- Vietnamese and moving the tone could change its normal form --
        if end < len(s) and unicodedata.category(s[end]).startswith("M"):
            continue
        forms = _hai_kieu(match.group())
        if forms is not None:
            found.append((match, forms))
    return found


def doi_kieu_dau(s: str, kieu: str) -> str:
    """Return `s` with every syllable written in tone-mark style `kieu`, normalised to NFC.

    `kieu` is one of :data:`KIEU_DAU`: ``"truyen_thong"`` ("hòa, khỏe, thủy, ỦY") or
    ``"hien_dai"`` ("hoà, khoẻ, thuỷ, UỶ"). Only open syllables ending in oa, oe, uy change;
    closed syllables (hoàn, thuyền, ngoài, khuya), syllables after "qu"/"gi" and words with
    letters outside the Vietnamese alphabet are kept. Case is kept letter by letter; the result
    has the same length as the NFC form of `s`, and converting twice changes nothing more.
    """
    if kieu not in KIEU_DAU:
        raise ValueError(f"unknown tone-mark style {kieu!r}; expected one of {KIEU_DAU}")
    s = nfc(s)
    index = KIEU_DAU.index(kieu)
    parts: list[str] = []
    pos = 0
    for match, forms in _cac_am_tiet_doi(s):
        parts += [s[pos : match.start()], forms[index]]
        pos = match.end()
    parts.append(s[pos:])
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# Centred titles
# ---------------------------------------------------------------------------------------------

#: Words of several syllables that the documents' titles and names use, which a clerk never
#: breaks across two lines ("Ủy / ban", "Ủy ban / nhân dân", "Mặt trận / Tổ quốc"); in lower
#: case and the traditional tone-mark style ("ủy, hóa": either style matches). Names of bodies
#: are whole.
TU_GHEP = frozenset({
    "ủy ban nhân dân", "hội đồng nhân dân", "ủy ban mặt trận tổ quốc việt nam",
    "mặt trận tổ quốc việt nam",
    "ủy ban", "nhân dân", "hội đồng", "mặt trận", "tổ quốc", "việt nam", "đảng ủy",
    "dân vận", "thường vụ", "thường trực", "chấp hành", "kiểm tra", "văn phòng", "chủ tịch",
    "bí thư", "trưởng ban", "điều hành", "chính quyền", "quy chế", "quyết định", "tổ chức",
    "hoạt động", "thành lập", "ban hành", "hội nghị", "mô hình", "thân thiện", "phục vụ",
    "dân chủ", "cơ sở", "địa phương", "đoàn thể", "chính trị", "cán bộ", "công chức",
    "kế hoạch", "triển khai", "tập huấn", "chuyên đề", "thành viên", "nhiệm vụ",
    "trách nhiệm", "thực hiện", "công tác", "vận động", "nhà nước", "pháp luật", "ra mắt",
    "tài liệu", "học viên", "đánh giá", "danh sách", "biên bản", "cuộc họp", "thị trấn",
    "đặc khu", "thành phố", "khu phố", "tổ dân phố", "xã hội", "khu dân cư", "người dân",
    "điều chỉnh", "đối tượng", "áp dụng", "nguyên tắc", "quy định", "phạm vi", "quyền hạn",
    "chức năng", "chế độ", "thông tin", "báo cáo", "kinh phí", "quan hệ", "phối hợp",
    "thi hành", "hiệu lực", "điều khoản", "lãnh đạo", "chỉ đạo", "giám sát", "phân công",
    "tập thể", "cá nhân", "quần chúng", "quan điểm", "hướng dẫn", "thí điểm", "xây dựng",
    "hành chính", "cải cách", "giải quyết", "kiến nghị", "phản ánh", "sơ kết", "tổng kết",
    "thi đua", "khen thưởng", "doanh nghiệp", "an ninh", "trật tự", "văn hóa", "sửa đổi",
    "bổ sung", "làm việc", "hội họp", "công việc", "lĩnh vực", "đơn vị", "cơ quan",
})
_TU_GHEP_DAI = max(len(t.split()) for t in TU_GHEP)
_DAU_CAU = "“”«»()[],.;:!?\"'"


def _trong_tu_ghep(words: list[str]) -> set[int]:
    """Return the gaps (``i``: between ``words[i]`` and ``words[i + 1]``) inside a word of
    :data:`TU_GHEP`; punctuation between two words ends a word."""
    plain = [doi_kieu_dau(w.strip(_DAU_CAU).lower(), "truyen_thong") for w in words]
    inside: set[int] = set()
    for i in range(len(words)):
        for n in range(2, _TU_GHEP_DAI + 1):
            span = range(i, i + n - 1)
            if (i + n <= len(words) and " ".join(plain[i:i + n]) in TU_GHEP
                    and not any(words[k][-1:] in _DAU_CAU or words[k + 1][:1] in _DAU_CAU
                                for k in span)):
                inside.update(span)
    return inside


def _cho_ngat(words: list[str]) -> list[bool]:
    """Return, for each gap between words, whether a clerk may break the line there.

    Never inside a quoted name (“Chính quyền thân thiện, vì Nhân dân phục vụ”), between two
    capitalised words (a personal or place name: Tân Thọ, Nguyễn Văn Hòa), inside a word of
    several syllables (:data:`TU_GHEP`: Ủy ban nhân dân, Mặt trận), before a number or
    inside a date ("số 16/QĐ-UBND", "ngày 14 tháng 8 năm 2025").
    """
    ok = []
    depth = 0
    inside = _trong_tu_ghep(words)
    if words[0].startswith("(") and words[-1].endswith(")"):
        # -- a line wholly in brackets, "(Kèm theo Quyết định số …)": they are not a name --
        words = [words[0][1:], *words[1:-1], words[-1][:-1]]
    for i, (before, after) in enumerate(zip(words, words[1:], strict=False)):
        depth += sum(before.count(c) for c in "“«(") - sum(before.count(c) for c in "”»)")
        name = before[:1].isupper() and after[:1].isupper() and not before.endswith(",")
        # -- a number stays with its word and a date whole: "số 16/QĐ-UBND", "ngày 14 tháng
        # -- 8 năm 2025", "Phường 12" --
        number = after[:1].isdigit() or (before[:1].isdigit() and after in ("tháng", "năm"))
        ok.append(depth <= 0 and not name and not number and i not in inside)
    return ok


def ngat_dong_can_giua(s: str, do_rong: float, do_rong_cua: Callable[[str], float]) -> str:
    """Return `s` with line breaks (``\\n``) where a clerk would break a centred title.

    `do_rong` is the line width and ``do_rong_cua(text)`` the width of a text in the same
    unit. The fewest lines that fit are used, with breaks only where :func:`_cho_ngat` allows,
    and among those the most balanced (the longest line as short as possible). A title that
    fits on one line, or that cannot be broken within the rules, is returned unchanged.
    """
    measure = do_rong_cua
    words = s.split()
    if len(words) < 2 or measure(s) <= do_rong:
        return s
    allowed = _cho_ngat(words)

    @cache  # the bisection below asks for the same spans again and again
    def width(i: int, j: int) -> float:
        return float(measure(" ".join(words[i:j])))

    def fewest(limit: float) -> list[int] | None:
        # -- each line takes the most words up to an allowed break that fit in `limit`: the
        # -- fewest lines for that limit (widths grow with each word), or None if a part
        # -- between two allowed breaks is wider than `limit` --
        cuts: list[int] = []
        i = 0
        while i < len(words):
            end = None
            for j in range(i + 1, len(words) + 1):
                if j < len(words) and not allowed[j - 1]:
                    continue
                if width(i, j) > limit:
                    break
                end = j
            if end is None:
                return None
            cuts.append(end)
            i = end
        return cuts

    cuts = fewest(do_rong)
    if cuts is None:
        return s
    # -- the most balanced setting in that many lines: the narrowest limit that still needs
    # -- no more lines (bisected; a line's width only grows with its words) --
    low, high = 0.0, float(do_rong)
    for _ in range(40):
        middle = (low + high) / 2
        tried = fewest(middle)
        if tried is not None and len(tried) <= len(cuts):
            high, cuts = middle, tried
        else:
            low = middle
    bounds = [0, *cuts]
    return "\n".join(" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:], strict=False))


# ---------------------------------------------------------------------------------------------
# Punctuation
# ---------------------------------------------------------------------------------------------

_DAU_CUOI = ";.,:"
# -- the closing mark after the last body paragraph in every ND30 Mẫu (Phụ lục III) --
_DAU_KET_THUC = "./."


def ket_thuc_bang(s: str, dau: str) -> str:
    """Return `s` ending with the punctuation `dau` (``";"``, ``"."``, ``"./."``, …).

    Trailing whitespace, trailing ``;.,:`` and a trailing ``"./."`` are removed first, so the
    call is idempotent. A string with nothing left after that gives ``""``.
    """
    while True:
        s = s.rstrip()
        if s.endswith(_DAU_KET_THUC):
            s = s[: -len(_DAU_KET_THUC)]
        elif s and s[-1] in _DAU_CUOI:
            s = s[:-1]
        else:
            break
    return s + dau if s else ""


def bo_dau(s: str) -> str:
    """Return `s` without diacritics: "Đã ghi tệp" gives "Da ghi tep" (đ, Đ → d, D)."""
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))
