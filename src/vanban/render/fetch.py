"""What WeasyPrint may load while it lays out a document: only what vanban put into the HTML.

A DOCX is data from another office. The HTML made from it carries its pictures as ``data:`` URIs
and refers to vanban's own cut fonts; an SVG picture may still name other resources (``<image
href="http://…">``, ``xlink:href``, a ``<pattern>``, an ``@font-face`` or ``@import`` in its
style sheet, ``file:///…``). WeasyPrint would fetch them from the network or read them from the
disk and embed them in the PDF. :class:`Fetcher` serves ``data:`` URIs and the font files it is
given, and refuses every other URL, remembering each for one warning.

Imported only where WeasyPrint is (:mod:`vanban.render.pdf`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from weasyprint.urls import URLFetcher, URLFetcherResponse


def _key(url: str) -> str:
    return unquote(url.split("?", 1)[0].split("#", 1)[0])


class Fetcher(URLFetcher):
    """A URL fetcher that serves ``data:`` URIs and the given files, and nothing else."""

    def __init__(self, files: Iterable[Path] = ()) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        self._files = {_key(path.as_uri()): path for path in files}
        #: Every URL refused, in order, once each.
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Return the resource at `url` when it is allowed; raise :class:`ValueError` otherwise."""
        if url[:5].lower() == "data:":
            return super().fetch(url, headers)
        path = self._files.get(_key(url))
        if path is not None:
            return URLFetcherResponse(url, path.read_bytes())
        if url not in self.refused:
            self.refused.append(url)
        raise ValueError(f"vanban loads no resource from outside the document: {url}")

    def warnings(self) -> list[str]:
        """Return one Vietnamese warning per refused URL."""
        return [
            f"bỏ qua tham chiếu ngoài “{_shown(url)}” (ảnh SVG trong tệp DOCX): vanban không tải "
            "gì từ mạng hay từ tệp ngoài tệp DOCX"
            for url in self.refused
        ]


def _shown(url: str) -> str:
    return url if len(url) <= 100 else url[:97] + "…"


__all__ = ["Fetcher"]
