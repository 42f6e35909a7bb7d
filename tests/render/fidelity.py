"""Compare PDFs with LibreOffice's rendering of the same DOCX (soffice + poppler-utils).

Reusable on real generated documents::

    lo = libreoffice_pdfs([docx_path], tmp_path)[docx_path]
    assert page_count(ours) == page_count(lo)
    assert words(ours) == words(lo)
    assert abs(left_edge_mm(pages(ours)[0]) - 30) <= 1
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import unicodedata
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest

#: Skips a test on a machine without poppler-utils.
needs_poppler = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdftotext", "pdfinfo", "pdffonts")),
    reason="poppler-utils is not installed",
)
#: Points per millimetre.
MM = 72 / 25.4
_XHTML = "{http://www.w3.org/1999/xhtml}"
#: Tab leader fill (a table of contents): three or more dots, middle dots or underscores,
#: joined (LibreOffice) or extracted as separate glyphs (WeasyPrint).
_LEADER = re.compile(r"[.…·_](?:\s*[.…·_]){2,}")


def have_libreoffice() -> bool:
    """Tell whether soffice and the poppler tools are on PATH."""
    return all(shutil.which(tool) for tool in ("soffice", "pdftotext", "pdfinfo"))


def libreoffice_pdfs(
    docx_paths: Sequence[Path], outdir: Path, timeout: int = 300
) -> dict[Path, Path]:
    """Convert every DOCX with one soffice call (much faster than one call each).

    A private user profile under `outdir` keeps the call independent of any running
    LibreOffice. Returns the PDF of each input path.
    """
    return libreoffice_convert(docx_paths, outdir, "pdf", timeout)


def libreoffice_convert(
    paths: Sequence[Path], outdir: Path, to: str, timeout: int = 300
) -> dict[Path, Path]:
    """Convert every file to format `to` ("pdf"; "docx": open and save) with one soffice call.

    `outdir` must not hold the inputs (a DOCX saved as DOCX keeps its name). Returns the
    converted file of each input path.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    profile = (outdir / ".lo-profile").resolve().as_uri()
    command = [
        "soffice",
        f"-env:UserInstallation={profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        to,
        "--outdir",
        str(outdir),
        *map(str, paths),
    ]
    env = {**os.environ, "SAL_USE_VCLPLUGIN": "svp"}
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )
    out = {}
    for path in paths:
        converted = outdir / f"{Path(path).stem}.{to}"
        if not converted.is_file():
            raise RuntimeError(f"soffice did not convert {path}: {done.stderr.strip()}")
        out[Path(path)] = converted
    return out


def inflated(data: bytes) -> Iterator[bytes]:
    """Yield the raw and inflated streams of a PDF (for objects pdfinfo does not show)."""
    yield data
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            yield zlib.decompress(match.group(1))
        except zlib.error:
            continue


def page_count(pdf: Path) -> int:
    """Return the number of pages (pdfinfo)."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    match = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    if match is None:
        raise ValueError(f"pdfinfo gave no page count for {pdf}")
    return int(match.group(1))


def pdf_info(pdf: Path) -> dict[str, str]:
    """Return pdfinfo's fields (Title, Author, Subject, Keywords, CreationDate, …)."""
    info = subprocess.run(
        ["pdfinfo", "-isodates", str(pdf)], capture_output=True, text=True, check=True
    )
    fields = {}
    for line in info.stdout.splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


def text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    """Return pdftotext's text (reading order), NFC-normalised."""
    command = ["pdftotext", "-enc", "UTF-8"]
    if first is not None:
        command += ["-f", str(first)]
    if last is not None:
        command += ["-l", str(last)]
    done = subprocess.run([*command, str(pdf), "-"], capture_output=True, check=True)
    return unicodedata.normalize("NFC", done.stdout.decode("utf-8"))


def normalise(value: str) -> list[str]:
    """Split text into words: NFC, whitespace (incl. no-break space) collapsed, leaders dropped."""
    value = unicodedata.normalize("NFC", value).replace("\u00ad", "")
    return _LEADER.sub(" ", value).split()


def words(pdf: Path) -> list[str]:
    """Return the words of the whole document in reading order."""
    return normalise(text(pdf))


@dataclass(frozen=True)
class Word:
    """One word with its box in points (origin top left, y down)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    """One page of ``pdftotext -bbox`` output."""

    number: int
    width: float
    height: float
    words: tuple[Word, ...]

    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def band(self, top_mm: float | None = None, bottom_mm: float | None = None) -> list[Word]:
        """Return the words centred between `top_mm` and `bottom_mm` from the top edge.

        Centres, not box edges: producers disagree on how tall a word's box is.
        """
        top = -1.0 if top_mm is None else top_mm * MM
        bottom = self.height + 1 if bottom_mm is None else bottom_mm * MM
        return [w for w in self.words if top <= (w.y0 + w.y1) / 2 <= bottom]


def lines(found: Sequence[Word], tolerance_pt: float = 2.5) -> list[list[Word]]:
    """Group words into lines by their vertical centres, each line sorted left to right.

    Producers draw word boxes of different heights, which moves pdftotext's reading
    order between table columns; grouping by geometry gives both PDFs the same order.
    """
    out: list[list[Word]] = []
    start = None
    for word in sorted(found, key=lambda w: ((w.y0 + w.y1) / 2, w.x0)):
        centre = (word.y0 + word.y1) / 2
        if start is None or centre - start > tolerance_pt:
            out.append([])
            start = centre
        out[-1].append(word)
    return [sorted(line, key=lambda w: w.x0) for line in out]


def line_words(
    page: Page, top_mm: float | None = None, bottom_mm: float | None = None
) -> list[str]:
    """Return the normalised words of a page (or a band of it) line by line."""
    ordered = [w.text for line in lines(page.band(top_mm, bottom_mm)) for w in line]
    return normalise(" ".join(ordered))


def matched_words(ours: Page, theirs: Page) -> list[tuple[Word, Word]]:
    """Pair the words two renderings of a page share, compared line by line in order.

    Leader fill is left out. Use the pairs to measure how far each word moved.
    """

    def ordered(page: Page) -> list[Word]:
        return [w for line in lines(page.words) for w in line if normalise(w.text) == [w.text]]

    mine, other = ordered(ours), ordered(theirs)
    matcher = difflib.SequenceMatcher(
        a=[w.text for w in mine], b=[w.text for w in other], autojunk=False
    )
    return [
        (mine[block.a + k], other[block.b + k])
        for block in matcher.get_matching_blocks()
        for k in range(block.size)
    ]


def pages(pdf: Path) -> list[Page]:
    """Return every page with its words and their boxes."""
    done = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    )
    root = ElementTree.fromstring(done.stdout)
    out = []
    for number, page in enumerate(root.iter(f"{_XHTML}page"), start=1):
        found = tuple(
            Word(
                unicodedata.normalize("NFC", w.text or ""),
                float(w.get("xMin", 0)),
                float(w.get("yMin", 0)),
                float(w.get("xMax", 0)),
                float(w.get("yMax", 0)),
            )
            for w in page.iter(f"{_XHTML}word")
        )
        out.append(Page(number, float(page.get("width", 0)), float(page.get("height", 0)), found))
    return out


def page_of(all_pages: Sequence[Page], phrase: str) -> int | None:
    """Return the number of the first page whose text contains `phrase` (words compared)."""
    wanted = " ".join(normalise(phrase))
    for page in all_pages:
        if wanted in " ".join(normalise(page.text())):
            return page.number
    return None


def left_edge_mm(page: Page, top_mm: float | None = None, bottom_mm: float | None = None) -> float:
    """Return the leftmost word edge of the page (or of a band of it) in millimetres."""
    found = page.band(top_mm, bottom_mm)
    if not found:
        raise ValueError(f"no words on page {page.number} in that band")
    return min(w.x0 for w in found) / MM


def top_margin_number(page: Page, margin_mm: float) -> str | None:
    """Return the page number printed in the top margin, or None when there is none."""
    found = [w for w in page.band(None, margin_mm) if w.text.strip()]
    joined = "".join(w.text for w in found)
    return joined if joined.isdigit() else None


def centre_mm(found: Sequence[Word]) -> float:
    """Return the horizontal centre of a group of words in millimetres."""
    return (min(w.x0 for w in found) + max(w.x1 for w in found)) / 2 / MM
