"""A received DOCX cannot make the translator run out of memory or time: limits are errors."""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from tests.render.conftest import save, tiny_png
from tests.render.test_html import body_xml
from vanban.cli import cli
from vanban.errors import PdfError
from vanban.render.html import docx_to_html
from vanban.render.ooxml import svg
from vanban.render.ooxml.blocks import MAX_COLUMNS
from vanban.render.ooxml.inline import MAX_IMAGE_USES


def _picture_used(times: int, picture: bytes = b"", ext: str = "png") -> bytes:
    """Return a DOCX whose one picture is shown `times` times (the same relationship)."""
    document = docx.Document()
    run = document.add_paragraph().add_run()
    run.add_picture(io.BytesIO(tiny_png()))
    paragraph = run._r.getparent()
    for _ in range(times - 1):
        paragraph.append(copy.deepcopy(run._r))
    data = save(document)
    if not picture:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            member = src.read(info)
            name = info.filename
            if name.startswith("word/media/"):
                name, member = name.rsplit(".", 1)[0] + "." + ext, picture
            elif name == "word/_rels/document.xml.rels":
                member = member.replace(b".png", b"." + ext.encode())
            dst.writestr(name, member)
    return out.getvalue()


def _svg_bomb(levels: int = 9, fan: int = 10) -> bytes:
    groups = ['<g id="a0"><rect width="1" height="1"/></g>']
    for level in range(1, levels + 1):
        uses = "".join(f'<use href="#a{level - 1}"/>' for _ in range(fan))
        groups.append(f'<g id="a{level}">{uses}</g>')
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><defs>'
            + "".join(groups) + f'</defs><use href="#a{levels}"/></svg>').encode()


def test_a_picture_may_be_used_many_times_within_the_limit() -> None:
    result = docx_to_html(_picture_used(MAX_IMAGE_USES))
    assert result.html.count("<img") == MAX_IMAGE_USES


def test_a_picture_used_too_often_is_an_error() -> None:
    with pytest.raises(PdfError, match=f"được dùng hơn {MAX_IMAGE_USES} lần"):
        docx_to_html(_picture_used(MAX_IMAGE_USES + 1))


def test_an_svg_bomb_is_refused_before_drawing() -> None:
    with pytest.raises(PdfError, match=f"ảnh SVG vẽ hơn {svg.MAX_DRAWN} hình"):
        docx_to_html(_picture_used(1, _svg_bomb(), "svg"))


def test_an_svg_using_itself_is_refused() -> None:
    loop = (b'<svg xmlns="http://www.w3.org/2000/svg"><g id="a"><use href="#b"/></g>'
            b'<g id="b"><use href="#a"/></g></svg>')
    with pytest.raises(PdfError, match="tự trỏ vào chính nó"):
        docx_to_html(_picture_used(1, loop, "svg"))


def test_a_modest_svg_is_kept() -> None:
    result = docx_to_html(_picture_used(1, _svg_bomb(levels=2), "svg"))
    assert "data:image/svg+xml;base64," in result.html


@pytest.mark.parametrize("span", ["2000000000", str(MAX_COLUMNS + 1), "1e300", "inf"])
def test_a_table_span_past_the_limit_is_an_error_or_ignored(span: str) -> None:
    table = (
        "<w:tbl><w:tblGrid><w:gridCol w:w=\"2000\"/></w:tblGrid><w:tr><w:tc><w:tcPr>"
        f'<w:gridSpan w:val="{span}"/></w:tcPr><w:p><w:r><w:t>ô</w:t></w:r></w:p></w:tc></w:tr>'
        "</w:tbl>"
    )
    data = body_xml(table)
    if span in ("1e300", "inf"):  # not a 32-bit number: read as absent
        assert "ô" in docx_to_html(data).html
        return
    with pytest.raises(PdfError, match=f"quá giới hạn {MAX_COLUMNS} cột"):
        docx_to_html(data)


@pytest.mark.parametrize("value", ["inf", "nan", "0", "99999999999", "-5"])
def test_an_impossible_page_size_is_named(tmp_path: Path, value: str) -> None:
    document = docx.Document()
    document.add_paragraph("Trang")
    document.sections[0]._sectPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pgSz").set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}h", value)
    path = tmp_path / "kho-giay.docx"
    path.write_bytes(save(document))
    result = CliRunner().invoke(cli, ["pdf", str(path)])
    assert result.exit_code == 1, result.output
    assert f'{path}: khổ giấy w:pgSz w:h="{value}" không hợp lệ' in result.output


def test_a_word_longer_than_a_line_gets_break_points() -> None:
    """WeasyPrint lays out a long word without break points in time quadratic in its length."""
    word = "Tân" * 1000
    document = docx.Document()
    document.add_paragraph(f"Đầu {word} cuối, và một từ thường")
    result = docx_to_html(save(document))
    pieces = [word[i:i + 16] for i in range(0, len(word), 16)]
    assert "\u200b".join(pieces) in result.html
    assert result.html.count("\u200b") == len(pieces) - 1
    assert "Đầu" in result.html
    assert "một từ thường" in result.html


def test_a_long_word_reaches_the_pdf_whole() -> None:
    import subprocess

    from vanban.render.pdf import docx_to_pdf

    word = "ĐàNẵng" * 400
    document = docx.Document()
    document.add_paragraph(f"Đầu {word} cuối")
    shown = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"],
                           input=docx_to_pdf(save(document)).pdf, capture_output=True,
                           check=True).stdout.decode("utf-8")
    import unicodedata

    flat = "".join(unicodedata.normalize("NFC", shown).replace("\u200b", "").split())
    assert f"Đầu{word}cuối" in flat
