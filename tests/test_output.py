"""Writing output all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from vanban.errors import OutputError
from vanban.output import write_all


def test_writes_every_file(tmp_path: Path) -> None:
    files = [(tmp_path / "a" / "x.docx", b"x"), (tmp_path / "a" / "y.pdf", b"y")]
    assert write_all(files) == [p for p, _ in files]
    assert [p.read_bytes() for p, _ in files] == [b"x", b"y"]


def test_refuses_existing_files_before_writing_any(tmp_path: Path) -> None:
    (tmp_path / "y.pdf").write_bytes(b"old")
    with pytest.raises(OutputError, match="dùng --force"):
        write_all([(tmp_path / "x.docx", b"x"), (tmp_path / "y.pdf", b"new")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["y.pdf"]
    assert (tmp_path / "y.pdf").read_bytes() == b"old"
    write_all([(tmp_path / "x.docx", b"x"), (tmp_path / "y.pdf", b"new")], force=True)
    assert (tmp_path / "y.pdf").read_bytes() == b"new"


def test_a_failure_leaves_nothing_half_written(tmp_path: Path) -> None:
    blocker = tmp_path / "khong-phai-thu-muc"
    blocker.write_text("a file where a folder is needed")
    with pytest.raises(OutputError, match="không ghi được"):
        write_all([(tmp_path / "x.docx", b"x"), (blocker / "y.pdf", b"y")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["khong-phai-thu-muc"]


def test_a_folder_in_the_way_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.docx").mkdir()
    with pytest.raises(OutputError, match="là một thư mục"):
        write_all([(tmp_path / "x.docx", b"x")], force=True)
