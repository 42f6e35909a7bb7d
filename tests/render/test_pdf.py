"""PDF output: embedded Vietnamese fonts, exact text, metadata, determinism, errors, PNG."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from tests.render import fidelity
from tests.render.conftest import (
    BUILDERS,
    NGUOI_KY,
    QUOC_HIEU,
    TIEU_NGU,
    TRICH_YEU,
    docx_with_picture,
    save,
)
from vanban.errors import PdfError
from vanban.render import fonts, pdf, png
from vanban.render.html import docx_to_html, parse
from vanban.render.pdf import docx_to_pdf

needs_poppler = fidelity.needs_poppler
inflated = fidelity.inflated


def pdffonts(path: Path) -> list[dict[str, str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = []
    for line in out.stdout.splitlines()[2:]:
        parts = line.split()
        # name, type (two or three words), encoding, emb, sub, uni, object, generation
        rows.append({"name": parts[0], "emb": parts[-5], "uni": parts[-3]})
    return rows


@needs_poppler
@pytest.mark.parametrize("name", ["quyet-dinh", "dang", "phu-luc"])
def test_fonts_embedded(our_pdfs: dict[str, Path], name: str) -> None:
    rows = pdffonts(our_pdfs[name])
    assert rows
    family = fonts.font_set().css_family.replace(" ", "-")
    for row in rows:
        assert row["emb"] == "yes"
        assert row["uni"] == "yes"
        assert family in row["name"]


@needs_poppler
@pytest.mark.parametrize(
    ("name", "phrases"),
    [
        (
            "quyet-dinh",
            [QUOC_HIEU, TIEU_NGU, NGUOI_KY, "Số: 05/QĐ-UBND", "Tân Thọ, ngày 25 tháng 5 năm 2023"],
        ),
        ("dang", ["ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG ỦY XÃ TÂN THỌ", "Số 05-QĐ/ĐU", "T/M ĐẢNG ỦY"]),
    ],
    ids=["nd30", "dang"],
)
def test_text_comes_back_exact_and_nfc(
    our_pdfs: dict[str, Path], name: str, phrases: list[str]
) -> None:
    raw = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(our_pdfs[name]), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert unicodedata.is_normalized("NFC", raw)
    flat = " ".join(raw.split())
    for phrase in phrases:
        assert phrase in flat


def _docx_words(data: bytes) -> list[str]:
    """Return the words of a DOCX body as python-docx reads them (paragraphs and tables)."""
    import io

    from docx.oxml.ns import qn

    body = docx.Document(io.BytesIO(data)).element.body
    text, tags = qn("w:t"), {qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")}
    return [word for p in body.iter(qn("w:p")) for word in fidelity.normalise(
        "".join((e.text or "") if e.tag == text else " " for e in p.iter(*tags)))]


def _with_unended_field(data: bytes) -> bytes:
    """Return `data` with a field begun in its first paragraph and never ended."""
    import io

    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document(io.BytesIO(data))
    begin = parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>')
    document.paragraphs[0]._p.append(begin)
    return save(document)


@needs_poppler
@pytest.mark.parametrize("name", [*BUILDERS, "truong-khong-dong"])
def test_every_word_of_the_docx_reaches_the_pdf(docx_bytes: dict[str, bytes], name: str) -> None:
    data = docx_bytes.get(name) or _with_unended_field(docx_bytes["quyet-dinh"])
    result = docx_to_pdf(data)
    # Compared letter by letter: a narrow table cell wraps a word ("ST" / "T"), but no letter
    # of the DOCX may be missing. -layout keeps a hyphen ending a line ("Địa chính -").
    shown = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=result.pdf,
                           capture_output=True, check=True).stdout.decode("utf-8")
    words = _docx_words(data)
    missing = Counter("".join(words)) - Counter("".join(fidelity.normalise(shown)))
    lost = [word for word in words if set(word) & set(missing)]
    assert not missing, f"{sum(missing.values())} letters lost, in words such as {lost[:10]}"
    if name == "truong-khong-dong":
        assert "sửa lại: trường (w:fldChar) mở mà không đóng; giữ chữ của nó" in result.warnings


def test_contract_documents_render_without_warnings(docx_bytes: dict[str, bytes]) -> None:
    for name, data in docx_bytes.items():
        assert docx_to_pdf(data).warnings == [], name


def test_same_input_same_bytes(docx_bytes: dict[str, bytes]) -> None:
    data = docx_bytes["quyet-dinh"]
    first = docx_to_pdf(data).pdf
    assert docx_to_pdf(data).pdf == first
    assert first.startswith(b"%PDF-1.7")


def test_same_bytes_in_another_process(docx_bytes: dict[str, bytes], tmp_path: Path) -> None:
    source = tmp_path / "dang.docx"
    source.write_bytes(docx_bytes["dang"])
    code = (
        "import sys; from vanban.render.pdf import docx_to_pdf; "
        "sys.stdout.buffer.write(docx_to_pdf(open(sys.argv[1], 'rb').read()).pdf)"
    )
    # A fresh cache folder: the faces are cut again, and must come out the same.
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    other = subprocess.run(
        [sys.executable, "-c", code, str(source)], capture_output=True, check=True, env=env
    ).stdout
    assert other == docx_to_pdf(docx_bytes["dang"]).pdf


def test_full_fonts_mode_is_deterministic_too(docx_bytes: dict[str, bytes]) -> None:
    engine = dataclasses.replace(pdf._engine(), full_fonts=True)
    translated = docx_to_html(docx_bytes["dang"], font_family=pdf._FontMapper(engine.fonts))
    watch = engine.watch()
    first, more = engine.write(engine.layout(translated.html, watch), translated.html, watch)
    other = engine.watch()
    again, _ = engine.write(engine.layout(translated.html, other), translated.html, other)
    assert first == again
    assert watch.warnings() + more == []


def test_parsed_here_or_by_weasyprint_same_bytes(docx_bytes: dict[str, bytes]) -> None:
    """The translation read back with the XML parser (html.parse) gives WeasyPrint the
    document it makes itself from the text: the same PDF, byte for byte."""
    import weasyprint

    engine = pdf._engine()
    assert engine.parsed  # this WeasyPrint's HTML document is what pdf._parsed makes
    itself = dataclasses.replace(engine, parsed=False)
    for name, data in docx_bytes.items():
        translated = docx_to_html(data, font_family=pdf._FontMapper(engine.fonts))
        tree = parse(translated.html)
        assert tree is not None, name
        made = weasyprint.HTML(string=translated.html)
        ours = pdf._parsed(tree, made.url_fetcher)
        assert {k: v for k, v in vars(ours).items() if k not in ("wrapper_element",
                                                                 "etree_element")} == {
            k: v for k, v in vars(made).items() if k not in ("wrapper_element", "etree_element")}
        watch, other = engine.watch(), itself.watch()
        fast, _ = engine.write(engine.layout(translated.html, watch), translated.html, watch)
        slow, _ = itself.write(itself.layout(translated.html, other), translated.html, other)
        assert fast == slow, name


@needs_poppler
def test_leader_dots_are_one_run_where_the_dots_were(
        docx_bytes: dict[str, bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """pdf._join draws each contents line's dots as one run (as the line is laid out, or
    after): as many dots, ending where the last of WeasyPrint's one-box-per-dot ended, read
    as one word with the page number ("Mục......2", as LibreOffice's PDF reads)."""
    joined = tmp_path / "joined.pdf"
    joined.write_bytes(docx_to_pdf(docx_bytes["phu-luc"]).pdf)
    monkeypatch.setattr(pdf, "_join", lambda leader: None)
    apart = tmp_path / "apart.pdf"
    apart.write_bytes(docx_to_pdf(docx_bytes["phu-luc"]).pdf)

    def first_page(path: Path) -> list[list[fidelity.Word]]:
        return fidelity.lines(fidelity.pages(path)[0].words)

    # WeasyPrint's own: one word per dot.
    ones = [line for line in first_page(apart) if sum(w.text == "." for w in line) >= 10]
    runs = [line for line in first_page(joined)
            if re.fullmatch(r"[^.]*\.{10,}\d+", line[-1].text)]
    assert len(ones) == len(runs) >= 3
    for separate, together in zip(ones, runs, strict=True):
        run = together[-1]
        assert run.text.count(".") == sum(w.text == "." for w in separate), run.text
        assert abs(run.x1 - separate[-1].x1) < 0.05  # the page number has not moved
        assert not any(w.text == "." for w in together)


@needs_poppler
def test_metadata(our_pdfs: dict[str, Path]) -> None:
    info = fidelity.pdf_info(our_pdfs["quyet-dinh"])
    assert info["Title"] == TRICH_YEU
    assert info["Author"] == "ỦY BAN NHÂN DÂN XÃ TÂN THỌ"
    assert info["Subject"] == "Số: 05/QĐ-UBND"
    assert info["Keywords"] == "Số: 05/QĐ-UBND"
    assert info["Creator"].startswith("vanban ")
    assert info["CreationDate"] == info["ModDate"] == "2023-05-25T08:00:00Z"
    assert info["Page size"].startswith("595.3 x 841.9 pts (A4)")
    data = our_pdfs["quyet-dinh"].read_bytes()
    assert any(b"/Lang (vi-VN)" in chunk for chunk in inflated(data))


def test_warnings_for_a_foreign_font_and_glyphs() -> None:
    document = docx.Document()
    run = document.add_paragraph().add_run("Chữ Arial và Ж")
    run.font.name = "Arial"
    result = docx_to_pdf(save(document))
    source = fonts.font_set().family
    assert f"phông Arial không có: dùng {source}" in result.warnings
    assert any(w.startswith("ký tự ngoài bộ phông") for w in result.warnings)


@pytest.fixture
def no_fonts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setattr(fonts, "_fc_match", lambda *args: None)
    monkeypatch.setattr(fonts, "_fc_ask_all", lambda asks: [None] * len(asks))
    monkeypatch.setattr(fonts, "LIBERATION_DIRS", (tmp_path,))
    fonts.clear_cache()
    pdf.reset()
    yield
    monkeypatch.undo()
    fonts.clear_cache()
    pdf.reset()


@pytest.mark.usefixtures("no_fonts")
def test_missing_fonts_name_the_package(docx_bytes: dict[str, bytes]) -> None:
    with pytest.raises(PdfError, match="fonts-liberation2"):
        docx_to_pdf(docx_bytes["dang"])


def test_cli_does_not_import_weasyprint() -> None:
    code = (
        "import sys, vanban.cli, vanban.render.pdf, vanban.render.png, vanban.render.html; "
        "sys.exit('weasyprint' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_first_page_png(our_pdfs: dict[str, Path], tmp_path: Path) -> None:
    header = png.first_page_png(our_pdfs["quyet-dinh"].read_bytes(), "qd.pdf", dpi=80)[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    # A4 at 80 dpi (pdftoppm rounds up).
    assert width == pytest.approx(210 / 25.4 * 80, abs=1)
    assert height == pytest.approx(297 / 25.4 * 80, abs=1)
    assert list(tmp_path.iterdir()) == []  # drawn in memory: nothing written


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_png_of_a_broken_pdf_names_it() -> None:
    with pytest.raises(PdfError, match="không tạo được ảnh từ hong.pdf"):
        png.first_page_png(b"%PDF-1.7 not really", "hong.pdf")


def test_png_without_pdftoppm(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(png.shutil, "which", lambda name: None)
    with pytest.raises(PdfError, match="poppler-utils"):
        png.first_page_png(b"%PDF", "a.pdf")



def test_weasyprint_warnings_are_vietnamese_one_line_per_kind() -> None:
    document = docx.Document()
    for _ in range(5):
        document.add_paragraph("Chữ lạ \U000f0001\U000f0001 và \u0378 hết. " * 3)
    result = docx_to_pdf(save(document))
    assert "2 ký tự không có trong phông chữ nào, in thành ô trống (45 lần): U+0378, U+F0001" \
        in result.warnings
    assert not [w for w in result.warnings if "WeasyPrint" in w or "glyph" in w], result.warnings


def test_a_broken_picture_is_one_vietnamese_line() -> None:
    result = docx_to_pdf(docx_with_picture(b"\x89PNG not really", "png", "image/png"))
    assert "ảnh không đọc được, bỏ qua (1 lần)" in result.warnings
    assert not [w for w in result.warnings if "WeasyPrint" in w or "Failed" in w], result.warnings


def test_the_clerk_sees_weasyprint_only_in_vietnamese(tmp_path: Path) -> None:
    document = docx.Document()
    for _ in range(4):
        document.add_paragraph("Chữ lạ \U000f0001\U000f0002 và \u0378. " * 5)
    (tmp_path / "la.docx").write_bytes(save(document))
    (tmp_path / "anh.docx").write_bytes(docx_with_picture(b"\x89PNG broken", "png", "image/png"))
    result = subprocess.run([sys.executable, "-m", "vanban", "pdf", "la.docx", "anh.docx"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert all(line.startswith("Cảnh báo: ") for line in lines), lines
    assert not [line for line in lines if "WeasyPrint" in line or "Failed" in line
                or "glyph" in line], lines
    assert lines.count("Cảnh báo: la.docx: 3 ký tự không có trong phông chữ nào, in thành ô "
                       "trống (60 lần): U+0378, U+F0001, U+F0002") == 1, lines
    assert "Cảnh báo: anh.docx: ảnh không đọc được, bỏ qua (1 lần)" in lines


@needs_poppler
def test_signature_box_lies_between_title_and_name(
    docx_bytes: dict[str, bytes], tmp_path: Path
) -> None:
    laid = pdf.lay_out(docx_bytes["quyet-dinh"])
    (box,) = laid.signature_boxes()
    page = laid.document.pages[box.page]
    anchors = page.anchors
    title = max((r for k, r in anchors.items() if k.startswith("vb-ky-tren-")),
                key=lambda r: r[3])
    name = next(r for k, r in anchors.items() if k.startswith("vb-ky-ten-"))
    height = page.height * 0.75
    # Four blank 14 pt lines between the title's bottom and the name's top.
    assert box.y2 == pytest.approx(height - title[3] * 0.75, abs=0.01)
    assert box.y1 == pytest.approx(height - name[1] * 0.75, abs=0.01)
    assert box.y2 - box.y1 > 4 * 14
    assert (box.x1, box.x2) == (round(name[0] * 0.75, 2), round(name[2] * 0.75, 2))
    # Stored in the written PDF for signing later, and only when there is a block.
    target = tmp_path / "qd.pdf"
    target.write_bytes(laid.write().pdf)
    done = subprocess.run(["pdfinfo", "-custom", str(target)], capture_output=True, text=True,
                          check=True)
    stored = re.search(rf"^{pdf.SIGNATURE_BOXES_KEY}:\s*(.+)$", done.stdout, re.M)
    assert stored is not None
    assert json.loads(stored.group(1)) == [box.as_list()]
    assert pdf.SIGNATURE_BOXES_KEY.encode() not in docx_to_pdf(docx_bytes["phu-luc"]).pdf


def test_the_cycle_collector_is_paused_for_a_document_and_back_after() -> None:
    import gc

    with pdf.collecting_after():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with pdf.collecting_after():
            pass
        assert not gc.isenabled()  # the caller's choice stands
    finally:
        gc.enable()
    with pytest.raises(RuntimeError), pdf.collecting_after():
        raise RuntimeError
    assert gc.isenabled()


def test_weasyprint_starts_without_the_font_tools_it_never_uses_here(tmp_path: Path) -> None:
    """fontTools' subsetter, instancer and WOFF2 decoder are not imported when the engine is
    made and a document laid out and written; WeasyPrint still reaches them when it uses
    them, and a later import gets the real modules. Run in a fresh interpreter."""
    code = (
        "import sys\n"
        "from vanban.render.pdf import docx_to_pdf\n"
        "docx_to_pdf(open(sys.argv[1], 'rb').read())\n"
        "names = ('fontTools.subset', 'fontTools.varLib.instancer', 'fontTools.ttLib.woff2')\n"
        "print([n for n in names if n in sys.modules])\n"
        "import weasyprint.pdf.fonts as used, weasyprint.text.fonts as text\n"
        "import fontTools.subset, fontTools.varLib.instancer as inst, fontTools.ttLib.woff2\n"
        "print(used.subset.Subsetter is fontTools.subset.Subsetter,\n"
        "      text.woff2.decompress is fontTools.ttLib.woff2.decompress,\n"
        "      type(fontTools.subset).__name__, 'Subsetter' in vars(fontTools.subset))\n"
        "try:\n"
        "    used.instantiateVariableFont(None, {})\n"
        "except Exception as e:\n"
        "    print(type(e).__name__)\n"
        "try:\n"
        "    inst.instantiateVariableFont(None, {})\n"
        "except Exception as e:\n"
        "    print(type(e).__name__)\n"
    )
    path = tmp_path / "qd.docx"
    path.write_bytes(BUILDERS["quyet-dinh"]())
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                         text=True, check=True).stdout.splitlines()
    assert out[0] == "[]"
    assert out[1] == "True True module True"
    assert out[2] == out[3]  # the stand-in calls the real function


def test_arrays_named_by_their_length_are_the_arrays_asked_for() -> None:
    from weasyprint.text.ffi import ffi

    pdf.prepare()
    array = ffi.new("hb_codepoint_t[3]", [7, 8, 9])
    assert list(array) == [7, 8, 9]
    assert ffi.sizeof(array) == 3 * ffi.sizeof("hb_codepoint_t")
    array = ffi.new("hb_codepoint_t[5]", (7, 8))  # shorter than its length: zero-filled
    assert list(array) == [7, 8, 0, 0, 0]
    assert ffi.sizeof(ffi.new("char[4]")) == 4
    assert ffi.string(ffi.new("char[]", b"abc")) == b"abc"
    wrapper = ffi.new
    pdf.reset()
    pdf.prepare()  # an engine made again does not wrap the wrapper
    assert ffi.new is wrapper
    # cffi read the open type once, not each length (its cache of names read: private).
    read = set(ffi._parsed_types)
    assert "hb_codepoint_t[]" in read
    assert "hb_codepoint_t[3]" not in read


def test_a_file_size_limit_met_while_making_the_engine_is_one_vietnamese_line(
        tmp_path: Path) -> None:
    # WeasyPrint copies each font face into a temporary folder; under `ulimit -f` that write
    # fails before any document is laid out.
    import resource

    sample = Path(__file__).resolve().parents[2] / "samples/trung-chinh-2025/hoso.yaml"
    env = {**os.environ, "VANBAN_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "vanban", "build", str(sample), "--only", "quy-che",
               "--no-cache", "-j", "1"]
    warm = subprocess.run([*command, "-o", str(tmp_path / "warm")], env=env,
                          capture_output=True, text=True, timeout=300)
    assert warm.returncode == 0, warm.stderr  # the cut faces are in the cache now

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (20 * 1024, 20 * 1024))

    out = tmp_path / "out"
    done = subprocess.run([*command, "-o", str(out)], env=env, capture_output=True, text=True,
                          timeout=300, preexec_fn=limit)
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().splitlines() == [
        "Lỗi: không chép được phông chữ vào thư mục tạm để dựng PDF: tệp vượt giới hạn kích "
        "thước tệp được phép (ulimit -f)"]
    assert not out.exists()


def test_a_document_laid_out_again_breaks_its_lines_once(tan_tho_docx: dict[str, bytes]) -> None:
    """Within :func:`vanban.render.pdf.lines_kept`, a second layout of a handout at another
    line pitch (as the fitting pass makes it) takes the first layout's line breaks: the text
    boxes of the pages it lays out (not its first, which it takes whole:
    :mod:`vanban.render.first_page`) hold the first layout's results, no two of its own
    share one, and its PDF is the one a fresh layout of that DOCX gives, byte for byte.
    Outside it, nothing is shared."""
    from weasyprint.formatting_structure.boxes import TextBox

    from vanban import fitting

    draft = tan_tho_docx["tai-lieu-chuyen-de-1"]
    base = fitting.typography_of(draft)
    assert base is not None
    tighter = fitting.applied(draft, fitting.Fit(None, base.line - 10))
    assert tighter is not None

    def layouts(laid: pdf.LaidOut) -> list[object]:
        return [box.pango_layout for page in laid.document.pages[1:]
                for box in page._page_box.descendants()
                if type(box) is TextBox and not box.is_leader and box.pango_layout is not None]

    with pdf.lines_kept():
        first = pdf.lay_out(draft)
        second = pdf.lay_out(tighter)
        kept = layouts(second)
    assert [p.used for p in fitting.read_pages(second)] != [
        p.used for p in fitting.read_pages(first)]  # the pitch moved the lines
    shared = {id(x) for x in layouts(first)} & {id(x) for x in kept}
    # Not all: a justified line gets a new layout once its spaces are widened (WeasyPrint).
    assert len(shared) > len(kept) / 3
    assert len({id(x) for x in kept}) == len(kept)
    fresh = pdf.lay_out(tighter)
    assert second.write().pdf == fresh.write().pdf
    assert not {id(x) for x in layouts(fresh)} & {id(x) for x in layouts(second)}


def test_margin_boxes_and_backgrounds_wait_for_the_document_to_be_written(
    tan_tho_docx: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A layout leaves its pages' margin boxes (the page number in the header) and
    backgrounds until it is written (:func:`vanban.render.pdf._draw_later`), so a layout the
    fitting pass throws away never makes them; the PDF, and the anchors, links and bookmarks
    of its pages, are those WeasyPrint makes when it lays them out at once."""
    from weasyprint import layout
    from weasyprint.formatting_structure.boxes import MarginBox

    def margins(laid: pdf.LaidOut) -> list[int]:
        return [sum(type(box) is MarginBox for box in page._page_box.children)
                for page in laid.document.pages]

    def marks(laid: pdf.LaidOut) -> list[object]:
        return [(page.anchors, [link[:3] for link in page.links], page.bookmarks)
                for page in laid.document.pages]

    for name in ("tai-lieu-chuyen-de-1", "quyet-dinh-thanh-lap-ban-dieu-hanh"):
        docx = tan_tho_docx[name]
        later = pdf.lay_out(docx)
        assert later.pages > 1
        assert not any(margins(later))
        written = later.write().pdf
        assert all(margins(later))  # made as it was written
        with monkeypatch.context() as patched:
            assert pdf._margins is not None
            assert pdf._backgrounds is not None
            patched.setattr(layout, "make_margin_boxes", pdf._margins)
            patched.setattr(layout, "layout_backgrounds", pdf._backgrounds)
            at_once = pdf.lay_out(docx)
            assert all(margins(at_once))
            assert at_once.write().pdf == written
        assert marks(later) == marks(at_once)
        assert any(anchors for anchors, _links, _marks in marks(later))
