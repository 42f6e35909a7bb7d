"""Read the Markdown content of a training handout into official-document blocks.

The dialect is small on purpose (see ``docs/tap-huan.md``): ``# I. …`` parts, ``## 1. …``
sections, paragraphs (points start ``a)``, ``b)``, … ``đ)``), ``- `` dash items, ``> ``
quotations, ``**bold**`` and ``*italic*``. Numbering is text written by the author; this module
checks that it runs in order (I, II, III; 1, 2, 3 restarting in each part; a, b, c, d, đ, e …
restarting in each section).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from vanban import text

#: Block kinds, mapped to paragraph styles by the handout builder.
PHAN, MUC, DOAN, GACH, TRICH = "phan", "muc", "doan", "gach", "trich"
#: Block kinds that are headings: listed in a table of contents, bookmarked in the DOCX.
HEADINGS = (PHAN, MUC)

_ROMAN = re.compile(r"^([IVXLC]+)\.\s")
_ARABIC = re.compile(r"^(\d+)\.\s")
_POINT = re.compile(r"^([a-zđ])\)\s")
# HTML, links and images are read as plain text; tables and code blocks are refused.
_PARSER = (
    MarkdownIt("commonmark")
    .enable("table")
    .disable(["html_block", "html_inline", "image", "link", "autolink", "backticks"])
)


@dataclass(frozen=True)
class Run:
    """A stretch of text with its emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class MarkdownBlock:
    """One paragraph of a handout."""

    kind: str
    runs: tuple[Run, ...]
    #: 1-based line in the Markdown file.
    line: int

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


class MarkdownError(ValueError):
    """The Markdown uses something the dialect does not have, or numbers out of order."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _runs(inline: Token) -> tuple[Run, ...]:
    out: list[Run] = []
    bold = italic = False
    for child in inline.children or []:
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type in ("text", "html_inline", "code_inline"):
            out.append(Run(text.nfc(child.content), bold, italic))
        elif child.type in ("softbreak", "hardbreak"):
            out.append(Run(" ", bold, italic))
    merged: list[Run] = []
    for run in out:
        if merged and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic)
        elif run.text:
            merged.append(run)
    return tuple(merged)


_UNSUPPORTED = {
    "table_open": "bảng",
    "code_block": "khối mã",
    "fence": "khối mã",
    "hr": "đường kẻ ngang",
    "html_block": "HTML",
}


#: Longest run of characters without a space (a long web address fits; a line holds ~80).
MAX_WORD = 500
_LONG_WORD = re.compile(rf"\S{{{MAX_WORD + 1},}}")


def parse(source: str) -> list[MarkdownBlock]:
    """Return the blocks of `source`; raise :class:`MarkdownError` on what the dialect lacks."""
    long_word = _LONG_WORD.search(source)
    if long_word is not None:
        raise MarkdownError(
            source.count("\n", 0, long_word.start()) + 1,
            f"có một chuỗi {len(long_word.group())} ký tự liền nhau không có dấu cách (tối đa "
            f"{MAX_WORD}); hãy thêm dấu cách hoặc rút gọn",
        )
    tokens = _PARSER.parse(source)
    blocks: list[MarkdownBlock] = []
    kind_stack: list[str] = []
    ordered: list[int] = []
    for i, tok in enumerate(tokens):
        line = (tok.map[0] + 1) if tok.map else 0
        if tok.type in _UNSUPPORTED:
            raise MarkdownError(line, f"không dùng {_UNSUPPORTED[tok.type]} trong tài liệu")
        if tok.type == "heading_open":
            if tok.tag not in ("h1", "h2"):
                raise MarkdownError(line, "chỉ dùng tiêu đề # (phần) và ## (mục)")
            kind_stack.append(PHAN if tok.tag == "h1" else MUC)
        elif tok.type == "heading_close":
            kind_stack.pop()
        elif tok.type == "blockquote_open":
            kind_stack.append(TRICH)
        elif tok.type == "blockquote_close":
            kind_stack.pop()
        elif tok.type == "bullet_list_open":
            kind_stack.append(GACH)
        elif tok.type == "bullet_list_close":
            kind_stack.pop()
        elif tok.type == "ordered_list_open":
            kind_stack.append(DOAN)
            ordered.append(int(tok.attrGet("start") or 1))
        elif tok.type == "ordered_list_close":
            kind_stack.pop()
            ordered.pop()
        elif tok.type == "inline":
            runs = _runs(tok)
            if not runs:
                continue
            kind = kind_stack[-1] if kind_stack else DOAN
            if kind == GACH and tokens[i - 1].type == "paragraph_open":
                runs = (Run("- "), *runs)
            elif ordered and kind == DOAN and tokens[i - 1].type == "paragraph_open":
                runs = (Run(f"{ordered[-1]}. "), *runs)
                ordered[-1] += 1
            blocks.append(MarkdownBlock(kind, runs, line))
    check_numbering(blocks)
    return blocks


def check_numbering(blocks: list[MarkdownBlock]) -> None:
    """Raise :class:`MarkdownError` where parts, sections or points run out of order."""
    part = section = point = 0
    for block in blocks:
        label = block.text.strip()
        if block.kind == PHAN:
            section = point = 0
            m = _ROMAN.match(label)
            if m:
                part += 1
                if m.group(1) != text.la_ma(part):
                    raise MarkdownError(
                        block.line, f"phần \"{m.group(1)}.\" phải là \"{text.la_ma(part)}.\""
                    )
        elif block.kind == MUC:
            point = 0
            m = _ARABIC.match(label)
            if not m:
                raise MarkdownError(block.line, "tiêu đề ## phải bắt đầu bằng số thứ tự, ví dụ '## 1. …'")
            section += 1
            if int(m.group(1)) != section:
                raise MarkdownError(block.line, f"mục \"{m.group(1)}.\" phải là \"{section}.\"")
        elif block.kind == DOAN and (m := _POINT.match(label)):
            if point >= text.SO_DIEM_TOI_DA:
                raise MarkdownError(block.line, f"một mục có nhiều nhất {text.SO_DIEM_TOI_DA} "
                                                "điểm (a đến y); hãy chia thành mục khác")
            expected = text.nhan_diem(point)
            point += 1
            if m.group(1) != expected:
                raise MarkdownError(block.line, f"điểm \"{m.group(1)})\" phải là \"{expected})\"")


def headings(blocks: list[MarkdownBlock]) -> list[MarkdownBlock]:
    """Return the part and section headings, in order (the table of contents)."""
    return [b for b in blocks if b.kind in HEADINGS]
