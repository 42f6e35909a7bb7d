"""A document laid out again takes its first page from the earlier layout when nothing on it
changed.

The fitting pass (:mod:`vanban.fitting`) lays a document out a second time with its body set
tighter or looser. A handout's first page holds its heading and table of contents and ends
with a page break: nothing on it is body text, so the second layout makes the same page again,
a fifth of that layout's time. While :func:`kept` runs, each layout whose first page ends with
a forced break leaves a copy of that page and of WeasyPrint's state after it; a later layout
of the same HTML whose style sheet differs only in classes that no box of that page (nor a
running header or footer it starts) carries, and only in properties that place lines (size,
line height, space above and below), takes the copy and starts at page 2.

The page is the one WeasyPrint would make: the same elements with the same computed styles,
broken before the same element for the same reason (a forced break, which the properties that
may differ cannot move), with the same counters, running elements and page styles. What
WeasyPrint does to its pages after making them (margin boxes, page numbers in the contents)
is done to the copy as to any page. Anything this module cannot vouch for (footnotes, floats
carried over, positioned boxes, content from page counters, a page break inside a table)
makes the page in full, as does a WeasyPrint whose functions are not where this version expects.
"""

from __future__ import annotations

import contextlib
import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from vanban.render.wrapping import to_wrap, wrapper

#: Breaks that end a page whatever follows them.
_FORCED = frozenset({"page", "left", "right", "recto", "verso"})
#: Properties a fitted class may change and still leave a page that does not carry it as it
#: was: they size and place the lines of the boxes that carry the class.
_PLACING = frozenset({
    "font-size", "line-height", "margin-top", "margin-bottom", "padding-top",
    "padding-bottom",
})
#: One rule of a single class, as the translator writes it (one line each).
_CLASS_RULE = re.compile(r"\.([A-Za-z_][\w-]*)\{([^{}]*)\}")

#: While :func:`kept` runs: the first pages left by its layouts, by HTML without style sheet.
_kept: dict[str, _FirstPage] | None = None
#: The layout being made (:func:`making`), while :func:`kept` runs.
_current: _Making | None = None


@contextlib.contextmanager
def kept() -> Iterator[None]:
    """While the block runs, a layout takes its first page from an earlier layout of the
    block where nothing on it changed (see the module)."""
    global _kept
    if _kept is not None:  # already inside one
        yield
        return
    _kept = {}
    try:
        yield
    finally:
        _kept = None


@contextlib.contextmanager
def making(html: str) -> Iterator[None]:
    """Tell this module that WeasyPrint lays out `html` while the block runs."""
    global _current
    if _kept is None:
        yield
        return
    outer, _current = _current, _Making.of(html)
    try:
        yield
    finally:
        _current = outer


@dataclass
class _Making:
    """A layout being made: its HTML outside the style sheet, and the style sheet's lines."""

    key: str
    css: list[str]
    #: Whether its first page was looked for among those kept (once per layout).
    looked: bool = False

    @classmethod
    def of(cls, html: str) -> _Making:
        start = html.find("<style>")
        end = html.find("</style>", start)
        if start < 0 or end < 0:
            return cls(html, [])
        return cls(html[:start] + html[end:], html[start:end].split("\n"))


@dataclass
class _FirstPage:
    """A first page left by a layout, with what WeasyPrint knew after making it."""

    css: list[str]
    #: The classes of every element with a box on the page or in a running element it starts.
    classes: frozenset[str]
    page: Any
    #: ``resume_at``, ``next_page``, ``right_page`` and ``page_state`` for page 2.
    after: tuple[Any, Any, Any, Any]
    running: dict[str, list[Any]] = field(default_factory=dict)
    sizes: dict[str, Any] = field(default_factory=dict)
    #: The anchors WeasyPrint noted on the page (for target counters).
    anchors: list[Any] = field(default_factory=list)

    @classmethod
    def taken(cls, making: _Making, context: Any, page: Any,
              resume_at: Any) -> _FirstPage | None:
        """Return what a later layout needs to take `page`, the first page WeasyPrint has just
        made in `context`; None when the next page may depend on more than this module
        checks."""
        if resume_at is None or len(context.page_maker) < 2:
            return None
        made = context.page_maker[0][-1]
        resume, next_page, right_page, state, _ = context.page_maker[1]
        if (next_page.get("break") not in _FORCED or context.reported_footnotes
                or context.broken_out_of_flow or context.current_page_footnotes
                or page.fixed_boxes or made.get("pages_wanted") or made.get("content_lookups")
                or not _broken_between_blocks(page, resume_at)):
            return None
        from weasyprint.layout.absolute import AbsolutePlaceholder

        running = {name: list(pages[1]) for name, pages in context.running_elements.items()
                   if pages.get(1)}
        classes: set[str] = set()
        for root in [page, *(box for boxes in running.values() for box in boxes)]:
            for box in root.descendants():  # a placeholder is yielded, not gone into
                if isinstance(box, AbsolutePlaceholder) or (root is page and box.missing_link):
                    return None  # a positioned box, or content from page counters
                element = box.element
                if element is not None:
                    classes.update((element.get("class") or "").split())
        return cls(making.css, frozenset(classes), _copied(page),
                   copy.deepcopy((resume, next_page, right_page, state)), running,
                   dict(context.style_for.initial_page_sizes), list(made.get("anchors", [])))

    def fits(self, making: _Making) -> bool:
        """Tell whether the layout `making` would make this page again."""
        if len(making.css) != len(self.css):
            return False
        for before, now in zip(self.css, making.css, strict=True):
            if before == now:
                continue
            old, new = _CLASS_RULE.fullmatch(before), _CLASS_RULE.fullmatch(now)
            if old is None or new is None or old[1] != new[1] or old[1] in self.classes:
                return False
            was, will = _declarations(old[2]), _declarations(new[2])
            if was.keys() != will.keys() or any(
                    was[name] != will[name] for name in was.keys() - _PLACING):
                return False
        return True

    def given(self, context: Any, html: Any) -> tuple[Any, Any]:
        """Make `context` as WeasyPrint's making of this page would, and return a copy of the
        page with where page 2 starts."""
        from weasyprint.layout.page import set_page_type_computed_styles

        page = _copied(self.page)
        resume_at, next_page, right_page, state = copy.deepcopy(self.after)
        set_page_type_computed_styles(page.page_type, html, context.style_for)
        context.style_for.initial_page_sizes.update(self.sizes)
        for name, boxes in self.running.items():
            context.running_elements[name][1] = list(boxes)
        remake_state = {"content_changed": True, "pages_wanted": False, "anchors": [],
                        "content_lookups": []}
        item = (resume_at, next_page, right_page, state, remake_state)
        if len(context.page_maker) == 1:
            context.page_maker.append(item)
        else:
            context.page_maker[1] = item
        # The page counters of the page's anchors, for target counters elsewhere.
        context.page_maker[0][-1]["anchors"] = list(self.anchors)
        for anchor in self.anchors:
            context.target_collector.cache_target_page_counters(
                anchor, state[1], 0, context.page_maker)
        return page, resume_at


def install() -> None:
    """Route WeasyPrint's making of a first page through this module (once per process; left
    as it is when WeasyPrint's function is not where this version of vanban expects)."""
    found = to_wrap("weasyprint.layout.page", "remake_page", "set_page_type_computed_styles")
    if found is None:
        return
    pages, (plain, _) = found

    @wrapper
    def remake_page(index: int, context: Any, root_box: Any, html: Any) -> Any:
        now, kept_pages = _current, _kept
        if now is None or kept_pages is None or index != 0:
            return plain(index, context, root_box, html)
        if not now.looked:
            now.looked = True
            earlier = kept_pages.get(now.key)
            if earlier is not None and earlier.fits(now):
                return earlier.given(context, html)
        page, resume_at = plain(index, context, root_box, html)
        first = _FirstPage.taken(now, context, page, resume_at)
        if first is not None:
            kept_pages[now.key] = first
        return page, resume_at

    pages.remake_page = remake_page


def _declarations(text: str) -> dict[str, str]:
    """Return the declarations of a rule's body ``a:1;b:2`` by property."""
    found = {}
    for declaration in text.split(";"):
        name, _, value = declaration.partition(":")
        found[name.strip()] = value.strip()
    return found


def _broken_between_blocks(page: Any, resume_at: Any) -> bool:
    """Tell whether the page ends between two children of block boxes (not inside a table or
    a line), none of which goes on with an outline entry of its own, as ``resume_at``
    (WeasyPrint's skip stack) says from the root box down."""
    from weasyprint.formatting_structure.boxes import BlockBox

    box = page.children[0]
    while resume_at:
        if len(resume_at) != 1 or type(box) is not BlockBox or box.bookmark_label:
            return False
        ((_, resume_at),) = resume_at.items()
        if resume_at is None:
            return True
        # The page holds the part of the box before the break: its last child.
        if not box.children:
            return False
        box = box.children[-1]
    return False


def _copied(box: Any) -> Any:
    """Return a copy of `box` and of every box under it, each text box with its own copy of
    its text layout (a later layout moves, numbers and draws its own)."""
    from weasyprint.formatting_structure.boxes import ParentBox, TextBox

    new = box.copy()
    if isinstance(box, ParentBox):
        new.children = type(box.children)(_copied(child) for child in box.children)
    elif type(box) is TextBox and box.pango_layout is not None:
        new.pango_layout = copy.copy(box.pango_layout)
    return new
