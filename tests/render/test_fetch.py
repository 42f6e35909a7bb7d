"""PDF rendering loads nothing from the network or the disk that a DOCX names (issue #9)."""

from __future__ import annotations

import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.render import fidelity
from tests.render.conftest import docx_with_picture, tiny_png
from vanban.render.pdf import docx_to_pdf


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection it receives."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.socket.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.received.append(conn.recv(4096) or b"<connection>")
                except OSError:
                    self.received.append(b"<connection>")

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def docx_with_svg(svg: str) -> bytes:
    """Return a DOCX whose only picture is the SVG `svg` (as Word stores an SVG picture)."""
    return docx_with_picture(svg.encode(), "svg", "image/svg+xml")


SVG = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
       'width="100" height="50" viewBox="0 0 100 50">{}</svg>')
#: One way each for an SVG picture to name a resource. ``URL`` becomes the listener's address.
REFERENCES = {
    "image-href": '<image href="URL/a.png" width="20" height="20"/>',
    "image-xlink-href": '<image xlink:href="URL/b.png" width="20" height="20"/>',
    "pattern": '<defs><pattern id="p" width="10" height="10" patternUnits="userSpaceOnUse">'
               '<image href="URL/c.png" width="10" height="10"/></pattern></defs>'
               '<rect width="100" height="50" fill="url(#p)"/>',
    "font-face": '<style>@font-face { font-family: Xa; src: url("URL/d.ttf"); } '
                 'text { font-family: Xa; }</style><text x="5" y="30">Chữ</text>',
}


@pytest.mark.parametrize("kind", list(REFERENCES), ids=list(REFERENCES))
def test_an_svg_picture_reaches_no_server(listener: Listener, kind: str) -> None:
    url = f"http://127.0.0.1:{listener.port}"
    result = docx_to_pdf(docx_with_svg(SVG.format(REFERENCES[kind].replace("URL", url))))
    assert result.pdf.startswith(b"%PDF-")
    assert listener.received == []
    refused = [w for w in result.warnings if w.startswith("bỏ qua tham chiếu ngoài")]
    assert len(refused) == 1, result.warnings
    assert f"“{url}/" in refused[0]
    assert not [w for w in result.warnings if url in w and w not in refused], result.warnings


def test_every_reference_is_refused_once(listener: Listener) -> None:
    url = f"http://127.0.0.1:{listener.port}"
    body = "".join(REFERENCES.values()) + REFERENCES["image-href"]  # one of them twice
    result = docx_to_pdf(docx_with_svg(SVG.format(body.replace("URL", url))))
    assert listener.received == []
    refused = [w for w in result.warnings if w.startswith("bỏ qua tham chiếu ngoài")]
    assert len(refused) == len(REFERENCES), result.warnings
    assert all("vanban không tải gì từ mạng" in w for w in refused)


@fidelity.needs_poppler
def test_a_local_file_named_by_an_svg_is_not_embedded(tmp_path: Path) -> None:
    secret = tmp_path / "bi-mat.png"
    secret.write_bytes(tiny_png(16, 16))
    svg = SVG.format(f'<image href="{secret.as_uri()}" width="50" height="50"/>'
                     f'<image xlink:href="{secret.as_uri()}" x="50" width="50" height="50"/>')
    result = docx_to_pdf(docx_with_svg(svg))
    path = tmp_path / "out.pdf"
    path.write_bytes(result.pdf)
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert images == []
    assert [w for w in result.warnings if secret.as_uri() in w] == [
        f"bỏ qua tham chiếu ngoài “{secret.as_uri()}” (ảnh SVG trong tệp DOCX): vanban không tải "
        "gì từ mạng hay từ tệp ngoài tệp DOCX"
    ]


def test_the_svg_picture_itself_is_still_drawn() -> None:
    svg = SVG.format('<rect width="100" height="50" fill="#c00"/>')
    result = docx_to_pdf(docx_with_svg(svg))
    assert not [w for w in result.warnings if "tham chiếu ngoài" in w]
    assert any(b"0.8 0 0 rg" in stream for stream in fidelity.inflated(result.pdf))
