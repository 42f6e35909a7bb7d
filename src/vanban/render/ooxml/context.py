"""State shared by the builders of one translation: styles, warnings, CSS classes."""

from __future__ import annotations

from dataclasses import dataclass, field

from vanban.render.ooxml.css import Decls, FontMap, decls_text
from vanban.render.ooxml.package import Package, Settings
from vanban.render.ooxml.styles import StyleSheet


@dataclass
class Shared:
    """Everything the block and inline builders of one document share."""

    package: Package
    styles: StyleSheet
    settings: Settings
    font_map: FontMap
    #: Theme fonts (``major``/``minor``) for ``w:asciiTheme`` and friends.
    theme: dict[str, str] = field(default_factory=dict)
    #: Inherited text declarations of the document defaults (set on ``html``); blocks
    #: leave out the ones they share with it.
    base: Decls = field(default_factory=dict)
    warnings: dict[str, None] = field(default_factory=dict)
    classes: dict[str, str] = field(default_factory=dict)
    #: Extra rules (``.pg-lower-roman::before{…}``) by selector.
    rules: dict[str, str] = field(default_factory=dict)
    #: HTML ids of the bookmarks that a PAGEREF field points at, by bookmark name.
    anchors: dict[str, str] = field(default_factory=dict)
    #: How many PAGEREF fields were given the laid-out page number.
    page_refs: int = 0
    #: Uses of each picture (by part and relationship id), and the bytes they put in the HTML.
    image_uses: dict[str, int] = field(default_factory=dict)
    image_bytes: int = 0
    _counts: dict[str, int] = field(default_factory=dict)

    def warn(self, message: str) -> None:
        """Record `message` once; the order of first occurrence is kept."""
        self.warnings.setdefault(message, None)

    def css_class(self, prefix: str, decls: Decls) -> str:
        """Return the class holding `decls` (shared by every element with the same ones)."""
        if not decls:
            return ""
        text = decls_text(decls)
        key = prefix + "|" + text
        if key not in self.classes:
            count = self._counts.get(prefix, 0) + 1
            self._counts[prefix] = count
            self.classes[key] = f"{prefix}{count}"
        return self.classes[key]

    def next_id(self, prefix: str) -> str:
        """Return the next HTML id starting with `prefix`: ``prefix-1``, ``prefix-2``…"""
        count = self._counts.get("#" + prefix, 0) + 1
        self._counts["#" + prefix] = count
        return f"{prefix}-{count}"

    def own(self, decls: Decls) -> Decls:
        """Return `decls` without the inherited ones equal to the document defaults."""
        return {k: v for k, v in decls.items() if self.base.get(k) != v}

    def stylesheet(self) -> str:
        """Return the generated class rules, one per line."""
        lines = [f".{name}{{{key.split('|', 1)[1]}}}" for key, name in self.classes.items()]
        lines += [f"{selector}{{{body}}}" for selector, body in self.rules.items()]
        return "\n".join(lines)


@dataclass(frozen=True)
class Where:
    """Where a block sits: its part (for relationships), table style and width."""

    part: str
    #: Width available to the block in twips (text width, or the cell's).
    width: int
    table_style: str | None = None
    #: ``list-style-type`` name of page numbers in this section.
    page_format: str = "decimal"
