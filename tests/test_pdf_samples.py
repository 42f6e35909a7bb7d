"""PDF of every real document against LibreOffice's rendering of the same DOCX.

Both samples (every document kind) and a long regulation of 56 articles are built with
``vanban build`` (DOCX and PDF); LibreOffice converts the same DOCX files in one call. For each
document: the same page count, the same words in the same order, the body's left edge at the
DOCX margin (±1 mm), the signature block and Nơi nhận on the same page, page numbers from page 2
only; fonts embedded; metadata from the document.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests import dossiers
from tests.render import fidelity
from vanban.cli import cli

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(not fidelity.have_libreoffice(), reason="needs soffice and poppler-utils"),
]

ROOT = Path(__file__).resolve().parents[1]
LEFT_MARGIN_MM = 30
TOP_MARGIN_MM = 20


def long_regulation(folder: Path) -> Path:
    data = dossiers.sample()
    data.pop("tap_huan")
    data["cuoc_hop"] = data["cuoc_hop"][:1]
    clause = ("Thành viên Ban điều hành có trách nhiệm theo dõi, đôn đốc, tổng hợp kết quả thực "
              "hiện nhiệm vụ được phân công và báo cáo Trưởng ban theo định kỳ hằng tháng")
    data["quy_che"] = {"chuong": [
        {"ten": f"Quy định thứ {c}", "dieu": [
            {"tieu_de": f"Nội dung {c}.{d}", "khoan": [
                clause, {"noi_dung": clause, "diem": ["điểm thứ nhất", "điểm thứ hai",
                                                      "điểm thứ ba"]}]}
            for d in range(1, 9)]}
        for c in range(1, 8)]}
    return dossiers.write(folder, data)


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> list[tuple[Path, Path, Path]]:
    """Return (docx, our pdf, LibreOffice's pdf) for every document."""
    work = tmp_path_factory.mktemp("pdf-samples")
    inputs = {
        "tan-tho-2023": ROOT / "samples/tan-tho-2023/hoso.yaml",
        "trung-chinh-2025": ROOT / "samples/trung-chinh-2025/hoso.yaml",
        "quy-che-dai": long_regulation(work),
    }
    docx_files = []
    for name, dossier in inputs.items():
        out = work / name
        only = ["--only", "quy-che"] if name == "quy-che-dai" else []
        result = CliRunner().invoke(cli, ["build", str(dossier), "-o", str(out), *only],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
        docx_files += sorted(out.glob("*.docx"))
    # Both samples have the same file names: give LibreOffice unique ones, one call for all.
    unique = work / "libreoffice-in"
    unique.mkdir()
    copies = {}
    for d in docx_files:
        copy = unique / f"{d.parent.name}__{d.name}"
        copy.write_bytes(d.read_bytes())
        copies[d] = copy
    theirs = fidelity.libreoffice_pdfs(list(copies.values()), work / "libreoffice")
    return [(d, d.with_suffix(".pdf"), theirs[copies[d]]) for d in docx_files]


def _id(item: tuple[Path, Path, Path]) -> str:
    return f"{item[0].parent.name}/{item[0].stem}"


def test_long_regulation_really_is_long(documents) -> None:
    long = [ours for d, ours, _ in documents if d.parent.name == "quy-che-dai"]
    assert long
    assert fidelity.page_count(long[0]) >= 8
    assert fidelity.text(long[0]).count("Điều ") >= 50


def test_same_page_count_as_libreoffice(documents) -> None:
    report = {_id(x): (fidelity.page_count(x[1]), fidelity.page_count(x[2])) for x in documents}
    assert all(a == b for a, b in report.values()), report


def positional_words(pdf: Path) -> list[str]:
    """Words line by line from the page geometry (producers order their text differently)."""
    return [w for page in fidelity.pages(pdf) for w in fidelity.line_words(page)]


def test_same_words_in_the_same_order(documents) -> None:
    for item in documents:
        assert positional_words(item[1]) == positional_words(item[2]), _id(item)
        assert sorted(fidelity.words(item[1])) == sorted(fidelity.words(item[2])), _id(item)


def test_body_left_edge_at_the_margin(documents) -> None:
    for item in documents:
        for ours, theirs in zip(fidelity.pages(item[1]), fidelity.pages(item[2]), strict=True):
            edge = fidelity.left_edge_mm(ours, TOP_MARGIN_MM, None)
            assert abs(edge - fidelity.left_edge_mm(theirs, TOP_MARGIN_MM, None)) <= 1, (
                _id(item), ours.number, edge)
            if not item[0].stem.startswith(("danh-sach", "phieu")):  # pages of table cells
                assert abs(edge - LEFT_MARGIN_MM) <= 1, (_id(item), ours.number, edge)


#: What closes each signed kind (by file-name prefix): the phrases that must be found.
CLOSING = {"quyet-dinh-": ("Nơi nhận:",), "bien-ban-": ("THƯ KÝ", "Nơi nhận:")}


def test_closing_block_on_the_same_page_as_libreoffice_and_last(documents) -> None:
    checked = set()
    for item in documents:
        ours, theirs = fidelity.pages(item[1]), fidelity.pages(item[2])
        phrases = [p for prefix, closing in CLOSING.items() if item[0].stem.startswith(prefix)
                   for p in closing]
        for phrase in phrases:
            page = fidelity.page_of(ours, phrase)
            assert page is not None, (_id(item), phrase)
            assert page == fidelity.page_of(theirs, phrase), (_id(item), phrase)
            checked.add(item[0].stem)
        if phrases:  # nothing follows the recipients: they are on the last page
            assert fidelity.page_of(ours, "Nơi nhận:") == len(ours), _id(item)
    assert {stem.split("-")[0] for stem in checked} == {"quyet", "bien"}


def test_page_numbers_from_page_two_only(documents) -> None:
    for item in documents:
        for page in fidelity.pages(item[1]):
            number = fidelity.top_margin_number(page, TOP_MARGIN_MM)
            if page.number == 1:
                assert number is None, _id(item)
            else:
                assert number == str(page.number), (_id(item), page.number)


def test_fonts_are_embedded(documents) -> None:
    for item in documents[:3]:
        fonts = subprocess.run(["pdffonts", str(item[1])], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        assert fonts
        assert all(" yes " in line.split("Identity-H", 1)[-1] for line in fonts), fonts


def test_metadata_comes_from_the_document(documents) -> None:
    for item in documents:
        info = fidelity.pdf_info(item[1])
        assert info["Title"], _id(item)
        assert info["Author"].startswith(("ỦY BAN", "UỶ BAN", "ĐẢNG", "BAN")), _id(item)
        if item[0].stem == "quyet-dinh-thanh-lap-ban-dieu-hanh" and "tan-tho" in str(item[0]):
            assert info["Subject"] == "45/QĐ-UBND"
            assert info["Keywords"] == "45/QĐ-UBND"
