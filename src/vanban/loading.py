"""Load a dossier: YAML file → typed :class:`~vanban.model.Hoso`, with located problems.

Raw dicts never leave this module. The YAML is composed into nodes (so every value keeps its
line and column), turned into plain data by hand (every scalar stays a string: dates such as
2023-02-30 and times such as 07:30 are parsed by the model with Vietnamese messages), validated
by the model, then checked against the domain rules of :mod:`vanban.checks`. Every problem is
reported at once as ``file:line:column: key.path: message``.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from vanban import files, text
from vanban.errors import DataError, InputFileError, Problem
from vanban.model import Hoso

#: Largest dossier file read (bytes).
MAX_FILE = 2_000_000
#: Largest number of YAML nodes (guards against alias bombs).
MAX_NODES = 200_000
#: Deepest nesting accepted.
MAX_DEPTH = 40

Path_ = tuple[str | int, ...]


@dataclass
class Loaded:
    """A validated dossier with where it came from and its warnings."""

    hoso: Hoso
    path: Path
    warnings: list[Problem] = field(default_factory=list)
    #: Text of each topic's Markdown file (``tep``), as it was read and checked.
    topics: dict[str, str] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return self.path.parent

    def inputs(self) -> list[Path]:
        """Return the files besides the YAML the documents are made from (topic Markdown).

        Whatever else a document reads must be listed here, or a build served whole from
        the cache (:class:`vanban.cache.Dossiers`) would miss its changes.
        """
        th = self.hoso.tap_huan
        topics = th.chuyen_de if th is not None else []
        return [self.folder / str(cd.tep) for cd in topics if cd.tep]


def dotted(loc: Path_) -> str:
    """Return `loc` as a key path: ``ban_dieu_hanh.thanh_vien[3].ho_ten`` (1-based index)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class _Locator:
    """Positions of the YAML nodes, by key path."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.values: dict[Path_, tuple[int, int]] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}

    def where(self, loc: Path_, *, key: bool = False) -> tuple[int, int]:
        loc = tuple(loc)
        while loc:
            table = self.keys if key else self.values
            if loc in table:
                return table[loc]
            if loc in self.keys:
                return self.keys[loc]
            loc = loc[:-1]
        return self.values.get((), (1, 1))

    def problem(self, loc: Path_, message: str, level: str = "loi", *, key: bool = False) -> Problem:
        line, col = self.where(loc, key=key)
        return Problem(dotted(loc), message, level, self.file, line, col)


class _Loader(yaml.SafeLoader):
    """SafeLoader whose plain scalars all stay strings (except null)."""


# Keep only the null resolver: booleans, numbers and timestamps are left to the model, which
# knows what each field expects and explains a bad value in Vietnamese.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag == "tag:yaml.org,2002:null"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """:class:`_Loader` on libyaml's parser (several times quicker) when PyYAML has it."""


_FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def _compose(source: str) -> yaml.Node | None:
    """Return the YAML `source` composed into nodes, each with its line and column.

    libyaml parses it when it can; a text it refuses is parsed again by PyYAML, whose errors
    (with their positions in characters) the messages are made from. So is a text with a tab:
    libyaml takes a tab inside a plain value where PyYAML refuses it, and the clerk is told
    to use spaces.
    """
    if "\t" not in source:
        with contextlib.suppress(yaml.YAMLError):
            return yaml.compose(source, Loader=_FastLoader)
    return yaml.compose(source, Loader=_Loader)


def check_path(path: Path) -> None:
    """Raise :class:`InputFileError` when `path` cannot be a dossier: not there, or a folder."""
    shown = str(path)
    if not path.exists():
        raise InputFileError(f"{shown}: không tìm thấy tệp; hãy kiểm tra đường dẫn")
    if path.is_dir():
        raise InputFileError(f"{shown}: là một thư mục; hãy chỉ ra tệp hoso.yaml trong đó")


def _read(path: Path) -> str:
    shown = str(path)
    check_path(path)
    data = files.read_regular(path, shown, MAX_FILE)
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputFileError(
            f"{shown}:{line}: tệp không phải UTF-8 (byte 0x{data[e.start]:02X}); "
            "hãy lưu lại tệp với bảng mã UTF-8"
        ) from e
    if not raw.strip():
        raise InputFileError(f"{shown}: tệp rỗng; chạy 'vanban init' để có tệp mẫu")
    return raw


#: PyYAML's English problems (or, failing them, its contexts) as what a clerk should change.
#: The first pattern that matches wins; ``{0}`` is the character or token PyYAML names.
_YAML_HINTS: tuple[tuple[str, str], ...] = (
    (r"found character '\\t' that cannot start", "có ký tự tab; YAML chỉ thụt lề bằng dấu cách"),
    (r"found character (.+) that cannot start",
     "ký tự {0} không được mở đầu một giá trị; hãy đặt giá trị trong ngoặc kép"),
    (r"mapping values are not allowed",
     "dấu ':' đặt sai chỗ; giá trị có dấu ':' cần đặt trong ngoặc kép"),
    (r"could not find expected ':'", "thiếu dấu ':' sau tên khóa"),
    (r"found undefined alias", "tham chiếu (*) chưa được định nghĩa"),
    (r"found duplicate anchor", "hai neo (&) trùng tên"),
    (r"expected alphabetic or numeric character",
     "tên neo (&) hay tham chiếu (*) chỉ gồm chữ và số; giá trị mở đầu bằng '&' hay '*' "
     "cần đặt trong ngoặc kép"),
    (r"found unknown escape character",
     "dấu '\\' lạ trong chuỗi ngoặc kép; viết '\\\\' hoặc dùng ngoặc đơn"),
    (r"expected escape sequence", "dấu '\\' lạ trong chuỗi ngoặc kép; dùng ngoặc đơn"),
    (r"found unexpected document separator|found unexpected end of stream",
     "thiếu dấu ngoặc kép đóng"),
    (r"expected ',' or '\]'", "danh sách trong '[ ]' thiếu dấu ',' hoặc dấu ']' đóng"),
    (r"expected ',' or '\}'", "nhóm trong '{ }' thiếu dấu ',' hoặc dấu '}' đóng"),
    (r"expected <block end>", "thụt lề không thẳng hàng"),
    (r"sequence entries are not allowed", "dấu '-' của danh sách thụt lề sai"),
    (r"mapping keys are not allowed", "khóa đặt sai chỗ; kiểm tra thụt lề"),
    (r"'<stream end>'", "tệp hết khi dấu '[' hay '{' chưa được đóng"),
    (r"expected the node content", "thiếu giá trị"),
    (r"found unhashable key", "khóa không hợp lệ"),
    (r"expected a comment or a line break", "còn ký tự thừa sau giá trị"),
    (r"block scalar|indentation indicator|chomping",
     "khối chữ '|' hay '>' viết sai (sau '|' chỉ được có '-', '+' hoặc một chữ số)"),
    (r"single document|another document|document start",
     "tệp có hơn một hồ sơ (dòng '---' hay '...'); mỗi tệp chỉ một hồ sơ"),
    (r"directive", "dòng mở đầu bằng '%' không hợp lệ; đặt giá trị trong ngoặc kép"),
    (r"tag", "thẻ kiểu '!' không hợp lệ; giá trị mở đầu bằng '!' cần đặt trong ngoặc kép"),
    (r"quoted scalar", "thiếu dấu ngoặc kép đóng"),
    (r"simple key", "thiếu dấu ':' sau tên khóa"),
)


def _hint(text: str) -> str | None:
    """Return the Vietnamese hint for PyYAML's problem or context `text`, if one fits."""
    for pattern, template in _YAML_HINTS:
        match = re.search(pattern, text)
        if match:
            return template.replace("{0}", match.group(1)) if match.groups() else template
    return None


def _yaml_error(shown: str, err: yaml.YAMLError, source: str) -> InputFileError:
    """Return PyYAML's error `err` as one Vietnamese line naming the file, line and column."""
    if isinstance(err, yaml.reader.ReaderError):
        # A character YAML does not allow (a control character): PyYAML gives its offset.
        before = source[: err.position]
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        return InputFileError(f"{shown}:{line}:{column}: YAML không hợp lệ: có ký tự điều khiển "
                              f"U+{err.character:04X}; hãy xóa ký tự này")
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    where = f"{shown}:{mark.line + 1}:{mark.column + 1}" if mark else shown
    problem = str(getattr(err, "problem", "") or "")
    context = str(getattr(err, "context", "") or "")
    hint = _hint(problem) or _hint(context) or "cú pháp YAML sai"
    marked = source.split("\n")[mark.line] if mark and mark.line <= source.count("\n") else ""
    if any(q in marked for q in "“”‘’"):
        # -- Word's curly quotes are letters to YAML: the clerk believes the value quoted --
        hint = ("ngoặc kép “ ” (kiểu Word) không được YAML coi là ngoặc kép; hãy gõ ngoặc kép "
                "thẳng \"…\" quanh giá trị")
    return InputFileError(f"{where}: YAML không hợp lệ: {hint}")


class _Builder:
    """Turn YAML nodes into plain data, recording positions and structural problems."""

    def __init__(self, locator: _Locator) -> None:
        self.loc = locator
        self.problems: list[Problem] = []
        self.count = 0

    def build(self, node: yaml.Node, path: Path_ = ()) -> Any:
        self.count += 1
        if self.count > MAX_NODES or len(path) > MAX_DEPTH:
            raise InputFileError(
                f"{self.loc.file}: hồ sơ quá lớn hoặc lồng quá sâu; hãy kiểm tra các tham chiếu (*)"
            )
        self.loc.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":null"):
                    self.problems.append(self.loc.problem(path, "khóa phải là một từ, ví dụ ho_ten"))
                    continue
                key = str(key_node.value)
                if key == "<<":
                    self.problems.append(self.loc.problem(path, "không hỗ trợ gộp khóa '<<'"))
                    continue
                kpath = (*path, key)
                self.loc.keys[kpath] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                bad = text.find_control_char(key) or text.find_bidi_char(key)
                if bad:
                    self.problems.append(self.loc.problem(
                        kpath, f"tên khóa có ký tự điều khiển {bad}; hãy xóa ký tự đó", key=True))
                    continue
                if key in out:
                    self.problems.append(
                        self.loc.problem(kpath, "khóa bị lặp lại; mỗi khóa chỉ viết một lần", key=True)
                    )
                    continue
                out[key] = self.build(value_node, kpath)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        if node.tag == "tag:yaml.org,2002:null":
            return None
        if node.tag not in ("tag:yaml.org,2002:str",) and not node.tag.startswith("tag:yaml.org"):
            self.problems.append(self.loc.problem(path, f"kiểu YAML {node.tag} không được hỗ trợ"))
        return str(node.value)


def _model_at(model: type[BaseModel], loc: Path_) -> type[BaseModel] | None:
    """Return the model class that holds the field at `loc` (for did-you-mean)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(str(part))
        if info is None:
            # A dict key (e.g. co_quan.<name>): stay on the dict's value type.
            continue
        current = _unwrap(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """Return the model class inside Optional[...], list[...], dict[..., ...], Annotated[...]."""
    for _ in range(6):
        args = typing.get_args(annotation)
        if not args:
            return annotation
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        if models:
            return models[0]
        inner = [a for a in args if a is not type(None)]
        annotation = inner[-1] if inner else annotation
    return annotation


_MESSAGES = {
    "missing": "thiếu khóa bắt buộc",
    "int_parsing": "phải là một số nguyên",
    "int_type": "phải là một số nguyên",
    "int_from_float": "phải là một số nguyên",
    "string_type": "phải là một chuỗi chữ (đặt trong ngoặc kép nếu cần)",
    "list_type": "phải là một danh sách, mỗi mục một dòng bắt đầu bằng '- '",
    "dict_type": "phải là một nhóm khóa: giá trị",
    "model_type": "phải là một nhóm khóa: giá trị",
    "model_attributes_type": "phải là một nhóm khóa: giá trị",
    "bool_parsing": "phải là có hoặc không (true/false)",
    "literal_error": "giá trị không hợp lệ; chỉ nhận: {expected}",
    "greater_than_equal": "phải lớn hơn hoặc bằng {ge}",
    "less_than_equal": "phải nhỏ hơn hoặc bằng {le}",
    "too_short": "cần ít nhất {min_length} mục",
    "too_long": "nhiều nhất {max_length} mục",
    "string_too_long": "dài quá {max_length} ký tự; hãy rút gọn",
}


def _message(err: Any, model: type[BaseModel]) -> str:
    kind = err["type"]
    loc = tuple(err["loc"])
    if kind == "extra_forbidden":
        holder = _model_at(model, loc[:-1])
        key = str(loc[-1])
        msg = "khóa không được hỗ trợ"
        if holder is not None:
            close = difflib.get_close_matches(key, list(holder.model_fields), n=1, cutoff=0.6)
            if close:
                msg += f"; có phải ý bạn là '{close[0]}'?"
            else:
                msg += "; các khóa hợp lệ: " + ", ".join(holder.model_fields)
        return msg
    if kind == "too_long" and isinstance(err.get("input"), str):
        kind = "string_too_long"  # a length constraint after a validator is a generic one
    template = _MESSAGES.get(kind)
    if template is None:
        return str(err["msg"]).removeprefix("Value error, ")
    ctx = err.get("ctx") or {}
    try:
        values = {k: str(v).replace("'", "").replace(" or ", ", ") for k, v in ctx.items()}
        return template.format(**values)
    except (KeyError, IndexError):
        return template


def _validation_problems(exc: ValidationError, locator: _Locator) -> list[Problem]:
    problems = []
    seen = set()
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        msg = _message(err, Hoso)
        if (loc, msg) in seen:
            continue
        seen.add((loc, msg))
        problems.append(locator.problem(loc, msg, key=err["type"] == "extra_forbidden"))
    return problems


#: A space other than the plain one where a line is indented (a no-break space pasted from
#: Word): YAML takes it for part of the key, and the clerk sees a right-looking key refused.
_ODD_INDENT = re.compile(r"(?m)^ *([\u00a0\u2000-\u200a\u202f\u205f\u3000])")


def parse(source: str, file: str = "<hồ sơ>", folder: Path | None = None) -> Loaded:
    """Validate the YAML text `source` and return the dossier.

    `file` names the source in messages; `folder` is where relative paths (Markdown files of
    the training topics) are resolved. Raise :class:`DataError` listing every problem.
    """
    from vanban import checks

    locator = _Locator(file)
    if odd := _ODD_INDENT.search(source):
        line = source.count("\n", 0, odd.start(1)) + 1
        column = odd.start(1) - (source.rfind("\n", 0, odd.start(1)) + 1) + 1
        raise InputFileError(
            f"{file}:{line}:{column}: có khoảng trắng lạ (U+{ord(odd.group(1)):04X}, thường do "
            "chép từ Word) ở đầu dòng; hãy xóa rồi thụt lề bằng dấu cách")
    try:
        root = _compose(source)
    except yaml.YAMLError as e:
        raise _yaml_error(file, e, source) from None
    except RecursionError:
        raise InputFileError(f"{file}: hồ sơ lồng quá sâu") from None
    if root is None:
        raise InputFileError(f"{file}: tệp rỗng; chạy 'vanban init' để có tệp mẫu")
    builder = _Builder(locator)
    data = builder.build(root)
    if not isinstance(data, dict):
        line, col = locator.where(())
        raise InputFileError(
            f"{file}:{line}:{col}: hồ sơ phải là các cặp khóa: giá trị (ví dụ 'dia_ban:'), "
            "không phải một danh sách hay một giá trị đơn"
        )
    problems = list(builder.problems)
    try:
        hoso = Hoso.model_validate(data)
    except ValidationError as e:
        problems.extend(_validation_problems(e, locator))
        raise DataError(problems) from None
    if problems:
        raise DataError(problems)
    base = folder or Path.cwd()
    topics: dict[str, str] = {}
    found = checks.check(hoso, base, topics)
    located = [locator.problem(f.loc, f.message, f.level) for f in found]
    errors = [p for p in located if p.level == "loi"]
    if errors:
        raise DataError(errors + [p for p in located if p.level != "loi"])
    return Loaded(hoso, Path(file), [p for p in located if p.level != "loi"], topics)


def load(path: str | os.PathLike[str]) -> Loaded:
    """Read and validate the dossier at `path`; raise a :class:`VanbanError` when it is bad."""
    p = Path(path)
    source = _read(p)
    loaded = parse(source, str(p), p.resolve().parent)
    loaded.path = p
    return loaded


__all__ = ["Loaded", "check_path", "dotted", "load", "parse"]
