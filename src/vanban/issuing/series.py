"""Number series: which register series a document's number comes from.

A series belongs to an issuing body and runs through a period: the calendar year (NĐ 30
Điều 15: from 01 on 1 January to 31 December) or, for Party bodies, the term of office
*(our reading of the Party's rules, to be checked: hence a setting)*. Within a body, documents
share one series or each type has its own. Both are the body's settings (``co_quan.<key>.danh_so``
in the dossier, :class:`vanban.model.DanhSo`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from vanban.defaults import Issuer
from vanban.model import DanhSo, Hoso

#: Length of a term of office, in years.
TERM_YEARS = 5
#: A year in which terms started, when the dossier gives no term start *(check)*.
TERM_EPOCH = 2020


@dataclass(frozen=True)
class Numbering:
    """A body's resolved numbering settings."""

    ky: str  # "nam" or "nhiem_ky"
    nhom: str  # "chung" or "theo_loai"
    nhiem_ky_tu: date | None = None


@dataclass(frozen=True)
class SeriesKey:
    """One number series: a body, a period and a group of types."""

    #: The issuing body's identity (:func:`body_identity`).
    co_quan: str
    #: The period: ``"2026"`` or ``"nhiệm kỳ 2025–2030"`` (from its first day).
    ky: str
    #: ``""`` when every type shares the series, else the type symbol (``"QĐ"``).
    nhom: str


def settings(hoso: Hoso, body: Issuer) -> Numbering:
    """Return the numbering settings of `body`: the dossier's, else the profile's defaults."""
    given = hoso.co_quan.get(body.key)
    danh_so = (given.danh_so if given else None) or DanhSo()
    party = body.profile == "dang"
    return Numbering(
        ky=danh_so.ky or ("nhiem_ky" if party else "nam"),
        nhom=danh_so.nhom or ("theo_loai" if party else "chung"),
        nhiem_ky_tu=danh_so.nhiem_ky_tu,
    )


def body_identity(body: Issuer) -> str:
    """Return the text that identifies `body` in a register: its name lines, as printed.

    The parent body's line is left out: it changes with the shape of local government (a
    commune's documents name the district before 1 July 2025 and the province after), while
    the body and its series stay the same.
    """
    return " ".join(body.ten)


def term_start(numbering: Numbering, ngay: date) -> date:
    """Return the first day of the term of office that contains `ngay`."""
    first = numbering.nhiem_ky_tu or date(TERM_EPOCH, 1, 1)
    years = ngay.year - first.year
    if (ngay.month, ngay.day) < (first.month, first.day):
        years -= 1
    start_year = first.year + (years // TERM_YEARS) * TERM_YEARS
    return _same_day(first, start_year)


def _same_day(first: date, year: int) -> date:
    try:
        return first.replace(year=year)
    except ValueError:  # 29 February
        return first.replace(year=year, day=28)


def term_end(start: date) -> date:
    """Return the last day of the term of office that starts on `start`."""
    return _same_day(start, start.year + TERM_YEARS) - timedelta(days=1)


#: A term period as :func:`series_key` writes it.
_TERM_PERIOD = re.compile(r"nhiệm kỳ \d{4}–\d{4} \(từ (\d{4}-\d{2}-\d{2})\)")


def period_dates(ky: str) -> tuple[date, date, bool] | None:
    """Return the first and last days of the series period `ky` (as :func:`series_key` writes
    it) and whether it is a term of office; None when `ky` is not such a period."""
    try:
        if re.fullmatch(r"\d{4}", ky):
            return date(int(ky), 1, 1), date(int(ky), 12, 31), False
        found = _TERM_PERIOD.fullmatch(ky)
        if found:
            start = date.fromisoformat(found.group(1))
            return start, term_end(start), True
    except ValueError:  # not a date
        pass
    return None


def series_key(body: Issuer, numbering: Numbering, ky_hieu: str, ngay: date) -> SeriesKey:
    """Return the series a document of type `ky_hieu` issued by `body` on `ngay` is numbered in."""
    if numbering.ky == "nhiem_ky":
        start = term_start(numbering, ngay)
        # Read back by period_dates (_TERM_PERIOD): change both together.
        period = f"nhiệm kỳ {start.year}–{start.year + TERM_YEARS} (từ {start.isoformat()})"
    else:
        period = str(ngay.year)
    return SeriesKey(body_identity(body), period, ky_hieu if numbering.nhom == "theo_loai" else "")
