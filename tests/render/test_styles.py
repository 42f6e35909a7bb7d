"""The effective-property resolver: defaults, style chains, toggles, direct formatting."""

from __future__ import annotations

import pytest
from lxml import etree

from vanban.render.ooxml.package import NS
from vanban.render.ooxml.properties import Border, merge_para, parse_para, parse_run, shading
from vanban.render.ooxml.styles import StyleSheet

W = NS["w"]


def sheet(body: str, theme: dict[str, str] | None = None) -> StyleSheet:
    return StyleSheet(etree.fromstring(f'<w:styles xmlns:w="{W}">{body}</w:styles>'), theme)


def ppr(body: str) -> etree._Element:
    return etree.fromstring(f'<w:pPr xmlns:w="{W}">{body}</w:pPr>')


def rpr(body: str) -> etree._Element:
    return etree.fromstring(f'<w:rPr xmlns:w="{W}">{body}</w:rPr>')


DEFAULTS = """
<w:docDefaults>
  <w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/>
    <w:sz w:val="28"/></w:rPr></w:rPrDefault>
  <w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
  </w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Body"><w:name w:val="VB Nội dung"/>
  <w:basedOn w:val="Normal"/>
  <w:pPr><w:jc w:val="both"/><w:ind w:left="100" w:firstLine="720"/>
    <w:spacing w:before="120" w:line="360" w:lineRule="exact"/></w:pPr>
  <w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Child"><w:name w:val="Child"/><w:basedOn w:val="Body"/>
  <w:pPr><w:ind w:hanging="300"/><w:spacing w:before="0"/></w:pPr>
  <w:rPr><w:sz w:val="26"/><w:b w:val="0"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Strong"><w:name w:val="VB Đậm"/><w:rPr><w:b/><w:i/></w:rPr>
</w:style>
<w:style w:type="paragraph" w:styleId="LoopA"><w:name w:val="A"/>
  <w:basedOn w:val="LoopB"/></w:style>
<w:style w:type="paragraph" w:styleId="LoopB"><w:name w:val="B"/>
  <w:basedOn w:val="LoopA"/></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>
  <w:tblPr><w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>
  </w:tblCellMar></w:tblPr></w:style>
<w:style w:type="table" w:styleId="Grid"><w:name w:val="Table Grid"/>
  <w:basedOn w:val="TableNormal"/>
  <w:pPr><w:spacing w:line="240" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr>
  <w:rPr><w:i/></w:rPr>
  <w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/>
    <w:insideH w:val="nil"/></w:tblBorders></w:tblPr></w:style>
"""


@pytest.fixture
def styles() -> StyleSheet:
    return sheet(DEFAULTS)


def test_document_defaults_apply_without_a_style(styles: StyleSheet) -> None:
    run = styles.run(None, None, {})
    assert run["sz"] == 28
    assert run["font_ascii"] == "Times New Roman"
    para = styles.paragraph(None, {})
    assert (para["line"], para["line_rule"], para["after"]) == (240, "auto", 0)


def test_based_on_chain_merges_partial_elements(styles: StyleSheet) -> None:
    para = styles.paragraph("Child", {})
    # w:ind and w:spacing merge attribute by attribute along the chain.
    assert para["ind_left"] == 100
    assert para["ind_first"] == -300
    assert para["before"] == 0
    assert (para["line"], para["line_rule"]) == (360, "exact")
    assert para["jc"] == "both"


@pytest.mark.parametrize(
    ("para_style", "char_style", "direct", "bold", "italic"),
    [
        (None, None, {}, False, False),
        ("Body", None, {}, True, False),
        ("Child", None, {}, False, False),
        # Toggles XOR across levels: bold paragraph style + bold character style = not bold.
        ("Body", "Strong", {}, False, True),
        ("Child", "Strong", {}, True, True),
        # Direct formatting sets a toggle outright.
        ("Body", "Strong", {"b": True}, True, True),
        ("Body", None, {"b": False}, False, False),
    ],
    ids=[
        "defaults",
        "para-style",
        "child-overrides",
        "xor",
        "xor-child",
        "direct-on",
        "direct-off",
    ],
)
def test_toggle_properties(
    styles: StyleSheet,
    para_style: str | None,
    char_style: str | None,
    direct: dict[str, bool],
    bold: bool,
    italic: bool,
) -> None:
    run = styles.run(para_style, char_style, direct)
    assert bool(run.get("b")) is bold
    assert bool(run.get("i")) is italic


def test_direct_formatting_wins(styles: StyleSheet) -> None:
    direct = parse_para(ppr('<w:jc w:val="center"/><w:ind w:firstLine="0"/>'))
    para = styles.paragraph("Body", direct)
    assert para["jc"] == "center"
    assert para["ind_first"] == 0
    assert para["ind_left"] == 100
    run = styles.run("Child", None, parse_run(rpr('<w:sz w:val="40"/>'), {}))
    assert run["sz"] == 40


def test_table_style_sits_between_defaults_and_paragraph_style(styles: StyleSheet) -> None:
    plain = styles.paragraph(None, {}, table_style="Grid")
    assert plain["jc"] == "center"
    styled = styles.paragraph("Body", {}, table_style="Grid")
    assert styled["jc"] == "both"
    assert styles.run(None, None, {}, table_style="Grid")["i"] is True
    table = styles.table("Grid", {})
    assert table["cell_mar"] == {"left": 108, "right": 108}
    assert table["borders"]["top"] == Border("single", 0.5, None, 0.0)
    assert not table["borders"]["insideH"].visible


def test_cycles_in_based_on_are_cut(styles: StyleSheet) -> None:
    assert [s.id for s in styles.chain("LoopA")] == ["LoopB", "LoopA"]


def test_theme_fonts_resolve() -> None:
    styles = sheet(
        '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" '
        'w:ascii="Arial"/></w:rPr></w:rPrDefault></w:docDefaults>',
        {"minor": "Cambria", "major": "Calibri"},
    )
    assert styles.run(None, None, {})["font_ascii"] == "Cambria"


def test_tabs_merge_and_clear() -> None:
    base = parse_para(
        ppr(
            '<w:tabs><w:tab w:val="left" w:pos="1000"/>'
            '<w:tab w:val="right" w:leader="dot" w:pos="9355"/></w:tabs>'
        )
    )
    over = parse_para(
        ppr(
            '<w:tabs><w:tab w:val="clear" w:pos="1000"/>'
            '<w:tab w:val="center" w:pos="4000"/></w:tabs>'
        )
    )
    assert merge_para(base, over)["tabs"] == {9355: ("right", "dot"), 4000: ("center", "none")}


def test_style_names_and_unknown_ids(styles: StyleSheet) -> None:
    assert styles.name("Body") == "VB Nội dung"
    assert styles.name("Missing") == "Missing"
    assert styles.paragraph("Missing", {})["line"] == 240


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        ('<w:shd w:val="clear" w:fill="FFFF00"/>', "#FFFF00"),
        ('<w:shd w:val="solid" w:color="auto" w:fill="FFFFFF"/>', "#000000"),
        ('<w:shd w:val="pct50" w:color="000000" w:fill="FFFFFF"/>', "#808080"),
        ('<w:shd w:val="clear" w:fill="auto"/>', "none"),
    ],
    ids=["clear", "solid", "pct50", "auto"],
)
def test_shading(xml: str, expected: str) -> None:
    assert shading(etree.fromstring(xml.replace("<w:shd", f'<w:shd xmlns:w="{W}"'))) == expected
