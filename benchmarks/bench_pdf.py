"""Time DOCX-to-PDF: naive WeasyPrint against our pipeline (cut fonts, shared configuration).

Usage: ``python benchmarks/bench_pdf.py [--rounds N] [--fonttools] [FILE.docx ...]``.
Without files it builds the test fixtures (tests/render/conftest.py). ``--fonttools``
also times both pipelines with WeasyPrint's fontTools subsetter, i.e. on a machine
without HarfBuzz-subset.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def fixtures() -> dict[str, bytes]:
    from tests.render.conftest import BUILDERS

    return {name: build() for name, build in BUILDERS.items()}


def peak_rss_mb() -> float:
    # ru_maxrss is in kibibytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(
    label: str,
    documents: dict[str, bytes],
    render: Callable[[bytes], bytes],
    rounds: int,
    verbose: bool = False,
) -> float:
    """Print and return the median milliseconds per document (after one warm-up pass)."""
    sizes = {name: len(render(data)) for name, data in documents.items()}
    times = []
    for _ in range(rounds):
        for data in documents.values():
            start = time.perf_counter()
            render(data)
            times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    per_doc = {
        name: statistics.median(times[i :: len(documents)]) for i, name in enumerate(documents)
    }
    print(
        f"{label:<44} {median:7.1f} ms/doc  (min {min(times):6.1f}, max {max(times):6.1f})"
        f"  PDF {sum(sizes.values()) / len(sizes) / 1024:6.1f} KiB  "
        f"peak RSS {peak_rss_mb():6.1f} MiB"
    )
    if verbose:
        for name, value in per_doc.items():
            print(f"    {name:<40} {value:7.1f} ms")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument(
        "--fonttools", action="store_true", help="also time with WeasyPrint's fontTools subsetter"
    )
    args = parser.parse_args()

    import weasyprint
    import weasyprint.pdf.fonts

    from vanban.render import pdf
    from vanban.render.html import docx_to_html
    from vanban.render.pdf import docx_to_pdf

    documents = {p.name: p.read_bytes() for p in args.files} if args.files else fixtures()
    print(f"{len(documents)} documents, {args.rounds} rounds, WeasyPrint {weasyprint.__version__}")
    print(f"peak RSS before rendering: {peak_rss_mb():.1f} MiB")

    def naive(data: bytes) -> bytes:
        # Our translation, then WeasyPrint with its defaults: a new font configuration,
        # system fonts ("Times New Roman" as fontconfig resolves it), subsetting per document.
        return weasyprint.HTML(string=docx_to_html(data).html).write_pdf()

    def ours(data: bytes) -> bytes:
        return docx_to_pdf(data).pdf

    def engine_alone(engine: pdf._Engine, data: bytes) -> bytes:
        html = docx_to_html(data, font_family=pdf._FontMapper(engine.fonts)).html
        watch = engine.watch()
        return engine.write(engine.layout(html, watch), html, watch)[0]

    def ours_full_fonts(data: bytes) -> bytes:
        return engine_alone(dataclasses.replace(pdf._engine(), full_fonts=True), data)

    start = time.perf_counter()
    docx_to_pdf(next(iter(documents.values())))
    print(
        f"first document, cold (fonts found, cut or read from cache, configuration built): "
        f"{(time.perf_counter() - start) * 1000:.0f} ms"
    )
    translate = measure(
        "translate only (docx_to_html)",
        documents,
        lambda d: docx_to_html(d).html.encode(),
        args.rounds,
    )
    a = measure("(a) naive WeasyPrint", documents, naive, args.rounds)
    b = measure(
        f"(b) ours, warm (full_fonts={pdf._engine().full_fonts})",
        documents,
        ours,
        args.rounds,
        verbose=True,
    )
    c = measure("(c) ours, warm, cut faces embedded whole", documents, ours_full_fonts, args.rounds)
    print(f"ratio naive / ours: {a / b:.2f}x   (translation is {translate:.1f} ms of {b:.1f})")
    print(f"ratio whole cut faces / ours: {c / b:.2f}x")
    if args.fonttools:
        weasyprint.pdf.fonts.harfbuzz_subset = None
        import logging

        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        a2 = measure("(a') naive, fontTools subsetting", documents, naive, args.rounds)
        b2 = measure(
            "(b') ours, subset with fontTools",
            documents,
            lambda d: engine_alone(dataclasses.replace(pdf._engine(), full_fonts=False), d),
            args.rounds,
        )
        print(
            f"without HarfBuzz-subset: naive {a2:.1f} ms, ours (whole cut faces) {c:.1f} ms, "
            f"ours subsetting the cut faces {b2:.1f} ms; ratio {a2 / c:.2f}x"
        )


if __name__ == "__main__":
    main()
