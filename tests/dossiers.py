"""Dossiers for tests: a sample's data to change, written back as a hoso.yaml."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]


def sample(name: str = "tan-tho-2023") -> dict[str, Any]:
    """Return the data of ``samples/<name>/hoso.yaml``."""
    return yaml.safe_load((ROOT / "samples" / name / "hoso.yaml").read_text("utf-8"))


def write(folder: Path, data: dict[str, Any]) -> Path:
    """Write `data` as ``folder/hoso.yaml`` and return its path."""
    path = folder / "hoso.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def copy(folder: Path, data: dict[str, Any] | None = None, name: str = "tan-tho-2023") -> Path:
    """Copy ``samples/<name>`` (with its handouts) to `folder`; write `data` as its hoso.yaml."""
    shutil.copytree(ROOT / "samples" / name, folder)
    return write(folder, data) if data is not None else folder / "hoso.yaml"
