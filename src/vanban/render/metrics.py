"""Text widths in Times New Roman, measured with its metric twin Liberation Serif.

The decree sizes its rules by the text above them (the Tiêu ngữ rule is as long as the Tiêu
ngữ; the rule under the issuer is 1/3–1/2 of it), so the renderer measures that text.
Liberation Serif has the same advance widths as Times New Roman (format-spec S18).
"""

from __future__ import annotations

from functools import cache

from fontTools.ttLib import TTFont

from vanban.render.fonts import liberation_file

#: Average advance of a Vietnamese upper-case letter in em, used when no font file exists.
_FALLBACK_EM = 0.68


@cache
def _widths(bold: bool, italic: bool = False) -> tuple[dict[int, int], int] | None:
    face = {(False, False): "regular", (True, False): "bold", (False, True): "italic",
            (True, True): "bold-italic"}[(bold, italic)]
    path = liberation_file(face)
    if path is None:
        return None
    with TTFont(str(path)) as font:
        hmtx = font["hmtx"]
        widths = {cp: hmtx[name][0] for cp, name in font.getBestCmap().items()}
        return widths, font["head"].unitsPerEm


def text_width_pt(s: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> float:
    """Return the width of `s` set in Times New Roman at `size_pt`, in points."""
    table = _widths(bold, italic)
    if table is None:
        return len(s) * size_pt * _FALLBACK_EM
    widths, upem = table
    default = widths.get(ord("n"), upem // 2)
    return sum(widths.get(ord(ch), default) for ch in s) * size_pt / upem
