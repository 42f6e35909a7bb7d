"""Draw a page of a PDF (the first by default) as a PNG with poppler's ``pdftoppm``."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from vanban.errors import PdfError


def first_page_png(pdf_path: Path, png_path: Path, dpi: int = 80) -> None:
    """Write page 1 of `pdf_path` to `png_path` at `dpi` dots per inch."""
    page_png(pdf_path, png_path, 1, dpi)


def page_png(pdf_path: Path, png_path: Path, page: int, dpi: int = 80) -> None:
    """Write page `page` (from 1) of `pdf_path` to `png_path` at `dpi` dots per inch."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise PdfError("không tìm thấy pdftoppm để tạo ảnh trang đầu: cài gói poppler-utils")
    png_path = Path(png_path)
    try:
        # Drawn next to the target, then renamed: a reader never sees half a file.
        scratch = tempfile.TemporaryDirectory(dir=png_path.parent, prefix=".vanban-png-")
    except OSError as exc:
        raise PdfError(f"không ghi được ảnh {png_path}: {exc.strerror}") from exc
    with scratch as tmp:
        # pdftoppm adds ".png" to the prefix it is given.
        prefix = Path(tmp) / "page"
        command = [exe, "-png", "-singlefile", "-f", str(page), "-l", str(page),
                   "-r", str(int(dpi))]
        try:
            done = subprocess.run(
                [*command, str(pdf_path), str(prefix)],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise PdfError(f"pdftoppm không chạy được: {exc}") from exc
        produced = prefix.with_suffix(".png")
        if done.returncode != 0 or not produced.is_file():
            detail = (done.stderr.strip().splitlines() or ["không rõ lỗi"])[0]
            raise PdfError(f"pdftoppm không tạo được ảnh từ {pdf_path}: {detail}")
        os.replace(produced, png_path)
