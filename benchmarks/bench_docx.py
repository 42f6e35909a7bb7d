"""Benchmark: DOCX building with vanban against bare docxtpl on the same templates.

Both sides run in this one process, interleaved, on every state document of a sample dossier:
- baseline: ``DocxTemplate(path).render(context)`` then ``save`` — what a script using docxtpl
  directly would do, with the contexts vanban built;
- vanban: ``vanban.build.render(..., formats=["docx"])`` — context building, strict rendering,
  text normalisation, rule sizing, metadata and the deterministic zip.
Prints ms per document and the ratio (goal: at most 1.2).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

from docxtpl import DocxTemplate

from vanban import documents, resources
from vanban.build import render
from vanban.loading import load

ROOT = Path(__file__).resolve().parents[1]
STATE_KINDS = [
    "quyet-dinh-thanh-lap-ban-dieu-hanh",
    "quyet-dinh-ban-hanh-quy-che",
    "quy-che",
    "bien-ban",
]


def bare(outputs: list[documents.Output]) -> None:
    for out in outputs:
        tpl = DocxTemplate(resources.template_path(out.template))
        tpl.render(out.context)
        tpl.save(io.BytesIO())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sample", default="tan-tho-2023")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    loaded = load(ROOT / "samples" / args.sample / "hoso.yaml")
    outputs = documents.collect(loaded, STATE_KINDS)
    n = len(outputs)
    # Warm both paths (imports, font metrics, template caches).
    bare(outputs)
    render(loaded, only=STATE_KINDS, formats=["docx"])
    base, ours = [], []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        bare(outputs)
        t1 = time.perf_counter()
        render(loaded, only=STATE_KINDS, formats=["docx"])
        t2 = time.perf_counter()
        base.append((t1 - t0) / n * 1000)
        ours.append((t2 - t1) / n * 1000)
    b, o = statistics.median(base), statistics.median(ours)
    print(f"documents per round: {n} ({args.sample}), rounds: {args.rounds}")
    print(f"bare docxtpl : {b:7.1f} ms/document (median)")
    print(f"vanban docx  : {o:7.1f} ms/document (median)")
    print(f"ratio        : {o / b:7.2f}  (goal <= 1.20)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
