"""Domain checks on a dossier that typing alone cannot express.

Each check yields :class:`Finding` objects located by key path; the loader turns them into
``file:line:column`` problems. Errors stop the build; warnings (``canh_bao``) are shown only.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from vanban import catalogue, defaults, files, markdown, text, vocabulary
from vanban.errors import InputFileError
from vanban.model import NGAY_HAI_CAP, CanCu, Hoso, VanBan

Loc = tuple[str | int, ...]

#: Largest Markdown file of a training topic (bytes).
MAX_MARKDOWN = 1_000_000


@dataclass(frozen=True)
class Finding:
    loc: Loc
    message: str
    level: str = "loi"


def check(hoso: Hoso, folder: Path, topics: dict[str, str] | None = None) -> list[Finding]:
    """Return every finding about `hoso`; `folder` resolves relative file names.

    The text of each topic file read is put into `topics` (by its ``tep``), so that what is
    printed is what was checked.
    """
    out: list[Finding] = []
    for fn in (_board, _bodies, _documents, _meetings, _dates, _shape):
        out.extend(fn(hoso))
    out.extend(_training(hoso, folder, {} if topics is None else topics))
    return out


def _board(hoso: Hoso) -> Iterator[Finding]:
    ban = hoso.ban_dieu_hanh
    loc: Loc = ("ban_dieu_hanh", "thanh_vien")
    heads = [i for i, tv in enumerate(ban.thanh_vien) if tv.la_truong_ban]
    if not heads:
        yield Finding(loc, "Ban điều hành phải có đúng một người có vai_tro: Trưởng ban")
    for i in heads[1:]:
        yield Finding((*loc, i, "vai_tro"), "đã có một Trưởng ban; mỗi Ban chỉ có một Trưởng ban")
    secretaries = [i for i, tv in enumerate(ban.thanh_vien) if tv.la_thu_ky]
    if not secretaries:
        yield Finding(loc, "chưa có Thư ký (ghi vai_tro: \"Thành viên, Thư ký\")", "canh_bao")
    for i in secretaries[1:]:
        yield Finding((*loc, i, "vai_tro"), "Ban điều hành chỉ có một Thư ký")
    if ban.so_thanh_vien is not None and ban.so_thanh_vien != len(ban.thanh_vien):
        yield Finding(
            ("ban_dieu_hanh", "so_thanh_vien"),
            f"ghi {ban.so_thanh_vien} thành viên nhưng danh sách có {len(ban.thanh_vien)} người; "
            "hãy sửa cho khớp",
        )
    names = Counter(text.viet_thuong(tv.ho_ten) for tv in ban.thanh_vien)
    for i, tv in enumerate(ban.thanh_vien):
        if names[text.viet_thuong(tv.ho_ten)] > 1:
            yield Finding((*loc, i, "ho_ten"), f"{tv.ho_ten} có tên hai lần trong danh sách")
            names[text.viet_thuong(tv.ho_ten)] = 1


#: Issuer abbreviations by profile: ND30 ``UBND``, ``UBND-VX``; Party ``ĐU``, ``BDVHU`` (no digits).
_SYMBOL = {
    "nd30": re.compile(r"^[A-Za-zĐđ]+(-[A-Za-zĐđ0-9]+)*$"),
    "dang": re.compile(r"^[A-Za-zĐđ]+(-[A-Za-zĐđ]+)*$"),
}


def _bodies(hoso: Hoso) -> Iterator[Finding]:
    for key, cq in hoso.co_quan.items():
        if key not in defaults.KNOWN_BODIES:
            missing = [n for n in ("loai", "ten", "viet_tat", "thu_truong") if getattr(cq, n) is None]
            for name in missing:
                yield Finding(("co_quan", key, name), "thiếu khóa bắt buộc")
            if missing:
                continue
        body = defaults.issuer(hoso, key)
        if body is not None and not _SYMBOL[body.profile].match(body.viet_tat):
            kind = "văn bản Đảng (chỉ gồm chữ)" if body.profile == "dang" else "Nghị định 30"
            yield Finding(
                ("co_quan", key, "viet_tat"),
                f"chữ viết tắt \"{body.viet_tat}\" không đúng dạng ký hiệu của {kind}",
            )


def _documents_of(hoso: Hoso) -> Iterator[tuple[Loc, VanBan]]:
    yield ("quyet_dinh_thanh_lap",), hoso.quyet_dinh_thanh_lap
    if hoso.quyet_dinh_ban_hanh_quy_che is not None:
        yield ("quyet_dinh_ban_hanh_quy_che",), hoso.quyet_dinh_ban_hanh_quy_che


def _issuer_check(hoso: Hoso, loc: Loc, key: str) -> Iterator[Finding]:
    if defaults.issuer(hoso, key) is None:
        known = sorted(set(defaults.KNOWN_BODIES) | set(hoso.co_quan))
        yield Finding(
            (*loc, "co_quan"),
            f"không có cơ quan '{key}'; khai báo trong co_quan hoặc dùng: {', '.join(known)}",
        )


def _person_check(hoso: Hoso, loc: Loc, name: str, role: str) -> Iterator[Finding]:
    if hoso.tim_nguoi(name) is None:
        yield Finding(
            loc,
            f"{role} '{name}' không có trong ban_dieu_hanh.thanh_vien hay nguoi; "
            "hãy thêm người này hoặc sửa lại tên",
        )


def _documents(hoso: Hoso) -> Iterator[Finding]:
    for loc, vb in _documents_of(hoso):
        yield from _issuer_check(hoso, loc, vb.co_quan)
        yield from _person_check(hoso, (*loc, "nguoi_ky"), vb.nguoi_ky, "người ký")
        body = defaults.issuer(hoso, vb.co_quan)
        if body is not None:
            yield from _signing(vb, body, loc)
        for i, item in enumerate(vb.can_cu or []):
            where = (*loc, "can_cu", i)
            yield from _undated(item, where)
            line = item if isinstance(item, str) else item.dong()
            if line.startswith("@") and catalogue.get(line[1:]) is None:
                yield Finding(
                    where,
                    f"không có '{line}' trong danh mục; các mã: {', '.join(catalogue.keys())}",
                )
            yield from _citation(line, vb, where)


#: Kinds of text a căn cứ cites by number and date (a law is cited by its name and date).
_NUMBERED_BASES = re.compile(
    r"^Căn cứ (Kế hoạch|Quyết định|Công văn|Hướng dẫn|Thông báo|Chỉ thị|Nghị quyết|Kết luận)\b"
)
_HAS_NUMBER_OR_DATE = re.compile(r"\bsố\s+\S*\d|\d{1,2}/\d{1,2}/\d{4}|\bngày\s+\d")


def _undated(item: str | CanCu, loc: Loc) -> Iterator[Finding]:
    """Warn about a cited plan (or other numbered text) that has neither its number nor date."""
    if isinstance(item, CanCu):
        missing = item.so_ky_hieu is None and item.ngay is None
        kind = item.ten_loai
    else:
        found = _NUMBERED_BASES.match(item)
        missing = bool(found) and not _HAS_NUMBER_OR_DATE.search(item)
        kind = found.group(1) if found else ""
    if missing:
        yield Finding(
            loc,
            f"căn cứ {kind} chưa có số và ngày; hãy ghi, ví dụ: {{ten_loai: {kind}, "
            "so_ky_hieu: 15-KH/HU, ngay: 10/3/2023, cua: Ban Thường vụ Huyện ủy …, ve_viec: về …}",
            "canh_bao",
        )


def _signing(vb: VanBan, body: defaults.Issuer, loc: Loc) -> Iterator[Finding]:
    """The signing form exists for the body's profile and agrees with the authority line."""
    kind = "văn bản Đảng" if body.profile == "dang" else "văn bản hành chính"
    nhan_danh = vb.nhan_danh or body.nhan_danh_mac_dinh
    authority = body.tham_quyen(nhan_danh)
    if vb.hinh_thuc_ky is None:
        ma = vocabulary.default_form(body.profile, nhan_danh)
    else:
        ma = vb.hinh_thuc_ky
    form = vocabulary.HINH_THUC_KY.get((body.profile, ma))
    where = (*loc, "hinh_thuc_ky") if vb.hinh_thuc_ky is not None else (*loc, "nhan_danh")
    if form is None:
        allowed = ", ".join(vocabulary.shown(f.ma) for f in vocabulary.forms_of(body.profile))
        instead = vocabulary.KHONG_DUNG_DANG.get(ma, "") if body.profile == "dang" else ""
        yield Finding(where, f"'{ma}' không dùng cho {kind}"
                             f"{f': {instead}' if instead else ''}; chỉ dùng: {allowed}")
        return
    if body.profile == "dang":
        name = body.ten_day_du
        if form.ma == "K/T" and body.tap_the_lanh_dao:
            yield Finding(where, f"{name} là tập thể lãnh đạo: cấp phó ký T/M (nhan_danh: "
                                 f"tap_the, hinh_thuc_ky: T/M, chuc_vu_ky: Phó {body.thu_truong}); "
                                 "K/T chỉ dùng ở cơ quan tham mưu, giúp việc (ban, văn phòng)")
            return
        if form.ma == "T/M" and not body.tap_the_lanh_dao:
            yield Finding(where, f"T/M chỉ dùng cho tập thể lãnh đạo (đảng ủy, chi bộ, ban thường "
                                 f"vụ); {name} là cơ quan tham mưu: {body.thu_truong.lower()} ký "
                                 "trực tiếp (nhan_danh: thu_truong, hinh_thuc_ky: \"\") hoặc cấp phó "
                                 "ký K/T")
            return
    if form.nhan_danh != nhan_danh:
        fits = ", ".join(vocabulary.shown(f.ma) for f in vocabulary.forms_of(body.profile, nhan_danh))
        other = "tap_the" if nhan_danh == vocabulary.THU_TRUONG else "thu_truong"
        yield Finding(
            where,
            f"hình thức ký {vocabulary.shown(ma)} ({form.nghia}) không khớp với dòng thẩm quyền "
            f"\"{authority}\" (nhan_danh: {nhan_danh}); hãy ghi hinh_thuc_ky là một trong: "
            f"{fits}, hoặc đổi nhan_danh thành {other}",
        )
    if form.chuc_vu is None and not vb.chuc_vu_ky:
        yield Finding(
            (*loc, "hinh_thuc_ky"),
            f"ký {ma} ({form.nghia}) cần ghi chuc_vu_ky, ví dụ: Chánh Văn phòng",
        )


def _citation(line: str, vb: VanBan, loc: Loc) -> Iterator[Finding]:
    entries = [catalogue.get(line[1:])] if line.startswith("@") else catalogue.recognise(line)
    for entry in entries:
        if entry is None:
            continue
        note = " (ngày cần xác minh lại)" if entry.xac_minh else ""
        if vb.ngay < entry.hieu_luc:
            yield Finding(
                loc,
                f"văn bản ngày {text.ngay_ngan(vb.ngay)} trích dẫn {entry.ten}, "
                f"chưa có hiệu lực (từ {text.ngay_ngan(entry.hieu_luc)}){note}",
                "canh_bao",
            )
        elif entry.het_hieu_luc and vb.ngay >= entry.het_hieu_luc:
            yield Finding(
                loc,
                f"văn bản ngày {text.ngay_ngan(vb.ngay)} trích dẫn {entry.ten}, đã được thay thế "
                f"bởi {entry.thay_the_boi} từ {text.ngay_ngan(entry.het_hieu_luc)}{note}",
                "canh_bao",
            )


def _meetings(hoso: Hoso) -> Iterator[Finding]:
    seen: set[str] = set()
    for i, hop in enumerate(hoso.cuoc_hop):
        loc: Loc = ("cuoc_hop", i)
        if hop.ma in seen:
            yield Finding((*loc, "ma"), f"mã '{hop.ma}' đã dùng cho cuộc họp khác")
        seen.add(hop.ma)
        yield from _issuer_check(hoso, loc, hop.co_quan)
        yield from _person_check(hoso, (*loc, "chu_tri"), hop.chu_tri, "người chủ trì")
        yield from _person_check(hoso, (*loc, "thu_ky"), hop.thu_ky, "thư ký")
        if hop.ket_thuc <= hop.bat_dau:
            yield Finding((*loc, "ket_thuc"), "giờ kết thúc phải sau giờ bắt đầu")
        if hop.so_moi is not None and hop.so_co_mat is not None and hop.so_co_mat > hop.so_moi:
            yield Finding((*loc, "so_co_mat"), "số có mặt lớn hơn số được mời")
        if hop.vang_mat and hop.so_moi is not None and hop.so_co_mat is not None:
            absent = hop.so_moi - hop.so_co_mat
            if len(hop.vang_mat) != absent:
                yield Finding(
                    (*loc, "vang_mat"),
                    f"ghi {len(hop.vang_mat)} người vắng mặt nhưng số được triệu tập trừ số có "
                    f"mặt là {absent}",
                    "canh_bao",
                )
        for j, bq in enumerate(hop.bieu_quyet):
            if bq.tan_thanh is None:
                continue
            total = bq.tan_thanh + bq.khong_tan_thanh + bq.khong_y_kien
            if hop.so_co_mat is not None and total > hop.so_co_mat:
                yield Finding(
                    (*loc, "bieu_quyet", j),
                    f"tổng số phiếu ({total}) lớn hơn số người có mặt ({hop.so_co_mat})",
                )


#: Nghị định 30/2020/NĐ-CP, whose layout vanban follows, took effect on 05/3/2020; a date
#: before it, or past the end of the century, is most likely mistyped.
NGAY_ND30 = date(2020, 3, 5)
NGAY_XA_NHAT = date(2100, 12, 31)


def _dated(hoso: Hoso) -> Iterator[tuple[Loc, date]]:
    """Yield where each date of the dossier is, and the date."""
    yield ("quyet_dinh_thanh_lap", "ngay"), hoso.quyet_dinh_thanh_lap.ngay
    if hoso.quyet_dinh_ban_hanh_quy_che is not None:
        yield ("quyet_dinh_ban_hanh_quy_che", "ngay"), hoso.quyet_dinh_ban_hanh_quy_che.ngay
    for i, hop in enumerate(hoso.cuoc_hop):
        yield ("cuoc_hop", i, "ngay"), hop.ngay
    if hoso.tap_huan is not None:
        yield ("tap_huan", "ngay"), hoso.tap_huan.ngay


def _dates(hoso: Hoso) -> Iterator[Finding]:
    for loc, ngay in _dated(hoso):
        if ngay < NGAY_ND30 or ngay > NGAY_XA_NHAT:
            yield Finding(loc, f"ngày {ngay.day:02d}/{ngay.month:02d}/{ngay.year} có lẽ gõ nhầm: "
                               "vanban soạn văn bản theo Nghị định 30/2020/NĐ-CP (có hiệu lực từ "
                               "05/3/2020), ngày phải từ 05/3/2020 đến hết năm 2100")
    qd = hoso.quyet_dinh_thanh_lap
    qc = hoso.quyet_dinh_ban_hanh_quy_che
    if qc is not None and qc.ngay < qd.ngay:
        yield Finding(
            ("quyet_dinh_ban_hanh_quy_che", "ngay"),
            f"Quy chế ban hành ngày {text.ngay_ngan(qc.ngay)}, trước khi thành lập Ban "
            f"({text.ngay_ngan(qd.ngay)})",
        )
    launches = [h.ngay for h in hoso.cuoc_hop]
    if hoso.tap_huan is not None:
        launches.append(hoso.tap_huan.ngay)
    if launches and qd.ngay > min(launches):
        yield Finding(
            ("quyet_dinh_thanh_lap", "ngay"),
            f"Quyết định thành lập ({text.ngay_ngan(qd.ngay)}) phải có trước hoặc trong ngày ra "
            f"mắt ({text.ngay_ngan(min(launches))})",
        )


def _shape(hoso: Hoso) -> Iterator[Finding]:
    d = hoso.dia_ban
    if d.loai_xa in vocabulary.CHI_BA_CAP and hoso.so_cap == 2:
        yield Finding(
            ("dia_ban", "loai_xa"),
            f"từ 01/7/2025 không còn {d.loai_xa}; hãy ghi loai_xa: xã, phường hoặc đặc khu",
        )
    if d.loai_xa in vocabulary.CHI_HAI_CAP and hoso.so_cap == 3:
        yield Finding(
            ("dia_ban", "loai_xa"),
            f"{d.loai_xa} chỉ có từ 01/7/2025; trước đó hãy ghi loai_xa: xã, phường hoặc thị trấn",
        )
    if d.loai_thon and d.loai_thon not in vocabulary.THON[d.loai_xa]:
        yield Finding(
            ("dia_ban", "loai_thon"),
            f"{d.loai_xa} thường chia thành {', '.join(vocabulary.THON[d.loai_xa])}, không phải "
            f"{d.loai_thon}",
            "canh_bao",
        )
    if hoso.so_cap == 3 and not d.huyen:
        yield Finding(
            ("dia_ban",), "chính quyền 3 cấp (trước 01/7/2025) cần khóa huyen", "loi"
        )
    if hoso.so_cap == 2 and d.huyen:
        yield Finding(
            ("dia_ban", "huyen"),
            "từ 01/7/2025 không còn cấp huyện; tên huyện sẽ không được dùng",
            "canh_bao",
        )
    if hoso.cap_chinh_quyen == 3 and hoso.quyet_dinh_thanh_lap.ngay >= NGAY_HAI_CAP:
        yield Finding(
            ("cap_chinh_quyen",),
            "văn bản sau 01/7/2025 nhưng khai chính quyền 3 cấp",
            "canh_bao",
        )
    if hoso.so_cap == 3 and hoso.cap_chinh_quyen is None:  # a chosen shape is warned above
        yield from _after_the_reform(hoso)


def _after_the_reform(hoso: Hoso) -> Iterator[Finding]:
    """A dossier shaped by three levels (its establishing decision came first) whose later
    documents are dated from 01/7/2025, when the district level ended: each would still
    carry the huyện (headers, Nơi nhận, the body the board reports to) and a unit that may no
    longer exist. (The establishing decision, which set the shape, is dated before.)"""
    qd = text.ngay_ngan(hoso.quyet_dinh_thanh_lap.ngay)
    for loc, ngay in _dated(hoso):
        if ngay < NGAY_HAI_CAP:
            continue
        yield Finding(
            loc,
            f"văn bản ngày {text.ngay_ngan(ngay)}, khi đã bỏ cấp huyện (từ 01/7/2025), mà hồ sơ "
            f"theo chính quyền 3 cấp như quyết định thành lập ({qd}): đầu văn bản và nơi nhận sẽ "
            "còn huyện; văn bản từ 01/7/2025 hãy soạn trong hồ sơ mới của đơn vị sau sắp xếp",
        )


def _training(hoso: Hoso, folder: Path, topics: dict[str, str]) -> Iterator[Finding]:
    th = hoso.tap_huan
    if th is None:
        return
    yield from _issuer_check(hoso, ("tap_huan",), th.co_quan)
    for i, cd in enumerate(th.chuyen_de):
        if cd.tep is None:
            continue
        loc: Loc = ("tap_huan", "chuyen_de", i, "tep")
        rel = Path(cd.tep)
        if rel.is_absolute() or ".." in rel.parts or cd.tep.startswith("~"):
            yield Finding(loc, "đường dẫn phải nằm trong thư mục của hồ sơ, ví dụ chuyen-de-1.md")
            continue
        if rel.suffix.lower() != ".md":
            yield Finding(loc, "tệp nội dung phải là tệp Markdown .md")
            continue
        if not (folder / rel).exists():
            yield Finding(loc, f"không tìm thấy tệp {cd.tep} cạnh tệp hồ sơ")
            continue
        try:
            real = files.inside(folder, rel, f"tệp {cd.tep}")
            content = files.read_regular(real, f"tệp {cd.tep}", MAX_MARKDOWN).decode("utf-8")
        except InputFileError as e:
            yield Finding(loc, str(e))
            continue
        except UnicodeDecodeError:
            yield Finding(loc, f"tệp {cd.tep} không phải UTF-8; hãy lưu lại với bảng mã UTF-8")
            continue
        bad = text.find_control_char(content)
        if bad:
            yield Finding(loc, f"tệp {cd.tep} có ký tự điều khiển {bad}; hãy xóa ký tự đó")
            continue
        bidi = text.BIDI_CHARS.search(content)
        if bidi:
            line = content.count("\n", 0, bidi.start()) + 1
            yield Finding(loc, f"{cd.tep}:{line}: có ký tự đảo chiều văn bản "
                               f"U+{ord(bidi.group()):04X}, làm chữ hiện ra khác chữ thật; hãy xóa "
                               "ký tự đó")
            continue
        topics[cd.tep] = content
        yield from _markdown(content, loc, cd.tep)
        yield from _citations(content, loc, cd.tep)
    for i, cd in enumerate(th.chuyen_de):
        if cd.noi_dung:
            loc = ("tap_huan", "chuyen_de", i, "noi_dung")
            yield from _markdown(cd.noi_dung, loc, "noi_dung")
            yield from _citations(cd.noi_dung, loc, "noi_dung")


def _citations(source: str, loc: Loc, name: str) -> Iterator[Finding]:
    """Warn, with the handout's line, about a Party citation unlike the catalogue's form."""
    for wrong in catalogue.check_citations(text.nfc(source)):
        yield Finding(
            loc,
            f"{name}:{wrong.dong}: trích dẫn “{wrong.trich}” không khớp danh mục: {wrong.loi} "
            f"({wrong.entry.ten})",
            "canh_bao",
        )


def _markdown(source: str, loc: Loc, name: str) -> Iterator[Finding]:
    try:
        blocks = markdown.parse(text.nfc(source))
    except markdown.MarkdownError as e:
        yield Finding(loc, f"{name}:{e.line}: {e.message}")
        return
    if not blocks:
        yield Finding(loc, f"{name}: chuyên đề chưa có nội dung")
