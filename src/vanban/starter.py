"""``vanban init``: write a commented starter dossier."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from vanban.output import write_all

#: Name of the dossier file in a dossier folder.
FILE_NAME = "hoso.yaml"


def starter_text() -> str:
    """Return the commented starter dossier."""
    return (resources.files("vanban") / "data" / "hoso-mau.yaml").read_text("utf-8")


def write_starter(folder: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write ``hoso.yaml`` into `folder` and return its path."""
    path = Path(folder) / FILE_NAME
    write_all([(path, starter_text().encode("utf-8"))], force=force)
    return path
