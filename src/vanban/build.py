"""The pipeline: load → build each document's context → DOCX → PDF → write atomically."""

from __future__ import annotations

import io
import os
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from vanban import documents, resources
from vanban.errors import PdfError, Problem, UnknownFormatError, VanbanError
from vanban.files import read_regular
from vanban.loading import Loaded, load
from vanban.output import write_all
from vanban.render.docx import render_docx, toc_bookmark

if TYPE_CHECKING:
    from vanban.render.pdf import LaidOut

#: Output formats, in the order they are made.
FORMATS = ("docx", "pdf")


@dataclass
class BuildResult:
    """What a build wrote and what it noticed on the way."""

    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Done:
    """One document rendered in memory: its file stem, the files it gives and the seconds taken."""

    name: str
    files: tuple[str, ...]
    seconds: float


#: Called once per document as soon as it is rendered (before anything is written).
Progress = Callable[[Done], None]


def parse_formats(value: str | Sequence[str]) -> tuple[str, ...]:
    """Return the formats named in `value` (``"docx,pdf"``); raise on an unknown one."""
    names = value.split(",") if isinstance(value, str) else list(value)
    names = [n.strip().lower() for n in names if n.strip()]
    bad = [n for n in names if n not in FORMATS]
    if bad or not names:
        raise UnknownFormatError(
            f"định dạng '{(bad or [''])[0]}' không hợp lệ; chỉ nhận: docx, pdf")
    return tuple(f for f in FORMATS if f in names)


def render(
    loaded: Loaded,
    *,
    only: list[str] | None = None,
    formats: Sequence[str] = FORMATS,
    templates_dir: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Return ``(file name, bytes)`` for every document of `loaded`, and the warnings.

    `progress` is told about each document as soon as it is rendered.
    """
    outputs = documents.collect(loaded, only)
    files: list[tuple[str, bytes]] = []
    warnings = [f"--only {kind}: hồ sơ không có dữ liệu cho loại này, không soạn văn bản nào"
                for kind in documents.select(only) if only and not any(
                    out.kind == kind for out in outputs)]
    kieu = loaded.hoso.kieu_dau
    for out in outputs:
        started = time.perf_counter()
        first = len(files)
        template = resources.template_path(out.template, templates_dir)
        laid: LaidOut | None = None
        if out.extra.get("muc_luc"):
            docx, laid = _with_contents(out, template, kieu)
        else:
            docx = render_docx(template, out.context, out.meta, kieu)
        if "docx" in formats:
            files.append((f"{out.name}.docx", docx))
        if "pdf" in formats:
            from vanban.render.pdf import lay_out

            result = (laid if laid is not None else lay_out(docx)).write()
            files.append((f"{out.name}.pdf", result.pdf))
            warnings.extend(f"{out.name}.pdf: {w}" for w in result.warnings)
        if progress is not None:
            progress(Done(out.name, tuple(name for name, _ in files[first:]),
                          time.perf_counter() - started))
    return files, warnings


def _with_contents(
    out: documents.Output, template: Path, kieu: str
) -> tuple[bytes, LaidOut | None]:
    """Add a table of contents to a document whose content runs past its page limit.

    The document is laid out once with the table in place. Its lines are PAGEREF fields to
    bookmarks on the headings, so that layout already shows the right numbers (the PDF
    engine computes them as Word does on F9), and the numbers it found are stored as the
    fields' results in the DOCX. The table ends with a page break, so the content's pages are
    those from the first heading on. Returns the DOCX, and the layout when it can be written
    as the PDF of that DOCX (every line's number came from the layout, not from the draft).
    """
    from vanban.render.pdf import lay_out

    headings: list[str] = out.extra["muc_luc"]
    entries = [{"ten": h, "dau_trang": toc_bookmark(i)} for i, h in enumerate(headings, 1)]
    draft = {**out.context, "muc_luc": [{**e, "trang": "00"} for e in entries]}
    laid = lay_out(render_docx(template, draft, out.meta, kieu))
    found = laid.outline()
    if len(found) != len(headings):
        raise VanbanError(f"{out.name}: không dựng được mục lục (tìm thấy {len(found)} "
                          f"trong {len(headings)} tiêu đề)")
    if laid.pages - (found[0][1] - 1) <= out.extra["muc_luc_sau_trang"]:
        return render_docx(template, out.context, out.meta, kieu), None
    final = {**out.context, "muc_luc": [
        {**e, "trang": str(page)} for e, (_, page) in zip(entries, found, strict=True)]}
    docx = render_docx(template, final, out.meta, kieu)
    # A template whose lines keep plain numbers (no PAGEREF) shows the draft's: lay it out again.
    return docx, laid if laid.page_refs >= len(headings) else None


def build(
    hoso: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    only: list[str] | None = None,
    formats: Sequence[str] = FORMATS,
    force: bool = False,
    templates_dir: str | os.PathLike[str] | None = None,
    png: bool = False,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the dossier at `hoso` into `out_dir` and return what was written.

    Every document (and its first page as a PNG when `png`) is rendered in memory first, and
    `progress` told as each one is done; files are written only when all succeeded, and
    existing files are kept unless `force`. The kinds and formats asked for, and the
    templates folder, are checked before the dossier.
    """
    documents.select(only)
    parse_formats(formats)
    resources.templates_dir(templates_dir)
    loaded = load(hoso)
    files, warnings = render(loaded, only=only, formats=formats, templates_dir=templates_dir,
                             progress=progress)
    if png and "pdf" not in formats:
        warnings.insert(0, "--png không có tác dụng: ảnh PNG chụp trang 1 của PDF, mà "
                           "--format không có pdf")
    if png:
        from vanban.render.png import first_page_png

        files += [(f"{name[:-4]}.png", first_page_png(data, name))
                  for name, data in files if name.endswith(".pdf")]
    folder = Path(out_dir)
    written = write_all([(folder / name, data) for name, data in files], force=force)
    return BuildResult(files=written, warnings=warnings, problems=list(loaded.warnings))


def convert(paths: Sequence[str | os.PathLike[str]], *, force: bool = False) -> BuildResult:
    """Convert existing DOCX files to PDF beside them."""
    sources = [Path(p) for p in paths]
    for path in sources:
        if path.suffix.lower() != ".docx":
            raise VanbanError(f"{path}: chỉ chuyển được tệp .docx")
    contents = [read_regular(path, str(path)) for path in sources]
    from vanban.render.pdf import docx_to_pdf

    files: list[tuple[Path, bytes]] = []
    warnings: list[str] = []
    for path, data in zip(sources, contents, strict=True):
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise VanbanError(f"{path}: không phải tệp Word .docx hợp lệ")
        try:
            result = docx_to_pdf(data)
        except PdfError as e:
            raise PdfError(f"{path}: {e}") from None
        files.append((path.with_suffix(".pdf"), result.pdf))
        warnings.extend(f"{path.name}: {w}" for w in result.warnings)
    return BuildResult(files=write_all(files, force=force), warnings=warnings)
