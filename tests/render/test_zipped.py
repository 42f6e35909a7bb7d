"""A received DOCX package is read within limits: corrupt, encrypted or bomb zips are errors."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from vanban.cli import cli
from vanban.render.ooxml import zipped

DOCUMENT = "word/document.xml"


def _rewritten(data: bytes, change: dict[str, bytes] | None = None,
               method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """Return the package `data` with some members replaced, every member stored by `method`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", method) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, (change or {}).get(info.filename, src.read(info)))
    return out.getvalue()


def _poke(data: bytes, local: int, central: int, change: Callable[[int], int]) -> bytes:
    """Return `data` with one 16- or 32-bit field of document.xml's headers changed.

    `local` and `central` are the field's offsets in the local header and in the central
    directory entry; a negative offset names a 32-bit field (its absolute value is used).
    """
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(DOCUMENT)
        entry = archive.start_dir
    while True:
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", out, entry + 28)
        if out[entry + 46:entry + 46 + name_len] == DOCUMENT.encode():
            break
        entry += 46 + name_len + extra_len + comment_len
    for at in (info.header_offset + abs(local), entry + abs(central)):
        fmt = "<I" if local < 0 else "<H"
        struct.pack_into(fmt, out, at, change(struct.unpack_from(fmt, out, at)[0]))
    return bytes(out)


def _bad_crc(data: bytes) -> bytes:
    stored = _rewritten(data, method=zipfile.ZIP_STORED)
    with zipfile.ZipFile(io.BytesIO(stored)) as archive:
        at = archive.getinfo(DOCUMENT).header_offset
    out = bytearray(stored)
    name_len, extra_len = struct.unpack_from("<HH", out, at + 26)
    out[at + 30 + name_len + extra_len + 40] ^= 0x20  # one letter of the stored XML
    return bytes(out)


def _encrypted(data: bytes) -> bytes:
    return _poke(data, 6, 8, lambda flags: flags | 0x1)


def _unknown_method(data: bytes) -> bytes:
    return _poke(data, 8, 10, lambda method: 99)


def _xml_bomb(data: bytes) -> bytes:
    return _rewritten(data, {DOCUMENT: b"<a/>" + b" " * zipped.MAX_XML})


def _picture_bomb(data: bytes) -> bytes:
    zeros = b"\0" * (zipped.MAX_UNPACKED // 4)
    return _with_members(data, {f"word/media/bom{i}.png": zeros for i in range(5)})


def _with_members(data: bytes, extra: dict[str, bytes]) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        for name, member in extra.items():
            archive.writestr(name, member)
    return out.getvalue()


def _lying_sizes(data: bytes) -> bytes:
    """Return an XML bomb whose zip directory says document.xml holds 100 bytes."""
    return _poke(_xml_bomb(data), -22, -24, lambda size: 100)


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda data: data[: len(data) // 2], "không phải tệp Word .docx hợp lệ"),
        (_bad_crc, f"phần {DOCUMENT} bị hỏng"),
        (_encrypted, f"phần {DOCUMENT} được mã hóa"),
        (_unknown_method, f"phần {DOCUMENT} nén bằng cách vanban không đọc được (mã 99)"),
        (_xml_bomb, f"phần {DOCUMENT} giải nén ra 32 MB, quá giới hạn 32 MB"),
        (_picture_bomb, "nội dung gói ZIP giải nén ra 160 MB, quá giới hạn 128 MB"),
        (_lying_sizes, f"phần {DOCUMENT} bị hỏng"),
    ],
    ids=["truncated", "bad-crc", "encrypted", "unknown-compression", "xml-bomb",
         "picture-bomb", "lying-sizes"],
)
def test_a_damaged_docx_is_a_one_line_error(
    docx_bytes: dict[str, bytes], tmp_path: Path, damage, expected: str
) -> None:
    path = tmp_path / "nhan-duoc.docx"
    path.write_bytes(damage(docx_bytes["quyet-dinh"]))
    result = CliRunner().invoke(cli, ["pdf", str(path)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"Lỗi: {path}: ")
    assert expected in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_a_bomb_is_stopped_while_inflating(docx_bytes: dict[str, bytes]) -> None:
    """A member whose directory entry under-states its size stops at the limit, not after."""
    import tracemalloc

    bomb = _lying_sizes(docx_bytes["quyet-dinh"])
    tracemalloc.start()
    try:
        with pytest.raises(zipped.PackageUnreadable):
            zipped.unpack(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * zipped.MAX_XML


def test_a_damaged_template_is_named(dossier_folder: Path, tmp_path: Path) -> None:
    import shutil

    from vanban import resources

    folder = tmp_path / "mau"
    shutil.copytree(resources.builtin_templates_dir(), folder)
    template = folder / "nd30" / "bien-ban.docx"
    template.write_bytes(_bad_crc(template.read_bytes()))
    result = CliRunner().invoke(cli, ["build", str(dossier_folder / "hoso.yaml"), "-o",
                                      str(tmp_path / "out"), "--templates-dir", str(folder),
                                      "--only", "bien-ban", "--format", "docx"])
    assert result.exit_code == 1, result.output
    # named by its path in the templates folder (nd30/ and dang/ hold the same names)
    assert f"mẫu nd30/bien-ban.docx: phần {DOCUMENT} bị hỏng" in result.output
    assert not (tmp_path / "out").exists()


@pytest.fixture
def dossier_folder(tmp_path: Path) -> Path:
    from vanban.starter import starter_text

    folder = tmp_path / "ho-so"
    folder.mkdir()
    (folder / "hoso.yaml").write_text(starter_text(), encoding="utf-8")
    return folder
