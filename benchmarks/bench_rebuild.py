"""Benchmark: rebuilding a dossier through the PDF cache, against LibreOffice.

A clerk builds a dossier, edits one meeting and builds again. For each sample, measured in
this run, alternately, as separate processes: ``vanban build --force`` after a one-field edit
(the last meeting's place, a new value each round, so its minutes are never in the cache),
``vanban build --force`` with no change, and ``soffice --headless --convert-to pdf``
converting the same DOCX files. Prints the medians and the ratios (goals: at most 0.3 after
an edit, at most 0.15 with no change). The cache lives in a temporary folder.
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

import yaml
from bench_build import timed

ROOT = Path(__file__).resolve().parents[1]


def edit(dossier: Path, round_: int) -> None:
    """Change the place of the dossier's last meeting (one field of one document)."""
    data = yaml.safe_load(dossier.read_text("utf-8"))
    meeting = data["cuoc_hop"][-1]
    meeting["dia_diem"] = f"{meeting['dia_diem'].split(' (phòng')[0]} (phòng {round_ + 1})"
    dossier.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sample", action="append",
                        help="sample folder name (repeatable; default: every sample)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    soffice = shutil.which("soffice")
    if soffice is None:
        print("soffice not found: install libreoffice-writer-nogui")
        return 1
    vanban = str(Path(sys.executable).with_name("vanban"))
    names = args.sample or sorted(p.parent.name for p in (ROOT / "samples").glob("*/hoso.yaml"))
    work = Path(tempfile.mkdtemp(prefix="vanban-bench-"))
    env = {**os.environ, "VANBAN_CACHE_DIR": str(work / "cache")}
    for name in names:
        folder = work / name
        shutil.copytree(ROOT / "samples" / name, folder)
        dossier = folder / "hoso.yaml"
        out = work / f"{name}-out"
        build = [vanban, "build", str(dossier), "-o", str(out), "--force"]
        subprocess.run(build, check=True, stdout=subprocess.DEVNULL, env=env)  # fills the cache
        docx_files = sorted(str(p) for p in out.glob("*.docx"))
        profile = work / "lo-profile"
        lo_cmd = [soffice, "--headless", f"-env:UserInstallation=file://{profile}",
                  "--convert-to", "pdf", "--outdir", str(work / "lo"), *docx_files]
        subprocess.run(lo_cmd, check=True, capture_output=True)  # first start makes the profile
        edited, unchanged, theirs = [], [], []
        for i in range(args.rounds):
            edit(dossier, i)
            edited.append(timed(build, env)[0])
            unchanged.append(timed(build, env)[0])
            theirs.append(timed(lo_cmd)[0])
        e, u, lo = (statistics.median(x) for x in (edited, unchanged, theirs))
        print(f"== {name}: {len(docx_files)} documents, rounds: {args.rounds}")
        print(f"rebuild after a one-field edit: {e * 1000:6.0f} ms (median)")
        print(f"rebuild with no change        : {u * 1000:6.0f} ms (median)")
        print(f"soffice --convert-to pdf      : {lo * 1000:6.0f} ms (median, same DOCX files)")
        print(f"ratio after an edit           : {e / lo:6.2f}  (goal <= 0.30)")
        print(f"ratio with no change          : {u / lo:6.2f}  (goal <= 0.15)", flush=True)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
