"""The Jinja environment DOCX templates are rendered in, and the check of their tags.

A template is data: a clerk receives edited templates from other offices, and nothing in one
may run code. Templates are therefore rendered in Jinja's immutable sandbox, with no globals
(``cycler``, ``lipsum``, ``range``…) and only the text filters of :data:`FILTERS`; a tag that
reaches for anything else (``__class__``, ``__globals__``…) fails with
:class:`~jinja2.sandbox.SecurityError`.

Before docxtpl sees a template, every tag of every paragraph is parsed (:func:`check_tags`):
docxtpl rewrites the XML around ``{%p …%}`` paragraphs with regular expressions, and a tag left
open inside a loop would otherwise be swallowed by that rewriting without any error.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

#: The filters a template may use: text only, none that reaches attributes or marks XML safe.
FILTERS = frozenset({
    "capitalize", "count", "d", "default", "e", "escape", "first", "float", "int", "join",
    "last", "length", "lower", "replace", "round", "string", "title", "trim", "truncate",
    "upper", "wordcount",
})
#: docxtpl's prefixes after ``{%`` or ``{{``: the tag replaces its paragraph, row, cell or run.
DOCXTPL_PREFIXES = frozenset({"p", "tr", "tc", "r"})
#: docxtpl's own block tags whose argument is an expression (``{% colspan n %}``).
DOCXTPL_VALUE_TAGS = frozenset({"colspan", "cellbg"})
#: docxtpl's own block tags without argument.
DOCXTPL_BARE_TAGS = frozenset({"vm", "hm"})
#: Jinja statements that open a block closed by ``end<name>``.
BLOCKS = frozenset({"for", "if", "with", "macro", "call", "filter", "block", "autoescape"})
#: Word's typographic quotes, which docxtpl turns back into ASCII inside tags.
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
#: The message for a tag that does not close in its paragraph.
UNCLOSED = "thẻ mở bằng {{ hoặc {% mà không đóng trong cùng đoạn"
#: The file name Jinja gives a template made from a string (seen in tracebacks).
_SOURCE_NAME = "<template>"


class _Template(jinja2.Template):
    """A compiled template part that tells which of its lines a runtime error came from."""

    #: The lines of the XML this template was compiled from (docxtpl puts each paragraph on
    #: a line of its own).
    source_lines: Sequence[str] = ()

    def render(self, *args: Any, **kwargs: Any) -> str:
        try:
            return super().render(*args, **kwargs)
        except Exception as e:  # a template error, or its expression's own ({{ 1/0 }})
            line = _template_line(e.__traceback__)
            if 0 < line <= len(self.source_lines):
                _locate(e, self.source_lines[line - 1])
            raise


#: The longest text (or list) a template's expression may make, and the largest power it may
#: raise to: a template received from elsewhere must not stall a build or fill the memory
#: (``{{ "x" * 1000000000 }}``, ``{{ 10 ** 1000000 }}``).
MOST_CHARS = 100_000
MOST_EXPONENT = 64


class TemplateLimitError(SecurityError):
    """A template's expression would make more than a document can hold (its message is the
    clerk's, in Vietnamese)."""


class Environment(ImmutableSandboxedEnvironment):
    """Sandboxed, strict, escaping environment that compiles each distinct source once.

    docxtpl hands Jinja the whole document XML as a string on every render; the XML of a
    template does not change between documents, so its compiled form is reused. Repetition
    (``*``) and powers (``**``) are checked before they run (:data:`MOST_CHARS`,
    :data:`MOST_EXPONENT`), and so is what ``replace`` and ``truncate`` make.
    """

    template_class = _Template
    intercepted_binops = frozenset({"*", "**"})

    def __init__(self) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=True)
        self.filters = {k: v for k, v in self.filters.items() if k in FILTERS}
        self.filters["replace"] = _bounded_replace(self.filters["replace"])
        self.filters["truncate"] = _bounded_truncate(self.filters["truncate"])
        self.globals = {}
        self._compiled: dict[str, jinja2.Template] = {}

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            if not _small_number(left) or not _small_number(right) or abs(right) > MOST_EXPONENT:
                raise TemplateLimitError(f"lũy thừa quá lớn trong mẫu (số mũ tối đa {MOST_EXPONENT})")
            return left ** right
        for times, thing in ((right, left), (left, right)):
            if isinstance(times, int) and isinstance(thing, (str, list, tuple)) and (
                    times * max(len(thing), 1) > MOST_CHARS):
                raise TemplateLimitError(f"mẫu lặp một chuỗi quá dài (tối đa {MOST_CHARS} ký tự)")
        return super().call_binop(context, operator, left, right)

    def from_string(self, source, globals=None, template_class=None):
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            if len(self._compiled) > 256:
                self._compiled.clear()
            try:
                compiled = super().from_string(source)
            except jinja2.TemplateSyntaxError as e:
                lines = source.splitlines()
                if e.lineno and 0 < e.lineno <= len(lines):
                    _locate(e, lines[e.lineno - 1])
                raise
            assert isinstance(compiled, _Template)
            compiled.source_lines = source.splitlines()
            self._compiled[source] = compiled
        return compiled


def _small_number(value: Any) -> bool:
    """Tell whether `value` is a number a power may take without stalling."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and (
        abs(value) < 10 ** 15)


def _bounded_replace(replace: Any) -> Any:
    """Return Jinja's ``replace`` filter refusing results over :data:`MOST_CHARS`."""

    def bounded(eval_ctx: Any, s: Any, old: Any, new: Any, count: Any = None) -> Any:
        text = str(s)
        grows = max(len(str(new)) - len(str(old)), 0)
        times = text.count(str(old)) + (1 if str(old) == "" else 0)
        if len(text) + grows * times > MOST_CHARS:
            raise TemplateLimitError(f"mẫu thay thế tạo chuỗi quá dài (tối đa {MOST_CHARS} ký tự)")
        return replace(eval_ctx, s, old, new, count)

    bounded.jinja_pass_arg = getattr(replace, "jinja_pass_arg", None)  # type: ignore[attr-defined]
    return bounded


def _bounded_truncate(truncate: Any) -> Any:
    """Return Jinja's ``truncate`` filter refusing a length it cannot use (below 3)."""

    def bounded(env: Any, s: str, length: int = 255, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(length, int) or length < 3:
            raise TemplateLimitError("truncate trong mẫu cần độ dài từ 3 trở lên")
        return truncate(env, s, length, *args, **kwargs)

    bounded.jinja_pass_arg = getattr(truncate, "jinja_pass_arg", None)  # type: ignore[attr-defined]
    return bounded


ENV = Environment()


def _locate(error: BaseException, xml_line: str) -> None:
    """Note on `error` the text of the template line (a paragraph's XML) it was raised in."""
    error.vanban_paragraph = _xml_text(xml_line)  # type: ignore[attr-defined]


def paragraph_of(error: BaseException) -> str:
    """Return the text of the template paragraph `error` was raised in, or ``""``."""
    return str(getattr(error, "vanban_paragraph", ""))[:120]


def _template_line(tb: TracebackType | None) -> int:
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == _SOURCE_NAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _xml_text(xml: str) -> str:
    """Return the text of one line of WordprocessingML (its tags dropped)."""
    return re.sub(r"<[^>]*>", "", xml).strip()


@dataclass(frozen=True)
class TagProblem:
    """A tag of a template that does not parse."""

    #: Text of the paragraph holding the tag.
    paragraph: str
    #: Vietnamese message.
    message: str
    #: Index of that paragraph in the list given to :func:`check_tags` (from 0), so the
    #: caller can say where it is (``đoạn thứ 47``, a table cell): the same text is often on
    #: many paragraphs (a template holds eight ``{%p endfor %}``).
    index: int = 0


#: docxtpl's prefixes whose tag replaces its whole paragraph (``{%p``, ``{{p``), table row
#: (``{%tr``) or cell (``{%tc``): anything else typed in that paragraph is dropped.
WHOLE_PREFIXES = frozenset({"p", "tr", "tc"})
#: Statements that continue an open block (their prefix must be the block's).
_MIDDLES = frozenset({"else", "elif"})


@dataclass
class _Tags:
    """The tags of one paragraph, as :func:`_tags_of` read them."""

    #: The tags as Jinja will see them (text outside tags dropped, docxtpl's prefixes too).
    line: str = ""
    #: Whether every tag opened in the paragraph closes in it.
    closed: bool = True
    #: ``(prefix, statement, tag)`` of each block tag that opens, continues or ends a block.
    statements: list[tuple[str, str, str]] = field(default_factory=list)
    #: The first tag with a prefix of :data:`WHOLE_PREFIXES`, as typed, or ``""``.
    whole: str = ""
    #: How many tags the paragraph holds.
    count: int = 0
    #: The text outside tags.
    text: str = ""
    #: A closing ``}}`` or ``%}`` found outside any tag (``{ trich_yeu }}``), or ``""``.
    stray: str = ""


def check_tags(paragraphs: Sequence[str]) -> TagProblem | None:
    """Parse every tag of `paragraphs` (one template part's, in order); return the first problem.

    Every tag must close in the paragraph it opens in, and the tags of the part together must
    compile as docxtpl will hand them to Jinja (blocks closed, known filters only). Besides:

    - a ``}}`` or ``%}`` with no opening brace is refused: ``{ trich_yeu }}`` would otherwise
      print as is in the official document (only the template's text is read here, never the
      dossier's, which may hold braces);
    - a tag that docxtpl puts in place of its whole paragraph (``{%p``, ``{{p``, ``{%tr``,
      ``{%tc``) must be alone in it, since the words typed beside it vanish without a trace;
    - a block closes (and continues, ``else``) with the prefix it opened with: ``{% for %}``
      closed by ``{%p endfor %}`` makes docxtpl cut paragraphs in half, and the document's XML
      loses its page settings.
    """
    lines: list[str] = []
    stack: list[tuple[str, str, str, int]] = []  # (statement, prefix, tag, paragraph index)
    for index, text in enumerate(paragraphs):
        quoted = text.strip()[:120]
        try:
            tags = _tags_of(text)
        except jinja2.TemplateSyntaxError as e:
            return TagProblem(quoted, syntax_message(e.message or ""), index)
        if not tags.closed:
            return TagProblem(quoted, UNCLOSED, index)
        if tags.stray:
            return TagProblem(quoted, _stray_message(tags.stray), index)
        if tags.whole and (tags.text.strip() or tags.count > 1):
            return TagProblem(quoted, _alone_message(tags), index)
        for prefix, name, tag in tags.statements:
            problem = _match_block(stack, prefix, name, tag, index)
            if problem is not None:
                return TagProblem(paragraphs[problem[0]].strip()[:120], problem[1], problem[0])
        lines.append(tags.line)
    source = "\n".join(lines)
    try:
        ENV.compile(source)
    except jinja2.TemplateSyntaxError as e:
        index = (e.lineno or 1) - 1
        if "innermost block" in (e.message or ""):
            index = _unclosed_block(source)
        index = min(max(index, 0), len(paragraphs) - 1) if paragraphs else 0
        where = paragraphs[index] if paragraphs else ""
        return TagProblem(where.strip()[:120], syntax_message(e.message or ""), index)
    return None


def _match_block(stack: list[tuple[str, str, str, int]], prefix: str, name: str, tag: str,
                 index: int) -> tuple[int, str] | None:
    """Follow block statement `name` (typed `tag`, with docxtpl `prefix`) on `stack`; return
    ``(paragraph index, message)`` when its prefix is not the one its block opened with.

    Blocks that do not nest properly are left to Jinja's own check.
    """
    if name in BLOCKS:
        stack.append((name, prefix, tag, index))
        return None
    opened = stack[-1] if stack else None
    if name in _MIDDLES:
        if opened is None or opened[0] not in ("if", "for") or opened[1] == prefix:
            return None
    elif name.startswith("end") and opened is not None and opened[0] == name[3:]:
        stack.pop()
        if opened[1] == prefix:
            return None
    else:
        return None
    block, first, first_tag, where = opened
    return where, (
        f"thẻ “{first_tag}” và thẻ “{tag}” ở đoạn thứ {index + 1} phải cùng kiểu: thẻ đứng "
        f"riêng một đoạn viết {{%p {block} … %}} … {{%p end{block} %}}, thẻ nằm giữa dòng chữ "
        f"viết {{% {block} … %}} … {{% end{block} %}}")


def _stray_message(stray: str) -> str:
    opener = "{{" if stray == "}}" else "{%"
    return (f"dấu “{stray}” không có dấu “{opener}” mở trước nó; thẻ viết "
            + ("{{ tên_trường }}" if stray == "}}" else "{% … %}"))


def _alone_message(tags: _Tags) -> str:
    words = " ".join(tags.text.split())
    what = f"; chữ “{words[:60]}” sẽ bị mất" if words else "; mỗi thẻ như vậy phải ở một đoạn riêng"
    return (f"thẻ “{tags.whole}” phải đứng một mình trong đoạn (vanban bỏ cả đoạn chứa nó khi "
            f"điền){what}: hãy chuyển chữ hoặc thẻ khác sang đoạn bên cạnh")


def _tags_of(text: str) -> _Tags:
    """Return the tags of paragraph `text` as Jinja will see them, and what else it holds.

    Text outside tags is dropped from the line; docxtpl's prefixes and its own tags become
    plain Jinja.
    """
    out: list[str] = []
    found = _Tags()
    source = text.translate(_QUOTES).replace("\n", " ")
    tokens = list(ENV.lexer.tokeniter(source, None))
    depth = 0
    raw = False
    i = 0
    while i < len(tokens):
        _, kind, value = tokens[i]
        i += 1
        if kind in ("raw_begin", "raw_end"):
            raw = kind == "raw_begin"
            found.count += 1
            continue
        if kind == "data":
            found.text += value
            if not raw:
                found.stray = found.stray or next((s for s in ("}}", "%}") if s in value), "")
            continue
        if kind in ("comment_begin", "comment", "comment_end"):
            continue
        if kind in ("variable_begin", "block_begin"):
            depth += 1
            found.count += 1
            begin_at = i - 1
            prefix = ""
            if i + 1 < len(tokens) and tokens[i][1] == "name" and tokens[i][2] in DOCXTPL_PREFIXES \
                    and tokens[i + 1][1] == "whitespace":
                prefix = tokens[i][2]
                i += 2
            words = [v for _, k, v in tokens[i:i + 3] if k != "whitespace"]
            if prefix in WHOLE_PREFIXES and not found.whole:
                found.whole = _typed_tag(tokens, begin_at)
            if kind == "block_begin" and words and (
                    words[0] in BLOCKS or words[0] in _MIDDLES or words[0].startswith("end")):
                found.statements.append((prefix, words[0], _typed_tag(tokens, begin_at)))
            if kind == "block_begin" and words and words[0] in DOCXTPL_BARE_TAGS:
                while i < len(tokens) and tokens[i][1] != "block_end":
                    i += 1
                i += 1
                depth -= 1
                continue
            if kind == "block_begin" and words and words[0] in DOCXTPL_VALUE_TAGS:
                out.append("{{")
                while tokens[i][1] == "whitespace":
                    i += 1
                i += 1  # the tag's name
                while i < len(tokens) and tokens[i][1] != "block_end":
                    out.append(tokens[i][2])
                    i += 1
                if i < len(tokens):
                    out.append("}}")
                    depth -= 1
                    i += 1
                continue
        elif kind in ("variable_end", "block_end"):
            depth -= 1
        out.append(value)
    found.line = "".join(out)
    found.closed = depth == 0
    return found


def _typed_tag(tokens: list[tuple[int, str, str]], start: int) -> str:
    """Return the tag whose opening token is ``tokens[start]``, as typed (shortened)."""
    out = []
    for _, kind, value in tokens[start:]:
        out.append(value)
        if kind in ("variable_end", "block_end"):
            break
    typed = " ".join("".join(out).split())
    return typed if len(typed) <= 40 else typed[:37] + "…"


def _unclosed_block(source: str) -> int:
    """Return the index of the line whose block tag is the innermost one left open."""
    stack: list[tuple[str, int]] = []
    for index, line in enumerate(source.splitlines()):
        for name in re.findall(r"\{%-?\s*(\w+)", line):
            if name in BLOCKS:
                stack.append((name, index))
            elif name.startswith("end") and stack and stack[-1][0] == name[3:]:
                stack.pop()
    return stack[-1][1] if stack else len(source.splitlines()) - 1


def syntax_message(detail: str) -> str:
    """Return Jinja's syntax error `detail` in Vietnamese (the common ones; else quoted)."""
    m = re.search(r"No filter named '([^']+)'", detail)
    if m:
        return (f"bộ lọc “{m.group(1)}” không được phép; mẫu chỉ dùng được các bộ lọc: "
                + ", ".join(sorted(FILTERS)))
    m = re.search(r"innermost block that needs to be closed is '(\w+)'", detail)
    if m:
        return f"thẻ {{% {m.group(1)} %}} không có thẻ {{% end{m.group(1)} %}} đóng lại"
    m = re.search(r"Encountered unknown tag '(\w+)'", detail)
    if m:
        return f"thẻ {{% {m.group(1)} %}} không hợp lệ ở đây"
    m = re.search(r"expected token '[^']+', got '([^']+)'", detail)
    if m:
        return f"“{m.group(1)}” đặt sai chỗ trong thẻ"
    m = re.fullmatch(r"unexpected char ('.+'|\".+\") at \d+", detail)
    if m:
        char = ast.literal_eval(m.group(1))
        return f"ký tự “{char}” không được có trong thẻ (hoặc thẻ chưa đóng bằng }}}} hay %}})"
    m = re.fullmatch(r"unexpected '(.+)'", detail)
    if m:
        return f"dấu “{m.group(1)}” đặt sai chỗ (thẻ đóng bằng }}}} hoặc %}})"
    if "unexpected end of template" in detail.lower():
        return UNCLOSED
    return f"thẻ viết sai, so lại với mẫu gốc (Jinja báo: {detail})"


__all__ = ["ENV", "FILTERS", "Environment", "UNCLOSED", "TagProblem", "check_tags", "paragraph_of",
           "syntax_message"]
