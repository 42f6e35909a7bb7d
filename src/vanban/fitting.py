"""Pages that fit: find poor page breaks in a laid-out document and fit its typography.

A clerk who prints a document fixes by hand what Word leaves: a form meant for one sheet that
spills onto a second, a last page holding only the closing lines and the signature while the
page before stands half empty, a heading alone at the foot of a page, a page of blank list rows.
vanban lays its documents out itself, so after the first layout it looks for these *poor
breaks* and, when it finds one, sets the document again with one setting for the whole
document, chosen inside the ranges Nghị định 30 (and Hướng dẫn 36) allow:

* body size 13 or 14 pt;
* line spacing of the body from single (1.15 × the size, the line of Times New Roman) up to
  1.5 lines;
* space between paragraphs of at least 6 pt;
* top and bottom padding of the cells of a list table;
* the blank rows a list keeps for walk-ins (down to half of those the dossier asks for).

The setting is written into the DOCX itself (the body styles in ``styles.xml``, the tables'
cell margins, the rows of the list), and the PDF is laid out from that DOCX, so the two still
agree. Candidates are tried smallest change first, and only those the first layout predicts
will help, so most documents cost no extra layout at all. When no setting inside the ranges
removes a poor break, the best layout found is kept and the break is reported.

Lengths in the layout are CSS pixels (96 to the inch); lengths in the DOCX are twips.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lxml import etree

from vanban import text
from vanban.render.ooxml.package import Package, qn
from vanban.render.ooxml.zipped import unpack, zipped

if TYPE_CHECKING:
    from docx.document import Document

    from vanban.render.pdf import LaidOut


@functools.cache
def _qn(tag: str) -> str:
    """Return the Clark name of prefixed tag `tag` (``w:rPr``), as python-docx's ``qn`` does
    (this module does not import python-docx; the prefixes are the DOCX reader's)."""
    prefix, name = tag.split(":", 1)
    return qn(prefix, name)


#: Paragraph styles of the body: the settings of a fit apply to all of them at once.
BODY_STYLES = (
    "VB Nội dung", "VB Điều", "VB Căn cứ", "VB Nhãn", "VB Phần", "VB Mục", "VB Trích dẫn",
)
#: Headings that must not stand alone at the foot of a page.
HEADING_STYLES = frozenset({
    "VB Điều", "VB Chương", "VB Tên chương", "VB Phần", "VB Mục", "VB Nhãn",
    "VB Mục lục tiêu đề", "VB Quyết định",
})
#: The signature block and the recipients.
SIGNATURE_STYLES = frozenset({
    "VB Thẩm quyền ký", "VB Chức vụ ký", "VB Chữ ký trống", "VB Người ký", "VB Nơi nhận",
    "VB Nơi nhận mục",
})
#: Styles of a list table's cells (the header row and the rows).
TABLE_STYLES = frozenset({"VB Bảng", "VB Bảng tiêu đề"})
#: Notes under a list (its total line) and the page number: they do not make a page worth it.
NOTE_STYLES = frozenset({"VB Ghi chú", "VB Số trang"})
#: Forms meant for one sheet: more than one page is a poor break even when nothing fits it.
ONE_SHEET_KINDS = frozenset({"phieu-danh-gia"})

#: Body size range (pt), and the line spacing range as multiples of the size: single spacing
#: of Times New Roman is 1.15 times its size, and the decree allows up to 1.5 lines.
SIZES = (14.0, 13.0)
SINGLE = 1.15
MOST_LINES = 1.5
#: Space between paragraphs, in twips: at least 6 pt; fitting goes no further than 12 pt.
LEAST_SPACE, MOST_SPACE = 120, 240
#: Top and bottom padding of a list table's cells, in twips (at most 2 mm).
MOST_PADDING = 113

PX_PER_TWIP = 96 / 1440
MM = 96 / 25.4
#: A last page of only closing lines and the signature is poor when the page before has at
#: least this much of its text area empty.
EMPTY_BEFORE = 40 * MM
#: Most lines of body a last page may hold and still count as "only the closing lines".
CLOSING_LINES = 3
#: Fewest lines of body that stand above the signature on its page.
LINES_WITH_SIGNATURE = 2


# ---------------------------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Typography:
    """The body's typography: size (pt), exact line pitch and space before (twips)."""

    size: float
    line: int
    before: int
    padding: int = 0
    #: Size and exact line pitch of a list table's text (``VB Bảng``).
    table_size: float = 13.0
    table_line: int = 320

    @property
    def pitch(self) -> int:
        """Return the height of a one-line paragraph (twips)."""
        return self.line + self.before


@dataclass(frozen=True)
class Fit:
    """One setting for a whole document; ``None`` keeps what the template (or dossier) says."""

    size: float | None = None
    line: int | None = None
    before: int | None = None
    padding: int | None = None
    blank_rows: int | None = None
    #: Line pitch of a list table's text: it follows the body's line in proportion.
    table_line: int | None = None

    @property
    def is_default(self) -> bool:
        """Tell whether the setting changes nothing."""
        return self == Fit()

    def on(self, base: Typography) -> Typography:
        """Return `base` with this setting applied."""
        return Typography(
            self.size if self.size is not None else base.size,
            self.line if self.line is not None else base.line,
            self.before if self.before is not None else base.before,
            self.padding if self.padding is not None else base.padding,
            base.table_size,
            self.table_line if self.table_line is not None else base.table_line,
        )

    def describe(self, tables: bool = True) -> str:
        """Return the setting in a clerk's words (Vietnamese); `tables` False leaves out the
        line pitch of list tables, for a document that has none."""
        named = (
            ("cỡ chữ {}", self.size, 1), ("giãn dòng {} pt", self.line, 20),
            ("cách đoạn {} pt", self.before, 20),
            ("giãn dòng bảng {} pt", self.table_line if tables else None, 20),
            ("lề ô bảng {} pt", self.padding, 20),
        )
        parts = [label.format(text.so_thap_phan(value / scale))
                 for label, value, scale in named if value is not None]
        if self.blank_rows is not None:
            parts.append(f"{self.blank_rows} dòng trống")
        return ", ".join(parts) or "như mẫu"


def line_range(size: float) -> tuple[int, int]:
    """Return the exact line pitches (twips) allowed for body text of `size` pt."""
    return math.ceil(SINGLE * size * 20 - 1e-6), math.floor(MOST_LINES * SINGLE * size * 20)


def within_ranges(fit: Fit, base: Typography, blank_rows: int | None) -> bool:
    """Tell whether `fit` on `base` stays inside the decree's ranges."""
    t = fit.on(base)
    low, high = line_range(t.size)
    ok = t.size in SIZES and low <= t.line <= high and LEAST_SPACE <= t.before <= MOST_SPACE
    ok = ok and 0 <= t.padding <= MOST_PADDING
    low, high = line_range(t.table_size)
    ok = ok and (fit.table_line is None or low <= t.table_line <= high)
    if fit.blank_rows is not None:
        ok = ok and blank_rows is not None and blank_range(blank_rows)[0] <= fit.blank_rows <= (
            blank_rows)
    return ok


def grows(fit: Fit, base: Typography) -> bool:
    """Tell whether `fit` on `base` makes any of the body's lengths larger."""
    t = fit.on(base)
    return (t.size > base.size or t.line > base.line or t.before > base.before
            or t.padding > base.padding or t.table_line > base.table_line)


def blank_range(requested: int) -> tuple[int, int]:
    """Return the fewest and most blank rows a list asked for `requested` may keep."""
    return (requested + 1) // 2, requested


# ---------------------------------------------------------------------------------------------
# Writing a setting into the DOCX
# ---------------------------------------------------------------------------------------------


def body_typography(doc: Document) -> Typography | None:
    """Return the typography of the template's body style, or None if it has none."""
    return _typography(doc.styles.element, doc.element.body)


def _typography(styles: Any, body: Any) -> Typography | None:
    """Return the typography of the body style in `styles` (``w:styles``), with the cell
    padding of the list tables in `body` (``w:body``)."""
    named = _named(styles)
    style = named.get("VB Nội dung")
    if style is None:
        return None
    size = 14.0
    line, before = 360, 120
    rpr = style.find(_qn("w:rPr"))
    sz = rpr.find(_qn("w:sz")) if rpr is not None else None
    if sz is not None:
        size = int(sz.get(_qn("w:val"))) / 2
    spacing = style.find(f"{_qn('w:pPr')}/{_qn('w:spacing')}")
    if spacing is not None:
        before = int(spacing.get(_qn("w:before")) or 0)
        if spacing.get(_qn("w:lineRule")) == "exact" and spacing.get(_qn("w:line")):
            line = int(spacing.get(_qn("w:line")))
        else:
            # Auto line spacing in 240ths of a line of the size.
            line = round(int(spacing.get(_qn("w:line")) or 240) / 240 * SINGLE * size * 20)
    table = named.get("VB Bảng")
    table_size, table_line = 13.0, 320
    if table is not None:
        sz = table.find(f"{_qn('w:rPr')}/{_qn('w:sz')}")
        table_size = int(sz.get(_qn("w:val"))) / 2 if sz is not None else table_size
        spacing = table.find(f"{_qn('w:pPr')}/{_qn('w:spacing')}")
        if spacing is not None and spacing.get(_qn("w:lineRule")) == "exact":
            table_line = int(spacing.get(_qn("w:line")))
    return Typography(size, line, before, _padding(styles, body), table_size, table_line)


def with_table(fit: Fit, base: Typography) -> Fit:
    """Return `fit` with the list tables' line pitch following the body's, inside its range."""
    if fit.line is None:
        return fit
    low, high = line_range(base.table_size)
    line = min(max(round(base.table_line * fit.line / base.line), low), high)
    return Fit(fit.size, fit.line, fit.before, fit.padding, fit.blank_rows,
               line if line != base.table_line else None)


def typography_of(docx: bytes | Package) -> Typography | None:
    """Return the body typography of DOCX bytes `docx`, or of the package opened from them
    (see :func:`body_typography`)."""
    # Read with the PDF renderer's own DOCX reader, already imported where documents are
    # laid out: python-docx takes about 65 ms to import, which a rebuild would otherwise pay
    # only to read the styles of the one document it lays out again. The layout's own
    # package has its parts parsed already (2 to 3 ms a document).
    package = docx if isinstance(docx, Package) else Package(docx)
    main = package.xml(package.main_name)
    styles_name = package.related(package.main_name, "styles")
    styles = package.xml(styles_name) if styles_name else None
    body = main.find(_qn("w:body")) if main is not None else None
    if styles is None or body is None:
        return None
    return _typography(styles, body)


def apply(doc: Document, fit: Fit) -> None:
    """Write `fit` into `doc`: the body styles, and the cell margins of its list tables."""
    _apply(doc.styles.element, doc.element.body, fit)


#: How python-docx reads the parts it writes back (:func:`applied` reads them the same way).
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


def applied(docx: bytes, fit: Fit) -> bytes | None:
    """Return DOCX `docx`, as :func:`vanban.render.docx.render_docx` wrote it without a
    setting, set as `fit`: byte for byte what rendering it again with `fit` gives, in a few
    milliseconds instead of 30–100 (the DOCX renderer, its import and the template's first
    reading, in the process that lays out). None when `fit` keeps fewer blank rows in a list
    (the rows come from the data: the document must be rendered again) or the package lacks
    the parts the setting goes into.
    """
    if fit.blank_rows is not None:
        return None
    parts = unpack(docx)
    package = Package(docx, parts)
    main = package.main_name
    styles_name = package.related(main, "styles")
    if styles_name is None or styles_name not in parts:
        return None
    roots = {name: etree.fromstring(parts[name], _PARSER) for name in (main, styles_name)}
    body = roots[main].find(_qn("w:body"))
    if body is None:
        return None
    _apply(roots[styles_name], body, fit)
    for name, root in roots.items():
        # As python-docx writes a part (``serialize_part_xml``).
        parts[name] = etree.tostring(root, encoding="UTF-8", standalone=True)
    return zipped(parts.items())


def _apply(styles: Any, body: Any, fit: Fit) -> None:
    """Write `fit` into `styles` (``w:styles``) and the list tables of `body` (``w:body``)."""
    named = _named(styles)
    for name in (*BODY_STYLES, *sorted(TABLE_STYLES)):
        style = named.get(name)
        if style is None:
            continue
        line = fit.line
        if name in TABLE_STYLES:
            if fit.table_line is None:
                continue
            line = fit.table_line
        elif fit.size is not None:
            rpr = _child(style, "w:rPr", after=("w:name", "w:basedOn", "w:next", "w:qFormat",
                                               "w:pPr"))
            for tag in ("w:sz", "w:szCs"):
                _child(rpr, tag, after=("w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps",
                                        "w:color", "w:spacing", "w:w", "w:kern",
                                        "w:position", "w:sz")).set(
                    _qn("w:val"), str(round(fit.size * 2)))
        if line is not None or fit.before is not None:
            ppr = _child(style, "w:pPr", after=("w:name", "w:basedOn", "w:next", "w:qFormat"))
            spacing = _child(ppr, "w:spacing", after=(
                "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:widowControl",
                "w:numPr", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens"))
            if line is not None:
                spacing.set(_qn("w:line"), str(line))
                spacing.set(_qn("w:lineRule"), "exact")
            if fit.before is not None and name not in TABLE_STYLES:
                spacing.set(_qn("w:before"), str(fit.before))
    if fit.padding is not None:
        for margins in _list_cell_margins(styles, body):
            for side in ("top", "bottom"):
                edge = margins.find(_qn(f"w:{side}"))
                if edge is None:
                    edge = etree.SubElement(margins, _qn(f"w:{side}"))
                    margins.insert(0 if side == "top" else len(margins), edge)
                edge.set(_qn("w:w"), str(fit.padding))
                edge.set(_qn("w:type"), "dxa")


def _named(styles: Any) -> dict[str, Any]:
    """Return the ``w:style`` elements of `styles` by name (the first of a name, as Word
    reads them)."""
    found: dict[str, Any] = {}
    for style in styles.iter(_qn("w:style")):
        el = style.find(_qn("w:name"))
        if el is not None:
            found.setdefault(el.get(_qn("w:val")), style)
    return found


def _child(parent: Any, tag: str, *, after: tuple[str, ...]) -> Any:
    """Return `parent`'s `tag` child, adding it after its schema predecessors `after`."""
    found = parent.find(_qn(tag))
    if found is not None:
        return found
    names = {_qn(t) for t in after}
    index = 0
    for i, child in enumerate(parent):
        if child.tag in names:
            index = i + 1
    el = etree.SubElement(parent, _qn(tag))  # made in the tree: it takes the tree's prefix
    parent.insert(index, el)
    return el


def _list_tables(styles: Any, body: Any) -> Iterator[Any]:
    """Yield the tables of `body` whose cells are set in the list style (``VB Bảng``)."""
    ids = {style.get(_qn("w:styleId")) for style in styles.iter(_qn("w:style"))
           if (name := style.find(_qn("w:name"))) is not None
           and name.get(_qn("w:val")) in TABLE_STYLES}
    for tbl in body.iter(_qn("w:tbl")):
        used = {el.get(_qn("w:val")) for el in tbl.iter(_qn("w:pStyle"))}
        if used & ids:
            yield tbl


def _list_cell_margins(styles: Any, body: Any) -> Iterator[Any]:
    """Yield the cell margins (``w:tblCellMar``) of each list table, adding them if missing."""
    for tbl in _list_tables(styles, body):
        tbl_pr = tbl.find(_qn("w:tblPr"))
        margins = tbl_pr.find(_qn("w:tblCellMar"))
        if margins is None:
            margins = _child(tbl_pr, "w:tblCellMar", after=(
                "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
                "w:tblBorders", "w:shd", "w:tblLayout"))
        yield margins


def _padding(styles: Any, body: Any) -> int:
    """Return the top cell margin of the first list table (0 when it sets none)."""
    for tbl in _list_tables(styles, body):
        top = tbl.find(f"{_qn('w:tblPr')}/{_qn('w:tblCellMar')}/{_qn('w:top')}")
        return int(top.get(_qn("w:w"))) if top is not None else 0
    return 0


# ---------------------------------------------------------------------------------------------
# Reading the layout
# ---------------------------------------------------------------------------------------------


@dataclass
class LaidBlock:
    """A paragraph (or the part of one) on a page."""

    style: str
    top: float
    bottom: float
    lines: int
    #: Its text, in a table's rows and in headings (empty elsewhere: no rule reads it).
    text: str
    #: Index of the table row holding it on this page, or None outside list tables.
    row: int | None = None


@dataclass
class Row:
    """A row of a list table on a page."""

    height: float
    #: Height of the cells' text (a row held taller by its minimum height has slack).
    content: float
    #: Most lines in one of its cells.
    lines: int
    #: A row of a list table (``VB Bảng``), not of a layout table (header, signature).
    listed: bool
    header: bool
    blank: bool


@dataclass
class Page:
    """What a page holds, for the break rules."""

    number: int
    top: float
    bottom: float
    blocks: list[LaidBlock] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    #: The page ends at a forced break (the next page's first paragraph starts a page by
    #: force, as after a table of contents): its empty foot is not room for what follows.
    forced: bool = False

    @property
    def used(self) -> float:
        """Return the height from the top of the text area to the end of its content."""
        ends = [b.bottom for b in self.blocks if b.style != "VB Số trang"]
        return max(ends, default=self.top) - self.top

    @property
    def empty(self) -> float:
        """Return the empty height at the foot of the text area."""
        return max(self.bottom - self.top - self.used, 0.0)

    def content(self) -> list[LaidBlock]:
        """Return the blocks of the page's text area, in reading order."""
        return [b for b in self.blocks if b.style != "VB Số trang"]

    def body_lines(self) -> int:
        """Return how many lines of body paragraphs the page holds."""
        return sum(b.lines for b in self.blocks if b.style in BODY_STYLES and b.row is None)


@dataclass(frozen=True)
class Break:
    """A poor page break: its kind (1–4, as in the module's rules), page and description."""

    kind: int
    page: int
    what: str

    def __str__(self) -> str:
        return f"trang {self.page}: {self.what}"


def read_pages(laid: LaidOut) -> list[Page]:
    """Return what each page of `laid` holds."""
    pages: list[Page] = []
    ending: Any = None  # the element of the last paragraph of the page before
    for number, page in enumerate(laid.document.pages, 1):
        box = page._page_box
        top = box.content_box_y()
        info = Page(number, top, top + box.height)
        areas = [c for c in box.children if type(c).__name__ != "MarginBox"]
        for child in areas:
            _walk(child, info, None)
        first = next((p for c in areas for p in _paragraph_boxes(c)), None)
        # A paragraph split over the break keeps its style: only its first part starts a page.
        if pages and first is not None and first.style["break_before"] in FORCED and (
                first.element is not ending):
            pages[-1].forced = True
        last = next((p for c in reversed(areas) for p in _paragraph_boxes(c, last=True)),
                    None)
        ending = last.element if last is not None else None
        pages.append(info)
    return pages


#: Values of ``break-before`` that start a page by force.
FORCED = frozenset({"page", "left", "right", "recto", "verso"})


def _paragraph_boxes(box: Any, *, last: bool = False) -> Iterator[Any]:
    """Yield the paragraph boxes (with a style name) under `box`, from the last if `last`."""
    element = getattr(box, "element", None)
    if (element is not None and hasattr(element, "get") and element.get("data-style")
            and type(box).__name__ == "BlockBox" and _is_paragraph(box)):
        yield box
        return
    children = getattr(box, "children", None) or []
    for child in reversed(children) if last else children:
        yield from _paragraph_boxes(child, last=last)


def _walk(box: Any, page: Page, row: int | None) -> None:
    kind = type(box).__name__
    if kind == "TableRowBox":
        styles: set[str] = set()
        texts: list[str] = []
        before = len(page.blocks)
        index = len(page.rows)
        for cell in box.children:
            for child in cell.children:
                _walk(child, page, index)
        for block in page.blocks[before:]:
            styles.add(block.style)
            texts.append(block.text.strip())
        mine = page.blocks[before:]
        content = max((b.bottom for b in mine), default=0.0) - min(
            (b.top for b in mine), default=0.0)
        lines = max((b.lines for b in mine), default=0)
        if styles and styles <= TABLE_STYLES:
            header = "VB Bảng tiêu đề" in styles
            blank = not header and all(not t or t.isdigit() for t in texts) and not any(
                texts[1:])
            page.rows.append(Row(box.margin_height(), content, lines, True, header, blank))
        else:
            page.rows.append(Row(box.margin_height(), content, lines, False, False, False))
            for block in page.blocks[before:]:
                block.row = None
        return
    element = getattr(box, "element", None)
    style = element.get("data-style") if element is not None and hasattr(element, "get") else None
    if style and kind in ("BlockBox", "TableCellBox") and _is_paragraph(box):
        count = sum(type(c).__name__ == "LineBox" for c in box.children)
        page.blocks.append(LaidBlock(
            style, box.border_box_y(), box.border_box_y() + box.border_height(), count,
            # Read by the rules only in a table's rows and in headings: about half of the
            # reading of a page is spent joining the text of its boxes.
            _text(box) if row is not None or style in HEADING_STYLES else "",
            row if style in TABLE_STYLES else None,
        ))
        return
    for child in getattr(box, "children", None) or []:
        _walk(child, page, row)


def _is_paragraph(box: Any) -> bool:
    return any(type(c).__name__ == "LineBox" for c in box.children) or not box.children


def _text(box: Any) -> str:
    if hasattr(box, "text") and type(box).__name__ == "TextBox":
        return str(box.text)
    return "".join(_text(c) for c in getattr(box, "children", None) or [])


def find_breaks(pages: list[Page], kind: str) -> list[Break]:
    """Return the poor breaks of kinds 2–4 in `pages`, and kind 1 for a one-sheet form."""
    found: list[Break] = []
    if kind in ONE_SHEET_KINDS and len(pages) > 1:
        found.append(Break(1, 2, "mẫu một tờ sang trang thứ hai"))
    for page in pages[:-1]:
        content = page.content()
        if content and content[-1].style in HEADING_STYLES and content[-1].row is None:
            found.append(Break(3, page.number, f"đề mục “{_short(content[-1].text)}” nằm cuối trang"))
    for page in pages[1:]:
        rows = [r for r in page.rows if r.listed and not r.header]
        others = [b for b in page.content() if b.row is None and b.style not in NOTE_STYLES
                  and b.style not in TABLE_STYLES]
        if rows and all(r.blank for r in rows) and not others:
            found.append(Break(4, page.number, f"trang chỉ có {len(rows)} dòng trống của danh sách"))
    if len(pages) > 1:
        last, before = pages[-1], pages[-2]
        signed = any(b.style in SIGNATURE_STYLES for b in last.content())
        lines = last.body_lines()
        tables = [r for r in last.rows if r.listed and not r.header and not r.blank]
        if signed and lines < LINES_WITH_SIGNATURE and not tables:
            found.append(Break(2, last.number, "khối chữ ký không kèm đủ hai dòng nội dung"))
        elif signed and lines <= CLOSING_LINES and not tables and before.empty >= EMPTY_BEFORE:
            found.append(Break(2, last.number, "trang cuối chỉ có câu kết và chữ ký, trang trước "
                               f"trống {before.empty / MM:.0f} mm"))
    return found


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------------------------------
# Predicting a setting's effect from the first layout
# ---------------------------------------------------------------------------------------------

#: Space a page break wastes on average (keep-together chains, rows that do not split).
WASTE = 10 * MM
#: Room a prediction must leave before it is worth a layout.
MARGIN = 4 * MM
#: Most layouts the search makes besides the first.
MOST_TRIES = 2


def _growth(page: Page, base: Typography, t: Typography, drop: int) -> float:
    """Return how much taller page `page`'s content gets under `t` (negative: shorter).

    `drop` is how many of the page's blank list rows go (the last ones).
    """
    px = PX_PER_TWIP
    delta = 0.0
    for block in page.blocks:
        if block.style not in BODY_STYLES or block.row is not None or not block.lines:
            continue
        lines = block.lines
        if t.size != base.size and lines > 1:
            lines = math.ceil(lines * t.size / base.size)
        delta += (lines * t.line - block.lines * base.line + t.before - base.before) * px
    listed = [r for r in page.rows if r.listed]
    for row in listed:
        change = row.lines * (t.table_line - base.table_line) * px + 2 * (
            t.padding - base.padding) * px
        if row.height - row.content > 2 * (base.padding * px) + 2:
            # Held by its minimum height: it changes only when its text outgrows it.
            change = max(0.0, row.content + change - row.height)
        delta += change
    blanks = [r for r in listed if r.blank]
    if drop:
        delta -= sum(r.height for r in blanks[-drop:])
        if drop >= len(blanks) and all(r.blank or r.header for r in listed):
            delta -= sum(r.height for r in listed if r.header)
    return delta


def _drops(pages: list[Page], removed: int) -> list[int]:
    """Spread `removed` blank rows over the pages, from the last."""
    out = [0] * len(pages)
    for i in range(len(pages) - 1, -1, -1):
        here = min(removed, sum(r.blank for r in pages[i].rows))
        out[i] = here
        removed -= here
    return out


def _predicted_height(pages: list[Page], base: Typography, fit: Fit,
                      blank_rows: int | None) -> float:
    """Return the height of all the content under `fit`, as if it ran on one long page."""
    t = fit.on(base)
    removed = (blank_rows or 0) - fit.blank_rows if fit.blank_rows is not None else 0
    drops = _drops(pages, removed)
    return _flowing(pages, [p.used + _growth(p, base, t, d)
                            for p, d in zip(pages, drops, strict=True)])


def _flowing(pages: list[Page], heights: list[float]) -> float:
    """Return the height of pages holding `heights` once they run on: a page that ends at
    a forced break keeps its whole text area."""
    area = pages[0].bottom - pages[0].top
    return sum(max(h, area) if p.forced and i < len(pages) - 1 else h
               for i, (p, h) in enumerate(zip(pages, heights, strict=True)))


def _cost(fit: Fit, base: Typography, blank_rows: int | None) -> float:
    """Return how big a change `fit` is, for choosing the smallest."""
    t = fit.on(base)
    cost = abs(t.pitch - base.pitch) / base.pitch + abs(t.padding - base.padding) / 200
    cost += 0.05 * (t.size != base.size)
    if fit.blank_rows is not None and blank_rows is not None:
        cost += 0.02 * (blank_rows - fit.blank_rows)
    return cost


def _setting(base: Typography, size: float, line: int, before: int, padding: int,
             blank: int | None) -> Fit:
    """Return the setting that gives these values, naming only what differs from `base`."""
    return with_table(Fit(
        size if size != base.size else None,
        line if line != base.line else None,
        before if before != base.before else None,
        padding if padding != base.padding else None,
        blank,
    ), base)


def _tightest(base: Typography, blank_rows: int | None) -> Fit | None:
    """Return the setting every shrinking candidate is at least as tall as: the least size
    inside the ranges, its least line pitch and the fewest blank rows (None: no size inside
    the ranges is smaller than or equal to the base's).

    The predicted height grows with each of them, so when even this one is predicted not to
    fit, no candidate is, and the candidates need not be weighed one by one (most documents
    of several pages are so: their last page is well filled).
    """
    sizes = [s for s in SIZES if s <= base.size]
    if not sizes:
        return None
    size = min(sizes)
    rows = blank_range(blank_rows)[0] if blank_rows else None
    return _setting(base, size, line_range(size)[0], base.before, base.padding, rows)


def _candidates(base: Typography, blank_rows: int | None, *, shrink: bool) -> list[Fit]:
    """Return every setting inside the ranges that shrinks (or grows) the body, smallest first.

    Line pitches go in steps of half a point, plus the least the range allows.
    """
    found: set[Fit] = set()
    if shrink:
        least = blank_range(blank_rows)[0] if blank_rows else 0
        rows: list[int | None] = [None, *range((blank_rows or 0) - 1, least - 1, -1)]
        for size in (s for s in SIZES if s <= base.size):
            low, high = line_range(size)
            for line in {*range(low, min(high, base.line) + 1, 10), low}:
                for blank in rows:
                    found.add(_setting(base, size, line, base.before, base.padding, blank))
    else:
        low, high = line_range(base.size)
        for line in range(max(low, base.line), high + 1, 10):
            for before in range(base.before, MOST_SPACE + 1, 40):
                for padding in (base.padding, MOST_PADDING):
                    found.add(_setting(base, base.size, line, before, padding, None))
    fits = [f for f in found if not f.is_default and within_ranges(f, base, blank_rows)]
    return sorted(fits, key=lambda f: (_cost(f, base, blank_rows), f.describe()))


# ---------------------------------------------------------------------------------------------
# The search
# ---------------------------------------------------------------------------------------------


@dataclass
class Fitted:
    """The outcome of fitting one document."""

    docx: bytes
    #: The layout kept (dropped once its PDF is written, so the outcome can travel between
    #: processes).
    laid: LaidOut | None
    fit: Fit
    #: Poor breaks of the first layout (kind 1 only when a fitted layout proved it).
    before: list[Break]
    #: Poor breaks of the layout kept.
    after: list[Break]
    #: Layouts made besides the first.
    layouts: int = 0
    pages_before: int = 0
    #: Blank list rows the dossier asked for (None: not a list).
    blank_rows: int | None = None
    #: Pages of the layout kept.
    pages: int = 0
    #: Whether the document has a list table (its setting names the tables' line pitch).
    listed: bool = False

    def note(self, name: str) -> str | None:
        """Return the line telling the clerk how document `name` was set, if it was."""
        if self.fit.is_default:
            return None
        return (f"Đã căn trang {name}: {self.fit.describe(self.listed)} "
                f"({self.pages_before} → {self.pages} trang)")


Renderer = Callable[[Fit], bytes]
LayOut = Callable[[bytes], "LaidOut"]


def fit(docx: bytes, laid: LaidOut, kind: str, render: Renderer, lay_out: LayOut,
        blank_rows: int | None = None) -> Fitted:
    """Fit document `docx` (laid out as `laid`) of `kind`; `render` sets it with a setting.

    `blank_rows` is the number of blank list rows the dossier asks for (None: not a list).
    A document without the body style (a template of the clerk's own) is kept as it is.
    """
    pages = read_pages(laid)
    breaks = find_breaks(pages, kind)
    result = Fitted(docx, laid, Fit(), list(breaks), list(breaks), 0, len(pages), blank_rows,
                    len(pages), any(row.listed for page in pages for row in page.rows))
    if len(pages) == 1 and not breaks:
        return result
    base = typography_of(laid.package)
    if base is None:
        return result
    area = pages[0].bottom - pages[0].top
    tries: list[Fit] = []
    if len(pages) > 1:
        # Kind 1: could the content go on one page fewer?
        room = (len(pages) - 1) * area - (len(pages) - 2) * WASTE
        fits: list[Fit] = []
        least = _tightest(base, blank_rows)  # when even it is predicted not to fit, none is
        if least is not None and _predicted_height(pages, base, least, blank_rows) <= (
                room - MARGIN):
            fits = [f for f in _candidates(base, blank_rows, shrink=True)
                    if _predicted_height(pages, base, f, blank_rows) <= room - MARGIN]
        if fits:
            tries.append(fits[0])
        if kind in ONE_SHEET_KINDS or fits:
            # A form meant for one sheet is worth the tightest setting even against the odds.
            every = fits or _candidates(base, blank_rows, shrink=True)
            tightest = max(every, key=lambda f: _cost(f, base, blank_rows), default=None)
            if tightest is not None and tightest not in tries:
                tries.append(tightest)
    shrinking = bool(tries)
    if not tries and breaks:
        tries.extend([*_growths(pages, breaks, base, blank_rows, area),
                      *_pulls(pages, breaks, base, blank_rows)][:MOST_TRIES])
    best_key = (len(breaks), len(pages), 0.0)
    for candidate in tries[:MOST_TRIES]:
        new_docx = render(candidate)
        new_laid = lay_out(new_docx)
        result.layouts += 1
        new_breaks = find_breaks(read_pages(new_laid), kind)
        key = (len(new_breaks), new_laid.pages, _cost(candidate, base, blank_rows))
        if new_laid.pages <= len(pages) and key < best_key:
            best_key = key
            result.docx, result.laid, result.fit, result.after = (
                new_docx, new_laid, candidate, new_breaks)
            result.pages = new_laid.pages
            if new_laid.pages < len(pages) and not any(b.kind == 1 for b in result.before):
                result.before.append(Break(1, len(pages), "có thể gọn hơn một trang"))
        if not new_breaks and (new_laid.pages < len(pages) or not shrinking):
            break
    return result


def _growths(pages: list[Page], breaks: list[Break], base: Typography,
             blank_rows: int | None, area: float) -> list[Fit]:
    """Return the settings predicted to move the breaks of kinds 2 and 3, smallest first.

    The page before such a break grows until its last lines go over, while the last page
    keeps room for what comes to it.
    """
    out: list[Fit] = []
    for candidate in _candidates(base, blank_rows, shrink=False):
        t = candidate.on(base)
        ok = True
        for brk in breaks:
            if brk.kind not in (2, 3):
                ok = False
                break
            page = pages[brk.page - 2] if brk.kind == 2 else pages[brk.page - 1]
            if _growth(page, base, t, 0) < page.empty + MARGIN:
                ok = False
        total = _flowing(pages, [p.used + _growth(p, base, t, 0) for p in pages])
        if ok and total <= len(pages) * area - (len(pages) - 1) * WASTE - MARGIN:
            out.append(candidate)
    return out


def _pulls(pages: list[Page], breaks: list[Break], base: Typography,
           blank_rows: int | None) -> list[Fit]:
    """Return the settings predicted to move headings left at a page foot, smallest first.

    The page holding such a heading shrinks until it has room for the two first lines of
    what follows it (the heading keeps with them), when no growth pushes the heading over.
    """
    if not breaks or any(b.kind != 3 or b.page >= len(pages) for b in breaks):
        return []
    out: list[Fit] = []
    for candidate in _candidates(base, blank_rows, shrink=True):
        if candidate.blank_rows is not None:
            continue
        t = candidate.on(base)
        ok = True
        for brk in breaks:
            page, following = pages[brk.page - 1], pages[brk.page].content()
            lines = min(following[0].lines, 2) if following else 2
            need = (lines * t.line + t.before) * PX_PER_TWIP + MARGIN
            ok = ok and page.empty - _growth(page, base, t, 0) >= need
        if ok:
            out.append(candidate)
    return out


def warning(name: str, brk: Break) -> str:
    """Return the one-line warning for a poor break no setting inside the ranges removed."""
    return (f"{name}: {brk}; không có cách trình bày nào trong khung cho phép của nghị định "
            "khắc phục được")
