"""Find the package's data: DOCX templates and fonts.

Templates live at the repository top level (``templates_docx/``) and are shipped
inside the wheel as ``vanban/templates_docx``. An editable install cannot see
that mapping, so one resolver tries, in order: an explicit folder, the
``VANBAN_TEMPLATES_DIR`` variable, the installed package data, and the checkout.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from vanban.errors import TemplateNotFoundError
from vanban.files import inside

#: Environment variable naming a folder of edited templates.
TEMPLATES_ENV = "VANBAN_TEMPLATES_DIR"


def templates_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder that holds the DOCX templates."""
    explicit = override or os.environ.get(TEMPLATES_ENV)
    if explicit:
        path = Path(explicit)
        if not path.is_dir():
            raise TemplateNotFoundError(f"không tìm thấy thư mục mẫu: {path}")
        names = template_names()
        if not any((path / name).is_file() for name in names):
            raise TemplateNotFoundError(
                f"thư mục mẫu {path} không có mẫu nào vanban dùng; mẫu phải đặt như trong "
                f"bộ mẫu gốc, ví dụ {path / names[0]}")
        return path
    return builtin_templates_dir()


def template_names() -> list[str]:
    """Return the names of the built-in templates (``nd30/bien-ban.docx``, …), sorted."""
    folder = builtin_templates_dir()
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.docx"))


def builtin_templates_dir() -> Path:
    """Return the templates shipped with vanban (installed package, else the checkout)."""
    packaged = Path(str(resources.files("vanban") / "templates_docx"))
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "templates_docx"
    if checkout.is_dir():
        return checkout
    raise TemplateNotFoundError(
        "không tìm thấy thư mục templates_docx: cài lại vanban hoặc dùng --templates-dir"
    )


def template_path(name: str, override: str | os.PathLike[str] | None = None) -> Path:
    """Return the path of template `name` (e.g. ``nd30/bien-ban.docx``)."""
    folder = templates_dir(override)
    path = folder / name
    if os.path.lexists(path):
        # A received templates folder must not lead to files outside it.
        return inside(folder, name, f"mẫu {name}")
    if not path.is_file():
        # An edited-templates folder may hold only some files: fall back to ours.
        if override or os.environ.get(TEMPLATES_ENV):
            fallback = builtin_templates_dir() / name
            if fallback.is_file():
                return fallback
        raise TemplateNotFoundError(f"không tìm thấy mẫu {name} trong {folder}")
    return path
