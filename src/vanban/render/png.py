"""Draw a page of a PDF (the first by default) as a PNG with poppler's ``pdftoppm``, in memory."""

from __future__ import annotations

import shutil
import subprocess

from vanban.errors import PdfError


def first_page_png(pdf: bytes, name: str, dpi: int = 80) -> bytes:
    """Return page 1 of the PDF `pdf` (called `name` in messages) drawn at `dpi` dots per inch.

    Nothing is written: the PNG is written with the documents, all-or-nothing.
    """
    return page_png(pdf, name, 1, dpi)


def page_png(pdf: bytes, name: str, page: int, dpi: int = 80) -> bytes:
    """Return page `page` (from 1) of the PDF `pdf` (called `name` in messages) as a PNG."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise PdfError("không tìm thấy pdftoppm để tạo ảnh trang: cài gói poppler-utils")
    # "-" reads the PDF from stdin; without an output root the picture goes to stdout.
    command = [exe, "-png", "-singlefile", "-f", str(page), "-l", str(page),
               "-r", str(int(dpi)), "-"]
    try:
        done = subprocess.run(command, input=pdf, capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise PdfError(f"pdftoppm không chạy được: {exc}") from exc
    if done.returncode != 0 or not done.stdout.startswith(b"\x89PNG"):
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PdfError(f"pdftoppm không tạo được ảnh từ {name}: {(lines or ['không rõ lỗi'])[0]}")
    return done.stdout
