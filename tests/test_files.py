"""Received files: nothing outside the dossier's folder, no special file, each read once (#9)."""

from __future__ import annotations

import errno
import os
import resource
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from tests import dossiers, edited
from vanban import build
from vanban.errors import DataError, InputFileError, os_reason
from vanban.loading import load
from vanban.starter import starter_text

ROOT = Path(__file__).resolve().parents[1]
TOPIC = "# I. PHẦN MỘT\n\n## 1. Mục một\n\nNội dung chuyên đề trong thư mục hồ sơ.\n"
SECRET = "# I. BÍ MẬT\n\n## 1. Mục\n\nNội dung nằm ngoài thư mục hồ sơ.\n"
#: Each run of vanban in a child process gets this long: a read that blocks fails the test.
TIMEOUT = 120


def dossier_with_topic(folder: Path, tep: str) -> Path:
    """Write a dossier in `folder` whose second topic is the file `tep`."""
    folder.mkdir(parents=True, exist_ok=True)
    data = dossiers.sample()
    data["tap_huan"]["chuyen_de"] = [
        {"tieu_de": "Chuyên đề viết sẵn", "noi_dung": TOPIC},
        {"tieu_de": "Chuyên đề từ tệp", "tep": tep},
    ]
    return dossiers.write(folder, data)


def topic_errors(path: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        load(path)
    return [str(p) for p in info.value.problems if p.level == "loi"]


def run_vanban(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run vanban in a child process with a time and a memory limit."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run([sys.executable, "-m", "vanban", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=TIMEOUT, preexec_fn=limit)


def build_bien_ban(tmp_path: Path, templates: Path) -> subprocess.CompletedProcess[str]:
    """Build the Biên bản of a starter dossier in `tmp_path` with the templates in `templates`."""
    dossier = tmp_path / "hoso.yaml"
    dossier.write_text(starter_text(), encoding="utf-8")
    return run_vanban("build", str(dossier), "-o", "out", "--format", "docx", "--only",
                      "bien-ban", "--templates-dir", str(templates), cwd=tmp_path)


# -- Symlinks -------------------------------------------------------------------------------------


def test_a_topic_symlinked_out_of_the_dossier_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ngoai.md").write_text(SECRET, encoding="utf-8")
    path = dossier_with_topic(tmp_path / "ho-so", "chuyen-de-2.md")
    (tmp_path / "ho-so" / "chuyen-de-2.md").symlink_to(tmp_path / "ngoai.md")
    errors = topic_errors(path)
    assert len(errors) == 1, errors
    assert "tap_huan.chuyen_de[2].tep: tệp chuyen-de-2.md: là liên kết (symlink) trỏ ra ngoài " \
        "thư mục" in errors[0]
    assert "BÍ MẬT" not in errors[0]


def test_a_topic_in_a_symlinked_folder_out_of_the_dossier_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ngoai").mkdir()
    (tmp_path / "ngoai" / "cd.md").write_text(SECRET, encoding="utf-8")
    path = dossier_with_topic(tmp_path / "ho-so", "tai-lieu/cd.md")
    (tmp_path / "ho-so" / "tai-lieu").symlink_to(tmp_path / "ngoai", target_is_directory=True)
    errors = topic_errors(path)
    assert any("tệp tai-lieu/cd.md: là liên kết (symlink) trỏ ra ngoài thư mục" in e
               for e in errors), errors


def test_a_symlink_that_stays_in_the_dossier_folder_is_read(tmp_path: Path) -> None:
    path = dossier_with_topic(tmp_path / "ho-so", "chuyen-de-2.md")
    (tmp_path / "ho-so" / "ban-goc").mkdir()
    (tmp_path / "ho-so" / "ban-goc" / "cd.md").write_text(TOPIC, encoding="utf-8")
    (tmp_path / "ho-so" / "chuyen-de-2.md").symlink_to(Path("ban-goc") / "cd.md")
    assert load(path).topics == {"chuyen-de-2.md": TOPIC}


# -- Special files --------------------------------------------------------------------------------


def test_a_fifo_as_the_dossier_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "hoso.yaml")
    result = run_vanban("validate", "hoso.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Lỗi: hoso.yaml: là một ống FIFO, không phải tệp thường; vanban không đọc loại tệp này"
    )


def test_dev_zero_as_the_dossier_is_refused(tmp_path: Path) -> None:
    (tmp_path / "hoso.yaml").symlink_to("/dev/zero")
    result = run_vanban("validate", "hoso.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "hoso.yaml: là một thiết bị ký tự (như /dev/zero), không phải tệp thường" \
        in result.stderr


@pytest.mark.parametrize("special", ["fifo", "dev-zero"])
def test_a_special_topic_file_is_refused(tmp_path: Path, special: str) -> None:
    path = dossier_with_topic(tmp_path, "chuyen-de-2.md")
    if special == "fifo":
        os.mkfifo(tmp_path / "chuyen-de-2.md")
        expected = "là một ống FIFO"
    else:
        (tmp_path / "chuyen-de-2.md").symlink_to("/dev/zero")
        expected = "là liên kết (symlink) trỏ ra ngoài"  # a device outside the folder
    result = run_vanban("validate", str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert f"tap_huan.chuyen_de[2].tep: tệp chuyen-de-2.md: {expected}" in result.stderr


@pytest.mark.parametrize(
    ("how", "expected"),
    [("symlink-out", "mẫu nd30/bien-ban.docx: là liên kết (symlink) trỏ ra ngoài thư mục"),
     ("fifo", "bien-ban.docx: là một ống FIFO, không phải tệp thường")],
)
def test_a_template_is_a_regular_file_in_its_folder(tmp_path: Path, how: str,
                                                    expected: str) -> None:
    folder = edited.templates(tmp_path, "Ghi chú: {{ hop.dia_diem }}")
    if how == "fifo":
        (folder / edited.BIEN_BAN).unlink()
        os.mkfifo(folder / edited.BIEN_BAN)
    else:
        (folder / edited.BIEN_BAN).rename(tmp_path / "ngoai.docx")
        (folder / edited.BIEN_BAN).symlink_to(tmp_path / "ngoai.docx")
    result = build_bien_ban(tmp_path, folder)
    assert result.returncode == 1, result.stderr
    assert expected in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_fifo_given_to_vanban_pdf_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "van-ban.docx")
    result = run_vanban("pdf", "van-ban.docx", cwd=tmp_path)
    assert result.returncode == 1
    assert "van-ban.docx: là một ống FIFO, không phải tệp thường" in result.stderr
    assert not (tmp_path / "van-ban.pdf").exists()


def test_read_regular_checks_the_type_and_the_size(tmp_path: Path) -> None:
    from vanban import files

    (tmp_path / "a.txt").write_bytes(b"12345")
    assert files.read_regular(tmp_path / "a.txt", "a.txt", limit=5) == b"12345"
    with pytest.raises(InputFileError, match="quá lớn"):
        files.read_regular(tmp_path / "a.txt", "a.txt", limit=4)
    with pytest.raises(InputFileError, match="a: là một thư mục, không phải tệp thường"):
        files.read_regular(tmp_path, "a")
    with pytest.raises(InputFileError, match="b: không tìm thấy tệp"):
        files.read_regular(tmp_path / "b.txt", "b")
    (tmp_path / "vong").symlink_to(tmp_path / "vong")  # a link to itself: the system's ELOOP
    with pytest.raises(InputFileError) as raised:
        files.read_regular(tmp_path / "vong", "vong")
    assert str(raised.value) == "vong: không đọc được tệp (đường dẫn có liên kết (symlink) vòng quanh)"


@pytest.mark.parametrize(("code", "action", "said"), [
    (errno.EACCES, "đọc", "không có quyền đọc"),
    (errno.EACCES, "ghi", "không có quyền ghi"),
    (errno.ENOSPC, "ghi", "ổ đĩa đã đầy"),
    (errno.EIO, "đọc", "lỗi đọc ghi của ổ đĩa"),
    (errno.EXDEV, "ghi", "lỗi hệ thống: Invalid cross-device link"),
])
def test_the_system_refusals_are_told_in_vietnamese(code: int, action: str, said: str) -> None:
    strerror = "Invalid cross-device link" if code == errno.EXDEV else os.strerror(code)
    assert os_reason(OSError(code, strerror), action) == said


# -- Read once ------------------------------------------------------------------------------------


def test_the_topic_printed_is_the_topic_checked(tmp_path: Path) -> None:
    path = dossier_with_topic(tmp_path, "chuyen-de-2.md")
    (tmp_path / "chuyen-de-2.md").write_text(TOPIC, encoding="utf-8")
    loaded = load(path)
    # The file changes after it was checked (or a symlink is swapped in): the handout keeps
    # the text that was checked.
    (tmp_path / "chuyen-de-2.md").write_text(SECRET, encoding="utf-8")
    rendered, _ = build.render(loaded, only=["tai-lieu-chuyen-de"], formats=["docx"])
    out = tmp_path / "cd2.docx"
    out.write_bytes(dict(rendered)["tai-lieu-chuyen-de-2.docx"])
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "Nội dung chuyên đề trong thư mục hồ sơ." in texts
    assert not [t for t in texts if "BÍ MẬT" in t or "ngoài thư mục" in t]
