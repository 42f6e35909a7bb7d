"""Render a DOCX template with a document's context (docxtpl), then finish the document.

Finishing: every text node is normalised (NFC, the dossier's tone-mark style) so template text
and data agree; rules under the header and title get their decreed length; core properties
carry the document's metadata; the zip is written with fixed timestamps so the same input
gives byte-identical files.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate, RichText, RichTextParagraph
from jinja2.sandbox import SecurityError

from vanban import fitting, markdown, text
from vanban.documents.common import Meta, RichContent
from vanban.errors import TemplateRenderError
from vanban.files import read_regular
from vanban.fitting import Fit
from vanban.render import jinja, metrics
from vanban.render.ooxml.zipped import PackageUnreadable, deterministic_zip, unpack

#: Style of a rule as long as the text above it (Tiêu ngữ; Party tiêu đề).
RULE_FULL = "VB Kẻ dài"
#: Style of a short rule (under the issuer and the trích yếu): 40 % of the text above.
RULE_SHORT = "VB Kẻ ngắn"
SHORT_RATIO = 0.4


@lru_cache(maxsize=64)
def _template_bytes(path: Path, mtime: float) -> bytes:
    return read_regular(path, f"mẫu {path}")


def render_docx(template: Path, context: dict[str, Any], meta: Meta, kieu_dau: str,
                fit: Fit | None = None) -> bytes:
    """Render `template` with `context` and return the finished DOCX bytes.

    `fit` is the typography the fitting pass chose for the whole document (see
    :mod:`vanban.fitting`); it is written into the styles, so the DOCX carries it.
    """
    data = _template_bytes(template, template.stat().st_mtime)
    try:
        unpack(data)  # a corrupt, encrypted or oversized package is refused before docxtpl
    except PackageUnreadable as e:
        raise TemplateRenderError(f"mẫu {template}: {e}") from None
    tpl = DocxTemplate(io.BytesIO(data))
    try:
        tpl.init_docx()
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as e:
        raise TemplateRenderError(
            f"mẫu {template}: không phải tệp Word .docx hợp lệ ({type(e).__name__}); hãy lưu lại "
            "bằng Word dưới dạng .docx"
        ) from None
    context = {
        k: _subdoc(tpl, v, template.name) if isinstance(v, RichContent) else v for k, v in context.items()
    }
    problem = _tag_problem(data)
    if problem is not None:
        raise TemplateRenderError(
            f"mẫu {template.name}: thẻ sai cú pháp ở đoạn “{problem.paragraph}”: {problem.message}"
        )
    try:
        tpl.render(context, jinja_env=jinja.ENV)
    except jinja2.TemplateSyntaxError as e:
        where = (jinja.paragraph_of(e) or _unbalanced_paragraph(data)
                 or _context_text(getattr(e, "docx_context", None)))
        raise TemplateRenderError(
            f"mẫu {template.name}: thẻ sai cú pháp ({e.message}) ở đoạn “{where}”"
        ) from None
    except jinja.TemplateLimitError as e:
        where = jinja.paragraph_of(e)
        raise TemplateRenderError(
            f"mẫu {template.name}: {e}" + (f" ở đoạn “{where}”" if where else "")) from None
    except SecurityError as e:
        m = re.search(r"attribute '([^']+)'", str(e))
        raise TemplateRenderError(
            f"mẫu {template.name}: thẻ dùng “{m.group(1) if m else e}”, điều mẫu không được phép "
            f"(mẫu chỉ được đọc các trường của hồ sơ) ở đoạn “{jinja.paragraph_of(e)}”"
        ) from None
    except jinja2.UndefinedError as e:
        name = _missing_name(str(e.message))
        where = jinja.paragraph_of(e) or (_paragraph_with(data, name) if name else "")
        raise TemplateRenderError(
            f"mẫu {template.name}: dùng trường không có trong hồ sơ ({name or e.message})"
            + (f" ở đoạn “{where}”" if where else "")
        ) from None
    except jinja2.TemplateError as e:
        raise TemplateRenderError(f"mẫu {template.name}: lỗi khi điền mẫu ({e})") from None
    except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError,
            AssertionError) as e:
        # The template's own expressions failed ({{ 1/0 }}, {% include %} with no loader):
        # the template is data, so this is the template's error, not vanban's.
        where = jinja.paragraph_of(e)
        raise TemplateRenderError(
            f"mẫu {template.name}: biểu thức trong mẫu bị lỗi khi điền ({_expression_fault(e)})"
            + (f" ở đoạn “{where}”" if where else "")
        ) from None
    doc = tpl.docx
    assert doc is not None
    _normalise_text(doc, kieu_dau)
    _size_rules(doc)
    _fit_date_line(doc)
    _keep_closing_with_signature(doc)
    if fit is not None and not fit.is_default:
        fitting.apply(doc, fit)
    _set_properties(doc, meta, kieu_dau)
    buf = io.BytesIO()
    doc.save(buf)
    return deterministic_zip(buf.getvalue())


def _expression_fault(e: BaseException) -> str:
    """Return in Vietnamese why a template's expression failed."""
    if isinstance(e, ZeroDivisionError):
        return "chia cho 0"
    if isinstance(e, OverflowError) or (isinstance(e, ValueError) and "digits" in str(e)):
        return "số quá lớn"
    if isinstance(e, TypeError) and "loader" in str(e):
        return "mẫu không được nạp mẫu khác bằng include, import hay extends"
    if isinstance(e, LookupError):
        return "chỉ số hay khóa không có"
    return "biểu thức không tính được với dữ liệu của hồ sơ"


#: Paragraph style of each Markdown block kind.
BLOCK_STYLES = {
    markdown.PHAN: "VB Phần",
    markdown.MUC: "VB Mục",
    markdown.DOAN: "VB Nội dung",
    markdown.GACH: "VB Nội dung",
    markdown.TRICH: "VB Trích dẫn",
}


def _subdoc(tpl: DocxTemplate, content: RichContent, name: str) -> RichTextParagraph:
    """Return `content` as paragraphs set in the template's own styles.

    docxtpl's ``RichTextParagraph`` escapes the text; a ``Subdoc`` would need docxcompose,
    which rewrites python-docx's namespace map on import (its ``cp`` prefix) and so corrupts
    the core properties of every document written afterwards.
    """
    assert tpl.docx is not None
    names = {s.name: s.style_id for s in tpl.docx.styles}
    missing = sorted(set(BLOCK_STYLES.values()) - set(names))
    if missing:
        raise TemplateRenderError(
            f"mẫu {name}: thiếu kiểu đoạn “{missing[0]}”; hãy tạo lại kiểu này trong Word"
        )
    ids = {name: names[name] for name in set(BLOCK_STYLES.values())}
    out = RichTextParagraph()
    headings = 0
    for block in content.blocks:
        rich = RichText()
        for run in block.runs:
            rich.add(run.text, bold=run.bold or None, italic=run.italic or None)
        if block.kind in markdown.HEADINGS:
            # Word's own table of contents marks each heading with a hidden bookmark, which
            # the PAGEREF fields of its lines point at.
            headings += 1
            number = _BOOKMARK_IDS + headings
            rich.xml = (
                f'<w:bookmarkStart w:id="{number}" w:name="{toc_bookmark(headings)}"/>'
                f'{rich.xml}<w:bookmarkEnd w:id="{number}"/>'
            )
        out.add(rich, parastyle=ids[BLOCK_STYLES[block.kind]])
    return out


#: Bookmark ids of the headings start above this, clear of a template's own bookmarks.
_BOOKMARK_IDS = 10000


def toc_bookmark(index: int) -> str:
    """Return the bookmark name of the `index`-th heading (from 1) of a handout's content."""
    return f"_TocVanban{index:04d}"


def _context_text(lines: Iterable[str] | None) -> str:
    if not lines:
        return "?"
    texts = [x.strip() for x in lines if x and x.strip()]
    middle = texts[len(texts) // 2] if texts else "?"
    return middle[:120]


def _missing_name(message: str) -> str:
    m = re.search(r"'([^']+)' is undefined", message) or re.search(
        r"has no attribute '([^']+)'", message
    )
    return m.group(1) if m else ""


def _template_paragraphs(template: bytes) -> Iterable[str]:
    """Yield the text of every paragraph of the template's body, tags included."""
    fresh = DocxTemplate(io.BytesIO(template))
    fresh.init_docx()
    assert fresh.docx is not None
    for p in fresh.docx.element.body.iter(qn("w:p")):
        yield _paragraph_text(p).strip()


def _paragraph_text(paragraph: Any) -> str:
    """Return the text of the ``w:p`` element `paragraph`, tags included."""
    return "".join(t.text or "" for t in paragraph.iter(qn("w:t")))


#: Parts of a template that docxtpl renders as Jinja templates, besides the body.
_TEMPLATE_PARTS = re.compile(r"/word/(header|footer)\d*\.xml|/word/footnotes\.xml")


@lru_cache(maxsize=64)
def _tag_problem(template: bytes) -> jinja.TagProblem | None:
    """Return the first tag of `template` that does not parse (body, headers, footers, notes)."""
    fresh = DocxTemplate(io.BytesIO(template))
    fresh.init_docx()
    assert fresh.docx is not None
    roots = [fresh.docx.element.body]
    for part in fresh.docx.part.package.iter_parts():
        if _TEMPLATE_PARTS.fullmatch(str(part.partname)):
            element = getattr(part, "_element", None)
            roots.append(parse_xml(part.blob) if element is None else element)
    for root in roots:
        problem = jinja.check_tags([_paragraph_text(p) for p in root.iter(qn("w:p"))])
        if problem is not None:
            return problem
    return None


def _unbalanced_paragraph(template: bytes) -> str:
    """Return the text of the first template paragraph whose tags do not close."""
    for t in _template_paragraphs(template):
        if t.count("{{") != t.count("}}") or t.count("{%") != t.count("%}"):
            return t[:120]
    return ""


def _paragraph_with(template: bytes, name: str) -> str:
    """Return the text of the template paragraph whose tag mentions `name`."""
    pattern = re.compile(r"\{[{%][^}]*\b" + re.escape(name) + r"\b")
    return next((t[:120] for t in _template_paragraphs(template) if pattern.search(t)), "")


def _parts(doc: Document) -> Iterable[Any]:
    yield doc.element.body
    for section in doc.sections:
        for hf in (section.header, section.first_page_header, section.footer):
            if not hf.is_linked_to_previous:
                yield hf._element


@lru_cache(maxsize=8192)
def _normal(s: str, kieu_dau: str) -> str:
    return text.doi_kieu_dau(text.nfc(s), kieu_dau)


def _normalise_text(doc: Document, kieu_dau: str) -> None:
    for root in _parts(doc):
        for t in root.iter(qn("w:t")):
            value = t.text
            if value and not value.isascii():
                fixed = _normal(value, kieu_dau)
                if fixed != value:
                    t.text = fixed


def _style_font(paragraph: Paragraph) -> tuple[float, bool]:
    size = None
    bold = None
    for run in paragraph.runs:
        size = size or (run.font.size.pt if run.font.size else None)
        bold = run.font.bold if bold is None else bold
    style = paragraph.style
    while style is not None and (size is None or bold is None):
        if size is None and style.font.size is not None:
            size = style.font.size.pt
        if bold is None and style.font.bold is not None:
            bold = style.font.bold
        style = style.base_style
    return size or 14.0, bool(bold)


def _container_twips(paragraph: Paragraph, doc: Document) -> int:
    parent = paragraph._p.getparent()
    if parent is not None and parent.tag == qn("w:tc"):
        tcw = parent.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
        if tcw is not None and tcw.get(qn("w:type")) in (None, "dxa"):
            return int(tcw.get(qn("w:w")))
    section = doc.sections[0]
    page, left, right = section.page_width, section.left_margin, section.right_margin
    # Every template sets the page size and margins.
    assert page is not None
    assert left is not None
    assert right is not None
    return int((page - left - right) / 635)  # EMU → twips


def _line_width_twips(paragraph: Paragraph) -> float:
    size, bold = _style_font(paragraph)
    # -- a header line broken by the issuer's name (w:br) is as wide as its longest line --
    lines = paragraph.text.strip().split("\n")
    return max(metrics.text_width_pt(line.strip(), size, bold=bold) for line in lines) * 20


def _style_ids(doc: Document, *names: str) -> dict[str, str]:
    out = {}
    for style in doc.styles:
        if style.name in names:
            out[style.style_id] = style.name
    return out


#: The place-and-date line's style, and the smallest size the decrees allow it (ND30: 13–14).
DATE_STYLE = "VB Địa danh ngày"
SMALLEST_DATE_PT = 13.0


def _fit_date_line(doc: Document) -> None:
    """Set the place-and-date line one point smaller when it is wider than its header cell.

    The Party line is 14 pt in a column of 90.8 mm: "Đông Hưng Thuận, ngày 04 tháng 9 năm
    2025" would break before "2025". At 13 pt (the size ND30 uses) it fits one line; the
    format-spec's header note asks for 13 pt or a wider column, and the column holds the
    Party tiêu đề above. A line that fits keeps its template size.
    """
    ids = _style_ids(doc, DATE_STYLE)
    if not ids:
        return
    for element in doc.element.body.iter(qn("w:p")):
        style_el = element.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style_el is None or style_el.get(qn("w:val")) not in ids:
            continue
        paragraph = Paragraph(element, doc._body)
        size, bold = _style_font(paragraph)
        line = paragraph.text.strip()
        if not line or size <= SMALLEST_DATE_PT:
            continue
        wide = metrics.text_width_pt(line, size, bold=bold, italic=True) * 20
        if wide > _container_twips(paragraph, doc):
            for run in paragraph.runs:
                run.font.size = Pt(SMALLEST_DATE_PT)


def _size_rules(doc: Document) -> None:
    rule_ids = _style_ids(doc, RULE_FULL, RULE_SHORT)
    if not rule_ids:
        return
    paragraphs = [Paragraph(p, doc._body) for p in doc.element.body.iter(qn("w:p"))]
    for i, p in enumerate(paragraphs):
        style_el = p._p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        name = rule_ids.get(style_el.get(qn("w:val")), "") if style_el is not None else ""
        if not name:
            continue
        container = _container_twips(p, doc)
        above = _texts_above(paragraphs, i)
        if not above:
            continue
        if name == RULE_FULL:
            length = min(_line_width_twips(above[0]), container)
        else:
            length = min(max(_line_width_twips(x) for x in above), container) * SHORT_RATIO
        side = max(int((container - length) / 2), 0)
        fmt = p.paragraph_format
        fmt.left_indent = Twips(side)
        fmt.right_indent = Twips(side)
        fmt.first_line_indent = Twips(0)


def _texts_above(paragraphs: list[Paragraph], i: int) -> list[Paragraph]:
    """Return the text paragraphs the rule at `i` measures: its cell's, or the one above."""
    rule = paragraphs[i]._p
    cell = rule.getparent()
    in_cell = cell is not None and cell.tag == qn("w:tc")
    out: list[Paragraph] = []
    for p in reversed(paragraphs[:i]):
        if in_cell and p._p.getparent() is not cell:
            break
        if p.text.strip():
            out.append(p)
            if not in_cell:
                break
    return out


def _keep_closing_with_signature(doc: Document) -> None:
    """Keep the paragraph before the last table on the page of that table.

    The last table of every document is its signature block; a page holding only the signature
    is not acceptable practice, so the closing paragraph (``./.``) travels with it.
    """
    body = doc.element.body
    tables = body.findall(qn("w:tbl"))
    if not tables:
        return
    previous = tables[-1].getprevious()
    if previous is not None and previous.tag == qn("w:p"):
        Paragraph(previous, doc._body).paragraph_format.keep_with_next = True


#: Longest value of a core property (python-docx refuses longer ones; Word shows one line).
MAX_PROPERTY = 255


def _property(value: str) -> str:
    """Return `value` cut to :data:`MAX_PROPERTY` characters, ending in "…" when cut."""
    return value if len(value) <= MAX_PROPERTY else value[: MAX_PROPERTY - 1] + "…"


def _set_properties(doc: Document, meta: Meta, kieu_dau: str) -> None:
    props = doc.core_properties
    stamp = datetime(meta.ngay.year, meta.ngay.month, meta.ngay.day)
    props.title = _property(text.doi_kieu_dau(meta.title, kieu_dau))
    props.author = _property(text.doi_kieu_dau(meta.author, kieu_dau))
    props.subject = _property(meta.subject)
    props.keywords = _property(meta.subject)
    props.language = "vi-VN"
    props.created = stamp
    props.modified = stamp
    props.last_modified_by = "vanban"
    props.revision = 1
    props.comments = ""
    props.last_printed = stamp


__all__ = ["render_docx"]
