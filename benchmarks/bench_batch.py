"""Benchmark: many dossiers in one ``vanban build``, one worker against two.

A province builds its communes' dossiers at once: 20 dossiers (copies of the samples, each
with its own commune name, so no two documents are alike), built cold (``--no-cache``) with
``-j 1`` and with ``-j 2``, alternately, as separate processes. Prints the medians and the
speed-up (goal: at least 1.7 on this 2-CPU machine), then the peak memory of the ``-j 2``
build summed over its processes (PSS; goal: at most 200 MiB) in separate sampled runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import yaml
from bench_build import sampled, timed

ROOT = Path(__file__).resolve().parents[1]


def dossiers(work: Path, count: int) -> list[str]:
    """Write `count` communes' dossiers under `work`; return their paths."""
    samples = sorted(p.parent for p in (ROOT / "samples").glob("*/hoso.yaml"))
    paths = []
    for i in range(count):
        folder = work / f"xa-{i + 1:02d}"
        shutil.copytree(samples[i % len(samples)], folder)
        data = yaml.safe_load((folder / "hoso.yaml").read_text("utf-8"))
        data["dia_ban"]["xa"] = f"{data['dia_ban']['xa']} {i + 1}"
        (folder / "hoso.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        paths.append(str(folder / "hoso.yaml"))
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dossiers", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory-rounds", type=int, default=1)
    args = parser.parse_args()
    vanban = str(Path(sys.executable).with_name("vanban"))
    work = Path(tempfile.mkdtemp(prefix="vanban-bench-"))
    os.environ["VANBAN_CACHE_DIR"] = str(work / "cache")
    # A cold build in its own process each time: no warm process serves it (vanban.warm).
    os.environ["VANBAN_CHO_SAN"] = "0"
    paths = dossiers(work / "in", args.dossiers)

    def command(jobs: int, out: str) -> list[str]:
        return [vanban, "-q", "build", *paths, "--no-cache", "--force", "-j", str(jobs),
                "-o", str(work / out)]

    times: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(args.rounds):
        for jobs, found in times.items():
            found.append(timed(command(jobs, f"out{jobs}"))[0])
    memory = [sampled(command(2, "mem")) for _ in range(args.memory_rounds)]
    one, two = statistics.median(times[1]), statistics.median(times[2])
    print(f"dossiers: {args.dossiers}, rounds: {args.rounds}, {os.cpu_count()} CPUs")
    print(f"vanban build -j 1: {one:7.1f} s (median)")
    print(f"vanban build -j 2: {two:7.1f} s (median)")
    print(f"speed-up         : {one / two:7.2f}  (goal >= 1.70)")
    if memory:
        print(f"peak memory -j 2, summed PSS: {max(m[0] for m in memory):6.1f} MiB (goal <= 200; "
              f"up to {max(m[2] for m in memory)} processes)")
        print(f"peak memory -j 2, summed RSS: {max(m[1] for m in memory):6.1f} MiB")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
