"""Time DOCX-to-PDF of one paragraph holding one unbroken word, doubling its length.

Usage: ``python benchmarks/bench_long_word.py [--start N] [--steps K]``.
Each line prints the time for a word of N characters and its ratio to the previous, shorter
word: about 2 when the work grows linearly with the word, about 4 when quadratically (as it
did when WeasyPrint laid out the whole rest of the word again for every line).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def document(length: int) -> bytes:
    """Return a DOCX whose one paragraph is a word of `length` letters."""
    import docx

    built = docx.Document()
    built.add_paragraph("Tân" * (length // 3))
    out = io.BytesIO()
    built.save(out)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--start", type=int, default=6_000)
    parser.add_argument("--steps", type=int, default=3)
    args = parser.parse_args()
    from vanban.render.pdf import docx_to_pdf

    docx_to_pdf(document(300))  # warm-up: fonts, WeasyPrint's imports
    previous = 0.0
    for step in range(args.steps):
        length = args.start * 2**step
        data = document(length)
        start = time.perf_counter()
        docx_to_pdf(data)
        seconds = time.perf_counter() - start
        ratio = f"  x{seconds / previous:4.1f} for twice the length" if previous else ""
        print(f"word of {length:>7} characters {seconds:7.2f} s{ratio}", flush=True)
        previous = seconds
    return 0


if __name__ == "__main__":
    sys.exit(main())
