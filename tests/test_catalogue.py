"""The catalogue of cited texts: Party documents with their exact symbols, and handout
citations checked against them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests import dossiers
from vanban import catalogue
from vanban.loading import load

ROOT = Path(__file__).resolve().parents[1]
HANDOUTS = sorted(ROOT.glob("samples/*/chuyen-de-*.md"))


@pytest.mark.parametrize(("key", "ky_hieu", "ngay"), [
    ("qdi-11-2019", "11-QĐi/TW", date(2019, 2, 18)),
    ("nq-8b-1990", "8B-NQ/HNTW", date(1990, 3, 27)),
    ("ct-30-1998", "30-CT/TW", date(1998, 2, 18)),
    ("nq-57-2024", "57-NQ/TW", date(2024, 12, 22)),
    ("kl-114-2015", "114-KL/TW", date(2015, 7, 14)),
])
def test_party_documents_carry_symbol_date_and_issuer(key: str, ky_hieu: str, ngay: date) -> None:
    entry = catalogue.get(key)
    assert entry is not None
    assert entry.ky_hieu == ky_hieu
    assert entry.ngay == ngay
    assert entry.ban_hanh
    assert ky_hieu in entry.ten


def test_a_replaced_party_document_names_its_successor() -> None:
    entry = catalogue.get("qd-290-2010")
    assert entry is not None
    assert entry.het_hieu_luc is not None
    assert "23-QĐ/TW" in entry.thay_the_boi


@pytest.mark.parametrize("path", HANDOUTS, ids=[f"{p.parent.name}/{p.name}" for p in HANDOUTS])
def test_sample_handouts_cite_the_catalogue_forms(path: Path) -> None:
    source = path.read_text("utf-8")
    assert list(catalogue.check_citations(source)) == []
    assert "11-QĐ/TW" not in source


def test_a_wrong_symbol_or_date_is_found_on_its_line() -> None:
    source = ("# Chuyên đề\n\nQuy định số 11-QĐ/TW ngày 18/02/2019 của Bộ Chính trị.\n"
              "Nghị quyết số 25-NQ/TW ngày 03/7/2013.\nKết luận số 114-KL/TW ngày 14/7/2015.\n"
              "Nghị quyết số 125-NQ/TW không có trong danh mục.\n")
    found = [(w.dong, w.trich, w.loi) for w in catalogue.check_citations(source)]
    assert found == [(3, "11-QĐ/TW", "ký hiệu đúng là 11-QĐi/TW"),
                     (4, "25-NQ/TW", "văn bản này ban hành ngày 03/6/2013")]


def test_validate_warns_with_the_handout_file_and_line(tmp_path: Path) -> None:
    data = dossiers.sample()
    (tmp_path / "cd.md").write_text("# Một\n\nThực hiện Quy định số 11-QĐ/TW ngày 18/02/2019.\n",
                                    encoding="utf-8")
    data["tap_huan"]["chuyen_de"] = [{"tieu_de": "Một", "tep": "cd.md"},
                                     {"tieu_de": "Hai", "noi_dung": "Theo Chỉ thị số 30-CT/TW."}]
    loaded = load(dossiers.write(tmp_path, data))
    messages = [(w.path, w.message) for w in loaded.warnings]
    assert len(messages) == 1
    path, message = messages[0]
    assert path == "tap_huan.chuyen_de[1].tep"
    assert message.startswith("cd.md:3: trích dẫn “11-QĐ/TW” không khớp danh mục: ký hiệu đúng là "
                              "11-QĐi/TW")
