"""Parse ``w:pPr``, ``w:rPr``, ``w:tblPr``, ``w:trPr`` and ``w:tcPr`` into plain dicts.

Each parser returns only what the element states, so that the style resolver can
layer the dicts (document defaults, then styles, then direct formatting) with
:func:`merge_para` and :func:`merge_run`. Lengths stay in their OOXML units:
twips for indents and spacing, half-points for font sizes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple, overload

from lxml import etree

from vanban.render.ooxml.package import on_off, w, wval

Props = dict[str, Any]

#: Run properties that toggle rather than override across style levels
#: (ECMA-376 Part 1, 17.7.3).
TOGGLES = frozenset(
    {
        "b",
        "i",
        "caps",
        "small_caps",
        "strike",
        "dstrike",
        "vanish",
        "emboss",
        "imprint",
        "outline",
        "shadow",
    }
)
_RUN_FLAGS = {
    "b": "b",
    "i": "i",
    "caps": "caps",
    "smallCaps": "small_caps",
    "strike": "strike",
    "dstrike": "dstrike",
    "vanish": "vanish",
    "emboss": "emboss",
    "imprint": "imprint",
    "outline": "outline",
    "shadow": "shadow",
    "webHidden": "web_hidden",
}
_PARA_FLAGS = {
    "keepNext": "keep_next",
    "keepLines": "keep_lines",
    "pageBreakBefore": "page_break_before",
    "widowControl": "widow_control",
    "contextualSpacing": "contextual",
    "bidi": "bidi",
    "suppressAutoHyphens": "no_hyphens",
}
_SIDES = {"start": "left", "end": "right"}
#: Highlight names (ST_HighlightColor) as CSS colours.
HIGHLIGHTS = {
    "black": "#000000",
    "blue": "#0000FF",
    "cyan": "#00FFFF",
    "green": "#00FF00",
    "magenta": "#FF00FF",
    "red": "#FF0000",
    "yellow": "#FFFF00",
    "white": "#FFFFFF",
    "darkBlue": "#000080",
    "darkCyan": "#008080",
    "darkGreen": "#008000",
    "darkMagenta": "#800080",
    "darkRed": "#800000",
    "darkYellow": "#808000",
    "darkGray": "#808080",
    "lightGray": "#C0C0C0",
}


class Border(NamedTuple):
    """One border edge: style (ST_Border), width and spacing in points, colour or None."""

    style: str
    width: float
    color: str | None
    space: float

    @property
    def visible(self) -> bool:
        return self.style not in ("nil", "none") and self.width > 0


NO_BORDER = Border("none", 0.0, None, 0.0)


def _children(el: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """Yield ``(local name, element)`` for each element child of `el` (not comments)."""
    for child in el:
        if isinstance(child.tag, str):
            yield etree.QName(child).localname, child


@overload
def to_int(value: str | None, default: int) -> int: ...


@overload
def to_int(value: str | None, default: None = None) -> int | None: ...


def to_int(value: str | None, default: int | None = None) -> int | None:
    """Read an OOXML integer (``"1440"``, also ``"1440.0"``); `default` when absent or bad.

    Bad includes ``inf``, ``nan`` and whatever leaves the 32-bit range of ST_DecimalNumber.
    """
    if value is None:
        return default
    try:
        number = int(float(value))
    except (ValueError, OverflowError):
        return default
    return number if -(2**31) <= number < 2**31 else default


def color(value: str | None) -> str | None:
    """Return ``#RRGGBB`` for a hex ST_HexColor, None for ``auto`` or nonsense."""
    if not value or value == "auto" or len(value) != 6:
        return None
    try:
        int(value, 16)
    except ValueError:
        return None
    return "#" + value.upper()


def border(el: etree._Element) -> Border:
    """Parse a border element (``w:top``, ``w:insideH``, …)."""
    style = wval(el) or "none"
    if style in ("nil", "none"):
        return NO_BORDER
    # w:sz is in eighths of a point (17.3.4 ST_EighthPointMeasure); 2..96.
    size = (to_int(wval(el, "sz"), 4) or 4) / 8
    return Border(
        style, max(size, 0.25), color(wval(el, "color")), float(to_int(wval(el, "space"), 0) or 0)
    )


def borders(el: etree._Element | None) -> dict[str, Border]:
    """Parse a border container (``w:pBdr``, ``w:tblBorders``, ``w:tcBorders``) by side."""
    if el is None:
        return {}
    out: dict[str, Border] = {}
    for side, child in _children(el):
        out[_SIDES.get(side, side)] = border(child)
    return out


def shading(el: etree._Element | None) -> str | None:
    """Return the CSS background of a ``w:shd``: a colour, ``"none"`` or None when absent."""
    if el is None:
        return None
    pattern = wval(el) or "clear"
    fill = color(wval(el, "fill"))
    fore = color(wval(el, "color")) or "#000000"
    if pattern in ("nil",):
        return "none"
    if pattern == "solid":
        return fore
    if pattern.startswith("pct") and pattern[3:].isdigit():
        # Percent patterns mix the pattern colour into the fill (17.18.78 ST_Shd).
        share = int(pattern[3:]) / 100
        base = fill or "#FFFFFF"
        mixed = [
            round(int(base[i : i + 2], 16) * (1 - share) + int(fore[i : i + 2], 16) * share)
            for i in (1, 3, 5)
        ]
        return "#" + "".join(f"{c:02X}" for c in mixed)
    return fill or "none"


def parse_run(rpr: etree._Element | None, theme: Mapping[str, str]) -> Props:
    """Parse a ``w:rPr`` into run properties."""
    out: Props = {}
    if rpr is None:
        return out
    for name, child in _children(rpr):
        if name in _RUN_FLAGS:
            out[_RUN_FLAGS[name]] = on_off(child)
        elif name == "sz":
            size = to_int(wval(child))
            if size:
                out["sz"] = size
        elif name == "u":
            out["u"] = wval(child) or "single"
            if color(wval(child, "color")):
                out["u_color"] = color(wval(child, "color"))
        elif name == "color":
            out["color"] = color(wval(child))
        elif name == "vertAlign":
            out["vert"] = wval(child) or "baseline"
        elif name == "highlight":
            value = wval(child) or "none"
            out["highlight"] = HIGHLIGHTS.get(value, "none")
        elif name == "shd":
            out["shd"] = shading(child)
        elif name == "spacing":
            out["spacing"] = to_int(wval(child), 0)
        elif name == "position":
            out["position"] = to_int(wval(child), 0)
        elif name == "kern":
            out["kern"] = to_int(wval(child), 0)
        elif name == "w":
            out["scale"] = to_int(wval(child), 100)
        elif name == "rFonts":
            for attr, key in (
                ("ascii", "font_ascii"),
                ("hAnsi", "font_hansi"),
                ("cs", "font_cs"),
                ("eastAsia", "font_ea"),
            ):
                # A theme reference wins over the literal name (17.3.2.26).
                theme_ref = wval(child, attr + "Theme") or (
                    wval(child, "cstheme") if attr == "cs" else None
                )
                if theme_ref:
                    resolved = theme.get("major" if theme_ref.startswith("major") else "minor")
                    if resolved:
                        out[key] = resolved
                        continue
                if wval(child, attr):
                    out[key] = wval(child, attr)
        elif name == "rStyle":
            out["style"] = wval(child)
        elif name == "lang":
            if wval(child):
                out["lang"] = wval(child)
        elif name in (
            "effect",
            "em",
            "fitText",
            "eastAsianLayout",
            "snapToGrid",
            "specVanish",
            "oMath",
            "bdr",
        ):
            out["unsupported_" + name] = True
    return out


def parse_para(ppr: etree._Element | None) -> Props:
    """Parse a ``w:pPr`` (without its ``w:rPr``, ``w:sectPr`` and ``w:pStyle``)."""
    out: Props = {}
    if ppr is None:
        return out
    for name, child in _children(ppr):
        if name in _PARA_FLAGS:
            out[_PARA_FLAGS[name]] = on_off(child)
        elif name == "jc":
            out["jc"] = wval(child) or "left"
        elif name == "ind":
            _parse_ind(child, out)
        elif name == "spacing":
            _parse_spacing(child, out)
        elif name == "pBdr":
            out["borders"] = borders(child)
        elif name == "shd":
            out["shd"] = shading(child)
        elif name == "tabs":
            tabs: dict[int, tuple[str, str]] = {}
            for tab in child.iterfind(w("tab")):
                pos = to_int(wval(tab, "pos"))
                if pos is not None:
                    tabs[pos] = (wval(tab) or "left", wval(tab, "leader") or "none")
            out["tabs"] = tabs
        elif name == "numPr":
            num_id = wval(child.find(w("numId")))
            out["numbered"] = num_id not in (None, "0")
        elif name == "outlineLvl":
            out["outline"] = to_int(wval(child), 9)
        elif name == "framePr":
            out["frame"] = True
        elif name == "textDirection" and wval(child) not in (None, "lrTb", "tb"):
            out["text_direction"] = wval(child)
    return out


def _parse_ind(el: etree._Element, out: Props) -> None:
    for attrs, key in ((("left", "start"), "ind_left"), (("right", "end"), "ind_right")):
        for attr in attrs:
            value = to_int(wval(el, attr))
            if value is not None:
                out[key] = value
                break
        for attr in attrs:
            chars = to_int(wval(el, attr + "Chars"))
            if chars is not None:
                out[key + "_chars"] = chars
                break
    # w:hanging takes precedence over w:firstLine (17.3.1.12); both are one value.
    hanging = to_int(wval(el, "hanging"))
    first = to_int(wval(el, "firstLine"))
    if hanging is not None:
        out["ind_first"] = -hanging
        out.pop("ind_first_chars", None)
    elif first is not None:
        out["ind_first"] = first
    hanging_chars = to_int(wval(el, "hangingChars"))
    first_chars = to_int(wval(el, "firstLineChars"))
    if hanging_chars is not None:
        out["ind_first_chars"] = -hanging_chars
    elif first_chars is not None:
        out["ind_first_chars"] = first_chars


def _parse_spacing(el: etree._Element, out: Props) -> None:
    for attr, key in (
        ("before", "before"),
        ("after", "after"),
        ("line", "line"),
        ("beforeLines", "before_lines"),
        ("afterLines", "after_lines"),
    ):
        value = to_int(wval(el, attr))
        if value is not None:
            out[key] = value
    if wval(el, "lineRule"):
        out["line_rule"] = wval(el, "lineRule")
    for attr, key in (("beforeAutospacing", "before_auto"), ("afterAutospacing", "after_auto")):
        auto = on_off(el, attr, missing=None)
        if auto is not None:
            out[key] = auto


#: What a reader returns for an element that states nothing.
_NOTHING = object()
#: A reader: the property key an element sets, and how its value is read.
Reader = tuple[str, Callable[[etree._Element], Any]]


def _read(el: etree._Element | None, readers: Mapping[str, Reader]) -> Props:
    """Parse the children of `el` with `readers` (by local name); unknown ones are skipped."""
    out: Props = {}
    if el is None:
        return out
    for name, child in _children(el):
        if name in readers:
            key, read = readers[name]
            value = read(child)
            if value is not _NOTHING:
                out[key] = value
    return out


def _margins(el: etree._Element) -> dict[str, int]:
    out: dict[str, int] = {}
    for side, child in _children(el):
        if wval(child, "type") in (None, "dxa"):
            out[_SIDES.get(side, side)] = to_int(wval(child, "w"), 0) or 0
    return out


def _width(el: etree._Element) -> tuple[int | None, str]:
    value = wval(el, "w") or ""
    if value.endswith("%"):
        # ISO/IEC 29500 Strict writes percentages as "50%"; pct counts fiftieths of one.
        return round(float(to_int(value[:-1], 0) or 0) * 50), "pct"
    return to_int(value, 0), wval(el, "type") or "dxa"


def _direction(el: etree._Element) -> Any:
    value = wval(el)
    return _NOTHING if value in (None, "lrTb", "tb") else value


def _twips(el: etree._Element) -> int | None:
    return to_int(wval(el, "w"), 0)


def _flag(_el: etree._Element) -> bool:
    return True


_TABLE: dict[str, Reader] = {
    "tblStyle": ("style", wval),
    "tblBorders": ("borders", borders),
    "tblCellMar": ("cell_mar", _margins),
    "tblInd": ("ind", lambda el: _twips(el) if wval(el, "type") in (None, "dxa") else 0),
    "jc": ("jc", wval),
    "tblW": ("width", _width),
    "tblLayout": ("layout", lambda el: wval(el, "type")),
    "tblpPr": ("floating", _flag),
    "shd": ("shd", shading),
    "tblCellSpacing": ("cell_spacing", _twips),
    "tblLook": ("look", _flag),
}
_ROW: dict[str, Reader] = {
    "trHeight": ("height", lambda el: (to_int(wval(el), 0), wval(el, "hRule") or "atLeast")),
    "cantSplit": ("cant_split", on_off),
    "tblHeader": ("header", on_off),
    "gridBefore": ("grid_before", lambda el: to_int(wval(el), 0)),
    "gridAfter": ("grid_after", lambda el: to_int(wval(el), 0)),
    "jc": ("jc", wval),
}
_CELL: dict[str, Reader] = {
    "gridSpan": ("span", lambda el: max(to_int(wval(el), 1) or 1, 1)),
    "vMerge": ("vmerge", lambda el: wval(el) or "continue"),
    "hMerge": ("hmerge", lambda el: wval(el) or "continue"),
    "vAlign": ("valign", wval),
    "shd": ("shd", shading),
    "tcBorders": ("borders", borders),
    "tcMar": ("mar", _margins),
    "tcW": ("width", _width),
    "textDirection": ("text_direction", _direction),
    "noWrap": ("no_wrap", on_off),
}


def parse_table(tblpr: etree._Element | None) -> Props:
    """Parse a ``w:tblPr``."""
    return _read(tblpr, _TABLE)


def parse_row(trpr: etree._Element | None) -> Props:
    """Parse a ``w:trPr`` (and ``w:tblPrEx`` is ignored)."""
    return _read(trpr, _ROW)


def parse_cell(tcpr: etree._Element | None) -> Props:
    """Parse a ``w:tcPr``."""
    return _read(tcpr, _CELL)


def merge_para(base: Props, over: Props) -> Props:
    """Layer paragraph properties `over` on `base` (partial ``w:ind``/``w:spacing`` merge)."""
    out = dict(base)
    for key, value in over.items():
        if key == "borders":
            out["borders"] = {**base.get("borders", {}), **value}
        elif key == "tabs":
            tabs = dict(base.get("tabs", {}))
            for pos, (kind, leader) in value.items():
                if kind == "clear":
                    tabs.pop(pos, None)
                else:
                    tabs[pos] = (kind, leader)
            out["tabs"] = tabs
        else:
            out[key] = value
    # Character-unit indents override twips ones only when set at the same or a later level.
    for key in ("ind_left", "ind_right", "ind_first"):
        if key in over and key + "_chars" not in over:
            out.pop(key + "_chars", None)
    for key in ("before", "after"):
        if key in over and key + "_lines" not in over:
            out.pop(key + "_lines", None)
    return out


def merge_run(base: Props, over: Props) -> Props:
    """Layer run properties `over` on `base` (plain override, toggles handled by the resolver)."""
    out = dict(base)
    out.update(over)
    return out


def merge_table(base: Props, over: Props) -> Props:
    """Layer table, row or cell properties `over` on `base` (borders and margins by side)."""
    out = dict(base)
    for key, value in over.items():
        if key in ("borders", "cell_mar", "mar"):
            out[key] = {**base.get(key, {}), **value}
        else:
            out[key] = value
    return out
