"""Which series a number comes from: a body's period (year or term) and grouping settings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests import dossiers
from vanban.documents.common import issuer_of
from vanban.issuing.series import Numbering, series_key, settings, term_start
from vanban.loading import load


def _hoso(tmp_path: Path, **danh_so: object):
    data = dossiers.sample("trung-chinh-2025")
    data.pop("tap_huan", None)
    if danh_so:
        data.setdefault("co_quan", {}).setdefault("ubnd_xa", {})["danh_so"] = danh_so
    return load(dossiers.write(tmp_path, data)).hoso


def test_state_bodies_share_one_series_per_year_by_default(tmp_path: Path) -> None:
    hoso = _hoso(tmp_path)
    body = issuer_of(hoso, "ubnd_xa")
    numbering = settings(hoso, body)
    assert (numbering.ky, numbering.nhom) == ("nam", "chung")
    qd = series_key(body, numbering, "QĐ", date(2026, 12, 31))
    bb = series_key(body, numbering, "BB", date(2026, 1, 1))
    assert qd == bb
    assert qd.ky == "2026"
    assert series_key(body, numbering, "QĐ", date(2027, 1, 1)).ky == "2027"


def test_party_bodies_number_each_type_through_the_term(tmp_path: Path) -> None:
    hoso = _hoso(tmp_path)
    body = issuer_of(hoso, "dang_uy_xa")
    numbering = settings(hoso, body)
    assert (numbering.ky, numbering.nhom) == ("nhiem_ky", "theo_loai")
    a = series_key(body, numbering, "QĐ", date(2025, 3, 1))
    b = series_key(body, numbering, "QĐ", date(2029, 12, 31))
    assert a == b
    assert a.ky.startswith("nhiệm kỳ 2025–2030")
    assert series_key(body, numbering, "NQ", date(2026, 1, 1)).nhom == "NQ"
    assert series_key(body, numbering, "QĐ", date(2030, 1, 1)).ky.startswith("nhiệm kỳ 2030")


def test_a_body_sets_its_own_period_and_grouping(tmp_path: Path) -> None:
    hoso = _hoso(tmp_path, ky="nhiem_ky", nhiem_ky_tu="2025-10-15", nhom="theo_loai")
    body = issuer_of(hoso, "ubnd_xa")
    numbering = settings(hoso, body)
    assert numbering == Numbering("nhiem_ky", "theo_loai", date(2025, 10, 15))
    before = series_key(body, numbering, "QĐ", date(2025, 10, 14))
    after = series_key(body, numbering, "QĐ", date(2025, 10, 15))
    assert before.ky != after.ky
    assert after.ky == "nhiệm kỳ 2025–2030 (từ 2025-10-15)"
    assert series_key(body, numbering, "QĐ", date(2030, 10, 14)).ky == after.ky
    assert series_key(body, numbering, "BB", date(2026, 1, 1)).nhom == "BB"


def test_term_start_handles_the_29th_of_february() -> None:
    numbering = Numbering("nhiem_ky", "theo_loai", date(2024, 2, 29))
    assert term_start(numbering, date(2029, 3, 1)) == date(2029, 2, 28)
    assert term_start(numbering, date(2029, 2, 27)) == date(2024, 2, 29)
