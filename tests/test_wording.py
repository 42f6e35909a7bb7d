"""Where the words live: each document kind's wording in its module, the unit's in one table.

These tests read the source, not the output: they keep the wording where a reviewer looks for
it (``src/vanban/documents/<kind>.py``, ``vocabulary.py``) and out of the template generator.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import docx
import pytest

from vanban.documents import bien_ban, common, quyet_dinh_thanh_lap, tap_huan

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "vanban"
VIETNAMESE = re.compile(r"[À-ỹĐđ]")


def _docstrings(tree: ast.AST) -> set[int]:
    """Return the ids of the docstring nodes of `tree`'s module, classes and functions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _strings(path: Path, *, skip_assigned: tuple[str, ...] = ()) -> list[str]:
    """Return the string literals of `path` (docstrings and f-string parts included as text,
    docstrings excluded), leaving out what is assigned to the names in `skip_assigned`."""
    tree = ast.parse(path.read_text("utf-8"))
    skipped: set[int] = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id in skip_assigned for t in node.targets):
            skipped |= {id(n) for n in ast.walk(node.value)}
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
            and isinstance(n.value, str) and id(n) not in skipped]


def test_the_template_generator_writes_no_words_of_its_own() -> None:
    """Every label a template carries comes from the document's module: what the generator
    writes into paragraphs (``Writer.para``/``loop``) and its module-level tuples (a table's
    headings) hold no Vietnamese of its own, only style names and tags."""
    tree = ast.parse((ROOT / "tools" / "make_templates.py").read_text("utf-8"))
    written: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr in ("para", "loop"):
            written += [n.value for arg in node.args for n in ast.walk(arg)
                        if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple):
            written += [n.value for n in node.value.elts
                        if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert written  # the scan sees the generator's calls
    assert [s for s in written if VIETNAMESE.search(s) and not s.startswith("VB ")] == []


@pytest.mark.parametrize(("template", "labels"), [
    ("nd30/bien-ban.docx", [bien_ban.THANH_PHAN, bien_ban.KET_LUAN, common.NOI_NHAN,
                            common.QUOC_HIEU, common.TIEU_NGU]),
    ("nd30/quyet-dinh-thanh-lap-ban-dieu-hanh.docx",
     [common.QUYET_DINH_NHAN, *quyet_dinh_thanh_lap.BANG_THANH_VIEN]),
    ("dang/danh-sach-hoc-vien.docx", [tap_huan.TEN_DANH_SACH, tap_huan.NGUOI_LAP,
                                      tap_huan.KY_GHI_RO, *tap_huan.BANG_HOC_VIEN]),
    ("dang/phieu-danh-gia.docx", [tap_huan.TEN_PHIEU, tap_huan.CAM_ON, common.TIEU_DE_DANG,
                                  *tap_huan.BANG_DANH_GIA]),
    ("dang/tai-lieu-chuyen-de.docx", [tap_huan.TEN_TAI_LIEU, tap_huan.MUC_LUC]),
])
def test_the_templates_carry_the_modules_labels(template: str, labels: list[str]) -> None:
    document = docx.Document(str(ROOT / "templates_docx" / template))
    texts = {p.text for p in document.paragraphs}
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts |= {p.text for p in cell.paragraphs}
                for inner in cell.tables:
                    texts |= {p.text for r in inner.rows for c in r.cells for p in c.paragraphs}
    assert [label for label in labels if label not in texts] == []


#: Words that name the unit's own bodies: only :mod:`vanban.vocabulary` writes them.
BODY_WORDS = ("Ủy ban nhân dân", "ỦY BAN NHÂN DÂN", "Đảng ủy", "ĐẢNG ỦY", "Chủ tịch", "Bí thư")


def test_only_the_vocabulary_names_the_units_bodies() -> None:
    sources = [*sorted((SRC / "documents").glob("*.py")), SRC / "defaults.py"]
    found = {path.name: [s for s in _strings(path) if any(w in s for w in BODY_WORDS)]
             for path in sources}
    assert {name: hits for name, hits in found.items() if hits} == {}
    text = (SRC / "data" / "quy_che_mac_dinh.yaml").read_text("utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    assert [w for w in BODY_WORDS if w in body] == []


def test_each_sentence_is_written_once() -> None:
    sources = [*sorted((SRC / "documents").glob("*.py")), SRC / "defaults.py",
               SRC / "vocabulary.py"]
    sentences = Counter(s for path in sources for s in _strings(path)
                        if len(s) >= 25 and VIETNAMESE.search(s))
    assert [s for s, n in sentences.items() if n > 1] == []
