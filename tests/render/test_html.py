"""DOCX to HTML/CSS translation: page setup, spacing, tables, fields, tabs, warnings."""

from __future__ import annotations

import html as html_lib
import io
import re
from datetime import datetime, timezone
from xml.etree import ElementTree

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from tests.render.conftest import NGUOI_KY, QUOC_HIEU, TIEU_NGU, TRICH_YEU, save
from tests.render.fidelity import needs_poppler
from vanban.errors import PdfError
from vanban.render.html import HtmlResult, docx_to_html, parse
from vanban.render.ooxml.package import NS as OOXML_NS
from vanban.render.ooxml.package import CoreProperties, on_off

NS = " ".join(
    f'xmlns:{prefix}="{uri}"'
    for prefix, uri in OOXML_NS.items()
    if prefix in ("w", "r", "wp", "a", "pic", "mc", "v", "m")
)


class Parsed:
    """A translation with its class rules and element tree at hand."""

    def __init__(self, result: HtmlResult) -> None:
        self.result = result
        style = re.search(r"<style>\n(.*?)\n</style>", result.html, re.S)
        assert style is not None
        self.css = style.group(1)
        self.rules = {
            m.group(1): dict(d.split(":", 1) for d in m.group(2).split(";") if d)
            for m in re.finditer(r"^\.([a-z]+\d+)\{(.*)\}$", self.css, re.M)
        }
        self.tree = lxml_html.fromstring(result.html.encode())

    def styled(self, name: str) -> list[etree._Element]:
        return self.tree.xpath(f'//p[@data-style="{name}"]')

    def decls(self, element: etree._Element) -> dict[str, str]:
        out: dict[str, str] = {}
        for cls in element.get("class", "").split():
            out.update(self.rules.get(cls, {}))
        return out


def translate(document: docx.document.Document) -> Parsed:
    return Parsed(docx_to_html(save(document)))


def body_xml(*fragments: str, settings_xml: str = "") -> bytes:
    """Return a DOCX whose body holds the given ``w:p``/``w:tbl`` fragments."""
    document = docx.Document()
    body = document.element.body
    sect = body.find(qn("w:sectPr"))
    for fragment in fragments:
        sect.addprevious(parse_xml(re.sub(r"^<(w:\w+)", rf"<\1 {NS}", fragment, count=1)))
    if settings_xml:
        document.settings.element.append(parse_xml(settings_xml))
    return save(document)


@pytest.fixture(scope="module")
def quyet_dinh(docx_bytes: dict[str, bytes]) -> Parsed:
    return Parsed(docx_to_html(docx_bytes["quyet-dinh"]))


@pytest.fixture(scope="module")
def phu_luc(docx_bytes: dict[str, bytes]) -> Parsed:
    return Parsed(docx_to_html(docx_bytes["phu-luc"]))


# -- page setup (format-spec §1) ----------------------------------------------------------


def test_page_size_margins_and_header_distance(quyet_dinh: Parsed) -> None:
    # A4 (11906 x 16838 twips), margins 20/15/20/30 mm, header 10 mm from the edge.
    assert "@page s1{size:595.3pt 841.9pt;margin:56.7pt 42.5pt 56.7pt 85.05pt;" in quyet_dinh.css
    assert "padding-top:28.35pt" in quyet_dinh.css


def test_page_number_in_header_but_not_on_page_one(quyet_dinh: Parsed) -> None:
    assert re.search(r"@page s1\{[^\n]*@top-center\{content:element\(h1-default\)", quyet_dinh.css)
    # titlePg: the first page of the section shows the (empty) first-page header.
    assert "@page s1:nth(1 of s1){@top-center{content:element(h1-first)" in quyet_dinh.css
    header = quyet_dinh.tree.xpath('//div[contains(@style, "running(h1-default)")]')[0]
    number = header.xpath('.//p[@data-style="VB Số trang"]')[0]
    assert number.xpath('.//span[@class="pg-decimal"]')
    assert number.text_content() == ""  # the stored field result "2" is not printed
    assert ".pg-decimal::before{content:counter(page, decimal)}" in quyet_dinh.css
    first = quyet_dinh.tree.xpath('//div[contains(@style, "running(h1-first)")]')[0]
    assert first.text_content().strip() == ""


def test_simple_page_field(docx_bytes: dict[str, bytes]) -> None:
    parsed = Parsed(docx_to_html(docx_bytes["dang"]))
    number = parsed.tree.xpath('//div[contains(@style, "running(h1-default)")]//p')[0]
    assert number.xpath('.//span[@class="pg-decimal"]')
    assert number.text_content() == ""


def test_sections_become_named_pages_with_restarted_numbers(phu_luc: Parsed) -> None:
    assert "@page s2{size:841.9pt 595.3pt;" in phu_luc.css
    assert "@page s2:nth(1 of s2){counter-reset:page 1}" in phu_luc.css
    sections = phu_luc.tree.xpath("//section")
    assert [phu_luc.decls(s)["page"] for s in sections] == ["s1", "s2"]
    assert sections[1].xpath('.//div[contains(@style, "running(h2-default)")]')


# -- paragraphs ---------------------------------------------------------------------------


def test_contract_paragraph_styles(quyet_dinh: Parsed) -> None:
    body = quyet_dinh.decls(quyet_dinh.styled("VB Nội dung")[0])
    # ND30 §2 ô 6: justified, first line 1.27 cm, 6 pt before, exactly 18 pt.
    assert body["text-align"] == "justify"
    assert body["text-indent"] == "36pt"
    assert body["line-height"] == "18pt"
    assert body["margin-top"] == "6pt"
    quoc_hieu = quyet_dinh.styled("VB Quốc hiệu")[0]
    assert quoc_hieu.text_content() == QUOC_HIEU
    assert quyet_dinh.decls(quoc_hieu)["font-size"] == "12pt"
    assert quyet_dinh.decls(quoc_hieu)["font-weight"] == "bold"
    assert quyet_dinh.styled("VB Tiêu ngữ")[0].text_content() == TIEU_NGU
    assert quyet_dinh.styled("VB Trích yếu")[0].text_content() == TRICH_YEU
    assert quyet_dinh.styled("VB Người ký")[0].text_content() == NGUOI_KY


def test_rule_paragraph_spans_between_its_indents(quyet_dinh: Parsed) -> None:
    rule = quyet_dinh.decls(quyet_dinh.styled("VB Kẻ ngắn")[-1])
    assert rule["border-bottom"] == "0.5pt solid #000000"
    assert rule["margin-left"] == rule["margin-right"] == "185pt"


def test_character_style_label(quyet_dinh: Parsed) -> None:
    article = quyet_dinh.styled("VB Điều")[0]
    label = article.xpath(".//span")[0]
    assert label.text == "Điều 1."
    assert quyet_dinh.decls(label)["font-weight"] == "bold"


def spaced(before: int, after: int, style: str = "", contextual: bool = False) -> str:
    extra = f'<w:pStyle w:val="{style}"/>' if style else ""
    extra += "<w:contextualSpacing/>" if contextual else ""
    return (
        f'<w:p><w:pPr>{extra}<w:spacing w:before="{before}" w:after="{after}"/></w:pPr>'
        "<w:r><w:t>x</w:t></w:r></w:p>"
    )


@pytest.mark.parametrize(
    ("settings_xml", "paragraphs", "expected"),
    [
        ("", [spaced(0, 240), spaced(120, 0)], "12pt"),
        ("", [spaced(0, 120), spaced(240, 0)], "12pt"),
        (
            f"<w:compat {nsdecls('w')}><w:doNotUseHTMLParagraphAutoSpacing/></w:compat>",
            [spaced(0, 240), spaced(120, 0)],
            "18pt",
        ),
        ("", [spaced(0, 240, "Heading1", True), spaced(120, 0, "Heading1", True)], None),
        ("", [spaced(0, 240, "Heading1", True), spaced(120, 0, "Heading2", True)], "12pt"),
    ],
    ids=["after-wins", "before-wins", "legacy-sum", "contextual", "contextual-other-style"],
)
def test_spacing_between_paragraphs(
    settings_xml: str, paragraphs: list[str], expected: str | None
) -> None:
    # ECMA-376 17.3.1.33: the larger of "after" and the next "before" separates them.
    parsed = Parsed(docx_to_html(body_xml(*paragraphs, settings_xml=settings_xml)))
    second = parsed.tree.xpath("//section/p")[1]
    assert parsed.decls(second).get("margin-top") == expected


@pytest.mark.parametrize(
    ("ppr", "expected"),
    [
        # python-docx's template sets Cambria (theme minor font): one line is 1.1724 em.
        ('<w:spacing w:line="360" w:lineRule="auto"/>', {"line-height": "1.7586"}),
        ('<w:spacing w:line="360" w:lineRule="exact"/>', {"line-height": "18pt"}),
        # At least 12 pt, but a 14 pt single line (16.4 pt) is taller.
        ('<w:spacing w:line="240" w:lineRule="atLeast"/>', {"line-height": "16.414pt"}),
        ('<w:ind w:left="720" w:hanging="360"/>', {"margin-left": "36pt", "text-indent": "-18pt"}),
        (
            '<w:ind w:right="567"/><w:jc w:val="right"/>',
            {"margin-right": "28.35pt", "text-align": "right"},
        ),
        ('<w:jc w:val="distribute"/>', {"text-align": "justify", "text-align-last": "justify"}),
        ("<w:keepNext/><w:keepLines/>", {"break-after": "avoid", "break-inside": "avoid"}),
        ('<w:widowControl w:val="0"/>', {"orphans": "1", "widows": "1"}),
        ('<w:shd w:val="clear" w:fill="EEEEEE"/>', {"background-color": "#EEEEEE"}),
    ],
    ids=[
        "auto-1.5",
        "exact",
        "at-least",
        "hanging",
        "right",
        "distribute",
        "keeps",
        "no-widow-control",
        "shading",
    ],
)
def test_paragraph_properties(ppr: str, expected: dict[str, str]) -> None:
    parsed = Parsed(
        docx_to_html(
            body_xml(
                f'<w:p><w:pPr>{ppr}</w:pPr><w:r><w:rPr><w:sz w:val="28"/></w:rPr>'
                "<w:t>chữ</w:t></w:r></w:p>"
            )
        )
    )
    paragraph = parsed.decls(parsed.tree.xpath("//section/p")[0])
    assert {k: paragraph.get(k) for k in expected} == expected


@pytest.mark.parametrize(
    ("rpr", "expected"),
    [
        ("<w:b/><w:i/>", {"font-weight": "bold", "font-style": "italic"}),
        (
            '<w:u w:val="double"/><w:strike/>',
            {"text-decoration-line": "underline line-through", "text-decoration-style": "double"},
        ),
        ("<w:caps/>", {"text-transform": "uppercase"}),
        ("<w:smallCaps/>", {"font-variant-caps": "small-caps"}),
        ('<w:color w:val="C00000"/>', {"color": "#C00000"}),
        (
            '<w:vertAlign w:val="superscript"/><w:sz w:val="28"/>',
            {"vertical-align": "4.62pt", "font-size": "9.1pt"},
        ),
        ('<w:highlight w:val="yellow"/>', {"background-color": "#FFFF00"}),
        ('<w:spacing w:val="20"/>', {"letter-spacing": "1pt"}),
        ('<w:kern w:val="28"/><w:sz w:val="28"/>', {"font-kerning": "normal"}),
    ],
    ids=[
        "bold-italic",
        "underline-strike",
        "caps",
        "small-caps",
        "colour",
        "superscript",
        "highlight",
        "letter-spacing",
        "kerning",
    ],
)
def test_run_properties(rpr: str, expected: dict[str, str]) -> None:
    parsed = Parsed(
        docx_to_html(body_xml(f"<w:p><w:r><w:rPr>{rpr}</w:rPr><w:t>chữ</w:t></w:r></w:p>"))
    )
    span = parsed.tree.xpath("//section/p/span")[0]
    assert {k: parsed.decls(span).get(k) for k in expected} == expected


def test_left_tab_and_hanging_indent_stop() -> None:
    parsed = Parsed(
        docx_to_html(
            body_xml(
                '<w:p><w:pPr><w:ind w:left="720" w:hanging="720"/></w:pPr>'
                "<w:r><w:t>a)</w:t><w:tab/><w:t>nội dung</w:t></w:r></w:p>"
            )
        )
    )
    label = parsed.tree.xpath("//section/p/span")[0]
    # The hanging indent is a tab stop: "a)" takes the 36 pt up to it.
    assert parsed.decls(label)["min-width"] == "36pt"
    assert label.text_content() == "a)"


def test_page_break_run_splits_the_paragraph(docx_bytes: dict[str, bytes]) -> None:
    parsed = Parsed(docx_to_html(docx_bytes["dang"]))
    before = [p for p in parsed.styled("VB Nội dung") if "Phần trước" in p.text_content()][0]
    after = before.getnext()
    assert after.text_content() == "Phần sau ngắt trang."
    assert parsed.decls(after)["break-before"] == "page"
    assert "text-indent" not in parsed.decls(after)


def test_trailing_page_break_moves_the_next_paragraph() -> None:
    parsed = Parsed(
        docx_to_html(
            body_xml(
                '<w:p><w:r><w:t>một</w:t></w:r><w:r><w:br w:type="page"/></w:r></w:p>',
                "<w:p><w:r><w:t>hai</w:t></w:r></w:p>",
            )
        )
    )
    first, second = parsed.tree.xpath("//section/p")
    assert first.text_content() == "một"
    assert parsed.decls(second)["break-before"] == "page"


def test_space_before_of_a_page_start_is_padding(docx_bytes: dict[str, bytes]) -> None:
    parsed = Parsed(docx_to_html(docx_bytes["ngat-trang"]))
    assert "p{margin:0;overflow-wrap:break-word;margin-break:discard}" in parsed.css
    starts = parsed.styled("VB Tên loại")
    assert [parsed.decls(p).get("padding-top") for p in starts] == ["12pt"] * 5
    body = parsed.styled("VB Nội dung")[3]
    assert parsed.decls(body)["margin-top"] == "6pt"


def test_no_break_at_slashes(docx_bytes: dict[str, bytes]) -> None:
    parsed = Parsed(docx_to_html(docx_bytes["ngat-trang"]))
    glued = parsed.tree.xpath('//span[@class="nw"]/text()')
    assert glued == ["72/2025/QH15", "KL/TW."]
    assert ".nw{white-space:nowrap}" in parsed.css


def test_spaces_are_kept() -> None:
    parsed = Parsed(
        docx_to_html(
            body_xml(
                '<w:p><w:r><w:t xml:space="preserve">  a   b </w:t></w:r>'
                '<w:r><w:t xml:space="preserve"> c</w:t></w:r></w:p>'
            )
        )
    )
    text = parsed.tree.xpath("//section/p")[0].text_content()
    assert text.replace("\u00a0", " ") == "  a   b  c"


def test_empty_paragraph_keeps_one_line(quyet_dinh: Parsed) -> None:
    blank = quyet_dinh.styled("VB Chữ ký trống")[0]
    assert [child.tag for child in blank] == ["br"]


def test_right_tab_with_dot_leader(phu_luc: Parsed) -> None:
    line = phu_luc.styled("VB Mục lục")[0]
    assert line.xpath('.//span[@class="ld-dot"]')
    assert ".ld-dot::before{content:leader('.')}" in phu_luc.css
    assert line.text_content() == "Phần 1. Những vấn đề chung2"


def test_inline_picture(phu_luc: Parsed) -> None:
    image = phu_luc.tree.xpath("//img")[0]
    assert image.get("src").startswith("data:image/png;base64,")
    # wp:extent 4 cm x 2 cm.
    assert image.get("style") == "width:113.39pt;height:56.69pt"


# -- tables (17.4) --------------------------------------------------------------------------


def test_header_table_is_borderless_with_zero_cell_margins(quyet_dinh: Parsed) -> None:
    table = quyet_dinh.tree.xpath("//section/table")[0]
    assert [c.get("style") for c in table.xpath(".//col")] == ["width:177.75pt", "width:290pt"]
    cell = quyet_dinh.decls(table.xpath(".//td")[0])
    assert cell["border"] == "none"
    assert cell["padding"] == "0pt 0pt 0pt 0pt"
    assert "margin-left" not in quyet_dinh.decls(table)


def test_data_table_merges_and_borders(quyet_dinh: Parsed) -> None:
    table = quyet_dinh.tree.xpath("//section/table")[1]
    assert table.xpath("./thead/tr/td//p")[0].text_content() == "STT"
    assert [td.get("rowspan") for td in table.xpath(".//td[@rowspan]")] == ["2"]
    merged = table.xpath(".//td[@rowspan]")[0]
    assert merged.text_content() == "Thành viên"
    total = table.xpath(".//td[@colspan]")[0]
    assert (total.get("colspan"), total.text_content()) == ("3", "Tổng cộng")
    cell = quyet_dinh.decls(merged)
    assert cell["border"] == "0.5pt solid #000000"
    # 0.19 cm cell margins less half of each 0.5 pt collapsed border.
    assert cell["padding"] == "0pt 5.15pt 0pt 5.15pt"
    # compatibilityMode 14: the first cell's text, not the border, sits on the margin.
    assert quyet_dinh.decls(table)["margin-left"] == "-5.4pt"


def test_cell_borders_override_table_borders() -> None:
    cell = (
        '<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/>{borders}</w:tcPr>'
        "<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"
    )
    table = (
        '<w:tbl><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="8"/>'
        '<w:left w:val="single" w:sz="8"/><w:bottom w:val="single" w:sz="8"/>'
        '<w:right w:val="single" w:sz="8"/><w:insideV w:val="single" w:sz="8"/>'
        "</w:tblBorders></w:tblPr>"
        '<w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid><w:tr>'
        + cell.format(borders='<w:tcBorders><w:right w:val="nil"/></w:tcBorders>', text="a")
        + cell.format(
            borders='<w:tcBorders><w:top w:val="double" w:sz="4" w:color="FF0000"/></w:tcBorders>',
            text="b",
        )
        + "</w:tr></w:tbl>"
    )
    parsed = Parsed(docx_to_html(body_xml(table, settings_xml="")))
    first, second = (parsed.decls(td) for td in parsed.tree.xpath("//td"))
    assert first["border-right"] == "none"
    assert first["border-left"] == "1pt solid #000000"
    assert second["border-top"] == "1.5pt double #FF0000"
    assert second["border-left"] == "1pt solid #000000"


# -- metadata -----------------------------------------------------------------------------


def test_metadata_from_core_properties(quyet_dinh: Parsed) -> None:
    assert quyet_dinh.result.metadata == CoreProperties(
        title=TRICH_YEU,
        creator="ỦY BAN NHÂN DÂN XÃ TÂN THỌ",
        subject="Số: 05/QĐ-UBND",
        keywords="Số: 05/QĐ-UBND",
        language="vi-VN",
        created=datetime(2023, 5, 25, 8, 0, tzinfo=timezone.utc),
        modified=datetime(2023, 5, 25, 8, 0, tzinfo=timezone.utc),
    )
    assert quyet_dinh.tree.get("lang") == "vi-VN"
    assert f"<title>{TRICH_YEU}</title>" in quyet_dinh.result.html
    assert '<meta name="dcterms.created" content="2023-05-25T08:00:00Z">' in quyet_dinh.result.html


def test_language_defaults_to_vietnamese() -> None:
    result = docx_to_html(body_xml("<w:p><w:r><w:t>Không ghi ngôn ngữ</w:t></w:r></w:p>"))
    assert result.metadata.language == "vi"
    assert '<html lang="vi">' in result.html


def test_not_a_docx() -> None:
    with pytest.raises(PdfError, match="DOCX"):
        docx_to_html(b"not a zip file")


# -- unsupported constructs: a warning each, text kept -------------------------------------

ANCHOR = (
    "<w:p><w:r><w:t>Trước hình.</w:t></w:r><w:r><w:drawing><wp:anchor>"
    '<wp:extent cx="914400" cy="914400"/><a:graphic><a:graphicData>'
    "<w:txbxContent><w:p><w:r><w:t>Chữ trong hộp</w:t></w:r></w:p></w:txbxContent>"
    "</a:graphicData></a:graphic></wp:anchor></w:drawing></w:r></w:p>"
)
COMMENT = '<w:p><w:r><w:t>Có ghi chú</w:t></w:r><w:r><w:commentReference w:id="0"/></w:r></w:p>'
NUMBERING = (
    '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
    "<w:r><w:t>Mục đánh số</w:t></w:r></w:p>"
)
DATE_FIELD = (
    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DATE \\@ "d/M/yyyy" '
    '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    '<w:r><w:t>25/5/2023</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
)
UNENDED_FIELD = (
    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText>'
    '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>5</w:t></w:r>'
    "<w:r><w:t>Chữ sau trường</w:t></w:r></w:p>"
)
HIDDEN = "<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>ẩn</w:t></w:r><w:r><w:t>hiện</w:t></w:r></w:p>"
VML = (
    "<w:p><w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>Chữ VML</w:t>"
    "</w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"
)
SYMBOL = '<w:p><w:r><w:sym w:font="Wingdings" w:char="F021"/><w:t>ký hiệu</w:t></w:r></w:p>'
MATH = "<w:p><m:oMath><m:r><m:t>a+b</m:t></m:r></m:oMath></w:p>"
DELETED = "<w:p><w:r><w:t>giữ</w:t></w:r><w:del><w:r><w:delText>xóa</w:delText></w:r></w:del></w:p>"
SDT = (
    "<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>Trong điều khiển</w:t></w:r></w:p>"
    "</w:sdtContent></w:sdt>"
)


@pytest.mark.parametrize(
    ("fragment", "warning", "kept", "dropped"),
    [
        (ANCHOR, "bỏ qua: w:drawing kiểu anchor", "Chữ trong hộp", None),
        (COMMENT, "bỏ qua: ghi chú (w:commentReference)", "Có ghi chú", None),
        (NUMBERING, "bỏ qua: đánh số tự động (w:numPr)", "Mục đánh số", None),
        (DATE_FIELD, "giữ kết quả đã lưu: trường DATE", "25/5/2023", None),
        (UNENDED_FIELD, "sửa lại: trường (w:fldChar) mở mà không đóng; giữ chữ của nó",
         "Chữ sau trường", None),
        (HIDDEN, "bỏ qua: chữ ẩn (w:vanish)", "hiện", "ẩn"),
        (VML, "gần đúng: hộp văn bản (w:txbxContent) giữ chữ, đặt sau đoạn", "Chữ VML", None),
        (SYMBOL, "bỏ qua: ký hiệu w:sym Wingdings F021", "ký hiệu", None),
        (MATH, "gần đúng: công thức (m:oMath) chỉ giữ chữ", "a+b", None),
        (DELETED, "bỏ qua: nội dung đã xóa khi theo dõi thay đổi (w:del)", "giữ", "xóa"),
        (SDT, None, "Trong điều khiển", None),
    ],
    ids=[
        "anchor",
        "comment",
        "numbering",
        "date-field",
        "unended-field",
        "hidden",
        "vml-textbox",
        "symbol",
        "math",
        "deleted",
        "sdt-unwrapped",
    ],
)
def test_unsupported_constructs_warn_and_keep_text(
    fragment: str, warning: str | None, kept: str, dropped: str | None
) -> None:
    result = docx_to_html(body_xml(fragment))
    if warning is None:
        assert result.warnings == []
    else:
        assert warning in result.warnings
    text = lxml_html.fromstring(result.html.encode()).xpath("string(//body)")
    assert kept in text
    if dropped is not None:
        assert dropped not in text


def test_footnote_floats_to_the_page_foot() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Căn cứ Nghị định")
    paragraph._p.append(parse_xml(f'<w:r {NS}><w:footnoteReference w:id="1"/></w:r>'))
    notes = (
        f'<w:footnotes {NS}><w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
        '<w:r><w:t xml:space="preserve"> Nghị định 30/2020/NĐ-CP.</w:t></w:r></w:p>'
        "</w:footnote></w:footnotes>"
    ).encode()
    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        notes,
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)
    parsed = translate(document)
    note = parsed.tree.xpath('//span[contains(@class, "fn")]')[0]
    assert note.text_content().strip() == "Nghị định 30/2020/NĐ-CP."
    assert ".fn{float:footnote}" in parsed.css
    assert any("footnoteReference" in w for w in parsed.result.warnings)


def test_contract_documents_need_no_warning(docx_bytes: dict[str, bytes]) -> None:
    for name, data in docx_bytes.items():
        assert docx_to_html(data).warnings == [], name


@settings(max_examples=40, deadline=None)
@given(
    st.text(
        alphabet=st.characters(codec="utf-8", categories=("L", "M", "N", "P", "Zs")),
        min_size=1,
        max_size=60,
    )
)
def test_text_survives_translation(value: str) -> None:
    value = value.replace("\u00a0", " ")
    document = docx.Document()
    document.add_paragraph().add_run(value)
    result = docx_to_html(save(document))
    paragraph = re.search(r'<p class="p\d+" data-style="Normal">(.*)</p>', result.html)
    assert paragraph is not None
    text = html_lib.unescape(re.sub(r"<[^>]+>", "", paragraph.group(1)))
    assert text.replace("\u00a0", " ") == value.replace("\t", " ").replace("\n", " ")


# -- reading the translation back (parse) -------------------------------------------------


def html5_tree(text: str) -> list[tuple[object, ...]]:
    """Return the tree WeasyPrint's own HTML5 parser builds from `text`, flattened."""
    import tinyhtml5

    return flattened(tinyhtml5.parse(text, namespace_html_elements=False))


def flattened(root: ElementTree.Element) -> list[tuple[object, ...]]:
    return [(element.tag, sorted(element.attrib.items()), element.text, element.tail,
             len(element)) for element in root.iter()]


def test_parse_gives_the_html5_parsers_tree(docx_bytes: dict[str, bytes]) -> None:
    for name, data in docx_bytes.items():
        text = docx_to_html(data).html
        tree = parse(text)
        assert tree is not None, name
        assert flattened(tree) == html5_tree(text), name


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(alphabet=st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S",
                                                                       "Zs", "Cc")),
                     max_size=40), min_size=1, max_size=4),
    st.text(alphabet=st.characters(codec="utf-8", categories=("L", "P", "S", "Zs", "Cc")),
            max_size=30),
)
def test_parse_never_gives_another_tree(runs: list[str], title: str) -> None:
    """Hostile text (``&``, ``<``, ``{{``, quotes, tabs, line breaks) in the body and in the
    title and subject: the XML reading gives the HTML5 parser's tree, or declines."""
    document = docx.Document()
    paragraph = document.add_paragraph()
    for value in runs:
        paragraph.add_run("".join(c for c in value if c in "\t\n" or c >= " "))
    clean = "".join(c for c in title if c in "\t\n" or c >= " ")
    document.core_properties.title = clean
    document.core_properties.subject = clean
    text = docx_to_html(save(document)).html
    tree = parse(text)
    assert tree is None or flattened(tree) == html5_tree(text)
    if not any(c in clean for c in "\t\n\r"):
        assert tree is not None


@pytest.mark.parametrize("change", [
    ("<style>\n", "<style>\n.x{content:\"&amp;\"}\n"),  # an HTML parser keeps "&amp;" raw
    ("<body>\n", '<body>\n<p class="p1">a<div>b</div></p>\n'),  # HTML closes the p first
    ("<body>\n", '<body>\n<p title="a\tb">x</p>\n'),  # XML reads the tab as a space
    ("</body>\n</html>\n", "</body>\n</html>\n<p>late</p>"),
    ("<body>\n", "<body>\n<p>a &nbsp; b</p>\n"),  # an entity XML does not know
    ("<body>\n", "<body>\n<p>unclosed\n"),
])
def test_parse_declines_what_the_translator_does_not_write(
        docx_bytes: dict[str, bytes], change: tuple[str, str]) -> None:
    text = docx_to_html(docx_bytes["quyet-dinh"]).html
    assert change[0] in text
    assert parse(text.replace(change[0], change[1], 1)) is None


def test_translation_is_stable(docx_bytes: dict[str, bytes]) -> None:
    data = docx_bytes["quyet-dinh"]
    assert docx_to_html(data).html == docx_to_html(data).html


def test_python_docx_round_trip_is_unchanged(docx_bytes: dict[str, bytes]) -> None:
    """Re-saving the DOCX (new zip timestamps) gives the same HTML."""
    data = docx_bytes["dang"]
    again = io.BytesIO()
    docx.Document(io.BytesIO(data)).save(again)
    assert docx_to_html(again.getvalue()).html == docx_to_html(data).html


# -- page references (a table of contents' PAGEREF fields) ----------------------------------


def pageref(name: str, stored: str) -> str:
    return (
        '<w:p><w:r><w:t>Mục lục</w:t></w:r><w:r><w:tab/></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> PAGEREF {name} \\h </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f'<w:r><w:t>{stored}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def bookmarked(name: str, text: str) -> str:
    return (
        f'<w:p><w:bookmarkStart w:id="7" w:name="{name}"/><w:r><w:t>{text}</w:t></w:r>'
        '<w:bookmarkEnd w:id="7"/></w:p>'
    )


PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


@needs_poppler
def test_pageref_shows_the_laid_out_page_of_its_bookmark(tmp_path) -> None:
    from tests.render import fidelity
    from vanban.render.pdf import docx_to_pdf

    source = body_xml(pageref("_Toc1", "99"), PAGE_BREAK, PAGE_BREAK, bookmarked("_Toc1", "Đích"))
    result = docx_to_html(source)
    assert result.page_refs == 1
    assert result.warnings == []
    parsed = Parsed(result)
    (ref,) = parsed.tree.xpath("//span[@class='pgref']")
    (target,) = parsed.tree.xpath("//span[@id]")
    assert ref.get("data-ref") == "#" + target.get("id")
    assert ref.text == "99"  # the stored result, until the layout writes in the number
    pdf = tmp_path / "tham-chieu.pdf"
    pdf.write_bytes(docx_to_pdf(source).pdf)
    pages = fidelity.text(pdf).split("\f")
    assert pages[0].strip().endswith("3")
    assert "99" not in pages[0]
    assert "Đích" in pages[2]


def laid_out_text(document) -> list[tuple[int, str, float, float, float]]:
    """Return every text box of a laid-out document: page, text, x, y and width."""
    from weasyprint.formatting_structure.boxes import TextBox

    return [(index, box.text, box.position_x, box.position_y, box.width)
            for index, page in enumerate(document.pages)
            for box in page._page_box.descendants() if isinstance(box, TextBox)]


def section_end(start: int) -> str:
    """Return a paragraph ending a section whose pages are numbered from `start`."""
    return (f'<w:p><w:pPr><w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
            f'<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1701" '
            f'w:header="567" w:footer="567" w:gutter="0"/>'
            f'<w:pgNumType w:start="{start}"/></w:sectPr></w:pPr></w:p>')


@pytest.mark.parametrize(
    ("stored", "body", "page", "layouts"),
    [
        ("3", [PAGE_BREAK] * 2, "3", 1),
        ("7", [PAGE_BREAK] * 2, "3", 1),
        ("", [PAGE_BREAK] * 2, "3", 1),
        ("99", [PAGE_BREAK] * 2, "3", 2),
        ("0", [PAGE_BREAK] * 11, "12", 2),
        ("10", [PAGE_BREAK] * 11, "12", 1),
        ("0", [PAGE_BREAK, section_end(8)], "10", 2),
        ("0", [section_end(4)], "5", 1),
    ],
    ids=["right", "as-wide", "none", "wider", "narrower", "two-digits", "section-start",
         "start-then-on"],
)
def test_pageref_numbers_are_weasyprints_own(
    stored: str, body: list[str], page: str, layouts: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The layout writes each PAGEREF's page number over its provisional one (the stored
    result) where as wide, and lays the document out again where not: either way the text,
    places and bytes are those of WeasyPrint numbering it itself (target-counter)."""
    from vanban.render import pdf

    html = docx_to_html(body_xml(pageref("_Toc1", stored), *body,
                                 bookmarked("_Toc1", "Đích"))).html
    engine = pdf._engine()
    rendered = []
    render = pdf._Engine._render
    monkeypatch.setattr(pdf._Engine, "_render",
                        lambda self, *a: rendered.append(1) or render(self, *a))
    ours = engine.layout(html, engine.watch())
    assert len(rendered) == layouts
    theirs = engine.layout(pdf._unnumbered(html), engine.watch())
    assert laid_out_text(ours) == laid_out_text(theirs)
    assert laid_out_text(ours)[1][1] == page  # after "Mục lục"
    assert (engine.write(ours, html, engine.watch())
            == engine.write(theirs, html, engine.watch()))


def test_pageref_numbers_that_never_hold_are_left_to_weasyprint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from vanban.render import pdf

    html = docx_to_html(body_xml(pageref("_Toc1", "99"), PAGE_BREAK,
                                 bookmarked("_Toc1", "Đích"))).html
    engine = pdf._engine()
    monkeypatch.setattr(pdf, "_RENUMBERINGS", 0)
    texts = [text for _page, text, *_ in laid_out_text(engine.layout(html, engine.watch()))]
    assert texts == ["Mục lục", "2", "Đích"]


def test_pageref_to_a_missing_bookmark_keeps_its_stored_result() -> None:
    result = docx_to_html(body_xml(pageref("_Toc9", "12"), bookmarked("_Toc1", "Khác")))
    assert result.page_refs == 0
    assert "giữ kết quả đã lưu: trường PAGEREF trỏ tới dấu trang không có (_Toc9)" in (
        result.warnings
    )
    parsed = Parsed(result)
    assert "12" in parsed.tree.xpath("string(//body)")
    assert parsed.tree.xpath("//span[@id]") == []  # an unreferenced bookmark adds nothing


def test_a_bookmark_in_an_empty_paragraph_keeps_its_line() -> None:
    empty = '<w:p><w:bookmarkStart w:id="1" w:name="_GoBack"/><w:bookmarkEnd w:id="1"/></w:p>'
    target = '<w:p><w:bookmarkStart w:id="2" w:name="a"/><w:bookmarkEnd w:id="2"/></w:p>'
    plain = Parsed(docx_to_html(body_xml(empty)))
    assert plain.tree.xpath("//p")[0].xpath("count(br)") == 1
    referenced = Parsed(docx_to_html(body_xml(pageref("a", "1"), target)))
    paragraph = referenced.tree.xpath("//p")[-1]
    assert paragraph.xpath("count(br)") == 1
    assert paragraph.xpath("count(span[@id])") == 1


@pytest.mark.parametrize(
    ("xml", "expected"),
    [("<w:b/>", True), ('<w:b w:val="1"/>', True), ('<w:b w:val="true"/>', True),
     ('<w:b w:val="on"/>', True), ('<w:b w:val="0"/>', False), ('<w:b w:val="false"/>', False),
     ('<w:b w:val="off"/>', False)],
    ids=["bare", "1", "true", "on", "0", "false", "off"],
)
def test_one_reader_for_every_on_off_value(xml: str, expected: bool) -> None:
    element = parse_xml(xml.replace("<w:b", f"<w:b {nsdecls('w')}"))
    assert on_off(element) is expected
    assert on_off(None) is None
    default = etree.fromstring(f'<w:style {nsdecls("w")}/>')
    assert on_off(default, "default", missing=False) is False
    parsed = Parsed(docx_to_html(body_xml(f"<w:p><w:r><w:rPr>{xml}</w:rPr><w:t>chữ</w:t></w:r></w:p>")))
    text = parsed.tree.xpath("//section/p | //section/p//*")
    assert any(parsed.decls(e).get("font-weight") == "bold" for e in text) is expected


def test_text_before_a_tab_is_measured_with_the_font() -> None:
    # Twenty "i" at 14 pt are 77.8 pt wide in Times New Roman (advance 569/2048 em), so the
    # tab goes to the next default stop (every 36 pt) at 108 pt, not further.
    parsed = Parsed(docx_to_html(body_xml(
        '<w:p><w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:t>iiiiiiiiiiiiiiiiiiii</w:t><w:tab/>'
        "<w:t>x</w:t></w:r></w:p>",
        settings_xml=f'<w:defaultTabStop {nsdecls("w")} w:val="720"/>')))
    before = parsed.tree.xpath("//section/p/span")[0]
    assert before.text_content() == "i" * 20
    assert parsed.decls(before)["min-width"] == "108pt"
