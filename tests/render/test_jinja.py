"""Templates are data: no code runs from them, and every broken tag is named (issue #9)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from tests import edited
from vanban.cli import cli
from vanban.starter import starter_text

#: Template paragraphs that try to run code or read a file, as an attacker would write them.
#: ``MARKER`` becomes a file the command would create, ``SECRET`` a file it would read.
ATTACKS = {
    "cycler-popen": "Ghi chú: {{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "subclasses": "Ghi chú: {{ ''.__class__.__mro__[1].__subclasses__() }}",
    "lipsum-globals": "Ghi chú: {{ lipsum.__globals__['os'].popen('touch MARKER').read() }}",
    "joiner-builtins-open":
        "Ghi chú: {{ joiner.__init__.__globals__.__builtins__['open']('SECRET').read() }}",
    "dossier-value-class": "Ghi chú: {{ hop.dia_diem.__class__.__mro__ }}",
    "attr-filter": "Ghi chú: {{ hop|attr('__class__') }}",
    "format-string": "Ghi chú: {{ '{0.__class__.__init__.__globals__}'.format(hop) }}",
    "list-mutation": "Ghi chú: {{ noi_nhan.append('x') }}",
}


@pytest.fixture
def dossier(tmp_path: Path) -> Path:
    path = tmp_path / "hoso.yaml"
    path.write_text(starter_text(), encoding="utf-8")
    return path


def _build(dossier: Path, out: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["build", str(dossier), "-o", str(out), "--format", "docx",
                                      "--only", "bien-ban", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize("how", ["option", "environment"])
@pytest.mark.parametrize("attack", list(ATTACKS), ids=list(ATTACKS))
def test_a_template_cannot_run_code_or_read_files(dossier, tmp_path, monkeypatch, attack,
                                                  how) -> None:
    marker = tmp_path / "MARKER"
    secret = tmp_path / "secret.txt"
    secret.write_text("BÍ MẬT CỦA MÁY", encoding="utf-8")
    tag = ATTACKS[attack].replace("MARKER", str(marker)).replace("SECRET", str(secret))
    folder = edited.templates(tmp_path, tag)
    out = tmp_path / "out"
    if how == "option":
        code, output = _build(dossier, out, "--templates-dir", str(folder))
    else:
        monkeypatch.setenv("VANBAN_TEMPLATES_DIR", str(folder))
        code, output = _build(dossier, out)
    assert not marker.exists()
    assert code == 1, output
    assert "BÍ MẬT" not in output
    assert len(output.strip().splitlines()) == 1, output
    assert output.startswith("Lỗi: mẫu nd30/bien-ban.docx: ")
    assert "Ghi chú: {{" in output  # the paragraph
    assert not out.exists()


def test_the_allowed_filters_still_work(dossier, tmp_path) -> None:
    folder = edited.templates(tmp_path, "Ghi chú: {{ hop.dia_diem|upper }} ({{ noi_nhan|length }})")
    code, output = _build(dossier, tmp_path / "out", "--templates-dir", str(folder))
    assert code == 0, output
    document = docx.Document(str(tmp_path / "out/bien-ban-hoi-nghi-ra-mat.docx"))
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith("Ghi chú: HỘI TRƯỜNG UBND XÃ (") for t in texts), texts


@pytest.mark.parametrize(
    ("text", "expected"),
    [("{{ n ", "không đóng trong cùng đoạn"),
     ("{{ n }", "dấu “}” đặt sai chỗ"),
     ("{{ n n }}", "“n” đặt sai chỗ trong thẻ"),
     ("{% if n %}{{ n }}", "{% if %} không có thẻ {% endif %}"),
     ("{{ n|attr('x') }}", "bộ lọc “attr” không được phép")],
    ids=["unclosed", "half-closed", "two-names", "unclosed-if", "forbidden-filter"],
)
def test_a_broken_tag_inside_a_loop_is_named(dossier, tmp_path, text, expected) -> None:
    folder = edited.templates(tmp_path, text, replacing="{{ n }}")  # the Nơi nhận loop
    out = tmp_path / "out"
    code, output = _build(dossier, out, "--templates-dir", str(folder))
    assert code == 1, output
    assert len(output.strip().splitlines()) == 1, output
    assert "mẫu nd30/bien-ban.docx: thẻ sai cú pháp ở đoạn" in output
    assert expected in output
    assert f"“{text.strip()}”" in output  # the paragraph in the loop
    assert not out.exists()


def test_every_built_in_template_passes_the_tag_check() -> None:
    from vanban import resources
    from vanban.render.docx import _tag_problem

    for path in sorted(resources.builtin_templates_dir().rglob("*.docx")):
        assert _tag_problem(path.read_bytes()) is None, path


def test_tags_are_checked_paragraph_by_paragraph() -> None:
    from vanban.render import jinja

    assert jinja.check_tags(["{%p for d in x %}", "{{ d }}", "{%p endfor %}"]) is None
    assert jinja.check_tags(["{% colspan n %}{% vm %}", "{{r d }} {# ghi chú #}"]) is None
    problem = jinja.check_tags(["{%p for d in x %}", "{{ d ", "}}", "{%p endfor %}"])
    assert problem == jinja.TagProblem("{{ d", jinja.UNCLOSED, 1)
    problem = jinja.check_tags(["{%p if a %}", "{%p for d in x %}", "{{ d }}", "{%p endif %}"])
    assert problem == jinja.TagProblem("{%p for d in x %}",
                                       "thẻ {% for %} không có thẻ {% endfor %} đóng lại", 1)


#: Template paragraphs that would stall a build or fill the memory, or whose expression fails,
#: with the reason the clerk is told.
HEAVY = {
    "power": ("Ghi chú: {{ 10 ** 1000000 }}", "lũy thừa quá lớn"),
    "repeat": ('Ghi chú: {{ "x" * 1000000000 }}', "mẫu lặp một chuỗi quá dài"),
    "repeat-list": ("Ghi chú: {{ noi_nhan * 100000000 }}", "mẫu lặp một chuỗi quá dài"),
    "replace": ('Ghi chú: {{ hop.dia_diem|replace("", "x" * 90000) }}',
                "mẫu thay thế tạo chuỗi quá dài"),
    "truncate": ("Ghi chú: {{ hop.dia_diem|truncate(-1) }}", "cần độ dài từ 3 trở lên"),
    "divide": ("Ghi chú: {{ 1 / 0 }}", "(chia cho 0)"),
    "include": ('Ghi chú: {% include "x" %}', "không được nạp mẫu khác"),
}


@pytest.mark.parametrize("name", list(HEAVY), ids=list(HEAVY))
def test_a_heavy_or_failing_expression_is_the_templates_error(dossier, tmp_path, name) -> None:
    tag, reason = HEAVY[name]
    folder = edited.templates(tmp_path, tag)
    out = tmp_path / "out"
    code, output = _build(dossier, out, "--templates-dir", str(folder))
    assert code == 1, output
    assert len(output.strip().splitlines()) == 1, output
    assert output.startswith("Lỗi: mẫu nd30/bien-ban.docx: ")
    assert reason in output
    assert "Error" not in output  # no Python exception names
    assert not out.exists()


def test_small_powers_and_repeats_still_work(dossier, tmp_path) -> None:
    folder = edited.templates(tmp_path, 'Ghi chú: {{ 2 ** 10 }} {{ "-" * 5 }}')
    code, output = _build(dossier, tmp_path / "out", "--templates-dir", str(folder))
    assert code == 0, output
    texts = [p.text for p in docx.Document(str(tmp_path / "out/bien-ban-hoi-nghi-ra-mat.docx"))
             .paragraphs]
    assert "Ghi chú: 1024 -----" in texts
