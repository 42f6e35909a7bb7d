"""Edited copies of the built-in templates, as a clerk may receive them from another office."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
from docx.oxml.ns import qn

from vanban import resources

#: The template the edits go into, inside a copied templates folder.
BIEN_BAN = Path("nd30") / "bien-ban.docx"


def templates(tmp_path: Path, text: str, *, replacing: str | None = None) -> Path:
    """Copy the templates to ``tmp_path/mau`` and put `text` into the Biên bản template.

    `text` becomes a new last body paragraph, or, with `replacing`, the text of the first
    paragraph whose text is `replacing` (e.g. the ``{{ n }}`` line of the Nơi nhận loop).
    Return the copied folder.
    """
    folder = tmp_path / "mau"
    shutil.copytree(resources.builtin_templates_dir(), folder)
    path = folder / BIEN_BAN
    document = docx.Document(str(path))
    if replacing is None:
        document.add_paragraph(text, style="VB Nội dung")
    else:
        paragraph = next(p for p in document.element.body.iter(qn("w:p"))
                         if "".join(t.text or "" for t in p.iter(qn("w:t"))).strip() == replacing)
        runs = list(paragraph.iter(qn("w:t")))
        runs[0].text = text
        for t in runs[1:]:
            t.text = ""
    document.save(str(path))
    return folder
