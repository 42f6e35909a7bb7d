"""Training paperwork: handouts, attendance list and evaluation form in the Party format."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn

from tests import dossiers
from tests.render.fidelity import MM, needs_poppler, pages
from tests.rules import check_document
from vanban.cli import cli
from vanban.documents import tap_huan
from vanban.errors import DataError
from vanban.loading import load

ROOT = Path(__file__).resolve().parents[1]
TRAINING = "tai-lieu-chuyen-de,danh-sach-hoc-vien,phieu-danh-gia"
CHECKER_KIND = {"tai-lieu-chuyen-de": "tai-lieu", "danh-sach-hoc-vien": "danh-sach",
                "phieu-danh-gia": "phieu"}


def build(dossier: Path, out: Path) -> dict[str, Path]:
    result = CliRunner().invoke(cli, ["build", str(dossier), "-o", str(out), "--format", "docx",
                                      "--only", TRAINING], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return {p.stem: p for p in out.glob("*.docx")}


@pytest.fixture(scope="module", params=["tan-tho-2023", "trung-chinh-2025"])
def built(request, tmp_path_factory) -> tuple[str, dict[str, Path]]:
    out = tmp_path_factory.mktemp(request.param)
    return request.param, build(ROOT / "samples" / request.param / "hoso.yaml", out)


def paragraphs(path: Path, style: str | None = None) -> list[str]:
    document = docx.Document(str(path))
    return [p.text for p in document.paragraphs if style is None or p.style.name == style]


def test_stable_file_names(built) -> None:
    _, files = built
    assert sorted(files) == ["danh-sach-hoc-vien", "phieu-danh-gia", "tai-lieu-chuyen-de-1",
                             "tai-lieu-chuyen-de-2"]


def test_every_training_document_follows_hd36(built) -> None:
    _, files = built
    for stem, path in files.items():
        kind = CHECKER_KIND[stem.rstrip("-12") if stem.startswith("tai-lieu") else stem]
        assert check_document(path, "dang", kind) == [], stem


#: Ho Chi Minh's words quoted in the first topic of both samples, in order.
QUOTES_1 = [
    "“Nước ta là nước dân chủ, bao nhiêu lợi ích đều vì dân, bao nhiêu quyền hạn đều của dân.”",
    "“Dân vận kém thì việc gì cũng kém. Dân vận khéo thì việc gì cũng thành công.”",
    "“Việc gì có lợi cho dân, ta phải hết sức làm. Việc gì có hại đến dân, ta phải hết sức "
    "tránh.”",
    "“Dễ trăm lần không dân cũng chịu, Khó vạn lần dân liệu cũng xong.”",
]
#: Each handout as its Markdown file writes it: parts (``#``), the number of sections
#: (``##``) with the first and the last, and the quotations (``>``).
HANDOUTS = {
    ("tan-tho-2023", 1): (
        ["I. TƯ TƯỞNG HỒ CHÍ MINH VỀ CÔNG TÁC DÂN VẬN VÀ VAI TRÒ CỦA CHÍNH QUYỀN",
         "II. QUAN ĐIỂM, CHỦ TRƯƠNG CỦA ĐẢNG VỀ CÔNG TÁC DÂN VẬN CHÍNH QUYỀN",
         "III. CƠ SỞ PHÁP LÝ VỀ THỰC HIỆN DÂN CHỦ Ở CƠ SỞ TẠI THỜI ĐIỂM THÁNG 5/2023",
         "IV. HƯỚNG DẪN THÍ ĐIỂM MÔ HÌNH “CHÍNH QUYỀN THÂN THIỆN, VÌ NHÂN DÂN PHỤC VỤ”",
         "CÂU HỎI THẢO LUẬN"],
        (12, "1. Bài báo “Dân vận” và quan niệm của Chủ tịch Hồ Chí Minh về dân vận",
         "4. Theo dõi, đánh giá kết quả"),
        QUOTES_1),
    ("tan-tho-2023", 2): (
        ["I. VỊ TRÍ, VAI TRÒ CỦA CHÍNH QUYỀN CƠ SỞ TRONG CÔNG TÁC DÂN VẬN",
         "II. TRÁCH NHIỆM BẢO ĐẢM QUYỀN LÀM CHỦ CỦA NHÂN DÂN",
         "III. TRÁCH NHIỆM TRONG TIẾP CÔNG DÂN, CẢI CÁCH HÀNH CHÍNH VÀ PHÒNG, CHỐNG THAM NHŨNG",
         "IV. TÁC PHONG CÁN BỘ, PHỐI HỢP VÀ CHUẨN BỊ THI HÀNH LUẬT MỚI",
         "CÂU HỎI THẢO LUẬN"],
        (14, "1. Chính quyền xã là cấp gần dân nhất", "4. Chế độ thông tin, báo cáo"),
        []),
    ("trung-chinh-2025", 1): (
        ["I. TƯ TƯỞNG HỒ CHÍ MINH VỀ CÔNG TÁC DÂN VẬN",
         "II. QUAN ĐIỂM, CHỦ TRƯƠNG CỦA ĐẢNG VỀ CÔNG TÁC DÂN VẬN CHÍNH QUYỀN",
         "III. CƠ SỞ PHÁP LÝ HIỆN HÀNH",
         "IV. HƯỚNG DẪN XÂY DỰNG MÔ HÌNH “CHÍNH QUYỀN THÂN THIỆN, VÌ NHÂN DÂN PHỤC VỤ” Ở XÃ "
         "TRUNG CHÍNH",
         "CÂU HỎI THẢO LUẬN"],
        (12, "1. Bài báo “Dân vận” và những chỉ dẫn còn nguyên giá trị",
         "4. Theo dõi, đánh giá kết quả"),
        QUOTES_1),
    ("trung-chinh-2025", 2): (
        ["I. VỊ TRÍ, VAI TRÒ CỦA CHÍNH QUYỀN XÃ TRONG CÔNG TÁC DÂN VẬN",
         "II. TRÁCH NHIỆM BẢO ĐẢM QUYỀN LÀM CHỦ CỦA NHÂN DÂN",
         "III. TIẾP CÔNG DÂN, CẢI CÁCH HÀNH CHÍNH VÀ PHÒNG, CHỐNG THAM NHŨNG",
         "IV. TÁC PHONG CÁN BỘ VÀ PHỐI HỢP TRONG HỆ THỐNG CHÍNH TRỊ XÃ",
         "CÂU HỎI THẢO LUẬN"],
        (13, "1. Chính quyền xã trong mô hình chính quyền địa phương hai cấp",
         "3. Những việc cần làm ngay trong những tháng cuối năm 2025"),
        []),
}


def test_handout_structure_follows_its_markdown(built) -> None:
    name, files = built
    for n in (1, 2):
        expected_parts, (count, first, last), expected_quotes = HANDOUTS[name, n]
        path = files[f"tai-lieu-chuyen-de-{n}"]
        assert paragraphs(path, "VB Phần") == expected_parts
        sections = paragraphs(path, "VB Mục")
        assert (len(sections), sections[0], sections[-1]) == (count, first, last)
        body = paragraphs(path)
        assert body[-1].startswith("Câu ")
        assert any(t.startswith(f"Chuyên đề {n}: ") for t in paragraphs(path, "VB Trích yếu"))
        assert paragraphs(path, "VB Trích dẫn") == expected_quotes


def test_handout_header_is_the_trainer(built) -> None:
    name, files = built
    texts = paragraphs(files["tai-lieu-chuyen-de-1"])
    header = docx.Document(str(files["tai-lieu-chuyen-de-1"])).tables[0]
    cells = [p.text for c in header.rows[0].cells for p in c.paragraphs]
    if name == "tan-tho-2023":
        assert cells[:3] == ["HUYỆN ỦY NÔNG CỐNG", "BAN DÂN VẬN", "*"]
        assert "Báo cáo viên: đồng chí Lê Trọng Hùng" in " ".join(texts)
    else:
        assert cells[:3] == ["ĐẢNG UỶ XÃ TRUNG CHÍNH", "BAN XÂY DỰNG ĐẢNG", "*"]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in cells
    assert not any(t.startswith("Số") for t in cells)  # handouts are not numbered


def test_attendance_list_has_a_row_per_participant_and_blank_rows(built) -> None:
    name, files = built
    hoso = load(ROOT / "samples" / name / "hoso.yaml").hoso
    assert hoso.tap_huan is not None
    table = docx.Document(str(files["danh-sach-hoc-vien"])).tables[1]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Ký nhận tài liệu", "Ký tên"]
    rows = table.rows[1:]
    names = [r.cells[1].text for r in rows if r.cells[1].text]
    # Everyone the dossier names for the training, once: the learners, then the board.
    learners = [hv.ho_ten for hv in hoso.tap_huan.hoc_vien]
    board = [tv.ho_ten for tv in hoso.ban_dieu_hanh.thanh_vien]
    assert names[:len(learners)] == learners
    assert sorted(names) == sorted(set(learners) | set(board))
    assert len(names) > len(learners)  # both samples have board members who are not learners
    # The fitting pass may keep fewer blank rows (down to half) so that the list fits its pages.
    blank = len(rows) - len(names)
    asked = hoso.tap_huan.so_dong_trong
    assert (asked + 1) // 2 <= blank <= asked
    assert [r.cells[0].text for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    assert rows[-1].cells[1].text == ""


def test_evaluation_form_rates_each_topic(built) -> None:
    _, files = built
    table = docx.Document(str(files["phieu-danh-gia"])).tables[1]
    assert [c.text for c in table.rows[0].cells][2:] == ["Rất tốt", "Tốt", "Đạt", "Chưa đạt"]
    items = [r.cells[1].text for r in table.rows[1:]]
    assert items[0].startswith("Nội dung Chuyên đề 1: ")
    assert items[1].startswith("Nội dung Chuyên đề 2: ")
    assert len(items) >= 5


@needs_poppler
def test_evaluation_form_lines_to_write_on_run_from_margin_to_margin(tmp_path: Path) -> None:
    """Each open question has three dotted lines that reach both margins (30 and 15 mm), in
    the DOCX (a right tab at the text width with a dot leader) and in the PDF."""
    dossier = ROOT / "samples" / "trung-chinh-2025" / "hoso.yaml"
    result = CliRunner().invoke(cli, ["build", str(dossier), "-o", str(tmp_path), "--only",
                                      "phieu-danh-gia", "--no-cache"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    questions = tap_huan.CAU_HOI_MO
    fills = [p for p in docx.Document(str(tmp_path / "phieu-danh-gia.docx")).paragraphs
             if p.text == "\t"]
    assert len(fills) == 3 * len(questions)
    for fill in fills:
        stops = fill.paragraph_format.tab_stops
        assert [(s.position.twips, s.alignment, s.leader) for s in stops] == [
            (9355, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)]  # the text width, 165 mm
        assert fill.paragraph_format.first_line_indent == 0
    page, = pages(tmp_path / "phieu-danh-gia.pdf")
    dotted = [w for w in page.words if set(w.text) == {"."} and len(w.text) > 20]
    assert len(dotted) == 3 * len(questions)
    for line in dotted:
        assert 30 * MM <= line.x0 <= 30 * MM + 4  # within a dot of the left margin
        assert abs(line.x1 - (page.width - 15 * MM)) <= 1


def training_dossier(tmp_path: Path, content: str) -> Path:
    data = dossiers.sample()
    data["tap_huan"]["chuyen_de"] = [
        {"tieu_de": "Chuyên đề thử & <kiểm tra>", "noi_dung": content},
        {"tieu_de": "Chuyên đề từ tệp", "tep": "cd.md"},
    ]
    (tmp_path / "cd.md").write_text(content, encoding="utf-8")
    return dossiers.write(tmp_path, data)


def test_inline_content_and_hostile_text(tmp_path: Path) -> None:
    content = "# I. PHẦN & <MỘT>\n\n## 1. Mục {{ x }}\n\na) Điểm có **đậm & <b>** và *nghiêng*.\n"
    files = build(training_dossier(tmp_path, content), tmp_path / "out")
    texts = paragraphs(files["tai-lieu-chuyen-de-1"])
    assert "I. PHẦN & <MỘT>" in texts
    assert "1. Mục {{ x }}" in texts
    assert "a) Điểm có đậm & <b> và nghiêng." in texts
    assert check_document(files["tai-lieu-chuyen-de-2"], "dang", "tai-lieu") == []


def test_markdown_errors_are_located_in_the_markdown_file(tmp_path: Path) -> None:
    path = training_dossier(tmp_path, "# I. A\n\n## 1. B\n\na) x\n\nc) y\n")
    with pytest.raises(DataError) as info:
        load(path)
    messages = [str(p) for p in info.value.problems]
    assert any("tap_huan.chuyen_de[2].tep: cd.md:7: điểm \"c)\" phải là \"b)\"" in m
               for m in messages), messages
    assert any("tap_huan.chuyen_de[1].noi_dung: noi_dung:7:" in m for m in messages), messages


# -- Table of contents ------------------------------------------------------------------------


def toc(path: Path) -> list[tuple[str, str]]:
    entries = [e for e in paragraphs(path, "VB Mục lục") if e.strip()]
    return [tuple(e.rsplit("\t", 1)) for e in entries]  # type: ignore[misc]


@pytest.mark.libreoffice
def test_long_handout_gets_a_table_of_contents_that_matches(tmp_path: Path) -> None:
    from tests.render import fidelity

    if not fidelity.have_libreoffice():
        pytest.skip("needs soffice and poppler-utils")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(ROOT / "samples/tan-tho-2023/hoso.yaml"),
                                      "-o", str(out), "--only", "tai-lieu-chuyen-de"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    path = out / "tai-lieu-chuyen-de-1.docx"
    entries = toc(path)
    headings = paragraphs(path, "VB Phần") + paragraphs(path, "VB Mục")
    document_order = [p for p in paragraphs(path) if p in headings]
    assert [title for title, _ in entries] == document_order
    assert "MỤC LỤC" in paragraphs(path, "VB Mục lục tiêu đề")
    ours = fidelity.pages(out / "tai-lieu-chuyen-de-1.pdf")
    assert len(ours) > 4
    theirs = fidelity.pages(fidelity.libreoffice_pdfs([path], tmp_path / "lo")[path])
    body = [p for p in ours if p.number > 1]  # page 1 holds the table of contents itself
    body_lo = [p for p in theirs if p.number > 1]
    for title, number in entries:
        head = " ".join(title.split()[:6])
        assert str(fidelity.page_of(body, head)) == number, title
        assert str(fidelity.page_of(body_lo, head)) == number, title


def pdf_toc_numbers(pdf: Path) -> list[str]:
    """Return the page numbers at the end of the table of contents' lines on page 1."""
    from tests.render import fidelity

    return re.findall(r"[.…·]{3,}\s*(\d+)\s*$", fidelity.text(pdf, 1, 1), re.MULTILINE)


def assert_numbers_are_the_pdf_pages(entries: list[tuple[str, str]], pdf: Path) -> None:
    """The table's numbers `entries` are the PDF's, and each is the page of its heading."""
    from tests.render import fidelity

    assert pdf_toc_numbers(pdf) == [number for _, number in entries]
    pages = [p for p in fidelity.pages(pdf) if p.number > 1]
    for title, number in entries:
        assert str(fidelity.page_of(pages, " ".join(title.split()[:6]))) == number, title


def build_handout(out: Path, *extra: str) -> Path:
    result = CliRunner().invoke(cli, ["build", str(ROOT / "samples/tan-tho-2023/hoso.yaml"),
                                      "-o", str(out), "--only", "tai-lieu-chuyen-de", *extra],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out / "tai-lieu-chuyen-de-1.docx"


@needs_poppler
def test_table_of_contents_lines_are_page_references(tmp_path: Path) -> None:
    from vanban.render.pdf import docx_to_pdf

    path = build_handout(tmp_path / "out")
    document = docx.Document(str(path))
    body = document.element.body
    marked = {
        b.get(qn("w:name")): "".join(t.text or "" for t in b.getparent().iter(qn("w:t")))
        for b in body.iter(qn("w:bookmarkStart"))
    }
    entries = toc(path)
    lines = [p._p for p in document.paragraphs
             if p.style.name == "VB Mục lục" and p._p.find(".//" + qn("w:instrText")) is not None]
    assert len(lines) == len(entries) > 5
    for line, (title, _number) in zip(lines, entries, strict=True):
        code = "".join(t.text or "" for t in line.iter(qn("w:instrText"))).split()
        assert code[::2] == ["PAGEREF", "\\h"]
        assert marked[code[1]] == title  # Word's F9 finds the same heading
    # The stored results are the PDF's numbers, and the PDF is the DOCX's own rendering.
    pdf = path.with_suffix(".pdf")
    assert_numbers_are_the_pdf_pages(entries, pdf)
    assert docx_to_pdf(path.read_bytes()).pdf == pdf.read_bytes()


@needs_poppler
def test_a_handout_past_nine_pages_gets_two_digit_numbers(tmp_path: Path) -> None:
    """Its draft's numbers ("0") are narrower than the pages from 10 on: the layout is made
    again with the numbers found, and the table still gives each heading's page."""
    from vanban.build import DRAFT_NUMBER

    paragraph = ("Cán bộ, công chức xã tiếp dân đúng giờ, giải quyết thủ tục đúng hẹn, "
                 "lắng nghe ý kiến của Nhân dân và trả lời rõ ràng. ") * 6
    content = "\n\n".join(
        f"# {roman}. PHẦN THỨ {i}\n\n" + "\n\n".join(
            f"## {j}. Mục {j} của phần {i}\n\n{paragraph}\n\n{paragraph}" for j in (1, 2, 3))
        for i, roman in enumerate(["I", "II", "III", "IV", "V", "VI"], 1))
    dossier = training_dossier(tmp_path, "# I. MỘT PHẦN NGẮN\n\n## 1. Mục\n\nMột đoạn.\n")
    (tmp_path / "cd.md").write_text(content, encoding="utf-8")  # the second topic's file
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(dossier), "-o", str(out), "--only", TRAINING],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    path = out / "tai-lieu-chuyen-de-2.docx"
    entries = toc(path)
    numbers = [int(number) for _, number in entries]
    assert len(DRAFT_NUMBER) == 1
    assert max(numbers) >= 10 > min(numbers)
    assert_numbers_are_the_pdf_pages(entries, path.with_suffix(".pdf"))


@needs_poppler
def test_a_template_with_plain_table_of_contents_numbers_still_gets_them_right(
    tmp_path: Path,
) -> None:
    import shutil

    from vanban import resources

    folder = tmp_path / "mau"
    shutil.copytree(resources.templates_dir(), folder)
    template = folder / "dang" / "tai-lieu-chuyen-de.docx"
    document = docx.Document(str(template))
    for paragraph in document.paragraphs:
        if paragraph.style.name == "VB Mục lục":
            for run in list(paragraph._p.iter(qn("w:r"))):
                if run.find(qn("w:fldChar")) is not None or run.find(qn("w:instrText")) is not None:
                    run.getparent().remove(run)
    document.save(str(template))
    path = build_handout(tmp_path / "out", "--templates-dir", str(folder))
    assert "PAGEREF" not in "".join(
        t.text or "" for t in docx.Document(str(path)).element.body.iter(qn("w:instrText")))
    assert_numbers_are_the_pdf_pages(toc(path), path.with_suffix(".pdf"))


def test_short_handout_has_no_table_of_contents(tmp_path: Path) -> None:
    content = "# I. MỘT PHẦN NGẮN\n\n## 1. Mục\n\nMột đoạn.\n"
    files = build(training_dossier(tmp_path, content), tmp_path / "out")
    assert toc(files["tai-lieu-chuyen-de-1"]) == []
    assert "MỤC LỤC" not in paragraphs(files["tai-lieu-chuyen-de-1"])


def test_a_handout_template_without_its_styles_is_explained(tmp_path: Path) -> None:
    import shutil

    from vanban import resources

    folder = tmp_path / "mau"
    shutil.copytree(resources.templates_dir(), folder)
    path = folder / "dang" / "tai-lieu-chuyen-de.docx"
    document = docx.Document(str(path))
    style = document.styles["VB Trích dẫn"]
    style.element.getparent().remove(style.element)
    document.save(str(path))
    result = CliRunner().invoke(cli, ["build", str(ROOT / "samples/tan-tho-2023/hoso.yaml"),
                                      "-o", str(tmp_path / "o"), "--only", "tai-lieu-chuyen-de",
                                      "--format", "docx", "--templates-dir", str(folder)])
    assert result.exit_code == 1
    assert "mẫu dang/tai-lieu-chuyen-de.docx: thiếu kiểu đoạn “VB Trích dẫn”" in result.output


def test_attendance_list_has_room_to_sign_and_a_drawn_up_by_block(built) -> None:
    _, files = built
    document = docx.Document(str(files["danh-sach-hoc-vien"]))
    table = document.tables[1]
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert [round(w / 56.693) for w in grid[-2:]] == [26, 26]  # mm: two signature columns
    block = document.tables[-1]
    assert block is not table
    right = [p.text for p in block.rows[0].cells[1].paragraphs if p.text.strip()]
    assert right[:2] == ["NGƯỜI LẬP DANH SÁCH", "(Ký, ghi rõ họ tên)"]
    body = [p.text for p in document.paragraphs if p.text.strip()]
    assert not [t for t in body if "dòng để ghi thêm" in t or t.startswith("Danh sách gồm")]


def test_the_list_names_whoever_drew_it_up(tmp_path: Path) -> None:
    data = dossiers.sample()
    data["tap_huan"]["nguoi_lap"] = "Mai Thị Thu"
    for cd in data["tap_huan"]["chuyen_de"]:
        cd.pop("tep")
        cd["noi_dung"] = "Nội dung."
    files = build(dossiers.write(tmp_path, data), tmp_path / "out")
    block = docx.Document(str(files["danh-sach-hoc-vien"])).tables[-1]
    right = [p.text for p in block.rows[0].cells[1].paragraphs if p.text.strip()]
    assert right == ["NGƯỜI LẬP DANH SÁCH", "(Ký, ghi rõ họ tên)", "Mai Thị Thu"]
    assert check_document(files["danh-sach-hoc-vien"], "dang", "danh-sach") == []


def _short_topics(data: dict) -> None:
    for cd in data["tap_huan"]["chuyen_de"]:
        cd.pop("tep", None)
        cd["noi_dung"] = "Nội dung."


def test_board_members_join_the_list_once_with_their_unit(tmp_path: Path) -> None:
    data = dossiers.sample()
    _short_topics(data)
    data["tap_huan"]["so_dong_trong"] = 0
    members = data["ban_dieu_hanh"]["thanh_vien"]
    members[1]["don_vi"] = "UBND xã Tân Thọ"
    # A learner who is also on the board, written in other case: one row, the learner's.
    data["tap_huan"]["hoc_vien"] = [
        {"ho_ten": "Ngô Văn Khách", "chuc_vu": "Trưởng thôn", "don_vi": "Thôn Đông"},
        {"ho_ten": members[0]["ho_ten"].upper(), "chuc_vu": "Chủ tịch", "don_vi": "UBND xã"},
    ]
    files = build(dossiers.write(tmp_path, data), tmp_path / "out")
    rows = docx.Document(str(files["danh-sach-hoc-vien"])).tables[1].rows[1:]
    got = [[c.text for c in r.cells[:4]] for r in rows]
    assert got[0] == ["1", "Ngô Văn Khách", "Trưởng thôn", "Thôn Đông"]
    assert got[1][1] == members[0]["ho_ten"].upper()
    assert got[2] == ["3", members[1]["ho_ten"], members[1]["chuc_vu"], "UBND xã Tân Thọ"]
    assert [r[1] for r in got[2:]] == [m["ho_ten"] for m in members[1:]]
    assert len(got) == 1 + len(members)


def test_the_board_can_be_left_off_the_list(tmp_path: Path) -> None:
    data = dossiers.sample()
    _short_topics(data)
    data["tap_huan"]["so_dong_trong"] = 0
    data["tap_huan"]["moi_ban_dieu_hanh"] = False
    files = build(dossiers.write(tmp_path, data), tmp_path / "out")
    rows = docx.Document(str(files["danh-sach-hoc-vien"])).tables[1].rows[1:]
    assert [r.cells[1].text for r in rows] == [hv["ho_ten"] for hv in data["tap_huan"]["hoc_vien"]]
