"""The pipeline: load → build each document's context → DOCX → PDF → write atomically."""

from __future__ import annotations

import os
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from vanban import documents, resources
from vanban.cache import Cache, Entry, font_fingerprint
from vanban.errors import Problem, VanbanError
from vanban.loading import Loaded, load
from vanban.output import write_all
from vanban.render.docx import render_docx, toc_bookmark

if TYPE_CHECKING:
    from vanban.render.pdf import LaidOut, PdfResult

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
        raise VanbanError(f"định dạng '{(bad or [''])[0]}' không hợp lệ; chỉ nhận: docx, pdf")
    return tuple(f for f in FORMATS if f in names)


def render(
    loaded: Loaded,
    *,
    only: list[str] | None = None,
    formats: Sequence[str] = FORMATS,
    templates_dir: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    cache: bool = True,
) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Return ``(file name, bytes)`` for every document of `loaded`, and the warnings.

    `progress` is told about each document as soon as it is rendered. With `cache`, PDFs
    already rendered from the same DOCX bytes come from the PDF cache (:mod:`vanban.cache`),
    byte for byte what a fresh render gives.
    """
    outputs = documents.collect(loaded, only)
    files: list[tuple[str, bytes]] = []
    warnings: list[str] = []
    kieu = loaded.hoso.kieu_dau
    pdfs = _Pdfs(cache)
    for out in outputs:
        started = time.perf_counter()
        first = len(files)
        template = resources.template_path(out.template, templates_dir)
        result: PdfResult | None = None
        if out.extra.get("muc_luc"):
            docx, result = _with_contents(out, template, kieu, pdfs, "pdf" in formats)
        else:
            docx = render_docx(template, out.context, out.meta, kieu)
        if "docx" in formats:
            files.append((f"{out.name}.docx", docx))
        if "pdf" in formats:
            result = result or pdfs.render(docx)
            files.append((f"{out.name}.pdf", result.pdf))
            warnings.extend(f"{out.name}.pdf: {w}" for w in result.warnings)
        if progress is not None:
            progress(Done(out.name, tuple(name for name, _ in files[first:]),
                          time.perf_counter() - started))
    pdfs.close()
    return files, warnings


class _Pdfs:
    """Renders PDFs through the cache when it is on, straight through the engine when off."""

    def __init__(self, enabled: bool) -> None:
        self.store = Cache() if enabled else None
        self._fonts: bytes | None = None
        self.used = False

    def key(self, kind: str, *parts: bytes) -> str | None:
        """Return the cache key of `parts` drawn with the cut fonts; None when off."""
        if self.store is None:
            return None
        if self._fonts is None:
            self._fonts = font_fingerprint()
        self.used = True
        return self.store.key(kind, self._fonts, *parts)

    def get(self, key: str | None) -> Entry | None:
        return self.store.get(key) if self.store is not None and key else None

    def put(self, key: str | None, entry: Entry) -> None:
        if self.store is not None and key:
            self.store.put(key, entry)

    def render(self, docx: bytes) -> PdfResult:
        """Return the PDF of `docx`: from the cache, else rendered (and stored)."""
        from vanban.render.pdf import PdfResult, docx_to_pdf

        key = self.key("pdf", docx)
        entry = self.get(key)
        if entry is not None and "pdf" in entry.blobs:
            return PdfResult(entry.blobs["pdf"], entry.warnings)
        result = docx_to_pdf(docx)
        self.put(key, Entry({"pdf": result.pdf}, result.warnings))
        return result

    def close(self) -> None:
        """Keep the cache within its size once the build is done with it."""
        if self.store is not None and self.used:
            self.store.trim()


def _with_contents(
    out: documents.Output, template: Path, kieu: str, pdfs: _Pdfs, want_pdf: bool
) -> tuple[bytes, PdfResult | None]:
    """Add a table of contents to a document whose content runs past its page limit.

    The document is laid out once with the table in place. Its lines are PAGEREF fields to
    bookmarks on the headings, so that layout already shows the right numbers (the PDF
    engine computes them as Word does on F9), and the numbers it found are stored as the
    fields' results in the DOCX. The table ends with a page break, so the content's pages are
    those from the first heading on. Returns the DOCX, and (when `want_pdf`) its PDF when it
    is written from that layout (every line's number came from the layout, not from the
    draft); None when the PDF is to be rendered from the DOCX. The draft's DOCX and the page
    limit decide both, so they are cached together under those.
    """
    headings: list[str] = out.extra["muc_luc"]
    entries = [{"ten": h, "dau_trang": toc_bookmark(i)} for i, h in enumerate(headings, 1)]
    draft = {**out.context, "muc_luc": [{**e, "trang": "00"} for e in entries]}
    draft_docx = render_docx(template, draft, out.meta, kieu)
    limit = int(out.extra["muc_luc_sau_trang"])
    key = pdfs.key("contents", draft_docx, str(limit).encode())
    entry = pdfs.get(key)
    if entry is not None and "docx" in entry.blobs and ("pdf" in entry.blobs or not want_pdf):
        from vanban.render.pdf import PdfResult

        pdf = entry.blobs.get("pdf")
        return entry.blobs["docx"], PdfResult(pdf, entry.warnings) if pdf is not None else None
    docx, laid = _contents_layout(out, template, kieu, draft_docx, entries, limit)
    result = laid.write() if laid is not None and want_pdf else None
    blobs = {"docx": docx, **({"pdf": result.pdf} if result is not None else {})}
    pdfs.put(key, Entry(blobs, result.warnings if result is not None else []))
    return docx, result


def _contents_layout(
    out: documents.Output,
    template: Path,
    kieu: str,
    draft_docx: bytes,
    entries: list[dict[str, str]],
    limit: int,
) -> tuple[bytes, LaidOut | None]:
    """Lay the draft out; return the final DOCX and the layout when it is that DOCX's PDF."""
    from vanban.render.pdf import lay_out

    laid = lay_out(draft_docx)
    found = laid.outline()
    if len(found) != len(entries):
        raise VanbanError(f"{out.name}: không dựng được mục lục (tìm thấy {len(found)} "
                          f"trong {len(entries)} tiêu đề)")
    if laid.pages - (found[0][1] - 1) <= limit:
        return render_docx(template, out.context, out.meta, kieu), None
    final = {**out.context, "muc_luc": [
        {**e, "trang": str(page)} for e, (_, page) in zip(entries, found, strict=True)]}
    docx = render_docx(template, final, out.meta, kieu)
    # A template whose lines keep plain numbers (no PAGEREF) shows the draft's: lay it out again.
    return docx, laid if laid.page_refs >= len(entries) else None


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
    cache: bool = True,
) -> BuildResult:
    """Build the dossier at `hoso` into `out_dir` and return what was written.

    Every document is rendered in memory first, and `progress` told as each one is done;
    files are written only when all succeeded, and existing files are kept unless `force`.
    Without `cache`, no PDF comes from (or goes to) the PDF cache.
    """
    loaded = load(hoso)
    files, warnings = render(loaded, only=only, formats=formats, templates_dir=templates_dir,
                             progress=progress, cache=cache)
    folder = Path(out_dir)
    written = write_all([(folder / name, data) for name, data in files], force=force)
    if png:
        from vanban.render.png import first_page_png

        for path in [p for p in written if p.suffix == ".pdf"]:
            png_path = path.with_suffix(".png")
            first_page_png(path, png_path)
            written.append(png_path)
    return BuildResult(files=written, warnings=warnings, problems=list(loaded.warnings))


def convert(
    paths: Sequence[str | os.PathLike[str]], *, force: bool = False, cache: bool = True
) -> BuildResult:
    """Convert existing DOCX files to PDF beside them (through the PDF cache with `cache`)."""
    sources = [Path(p) for p in paths]
    for path in sources:
        if path.suffix.lower() != ".docx":
            raise VanbanError(f"{path}: chỉ chuyển được tệp .docx")
        if not path.is_file():
            raise VanbanError(f"{path}: không tìm thấy tệp")
    files: list[tuple[Path, bytes]] = []
    warnings: list[str] = []
    pdfs = _Pdfs(cache)
    for path in sources:
        if not zipfile.is_zipfile(path):
            raise VanbanError(f"{path}: không phải tệp Word .docx hợp lệ")
        result = pdfs.render(path.read_bytes())
        files.append((path.with_suffix(".pdf"), result.pdf))
        warnings.extend(f"{path.name}: {w}" for w in result.warnings)
    pdfs.close()
    return BuildResult(files=write_all(files, force=force), warnings=warnings)
