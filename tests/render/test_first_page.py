"""A document laid out again takes its first page from the earlier layout where nothing on it
changed (:mod:`vanban.render.first_page`), and its PDF is still the one a fresh layout gives."""

from __future__ import annotations

import pytest

from vanban import fitting
from vanban.render import pdf


def _elements(document: object, page: int) -> set[int]:
    """Return the ids of the HTML elements with a box on page `page` of `document`."""
    return {id(box.element) for box in document.pages[page]._page_box.descendants()  # type: ignore[attr-defined]
            if box.element is not None}


def test_a_handout_set_again_takes_its_first_page(tan_tho_docx: dict[str, bytes]) -> None:
    """The fitting pass's second layout of a handout (its body set tighter) takes the page of
    contents from the first layout: its boxes are the first layout's elements, and the page
    after it is its own. Its PDF is a fresh layout's, contents numbers included, and the
    first layout, written after it, is still a fresh layout's too."""
    draft = tan_tho_docx["tai-lieu-chuyen-de-1"]
    base = fitting.typography_of(draft)
    assert base is not None
    tighter = fitting.applied(draft, fitting.Fit(None, base.line - 40))
    assert tighter is not None

    with pdf.lines_kept():
        first = pdf.lay_out(draft)
        second = pdf.lay_out(tighter)
        assert second.pages < first.pages  # the contents show other numbers
        assert _elements(second.document, 0) <= _elements(first.document, 0)
        assert not _elements(second.document, 1) & _elements(first.document, 1)
        second_pdf = second.write().pdf
        first_pdf = first.write().pdf
    assert second_pdf == pdf.lay_out(tighter).write().pdf
    assert first_pdf == pdf.lay_out(draft).write().pdf


def _html(a: str, b: str, *, forced: bool = True) -> str:
    """Return a translated-looking document: four paragraphs of class ``a``, then paragraphs
    of class ``b``, the first of them twice as long and either starting a new page
    (`forced`) or kept whole; rules `a` and `b` one line each."""
    words = "Cán bộ, công chức xã gần dân, trọng dân, hiểu dân và có trách nhiệm với dân. " * 6
    start = "break-before:page" if forced else "break-inside:avoid"
    body = "".join(f'<p class="a">{i}. {words}</p>\n' for i in range(4))
    body += f'<p class="b" style="{start}">{words}{words}</p>\n'
    body += "".join(f'<p class="b">{words}</p>\n' for _ in range(8))
    return (
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<style>\n"
        "@page{size:210mm 297mm;margin:20mm 15mm 20mm 30mm}\n"
        f'html{{font-family:"{pdf.font_family()}";font-size:14pt}}\n'
        f".a{{{a}}}\n.b{{{b}}}\n</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )


def _laid_again(before: str, now: str) -> tuple[bool, bool]:
    """Lay `before` out, then `now` in the same block; return whether `now`'s first page
    was taken from `before`'s, and whether its PDF is the one a fresh layout gives."""
    engine = pdf._engine()
    with pdf.lines_kept():
        earlier = engine.layout(before, engine.watch())
        watch = engine.watch()
        later = engine.layout(now, watch)
        taken = _elements(later, 0) <= _elements(earlier, 0)
        written = engine.write(later, now, watch)[0]
    fresh = engine.watch()
    return taken, written == engine.write(engine.layout(now, fresh), now, fresh)[0]


@pytest.mark.parametrize(("change", "taken"), [
    ({"b": "line-height:16pt;margin-top:3pt"}, True),  # only page 2 on changes
    ({"a": "line-height:16pt;margin-top:6pt"}, False),  # page 1 carries the class
    ({"b": "line-height:20pt;margin-top:6pt;color:red"}, False),  # not a placing property
    ({"a": "line-height:20pt;margin-top:6pt", "b": "line-height:20pt;margin-top:6pt"}, True),
])
def test_a_first_page_is_taken_only_where_nothing_on_it_changed(
        change: dict[str, str], taken: bool) -> None:
    """A layout takes the earlier first page only when the rules that changed are classes
    no box of that page carries, changed in properties that place lines; either way its PDF is
    the one a fresh layout of its HTML gives."""
    rules = {"a": "line-height:20pt;margin-top:6pt", "b": "line-height:20pt;margin-top:6pt"}
    assert _laid_again(_html(**rules), _html(**{**rules, **change})) == (taken, True)


def test_a_first_page_that_ends_where_it_is_full_is_made_again() -> None:
    """A first page that ends because the next paragraph does not fit (not at a forced
    break) takes that paragraph once its lines are set closer: it is made again."""
    before = _html("line-height:20pt", "line-height:20pt", forced=False)
    now = _html("line-height:20pt", "line-height:12pt", forced=False)
    assert _laid_again(before, now) == (False, True)
