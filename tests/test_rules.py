"""The checker itself: each rule family must report a targeted defect (tests/rules.py)."""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

if __package__:
    from . import rules
    from .test_templates import kind_of, render, sample_context
else:
    import rules
    from test_templates import kind_of, render, sample_context

QD = "quyet-dinh-thanh-lap-ban-dieu-hanh"
QD_QC = "quyet-dinh-ban-hanh-quy-che"
QC = "quy-che"
BB = "bien-ban"

Mutation = Callable[[Document], None]


# ---------------------------------------------------------------------------------------------
# Editing helpers (python-docx / lxml)
# ---------------------------------------------------------------------------------------------


def paras(document: Document, style: str) -> list[Paragraph]:
    """Non-empty paragraphs in `style`, body and tables, in document order."""
    out = []
    for p in document.element.body.iter(qn("w:p")):
        para = Paragraph(p, document._body)
        if para.style is not None and para.style.name == style and para.text.strip():
            out.append(para)
    return out


def first(document: Document, style: str) -> Paragraph:
    return paras(document, style)[0]


def last(document: Document, style: str) -> Paragraph:
    return paras(document, style)[-1]


def set_text(para: Paragraph, text: str) -> None:
    """Replace the text, keeping the first run and its formatting."""
    runs = para.runs
    runs[0].text = text
    for run in runs[1:]:
        run._r.getparent().remove(run._r)


def replace_text(para: Paragraph, old: str, new: str) -> None:
    set_text(para, para.text.replace(old, new))


def style_runs(para: Paragraph, **props: object) -> None:
    for run in para.runs:
        for name, value in props.items():
            setattr(run.font, name, value)


def add_field(para: Paragraph) -> None:
    """Append a PAGE field (fldSimple) to `para`."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    para._p.append(field)


def clone_after(para: Paragraph, style_id: str, text: str) -> None:
    """Insert a copy of `para` after it, in style `style_id`, reading `text`."""
    new = copy.deepcopy(para._p)
    para._p.addnext(new)
    clone = Paragraph(new, para._parent)
    clone._p.get_or_add_pPr().get_or_add_pStyle().set(qn("w:val"), style_id)
    set_text(clone, text)


def zero_indents(para: Paragraph) -> None:
    para.paragraph_format.left_indent = 0
    para.paragraph_format.right_indent = 0


def rule_after(document: Document, style: str) -> Paragraph:
    """The paragraph right after the first paragraph in `style`."""
    p = first(document, style)._p.getnext()
    return Paragraph(p, document._body)


def set_section(**values: object) -> Mutation:
    def mutate(document: Document) -> None:
        for name, value in values.items():
            setattr(document.sections[0], name, value)
    return mutate


def landscape(document: Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width


def table_borders(document: Document) -> None:
    tbl = first(document, "VB Người ký")._p
    while tbl.tag != qn("w:tbl"):
        tbl = tbl.getparent()
    for border in tbl.find(qn("w:tblPr")).find(qn("w:tblBorders")):
        border.set(qn("w:val"), "single")
        border.set(qn("w:sz"), "4")


def add_numbering(document: Document) -> None:
    ppr = first(document, "VB Nội dung")._p.get_or_add_pPr()
    num = ppr.get_or_add_numPr()
    num.get_or_add_ilvl().val = 0
    num.get_or_add_numId().val = 1


def footer_page(document: Document) -> None:
    footer = document.sections[0].footer
    footer.is_linked_to_previous = False
    add_field(footer.paragraphs[0])


def nfd_text(document: Document) -> None:
    para = first(document, "VB Nội dung")
    set_text(para, unicodedata.normalize("NFD", para.text))


def mixed_tones(document: Document) -> None:
    para = first(document, "VB Nội dung")
    set_text(para, para.text + " Tổ hoà giải tham gia.")


def label_not_bold(document: Document) -> None:
    run = first(document, "VB Điều").runs[0]
    run.style = None
    run.font.bold = False


def theme_font(document: Document) -> None:
    rpr = first(document, "VB Nội dung").runs[0]._r.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:asciiTheme"), "minorHAnsi")


def add_signature_to_quy_che(document: Document) -> None:
    clone_after(last(document, "VB Nội dung"), "VBNguoiKy", "Nguyễn Văn Hòa")


def add_so_to_quy_che(document: Document) -> None:
    clone_after(last(document, "VB Cơ quan ban hành"), "VBSoKyHieu", "Số: 01/QC-UBND")


def add_date_to_bien_ban(document: Document) -> None:
    so = first(document, "VB Số ký hiệu")
    cell = so._p.getparent().getnext()
    para = Paragraph(cell.find(qn("w:p")), document._body)
    para.style = "VB Địa danh ngày"
    para.add_run("Tân Thọ, ngày 29 tháng 5 năm 2023")


def swap_roles(document: Document) -> None:
    left, right = paras(document, "VB Thẩm quyền ký")[:2]
    set_text(left, "CHỦ TỌA")
    set_text(right, "THƯ KÝ")


def quoc_hieu_in_party(document: Document) -> None:
    set_text(first(document, "VB Tiêu đề Đảng"), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")


def last_body(document: Document) -> Paragraph:
    """The last body paragraph before the signature table."""
    body = [p for p in document.paragraphs
            if p.style.name in rules.BODY_STYLES and p.text.strip()]
    return body[-1]


def drop_closing(document: Document) -> None:
    para = last_body(document)
    set_text(para, para.text.removesuffix("./.") + ".")


# ---------------------------------------------------------------------------------------------
# One targeted mutation per rule family
# ---------------------------------------------------------------------------------------------

#: (id, profile, template, expected rule tag, mutation)
MUTATIONS: list[tuple[str, str, str, str, Mutation]] = [
    # page and text
    ("landscape", "nd30", QD, "R1", landscape),
    ("page-a5", "nd30", QD, "R1", set_section(page_width=Mm(148), page_height=Mm(210))),
    ("margins-10mm", "nd30", QD, "R2", set_section(left_margin=Mm(10))),
    ("margins-top-30mm", "nd30", BB, "R2", set_section(top_margin=Mm(30))),
    ("party-margins-25mm", "dang", QD, "R37", set_section(top_margin=Mm(25))),
    ("font-arial", "nd30", QD,
     "R3", lambda d: style_runs(first(d, "VB Nội dung"), name="Arial")),
    ("font-theme", "nd30", QC, "R3", theme_font),
    ("colour-red", "dang", BB,
     "R3", lambda d: setattr(first(d, "VB Nội dung").runs[0].font.color, "rgb", RGBColor(0xFF, 0, 0))),
    ("no-titlepg", "nd30", QD, "R4", set_section(different_first_page_header_footer=False)),
    ("page-field-on-page-1", "nd30", QD,
     "R4", lambda d: add_field(d.sections[0].first_page_header.paragraphs[0])),
    ("page-field-in-footer", "dang", QC, "R4", footer_page),
    ("page-number-10pt", "nd30", BB,
     "R4", lambda d: style_runs(d.sections[0].header.paragraphs[0], size=Pt(10))),
    ("party-page-number-left", "dang", QD, "R37", lambda d: setattr(
        d.sections[0].header.paragraphs[0], "alignment", WD_ALIGN_PARAGRAPH.LEFT)),
    ("nfd-text", "nd30", QD, "R5", nfd_text),
    ("mixed-hoa-hoa", "nd30", QD, "R6", mixed_tones),
    ("numpr", "dang", QD_QC, "NUM", add_numbering),
    # ND30 header and title
    ("quoc-hieu-14pt", "nd30", QD, "R7",
     lambda d: style_runs(first(d, "VB Quốc hiệu"), size=Pt(14))),
    ("quoc-hieu-italic", "nd30", QC, "R7",
     lambda d: style_runs(first(d, "VB Quốc hiệu"), italic=True)),
    ("tieu-ngu-en-dash", "nd30", QD, "R8",
     lambda d: replace_text(first(d, "VB Tiêu ngữ"), " - ", " – ")),
    ("tieu-ngu-double-space", "nd30", BB, "R8",
     lambda d: replace_text(first(d, "VB Tiêu ngữ"), " - ", "  -  ")),
    ("tieu-ngu-rule-full-width", "nd30", QD, "R8",
     lambda d: zero_indents(rule_after(d, "VB Tiêu ngữ"))),
    ("issuer-not-bold", "nd30", QD, "R9",
     lambda d: style_runs(last(d, "VB Cơ quan ban hành"), bold=False)),
    ("issuer-lowercase", "nd30", QC, "R9",
     lambda d: set_text(first(d, "VB Cơ quan ban hành"), "Ủy ban nhân dân")),
    ("issuer-rule-full-width", "nd30", QD, "R9",
     lambda d: zero_indents(Paragraph(last(d, "VB Cơ quan ban hành")._p.getnext(), d._body))),
    ("so-no-zero", "nd30", QD, "R10", lambda d: set_text(first(d, "VB Số ký hiệu"), "Số: 5/QĐ-UBND")),
    ("so-with-year", "nd30", QD, "R10",
     lambda d: set_text(first(d, "VB Số ký hiệu"), "Số: 05/2023/QĐ-UBND")),
    ("so-spaces", "nd30", BB, "R10",
     lambda d: set_text(first(d, "VB Số ký hiệu"), "Số: 05/BB - UBND")),
    ("so-bold", "nd30", QD, "R10", lambda d: style_runs(first(d, "VB Số ký hiệu"), bold=True)),
    ("so-on-quy-che", "nd30", QC, "R10", add_so_to_quy_che),
    ("date-day-no-zero", "nd30", QD, "R11", lambda d: set_text(
        first(d, "VB Địa danh ngày"), "Tân Thọ, ngày 5 tháng 01 năm 2023")),
    ("date-month-zero", "nd30", QD_QC, "R11", lambda d: replace_text(
        first(d, "VB Địa danh ngày"), "tháng 5", "tháng 05")),
    ("date-upright", "nd30", QD, "R11",
     lambda d: style_runs(first(d, "VB Địa danh ngày"), italic=False)),
    ("date-on-bien-ban", "nd30", BB, "R11", add_date_to_bien_ban),
    ("type-name-left", "nd30", QD, "R12", lambda d: setattr(
        first(d, "VB Tên loại"), "alignment", WD_ALIGN_PARAGRAPH.LEFT)),
    ("type-name-wrong", "nd30", QD, "R12", lambda d: set_text(first(d, "VB Tên loại"), "QUY CHẾ")),
    ("trich-yeu-upper", "nd30", QD, "R12",
     lambda d: set_text(first(d, "VB Trích yếu"), first(d, "VB Trích yếu").text.upper())),
    ("trich-yeu-rule-full-width", "nd30", QD, "R12",
     lambda d: zero_indents(rule_after(d, "VB Trích yếu"))),
    ("symbol-type-mismatch", "nd30", QD, "R13",
     lambda d: set_text(first(d, "VB Số ký hiệu"), "Số: 05/KH-UBND")),
    ("party-symbol-type-mismatch", "dang", BB, "R13",
     lambda d: set_text(first(d, "VB Số ký hiệu"), "Số 03-QĐ/ĐU")),
    # body
    ("body-12pt", "nd30", QD, "R14", lambda d: style_runs(first(d, "VB Nội dung"), size=Pt(12))),
    ("body-two-sizes", "dang", QC, "R14",
     lambda d: style_runs(first(d, "VB Nội dung"), size=Pt(13))),
    ("body-left-aligned", "nd30", BB, "R14", lambda d: setattr(
        first(d, "VB Nội dung"), "alignment", WD_ALIGN_PARAGRAPH.LEFT)),
    ("body-no-indent", "nd30", QC, "R14", lambda d: setattr(
        first(d, "VB Nội dung").paragraph_format, "first_line_indent", 0)),
    ("body-no-spacing", "dang", QD, "R14", lambda d: setattr(
        first(d, "VB Nội dung").paragraph_format, "space_before", 0)),
    ("body-line-30pt", "nd30", QD, "R14", lambda d: setattr(
        first(d, "VB Nội dung").paragraph_format, "line_spacing", Pt(30))),
    ("can-cu-comma", "nd30", QD, "R15",
     lambda d: replace_text(first(d, "VB Căn cứ"), "2019;", "2019,")),
    ("can-cu-last-semicolon", "nd30", QD_QC, "R15",
     lambda d: replace_text(last(d, "VB Căn cứ"), "xã.", "xã;")),
    ("can-cu-upright", "nd30", QD, "R15",
     lambda d: style_runs(first(d, "VB Căn cứ"), italic=False)),
    ("party-can-cu-italic", "dang", QD, "R15",
     lambda d: style_runs(first(d, "VB Căn cứ"), italic=True)),
    ("article-2-to-4", "nd30", QD, "R16",
     lambda d: replace_text(paras(d, "VB Điều")[1], "Điều 2.", "Điều 4.")),
    ("article-label-not-bold", "dang", QD, "R16", label_not_bold),
    ("chapter-arabic", "nd30", QC, "R16",
     lambda d: set_text(paras(d, "VB Chương")[1], "Chương 2")),
    ("chapter-heading-lower", "dang", QC, "R16",
     lambda d: set_text(first(d, "VB Tên chương"), "Quy định chung")),
    ("diem-b-to-c", "nd30", QC, "R16", lambda d: replace_text(
        next(p for p in paras(d, "VB Nội dung") if p.text.startswith("b)")), "b)", "c)")),
    ("diem-skips-dd", "nd30", QC, "R16", lambda d: replace_text(
        next(p for p in paras(d, "VB Nội dung") if p.text.startswith("đ)")), "đ)", "e)")),
    ("no-closing-mark", "nd30", QD, "R17", drop_closing),
    ("party-no-closing-mark", "dang", QC, "R17", drop_closing),
    # signature and recipients
    ("t-slash-m-in-nd30", "nd30", QD, "R18",
     lambda d: set_text(first(d, "VB Thẩm quyền ký"), "T/M ỦY BAN NHÂN DÂN")),
    ("tm-without-dot", "nd30", QD_QC, "R18",
     lambda d: set_text(first(d, "VB Thẩm quyền ký"), "TM ỦY BAN NHÂN DÂN")),
    ("authority-not-bold", "nd30", QD, "R18",
     lambda d: style_runs(first(d, "VB Chức vụ ký"), bold=False)),
    ("signature-borders", "nd30", QD, "R18", table_borders),
    ("signature-on-quy-che", "nd30", QC, "R18", add_signature_to_quy_che),
    ("party-tm-dot", "dang", QD, "R35",
     lambda d: set_text(first(d, "VB Thẩm quyền ký"), "TM. ĐẢNG ỦY")),
    ("party-position-bold", "dang", QD_QC, "R35",
     lambda d: style_runs(first(d, "VB Chức vụ ký"), bold=True)),
    ("signer-upper", "nd30", QD, "R19",
     lambda d: set_text(first(d, "VB Người ký"), "NGUYỄN VĂN HÒA")),
    ("signer-degree", "dang", QD, "R19",
     lambda d: set_text(first(d, "VB Người ký"), "TS. Lê Đình Thắng")),
    ("signer-not-bold", "nd30", BB, "R19",
     lambda d: style_runs(last(d, "VB Người ký"), bold=False)),
    ("noi-nhan-upright", "nd30", QD, "R20",
     lambda d: style_runs(first(d, "VB Nơi nhận"), italic=False)),
    ("noi-nhan-14pt", "nd30", BB, "R20",
     lambda d: style_runs(first(d, "VB Nơi nhận"), size=Pt(14))),
    ("noi-nhan-no-luu", "nd30", QD, "R20",
     lambda d: set_text(last(d, "VB Nơi nhận mục"), "- Như trên.")),
    ("noi-nhan-item-comma", "nd30", QD, "R20",
     lambda d: replace_text(first(d, "VB Nơi nhận mục"), ";", ",")),
    ("noi-nhan-item-no-dash", "nd30", BB, "R20",
     lambda d: replace_text(first(d, "VB Nơi nhận mục"), "- ", "")),
    ("party-noi-nhan-not-underlined", "dang", QD, "R36",
     lambda d: style_runs(first(d, "VB Nơi nhận"), underline=False)),
    ("party-noi-nhan-italic", "dang", BB, "R36",
     lambda d: style_runs(first(d, "VB Nơi nhận"), italic=True)),
    ("party-item-semicolon", "dang", QD, "R36",
     lambda d: replace_text(first(d, "VB Nơi nhận mục"), ",", ";")),
    ("party-item-11pt", "dang", QD_QC, "R36",
     lambda d: style_runs(first(d, "VB Nơi nhận mục"), size=Pt(11))),
    # document types
    ("no-verdict", "nd30", QD, "R24", lambda d: set_text(first(d, "VB Quyết định"), "QUYẾT ĐỊNH")),
    ("verdict-not-bold", "dang", QD, "R24",
     lambda d: style_runs(first(d, "VB Quyết định"), bold=False)),
    ("adopting-without-kem-theo", "nd30", QD_QC, "R24", lambda d: replace_text(
        first(d, "VB Điều"), "kèm theo Quyết định này", "theo Quyết định")),
    ("kem-theo-format", "nd30", QC, "R25",
     lambda d: set_text(first(d, "VB Kèm theo"), "(Ban hành theo Quyết định 46)")),
    ("kem-theo-upright", "dang", QC, "R25",
     lambda d: style_runs(first(d, "VB Kèm theo"), italic=False)),
    ("kem-theo-date-no-zero", "nd30", QC, "R25",
     lambda d: replace_text(first(d, "VB Kèm theo"), "ngày 25 tháng 5", "ngày 25 tháng 05")),
    ("bien-ban-no-dia-diem", "nd30", BB, "R26", lambda d: replace_text(
        next(p for p in paras(d, "VB Nội dung") if p.text.startswith("Địa điểm")),
        "Địa điểm:", "Nơi họp:")),
    ("bien-ban-roles-swapped", "nd30", BB, "R26", swap_roles),
    ("bien-ban-closing", "dang", BB, "R26", lambda d: replace_text(
        last_body(d), "Hội nghị kết thúc", "Kết thúc")),
    ("bien-ban-closing-mark", "nd30", BB, "R26", lambda d: replace_text(
        last_body(d), "hội nghị./.", "hội nghị.")),
    # Party header
    ("party-quoc-hieu", "dang", QD, "R30", quoc_hieu_in_party),
    ("party-title-14pt", "dang", QC, "R30",
     lambda d: style_runs(first(d, "VB Tiêu đề Đảng"), size=Pt(14))),
    ("party-title-rule-full-width", "dang", BB, "R30",
     lambda d: zero_indents(rule_after(d, "VB Tiêu đề Đảng"))),
    ("party-no-star", "dang", QD, "R31", lambda d: set_text(first(d, "VB Dấu sao"), "**")),
    ("party-superior-bold", "dang", QD, "R31",
     lambda d: style_runs(first(d, "VB Cơ quan cấp trên"), bold=True)),
    ("party-so-colon", "dang", QD, "R32",
     lambda d: set_text(first(d, "VB Số ký hiệu"), "Số: 05-QĐ/ĐU")),
    ("party-so-nd30-form", "dang", BB, "R32",
     lambda d: set_text(first(d, "VB Số ký hiệu"), "Số 03/BB-ĐU")),
    ("party-date-13pt", "dang", QD, "R33",
     lambda d: style_runs(first(d, "VB Địa danh ngày"), size=Pt(13))),
    ("party-date-breaks", "dang", QD, "R33",
     lambda d: set_text(first(d, "VB Địa danh ngày"), "Đông Hưng Thuận, ngày 04 tháng 9 năm 2025")),
    ("party-type-name-14pt", "dang", QD, "R34",
     lambda d: style_runs(first(d, "VB Tên loại"), size=Pt(14))),
    ("party-no-dashes", "dang", QD_QC, "R34",
     lambda d: set_text(first(d, "VB Gạch ngang"), "———")),
]


@pytest.fixture(scope="module")
def conforming(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Path]:
    """Render (once) a conforming document of each template."""
    folder = tmp_path_factory.mktemp("conforming")
    cache: dict[tuple[str, str], Path] = {}

    def get(profile: str, name: str) -> Path:
        if (profile, name) not in cache:
            out = render(profile, name, sample_context(profile, name),
                         folder / f"{profile}-{name}.docx")
            assert rules.check_document(out, profile, kind_of(name)) == []
            cache[profile, name] = out
        return cache[profile, name]

    return get


@pytest.mark.parametrize(("profile", "name", "tag", "mutate"),
                         [m[1:] for m in MUTATIONS], ids=[m[0] for m in MUTATIONS])
def test_checker_reports_mutation(conforming: Callable[[str, str], Path], tmp_path: Path,
                                  profile: str, name: str, tag: str, mutate: Mutation) -> None:
    document = docx.Document(str(conforming(profile, name)))
    mutate(document)
    out = tmp_path / "mutated.docx"
    document.save(str(out))
    violations = rules.check_document(out, profile, kind_of(name))
    assert any(v.startswith(f"[{tag}]") for v in violations), violations


def test_every_rule_has_a_mutation() -> None:
    registered = {tag for tag, *_ in rules.RULES}
    mutated = {m[3] for m in MUTATIONS}
    assert registered <= mutated, registered - mutated


def test_nd30_rules_do_not_accept_a_party_document(conforming: Callable[[str, str], Path]) -> None:
    violations = rules.check_document(conforming("dang", QD), "nd30", "quyet-dinh")
    tags = {v.split("]")[0] + "]" for v in violations}
    assert {"[R7]", "[R8]", "[R10]", "[R18]", "[R20]"} <= tags


def test_unknown_kind_or_profile_is_refused(conforming: Callable[[str, str], Path]) -> None:
    path = conforming("nd30", QD)
    with pytest.raises(ValueError, match="unknown kind"):
        rules.check_document(path, "nd30", "cong-van")
    with pytest.raises(ValueError, match="unknown profile"):
        rules.check_document(path, "nd31", "quyet-dinh")


@pytest.mark.parametrize(("word", "style"), [
    ("hòa", "old"), ("hoà", "new"), ("Ủy", "old"), ("Uỷ", "new"), ("thủy", "old"),
    ("thuỷ", "new"), ("khỏe", "old"), ("khoẻ", "new"), ("HÓA", "old"), ("HOÁ", "new"),
    ("hoàn", None), ("quý", None), ("khuya", None), ("ngoài", None), ("hoa", None),
    ("của", None), ("Nguyễn", None),
], ids=lambda v: str(v))
def test_tone_style(word: str, style: str | None) -> None:
    assert rules.tone_style(word) == style
    assert rules.tone_style(unicodedata.normalize("NFD", word)) == style


def test_wrap_breaks_at_spaces() -> None:
    chars = [(ch, 10.0) for ch in "aaa bbb ccc"]
    assert rules.wrap(chars, 75, 75) == [70.0, 30.0]
    assert rules.wrap(chars, 1000, 1000) == [110.0]
    assert rules.wrap([(ch, 10.0) for ch in "x" * 25], 100, 100) == [100.0, 100.0, 50.0]


def test_text_width_matches_liberation_serif() -> None:
    # Tiêu ngữ at 13 pt bold ≈ 56 mm (format spec §2 [S18]).
    width = rules.text_width(rules.TIEU_NGU, 13, bold=True) / rules.TWIPS_PER_MM
    assert 55 < width < 57


@pytest.mark.parametrize("line", [
    "(Kèm theo Quyết định số 46/QĐ-UBND ngày 25 tháng 5 năm 2023 của Chủ tịch UBND xã Tân Thọ)",
    "(Ban hành kèm theo Quyết định số 07/QĐ-UBND ngày 05 tháng 01 năm 2024 của UBND xã)",
    "(Kèm theo Quyết định số /QĐ-UBND ngày 05 tháng 01 năm 2024 của UBND xã)",
])
def test_kem_theo_pattern_accepts(line: str) -> None:
    assert rules.KEM_THEO["nd30"].match(line)


@pytest.mark.parametrize("line", [
    "(Kèm theo Quyết định số 46/QĐ-UBND ngày 25/5/2023 của UBND xã)",
    "(Kèm theo Quyết định số 46/2023/QĐ-UBND ngày 25 tháng 5 năm 2023 của UBND xã)",
    "Kèm theo Quyết định số 46/QĐ-UBND ngày 25 tháng 5 năm 2023 của UBND xã",
    "(Kèm theo Quyết định số 46-QĐ/ĐU ngày 25 tháng 5 năm 2023 của Đảng ủy xã)",
])
def test_kem_theo_pattern_rejects(line: str) -> None:
    assert not rules.KEM_THEO["nd30"].match(line)


def test_effective_properties_follow_word(conforming: Callable[[str, str], Path],
                                          tmp_path: Path) -> None:
    document = docx.Document(str(conforming("nd30", BB)))
    label = first(document, "VB Nhãn")  # a bold paragraph style
    label.runs[0].style = "VB Đậm"  # a bold character style toggles bold off (§17.7.3)
    date_run = first(document, "VB Trích yếu").runs[0]
    date_run.font.bold = False  # direct formatting is absolute
    out = tmp_path / "toggle.docx"
    document.save(str(out))
    doc = rules.Doc(out)
    assert doc.runs(doc.styled("VB Nhãn")[0])[0].bold is False
    assert doc.runs(doc.styled("VB Trích yếu")[0])[0].bold is False
    assert doc.runs(doc.styled("VB Tên loại")[0])[0].bold is True  # from the style
    body = doc.runs(doc.styled("VB Nội dung")[0])[0]
    assert (body.size, body.fonts["ascii"], body.italic) == (14.0, "Times New Roman", False)
    assert doc.indents(doc.styled("VB Nội dung")[0]) == (0.0, 0.0, 720.0)


def test_bien_ban_roles_are_configurable(conforming: Callable[[str, str], Path]) -> None:
    path = conforming("nd30", BB)
    violations = rules.check_document(path, "nd30", "bien-ban", roles=("THƯ KÝ", "CHỦ TRÌ"))
    assert any(v.startswith("[R26]") and "CHỦ TRÌ" in v for v in violations)
