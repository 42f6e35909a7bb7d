"""Open a DOCX package: parts, relationships, settings, theme fonts, core properties."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from datetime import datetime, timezone

from lxml import etree

from vanban.errors import PdfError
from vanban.render.ooxml.zipped import PackageUnreadable, unpack

#: Namespaces used by the translator (prefixes as in the OOXML specification).
NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "v": "urn:schemas-microsoft-com:vml",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_W = "{" + NS["w"] + "}"
_R = "{" + NS["r"] + "}"
_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


#: Range and revision markers: they bound content elsewhere and hold none themselves.
MARKERS = frozenset(
    {
        "bookmarkStart",
        "bookmarkEnd",
        "proofErr",
        "permStart",
        "permEnd",
        "commentRangeStart",
        "commentRangeEnd",
        "moveFromRangeStart",
        "moveFromRangeEnd",
        "moveToRangeStart",
        "moveToRangeEnd",
    }
)


def qn(prefix: str, tag: str) -> str:
    """Return the Clark name ``{namespace}tag`` of `prefix`:`tag`."""
    return "{" + NS[prefix] + "}" + tag


def w(tag: str) -> str:
    """Return the Clark name of WordprocessingML element or attribute `tag`."""
    return _W + tag


def r(tag: str) -> str:
    """Return the Clark name of a relationships-namespace attribute `tag`."""
    return _R + tag


def wval(el: etree._Element | None, attr: str = "val") -> str | None:
    """Return the ``w:`` attribute `attr` of `el`, or None."""
    if el is None:
        return None
    return el.get(_W + attr)


def on_off(el: etree._Element | None, attr: str = "val", *,
           missing: bool | None = True) -> bool | None:
    """Read the ST_OnOff attribute `attr` of `el` (``1``/``true``/``on`` or ``0``/``false``/``off``).

    None when `el` is absent; `missing` when `el` has no such attribute (an on/off element
    such as ``<w:b/>`` without ``w:val`` is on).
    """
    if el is None:
        return None
    value = wval(el, attr)
    if value is None:
        return missing
    return value not in ("0", "false", "off")


@dataclass(frozen=True)
class Relationship:
    """One relationship of a part: its type and resolved target."""

    type: str
    target: str
    external: bool


@dataclass(frozen=True)
class CoreProperties:
    """The Dublin Core properties of ``docProps/core.xml``."""

    title: str = ""
    creator: str = ""
    subject: str = ""
    keywords: str = ""
    language: str = ""
    created: datetime | None = None
    modified: datetime | None = None


@dataclass
class Settings:
    """The few ``word/settings.xml`` values that change layout."""

    default_tab_stop: int = 720
    even_and_odd_headers: bool = False
    compatibility_mode: int = 12
    #: w:doNotUseHTMLParagraphAutoSpacing: the space after one paragraph and the space
    #: before the next add up instead of the larger one winning.
    add_paragraph_spacing: bool = False


class Package:
    """A DOCX file opened in memory; parts are parsed on first use."""

    def __init__(self, data: bytes, parts: dict[str, bytes] | None = None) -> None:
        """Open DOCX bytes `data`, or its `parts` when the caller has unpacked it already."""
        try:
            self._parts = unpack(data) if parts is None else parts
        except PackageUnreadable as exc:
            raise PdfError(f"tệp DOCX không đọc được: {exc}") from None
        self._xml: dict[str, etree._Element | None] = {}
        self._rels: dict[str, dict[str, Relationship]] = {}
        main = [
            rel.target for rel in self.relationships("").values() if rel.type == _OFFICE_DOCUMENT
        ]
        self.main_name = main[0] if main else "word/document.xml"
        if self.xml(self.main_name) is None:
            raise PdfError("tệp DOCX thiếu phần word/document.xml")

    def blob(self, name: str) -> bytes | None:
        """Return the raw bytes of part `name`, or None when absent."""
        return self._parts.get(name)

    def xml(self, name: str) -> etree._Element | None:
        """Return the parsed root element of part `name`, or None when absent."""
        if name not in self._xml:
            data = self.blob(name)
            try:
                self._xml[name] = None if data is None else etree.fromstring(data, _PARSER)
            except etree.XMLSyntaxError as exc:
                raise PdfError(f"tệp DOCX hỏng: {name} không phải XML hợp lệ") from exc
        return self._xml[name]

    def relationships(self, part: str) -> dict[str, Relationship]:
        """Return the relationships of `part` (``""`` for the package) by id."""
        if part not in self._rels:
            folder, base = posixpath.split(part)
            rels_name = posixpath.join(folder, "_rels", base + ".rels")
            root = self.xml(rels_name)
            rels: dict[str, Relationship] = {}
            if root is not None:
                for el in root.iter(qn("rel", "Relationship")):
                    external = el.get("TargetMode") == "External"
                    target = el.get("Target", "")
                    if not external:
                        target = (
                            target.lstrip("/")
                            if target.startswith("/")
                            else posixpath.normpath(posixpath.join(folder, target))
                        )
                    rels[el.get("Id", "")] = Relationship(el.get("Type", ""), target, external)
            self._rels[part] = rels
        return self._rels[part]

    def related(self, part: str, kind: str) -> str | None:
        """Return the target of the first relationship of `part` whose type ends with `kind`."""
        for rel in self.relationships(part).values():
            if rel.type.endswith("/" + kind) and not rel.external:
                return rel.target
        return None

    def settings(self) -> Settings:
        """Return the layout-relevant settings."""
        out = Settings()
        name = self.related(self.main_name, "settings")
        root = self.xml(name) if name else None
        if root is None:
            return out
        tab = root.find(w("defaultTabStop"))
        if tab is not None and (wval(tab) or "").lstrip("-").isdigit():
            out.default_tab_stop = int(wval(tab) or 720) or 720
        out.even_and_odd_headers = bool(on_off(root.find(w("evenAndOddHeaders"))))
        out.add_paragraph_spacing = bool(on_off(
            root.find(f"{w('compat')}/{w('doNotUseHTMLParagraphAutoSpacing')}")
        ))
        for setting in root.iterfind(f"{w('compat')}/{w('compatSetting')}"):
            if wval(setting, "name") == "compatibilityMode":
                value = wval(setting) or ""
                if value.isdigit():
                    out.compatibility_mode = int(value)
        return out

    def theme_fonts(self) -> dict[str, str]:
        """Return the theme's Latin fonts as ``{"major": …, "minor": …}``."""
        name = self.related(self.main_name, "theme")
        root = self.xml(name) if name else None
        fonts: dict[str, str] = {}
        if root is None:
            return fonts
        for kind in ("major", "minor"):
            latin = root.find(f".//{qn('a', kind + 'Font')}/{qn('a', 'latin')}")
            if latin is not None and latin.get("typeface"):
                fonts[kind] = latin.get("typeface", "")
        return fonts

    def core_properties(self) -> CoreProperties:
        """Return the core properties (title, creator, dates, …)."""
        name = self.related("", "core-properties") or "docProps/core.xml"
        root = self.xml(name)
        if root is None:
            return CoreProperties()

        def text(prefix: str, tag: str) -> str:
            el = root.find(qn(prefix, tag))
            return (el.text or "").strip() if el is not None else ""

        return CoreProperties(
            title=text("dc", "title"),
            creator=text("dc", "creator"),
            subject=text("dc", "subject"),
            keywords=text("cp", "keywords"),
            language=text("dc", "language"),
            created=_w3c_date(text("dcterms", "created")),
            modified=_w3c_date(text("dcterms", "modified")),
        )


def _w3c_date(value: str) -> datetime | None:
    """Parse a W3CDTF date (``2023-05-25T00:00:00Z``) into an aware datetime."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed
