"""Find the package's data: DOCX templates and fonts.

Templates live at the repository top level (``templates_docx/``) and are shipped
inside the wheel as ``vanban/templates_docx``. An editable install cannot see
that mapping, so one resolver tries, in order: an explicit folder, the
``VANBAN_TEMPLATES_DIR`` variable, the installed package data, and the checkout.

A folder of edited templates need not hold every template: a clerk may keep only the one
they changed, and a folder copied before vanban gained a template lacks that one. A template
missing from it is therefore taken from vanban's own set, but never silently: the clerk
who deleted or renamed their edited copy would otherwise get documents without their edits
and no hint why. So (:func:`template_path`):

- the folder holds the template under another extension or case (``….doc``, ``….odt``,
  ``….DOCX``: saved in the wrong format): the build stops with one line saying to save it as
  a Word Document (.docx) under its name. The clerk's edits are in that file; a document
  made without them would be wrong;
- otherwise the built-in template is used, with one warning line (among the build's
  warnings, so that it is told with every build, cached or not) naming it, the folder, and
  any .docx of the folder vanban does not use (a renamed copy).
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


def template_path(name: str, override: str | os.PathLike[str] | None = None,
                  warnings: list[str] | None = None) -> Path:
    """Return the path of template `name` (e.g. ``nd30/bien-ban.docx``).

    A template missing from an edited-templates folder is taken from the built-in set, with
    a warning added to `warnings`, or refused when the folder holds it in another format
    (see the module's text).
    """
    folder = templates_dir(override)
    path = folder / name
    if os.path.lexists(path):
        # A received templates folder must not lead to files outside it.
        return inside(folder, name, f"mẫu {name}")
    if not path.is_file():
        if override or os.environ.get(TEMPLATES_ENV):
            fallback = builtin_templates_dir() / name
            if fallback.is_file():
                warning = _check_missing(folder, name)
                if warnings is not None:
                    warnings.append(warning)
                return fallback
        raise TemplateNotFoundError(f"không tìm thấy mẫu {name} trong {folder}")
    return path


#: Word's lock file while a document is open (``~$bien-ban.docx``): never a template.
_LOCK_PREFIX = "~$"


def _check_missing(folder: Path, name: str) -> str:
    """Refuse template `name` missing from the edited-templates `folder`, or return the
    warning that tells it."""
    wanted = Path(name)
    profile = folder / wanted.parent
    files = sorted(p for p in profile.iterdir() if p.is_file()) if profile.is_dir() else []
    files = [p for p in files if not p.name.startswith(_LOCK_PREFIX)]
    for other in files:
        if other.stem.casefold() == wanted.stem.casefold() and other.name != wanted.name:
            shown = (wanted.parent / other.name).as_posix()
            raise TemplateNotFoundError(
                f"thư mục mẫu {folder} không có mẫu {name} mà có tệp {shown}: hãy mở tệp đó "
                f"bằng Word rồi “Lưu thành” (Save As) kiểu Word Document (.docx) với tên "
                f"{wanted.name}")
    known = set(template_names())
    unused = [p.name for p in files if p.suffix.lower() == ".docx"
              and (wanted.parent / p.name).as_posix() not in known]
    extra = (f"; thư mục {wanted.parent.as_posix()} có tệp vanban không dùng: {', '.join(unused)} "
             f"(mẫu đã sửa phải giữ đúng tên {wanted.name})") if unused else ""
    return f"thư mục mẫu {folder} không có mẫu {name}; văn bản này dùng mẫu gốc của vanban{extra}"
