"""Issue documents: give each its number and date, render it final, record it in the register.

Issuing is a stage after the build: the dossier is loaded as for ``vanban build``, the document
is given its number and date in the dossier itself (:func:`vanban.documents.numbered.with_number`,
so whatever cites it, such as the Quy chế's "(Kèm theo Quyết định số …)" line, follows), then
built and rendered by :func:`vanban.build.render`.

All or nothing: every document asked for is checked first (its meeting held by the issue
date, the numbers it cites, its files not already there…), before any number is taken; a
failure after that gives back every number the issue took and leaves no file written.

Crash safety: **pending, then finish or roll back on the next run.**

1. for each document, one transaction takes the number and records the entry as pending
   (``cho``), with who holds it (host and process); the document is rendered in memory and a
   second transaction records the files' paths and SHA-256 (still pending);
2. the files of every document are written together, all-or-nothing
   (:func:`vanban.output.write_all`);
3. a last transaction per document marks its entry issued (``da_cap``).

A process killed anywhere leaves only the pending entries of one issue. :func:`recover` (run
at the start of every issue) finds pending entries whose process is gone, the last number
first: when every recorded file is on disk with its SHA-256 the entry is finished; otherwise
the files of that entry that did get written, and the temporary files the dead process left,
are deleted and the number is given back (:meth:`Register.release`). So a number is never recorded as issued without its files,
and no file claims a number the register does not hold as issued.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from vanban import documents, text
from vanban.documents.common import issuer_of
from vanban.documents.numbered import Numbered, numbered, with_number
from vanban.errors import NumberingError, OutputError, Problem, UnknownKindError, VanbanError
from vanban.issuing.register import (
    CANCELLED,
    DEFAULT_TIMEOUT,
    ISSUED,
    MIN_YEAR,
    PENDING,
    RESERVED,
    Details,
    Entry,
    FileRecord,
    Identity,
    Register,
    check_note,
    check_year,
)
from vanban.issuing.series import SeriesKey, series_key, settings
from vanban.loading import Loaded, load
from vanban.model import Hoso
from vanban.output import refuse_existing, temp_prefix, write_all

#: A pending entry older than this is taken as interrupted even if its process is unknown
#: (held by another machine).
STALE_AFTER = timedelta(hours=1)
#: How many days after today a document may be entered in the register (issued or reserved).
MAX_DAYS_AHEAD = 7


@dataclass
class Issued:
    """One document's entry and the files written for it."""

    entry: Entry
    files: list[Path] = field(default_factory=list)
    #: The document was issued before: this is its existing entry (nothing new was written).
    existing: bool = False
    #: Files of an existing entry that were missing and written again, identical to the issued.
    restored: list[Path] = field(default_factory=list)


@dataclass
class IssueResult:
    """What an issue did."""

    issued: list[Issued] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: What :func:`recover` did to interrupted issues.
    recovered: list[str] = field(default_factory=list)


def sha256_file(path: Path) -> str:
    """Return the SHA-256 of the file at `path`, in hexadecimal."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def parse_date(value: str) -> date:
    """Return the date written `value` (``2026-03-02`` or ``2/3/2026``), as in dossiers."""
    from pydantic import TypeAdapter, ValidationError

    from vanban.model import Ngay

    try:
        return TypeAdapter(Ngay).validate_python(value)
    except ValidationError as e:
        raise NumberingError(e.errors()[0]["msg"]) from None


def select(hoso: Hoso, only: Sequence[str] | None) -> list[Numbered]:
    """Return the numbered documents named in `only` (kinds or file stems), or all of them.

    ``quy-che`` names the decision that adopts it: the two are issued together.
    """
    docs = numbered(hoso)
    if not only:
        return docs
    wanted = {"quyet-dinh-ban-hanh-quy-che" if w == "quy-che" else w for w in only}
    known = {d.kind for d in docs} | {d.name for d in docs}
    unknown = sorted(wanted - known)
    if unknown:
        named = [d.kind for d in docs] + [d.name for d in docs]
        if "quyet-dinh-ban-hanh-quy-che" in named:  # issued with the Quy chế it adopts
            named.append("quy-che")
        names = ", ".join(dict.fromkeys(named))
        raise UnknownKindError(f"'{unknown[0]}' không phải văn bản được cấp số của hồ sơ; "
                               f"các văn bản cấp số: {names}")
    return [d for d in docs if d.kind in wanted or d.name in wanted]


def identity(loaded: Loaded, doc: Numbered) -> Identity:
    """Return the register identity of `doc` in the dossier `loaded`."""
    return Identity(str(loaded.path.resolve()), doc.kind, doc.ma)


def _key(hoso: Hoso, doc: Numbered, ngay: date) -> SeriesKey:
    body = issuer_of(hoso, doc.co_quan)
    return series_key(body, settings(hoso, body), doc.loai.ky_hieu, ngay)


def _symbol(hoso: Hoso, doc: Numbered) -> Callable[[int], str]:
    body = issuer_of(hoso, doc.co_quan)
    return lambda so: text.so_hieu_van_ban(so, doc.loai.ky_hieu, body.viet_tat, body.profile)


def _details(loaded: Loaded, hoso: Hoso, doc: Numbered) -> Details:
    """Return the register's columns for `doc`, read from the document as `hoso` builds it."""
    draft = dataclasses.replace(loaded, hoso=hoso)
    main = next(o for o in documents.collect(draft, [doc.kind]) if o.name == doc.name)
    ctx = main.context
    # The title's line breaks are the document's layout, not the register's: one line.
    trich_yeu = " ".join(ctx.get("trich_yeu", "").split())
    summary = f"{doc.loai.ten} {text.viet_thuong(trich_yeu[:1])}{trich_yeu[1:]}".strip()
    signer = ctx["ky"]["ho_ten"] if "ky" in ctx else ctx["hop"]["ten_chu_toa"]
    lines = [x.removeprefix("- ").rstrip(";,.") for x in ctx.get("noi_nhan", [])]
    items = [x for x in lines if not x.startswith("Lưu")]
    archive = next((x for x in lines if x.startswith("Lưu")), "")
    luu = archive.removeprefix("Lưu:").removeprefix("Lưu").strip()
    # One copy for each recipient line and each archive (Lưu: VT, VP = two).
    copies = len(items) + len([x for x in luu.split(",") if x.strip()])
    return Details(ten_loai_trich_yeu=summary, nguoi_ky=signer, noi_nhan="; ".join(items),
                   luu=luu, so_ban=copies, cap_tren=ctx.get("co_quan", {}).get("cap_tren", ""))


def _cited(reg: Register, loaded: Loaded, hoso: Hoso, doc: Numbered,
           docs: dict[tuple[str, str], Numbered],
           same_issue: dict[tuple[str, str], tuple[int, date]] | None = None) -> Hoso:
    """Return `hoso` with the documents `doc` cites numbered as issued (or as typed by hand).

    `same_issue` gives the number and date of the documents numbered by the same issue.
    """
    for key in doc.cites:
        cited = docs[key]
        if same_issue and key in same_issue:
            hoso = with_number(hoso, cited, *same_issue[key])
            continue
        entry = reg.find(identity(loaded, cited))
        if entry is not None and entry.trang_thai == ISSUED:
            hoso = with_number(hoso, cited, entry.so, entry.ngay)
        elif cited.so is None:
            raise NumberingError(
                f"{doc.name} dẫn số của {cited.name}, văn bản này chưa được cấp số; hãy cấp số "
                f"nó trước: vanban issue {loaded.path} --only {cited.name}")
    return hoso


def _pid_alive(owner: str | None) -> bool:
    if not owner or ":" not in owner:
        return False
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname():
        return True  # cannot tell: left to the age rule
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError):
        return True
    return True


def _stale(entry: Entry) -> bool:
    """Return whether the pending `entry` was left by a process that is gone."""
    if not _pid_alive(entry.chu_tri):
        return True
    started = entry.cap_nhat
    if started is not None and started.tzinfo is None:
        started = started.replace(tzinfo=timezone.utc)
    return started is not None and datetime.now(timezone.utc) - started > STALE_AFTER


def recover(reg: Register) -> list[str]:
    """Finish or roll back the issues interrupted before they were done; say what was done."""
    said: list[str] = []
    # The last number first: an issue leaves its numbers pending together, and each is then
    # the last of its series when given back (deleted, not cancelled).
    for entry in reversed(reg.pending()):
        if not _stale(entry):
            continue
        complete = bool(entry.files) and all(
            Path(f.duong_dan).is_file() and sha256_file(Path(f.duong_dan)) == f.sha256
            for f in entry.files)
        if complete:
            reg.finish(entry.id)
            said.append(f"{entry.so_ky_hieu}: lần cấp số trước bị gián đoạn sau khi đã ghi đủ "
                        "tệp; đã hoàn tất vào sổ")
            continue
        for rec in entry.files:
            path = Path(rec.duong_dan)
            if path.is_file() and sha256_file(path) == rec.sha256:
                path.unlink()
        _remove_temp_files(entry)
        kept = reg.release(entry.id, "cấp số bị gián đoạn trước khi ghi xong tệp")
        said.append(f"{entry.so_ky_hieu}: lần cấp số trước bị gián đoạn; đã xóa tệp dở dang và "
                    + ("hủy số (đã có số sau)" if kept else "trả lại số"))
    return said


def _remove_temp_files(entry: Entry) -> None:
    """Delete the temporary files the dead process holding `entry` left in its folders."""
    owner = entry.chu_tri
    if not owner or ":" not in owner or owner.rpartition(":")[0] != socket.gethostname():
        return
    prefix = temp_prefix(int(owner.rpartition(":")[2]))
    for folder in {Path(f.duong_dan).parent for f in entry.files}:
        for tmp in folder.glob(f"{prefix}*.tmp"):
            tmp.unlink(missing_ok=True)


def check_issue_date(ngay: date, today: date | None = None) -> date:
    """Return `ngay`, refused as an issue or reservation date when far from `today`.

    A number dated after today holds back every number of its series until that day (a later
    number may not carry an earlier date), so a date more than :data:`MAX_DAYS_AHEAD` days
    ahead is taken as a typing error, and so is one before :data:`MIN_YEAR`.
    """
    today = today or date.today()
    shown = f"{ngay.day:02d}/{ngay.month:02d}/{ngay.year}"
    if ngay.year < MIN_YEAR:
        raise NumberingError(f"ngày vào sổ {shown} không hợp lệ: sổ đăng ký chỉ nhận ngày từ "
                             f"năm {MIN_YEAR}; hãy kiểm tra lại ngày")
    if ngay > today + timedelta(days=MAX_DAYS_AHEAD):
        raise NumberingError(
            f"ngày vào sổ {shown} quá xa hôm nay ({today:%d/%m/%Y}): chỉ được vào sổ đến "
            f"{MAX_DAYS_AHEAD} ngày sau hôm nay, vì số sau không được mang ngày sớm hơn số "
            "trước; hãy kiểm tra lại ngày")
    return ngay


@dataclass
class _Plan:
    """A document checked for issue: nothing but the register and the disk can refuse it now."""

    doc: Numbered
    ident: Identity
    #: The dossier with the cited documents numbered and `doc` numbered 1 (its body's header
    #: and series depend on its date).
    draft: Hoso
    ngay: date
    details: Details
    #: The document's reserved entry, as it was before the issue took it.
    reserved: Entry | None = None
    #: The number taken, once taken.
    entry: Entry | None = None


def issue(
    hoso: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    only: Sequence[str] | None = None,
    ngay: date | None = None,
    register: str | os.PathLike[str] | None = None,
    force: bool = False,
    templates_dir: str | os.PathLike[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> IssueResult:
    """Issue the numbered documents of the dossier `hoso` (all, or those in `only`) into `out_dir`.

    Each gets the next number of its series and the date `ngay` (default today), is rendered
    as DOCX and PDF with them, and is recorded in the register (see the module's notes on
    crash safety). A document already issued returns its existing entry; those of its files
    that are gone are written again when the dossier still builds them byte for byte.

    All or nothing: every document is checked before any number is taken, and the files are
    written together once every document is rendered; when anything fails, the numbers taken
    are given back and no file is written.
    """
    loaded = load(hoso)
    docs = select(loaded.hoso, only)
    by_key = {d.key: d for d in numbered(loaded.hoso)}
    if ngay is not None:
        check_issue_date(ngay)
    when = ngay or date.today()
    folder = Path(out_dir).resolve()
    result = IssueResult(problems=list(loaded.warnings))
    with Register(register, timeout=timeout, create=True) as reg:
        result.recovered = recover(reg)
        # 1. Every check that can refuse a document, before any number is taken.
        slots: list[Issued | _Plan] = []
        restore: list[tuple[Path, bytes]] = []
        planned: dict[tuple[str, str], tuple[int, date]] = {}
        for doc in docs:
            ident = identity(loaded, doc)
            existing = reg.find(ident) or _elsewhere(reg, loaded, doc, ident, when,
                                                     result.warnings)
            if existing is not None and existing.trang_thai == ISSUED:
                again = _restore(reg, loaded, doc, by_key, existing, templates_dir,
                                 result.warnings)
                restore += again
                slots.append(Issued(existing, [Path(f.duong_dan) for f in existing.files],
                                    existing=True, restored=[p for p, _ in again]))
                continue
            plan = _check(reg, loaded, doc, by_key, existing, when, ngay, folder, force,
                          planned, result.warnings)
            planned[doc.key] = (1, plan.ngay)
            slots.append(plan)
        plans = [p for p in slots if isinstance(p, _Plan)]
        # 2. The numbers, the documents rendered with them, the files written together.
        written = _number_and_write(reg, loaded, plans, by_key, ngay, folder, force,
                                    templates_dir, restore, result.warnings)
        for slot in slots:
            if isinstance(slot, _Plan):
                assert slot.entry is not None
                slot = Issued(reg.finish(slot.entry.id), written[slot.doc.key])
            result.issued.append(slot)
    return result


def _elsewhere(reg: Register, loaded: Loaded, doc: Numbered, ident: Identity, when: date,
               warnings: list[str]) -> Entry | None:
    """Return the issued entry of `doc` recorded from another dossier file: the same body,
    numbering period, kind, meeting and trích yếu. A dossier moved or renamed gets its number
    back (the register follows it); a copy still beside the original is refused, as one
    document must not have two numbers. None when there is no such entry.
    """
    others = reg.find_elsewhere(ident)
    if not others:
        return None
    draft = with_number(loaded.hoso, doc, 1, when if doc.dated else None)
    key = _key(draft, doc, when)
    title = _details(loaded, draft, doc).ten_loai_trich_yeu
    for entry in others:
        if (entry.co_quan, entry.ky) != (key.co_quan, key.ky):
            continue
        if entry.details.ten_loai_trich_yeu != title or entry.identity is None:
            continue
        old = Path(entry.identity.ho_so)
        if old.is_file():
            raise NumberingError(
                f"{doc.name}: sổ đã có văn bản này (cùng cơ quan, cùng trích yếu): số "
                f"{entry.so_ngay}, cấp từ hồ sơ {old}; hãy cấp số từ hồ sơ đó, hoặc sửa trích "
                "yếu nếu đây là văn bản khác")
        warnings.append(f"{doc.name}: hồ sơ đã chuyển từ {old}; nhận lại số "
                        f"{entry.so_ky_hieu} đã cấp (không cấp số mới)")
        return reg.move_dossier(entry.id, ident.ho_so)
    return None


def _check(
    reg: Register, loaded: Loaded, doc: Numbered, by_key: dict[tuple[str, str], Numbered],
    existing: Entry | None, when: date, asked: date | None, folder: Path, force: bool,
    planned: dict[tuple[str, str], tuple[int, date]], warnings: list[str],
) -> _Plan:
    """Return the plan of issuing `doc`, or raise what refuses it (nothing is changed)."""
    if existing is not None and existing.trang_thai == PENDING:
        raise NumberingError(f"{doc.name} đang được cấp số {existing.so_ky_hieu} ở một nơi khác; "
                             "hãy chờ xong rồi chạy lại")
    hoso = _cited(reg, loaded, loaded.hoso, doc, by_key, planned)
    issue_date = asked or (existing.ngay if existing is not None else when)
    if not doc.dated and issue_date < doc.ngay:
        raise NumberingError(f"{doc.name}: cuộc họp ngày {doc.ngay:%d/%m/%Y} chưa diễn ra vào "
                             f"ngày vào sổ {issue_date:%d/%m/%Y}; hãy vào sổ từ ngày họp trở đi")
    # The document as it will be issued (its body's header depends on its date).
    draft = with_number(hoso, doc, 1, issue_date if doc.dated else None)
    details = _details(loaded, draft, doc)
    planned_files = [folder / f"{name}.{ext}" for name in _names(doc) for ext in ("docx", "pdf")]
    if not force:
        refuse_existing(planned_files)
    for path in planned_files:
        _not_an_original(reg, path)
    if doc.so is not None:
        warnings.append(f"{doc.name}: số {doc.so} ghi tay trong hồ sơ được thay bằng số do sổ "
                        "đăng ký cấp")
    reserved = existing if existing is not None and existing.trang_thai == RESERVED else None
    return _Plan(doc, identity(loaded, doc), draft, issue_date, details, reserved)


def _not_an_original(reg: Register, path: Path) -> None:
    """Refuse to replace `path` when it is, byte for byte, a file the register keeps as issued
    (another document's original: the names of issued files are the same in every dossier).
    """
    try:
        digest = sha256_file(path)
    except OSError:
        return  # missing, a folder, or unreadable: the write itself tells it
    for entry in reg.find_file(digest):
        if entry.trang_thai == ISSUED:
            raise OutputError(
                f"{path} là bản gốc của văn bản số {entry.so_ngay} đã cấp; không ghi đè, kể "
                "cả với --force: hãy cấp vào thư mục khác (-o)")


def _number_and_write(
    reg: Register, loaded: Loaded, plans: list[_Plan], by_key: dict[tuple[str, str], Numbered],
    asked: date | None, folder: Path, force: bool, templates_dir: str | os.PathLike[str] | None,
    restore: list[tuple[Path, bytes]], warnings: list[str],
) -> dict[tuple[str, str], list[Path]]:
    """Take the numbers of `plans`, render their documents and write every file at once.

    The entries stay pending until the caller finishes them. On any failure the numbers taken
    are given back (a reserved number is reserved again) and no file is left written. Return
    the files written for each document.
    """
    from vanban.build import render

    numbers: dict[tuple[str, str], tuple[int, date]] = {}
    targets: list[tuple[Path, bytes]] = list(restore)
    files_of: dict[tuple[str, str], list[Path]] = {}
    found: list[str] = []
    taken: list[_Plan] = []
    why = "không soạn được văn bản"
    try:
        for plan in plans:
            doc = plan.doc
            if plan.reserved is not None:
                plan.entry = reg.take_reserved(plan.reserved.id, asked, plan.details)
            else:
                plan.entry = reg.allocate(
                    _key(plan.draft, doc, plan.ngay), plan.ngay, _symbol(plan.draft, doc),
                    identity=plan.ident, details=plan.details)
            taken.append(plan)
            entry = plan.entry
            numbers[doc.key] = (entry.so, entry.ngay)
            hoso = _cited(reg, loaded, loaded.hoso, doc, by_key, numbers)
            final = dataclasses.replace(
                loaded, hoso=with_number(hoso, doc, entry.so, entry.ngay if doc.dated else None))
            files, render_warnings = render(final, only=list(doc.kinds),
                                            templates_dir=templates_dir)
            mine = [(folder / name, data) for name, data in files]
            reg.record_files(entry.id, [
                FileRecord(path.name, str(path), hashlib.sha256(data).hexdigest())
                for path, data in mine])
            targets += mine
            files_of[doc.key] = [path for path, _ in mine]
            found += render_warnings
        why = "không ghi được tệp"
        write_all(targets, force=force)  # all or nothing
    except BaseException:
        _give_back(reg, taken, why)
        raise
    warnings.extend(found)
    return files_of


def _give_back(reg: Register, taken: list[_Plan], why: str) -> None:
    """Give back the numbers `taken` by an issue that failed, the last one first.

    A register that cannot be reached now leaves them pending: the next issue recovers them.
    """
    for plan in reversed(taken):
        assert plan.entry is not None
        with contextlib.suppress(VanbanError):
            if plan.reserved is not None:
                reg.put_back(plan.reserved)
            else:
                reg.release(plan.entry.id, why)


def _restore(
    reg: Register, loaded: Loaded, doc: Numbered, by_key: dict[tuple[str, str], Numbered],
    entry: Entry, templates_dir: str | os.PathLike[str] | None, warnings: list[str],
) -> list[tuple[Path, bytes]]:
    """Return the files of the issued `entry` that are gone, rebuilt from the dossier.

    The document is rebuilt with its number and date from the register; a file is written
    again only when it comes out byte for byte as issued (same SHA-256), so no file ever claims
    the number with other contents. The caller writes them, with the rest of the issue.
    """
    from vanban.build import render

    missing = [f for f in entry.files if not Path(f.duong_dan).is_file()]
    for rec in entry.files:
        if rec not in missing and _changed(Path(rec.duong_dan), rec.sha256):
            warnings.append(f"{rec.duong_dan}: không còn là bản đã cấp số {entry.so_ky_hieu} (đã "
                            "bị sửa hoặc ghi đè); chuyển tệp đó đi rồi chạy lại lệnh này để dựng "
                            "lại bản đã cấp")
    if not missing:
        return []
    hoso = with_number(_cited(reg, loaded, loaded.hoso, doc, by_key), doc, entry.so,
                       entry.ngay if doc.dated else None)
    files, _ = render(dataclasses.replace(loaded, hoso=hoso), only=list(doc.kinds),
                      templates_dir=templates_dir)
    made = dict(files)
    again: list[tuple[Path, bytes]] = []
    for rec in missing:
        data = made.get(Path(rec.duong_dan).name)
        if data is not None and hashlib.sha256(data).hexdigest() == rec.sha256:
            again.append((Path(rec.duong_dan), data))
        else:
            warnings.append(f"{rec.duong_dan}: tệp của số {entry.so_ky_hieu} đã mất và dựng lại "
                            "từ hồ sơ không còn giống bản đã cấp (hồ sơ hoặc mẫu đã đổi); không "
                            "ghi lại")
    return again


def _changed(path: Path, sha256: str) -> bool:
    """Tell whether the file at `path` is no longer the one recorded with `sha256`."""
    try:
        return sha256_file(path) != sha256
    except OSError:
        return True


def _names(doc: Numbered) -> list[str]:
    return [doc.name, *doc.kinds[1:]]


def reserve(
    hoso: str | os.PathLike[str],
    *,
    only: Sequence[str] | None = None,
    ngay: date | None = None,
    ghi_chu: str = "",
    register: str | os.PathLike[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[Entry]:
    """Reserve (giữ số) the next number, dated `ngay` (default today), for each selected document.

    A reserved number keeps its row; issuing that document later takes it.
    """
    ghi_chu = check_note(ghi_chu, "ghi chú")
    loaded = load(hoso)
    if ngay is not None:
        check_issue_date(ngay)
    when = ngay or date.today()
    note = f"Giữ số{': ' + ghi_chu if ghi_chu else ''}"
    with Register(register, timeout=timeout, create=True) as reg:
        # Every document is checked before any number is taken; the numbers are taken pending
        # and all reserved at the end, or all given back.
        plans = []
        for doc in select(loaded.hoso, only):
            other = reg.find(identity(loaded, doc))
            if other is not None:
                raise NumberingError(
                    f"văn bản {doc.name} của hồ sơ {loaded.path} đã có số {other.so_ky_hieu} "
                    f"({other.trang_thai_ten}); một văn bản không được cấp hai số")
            draft = with_number(loaded.hoso, doc, 1, when if doc.dated else None)
            details = dataclasses.replace(_details(loaded, draft, doc), ghi_chu=note)
            plans.append(_Plan(doc, identity(loaded, doc), draft, when, details))
        try:
            for plan in plans:
                plan.entry = reg.allocate(
                    _key(plan.draft, plan.doc, when), when, _symbol(plan.draft, plan.doc),
                    identity=plan.ident, details=plan.details)
        except BaseException:
            _give_back(reg, [p for p in plans if p.entry is not None], "không giữ được số")
            raise
        return [reg.keep_reserved(p.entry.id) for p in plans if p.entry is not None]


def cancel(
    so_ky_hieu: str,
    ly_do: str,
    *,
    nam: int | None = None,
    register: str | os.PathLike[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Entry:
    """Cancel (hủy số) the number `so_ky_hieu` of year `nam` with the reason `ly_do`."""
    ly_do = check_note(ly_do, "lý do hủy số")
    if nam is not None:
        check_year(nam)
    with Register(register, timeout=timeout, create=False) as reg:
        every = reg.find_symbol(so_ky_hieu, nam)
        found = [e for e in every if e.trang_thai != CANCELLED]
        if not found:
            year = f" năm {nam}" if nam else ""
            if every:
                raise NumberingError(f"số {every[0].so_ky_hieu}{year} đã hủy trước đó; không "
                                     "hủy lại")
            raise NumberingError(f"sổ đăng ký không có số {so_ky_hieu}{year} đang dùng để hủy")
        if len(found) > 1:
            years = ", ".join(sorted({str(e.ngay.year) for e in found}))
            raise NumberingError(f"có {len(found)} văn bản số {so_ky_hieu} (năm {years}); hãy "
                                 "chỉ rõ năm bằng --nam")
        return reg.cancel(found[0].id, ly_do)
