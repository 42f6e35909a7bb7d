"""Translate a rendered DOCX into HTML + CSS paged media that WeasyPrint lays out."""

from __future__ import annotations

import dataclasses
import html
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from lxml import etree

from vanban import __version__
from vanban.errors import PdfError
from vanban.render.ooxml.blocks import BlockBuilder
from vanban.render.ooxml.context import Shared, Where
from vanban.render.ooxml.css import decls_text, inherited_run, twips
from vanban.render.ooxml.package import CoreProperties, Package, on_off, r, w, wval
from vanban.render.ooxml.properties import to_int
from vanban.render.ooxml.styles import StyleSheet

#: Maps a DOCX font name to a CSS ``font-family`` value.
FontFamily = Callable[[str], str]

#: Shortest and longest side of a page Word accepts, in twips (0.1 to 22 inches).
PAGE_SIDE = (144, 31680)
_NUMBER_FORMATS = {
    "decimal": "decimal",
    "lowerRoman": "lower-roman",
    "upperRoman": "upper-roman",
    "lowerLetter": "lower-alpha",
    "upperLetter": "upper-alpha",
    "decimalZero": "decimal-leading-zero",
}
#: Rules every translated document needs: no user-agent margins; words too long for
#: their line broken anywhere (as Word does); vertical margins dropped at page tops (Word
#: drops a paragraph's space before when it falls at the top of a page; WeasyPrint 70
#: counts every break inside a named page as forced, so "auto" would keep them); inline
#: pictures standing on the line's bottom, so that a picture line is as tall as the
#: picture (as LibreOffice lays it out).
BASE_CSS = """\
body{margin:0}
p{margin:0;overflow-wrap:break-word;margin-break:discard}
table{border-collapse:collapse;border-spacing:0;table-layout:fixed;margin-break:discard}
td{padding:0}
img{vertical-align:bottom}"""


@dataclass(frozen=True)
class HtmlResult:
    """A translated document."""

    html: str
    #: One short message per unsupported construct met (nothing is dropped silently).
    warnings: list[str]
    #: ``docProps/core.xml``, the language defaulting to ``vi``: the PDF's document information.
    metadata: CoreProperties
    #: How many PAGEREF fields show the laid-out page number (not their stored result).
    page_refs: int = 0


def docx_to_html(docx: bytes | Package, *,
                 font_family: FontFamily | None = None) -> HtmlResult:
    """Translate DOCX bytes `docx` (or the package already opened from them) into one HTML
    document with its paged-media CSS. The package's parts are only read.

    `font_family` maps each DOCX font name to a CSS ``font-family`` value; by default
    the name is used as it is.
    """
    package = docx if isinstance(docx, Package) else Package(docx)
    return _Translator(package, font_family or _quoted).translate()


_PAGEREF = re.compile(r"\bPAGEREF\s+(\S+)", re.IGNORECASE)


def _page_ref_anchors(body: etree._Element) -> dict[str, str]:
    """Return an HTML id for each bookmark of `body` that a PAGEREF field points at."""
    codes = [el.text or "" for el in body.iter(w("instrText"))]
    codes += [el.get(w("instr"), "") for el in body.iter(w("fldSimple"))]
    wanted = set(_PAGEREF.findall(" ".join(codes)))
    names = [el.get(w("name"), "") for el in body.iter(w("bookmarkStart"))]
    return {name: f"bm{i}" for i, name in enumerate(dict.fromkeys(n for n in names if n in wanted), 1)}


def _quoted(name: str) -> str:
    return '"' + name.replace('"', "") + '"'


@dataclass
class _Section:
    """One ``w:sectPr`` and the body elements it closes."""

    children: list[etree._Element]
    sect: etree._Element | None
    size: tuple[int, int] = (11906, 16838)
    #: top, right, bottom, left, header, footer (twips).
    margins: tuple[int, int, int, int, int, int] = (1440, 1440, 1440, 1440, 720, 720)
    title_page: bool = False
    start: int | None = None
    number_format: str = "decimal"
    kind: str = "nextPage"
    columns: tuple[int, int] = (1, 720)
    refs: dict[tuple[str, str], str] = field(default_factory=dict)


class _Translator:
    """Walks the main document part and assembles the HTML."""

    def __init__(self, package: Package, font_family: FontFamily) -> None:
        theme = package.theme_fonts()
        styles_name = package.related(package.main_name, "styles")
        styles = StyleSheet(package.xml(styles_name) if styles_name else None, theme)
        self.s = Shared(package, styles, package.settings(), font_family, theme)
        self.s.base = inherited_run(styles.run(None, None, {}), font_family)
        self.package = package

    def translate(self) -> HtmlResult:
        core = self.package.core_properties()
        meta = dataclasses.replace(core, language=core.language or "vi")
        root = self.package.xml(self.package.main_name)
        body = root.find(w("body")) if root is not None else None
        sections = self._sections(body) if body is not None else []
        if body is not None:
            self.s.anchors = _page_ref_anchors(body)
        builder = BlockBuilder(self.s, self.package.main_name)
        page_css: list[str] = []
        parts: list[str] = []
        refs: dict[tuple[str, str], str] = {}
        page_name = ""
        for number, section in enumerate(sections, start=1):
            # A section without its own header or footer reference inherits the previous
            # section's (17.10.5).
            refs = {**refs, **section.refs}
            running: dict[str, str] = {}
            if section.kind == "continuous" and number > 1:
                self.s.warn("gần đúng: ngắt vùng liên tục (continuous) giữ trang của vùng trước")
            else:
                page_name = f"s{number}"
                running = self._headers(number, section, refs)
                page_css.append(self._page_css(page_name, number, section, running))
            parts.append(self._section_html(builder, page_name, number, section, running))
        css = "\n".join([*page_css, BASE_CSS, self._defaults_css(), self.s.stylesheet()])
        document = (
            "<!DOCTYPE html>\n"
            f'<html lang="{html.escape(meta.language)}">\n<head>\n<meta charset="utf-8">\n'
            f"{_head_metadata(meta)}<style>\n{css}\n</style>\n</head>\n<body>\n"
            + "\n".join(parts)
            + "\n</body>\n</html>\n"
        )
        return HtmlResult(document, list(self.s.warnings), meta, self.s.page_refs)

    def _section_html(
        self,
        builder: BlockBuilder,
        page_name: str,
        number: int,
        section: _Section,
        running: dict[str, str],
    ) -> str:
        """Return a section's content, its running headers and footers first."""
        decls = {"page": page_name}
        if section.kind in ("oddPage", "evenPage") and number > 1:
            decls["break-before"] = "right" if section.kind == "oddPage" else "left"
        if section.columns[0] > 1:
            self.s.warn("gần đúng: văn bản nhiều cột (w:cols)")
            decls["column-count"] = str(section.columns[0])
            decls["column-gap"] = twips(section.columns[1])
        heads = "".join(
            f'<div style="position:running({name})">\n{content}\n</div>\n'
            for name, content in running.items()
        )
        where = Where(self.package.main_name, _text_width(section), None, section.number_format)
        content = builder.render(section.children, where)
        return f'<section class="{self.s.css_class("s", decls)}">\n{heads}{content}\n</section>'

    def _defaults_css(self) -> str:
        # Word uses no ligatures unless a run asks (w14:ligatures), and draws black "auto".
        return "html{" + decls_text(self.s.base) + ";font-variant-ligatures:none}"

    # -- sections (17.6) --------------------------------------------------------------

    def _sections(self, body: etree._Element) -> list[_Section]:
        sections: list[_Section] = []
        current: list[etree._Element] = []
        final = None
        for child in body:
            if not isinstance(child.tag, str):
                continue
            if child.tag == w("sectPr"):
                final = child
                continue
            current.append(child)
            sect = child.find(f"{w('pPr')}/{w('sectPr')}") if child.tag == w("p") else None
            if sect is not None:
                sections.append(self._section(current, sect))
                current = []
        if current or not sections:
            sections.append(self._section(current, final))
        return sections

    def _section(self, children: list[etree._Element], sect: etree._Element | None) -> _Section:
        section = _Section(children, sect)
        if sect is None:
            return section
        size = sect.find(w("pgSz"))
        if size is not None:
            for side in ("w", "h"):
                value = wval(size, side)
                if value is not None and not PAGE_SIDE[0] <= to_int(value, 0) <= PAGE_SIDE[1]:
                    raise PdfError(
                        f"khổ giấy w:pgSz w:{side}=\"{value}\" không hợp lệ; Word chỉ nhận "
                        f"từ {PAGE_SIDE[0]} đến {PAGE_SIDE[1]} twip (0,25 đến 55,88 cm)"
                    )
            section.size = (to_int(wval(size, "w"), 11906), to_int(wval(size, "h"), 16838))
        mar = sect.find(w("pgMar"))
        if mar is not None:
            gutter = to_int(wval(mar, "gutter"), 0)
            # A negative top or bottom margin means "do not move the text for the header".
            section.margins = (
                abs(to_int(wval(mar, "top"), 1440)),
                to_int(wval(mar, "right"), 1440),
                abs(to_int(wval(mar, "bottom"), 1440)),
                to_int(wval(mar, "left"), 1440) + gutter,
                to_int(wval(mar, "header"), 720),
                to_int(wval(mar, "footer"), 720),
            )
        section.title_page = bool(on_off(sect.find(w("titlePg"))))
        numbering = sect.find(w("pgNumType"))
        if numbering is not None:
            if wval(numbering, "start") is not None:
                section.start = to_int(wval(numbering, "start"), 1)
            fmt = wval(numbering, "fmt") or "decimal"
            if fmt not in _NUMBER_FORMATS:
                self.s.warn(f"gần đúng: kiểu số trang {fmt} thành số Ả Rập")
            section.number_format = _NUMBER_FORMATS.get(fmt, "decimal")
        kind = sect.find(w("type"))
        section.kind = (wval(kind) if kind is not None else None) or "nextPage"
        cols = sect.find(w("cols"))
        if cols is not None:
            section.columns = (to_int(wval(cols, "num"), 1) or 1, to_int(wval(cols, "space"), 720))
        for tag in ("headerReference", "footerReference"):
            for ref in sect.iterfind(w(tag)):
                section.refs[(tag[:6], wval(ref, "type") or "default")] = ref.get(r("id"), "")
        for tag, message in (
            ("pgBorders", "bỏ qua: viền trang (w:pgBorders)"),
            ("lnNumType", "bỏ qua: đánh số dòng (w:lnNumType)"),
            ("vAlign", "bỏ qua: căn dọc trang (w:vAlign)"),
        ):
            if sect.find(w(tag)) is not None:
                self.s.warn(message)
        grid = sect.find(w("docGrid"))
        if grid is not None and wval(grid, "type") in ("lines", "linesAndChars", "snapToChars"):
            self.s.warn("bỏ qua: lưới dòng (w:docGrid)")
        return section

    # -- headers and footers (17.10) --------------------------------------------------

    def _headers(
        self, number: int, section: _Section, refs: dict[tuple[str, str], str]
    ) -> dict[str, str]:
        """Render the headers and footers a section shows; return HTML by running name."""
        out: dict[str, str] = {}
        kinds = ["default"]
        if section.title_page:
            kinds.append("first")
        if self.s.settings.even_and_odd_headers:
            kinds.append("even")
        for part_kind in ("header", "footer"):
            for kind in kinds:
                rid = refs.get((part_kind, kind))
                if rid is None:
                    continue
                rel = self.package.relationships(self.package.main_name).get(rid)
                root = self.package.xml(rel.target) if rel else None
                if root is None or rel is None:
                    self.s.warn(f"bỏ qua: {part_kind} {rid} thiếu trong gói DOCX")
                    continue
                where = Where(rel.target, _text_width(section), None, section.number_format)
                out[f"{part_kind[0]}{number}-{kind}"] = BlockBuilder(self.s, rel.target).render(
                    root, where
                )
        return out

    def _page_css(self, name: str, number: int, section: _Section, running: dict[str, str]) -> str:
        width, height = section.size
        top, right, bottom, left, header, footer = section.margins
        boxes = {
            kind: self._margin_boxes(number, kind, running, header, footer, top, bottom)
            for kind in ("default", "first", "even")
        }
        rules = [
            f"@page {name}{{size:{twips(width)} {twips(height)};"
            f"margin:{twips(top)} {twips(right)} {twips(bottom)} {twips(left)};"
            f"{boxes['default']}}}"
        ]
        if self.s.settings.even_and_odd_headers:
            rules.append(f"@page {name}:left{{{boxes['even']}}}")
        first: list[str] = []
        if section.start is not None:
            # w:pgNumType/@w:start restarts the count on the section's first page.
            first.append(f"counter-reset:page {section.start}")
        if section.title_page:
            first.append(boxes["first"])
        if first:
            rules.append(f"@page {name}:nth(1 of {name}){{{';'.join(first)}}}")
        return "\n".join(rules)

    @staticmethod
    def _margin_boxes(
        number: int,
        kind: str,
        running: dict[str, str],
        header: int,
        footer: int,
        top: int,
        bottom: int,
    ) -> str:
        """Return ``@top-center``/``@bottom-center`` rules showing one header and footer."""
        out = []
        for part_kind, box, pad in (
            ("h", "top-center", "padding-top"),
            ("f", "bottom-center", "padding-bottom"),
        ):
            name = f"{part_kind}{number}-{kind}"
            distance = min(
                header if part_kind == "h" else footer, top if part_kind == "h" else bottom
            )
            if name in running:
                align = "top" if part_kind == "h" else "bottom"
                out.append(
                    f"@{box}{{content:element({name});vertical-align:{align};"
                    f"{pad}:{twips(distance)};width:100%}}"
                )
            else:
                out.append(f"@{box}{{content:none}}")
        return "".join(out)


#: The translator's elements that HTML writes without an end tag.
_VOID = re.compile(r"<(br|col|meta|img)\b([^>]*)>")
#: What :func:`parse` needs around the body (the translator writes exactly this).
_HEAD, _TAIL = "<!DOCTYPE html>\n<html lang=", "\n</body>\n</html>\n"
#: A tab or line break inside an attribute value (an XML parser reads it as a space).
#: (Text and attribute values never hold a raw "<" or ">": the translator escapes them.)
_SPACE_IN_ATTRIBUTE = re.compile(r'<[^<>]*="[^"<>]*[\t\n\r]')
#: Elements an HTML parser would not leave inside a ``p``.
_NOT_IN_P = frozenset({"p", "div", "section", "table", "thead", "tbody", "tr", "td", "colgroup",
                       "col", "html", "head", "body", "style", "title", "meta"})


def parse(text: str) -> ElementTree.Element | None:
    """Return the tree an HTML5 parser builds from the translator's output `text`, read
    with the XML parser instead (about 20 times faster); None when `text` is not in the
    shape the translator writes (then the HTML5 parser must read it).

    The translator writes well-formed XML apart from its void elements (``<br>``, ``<col>``,
    ``<meta>``, ``<img>``), escapes all text and attribute values, and nests only what
    HTML allows where it stands. The tree is then the HTML5 parser's, once its three
    differences around ``<html>`` and ``</body>`` are made (tests compare both trees).
    """
    if not (text.startswith(_HEAD) and text.endswith(_TAIL)):
        return None
    start, end = text.find("<style>"), text.find("</style>")
    if start < 0 or any(c in text[start + 7:end] for c in "<&"):
        return None  # an HTML parser reads a style's text raw, an XML parser does not
    if _SPACE_IN_ATTRIBUTE.search(text):
        return None
    try:
        root = ElementTree.fromstring(_VOID.sub(r"<\1\2/>", text))
    except ElementTree.ParseError:
        return None
    if root.tag != "html" or [child.tag for child in root] != ["head", "body"]:
        return None
    if any(inner.tag in _NOT_IN_P for p in root.iter("p") for inner in p.iter() if inner is not p):
        return None
    body = root[1]
    # An HTML parser drops the line before <head> and keeps the lines after </body> and
    # </html> at the end of the body.
    root.text = None
    trailing = (body.tail or "") + "\n"
    body.tail = None
    if len(body):
        body[-1].tail = (body[-1].tail or "") + trailing
    else:
        body.text = (body.text or "") + trailing
    return root


def _text_width(section: _Section) -> int:
    return section.size[0] - section.margins[1] - section.margins[3]


def _head_metadata(meta: CoreProperties) -> str:
    """Return ``<title>`` and ``<meta>`` elements WeasyPrint turns into PDF metadata."""
    out = []
    if meta.title:
        out.append(f"<title>{html.escape(meta.title)}</title>")
    for name, value in (
        ("author", meta.creator),
        ("description", meta.subject),
        ("keywords", meta.keywords),
        ("generator", f"vanban {__version__}"),
        ("dcterms.created", _w3c(meta.created)),
        ("dcterms.modified", _w3c(meta.modified or meta.created)),
    ):
        if value:
            out.append(f'<meta name="{name}" content="{html.escape(value)}">')
    return "".join(line + "\n" for line in out)


def _w3c(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


__all__ = ["FontFamily", "HtmlResult", "docx_to_html", "parse"]
