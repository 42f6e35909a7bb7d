"""Build block content: paragraphs with Word's spacing rules, and tables."""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lxml import etree

from vanban.errors import PdfError
from vanban.render.ooxml.context import Shared, Where
from vanban.render.ooxml.css import (
    Decls,
    border,
    font_size,
    indents,
    paragraph_decls,
    spacing,
    twips,
)
from vanban.render.ooxml.inline import InlineBuilder, TabLayout, render_segment, split_pages
from vanban.render.ooxml.package import MARKERS, NS, qn, w, wval
from vanban.render.ooxml.properties import (
    NO_BORDER,
    Border,
    Props,
    parse_cell,
    parse_para,
    parse_row,
    parse_run,
    parse_table,
)

#: Block-level elements that carry no content of their own.
#: Most columns a table may have (Word allows 63; the rest is room for other editors).
MAX_COLUMNS = 200
_SKIP = MARKERS | frozenset(
    {
        "sectPr",
        "tblPr",
        "tblGrid",
        "tcPr",
        "trPr",
        "tblPrEx",
        "sdtPr",
        "sdtEndPr",
        "customXmlPr",
    }
)
_VALIGN = {"top": "top", "center": "middle", "both": "middle", "bottom": "bottom"}
#: Word's cell margins when no table style sets them (Normal Table: 0.19 cm).
_DEFAULT_CELL_MARGINS = {"top": 0, "bottom": 0, "left": 108, "right": 108}
#: Paragraph styles of a signature block, with the HTML id prefix their paragraphs get
#: (numbered in document order): the PDF layer finds each signer's box from the laid-out
#: rectangles of these ids (:func:`vanban.render.pdf.signature_boxes`).
SIGNATURE_IDS = {
    "VB Thẩm quyền ký": "vb-ky-tren",
    "VB Chức vụ ký": "vb-ky-tren",
    "VB Người ký": "vb-ky-ten",
}


@dataclass
class Block:
    """A paragraph or table waiting for its vertical margins."""

    tag: str
    decls: Decls
    inner: str
    attrs: str = ""
    style: str | None = None
    before: int = 0
    after: int = 0
    contextual: bool = False
    borders: dict[str, Border] = field(default_factory=dict)
    #: Paragraphs with equal keys share one border box (17.3.1.24 w:pBdr).
    border_key: tuple[object, ...] | None = None
    break_before: bool = False


@dataclass
class _Cell:
    el: etree._Element
    props: Props
    col: int
    span: int
    rowspan: int = 1
    hidden: bool = False
    #: Last cell of a vertical merge, whose bottom border closes the merged cell.
    last: _Cell | None = None


class BlockBuilder:
    """Renders the block children of one part (body, header, footer, notes)."""

    def __init__(self, shared: Shared, part: str) -> None:
        self.s = shared
        self.part = part
        self.inline = InlineBuilder(shared, part)
        self._pending_break = False

    def render(self, children: Iterable[etree._Element], where: Where) -> str:
        """Return the HTML of block elements `children` laid out at `where`."""
        blocks: list[Block] = []
        self._collect(children, where, blocks)
        return self._emit(blocks)

    # -- collection -------------------------------------------------------------------

    def _collect(
        self, children: Iterable[etree._Element], where: Where, blocks: list[Block]
    ) -> None:
        for el in children:
            if not isinstance(el.tag, str):
                continue
            qname = etree.QName(el)
            name = qname.localname
            if qname.namespace == NS["mc"] and name == "AlternateContent":
                choice = el.find(qn("mc", "Choice"))
                self._collect(choice if choice is not None else [], where, blocks)
            elif qname.namespace != NS["w"]:
                self.s.warn(f"bỏ qua: {name} ở cấp khối")
            elif name == "p":
                self._paragraph(el, where, blocks)
            elif name == "tbl":
                self._add(blocks, self._table(el, where))
            elif name == "sdt":
                self._collect(el.iterfind(f"{w('sdtContent')}/*"), where, blocks)
            elif name == "customXml":
                self._collect(el, where, blocks)
            elif name == "altChunk":
                self.s.warn("bỏ qua: nội dung nhúng (w:altChunk)")
            elif name not in _SKIP:
                self.s.warn(f"bỏ qua: w:{name} ở cấp khối")

    def _add(self, blocks: list[Block], block: Block) -> None:
        if self._pending_break:
            block.break_before = True
            self._pending_break = False
        blocks.append(block)

    def _paragraph(self, p: etree._Element, where: Where, blocks: list[Block]) -> None:
        styles = self.s.styles
        ppr = p.find(w("pPr"))
        pstyle = wval(ppr.find(w("pStyle"))) if ppr is not None else None
        props = styles.paragraph(pstyle, parse_para(ppr), where.table_style)
        self._check(props)
        mark_direct = parse_run(ppr.find(w("rPr")) if ppr is not None else None, self.s.theme)
        mark = styles.run(pstyle, mark_direct.get("style"), mark_direct, where.table_style)
        content = self.inline.paragraph(p, pstyle, mark, where)
        segments = split_pages(content.items)
        # A page break that ends a paragraph leaves the mark on the same page and starts
        # the next paragraph on a new one (Word 2013 and later).
        trailing = len(segments) > 1 and not segments[-1]
        if trailing:
            segments.pop()
        left, right, first = indents(props, font_size(mark))
        layout = TabLayout(
            first_start=left + first,
            left=left,
            line_end=where.width - right,
            stops=tuple(
                sorted((pos, kind, leader) for pos, (kind, leader) in props.get("tabs", {}).items())
            ),
            default=self.s.settings.default_tab_stop,
            hanging=first < 0,
        )
        decls = self.s.own(paragraph_decls(props, mark, content.max_size, self.s.font_map))
        before, after = spacing(props)
        bdr = {k: v for k, v in props.get("borders", {}).items() if v.visible}
        key = (tuple(sorted(bdr.items())), left, right) if bdr else None
        name = styles.name(pstyle or styles.default("paragraph"))
        attrs = f' data-style="{html.escape(name)}"' if name else ""
        # Only the first piece of a paragraph split by page breaks carries its id.
        ident = f' id="{self.s.next_id(SIGNATURE_IDS[name])}"' if name in SIGNATURE_IDS else ""
        for index, segment in enumerate(segments):
            seg_decls = dict(decls)
            if index:
                # The text after a page break continues the paragraph: no first-line indent.
                seg_decls.pop("text-indent", None)
            self._add(
                blocks,
                Block(
                    "p",
                    seg_decls,
                    render_segment(segment, layout, self.s, first_line=index == 0),
                    attrs=attrs + (ident if index == 0 else ""),
                    style=pstyle,
                    before=before if index == 0 else 0,
                    after=after if index == len(segments) - 1 else 0,
                    contextual=bool(props.get("contextual")),
                    borders=bdr,
                    border_key=key,
                    break_before=index > 0 or (index == 0 and bool(props.get("page_break_before"))),
                ),
            )
        if trailing:
            self._pending_break = True
        for box in content.deferred:
            self._collect(box, where, blocks)

    def _check(self, props: Props) -> None:
        if props.get("numbered"):
            self.s.warn("bỏ qua: đánh số tự động (w:numPr)")
        if props.get("frame"):
            self.s.warn("gần đúng: khung đoạn (w:framePr) đặt trong dòng")
        if props.get("text_direction"):
            self.s.warn("bỏ qua: hướng chữ dọc (w:textDirection)")

    # -- emission ---------------------------------------------------------------------

    def _emit(self, blocks: list[Block]) -> str:
        """Write blocks with their vertical margins computed the way Word spaces paragraphs."""
        out = []
        add = self.s.settings.add_paragraph_spacing
        for index, block in enumerate(blocks):
            prev = blocks[index - 1] if index else None
            nxt = blocks[index + 1] if index + 1 < len(blocks) else None
            same_prev = (
                prev is not None and prev.tag == block.tag == "p" and prev.style == block.style
            )
            # Contextual spacing drops both sides between paragraphs of one style (17.3.1.9).
            above = 0
            if prev is not None and not block.break_before and not (prev.contextual and same_prev):
                above = prev.after
            below = 0 if block.contextual and same_prev else block.before
            # The larger of the two wins (17.3.1.33), unless the document asks for the
            # pre-Word 2000 sum (w:doNotUseHTMLParagraphAutoSpacing).
            top = above + below if add else max(above, below)
            decls = dict(block.decls)
            if top and (index == 0 or block.break_before) and "border-top" not in decls:
                # A paragraph that starts a page by force (document, section, page break)
                # keeps its space before; at a natural page top Word drops it. Margins are
                # discarded at every page top (margin-break in BASE_CSS), padding never.
                decls["padding-top"] = twips(top)
            elif top:
                decls["margin-top"] = twips(top)
            if nxt is None and block.after:
                decls["margin-bottom"] = twips(block.after)
            if block.break_before:
                decls["break-before"] = "page"
            if block.border_key is not None:
                self._group_borders(block, prev, nxt, decls)
            cls = self.s.css_class("p" if block.tag == "p" else "t", decls)
            out.append(f'<{block.tag} class="{cls}"{block.attrs}>{block.inner}</{block.tag}>')
        return "\n".join(out)

    @staticmethod
    def _group_borders(block: Block, prev: Block | None, nxt: Block | None, decls: Decls) -> None:
        if prev is not None and prev.border_key == block.border_key and not block.break_before:
            decls.pop("border-top", None)
            decls.pop("padding-top", None)
        if nxt is not None and nxt.border_key == block.border_key and not nxt.break_before:
            decls.pop("border-bottom", None)
            decls.pop("padding-bottom", None)
            between = block.borders.get("between")
            if between is not None:
                decls["border-bottom"] = border(between)

    # -- tables (17.4) ----------------------------------------------------------------

    def _table(self, tbl: etree._Element, where: Where) -> Block:
        styles = self.s.styles
        direct = parse_table(tbl.find(w("tblPr")))
        style_id = styles.table_style_id(direct)
        props = styles.table(style_id, direct)
        if props.get("floating"):
            self.s.warn("gần đúng: bảng nổi (w:tblpPr) đặt trong dòng")
        if props.get("cell_spacing"):
            self.s.warn("bỏ qua: khoảng cách giữa các ô (w:tblCellSpacing)")
        if styles.conditional_formats(style_id):
            self.s.warn(f"bỏ qua: định dạng có điều kiện của kiểu bảng {styles.name(style_id)}")
        grid = [int(wval(col, "w") or 0) for col in tbl.iterfind(f"{w('tblGrid')}/{w('gridCol')}")]
        rows = self._rows(tbl, style_id)
        columns = max([len(grid)] + [c.col + c.span for _, _, cells in rows for c in cells])
        if columns > MAX_COLUMNS:
            raise PdfError(f"bảng có {columns} cột (w:gridCol, w:gridSpan), quá giới hạn "
                           f"{MAX_COLUMNS} cột (Word cho tối đa 63); hãy sửa bảng trong Word")
        if len(grid) < columns:
            filler = (sum(grid) // len(grid)) if grid else where.width // max(columns, 1)
            grid += [filler] * (columns - len(grid))
        widths = _preferred_grid(grid, props.get("width"), where.width)
        self._merge_vertical(rows)
        table_margins = {**_DEFAULT_CELL_MARGINS, **props.get("cell_mar", {})}
        first_left = table_margins["left"]
        if rows and rows[0][2]:
            first_left = rows[0][2][0].props.get("mar", {}).get("left", first_left)
        decls: Decls = {"width": twips(sum(widths))}
        jc = props.get("jc")
        if jc in ("center", "right", "end"):
            decls["margin-left"] = "auto"
            if jc == "center":
                decls["margin-right"] = "auto"
        else:
            indent = props.get("ind", 0)
            # Before Word 2013 (compatibilityMode < 15) the first cell's text, not the
            # table's edge, sits at w:tblInd: the edge moves left by the cell margin.
            if self.s.settings.compatibility_mode < 15:
                indent -= first_left
            if indent:
                decls["margin-left"] = twips(indent)
        if props.get("shd") not in (None, "none"):
            decls["background-color"] = props["shd"]
        cols = "".join(f'<col style="width:{twips(g)}">' for g in widths)
        head: list[str] = []
        body: list[str] = []
        in_head = True
        for index, (_, row_props, cells) in enumerate(rows):
            in_head = in_head and bool(row_props.get("header"))
            row_html = self._row(
                index, row_props, cells, rows, widths, props, table_margins, style_id, where
            )
            (head if in_head else body).append(row_html)
        inner = f"<colgroup>{cols}</colgroup>"
        if head:
            inner += "<thead>" + "".join(head) + "</thead>"
        inner += "<tbody>" + "".join(body) + "</tbody>"
        return Block("table", decls, inner)

    def _rows(
        self, tbl: etree._Element, style_id: str | None
    ) -> list[tuple[etree._Element, Props, list[_Cell]]]:
        out = []
        for tr in _unwrap(tbl, "tr"):
            row_props = self.s.styles.row(style_id, parse_row(tr.find(w("trPr"))))
            col = row_props.get("grid_before", 0) or 0
            cells: list[_Cell] = []
            for tc in _unwrap(tr, "tc"):
                props = self.s.styles.cell(style_id, parse_cell(tc.find(w("tcPr"))))
                span = props.get("span", 1)
                if props.get("hmerge") == "continue" and cells:
                    cells[-1].span += span
                elif props.get("text_direction"):
                    self.s.warn("bỏ qua: hướng chữ dọc trong ô (w:textDirection)")
                    cells.append(_Cell(tc, props, col, span))
                else:
                    cells.append(_Cell(tc, props, col, span))
                col += span
            out.append((tr, row_props, cells))
        return out

    @staticmethod
    def _merge_vertical(rows: list[tuple[etree._Element, Props, list[_Cell]]]) -> None:
        """Turn ``w:vMerge`` restart/continue cells into row spans."""
        for index, (_, _, cells) in enumerate(rows):
            for cell in cells:
                if cell.hidden or cell.props.get("vmerge") is None:
                    continue
                for _, _, below in rows[index + 1 :]:
                    match = next((c for c in below if c.col == cell.col), None)
                    if match is None or match.props.get("vmerge") != "continue":
                        break
                    match.hidden = True
                    cell.rowspan += 1
                    cell.last = match

    def _row(
        self,
        index: int,
        row_props: Props,
        cells: list[_Cell],
        rows: list[tuple[etree._Element, Props, list[_Cell]]],
        grid: list[int],
        props: Props,
        margins: dict[str, int],
        style_id: str | None,
        where: Where,
    ) -> str:
        decls: Decls = {}
        height = row_props.get("height")
        if height and height[0] > 0:
            decls["height"] = twips(height[0])
        if row_props.get("cant_split"):
            decls["break-inside"] = "avoid"
        cls = self.s.css_class("tr", decls)
        out = [f'<tr class="{cls}">' if cls else "<tr>"]
        before = row_props.get("grid_before", 0) or 0
        if before:
            out.append(f'<td colspan="{before}" class="{self._empty_cell()}"></td>')
        visible = [c for c in cells if not c.hidden]
        table_borders: dict[str, Border] = props.get("borders", {})
        for cell in visible:
            cell_borders: dict[str, Border] = cell.props.get("borders", {})
            bottom_borders = cell.last.props.get("borders", {}) if cell.last else cell_borders
            outer = {
                "top": index == 0,
                "bottom": index + cell.rowspan >= len(rows),
                "left": cell is cells[0],
                "right": cell is cells[-1],
            }
            edges: dict[str, Border] = {}
            for side, is_outer in outer.items():
                source = bottom_borders if side == "bottom" else cell_borders
                inner_key = "insideH" if side in ("top", "bottom") else "insideV"
                edge = source.get(side) or table_borders.get(side if is_outer else inner_key)
                edges[side] = edge or NO_BORDER
            d: Decls = _sides("border", {side: border(e) for side, e in edges.items()})
            mar = {**margins, **cell.props.get("mar", {})}
            pads = []
            for side in ("top", "right", "bottom", "left"):
                pad = mar.get(side, 0)
                if side in ("left", "right") and edges[side].visible:
                    # Collapsed CSS borders take half their width from the cell; Word's
                    # text width is the grid column less the cell margins.
                    pad = max(pad - edges[side].width * 10, 0)
                pads.append(twips(pad))
            d["padding"] = " ".join(pads)
            d["vertical-align"] = _VALIGN.get(cell.props.get("valign") or "top", "top")
            if cell.props.get("shd") not in (None, "none"):
                d["background-color"] = cell.props["shd"]
            width = (
                sum(grid[cell.col : cell.col + cell.span])
                - mar.get("left", 0)
                - mar.get("right", 0)
            )
            content = self.render(
                (child for child in cell.el if etree.QName(child).localname != "tcPr"),
                Where(where.part, max(width, 0), style_id, where.page_format),
            )
            span = f' colspan="{cell.span}"' if cell.span > 1 else ""
            span += f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else ""
            out.append(f'<td class="{self.s.css_class("c", d)}"{span}>{content}</td>')
        after = row_props.get("grid_after", 0) or 0
        if after:
            out.append(f'<td colspan="{after}" class="{self._empty_cell()}"></td>')
        out.append("</tr>")
        return "".join(out)

    def _empty_cell(self) -> str:
        return self.s.css_class("c", {"border": "none", "padding": "0"})


def _preferred_grid(grid: list[int], width: tuple[int | None, str] | None,
                    available: int) -> list[int]:
    """Return the grid columns laid out across the table's preferred width (``w:tblW``).

    LibreOffice lays a table out at its ``w:tblW`` when that is absolute (dxa) or a share
    of the text width (pct, fiftieths of a percent): each column keeps its share of the
    grid, rounded to ten-thousandths of the table (its ``TableColumnSeparator``), and
    the column edges land on whole twips. A table LibreOffice saved needs this: it keeps
    ``w:tblW`` but writes each column truncated to whole twips, so the grid adds up to a
    twip or two less than the table and a full cell line would no longer fit.
    """
    if width is None:
        return grid
    value, kind = width
    if kind == "dxa":
        target = value or 0
    elif kind == "pct":
        target = round(available * (value or 0) / 5000)
    else:
        return grid
    total = sum(grid)
    if target <= 0 or total <= 0 or target == total:
        return grid
    out = []
    share = edge = 0
    for column in grid:
        share += int(column * 10000 / total + 0.5)
        right = min(max(int(share * target / 10000), edge), target)
        out.append(right - edge)
        edge = right
    # The last column ends at the table's edge.
    out[-1] += target - edge
    return out


def _sides(prop: str, values: dict[str, str]) -> Decls:
    """Return one shorthand when the four sides agree, else the four longhands."""
    if len(set(values.values())) == 1:
        return {prop: values["top"]}
    return {f"{prop}-{side}": value for side, value in values.items()}


def _unwrap(parent: etree._Element, name: str) -> Iterator[etree._Element]:
    """Yield the `name` children of `parent`, looking through ``w:sdt`` and ``w:customXml``."""
    for child in parent:
        if not isinstance(child.tag, str):
            continue
        local = etree.QName(child).localname
        if local == name:
            yield child
        elif local == "sdt":
            content = child.find(w("sdtContent"))
            if content is not None:
                yield from _unwrap(content, name)
        elif local == "customXml":
            yield from _unwrap(child, name)
