"""The command line: what a clerk types and sees, exit codes, no tracebacks, no overwrites."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests import edited
from vanban.cli import cli
from vanban.starter import starter_text

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def dossier(tmp_path: Path) -> Path:
    path = tmp_path / "hoso.yaml"
    path.write_text(starter_text(), encoding="utf-8")
    return path


def test_help_lists_every_command(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("build", "validate", "init", "pdf", "kinds"):
        assert command in result.output
        sub = runner.invoke(cli, [command, "--help"])
        assert sub.exit_code == 0, command
        assert len(sub.output.splitlines()) > 2


def test_readme_documents_every_command(runner: CliRunner) -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert readme.index("make demo") < readme.index("make test") < 600
    for command in cli.commands:
        assert f"vanban {command}" in readme, command


def test_readme_says_how_to_run_vanban_after_make_demo() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert "VENV   := .venv" in makefile
    assert "$(BIN)/vanban build" in makefile  # make demo runs the virtual environment's vanban
    assert "`.venv/bin/vanban --help`" in readme
    assert "`. .venv/bin/activate`" in readme


def test_import_of_the_cli_stays_light() -> None:
    code = "import sys, vanban.cli; print('weasyprint' in sys.modules, 'docxtpl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_python_dash_m_runs(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "vanban", "--version"], capture_output=True,
                         text=True, check=True)
    assert out.stdout.startswith("vanban ")


def test_the_command_ends_after_its_exit_handlers_with_its_exit_code(tmp_path: Path) -> None:
    """The console command skips the interpreter's finalisation (:func:`vanban.cli._end`),
    not the exit handlers: WeasyPrint's temporary font folder is removed, every line is
    printed and the exit code is the command's."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    dossier = ROOT / "samples" / "tan-tho-2023" / "hoso.yaml"
    run = [sys.executable, "-m", "vanban", "build", str(dossier), "-o", str(tmp_path / "out"),
           "--only", "bien-ban", "--no-cache"]
    built = subprocess.run(run, capture_output=True, text=True, env=env, timeout=300)
    assert built.returncode == 0, built.stderr
    assert built.stdout.splitlines()[-1].startswith("Đã ghi 4 tệp vào ")
    assert list(temp.iterdir()) == []
    again = subprocess.run(run, capture_output=True, text=True, env=env, timeout=300)
    assert again.returncode == 1
    assert "--force" in again.stderr
    usage = subprocess.run([sys.executable, "-m", "vanban", "build", "--khong-co"],
                           capture_output=True, text=True, env=env, timeout=60)
    assert usage.returncode == 2
    assert "--khong-co" in usage.stderr


def test_a_reader_gone_before_the_output_does_not_fail_the_command(tmp_path: Path) -> None:
    """``vanban … | head -1``: the reader has closed the pipe; the command still does its
    work and ends with its own exit code, not an internal error."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        done = subprocess.run([sys.executable, "-m", "vanban", "init", str(tmp_path / "moi")],
                              stdout=writer, stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(writer)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert (tmp_path / "moi" / "hoso.yaml").is_file()


def test_help_is_never_cut_inside_a_word(runner: CliRunner) -> None:
    """Options, file names and the test password keep their hyphens on one line, and the
    list of commands tells each one whole (no "…" cut)."""
    top = runner.invoke(cli, ["--help"], terminal_width=80)
    commands = top.output.split("Lệnh:")[1]
    assert "..." not in commands
    for name in cli.commands:
        shown = runner.invoke(cli, [name, "--help"], terminal_width=80).output
        for line in shown.splitlines():
            assert not re.search(r"\w-$", line), (name, line)
    password = runner.invoke(cli, ["tao-chung-thu-thu", "--help"], terminal_width=80).output
    assert '"vanban-thu-nghiem"' in password


def test_init_then_validate(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "moi"
    result = runner.invoke(cli, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    assert (folder / "hoso.yaml").is_file()
    again = runner.invoke(cli, ["init", str(folder)])
    assert again.exit_code == 1
    assert "--force" in again.output
    result = runner.invoke(cli, ["validate", str(folder / "hoso.yaml")])
    assert result.exit_code == 0
    assert "hợp lệ" in result.output


@pytest.mark.parametrize(
    ("content", "expected"),
    [("", "tệp rỗng"), ("a: [", "YAML không hợp lệ"), ("- 1", "cặp khóa")],
    ids=["empty", "broken", "list"],
)
def test_bad_file_is_one_line_and_exit_1(runner, tmp_path, content, expected) -> None:
    path = tmp_path / "hoso.yaml"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Lỗi: ")
    assert expected in lines[0]
    assert "Traceback" not in result.output


def test_invalid_dossier_lists_every_problem(runner, dossier: Path) -> None:
    source = dossier.read_text("utf-8").replace("ngay: 2023-05-25", "ngay: 2023-02-30")
    source = source.replace("vai_tro: Trưởng ban", "vai_tro: Thành viên")
    dossier.write_text(source, encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(dossier)])
    assert result.exit_code == 1
    assert "hồ sơ có 1 lỗi" in result.output
    assert f"{dossier}:" in result.output
    assert "Traceback" not in result.output


def test_build_refuses_to_overwrite_and_leaves_nothing_half_written(runner, dossier, tmp_path):
    out = tmp_path / "out"
    first = runner.invoke(cli, ["build", str(dossier), "-o", str(out), "--format", "docx"])
    assert first.exit_code == 0, first.output
    names = sorted(p.name for p in out.iterdir())
    assert "quyet-dinh-thanh-lap-ban-dieu-hanh.docx" in names
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    second = runner.invoke(cli, ["build", str(dossier), "-o", str(out), "--format", "docx"])
    assert second.exit_code == 1
    assert "--force" in second.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    forced = runner.invoke(cli, ["build", str(dossier), "-o", str(out), "--format", "docx",
                                 "--force"])
    assert forced.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == names  # no temporary files left


def test_build_with_a_broken_dossier_writes_nothing(runner, dossier, tmp_path) -> None:
    dossier.write_text(dossier.read_text("utf-8").replace("nguoi_ky: Nguyễn Văn A",
                                                         "nguoi_ky: Không Ai"), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(dossier), "-o", str(out)])
    assert result.exit_code == 1
    assert not out.exists()


#: Click's English frame and messages; none may reach a clerk.
CLICK_ENGLISH = re.compile(
    r"\b(Usage|Error|Try|help\.|No such|Missing|Invalid|Options|Commands|Show this|Show the|"
    r"requires|unexpected|Did you mean|default:|required|Aborted|PATH|TEXT|INTEGER|FILES)\b"
)


@pytest.mark.parametrize(
    ("args", "expected"),
    [("", "Cách dùng: vanban [TÙY CHỌN] LỆNH [THAM SỐ]..."),
     ("build", "Lỗi: thiếu tham số 'HOSO...'."),
     ("build HOSO -o OUT --bogus", "Lỗi: không có tùy chọn '--bogus'."),
     ("build HOSO -o OUT --forse", "(Có phải là một trong: '--force', '--format', '--jobs'?)"),
     ("biuld", "Lỗi: không có lệnh 'biuld'. Có phải là 'build'?"),
     ("build HOSO -o", "Lỗi: tùy chọn '-o' cần một giá trị."),
     ("validate HOSO thua", "Lỗi: thừa tham số (thua)."),
     ("build HOSO -o OUT --only khong-co", "Lỗi: không có loại văn bản 'khong-co'"),
     ("build HOSO -o OUT --format odt", "Lỗi: định dạng 'odt' không hợp lệ"),
     ("build HOSO -o OUT --format ,", "Lỗi: định dạng '' không hợp lệ")],
    ids=["nothing", "missing-argument", "unknown-option", "misspelt-option", "unknown-command",
         "option-without-value", "extra-argument", "unknown-kind", "unknown-format",
         "empty-format"],
)
def test_usage_errors_exit_2_in_vietnamese(runner, dossier, tmp_path, args, expected) -> None:
    out = tmp_path / "o"
    words = [{"HOSO": str(dossier), "OUT": str(out)}.get(a, a) for a in args.split()]
    result = runner.invoke(cli, words, prog_name="vanban")
    assert result.exit_code == 2, result.output
    assert expected in result.output
    if words:
        assert result.output.splitlines()[-1].startswith("Lỗi: ")
    assert not CLICK_ENGLISH.search(result.output), result.output
    assert "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize("command", [[], *([c] for c in sorted(cli.commands))],
                         ids=["vanban", *sorted(cli.commands)])
def test_help_is_vietnamese(runner, command) -> None:
    result = runner.invoke(cli, [*command, "--help"], prog_name="vanban")
    assert result.exit_code == 0
    assert result.output.startswith(f"Cách dùng: {' '.join(['vanban', *command])} [TÙY CHỌN]")
    assert "\nTùy chọn:\n" in result.output
    assert "-h, --help" in result.output
    assert "In trợ giúp này rồi thoát." in result.output
    assert ("\nLệnh:\n" in result.output) == (command == [])
    assert not CLICK_ENGLISH.search(result.output), result.output


def test_an_internal_error_exits_3_in_one_line(runner, dossier, tmp_path, monkeypatch) -> None:
    import vanban.build

    def broken(*args, **kwargs):
        raise KeyError("ho_ten")

    # No input reaches a bug on purpose (the fuzz tests see to that): put one in.
    monkeypatch.setattr(vanban.build, "render", broken)
    monkeypatch.delenv("VANBAN_DEBUG", raising=False)
    result = runner.invoke(cli, ["build", str(dossier), "-o", str(tmp_path / "o")])
    assert result.exit_code == 3
    assert result.output.splitlines() == [
        "Lỗi: lỗi nội bộ của vanban (KeyError: 'ho_ten'); đặt VANBAN_DEBUG=1 để xem chi tiết "
        "và báo lại cho người phát triển"]
    monkeypatch.setenv("VANBAN_DEBUG", "1")
    debug = runner.invoke(cli, ["build", str(dossier), "-o", str(tmp_path / "o")])
    assert isinstance(debug.exception, KeyError)


def test_png_without_pdf_says_it_does_nothing(runner, dossier, tmp_path) -> None:
    out = tmp_path / "o"
    result = runner.invoke(cli, ["build", str(dossier), "-o", str(out), "--format", "docx",
                                 "--only", "bien-ban", "--png"])
    assert result.exit_code == 0, result.output
    assert ("Cảnh báo: --png không có tác dụng: ảnh PNG chụp trang 1 của PDF, mà --format "
            "không có pdf") in result.output
    assert sorted(p.name for p in out.iterdir()) == ["bien-ban-hoi-nghi-ra-mat.docx"]


def test_only_a_kind_the_dossier_has_no_data_for_says_so(runner, dossier, tmp_path) -> None:
    out = tmp_path / "o"
    result = runner.invoke(cli, ["build", str(dossier), "-o", str(out), "--format", "docx",
                                 "--only", "bien-ban,tai-lieu-chuyen-de"])
    assert result.exit_code == 0, result.output
    assert ("Cảnh báo: --only tai-lieu-chuyen-de: hồ sơ không có dữ liệu cho loại này, không "
            "soạn văn bản nào") in result.output
    assert "--only bien-ban" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["bien-ban-hoi-nghi-ra-mat.docx"]


def test_a_templates_folder_without_any_template_is_an_error(runner, dossier, tmp_path) -> None:
    folder = tmp_path / "mau"
    folder.mkdir()
    (folder / "bien-ban.docx").write_bytes(b"")  # not where vanban looks (nd30/, dang/)
    result = runner.invoke(cli, ["build", str(dossier), "-o", str(tmp_path / "o"),
                                 "--templates-dir", str(folder)])
    assert result.exit_code == 1
    assert f"Lỗi: thư mục mẫu {folder} không có mẫu nào vanban dùng" in result.output
    assert not (tmp_path / "o").exists()


def test_only_builds_the_named_kinds(runner, dossier, tmp_path) -> None:
    out = tmp_path / "o"
    result = runner.invoke(cli, ["build", str(dossier), "-o", str(out), "--only", "bien-ban",
                                 "--format", "docx"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["bien-ban-hoi-nghi-ra-mat.docx"]
    assert "Đã ghi" in result.output


def test_kinds_lists_every_kind_in_dossier_order(runner) -> None:
    result = runner.invoke(cli, ["kinds"])
    assert result.output.split() == [
        "quyet-dinh-thanh-lap-ban-dieu-hanh", "quyet-dinh-ban-hanh-quy-che", "quy-che",
        "bien-ban", "tai-lieu-chuyen-de", "danh-sach-hoc-vien", "phieu-danh-gia"]


def test_templates_dir_override_is_used(runner, dossier, tmp_path) -> None:
    missing = runner.invoke(cli, ["build", str(dossier), "-o", str(tmp_path / "o"),
                                  "--templates-dir", str(tmp_path / "none")])
    assert missing.exit_code == 1
    assert "không tìm thấy thư mục mẫu" in missing.output


def test_pdf_command_refuses_non_docx(runner, tmp_path) -> None:
    bad = tmp_path / "x.txt"
    bad.write_text("x")
    result = runner.invoke(cli, ["pdf", str(bad)])
    assert result.exit_code == 1
    assert "chỉ chuyển được tệp .docx" in result.output


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("Ghi chú: {{ hop.khong_co }}", "dùng trường không có trong hồ sơ (khong_co)"),
     ("Ghi chú: {{ hop.dia_diem ", "thẻ sai cú pháp")],
    ids=["unknown-field", "broken-tag"],
)
def test_a_broken_template_names_itself_and_the_paragraph(runner, dossier, tmp_path, tag,
                                                          expected) -> None:
    folder = edited.templates(tmp_path, tag)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(dossier), "-o", str(out), "--format", "docx",
                                 "--templates-dir", str(folder)])
    assert result.exit_code == 1
    assert "mẫu nd30/bien-ban.docx" in result.output
    assert expected in result.output
    assert "Ghi chú:" in result.output  # the paragraph's text
    lines = result.output.strip().splitlines()
    assert [line for line in lines if not line.startswith("Đã soạn ")] == lines[-1:]
    assert not out.exists()


def test_edited_template_is_used(runner, dossier, tmp_path) -> None:
    import docx

    folder = edited.templates(tmp_path, "Ghi chú của văn thư: {{ hop.dia_diem }}")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(dossier), "-o", str(out), "--format", "docx",
                                 "--only", "bien-ban", "--templates-dir", str(folder)])
    assert result.exit_code == 0, result.output
    texts = [p.text for p in docx.Document(str(out / "bien-ban-hoi-nghi-ra-mat.docx")).paragraphs]
    assert "Ghi chú của văn thư: Hội trường UBND xã" in texts


def test_pdf_command_converts_and_refuses_to_overwrite(runner, dossier, tmp_path) -> None:
    out = tmp_path / "out"
    runner.invoke(cli, ["build", str(dossier), "-o", str(out), "--format", "docx",
                        "--only", "bien-ban"], catch_exceptions=False)
    source = out / "bien-ban-hoi-nghi-ra-mat.docx"
    first = runner.invoke(cli, ["pdf", str(source)], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    pdf = source.with_suffix(".pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")
    again = runner.invoke(cli, ["pdf", str(source)])
    assert again.exit_code == 1
    assert "--force" in again.output
    not_docx = tmp_path / "gia.docx"
    not_docx.write_text("không phải docx")
    bad = runner.invoke(cli, ["pdf", str(not_docx)])
    assert bad.exit_code == 1
    assert "không phải tệp Word .docx hợp lệ" in bad.output


def test_build_writes_pdf_and_png_by_request(runner, dossier, tmp_path) -> None:
    import shutil

    if shutil.which("pdftoppm") is None:
        pytest.skip("needs poppler-utils")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(dossier), "-o", str(out), "--only", "bien-ban",
                                 "--png"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["bien-ban-hoi-nghi-ra-mat.docx", "bien-ban-hoi-nghi-ra-mat.pdf",
                     "bien-ban-hoi-nghi-ra-mat.png"]
    assert (out / "bien-ban-hoi-nghi-ra-mat.png").read_bytes().startswith(b"\x89PNG")


def test_png_is_part_of_the_all_or_nothing_write(runner, dossier, tmp_path) -> None:
    import shutil

    if shutil.which("pdftoppm") is None:
        pytest.skip("needs poppler-utils")
    out = tmp_path / "out"
    out.mkdir()
    png = out / "bien-ban-hoi-nghi-ra-mat.png"
    png.write_bytes(b"old picture")
    args = ["build", str(dossier), "-o", str(out), "--only", "bien-ban", "--png"]
    refused = runner.invoke(cli, args)
    assert refused.exit_code == 1, refused.output
    assert "--force" in refused.output
    assert sorted(p.name for p in out.iterdir()) == [png.name]
    assert png.read_bytes() == b"old picture"
    png.unlink()
    png.mkdir()  # nothing can be written there: neither the DOCX nor the PDF is written
    blocked = runner.invoke(cli, [*args, "--force"])
    assert blocked.exit_code == 1, blocked.output
    assert "là một thư mục" in blocked.output
    assert sorted(p.name for p in out.iterdir()) == [png.name]
    png.rmdir()
    forced = runner.invoke(cli, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert png.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("encoding", ["cp1252", "cp437", "utf-8"])
def test_messages_reach_any_console_encoding(dossier, tmp_path, encoding) -> None:
    import os

    env = {**os.environ, "PYTHONIOENCODING": encoding}
    out = tmp_path / "thư mục"
    built = subprocess.run([sys.executable, "-m", "vanban", "build", str(dossier), "-o", str(out),
                            "--only", "bien-ban", "--format", "docx"],
                           capture_output=True, env=env, timeout=300)
    assert built.returncode == 0, built.stderr
    assert built.stdout.decode(encoding).startswith(
        "Đã " if encoding == "utf-8" else "Da " if encoding == "cp437" else "Dã ")
    again = subprocess.run([sys.executable, "-m", "vanban", "build", str(dossier), "-o", str(out),
                            "--only", "bien-ban", "--format", "docx"],
                           capture_output=True, env=env, timeout=300)
    assert again.returncode == 1
    assert "--force" in again.stderr.decode(encoding)


def test_templates_folder_may_hold_only_some_templates(runner, dossier, tmp_path,
                                                       monkeypatch) -> None:
    folder = edited.templates(tmp_path, "Ghi chú riêng: {{ hop.dia_diem }}")
    for path in folder.rglob("*.docx"):
        if path.name != "bien-ban.docx":
            path.unlink()
    monkeypatch.setenv("VANBAN_TEMPLATES_DIR", str(folder))
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(dossier), "-o", str(out), "--format", "docx"])
    assert result.exit_code == 0, result.output
    assert (out / "quyet-dinh-thanh-lap-ban-dieu-hanh.docx").is_file()  # from the built-ins


def test_quiet_prints_nothing_on_success(runner, dossier, tmp_path) -> None:
    result = runner.invoke(cli, ["-q", "build", str(dossier), "-o", str(tmp_path / "o"),
                                 "--format", "docx"])
    assert result.exit_code == 0
    assert result.output == ""
    assert (tmp_path / "o" / "quy-che.docx").is_file()


def test_a_template_that_is_not_a_docx_is_named(runner, dossier, tmp_path) -> None:
    folder = tmp_path / "mau" / "nd30"
    folder.mkdir(parents=True)
    (folder / "bien-ban.docx").write_text("đây không phải tệp Word")
    result = runner.invoke(cli, ["build", str(dossier), "-o", str(tmp_path / "o"),
                                 "--templates-dir", str(tmp_path / "mau"), "--format", "docx"])
    assert result.exit_code == 1
    assert "bien-ban.docx: không phải tệp Word .docx hợp lệ" in result.output
    assert not (tmp_path / "o").exists()


def test_build_reports_each_document_as_it_is_finished(runner, dossier, tmp_path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(dossier), "-o", str(out), "--format", "docx"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    stems = sorted(p.stem for p in out.iterdir())
    done = [re.fullmatch(r"Đã soạn (\S+) \(docx\) trong \d+,\d giây", line) for line in lines[:-1]]
    assert all(done), lines
    assert sorted(m.group(1) for m in done if m) == stems
    assert lines[-1] == f"Đã ghi {len(stems)} tệp vào {out}"


def test_documents_finished_before_an_error_are_reported(runner, dossier, tmp_path) -> None:
    folder = edited.templates(tmp_path, "Ghi chú: {{ hop.khong_co }}")
    result = runner.invoke(cli, ["build", str(dossier), "-o", str(tmp_path / "out"),
                                 "--format", "docx", "--templates-dir", str(folder)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("Đã soạn quyet-dinh-thanh-lap-ban-dieu-hanh (docx) trong ")
    assert lines[-1].startswith("Lỗi: ")
    assert "bien-ban.docx" in lines[-1]
    assert not any("bien-ban" in line for line in lines[:-1])


def _sample_folder(tmp_path: Path, change) -> Path:
    """Write the Tân Thọ sample, changed by `change(data)`, with its topic files; return it."""
    import shutil

    from tests import dossiers

    data = dossiers.sample()
    change(data)
    folder = tmp_path / "ho-so"
    shutil.copytree(ROOT / "samples" / "tan-tho-2023", folder)
    return dossiers.write(folder, data)


def _khoan(data: dict) -> dict:
    return data["quy_che"]["chuong"][1]["dieu"][0]["khoan"][0]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: _khoan(d).update(diem=[f"điểm {i}" for i in range(24)]),
         r"quy_che\.chuong\[2\]\.dieu\[1\]\.khoan\[1\]\.diem: nhiều nhất 23 mục"),
        (lambda d: d["quy_che"].update(chuong=[{"ten": "Chương", "dieu": [{"tieu_de": "Điều"}]}
                                               for _ in range(4000)]),
         r"quy_che\.chuong: nhiều nhất 100 mục"),
        (lambda d: d["quyet_dinh_thanh_lap"].update(so=int("9" * 300)),
         r"quyet_dinh_thanh_lap\.so: phải nhỏ hơn hoặc bằng 999999"),
        (lambda d: d["dia_ban"].update(xa="Tân Thọ " * 1250),
         r"dia_ban\.xa: dài quá 100 ký tự"),
    ],
    ids=["24-diem", "4000-chuong", "300-digit-so", "10k-xa"],
)
def test_absurd_sizes_are_located_errors(runner, tmp_path, change, expected) -> None:
    import re

    dossier = _sample_folder(tmp_path, change)
    result = runner.invoke(cli, ["build", str(dossier), "-o", str(tmp_path / "out"),
                                 "--format", "docx"])
    assert result.exit_code == 1, result.output
    assert re.search(rf"{re.escape(str(dossier))}:\d+:\d+: {expected}", result.output)
    assert not (tmp_path / "out").exists()


def test_a_long_title_is_cut_in_the_document_properties(runner, tmp_path) -> None:
    import docx

    trich_yeu = "Về việc " + "thành lập Ban điều hành " * 100
    dossier = _sample_folder(tmp_path, lambda d: d["quyet_dinh_thanh_lap"].update(
        trich_yeu=trich_yeu))
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(dossier), "-o", str(out), "--format", "docx",
                                 "--only", "quyet-dinh-thanh-lap-ban-dieu-hanh"])
    assert result.exit_code == 0, result.output
    title = docx.Document(str(next(out.glob("*.docx")))).core_properties.title
    assert len(title) == 255
    assert title.endswith("…")


@pytest.mark.parametrize(
    "tag", ["Ghi chú: {{ 1/0 }}", "Ghi chú: {% include 'khac.xml' %}", "Ghi chú: {{ 'a' + 1 }}"],
    ids=["division-by-zero", "include", "type-error"],
)
def test_a_template_expression_that_fails_is_the_templates_error(runner, dossier, tmp_path,
                                                                 tag) -> None:
    folder = edited.templates(tmp_path, tag)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(dossier), "-o", str(out), "--format", "docx",
                                 "--templates-dir", str(folder)])
    assert result.exit_code == 1, result.output
    assert "mẫu nd30/bien-ban.docx: biểu thức trong mẫu bị lỗi khi điền" in result.output
    assert "ở đoạn thứ 58 “Ghi chú:" in result.output
    assert "lỗi nội bộ" not in result.output
    assert not out.exists()


def test_an_output_folder_name_too_long_is_named(runner, dossier, tmp_path) -> None:
    out = tmp_path / ("a" * 300)
    result = runner.invoke(cli, ["build", str(dossier), "-o", str(out), "--format", "docx",
                                 "--only", "bien-ban"])
    assert result.exit_code == 1, result.output
    assert f"Lỗi: không ghi được {out}" in result.output
    assert "tên tệp quá dài" in result.output


def test_a_topic_with_an_endless_word_is_a_located_error(runner, tmp_path) -> None:
    dossier = _sample_folder(tmp_path, lambda d: None)
    topic = dossier.parent / "chuyen-de-1.md"
    lines = topic.read_text("utf-8").count("\n")
    topic.write_text(topic.read_text("utf-8") + "\n" + "x" * 900_000 + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["build", str(dossier), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert f"chuyen-de-1.md:{lines + 2}: có một chuỗi 900000 ký tự liền nhau" in result.output


@pytest.mark.parametrize(
    ("key", "value"),
    [("ngay", "\x1b[2J\x1b[31m2023-05-25"), ("\x1b]0;pwned\x07ngay", "2023-05-25")],
    ids=["in-a-value", "in-a-key"],
)
def test_terminal_escapes_from_the_dossier_are_never_printed_raw(runner, tmp_path, key,
                                                                 value) -> None:
    import yaml

    data = yaml.safe_load(starter_text())
    del data["quyet_dinh_thanh_lap"]["ngay"]
    data["quyet_dinh_thanh_lap"][key] = value
    path = tmp_path / "hoso.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for command in (["validate", str(path)], ["build", str(path), "-o", str(tmp_path / "o")]):
        result = runner.invoke(cli, command)
        assert result.exit_code == 1, result.output
        assert "\x1b" not in result.output
        assert "\x07" not in result.output
        assert "\\x1b" in result.output  # shown, escaped, so the clerk sees what is wrong
        assert "quyet_dinh_thanh_lap" in result.output


@pytest.mark.parametrize(("args", "said"), [
    (["build", "hoso.yaml", "-j", "0"], "0 nhỏ quá: phải từ 1 trở lên"),
    (["build", "hoso.yaml", "-j", "abc"], "'abc' không phải số nguyên"),
    (["register", "-o", "so.csv", "--nam", "abc"], "'abc' không phải số nguyên"),
    (["huy-so", "01/QĐ-UBND", "--ly-do", "x", "--nam", "1,5"], "'1,5' không phải số nguyên"),
    (["sign", "a.pdf", "-o", "b.pdf", "--dau-mm", "abc"], "'abc' không phải số"),
    (["sign", "a.pdf", "-o", "b.pdf", "--dau-mm", "nan"], "'nan' không phải số"),
    (["sign", "a.pdf", "-o", "b.pdf", "--khoi", "0"], "0 nhỏ quá: phải từ 1 trở lên"),
], ids=["jobs-0", "jobs-text", "year-text", "year-decimal", "seal-text", "seal-nan", "block-0"])
def test_a_number_option_is_checked_in_vietnamese(runner: CliRunner, args: list[str],
                                                  said: str) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert said in result.output
    assert not re.search(r"is not|valid|range", result.output)


def test_an_unreadable_dossier_is_a_file_error_not_a_usage_error(tmp_path: Path) -> None:
    import shutil

    setpriv = shutil.which("setpriv")
    if setpriv is None or os.geteuid() != 0:
        pytest.skip("needs root and setpriv to drop the right to read every file")
    dossier = tmp_path / "hoso.yaml"
    dossier.write_text(starter_text(), encoding="utf-8")
    dossier.chmod(0)
    done = subprocess.run(
        [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", sys.executable,
         "-m", "vanban", "validate", str(dossier)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip() == f"Lỗi: {dossier}: không đọc được tệp (không có quyền đọc)"


@pytest.mark.parametrize("command", [["build", "hoso.yaml"], ["issue", "hoso.yaml"],
                                     ["register"], ["sign", "a.pdf"]])
def test_an_empty_output_path_is_refused(runner: CliRunner, command: list[str]) -> None:
    # '' would be the current folder: the clerk did not choose it.
    result = runner.invoke(cli, [*command, "-o", ""])
    assert result.exit_code == 2, result.output
    assert "đường dẫn trống" in result.output
