"""What an edited template changes that the decree fixes: paper, margins, body font and size.

vanban's own templates keep Nghị định 30's page rules (Phụ lục I §I; ``tests/rules.py`` checks
them on every document). A clerk's edited copy (``--templates-dir``) may not: Letter paper, a
10 mm margin, a 10 pt body or Arial build without a fault. The build still uses such a
template (the clerk may have a reason, and the document is theirs to sign), but tells, in one
warning line per template, what is off and what the decree asks, so that it is not printed
unnoticed. Hướng dẫn 36 keeps the same page for Party documents.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import lru_cache

from lxml import etree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: A4 portrait in twips, and how far a template may be off (about 0.2 mm, twip rounding).
A4 = (11906, 16838)
SLACK = 12
#: The decree's margins in twips: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
MARGINS = {"trên": ("top", 1134, 1417), "dưới": ("bottom", 1134, 1417),
           "trái": ("left", 1701, 1984), "phải": ("right", 850, 1134)}
#: The body's sizes (points) and font.
BODY_SIZES = (13.0, 14.0)
FONT = "Times New Roman"
#: The style of the body's paragraphs in vanban's templates.
BODY_STYLE = "VB Nội dung"


def template_faults(package: bytes) -> list[str]:
    """Return what the template `package` (as rendered) sets against the decree's page
    rules, in Vietnamese (empty when nothing, or when it cannot be read: the render says
    why)."""
    return list(_faults(package))


@lru_cache(maxsize=64)
def _faults(data: bytes) -> tuple[str, ...]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            body = etree.fromstring(package.read("word/document.xml"))
            styles = etree.fromstring(package.read("word/styles.xml"))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError):
        return ()
    out: list[str] = []
    section = body.find(f"{_W}body/{_W}sectPr")
    if section is not None:
        out += _page(section)
    out += _body_text(styles)
    return tuple(out)


#: A value a template prints: ``{{ ky.ho_ten }}`` (filters and spacing aside).
_SHOWN = re.compile(r"\{\{-?\s*([A-Za-z_][\w.]*)")


def missing_tags(edited: bytes, builtin: bytes) -> list[str]:
    """Return the values vanban's own template `builtin` prints (``{{ ky.ho_ten }}``) that
    the edited template `edited` (both packages as rendered) no longer prints: the document
    would lack them (a signer without a name) with no error, since a template may leave any
    value out."""
    ours, theirs = _shown(builtin), _shown(edited)
    return sorted(ours - theirs) if theirs else []


@lru_cache(maxsize=64)
def _shown(data: bytes) -> frozenset[str]:
    """Return the values the template `data` prints, from its body, headers and footers."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = [n for n in package.namelist()
                     if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]
            text = "".join("".join(t.text or "" for t in etree.fromstring(
                package.read(n)).iter(f"{_W}t")) for n in parts)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError):
        return frozenset()
    return frozenset(_SHOWN.findall(text))


def _page(section: etree._Element) -> list[str]:
    out = []
    size = section.find(f"{_W}pgSz")
    if size is not None:
        width, height = _twips(size, "w"), _twips(size, "h")
        if width and height and not (abs(width - A4[0]) <= SLACK and abs(height - A4[1]) <= SLACK):
            out.append(f"khổ giấy {_mm(width)} × {_mm(height)} mm (A4 đứng: 210 × 297 mm)")
    margins = section.find(f"{_W}pgMar")
    if margins is not None:
        for name, (side, low, high) in MARGINS.items():
            value = _twips(margins, side)
            if value is not None and not low - SLACK <= value <= high + SLACK:
                out.append(f"lề {name} {_mm(value)} mm ({_mm(low)}–{_mm(high)} mm)")
    return out


def _body_text(styles: etree._Element) -> list[str]:
    out = []
    fonts = styles.find(f"{_W}docDefaults//{_W}rFonts")
    font = fonts.get(f"{_W}ascii") if fonts is not None else None
    if font and font != FONT:
        out.append(f"phông {font} ({FONT})")
    for style in styles.iter(f"{_W}style"):
        name = style.find(f"{_W}name")
        if name is None or name.get(f"{_W}val") != BODY_STYLE:
            continue
        size = style.find(f"{_W}rPr/{_W}sz")
        points = (_twips(size, "val") or 0) / 2 if size is not None else None
        if points and points not in BODY_SIZES:
            out.append(f"cỡ chữ nội dung {points:g} pt (13–14 pt)")
    return out


def _twips(element: etree._Element, attribute: str) -> int | None:
    try:
        return int(element.get(f"{_W}{attribute}", ""))
    except ValueError:
        return None


def _mm(twips: int) -> str:
    """Return `twips` in millimetres as a clerk reads them: ``20``, ``10,5``."""
    value = round(twips * 25.4 / 1440, 1)
    return f"{value:g}".replace(".", ",")
