"""DOCX fixtures that follow the template contract (docs/mau-van-ban.md), built with python-docx."""

from __future__ import annotations

import io
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, Twips

from tests.render import fidelity

#: Contract page: A4, margins top/bottom/left/right 20/20/30/15 mm, header at 10 mm.
PAGE = {
    "width": 11906,
    "height": 16838,
    "top": 1134,
    "bottom": 1134,
    "left": 1701,
    "right": 850,
    "header": 567,
    "footer": 567,
}
TEXT_WIDTH = PAGE["width"] - PAGE["left"] - PAGE["right"]
DOC_DATE = datetime(2023, 5, 25, 8, 0, 0)

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
NGUOI_KY = "Nguyễn Văn Hòa"
TRICH_YEU = "Về việc thành lập Ban điều hành thực hiện Đề án chuyển đổi số năm 2023"
SO_KY_HIEU = "Số: 05/QĐ-UBND"
CO_QUAN = "ỦY BAN NHÂN DÂN XÃ TÂN THỌ"

_SENTENCES = [
    "Ban điều hành có trách nhiệm giúp Ủy ban nhân dân xã chỉ đạo, điều phối và kiểm tra "
    "việc thực hiện các nhiệm vụ chuyển đổi số trên địa bàn",
    "các thành viên Ban điều hành làm việc theo chế độ kiêm nhiệm, chịu trách nhiệm trước "
    "Trưởng ban về lĩnh vực được phân công",
    "Văn phòng - Thống kê xã là cơ quan thường trực, tổng hợp tình hình và báo cáo định kỳ "
    "hằng quý, sáu tháng và cả năm",
    "kinh phí hoạt động được bố trí từ nguồn ngân sách xã và các nguồn hợp pháp khác theo "
    "quy định của pháp luật hiện hành",
    "người đứng đầu các đơn vị, thôn, khu dân cư phối hợp chặt chẽ để bảo đảm tiến độ và "
    "chất lượng công việc được giao",
    "Ủy ban nhân dân xã đề nghị các tổ chức, cá nhân có liên quan tích cực hưởng ứng, "
    "góp ý kiến xây dựng chính quyền số",
]


def body_text(index: int, sentences: int = 3) -> str:
    """Return a deterministic Vietnamese body paragraph."""
    parts = [_SENTENCES[(index + k) % len(_SENTENCES)] for k in range(sentences)]
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def ascii_id(name: str) -> str:
    """Return the contract's style id: the name without spaces and diacritics."""
    stripped = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in stripped if c.isascii() and c.isalnum())


# -- document scaffolding -----------------------------------------------------------------


def new_document(
    title: str = TRICH_YEU, author: str = CO_QUAN, number: str = SO_KY_HIEU
) -> docx.document.Document:
    """Return a document with the contract's defaults, page setup and core properties."""
    document = docx.Document()
    styles_el = document.styles.element
    r_default = styles_el.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(r_default):
        r_default.remove(child)
    r_default.append(
        parse_xml(
            f'<w:rFonts {nsdecls("w")} w:ascii="Times New Roman" w:hAnsi="Times New Roman" '
            'w:cs="Times New Roman" w:eastAsia="Times New Roman"/>'
        )
    )
    r_default.append(parse_xml(f'<w:sz {nsdecls("w")} w:val="28"/>'))
    r_default.append(parse_xml(f'<w:szCs {nsdecls("w")} w:val="28"/>'))
    r_default.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="vi-VN"/>'))
    p_default = styles_el.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for child in list(p_default):
        p_default.remove(child)
    p_default.append(
        parse_xml(f'<w:spacing {nsdecls("w")} w:after="0" w:line="240" w:lineRule="auto"/>')
    )
    section = document.sections[0]
    set_page(section)
    props = document.core_properties
    props.title, props.author, props.subject, props.keywords = title, author, number, number
    props.language = "vi-VN"
    props.created = props.modified = DOC_DATE
    props.comments = ""
    return document


def set_page(section: docx.section.Section, landscape: bool = False) -> None:
    """Apply the contract's A4 page setup to `section`."""
    width, height = PAGE["width"], PAGE["height"]
    if landscape:
        width, height = height, width
        section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Twips(width), Twips(height)
    section.top_margin, section.bottom_margin = Twips(PAGE["top"]), Twips(PAGE["bottom"])
    section.left_margin, section.right_margin = Twips(PAGE["left"]), Twips(PAGE["right"])
    section.header_distance = Twips(PAGE["header"])
    section.footer_distance = Twips(PAGE["footer"])


def paragraph_style(
    document: docx.document.Document,
    name: str,
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: str = "left",
    first_line: float | None = None,
    before: float = 0,
    after: float = 0,
    exact: float | None = None,
    indent_cm: float | None = None,
) -> None:
    """Add paragraph style `name` with the contract's ASCII style id."""
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = ascii_id(name)
    style.base_style = document.styles["Normal"]
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.underline = underline
    fmt = style.paragraph_format
    fmt.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    if first_line is not None:
        fmt.first_line_indent = Cm(first_line)
    if indent_cm is not None:
        fmt.left_indent = fmt.right_indent = Cm(indent_cm)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if exact is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(exact)


def character_style(
    document: docx.document.Document, name: str, *, bold: bool = False, italic: bool = False
) -> None:
    style = document.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    style.style_id = ascii_id(name)
    style.font.bold = bold or None
    style.font.italic = italic or None


def nd30_styles(document: docx.document.Document, party: bool = False) -> None:
    """Add the paragraph styles of the contract table (nd30, or the Party column)."""
    big = 14 if party else 12
    first = 1.0 if party else 1.27
    paragraph_style(document, "VB Cơ quan cấp trên", size=big, align="center")
    paragraph_style(document, "VB Cơ quan ban hành", size=big, bold=True, align="center")
    paragraph_style(document, "VB Dấu sao", align="center")
    paragraph_style(document, "VB Kẻ ngắn", size=6, align="center")
    paragraph_style(document, "VB Quốc hiệu", size=12, bold=True, align="center")
    paragraph_style(document, "VB Tiêu ngữ", size=13, bold=True, align="center")
    paragraph_style(document, "VB Tiêu đề Đảng", size=15, bold=True, align="center")
    paragraph_style(document, "VB Kẻ dài", size=6, align="center")
    paragraph_style(document, "VB Số ký hiệu", size=14 if party else 13, align="center", before=6)
    paragraph_style(
        document,
        "VB Địa danh ngày",
        size=14 if party else 13,
        italic=True,
        align="center",
        before=6,
    )
    paragraph_style(
        document, "VB Tên loại", size=15 if party else 14, bold=True, align="center", before=12
    )
    paragraph_style(document, "VB Trích yếu", bold=True, align="center")
    paragraph_style(document, "VB Gạch ngang", align="center")
    paragraph_style(document, "VB Thẩm quyền", bold=True, align="center", before=6)
    paragraph_style(
        document,
        "VB Căn cứ",
        italic=not party,
        align="justify",
        first_line=first,
        before=6,
        exact=18,
    )
    paragraph_style(document, "VB Quyết định", bold=True, align="center", before=6, after=6)
    paragraph_style(document, "VB Nội dung", align="justify", first_line=first, before=6, exact=18)
    paragraph_style(document, "VB Điều", align="justify", first_line=first, before=6, exact=18)
    paragraph_style(
        document,
        "VB Nơi nhận",
        size=14 if party else 12,
        bold=not party,
        italic=not party,
        underline=party,
    )
    paragraph_style(document, "VB Nơi nhận mục", size=12 if party else 11)
    paragraph_style(document, "VB Thẩm quyền ký", bold=True, align="center")
    paragraph_style(document, "VB Chức vụ ký", bold=not party, align="center")
    paragraph_style(document, "VB Chữ ký trống", align="center")
    paragraph_style(document, "VB Người ký", bold=True, align="center")
    paragraph_style(document, "VB Bảng", size=13, exact=16)
    paragraph_style(document, "VB Bảng tiêu đề", size=13, bold=True, align="center")
    paragraph_style(document, "VB Mục lục")
    paragraph_style(document, "VB Số trang", align="center")
    character_style(document, "VB Đậm", bold=True)
    character_style(document, "VB Nghiêng", italic=True)


# -- OOXML snippets python-docx has no API for ----------------------------------------------


def page_field(paragraph: docx.text.paragraph.Paragraph, simple: bool = False) -> None:
    """Append a PAGE field: ``w:fldSimple`` or the complex ``w:fldChar`` form."""
    if simple:
        paragraph._p.append(
            parse_xml(
                f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE \\* MERGEFORMAT ">'
                "<w:r><w:t>1</w:t></w:r></w:fldSimple>"
            )
        )
        return
    for xml in (
        '<w:r {ns}><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r {ns}><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
        '<w:r {ns}><w:fldChar w:fldCharType="separate"/></w:r>',
        "<w:r {ns}><w:t>2</w:t></w:r>",
        '<w:r {ns}><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        paragraph._p.append(parse_xml(xml.format(ns=nsdecls("w"))))


def headers(section: docx.section.Section, simple: bool = False) -> None:
    """Contract header: empty first-page header, PAGE field centred in the default one."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    section.header.is_linked_to_previous = False
    paragraph = section.header.paragraphs[0]
    paragraph.style = "VB Số trang"
    page_field(paragraph, simple)


def bottom_rule(paragraph: docx.text.paragraph.Paragraph, indent: int) -> None:
    """Give an empty rule paragraph its bottom border and symmetric indents (twips)."""
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="4" w:space="1" '
            'w:color="auto"/></w:pBdr>'
        )
    )
    ppr.append(parse_xml(f'<w:ind {nsdecls("w")} w:left="{indent}" w:right="{indent}"/>'))


def layout_table(
    document: docx.document.Document,
    widths: list[int],
    rows: int = 1,
    container: object | None = None,
) -> docx.table.Table:
    """Return a borderless fixed-layout table with cell margins 0 (header, signature)."""
    table = (container or document).add_table(rows=rows, cols=len(widths))
    tbl_pr = table._tbl.tblPr
    tbl_pr.append(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
    tbl_pr.append(
        parse_xml(
            f'<w:tblCellMar {nsdecls("w")}><w:top w:w="0" w:type="dxa"/>'
            '<w:left w:w="0" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
            '<w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
        )
    )
    set_grid(table, widths)
    return table


def set_grid(table: docx.table.Table, widths: list[int]) -> None:
    for col, width in zip(table._tbl.tblGrid.iterchildren(), widths, strict=True):
        col.set(qn("w:w"), str(width))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Twips(width)


def fill(cell: docx.table._Cell, lines: list[tuple[str, str]]) -> None:
    """Replace the content of `cell` with (style, text) paragraphs."""
    first = True
    for style, text in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        paragraph.style = style
        if text:
            paragraph.add_run(text)
        if style in ("VB Kẻ ngắn", "VB Kẻ dài"):
            width = int(cell.width.twips) if cell.width else 3555
            bottom_rule(paragraph, int(width * 0.3))


def tiny_png(width: int = 8, height: int = 4) -> bytes:
    """Return a small red PNG made with zlib only."""
    raw = b"".join(b"\x00" + b"\xcc\x22\x22" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


# -- documents ----------------------------------------------------------------------------


def docx_with_picture(data: bytes, ext: str, mime: str) -> bytes:
    """Return a DOCX with one picture whose file is `data`, stored as ``word/media/*.<ext>``."""
    document = docx.Document()
    document.add_paragraph("Trước ảnh")
    document.add_picture(io.BytesIO(tiny_png()), width=Cm(4), height=Cm(2))
    document.add_paragraph("Sau ảnh")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(save(document))) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            name = info.filename
            if name.startswith("word/media/") and name.endswith(".png"):
                name, content = f"{name[:-4]}.{ext}", data
            elif name == "word/_rels/document.xml.rels":
                content = content.replace(b".png", f".{ext}".encode())
            elif name == "[Content_Types].xml" and f'"{ext}"'.encode() not in content:
                content = content.replace(
                    b"<Default ", f'<Default Extension="{ext}" ContentType="{mime}"/><Default '
                    .encode(), 1)
            dst.writestr(name, content)
    return out.getvalue()


def build_quyet_dinh() -> bytes:
    """An ND30 decision: header table, title, căn cứ, articles, member table, signature."""
    document = new_document()
    nd30_styles(document)
    headers(document.sections[0])
    header = layout_table(document, [3555, 5800], rows=2)
    fill(
        header.cell(0, 0),
        [
            ("VB Cơ quan cấp trên", "UBND HUYỆN NÔNG CỐNG"),
            ("VB Cơ quan ban hành", "ỦY BAN NHÂN DÂN"),
            ("VB Cơ quan ban hành", "XÃ TÂN THỌ"),
            ("VB Kẻ ngắn", ""),
        ],
    )
    fill(
        header.cell(0, 1),
        [("VB Quốc hiệu", QUOC_HIEU), ("VB Tiêu ngữ", TIEU_NGU), ("VB Kẻ dài", "")],
    )
    fill(header.cell(1, 0), [("VB Số ký hiệu", SO_KY_HIEU)])
    fill(header.cell(1, 1), [("VB Địa danh ngày", "Tân Thọ, ngày 25 tháng 5 năm 2023")])
    document.add_paragraph("QUYẾT ĐỊNH", style="VB Tên loại")
    document.add_paragraph(TRICH_YEU, style="VB Trích yếu")
    bottom_rule(document.add_paragraph(style="VB Kẻ ngắn"), 3700)
    document.add_paragraph("CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ TÂN THỌ", style="VB Thẩm quyền")
    for line in (
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ "
        "về công tác văn thư;",
        "Theo đề nghị của Công chức Văn phòng - Thống kê xã.",
    ):
        document.add_paragraph(line, style="VB Căn cứ")
    document.add_paragraph("QUYẾT ĐỊNH:", style="VB Quyết định")
    article(document, 1, "Thành lập Ban điều hành gồm các ông, bà có tên sau:")
    member_table(document)
    for number in range(2, 6):
        article(document, number, f"Nhiệm vụ của Ban điều hành, phần {number}.")
        for index in range(6):
            document.add_paragraph(body_text(number * 7 + index), style="VB Nội dung")
    document.paragraphs[-1].runs[-1].text += "/."
    signature(document)
    return save(document)


def article(document: docx.document.Document, number: int, title: str) -> None:
    paragraph = document.add_paragraph(style="VB Điều")
    paragraph.add_run(f"Điều {number}.", style="VB Đậm")
    paragraph.add_run(f" {title}")


def member_table(document: docx.document.Document) -> None:
    """A bordered data table with a header row, a vMerge and a gridSpan."""
    widths = [700, 3000, 2600, 3055]
    rows = [
        ("STT", "Họ và tên", "Chức vụ", "Nhiệm vụ trong Ban"),
        ("1", NGUOI_KY, "Chủ tịch UBND xã", "Trưởng ban"),
        ("2", "Lê Thị Thu Hương", "Phó Chủ tịch UBND xã", "Phó Trưởng ban"),
        ("3", "Trần Đức Minh", "Công chức Văn phòng - Thống kê", "Thành viên"),
        ("4", "Phạm Ngọc Ánh", "Công chức Địa chính - Xây dựng", ""),
    ]
    table = document.add_table(rows=len(rows) + 1, cols=4)
    table.style = "Table Grid"
    set_grid(table, widths)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            paragraph = table.cell(r, c).paragraphs[0]
            paragraph.style = "VB Bảng tiêu đề" if r == 0 else "VB Bảng"
            if value:
                paragraph.add_run(value)
    header_row = table.rows[0]._tr.get_or_add_trPr()
    header_row.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    # Rows 3 and 4 share one "Nhiệm vụ" cell (w:vMerge restart/continue).
    table.cell(3, 3).merge(table.cell(4, 3))
    # The last row: a label over three columns (w:gridSpan) and a total.
    total = table.cell(5, 0).merge(table.cell(5, 2))
    total.paragraphs[0].style = "VB Bảng"
    total.paragraphs[0].add_run("Tổng cộng")
    table.cell(5, 3).paragraphs[0].style = "VB Bảng"
    table.cell(5, 3).paragraphs[0].add_run("04 người")


def signature(document: docx.document.Document, party: bool = False) -> None:
    table = layout_table(document, [4210, 5145])
    items = (
        ["- Như Điều 3,", "- Lưu Văn phòng Đảng ủy."]
        if party
        else ["- Như Điều 3;", "- UBND huyện (để b/c);", "- Lưu: VT, VP."]
    )
    fill(table.cell(0, 0), [("VB Nơi nhận", "Nơi nhận:")] + [("VB Nơi nhận mục", i) for i in items])
    fill(
        table.cell(0, 1),
        [
            ("VB Thẩm quyền ký", "T/M ĐẢNG ỦY" if party else "TM. ỦY BAN NHÂN DÂN"),
            ("VB Chức vụ ký", "BÍ THƯ" if party else "CHỦ TỊCH"),
        ]
        + [("VB Chữ ký trống", "")] * 4
        + [("VB Người ký", NGUOI_KY)],
    )
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))


def build_dang() -> bytes:
    """A Party decision (HD 36): star, tiêu đề, -----, fldSimple PAGE, explicit page break."""
    document = new_document(number="Số 05-QĐ/ĐU", author="ĐẢNG ỦY XÃ TÂN THỌ")
    nd30_styles(document, party=True)
    headers(document.sections[0], simple=True)
    header = layout_table(document, [3555, 5800], rows=2)
    fill(
        header.cell(0, 0),
        [
            ("VB Cơ quan cấp trên", "ĐẢNG BỘ HUYỆN NÔNG CỐNG"),
            ("VB Cơ quan ban hành", "ĐẢNG ỦY XÃ TÂN THỌ"),
            ("VB Dấu sao", "*"),
        ],
    )
    fill(header.cell(0, 1), [("VB Tiêu đề Đảng", "ĐẢNG CỘNG SẢN VIỆT NAM"), ("VB Kẻ dài", "")])
    fill(header.cell(1, 0), [("VB Số ký hiệu", "Số 05-QĐ/ĐU")])
    fill(header.cell(1, 1), [("VB Địa danh ngày", "Tân Thọ, ngày 25 tháng 5 năm 2023")])
    document.add_paragraph("QUYẾT ĐỊNH", style="VB Tên loại")
    document.add_paragraph("về việc thành lập Tổ giúp việc", style="VB Trích yếu")
    document.add_paragraph("-----", style="VB Gạch ngang")
    for index in range(5):
        document.add_paragraph(body_text(index), style="VB Nội dung")
    paragraph = document.add_paragraph(style="VB Nội dung")
    paragraph.add_run("Phần trước ngắt trang.")
    paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:br w:type="page"/></w:r>'))
    paragraph.add_run("Phần sau ngắt trang.")
    for index in range(5, 9):
        document.add_paragraph(body_text(index), style="VB Nội dung")
    signature(document, party=True)
    return save(document)


def build_phu_luc() -> bytes:
    """Two sections: a handout with a dot-leader contents list and a picture, then a
    landscape annex whose page numbers restart at 1."""
    document = new_document(title="Tài liệu chuyên đề", number="Số 12-HD/BDVHU")
    nd30_styles(document, party=True)
    first = document.sections[0]
    headers(first)
    ppr = document.styles["VB Mục lục"].element.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f'<w:tabs {nsdecls("w")}><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/>'
            "</w:tabs>"
        )
    )
    document.add_paragraph("MỤC LỤC", style="VB Tên loại")
    for number, (title, page) in enumerate(
        [("Những vấn đề chung", 2), ("Nội dung chủ yếu", 3), ("Tổ chức thực hiện", 5)], start=1
    ):
        paragraph = document.add_paragraph(style="VB Mục lục")
        paragraph.add_run(f"Phần {number}. {title}")
        paragraph.add_run().add_tab()
        paragraph.add_run(str(page))
    document.add_paragraph("Sơ đồ tổ chức:", style="VB Nội dung")
    document.add_picture(io.BytesIO(tiny_png()), width=Cm(4), height=Cm(2))
    for index in range(12):
        document.add_paragraph(body_text(index, 4), style="VB Nội dung")
    annex = document.add_section()
    set_page(annex, landscape=True)
    annex.different_first_page_header_footer = False
    annex.header.is_linked_to_previous = False
    pg_num = parse_xml(f'<w:pgNumType {nsdecls("w")} w:start="1"/>')
    annex._sectPr.append(pg_num)
    paragraph = annex.header.paragraphs[0]
    paragraph.style = "VB Số trang"
    page_field(paragraph)
    document.add_paragraph("PHỤ LỤC", style="VB Tên loại")
    for index in range(14):
        document.add_paragraph(body_text(index + 3, 4), style="VB Nội dung")
    return save(document)


def build_ngat_trang() -> bytes:
    """Space before at page tops: kept on page 1, after a run break, after pageBreakBefore
    and at a new section; dropped where text flows onto a new page."""
    document = new_document(title="Ngắt trang")
    nd30_styles(document)
    headers(document.sections[0])
    document.add_paragraph("Trang một.", style="VB Tên loại")
    paragraph = document.add_paragraph("Đoạn có ngắt trang ở cuối.", style="VB Nội dung")
    paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:br w:type="page"/></w:r>'))
    document.add_paragraph("Sau ngắt trang trong dòng.", style="VB Tên loại")
    empty = document.add_paragraph()
    empty._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:br w:type="page"/></w:r>'))
    heading = document.add_paragraph("Sau đoạn chỉ có ngắt trang.", style="VB Tên loại")
    heading = document.add_paragraph("Ngắt trang trước đoạn.", style="VB Tên loại")
    heading.paragraph_format.page_break_before = True
    for index in range(40):
        document.add_paragraph(body_text(index, 2), style="VB Nội dung")
    document.add_paragraph("Luật số 72/2025/QH15 và Kết luận số 114-KL/TW.", style="VB Nội dung")
    section = document.add_section()
    set_page(section)
    document.add_paragraph("Vùng mới.", style="VB Tên loại")
    for index in range(3):
        document.add_paragraph(body_text(index), style="VB Nội dung")
    return save(document)


def save(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


#: The fixture documents, by id (built once per session).
BUILDERS: dict[str, Callable[[], bytes]] = {
    "quyet-dinh": build_quyet_dinh,
    "dang": build_dang,
    "phu-luc": build_phu_luc,
    "ngat-trang": build_ngat_trang,
}


@pytest.fixture(scope="session")
def docx_bytes() -> dict[str, bytes]:
    return {name: build() for name, build in BUILDERS.items()}


@pytest.fixture(scope="session")
def docx_files(
    docx_bytes: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("docx")
    out = {}
    for name, data in docx_bytes.items():
        out[name] = folder / f"{name}.docx"
        out[name].write_bytes(data)
    return out


@pytest.fixture(scope="session")
def our_pdfs(
    docx_bytes: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    from vanban.render.pdf import docx_to_pdf

    folder = tmp_path_factory.mktemp("ours")
    out = {}
    for name, data in docx_bytes.items():
        out[name] = folder / f"{name}.pdf"
        out[name].write_bytes(docx_to_pdf(data).pdf)
    return out


@pytest.fixture(scope="session")
def lo_pdfs(
    docx_files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    if not fidelity.have_libreoffice():
        pytest.skip("LibreOffice (soffice) or poppler-utils is not installed")
    folder = tmp_path_factory.mktemp("libreoffice")
    converted = fidelity.libreoffice_pdfs(list(docx_files.values()), folder)
    return {name: converted[path] for name, path in docx_files.items()}


@pytest.fixture(scope="session")
def tan_tho_docx(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Return the Tân Thọ sample's handouts and establishing decision as DOCX (not fitted),
    by file stem."""
    from vanban.build import build

    folder = tmp_path_factory.mktemp("tan-tho")
    dossier = Path(__file__).resolve().parents[2] / "samples" / "tan-tho-2023" / "hoso.yaml"
    build(dossier, folder, only=["tai-lieu-chuyen-de", "quyet-dinh-thanh-lap-ban-dieu-hanh"],
          formats=("docx",), cache=False, fit=False)
    return {path.stem: path.read_bytes() for path in folder.glob("*.docx")}
