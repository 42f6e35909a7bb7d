"""Build a paragraph's inline content: runs, fields, tabs, breaks, images, notes."""

from __future__ import annotations

import base64
import html
import posixpath
import re
from dataclasses import dataclass, field

from lxml import etree

from vanban.errors import PdfError
from vanban.render.metrics import text_width_pt
from vanban.render.ooxml import svg
from vanban.render.ooxml.context import Shared, Where
from vanban.render.ooxml.css import (
    Decls,
    font_size,
    inherited_run,
    run_decls,
    twips,
)
from vanban.render.ooxml.package import MARKERS, NS, qn, r, w, wval
from vanban.render.ooxml.properties import Props, parse_run

_MIME = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "svg": "image/svg+xml",
    "webp": "image/webp",
}
#: Most uses of one picture in a document part.
MAX_IMAGE_USES = 1_000
#: Most bytes of pictures in the HTML, each use counted (data URIs, base64).
MAX_IMAGE_BYTES = 192 * 1024 * 1024
#: Fields whose value is a page counter; any other field keeps its stored result.
_COUNTERS = {"PAGE": "page", "NUMPAGES": "pages", "SECTIONPAGES": "pages"}
#: Fields computed from the layout: the counters, and PAGEREF (a bookmark's page number).
_FIELDS = frozenset({*_COUNTERS, "PAGEREF"})
_NUMBER_FORMATS = {
    "roman": "lower-roman",
    "ROMAN": "upper-roman",
    "alphabetic": "lower-alpha",
    "ALPHABETIC": "upper-alpha",
    "Arabic": "decimal",
}
_LEADERS = {
    "dot": ".",
    "hyphen": "-",
    "underscore": "_",
    "heavy": "_",
    "middleDot": "·",
    "none": " ",
}
#: Private-use code points of the symbol fonts (w:sym) that have a Unicode twin.
_SYMBOLS = {
    "F0B7": "•",
    "F0A7": "▪",
    "F0FC": "✓",
    "F0D8": "➢",
    "F076": "❖",
    "F0A8": "◆",
    "F06E": "■",
    "F0E0": "→",
    "F0AE": "→",
    "F02D": "-",
}
#: Elements that carry no content of their own.
_SKIP = MARKERS | frozenset(
    {
        "pPr",
        "rPr",
        "customXmlInsRangeStart",
        "customXmlInsRangeEnd",
        "customXmlDelRangeStart",
        "customXmlDelRangeEnd",
        "lastRenderedPageBreak",
        "annotationRef",
        "footnoteRef",
        "endnoteRef",
        "separator",
        "continuationSeparator",
        "delText",
        "delInstrText",
    }
)
#: Inline wrappers whose children are shown as they are.
_CONTAINERS = frozenset({"hyperlink", "ins", "moveTo", "smartTag", "customXml", "dir", "bdo"})
_SPACES = re.compile(" (?= )")
#: Characters joined by slashes (72/2025/QH15, the "05/QĐ" of 05/QĐ-UBND): Word and
#: LibreOffice do not break at a slash, Pango would; both break after the hyphen.
_SLASHED = re.compile(r"[^\s/\u200b-]+(?:/[^\s/\u200b-]+)+")
#: Words longer than any line. WeasyPrint breaks such a word (overflow-wrap) only after laying
#: out all the rest of its text again for every line, which takes time growing with the square
#: of the word's length. A zero-width space every :data:`_WORD_PIECE` characters gives it break
#: points, so each line costs only itself. (Not after every character: WeasyPrint first tries a
#: piece of text four characters per em long, which zero-width characters would make fit on
#: one line, and then lays out all of it.)
_LONG_WORD = re.compile(r"[^\s\u200b]{100,}")
_WORD_PIECE = 16


@dataclass
class Item:
    """One piece of inline content."""

    #: ``text``, ``html`` (ready markup), ``anchor`` (an empty target for page
    #: references), ``tab``, ``ptab``, ``br`` or ``page``.
    kind: str
    cls: str = ""
    text: str = ""
    #: Font size in points, to estimate widths for tab stops.
    size: float = 0.0


@dataclass
class Content:
    """The inline content of one paragraph."""

    items: list[Item]
    #: Block containers met inline (text boxes), rendered after the paragraph.
    deferred: list[etree._Element] = field(default_factory=list)
    max_size: float = 0.0


@dataclass
class _Field:
    code: list[str] = field(default_factory=list)
    result: bool = False
    counter: str | None = None
    #: A PAGEREF's item and bookmark target; its provisional number is the field's stored
    #: result (the text of its result runs, gathered in `stored`).
    ref: tuple[Item, str] | None = None
    stored: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TabLayout:
    """What tab stops need: positions in twips from the left margin."""

    first_start: int
    left: int
    line_end: int
    stops: tuple[tuple[int, str, str], ...]
    default: int
    hanging: bool


class InlineBuilder:
    """Turns the children of ``w:p`` into :class:`Item` lists.

    One builder serves a whole part, because a complex field may span paragraphs.
    """

    def __init__(self, shared: Shared, part: str) -> None:
        self.s = shared
        self.part = part
        self._fields: list[_Field] = []
        #: The PAGEREF item just made, and its target, for its field to give it a number.
        self._ref: tuple[Item, str] | None = None
        #: fldChar elements of unbalanced fields (a begin never ended, with its separate), by
        #: the XML tree they were found in; they are skipped so the text after them is kept.
        self._unbalanced: dict[etree._Element, set[etree._Element]] = {}
        self._images: dict[str, str | None] = {}
        self._items: list[Item] = []
        self._deferred: list[etree._Element] = []
        self._max = 0.0
        self._pstyle: str | None = None
        self._where = Where(part, 0)
        self._inherited: Decls = {}

    def paragraph(
        self, p: etree._Element, pstyle: str | None, mark: Props, where: Where
    ) -> Content:
        """Return the inline content of paragraph `p` (style `pstyle`, mark props `mark`)."""
        self._items, self._deferred = [], []
        self._max = font_size(mark)
        self._pstyle, self._where = pstyle, where
        self._inherited = inherited_run(mark, self.s.font_map)
        for child in p:
            self._inline(child)
        return Content(self._items, self._deferred, self._max)

    # -- traversal --------------------------------------------------------------------

    def _inline(self, el: etree._Element) -> None:
        if not isinstance(el.tag, str):
            return
        qname = etree.QName(el)
        name = qname.localname
        if qname.namespace == NS["w"]:
            if name == "r":
                self._run(el)
            elif name == "fldSimple":
                self._simple_field(el)
            elif name == "bookmarkStart":
                self._bookmark(el)
            elif name in _CONTAINERS:
                for child in el:
                    self._inline(child)
            elif name == "sdt":
                for child in el.iterfind(f"{w('sdtContent')}/*"):
                    self._inline(child)
            elif name in ("del", "moveFrom"):
                self.s.warn("bỏ qua: nội dung đã xóa khi theo dõi thay đổi (w:del)")
            elif name not in _SKIP and name != "sdtPr":
                self.s.warn(f"bỏ qua: w:{name} trong đoạn văn")
        elif qname.namespace == NS["m"]:
            self._math(el)
        elif qname.namespace == NS["mc"] and name == "AlternateContent":
            for child in _alternate(el):
                self._inline(child)
        else:
            self.s.warn(f"bỏ qua: {name} trong đoạn văn")

    def _run(self, run: etree._Element) -> None:
        direct = parse_run(run.find(w("rPr")), self._theme())
        props = self.s.styles.run(
            self._pstyle, direct.get("style"), direct, self._where.table_style
        )
        for key in props:
            if key.startswith("unsupported_"):
                self.s.warn(f"gần đúng: thuộc tính chữ w:{key[12:]}")
        if props.get("scale", 100) != 100:
            self.s.warn("gần đúng: co giãn chữ (w:w)")
        hidden = bool(props.get("vanish"))
        if hidden:
            self.s.warn("bỏ qua: chữ ẩn (w:vanish)")
        cls = self.s.css_class("r", run_decls(props, self._inherited, self.s.font_map))
        size = font_size(props)
        for child in run:
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            if name == "fldChar":
                self._field_char(child, cls, size)
            elif name == "instrText":
                if self._fields and not self._fields[-1].result:
                    self._fields[-1].code.append(child.text or "")
            elif hidden or self._suppressed():
                if name == "t" and self._fields and self._fields[-1].ref is not None:
                    self._fields[-1].stored.append(child.text or "")
                continue
            else:
                self._max = max(self._max, size)
                self._run_child(child, name, cls, size)

    def _run_child(self, child: etree._Element, name: str, cls: str, size: float) -> None:
        if name == "t":
            self._add_text(child.text or "", cls, size)
        elif name == "tab":
            self._items.append(Item("tab", cls, size=size))
        elif name == "ptab":
            self._items.append(
                Item("ptab" if wval(child, "alignment") == "right" else "tab", cls, size=size)
            )
        elif name in ("br", "cr"):
            kind = wval(child, "type") if name == "br" else None
            if kind == "column":
                self.s.warn("gần đúng: ngắt cột (w:br column) thành ngắt trang")
            self._items.append(Item("page" if kind in ("page", "column") else "br", cls))
        elif name == "noBreakHyphen":
            self._add_text("\u2011", cls, size)
        elif name == "softHyphen":
            self._add_text("\u00ad", cls, size)
        elif name == "sym":
            char = (wval(child, "char") or "").upper()
            if char in _SYMBOLS:
                self._add_text(_SYMBOLS[char], cls, size)
            else:
                self.s.warn(f"bỏ qua: ký hiệu w:sym {wval(child, 'font')} {char}")
        elif name == "drawing":
            self._drawing(child, cls, size)
        elif name in ("pict", "object"):
            self._vml(child, name)
        elif name in ("footnoteReference", "endnoteReference"):
            self._note(child, name[: -len("Reference")], cls)
        elif name == "commentReference":
            self.s.warn("bỏ qua: ghi chú (w:commentReference)")
        elif name == "AlternateContent":
            for alt in _alternate(child):
                self._run_child(alt, etree.QName(alt).localname, cls, size)
        elif name not in _SKIP:
            self.s.warn(f"bỏ qua: w:{name} trong w:r")

    def _add_text(self, text: str, cls: str, size: float) -> None:
        if not text:
            return
        text = text.replace("\t", " ").replace("\n", " ")
        last = self._items[-1] if self._items else None
        if last is not None and last.kind == "text" and last.cls == cls:
            last.text += text
            last.size = max(last.size, size)
        else:
            self._items.append(Item("text", cls, text, size))

    def _theme(self) -> dict[str, str]:
        return self.s.theme

    # -- fields (17.16) ---------------------------------------------------------------

    def _suppressed(self) -> bool:
        return any(not f.result or f.counter for f in self._fields)

    def _field_char(self, el: etree._Element, cls: str, size: float) -> None:
        kind = wval(el, "fldCharType")
        if el in self._unbalanced_in(el):
            return
        if kind == "begin":
            self._fields.append(_Field())
        elif kind == "separate" and self._fields:
            top = self._fields[-1]
            top.result = True
            if not any(not f.result or f.counter for f in self._fields[:-1]):
                top.counter = self._field_value(" ".join(top.code), cls, size)
                top.ref, self._ref = self._ref, None
        elif kind == "end" and self._fields:
            top = self._fields.pop()
            if top.ref is not None:
                _show_stored(top.ref, "".join(top.stored))
            if not top.result and not self._suppressed():
                self._field_value(" ".join(top.code), cls, size)
                self._ref = None

    def _unbalanced_in(self, el: etree._Element) -> set[etree._Element]:
        """Return the fldChar elements of fields never ended in the XML tree holding `el`.

        A field's begin hides everything up to its separate (the code) and a page counter's
        result up to its end: a begin that is never ended would hide the rest of the part.
        Such a field is dropped (its code and result are shown as text) with a warning.
        """
        root = el.getroottree().getroot()
        found = self._unbalanced.get(root)
        if found is None:
            open_fields: list[list[etree._Element]] = []
            for char in root.iter(w("fldChar")):
                kind = wval(char, "fldCharType")
                if kind == "begin":
                    open_fields.append([char])
                elif kind == "separate" and open_fields:
                    open_fields[-1].append(char)
                elif kind == "end" and open_fields:
                    open_fields.pop()
            found = self._unbalanced[root] = {c for chars in open_fields for c in chars}
            if found:
                self.s.warn("sửa lại: trường (w:fldChar) mở mà không đóng; giữ chữ của nó")
        return found

    def _field_value(self, code: str, cls: str, size: float) -> str | None:
        """Emit a counter for PAGE-like fields; return its name, None for kept results."""
        words = code.split()
        if not words:
            return None
        name = words[0].upper()
        if name == "PAGEREF":
            return self._page_ref(words, cls, size)
        counter = _COUNTERS.get(name)
        if counter is None:
            self.s.warn(f"giữ kết quả đã lưu: trường {name}")
            return None
        if name == "SECTIONPAGES":
            self.s.warn("gần đúng: trường SECTIONPAGES dùng tổng số trang")
        style = self._where.page_format
        if "\\*" in words:
            at = words.index("\\*")
            if at + 1 < len(words):
                style = _NUMBER_FORMATS.get(words[at + 1], style)
        selector = f"{'pg' if counter == 'page' else 'pgs'}-{style}"
        self.s.rules[f".{selector}::before"] = f"content:counter({counter}, {style})"
        self._items.append(Item("html", cls, f'<span class="{selector}"></span>', size))
        return counter

    def _page_ref(self, words: list[str], cls: str, size: float) -> str | None:
        """Emit the laid-out page number of a PAGEREF's bookmark; None if there is none."""
        target = self.s.anchors.get(words[1]) if len(words) > 1 else None
        if target is None:
            name = words[1] if len(words) > 1 else "?"
            self.s.warn(f"giữ kết quả đã lưu: trường PAGEREF trỏ tới dấu trang không có ({name})")
            return None
        # The layout writes in the number (vanban.render.pdf); when it cannot, it empties the
        # span and WeasyPrint numbers it.
        self.s.rules[".pgref:empty::before"] = "content:target-counter(attr(data-ref), page)"
        self.s.page_refs += 1
        item = Item("html", cls, page_ref(target, ""), size)
        self._items.append(item)
        self._ref = (item, target)
        return "page"

    def _bookmark(self, el: etree._Element) -> None:
        target = self.s.anchors.get(wval(el, "name") or "")
        if target is not None and not self._suppressed():
            self._items.append(Item("anchor", "", f'<span id="{target}"></span>'))

    def _simple_field(self, el: etree._Element) -> None:
        code = wval(el, "instr") or ""
        words = code.split()
        if words and words[0].upper() in _FIELDS and not self._suppressed():
            run = el.find(w("r"))
            direct = parse_run(run.find(w("rPr")) if run is not None else None, self._theme())
            props = self.s.styles.run(
                self._pstyle, direct.get("style"), direct, self._where.table_style
            )
            cls = self.s.css_class("r", run_decls(props, self._inherited, self.s.font_map))
            if self._field_value(code, cls, font_size(props)) is not None:
                if self._ref is not None:
                    _show_stored(self._ref, "".join(t.text or "" for t in el.iter(w("t"))))
                    self._ref = None
                return
        elif words and not self._suppressed():
            self.s.warn(f"giữ kết quả đã lưu: trường {words[0].upper()}")
        for child in el:
            self._inline(child)

    # -- objects ----------------------------------------------------------------------

    def _drawing(self, el: etree._Element, cls: str, size: float) -> None:
        inline = el.find(qn("wp", "inline"))
        if inline is None:
            self.s.warn("bỏ qua: w:drawing kiểu anchor")
            self._text_boxes(el)
            return
        blip = inline.find(".//" + qn("a", "blip"))
        extent = inline.find(qn("wp", "extent"))
        if blip is None or extent is None:
            self.s.warn("bỏ qua: hình vẽ không phải ảnh (w:drawing)")
            self._text_boxes(el)
            return
        if blip.get(r("link")) and not blip.get(r("embed")):
            self.s.warn("bỏ qua: ảnh liên kết ngoài (a:blip r:link)")
            return
        rid = blip.get(r("embed"), "")
        uri = self._image(rid)
        if uri is None:
            return
        self._count_use(rid, uri)
        # wp:extent is in EMU: 12 700 per point.
        width = int(extent.get("cx", "0")) / 12700
        height = int(extent.get("cy", "0")) / 12700
        doc_pr = inline.find(qn("wp", "docPr"))
        alt = html.escape(doc_pr.get("descr", "") if doc_pr is not None else "")
        self._max = max(self._max, height)
        markup = f'<img src="{uri}" alt="{alt}" style="width:{width:.2f}pt;height:{height:.2f}pt">'
        self._items.append(Item("html", cls, markup, size))

    def _image(self, rid: str) -> str | None:
        if rid not in self._images:
            rel = self.s.package.relationships(self.part).get(rid)
            data = self.s.package.blob(rel.target) if rel and not rel.external else None
            ext = posixpath.splitext(rel.target)[1].lower().lstrip(".") if rel else ""
            mime = _MIME.get(ext)
            if data is None:
                self.s.warn("bỏ qua: ảnh thiếu trong gói DOCX")
                self._images[rid] = None
            elif mime is None:
                self.s.warn(f"bỏ qua: ảnh định dạng {ext.upper() or '?'} không hỗ trợ")
                self._images[rid] = None
            else:
                if mime == "image/svg+xml":
                    try:
                        svg.check(data)
                    except svg.SvgTooLarge as exc:
                        raise PdfError(f"{rel.target if rel else rid}: {exc}") from None
                encoded = base64.b64encode(data).decode("ascii")
                self._images[rid] = f"data:{mime};base64,{encoded}"
        return self._images[rid]

    def _count_use(self, rid: str, uri: str) -> None:
        """Count one more use of picture `rid`; raise when the uses pass the limits.

        Each use repeats the picture's bytes in the HTML: one picture used a hundred thousand
        times would take gigabytes.
        """
        key = f"{self.part}#{rid}"
        uses = self.s.image_uses[key] = self.s.image_uses.get(key, 0) + 1
        self.s.image_bytes += len(uri)
        if uses > MAX_IMAGE_USES:
            raise PdfError(f"một ảnh ({rid}) được dùng hơn {MAX_IMAGE_USES} lần; quá giới hạn")
        if self.s.image_bytes > MAX_IMAGE_BYTES:
            raise PdfError(f"ảnh trong văn bản (tính cả mỗi lần dùng lại) vượt quá "
                           f"{MAX_IMAGE_BYTES // (1024 * 1024)} MB")

    def _text_boxes(self, el: etree._Element) -> None:
        boxes = list(el.iter(w("txbxContent")))
        if boxes:
            self.s.warn("gần đúng: hộp văn bản (w:txbxContent) giữ chữ, đặt sau đoạn")
            self._deferred.extend(boxes)

    def _vml(self, el: etree._Element, name: str) -> None:
        if el.find(".//" + qn("v", "imagedata")) is not None:
            self.s.warn(f"bỏ qua: ảnh VML (w:{name})")
        elif not list(el.iter(w("txbxContent"))):
            self.s.warn(f"bỏ qua: hình VML hoặc đối tượng nhúng (w:{name})")
        self._text_boxes(el)

    def _math(self, el: etree._Element) -> None:
        self.s.warn("gần đúng: công thức (m:oMath) chỉ giữ chữ")
        text = "".join(t.text or "" for t in el.iter(qn("m", "t")))
        self._add_text(text, "", self._max)

    def _note(self, el: etree._Element, kind: str, cls: str) -> None:
        if kind == "endnote":
            self.s.warn("gần đúng: chú thích cuối văn bản (w:endnoteReference) đặt cuối trang")
        else:
            self.s.warn("gần đúng: chú thích (w:footnoteReference) theo CSS float: footnote")
        part = self.s.package.related(self.s.package.main_name, kind + "s")
        root = self.s.package.xml(part) if part else None
        note_id = wval(el, "id")
        note = None
        if root is not None:
            note = next((n for n in root.iterfind(w(kind)) if wval(n, "id") == note_id), None)
        if note is None or part is None:
            self.s.warn(f"bỏ qua: chú thích {note_id} không tìm thấy")
            return
        builder = InlineBuilder(self.s, part)
        pieces = []
        note_cls = ""
        for p in note.iterfind(w("p")):
            pstyle = wval(p.find(f"{w('pPr')}/{w('pStyle')}"))
            mark = self.s.styles.run(pstyle, None, {})
            if not note_cls:
                note_cls = self.s.css_class("n", inherited_run(mark, self.s.font_map))
            content = builder.paragraph(p, pstyle, mark, Where(part, self._where.width))
            layout = TabLayout(0, 0, self._where.width, (), self.s.settings.default_tab_stop, False)
            pieces.append(render_segment(content.items, layout, self.s, first_line=False))
        self.s.rules[".fn"] = "float:footnote"
        self._items.append(
            Item("html", cls, f'<span class="fn {note_cls}">{"<br>".join(pieces)}</span>')
        )


def page_ref(target: str, stored: str) -> str:
    """Return the markup of a PAGEREF to the element with id `target`, its stored result
    `stored` shown until the layout writes in the page number.

    The stored result, when it is a number, is the guess: Word's last count is usually right
    (vanban's own drafts store "0"). A guess as wide as the page number is overwritten in
    the laid-out boxes; another is laid out again (:mod:`vanban.render.pdf`).
    """
    guess = stored.strip()
    if not (guess.isascii() and guess.isdigit() and len(guess) <= 4):
        guess = "0"
    return f'<span class="pgref" data-ref="#{target}">{guess}</span>'


def _show_stored(ref: tuple[Item, str], stored: str) -> None:
    """Give PAGEREF item and target `ref` its field's stored result `stored` as its number."""
    item, target = ref
    item.text = page_ref(target, stored)


def _alternate(el: etree._Element) -> list[etree._Element]:
    """Pick the content of ``mc:AlternateContent``: the first choice, else the fallback."""
    chosen = el.find(qn("mc", "Choice"))
    if chosen is None:
        chosen = el.find(qn("mc", "Fallback"))
    return list(chosen) if chosen is not None else []


# -- rendering ----------------------------------------------------------------------------


def split_pages(items: list[Item]) -> list[list[Item]]:
    """Split items at page breaks (``w:br w:type="page"``)."""
    segments: list[list[Item]] = [[]]
    for item in items:
        if item.kind == "page":
            segments.append([])
        else:
            segments[-1].append(item)
    return segments


def render_segment(
    items: list[Item], layout: TabLayout, shared: Shared, *, first_line: bool = True
) -> str:
    """Return the HTML of a run of items without page breaks."""
    if not any(i.kind not in ("br", "anchor") for i in items):
        # An empty paragraph still has the height of its mark (one line).
        anchors = "".join(i.text for i in items if i.kind == "anchor")
        return anchors + "<br>" * (sum(1 for i in items if i.kind == "br") + 1)
    lines: list[list[Item]] = [[]]
    for item in items:
        if item.kind == "br":
            lines.append([])
        else:
            lines[-1].append(item)
    out = []
    for index, line in enumerate(lines):
        start = layout.first_start if index == 0 and first_line else layout.left
        out.append(_render_line(line, start, layout, shared))
    html_text = "<br>".join(out)
    if not lines[-1]:
        # A trailing line break pushes the paragraph mark onto a line of its own.
        html_text += "<br>"
    return html_text


def _render_line(line: list[Item], start: int, layout: TabLayout, shared: Shared) -> str:
    chunks: list[list[Item]] = [[]]
    tabs: list[Item] = []
    for item in line:
        if item.kind in ("tab", "ptab"):
            chunks.append([])
            tabs.append(item)
        else:
            chunks[-1].append(item)
    state = _SpaceState()
    x = start
    out: list[str] = []
    for index, tab in enumerate(tabs):
        chunk_html = _items_html(chunks[index], state, shared)
        width = 20 * sum(text_width_pt(i.text, i.size) for i in chunks[index] if i.kind == "text")
        pos, kind, leader = (
            (layout.line_end, "right", "none")
            if tab.kind == "ptab"
            else _next_stop(x + width, layout)
        )
        if tab.kind != "ptab" and index == len(tabs) - 1 and kind not in ("right", "end"):
            # Text longer than the line before a right tab (a long table-of-contents entry):
            # it wraps, and the tab then reaches the right stop on its last line, as in Word.
            right = [s for s in layout.stops if s[1] in ("right", "end") and s[0] <= x + width]
            if right:
                pos, kind, leader = right[-1]
        if kind in ("center", "decimal"):
            shared.warn("gần đúng: điểm dừng tab giữa/thập phân coi như tab trái")
        if kind in ("right", "end") and index == len(tabs) - 1:
            state.line_start = True
            rest = _items_html(chunks[index + 1], state, shared)
            char = _LEADERS.get(leader, " ")
            name = "ld-" + (leader if leader in _LEADERS else "none")
            shared.rules[f".{name}::before"] = f"content:leader('{char}')"
            gap = layout.line_end - pos
            if gap > 20:
                # A right tab short of the line end: keep what follows it off the margin.
                cls = shared.css_class(
                    "tr",
                    {"display": "inline-block", "margin-right": twips(gap), "text-indent": "0"},
                )
                rest = f'<span class="{cls}">{rest}</span>'
            return "".join(out) + chunk_html + f'<span class="{name}"></span>' + rest
        cls = shared.css_class(
            "tb",
            {
                "display": "inline-block",
                "min-width": twips(max(pos - x, 0)),
                "text-indent": "0",
                "text-align": "left",
            },
        )
        out.append(f'<span class="{cls}">{chunk_html}</span>')
        state.line_start = True
        x = pos
    out.append(_items_html(chunks[-1], state, shared))
    return "".join(out)


def _next_stop(x: float, layout: TabLayout) -> tuple[int, str, str]:
    """Return the tab stop a tab at `x` jumps to: custom, hanging indent or default."""
    custom = [s for s in layout.stops if s[0] > x + 1 and s[1] not in ("bar", "clear", "num")]
    candidates = [custom[0]] if custom else []
    if layout.hanging and layout.left > x + 1:
        # A hanging indent is an implicit stop (17.3.1.12).
        candidates.append((layout.left, "left", "none"))
    if not custom:
        step = max(layout.default, 1)
        candidates.append(((int(x) // step + 1) * step, "left", "none"))
    return min(candidates, key=lambda s: s[0])


@dataclass
class _SpaceState:
    line_start: bool = True
    ends_with_space: bool = False


def _break_points(word: re.Match[str]) -> str:
    """Return a long word with a zero-width space after every :data:`_WORD_PIECE` characters."""
    text = word.group()
    return "\u200b".join(text[i:i + _WORD_PIECE] for i in range(0, len(text), _WORD_PIECE))


def _items_html(items: list[Item], state: _SpaceState, shared: Shared) -> str:
    out = []
    for item in items:
        if item.kind == "text":
            # Word keeps every space; CSS collapses runs of them and drops leading ones.
            text = _SPACES.sub("\u00a0", item.text)
            if text.startswith(" ") and (state.line_start or state.ends_with_space):
                text = "\u00a0" + text[1:]
            state.ends_with_space = text.endswith(" ")
            text = _LONG_WORD.sub(_break_points, text)
            body = html.escape(text, quote=False)
            if "/" in body:
                shared.rules[".nw"] = "white-space:nowrap"
                body = _SLASHED.sub(r'<span class="nw">\g<0></span>', body)
        elif item.kind == "anchor":
            out.append(item.text)  # takes no room: the spacing state stays as it was
            continue
        else:
            state.ends_with_space = False
            body = item.text
        state.line_start = False
        out.append(f'<span class="{item.cls}">{body}</span>' if item.cls else body)
    return "".join(out)
