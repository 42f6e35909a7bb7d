"""Resolve effective formatting: document defaults, style chains, then direct formatting.

Word layers properties in this order (ECMA-376 Part 1, 17.7.2): document defaults,
table style, paragraph style (its ``w:basedOn`` chain, root first), character style,
then direct formatting. Within one chain a child overrides its parent; across the
table, paragraph and character levels the toggle properties (bold, italic, caps, …)
are XOR-ed instead (17.7.3), and direct formatting sets them outright.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import reduce

from lxml import etree

from vanban.render.ooxml.package import on_off, w, wval
from vanban.render.ooxml.properties import (
    TOGGLES,
    Props,
    merge_para,
    merge_run,
    merge_table,
    parse_cell,
    parse_para,
    parse_row,
    parse_run,
    parse_table,
)


@dataclass
class Style:
    """One ``w:style`` with its own (unmerged) properties."""

    id: str
    name: str
    type: str
    based_on: str | None = None
    para: Props = field(default_factory=dict)
    run: Props = field(default_factory=dict)
    table: Props = field(default_factory=dict)
    row: Props = field(default_factory=dict)
    cell: Props = field(default_factory=dict)
    #: ``w:tblStylePr`` types (firstRow, band1Horz, …) this table style defines.
    conditional: tuple[str, ...] = ()


class StyleSheet:
    """The styles part of a document, with memoised resolution."""

    def __init__(self, root: etree._Element | None, theme: Mapping[str, str] | None = None) -> None:
        self._theme = dict(theme or {})
        self._elements: dict[str, etree._Element] = {}
        self._parsed: dict[str, Style] = {}
        self._defaults: dict[str, str] = {}
        self._cache: dict[tuple[object, ...], Props] = {}
        self.default_para: Props = {}
        self.default_run: Props = {}
        if root is None:
            return
        defaults = root.find(w("docDefaults"))
        if defaults is not None:
            self.default_run = parse_run(
                defaults.find(f"{w('rPrDefault')}/{w('rPr')}"), self._theme
            )
            self.default_para = parse_para(defaults.find(f"{w('pPrDefault')}/{w('pPr')}"))
        for el in root.iterfind(w("style")):
            style_id = wval(el, "styleId")
            if not style_id:
                continue
            self._elements.setdefault(style_id, el)
            kind = wval(el, "type") or "paragraph"
            if on_off(el, "default", missing=False) and kind not in self._defaults:
                self._defaults[kind] = style_id

    def get(self, style_id: str | None) -> Style | None:
        """Return the style `style_id`, parsed on first use, or None when unknown."""
        if not style_id:
            return None
        if style_id not in self._parsed:
            el = self._elements.get(style_id)
            if el is None:
                return None
            conditional = tuple(wval(cond, "type") or "" for cond in el.iterfind(w("tblStylePr")))
            self._parsed[style_id] = Style(
                id=style_id,
                name=wval(el.find(w("name"))) or style_id,
                type=wval(el, "type") or "paragraph",
                based_on=wval(el.find(w("basedOn"))),
                para=parse_para(el.find(w("pPr"))),
                run=parse_run(el.find(w("rPr")), self._theme),
                table=parse_table(el.find(w("tblPr"))),
                row=parse_row(el.find(w("trPr"))),
                cell=parse_cell(el.find(w("tcPr"))),
                conditional=conditional,
            )
        return self._parsed[style_id]

    def default(self, kind: str) -> str | None:
        """Return the id of the default style of `kind` (paragraph, character, table)."""
        return self._defaults.get(kind)

    def name(self, style_id: str | None) -> str:
        """Return the display name of `style_id` (its id when unknown)."""
        style = self.get(style_id)
        return style.name if style else (style_id or "")

    def chain(self, style_id: str | None) -> list[Style]:
        """Return the ``w:basedOn`` chain of `style_id`, root first (cycles cut)."""
        out: list[Style] = []
        seen: set[str] = set()
        style = self.get(style_id)
        while style is not None and style.id not in seen:
            seen.add(style.id)
            out.append(style)
            style = self.get(style.based_on)
        out.reverse()
        return out

    # -- paragraphs -------------------------------------------------------------------

    def paragraph(
        self, style_id: str | None, direct: Props, table_style: str | None = None
    ) -> Props:
        """Return the effective paragraph properties."""
        key = ("p", style_id, table_style)
        if key not in self._cache:
            layers = [self.default_para]
            layers += [s.para for s in self.chain(table_style)]
            layers += [s.para for s in self.chain(style_id or self.default("paragraph"))]
            self._cache[key] = reduce(merge_para, layers, {})
        return merge_para(self._cache[key], direct) if direct else dict(self._cache[key])

    # -- runs -------------------------------------------------------------------------

    def run(
        self,
        para_style: str | None,
        char_style: str | None,
        direct: Props,
        table_style: str | None = None,
    ) -> Props:
        """Return the effective run properties."""
        key = ("r", para_style, char_style, table_style)
        if key not in self._cache:
            levels: list[Props] = [
                reduce(merge_run, [s.run for s in self.chain(table_style)], Props()),
                reduce(
                    merge_run,
                    [s.run for s in self.chain(para_style or self.default("paragraph"))],
                    Props(),
                ),
                reduce(
                    merge_run,
                    [s.run for s in self.chain(char_style or self.default("character"))],
                    Props(),
                ),
            ]
            out = dict(self.default_run)
            for level in levels:
                out.update({k: v for k, v in level.items() if k not in TOGGLES})
            for toggle in TOGGLES:
                values = [level[toggle] for level in levels if level.get(toggle) is not None]
                if values:
                    out[toggle] = reduce(lambda a, b: a != b, values, False)
            out.pop("style", None)
            self._cache[key] = out
        result = merge_run(self._cache[key], direct)
        result.pop("style", None)
        return result

    # -- tables -----------------------------------------------------------------------

    def table_style_id(self, direct: Props) -> str | None:
        """Return the table style that applies to a table with direct ``w:tblPr`` `direct`."""
        return direct.get("style") or self.default("table")

    def table(self, style_id: str | None, direct: Props) -> Props:
        """Return the effective table properties."""
        base = reduce(merge_table, [s.table for s in self.chain(style_id)], Props())
        return merge_table(base, direct)

    def row(self, style_id: str | None, direct: Props) -> Props:
        """Return the effective row properties."""
        base = reduce(merge_table, [s.row for s in self.chain(style_id)], Props())
        return merge_table(base, direct)

    def cell(self, style_id: str | None, direct: Props) -> Props:
        """Return the effective cell properties."""
        base = reduce(merge_table, [s.cell for s in self.chain(style_id)], Props())
        return merge_table(base, direct)

    def conditional_formats(self, style_id: str | None) -> list[str]:
        """Return the conditional formats (``w:tblStylePr``) the table style chain defines."""
        return [kind for s in self.chain(style_id) for kind in s.conditional]
