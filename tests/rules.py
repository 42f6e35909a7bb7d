"""Check a finished DOCX against the decree's layout rules (format spec §9).

``check_document(path, profile, kind)`` returns human-readable violations; an empty list means
the document conforms. Each message starts with its rule in brackets, e.g. ``[R10] …`` (§9
numbering; ``[NUM]`` is the contract's "no Word auto-numbering"). Elements are found by their
paragraph style name (``docs/mau-van-ban.md``).

This module is independent from vanban: python-docx, lxml and fontTools only.

* Properties are EFFECTIVE values: direct run formatting → character style chain → paragraph
  style chain → docDefaults; the toggles (bold, italic) of the two style chains combine by XOR
  as in Word. Paragraph properties: direct → paragraph style chain → docDefaults, attribute by
  attribute. Table styles are read only for table borders.
* Text widths use Liberation Serif (metric-compatible with Times New Roman) at each run's
  effective size and weight; a rule's length is its container width (cell or text width) minus
  its left and right indents. Lines are broken greedily at spaces to find "the longest line".
* To add a kind ("tai-lieu", "danh-sach", "phieu"): add a :class:`KindSpec` to :data:`KINDS`
  and, if it has rules of its own, a check registered with ``@rule("R..", kinds=(...))``.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from fontTools.ttLib import TTFont
from lxml import etree

PROFILES = ("nd30", "dang")
MM = 36000  # EMU per millimetre
TWIPS_PER_MM = 1440 / 25.4

#: Folders searched for Liberation Serif (override with VANBAN_METRIC_FONTS).
FONT_DIRS = (
    os.environ.get("VANBAN_METRIC_FONTS", ""),
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/fonts/liberation",
)

QUOC_HIEU = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM")
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
TIEU_DE_DANG = "ĐẢNG CỘNG SẢN VIỆT NAM"

SO_ND30 = re.compile(r"^Số: ?(\d{2,}|\s*)/[A-Za-zĐđ]+(-[A-Za-zĐđ0-9]+)*$")
SO_DANG = re.compile(r"^Số (\d{2,}|\s*)-[A-Za-zĐđ]+/[A-Za-zĐđ]+(-[A-Za-zĐđ]+)*$")
DATE_PART = r"ngày (0[1-9]|[12]\d|3[01]) tháng (0[12]|[3-9]|1[0-2]) năm \d{4}"
DATE_LINE = re.compile(rf"^[^,]+, {DATE_PART}$")
KEM_THEO = {
    "nd30": re.compile(
        rf"^\((?:Ban hành k|K)èm theo Quyết định số (?:\d{{2,}}|\s*|…)/QĐ-[A-Za-zĐđ0-9]+"
        rf"(?:-[A-Za-zĐđ0-9]+)* {DATE_PART} của [^()]+\)$"
    ),
    "dang": re.compile(
        rf"^\((?:Ban hành k|K)èm theo Quyết định số (?:\d{{2,}}|\s*|…)-QĐ/[A-Za-zĐđ]+"
        rf"(?:-[A-Za-zĐđ]+)* {DATE_PART} của [^()]+\)$"
    ),
}
LUU_ND30 = re.compile(r"^- Lưu: VT(, .+)?\.$")
DEGREE = re.compile(r"^(GS|PGS|TS|ThS|KS|BS|CN|Tiến sĩ|Thạc sĩ)\.?\s")
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
         "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX"]
DIEM = ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s",
        "t", "u", "v", "x", "y"]
BODY_STYLES = ("VB Nội dung", "VB Điều", "VB Căn cứ", "VB Nhãn")
RULE_STYLES = ("VB Kẻ ngắn", "VB Kẻ dài")

#: Type name → symbol abbreviation (ND30 Phụ lục III; Party: Quy định is "QĐ").
TYPE_ABBR = {
    "QUYẾT ĐỊNH": "QĐ", "QUY CHẾ": "QC", "QUY ĐỊNH": "QyĐ", "BIÊN BẢN": "BB",
    "KẾ HOẠCH": "KH", "THÔNG BÁO": "TB", "BÁO CÁO": "BC", "GIẤY MỜI": "GM", "TỜ TRÌNH": "TTr",
    "HƯỚNG DẪN": "HD", "CHƯƠNG TRÌNH": "CTr", "CHỈ THỊ": "CT", "NGHỊ QUYẾT": "NQ",
    "THÔNG CÁO": "TC", "PHƯƠNG ÁN": "PA", "ĐỀ ÁN": "ĐA", "DỰ ÁN": "DA", "KẾT LUẬN": "KL",
    "THÔNG TRI": "TT",
}
TYPE_ABBR_DANG = {**TYPE_ABBR, "QUY ĐỊNH": "QĐ"}


@dataclass(frozen=True)
class KindSpec:
    """What a document kind contains (format spec §5, contract "Layout")."""

    type_names: tuple[str, ...]
    so: bool  # has a Số line
    date: bool  # has a place/date line
    signature: str | None  # "signer" (Nơi nhận | signer), "two" (THƯ KÝ | CHỦ TỌA), None
    noi_nhan: str | None  # "cell" (left cell of the signature), "below" (under it), None
    kem_theo: bool = False
    can_cu: bool = False
    min_articles: int = 0
    nhu_tren_first: bool = False  # công văn, tờ trình/báo cáo with "Kính gửi:"
    closing: bool = True  # the body ends with "./." (issued texts; not training material)


KINDS: dict[str, KindSpec] = {
    "quyet-dinh": KindSpec(("QUYẾT ĐỊNH",), True, True, "signer", "cell", can_cu=True,
                           min_articles=2),
    "quy-che": KindSpec(("QUY CHẾ", "QUY ĐỊNH"), False, False, None, None, kem_theo=True),
    "bien-ban": KindSpec(("BIÊN BẢN",), True, False, "two", "below"),
    # Training material of a Party body: unnumbered (docs/quyet-dinh-du-an.md), dated, unsigned.
    "tai-lieu": KindSpec(("TÀI LIỆU TẬP HUẤN",), False, True, None, None, closing=False),
    "danh-sach": KindSpec(("DANH SÁCH HỌC VIÊN",), False, True, None, None, closing=False),
    "phieu": KindSpec(("PHIẾU ĐÁNH GIÁ",), False, True, None, None, closing=False),
}


# ---------------------------------------------------------------------------------------------
# Font metrics
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _metrics(bold: bool, italic: bool) -> tuple[dict[int, int], int, int]:
    face = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic",
            (True, True): "BoldItalic"}[(bold, italic)]
    for folder in FONT_DIRS:
        path = Path(folder) / f"LiberationSerif-{face}.ttf"
        if folder and path.is_file():
            font = TTFont(path)
            hmtx = font["hmtx"]
            widths = {cp: hmtx[glyph][0] for cp, glyph in font.getBestCmap().items()}
            return widths, font["head"].unitsPerEm, hmtx[".notdef"][0]
    raise FileNotFoundError("Liberation Serif not found (install fonts-liberation2)")


def char_width(ch: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """Return the advance of `ch` in twips at `size` pt."""
    widths, upem, notdef = _metrics(bold, italic)
    return widths.get(ord(ch), notdef) / upem * size * 20


def text_width(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """Return the width of `text` in twips (Liberation Serif, no kerning)."""
    return sum(char_width(ch, size, bold, italic) for ch in text)


def wrap(chars: list[tuple[str, float]], first: float, rest: float) -> list[float]:
    """Break (char, width) pairs greedily at spaces and at line breaks ("\\n"); return each
    line's width (twips)."""
    words: list[tuple[float, float]] = []  # (word width, width of the spaces after it)
    word = space = 0.0
    breaks: set[int] = set()  # indexes into `words` that start a new line (w:br)
    for ch, width in chars:
        if ch == "\n":
            if word:
                words.append((word, 0.0))
            word = space = 0.0
            breaks.add(len(words))
        elif ch == " ":
            space += width
        else:
            if space and (word or words):
                words.append((word, space))
                word = space = 0.0
            word += width
    if word:
        words.append((word, 0.0))
    lines: list[float] = []
    line = 0.0
    pending = 0.0  # spaces after the last word on the line
    for index, (width, after) in enumerate(words):
        limit = first if not lines else rest
        if (index and index in breaks) or (line and line + pending + width > limit):
            lines.append(line)
            line, pending = 0.0, 0.0
            limit = rest
        while width > limit > 0:  # an over-long word breaks anywhere
            if line:
                lines.append(line)
                line, pending = 0.0, 0.0
            lines.append(limit)
            width -= limit
            limit = rest
        line += pending + width
        pending = after
    if line or not lines:
        lines.append(line)
    return lines


# ---------------------------------------------------------------------------------------------
# Document model and effective properties
# ---------------------------------------------------------------------------------------------


def _on(el: etree._Element | None) -> bool | None:
    """Value of an OOXML on/off element (None when absent)."""
    if el is None:
        return None
    return el.get(qn("w:val"), "true") not in ("0", "false", "off", "none")


@dataclass
class RunProps:
    """Effective properties of one run."""

    text: str
    bold: bool
    italic: bool
    underline: bool
    size: float
    fonts: dict[str, str]
    color: str


@dataclass
class Para:
    """A paragraph of the body (possibly inside a table cell) in document order."""

    el: etree._Element
    index: int
    style: str
    text: str
    table: int | None  # index of the top-level table holding it
    row: int | None
    col: int | None
    ncols: int | None
    width: float  # container width in twips

    @property
    def in_table(self) -> bool:
        return self.table is not None


class StyleSheet:
    """Styles by id, defaults, and basedOn chains."""

    def __init__(self, root: etree._Element) -> None:
        self.by_id = {s.get(qn("w:styleId")): s for s in root.iter(qn("w:style"))}
        self.default: dict[str, str] = {}
        for sid, style in self.by_id.items():
            if style.get(qn("w:default")) in ("1", "true", "on"):
                self.default.setdefault(style.get(qn("w:type")), sid)
        self.rpr_default = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        self.ppr_default = root.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}")

    def name(self, sid: str | None) -> str:
        style = self.by_id.get(sid or "")
        if style is None:
            return ""
        name = style.find(qn("w:name"))
        return name.get(qn("w:val")) if name is not None else sid or ""

    def chain(self, sid: str | None, kind: str) -> list[etree._Element]:
        """The style `sid` (or the default of `kind`) and its basedOn ancestors."""
        sid = sid if sid in self.by_id else self.default.get(kind)
        out: list[etree._Element] = []
        while sid and sid in self.by_id and len(out) < 20:
            style = self.by_id[sid]
            if style in out:
                break
            out.append(style)
            based = style.find(qn("w:basedOn"))
            sid = based.get(qn("w:val")) if based is not None else None
        return out


def _child_val(parent: etree._Element | None, tag: str, attr: str = "w:val") -> str | None:
    if parent is None:
        return None
    el = parent.find(qn(tag))
    return None if el is None else el.get(qn(attr))


class Doc:
    """A DOCX opened for checking: paragraphs in order, effective properties, measures."""

    def __init__(self, path: str | os.PathLike[str], profile: str = "nd30", kind: str = "",
                 roles: tuple[str, str] = ("THƯ KÝ", "CHỦ TỌA")) -> None:
        self.path = Path(path)
        self.profile, self.kind, self.roles = profile, kind, roles
        self.spec = KINDS.get(kind)
        self.document = docx.Document(str(path))
        self.body = self.document.element.body
        self.sheet = StyleSheet(self.document.styles.element)
        section = self.document.sections[0]
        self.text_width = (section.page_width - section.left_margin - section.right_margin) / 635
        self.tables = [t for t in self.body if t.tag == qn("w:tbl")]
        self.paras = [self._para(i, p) for i, p in enumerate(self.body.iter(qn("w:p")))]

    # -- structure ----------------------------------------------------------------------------

    def _para(self, index: int, p: etree._Element) -> Para:
        sid = _child_val(p.find(qn("w:pPr")), "w:pStyle")
        style = self.sheet.name(sid if sid in self.sheet.by_id else self.sheet.default.get("paragraph"))
        cells = list(p.iterancestors(qn("w:tc")))
        table = row = col = ncols = None
        width = self.text_width
        if cells:
            tc = cells[0]
            tr = tc.getparent()
            tbl = tr.getparent()
            tcs = tr.findall(qn("w:tc"))
            row, col, ncols = tbl.findall(qn("w:tr")).index(tr), tcs.index(tc), len(tcs)
            width = self._cell_width(tbl, tcs, tc)
            outer = cells[-1].getparent().getparent()
            table = self.tables.index(outer) if outer in self.tables else None
        return Para(p, index, style, self.para_text(p), table, row, col, ncols, width)

    @staticmethod
    def _cell_width(tbl: etree._Element, tcs: list[etree._Element], tc: etree._Element) -> float:
        tc_w = tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
        if tc_w is not None and tc_w.get(qn("w:type"), "dxa") == "dxa" and tc_w.get(qn("w:w")):
            return float(tc_w.get(qn("w:w")))
        grid = [float(g.get(qn("w:w"), 0)) for g in tbl.iter(qn("w:gridCol"))]
        start = 0
        for cell in tcs:
            span = int(_child_val(cell.find(qn("w:tcPr")), "w:gridSpan") or 1)
            if cell is tc:
                return sum(grid[start:start + span])
            start += span
        return 0.0

    @staticmethod
    def run_text(r: etree._Element) -> str:
        out = []
        for child in r:
            if child.tag == qn("w:t"):
                out.append(child.text or "")
            elif child.tag == qn("w:tab"):
                out.append("\t")
            elif child.tag in (qn("w:br"), qn("w:cr")):
                out.append("\n")
        return "".join(out)

    def para_text(self, p: etree._Element) -> str:
        return "".join(self.run_text(r) for r in p.iter(qn("w:r")))

    def styled(self, *styles: str, nonempty: bool = True) -> list[Para]:
        return [p for p in self.paras if p.style in styles and (p.text.strip() or not nonempty)]

    def next_para(self, para: Para) -> Para | None:
        following = self.paras[para.index + 1:para.index + 2]
        return following[0] if following else None

    def body_paras(self) -> list[Para]:
        return [p for p in self.paras if p.style in BODY_STYLES and not p.in_table and p.text.strip()]

    def header_table(self) -> int | None:
        for p in self.paras:
            if p.style in ("VB Cơ quan ban hành", "VB Quốc hiệu", "VB Tiêu đề Đảng") and p.in_table:
                return p.table
        return None

    def in_header(self, para: Para, col: int | None = None) -> bool:
        if para.table is None or para.table != self.header_table():
            return False
        return col is None or para.col == (col if col >= 0 else (para.ncols or 0) + col)

    # -- effective properties -----------------------------------------------------------------

    def _run_value(self, p: etree._Element, r: etree._Element,
                   get: Callable[[etree._Element | None], object], toggle: bool = False) -> object:
        direct = get(r.find(qn("w:rPr")))
        if direct is not None:
            return direct
        r_style = _child_val(r.find(qn("w:rPr")), "w:rStyle")
        p_style = _child_val(p.find(qn("w:pPr")), "w:pStyle")
        char = next((v for s in self.sheet.chain(r_style, "character")
                     if (v := get(s.find(qn("w:rPr")))) is not None), None)
        para = next((v for s in self.sheet.chain(p_style, "paragraph")
                     if (v := get(s.find(qn("w:rPr")))) is not None), None)
        if toggle:
            # ECMA-376 §17.7.3: in a style, "true" toggles the state reached so far and
            # "false" leaves it unchanged (each basedOn chain counts as one level here).
            base = para if para is not None else bool(get(self.sheet.rpr_default))
            return bool(base) != (char is True)
        for value in (char, para, get(self.sheet.rpr_default)):
            if value is not None:
                return value
        return None

    def run_props(self, p: etree._Element, r: etree._Element) -> RunProps:
        def font(attr: str, theme: str) -> Callable[[etree._Element | None], str | None]:
            def get(rpr: etree._Element | None) -> str | None:
                fonts = None if rpr is None else rpr.find(qn("w:rFonts"))
                if fonts is None:
                    return None
                if fonts.get(qn(f"w:{theme}")):
                    return f"theme:{fonts.get(qn(f'w:{theme}'))}"
                return fonts.get(qn(f"w:{attr}"))
            return get

        def size(rpr: etree._Element | None) -> float | None:
            val = _child_val(rpr, "w:sz")
            return int(val) / 2 if val else None

        def color(rpr: etree._Element | None) -> str | None:
            el = None if rpr is None else rpr.find(qn("w:color"))
            if el is None:
                return None
            return f"theme:{el.get(qn('w:themeColor'))}" if el.get(qn("w:themeColor")) else el.get(qn("w:val"))

        def underline(rpr: etree._Element | None) -> bool | None:
            val = _child_val(rpr, "w:u")
            return None if val is None else val != "none"

        def toggle(tag: str) -> Callable[[etree._Element | None], bool | None]:
            return lambda rpr: None if rpr is None else _on(rpr.find(qn(tag)))

        fonts = {attr: self._run_value(p, r, font(attr, theme))
                 for attr, theme in (("ascii", "asciiTheme"), ("hAnsi", "hAnsiTheme"),
                                     ("cs", "cstheme"), ("eastAsia", "eastAsiaTheme"))}
        return RunProps(
            text=self.run_text(r),
            bold=bool(self._run_value(p, r, toggle("w:b"), toggle=True)),
            italic=bool(self._run_value(p, r, toggle("w:i"), toggle=True)),
            underline=bool(self._run_value(p, r, underline)),
            size=float(self._run_value(p, r, size) or 10),
            fonts={k: str(v) for k, v in fonts.items()},
            color=str(self._run_value(p, r, color) or "auto"),
        )

    def runs(self, para: Para | etree._Element) -> list[RunProps]:
        """Effective properties of the runs that carry text."""
        p = para.el if isinstance(para, Para) else para
        out = [self.run_props(p, r) for r in p.iter(qn("w:r"))]
        return [r for r in out if r.text.strip()]

    def ppr(self, para: Para | etree._Element, tag: str, attrs: Iterable[str]) -> str | None:
        """First value of any of `attrs` on `tag`: direct → style chain → docDefaults."""
        p = para.el if isinstance(para, Para) else para
        direct = p.find(qn("w:pPr"))
        levels = [direct] + [s.find(qn("w:pPr")) for s in
                             self.sheet.chain(_child_val(direct, "w:pStyle"), "paragraph")]
        for ppr in [*levels, self.sheet.ppr_default]:
            el = None if ppr is None else ppr.find(qn(tag))
            if el is None:
                continue
            for attr in attrs:
                if el.get(qn(f"w:{attr}")) is not None:
                    return el.get(qn(f"w:{attr}"))
        return None

    def align(self, para: Para) -> str:
        value = self.ppr(para, "w:jc", ["val"]) or "left"
        return {"start": "left", "end": "right"}.get(value, value)

    def indents(self, para: Para) -> tuple[float, float, float]:
        """(left, right, first line) in twips; a hanging indent is a negative first line."""
        left = float(self.ppr(para, "w:ind", ["left", "start"]) or 0)
        right = float(self.ppr(para, "w:ind", ["right", "end"]) or 0)
        hanging = self.ppr(para, "w:ind", ["hanging"])
        first = float(self.ppr(para, "w:ind", ["firstLine"]) or 0)
        return left, right, -float(hanging) if hanging else first

    def spacing(self, para: Para) -> tuple[float, float, float | None, str]:
        before = float(self.ppr(para, "w:spacing", ["before"]) or 0)
        after = float(self.ppr(para, "w:spacing", ["after"]) or 0)
        line = self.ppr(para, "w:spacing", ["line"])
        rule = self.ppr(para, "w:spacing", ["lineRule"]) or "auto"
        return before, after, float(line) if line else None, rule

    def has_rule(self, para: Para | None) -> bool:
        if para is None:
            return False
        val = None
        direct = para.el.find(qn("w:pPr"))
        levels = [direct] + [s.find(qn("w:pPr")) for s in
                             self.sheet.chain(_child_val(direct, "w:pStyle"), "paragraph")]
        for ppr in levels:
            bottom = None if ppr is None else ppr.find(f"{qn('w:pBdr')}/{qn('w:bottom')}")
            if bottom is not None:
                val = bottom.get(qn("w:val"))
                break
        return val not in (None, "nil", "none")

    # -- measures -----------------------------------------------------------------------------

    def chars(self, para: Para) -> list[tuple[str, float]]:
        out = []
        for r in para.el.iter(qn("w:r")):
            props = self.run_props(para.el, r)
            out.extend((ch, char_width(ch, props.size, props.bold, props.italic))
                       for ch in props.text)
        return out

    def width_of(self, para: Para) -> float:
        """Width of the paragraph's text on one line (twips)."""
        return sum(w for _, w in self.chars(para))

    def lines(self, para: Para) -> list[float]:
        left, right, first = self.indents(para)
        avail = para.width - left - right
        return wrap(self.chars(para), avail - first, avail)

    def longest_line(self, para: Para) -> float:
        return max(self.lines(para))

    def rule_length(self, para: Para) -> float:
        left, right, _ = self.indents(para)
        return para.width - left - right

    # -- parts --------------------------------------------------------------------------------

    def header_footer_parts(self) -> list[tuple[str, etree._Element]]:
        """(reference type or "unreferenced", root) of every header and footer part."""
        kinds: dict[str, str] = {}
        for sect in self.body.iter(qn("w:sectPr")):
            for ref in list(sect.iter(qn("w:headerReference"))) + list(sect.iter(qn("w:footerReference"))):
                kinds[ref.get(qn("r:id"))] = f"{etree.QName(ref).localname[:6]}:{ref.get(qn('w:type'))}"
        out = []
        for rid, rel in self.document.part.rels.items():
            if rel.reltype in (RT.HEADER, RT.FOOTER):
                out.append((kinds.get(rid, "unreferenced"), rel.target_part.element))
        return out

    def all_roots(self) -> list[etree._Element]:
        return [self.document.element] + [root for _, root in self.header_footer_parts()]


# ---------------------------------------------------------------------------------------------
# Rule registry
# ---------------------------------------------------------------------------------------------

Check = Callable[[Doc], Iterable[str]]
RULES: list[tuple[str, tuple[str, ...], tuple[str, ...] | None, Check]] = []


def rule(tag: str, profiles: tuple[str, ...] = PROFILES,
         kinds: tuple[str, ...] | None = None) -> Callable[[Check], Check]:
    """Register a check for `profiles` (and only `kinds`, when given)."""
    def register(check: Check) -> Check:
        RULES.append((tag, profiles, kinds, check))
        return check
    return register


def check_document(path: str | os.PathLike[str], profile: str, kind: str, *,
                   roles: tuple[str, str] = ("THƯ KÝ", "CHỦ TỌA")) -> list[str]:
    """Return the violations of the §9 rules in the DOCX at `path` (empty: conforms).

    `profile` is "nd30" or "dang"; `kind` a key of :data:`KINDS`; `roles` the Biên bản
    signature headings (left, right).
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}")
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} (known: {', '.join(KINDS)})")
    doc = Doc(path, profile, kind, roles)
    out: list[str] = []
    for tag, profiles, kinds, check in RULES:
        if profile in profiles and (kinds is None or kind in kinds):
            out.extend(f"[{tag}] {message}" for message in check(doc))
    return out


def _q(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _sizes(doc: Doc, para: Para) -> set[float]:
    return {r.size for r in doc.runs(para)}


def _all(doc: Doc, para: Para, attr: str) -> bool:
    runs = doc.runs(para)
    return bool(runs) and all(getattr(r, attr) for r in runs)


def _none(doc: Doc, para: Para, attr: str) -> bool:
    return not any(getattr(r, attr) for r in doc.runs(para))


def _format(doc: Doc, para: Para, name: str, *, sizes: Iterable[float] | None = None,
            bold: bool | None = None, italic: bool | None = None,
            underline: bool | None = None, align: str | None = None,
            upper: bool | None = None) -> Iterator[str]:
    """Yield the differences between `para` and the expected format."""
    if sizes is not None and not _sizes(doc, para) <= set(sizes):
        yield f"{name} size {sorted(_sizes(doc, para))} not in {sorted(sizes)}"
    for attr, want, word in (("bold", bold, "bold"), ("italic", italic, "italic"),
                             ("underline", underline, "underlined")):
        if want is True and not _all(doc, para, attr):
            yield f"{name} must be {word}: {_q(para.text)}"
        if want is False and not _none(doc, para, attr):
            yield f"{name} must not be {word}: {_q(para.text)}"
    if align is not None and doc.align(para) != align:
        yield f"{name} alignment {doc.align(para)!r}, expected {align!r}"
    if upper is True and para.text != para.text.upper():
        yield f"{name} must be UPPER: {_q(para.text)}"
    if upper is False and para.text == para.text.upper():
        yield f"{name} must not be all UPPER: {_q(para.text)}"


def _one(doc: Doc, style: str, name: str) -> tuple[Para | None, list[str]]:
    found = doc.styled(style)
    if len(found) == 1:
        return found[0], []
    return (found[0] if found else None), [f"expected one {name} ({style}), found {len(found)}"]


def _rule_after(doc: Doc, para: Para, name: str, low: float, high: float,
                refs: Iterable[float]) -> Iterator[str]:
    """The paragraph after `para` is a rule whose length is in [low, high] × some ref."""
    nxt = doc.next_para(para)
    if nxt is None or not doc.has_rule(nxt) or nxt.text.strip():
        yield f"no rule (empty paragraph with a bottom border) after {name}"
        return
    length = doc.rule_length(nxt)
    refs = [r for r in refs if r > 0]
    if refs and not any(low * ref <= length <= high * ref for ref in refs):
        mm = ", ".join(f"{r / TWIPS_PER_MM:.1f}" for r in refs)
        yield (f"rule after {name} is {length / TWIPS_PER_MM:.1f} mm; expected "
               f"{low:.2f}–{high:.2f} × {mm} mm")


# ---------------------------------------------------------------------------------------------
# Page and text (both profiles)
# ---------------------------------------------------------------------------------------------


@rule("R1")
def page_size(doc: Doc) -> Iterator[str]:
    for i, section in enumerate(doc.document.sections, 1):
        width, height = section.page_width or 0, section.page_height or 0
        if width > height or (section.orientation or 0) != 0:
            yield f"section {i} is landscape"
        w, h = sorted((width, height))
        if abs(w - 210 * MM) > 0.2 * MM or abs(h - 297 * MM) > 0.2 * MM:
            yield f"section {i} page is {w / MM:.1f} × {h / MM:.1f} mm, not A4"


def _margins(doc: Doc) -> Iterator[tuple[int, str, float]]:
    for i, section in enumerate(doc.document.sections, 1):
        for name in ("top", "bottom", "left", "right"):
            yield i, name, (getattr(section, f"{name}_margin") or 0) / MM


@rule("R2", ("nd30",))
def margins_nd30(doc: Doc) -> Iterator[str]:
    ranges = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}
    for i, name, value in _margins(doc):
        low, high = ranges[name]
        if not low - 0.2 <= value <= high + 0.2:
            yield f"section {i} {name} margin {value:.1f} mm not in [{low}, {high}] mm"


@rule("R37", ("dang",))
def margins_dang(doc: Doc) -> Iterator[str]:
    want = {"top": 20, "bottom": 20, "left": 30, "right": 15}
    for i, name, value in _margins(doc):
        if abs(value - want[name]) > 0.2:
            yield f"section {i} {name} margin {value:.1f} mm, expected {want[name]} mm"
    for para in _page_number_paras(doc, "default"):
        if doc.align(para) != "center":
            yield "the page number paragraph is not centred"


@rule("R3")
def fonts_and_colour(doc: Doc) -> Iterator[str]:
    bad_fonts: dict[str, str] = {}
    bad_colours: dict[str, str] = {}
    for root in doc.all_roots():
        for p in root.iter(qn("w:p")):
            for r in p.iter(qn("w:r")):
                props = doc.run_props(p, r)
                if not props.text.strip() and r.find(qn("w:instrText")) is None:
                    continue
                for attr in ("ascii", "hAnsi", "cs"):
                    if props.fonts[attr] != "Times New Roman":
                        bad_fonts.setdefault(f"{attr}={props.fonts[attr]}", props.text)
                if props.color.lower() not in ("auto", "000000"):
                    bad_colours.setdefault(props.color, props.text)
    for font, text in bad_fonts.items():
        yield f"run font {font} (not Times New Roman), e.g. {_q(text)}"
    for colour, text in bad_colours.items():
        yield f"run colour {colour} (not auto/black), e.g. {_q(text)}"


def _field_paras(root: etree._Element) -> list[etree._Element]:
    """Paragraphs of `root` holding a PAGE field."""
    out = []
    for p in root.iter(qn("w:p")):
        instr = "".join(t.text or "" for t in p.iter(qn("w:instrText")))
        instr += " ".join(f.get(qn("w:instr"), "") for f in p.iter(qn("w:fldSimple")))
        if re.search(r"\bPAGE\b", instr):
            out.append(p)
    return out


def _page_number_paras(doc: Doc, ref: str) -> list[Para]:
    out = []
    for kind, root in doc.header_footer_parts():
        if kind == f"header:{ref}":
            out.extend(Para(p, -1, "", doc.para_text(p), None, None, None, None, doc.text_width)
                       for p in _field_paras(root))
    return out


@rule("R4")
def page_numbers(doc: Doc) -> Iterator[str]:
    sect = doc.document.sections[0]._sectPr
    if not _on(sect.find(qn("w:titlePg"))):
        yield "titlePg is off: page 1 would show the page number"
    for kind, root in doc.header_footer_parts():
        if kind == "header:first" and _field_paras(root):
            yield "the first-page header holds a PAGE field"
        if kind.startswith("footer") and _field_paras(root):
            yield f"a footer ({kind}) holds a PAGE field"
    paras = _page_number_paras(doc, "default")
    if not paras:
        yield "the default header holds no PAGE field"
    sizes = {14.0} if doc.profile == "dang" else {13.0, 14.0}
    for para in paras:
        if doc.align(para) != "center":
            yield "the page number is not centred"
        run_sizes = {doc.run_props(para.el, r).size for r in para.el.iter(qn("w:r"))}
        if not run_sizes <= sizes:
            yield f"page number size {sorted(run_sizes)} not in {sorted(sizes)}"


def _texts(doc: Doc) -> Iterator[str]:
    for root in doc.all_roots():
        for node in root.iter(qn("w:t"), qn("w:instrText")):
            if node.text:
                yield node.text


@rule("R5")
def nfc(doc: Doc) -> Iterator[str]:
    bad = [t for t in _texts(doc) if unicodedata.normalize("NFC", t) != t]
    combining = [t for t in _texts(doc) if re.search("[\u0300-\u036f]", t)]
    if bad:
        yield f"{len(bad)} text node(s) not in NFC, e.g. {_q(bad[0])}"
    if combining and not bad:
        yield f"combining marks (U+0300–U+036F) in text, e.g. {_q(combining[0])}"


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def tone_style(word: str) -> str | None:
    """"old" (hòa, thủy) / "new" (hoà, thuỷ) for an open syllable ending oa/oe/uy, else None."""
    letters = []  # (base letter, has tone mark)
    for ch in unicodedata.normalize("NFC", word.lower()):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        letters.append((base, any(c in TONES for c in parts)))
    bases = "".join(b for b, _ in letters)
    if len(letters) < 2 or bases[-2:] not in ("oa", "oe", "uy") or bases.startswith("qu"):
        return None
    if len(bases) > 2 and bases[-3] in "aăâeêioôơuưy":
        return None  # part of a longer vowel cluster
    if letters[-2][1]:
        return "old"
    if letters[-1][1]:
        return "new"
    return None


@rule("R6")
def tone_consistency(doc: Doc) -> Iterator[str]:
    seen: dict[str, set[str]] = {"old": set(), "new": set()}
    for text in _texts(doc):
        for word in re.findall(r"[^\W\d_]+", text):
            style = tone_style(word)
            if style:
                seen[style].add(word.lower())
    if seen["old"] and seen["new"]:
        yield ("tone styles mixed: traditional " + ", ".join(sorted(seen["old"])[:4])
               + " vs modern " + ", ".join(sorted(seen["new"])[:4]))


@rule("NUM")
def no_numbering(doc: Doc) -> Iterator[str]:
    roots = [*doc.all_roots(), doc.document.styles.element]
    count = sum(1 for root in roots for _ in root.iter(qn("w:numPr")))
    if count:
        yield f"{count} Word auto-numbering element(s) (w:numPr); numbers must be text"


# ---------------------------------------------------------------------------------------------
# ND30 header and title
# ---------------------------------------------------------------------------------------------


@rule("R7", ("nd30",))
def quoc_hieu(doc: Doc) -> Iterator[str]:
    para, errors = _one(doc, "VB Quốc hiệu", "Quốc hiệu")
    yield from errors
    if para is None:
        return
    if para.text not in QUOC_HIEU:
        yield f"Quốc hiệu text {_q(para.text)}"
    yield from _format(doc, para, "Quốc hiệu", sizes=(12, 13), bold=True, italic=False,
                       align="center")
    if not doc.in_header(para, -1):
        yield "Quốc hiệu is not in the right header cell"


@rule("R8", ("nd30",))
def tieu_ngu(doc: Doc) -> Iterator[str]:
    para, errors = _one(doc, "VB Tiêu ngữ", "Tiêu ngữ")
    yield from errors
    if para is None:
        return
    if para.text != TIEU_NGU:
        yield f"Tiêu ngữ text {_q(para.text)}, expected {_q(TIEU_NGU)}"
    yield from _format(doc, para, "Tiêu ngữ", sizes=(13, 14), bold=True, align="center")
    qh = doc.styled("VB Quốc hiệu")
    if qh and _sizes(doc, para) and _sizes(doc, qh[0]) and (
            min(_sizes(doc, para)) < max(_sizes(doc, qh[0]))):
        yield "Tiêu ngữ is smaller than the Quốc hiệu"
    yield from _rule_after(doc, para, "Tiêu ngữ", 0.85, 1.15, [doc.width_of(para)])


def _issuer_block(doc: Doc) -> tuple[list[Para], list[Para]]:
    parents = [p for p in doc.styled("VB Cơ quan cấp trên") if doc.in_header(p, 0)]
    issuers = [p for p in doc.styled("VB Cơ quan ban hành") if doc.in_header(p, 0)]
    return parents, issuers


@rule("R9", ("nd30",))
def issuer_nd30(doc: Doc) -> Iterator[str]:
    parents, issuers = _issuer_block(doc)
    if not issuers:
        yield "no issuing body (VB Cơ quan ban hành) in the left header cell"
        return
    for para in parents:
        yield from _format(doc, para, "parent body", sizes=(12, 13), bold=False, align="center",
                           upper=True)
    for para in issuers:
        yield from _format(doc, para, "issuing body", sizes=(12, 13), bold=True, align="center",
                           upper=True)
    refs = [max(doc.longest_line(p) for p in issuers),
            max(doc.longest_line(p) for p in parents + issuers)]
    yield from _rule_after(doc, issuers[-1], "the issuing body", 0.3, 0.55, refs)


def _so(doc: Doc, pattern: re.Pattern[str], sizes: tuple[float, ...]) -> Iterator[str]:
    found = doc.styled("VB Số ký hiệu")
    header = doc.header_table()
    stray = [p for p in doc.paras if p.table == header and header is not None
             and re.match(r"^Số\b", p.text) and p.style != "VB Số ký hiệu"]
    if not doc.spec.so:
        if found or stray:
            yield f"a {doc.kind} has no Số line, found {_q((found + stray)[0].text)}"
        return
    if len(found) != 1:
        yield f"expected one Số line (VB Số ký hiệu), found {len(found)}"
        return
    para = found[0]
    text = para.text
    if not pattern.match(text):
        yield f"Số {_q(text)} does not match {pattern.pattern}"
    if re.search(r"/\d{4}/", text):
        yield f"Số {_q(text)} carries a year (administrative documents do not)"
    if re.match(r"^Số:? ?[1-9][-/]", text):
        yield f"Số {_q(text)}: a number below 10 takes a leading zero"
    if " " in re.sub(r"^Số:? ?", "", text).strip():
        yield f"Số {_q(text)} has spaces inside the symbol"
    yield from _format(doc, para, "Số", sizes=sizes, bold=False, italic=False)
    if not doc.in_header(para, 0):
        yield "Số is not in the left header cell"


@rule("R10", ("nd30",))
def so_nd30(doc: Doc) -> Iterator[str]:
    yield from _so(doc, SO_ND30, (13,))


@rule("R32", ("dang",))
def so_dang(doc: Doc) -> Iterator[str]:
    yield from _so(doc, SO_DANG, (13, 14))
    for para in doc.styled("VB Số ký hiệu"):
        if para.text.startswith("Số:"):
            yield "Party Số has no colon"


def _date(doc: Doc, sizes: tuple[float, ...], usual: float) -> Iterator[str]:
    found = doc.styled("VB Địa danh ngày")
    header = doc.header_table()
    stray = [p for p in doc.paras if p.table == header and header is not None
             and DATE_LINE.match(p.text) and p.style != "VB Địa danh ngày"]
    if not doc.spec.date:
        if found or stray:
            yield f"a {doc.kind} has no place/date line, found {_q((found + stray)[0].text)}"
        return
    if len(found) != 1:
        yield f"expected one place/date line (VB Địa danh ngày), found {len(found)}"
        return
    para = found[0]
    if not DATE_LINE.match(para.text):
        yield f"date {_q(para.text)} does not match {DATE_LINE.pattern}"
    yield from _format(doc, para, "date", sizes=sizes, bold=False, italic=True, align="center")
    # One line in its cell (format-spec §2, header geometry) where the sizes allow it; a size
    # below the profile's usual one (Party 14) only where that one would not fit.
    used = max(_sizes(doc, para) or {usual})
    if text_width(para.text, used, italic=True) > para.width and (
            text_width(para.text, sizes[0], italic=True) <= para.width):
        yield f"date {_q(para.text)} at {used:g} pt breaks, though at {sizes[0]:g} pt it fits"
    if used < usual and text_width(para.text, usual, italic=True) <= para.width:
        yield f"date {_q(para.text)} set at {used:g} pt though it fits at {usual:g} pt"
    if not doc.in_header(para, -1):
        yield "the date is not in the right header cell"
    so = doc.styled("VB Số ký hiệu")
    if so and so[0].row != para.row:
        yield "Số and the date are not on the same header row"


@rule("R11", ("nd30",))
def date_nd30(doc: Doc) -> Iterator[str]:
    yield from _date(doc, (13, 14), 13)


@rule("R33", ("dang",))
def date_dang(doc: Doc) -> Iterator[str]:
    # 14 pt; 13 pt (ND30's size) for a line too wide for the Party's 90.8 mm column at 14
    # (docs/quyet-dinh-du-an.md).
    yield from _date(doc, (13, 14), 14)


def _title(doc: Doc, type_sizes: tuple[float, ...], yeu_sizes: tuple[float, ...]) -> Iterator[str]:
    para, errors = _one(doc, "VB Tên loại", "type name")
    yield from errors
    if para is None:
        return
    if para.text not in doc.spec.type_names:
        yield f"type name {_q(para.text)} not one of {doc.spec.type_names}"
    if para.in_table:
        yield "the type name is inside a table"
    yield from _format(doc, para, "type name", sizes=type_sizes, bold=True, align="center",
                       upper=True)
    yeu = doc.next_para(para)
    if yeu is None or yeu.style != "VB Trích yếu" or not yeu.text.strip():
        yield "the trích yếu (VB Trích yếu) does not follow the type name"
        return
    yield from _format(doc, yeu, "trích yếu", sizes=yeu_sizes, bold=True, align="center",
                       upper=False if doc.profile == "nd30" else None)
    last = yeu
    if doc.spec.kem_theo and (nxt := doc.next_para(yeu)) and nxt.style == "VB Kèm theo":
        last = nxt
    if doc.profile == "nd30":
        refs = [doc.longest_line(yeu), doc.longest_line(last)]
        yield from _rule_after(doc, last, "the trích yếu", 0.3, 0.55, refs)
    else:
        dash = doc.next_para(last)
        if dash is None or dash.text != "-----":
            yield "the trích yếu is not followed by a paragraph '-----'"
        elif doc.align(dash) != "center":
            yield "'-----' is not centred"


@rule("R12", ("nd30",))
def title_nd30(doc: Doc) -> Iterator[str]:
    yield from _title(doc, (13, 14), (13, 14))


@rule("R34", ("dang",))
def title_dang(doc: Doc) -> Iterator[str]:
    yield from _title(doc, (15, 16), (14, 15))


@rule("R13")
def symbol_matches_type(doc: Doc) -> Iterator[str]:
    so, names = doc.styled("VB Số ký hiệu"), doc.styled("VB Tên loại")
    if not so or not names:
        return
    table = TYPE_ABBR if doc.profile == "nd30" else TYPE_ABBR_DANG
    want = table.get(names[0].text)
    pattern = r"/([^-/]+)-" if doc.profile == "nd30" else r"-([^-/]+)/"
    found = re.search(pattern, so[0].text)
    if want and (found is None or found.group(1) != want):
        yield f"Số {_q(so[0].text)} does not carry the type abbreviation {want!r}"


# ---------------------------------------------------------------------------------------------
# Body (both profiles)
# ---------------------------------------------------------------------------------------------


@rule("R14")
def body_format(doc: Doc) -> Iterator[str]:
    paras = doc.body_paras()
    sizes: set[float] = set()
    problems: dict[str, str] = {}
    for para in paras:
        size = _sizes(doc, para)
        sizes |= size
        if not size <= {13.0, 14.0}:
            problems.setdefault(f"size {sorted(size)} not in [13, 14]", para.text)
        if doc.align(para) != "both":
            problems.setdefault(f"alignment {doc.align(para)!r}, not justified", para.text)
        _, _, first = doc.indents(para)
        if not any(abs(first - v) <= 10 for v in (567, 720)):
            problems.setdefault(f"first-line indent {first:.0f} twips not 567/720", para.text)
        before, after, line, line_rule = doc.spacing(para)
        if max(before, after) < 120:
            problems.setdefault("less than 6 pt between paragraphs", para.text)
        if line_rule == "auto":
            if line is not None and not 240 <= line <= 360:
                problems.setdefault(f"line spacing {line / 240:.2f} lines", para.text)
        elif line is not None and size:
            pt = max(size)
            if not 1.15 * pt - 0.01 <= line / 20 <= 1.5 * 1.15 * pt + 0.01:
                problems.setdefault(f"line spacing {line / 20:g} pt ({line_rule})", para.text)
    for problem, text in problems.items():
        yield f"body paragraph {problem}, e.g. {_q(text)}"
    if len(sizes) > 1:
        yield f"body paragraphs use several sizes {sorted(sizes)}"


@rule("R15")
def can_cu(doc: Doc) -> Iterator[str]:
    paras = doc.styled("VB Căn cứ")
    if doc.spec.can_cu and not paras:
        yield "no căn cứ (VB Căn cứ)"
    italic = doc.profile == "nd30"
    for para in paras:
        yield from _format(doc, para, "căn cứ", italic=italic)
    for para in paras[:-1]:
        if not para.text.rstrip().endswith(";"):
            yield f"căn cứ does not end with ';': {_q(para.text[-40:])}"
    if paras:
        ends = (".",) if doc.profile == "nd30" else (".", ",")
        if not paras[-1].text.rstrip().endswith(ends):
            yield f"the last căn cứ does not end with {' or '.join(ends)!r}: {_q(paras[-1].text[-40:])}"


def _label_bold(doc: Doc, para: Para, label: str) -> bool:
    """Whether the first len(label) characters of `para` are bold."""
    seen = 0
    for r in para.el.iter(qn("w:r")):
        props = doc.run_props(para.el, r)
        if not props.text:
            continue
        if not props.bold and props.text[: max(0, len(label) - seen)].strip():
            return False
        seen += len(props.text)
        if seen >= len(label):
            return True
    return seen >= len(label)


@rule("R16")
def structure(doc: Doc) -> Iterator[str]:
    paras = [p for p in doc.paras if not p.in_table and p.text.strip()]
    body_size = max((s for p in doc.styled("VB Nội dung") for s in _sizes(doc, p)), default=None)
    numbers: dict[str, list[int]] = {"Chương": [], "Phần": []}
    for i, para in enumerate(paras):
        heading = re.match(r"^(Chương|Phần) (\S+)$", para.text.strip())
        if heading and para.style not in BODY_STYLES:
            word, numeral = heading.groups()
            if numeral not in ROMAN:
                yield f"{word} numeral {numeral!r} is not Roman"
            else:
                numbers[word].append(ROMAN.index(numeral) + 1)
            yield from _format(doc, para, word, bold=True, align="center")
            nxt = paras[i + 1] if i + 1 < len(paras) else None
            if nxt is None:
                yield f"{para.text} has no heading"
            else:
                yield from _format(doc, nxt, f"{para.text} heading", bold=True, align="center",
                                   upper=True)
        muc = re.match(r"^Mục (\S+)$", para.text.strip())
        if muc and para.style not in BODY_STYLES:
            if not muc.group(1).isdigit():
                yield f"Mục number {muc.group(1)!r} is not Arabic"
            yield from _format(doc, para, "Mục", bold=True, align="center")
    for word, seq in numbers.items():
        if seq and seq != list(range(1, len(seq) + 1)):
            yield f"{word} numbering {seq} is not I, II, III, …"
    articles = doc.styled("VB Điều")
    seq = []
    for para in articles:
        m = re.match(r"^Điều (\d+)\.( |$)", para.text)
        if not m:
            yield f"article line does not start 'Điều n. ': {_q(para.text)}"
            continue
        seq.append(int(m.group(1)))
        if not _label_bold(doc, para, m.group(0).strip()):
            yield f"the label {m.group(0).strip()!r} is not bold"
        if body_size and _sizes(doc, para) - {body_size}:
            yield f"{m.group(0).strip()} size differs from the body size {body_size:g}"
    if seq and seq != list(range(1, len(seq) + 1)):
        yield f"articles are numbered {seq}, expected 1, 2, 3, …"
    yield from _handout_structure(doc)
    expected = 0
    for para in [p for p in doc.paras if not p.in_table]:
        if para.style in ("VB Điều", "VB Phần", "VB Mục") or re.match(r"^\d+\.\s", para.text):
            expected = 0
            continue
        m = re.match(r"^([a-zđ])\)\s", para.text)
        if m:
            letter = m.group(1)
            if expected >= len(DIEM) or letter != DIEM[expected]:
                want = DIEM[expected] if expected < len(DIEM) else "?"
                yield f"điểm {letter}) out of sequence (expected {want}))"
                expected = DIEM.index(letter) + 1 if letter in DIEM else expected + 1
            else:
                expected += 1


def _handout_structure(doc: Doc) -> Iterator[str]:
    """Handout parts ``I.``, ``II.`` … (VB Phần) and sections ``1.``, ``2.`` … restarting in
    each part (VB Mục), all bold."""
    part = section = 0
    for para in doc.styled("VB Phần", "VB Mục"):
        text = para.text.strip()
        if para.style == "VB Phần":
            section = 0
            m = re.match(r"^([IVXLC]+)\. ", text)
            if m is None:
                continue  # an unnumbered part, such as the discussion questions
            part += 1
            if m.group(1) != ROMAN[part - 1]:
                yield f"part {m.group(1)}. out of sequence (expected {ROMAN[part - 1]}.)"
            if text != text.upper():
                yield f"part heading is not upper case: {_q(text)}"
        else:
            section += 1
            m = re.match(r"^(\d+)\. ", text)
            if m is None or int(m.group(1)) != section:
                yield f"section {_q(text[:12])} out of sequence (expected {section}.)"
        yield from _format(doc, para, para.style, bold=True)


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def _signature_table(doc: Doc) -> int | None:
    names = [p for p in doc.styled("VB Người ký", "VB Thẩm quyền ký") if p.in_table]
    return names[-1].table if names else None


def _before_signature(doc: Doc) -> list[Para]:
    table = _signature_table(doc)
    paras = doc.body_paras()
    if table is None:
        return paras
    first = min(p.index for p in doc.paras if p.table == table)
    return [p for p in paras if p.index < first]


@rule("R17")
def closing_mark(doc: Doc) -> Iterator[str]:
    if not doc.spec.closing:
        return
    paras = _before_signature(doc)
    if paras and not paras[-1].text.rstrip().endswith("./."):
        yield f"the last body paragraph does not end with './.': {_q(paras[-1].text[-50:])}"


# ---------------------------------------------------------------------------------------------
# Signature and recipients
# ---------------------------------------------------------------------------------------------


def _borderless(doc: Doc, index: int) -> bool:
    tbl = doc.tables[index]
    tbl_pr = tbl.find(qn("w:tblPr"))
    sources = [tbl_pr]
    sid = _child_val(tbl_pr, "w:tblStyle")
    sources += [s.find(qn("w:tblPr")) for s in doc.sheet.chain(sid, "table")] if sid else []
    for source in sources:
        borders = None if source is None else source.find(qn("w:tblBorders"))
        if borders is not None:
            if any(b.get(qn("w:val")) not in ("nil", "none") for b in borders):
                return False
            break
    return all(b.get(qn("w:val")) in ("nil", "none")
               for tc_b in tbl.iter(qn("w:tcBorders")) for b in tc_b)


def _signature_cells(doc: Doc) -> tuple[int | None, list[list[Para]]]:
    table = _signature_table(doc)
    if table is None:
        return None, []
    cols: dict[int, list[Para]] = {}
    for p in doc.paras:
        if p.table == table and p.col is not None:
            cols.setdefault(p.col, []).append(p)
    return table, [cols[c] for c in sorted(cols)]


AUTHORITY = ("VB Thẩm quyền ký", "VB Chức vụ ký")


def _signature(doc: Doc) -> Iterator[str]:
    table, cells = _signature_cells(doc)
    if doc.spec.signature is None:
        if doc.styled("VB Người ký", *AUTHORITY):
            yield f"a {doc.kind} has no signature"
        return
    if table is None:
        yield "no signature table"
        return
    if len(cells) != 2:
        yield f"the signature table has {len(cells)} columns, expected 2"
        return
    if not _borderless(doc, table):
        yield "the signature table has borders"
    signers = cells if doc.spec.signature == "two" else cells[1:]
    for cell in signers:
        lines = [p for p in cell if p.style in AUTHORITY and p.text.strip()]
        if not any(p.style == "VB Người ký" and p.text.strip() for p in cell):
            yield "a signature cell has no signer's name"
        for para in lines:
            bold = True if (doc.profile == "nd30" or para.style == "VB Thẩm quyền ký") else None
            yield from _format(doc, para, "authority line", sizes=(13, 14), bold=bold,
                               align="center", upper=True)
        if doc.spec.signature != "signer" or not lines:
            continue
        first = lines[0].text
        if doc.profile == "nd30":
            if re.match(r"^(T/M|K/T|T/L)\b", first) or re.match(r"^(TM|KT|TL|TUQ|Q)(?!\. )\.?\s", first):
                yield f"authority prefix in {_q(first)} must be 'TM. ', 'KT. ', 'Q. ', 'TL. ' or 'TUQ. '"
        else:
            if re.match(r"^(TM|KT|TL|TUQ)\.", first):
                yield f"Party authority {_q(first)} must use T/M, K/T, T/L (not TM., KT., TL.)"
            elif re.match(r"^(T/M|K/T|T/L|TM|KT|TL)(?! )", first):
                yield f"Party authority prefix in {_q(first)} must be followed by one space"
    if doc.profile == "dang":
        for para in doc.styled("VB Chức vụ ký"):
            yield from _format(doc, para, "Party position line", bold=False)


@rule("R18", ("nd30",))
def signature_nd30(doc: Doc) -> Iterator[str]:
    yield from _signature(doc)


@rule("R35", ("dang",))
def signature_dang(doc: Doc) -> Iterator[str]:
    yield from _signature(doc)


@rule("R19")
def signer_name(doc: Doc) -> Iterator[str]:
    for para in doc.styled("VB Người ký"):
        yield from _format(doc, para, "signer's name", sizes=(13, 14), bold=True, align="center",
                           upper=False)
        if DEGREE.match(para.text):
            yield f"no degree or rank before the signer's name: {_q(para.text)}"


def _noi_nhan(doc: Doc) -> Iterator[str]:
    heads = doc.styled("VB Nơi nhận")
    items = doc.styled("VB Nơi nhận mục")
    where = doc.spec.noi_nhan
    if where is None:
        if heads or items:
            yield f"a {doc.kind} has no Nơi nhận"
        return
    if len(heads) != 1:
        yield f"expected one 'Nơi nhận:' (VB Nơi nhận), found {len(heads)}"
        return
    head = heads[0]
    table = _signature_table(doc)
    if where == "cell" and not (head.table == table and head.col == 0):
        yield "'Nơi nhận:' is not in the left cell of the signature table"
    if where == "below" and (head.in_table or (table is not None and head.index < max(
            p.index for p in doc.paras if p.table == table))):
        yield "'Nơi nhận:' is not below the signature table"
    if head.text != "Nơi nhận:":
        yield f"text {_q(head.text)}, expected 'Nơi nhận:'"
    if not items:
        yield "Nơi nhận has no items"
    for item in items:
        if not item.text.startswith("- "):
            yield f"recipient item does not start with '- ': {_q(item.text)}"
    if doc.profile == "nd30":
        yield from _format(doc, head, "'Nơi nhận:'", sizes=(12,), bold=True, italic=True,
                           align="left")
        left, _, first = doc.indents(head)
        if left or first:
            yield "'Nơi nhận:' is indented"
        for item in items:
            yield from _format(doc, item, "recipient item", sizes=(11,), bold=False)
        sep, last_ok = ";", bool(items) and LUU_ND30.match(items[-1].text)
        last_rule = "'- Lưu: VT[, …].'"
    else:
        yield from _format(doc, head, "'Nơi nhận:'", sizes=(14,), underline=True, italic=False)
        for item in items:
            yield from _format(doc, item, "recipient item", sizes=(12,))
        sep = ","
        last_ok = bool(items) and items[-1].text.startswith("- Lưu") and items[-1].text.endswith(".")
        last_rule = "'- Lưu … .'"
    if doc.spec.nhu_tren_first and items and items[0].text != f"- Như trên{sep}":
        yield f"the first recipient item must be '- Như trên{sep}'"
    for item in items[:-1]:
        if not item.text.endswith(sep):
            yield f"recipient item does not end with {sep!r}: {_q(item.text)}"
    if items and not last_ok:
        yield f"the last recipient item {_q(items[-1].text)} is not {last_rule}"


@rule("R20", ("nd30",))
def noi_nhan_nd30(doc: Doc) -> Iterator[str]:
    yield from _noi_nhan(doc)


@rule("R36", ("dang",))
def noi_nhan_dang(doc: Doc) -> Iterator[str]:
    yield from _noi_nhan(doc)


# ---------------------------------------------------------------------------------------------
# Document types
# ---------------------------------------------------------------------------------------------


@rule("R24", kinds=("quyet-dinh",))
def quyet_dinh(doc: Doc) -> Iterator[str]:
    pattern = r"^QUYẾT ĐỊNH:$" if doc.profile == "nd30" else r"^([A-ZĐ\w ]+ )?QUYẾT ĐỊNH:?$"
    verdicts = [p for p in doc.paras if not p.in_table and re.match(pattern, p.text.strip())
                and p.style != "VB Tên loại"]
    if len(verdicts) != 1:
        yield f"expected one verdict line 'QUYẾT ĐỊNH:', found {len(verdicts)}"
    else:
        verdict = verdicts[0]
        yield from _format(doc, verdict, "verdict", bold=True, align="center")
        can_cu = doc.styled("VB Căn cứ")
        if can_cu and verdict.index < can_cu[-1].index:
            yield "the verdict line comes before the last căn cứ"
        articles = doc.styled("VB Điều")
        if articles and verdict.index > articles[0].index:
            yield "the verdict line comes after Điều 1"
    articles = doc.styled("VB Điều")
    if len(articles) < doc.spec.min_articles:
        yield f"{len(articles)} article(s), expected at least {doc.spec.min_articles}"
    yeu = doc.styled("VB Trích yếu")
    if yeu and articles and re.match(r"^(ban hành|phê duyệt)", yeu[0].text, re.IGNORECASE):
        first = [p for p in doc.body_paras() if p.index >= articles[0].index]
        end = articles[1].index if len(articles) > 1 else None
        text = " ".join(p.text for p in first if end is None or p.index < end)
        if "kèm theo quyết định này" not in text.lower():
            yield "an adopting decision's Điều 1 must say 'kèm theo Quyết định này'"


@rule("R25", kinds=("quy-che",))
def quy_che(doc: Doc) -> Iterator[str]:
    lines = doc.styled("VB Kèm theo")
    if len(lines) != 1:
        yield f"expected one reference line (VB Kèm theo), found {len(lines)}"
        return
    line = lines[0]
    joined = " ".join(line.text.split("\n"))  # broken where a clerk breaks a centred line
    if not KEM_THEO[doc.profile].match(joined):
        yield f"reference line {_q(joined, 90)} does not match {KEM_THEO[doc.profile].pattern}"
    yield from _format(doc, line, "reference line", italic=True, align="center")
    yeu = doc.styled("VB Trích yếu")
    body = doc.body_paras() + doc.styled("VB Chương")
    if yeu and line.index < yeu[0].index:
        yield "the reference line is above the trích yếu"
    if body and line.index > min(p.index for p in body):
        yield "the reference line is not in the title block"


@rule("R26", kinds=("bien-ban",))
def bien_ban(doc: Doc) -> Iterator[str]:
    body = doc.body_paras()
    for label in ("Thời gian bắt đầu:", "Địa điểm:", "Thành phần tham dự:", "Chủ trì", "Thư ký"):
        if not any(p.text.startswith(label) for p in body):
            yield f"the body lacks the label {label!r}"
    _, cells = _signature_cells(doc)
    if len(cells) == 2:
        for cell, role, side in zip(cells, doc.roles, ("left", "right"), strict=True):
            heads = [p.text for p in cell if p.style == "VB Thẩm quyền ký" and p.text.strip()]
            if not heads or heads[0] != role:
                yield f"the {side} signature heading is {heads[:1]}, expected {role!r}"
    before = _before_signature(doc)
    closing = re.match(r"^(Cuộc họp|Hội nghị|Hội thảo) ", before[-1].text) if before else None
    if before and not (closing and before[-1].text.endswith("./.")):
        yield f"the last body paragraph must read 'Cuộc họp (Hội nghị) … ./.': {_q(before[-1].text)}"


# ---------------------------------------------------------------------------------------------
# Party header
# ---------------------------------------------------------------------------------------------


@rule("R30", ("dang",))
def tieu_de_dang(doc: Doc) -> Iterator[str]:
    para, errors = _one(doc, "VB Tiêu đề Đảng", "Party tiêu đề")
    yield from errors
    if para is not None:
        if para.text != TIEU_DE_DANG:
            yield f"Party tiêu đề text {_q(para.text)}"
        yield from _format(doc, para, "Party tiêu đề", sizes=(15, 16), bold=True, align="center",
                           upper=True)
        if not doc.in_header(para, -1):
            yield "the Party tiêu đề is not in the right header cell"
        yield from _rule_after(doc, para, "the Party tiêu đề", 0.85, 1.15, [doc.width_of(para)])
    for p in doc.paras:
        if p.text.strip() and (p.style in ("VB Quốc hiệu", "VB Tiêu ngữ")
                               or p.text.strip() in (*QUOC_HIEU, TIEU_NGU)):
            yield f"a Party document has no Quốc hiệu / Tiêu ngữ: {_q(p.text)}"


@rule("R31", ("dang",))
def issuer_dang(doc: Doc) -> Iterator[str]:
    parents, issuers = _issuer_block(doc)
    if not issuers:
        yield "no issuing body (VB Cơ quan ban hành) in the left header cell"
        return
    for para in parents:
        yield from _format(doc, para, "superior body", sizes=(14,), bold=False, align="center",
                           upper=True)
    for para in issuers:
        yield from _format(doc, para, "issuing body", sizes=(14,), bold=True, align="center",
                           upper=True)
    star = doc.next_para(issuers[-1])
    if star is None or star.text != "*":
        yield "the issuing body is not followed by a paragraph '*'"
    elif doc.align(star) != "center":
        yield "'*' is not centred"


# ---------------------------------------------------------------------------------------------
# Cross-document check
# ---------------------------------------------------------------------------------------------


def kem_theo_matches(quy_che_path: str | os.PathLike[str],
                     quyet_dinh_path: str | os.PathLike[str]) -> bool:
    """Whether the Quy chế's reference line carries the adopting decision's Số and date."""
    qc, qd = Doc(quy_che_path), Doc(quyet_dinh_path)
    line = qc.styled("VB Kèm theo")
    so = qd.styled("VB Số ký hiệu")
    date = qd.styled("VB Địa danh ngày")
    if not (line and so and date):
        return False
    ref = re.search(rf"số (\S+) ({DATE_PART})", " ".join(line[0].text.split("\n")))
    own_date = re.search(rf"({DATE_PART})$", date[0].text)
    # A number left blank for the văn thư: spaces on the Số line, "…" in running text.
    symbol = re.sub(r"^Số:? ?\s*", "", so[0].text).strip()
    cited = ref.group(1).lstrip("…") if ref else ""
    return bool(ref and own_date) and cited == symbol and ref.group(2) == own_date.group(1)
