"""The dossier (hồ sơ): typed models of everything the documents need.

Field names are the Vietnamese domain words without diacritics; they are the same in the YAML
file, in these models and in the template tags. Every string is normalised to NFC and checked
for control characters here, so whatever builds a model (the YAML loader or a caller of the
library) gets clean text.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic_core import PydanticCustomError

from vanban import text

#: Longest string accepted in one YAML value; longer text belongs in a Markdown file.
MAX_TEXT = 10_000

#: Longest name of a place (xã, huyện, tỉnh, địa danh); it is printed in every header.
MAX_TEN_DIA_DANH = 100
#: Most chapters in a regulation (they are numbered in Roman numerals).
MAX_CHUONG = 100
#: Highest document number (số): a body numbers its documents from 01 each year.
MAX_SO = 999_999

#: The date the two-level local government (tỉnh → xã) took over from the three-level one.
NGAY_HAI_CAP = date(2025, 7, 1)


def _clean(value: str) -> str:
    found = text.unprintable(value)
    if found is not None:
        kind, message = found
        # A field may be left out, unlike a register's note.
        tail = " hoặc bỏ trống" if kind == "vo_hinh" else ""
        raise PydanticCustomError(kind, "{message}", {"message": message + tail})
    if len(value) > MAX_TEXT:
        raise PydanticCustomError(
            "qua_dai",
            "chuỗi dài {n} ký tự, quá giới hạn {max}; hãy rút gọn hoặc đưa vào tệp Markdown",
            {"n": len(value), "max": MAX_TEXT},
        )
    return text.nfc(value.strip())


def _nonempty(value: str) -> str:
    if not value:
        raise PydanticCustomError("rong", "không được để trống")
    return value


#: Any text from the dossier.
Chuoi = Annotated[str, AfterValidator(_clean)]
#: Text that must not be blank.
Ten = Annotated[str, AfterValidator(_clean), AfterValidator(_nonempty)]
#: A place name: not blank, and short enough for a header line.
DiaDanh = Annotated[Ten, Field(max_length=MAX_TEN_DIA_DANH)]


def _ky_hieu(value: str) -> str:
    if not text.ky_hieu_hop_le(value):
        raise PydanticCustomError(
            "ky_hieu",
            "chữ viết tắt \"{v}\" không hợp lệ: chỉ gồm chữ, số và dấu gạch nối, không có khoảng "
            "trắng hay dấu /",
            {"v": value},
        )
    return value


#: An abbreviation used in document symbols (UBND, QĐ, ĐU, BDVHU).
KyHieu = Annotated[str, AfterValidator(_clean), AfterValidator(_ky_hieu)]

#: Quotes a clerk may type round a date or an hour (Word's “ ” included): not part of it.
_QUOTES = "\"'“”‘’"
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATE_VN = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def _parse_ngay(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError(
            "ngay", "phải là một ngày, ví dụ 2023-05-25 hoặc 25/5/2023"
        )
    raw = value.strip().strip(_QUOTES).strip()
    if m := _DATE_ISO.match(raw):
        y, mo, d = (int(g) for g in m.groups())
    elif m := _DATE_VN.match(raw):
        d, mo, y = (int(g) for g in m.groups())
        if mo > 12 and d <= 12:
            raise PydanticCustomError(
                "ngay", "ngày {v}: không có tháng {mo}; ngày viết theo thứ tự ngày/tháng/năm, "
                "ví dụ {dung}", {"v": raw, "mo": mo, "dung": f"{mo}/{d}/{y}"})
    else:
        raise PydanticCustomError(
            "ngay",
            "\"{v}\" không phải là ngày; viết theo dạng 2023-05-25 hoặc 25/5/2023",
            {"v": raw},
        )
    try:
        return date(y, mo, d)
    except ValueError:
        raise PydanticCustomError(
            "ngay",
            "ngày {v} không có thật (tháng {mo} năm {y} không có ngày {d})",
            {"v": raw, "mo": mo, "y": y, "d": d},
        ) from None


_TIME = re.compile(r"^(\d{1,2})\s*(?::|h|giờ)\s*(\d{1,2})?\s*(?:phút)?$", re.IGNORECASE)


def _parse_gio(value: Any) -> Any:
    if isinstance(value, time):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads 07:30 as a sexagesimal integer (450); read it back as minutes.
        value = f"{value // 60}:{value % 60}"
    if not isinstance(value, str) or not (m := _TIME.match(value.strip().strip(_QUOTES).strip())):
        raise PydanticCustomError("gio", "phải là giờ, ví dụ \"07:30\"")
    h, mi = int(m.group(1)), int(m.group(2) or 0)
    if h > 23 or mi > 59:
        raise PydanticCustomError("gio", "giờ {v} không có thật", {"v": value})
    return time(h, mi)


#: A calendar date written 2023-05-25 or 25/5/2023.
Ngay = Annotated[date, BeforeValidator(_parse_ngay)]
#: A time of day written "07:30".
Gio = Annotated[time, BeforeValidator(_parse_gio)]

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _ma(value: str) -> str:
    if not _SLUG.match(value) or len(value) > 60:
        raise PydanticCustomError(
            "ma",
            "mã \"{v}\" dùng làm tên tệp nên chỉ gồm chữ thường không dấu, số và dấu gạch nối, "
            "ví dụ: hop-thang-6",
            {"v": value},
        )
    return value


#: A short identifier used in file names.
Ma = Annotated[str, AfterValidator(_clean), AfterValidator(_ma)]


def _as_list(value: Any) -> Any:
    """Accept a single string where a list of strings is expected."""
    return [value] if isinstance(value, str) else value


class Base(BaseModel):
    """Common configuration: unknown keys are errors, models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# -- Where, and who issues --------------------------------------------------------------------


class DiaBan(Base):
    """The commune and the units above it."""

    xa: DiaDanh
    #: Unit type: xã, phường, thị trấn (until 30/6/2025) or đặc khu (from 01/7/2025).
    loai_xa: Literal["xã", "phường", "thị trấn", "đặc khu"] = "xã"
    #: Sub-unit type; defaults to thôn for a xã or đặc khu, tổ dân phố for a phường or thị trấn.
    loai_thon: (
        Literal["thôn", "bản", "ấp", "buôn", "làng", "phum", "sóc", "tổ dân phố", "khu phố"]
        | None
    ) = None
    huyen: DiaDanh | None = None
    loai_huyen: Literal["huyện", "quận", "thị xã", "thành phố"] = "huyện"
    tinh: DiaDanh
    loai_tinh: Literal["tỉnh", "thành phố"] = "tỉnh"
    #: Place name in the date line; defaults to the commune's name.
    dia_danh: DiaDanh | None = None

    @property
    def ten_xa(self) -> str:
        """Return e.g. ``xã Tân Thọ``, ``Phường 12`` (:func:`vanban.text.don_vi_hanh_chinh`)."""
        return text.don_vi_hanh_chinh(self.loai_xa, self.xa)

    @property
    def ten_huyen(self) -> str:
        return text.don_vi_hanh_chinh(self.loai_huyen, self.huyen) if self.huyen else ""

    @property
    def ten_tinh(self) -> str:
        return text.don_vi_hanh_chinh(self.loai_tinh, self.tinh)

    @property
    def noi_ban_hanh(self) -> str:
        """Return the place of the date line when the dossier names none: the commune's name,
        in full when a number forms it (``Phường 12``)."""
        return self.dia_danh or (self.ten_xa if text.ten_theo_so(self.xa) else self.xa)


class CoQuan(Base):
    """An issuing body (cơ quan ban hành), state or Party.

    Every field may be omitted for the two bodies vanban knows (``ubnd_xa``, ``dang_uy_xa``):
    their defaults come from ``dia_ban`` and the shape of local government
    (:mod:`vanban.defaults`). Other bodies must give ``loai``, ``ten``, ``viet_tat`` and
    ``thu_truong``.
    """

    #: ``nha_nuoc`` (Nghị định 30) or ``dang`` (Hướng dẫn 36-HD/VPTW).
    loai: Literal["nha_nuoc", "dang"] | None = None
    #: The issuing name, one header line per list item (written in upper case).
    ten: Annotated[list[Ten], BeforeValidator(_as_list), Field(min_length=1)] | None = None
    #: The direct parent body's line; an empty string for none.
    cap_tren: Chuoi | None = None
    #: Abbreviation in document symbols: UBND, ĐU, BDVHU.
    viet_tat: KyHieu | None = None
    #: Name of the collective used after TM. / T/M: "Ủy ban nhân dân", "Đảng ủy".
    tap_the: Chuoi | None = None
    #: The head's title used after KT. / K/T / TL.: "Chủ tịch", "Bí thư", "Trưởng ban".
    thu_truong: Chuoi | None = None
    #: The body named in running text, e.g. "Ủy ban nhân dân xã Tân Thọ"; the authority line
    #: of a decision its head issues is the head's title followed by it.
    ten_day_du: Chuoi | None = None
    #: Authority line of a decision the body issues as a collective, e.g. "Ban Chấp hành Đảng bộ
    #: xã Tân Thọ"; defaults to ``ten_day_du``.
    tham_quyen_tap_the: Chuoi | None = None
    #: Place name in its date line; defaults to the dossier's.
    dia_danh: Chuoi | None = None
    #: How the outgoing register numbers this body's documents (see :class:`DanhSo`).
    danh_so: DanhSo | None = None


class DanhSo(Base):
    """How an issuing body numbers its documents in the outgoing register.

    NĐ 30 Điều 15 runs numbers per calendar year; which documents share a series is the body's
    choice. Party bodies number each type through the term of office (our reading of HD 36,
    to be checked: both are settings). Defaults: state bodies ``ky: nam``, ``nhom: chung``;
    Party bodies ``ky: nhiem_ky``, ``nhom: theo_loai``.
    """

    #: ``nam`` (1 January to 31 December) or ``nhiem_ky`` (the term of office, five years).
    ky: Literal["nam", "nhiem_ky"] | None = None
    #: First day of the current term (``ky: nhiem_ky``); by default terms start on 1 January
    #: of 2020, 2025, 2030….
    nhiem_ky_tu: Ngay | None = None
    #: ``chung`` (one series for every type) or ``theo_loai`` (one series per type: QĐ, BB…).
    nhom: Literal["chung", "theo_loai"] | None = None


# -- People -----------------------------------------------------------------------------------


class Nguoi(Base):
    """A person named in the documents who is not on the board (guests, trainers…)."""

    ho_ten: Ten
    chuc_vu: Chuoi = ""
    don_vi: Chuoi = ""


class ThanhVien(Base):
    """A member of the steering board."""

    ho_ten: Ten
    chuc_vu: Ten
    #: "Trưởng ban", "Phó Trưởng ban", "Phó Trưởng ban Thường trực", "Thành viên",
    #: "Thành viên, Thư ký".
    vai_tro: Ten = "Thành viên"
    #: Task area within the board, e.g. "kinh tế, giải phóng mặt bằng".
    nhiem_vu: Chuoi = ""
    #: The member's own body, for lists that have a unit column (the attendance list).
    don_vi: Chuoi = ""

    @property
    def la_truong_ban(self) -> bool:
        return text.viet_thuong(self.vai_tro).startswith("trưởng ban")

    @property
    def la_thu_ky(self) -> bool:
        return "thư ký" in text.viet_thuong(self.vai_tro)


class BanDieuHanh(Base):
    """The steering board (Ban điều hành) of the model."""

    #: Full name; defaults to "Ban điều hành mô hình “…” xã …".
    ten: Chuoi | None = None
    ten_goi_tat: Ten = "Ban điều hành"
    #: Size written in the documents; when given it must equal the list.
    so_thanh_vien: int | None = Field(default=None, ge=1)
    thanh_vien: Annotated[list[ThanhVien], Field(min_length=1)]
    #: Tasks of the board (Điều 2 of the establishing decision).
    nhiem_vu: list[Ten] | None = None

    @property
    def truong_ban(self) -> ThanhVien | None:
        return next((t for t in self.thanh_vien if t.la_truong_ban), None)


# -- Documents --------------------------------------------------------------------------------

#: Signing forms: "" (the head in their own name), TM, KT, Q, TL, TUQ and TM-KT (state); "",
#: T/M, K/T, Q and T/L (Party). "T/UQ" and "T/M-K/T" are read so that the check can say what
#: the Party writes instead. See :mod:`vanban.vocabulary`.
HinhThucKy = Literal[
    "", "TM", "KT", "Q", "TL", "TUQ", "TM-KT", "T/M", "K/T", "T/L", "T/UQ", "T/M-K/T"
]


def _hinh_thuc_ky(value: Any) -> Any:
    """Read "TM. KT.", "tm-kt", "T/M, K/T" or "truc_tiep" as the canonical form."""
    if not isinstance(value, str):
        return value
    raw = value.strip().upper()
    if raw in ("TRUC_TIEP", "TRỰC TIẾP"):
        return ""
    parts = [p for p in re.split(r"[\s.,;+\-]+", raw) if p]
    return "-".join(parts)


class CanCu(Base):
    """A căn cứ given by its parts: "Kế hoạch số 15-KH/HU ngày 10/3/2023 của … về …"."""

    #: The cited text's kind: "Kế hoạch", "Quyết định", "Công văn".
    ten_loai: Ten
    #: Its number and symbol, e.g. "15-KH/HU".
    so_ky_hieu: Chuoi | None = None
    ngay: Ngay | None = None
    #: Who issued it: "Ban Thường vụ Huyện ủy Nông Cống".
    cua: Chuoi = ""
    #: What it is about, starting with "về": "về thực hiện “Năm Dân vận chính quyền 2023”".
    ve_viec: Chuoi = ""

    def dong(self) -> str:
        """Return the căn cứ line without final punctuation."""
        parts = [f"Căn cứ {self.ten_loai}"]
        if self.so_ky_hieu:
            parts.append(f"số {self.so_ky_hieu}")
        if self.ngay:
            parts.append(f"ngày {text.ngay_ngan(self.ngay)}")
        if self.cua:
            parts.append(f"của {self.cua}")
        if self.ve_viec:
            parts.append(self.ve_viec)
        return " ".join(parts)


class VanBan(Base):
    """Settings shared by every issued document: who, when, number, signature, recipients."""

    #: Key of the issuing body in ``co_quan``.
    co_quan: Ten = "ubnd_xa"
    #: Number; leave empty for the văn thư to write it in by hand.
    so: int | None = Field(default=None, ge=1, le=MAX_SO)
    ngay: Ngay
    trich_yeu: Chuoi | None = None
    #: Signer's name; must be a board member or listed in ``nguoi``.
    nguoi_ky: Ten
    #: Who issues the decision: ``thu_truong`` (the head in their own name: "CHỦ TỊCH ỦY BAN
    #: NHÂN DÂN …" above the căn cứ) or ``tap_the`` (the body: "ỦY BAN NHÂN DÂN …"). Defaults
    #: to ``thu_truong`` for a State body and ``tap_the`` for a Party committee.
    nhan_danh: Literal["thu_truong", "tap_the"] | None = None
    #: Signing form; it must belong under ``nhan_danh``. Defaults to "" (the head signs in
    #: their own name) under ``thu_truong`` and TM (T/M) under ``tap_the``.
    hinh_thuc_ky: Annotated[HinhThucKy, BeforeValidator(_hinh_thuc_ky)] | None = None
    #: Signer's position as printed under the authority line: "Chủ tịch", "Phó Chủ tịch".
    chuc_vu_ky: Chuoi | None = None
    #: Legal bases; when omitted they are chosen by the document's date.
    can_cu: list[Ten | CanCu] | None = None
    #: The "Theo đề nghị của …" line.
    de_nghi: Chuoi | None = None
    #: Recipients, without the final "Lưu" line.
    noi_nhan: list[Ten] | None = None
    #: The archive line after "Lưu:" (ND30: "VT, VP").
    luu: Ten = "VT"
    #: Who executes the decision (Điều 3).
    thi_hanh: Chuoi | None = None

    @model_validator(mode="before")
    @classmethod
    def _renamed(cls, data: Any) -> Any:
        if isinstance(data, dict) and "tham_quyen" in data:
            raise PydanticCustomError(
                "doi_ten",
                "khóa tham_quyen đã được tách làm hai: hinh_thuc_ky (TM, KT, TM-KT…; để trống "
                "nếu người đứng đầu ký) và nhan_danh (thu_truong: quyết định của Chủ tịch; "
                "tap_the: quyết định của Ủy ban nhân dân)",
            )
        return data


class Khoan(Base):
    """A clause (khoản) of an article, with its points (điểm)."""

    noi_dung: Ten
    #: Points, lettered a) to y).
    diem: Annotated[list[Ten], Field(max_length=text.SO_DIEM_TOI_DA)] = []


def _khoan(value: Any) -> Any:
    if isinstance(value, list):
        return [{"noi_dung": v} if isinstance(v, str) else v for v in value]
    return value


class Dieu(Base):
    """An article (Điều)."""

    tieu_de: Ten
    #: Paragraph before the clauses, or the whole text of a short article.
    noi_dung: Chuoi = ""
    khoan: Annotated[list[Khoan], BeforeValidator(_khoan)] = []


class Chuong(Base):
    """A chapter (Chương) of the regulation."""

    ten: Ten
    dieu: Annotated[list[Dieu], Field(min_length=1)]


class QuyChe(Base):
    """The board's operating regulation (Quy chế tổ chức và hoạt động)."""

    trich_yeu: Chuoi | None = None
    #: Chapters; when omitted the standard 9-article regulation is used.
    chuong: Annotated[list[Chuong], Field(max_length=MAX_CHUONG)] | None = None


class MucNoiDung(Base):
    """One agenda item of a meeting with what was said."""

    tieu_de: Ten
    dien_bien: Annotated[list[Ten], BeforeValidator(_as_list)] = []


class BieuQuyet(Base):
    """A vote taken at a meeting: its result as written, or the counts to compute it from."""

    noi_dung: Ten
    #: The result as the minutes write it, e.g. "18/20 đồng ý (90%)"; printed unchanged.
    ket_qua: Chuoi | None = None
    tan_thanh: int | None = Field(default=None, ge=0)
    khong_tan_thanh: int = Field(default=0, ge=0)
    khong_y_kien: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _result(self) -> BieuQuyet:
        if self.ket_qua is None and self.tan_thanh is None:
            raise PydanticCustomError(
                "bieu_quyet",
                "cần ket_qua (kết quả viết sẵn, ví dụ \"18/20 đồng ý (90%)\") hoặc tan_thanh "
                "(số đại biểu tán thành)",
            )
        return self


def _vang_mat(value: Any) -> Any:
    """Accept "Họ tên" or "Họ tên (lý do)" for an absent member."""
    if isinstance(value, str):
        m = re.match(r"^(.*?)\s*\((.*)\)\s*$", value)
        return {"ho_ten": m.group(1), "ly_do": m.group(2)} if m else {"ho_ten": value}
    return value


class VangMat(Base):
    """A member absent from a meeting, with the reason when the dossier gives it."""

    ho_ten: Ten
    ly_do: Chuoi = ""


class CuocHop(Base):
    """A meeting or conference that gets minutes (Biên bản)."""

    #: Short identifier used in the file name: ``bien-ban-<ma>.docx``.
    ma: Ma
    #: Name of the meeting, printed as the minutes' trích yếu.
    ten: Ten
    co_quan: Ten = "ubnd_xa"
    so: int | None = Field(default=None, ge=1, le=MAX_SO)
    ngay: Ngay
    bat_dau: Gio
    ket_thuc: Gio
    dia_diem: Ten
    thanh_phan: Annotated[list[Ten], Field(min_length=1)]
    so_moi: int | None = Field(default=None, ge=0)
    so_co_mat: int | None = Field(default=None, ge=0)
    #: Absent members: "Họ tên (lý do)" or {ho_ten, ly_do}.
    vang_mat: list[Annotated[VangMat, BeforeValidator(_vang_mat)]] = []
    #: ``hop`` (a meeting: minutes per ND30 Mẫu 1.9) or ``hoi_nghi`` (a conference record);
    #: defaults to ``hoi_nghi`` when the name starts with "Hội nghị".
    loai_hop: Literal["hop", "hoi_nghi"] | None = None
    #: Names of the chair and the secretary (board members or people in ``nguoi``).
    chu_tri: Ten
    thu_ky: Ten
    noi_dung: Annotated[list[MucNoiDung], Field(min_length=1)]
    bieu_quyet: list[BieuQuyet] = []
    ket_luan: list[Ten] = []
    noi_nhan: list[Ten] | None = None
    luu: Ten = "VT, Hồ sơ"

    @property
    def la_hoi_nghi(self) -> bool:
        """Return True for a conference (hội nghị), False for a meeting."""
        if self.loai_hop is not None:
            return self.loai_hop == "hoi_nghi"
        return text.viet_thuong(self.ten).startswith("hội nghị")


class HocVien(Nguoi):
    """A participant in the training (name, position, unit, as any other person)."""


class ChuyenDe(Base):
    """A training topic: its title, presenter and content (inline or a Markdown file)."""

    tieu_de: Ten
    bao_cao_vien: Chuoi | None = None
    noi_dung: Chuoi | None = None
    #: Markdown file, relative to the dossier's folder.
    tep: Chuoi | None = None

    @model_validator(mode="after")
    def _one_source(self) -> ChuyenDe:
        if bool(self.noi_dung) == bool(self.tep):
            raise PydanticCustomError(
                "chuyen_de", "cần đúng một trong hai khóa: noi_dung (văn bản) hoặc tep (tệp .md)"
            )
        return self


class TapHuan(Base):
    """The training held at the launch, issued by a Party body."""

    co_quan: Ten = "ban_dan_van"
    ngay: Ngay
    dia_diem: Ten
    # Handouts carry no number: they are training material, not issued decisions
    # (docs/quyet-dinh-du-an.md).
    chuyen_de: Annotated[list[ChuyenDe], Field(min_length=1)]
    hoc_vien: list[HocVien] = []
    #: Whether the board's members attend too: each one the list does not already name gets
    #: a row after the ``hoc_vien``.
    moi_ban_dieu_hanh: bool = True
    #: Blank rows added to the attendance list for walk-in participants.
    so_dong_trong: int = Field(default=5, ge=0, le=200)
    #: Who draws up the attendance list (signs under it); blank to write by hand.
    nguoi_lap: Chuoi = ""


# -- The dossier ------------------------------------------------------------------------------


def _bo_ngoac_kep(value: Any) -> Any:
    """Drop the quotes a clerk typed round a name the documents quote themselves (mô hình
    “…”), so that it is not printed with two pairs."""
    if isinstance(value, str):
        v = value.strip()
        for left, right in (("“", "”"), ('"', '"'), ("«", "»")):
            inner = v[1:-1]
            if (len(v) > 2 and v[0] == left and v[-1] == right and left not in inner
                    and right not in inner):
                return inner.strip()
    return value


def _so_nguyen(value: Any) -> Any:
    """Read a whole number the loader kept as text ("3"), for a field whose values are
    numbers a strict choice compares as such."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value


class Hoso(Base):
    """One dossier: everything the launch paperwork needs."""

    ten_mo_hinh: Annotated[Ten, BeforeValidator(_bo_ngoac_kep)] = (
        "Chính quyền thân thiện, vì Nhân dân phục vụ")
    #: Tone-mark placement for the whole dossier: ``truyen_thong`` (hòa, Ủy) or ``hien_dai``.
    kieu_dau: Literal["truyen_thong", "hien_dai"] = "truyen_thong"
    #: 3 (tỉnh → huyện → xã, before 1/7/2025) or 2 (tỉnh → xã); defaults from the dates.
    cap_chinh_quyen: Annotated[Literal[2, 3] | None, BeforeValidator(_so_nguyen)] = None
    dia_ban: DiaBan
    co_quan: dict[str, CoQuan] = {}
    nguoi: list[Nguoi] = []
    ban_dieu_hanh: BanDieuHanh
    quyet_dinh_thanh_lap: VanBan
    quyet_dinh_ban_hanh_quy_che: VanBan | None = None
    quy_che: QuyChe = QuyChe()
    cuoc_hop: list[CuocHop] = []
    tap_huan: TapHuan | None = None

    @property
    def so_cap(self) -> int:
        """Return 3 or 2: the shape of local government on the launch's date."""
        if self.cap_chinh_quyen:
            return self.cap_chinh_quyen
        return 3 if self.quyet_dinh_thanh_lap.ngay < NGAY_HAI_CAP else 2

    @property
    def ten_ban(self) -> str:
        """Return the board's full name."""
        b = self.ban_dieu_hanh
        return b.ten or f"Ban điều hành mô hình “{self.ten_mo_hinh}” {self.dia_ban.ten_xa}"

    def tim_nguoi(self, ho_ten: str) -> Nguoi | ThanhVien | None:
        """Return the board member or listed person called `ho_ten`, if any."""
        key = text.viet_thuong(text.nfc(ho_ten))
        for tv in self.ban_dieu_hanh.thanh_vien:
            if text.viet_thuong(tv.ho_ten) == key:
                return tv
        for ng in self.nguoi:
            if text.viet_thuong(ng.ho_ten) == key:
                return ng
        return None
