"""Measure how much drawing an SVG picture asks for before WeasyPrint draws it.

An SVG ``<use>`` draws another element again; a few nested ``<use>`` of ``<use>`` (the SVG
"billion laughs") ask for billions of shapes from a file of a few hundred bytes, and
WeasyPrint would draw every one of them.
"""

from __future__ import annotations

from lxml import etree

#: Most elements an SVG picture may draw once every ``<use>`` is expanded.
MAX_DRAWN = 100_000
#: Deepest chain of ``<use>`` pointing at elements holding ``<use>``.
MAX_DEPTH = 64

_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


class SvgTooLarge(ValueError):
    """The SVG draws too much; the message (Vietnamese) says how much."""


def check(data: bytes) -> None:
    """Raise :class:`SvgTooLarge` when `data` would draw more than :data:`MAX_DRAWN` elements.

    Data that is not XML is left for the renderer to refuse.
    """
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return
    ids = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    counted: dict[etree._Element, int] = {}

    def drawn(el: etree._Element, depth: int, path: frozenset[etree._Element]) -> int:
        if el in counted:
            return counted[el]
        if depth > MAX_DEPTH or el in path:
            raise SvgTooLarge(f"ảnh SVG lồng <use> quá {MAX_DEPTH} tầng hoặc tự trỏ vào chính nó")
        inner = path | {el}
        total = 1
        for child in el:
            if isinstance(child.tag, str):
                total += drawn(child, depth, inner)
        if etree.QName(el).localname == "use":
            href = el.get("href") or el.get(_XLINK_HREF) or ""
            target = ids.get(href[1:]) if href.startswith("#") else None
            if target is not None:
                total += drawn(target, depth + 1, inner)
        if total > MAX_DRAWN:
            raise SvgTooLarge(f"ảnh SVG vẽ hơn {MAX_DRAWN} hình khi mở các <use>; tệp có thể "
                              "là “bom SVG”")
        counted[el] = total
        return total

    try:
        drawn(root, 0, frozenset())
    except RecursionError:
        raise SvgTooLarge("ảnh SVG lồng nhau quá sâu") from None
