"""Pieces every document shares: header, signature, recipients, căn cứ, metadata.

Each function turns typed dossier data into the plain strings the templates place (see
``docs/mau-van-ban.md``). Punctuation rules differ by profile: ``nd30`` (Nghị định 30) and
``dang`` (Hướng dẫn 36-HD/VPTW).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from vanban import defaults, text, vocabulary
from vanban.defaults import Issuer
from vanban.loading import Loaded
from vanban.markdown import MarkdownBlock
from vanban.model import Hoso, VanBan


@dataclass(frozen=True)
class Meta:
    """What the DOCX core properties (and so the PDF metadata) say about a document."""

    title: str
    author: str
    subject: str
    ngay: date


@dataclass(frozen=True)
class LoaiVanBan:
    """A document type: its symbol in the number (``QĐ``) and its name (``Quyết định``)."""

    ky_hieu: str
    ten: str


#: The document types vanban writes, and their symbols (NĐ 30 Phụ lục III): the one table.
QUYET_DINH = LoaiVanBan("QĐ", "Quyết định")
BIEN_BAN = LoaiVanBan("BB", "Biên bản")
QUY_CHE = LoaiVanBan("QC", "Quy chế")

# ---------------------------------------------------------------------------------------------
# Words every document or every decision shares (each kind's own wording is in its module;
# the templates take the labels they carry from these modules: tools/make_templates.py)
# ---------------------------------------------------------------------------------------------

#: The header's right column: Quốc hiệu and Tiêu ngữ (ND30), or the Party's title (HD36).
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
TIEU_DE_DANG = "ĐẢNG CỘNG SẢN VIỆT NAM"
#: The verdict line before the articles.
QUYET_DINH_NHAN = "QUYẾT ĐỊNH:"
#: The article on when the decision takes effect.
HIEU_LUC = "Quyết định này có hiệu lực kể từ ngày ký."
#: The article naming who executes it; ``{ai}`` is :func:`executors`' answer or the dossier's.
THI_HANH = "{ai} chịu trách nhiệm thi hành Quyết định này."
#: The preamble's last line, by profile: "Theo đề nghị của …" / "Xét đề nghị của …".
DE_NGHI = {"nd30": "Theo đề nghị của", "dang": "Xét đề nghị của"}
#: The recipients' heading and the archive line, by profile.
NOI_NHAN = "Nơi nhận:"
LUU = {"nd30": "Lưu: {luu}.", "dang": "Lưu {luu}."}
#: A Party committee's office: it keeps the committee's documents (HD 36 writes no "VT") and
#: executes its decisions.
LUU_VAN_PHONG_DANG = "Văn phòng {tap_the}"


@dataclass(frozen=True)
class RichContent:
    """Formatted blocks (from Markdown) that the renderer turns into a sub-document."""

    blocks: tuple[MarkdownBlock, ...]


@dataclass
class Output:
    """One document to write: its file stem, template, context and metadata."""

    kind: str
    name: str
    template: str
    context: dict[str, Any]
    meta: Meta
    extra: dict[str, Any] = field(default_factory=dict)


#: The text column (``tools/make_templates.py`` TEXT_WIDTH, 165 mm) and the trích yếu's size.
TITLE_WIDTH_PT = 9355 / 20
TITLE_SIZE_PT = 14.0
#: The signature's column (``tools/make_templates.py`` SIGN_COLS) and the size of its lines.
SIGN_WIDTH_PT = 5145 / 20
SIGN_SIZE_PT = 14.0


def title_lines(title: str, *, bold: bool = True, italic: bool = False, upper: bool = False,
                width_pt: float = TITLE_WIDTH_PT, size_pt: float = TITLE_SIZE_PT) -> str:
    """Return a centred line of the text column set at :data:`TITLE_SIZE_PT` (a trích yếu,
    bold; a chapter's name, bold in capitals with `upper`; the Quy chế's "(Kèm theo …)",
    italic), or of another column (`width_pt`, `size_pt`), broken where a clerk would break
    it (:func:`text.ngat_dong_can_giua`).

    In capitals, the breaks are chosen on the text as typed (its capital letters tell the
    names to keep whole), or on it in lower case when it was typed in capitals.
    """
    from vanban.render import metrics  # fontTools: only when a title is laid out

    def width(line: str) -> float:
        shown = text.viet_hoa(line) if upper else line
        return metrics.text_width_pt(shown, size_pt, bold=bold, italic=italic)

    if not upper:
        return text.ngat_dong_can_giua(title, width_pt, width)
    typed = text.viet_thuong(title) if title == text.viet_hoa(title) else title
    return text.viet_hoa(text.ngat_dong_can_giua(typed, width_pt, width))


def issuer_of(hoso: Hoso, key: str) -> Issuer:
    """Return the resolved issuing body `key` (validated by the loader)."""
    body = defaults.issuer(hoso, key)
    assert body is not None, key
    return body


def header(
    body: Issuer, so: int | None, loai: str, ngay: date, *, so_line: bool = True,
    date_line: bool = True,
) -> dict[str, Any]:
    """Return the header tags: issuer lines, Số line and place-and-date line."""
    return {
        "co_quan": {"cap_tren": body.cap_tren, "dong": list(body.ten)},
        "so_ky_hieu": text.so_ky_hieu(so, loai, body.viet_tat, body.profile) if so_line else "",
        "dia_danh_ngay": text.dia_danh_ngay(body.dia_danh, ngay) if date_line else "",
    }


def signing_form(vb: VanBan, body: Issuer) -> vocabulary.HinhThucKy:
    """Return the signing form of `vb` (validated by the loader against its authority line)."""
    nhan_danh = vb.nhan_danh or body.nhan_danh_mac_dinh
    ma = vb.hinh_thuc_ky if vb.hinh_thuc_ky is not None else vocabulary.default_form(
        body.profile, nhan_danh)
    return vocabulary.HINH_THUC_KY[(body.profile, ma)]


def signature(hoso: Hoso, vb: VanBan, body: Issuer) -> dict[str, Any]:
    """Return the signature tags: authority lines (quyền hạn), position line and name."""
    lines, position = vocabulary.signing_lines(
        signing_form(vb, body), body.tap_the, body.thu_truong, vb.chuc_vu_ky
    )
    person = hoso.tim_nguoi(vb.nguoi_ky)

    def balanced(line: str, bold: bool) -> str:
        # -- a long authority or position breaks where a clerk breaks it, not with a word
        # -- left alone ("… ỦY BAN NHÂN DÂN" / "PHƯỜNG") --
        return title_lines(line, bold=bold, upper=True, width_pt=SIGN_WIDTH_PT,
                           size_pt=SIGN_SIZE_PT)

    return {
        "quyen_han": [balanced(line, True) for line in lines],
        "chuc_vu": balanced(position, body.profile != "dang") if position else position,
        "ho_ten": person.ho_ten if person else vb.nguoi_ky,
    }


def recipients(items: list[str], luu: str, body: Issuer) -> list[str]:
    """Return the Nơi nhận items with the profile's punctuation and the archive line."""
    if body.profile == "dang":
        # HD 36 names the office that keeps the copy instead of ND30's "VT".
        office = party_office(body)
        kept = ", ".join(office if part.strip() == "VT" else part.strip()
                         for part in luu.split(","))
        archive = LUU["dang"].format(luu=kept)
        return [f"- {text.ket_thuc_bang(i, ',')}" for i in items] + [f"- {archive}"]
    return [f"- {text.ket_thuc_bang(i, ';')}" for i in items] + [
        f"- {LUU['nd30'].format(luu=luu)}"]


def party_office(body: Issuer) -> str:
    """Return the office of Party body `body`: a committee's Văn phòng, or the advisory body
    (a ban) itself, which has none."""
    return LUU_VAN_PHONG_DANG.format(tap_the=body.tap_the) if body.tap_the_lanh_dao else (
        body.tap_the)


def bases(lines: list[str], de_nghi: str | None, body: Issuer) -> list[str]:
    """Return the căn cứ lines, each punctuated; the last one ends the preamble."""
    all_lines = [text.viet_hoa_chu_dau(x) for x in lines]
    if de_nghi:
        all_lines.append(f"{DE_NGHI[body.profile]} {de_nghi}")
    if body.profile == "dang":
        out = [f"- {text.ket_thuc_bang(x, ';')}" for x in all_lines]
        if out:
            out[-1] = text.ket_thuc_bang(out[-1], ",")
        return out
    out = [text.ket_thuc_bang(x, ";") for x in all_lines]
    if out:
        out[-1] = text.ket_thuc_bang(out[-1], ".")
    return out


def article(number: int, title: str, paragraphs: list[str], *, table: bool = False) -> dict:
    """Return an article's tags: label ``Điều n.``, first-line text and following paragraphs."""
    return {"nhan": f"Điều {number}.", "tieu_de": title, "doan": paragraphs, "bang": table}


def close_body(articles: list[dict[str, Any]]) -> None:
    """End the last paragraph of `articles` with ``./.`` (ND30 Mẫu 1.2–1.9)."""
    last = articles[-1]
    if last["doan"]:
        last["doan"][-1] = text.ket_thuc_bang(last["doan"][-1], "./.")
    else:
        last["tieu_de"] = text.ket_thuc_bang(last["tieu_de"], "./.")


def decision(
    kind: str,
    hoso: Hoso,
    vb: VanBan,
    trich_yeu: str,
    articles: list[dict[str, Any]],
    *,
    extra_bases: tuple[str, ...] = (),
    members: list[dict[str, str]] | None = None,
) -> Output:
    """Return a Quyết định of `kind`: header, competence line, căn cứ, `articles`, signature.

    The last article is closed with ``./.``; `extra_bases` follow the dossier's legal bases.
    """
    body = issuer_of(hoso, vb.co_quan)
    close_body(articles)
    context = {
        **header(body, vb.so, QUYET_DINH.ky_hieu, vb.ngay),
        "trich_yeu": title_lines(trich_yeu),
        "tham_quyen_ban_hanh": text.viet_hoa(body.tham_quyen(vb.nhan_danh)),
        "can_cu": bases([*defaults.legal_bases(hoso, vb), *extra_bases], vb.de_nghi, body),
        "dieu": articles,
        "thanh_vien": members or [],
        "noi_nhan": recipients(
            vb.noi_nhan if vb.noi_nhan is not None else default_recipients(hoso, body), vb.luu,
            body,
        ),
        "ky": signature(hoso, vb, body),
    }
    so_hieu = text.so_hieu_van_ban(vb.so, QUYET_DINH.ky_hieu, body.viet_tat, body.profile)
    return single(kind, body, context, meta(trich_yeu, body, so_hieu, vb.ngay))


def single(kind: str, body: Issuer, context: dict[str, Any], info: Meta) -> Output:
    """Return the one document of `kind`: file named after the kind, template of the profile."""
    return Output(
        kind=kind, name=kind, template=f"{body.profile}/{kind}.docx", context=context, meta=info
    )


def meta(title: str, body: Issuer, so_hieu: str, ngay: date) -> Meta:
    """Return document metadata."""
    return Meta(title=title, author=" ".join(body.ten), subject=so_hieu, ngay=ngay)


def executing_article(hoso: Hoso, vb: VanBan, *, named: bool) -> str:
    """Return the sentence naming who executes `vb`: the dossier's, or :func:`executors`
    (`named`: the decision's Điều 1 names the board's members)."""
    return THI_HANH.format(
        ai=vb.thi_hanh or executors(hoso, issuer_of(hoso, vb.co_quan), named=named))


def executors(hoso: Hoso, body: Issuer, *, named: bool = True) -> str:
    """Return who executes a decision of `body`: its own office, the board, those concerned.

    A Party committee's decision is executed by Party bodies; a State decision by the office
    of the shape of local government. The members are "có tên tại Điều 1" only in a decision
    whose Điều 1 names them (`named`: the establishing one, not the one adopting the Quy chế).
    """
    unit = vocabulary.don_vi(hoso)
    ban = hoso.ban_dieu_hanh.ten_goi_tat
    where = " có tên tại Điều 1" if named else ""
    if body.profile == "dang":
        return (
            f"{party_office(body)}, các đồng chí thành viên {ban}{where} và các "
            "chi bộ, tổ chức đảng có liên quan"
        )
    return (
        f"{unit.van_phong}, các thành viên {ban}{where} và các cơ quan, đơn vị, "
        "cá nhân có liên quan"
    )


def default_recipients(hoso: Hoso, body: Issuer) -> list[str]:
    """Return the usual recipients of a decision of `body` about the board.

    Each body is named once: under two-level government the body the board reports to is the
    unit's own Party committee, which then is not listed again.
    """
    unit = vocabulary.don_vi(hoso)
    if body.profile == "dang" and not body.tap_the_lanh_dao:
        # An advisory body (a ban) reports to the committee it serves, named above it.
        above = text.ten_co_quan(body.cap_tren) if body.cap_tren.strip() else ""
        return ["Như Điều 3", *([f"Thường trực {above} (để báo cáo)"] if above else [])]
    if body.profile == "dang":
        return ["Như Điều 3", f"Ban Thường vụ {unit.cap_uy_tren} (để báo cáo)",
                f"Thường trực {unit.dang_uy}", "Các chi bộ trực thuộc"]
    upward = f"{unit.dan_van_tren} (để báo cáo)"
    if hoso.so_cap == 3:
        return ["Như Điều 3", upward, f"Thường trực {unit.dang_uy}, HĐND {unit.loai}",
                f"Ủy ban MTTQ Việt Nam {unit.loai}"]
    return ["Như Điều 3", f"Thường trực {unit.dang_uy} (để báo cáo)", f"HĐND {unit.loai}",
            f"Ủy ban MTTQ Việt Nam {unit.loai}"]


__all__ = [
    "BIEN_BAN",
    "QUYET_DINH",
    "QUY_CHE",
    "Loaded",
    "LoaiVanBan",
    "Meta",
    "Output",
    "RichContent",
    "article",
    "bases",
    "close_body",
    "decision",
    "default_recipients",
    "executing_article",
    "executors",
    "header",
    "issuer_of",
    "meta",
    "party_office",
    "recipients",
    "signature",
    "signing_form",
    "single",
    "title_lines",
]
