"""Run every benchmark in turn (``make bench``); each prints ratios measured in its own run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    "bench_docx.py",
    "bench_pdf.py",
    "bench_build.py",
    "bench_fit_work.py",
    "bench_long_word.py",
    "bench_sign.py",
    "bench_register.py",
    "bench_rebuild.py",
    "bench_batch.py",
]


def main() -> int:
    status = 0
    for name in BENCHMARKS:
        print(f"== {name}", flush=True)
        status |= subprocess.run([sys.executable, str(HERE / name)], check=False).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
