"""Benchmark: a whole dossier, DOCX and PDF, in one ``vanban build`` against LibreOffice.

Both are measured in this run, alternately, as separate processes (so start-up is counted for
both): ``vanban build`` writing every DOCX and PDF of a sample, and ``soffice --headless
--convert-to pdf`` converting those same DOCX files in one call. Prints the medians, the ratio
(goal: at most 0.7) and the peak memory of the vanban process (goal: at most 120 MiB).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run `cmd`; return (seconds, peak RSS in MiB) of that child alone."""
    code = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "dt = time.perf_counter() - t\n"
        "print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, *cmd], check=True, capture_output=True,
                         text=True, env=env).stdout.split()
    return float(out[0]), float(out[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sample", default="tan-tho-2023")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    soffice = shutil.which("soffice")
    vanban = str(Path(sys.executable).with_name("vanban"))
    if soffice is None:
        print("soffice not found: install libreoffice-writer-nogui")
        return 1
    dossier = ROOT / "samples" / args.sample / "hoso.yaml"
    work = Path(tempfile.mkdtemp(prefix="vanban-bench-"))
    profile = work / "lo-profile"
    docx_dir = work / "docx"
    subprocess.run([vanban, "build", str(dossier), "-o", str(docx_dir), "--format", "docx"],
                   check=True, stdout=subprocess.DEVNULL)
    docx_files = sorted(str(p) for p in docx_dir.glob("*.docx"))
    lo_cmd = [soffice, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to",
              "pdf", "--outdir", str(work / "lo"), *docx_files]
    subprocess.run(lo_cmd, check=True, capture_output=True)  # first start creates the profile
    ours, theirs, memory = [], [], []
    for i in range(args.rounds):
        out = work / f"out{i}"
        t, rss = timed([vanban, "build", str(dossier), "-o", str(out)])
        ours.append(t)
        memory.append(rss)
        t, _ = timed(lo_cmd)
        theirs.append(t)
    v, lo = statistics.median(ours), statistics.median(theirs)
    print(f"documents: {len(docx_files)} ({args.sample}), rounds: {args.rounds}")
    print(f"vanban build (DOCX + PDF): {v * 1000:8.0f} ms (median)")
    print(f"soffice --convert-to pdf : {lo * 1000:8.0f} ms (median, same DOCX files)")
    print(f"ratio                    : {v / lo:8.2f}  (goal <= 0.70)")
    print(f"peak RSS of vanban build : {max(memory):8.1f} MiB (goal <= 120)")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
