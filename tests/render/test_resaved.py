"""A DOCX opened and saved in LibreOffice, with no edit, lays out as the original did.

LibreOffice's save rewrites the tables: per-cell borders with ``w:start``/``w:end``, new
style ids, and each grid column truncated to whole twips, so the columns add up to a twip
less than the table's ``w:tblW``. LibreOffice itself lays the columns out across
``w:tblW`` again; so must we, or a cell line that filled its column breaks in two.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.render import fidelity
from tests.render.test_html import Parsed, body_xml
from vanban.cli import cli
from vanban.render.html import docx_to_html
from vanban.render.pdf import docx_to_pdf

ROOT = Path(__file__).resolve().parents[2]
#: The decision with the member table whose lines fill their cells (QA report D11).
DOCUMENT = "quyet-dinh-thanh-lap-ban-dieu-hanh"
SAMPLES = ["tan-tho-2023", "trung-chinh-2025"]


@pytest.fixture(scope="module")
def resaved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Return, by sample, (vanban's PDF of its DOCX, vanban's PDF of LibreOffice's re-save)."""
    if not fidelity.have_libreoffice():
        pytest.skip("LibreOffice (soffice) or poppler-utils is not installed")
    work = tmp_path_factory.mktemp("resaved")
    originals = {}
    for sample in SAMPLES:
        out = work / sample
        result = CliRunner().invoke(
            cli,
            ["build", str(ROOT / "samples" / sample / "hoso.yaml"), "-o", str(out),
             "--only", DOCUMENT],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        # Both samples name the file alike: give LibreOffice unique names, one call for all.
        copy = work / f"{sample}.docx"
        copy.write_bytes((out / f"{DOCUMENT}.docx").read_bytes())
        originals[sample] = (out / f"{DOCUMENT}.pdf", copy)
    saved = fidelity.libreoffice_convert([c for _, c in originals.values()], work / "lo", "docx")
    out_pdfs = {}
    for sample, (pdf, copy) in originals.items():
        again = work / f"{sample}-resaved.pdf"
        again.write_bytes(docx_to_pdf(saved[copy].read_bytes()).pdf)
        out_pdfs[sample] = (pdf, again)
    return out_pdfs


def page_lines(pdf: Path) -> list[list[list[str]]]:
    """Return the words of each line of each page."""
    return [
        [fidelity.normalise(" ".join(w.text for w in line)) for line in fidelity.lines(p.words)]
        for p in fidelity.pages(pdf)
    ]


@pytest.mark.libreoffice
@pytest.mark.parametrize("sample", SAMPLES)
def test_resaved_docx_keeps_its_pages_and_lines(
    resaved: dict[str, tuple[Path, Path]], sample: str
) -> None:
    original, again = resaved[sample]
    assert fidelity.page_count(again) == fidelity.page_count(original)
    assert page_lines(again) == page_lines(original)


def widths(table: str) -> list[str]:
    """Return the column widths of the one table of a body holding `table`."""
    parsed = Parsed(docx_to_html(body_xml(table)))
    return [col.get("style") for col in parsed.tree.xpath("//col")]


def table_xml(tblw: str, grid: list[int]) -> str:
    cells = "".join(
        f'<w:tc><w:tcPr><w:tcW w:w="{g}" w:type="dxa"/></w:tcPr><w:p/></w:tc>' for g in grid
    )
    cols = "".join(f'<w:gridCol w:w="{g}"/>' for g in grid)
    return (
        f'<w:tbl><w:tblPr>{tblw}<w:tblLayout w:type="fixed"/></w:tblPr>'
        f"<w:tblGrid>{cols}</w:tblGrid><w:tr>{cells}</w:tr></w:tbl>"
    )


@pytest.mark.parametrize(
    ("tblw", "grid", "expected"),
    [
        # LibreOffice's save of [737, 2665, 3118, 2835]: its columns come back.
        ('<w:tblW w:w="9355" w:type="dxa"/>', [737, 2665, 3118, 2834],
         ["36.85pt", "133.25pt", "155.9pt", "141.75pt"]),
        ('<w:tblW w:w="9355" w:type="dxa"/>', [3554, 5800], ["177.65pt", "290.1pt"]),
        # The grid already fills the table, or the table has no width of its own: as written.
        ('<w:tblW w:w="4000" w:type="dxa"/>', [1000, 3000], ["50pt", "150pt"]),
        ('<w:tblW w:w="0" w:type="auto"/>', [1000, 3000], ["50pt", "150pt"]),
        ("", [1000, 3000], ["50pt", "150pt"]),
        # Twice the grid; half the text width (python-docx's default page: 6 in = 8640 twips),
        # in fiftieths of a percent or as Strict's percentage.
        ('<w:tblW w:w="8000" w:type="dxa"/>', [1000, 3000], ["100pt", "300pt"]),
        ('<w:tblW w:w="2500" w:type="pct"/>', [1000, 3000], ["54pt", "162pt"]),
        ('<w:tblW w:w="50%" w:type="pct"/>', [1000, 3000], ["54pt", "162pt"]),
    ],
)
def test_columns_fill_the_preferred_table_width(
    tblw: str, grid: list[int], expected: list[str]
) -> None:
    assert widths(table_xml(tblw, grid)) == [f"width:{w}" for w in expected]
