"""The numbered documents of a dossier: what the outgoing register gives a number to.

A document's identity within its dossier is its kind and, for minutes, its meeting code
(:attr:`Numbered.key`); with the issuing body and the dossier's path it identifies the document
in the register, so that issuing it again finds its number. The Quy chế carries no number of its
own: it is issued with the decision that adopts it and cites that decision's number, so the
adopting decision is always a real document of the dossier (:func:`with_number` writes it into
the dossier when the dossier left it implicit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from vanban import defaults
from vanban.documents import bien_ban, quy_che, quyet_dinh_thanh_lap
from vanban.documents.common import BIEN_BAN, QUYET_DINH, LoaiVanBan
from vanban.model import Hoso, VanBan


@dataclass(frozen=True)
class Numbered:
    """A document of the dossier that takes a number and a date when it is issued."""

    #: Kind in :data:`vanban.documents.KINDS`.
    kind: str
    #: Meeting code for minutes (``bien-ban``), empty for a dossier's single documents.
    ma: str
    #: Key of the issuing body in the dossier's ``co_quan``.
    co_quan: str
    loai: LoaiVanBan
    #: Number typed into the dossier by hand, if any (the register's number replaces it).
    so: int | None
    #: The document's date in the dossier: the decision's date, the meeting's date.
    ngay: date
    #: Whether the issue date is printed in the document (decisions) or not (minutes, whose
    #: date is the meeting's; an issue date before the meeting is refused).
    dated: bool
    #: Kinds rendered with it: a decision and the document it adopts.
    kinds: tuple[str, ...]
    #: Keys of the numbered documents whose number it cites.
    cites: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        """Return the document's identity within its dossier: ``(kind, meeting code)``."""
        return (self.kind, self.ma)

    @property
    def name(self) -> str:
        """Return the file stem of the document (as ``vanban build`` names it)."""
        return f"{self.kind}-{self.ma}" if self.ma else self.kind


def numbered(hoso: Hoso) -> list[Numbered]:
    """Return every numbered document of `hoso`, in dossier order."""
    qd = hoso.quyet_dinh_thanh_lap
    adopting = defaults.adopting_decision(hoso)
    out = [
        Numbered(quyet_dinh_thanh_lap.KIND, "", qd.co_quan, QUYET_DINH, qd.so, qd.ngay, True,
                 (quyet_dinh_thanh_lap.KIND,)),
        Numbered(quy_che.KIND_DECISION, "", adopting.co_quan, QUYET_DINH, adopting.so,
                 adopting.ngay, True, (quy_che.KIND_DECISION, quy_che.KIND),
                 cites=((quyet_dinh_thanh_lap.KIND, ""),)),
    ]
    out += [
        Numbered(bien_ban.KIND, hop.ma, hop.co_quan, BIEN_BAN, hop.so, hop.ngay, False,
                 (bien_ban.KIND,))
        for hop in hoso.cuoc_hop
    ]
    return out


def _numbered_vb(vb: VanBan, so: int, ngay: date | None) -> VanBan:
    return vb.model_copy(update={"so": so, "ngay": ngay or vb.ngay})


def with_number(hoso: Hoso, doc: Numbered, so: int, ngay: date | None = None) -> Hoso:
    """Return `hoso` with `doc` numbered `so` (and dated `ngay` when `doc` is dated).

    For minutes the dossier keeps only that meeting, so that building ``bien-ban`` builds it
    alone. The adopting decision is written into the dossier whichever document is numbered,
    so that numbering the establishing decision does not change it.
    """
    update: dict[str, object] = {"quyet_dinh_ban_hanh_quy_che": defaults.adopting_decision(hoso)}
    if doc.kind == quyet_dinh_thanh_lap.KIND:
        update["quyet_dinh_thanh_lap"] = _numbered_vb(hoso.quyet_dinh_thanh_lap, so, ngay)
    elif doc.kind == quy_che.KIND_DECISION:
        update["quyet_dinh_ban_hanh_quy_che"] = _numbered_vb(
            defaults.adopting_decision(hoso), so, ngay)
    elif doc.kind == bien_ban.KIND:
        update["cuoc_hop"] = [h.model_copy(update={"so": so})
                              for h in hoso.cuoc_hop if h.ma == doc.ma]
    else:
        raise ValueError(f"{doc.kind} is not a numbered kind")
    return hoso.model_copy(update=update)
