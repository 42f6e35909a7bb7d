"""Font discovery and the cut faces: family check, Vietnamese coverage, cache, one glyph each."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

from vanban.render import fonts

#: Every Vietnamese letter, both cases (NFC), plus the punctuation official texts use.
VIETNAMESE = (
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
)
PUNCTUATION = "“”‘’–—…•₫№°%§"


@pytest.mark.parametrize("face", list(fonts.FACES))
def test_cut_face_covers_vietnamese(face: str) -> None:
    cut = TTFont(fonts.font_set().files[face])
    cmap = cut.getBestCmap()
    wanted = VIETNAMESE + VIETNAMESE.upper() + PUNCTUATION
    assert [c for c in wanted if ord(c) not in cmap] == []
    # One glyph per code point, so a whole-font ToUnicode map gives back the exact text.
    assert len(set(cmap.values())) == len(cmap)
    assert "GPOS" in cut
    assert "GSUB" in cut


def test_source_family_is_not_a_substitute() -> None:
    family, sources = fonts.find_sources()
    assert family in ("Times New Roman", "Liberation Serif")
    for path in sources.values():
        names = TTFont(path)["name"]
        assert names.getDebugName(1) == family


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig tools missing")
def test_fc_match_refuses_metric_aliases() -> None:
    listed = subprocess.run(
        ["fc-list", "Times New Roman"], capture_output=True, text=True, check=False
    ).stdout
    found = fonts._fc_match("Times New Roman", 80, False)
    if listed.strip():
        assert found is not None
    else:
        # fontconfig answers "Times New Roman" with Liberation Serif; that is not accepted.
        assert found is None


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig tools missing")
def test_fontconfig_in_process_answers_as_fc_match() -> None:
    asks = [(family, *spec) for family in ("Times New Roman", "Liberation Serif", "DejaVu Sans")
            for spec in fonts.FACES.values()]
    answers = fonts._fc_ask_all(asks)
    assert answers is not None, "fontconfig's library is there when fc-match is"
    assert answers == [fonts._fc_match(*ask) for ask in asks]
    assert any(answers), "the serif this machine renders with is found"


def test_cache_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert fonts.cache_dir() == tmp_path / "vanban" / "fonts"


def test_cache_folder_falls_back_when_not_writable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    folder = fonts.cache_dir()
    assert not str(folder).startswith(str(blocker))
    assert os.access(folder, os.W_OK)


def test_cut_once_then_reuse(tmp_path: Path) -> None:
    source = fonts.font_set().sources["regular"]
    first = fonts.cut_font(source, tmp_path)
    stamp = first.stat().st_mtime_ns
    again = fonts.cut_font(source, tmp_path)
    assert again == first
    assert again.stat().st_mtime_ns == stamp
    assert [p.name for p in tmp_path.iterdir()] == [first.name]


def shared_glyph_font() -> TTFont:
    """A tiny font where Đ (U+0110) and Icelandic Ð (U+00D0) share one glyph."""
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "Eth", "space"])
    builder.setupCharacterMap({0x00D0: "Eth", 0x0110: "Eth", 0x20: "space"})
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0))
    pen.lineTo((500, 0))
    pen.lineTo((500, 700))
    pen.closePath()
    box = pen.glyph()
    builder.setupGlyf({".notdef": box, "Eth": box, "space": TTGlyphPen(None).glyph()})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "Eth": (600, 0), "space": (250, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Test", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    return builder.font


def test_shared_glyphs_are_split() -> None:
    font = shared_glyph_font()
    fonts._split_shared_glyphs(font)
    saved = io.BytesIO()
    font.save(saved)
    reloaded = TTFont(io.BytesIO(saved.getvalue()))
    cmap = reloaded.getBestCmap()
    assert cmap[0x0110] != cmap[0x00D0]
    # The Vietnamese letter keeps the original glyph (and its kerning); Ð gets the copy.
    assert reloaded.getGlyphID(cmap[0x0110]) < reloaded.getGlyphID(cmap[0x00D0])
    assert reloaded["hmtx"][cmap[0x00D0]] == reloaded["hmtx"][cmap[0x0110]]
