"""Command-line interface: parse, call one library function, print (the only click user)."""

from __future__ import annotations

import codecs
import functools
import io
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from vanban.errors import UsageError, VanbanError, describe

F = TypeVar("F", bound=Callable[..., Any])

#: Click's own words (its gettext message ids) as a clerk reads them: the usage frame, the
#: help's section titles and every usage error this command line can meet.
CLICK_VI = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Tham số",
    "Show this message and exit.": "In trợ giúp này rồi thoát.",
    "Show the version and exit.": "In số phiên bản rồi thoát.",
    "Error: {message}": "Lỗi: {message}",
    "Try '{command} {option}' for help.": "Gõ '{command} {option}' để xem trợ giúp.",
    "default: {default}": "mặc định: {default}",
    "required": "bắt buộc",
    "env var: {var}": "biến môi trường: {var}",
    "No such option {name!r}.": "không có tùy chọn {name!r}.",
    "Did you mean {possibility}?": "Có phải là {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Có phải là một trong: {possibilities}?)",
    "No such command {name!r}.": "không có lệnh {name!r}.",
    "Missing command.": "thiếu lệnh.",
    "Missing argument": "thiếu tham số",
    "Missing option": "thiếu tùy chọn",
    "Missing parameter": "thiếu tham số",
    "Missing parameter: {param_name}": "thiếu tham số: {param_name}",
    "Missing {param_type}": "thiếu {param_type}",
    "Invalid value for {param_hint}: {message}": "giá trị của {param_hint} không hợp lệ: {message}",
    "Invalid value: {message}": "giá trị không hợp lệ: {message}",
    "Option {name!r} requires an argument.": "tùy chọn {name!r} cần một giá trị.",
    "Option {name!r} requires {nargs} arguments.": "tùy chọn {name!r} cần {nargs} giá trị.",
    "Option {name!r} does not take a value.": "tùy chọn {name!r} không nhận giá trị.",
    "Got unexpected extra argument ({args})": "thừa tham số ({args}).",
    "Got unexpected extra arguments ({args})": "thừa tham số ({args}).",
    "{value!r} is not {choice}.": "{value!r} không phải {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} không thuộc: {choices}.",
    "Could not open file {filename!r}: {message}": "không mở được tệp {filename!r}: {message}",
    "unknown error": "lỗi không rõ",
    "Aborted!": "Đã dừng.",
}
#: The usage line's placeholders (Click's are not marked for translation).
OPTIONS_METAVAR = "[TÙY CHỌN]"
#: Placeholders of an option's value, by Click type name, and of an argument, by its name.
TYPE_METAVARS = {"path": "ĐƯỜNG_DẪN", "text": "CHỮ", "integer": "SỐ", "float": "SỐ"}
ARGUMENT_METAVARS = {"files": "TỆP...", "folder": "[THƯ_MỤC]"}


def _vi(message: str) -> str:
    return CLICK_VI.get(message, message)


def _vi_plural(singular: str, plural: str, n: int) -> str:
    return _vi(singular if n == 1 else plural)


def _speak_vietnamese() -> None:
    """Have Click say its own words (usage, errors, help titles) in Vietnamese.

    Click marks them for gettext, binding ``_`` and ``ngettext`` in each of its modules at
    import; gettext would pick a catalogue by the process's locale, so those names are
    pointed at :data:`CLICK_VI` instead, whatever the locale.
    """
    for name, module in list(sys.modules.items()):
        if name == "click" or name.startswith("click."):
            if callable(getattr(module, "_", None)):
                module._ = _vi  # type: ignore[attr-defined]
            if callable(getattr(module, "ngettext", None)):
                module.ngettext = _vi_plural  # type: ignore[attr-defined]


_speak_vietnamese()


#: Stands for "-" while help text is wrapped (a non-breaking hyphen, which the wrapper
#: does not break at).
_NB_HYPHEN = "\u2011"


class _Formatter(click.HelpFormatter):
    """Help wrapped at spaces only: an option (``--vai-tro``), a file name
    (``so-dang-ky.sqlite``) or the test password is never cut at its hyphens."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args.replace("-", _NB_HYPHEN), prefix)

    def write_text(self, text: str) -> None:
        super().write_text(text.replace("-", _NB_HYPHEN))

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(a.replace("-", _NB_HYPHEN), b.replace("-", _NB_HYPHEN)) for a, b in rows]
        super().write_dl(rows, col_max, col_spacing)

    def getvalue(self) -> str:
        return super().getvalue().replace(_NB_HYPHEN, "-")


class _Context(click.Context):
    formatter_class = _Formatter


class _Command(click.Command):
    """A command whose usage line and help name its options and values in Vietnamese."""

    context_class = _Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)
        for param in self.params:
            if param.metavar is not None:
                continue
            if isinstance(param, click.Argument):
                param.metavar = ARGUMENT_METAVARS.get(param.name or "")
            elif isinstance(param, click.Option) and not param.is_flag:
                param.metavar = TYPE_METAVARS.get(param.type.name)


class _Group(click.Group):
    """The ``vanban`` group: its commands are :class:`_Command`."""

    command_class = _Command
    context_class = _Context


class VanbanFailure(click.ClickException):
    """A library error shown as one Vietnamese line (several for a list of problems)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        # click declares exit_code per class; each VanbanError subclass carries its own.
        self.exit_code = exit_code  # type: ignore[misc]

    def show(self, file: Any = None) -> None:
        _echo(f"Lỗi: {self.message}", err=True)


def _echo(message: str, err: bool = False) -> None:
    """Print `message`; whatever in it could drive the terminal (ESC, bidi…) is escaped.

    Messages quote the dossier, templates and DOCX files, which come from other offices.
    """
    from vanban.text import visible

    try:
        click.echo(visible(message), err=err)
    except BrokenPipeError:
        # -- whoever read the output has gone (`vanban issue … | head -1`): the command's
        # -- work goes on and ends as it would; what is left to print goes nowhere --
        stream = sys.stderr if err else sys.stdout
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())


class _VisibleFormatter(logging.Formatter):
    """Log lines escaped as :func:`_echo` escapes messages."""

    def format(self, record: logging.LogRecord) -> str:
        from vanban.text import visible

        return visible(super().format(record))


class OutPath(click.Path):
    """Where output goes: any path but an empty one (which would write into the current
    folder without the clerk choosing it)."""

    def __init__(self) -> None:
        super().__init__(path_type=Path, readable=False)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail("đường dẫn trống; hãy cho thư mục hay tệp ghi ra", param, ctx)
        return super().convert(value, param, ctx)


class NumberType(click.ParamType):
    """A whole number (or any number, with `kind` float) within a range, told in Vietnamese
    when it is not one; a decimal comma is read as a point (``36,5``)."""

    def __init__(self, kind: type[int] | type[float] = int, low: float | None = None,
                 high: float | None = None) -> None:
        self.kind, self.low, self.high = kind, low, high
        self.name = "integer" if kind is int else "float"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import math

        if isinstance(value, self.kind) and not isinstance(value, bool):
            number = value
        else:
            raw = str(value).strip()
            try:
                number = int(raw) if self.kind is int else float(raw.replace(",", "."))
            except ValueError:
                whole = "số nguyên" if self.kind is int else "số"
                self.fail(f"'{value}' không phải {whole}", param, ctx)
            if not math.isfinite(number):
                self.fail(f"'{value}' không phải số", param, ctx)
        if self.low is not None and number < self.low or (
                self.high is not None and number > self.high):
            if self.high is None:
                self.fail(f"{value} nhỏ quá: phải từ {self.low:g} trở lên", param, ctx)
            elif self.low is None:
                self.fail(f"{value} lớn quá: phải từ {self.high:g} trở xuống", param, ctx)
            self.fail(f"{value} phải từ {self.low:g} đến {self.high:g}", param, ctx)
        return number


def reports_errors(fn: F) -> F:
    """Turn every :class:`VanbanError` into a short message and its exit code, in one place."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except UsageError as e:
            # Shown in Click's usage frame, with exit code 2 like Click's own usage errors.
            raise click.UsageError(str(e), click.get_current_context(silent=True)) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as e:
            # Not a VanbanError: a bug, not a clerk's mistake; the traceback on request.
            if not isinstance(e, VanbanError) and os.environ.get("VANBAN_DEBUG"):
                raise
            raise VanbanFailure(*describe(e)) from None

    return wrapper  # type: ignore[return-value]


def _kinds() -> list[str]:
    from vanban.documents import KINDS

    return list(KINDS)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]},
             options_metavar=OPTIONS_METAVAR, subcommand_metavar="LỆNH [THAM SỐ]...")
@click.version_option(package_name="vanban", message="vanban %(version)s")
@click.option("-q", "--quiet", is_flag=True, help="Chỉ in lỗi và cảnh báo.")
@click.pass_context
def cli(ctx: click.Context, quiet: bool) -> None:
    """Soạn hồ sơ văn bản (Nghị định 30/2020/NĐ-CP, Hướng dẫn 36-HD/VPTW) từ một tệp YAML.

    \b
    Bắt đầu:
      vanban init ho-so-moi            tạo tệp hoso.yaml mẫu có chú thích
      vanban validate hoso.yaml        kiểm tra hồ sơ
      vanban build hoso.yaml -o out    soạn toàn bộ văn bản (DOCX và PDF)
    """
    ctx.obj = {"quiet": quiet}
    handler = logging.StreamHandler()
    handler.setFormatter(_VisibleFormatter("%(message)s"))
    logging.basicConfig(level=logging.ERROR if quiet else logging.WARNING, handlers=[handler])


def _quiet() -> bool:
    """Tell whether ``--quiet`` was given."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().obj and ctx.find_root().obj.get("quiet"))


def _say(message: str) -> None:
    """Print a progress line unless ``--quiet``."""
    if not _quiet():
        _echo(message)


@cli.command(short_help="Soạn mọi văn bản của hồ sơ (DOCX và PDF).")
@click.argument("hoso", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option("-o", "--output", "out", type=OutPath(), default=Path("out"),
              show_default=True,
              help="Thư mục ghi văn bản (nhiều hồ sơ: mỗi hồ sơ một thư mục con).")
@click.option("--only", metavar="LOẠI,…", help="Chỉ soạn các loại này (xem 'vanban kinds').")
@click.option("--format", "fmt", default="docx,pdf", show_default=True, metavar="docx|pdf|docx,pdf",
              help="Định dạng đầu ra.")
@click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")
@click.option("--templates-dir", type=click.Path(path_type=Path, readable=False),
              help="Thư mục chứa mẫu .docx đã chỉnh sửa.")
@click.option("--png", is_flag=True, help="Ghi thêm ảnh PNG trang 1 của mỗi PDF.")
@click.option("--no-fit", "--khong-can-trang", "no_fit", is_flag=True,
              help="Không tự căn trang (cỡ chữ, giãn dòng, cách đoạn trong khung nghị định "
                   "cho phép) khi văn bản ngắt trang xấu.")
@click.option("--no-cache", is_flag=True, help="Dựng lại mọi PDF, không dùng bộ nhớ đệm.")
@click.option("-j", "--jobs", type=NumberType(int, 1), metavar="N",
              help="Số tiến trình soạn song song (mặc định: số CPU).")
@click.option("--theo-doi", "--watch", "watching", is_flag=True,
              help="Soạn xong thì chờ: mỗi lần lưu hồ sơ (hoặc tệp nó dùng) là soạn lại ngay, "
                   "chỉ ghi văn bản có thay đổi. Nhấn Ctrl+C để dừng.")
@reports_errors
def build(hoso: tuple[Path, ...], out: Path, only: str | None, fmt: str, force: bool,
          templates_dir: Path | None, png: bool, no_fit: bool, no_cache: bool, jobs: int | None,
          watching: bool) -> None:
    """Soạn mọi văn bản của hồ sơ HOSO vào thư mục -o (mặc định: out).

    Nhiều hồ sơ thì soạn song song, mỗi hồ sơ vào <-o>/<tên thư mục của hồ sơ>
    (hoặc <-o>/<tên tệp> nếu tệp không tên hoso.yaml).

    Trên Linux, soạn xong vanban để lại một tiến trình chờ sẵn (đã nạp bộ dựng và phông
    chữ), tự thoát sau 10 phút không dùng: lệnh soạn sau giao việc cho nó nên xong sớm hơn
    khoảng một giây. Đặt biến môi trường VANBAN_CHO_SAN=số phút chờ, hoặc 0 để tắt.
    """
    from vanban.build import Done, parse_formats

    kinds = [k.strip() for k in only.split(",") if k.strip()] if only else None
    options: dict[str, Any] = {"only": kinds, "formats": parse_formats(fmt), "force": force,
                               "templates_dir": templates_dir, "png": png,
                               "cache": not no_cache, "fit": not no_fit}
    if watching:
        if len(hoso) > 1:
            raise UsageError("--theo-doi chỉ dùng với một hồ sơ")
        _watch(hoso[0], out, jobs, options)
        return
    if len(hoso) > 1:
        from vanban.documents import select

        select(kinds)  # a wrong --only is the call's error, not each dossier's
        _build_many(list(hoso), out, jobs, options)
        return
    from vanban.build import build as run

    def done(doc: Done) -> None:
        kinds = ", ".join(Path(name).suffix.lstrip(".") for name in doc.files)
        _say(f"Đã soạn {doc.name} ({kinds}) trong {_seconds(doc.seconds)}")

    result = run(hoso[0], out, progress=done, workers=jobs, **options)
    for problem in result.problems:
        _echo(str(problem), err=True)
    for warning in result.warnings:
        _echo(f"Cảnh báo: {warning}", err=True)
    for note in result.notes:
        _say(note)
    _say(f"Đã ghi {len(result.files)} tệp vào {out}")


def _watch(hoso: Path, out: Path, jobs: int | None, options: dict[str, Any]) -> None:
    """Build `hoso`, then again on every save, one line each, until Ctrl+C."""
    import time

    from vanban.watch import Round, watch

    def told(this: Round) -> None:
        stamp = time.strftime("%H:%M:%S")
        outcome, result = this.outcome, this.outcome.result
        what = ", ".join(p.name for p in this.changed)
        head = f"[{stamp}] " + (f"{what} đã đổi: " if this.number > 1 else "")
        if result is None:
            _echo(f"{head}Lỗi: {outcome.error}", err=True)
            if not this.ends:
                _echo("Sửa rồi lưu lại, vanban sẽ soạn lại.", err=True)
            return
        for problem in result.problems:
            _echo(str(problem), err=True)
        for warning in result.warnings:
            _echo(f"Cảnh báo: {warning}", err=True)
        documents = list(dict.fromkeys(p.stem for p in this.written))
        took = _seconds(outcome.seconds)
        for note in result.notes:
            if this.number == 1 or any(f" {name}:" in note for name in documents):
                _say(note)
        if this.number == 1:
            _say(f"{head}Đã soạn {len(result.files)} tệp vào {out} trong {took}")
        elif documents:
            every = len({p.stem for p in result.files})
            what = f"cả {every} văn bản" if len(documents) == every > 1 else ", ".join(documents)
            _say(f"{head}soạn lại {what} trong {took}")
        else:
            _say(f"{head}không văn bản nào khác đi ({took})")

    def started() -> None:
        _say(f"Theo dõi {hoso}: mỗi lần lưu, vanban soạn lại. Nhấn Ctrl+C để dừng.")

    try:
        last = watch(hoso, out, on_round=told, on_start=started, workers=jobs, **options)
    except KeyboardInterrupt:
        _say("Đã dừng theo dõi.")
        return
    # Only a failure no save can fix ends a watch (told above).
    raise click.exceptions.Exit(last.outcome.exit_code or 1)


def _seconds(seconds: float) -> str:
    """Return a duration as a clerk reads it: ``1,4 giây`` (decimal comma)."""
    return f"{seconds:.1f}".replace(".", ",") + " giây"


def _build_many(hosos: list[Path], out: Path, jobs: int | None, options: dict[str, Any]) -> None:
    """Build several dossiers in several processes; one summary line each, a progress bar on a terminal."""
    import sys

    from vanban.batch import DossierResult, build_many

    quiet = _quiet()
    bar = None
    if not quiet and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=len(hosos), unit="hồ sơ", file=sys.stderr, leave=False)

    def done(item: DossierResult) -> None:
        if item.ok and item.result is not None:
            result = item.result
            line = (f"Xong {item.hoso} → {item.out_dir}: {len(result.files)} tệp"
                    + (f", {len(result.warnings)} cảnh báo" if result.warnings else "")
                    + f" ({_seconds(item.seconds)})")
            details = [str(p) for p in result.problems]
            details += [f"{item.hoso}: Cảnh báo: {w}" for w in result.warnings]
        else:
            line = f"Lỗi {item.hoso}: {item.error}"
            details = []
        if bar is not None:
            bar.clear()
        if item.ok:
            if not quiet:
                _echo(line)
        else:
            _echo(line, err=True)
        for text in details:
            _echo(text, err=True)
        if bar is not None:
            bar.update(1)

    try:
        results = build_many(hosos, out, jobs=jobs, on_done=done, **options)
    finally:
        if bar is not None:
            bar.close()
    failed = [r for r in results if not r.ok]
    if failed:
        raise VanbanFailure(f"{len(failed)}/{len(results)} hồ sơ không soạn được",
                            max(r.exit_code for r in failed))
    _say(f"Đã soạn {len(results)} hồ sơ vào {out}")


@cli.command(short_help="Kiểm tra hồ sơ; in mọi lỗi kèm dòng, cột.")
@click.argument("hoso", type=click.Path(path_type=Path, readable=False))
@reports_errors
def validate(hoso: Path) -> None:
    """Kiểm tra hồ sơ HOSO; in mọi lỗi kèm dòng, cột (mã thoát 1 nếu có lỗi)."""
    from vanban.loading import load

    loaded = load(hoso)
    for problem in loaded.warnings:
        _echo(str(problem), err=True)
    _echo(f"{hoso}: hợp lệ" + (f" ({len(loaded.warnings)} cảnh báo)" if loaded.warnings else ""))


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path, readable=False), default=Path("."))
@click.option("--force", is_flag=True, help="Ghi đè hoso.yaml đã có.")
@reports_errors
def init(folder: Path, force: bool) -> None:
    """Tạo tệp THƯ_MỤC/hoso.yaml mẫu, có chú thích từng khóa."""
    from vanban.starter import write_starter

    path = write_starter(folder, force=force)
    _echo(f"Đã ghi {path}; sửa tệp này rồi chạy: vanban build {path}")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False),
                metavar="TỆP_DOCX...")
@click.option("--force", is_flag=True, help="Ghi đè tệp PDF đã có.")
@click.option("--no-cache", is_flag=True, help="Dựng lại mọi PDF, không dùng bộ nhớ đệm.")
@reports_errors
def pdf(files: tuple[Path, ...], force: bool, no_cache: bool) -> None:
    """Chuyển các tệp .docx đã có sang PDF (ghi cạnh tệp gốc)."""
    from vanban.build import convert

    result = convert(files, force=force, cache=not no_cache)
    for warning in result.warnings:
        _echo(f"Cảnh báo: {warning}", err=True)
    for path in result.files:
        _say(f"Đã ghi {path}")


def _secret(env: str, prompt: str) -> str:
    """Return the secret in environment variable `env`, or ask for it without echo (on a
    terminal; without one, the library says which variable to set)."""
    from vanban.issuing.keys import secret_from_env

    return secret_from_env(env, required=True) or click.prompt(prompt, hide_input=True, err=True)


@cli.command()
@click.argument("pdf_file", metavar="TỆP.pdf", type=click.Path(path_type=Path, readable=False))
@click.option("-o", "--output", "out", required=True, type=OutPath(),
              help="Tệp PDF đã ký ghi ra.")
@click.option("--vai-tro", "role", default="nguoi-ky", show_default=True,
              type=click.Choice(["nguoi-ky", "co-quan", "phu-luc"]),
              help="Chữ ký của người có thẩm quyền, của cơ quan (kèm dấu), hay của cơ quan "
                   "trên văn bản kèm theo (tệp riêng).")
@click.option("--p12", type=click.Path(path_type=Path, readable=False),
              help="Tệp khóa PKCS#12 (.p12/.pfx); mật khẩu hỏi khi ký hoặc lấy từ biến "
                   "môi trường VANBAN_MAT_KHAU.")
@click.option("--pkcs11", "module", type=click.Path(path_type=Path, readable=False),
              help="Thư viện PKCS#11 của token (.so/.dll); PIN hỏi khi ký hoặc lấy từ "
                   "VANBAN_PIN.")
@click.option("--token", help="Nhãn token PKCS#11.")
@click.option("--khoa", "key_label", help="Nhãn khóa (và chứng thư) trên token.")
@click.option("--anh-chu-ky", "signature_png", type=click.Path(path_type=Path, readable=False),
              help="Ảnh chữ ký (PNG nền trong suốt), cho --vai-tro nguoi-ky.")
@click.option("--anh-dau", "seal_png", type=click.Path(path_type=Path, readable=False),
              help="Ảnh dấu (PNG nền trong suốt), cho --vai-tro co-quan.")
@click.option("--dau-mm", type=NumberType(float, 1), default=36.0, show_default=True,
              help="Đường kính thật của dấu (mm).")
@click.option("--khoi", "block", type=NumberType(int, 1),
              help="Khối chữ ký thứ mấy (biên bản: 1 thư ký, 2 chủ tọa). Mặc định: người ký "
                   "khối 1; dấu cơ quan đóng lên khối của người có thẩm quyền (khối cuối).")
@click.option("--co-quan", "body_name", help="Tên cơ quan in cạnh dấu (mặc định: theo chứng thư).")
@click.option("--so-ky-hieu", help="Số, ký hiệu văn bản chính, cho --vai-tro phu-luc (mặc định: "
                                   "số ghi ở dòng “Kèm theo … số …” của tệp).")
@click.option("--vi-tri", "box", metavar="TRANG,X,Y,RỘNG,CAO",
              help="Vị trí khối chữ ký (mm từ góc trên trái) khi không tự tìm được.")
@click.option("--thoi-diem", "moment", metavar="ISO8601",
              help="Thời điểm ký ghi vào chữ ký (mặc định: bây giờ).")
@click.option("--tsa", "tsa_url", help="Máy chủ cấp dấu thời gian (PAdES B-T).")
@click.option("--lta", is_flag=True, help="Thêm dữ liệu kiểm tra và dấu thời gian (PAdES B-LTA).")
@click.option("--tin-cay", "trust", multiple=True, type=click.Path(path_type=Path, readable=False),
              help="Chứng thư gốc tin cậy (dùng cho --lta).")
@click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")
@reports_errors
def sign(pdf_file: Path, out: Path, role: str, p12: Path | None, module: Path | None,
         token: str | None, key_label: str | None, signature_png: Path | None,
         seal_png: Path | None, dau_mm: float, block: int | None, body_name: str | None,
         so_ky_hieu: str | None, box: str | None, moment: str | None, tsa_url: str | None,
         lta: bool, trust: tuple[Path, ...], force: bool) -> None:
    """Ký số tệp TỆP.pdf theo Phụ lục I Nghị định 30 (PAdES).

    \b
    Thứ tự: người có thẩm quyền ký trước, văn thư ký số của cơ quan sau:
      vanban sign qd.pdf -o qd-1.pdf --p12 nguoi-ky.p12 --anh-chu-ky chu-ky.png
      vanban sign qd-1.pdf -o qd-ky.pdf --vai-tro co-quan --p12 co-quan.p12 --anh-dau dau.png
      vanban sign quy-che.pdf -o quy-che-ky.pdf --vai-tro phu-luc --p12 co-quan.p12 \\
          --so-ky-hieu "05/QĐ-UBND"
    """
    from vanban.issuing import signing
    from vanban.issuing.keys import PASSPHRASE_ENV, PIN_ENV, KeySource
    from vanban.issuing.placement import GivenBox

    chosen = signing.Role(role)
    options = signing.SignOptions(
        role=chosen,
        image=signature_png if chosen is signing.Role.SIGNER else seal_png,
        block=block, seal_mm=dau_mm, body_name=body_name, so_ky_hieu=so_ky_hieu,
        box=GivenBox.parse(box) if box else None,
        moment=signing.parse_moment(moment) if moment else None,
        tsa_url=tsa_url, lta=lta, trust=list(trust),
    )
    KeySource(pkcs12=p12, module=module, token=token, key_label=key_label)  # one key, before asking
    if p12 is not None:
        secret = _secret(PASSPHRASE_ENV, "Mật khẩu tệp khóa")
    elif module is not None:
        secret = _secret(PIN_ENV, "Mã PIN của token")
    else:
        secret = None
    source = KeySource(pkcs12=p12, module=module, token=token, key_label=key_label,
                       secret=secret)
    result = signing.sign(pdf_file, out, source, options, force=force)
    _say(f"Đã ký {result.field} (PAdES {result.level.value}) vào {out}")


@cli.command(short_help="Kiểm tra chữ ký số của các tệp PDF.")
@click.argument("files", metavar="TỆP.pdf…", nargs=-1, required=True,
                type=click.Path(path_type=Path, readable=False))
@click.option("--tin-cay", "trust", multiple=True, type=click.Path(path_type=Path, readable=False),
              help="Chứng thư gốc tin cậy (PEM/DER), có thể cho nhiều lần.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.option("--so-dang-ky", "register", metavar="TỆP|URL",
              help="Đối chiếu với sổ đăng ký văn bản đi (mặc định: biến VANBAN_REGISTER nếu có).")
@reports_errors
def verify(files: tuple[Path, ...], trust: tuple[Path, ...], as_json: bool,
           register: str | None) -> None:
    """Kiểm tra chữ ký số của các tệp PDF (mã thoát 1 nếu có chữ ký không hợp lệ)."""
    from vanban.issuing.verify import (
        configured_register,
        format_reports,
        reports_json,
        verify_files,
    )

    reports = verify_files(files, trust, register=configured_register(register))
    click.echo(reports_json(reports) if as_json else format_reports(reports))
    if not all(r.ok for r in reports):
        raise click.exceptions.Exit(1)


@cli.command("tao-chung-thu-thu", short_help="Tạo chứng thư số THỬ NGHIỆM để tập ký số.")
@click.argument("folder", type=click.Path(path_type=Path, readable=False))
@click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")
@reports_errors
def tao_chung_thu_thu(folder: Path, force: bool) -> None:
    """Tạo chứng thư số THỬ NGHIỆM (CA, người ký, cơ quan) và ảnh chữ ký, dấu mẫu.

    Chỉ để thử: mọi tên đều ghi "THỬ NGHIỆM – KHÔNG CÓ GIÁ TRỊ". Mật khẩu các tệp .p12 lấy
    từ biến môi trường VANBAN_MAT_KHAU, mặc định "vanban-thu-nghiem".
    """
    from vanban.issuing.keys import PASSPHRASE_ENV, secret_from_env
    from vanban.issuing.testca import DEMO_PASSPHRASE, make_test_ca

    made = make_test_ca(folder, passphrase=secret_from_env(PASSPHRASE_ENV) or DEMO_PASSPHRASE,
                        force=force)
    for path in made.files:
        _say(f"Đã ghi {path}")


cli.add_command(sign, "ky-so")
cli.add_command(verify, "kiem-tra-chu-ky")


class DateType(click.ParamType):
    """A date written as in dossiers: 2026-03-02 or 2/3/2026."""

    name = "NGÀY"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from vanban.issuing.issue import parse_date

        if not isinstance(value, str):
            return value
        try:
            return parse_date(value)
        except VanbanError as e:
            self.fail(str(e), param, ctx)


def register_option(fn: F) -> F:
    """Add ``--so-dang-ky``: where the outgoing register is."""
    return click.option(
        "--so-dang-ky", "register", metavar="TỆP|URL",
        help="Sổ đăng ký văn bản đi: tệp SQLite hoặc postgresql://… (mặc định: biến "
             "VANBAN_REGISTER, rồi tệp so-dang-ky.sqlite trong thư mục dữ liệu của người dùng).",
    )(fn)


def _only(only: str | None) -> list[str] | None:
    return [k.strip() for k in only.split(",") if k.strip()] if only else None


def _one_line(text: str) -> str:
    """Return `text` on one line (a trích yếu keeps the line breaks of its title)."""
    return " ".join(text.split())


@cli.command(name="issue", short_help="Cấp số, vào sổ đăng ký và ghi bản phát hành.")
@click.argument("hoso", type=click.Path(path_type=Path, readable=False))
@click.option("-o", "--output", "out", type=OutPath(), default=Path("out"),
              show_default=True, help="Thư mục ghi văn bản đã cấp số.")
@click.option("--only", metavar="LOẠI,…", help="Chỉ cấp số các văn bản này (mặc định: mọi văn "
              "bản mang số của hồ sơ).")
@click.option("--ngay", type=DateType(), help="Ngày ban hành (mặc định: hôm nay).")
@click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")
@click.option("--templates-dir", type=click.Path(path_type=Path, readable=False),
              help="Thư mục chứa mẫu .docx đã chỉnh sửa.")
@register_option
@reports_errors
def issue_cmd(hoso: Path, out: Path, only: str | None, ngay: Any, force: bool,
              templates_dir: Path | None, register: str | None) -> None:
    """Cấp số, ngày và vào sổ đăng ký văn bản đi các văn bản của hồ sơ HOSO.

    Văn bản đã cấp số trước đó giữ nguyên số cũ (không cấp số mới).
    """
    from vanban.issuing.issue import issue

    result = issue(hoso, out, only=_only(only), ngay=ngay, register=register, force=force,
                   templates_dir=templates_dir)
    for line in result.recovered:
        _echo(f"Khôi phục: {line}", err=True)
    for problem in result.problems:
        _echo(str(problem), err=True)
    for warning in result.warnings:
        _echo(f"Cảnh báo: {warning}", err=True)
    for done in result.issued:
        e = done.entry
        if done.existing:
            _echo(f"Đã có số {e.so_ngay}: {e.identity.loai_van_ban if e.identity else ''}"
                  f"{'-' + e.identity.ma if e.identity and e.identity.ma else ''}"
                  " (cấp trước đó; không cấp số mới)")
            for path in done.restored:
                _say(f"  Đã ghi lại {path} (giống hệt bản đã cấp)")
            continue
        _echo(f"Đã cấp số {e.so_ngay}: {_one_line(e.details.ten_loai_trich_yeu)}")
        for path in done.files:
            _say(f"  Đã ghi {path}")


cli.add_command(issue_cmd, name="cap-so")


@cli.command(name="giu-so", short_help="Giữ số trong sổ đăng ký cho văn bản của hồ sơ.")
@click.argument("hoso", type=click.Path(path_type=Path, readable=False))
@click.option("--only", metavar="LOẠI,…", required=True,
              help="Văn bản của hồ sơ được giữ số.")
@click.option("--ngay", type=DateType(), help="Ngày của số giữ (mặc định: hôm nay).")
@click.option("--ghi-chu", default="", help="Ghi chú vào sổ.")
@register_option
@reports_errors
def reserve_cmd(hoso: Path, only: str, ngay: Any, ghi_chu: str, register: str | None) -> None:
    """Giữ số cho văn bản của hồ sơ HOSO; lần cấp số sau của văn bản đó dùng số này."""
    from vanban.issuing.issue import reserve

    for entry in reserve(hoso, only=_only(only), ngay=ngay, ghi_chu=ghi_chu, register=register):
        _echo(f"Đã giữ số {entry.so_ngay}")


@cli.command(name="huy-so", short_help="Hủy một số đã cấp (số vẫn ở trong sổ).")
@click.argument("so_ky_hieu")
@click.option("--ly-do", required=True, help="Lý do hủy (ghi vào cột Ghi chú của sổ).")
@click.option("--nam", type=NumberType(int), help="Năm của số (khi số đó có ở nhiều năm).")
@register_option
@reports_errors
def cancel_cmd(so_ky_hieu: str, ly_do: str, nam: int | None, register: str | None) -> None:
    """Hủy số SO_KY_HIEU (ví dụ 05/QĐ-UBND): số vẫn ở trong sổ, ghi lý do, không cấp lại."""
    from vanban.issuing.issue import cancel

    entry = cancel(so_ky_hieu, ly_do, nam=nam, register=register)
    _echo(f"Đã hủy số {entry.so_ngay}: {ly_do}")


@cli.command(name="tra-cuu", short_help="Đối chiếu tệp DOCX/PDF với sổ đăng ký.")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@register_option
@reports_errors
def lookup_cmd(files: tuple[Path, ...], register: str | None) -> None:
    """Đối chiếu tệp DOCX/PDF với sổ đăng ký: tệp là văn bản nào (mã thoát 1 nếu không khớp)."""
    _lookup(files, register)


def _lookup(files: tuple[Path, ...], register: str | None) -> None:
    from vanban.issuing.lookup import lookup_file
    from vanban.issuing.register import ISSUED, Register
    from vanban.issuing.verify import not_issued

    missing = 0
    with Register(register, create=False) as reg:
        for path in files:
            match = lookup_file(path, reg)
            if not match.found:
                missing += 1
            for e in match.earlier:
                _echo(f"{path}: có bản đã cấp số {e.so_ngay} ({e.trang_thai_ten}) — "
                      f"{_one_line(e.details.ten_loai_trich_yeu)}, nhưng tệp có thêm "
                      f"{match.updates} lần cập nhật sau khi cấp số (thường là chữ ký số); "
                      "tra-cuu không kiểm tra phần thêm: dùng 'vanban verify --so-dang-ky'")
            if not match.found and not match.earlier:
                _echo(f"{path}: KHÔNG KHỚP văn bản nào trong sổ (SHA-256 {match.sha256[:16]}…)"
                      "; tệp đã bị sửa sau khi cấp số, hoặc chưa được cấp số")
            for e in match.entries:
                _echo(f"{path}: khớp {e.so_ngay} ({e.trang_thai_ten}) — "
                      f"{_one_line(e.details.ten_loai_trich_yeu)}")
            if match.found and all(e.trang_thai != ISSUED for e in match.entries):
                missing += 1
                _echo(f"{path}: {not_issued(match.entries[0])}")
    if missing:
        raise click.exceptions.Exit(1)


@cli.command(name="register", short_help="In sổ đăng ký văn bản đi, hoặc kiểm tra sổ.")
@click.option("--format", "fmt", type=click.Choice(["docx", "pdf", "csv"]),
              help="Định dạng (mặc định: theo đuôi tệp của -o).")
@click.option("-o", "--output", "out", type=OutPath(),
              help="Tệp ghi sổ in (mẫu Phụ lục IV, Nghị định 30).")
@click.option("--nam", type=NumberType(int), help="Chỉ in văn bản của năm này.")
@click.option("--tu", type=DateType(), help="Từ ngày.")
@click.option("--den", type=DateType(), help="Đến ngày.")
@click.option("--kiem-tra", "check", multiple=True, type=click.Path(path_type=Path, readable=False),
              help="Đối chiếu tệp DOCX/PDF với sổ (như 'vanban tra-cuu').")
@click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")
@register_option
@reports_errors
def register_cmd(fmt: str | None, out: Path | None, nam: int | None, tu: Any, den: Any,
                 check: tuple[Path, ...], force: bool, register: str | None) -> None:
    """In sổ đăng ký văn bản đi (DOCX, PDF hoặc CSV), hoặc đối chiếu tệp với sổ."""
    from vanban.issuing.printout import Period, print_register

    if check:
        _lookup(check, register)
        return
    if out is None:
        raise click.UsageError("cần -o TỆP (sổ in) hoặc --kiem-tra TỆP")
    if nam is not None and (tu or den):
        raise click.UsageError("dùng --nam hoặc --tu/--den, không dùng cả hai")
    if tu and den and tu > den:
        raise click.UsageError(f"--tu {tu:%d/%m/%Y} sau --den {den:%d/%m/%Y}; hãy đổi chỗ hai "
                               "ngày")
    period = Period.year(nam) if nam is not None else Period(tu, den)
    path, count, warnings = print_register(out, fmt=fmt, period=period, register=register,
                                           force=force)
    for warning in warnings:
        _echo(f"Cảnh báo: {warning}", err=True)
    _echo(f"Đã ghi {path} ({count} văn bản)")


cli.add_command(register_cmd, name="so-dang-ky")


@cli.command()
def kinds() -> None:
    """Liệt kê các loại văn bản dùng được với --only."""
    for kind in _kinds():
        _echo(kind)


def _without_diacritics(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: print what the console cannot show without diacritics, else "?"."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    from vanban.text import bo_dau

    plain = bo_dau(error.object[error.start:error.end])
    return "".join(ch if ch.isascii() else "?" for ch in plain), error.end


def _print_safely() -> None:
    """Let every message reach any console: a character its encoding lacks is simplified."""
    codecs.register_error("vanban-khong-dau", _without_diacritics)
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="vanban-khong-dau")


def main() -> None:
    """Run the CLI (console script entry point), then end the process without finalising
    the interpreter (:func:`_end`)."""
    code = run_command()
    _end(code)
    sys.exit(code)


def run_command(args: Sequence[str] | None = None) -> int:
    """Run the command line `args` (this process's own when None) as the ``vanban`` command
    does, and return its exit status once its output is flushed. One place for the console
    command and for a build run in the warm process (:mod:`vanban.warm`).

    Click ends every command (in its standalone mode) with :class:`SystemExit`; a status that
    is not a number is a message, printed, and gives 1 (as Python would have done).
    """
    _print_safely()
    try:
        cli.main(args=args, prog_name="vanban")
        code: object = 0
    except SystemExit as stop:
        code = stop.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    return _flushed(code)


def _flushed(code: int) -> int:
    """Flush the standard streams; return `code`, or 1 for a success whose output could not
    all be written (a closed pipe or stream: nothing more can be told)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None: started with that stream closed
                stream.flush()
        except (OSError, ValueError):
            code = code or 1
    return code


def _end(code: int) -> None:
    """End the process with `code` once the exit handlers have run, skipping the
    interpreter's finalisation.

    Finalisation frees every object one by one, WeasyPrint's and the fonts' included: about
    0.2 s after a build, a sixth of a rebuild after an edit, for nothing the clerk sees. The
    exit handlers still run (the PDF engine's temporary font folder is removed by one), and
    every file vanban writes is closed before its command returns. Returns (so the process
    ends as usual) when another thread that Python would wait for is still running.
    """
    import atexit
    import threading

    run_handlers = getattr(atexit, "_run_exitfuncs", None)
    others = [t for t in threading.enumerate()
              if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    if run_handlers is None or others:
        return
    run_handlers()
    os._exit(_flushed(code))
