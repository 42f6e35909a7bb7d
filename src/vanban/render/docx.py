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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
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
from lxml import etree

from vanban import fitting, markdown, text
from vanban.documents.common import Meta, RichContent
from vanban.errors import TemplateRenderError
from vanban.files import read_regular
from vanban.fitting import Fit
from vanban.render import jinja, metrics
from vanban.render.ooxml.zipped import PackageUnreadable, deterministic_zip, unpack, zipped

#: Style of a rule as long as the text above it (Tiêu ngữ; Party tiêu đề).
RULE_FULL = "VB Kẻ dài"
#: Style of a short rule (under the issuer and the trích yếu): 40 % of the text above.
RULE_SHORT = "VB Kẻ ngắn"
SHORT_RATIO = 0.4


@lru_cache(maxsize=64)
def _template_bytes(path: Path, stamp: tuple[int, ...]) -> bytes:
    return read_regular(path, f"mẫu {path}")


def _stamp(path: Path) -> tuple[int, ...]:
    """Return what changes when the file at `path` does: its time and size, and its inode
    and change time (a copy that keeps the old time, as ``cp -p``, ``rsync -a`` or an
    unpacked archive make, still has a new change time)."""
    st = path.stat()
    return st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns


def template_package(template: Path) -> bytes:
    """Return the template at `template` as it is rendered: read (a regular file only) and
    mended where LibreOffice saved it (:func:`_prepared`); raise what is wrong with it."""
    return _prepared(_template_bytes(template, _stamp(template)), template_label(template))


def template_label(template: Path) -> str:
    """Return how a message names `template`: its path in the templates folder.

    The same file name is in ``nd30/`` and ``dang/``, so the profile's folder is always given
    (``nd30/quyet-dinh-thanh-lap-ban-dieu-hanh.docx``), whichever folder the file came from.
    """
    return f"{template.parent.name}/{template.name}" if template.parent.name else template.name


def render_docx(template: Path, context: dict[str, Any], meta: Meta, kieu_dau: str,
                fit: Fit | None = None) -> bytes:
    """Render `template` with `context` and return the finished DOCX bytes.

    `fit` is the typography the fitting pass chose for the whole document (see
    :mod:`vanban.fitting`); it is written into the styles, so the DOCX carries it.
    Every mistake of the template is a :class:`TemplateRenderError` of one line naming the
    template (:func:`template_label`) and the paragraph (its number, table cell and text).
    """
    label = template_label(template)
    data = _prepared(_template_bytes(template, _stamp(template)), label)
    tpl = DocxTemplate(io.BytesIO(data))
    try:
        tpl.init_docx()
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError):
        raise TemplateRenderError(
            f"mẫu {label}: {NOT_DOCX}; {SAVE_AS}") from None
    context = {
        k: _subdoc(tpl, v, label) if isinstance(v, RichContent) else v for k, v in context.items()
    }
    fault = _tag_problem(data)
    if fault is not None:
        raise TemplateRenderError(f"mẫu {label}: thẻ sai cú pháp ở {fault.where}: {fault.message}")
    assert tpl.docx is not None
    had_page = tpl.docx.element.body.find(qn("w:sectPr")) is not None
    try:
        tpl.render(context, jinja_env=jinja.ENV)
    except jinja2.TemplateSyntaxError as e:
        text = jinja.paragraph_of(e)
        where = (_place(data, text) if text else _unbalanced_paragraph(data)) or \
            f"đoạn “{_context_text(getattr(e, 'docx_context', None))}”"
        raise TemplateRenderError(
            f"mẫu {label}: thẻ sai cú pháp ở {where}: {jinja.syntax_message(e.message or '')}"
        ) from None
    except jinja.TemplateLimitError as e:
        raise TemplateRenderError(f"mẫu {label}: {e}{_at(data, e)}") from None
    except SecurityError as e:
        m = re.search(r"attribute '([^']+)'", str(e))
        raise TemplateRenderError(
            f"mẫu {label}: thẻ dùng “{m.group(1) if m else e}”, điều mẫu không được phép "
            f"(mẫu chỉ được đọc các trường của hồ sơ){_at(data, e)}"
        ) from None
    except jinja2.UndefinedError as e:
        name = _missing_name(str(e.message))
        text = jinja.paragraph_of(e)
        where = _place(data, text) if text else (_paragraph_with(data, name) if name else "")
        raise TemplateRenderError(
            f"mẫu {label}: dùng trường không có trong hồ sơ ({name or e.message})"
            + (f" ở {where}" if where else "")
        ) from None
    except jinja2.TemplateError as e:
        raise TemplateRenderError(f"mẫu {label}: lỗi khi điền mẫu ({e}){_at(data, e)}") from None
    except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError,
            AssertionError) as e:
        # The template's own expressions failed ({{ 1/0 }}, {% include %} with no loader):
        # the template is data, so this is the template's error, not vanban's.
        raise TemplateRenderError(
            f"mẫu {label}: biểu thức trong mẫu bị lỗi khi điền ({_expression_fault(e)})"
            f"{_at(data, e)}"
        ) from None
    doc = tpl.docx
    assert doc is not None
    if had_page and doc.element.body.find(qn("w:sectPr")) is None:
        # The tag check catches the known causes; this is the net under it: docxtpl cut the
        # XML somewhere and the page settings went with it.
        raise TemplateRenderError(
            f"mẫu {label}: các thẻ {{%p …%}} và {{% …%}} lồng nhau sai làm hỏng văn bản; thẻ "
            "đứng riêng một đoạn viết {%p … %}, thẻ nằm giữa dòng chữ viết {% … %}, và thẻ mở "
            "với thẻ đóng phải cùng kiểu")
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


#: How a message begins for a file that is not a Word document.
NOT_DOCX = "không phải tệp Word .docx hợp lệ"
#: What a clerk does with a file that is not a Word document (or one vanban cannot read).
SAVE_AS = ("hãy mở tệp bằng Word rồi “Lưu thành” (Save As) kiểu Word Document (.docx), "
           "giữ đúng tên tệp")
#: The core-properties relationship as LibreOffice writes it (``officedocument``, lower-case
#: d) and as the standard, and python-docx, spell it.
_LIBREOFFICE_CORE = (b"http://schemas.openxmlformats.org/officedocument/2006/relationships/"
                     b"metadata/core-properties")
_OPC_CORE = b"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"


@lru_cache(maxsize=64)
def _prepared(data: bytes, label: str) -> bytes:
    """Return template package `data` as docxtpl should get it, or raise what is wrong with it.

    A file that is not a DOCX (a .doc, .odt, PDF or empty file given the name) is refused with
    what to do about it. A package saved by LibreOffice is mended where vanban would otherwise
    make a broken document of it, and only then rewritten; an untouched template goes through
    byte for byte:

    - LibreOffice names the core-properties relationship with its own type; python-docx does
      not know it and adds a second ``docProps/core.xml``, which Word calls unreadable. The
      type is set to the standard one.
    - LibreOffice cuts a PAGEREF field to its first word, so the handout's table-of-contents
      line ``PAGEREF {{ m.dau_trang }} \\h`` becomes ``PAGEREF {{ \\h`` and its stored result
      ``{{ m.trang }}`` "Error: Reference source not found" (:func:`_repair_toc_fields`).
    """
    if not data.strip():
        raise TemplateRenderError(
            f"mẫu {label}: tệp rỗng; hãy chép lại tệp này từ bộ mẫu gốc (templates_docx) rồi sửa "
            "lại, hoặc xóa nó để vanban dùng mẫu gốc")
    kind = _foreign_file(data)
    if kind:
        raise TemplateRenderError(f"mẫu {label}: {NOT_DOCX}: đây là {kind}; {SAVE_AS}")
    try:
        parts = unpack(data)  # a corrupt, encrypted or oversized package is refused here
    except PackageUnreadable as e:
        advice = "" if "hãy" in str(e) else f"; {SAVE_AS}"
        raise TemplateRenderError(f"mẫu {label}: {e}{advice}") from None
    main = _main_part(parts)
    kind = _foreign_package(parts, main)
    if kind:
        raise TemplateRenderError(f"mẫu {label}: {NOT_DOCX}: đây là {kind}; {SAVE_AS}")
    changed = False
    rels = parts.get("_rels/.rels", b"")
    if _LIBREOFFICE_CORE in rels and _OPC_CORE not in rels:
        parts["_rels/.rels"] = rels.replace(_LIBREOFFICE_CORE, _OPC_CORE)
        changed = True
    repaired = _repair_toc_fields(parts[main])
    if repaired is not None:
        parts[main] = repaired
        changed = True
    return zipped(parts.items()) if changed else data


def _foreign_file(data: bytes) -> str:
    """Return what `data` is when it cannot be a DOCX (not a zip), in Vietnamese; else ``""``."""
    if data.startswith(b"PK"):
        return ""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "tệp Word 97-2003 (.doc) hoặc tệp có đặt mật khẩu"
    if data.startswith(b"%PDF"):
        return "tệp PDF"
    if data.startswith(b"{\\rtf"):
        return "tệp RTF"
    return "tệp loại khác đổi tên thành .docx"


def _main_part(parts: dict[str, bytes]) -> str:
    """Return the name of the package's main part (``word/document.xml`` as Word writes it)."""
    rels = parts.get("_rels/.rels", b"").decode("utf-8", "replace")
    for rel in re.findall(r"<Relationship\b[^>]*>", rels):
        if re.search(r'Type="[^"]*/officeDocument"', rel):
            target = re.search(r'Target="/?([^"]+)"', rel)
            if target:
                return target.group(1)
    return "word/document.xml"


def _foreign_package(parts: dict[str, bytes], main: str) -> str:
    """Return what the zip `parts` is when it is not a Word document, in Vietnamese; else ``""``."""
    mimetype = parts.get("mimetype", b"")
    if b"opendocument.text" in mimetype:
        return "tệp OpenDocument (.odt) đổi tên"
    if mimetype:
        return "tệp OpenDocument đổi tên"
    if "xl/workbook.xml" in parts:
        return "tệp Excel đổi tên"
    if "ppt/presentation.xml" in parts:
        return "tệp PowerPoint đổi tên"
    if "[Content_Types].xml" not in parts or main not in parts:
        return "tệp nén (ZIP) đổi tên"
    return ""


#: A table-of-contents loop paragraph (``{%p for m in muc_luc %}``) and its end.
_TOC_LOOP = re.compile(r"\{%-?p\s+for\s+(\w+)\s+in\s+muc_luc\s*-?%\}")
_LOOP_END = re.compile(r"\{%-?p\s+endfor\s*-?%\}")
#: A PAGEREF instruction cut by LibreOffice after the first word of its tag.
_CUT_PAGEREF = re.compile(r"\s*PAGEREF\s+\{[{%]-?(\s+\\\w+)*\s*")


def _repair_toc_fields(xml: bytes) -> bytes | None:
    """Return document part `xml` with the PAGEREF fields LibreOffice cut put back; None if none.

    LibreOffice keeps only the first word of a PAGEREF field's bookmark, here the ``{{`` of
    ``{{ m.dau_trang }}``, and writes its own error text as the field's result. In a line of
    the table-of-contents loop (``{%p for m in muc_luc %}``) the field can only have been
    the one of the built-in template, so it is written again with the loop's variable:
    ``PAGEREF {{ m.dau_trang }} \\h`` showing ``{{ m.trang }}``. Any other broken tag in a
    field is left to the tag check, which names it.
    """
    if b"PAGEREF" not in xml:
        return None
    root = etree.fromstring(xml)
    changed = False
    loop = ""
    for paragraph in root.iter(qn("w:p")):
        shown = "".join(t.text or "" for t in paragraph.iter(qn("w:t"))).strip()
        if m := _TOC_LOOP.fullmatch(shown):
            loop = m.group(1)
        elif _LOOP_END.fullmatch(shown):
            loop = ""
        elif loop:
            changed = _repair_pageref(paragraph, loop) or changed
    if not changed:
        return None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _repair_pageref(paragraph: Any, loop: str) -> bool:
    """Put back the cut PAGEREF fields of `paragraph` (see :func:`_repair_toc_fields`)."""
    changed = False
    for instr, result, end in _fields(paragraph):
        if not _CUT_PAGEREF.fullmatch("".join(t.text or "" for t in instr)):
            continue
        instr[0].text = f" PAGEREF {{{{ {loop}.dau_trang }}}} \\h "
        instr[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        for t in instr[1:]:
            t.text = ""
        shown = f"{{{{ {loop}.trang }}}}"
        if result:
            result[0].text = shown
            for t in result[1:]:
                t.getparent().remove(t)
        else:
            run = end.getparent()
            new = etree.SubElement(run.getparent(), qn("w:r"))
            run.addprevious(new)
            etree.SubElement(new, qn("w:t")).text = shown
        changed = True
    return changed


def _fields(paragraph: Any) -> list[tuple[list[Any], list[Any], Any]]:
    """Return ``(instruction w:instrText, result w:t, end w:fldChar)`` of each complex field of
    `paragraph` that is not inside another field and has a separator."""
    out: list[tuple[list[Any], list[Any], Any]] = []
    depth = 0
    instr: list[Any] = []
    result: list[Any] = []
    separated = False
    for node in paragraph.iter(qn("w:fldChar"), qn("w:instrText"), qn("w:t")):
        if node.tag == qn("w:fldChar"):
            kind = node.get(qn("w:fldCharType"))
            if kind == "begin":
                depth += 1
                if depth == 1:
                    instr, result, separated = [], [], False
            elif kind == "separate" and depth == 1:
                separated = True
            elif kind == "end":
                if depth == 1 and separated and instr:
                    out.append((instr, result, node))
                depth = max(depth - 1, 0)
        elif depth == 1 and node.tag == qn("w:instrText") and not separated:
            instr.append(node)
        elif depth == 1 and node.tag == qn("w:t") and separated:
            result.append(node)
    return out


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


#: Parts of a template that docxtpl renders as Jinja templates, besides the body, and how a
#: clerk calls them.
_TEMPLATE_PARTS = re.compile(r"/word/(header|footer)\d*\.xml|/word/(footnotes)\.xml")
_PART_NAMES = {"header": "đầu trang", "footer": "chân trang", "footnotes": "chú thích"}


@dataclass(frozen=True)
class _Fault:
    """A tag problem of a template, located for the clerk."""

    #: Where: ``đoạn thứ 47 (bảng 2, hàng 3, ô 1) “{%p endfor %}”``.
    where: str
    #: What is wrong and what to change (Vietnamese).
    message: str


def _roots(template: bytes) -> list[tuple[str, Any]]:
    """Return ``(part's name for the clerk, root element)`` of every part of `template` that
    docxtpl renders: the body (named ``""``), headers, footers and footnotes."""
    fresh = DocxTemplate(io.BytesIO(template))
    fresh.init_docx()
    assert fresh.docx is not None
    roots: list[tuple[str, Any]] = [("", fresh.docx.element.body)]
    for part in fresh.docx.part.package.iter_parts():
        m = _TEMPLATE_PARTS.fullmatch(str(part.partname))
        if m:
            element = getattr(part, "_element", None)
            roots.append((_PART_NAMES[m.group(1) or m.group(2)],
                          parse_xml(part.blob) if element is None else element))
    return roots


def _paragraph_text(paragraph: Any) -> str:
    """Return the text of the ``w:p`` element `paragraph`, tags included.

    The instructions of its fields count: docxtpl renders them as it renders the text, and the
    handout's table of contents holds a tag in its PAGEREF fields.
    """
    out = []
    for node in paragraph.iter(qn("w:t"), qn("w:instrText"), qn("w:fldSimple")):
        out.append(node.get(qn("w:instr"), "") if node.tag == qn("w:fldSimple") else node.text or "")
    return "".join(out)


def _where(part: str, root: Any, paragraph: Any) -> str:
    """Return where `paragraph` of `root` is, as a clerk finds it in Word: its number among
    the paragraphs of the part (those in tables included, in reading order), the table, row
    and cell that hold it, and its text."""
    number = next(i for i, p in enumerate(root.iter(qn("w:p")), 1) if p is paragraph)
    where = f"đoạn thứ {number}" + (f" của {part}" if part else "")
    cell = next((a for a in paragraph.iterancestors(qn("w:tc"))), None)
    row = cell.getparent() if cell is not None else None
    table = row.getparent() if row is not None else None
    if cell is not None and row is not None and table is not None and table.tag == qn("w:tbl"):
        tables = list(root.iter(qn("w:tbl")))
        rows = table.findall(qn("w:tr"))
        cells = row.findall(qn("w:tc"))
        if table in tables and row in rows and cell in cells:
            where += (f" (bảng {tables.index(table) + 1}, hàng {rows.index(row) + 1}, "
                      f"ô {cells.index(cell) + 1})")
    return f"{where} “{_paragraph_text(paragraph).strip()[:120]}”"


@lru_cache(maxsize=64)
def _tag_problem(template: bytes) -> _Fault | None:
    """Return the first tag of `template` that does not parse (body, headers, footers, notes)."""
    for part, root in _roots(template):
        paragraphs = list(root.iter(qn("w:p")))
        problem = jinja.check_tags([_paragraph_text(p) for p in paragraphs])
        if problem is not None:
            return _Fault(_where(part, root, paragraphs[problem.index]) if paragraphs
                          else f"đoạn “{problem.paragraph}”", problem.message)
    return None


def _located(template: bytes, match: Callable[[str], bool]) -> str:
    """Return where the first template paragraph whose text `match` accepts is, or ``""``."""
    for part, root in _roots(template):
        for p in root.iter(qn("w:p")):
            if match(_paragraph_text(p).strip()):
                return _where(part, root, p)
    return ""


def _place(template: bytes, text: str) -> str:
    """Return where the template paragraph of text `text` (as an error noted it) is.

    The text comes from the XML docxtpl rendered; when no paragraph of the template reads
    the same, the text alone is given.
    """
    text = text.strip()
    found = _located(template, lambda t: t[:120] == text)
    return found or f"đoạn “{text}”"


def _at(template: bytes, error: BaseException) -> str:
    """Return `` ở <where>`` for the paragraph `error` was raised in, or ``""``."""
    text = jinja.paragraph_of(error)
    return f" ở {_place(template, text)}" if text else ""


def _unbalanced_paragraph(template: bytes) -> str:
    """Return where the first template paragraph whose tags do not close is, or ``""``."""
    return _located(template, lambda t: t.count("{{") != t.count("}}")
                    or t.count("{%") != t.count("%}"))


def _paragraph_with(template: bytes, name: str) -> str:
    """Return where the template paragraph whose tag mentions `name` is, or ``""``."""
    pattern = re.compile(r"\{[{%][^}]*\b" + re.escape(name) + r"\b")
    return _located(template, lambda t: bool(pattern.search(t)))


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
