"""The fitting pass: poor page breaks found in real layouts, and removed within the decree's ranges.

The samples are built with and without the pass and read back (pdfinfo for the pages, the DOCX
styles for the settings); a property-based run over dossiers of many lengths counts the poor
breaks before and after fitting.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import dossiers
from tests.render import fidelity
from tests.render.fidelity import needs_poppler
from tests.test_tap_huan import assert_numbers_are_the_pdf_pages, toc
from vanban import documents, fitting, resources
from vanban.build import build
from vanban.fitting import Fit, LaidBlock, Page, Row, Typography
from vanban.loading import load
from vanban.render.docx import render_docx
from vanban.render.pdf import lay_out

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("tan-tho-2023", "trung-chinh-2025")


def pdf_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(next(x for x in out.stdout.splitlines() if x.startswith("Pages:")).split()[1])


def in_ranges(t: Typography) -> bool:
    """Check a DOCX's body typography against the decree, independently of the module."""
    return (t.size in (13.0, 14.0) and 1.15 * t.size - 0.01 <= t.line / 20 <= 1.725 * t.size
            and t.before >= 120 and 1.15 * t.table_size - 0.01 <= t.table_line / 20
            <= 1.725 * t.table_size)


@pytest.fixture(scope="module", params=SAMPLES)
def built(request, tmp_path_factory) -> tuple[str, Path, Path, dict]:
    name = request.param
    folder = tmp_path_factory.mktemp(f"fit-{name}")
    dossier = ROOT / "samples" / name / "hoso.yaml"
    # -- no cache: what the pass did is only known when the documents are laid out here --
    fitted = build(dossier, folder / "fit", cache=False)
    build(dossier, folder / "raw", fit=False, cache=False)
    return name, folder / "fit", folder / "raw", fitted.fitted


def test_samples_end_without_poor_breaks(built) -> None:
    _name, _fit, _raw, fitted = built
    assert fitted, "the pass looked at no document"
    assert {"tai-lieu-chuyen-de-1", "tai-lieu-chuyen-de-2"} <= set(fitted)  # handouts too
    left = {name: [str(b) for b in r.after] for name, r in fitted.items() if r.after}
    assert left == {}


def test_fitting_never_adds_a_page_and_the_pdf_is_the_layout_kept(built) -> None:
    _name, fit_dir, raw_dir, fitted = built
    for name, result in fitted.items():
        pages = pdf_pages(fit_dir / f"{name}.pdf")
        assert pages == result.pages, name
        assert pages <= pdf_pages(raw_dir / f"{name}.pdf"), name


def test_the_evaluation_form_fits_one_sheet(built) -> None:
    _name, fit_dir, _raw, _fitted = built
    assert pdf_pages(fit_dir / "phieu-danh-gia.pdf") == 1


def test_every_setting_is_within_the_ranges_and_lives_in_the_docx(built) -> None:
    _name, fit_dir, raw_dir, fitted = built
    changed = 0
    for name, result in fitted.items():
        docx = (fit_dir / f"{name}.docx").read_bytes()
        written = fitting.typography_of(docx)
        assert written is not None
        assert in_ranges(written), (name, written)
        raw = fitting.typography_of((raw_dir / f"{name}.docx").read_bytes())
        assert raw is not None
        assert fitting.within_ranges(result.fit, raw, result.blank_rows), name
        if not result.fit.is_default:
            changed += 1
            # The DOCX carries the setting: its body style reads back as the fit says.
            assert written == result.fit.on(raw), name
        else:
            assert docx == (raw_dir / f"{name}.docx").read_bytes(), name
    assert changed, "no document was fitted"


def test_fitted_and_unfitted_builds_are_each_deterministic(tmp_path: Path) -> None:
    dossier = ROOT / "samples" / "tan-tho-2023" / "hoso.yaml"
    kinds = ["phieu-danh-gia", "danh-sach-hoc-vien"]
    first = build(dossier, tmp_path / "a", only=kinds)
    second = build(dossier, tmp_path / "b", only=kinds)
    for a, b in zip(first.files, second.files, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_blank_rows_the_fit_keeps_are_the_rows_of_the_list(tmp_path: Path) -> None:
    """30 learners and 5 blank rows run onto a third page; the fit keeps 3 blank rows (at
    least half of those asked for) and the list ends on its second page."""
    data = dossiers.sample()
    data["tap_huan"].update(moi_ban_dieu_hanh=False, so_dong_trong=5, hoc_vien=[
        {"ho_ten": f"Nguyễn Văn An {i}", "chuc_vu": "Công chức", "don_vi": "UBND xã"}
        for i in range(30)])
    dossier = dossiers.copy(tmp_path / "hoso", data)
    result = build(dossier, tmp_path / "out", only=["danh-sach-hoc-vien"], cache=False)
    fitted = result.fitted["danh-sach-hoc-vien"]
    assert (fitted.pages_before, fitted.pages) == (3, 2)
    assert fitted.fit.blank_rows is not None
    assert 3 <= fitted.fit.blank_rows < 5
    assert pdf_pages(tmp_path / "out" / "danh-sach-hoc-vien.pdf") == 2
    doc = Document(str(tmp_path / "out" / "danh-sach-hoc-vien.docx"))
    rows = doc.tables[1].rows
    names = [r for r in rows if r.cells[0].text.strip().isdigit() and r.cells[1].text.strip()]
    blank = [r for r in rows if r.cells[0].text.strip().isdigit() and not r.cells[1].text.strip()]
    assert (len(names), len(blank)) == (30, fitted.fit.blank_rows)
    note = fitted.note("danh-sach-hoc-vien")
    assert note is not None
    assert f"{fitted.fit.blank_rows} dòng trống" in note


def test_no_fit_flag_keeps_the_template_typography(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from vanban.cli import cli

    dossier = ROOT / "samples" / "tan-tho-2023" / "hoso.yaml"
    template = resources.template_path("dang/phieu-danh-gia.docx", None)
    expected = fitting.typography_of(template.read_bytes())
    runner = CliRunner()
    raw = []
    for flag, folder in (("--khong-can-trang", "a"), ("--no-fit", "b")):
        result = runner.invoke(cli, ["build", str(dossier), "-o", str(tmp_path / folder),
                                     "--only", "phieu-danh-gia", flag])
        assert result.exit_code == 0, result.output
        assert "căn trang" not in result.output
        docx = (tmp_path / folder / "phieu-danh-gia.docx").read_bytes()
        assert fitting.typography_of(docx) == expected
        raw.append(docx)
    assert raw[0] == raw[1]
    result = runner.invoke(cli, ["build", str(dossier), "-o", str(tmp_path / "c"),
                                 "--only", "phieu-danh-gia"])
    assert result.exit_code == 0, result.output
    fitted = (tmp_path / "c" / "phieu-danh-gia.docx").read_bytes()
    if fitted != raw[0]:
        assert "Đã căn trang phieu-danh-gia: " in result.output
    assert pdf_pages(tmp_path / "c" / "phieu-danh-gia.pdf") <= pdf_pages(
        tmp_path / "a" / "phieu-danh-gia.pdf")


# ---------------------------------------------------------------------------------------------
# Handouts: fitted with their table of contents
# ---------------------------------------------------------------------------------------------

HANDOUT = "tai-lieu-chuyen-de-1"
SENTENCE = ("Chính quyền xã phải lấy lợi ích của Nhân dân làm thước đo cho mọi việc làm, công "
            "khai, minh bạch các thủ tục hành chính và lắng nghe ý kiến của người dân trước khi "
            "quyết định.")
ROMAN = ("I", "II", "III", "IV", "V", "VI")


def handout_text(parts: int, sections: int, paragraphs: int, tail: int) -> str:
    """Return a handout's Markdown: parts of sections of three-sentence paragraphs, and a
    last paragraph of `tail` sentences."""
    out = []
    for i in range(parts):
        out.append(f"# {ROMAN[i]}. NỘI DUNG THỨ {i + 1} CỦA CHUYÊN ĐỀ")
        for j in range(sections):
            out.append(f"## {j + 1}. Phần {ROMAN[i]}, việc thứ {j + 1}")
            out += [" ".join([SENTENCE] * 3)] * paragraphs
    out.append(" ".join([SENTENCE] * tail))
    return "\n\n".join(out) + "\n"


def words(count: int) -> str:
    """Return a paragraph of `count` words."""
    pool = SENTENCE.replace(",", "").rstrip(".").split()
    return " ".join(pool[i % len(pool)] for i in range(count)) + "."


def handout_dossier(folder: Path, content: str) -> Path:
    """Write a dossier whose training has one handout, `content`, in ``folder/cd.md``."""
    folder.mkdir(parents=True, exist_ok=True)
    data = dossiers.sample()
    data["tap_huan"]["chuyen_de"] = [{"tieu_de": "Chuyên đề thử", "tep": "cd.md"}]
    (folder / "cd.md").write_text(content, encoding="utf-8")
    return dossiers.write(folder, data)


def both_ways(dossier: Path, out: Path,
              templates: Path | None = None) -> tuple[Path, Path, fitting.Fitted]:
    """Build the handout fitted and unfitted; return both PDFs and the fitting outcome."""
    only = ["tai-lieu-chuyen-de"]
    fitted = build(dossier, out / "fit", only=only, cache=False, templates_dir=templates)
    build(dossier, out / "raw", only=only, cache=False, fit=False, templates_dir=templates)
    return out / "fit" / f"{HANDOUT}.pdf", out / "raw" / f"{HANDOUT}.pdf", fitted.fitted[HANDOUT]


def headings(docx: Path) -> list[str]:
    return [p.text for p in Document(str(docx)).paragraphs
            if p.style is not None and p.style.name in ("VB Phần", "VB Mục")]


def text_lines(page: fidelity.Page) -> list[str]:
    """Return the lines of text of a page, from the top (its number, from page 2, first)."""
    return [" ".join(fidelity.normalise(" ".join(w.text for w in line)))
            for line in fidelity.lines(page.band(None, None))]


def ends_of_pages(pdf: Path) -> list[str]:
    """Return the last line of text of every page but the last."""
    return [text_lines(page)[-1] for page in fidelity.pages(pdf)[:-1]]


def assert_contents_follow_the_pdf(docx: Path, pdf: Path) -> None:
    """The table lists the headings; its stored numbers are the PDF's, each its heading's."""
    entries = toc(docx)
    assert [title for title, _ in entries] == headings(docx)
    assert_numbers_are_the_pdf_pages(entries, pdf)


@needs_poppler
def test_a_handout_whose_last_page_holds_a_few_lines_is_fitted_with_its_contents(
    tmp_path: Path,
) -> None:
    dossier = handout_dossier(tmp_path / "hoso", handout_text(4, 3, 2, 1))
    pdf, raw_pdf, result = both_ways(dossier, tmp_path)
    # Unfitted, its last page holds a few lines only.
    raw_last = text_lines(fidelity.pages(raw_pdf)[-1])
    assert len(raw_last) <= 4, raw_last  # its number and three lines at most
    assert pdf_pages(pdf) < pdf_pages(raw_pdf)
    assert result.after == []
    assert [b.kind for b in result.before] == [1]
    assert pdf_pages(pdf) == result.pages
    docx = pdf.with_suffix(".docx")
    assert toc(docx)
    assert toc(raw_pdf.with_suffix(".docx"))
    assert_contents_follow_the_pdf(docx, pdf)
    written = fitting.typography_of(docx.read_bytes())
    raw = fitting.typography_of(raw_pdf.with_suffix(".docx").read_bytes())
    assert written is not None
    assert raw is not None
    assert in_ranges(written)
    assert written != raw
    assert written == result.fit.on(raw)


@needs_poppler
def test_a_fit_that_brings_a_handout_within_the_limit_drops_its_contents(
    tmp_path: Path,
) -> None:
    from vanban.documents.tap_huan import TOC_AFTER_PAGES

    dossier = handout_dossier(tmp_path / "hoso", handout_text(3, 3, 2, 8))
    pdf, raw_pdf, result = both_ways(dossier, tmp_path)
    assert toc(raw_pdf.with_suffix(".docx"))
    assert "MỤC LỤC" in fidelity.text(raw_pdf, 1, 1)
    # Fitted, the content takes no more pages than the limit: no table of contents.
    assert toc(pdf.with_suffix(".docx")) == []
    assert "MỤC LỤC" not in fidelity.text(pdf)
    assert pdf_pages(pdf) <= TOC_AFTER_PAGES < pdf_pages(raw_pdf) - 1
    assert result.after == []
    assert pdf_pages(pdf) == result.pages
    written = fitting.typography_of(pdf.with_suffix(".docx").read_bytes())
    assert written is not None
    assert in_ranges(written)


def template_without_keep_with_next(folder: Path) -> Path:
    """Copy the templates into `folder`, the handout's headings no longer kept with next."""
    shutil.copytree(resources.templates_dir(), folder)
    path = folder / "dang" / "tai-lieu-chuyen-de.docx"
    document = Document(str(path))
    for name in ("VB Phần", "VB Mục"):
        keep = document.styles[name].element.pPr.find(qn("w:keepNext"))
        keep.getparent().remove(keep)
    document.save(str(path))
    return folder


@pytest.fixture(scope="module")
def loose_headings(tmp_path_factory) -> tuple[Path, Path, fitting.Fitted]:
    """A long handout whose headings fall at page feet: its template does not keep them
    with what follows (the shipped one does, and then they never stand alone)."""
    work = tmp_path_factory.mktemp("loose")
    templates = template_without_keep_with_next(work / "mau")
    sections = "\n\n".join(f"## {k}. Việc thứ {k}\n\n" + "\n\n".join([words(90)] * 4)
                           for k in range(1, 5))
    content = (f"# I. PHẦN MỘT\n\n{words(636)}\n\n## 1. Mục thử nghiệm\n\n"
               + "\n\n".join([words(90)] * 8) + f"\n\n# II. PHẦN HAI\n\n{sections}\n")
    return both_ways(handout_dossier(work / "hoso", content), work, templates)


@needs_poppler
def test_headings_alone_at_a_page_foot_of_a_handout_are_moved(loose_headings) -> None:
    pdf, raw_pdf, result = loose_headings
    titles = {" ".join(fidelity.normalise(t)) for t in headings(raw_pdf.with_suffix(".docx"))}
    alone = [line for line in ends_of_pages(raw_pdf) if line in titles]
    assert len(alone) >= 1, "the premise: unfitted, a heading ends a page"
    assert [b.kind for b in result.before].count(3) == len(alone)
    assert [line for line in ends_of_pages(pdf) if line in titles] == []
    assert result.after == []
    assert pdf_pages(pdf) <= pdf_pages(raw_pdf)
    assert_contents_follow_the_pdf(pdf.with_suffix(".docx"), pdf)
    written = fitting.typography_of(pdf.with_suffix(".docx").read_bytes())
    assert written is not None
    assert in_ranges(written)


@pytest.mark.libreoffice
def test_libreoffice_lays_the_fitted_handout_out_the_same(loose_headings, tmp_path) -> None:
    if not fidelity.have_libreoffice():
        pytest.skip("needs soffice and poppler-utils")
    pdf, _raw, _result = loose_headings
    docx = pdf.with_suffix(".docx")
    theirs = fidelity.libreoffice_pdfs([docx], tmp_path / "lo")[docx]
    assert fidelity.page_count(theirs) == fidelity.page_count(pdf)
    body = [p for p in fidelity.pages(theirs) if p.number > 1]
    for title, number in toc(docx):
        assert str(fidelity.page_of(body, " ".join(title.split()[:7]))) == number, title


def test_a_handout_cache_entry_holds_its_fitting_and_no_fit_is_apart(tmp_path: Path) -> None:
    from vanban.build import render

    loaded = load(handout_dossier(tmp_path / "hoso", handout_text(4, 3, 2, 1)))
    runs = []
    for fit in (True, True, False):
        fitted: dict[str, fitting.Fitted] = {}
        notes: list[str] = []
        files, warnings = render(loaded, only=["tai-lieu-chuyen-de"], fit=fit, fitted=fitted,
                                 notes=notes, workers=1)
        runs.append((dict(files), notes, warnings, fitted))
    (first, notes, warnings, fitted), (again, notes2, warnings2, fitted2), raw = runs
    assert HANDOUT in fitted
    assert fitted2 == {}
    assert notes == notes2
    assert notes
    assert notes[0].startswith(f"Đã căn trang {HANDOUT}: ")
    assert warnings == warnings2
    assert first == again
    assert raw[0][f"{HANDOUT}.docx"] != first[f"{HANDOUT}.docx"]
    assert raw[1] == []
    uncached, _ = render(loaded, only=["tai-lieu-chuyen-de"], fit=False, cache=False, workers=1)
    assert dict(uncached) == raw[0]


def test_the_page_of_a_table_of_contents_ends_at_a_forced_break() -> None:
    from vanban.render.docx import toc_bookmark

    loaded = load(ROOT / "samples" / "tan-tho-2023" / "hoso.yaml")
    out = documents.collect(loaded, ["tai-lieu-chuyen-de"])[0]
    lines = [{"ten": h, "dau_trang": toc_bookmark(i), "trang": "00"}
             for i, h in enumerate(out.extra["muc_luc"], 1)]
    docx = render_docx(resources.template_path(out.template, None),
                       {**out.context, "muc_luc": lines}, out.meta, loaded.hoso.kieu_dau)
    pages = fitting.read_pages(lay_out(docx))
    assert len(pages) > 3
    assert [p.forced for p in pages] == [True] + [False] * (len(pages) - 1)
    # Its empty foot is no room for the content: the page counts whole.
    assert pages[0].empty > 10 * fitting.MM
    heights = [p.used for p in pages]
    assert fitting._flowing(pages, heights) == pytest.approx(
        sum(heights) + pages[0].empty)


def test_a_fit_note_names_the_tables_line_pitch_only_for_a_document_with_a_list() -> None:
    setting = Fit(size=13.0, line=330, table_line=300)
    note = fitting.Fitted(b"", None, setting, [], [], 1, 3, None, 2, listed=False).note("qd")
    assert note == "Đã căn trang qd: cỡ chữ 13, giãn dòng 16,5 pt (3 → 2 trang)"
    listed = fitting.Fitted(b"", None, setting, [], [], 1, 3, 5, 2, listed=True).note("ds")
    assert listed == "Đã căn trang ds: cỡ chữ 13, giãn dòng 16,5 pt, giãn dòng bảng 15 pt (3 → 2 trang)"


# ---------------------------------------------------------------------------------------------
# The break rules on pages described by hand
# ---------------------------------------------------------------------------------------------

AREA = (75.6, 1047.5)


def page(number: int, *blocks: LaidBlock, rows: tuple[Row, ...] = ()) -> Page:
    return Page(number, *AREA, list(blocks), list(rows))


def body(top: float, bottom: float, lines: int, style: str = "VB Nội dung") -> LaidBlock:
    return LaidBlock(style, top, bottom, lines, "x " * lines)


def signature(top: float) -> list[LaidBlock]:
    return [LaidBlock("VB Thẩm quyền ký", top, top + 21, 1, "CHỦ TỌA"),
            LaidBlock("VB Người ký", top + 100, top + 121, 1, "Nguyễn Văn A")]


def test_closing_lines_alone_after_a_half_empty_page_is_a_poor_break() -> None:
    full = page(1, body(75.6, 850, 30))
    last = page(2, body(75.6, 123.6, 2), *signature(140))
    assert [b.kind for b in fitting.find_breaks([full, last], "bien-ban")] == [2]
    fuller = page(1, body(75.6, 1000, 30))
    assert fitting.find_breaks([fuller, last], "bien-ban") == []


def test_signature_with_one_line_of_body_is_a_poor_break() -> None:
    full = page(1, body(75.6, 1040, 30))
    last = page(2, body(75.6, 99.6, 1), *signature(120))
    assert [b.kind for b in fitting.find_breaks([full, last], "quyet-dinh")] == [2]


def test_heading_at_the_foot_of_a_page_is_a_poor_break() -> None:
    first = page(1, body(75.6, 990, 30), body(1000, 1040, 1, "VB Điều"))
    second = page(2, body(75.6, 400, 10))
    assert [b.kind for b in fitting.find_breaks([first, second], "quy-che")] == [3]
    assert fitting.find_breaks([page(1, body(75.6, 1040, 30)), second], "quy-che") == []


def test_page_of_blank_rows_is_a_poor_break() -> None:
    head = Row(21, 21, 1, True, True, False)
    blank = Row(38, 21, 1, True, False, True)
    named = Row(38, 21, 1, True, False, False)
    first = page(1, body(75.6, 1040, 2), rows=(head, named, named))
    only_blank = page(2, LaidBlock("VB Ghi chú", 200, 230, 1, "Danh sách gồm"), rows=(head, blank))
    assert [b.kind for b in fitting.find_breaks([first, only_blank], "danh-sach")] == [4]
    mixed = page(2, rows=(head, named, blank))
    assert fitting.find_breaks([first, mixed], "danh-sach") == []


def test_ranges() -> None:
    base = Typography(14.0, 360, 120)
    assert fitting.line_range(14) == (322, 483)
    assert fitting.line_range(13) == (299, 448)
    assert fitting.within_ranges(Fit(size=13, line=299), base, None)
    assert not fitting.within_ranges(Fit(size=12), base, None)
    assert not fitting.within_ranges(Fit(line=321), base, None)
    assert not fitting.within_ranges(Fit(before=100), base, None)
    assert fitting.within_ranges(Fit(blank_rows=3), base, 5)
    assert not fitting.within_ranges(Fit(blank_rows=2), base, 5)


@pytest.mark.parametrize("base", [
    Typography(14.0, 360, 120), Typography(14.0, 322, 120, 40), Typography(13.0, 330, 160),
    Typography(14.0, 300, 120),  # a clerk's template set tighter than the decree allows
])
@pytest.mark.parametrize("blank_rows", [None, 6])
def test_no_shrinking_setting_is_predicted_shorter_than_the_tightest(
        base: Typography, blank_rows: int | None) -> None:
    """fit() weighs no candidate when the tightest setting is predicted not to fit
    (fitting._tightest): that is right only if none is predicted shorter than it."""
    head = Row(21, 21, 1, True, True, False)
    held = Row(38, 21, 1, True, False, False)  # held by its minimum height
    tall = Row(64, 62, 3, True, False, False)
    blank = Row(38, 21, 1, True, False, True)
    first = page(1, body(75.6, 500, 17), body(510, 540, 1), body(550, 900, 14, "VB Điều"),
                 rows=(head, held, tall, held))
    last = page(2, body(75.6, 300, 9), rows=(head, tall, *[blank] * 6))
    pages = [first, last]
    least = fitting._tightest(base, blank_rows)
    assert least is not None
    floor = fitting._predicted_height(pages, base, least, blank_rows)
    candidates = fitting._candidates(base, blank_rows, shrink=True)
    assert candidates
    for candidate in candidates:
        assert floor <= fitting._predicted_height(pages, base, candidate, blank_rows) + 1e-6, (
            candidate)


# ---------------------------------------------------------------------------------------------
# Dossiers of many lengths
# ---------------------------------------------------------------------------------------------

KINDS = ("quyet-dinh-thanh-lap-ban-dieu-hanh", "quy-che", "bien-ban", "danh-sach-hoc-vien",
         "phieu-danh-gia", "tai-lieu-chuyen-de")
TALLY: Counter[str] = Counter()


@st.composite
def dossier_data(draw: st.DrawFn) -> tuple[str, dict, str]:
    data = dossiers.sample()
    kind = draw(st.sampled_from(KINDS))
    members = data["ban_dieu_hanh"]["thanh_vien"]
    count = draw(st.integers(7, 30))  # the chair and the secretary stay members
    chosen = [dict(members[i % len(members)]) for i in range(count)]
    for i, m in enumerate(chosen[len(members):], len(members)):
        m["ho_ten"] = f"{m['ho_ten']} {i}"
        m.pop("vai_tro", None)
    data["ban_dieu_hanh"]["thanh_vien"] = chosen
    data["ban_dieu_hanh"]["so_thanh_vien"] = count
    keep = draw(st.integers(1, 3))
    for chapter in data["quy_che"]["chuong"]:
        chapter["dieu"] = chapter["dieu"][: max(1, keep + draw(st.integers(-1, 1)))]
    meeting = dict(data["cuoc_hop"][draw(st.integers(0, len(data["cuoc_hop"]) - 1))])
    items = data["cuoc_hop"][0]["noi_dung"] + data["cuoc_hop"][1]["noi_dung"]
    meeting["noi_dung"] = items[: draw(st.integers(1, len(items)))]
    conclusions = data["cuoc_hop"][0]["ket_luan"] + data["cuoc_hop"][1]["ket_luan"]
    meeting["ket_luan"] = conclusions[: draw(st.integers(0, len(conclusions)))]
    data["cuoc_hop"] = [meeting]
    learners = data["tap_huan"]["hoc_vien"]
    data["tap_huan"]["hoc_vien"] = [
        {**learners[i % len(learners)], "ho_ten": f"{learners[i % len(learners)]['ho_ten']} {i}"}
        for i in range(draw(st.integers(1, 45)))
    ]
    data["tap_huan"]["so_dong_trong"] = draw(st.integers(0, 10))
    # One handout of 1 to 4 parts of 1 to 4 sections, of 1 to 3 paragraphs of 1 to 4 sentences.
    text = []
    for i in range(draw(st.integers(1, 4))):
        text.append(f"# {ROMAN[i]}. NỘI DUNG THỨ {i + 1}")
        for j in range(draw(st.integers(1, 4))):
            text.append(f"## {j + 1}. Việc thứ {j + 1}")
            text += [" ".join([SENTENCE] * draw(st.integers(1, 4)))
                     for _ in range(draw(st.integers(1, 3)))]
    data["tap_huan"]["chuyen_de"] = [{"tieu_de": "Chuyên đề thử", "tep": "cd.md"}]
    return kind, data, "\n\n".join(text) + "\n"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("many")
    for md in (ROOT / "samples" / "tan-tho-2023").glob("*.md"):
        shutil.copy(md, where / md.name)
    return where


def fit_one(folder: Path, kind: str, data: dict, handout: str) -> fitting.Fitted:
    (folder / "cd.md").write_text(handout, encoding="utf-8")
    loaded = load(dossiers.write(folder, data))
    if kind == "tai-lieu-chuyen-de":
        # Fitted with its table of contents, as a build does.
        from vanban.build import render

        fitted: dict[str, fitting.Fitted] = {}
        render(loaded, only=[kind], formats=("docx",), cache=False, workers=1, fitted=fitted)
        return fitted[HANDOUT]
    (out,) = documents.collect(loaded, [kind])[:1]
    template = resources.template_path(out.template, None)
    kieu = loaded.hoso.kieu_dau

    def again(setting: Fit) -> bytes:
        context = out.context
        if setting.blank_rows is not None:
            context = out.extra["voi_dong_trong"](setting.blank_rows)
        return render_docx(template, context, out.meta, kieu, fit=setting)

    docx = render_docx(template, out.context, out.meta, kieu)
    return fitting.fit(docx, lay_out(docx), out.kind, again, lay_out, out.extra.get("dong_trong"))


@pytest.mark.slow
def test_many_dossiers_fit(folder: Path) -> None:
    TALLY.clear()

    @settings(max_examples=120, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(dossier_data())
    def run(case: tuple[str, dict, str]) -> None:
        kind, data, handout = case
        result = fit_one(folder, kind, data, handout)
        TALLY["documents"] += 1
        TALLY["before"] += len(result.before)
        TALLY["after"] += len(result.after)
        TALLY.update(f"kind {b.kind} before" for b in result.before)
        TALLY.update(f"kind {b.kind} after" for b in result.after)
        TALLY["layouts"] += result.layouts
        TALLY["fitted"] += not result.fit.is_default
        TALLY["pages saved"] += result.pages_before - result.pages
        if kind == "tai-lieu-chuyen-de":
            TALLY["handouts"] += 1
            TALLY["handout breaks before"] += len(result.before)
            TALLY["handout breaks after"] += len(result.after)
            TALLY["handout pages saved"] += result.pages_before - result.pages
        assert result.pages <= result.pages_before
        assert len(result.after) <= len(result.before)
        written = fitting.typography_of(result.docx)
        assert written is not None
        assert in_ranges(written), written

    run()
    print(f"\nfitting over {TALLY['documents']} dossiers: poor breaks {TALLY['before']} before, "
          f"{TALLY['after']} after; {TALLY['fitted']} documents fitted, {TALLY['pages saved']} "
          f"pages saved, {TALLY['layouts']} extra layouts; by kind: "
          + ", ".join(f"{k} {v}" for k, v in sorted(TALLY.items()) if k.startswith("kind"))
          + f"; {TALLY['handouts']} handouts: poor breaks {TALLY['handout breaks before']} "
          f"before, {TALLY['handout breaks after']} after, {TALLY['handout pages saved']} pages "
          "saved")
    assert TALLY["documents"] >= 100
    assert TALLY["handouts"] >= 5
    assert TALLY["after"] < TALLY["before"]


def test_typography_reads_the_template() -> None:
    template = resources.template_path("nd30/bien-ban.docx", None)
    found = fitting.body_typography(Document(io.BytesIO(template.read_bytes())))
    assert found == Typography(14.0, 360, 120, 0, 13.0, 320)


def test_typography_of_reads_what_python_docx_reads(built) -> None:
    """typography_of reads the DOCX with the PDF renderer's reader; body_typography with
    python-docx. Both agree on every built document, and on written cell padding."""
    _name, fit_dir, _raw, _fitted = built
    for path in sorted(fit_dir.glob("*.docx")):
        data = path.read_bytes()
        assert fitting.typography_of(data) == fitting.body_typography(Document(io.BytesIO(data)))
    listed = Document(fit_dir / "danh-sach-hoc-vien.docx")
    fitting.apply(listed, Fit(padding=60))
    out = io.BytesIO()
    listed.save(out)
    found = fitting.typography_of(out.getvalue())
    assert found is not None
    assert found.padding == 60


def test_checking_a_layout_imports_neither_python_docx_nor_the_docx_renderer(
        built, tmp_path: Path) -> None:
    """A rebuild lays out the edited document alone: checking it for poor breaks, and reading
    its typography, must not import python-docx and the DOCX renderer (about 90 ms) when no
    setting is tried. Run in a fresh interpreter, which has imported nothing yet."""
    _name, _fit, raw_dir, _fitted = built
    code = (
        "import sys\n"
        "from vanban import fitting\n"
        "from vanban.render.pdf import lay_out\n"
        "data = open(sys.argv[1], 'rb').read()\n"
        "def never(_):\n"
        "    raise AssertionError('no setting should be tried')\n"
        "done = fitting.fit(data, lay_out(data), 'quy-che', never, never)\n"
        "print(done.pages_before, fitting.typography_of(data) is not None,\n"
        "      [m for m in ('docx', 'docxtpl', 'vanban.render.docx') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(raw_dir / "quy-che.docx")],
                         capture_output=True, text=True, check=True).stdout.strip().split(maxsplit=2)
    # Three pages (so the fitting pass reads the typography), nothing tried, nothing imported.
    assert out == ["3", "True", "[]"]


#: Settings touching each part :func:`fitting.applied` writes, alone and together.
PATCHED_FITS = (
    Fit(size=13.0), Fit(line=322), Fit(before=200), Fit(padding=60), Fit(table_line=299),
    Fit(size=13.0, line=299, before=120, padding=113, table_line=299),
)


@pytest.mark.parametrize("dossier", ["tan-tho-2023", "trung-chinh-2025", "party"])
def test_a_setting_written_into_a_rendered_docx_is_rendering_it_again(
        dossier: str, tmp_path: Path) -> None:
    """The fitting pass tries a setting on the DOCX it already has (no second rendering):
    every document of the samples and of a Party-issued dossier, under every kind of setting,
    gives the bytes of rendering it again with that setting."""
    from tests.test_samples import party_dossier

    path = party_dossier(tmp_path) if dossier == "party" else ROOT / "samples" / dossier / "hoso.yaml"
    loaded = load(path)
    tried = 0
    for out in documents.collect(loaded, None):
        template = resources.template_path(out.template, None)
        plain = render_docx(template, out.context, out.meta, loaded.hoso.kieu_dau)
        for setting in PATCHED_FITS:
            again = render_docx(template, out.context, out.meta, loaded.hoso.kieu_dau,
                                fit=setting)
            assert fitting.applied(plain, setting) == again, (out.name, setting)
            tried += 1
    assert tried >= 5 * len(PATCHED_FITS)


def test_fewer_blank_rows_are_not_written_into_a_rendered_docx() -> None:
    """Blank rows come from the data: such a setting needs the document rendered again."""
    loaded = load(ROOT / "samples" / "tan-tho-2023" / "hoso.yaml")
    out = next(o for o in documents.collect(loaded, None) if o.kind == "danh-sach-hoc-vien")
    plain = render_docx(resources.template_path(out.template, None), out.context, out.meta,
                        loaded.hoso.kieu_dau)
    assert fitting.applied(plain, Fit(blank_rows=2)) is None
    assert fitting.applied(plain, Fit(line=322)) is not None


def test_a_fitted_pdf_is_what_a_fresh_layout_of_its_docx_gives(built) -> None:
    """The pass lays a fitted document out again with the first layout's line breaks
    (:func:`vanban.render.pdf.lines_kept`): its PDF is still the one a layout of the fitted
    DOCX alone gives, byte for byte."""
    from vanban.render.pdf import docx_to_pdf

    _name, fit_dir, _raw, fitted = built
    changed = [name for name, result in fitted.items() if not result.fit.is_default]
    assert changed
    for name in changed:
        fresh = docx_to_pdf((fit_dir / f"{name}.docx").read_bytes()).pdf
        assert (fit_dir / f"{name}.pdf").read_bytes() == fresh, name
