"""Where signatures go on a page: the signature boxes of a PDF, and the images' rectangles.

A PDF vanban made carries the box of each signer (between the title lines and the name) in
its document information, written by the layout (:func:`vanban.render.pdf.signature_boxes`).
For any other PDF the block is found from its text with poppler's ``pdftotext -bbox-layout``:
a line starting with a signing form (``TM.``, ``KT.``, ``TL.``, ``TUQ.``, ``Q.``, ``T/M``…) or
a bare title, then the first line far enough below it in the same column, the name. A
position can always be given instead. Coordinates are PDF points, origin bottom left.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from vanban.errors import SigningError
from vanban.issuing.appearance import PT_PER_MM
from vanban.render.pdf import SIGNATURE_BOXES_KEY, SignatureBox

#: How much of the signer's image the seal covers, from the image's left edge (Phụ lục I).
SEAL_OVERLAP = 1 / 3
#: The signer's image fills this share of its box's width at most.
IMAGE_MAX_WIDTH = 0.8
#: Smallest side of a signature box given by the user (millimetres).
MIN_BOX_MM = 5.0

_FORMS = re.compile(r"^(TM|KT|TL|TUQ|Q|T/M|K/T|T/L|T/UQ)\.?\s+\S", re.UNICODE)


@dataclass(frozen=True)
class Rect:
    """A rectangle on a page (0-based), PDF points from the bottom left corner."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self) -> float:
        """Return the width."""
        return self.x2 - self.x1

    @property
    def height(self) -> float:
        """Return the height."""
        return self.y2 - self.y1

    @property
    def centre(self) -> tuple[float, float]:
        """Return the centre point."""
        return (self.x1 + self.x2) / 2, (self.y1 + self.y2) / 2

    def rounded(self) -> Rect:
        """Return the rectangle with coordinates rounded to 1/100 point."""
        return Rect(self.page, *(round(v, 2) for v in (self.x1, self.y1, self.x2, self.y2)))


@dataclass(frozen=True)
class GivenBox:
    """A signature box given by the user: page (from 1), then millimetres from the page's
    top left corner to the box's top left corner, and the box's width and height."""

    page: int
    x: float
    y: float
    width: float
    height: float

    @classmethod
    def parse(cls, text: str) -> GivenBox:
        """Read ``TRANG,X,Y,RỘNG,CAO`` (``1,105,190,80,25``)."""
        parts = [p.strip() for p in text.split(",")]
        try:
            page, x, y, width, height = int(parts[0]), *(float(p) for p in parts[1:])
        except (ValueError, IndexError, TypeError):
            raise SigningError(
                f"vị trí '{text}' không hợp lệ: viết TRANG,X,Y,RỘNG,CAO (mm từ góc trên trái), "
                "ví dụ 1,105,190,80,25"
            ) from None
        if not all(math.isfinite(v) for v in (x, y, width, height)):
            raise SigningError(f"vị trí '{text}' không hợp lệ: X, Y, RỘNG, CAO phải là số "
                               "milimét, ví dụ 1,105,190,80,25")
        if page < 1 or x < 0 or y < 0:
            raise SigningError(f"vị trí '{text}': trang đếm từ 1; X, Y tính từ góc trên trái "
                               "của trang nên không được âm")
        if width < MIN_BOX_MM or height < MIN_BOX_MM:
            raise SigningError(f"vị trí '{text}': khối chữ ký phải rộng và cao ít nhất "
                               f"{MIN_BOX_MM:g} mm")
        return cls(page, x, y, width, height)

    def placed(self, page_box: tuple[float, float, float, float], source: str) -> Rect:
        """Return the box in PDF points on a page whose media box is `page_box`, refusing a
        box that does not lie wholly on the page (`source` names the PDF in the error)."""
        x1, y1, x2, y2 = page_box
        page_w, page_h = (x2 - x1) / PT_PER_MM, (y2 - y1) / PT_PER_MM
        if self.x + self.width > page_w + 0.5 or self.y + self.height > page_h + 0.5:
            raise SigningError(
                f"{source}: --vi-tri vượt ra ngoài trang {self.page} (trang rộng "
                f"{page_w:.0f} mm, cao {page_h:.0f} mm): X + RỘNG và Y + CAO phải nằm trong trang"
            )
        rect = self.rect(y2 - y1)
        return Rect(rect.page, rect.x1 + x1, rect.y1 + y1, rect.x2 + x1, rect.y2 + y1).rounded()

    def rect(self, page_height: float) -> Rect:
        """Return the box in PDF points on a page `page_height` points high."""
        mm = PT_PER_MM
        top = page_height - self.y * mm
        return Rect(self.page - 1, self.x * mm, top - self.height * mm,
                    (self.x + self.width) * mm, top).rounded()


def stored_boxes(info: dict[str, str]) -> list[Rect]:
    """Return the signature boxes stored by vanban in a PDF's document information."""
    raw = info.get(SIGNATURE_BOXES_KEY)
    if not raw:
        return []
    try:
        values = json.loads(raw)
        return [Rect(int(v[0]), *(float(x) for x in v[1:5])) for v in values]
    except (ValueError, TypeError, IndexError):
        return []


def as_rect(box: SignatureBox) -> Rect:
    """Return a layout's signature box as a :class:`Rect`."""
    return Rect(box.page, box.x1, box.y1, box.x2, box.y2)


def pdf_text(pdf: bytes, *options: str) -> str | None:
    """Return what poppler's ``pdftotext`` (with `options`) reads in `pdf`, in UTF-8; None
    when it is not installed or cannot read the file."""
    exe = shutil.which("pdftotext")
    if exe is None:
        return None
    with tempfile.TemporaryDirectory(prefix="vanban-ky-") as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        done = subprocess.run([exe, *options, "-enc", "UTF-8", str(src), "-"],
                              capture_output=True, timeout=120, check=False)
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def text_boxes(pdf: bytes, source: str) -> list[Rect]:
    """Find the signature blocks of `pdf` (read from `source`) from its text."""
    if shutil.which("pdftotext") is None:
        raise SigningError("không tìm thấy pdftotext để tìm khối chữ ký: cài gói poppler-utils")
    markup = pdf_text(pdf, "-bbox-layout")
    if not markup:
        raise SigningError(f"{source}: pdftotext không đọc được chữ trong tệp")
    return _blocks(markup)


def _blocks(markup: str) -> list[Rect]:
    """Return the signature boxes found in ``pdftotext -bbox-layout`` output."""
    # The output is XHTML; drop the namespace so that tags are plain names.
    root = ElementTree.fromstring(re.sub(r'\sxmlns="[^"]+"', "", markup, count=1))
    found: list[Rect] = []
    for index, page in enumerate(root.iter("page")):
        height = float(page.get("height", "842"))
        lines = []
        for line in page.iter("line"):
            words = [w.text or "" for w in line.iter("word")]
            box = [float(line.get(k, "0")) for k in ("xMin", "yMin", "xMax", "yMax")]
            lines.append((" ".join(words).strip(), box))
        for i, (text, (x1, _y1, x2, y2)) in enumerate(lines):
            if not _FORMS.match(text):
                continue
            # Title lines: this one and the upper-case lines right below it in its column.
            bottom, j = y2, i + 1
            size = y2 - _y1
            while j < len(lines):
                t, (a1, b1, a2, b2) = lines[j]
                if t.isupper() and a1 < x2 and a2 > x1 and b1 - bottom < size:
                    bottom, j = b2, j + 1
                else:
                    break
            # The name: the next line in the column at least two lines further down.
            for t, (a1, b1, a2, _b2) in lines[j:]:
                if a1 < x2 and a2 > x1 and b1 - bottom > 2 * size and t:
                    left = min(x1, a1) - size
                    right = max(x2, a2) + size
                    found.append(Rect(index, left, height - b1, right, height - bottom))
                    break
    return found


def image_rect(box: Rect, aspect: float) -> Rect:
    """Return the signer's image rectangle: as high as `box`, centred in it."""
    height = box.height
    width = height * aspect
    if width > box.width * IMAGE_MAX_WIDTH:
        width = box.width * IMAGE_MAX_WIDTH
        height = width / aspect
    cx, cy = box.centre
    return Rect(box.page, cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2).rounded()


def seal_rect(image: Rect, seal: float, width: float) -> Rect:
    """Return the body's field: a seal of diameter `seal` whose right part covers
    :data:`SEAL_OVERLAP` of `image` on its left, centred on it vertically; `width` wide."""
    right = image.x1 + image.width * SEAL_OVERLAP
    _cx, cy = image.centre
    return Rect(image.page, right - seal, cy - seal / 2, right - seal + width, cy + seal / 2).rounded()


def top_right_rect(page_box: tuple[float, float, float, float], width: float, height: float,
                   right: float, top: float) -> Rect:
    """Return a `width` × `height` rectangle on page 0, `right` from its right edge and
    `top` from its top edge."""
    _x1, _y1, x2, y2 = page_box
    return Rect(0, x2 - right - width, y2 - top - height, x2 - right, y2 - top).rounded()
