"""An edited template that sets the page or the body against the decree is told, not refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.shared import Mm, Pt

from vanban import resources
from vanban.cli import cli
from vanban.render.conformance import template_faults

ROOT = Path(__file__).resolve().parents[2]
QD = "nd30/quyet-dinh-thanh-lap-ban-dieu-hanh.docx"


@pytest.mark.parametrize("name", sorted(resources.template_names()))
def test_vanbans_own_templates_keep_the_decree(name: str) -> None:
    assert template_faults((resources.builtin_templates_dir() / name).read_bytes()) == []


def test_an_edited_template_against_the_decree_is_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "mau"
    shutil.copytree(resources.builtin_templates_dir(), folder)
    path = folder / QD
    document = docx.Document(str(path))
    section = document.sections[0]
    section.page_width, section.page_height = Mm(215.9), Mm(279.4)  # Letter
    section.left_margin = Mm(10)
    document.styles["VB Nội dung"].font.size = Pt(10)
    document.styles.element.find(
        ".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}rFonts").set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}ascii", "Arial")
    document.save(str(path))
    assert template_faults(path.read_bytes()) == [
        "khổ giấy 215,9 × 279,4 mm (A4 đứng: 210 × 297 mm)", "lề trái 10 mm (30–35 mm)",
        "phông Arial (Times New Roman)", "cỡ chữ nội dung 10 pt (13–14 pt)"]
    result = CliRunner().invoke(cli, [
        "build", str(ROOT / "samples/tan-tho-2023/hoso.yaml"), "-o", str(tmp_path / "out"),
        "--format", "docx", "--templates-dir", str(folder), "--no-cache"])
    assert result.exit_code == 0, result.output
    told = [line for line in result.output.splitlines() if "thể thức" in line]
    assert told == [f"Cảnh báo: mẫu {QD} không đúng thể thức Nghị định 30: khổ giấy 215,9 × "
                    "279,4 mm (A4 đứng: 210 × 297 mm); lề trái 10 mm (30–35 mm); phông Arial "
                    "(Times New Roman); cỡ chữ nội dung 10 pt (13–14 pt)"]


def test_a_value_the_edited_template_no_longer_prints_is_a_warning(tmp_path: Path) -> None:
    """A clerk who deletes {{ ky.ho_ten }} gets a decision without its signer's name: built,
    but told. An untouched copy of the templates is told nothing."""
    folder = tmp_path / "mau"
    shutil.copytree(resources.builtin_templates_dir(), folder)
    args = ["build", str(ROOT / "samples/tan-tho-2023/hoso.yaml"), "--format", "docx",
            "--templates-dir", str(folder), "--no-cache"]
    untouched = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "a")])
    assert untouched.exit_code == 0, untouched.output
    assert "Cảnh báo" not in untouched.output
    path = folder / QD
    document = docx.Document(str(path))
    for paragraph in document.tables[-1].rows[0].cells[-1].paragraphs:
        for run in paragraph.runs:
            run.text = run.text.replace("{{ ky.ho_ten }}", "")
    document.save(str(path))
    result = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    told = [line for line in result.output.splitlines() if "không còn thẻ" in line]
    assert told == [f"Cảnh báo: mẫu {QD} không còn thẻ {{{{ ky.ho_ten }}}} của mẫu gốc; văn bản "
                    "sẽ thiếu phần đó (thêm lại thẻ nếu đã xóa nhầm)"]
