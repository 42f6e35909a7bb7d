"""Document kinds: an explicit registry from kind name to its context builder.

Each builder takes a validated dossier and returns the documents of that kind (one, or one
per meeting); the order here is the order of the dossier.
"""

from __future__ import annotations

from collections.abc import Callable

from vanban.documents import bien_ban, quy_che, quyet_dinh_thanh_lap, tap_huan
from vanban.documents.common import Loaded, Meta, Output
from vanban.errors import UnknownKindError

Builder = Callable[[Loaded], list[Output]]

#: Every document kind, in dossier order.
KINDS: dict[str, Builder] = {
    quyet_dinh_thanh_lap.KIND: quyet_dinh_thanh_lap.build,
    quy_che.KIND_DECISION: quy_che.build_decision,
    quy_che.KIND: quy_che.build_regulation,
    bien_ban.KIND: bien_ban.build,
    tap_huan.KIND_HANDOUT: tap_huan.build_handouts,
    tap_huan.KIND_ATTENDANCE: tap_huan.build_attendance,
    tap_huan.KIND_EVALUATION: tap_huan.build_evaluation,
}


def select(only: list[str] | None) -> list[str]:
    """Return the kinds to build; raise :class:`UnknownKindError` for an unknown name."""
    if not only:
        return list(KINDS)
    unknown = [k for k in only if k not in KINDS]
    if unknown:
        raise UnknownKindError(
            f"không có loại văn bản '{unknown[0]}'; các loại: {', '.join(KINDS)}"
        )
    return [k for k in KINDS if k in only]


def collect(loaded: Loaded, only: list[str] | None = None) -> list[Output]:
    """Return every document of the selected kinds for `loaded`."""
    out: list[Output] = []
    for kind in select(only):
        out.extend(KINDS[kind](loaded))
    return out


__all__ = ["KINDS", "Meta", "Output", "collect", "select"]
