"""Our PDF against LibreOffice's rendering of the same DOCX: pages, words, positions."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from tests.render import fidelity
from tests.render.conftest import PAGE

pytestmark = pytest.mark.libreoffice

NAMES = ["quyet-dinh", "dang", "phu-luc", "ngat-trang"]
#: Contract margins in millimetres (format-spec §1: 20/20/30/15).
TOP_MM = PAGE["top"] / 56.693
LEFT_MM = PAGE["left"] / 56.693
RIGHT_MM = PAGE["right"] / 56.693
HEADER_MM = PAGE["header"] / 56.693


@pytest.mark.parametrize("name", NAMES)
def test_page_count_matches(our_pdfs: dict[str, Path], lo_pdfs: dict[str, Path], name: str) -> None:
    assert fidelity.page_count(our_pdfs[name]) == fidelity.page_count(lo_pdfs[name])


def body_words(path: Path) -> list[list[str]]:
    """Words of each page below the top margin (the header is compared separately)."""
    return [
        fidelity.normalise(" ".join(w.text for w in page.band(TOP_MM)))
        for page in fidelity.pages(path)
    ]


@pytest.mark.parametrize("name", NAMES)
def test_words_in_order_match_page_by_page(
    our_pdfs: dict[str, Path], lo_pdfs: dict[str, Path], name: str
) -> None:
    ours, theirs = body_words(our_pdfs[name]), body_words(lo_pdfs[name])
    assert len(ours) == len(theirs)
    for number, (mine, lo) in enumerate(zip(ours, theirs, strict=True), start=1):
        assert mine == lo, f"page {number}: " + "\n".join(
            list(difflib.unified_diff(lo, mine, lineterm="", n=1))[:20]
        )


@pytest.mark.parametrize("name", NAMES)
def test_lines_match_page_by_page(
    our_pdfs: dict[str, Path], lo_pdfs: dict[str, Path], name: str
) -> None:
    ours = [fidelity.line_words(p) for p in fidelity.pages(our_pdfs[name])]
    theirs = [fidelity.line_words(p) for p in fidelity.pages(lo_pdfs[name])]
    assert ours == theirs


@pytest.mark.parametrize("name", NAMES)
def test_whole_text_matches(our_pdfs: dict[str, Path], lo_pdfs: dict[str, Path], name: str) -> None:
    assert sorted(fidelity.words(our_pdfs[name])) == sorted(fidelity.words(lo_pdfs[name]))


@pytest.mark.parametrize("name", NAMES)
def test_words_sit_where_libreoffice_puts_them(
    our_pdfs: dict[str, Path], lo_pdfs: dict[str, Path], name: str
) -> None:
    pairs_of_pages = zip(fidelity.pages(our_pdfs[name]), fidelity.pages(lo_pdfs[name]), strict=True)
    for mine, lo in pairs_of_pages:
        pairs = fidelity.matched_words(mine, lo)
        assert len(pairs) >= 0.95 * len(lo.words)
        worst_x = max(abs(a.x0 - b.x0) for a, b in pairs) / fidelity.MM
        worst_y = max(abs(a.y0 - b.y0) for a, b in pairs) / fidelity.MM
        assert worst_x <= 1.0, f"page {mine.number}: {worst_x:.2f} mm"
        assert worst_y <= 1.0, f"page {mine.number}: {worst_y:.2f} mm"


@pytest.mark.parametrize("name", NAMES)
def test_body_left_edge_on_the_margin(our_pdfs: dict[str, Path], name: str) -> None:
    for page in fidelity.pages(our_pdfs[name]):
        if len(page.band(TOP_MM)) < 30:
            continue  # a page holding one centred heading has no text at the margin
        assert fidelity.left_edge_mm(page, TOP_MM) == pytest.approx(LEFT_MM, abs=1.0)


@pytest.mark.parametrize(
    ("name", "numbers"),
    [
        ("quyet-dinh", [None, "2", "3", "4", "5"]),
        ("dang", [None, "2"]),
        ("phu-luc", [None, "2", "3", "1", "2", "3"]),
    ],
    ids=["nd30", "dang", "restart-in-annex"],
)
def test_page_numbers_from_page_two_centred_in_the_top_margin(
    our_pdfs: dict[str, Path], lo_pdfs: dict[str, Path], name: str, numbers: list[str | None]
) -> None:
    ours = fidelity.pages(our_pdfs[name])
    assert [fidelity.top_margin_number(p, TOP_MM) for p in ours] == numbers
    lo = fidelity.pages(lo_pdfs[name])
    assert [fidelity.top_margin_number(p, TOP_MM) for p in lo] == numbers
    for page in ours[1:]:
        number = page.band(None, TOP_MM)
        text_centre = (LEFT_MM + page.width / fidelity.MM - RIGHT_MM) / 2
        assert fidelity.centre_mm(number) == pytest.approx(text_centre, abs=1.0)
        # ND30: in the top margin, starting at the header distance (10 mm).
        assert min(w.y0 for w in number) / fidelity.MM == pytest.approx(HEADER_MM, abs=1.0)


@pytest.mark.parametrize(
    ("phrase", "page"),
    [
        ("Trang một.", 1),
        ("Sau ngắt trang trong dòng.", 2),
        ("Sau đoạn chỉ có ngắt trang.", 3),
        ("Ngắt trang trước đoạn.", 4),
        ("Vùng mới.", 9),
    ],
    ids=["first-page", "run-break", "break-only-paragraph", "page-break-before", "section"],
)
def test_space_before_kept_after_forced_breaks(
    our_pdfs: dict[str, Path], lo_pdfs: dict[str, Path], phrase: str, page: int
) -> None:
    for pdfs in (our_pdfs, lo_pdfs):
        found = fidelity.pages(pdfs["ngat-trang"])
        assert fidelity.page_of(found, phrase) == page
        first = found[page - 1].band(TOP_MM)[0]
        # VB Tên loại has 12 pt (4.2 mm) before; word boxes start a little above the line.
        assert TOP_MM + 3 < first.y0 / fidelity.MM < TOP_MM + 5


def test_space_before_dropped_at_natural_page_tops(
    our_pdfs: dict[str, Path], lo_pdfs: dict[str, Path]
) -> None:
    for pdfs in (our_pdfs, lo_pdfs):
        found = fidelity.pages(pdfs["ngat-trang"])
        first = found[4].band(TOP_MM)[0]
        assert first.y0 / fidelity.MM < TOP_MM + 1


def test_phrase_lookup(our_pdfs: dict[str, Path], lo_pdfs: dict[str, Path]) -> None:
    for pdfs in (our_pdfs, lo_pdfs):
        found = fidelity.pages(pdfs["dang"])
        assert fidelity.page_of(found, "Phần sau ngắt trang.") == 2
        assert fidelity.page_of(found, "Phần trước ngắt trang.") == 1
