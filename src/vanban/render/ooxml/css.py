"""Turn resolved OOXML properties into CSS declarations (pure functions)."""

from __future__ import annotations

from collections.abc import Callable

from vanban.render.ooxml.properties import Border, Props

Decls = dict[str, str]
FontMap = Callable[[str], str]

#: Height of one "single" line as a multiple of the font size, from the font's
#: ascender + descender + line gap (hhea); Word and LibreOffice use the same sum.
SINGLE_LINE = {
    "times new roman": 1.1499,
    "liberation serif": 1.1499,
    "arial": 1.1499,
    "liberation sans": 1.1499,
    "calibri": 1.2207,
    "cambria": 1.1724,
}
DEFAULT_SINGLE_LINE = 1.1499
#: Word's automatic spacing ("Auto" before/after, w:beforeAutospacing) is 14 pt.
AUTO_SPACING_TWIPS = 280
_BORDER_STYLES = {
    "single": "solid",
    "thick": "solid",
    "double": "double",
    "triple": "double",
    "dotted": "dotted",
    "dashed": "dashed",
    "dashSmallGap": "dashed",
    "dotDash": "dashed",
    "dotDotDash": "dotted",
    "inset": "inset",
    "outset": "outset",
    "threeDEmboss": "ridge",
    "threeDEngrave": "groove",
}
_JUSTIFY = {
    "left": "left",
    "start": "left",
    "right": "right",
    "end": "right",
    "center": "center",
    "both": "justify",
    "distribute": "justify",
    "lowKashida": "justify",
    "mediumKashida": "justify",
    "highKashida": "justify",
    "thaiDistribute": "justify",
}
_UNDERLINES = {
    "double": "double",
    "dotted": "dotted",
    "dottedHeavy": "dotted",
    "dash": "dashed",
    "dashedHeavy": "dashed",
    "dashLong": "dashed",
    "dashLongHeavy": "dashed",
    "dotDash": "dashed",
    "dotDotDash": "dotted",
    "wave": "wavy",
    "wavyHeavy": "wavy",
    "wavyDouble": "wavy",
}


def pt(value: float) -> str:
    """Format a length in points, without needless digits."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return f"{text if text not in ('', '-0') else '0'}pt"


def twips(value: float) -> str:
    """Format a length given in twips (1/20 pt) as points."""
    return pt(value / 20)


def decls_text(decls: Decls) -> str:
    """Serialise declarations as ``name:value;…`` in insertion order."""
    return ";".join(f"{k}:{v}" for k, v in decls.items())


def font_size(run: Props) -> float:
    """Return the run's font size in points (Word's default is 10 pt)."""
    return run.get("sz", 20) / 2


def single_line(run: Props) -> float:
    """Return the single-line height ratio of the run's font."""
    name = (run.get("font_ascii") or run.get("font_hansi") or "").lower()
    return SINGLE_LINE.get(name, DEFAULT_SINGLE_LINE)


def border(value: Border) -> str:
    """Return a CSS ``border`` shorthand for an OOXML border."""
    if not value.visible:
        return "none"
    style = _BORDER_STYLES.get(value.style, "solid")
    width = value.width * 3 if style == "double" else value.width
    return f"{pt(width)} {style} {value.color or '#000000'}"


def inherited_run(run: Props, font_map: FontMap) -> Decls:
    """Return the inherited text properties of a run (what a paragraph can carry)."""
    size = font_size(run)
    caps = "uppercase" if run.get("caps") else "none"
    font = run.get("font_ascii") or run.get("font_hansi") or "Times New Roman"
    return {
        "font-family": font_map(font),
        "font-size": pt(size),
        "font-weight": "bold" if run.get("b") else "normal",
        "font-style": "italic" if run.get("i") else "normal",
        "color": run.get("color") or "#000000",
        "text-transform": caps,
        "font-variant-caps": "small-caps"
        if run.get("small_caps") and not run.get("caps")
        else "normal",
        "letter-spacing": twips(run["spacing"]) if run.get("spacing") else "normal",
        # Word kerns only runs that ask for it (w:kern) and only from that size up.
        "font-kerning": "normal" if run.get("kern") and size * 2 >= run["kern"] else "none",
    }


def run_decls(run: Props, inherited: Decls, font_map: FontMap) -> Decls:
    """Return the declarations a run needs on top of its paragraph's `inherited` ones."""
    own = inherited_run(run, font_map)
    out = {k: v for k, v in own.items() if inherited.get(k) != v}
    lines = []
    underline = run.get("u")
    if underline and underline != "none":
        lines.append("underline")
    if run.get("strike") or run.get("dstrike"):
        lines.append("line-through")
    if lines:
        out["text-decoration-line"] = " ".join(lines)
        style = "double" if run.get("dstrike") else _UNDERLINES.get(underline or "", "solid")
        if style != "solid":
            out["text-decoration-style"] = style
        if run.get("u_color"):
            out["text-decoration-color"] = run["u_color"]
    background = run.get("highlight") if run.get("highlight") not in (None, "none") else None
    background = background or (run.get("shd") if run.get("shd") not in (None, "none") else None)
    if background:
        out["background-color"] = background
    size = font_size(run)
    vert = run.get("vert")
    if vert in ("superscript", "subscript"):
        # Word sets super/subscripts at about two thirds of the size, raised or lowered
        # by a third of it.
        out["font-size"] = pt(size * 0.65)
        out["vertical-align"] = pt(size * (0.33 if vert == "superscript" else -0.14))
    elif run.get("position"):
        out["vertical-align"] = pt(run["position"] / 2)
    return out


def text_align(jc: str | None) -> str:
    """Map ``w:jc`` to ``text-align``."""
    return _JUSTIFY.get(jc or "left", "left")


def indents(para: Props, size: float) -> tuple[int, int, int]:
    """Return (left, right, first-line) indents in twips, character units resolved."""

    def value(key: str) -> int:
        chars = para.get(key + "_chars")
        if chars is not None:
            # Character units are hundredths of a character of the paragraph's font size.
            return round(chars / 100 * size * 20)
        return int(para.get(key, 0) or 0)

    return value("ind_left"), value("ind_right"), value("ind_first")


def spacing(para: Props) -> tuple[int, int]:
    """Return (before, after) paragraph spacing in twips."""
    out = []
    for key in ("before", "after"):
        if para.get(key + "_auto"):
            out.append(AUTO_SPACING_TWIPS)
        elif para.get(key + "_lines") is not None:
            # Line units are hundredths of a 12 pt line (17.3.1.33).
            out.append(round(para[key + "_lines"] / 100 * 240))
        else:
            out.append(max(int(para.get(key, 0) or 0), 0))
    return out[0], out[1]


def line_height(para: Props, mark: Props, max_size: float) -> str:
    """Return ``line-height`` for ``w:spacing/@w:line`` and ``@w:lineRule``."""
    rule = para.get("line_rule", "auto")
    line = para.get("line")
    ratio = single_line(mark)
    if line is None or line <= 0:
        return _number(ratio)
    if rule == "exact":
        return twips(line)
    if rule == "atLeast":
        return pt(max(line / 20, ratio * max_size))
    return _number(ratio * line / 240)


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def paragraph_decls(para: Props, mark: Props, max_size: float, font_map: FontMap) -> Decls:
    """Return the declarations of a paragraph box, except its vertical margins."""
    size = font_size(mark)
    left, right, first = indents(para, size)
    out: Decls = inherited_run(mark, font_map)
    out["text-align"] = text_align(para.get("jc"))
    if para.get("jc") == "distribute":
        out["text-align-last"] = "justify"
    out["line-height"] = line_height(para, mark, max_size)
    bdr: dict[str, Border] = para.get("borders", {})
    for side, indent in (("left", left), ("right", right)):
        edge = bdr.get(side)
        if edge is not None and edge.visible:
            # Word draws side borders outside the text, which stays at the indent.
            out[f"border-{side}"] = border(edge)
            out[f"padding-{side}"] = pt(edge.space)
            indent -= round((edge.space + edge.width) * 20)
        if indent:
            out[f"margin-{side}"] = twips(indent)
    if first:
        out["text-indent"] = twips(first)
    for side in ("top", "bottom"):
        edge = bdr.get(side)
        if edge is not None and edge.visible:
            out[f"border-{side}"] = border(edge)
            if edge.space:
                out[f"padding-{side}"] = pt(edge.space)
    if para.get("shd") not in (None, "none"):
        out["background-color"] = para["shd"]
    # Word treats a missing w:widowControl as on; documents turn it off explicitly.
    if para.get("widow_control") is False:
        # CSS defaults to two lines, which is Word's widow control.
        out["orphans"] = out["widows"] = "1"
    if para.get("keep_lines"):
        out["break-inside"] = "avoid"
    if para.get("keep_next"):
        out["break-after"] = "avoid"
    return out


