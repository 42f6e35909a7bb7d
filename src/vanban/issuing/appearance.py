"""The appearance of each digital signature (NĐ 30 Phụ lục I), drawn as a small PDF page.

pyHanko's own text stamp draws a frame and cannot space Vietnamese text; here each
appearance is an HTML page laid out by vanban's WeasyPrint engine with its embedded
Vietnamese faces (text stays extractable), and that page becomes the signature field's
appearance stream. Sizes are PDF points unless the name says millimetres.
"""

from __future__ import annotations

import base64
import html
import struct
from dataclasses import dataclass
from pathlib import Path

from vanban.errors import SigningError
from vanban.issuing.files import read_input

#: PDF points per millimetre.
PT_PER_MM = 72 / 25.4
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
#: Largest side of a signature or seal image, in pixels: a 60 mm seal scanned at 1200 dpi
#: is under 3000; the limit keeps a decoded image under about 100 MB.
MAX_IMAGE_PX = 5000
#: Height of the text beside the seal and of the attachment's lines.
SEAL_TEXT_PT = 8
ATTACHMENT_TEXT_PT = 10
#: Width of the text column beside the seal.
SEAL_TEXT_WIDTH = 150.0


@dataclass(frozen=True)
class Png:
    """A PNG image read from a file, with its size in pixels."""

    path: Path
    data: bytes
    width: int
    height: int

    @property
    def aspect(self) -> float:
        """Return width divided by height."""
        return self.width / self.height

    def data_uri(self) -> str:
        """Return the image as a ``data:`` URI."""
        return "data:image/png;base64," + base64.b64encode(self.data).decode("ascii")


def read_png(path: str | Path, what: str) -> Png:
    """Read the PNG at `path` (`what` names it in errors: "ảnh chữ ký", "ảnh dấu")."""
    path = Path(path)
    data = read_input(path, what)
    # The IHDR chunk comes first: length, "IHDR", width, height.
    if len(data) < 24 or not data.startswith(_PNG_MAGIC) or data[12:16] != b"IHDR":
        raise SigningError(f"{path}: {what} phải là tệp PNG (nền trong suốt)")
    width, height = struct.unpack(">II", data[16:24])
    if not width or not height:
        raise SigningError(f"{path}: {what} không có điểm ảnh nào")
    if width > MAX_IMAGE_PX or height > MAX_IMAGE_PX:
        raise SigningError(
            f"{path}: {what} quá lớn ({width}×{height} điểm ảnh); mỗi chiều tối đa "
            f"{MAX_IMAGE_PX} điểm ảnh: thu nhỏ ảnh rồi cho lại"
        )
    _decode(path, data, what)
    return Png(path, data, width, height)


def _decode(path: Path, data: bytes, what: str) -> None:
    """Decode the whole PNG, so that a truncated or corrupt image is refused here rather
    than drawn blank (the PDF renderer skips an image it cannot read)."""
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            image.verify()  # every chunk's checksum
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            image.load()  # every pixel
    except Exception as exc:  # Pillow raises many kinds for a broken file
        raise SigningError(
            f"{path}: {what} bị hỏng hoặc không trọn vẹn (có thể bị cắt cụt khi chép), không "
            "đọc được; lưu lại ảnh PNG rồi cho lại"
        ) from exc


@dataclass(frozen=True)
class Appearance:
    """A one-page PDF to show in a signature field of the same size."""

    pdf: bytes
    width: float
    height: float


def _page(width: float, height: float, body: str, font_family: str, extra_css: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><style>'
        f"@page{{size:{width:.2f}pt {height:.2f}pt;margin:0}}"
        f'html{{font-family:"{font_family}";color:#000}}body{{margin:0}}'
        f"img{{display:block}}{extra_css}</style></head><body>{body}</body></html>\n"
    )


def signer_appearance(image: Png, width: float, height: float) -> Appearance:
    """Return the signer's appearance: the signature image filling `width` × `height`."""
    from vanban.render.pdf import font_family, html_to_pdf

    body = f'<img src="{image.data_uri()}" style="width:{width:.2f}pt;height:{height:.2f}pt">'
    return Appearance(html_to_pdf(_page(width, height, body, font_family())), width, height)


def seal_appearance(seal: Png, diameter_mm: float, body_name: str, time_text: str) -> Appearance:
    """Return the body's appearance: the seal at `diameter_mm`, the name and time on its right.

    The seal is the square on the left of the appearance, as wide and high as the seal's
    real diameter; the text column (:data:`SEAL_TEXT_WIDTH`) is centred beside it.
    """
    from vanban.render.pdf import font_family, html_to_pdf

    size = diameter_mm * PT_PER_MM
    width = size + SEAL_TEXT_WIDTH
    lines = [f"Ký bởi: {body_name}", f"Thời gian ký: {time_text}"]
    text = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    body = (
        f'<div class="dau"><img src="{seal.data_uri()}" '
        f'style="width:{size:.2f}pt;height:{size:.2f}pt"></div><div class="chu">{text}</div>'
    )
    css = (
        f".dau{{position:absolute;left:0;top:0}}"
        f".chu{{position:absolute;left:{size + 2:.2f}pt;width:{SEAL_TEXT_WIDTH - 2:.2f}pt;"
        f"top:0;height:{size:.2f}pt;display:flex;flex-direction:column;justify-content:center;"
        f"font-size:{SEAL_TEXT_PT}pt;line-height:1.2;color:#b00000}}p{{margin:0}}"
    )
    return Appearance(html_to_pdf(_page(width, size, body, font_family(), css)), width, size)


def attachment_appearance(so_ky_hieu: str, time_text: str) -> Appearance:
    """Return the attachment's appearance: the main document's number and symbol and the
    signing time, Times New Roman 10 pt, upright, black, right-aligned, no image."""
    from vanban.render.pdf import font_family, html_to_pdf

    lines = [so_ky_hieu, time_text]
    width, height = 180.0, ATTACHMENT_TEXT_PT * 1.25 * len(lines) + 2
    text = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    css = (
        f"p{{margin:0;text-align:right;font-size:{ATTACHMENT_TEXT_PT}pt;line-height:1.25;"
        "font-style:normal;font-weight:normal}"
    )
    return Appearance(html_to_pdf(_page(width, height, text, font_family(), css)), width, height)
