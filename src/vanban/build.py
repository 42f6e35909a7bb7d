"""The pipeline: load → build each document's context → DOCX → PDF → write atomically."""

from __future__ import annotations

import io
import json
import os
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vanban.cache import Cache, Entry, docx_fingerprint, font_fingerprint, plain_bytes
from vanban.errors import PdfError, Problem, UnknownFormatError, VanbanError
from vanban.files import read_regular
from vanban.output import refuse_existing, same_bytes, write_all

# The pipeline's own modules (models, templates, renderer) are imported where they are used,
# so that a build served whole from the cache (:class:`vanban.cache.Dossiers`) skips them.
if TYPE_CHECKING:
    from vanban import documents
    from vanban.documents.common import Meta
    from vanban.fitting import Fit, Fitted
    from vanban.loading import Loaded
    from vanban.render.pdf import LaidOut, PdfResult

#: Output formats, in the order they are made.
FORMATS = ("docx", "pdf")
#: The page number of every line of a handout's draft table of contents. The layout writes
#: the real numbers over it where they are as wide (one digit: fewer than ten pages) and lays
#: the draft out again where not (:mod:`vanban.render.pdf`).
DRAFT_NUMBER = "0"


@dataclass
class BuildResult:
    """What a build wrote and what it noticed on the way."""

    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: What the fitting pass did to each document it laid out in this build, by file stem.
    fitted: dict[str, Fitted] = field(default_factory=dict)
    #: One line per document the fitting pass set differently from its template.
    notes: list[str] = field(default_factory=list)
    #: The files the dossier was built from: its YAML first, then what it refers to
    #: (:meth:`vanban.loading.Loaded.inputs`).
    sources: list[Path] = field(default_factory=list)
    #: Files of :attr:`files` left as they were, since they already held these bytes (only
    #: with ``keep_same``).
    kept: list[Path] = field(default_factory=list)


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
    cache: bool = True,
    workers: int | None = None,
    fit: bool = True,
    fitted: dict[str, Fitted] | None = None,
    notes: list[str] | None = None,
    first: Callable[[list[str]], None] | None = None,
) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Return ``(file name, bytes)`` for every document of `loaded`, and the warnings.

    `progress` is told about each document as soon as it is rendered. With `cache`, PDFs
    already rendered from the same DOCX bytes come from the PDF cache (:mod:`vanban.cache`),
    byte for byte what a fresh render gives. With `workers` 2 or more (by default: the CPUs
    this process may run on), the documents that must be laid out are shared between this
    process and a forked one when two or more need it; and when the PDF engine is still to be
    made here, it is made as soon as the first document turns out to need laying out, while
    a forked process renders the other documents' DOCX (:func:`vanban.batch.while_forked`).
    The bytes are the same.
    With `fit`, each document that ends in a poor page break is set again within the decree's
    ranges (:mod:`vanban.fitting`); what was done is stored in `fitted` by file stem (for the
    documents laid out in this build) and told in `notes` (for every document, cached too).
    ``first(names)`` is called with the documents' file stems before anything is rendered.
    """
    from vanban import documents, resources
    from vanban.batch import default_jobs, in_two, while_forked

    want_pdf = "pdf" in formats
    pdfs = _Pdfs(cache)
    fitting = fit and _can_lay_out(want_pdf)
    if workers is None:
        workers = default_jobs()
    # A template missing from an edited-templates folder is told with every build.
    fallbacks: list[str] = []
    jobs = [_Job(out, resources.template_path(out.template, templates_dir, fallbacks),
                 loaded.hoso.kieu_dau, want_pdf, fitting, store=pdfs)
            for out in documents.collect(loaded, only)]
    fallbacks += _edited_against_the_decree({job.template for job in jobs})
    if first is not None:
        first([job.out.name for job in jobs])

    def probe(job: _Job) -> None:
        started = time.perf_counter()
        job.probe(pdfs)
        if not job.done and not want_pdf:
            job.finish(pdfs)  # DOCX only (fitted): nothing to share out, so finish it now
        job.seconds = time.perf_counter() - started

    def probe_all(rest: list[_Job]) -> list[_Probed]:
        for job in rest:
            probe(job)
        return [job.probed for job in rest]

    def probe_meanwhile(rest: list[_Job]) -> None:
        """Make the engine ready while the DOCX of `rest` are rendered in a forked process."""
        from vanban.render import pdf

        renders = fitting or any(job.contents for job in rest)
        spare = _import_docx_renderer if renders else None
        for later, probed in zip(rest, while_forked(partial(probe_all, rest), pdf.prepare, spare),
                                 strict=True):
            later.probed = probed
            if later.done and progress is not None:
                progress(later.report(formats))

    # The engine is made as soon as a document turns out to need laying out: before its
    # DOCX is rendered when that is certain, else once it is rendered.
    ahead = want_pdf and workers >= 2 and _engine_to_make()
    for i, job in enumerate(jobs):
        if ahead and job.lays_out_surely(pdfs):
            probe_meanwhile(jobs[i:])
            break
        probe(job)
        if job.done and progress is not None:
            progress(job.report(formats))
        if ahead and not job.done and i + 1 < len(jobs):
            probe_meanwhile(jobs[i + 1:])
            break
    pending = [job for job in jobs if not job.done]

    def finish(job: _Job) -> _Finished:
        from vanban.render.pdf import collecting_after, lines_kept

        started = time.perf_counter()
        with collecting_after(), lines_kept():  # a document laid out again breaks its lines once
            job.finish(pdfs)
        return (job.docx, job.pdf, job.seconds + time.perf_counter() - started, job.fitted,
                job.fit_told)

    def finished(job: _Job, result: _Finished) -> None:
        job.docx, job.pdf, job.seconds, job.fitted, job.fit_told = result
        job.done = True
        if progress is not None:
            progress(job.report(formats))

    if workers >= 2 and len(pending) >= 2 and want_pdf:
        in_two(finish, pending, [job.weight for job in pending], finished)
    else:
        for job in pending:
            finished(job, finish(job))
    pdfs.close()
    files: list[tuple[str, bytes]] = []
    warnings = [f"--only {kind}: hồ sơ không có dữ liệu cho loại này, không soạn văn bản nào"
                for kind in documents.select(only) if only and not any(
                    job.out.kind == kind for job in jobs)]
    warnings += dict.fromkeys(fallbacks)  # once each (documents share a template)
    for job in jobs:
        files += job.files(formats)
        warnings.extend(job.fit_told.get("warnings", []))
        if notes is not None and job.fit_told.get("note"):
            notes.append(job.fit_told["note"])
        if fitted is not None and job.fitted is not None:
            fitted[job.out.name] = job.fitted
        if want_pdf and job.pdf is not None:
            warnings.extend(f"{job.out.name}.pdf: {w}" for w in job.pdf.warnings)
    return files, warnings


def _edited_against_the_decree(templates: set[Path]) -> list[str]:
    """Return the warnings about the edited templates (not vanban's own): page or body set
    against the decree, and values vanban's own template prints that they no longer print
    (:mod:`vanban.render.conformance`)."""
    from vanban import resources

    own = resources.builtin_templates_dir().resolve()
    warnings = []
    for template in sorted(templates):
        if template.resolve().is_relative_to(own):
            continue
        from vanban.render.conformance import missing_tags, template_faults
        from vanban.render.docx import template_label, template_package

        label = template_label(template)
        try:  # read once (a regular file only), as it is rendered
            edited = template_package(template)
            gone = missing_tags(edited, template_package(own / label))
        except (OSError, VanbanError):
            continue  # a template that cannot be read: its render tells why
        faults = template_faults(edited)
        if faults:
            warnings.append(f"mẫu {label} không đúng thể thức Nghị định 30: "
                            + "; ".join(faults))
        if gone:
            tags = ", ".join(f"{{{{ {name} }}}}" for name in gone)
            warnings.append(f"mẫu {label} không còn thẻ {tags} của mẫu gốc; văn bản sẽ thiếu "
                            "phần đó (thêm lại thẻ nếu đã xóa nhầm)")
    return warnings


def _engine_to_make() -> bool:
    """Tell whether the PDF engine is still to be made in this process (a batch's dossier
    process has it from its parent) and another process can be forked meanwhile."""
    import multiprocessing

    from vanban.render import pdf

    return not pdf.ready() and "fork" in multiprocessing.get_all_start_methods()


def _import_docx_renderer() -> None:
    """Import the DOCX renderer, which the fitting pass and a handout's table of contents use
    where documents are laid out, so that the process forked to lay out shares it (not worth
    waiting for: imported when first used otherwise)."""
    import vanban.render.docx  # noqa: F401


def _can_lay_out(needed: bool) -> bool:
    """Tell whether documents can be laid out (a DOCX-only build works without WeasyPrint)."""
    if needed:
        return True
    try:
        from vanban.render.pdf import _engine

        _engine()
    except (OSError, ImportError):
        return False
    return True


#: What laying a document out gives back (it may come from a forked process): DOCX, PDF,
#: seconds, the fitting outcome and what the fitting pass tells the clerk.
_Finished = tuple[bytes, "PdfResult | None", float, "Fitted | None", dict[str, Any]]
#: What probing a document gave (it may come from a forked process): DOCX, draft, cache key,
#: whether done, PDF (from the cache), what the fitting pass told, seconds.
_Probed = tuple[bytes, bytes, "str | None", bool, "PdfResult | None", dict[str, Any], float]


@dataclass
class _Job:
    """One document to render: its DOCX, and its PDF when wanted, through the cache."""

    out: documents.Output
    template: Path
    kieu: str
    want_pdf: bool
    #: Whether the fitting pass sets this document (:mod:`vanban.fitting`).
    fit: bool = False
    docx: bytes = b""
    pdf: PdfResult | None = None
    #: A handout's draft (table of contents numbered :data:`DRAFT_NUMBER`) and its cache key.
    draft: bytes = b""
    key: str | None = None
    done: bool = False
    seconds: float = 0.0
    #: The fitting outcome, when laid out in this build (its layout dropped).
    fitted: Fitted | None = None
    #: What the fitting pass tells the clerk: ``note`` (how it was set) and ``warnings``.
    fit_told: dict[str, Any] = field(default_factory=dict)
    #: Where rendered DOCX files are cached (by template, data and vanban).
    store: _Pdfs | None = None

    @property
    def contents(self) -> bool:
        return bool(self.out.extra.get("muc_luc"))

    @property
    def weight(self) -> int:
        """Return a guess at the cost of laying the document out (its DOCX size)."""
        return len(self.draft or self.docx)

    @property
    def probed(self) -> _Probed:
        """Return what :meth:`probe` set."""
        return (self.docx, self.draft, self.key, self.done, self.pdf, self.fit_told,
                self.seconds)

    @probed.setter
    def probed(self, value: _Probed) -> None:
        (self.docx, self.draft, self.key, self.done, self.pdf, self.fit_told,
         self.seconds) = value

    def lays_out_surely(self, pdfs: _Pdfs) -> bool:
        """Tell, before rendering anything, whether the document will be laid out: its PDF is
        wanted and there is no cache, or its DOCX is not cached (so neither is its PDF)."""
        if not self.want_pdf:
            return False
        if pdfs.store is None:
            return True
        key = pdfs._docx_key(self.template, self._first_context, self.out.meta, self.kieu)
        return key is not None and not pdfs.store.has(key)

    @property
    def _first_context(self) -> dict[str, object]:
        """Return the context the DOCX is first rendered with: a handout's draft has its
        table of contents numbered :data:`DRAFT_NUMBER`."""
        return self._numbered(DRAFT_NUMBER) if self.contents else self.out.context

    def probe(self, pdfs: _Pdfs) -> None:
        """Render the DOCX; take the PDF from the cache when there; mark done if nothing is
        left to lay out."""
        if self.contents:
            # The draft and the page limit decide the handout; a fitted one
            # is cached apart from the unfitted one.
            self.draft = self._render(self._first_context)
            self.key = pdfs.key("contents", self.draft, str(self._limit).encode(),
                                *([b"fit"] if self.fit else []))
            self._from_cache(pdfs)
            return
        self.docx = self._render(self._first_context)
        if self.fit:
            # The template's DOCX decides the fitted one: both are cached under it.
            self.draft, self.docx = self.docx, b""
            self.key = pdfs.key("fit", self.draft)
            self._from_cache(pdfs)
            return
        self.done = not self.want_pdf
        if self.want_pdf:
            self.pdf = pdfs.cached(self.docx)
            self.done = self.pdf is not None

    def _from_cache(self, pdfs: _Pdfs) -> None:
        """Take the DOCX, PDF and fitting outcome cached under :attr:`key`, when all there."""
        entry = pdfs.get(self.key)
        if entry is None or "docx" not in entry.blobs or (self.fit and "fit" not in entry.blobs):
            return
        if self.want_pdf and "pdf" not in entry.blobs:
            return
        self.docx = entry.blobs["docx"]
        if self.fit:
            self.fit_told = json.loads(entry.blobs["fit"])
        self.pdf = _result(entry.blobs["pdf"], entry.warnings) if self.want_pdf else None
        self.done = True

    def finish(self, pdfs: _Pdfs) -> None:
        """Lay the document out and write its PDF (what :meth:`probe` did not find)."""
        if self.contents:
            _with_contents(self, pdfs)
        elif self.fit:
            self._fit(pdfs)
        else:
            self.pdf = pdfs.render(self.docx)
        self.done = True

    def _fit(self, pdfs: _Pdfs) -> None:
        """Lay the template's DOCX out, fit it (:func:`vanban.fitting.fit`) and write the PDF
        of the layout kept."""
        from vanban import fitting
        from vanban.render.pdf import lay_out

        def again(setting: Fit) -> bytes:
            context = self.out.context
            if setting.blank_rows is not None:
                context = self.out.extra["voi_dong_trong"](setting.blank_rows)
            return self._set(self.draft, context, setting)

        chosen = fitting.fit(self.draft, lay_out(self.draft), self.out.kind, again, lay_out,
                             self.out.extra.get("dong_trong"))
        assert chosen.laid is not None
        self.docx = chosen.docx
        self.pdf = chosen.laid.write() if self.want_pdf else None
        self._fitted(chosen, pdfs)

    def _fitted(self, chosen: Fitted, pdfs: _Pdfs) -> None:
        """Keep the fitting outcome `chosen` (its DOCX and PDF already in :attr:`docx` and
        :attr:`pdf`) and cache all three under :attr:`key`."""
        from vanban import fitting

        chosen.laid = None
        self.fitted = chosen
        self.fit_told = {"note": chosen.note(self.out.name),
                         "warnings": [fitting.warning(self.out.name, b) for b in chosen.after]}
        self._store(pdfs, fit=json.dumps(self.fit_told, sort_keys=True).encode())

    def _store(self, pdfs: _Pdfs, **more: bytes) -> None:
        """Cache the DOCX and PDF (and `more` blobs) under :attr:`key`."""
        blobs = {"docx": self.docx, **more,
                 **({"pdf": self.pdf.pdf} if self.pdf is not None else {})}
        pdfs.put(self.key, Entry(blobs, self.pdf.warnings if self.pdf is not None else []))

    def files(self, formats: Sequence[str]) -> list[tuple[str, bytes]]:
        out = [(f"{self.out.name}.docx", self.docx)] if "docx" in formats else []
        if "pdf" in formats and self.pdf is not None:
            out.append((f"{self.out.name}.pdf", self.pdf.pdf))
        return out

    def report(self, formats: Sequence[str]) -> Done:
        return Done(self.out.name, tuple(name for name, _ in self.files(formats)), self.seconds)

    @property
    def _limit(self) -> int:
        return int(self.out.extra["muc_luc_sau_trang"])

    def _entries(self) -> list[dict[str, str]]:
        from vanban.render.docx import toc_bookmark

        headings: list[str] = self.out.extra["muc_luc"]
        return [{"ten": h, "dau_trang": toc_bookmark(i)} for i, h in enumerate(headings, 1)]

    def _numbered(self, *pages: str) -> dict[str, object]:
        entries = self._entries()
        numbers = pages * len(entries) if len(pages) == 1 else pages
        return {**self.out.context, "muc_luc": [
            {**e, "trang": n} for e, n in zip(entries, numbers, strict=True)]}

    def _set(self, docx: bytes, context: dict[str, object], setting: Fit) -> bytes:
        """Return the DOCX of `context` set as `setting`, from `docx` (rendered from the same
        template and context without a setting) when the setting can be written into it
        (:func:`vanban.fitting.applied`: the same bytes), else rendered again with it."""
        from vanban import fitting

        patched = fitting.applied(docx, setting)
        return patched if patched is not None else self._render(context, setting)

    def _render(self, context: dict[str, object], setting: Fit | None = None) -> bytes:
        """Render the template with `context` (through the DOCX cache), set as `setting`."""
        if setting is not None and not setting.is_default:
            from vanban.render.docx import render_docx

            return render_docx(self.template, context, self.out.meta, self.kieu, fit=setting)
        store = self.store if self.store is not None else _Pdfs(False)
        return store.docx(self.template, context, self.out.meta, self.kieu)


def _result(pdf: bytes, warnings: list[str]) -> PdfResult:
    from vanban.render.pdf import PdfResult

    return PdfResult(pdf, warnings)


class _Pdfs:
    """Renders PDFs through the cache when it is on, straight through the engine when off."""

    def __init__(self, enabled: bool) -> None:
        self.store = Cache() if enabled else None
        self._fonts: bytes | None = None
        self._docx: bytes | None = None
        self.used = False

    def key(self, kind: str, *parts: bytes) -> str | None:
        """Return the cache key of `parts` drawn with the cut fonts; None when off.

        A PDF depends on its DOCX, the fonts and the renderer alone. A fitted document or a
        handout with its contents (kinds ``fit`` and ``contents``) depends as well on the code
        that chose its setting and rendered its DOCX again: all of vanban
        (:func:`~vanban.cache.docx_fingerprint`), so an edited fitting pass in a checkout is
        never served the old pass's entries.
        """
        if self.store is None:
            return None
        if self._fonts is None:
            self._fonts = font_fingerprint()
        self.used = True
        if kind == "pdf":
            return self.store.key(kind, self._fonts, *parts)
        if self._docx is None:
            self._docx = docx_fingerprint()
        return self.store.key(kind, self._fonts, self._docx, *parts)

    def get(self, key: str | None) -> Entry | None:
        return self.store.get(key) if self.store is not None and key else None

    def put(self, key: str | None, entry: Entry) -> None:
        if self.store is not None and key:
            self.store.put(key, entry)

    def docx(self, template: Path, context: dict[str, object], meta: Meta, kieu: str) -> bytes:
        """Return `template` rendered with `context`: from the cache when the same template
        bytes, data and vanban rendered it before, else rendered (and stored).

        A one-field edit so changes one document's DOCX only, and the others are not rendered
        again. Data that is not plain (:func:`vanban.cache.plain_bytes`) is always rendered.
        """
        key = self._docx_key(template, context, meta, kieu)
        entry = self.get(key)
        if entry is not None and "docx" in entry.blobs:
            return entry.blobs["docx"]
        from vanban.render.docx import render_docx

        data = render_docx(template, context, meta, kieu)
        self.put(key, Entry({"docx": data}, []))
        return data

    def _docx_key(self, template: Path, context: dict[str, object], meta: Meta,
                  kieu: str) -> str | None:
        if self.store is None:
            return None
        described = plain_bytes([context, meta, kieu])
        if described is None:
            return None
        try:
            source = read_regular(template, str(template))
        except (OSError, VanbanError):
            return None  # rendering reports it
        if self._docx is None:
            self._docx = docx_fingerprint()
        self.used = True
        return self.store.key("docx", self._docx, source, described)

    def cached(self, docx: bytes) -> PdfResult | None:
        """Return the cached PDF of `docx`, or None."""
        entry = self.get(self.key("pdf", docx))
        if entry is not None and "pdf" in entry.blobs:
            return _result(entry.blobs["pdf"], entry.warnings)
        return None

    def render(self, docx: bytes) -> PdfResult:
        """Return the PDF of `docx`: from the cache, else rendered (and stored)."""
        from vanban.render.pdf import docx_to_pdf

        found = self.cached(docx)
        if found is not None:
            return found
        result = docx_to_pdf(docx)
        self.put(self.key("pdf", docx), Entry({"pdf": result.pdf}, result.warnings))
        return result

    def close(self) -> None:
        """Keep the cache within its size once the build is done with it."""
        if self.store is not None and self.used:
            self.store.trim()


def _with_contents(job: _Job, pdfs: _Pdfs) -> None:
    """Add a table of contents to a document whose content runs past its page limit.

    The document is laid out once with the table in place. Its lines are PAGEREF fields to
    bookmarks on the headings, so that layout already shows the right numbers (the PDF
    engine computes them as Word does on F9), and the numbers it found are stored as the
    fields' results in the DOCX. The table ends with a page break, so the content's pages are
    those from the first heading on. Sets the job's DOCX, and its PDF when wanted. That PDF is
    written from the same layout when every line's number came from it (not from the draft),
    else rendered from the DOCX. The draft's DOCX and the page limit decide both, so they are
    cached together under those.

    With fitting (:mod:`vanban.fitting`), the handout is fitted as the clerk gets it. When
    the draft's content runs past the limit, the draft itself is fitted (the layout writes the
    real numbers in its table), so the fitted layout gives the table its numbers, and whether
    the table stays is decided on that layout: a fit that brings the content within the limit
    drops it, and the handout without it keeps the fit (unless it breaks worse without it).
    Otherwise the handout without a table is fitted (:func:`_fitted_without_contents`).
    """
    from vanban import fitting
    from vanban.render.pdf import lay_out

    laid = lay_out(job.draft)
    long, found = _runs_long(job, laid)
    chosen: Fitted | None = None
    own: LaidOut | None = None
    if job.fit and long:
        chosen = fitting.fit(job.draft, laid, job.out.kind,
                             lambda s: job._set(job.draft, job._first_context, s), lay_out)
        assert chosen.laid is not None
        laid = chosen.laid
        long, found = _runs_long(job, laid)
        if not long:
            own = _fitted_within(job, chosen)
            long = own is None
    elif job.fit:
        chosen = _fitted_without_contents(job)
        own = chosen.laid
    if long:
        setting = chosen.fit if chosen is not None else None
        job.docx = job._render(job._numbered(*(str(page) for _, page in found)), setting)
        # A template whose lines keep plain numbers (no PAGEREF) shows the draft's: lay it
        # out again.
        own = laid if laid.page_refs >= len(found) else None
    elif chosen is None:
        job.docx = job._render(job.out.context)
    if chosen is not None:
        chosen.docx = job.docx
    if job.want_pdf:
        job.pdf = own.write() if own is not None else pdfs.render(job.docx)
    if chosen is not None:
        job._fitted(chosen, pdfs)
    else:
        job._store(pdfs)


def _fitted_within(job: _Job, chosen: Fitted) -> LaidOut | None:
    """Set the handout without its table of contents, with the fit `chosen` that brought its
    content within the limit; return its layout, or None when it breaks worse than with the
    table (which it then keeps)."""
    from vanban import fitting
    from vanban.render.pdf import lay_out

    docx = job._render(job.out.context, chosen.fit)
    alone = lay_out(docx)
    chosen.layouts += 1
    breaks = fitting.find_breaks(fitting.read_pages(alone), job.out.kind)
    if len(breaks) > len(chosen.after):
        return None
    job.docx = docx
    chosen.after, chosen.pages = breaks, alone.pages
    return alone


def _fitted_without_contents(job: _Job) -> Fitted:
    """Fit a handout whose content keeps within the limit, without its table of contents.

    A fit that makes the body larger is checked on the draft: when the content would then
    run past the limit (the handout would need its table and a page more), the template's
    setting is kept.
    """
    from vanban import fitting
    from vanban.fitting import Fit
    from vanban.render.pdf import lay_out

    plain = job._render(job.out.context)
    first = lay_out(plain)
    chosen = fitting.fit(plain, first, job.out.kind,
                         lambda s: job._set(plain, job.out.context, s), lay_out)
    base = fitting.typography_of(first.package)
    if base is not None and fitting.grows(chosen.fit, base):
        check = lay_out(job._set(job.draft, job._first_context, chosen.fit))
        chosen.layouts += 1
        if _runs_long(job, check)[0]:
            chosen = fitting.Fitted(plain, first, Fit(), chosen.before, chosen.before,
                                    chosen.layouts, chosen.pages_before, None,
                                    chosen.pages_before, chosen.listed)
    job.docx = chosen.docx
    return chosen


def _runs_long(job: _Job, laid: LaidOut) -> tuple[bool, list[tuple[str, int]]]:
    """Tell whether the content of `laid` (a handout's draft) runs past the job's page limit;
    return that and the headings with their pages."""
    found = laid.outline()
    entries = len(job.out.extra["muc_luc"])
    if len(found) != entries:
        raise VanbanError(f"{job.out.name}: không dựng được mục lục (tìm thấy {len(found)} "
                          f"trong {entries} tiêu đề)")
    return laid.pages - (found[0][1] - 1) > job._limit, found


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
    workers: int | None = None,
    fit: bool = True,
    keep_same: bool = False,
) -> BuildResult:
    """Build the dossier at `hoso` into `out_dir` and return what was written.

    Every document (and its first page as a PNG when `png`) is rendered in memory first, and
    `progress` told as each one is done; files are written only when all succeeded, and
    existing files are kept unless `force`. The kinds and formats asked for, and the
    templates folder, are checked before the dossier. Without `cache`, no PDF comes from (or
    goes to) the PDF cache; `workers` is :func:`render`'s. `fit` runs the fitting pass
    (:mod:`vanban.fitting`). With `keep_same`, a file that already holds the bytes it would
    be given is left untouched (its date too, so a PDF viewer does not reload it).
    """
    from vanban.cache import Dossiers

    # A dossier built before with the same inputs is served whole (PNGs are always made).
    whole = Dossiers() if cache and not png else None
    options: dict[str, object] = {"only": sorted(only or []), "formats": list(formats),
                                  "fit": fit}
    found = whole.get(hoso, options, templates_dir) if whole is not None else None
    fitted: dict[str, Fitted] = {}
    notes: list[str] = []

    def refused(names: list[str]) -> None:
        # -- told before any document is made (or told made), not after a "Đã soạn" line
        # -- for each --
        if not force and not keep_same:
            suffixes = [*formats, *(["png"] if png and "pdf" in formats else [])]
            refuse_existing([Path(out_dir) / f"{name}.{suffix}" for name in names
                             for suffix in suffixes])

    if found is not None:
        files, warnings, problems = found.files, found.warnings, found.problems
        sources = [Path(hoso), *found.inputs]
        by_document = _by_document(files)
        refused([name for name, _ in by_document])
        if progress is not None:
            for name, names in by_document:
                progress(Done(name, names, 0.0))
    else:
        from vanban.loading import load

        check_call(only, formats, templates_dir)
        loaded = load(hoso)
        files, warnings = render(loaded, only=only, formats=formats,
                                 templates_dir=templates_dir, progress=progress, cache=cache,
                                 workers=workers, fit=fit, fitted=fitted, notes=notes,
                                 first=refused)
        problems = list(loaded.warnings)
        inputs = loaded.inputs()
        sources = [Path(hoso), *inputs]
        if whole is not None:
            whole.put(hoso, inputs, options, templates_dir, files, warnings, problems)
    if png and "pdf" not in formats:
        warnings.insert(0, "--png không có tác dụng: ảnh PNG chụp trang 1 của PDF, mà "
                           "--format không có pdf")
    if png:
        from vanban.render.png import first_page_png

        files += [(f"{name[:-4]}.png", first_page_png(data, name))
                  for name, data in files if name.endswith(".pdf")]
    folder = Path(out_dir)
    placed = [(folder / name, data) for name, data in files]
    kept = [path for path, data in placed if same_bytes(path, data)] if keep_same else []
    write_all([(path, data) for path, data in placed if path not in kept], force=force)
    return BuildResult(files=[path for path, _ in placed], warnings=warnings, problems=problems,
                       fitted=fitted, notes=notes, sources=sources, kept=kept)


def check_call(only: list[str] | None, formats: Sequence[str],
               templates_dir: str | os.PathLike[str] | None) -> None:
    """Raise on a mistake of the call itself, before any dossier is read: a kind or format
    that does not exist, a templates folder that is not there or holds no template."""
    from vanban import documents, resources

    documents.select(only)
    parse_formats(formats)
    resources.templates_dir(templates_dir)


def _by_document(files: list[tuple[str, bytes]]) -> list[tuple[str, tuple[str, ...]]]:
    """Group file names by document (their stem), in order."""
    groups: dict[str, list[str]] = {}
    for name, _ in files:
        groups.setdefault(Path(name).stem, []).append(name)
    return [(stem, tuple(names)) for stem, names in groups.items()]


def convert(
    paths: Sequence[str | os.PathLike[str]], *, force: bool = False, cache: bool = True
) -> BuildResult:
    """Convert existing DOCX files to PDF beside them (through the PDF cache with `cache`)."""
    from vanban.render.pdf import collecting_after

    sources = [Path(p) for p in paths]
    for path in sources:
        if path.suffix.lower() != ".docx":
            raise VanbanError(f"{path}: chỉ chuyển được tệp .docx")
    contents = [read_regular(path, str(path)) for path in sources]
    files: list[tuple[Path, bytes]] = []
    warnings: list[str] = []
    pdfs = _Pdfs(cache)
    for path, data in zip(sources, contents, strict=True):
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise VanbanError(f"{path}: không phải tệp Word .docx hợp lệ")
        try:
            with collecting_after():
                result = pdfs.render(data)
        except PdfError as e:
            raise PdfError(f"{path}: {e}") from None
        files.append((path.with_suffix(".pdf"), result.pdf))
        warnings.extend(f"{path.name}: {w}" for w in result.warnings)
    pdfs.close()
    return BuildResult(files=write_all(files, force=force), warnings=warnings)
