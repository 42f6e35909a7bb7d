"""Benchmark: the outgoing register.

1. Numbers issued per second on SQLite, entry only (no rendering): ``Register.allocate`` —
   SQLAlchemy Core, the series' lock, the date and identity rules, one durable transaction per
   number — beside the floor in the same run: bare ``sqlite3`` inserting one row per
   ``BEGIN IMMEDIATE`` transaction with the same durability (WAL, ``synchronous = FULL``).
   With ``VANBAN_TEST_POSTGRES`` set (``tools/with-postgres``), also on PostgreSQL.
2. The time to issue one decision end to end (``vanban.issuing.issue.issue``: number, render
   DOCX and PDF, write, record) beside the plain build of the same decision
   (``vanban.build.build``), interleaved in the same run; each issue uses a new register.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from vanban.build import build
from vanban.issuing.issue import issue
from vanban.issuing.register import ISSUED, Register
from vanban.issuing.series import SeriesKey

ROOT = Path(__file__).resolve().parents[1]
DECISION = "quyet-dinh-thanh-lap-ban-dieu-hanh"


def allocate(location: str, n: int) -> float:
    """Return numbers per second for `n` entries in a new register at `location`."""
    key = SeriesKey("ỦY BAN NHÂN DÂN XÃ ĐO", "2026", "")
    with Register(location) as reg:
        reg.allocate(key, date(2026, 1, 1), str, state=ISSUED)  # warm
        t0 = time.perf_counter()
        for _ in range(n):
            reg.allocate(key, date(2026, 1, 2), lambda so: f"{so:02d}/QĐ-UBND", state=ISSUED)
        return n / (time.perf_counter() - t0)


def bare_sqlite(path: Path, n: int) -> float:
    """Return rows per second: one durable transaction per row, nothing else."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE t (so INTEGER PRIMARY KEY, so_ky_hieu TEXT, ngay TEXT)")
    t0 = time.perf_counter()
    for so in range(1, n + 1):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (?, ?, ?)", (so, f"{so:02d}/QĐ-UBND", "2026-01-02"))
        conn.execute("COMMIT")
    rate = n / (time.perf_counter() - t0)
    conn.close()
    return rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--numbers", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sample", default="trung-chinh-2025")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        floor = bare_sqlite(tmp / "bare.sqlite", args.numbers)
        ours = allocate(str(tmp / "so.sqlite"), args.numbers)
        print(f"numbers per round: {args.numbers}")
        print(f"bare sqlite3 insert  : {floor:8.0f} rows/s (one durable transaction each)")
        print(f"register, SQLite     : {ours:8.0f} numbers/s (entry only)")
        print(f"ratio (floor / ours) : {floor / ours:8.2f}")
        if os.environ.get("VANBAN_TEST_POSTGRES"):
            pg = allocate(os.environ["VANBAN_TEST_POSTGRES"], args.numbers)
            print(f"register, PostgreSQL : {pg:8.0f} numbers/s (entry only)")

        hoso = ROOT / "samples" / args.sample / "hoso.yaml"
        build(hoso, tmp / "warm", only=[DECISION], force=True)  # imports, fonts, caches
        builds, issues = [], []
        for i in range(args.rounds):
            t0 = time.perf_counter()
            build(hoso, tmp / f"build-{i}", only=[DECISION])
            t1 = time.perf_counter()
            issue(hoso, tmp / f"issue-{i}", only=[DECISION], register=tmp / f"so-{i}.sqlite")
            t2 = time.perf_counter()
            builds.append(t1 - t0)
            issues.append(t2 - t1)
        b, s = statistics.median(builds), statistics.median(issues)
        print(f"one decision ({args.sample}), rounds: {args.rounds}")
        print(f"build (DOCX + PDF)   : {b * 1000:8.0f} ms (median)")
        print(f"issue (end to end)   : {s * 1000:8.0f} ms (median)")
        print(f"ratio (issue / build): {s / b:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
