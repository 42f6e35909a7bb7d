"""WeasyPrint alone on vanban's translated HTML: the floor of any build through that engine.

Usage: ``python benchmarks/engine_alone.py HTML_DIR [--workers N] [--full-fonts] [--as-vanban]``.

``HTML_DIR`` holds the HTML that vanban's translator made from each DOCX (``*.html``) and the
font rules (``fonts.css``); ``bench_build.py`` writes them. This process does only what the
engine must do for those documents: import WeasyPrint, lay every document out once and
write its PDF (to memory), with vanban's settings (``vanban.render.pdf``): the cut faces
embedded whole (``--full-fonts``, which ``bench_build.py`` passes when vanban's engine does so:
when WeasyPrint cannot subset with HarfBuzz), PDF 1.7, a fixed file identifier. No YAML, no DOCX, no translation. With ``--workers 2`` the
documents are shared out (largest first) between this process and forked children after the
import, which is the most a pool of processes could gain.

With ``--as-vanban`` the engine is driven as vanban drives it: the HTML is read with the XML
parser (:func:`vanban.render.html.parse`, instead of WeasyPrint's HTML5 parser), the page
references (a contents' numbers) are laid out with the numbers the DOCX stores and checked
against the layout (``vanban.render.pdf._page_refs``), and each tab leader is drawn as one run
of text (``vanban.render.pdf._join_leaders``). Without it, WeasyPrint does everything itself,
as any other program handing it the same HTML would: it numbers the page references itself
(``target-counter``: their numbers are taken out of the HTML).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("html_dir", type=Path)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--full-fonts", action="store_true",
                        help="embed the fonts whole, as vanban does without HarfBuzz subsetting")
    parser.add_argument("--as-vanban", action="store_true",
                        help="parse the HTML and join the leaders' dots as vanban does")
    args = parser.parse_args()
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    config = FontConfiguration()
    stylesheet = weasyprint.CSS(
        string=(args.html_dir / "fonts.css").read_text("utf-8"), font_config=config
    )
    files = sorted(args.html_dir.glob("*.html"), key=lambda p: -p.stat().st_size)
    shares: list[list[Path]] = [[] for _ in range(max(args.workers, 1))]
    sizes = [0] * len(shares)
    for path in files:
        least = sizes.index(min(sizes))
        shares[least].append(path)
        sizes[least] += path.stat().st_size

    from vanban.render.pdf import _PAGE_REF_CLASS

    fetcher = weasyprint.HTML(string="").url_fetcher  # WeasyPrint's default, in any version

    def source(html: str) -> weasyprint.HTML:
        if not args.as_vanban:
            from vanban.render.pdf import _unnumbered

            return weasyprint.HTML(string=_unnumbered(html))
        from vanban.render.html import parse
        from vanban.render.pdf import _parsed

        tree = parse(html)
        return weasyprint.HTML(string=html) if tree is None else _parsed(tree, fetcher)

    def render(paths: list[Path]) -> None:
        for path in paths:
            html = path.read_text("utf-8")
            document = source(html).render(font_config=config, stylesheets=[stylesheet])
            if args.as_vanban and _PAGE_REF_CLASS in html:
                from vanban.render.pdf import _overwrite, _page_refs

                for box, _target, number in _page_refs(document):
                    _overwrite(box, number)
            if args.as_vanban and "content:leader(" in html:
                from vanban.render.pdf import _join_leaders

                _join_leaders(document)
            document.write_pdf(
                full_fonts=args.full_fonts, pdf_version="1.7", pdf_identifier=b"0" * 32
            )

    children = []
    for share in shares[1:]:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                render(share)
                code = 0
            finally:
                os._exit(code)  # never run the parent's clean-up twice
        children.append(pid)
    render(shares[0])
    failed = [pid for pid in children if os.waitpid(pid, 0)[1]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
