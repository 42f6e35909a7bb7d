"""What the benchmarks that measure whole sample dossiers share: which samples to measure."""

from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def add_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--sample`` (repeatable) to `parser`."""
    parser.add_argument("--sample", action="append",
                        help="sample folder name (repeatable; default: every sample)")


def names(chosen: list[str] | None) -> list[str]:
    """Return the samples `chosen` (``--sample``), or every folder of ``samples/`` holding a
    ``hoso.yaml``."""
    return chosen or sorted(p.parent.name for p in (ROOT / "samples").glob("*/hoso.yaml"))
