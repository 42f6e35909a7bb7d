"""What a clerk does to a template in Word or LibreOffice, and what vanban answers.

Every answer to a mistake is one Vietnamese line naming the template by its path in the
templates folder (``nd30/…``: the same names are in ``dang/``), where in it, and what to
change, with exit code 1; a template LibreOffice saved unchanged builds as the original.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import warnings
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from vanban import resources
from vanban.cli import cli
from vanban.render import jinja
from vanban.starter import starter_text

ROOT = Path(__file__).resolve().parents[2]
#: A dossier whose handouts are long enough to have a table of contents.
TAN_THO = ROOT / "samples" / "tan-tho-2023" / "hoso.yaml"
QD = "nd30/quyet-dinh-thanh-lap-ban-dieu-hanh.docx"
HANDOUT = "dang/tai-lieu-chuyen-de.docx"
#: The table-of-contents field of the handout template, and what LibreOffice saves of it.
TOC_FIELD = r"PAGEREF {{ m.dau_trang }} \h"
TOC_RESULT = "<w:t>{{ m.trang }}</w:t>"
LIBREOFFICE_CORE = ("http://schemas.openxmlformats.org/officedocument/2006/relationships/"
                    "metadata/core-properties")
SOFFICE = shutil.which("soffice")


@pytest.fixture
def dossier(tmp_path: Path) -> Path:
    path = tmp_path / "hoso.yaml"
    path.write_text(starter_text(), encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the built-in templates, as a clerk makes one to edit."""
    out = tmp_path / "mau"
    shutil.copytree(resources.builtin_templates_dir(), out)
    for path in out.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return out


def edit(path: Path, old: str, new: str, part: str = "word/document.xml") -> None:
    """Replace the first `old` by `new` in `part` of the DOCX at `path` (an edit in Word)."""
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in members:
            if info.filename == part:
                text = data.decode("utf-8")
                assert old in text, old
                data = text.replace(old, new, 1).encode("utf-8")
            dst.writestr(info, data)
    path.write_bytes(out.getvalue())


def build(dossier: Path, out: Path, kind: str, templates: Path | None) -> tuple[int, str]:
    args = ["build", str(dossier), "-o", str(out), "--format", "docx", "--only", kind,
            "--no-cache"]
    if templates is not None:
        args += ["--templates-dir", str(templates)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a library's English warning fails the build here
        result = CliRunner().invoke(cli, args)
    return result.exit_code, result.output


def error_line(output: str) -> str:
    """Return the one error line of `output` (progress lines aside)."""
    lines = [x for x in output.strip().splitlines() if not x.startswith("Đã soạn ")]
    assert len(lines) == 1, output
    assert lines[0].startswith("Lỗi: "), output
    return lines[0]


def body_texts(path: Path) -> list[str]:
    """Return the text of every body paragraph of the DOCX at `path`, field codes included."""
    document = docx.Document(str(path))
    return ["".join(t.text or "" for t in p.iter(qn("w:t"), qn("w:instrText")))
            for p in document.element.body.iter(qn("w:p"))]


# -- D1: a package saved by LibreOffice -----------------------------------------------------------


def test_a_libreoffice_package_gives_each_part_once(dossier, folder, tmp_path) -> None:
    edit(folder / QD, "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
         "core-properties", LIBREOFFICE_CORE, part="_rels/.rels")
    code, output = build(dossier, tmp_path / "out", "quyet-dinh-thanh-lap-ban-dieu-hanh", folder)
    assert code == 0, output
    assert "Warning" not in output
    made = tmp_path / "out" / "quyet-dinh-thanh-lap-ban-dieu-hanh.docx"
    with zipfile.ZipFile(made) as z:
        names = z.namelist()
        rels = z.read("_rels/.rels").decode()
    assert len(names) == len(set(names)), names
    assert names.count("docProps/core.xml") == 1
    assert rels.count("core-properties") == 1
    assert docx.Document(str(made)).core_properties.title  # vanban's metadata is in it


# -- D2: the handout's table of contents after a LibreOffice save ---------------------------------


def _cut_like_libreoffice(path: Path) -> None:
    """Do to the handout's table-of-contents field what LibreOffice's save does."""
    edit(path, TOC_FIELD, r"PAGEREF {{ \h")
    edit(path, TOC_RESULT, "<w:t>Error: Reference source not found</w:t>")


def test_a_toc_field_cut_by_libreoffice_builds_the_same_text(folder, tmp_path) -> None:
    _cut_like_libreoffice(folder / HANDOUT)
    code, output = build(TAN_THO, tmp_path / "cut", "tai-lieu-chuyen-de", folder)
    assert code == 0, output
    code, output = build(TAN_THO, tmp_path / "ours", "tai-lieu-chuyen-de", None)
    assert code == 0, output
    for name in ("tai-lieu-chuyen-de-1.docx", "tai-lieu-chuyen-de-2.docx"):
        texts = body_texts(tmp_path / "cut" / name)
        assert texts == body_texts(tmp_path / "ours" / name)
        assert any("PAGEREF _TocVanban0001" in t for t in texts)  # the contents are there


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_every_template_saved_by_libreoffice_builds_the_same_text(folder, tmp_path) -> None:
    saved = tmp_path / "lo"
    for profile in ("nd30", "dang"):
        subprocess.run([str(SOFFICE), "--headless", "--convert-to", "docx", "--outdir",
                        str(saved / profile), *map(str, sorted((folder / profile).glob("*.docx")))],
                       check=True, capture_output=True, timeout=300,
                       env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
        for path in (saved / profile).glob("*.docx"):
            shutil.copyfile(path, folder / profile / path.name)
    for kind in ("tai-lieu-chuyen-de", "quyet-dinh-thanh-lap-ban-dieu-hanh"):
        code, output = build(TAN_THO, tmp_path / "lo-out", kind, folder)
        assert code == 0, output
        code, output = build(TAN_THO, tmp_path / "ours", kind, None)
        assert code == 0, output
    for made in sorted((tmp_path / "ours").glob("*.docx")):
        assert body_texts(tmp_path / "lo-out" / made.name) == body_texts(made), made.name
        with zipfile.ZipFile(tmp_path / "lo-out" / made.name) as z:
            assert len(z.namelist()) == len(set(z.namelist()))


# -- D3: a tag in a field code --------------------------------------------------------------------


def test_a_broken_tag_in_a_field_code_is_named_in_vietnamese(folder, tmp_path) -> None:
    edit(folder / HANDOUT, TOC_FIELD, r"PAGEREF {{ m.dau_trang } \h")
    code, output = build(TAN_THO, tmp_path / "out", "tai-lieu-chuyen-de", folder)
    assert code == 1, output
    line = error_line(output)
    assert line.startswith(f"Lỗi: mẫu {HANDOUT}: thẻ sai cú pháp ở đoạn thứ ")
    assert "PAGEREF {{ m.dau_trang } \\h" in line
    assert "dấu “}” đặt sai chỗ" in line
    assert "unexpected" not in line


# -- D5, D6, D8: tags a clerk types wrong ---------------------------------------------------------


#: (what the template holds, what the clerk typed instead, what the message says).
MISTAKES = {
    "for-without-p": ("{%p for c in can_cu %}", "{% for c in can_cu %}", "{%p for … %}"),
    "endfor-without-p": ("{%p endfor %}", "{% endfor %}", "phải cùng kiểu"),
    "one-brace-open": ("{{ trich_yeu }}", "{ trich_yeu }}", "dấu “}}” không có dấu “{{”"),
    "stray-block-close": ("{{ trich_yeu }}", "trich_yeu %}", "dấu “%}” không có dấu “{%”"),
    "text-beside-p": ("<w:t>{%p for c in can_cu %}</w:t>",
                      '<w:t xml:space="preserve">Căn cứ pháp lý: {%p for c in can_cu %}</w:t>',
                      "chữ “Căn cứ pháp lý:” sẽ bị mất"),
    "two-p-tags": ("<w:t>{%p for c in can_cu %}</w:t>",
                   "<w:t>{%p for c in can_cu %}{%p if c %}</w:t>", "phải đứng một mình"),
}


@pytest.mark.parametrize("mistake", list(MISTAKES), ids=list(MISTAKES))
def test_a_mistyped_tag_is_one_line_with_exit_code_1(dossier, folder, tmp_path, mistake) -> None:
    old, new, expected = MISTAKES[mistake]
    edit(folder / QD, old, new)
    code, output = build(dossier, tmp_path / "out", "quyet-dinh-thanh-lap-ban-dieu-hanh", folder)
    assert code == 1, output
    line = error_line(output)
    assert line.startswith(f"Lỗi: mẫu {QD}: thẻ sai cú pháp ở đoạn thứ "), line
    assert expected in line
    assert "lỗi nội bộ" not in line
    assert not (tmp_path / "out").exists()


def test_braces_in_the_dossier_are_the_clerks_text(tmp_path) -> None:
    dossier = tmp_path / "hoso.yaml"
    dossier.write_text(starter_text().replace("dia_diem: Hội trường UBND xã",
                                              'dia_diem: "Hội trường {tầng 2}} %} {{"'),
                       encoding="utf-8")
    code, output = build(dossier, tmp_path / "out", "bien-ban", None)
    assert code == 0, output
    texts = [p.text for p in docx.Document(str(tmp_path / "out/bien-ban-hoi-nghi-ra-mat.docx"))
             .paragraphs]
    assert any("Hội trường {tầng 2}} %} {{" in t for t in texts), texts


def test_prefixes_of_a_block_must_match() -> None:
    assert jinja.check_tags(["{%p if a %}", "x", "{%p else %}", "y", "{%p endif %}"]) is None
    assert jinja.check_tags(["Có {% if a %}x{% else %}y{% endif %}."]) is None
    assert jinja.check_tags(["{%tr for r in x %}", "{{ r }}", "{%tr endfor %}"]) is None
    problem = jinja.check_tags(["{%p if a %}", "x", "{% else %}", "y", "{%p endif %}"])
    assert problem is not None
    assert problem.index == 0
    assert "ở đoạn thứ 3 phải cùng kiểu" in problem.message


# -- D9: where the mistake is ---------------------------------------------------------------------


def test_the_error_gives_the_paragraph_number_and_table_cell(dossier, folder, tmp_path) -> None:
    edit(folder / QD, "<w:t>{{ ky.ho_ten }}</w:t>",
         "<w:t>{{ ky.ho_ten }}</w:t></w:r></w:p><w:p><w:r><w:t>{%p endfor %}</w:t>")
    code, output = build(dossier, tmp_path / "out", "quyet-dinh-thanh-lap-ban-dieu-hanh", folder)
    assert code == 1, output
    line = error_line(output)
    m = re.search(r"ở đoạn thứ (\d+) \(bảng (\d+), hàng (\d+), ô (\d+)\) “\{%p endfor %\}”", line)
    assert m is not None, line
    body = docx.Document(str(folder / QD)).element.body
    paragraphs = list(body.iter(qn("w:p")))
    number, table, row, cell = map(int, m.groups())
    found = paragraphs[number - 1]
    assert "".join(t.text or "" for t in found.iter(qn("w:t"))) == "{%p endfor %}"
    previous = "".join(t.text or "" for t in paragraphs[number - 2].iter(qn("w:t")))
    assert previous == "{{ ky.ho_ten }}"  # the one added, not another of the eight
    tc = list(body.iter(qn("w:tbl")))[table - 1].findall(qn("w:tr"))[row - 1] \
        .findall(qn("w:tc"))[cell - 1]
    assert found.getparent() is tc


def test_an_unknown_field_gives_its_paragraph_number(dossier, folder, tmp_path) -> None:
    edit(folder / QD, "<w:t>{{ trich_yeu }}</w:t>", "<w:t>{{ trich_yeu_moi }}</w:t>")
    code, output = build(dossier, tmp_path / "out", "quyet-dinh-thanh-lap-ban-dieu-hanh", folder)
    assert code == 1, output
    line = error_line(output)
    assert line.startswith(f"Lỗi: mẫu {QD}: dùng trường không có trong hồ sơ (trich_yeu_moi) "
                           "ở đoạn thứ "), line
    assert line.endswith("“{{ trich_yeu_moi }}”")


# -- D13: files that are not a .docx --------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


#: What a clerk may put in place of a template, and what vanban calls it.
NOT_DOCX = {
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "Word 97-2003 (.doc)"),
    "odt": (_zip({"mimetype": b"application/vnd.oasis.opendocument.text",
                  "content.xml": b"<x/>"}), "OpenDocument (.odt)"),
    "xlsx": (_zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"}), "Excel"),
    "zip": (_zip({"a.txt": b"x"}), "tệp nén (ZIP)"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "tệp PDF"),
    "text": ("Quyết định thành lập".encode(), "tệp loại khác"),
}


@pytest.mark.parametrize("kind", list(NOT_DOCX), ids=list(NOT_DOCX))
def test_a_file_that_is_not_a_docx_says_to_save_it_as_one(dossier, folder, tmp_path,
                                                          kind) -> None:
    data, called = NOT_DOCX[kind]
    (folder / QD).write_bytes(data)
    code, output = build(dossier, tmp_path / "out", "quyet-dinh-thanh-lap-ban-dieu-hanh", folder)
    assert code == 1, output
    line = error_line(output)
    assert line.startswith(f"Lỗi: mẫu {QD}: "), line
    assert called in line
    assert "“Lưu thành” (Save As) kiểu Word Document (.docx)" in line
    assert "Error" not in line
    assert "ZIP hỏng" not in line


def test_an_empty_template_says_what_to_do(dossier, folder, tmp_path) -> None:
    (folder / QD).write_bytes(b"")
    code, output = build(dossier, tmp_path / "out", "quyet-dinh-thanh-lap-ban-dieu-hanh", folder)
    assert code == 1, output
    assert error_line(output).startswith(f"Lỗi: mẫu {QD}: tệp rỗng; hãy chép lại tệp này")


# -- D7: a template missing from the edited folder ------------------------------------------------


@pytest.mark.parametrize("suffix", [".doc", ".odt", ".DOCX"])
def test_a_template_saved_in_another_format_is_refused(dossier, folder, tmp_path,
                                                       suffix) -> None:
    (folder / QD).rename((folder / QD).with_suffix(suffix))
    code, output = build(dossier, tmp_path / "out", "quyet-dinh-thanh-lap-ban-dieu-hanh", folder)
    assert code == 1, output
    line = error_line(output)
    assert f"không có mẫu {QD} mà có tệp nd30/quyet-dinh-thanh-lap-ban-dieu-hanh{suffix}" in line
    assert "kiểu Word Document (.docx) với tên quyet-dinh-thanh-lap-ban-dieu-hanh.docx" in line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("how", ["deleted", "renamed"])
def test_a_missing_template_is_the_built_in_one_with_a_warning(dossier, folder, tmp_path,
                                                               how) -> None:
    if how == "renamed":
        (folder / QD).rename(folder / "nd30" / "Quyết định thành lập.docx")
    else:
        (folder / QD).unlink()
    for out in ("out", "again"):  # told with every build, not once per process
        code, output = build(dossier, tmp_path / out, "quyet-dinh-thanh-lap-ban-dieu-hanh",
                             folder)
        assert code == 0, output
        told = [line for line in output.splitlines() if "thư mục mẫu" in line]
        assert len(told) == 1, output
        assert told[0].startswith(f"Cảnh báo: thư mục mẫu {folder} không có mẫu {QD}; văn bản "
                                  "này dùng mẫu gốc của vanban")
        if how == "renamed":
            assert "có tệp vanban không dùng: Quyết định thành lập.docx" in told[0]
        assert (tmp_path / out / "quyet-dinh-thanh-lap-ban-dieu-hanh.docx").is_file()


# -- D5: the net under the tag check --------------------------------------------------------------


def test_a_document_that_lost_its_page_settings_is_the_templates_error(dossier, folder, tmp_path,
                                                                       monkeypatch) -> None:
    from vanban.render import docx as rendering

    monkeypatch.setattr(rendering, "_tag_problem", lambda data: None)  # a cause it does not know
    edit(folder / QD, "{%p for c in can_cu %}", "{% for c in can_cu %}")
    code, output = build(dossier, tmp_path / "out", "quyet-dinh-thanh-lap-ban-dieu-hanh", folder)
    assert code == 1, output
    line = error_line(output)
    assert line.startswith(f"Lỗi: mẫu {QD}: các thẻ {{%p …%}} và {{% …%}} lồng nhau sai"), line
