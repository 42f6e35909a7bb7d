"""The handout Markdown dialect: blocks, emphasis, numbering checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from vanban import markdown
from vanban.markdown import MarkdownError

ROOT = Path(__file__).resolve().parents[1]
HANDOUTS = sorted(ROOT.glob("samples/*/chuyen-de-*.md"))

GOOD = """# I. PHẦN MỘT

Mở đầu có **chữ đậm** và *chữ nghiêng*.

## 1. Mục một

a) Điểm a;

b) Điểm b.

- gạch một
- gạch hai

> Trích dẫn.

## 2. Mục hai

a) Lại từ a.

# II. PHẦN HAI

## 1. Mục một của phần hai

# CÂU HỎI THẢO LUẬN

Câu 1. Hỏi gì?
"""


def test_blocks_kinds_and_emphasis() -> None:
    blocks = markdown.parse(GOOD)
    kinds = [b.kind for b in blocks]
    assert kinds == ["phan", "doan", "muc", "doan", "doan", "gach", "gach", "trich", "muc",
                     "doan", "phan", "muc", "phan", "doan"]
    intro = blocks[1]
    assert [(r.text, r.bold, r.italic) for r in intro.runs] == [
        ("Mở đầu có ", False, False), ("chữ đậm", True, False), (" và ", False, False),
        ("chữ nghiêng", False, True), (".", False, False)]
    assert blocks[5].text == "- gạch một"
    assert blocks[0].line == 1
    assert [b.text for b in markdown.headings(blocks)][:3] == [
        "I. PHẦN MỘT", "1. Mục một", "2. Mục hai"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("# I. A\n\n# III. B\n", 'phần "III." phải là "II."'),
        ("# I. A\n\n## 2. B\n", 'mục "2." phải là "1."'),
        ("# I. A\n\n## 1. B\n\na) x\n\nc) y\n", 'điểm "c)" phải là "b)"'),
        ("# I. A\n\n## 1. B\n\na) x\n\nb) x\n\nc) x\n\nd) x\n\ne) y\n", 'điểm "e)" phải là "đ)"'),
        ("# I. A\n\n## Không số\n", "phải bắt đầu bằng số thứ tự"),
        ("# I. A\n\n### 1.1. B\n", "chỉ dùng tiêu đề #"),
        ("| a | b |\n|---|---|\n| 1 | 2 |\n", "không dùng bảng"),
        ("```\ncode\n```\n", "không dùng khối mã"),
        ("text\n\n---\n", "không dùng đường kẻ ngang"),
    ],
    ids=["part-skips", "section-starts-at-2", "point-skips", "point-after-d-is-dd",
         "section-unnumbered", "level-3", "table", "code", "rule"],
)
def test_bad_markdown_is_located(source: str, expected: str) -> None:
    with pytest.raises(MarkdownError) as info:
        markdown.parse(source)
    assert expected in info.value.message
    assert info.value.line >= 1


def test_sections_and_points_restart() -> None:
    markdown.parse("# I. A\n\n## 1. x\n\na) p\n\n# II. B\n\n## 1. y\n\na) q\n")


@pytest.mark.parametrize("path", HANDOUTS, ids=[f"{p.parent.name}/{p.name}" for p in HANDOUTS])
def test_sample_handouts_parse_and_end_with_questions(path: Path) -> None:
    blocks = markdown.parse(path.read_text("utf-8"))
    parts = [b.text for b in blocks if b.kind == "phan"]
    assert parts[0].startswith("I. ")
    assert parts[-1] == "CÂU HỎI THẢO LUẬN"
    questions = [b.text for b in blocks[blocks.index(next(b for b in blocks if b.text == parts[-1])):]
                 if b.kind == "doan"]
    assert len(questions) >= 4
    assert all(q.startswith(f"Câu {i}.") for i, q in enumerate(questions, start=1))
    words = sum(len(b.text.split()) for b in blocks)
    assert words >= 1500


def test_a_word_longer_than_the_limit_is_located() -> None:
    source = "# I. PHẦN MỘT\n\n## 1. Mục\n\nCó địa chỉ " + "x" * (markdown.MAX_WORD + 1) + " ở đây.\n"
    with pytest.raises(MarkdownError, match=f"{markdown.MAX_WORD + 1} ký tự liền nhau") as info:
        markdown.parse(source)
    assert info.value.line == 5
    markdown.parse(source.replace("x" * (markdown.MAX_WORD + 1), "x" * markdown.MAX_WORD))


def test_points_past_y_are_located() -> None:
    letters = "abcdđeghiklmnopqrstuvxy"
    points = "\n\n".join(f"{c}) Điểm {c};" for c in letters)
    source = f"# I. PHẦN\n\n## 1. Mục\n\n{points}\n\nz) Điểm thừa.\n"
    with pytest.raises(MarkdownError, match="nhiều nhất 23 điểm"):
        markdown.check_numbering(markdown.parse(source))
