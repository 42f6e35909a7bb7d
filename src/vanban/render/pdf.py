"""Render a DOCX to PDF: translate it to HTML, then lay it out with WeasyPrint.

WeasyPrint is imported inside functions only, so that importing :mod:`vanban.cli`
(and writing DOCX files) works on machines without Pango.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import io
import logging
import sys
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vanban import __version__
from vanban.errors import PdfError
from vanban.render.fonts import FontSet, font_set
from vanban.render.html import docx_to_html

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.document import Document
    from weasyprint.text.fonts import FontConfiguration

#: DOCX font names drawn with the cut Times New Roman (or its metric twin).
SERIF_NAMES = frozenset({"times new roman", "liberation serif", "times", "tinos"})


@dataclass(frozen=True)
class PdfResult:
    """A rendered PDF and the translator's and renderer's warnings."""

    pdf: bytes
    warnings: list[str]


def docx_to_pdf(docx: bytes) -> PdfResult:
    """Render DOCX bytes `docx` to PDF bytes; the same input gives the same bytes."""
    return lay_out(docx).write()


#: Paragraph styles that become PDF bookmarks, and so the handouts' table of contents.
OUTLINE_STYLES = {"VB Phần": 1, "VB Mục": 2}
_OUTLINE_CSS = "".join(
    f'[data-style="{name}"] {{ bookmark-level: {level}; bookmark-label: content(text); }}'
    for name, level in OUTLINE_STYLES.items()
)


@dataclass
class LaidOut:
    """A translated and laid-out document, not yet written as PDF."""

    document: Document
    html: str
    #: How many PAGEREF fields show the laid-out page number (not their stored result).
    page_refs: int
    warnings: list[str]

    @property
    def pages(self) -> int:
        """Return the page count."""
        return len(self.document.pages)

    def outline(self) -> list[tuple[str, int]]:
        """Return the headings (styles in :data:`OUTLINE_STYLES`) with their page numbers."""
        found: list[tuple[str, int]] = []

        def walk(marks: list) -> None:
            # Each bookmark is (label, (page index, x, y), children, state).
            for label, (page, _x, _y), children, _state in marks:
                found.append((" ".join(label.split()), page + 1))
                walk(children)

        walk(self.document.make_bookmark_tree())
        return found

    def write(self) -> PdfResult:
        """Write the PDF; the same document gives the same bytes."""
        pdf, warnings = _engine().write(self.document, self.html)
        return PdfResult(pdf, list(dict.fromkeys(self.warnings + warnings)))


def lay_out(docx: bytes) -> LaidOut:
    """Translate DOCX bytes `docx` and lay the result out in pages."""
    engine = _engine()
    fonts = _FontMapper(engine.fonts)
    translated = docx_to_html(docx, font_family=fonts)
    document, render_warnings = engine.layout(translated.html)
    warnings = translated.warnings + fonts.warnings + render_warnings
    return LaidOut(document, translated.html, translated.page_refs, warnings)


class _FontMapper:
    """Maps every DOCX font name to the cut serif, noting names that are not that serif."""

    def __init__(self, fonts: FontSet) -> None:
        self.family = f'"{fonts.css_family}"'
        self.source = fonts.family
        self.warnings: list[str] = []

    def __call__(self, name: str) -> str:
        if name.lower() not in SERIF_NAMES:
            message = f"phông {name} không có: dùng {self.source}"
            if message not in self.warnings:
                self.warnings.append(message)
        return self.family


@dataclass
class _Engine:
    """What every document in a process reuses: faces, font configuration, base CSS."""

    fonts: FontSet
    font_config: FontConfiguration
    stylesheet: CSS
    #: Embed the cut faces whole instead of subsetting them per document.
    full_fonts: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def layout(self, html: str) -> tuple[Document, list[str]]:
        """Lay out `html`; return the laid-out document with WeasyPrint's own warnings."""
        import weasyprint

        collector = _LogCollector()
        logger = logging.getLogger("weasyprint")
        # One FontConfiguration is not safe to share between threads at once.
        with self.lock:
            logger.addHandler(collector)
            try:
                document = weasyprint.HTML(string=html).render(
                    font_config=self.font_config, stylesheets=[self.stylesheet]
                )
            except Exception as exc:  # WeasyPrint raises many kinds; the clerk needs one.
                raise PdfError(f"không tạo được PDF: {exc}") from exc
            finally:
                logger.removeHandler(collector)
        return document, collector.messages

    def write(self, document: Document, html: str) -> tuple[bytes, list[str]]:
        """Write laid-out `document` (from `html`) as PDF; return it with warnings."""
        collector = _LogCollector()
        logger = logging.getLogger("weasyprint")
        with self.lock:
            logger.addHandler(collector)
            try:
                pdf = document.write_pdf(
                    full_fonts=self.full_fonts,
                    pdf_version="1.7",
                    pdf_identifier=_identifier(html),
                )
            except Exception as exc:  # WeasyPrint raises many kinds; the clerk needs one.
                raise PdfError(f"không tạo được PDF: {exc}") from exc
            finally:
                logger.removeHandler(collector)
        warnings = collector.messages
        foreign = sorted(
            {font.family for font in document.fonts.values()} - {self.fonts.css_family}
        )
        warnings += [f"ký tự ngoài bộ phông: dùng phông {name}" for name in foreign]
        return pdf, warnings


def _identifier(html: str) -> bytes:
    """Return the PDF file identifier: a hash of the content, so equal input, equal bytes."""
    return hashlib.sha256(f"vanban {__version__}\n{html}".encode()).hexdigest()[:32].encode()


class _LogCollector(logging.Handler):
    """Keeps WeasyPrint's warnings for the caller instead of printing them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"WeasyPrint: {record.getMessage()}")


_lock = threading.Lock()
_cached: _Engine | None = None


def _engine() -> _Engine:
    global _cached
    with _lock:
        if _cached is None:
            _import_weasyprint()
            from weasyprint import CSS
            from weasyprint.text.fonts import FontConfiguration

            fonts = font_set()
            config = FontConfiguration()
            stylesheet = CSS(string=fonts.font_face_css() + _OUTLINE_CSS, font_config=config)
            _cached = _Engine(fonts, config, stylesheet, full_fonts=not _fast_subsetting())
            # Release it while the interpreter is whole: FontConfiguration.__del__ removes
            # its temporary folder and fails noisily once shutil is torn down.
            atexit.register(reset)
        return _cached


def import_engine() -> None:
    """Import WeasyPrint now (a process about to fork workers shares it with them)."""
    with _lock:
        _import_weasyprint()


def prepare() -> None:
    """Make the engine ready now (a process about to fork a helper shares it with it)."""
    _engine()


def made() -> object | None:
    """Return the engine if it was made (a forked process tells an inherited one apart)."""
    return _cached


def _import_weasyprint() -> None:
    """Import WeasyPrint, skipping ctypes' library search where it only wastes time.

    WeasyPrint's loader tries several names per library; on Linux each name that is not a
    file name costs ``ctypes.util.find_library`` runs of ldconfig and gcc (about 0.2 s in
    all), though the ``.so.N`` name among them loads directly. So the import is tried first
    without the search; only if that fails is it made again the ordinary way.
    """
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint  # noqa: F401

        return
    import ctypes.util

    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        # WeasyPrint prints its installation advice before failing; the retry shows it.
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint  # noqa: F401
        return
    except OSError:
        for name in [m for m in sys.modules if m.split(".")[0] == "weasyprint"]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = search
    import weasyprint  # noqa: F401, F811


def _fast_subsetting() -> bool:
    """Tell whether WeasyPrint subsets fonts with HarfBuzz rather than with fontTools.

    Subsetting with fontTools costs about 100 ms per face and document, which is
    why the faces are cut once in advance: then embedding the cut faces whole
    (``full_fonts``) is cheaper. HarfBuzz subsets a cut face in about a millisecond
    and gives a PDF ten times smaller, so it is preferred when WeasyPrint can use it
    (the same test as ``weasyprint.pdf.fonts.Font.subset``).
    """
    try:
        from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

        return bool(harfbuzz_subset) and bool(harfbuzz.hb_version_atleast(4, 1, 0))
    except (ImportError, AttributeError, OSError):
        return False


def reset() -> None:
    """Forget the cached engine (after the installed fonts changed)."""
    global _cached
    with _lock:
        _cached = None


__all__ = [
    "OUTLINE_STYLES", "LaidOut", "PdfResult", "docx_to_pdf", "import_engine", "lay_out",
    "made", "prepare", "reset",
]
