"""Write the DOCX templates in ``templates_docx/`` (the contract: ``docs/mau-van-ban.md``).

Run ``python tools/make_templates.py``. The script is deterministic and idempotent: the same
source always yields byte-identical files (fixed core properties, fixed zip timestamps), and a
file whose bytes would not change is not rewritten.

Each template is an ordinary Word file: A4 portrait, margins 20/20/30/15 mm, Times New Roman
everywhere, real named paragraph styles (``VB …``), no Word auto-numbering, and docxtpl tags that
each sit inside one run. ``{%p …%}`` control tags sit alone in their own paragraph (docxtpl
removes that paragraph when rendering); ``{%tr …%}`` tags sit alone in their own table row.

Layout decisions that the contract leaves open:

* The member table of ``quyet-dinh-thanh-lap-ban-dieu-hanh`` follows the first line of
  ``dieu[0]`` (Điều 1 is rendered explicitly, then the table, then ``dieu[0].doan``, then a loop
  over ``dieu[1:]``); docxtpl cannot reliably wrap a table in ``{%p if d.bang %}``.
* ``VB Kẻ ngắn`` / ``VB Kẻ dài`` are empty 2 pt paragraphs with a bottom border; their indents
  here are defaults (rule ≈ the Tiêu ngữ / Party tiêu đề width, or 40 % of the column) which the
  renderer overwrites so each rule has the right length.
* Every template holds the full set of contract styles; a style marked "–" for a profile takes
  the other profile's format, so a renderer may always apply any contract style.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from vanban import fitting
from vanban.documents import bien_ban, common, quyet_dinh_thanh_lap, tap_huan
from vanban.render.ooxml.zipped import ZIP_TIME, deterministic_zip

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "templates_docx"

PROFILES = ("nd30", "dang")
KINDS = ("quyet-dinh-thanh-lap-ban-dieu-hanh", "quyet-dinh-ban-hanh-quy-che", "quy-che", "bien-ban")
#: Training paperwork, issued by a Party body only (Hướng dẫn 36-HD/VPTW).
TRAINING_KINDS = ("tai-lieu-chuyen-de", "danh-sach-hoc-vien", "phieu-danh-gia")
#: Attendance list: STT / Họ và tên / Chức vụ / Đơn vị / Ký nhận tài liệu / Ký tên.
#: The two signature columns are 26.5 mm wide: room to sign by hand.
ATTENDANCE_COLS = (680, 2100, 2000, 1575, 1500, 1500)
#: Evaluation form: STT / Nội dung / Rất tốt / Tốt / Đạt / Chưa đạt.
EVALUATION_COLS = (680, 4675, 1000, 1000, 1000, 1000)

FONT = "Times New Roman"
LANG = "vi-VN"

# Page (contract "Page"): twips. 1 mm = 56.693 twips.
PAGE_W, PAGE_H = 11906, 16838
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 1134, 1134, 1701, 850
HEADER_DISTANCE = FOOTER_DISTANCE = 567
TEXT_WIDTH = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 9355 = 165 mm
#: Header table: ND30 38 % / 62 % of the text width (Quốc hiệu needs ≈ 88 mm); Party 45 % / 55 %
#: so that a superior line such as "ĐẢNG BỘ HUYỆN NÔNG CỐNG" (≈ 72 mm at 14 pt) fits on one line.
HEADER_COLS = {"nd30": (3555, 5800), "dang": (4210, 5145)}
#: Decision signature table: 45 % / 55 %.
SIGN_COLS = (4210, 5145)
#: Biên bản signature table: 50 % / 50 %.
BB_SIGN_COLS = (4678, 4677)
#: Member table: STT / Họ và tên / Chức vụ / Nhiệm vụ trong Ban.
MEMBER_COLS = (737, 2665, 3118, 2835)
#: Space above the signature table (12 pt), as the blank line of the Mẫu.
SIGN_TOP_GAP = 240

#: Default rule lengths in twips, measured with Liberation Serif (format spec §2, §8.2 [S18]):
#: Tiêu ngữ 13 pt bold ≈ 56.1 mm, "ĐẢNG CỘNG SẢN VIỆT NAM" 15 pt bold ≈ 72.9 mm.
LONG_RULE = {"nd30": 3180, "dang": 4133}
#: A short rule defaults to 40 % of its column (spec: 1/3–1/2 of the text above it).
SHORT_RULE_RATIO = 0.4

FIXED_TIME = datetime(2023, 1, 1, tzinfo=timezone.utc)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


# ---------------------------------------------------------------------------------------------
# Styles
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fmt:
    """Format of one style; lengths in twips, sizes in pt."""

    size: float = 14
    bold: bool = False
    italic: bool = False
    underline: bool = False
    align: str | None = "center"  # OOXML jc: center / both / left
    before: int = 0
    after: int = 0
    exact_line: int | None = None  # None: single line spacing
    first_line: int = 0
    left: int = 0
    right: int = 0
    keep_next: bool = False
    rule: bool = False  # an empty paragraph drawn as a bottom border
    right_tab_dots: int | None = None


C14 = Fmt()
BODY_ND30 = Fmt(align="both", before=120, exact_line=360, first_line=720)
BODY_DANG = replace(BODY_ND30, first_line=567)
RULE = Fmt(size=2, align="center", exact_line=40, rule=True)
TABLE = Fmt(size=13, align="left", exact_line=320)


def paragraph_styles(profile: str) -> dict[str, Fmt]:
    """Return the contract's paragraph styles with the formats of `profile`."""
    nd30 = profile == "nd30"
    body = BODY_ND30 if nd30 else BODY_DANG
    head = 12 if nd30 else 14
    return {
        "VB Cơ quan cấp trên": Fmt(size=head),
        "VB Cơ quan ban hành": Fmt(size=head, bold=True),
        "VB Dấu sao": C14,
        "VB Kẻ ngắn": RULE,
        "VB Quốc hiệu": Fmt(size=12, bold=True),
        "VB Tiêu ngữ": Fmt(size=13, bold=True),
        "VB Tiêu đề Đảng": Fmt(size=15, bold=True),
        "VB Kẻ dài": RULE,
        "VB Số ký hiệu": Fmt(size=13 if nd30 else 14, before=120),
        "VB Địa danh ngày": Fmt(size=13 if nd30 else 14, italic=True, before=120),
        "VB Tên loại": Fmt(size=14 if nd30 else 15, bold=True, before=240, keep_next=True),
        "VB Trích yếu": Fmt(bold=True, keep_next=True),
        "VB Gạch ngang": Fmt(after=120),
        "VB Kèm theo": Fmt(italic=True, keep_next=True),
        "VB Thẩm quyền": Fmt(bold=True, before=120 if nd30 else 240, keep_next=True),
        "VB Căn cứ": replace(body, italic=nd30),
        "VB Quyết định": Fmt(bold=True, before=120, after=120, keep_next=True),
        "VB Nội dung": body,
        "VB Điều": replace(body, keep_next=True),
        "VB Chương": Fmt(bold=True, before=240, keep_next=True),
        "VB Tên chương": Fmt(bold=True, keep_next=True),
        "VB Phần": replace(BODY_DANG, bold=True, keep_next=True),
        "VB Mục": replace(BODY_DANG, bold=True, keep_next=True),
        "VB Trích dẫn": replace(BODY_DANG, italic=True, first_line=0, left=567, right=567),
        "VB Nhãn": replace(body, bold=True, keep_next=True),
        "VB Nơi nhận": (
            Fmt(size=12, bold=True, italic=True, align="left")
            if nd30
            else Fmt(size=14, underline=True, align="left")
        ),
        "VB Nơi nhận mục": Fmt(size=11 if nd30 else 12, align="left"),
        "VB Thẩm quyền ký": Fmt(bold=True, keep_next=True),
        "VB Chức vụ ký": Fmt(bold=nd30, keep_next=True),
        "VB Chữ ký trống": Fmt(keep_next=True),
        "VB Người ký": Fmt(bold=True),
        "VB Bảng": TABLE,
        "VB Bảng tiêu đề": replace(TABLE, bold=True, align="center"),
        "VB Mục lục": Fmt(align="left", before=60, right_tab_dots=TEXT_WIDTH),
        "VB Mục lục tiêu đề": Fmt(bold=True, before=240, after=120, keep_next=True),
        "VB Ghi chú": Fmt(italic=True, after=120),
        "VB Số trang": C14,
    }


#: Character styles: name → (bold, italic).
CHARACTER_STYLES = {"VB Đậm": (True, False), "VB Nghiêng": (False, True)}


def style_id(name: str) -> str:
    """Return the ASCII style id of `name`: ``VB Quốc hiệu`` → ``VBQuocHieu``."""
    plain = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return "".join(word[:1].upper() + word[1:] for word in plain.split())


def _el(tag: str, **attrs: str | int) -> OxmlElement:
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), str(value))
    return el


def _run_props(size: float | None, bold: bool = False, italic: bool = False,
               underline: bool = False) -> OxmlElement:
    """Return a ``w:rPr`` in schema order (rFonts, b, i, color, sz, u, lang)."""
    rpr = OxmlElement("w:rPr")
    rpr.append(_el("w:rFonts", ascii=FONT, hAnsi=FONT, cs=FONT, eastAsia=FONT))
    if bold:
        rpr.extend([_el("w:b"), _el("w:bCs")])
    if italic:
        rpr.extend([_el("w:i"), _el("w:iCs")])
    rpr.append(_el("w:color", val="auto"))
    if size is not None:
        half = int(round(size * 2))
        rpr.extend([_el("w:sz", val=half), _el("w:szCs", val=half)])
    if underline:
        rpr.append(_el("w:u", val="single"))
    rpr.append(_el("w:lang", val=LANG, eastAsia=LANG))
    return rpr


def _paragraph_props(fmt: Fmt) -> OxmlElement:
    """Return a ``w:pPr`` in schema order (keepNext, pBdr, tabs, spacing, ind, jc)."""
    ppr = OxmlElement("w:pPr")
    if fmt.keep_next:
        ppr.append(_el("w:keepNext"))
    if fmt.rule:
        border = OxmlElement("w:pBdr")
        border.append(_el("w:bottom", val="single", sz=4, space=1, color="auto"))
        ppr.append(border)
    if fmt.right_tab_dots:
        tabs = OxmlElement("w:tabs")
        tabs.append(_el("w:tab", val="right", leader="dot", pos=fmt.right_tab_dots))
        ppr.append(tabs)
    spacing = _el("w:spacing", before=fmt.before, after=fmt.after)
    if fmt.exact_line:
        spacing.set(qn("w:line"), str(fmt.exact_line))
        spacing.set(qn("w:lineRule"), "exact")
    else:
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")
    ppr.append(spacing)
    ppr.append(_el("w:ind", left=fmt.left, right=fmt.right, firstLine=fmt.first_line))
    if fmt.align:
        ppr.append(_el("w:jc", val=fmt.align))
    return ppr


def _style(kind: str, name: str, *, default: bool = False, custom: bool = True,
           based_on: str | None = None) -> OxmlElement:
    style = _el("w:style", type=kind, styleId=style_id(name) if custom else name.replace(" ", ""))
    if default:
        style.set(qn("w:default"), "1")
    if custom:
        style.set(qn("w:customStyle"), "1")
    style.append(_el("w:name", val=name))
    if based_on:
        style.append(_el("w:basedOn", val=based_on))
    return style


def build_styles(document: DocxDocument, profile: str) -> None:
    """Replace the styles part: docDefaults, Normal, the table default and the VB styles."""
    root = document.styles.element
    for child in list(root):
        root.remove(child)
    defaults = OxmlElement("w:docDefaults")
    rpr_default = OxmlElement("w:rPrDefault")
    rpr_default.append(_run_props(14))
    ppr_default = OxmlElement("w:pPrDefault")
    ppr = OxmlElement("w:pPr")
    # Widow and orphan control as Word's own Normal template sets it: written out, since a
    # DOCX without it leaves it off (ECMA-376, and LibreOffice reads it so), while vanban's
    # PDF, like Word's default, keeps it on.
    ppr.append(_el("w:widowControl"))
    ppr.append(_el("w:spacing", after=0, line=240, lineRule="auto"))
    ppr_default.append(ppr)
    defaults.extend([rpr_default, ppr_default])
    root.append(defaults)

    normal = _style("paragraph", "Normal", default=True, custom=False)
    normal.append(_el("w:qFormat"))
    normal.append(_run_props(14))
    root.append(normal)
    font = _style("character", "Default Paragraph Font", default=True, custom=False)
    font.extend([_el("w:uiPriority", val=1), _el("w:semiHidden"), _el("w:unhideWhenUsed")])
    root.append(font)
    table = _style("table", "Normal Table", default=True, custom=False)
    table.set(qn("w:styleId"), "TableNormal")
    table.extend([_el("w:uiPriority", val=99), _el("w:semiHidden"), _el("w:unhideWhenUsed")])
    tbl_pr = OxmlElement("w:tblPr")
    tbl_pr.append(_el("w:tblInd", w=0, type="dxa"))
    tbl_pr.append(_cell_margins(0, 108, 0, 108))
    table.append(tbl_pr)
    root.append(table)

    for name, fmt in paragraph_styles(profile).items():
        style = _style("paragraph", name, based_on="Normal")
        style.append(_el("w:next", val=style_id(name)))
        style.append(_el("w:qFormat"))
        style.append(_paragraph_props(fmt))
        style.append(_run_props(fmt.size, fmt.bold, fmt.italic, fmt.underline))
        root.append(style)
    for name, (bold, italic) in CHARACTER_STYLES.items():
        style = _style("character", name, based_on="DefaultParagraphFont")
        style.append(_el("w:qFormat"))
        style.append(_run_props(None, bold, italic))
        root.append(style)


# ---------------------------------------------------------------------------------------------
# Building blocks: paragraphs, tables
# ---------------------------------------------------------------------------------------------

Runs = Sequence[tuple[str, str | None]]  # (text, character style name or None)


class Writer:
    """Appends styled paragraphs to the document body or to a table cell."""

    def __init__(self, document: DocxDocument) -> None:
        self.document = document

    def para(self, where: DocxDocument | _Cell, style: str, text: str | Runs = "",
             *, first_in_cell: bool = False) -> Paragraph:
        """Append a paragraph in `style`; `text` is a string or (text, char style) runs."""
        if first_in_cell:
            assert isinstance(where, _Cell)
            paragraph = where.paragraphs[0]
            paragraph.style = style
        else:
            paragraph = where.add_paragraph(style=style)
        runs = [(text, None)] if isinstance(text, str) else list(text)
        for chunk, char_style in runs:
            if chunk:
                paragraph.add_run(chunk, style=char_style)
        return paragraph

    def fill_line(self, where: DocxDocument | _Cell, style: str) -> Paragraph:
        """Append a line to write on, dotted from margin to margin: a tab to a right stop at
        the text width with a dot leader, as a clerk sets one in Word (dots typed by hand
        stop short of the margin, by a different length at each size)."""
        paragraph = self.para(where, style)
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Twips(0)
        fmt.tab_stops.add_tab_stop(Twips(TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        paragraph.add_run().add_tab()
        return paragraph

    def loop(self, where: DocxDocument | _Cell, style: str, header: str,
             body: Iterable[tuple[str, str | Runs]], footer: str, *,
             first_in_cell: bool = False) -> None:
        """Append ``{%p header %}``, the body paragraphs, ``{%p footer %}``."""
        self.para(where, style, f"{{%p {header} %}}", first_in_cell=first_in_cell)
        for body_style, text in body:
            self.para(where, body_style, text)
        self.para(where, style, f"{{%p {footer} %}}")

    def rule(self, where: DocxDocument | _Cell, style: str, width: int, length: int,
             *, first_in_cell: bool = False) -> Paragraph:
        """Append an empty rule paragraph, centred by equal indents (default length)."""
        paragraph = self.para(where, style, first_in_cell=first_in_cell)
        side = max(0, (width - length) // 2)
        paragraph.paragraph_format.left_indent = Twips(side)
        paragraph.paragraph_format.right_indent = Twips(side)
        return paragraph


def _cell_margins(top: int, left: int, bottom: int, right: int) -> OxmlElement:
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        margins.append(_el(f"w:{side}", w=value, type="dxa"))
    return margins


def _borders(tag: str, val: str) -> OxmlElement:
    borders = OxmlElement(tag)
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    for side in sides:
        attrs = {"val": val} if val == "nil" else {"val": val, "sz": 4, "space": 0, "color": "auto"}
        borders.append(_el(f"w:{side}", **attrs))
    return borders


def make_table(document: DocxDocument, rows: int, widths: Sequence[int], *,
               borders: bool, margins: tuple[int, int, int, int]) -> Table:
    """Append a fixed-layout table of `widths` (twips), with or without single borders."""
    table = document.add_table(rows=rows, cols=len(widths))
    tbl_pr = table._tbl.tblPr
    for child in list(tbl_pr):
        tbl_pr.remove(child)
    tbl_pr.append(_el("w:tblW", w=sum(widths), type="dxa"))
    tbl_pr.append(_el("w:tblInd", w=0, type="dxa"))
    tbl_pr.append(_borders("w:tblBorders", "single" if borders else "nil"))
    tbl_pr.append(_el("w:tblLayout", type="fixed"))
    tbl_pr.append(_cell_margins(*margins))
    tbl_pr.append(_el("w:tblLook", val="0000", firstRow=0, lastRow=0, firstColumn=0,
                      lastColumn=0, noHBand=1, noVBand=1))
    for grid_col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        grid_col.set(qn("w:w"), str(width))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Twips(width)
    return table


def _row_flags(table: Table, index: int, *, header: bool = False) -> None:
    """Mark row `index` as not splitting across pages (and as a repeated header row)."""
    tr_pr = table.rows[index]._tr.get_or_add_trPr()
    tr_pr.append(_el("w:cantSplit"))
    if header:
        tr_pr.append(_el("w:tblHeader"))


# ---------------------------------------------------------------------------------------------
# Page setup
# ---------------------------------------------------------------------------------------------


def build_page(document: DocxDocument) -> None:
    """A4 portrait, margins 20/20/30/15 mm, titlePg, PAGE field in the default header."""
    section = document.sections[0]
    section.page_width, section.page_height = Twips(PAGE_W), Twips(PAGE_H)
    section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
    section.header_distance, section.footer_distance = Twips(HEADER_DISTANCE), Twips(FOOTER_DISTANCE)
    section.gutter = Twips(0)
    section.different_first_page_header_footer = True

    first = section.first_page_header
    first.is_linked_to_previous = False
    first.paragraphs[0].style = "VB Số trang"  # empty: no number on page 1

    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.style = "VB Số trang"
    add_field(paragraph, " PAGE ", "2")


def add_field(paragraph: Paragraph, code: str, result: str) -> None:
    """Append a complex field (begin, code, separate, stored result, end) to `paragraph`."""
    p = paragraph._p
    for part in ("begin", "instr", "separate", "result", "end"):
        run = OxmlElement("w:r")
        if part == "instr":
            instr = OxmlElement("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = code
            run.append(instr)
        elif part == "result":
            text = OxmlElement("w:t")
            text.text = result
            run.append(text)
        else:
            run.append(_el("w:fldChar", fldCharType=part))
        p.append(run)


# ---------------------------------------------------------------------------------------------
# Document parts: header, title, body, signature
# ---------------------------------------------------------------------------------------------


def build_header(w: Writer, profile: str, kind: str) -> None:
    """Header table: issuer | Quốc hiệu (or Party tiêu đề); Số | date (per kind)."""
    has_row2 = kind != "quy-che"
    cols = HEADER_COLS[profile]
    table = make_table(w.document, 2 if has_row2 else 1, cols, borders=False,
                       margins=(0, 0, 0, 0))
    left, right = table.rows[0].cells
    w.loop(left, "VB Cơ quan cấp trên", "if co_quan.cap_tren",
           [("VB Cơ quan cấp trên", "{{ co_quan.cap_tren }}")], "endif", first_in_cell=True)
    w.loop(left, "VB Cơ quan ban hành", "for d in co_quan.dong",
           [("VB Cơ quan ban hành", "{{ d }}")], "endfor")
    if profile == "nd30":
        w.rule(left, "VB Kẻ ngắn", cols[0], int(cols[0] * SHORT_RULE_RATIO))
        w.para(right, "VB Quốc hiệu", common.QUOC_HIEU, first_in_cell=True)
        w.para(right, "VB Tiêu ngữ", common.TIEU_NGU)
    else:
        w.para(left, "VB Dấu sao", "*")
        w.para(right, "VB Tiêu đề Đảng", common.TIEU_DE_DANG, first_in_cell=True)
    w.rule(right, "VB Kẻ dài", cols[1], LONG_RULE[profile])
    _row_flags(table, 0)
    if has_row2:
        left, right = table.rows[1].cells
        if kind in TRAINING_KINDS:
            left.paragraphs[0].style = "Normal"  # training material carries no number
        else:
            w.para(left, "VB Số ký hiệu", "{{ so_ky_hieu }}", first_in_cell=True)
        if kind == "bien-ban":
            right.paragraphs[0].style = "Normal"  # a Biên bản has no place/date line
        else:
            w.para(right, "VB Địa danh ngày", "{{ dia_danh_ngay }}", first_in_cell=True)
        _row_flags(table, 1)


def build_title(w: Writer, profile: str, type_name: str, *, kem_theo: bool = False) -> None:
    """Type name, trích yếu, the Kèm theo line (attached text), then the rule or ``-----``."""
    body = w.document
    w.para(body, "VB Tên loại", type_name)
    w.para(body, "VB Trích yếu", "{{ trich_yeu }}")
    if kem_theo:
        w.para(body, "VB Kèm theo", "{{ kem_theo }}")
    if profile == "nd30":
        w.rule(body, "VB Kẻ ngắn", TEXT_WIDTH, int(TEXT_WIDTH * SHORT_RULE_RATIO))
    else:
        w.para(body, "VB Gạch ngang", "-----")


def article_line(var: str, *, bold_title: bool) -> Runs:
    """``Điều n.`` in ``VB Đậm`` + the title (also ``VB Đậm`` in a Quy chế)."""
    return [(f"{{{{ {var}.nhan }}}}", "VB Đậm"),
            (f" {{{{ {var}.tieu_de }}}}", "VB Đậm" if bold_title else None)]


def build_articles(w: Writer, items: str, var: str = "d", *, bold_title: bool = False) -> None:
    """``{%p for d in <items> %}`` article line + its paragraphs ``{%p endfor %}``."""
    body = w.document
    w.para(body, "VB Điều", f"{{%p for {var} in {items} %}}")
    w.para(body, "VB Điều", article_line(var, bold_title=bold_title))
    w.loop(body, "VB Nội dung", f"for p in {var}.doan", [("VB Nội dung", "{{ p }}")], "endfor")
    w.para(body, "VB Điều", "{%p endfor %}")


def build_member_table(w: Writer) -> None:
    """Members: header row (repeated), ``{%tr for tv in thanh_vien %}`` rows."""
    table = make_table(w.document, 4, MEMBER_COLS, borders=True, margins=(0, 85, 0, 85))
    for cell, heading in zip(table.rows[0].cells, quyet_dinh_thanh_lap.BANG_THANH_VIEN, strict=True):
        w.para(cell, "VB Bảng tiêu đề", heading, first_in_cell=True)
    _row_flags(table, 0, header=True)
    fields = ("tv.stt", "tv.ho_ten", "tv.chuc_vu", "tv.nhiem_vu_trong_ban")
    for cell, field in zip(table.rows[2].cells, fields, strict=True):
        paragraph = w.para(cell, "VB Bảng", f"{{{{ {field} }}}}", first_in_cell=True)
        if field == "tv.stt":
            paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _row_flags(table, 2)
    for index, tag in ((1, "{%tr for tv in thanh_vien %}"), (3, "{%tr endfor %}")):
        cells = table.rows[index].cells
        merged = cells[0].merge(cells[-1])  # one wide cell keeps the tag readable
        w.para(merged, "VB Bảng", tag, first_in_cell=True)


def build_decision_body(w: Writer, *, member_table: bool) -> None:
    """Competence line, căn cứ, verdict, articles (with the member table after Điều 1)."""
    body = w.document
    w.para(body, "VB Thẩm quyền", "{{ tham_quyen_ban_hanh }}")
    w.loop(body, "VB Căn cứ", "for c in can_cu", [("VB Căn cứ", "{{ c }}")], "endfor")
    w.para(body, "VB Quyết định", common.QUYET_DINH_NHAN)
    if member_table:
        # dieu[0] is followed by the member table, then its own paragraphs.
        w.para(body, "VB Điều", article_line("dieu[0]", bold_title=False))
        build_member_table(w)
        w.loop(body, "VB Nội dung", "for p in dieu[0].doan", [("VB Nội dung", "{{ p }}")],
               "endfor")
        build_articles(w, "dieu[1:]")
    else:
        build_articles(w, "dieu")


def build_quy_che_body(w: Writer) -> None:
    """Chapters: ``Chương I`` / UPPER heading / articles with the whole title line bold."""
    body = w.document
    w.para(body, "VB Chương", "{%p for ch in chuong %}")
    w.para(body, "VB Chương", "{{ ch.nhan }}")
    w.para(body, "VB Tên chương", "{{ ch.ten }}")
    build_articles(w, "ch.dieu", bold_title=True)
    w.para(body, "VB Chương", "{%p endfor %}")


def build_bien_ban_body(w: Writer) -> None:
    """Meeting data, agenda, conclusions and the closing line."""
    body = w.document
    w.para(body, "VB Nội dung", f"{bien_ban.THOI_GIAN_BAT_DAU} {{{{ hop.bat_dau }}}}")
    w.para(body, "VB Nội dung", f"{bien_ban.DIA_DIEM} {{{{ hop.dia_diem }}}}")
    w.para(body, "VB Nội dung", bien_ban.THANH_PHAN)
    w.loop(body, "VB Nội dung", "for x in hop.thanh_phan", [("VB Nội dung", "{{ x }}")], "endfor")
    w.loop(body, "VB Nội dung", "if hop.si_so", [("VB Nội dung", "{{ hop.si_so }}")], "endif")
    w.loop(body, "VB Nội dung", "for x in hop.vang_mat", [("VB Nội dung", "{{ x }}")], "endfor")
    w.para(body, "VB Nội dung", "{{ hop.chu_tri }}")
    w.para(body, "VB Nội dung", "{{ hop.thu_ky }}")
    w.para(body, "VB Nhãn", "{{ hop.nhan_noi_dung }}")
    w.para(body, "VB Nội dung", "{%p for m in hop.noi_dung %}")
    w.para(body, "VB Nội dung", [("{{ m.tieu_de }}", "VB Đậm")])
    w.loop(body, "VB Nội dung", "for p in m.doan", [("VB Nội dung", "{{ p }}")], "endfor")
    w.para(body, "VB Nội dung", "{%p endfor %}")
    w.para(body, "VB Nhãn", bien_ban.KET_LUAN)
    w.loop(body, "VB Nội dung", "for k in hop.ket_luan", [("VB Nội dung", "{{ k }}")], "endfor")
    closing = w.para(body, "VB Nội dung", "{{ hop.ket_thuc }}")
    closing.paragraph_format.keep_with_next = True  # not alone above the signatures


def build_noi_nhan(w: Writer, where: DocxDocument | _Cell, *,
                   first_in_cell: bool = False) -> None:
    """``Nơi nhận:`` then one ``VB Nơi nhận mục`` per item of ``noi_nhan``."""
    w.para(where, "VB Nơi nhận", common.NOI_NHAN, first_in_cell=first_in_cell)
    w.loop(where, "VB Nơi nhận mục", "for n in noi_nhan", [("VB Nơi nhận mục", "{{ n }}")],
           "endfor")


def build_signer(w: Writer, cell: _Cell, authority: Iterable[str], position: bool,
                 name: str) -> None:
    """Authority lines, position, four blank lines and the signer's name in `cell`."""
    first = True
    for line in authority:
        w.para(cell, "VB Thẩm quyền ký", line, first_in_cell=first)
        first = False
    if position:
        w.loop(cell, "VB Chức vụ ký", "if ky.chuc_vu", [("VB Chức vụ ký", "{{ ky.chuc_vu }}")],
               "endif")
    for _ in range(4):
        w.para(cell, "VB Chữ ký trống")
    w.para(cell, "VB Người ký", name)


def build_signature(w: Writer) -> None:
    """Decision signature: Nơi nhận (left, 45 %) and the signer (right, 55 %)."""
    table = make_table(w.document, 1, SIGN_COLS, borders=False, margins=(SIGN_TOP_GAP, 0, 0, 0))
    left, right = table.rows[0].cells
    build_noi_nhan(w, left, first_in_cell=True)
    authority = ["{%p for t in ky.quyen_han %}", "{{ t }}", "{%p endfor %}"]
    build_signer(w, right, authority, True, "{{ ky.ho_ten }}")
    _row_flags(table, 0)


def build_bien_ban_signature(w: Writer) -> None:
    """Biên bản: THƯ KÝ (left) and CHỦ TỌA (right), then Nơi nhận below, left."""
    table = make_table(w.document, 1, BB_SIGN_COLS, borders=False,
                       margins=(SIGN_TOP_GAP, 0, SIGN_TOP_GAP, 0))
    left, right = table.rows[0].cells
    build_signer(w, left, ["{{ hop.nhan_thu_ky }}"], False, "{{ hop.ten_thu_ky }}")
    build_signer(w, right, ["{{ hop.nhan_chu_toa }}"], False, "{{ hop.ten_chu_toa }}")
    _row_flags(table, 0)
    build_noi_nhan(w, w.document)


def build_handout_body(w: Writer) -> None:
    """Presenter line, table of contents (when given), the content as a sub-document."""
    body = w.document
    w.loop(body, "VB Ghi chú", "if bao_cao_vien", [("VB Ghi chú", "{{ bao_cao_vien }}")],
           "endif")
    w.para(body, "VB Mục lục tiêu đề", "{%p if muc_luc %}")
    w.para(body, "VB Mục lục tiêu đề", tap_huan.MUC_LUC)
    w.para(body, "VB Mục lục", "{%p for m in muc_luc %}")
    line = w.para(body, "VB Mục lục", "{{ m.ten }}")
    line.add_run().add_tab()
    # A PAGEREF field, as in Word's own tables of contents: Word updates it with F9, the
    # PDF gets the number from the layout, and the stored result is the number vanban found.
    add_field(line, " PAGEREF {{ m.dau_trang }} \\h ", "{{ m.trang }}")
    w.para(body, "VB Mục lục", "{%p endfor %}")
    # The content starts on a new page: the table of contents keeps page 1 to itself.
    w.para(body, "VB Mục lục").add_run().add_break(WD_BREAK.PAGE)
    w.para(body, "VB Mục lục tiêu đề", "{%p endif %}")
    w.para(body, "VB Nội dung", "{{p noi_dung }}")


def _data_table(w: Writer, widths: Sequence[int], headings: Sequence[str], loop: str,
                fields: Sequence[str]) -> Table:
    """A bordered table: repeated header row, then a ``{%tr for %}`` row of `fields`."""
    table = make_table(w.document, 4, widths, borders=True, margins=(0, 85, 0, 85))
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        w.para(cell, "VB Bảng tiêu đề", heading, first_in_cell=True)
    _row_flags(table, 0, header=True)
    for cell, field in zip(table.rows[2].cells, fields, strict=True):
        paragraph = w.para(cell, "VB Bảng", f"{{{{ {field} }}}}" if field else "",
                           first_in_cell=True)
        if field.endswith(".stt"):
            paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _row_flags(table, 2)
    for index, tag in ((1, f"{{%tr {loop} %}}"), (3, "{%tr endfor %}")):
        cells = table.rows[index].cells
        merged = cells[0].merge(cells[-1])
        w.para(merged, "VB Bảng", tag, first_in_cell=True)
    return table


def build_attendance_body(w: Writer) -> None:
    """Where and when, the attendance table (room to sign), the total line."""
    body = w.document
    w.para(body, "VB Nội dung", f"{tap_huan.THOI_GIAN} {{{{ thoi_gian }}}}")
    w.para(body, "VB Nội dung", f"{tap_huan.DIA_DIEM} {{{{ dia_diem }}}}")
    table = _data_table(w, ATTENDANCE_COLS, tap_huan.BANG_HOC_VIEN, "for hv in hoc_vien",
                        ("hv.stt", "hv.ho_ten", "hv.chuc_vu", "hv.don_vi", "", ""))
    row = table.rows[2]._tr
    height = OxmlElement("w:trHeight")
    height.set(qn("w:val"), "567")  # 10 mm: room for a handwritten signature
    height.set(qn("w:hRule"), "atLeast")
    row.get_or_add_trPr().append(height)
    # Whoever drew the list up signs under it, on the right. A paragraph between the two
    # tables keeps Word and LibreOffice from joining them into one.
    w.para(body, "VB Bảng")
    block = make_table(w.document, 1, BB_SIGN_COLS, borders=False,
                       margins=(SIGN_TOP_GAP, 0, 0, 0))
    right = block.rows[0].cells[1]
    w.para(right, "VB Bảng tiêu đề", tap_huan.NGUOI_LAP, first_in_cell=True)
    w.para(right, "VB Ghi chú", tap_huan.KY_GHI_RO)
    for _ in range(3):
        w.para(right, "VB Bảng")  # room to sign; no keep-with-next inside a table
    w.para(right, "VB Bảng tiêu đề", "{{ nguoi_lap }}")
    _row_flags(block, 0)


def build_evaluation_body(w: Writer) -> None:
    """Instructions, the rating table, open questions with lines to write on."""
    body = w.document
    w.para(body, "VB Nội dung", "{{ huong_dan }}")
    _data_table(w, EVALUATION_COLS, tap_huan.BANG_DANH_GIA, "for tc in tieu_chi",
                ("tc.stt", "tc.noi_dung", "", "", "", ""))
    w.para(body, "VB Nội dung", "{%p for q in cau_hoi_mo %}")
    w.para(body, "VB Nhãn", "{{ q }}")
    for _ in range(3):
        w.fill_line(body, "VB Nội dung")
    w.para(body, "VB Nội dung", "{%p endfor %}")
    w.para(body, "VB Ghi chú", tap_huan.CAM_ON)


# ---------------------------------------------------------------------------------------------
# Package: a minimal base, the templates, a deterministic zip
# ---------------------------------------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/fontTable" Target="fontTable.xml"/>'
    "</Relationships>"
)
_DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body><w:sectPr>'
    '<w:pgSz w:w="11906" w:h="16838"/><w:cols w:space="720"/></w:sectPr></w:body></w:document>'
)
_STYLES = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W_NS}"/>'
_SETTINGS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:settings xmlns:w="{W_NS}"><w:zoom w:percent="100"/>'
    '<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
    '<w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/></w:settings>'
)
_FONT_TABLE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:fonts xmlns:w="{W_NS}"><w:font w:name="Times New Roman">'
    '<w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/>'
    '<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>'
)
_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>vanban tools/make_templates.py</Application></Properties>"
)
_BASE_PARTS = {
    "[Content_Types].xml": _CONTENT_TYPES,
    "_rels/.rels": _PACKAGE_RELS,
    "docProps/core.xml": _CORE,
    "docProps/app.xml": _APP,
    "word/document.xml": _DOCUMENT,
    "word/_rels/document.xml.rels": _DOCUMENT_RELS,
    "word/styles.xml": _STYLES,
    "word/settings.xml": _SETTINGS,
    "word/fontTable.xml": _FONT_TABLE,
}

#: Each template's type name (the document's own words) and, for its file properties, what it is.
TITLES = {
    "tai-lieu-chuyen-de": (tap_huan.TEN_TAI_LIEU, "Tài liệu tập huấn (một chuyên đề)"),
    "danh-sach-hoc-vien": (tap_huan.TEN_DANH_SACH, "Danh sách học viên, ký nhận tài liệu"),
    "phieu-danh-gia": (tap_huan.TEN_PHIEU, "Phiếu đánh giá của học viên"),
    "quyet-dinh-thanh-lap-ban-dieu-hanh": (common.QUYET_DINH.ten.upper(),
                                           "Quyết định thành lập Ban điều hành"),
    "quyet-dinh-ban-hanh-quy-che": (common.QUYET_DINH.ten.upper(), "Quyết định ban hành Quy chế"),
    "quy-che": (common.QUY_CHE.ten.upper(), "Quy chế (kèm theo Quyết định)"),
    "bien-ban": (common.BIEN_BAN.ten.upper(), "Biên bản cuộc họp"),
}
PROFILE_TITLES = {"nd30": "Nghị định 30/2020/NĐ-CP", "dang": "Hướng dẫn 36-HD/VPTW"}


def base_document() -> DocxDocument:
    """Open a minimal package (no theme, numbering or thumbnail) as a python-docx document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, xml in _BASE_PARTS.items():
            package.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), xml)
    buffer.seek(0)
    return docx.Document(buffer)


def build_template(profile: str, kind: str) -> bytes:
    """Return the bytes of template `kind` for `profile`."""
    document = base_document()
    build_styles(document, profile)
    build_page(document)
    w = Writer(document)
    type_name, title = TITLES[kind]
    build_header(w, profile, kind)
    build_title(w, profile, type_name, kem_theo=kind == "quy-che")
    if kind.startswith("quyet-dinh"):
        build_decision_body(w, member_table=kind == "quyet-dinh-thanh-lap-ban-dieu-hanh")
        build_signature(w)
    elif kind == "quy-che":
        build_quy_che_body(w)
    elif kind == "tai-lieu-chuyen-de":
        build_handout_body(w)
    elif kind == "danh-sach-hoc-vien":
        build_attendance_body(w)
    elif kind == "phieu-danh-gia":
        build_evaluation_body(w)
    else:
        build_bien_ban_body(w)
        build_bien_ban_signature(w)

    core = document.core_properties
    core.title = f"Mẫu {title} ({PROFILE_TITLES[profile]})"
    core.subject = "vanban: mẫu văn bản (docxtpl)"
    core.author = core.last_modified_by = "vanban"
    core.language = LANG
    core.revision = 1
    core.created = core.modified = FIXED_TIME.replace(tzinfo=None)
    buffer = io.BytesIO()
    document.save(buffer)
    data = deterministic_zip(buffer.getvalue())
    if kind in fitting.ONE_SHEET_KINDS:
        set_tightly = fitting.applied(data, ONE_SHEET)  # zipped as deterministic_zip zips
        assert set_tightly is not None
        data = set_tightly
    return data


#: The evaluation form is meant for one sheet. Its body and its table are set as tightly as the
#: decree allows (13 pt, single spacing), as the fitting pass set it in both samples: the
#: template then fits one sheet in Word too, and a build lays the form out once, not twice.
ONE_SHEET = fitting.Fit(size=13.0, line=fitting.line_range(13.0)[0],
                        table_line=fitting.line_range(13.0)[0])


def main() -> None:
    """Write every template; leave files whose bytes would not change untouched."""
    for profile in PROFILES:
        for kind in KINDS + (TRAINING_KINDS if profile == "dang" else ()):
            path = OUT_DIR / profile / f"{kind}.docx"
            data = build_template(profile, kind)
            if path.is_file() and path.read_bytes() == data:
                print(f"unchanged {path.relative_to(ROOT)}")
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote     {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
