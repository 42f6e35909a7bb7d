"""Benchmark: the work the fitting pass (issue #13) adds to a whole build, in instructions.

``bench_build.py`` times ``vanban build`` against ``vanban build --no-fit``; on this shared,
noisy machine the same code gives ratios a few hundredths apart from one run to the next,
about as much as the margin to the goal (the default build at most 15 % slower). Here each
build of a sample runs once under Valgrind (``cachegrind --cache-sim=no``), which counts the
instructions the process executes: the same input gives the same count give or take one or
two in a thousand (ratios 0.002 apart in two runs here), whatever else the machine does. The
ratio default / ``--no-fit`` is the work the pass adds. It leaves out what instructions do
not show: memory faults, caches, and two processes sharing the CPUs (so the builds run with
``-j 1``); ``bench_build.py`` measures those.

Valgrind runs a build about 20 times slower: a minute and a half per build here, the two
builds of a sample side by side. ``make bench`` installs it (Debian package ``valgrind``).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import sample_dossiers

ROOT = Path(__file__).resolve().parents[1]
GOAL = 1.15


def instructions(dossier: Path, out: Path, *extra: str) -> int:
    """Return the instructions one cold ``vanban build -j 1`` of `dossier` executes."""
    vanban = str(Path(sys.executable).with_name("vanban"))
    cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
           sys.executable, vanban, "build", str(dossier), "-o", str(out), "--no-cache",
           "-j", "1", *extra]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise RuntimeError(f"valgrind printed no instruction count:\n{done.stderr[-2000:]}")
    return int(found[1].replace(",", ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    sample_dossiers.add_option(parser)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind not found: install valgrind (make bench does)")
        return 1
    names = sample_dossiers.names(args.sample)
    work = Path(tempfile.mkdtemp(prefix="vanban-bench-work-"))
    # Every build cold and in its own process; the same hash seed, so the same dict orders.
    os.environ.update(VANBAN_CACHE_DIR=str(work / "cache"), VANBAN_CHO_SAN="0",
                      PYTHONHASHSEED="0")
    try:
        for name in names:
            dossier = ROOT / "samples" / name / "hoso.yaml"
            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                fit = pool.submit(instructions, dossier, work / name / "fit")
                plain = pool.submit(instructions, dossier, work / name / "no-fit", "--no-fit")
                counts = fit.result(), plain.result()
            ratio = counts[0] / counts[1]
            print(f"== {name}: instructions of vanban build -j 1, default / --no-fit: "
                  f"{counts[0] / 1e9:.2f} / {counts[1] / 1e9:.2f} G = {ratio:.3f} "
                  f"(goal <= {GOAL})", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
