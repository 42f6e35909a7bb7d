"""Build several dossiers at once, each in a process of its own, a few at a time.

A province rolling a model out to its communes builds one dossier per commune. Each dossier
is built exactly as ``vanban build`` builds one (:func:`vanban.build.build`), into a folder
of its own under the output folder: ``OUT/<name>/``, where the name is the dossier file's
folder for a file called ``hoso.yaml`` (``xa-tan-tho/hoso.yaml`` → ``OUT/xa-tan-tho/``) and
the file's stem otherwise (``ho-so/tan-tho.yaml`` → ``OUT/tan-tho/``). Two dossiers that
would share a folder are refused before anything is built.

A dossier that fails does not stop the others: its result carries the message and exit
code the command line shows. The processes are forked from this one after the renderer is
made ready, so they share it and skip making it.
"""

from __future__ import annotations

import contextlib
import os
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from vanban.build import FORMATS, BuildResult
from vanban.errors import VanbanError, describe

#: Name of a dossier file whose folder names its output folder.
DOSSIER_FILE = "hoso.yaml"


@dataclass
class DossierResult:
    """What building one dossier of a batch gave: its files, or why it failed."""

    hoso: Path
    out_dir: Path
    result: BuildResult | None = None
    #: The Vietnamese message of the failure (several lines for a list of problems).
    error: str = ""
    #: 0 when built, else the exit code the failure gives alone (1 data or file, 3 internal).
    exit_code: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    #: The class name of the error that stopped it (``OutputError``…), empty when built.
    error_type: str = ""

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


def output_folders(hosos: Sequence[str | os.PathLike[str]], out_dir: str | os.PathLike[str]
                   ) -> list[Path]:
    """Return each dossier's output folder under `out_dir`; raise when two would share one."""
    folders: list[Path] = []
    seen: dict[str, Path] = {}
    for hoso in hosos:
        path = Path(hoso)
        name = path.absolute().parent.name if path.name == DOSSIER_FILE else path.stem
        if name in seen:
            raise VanbanError(f"{seen[name]} và {path} cùng ghi vào {Path(out_dir) / name}; "
                              "đổi tên thư mục hoặc tệp của một hồ sơ")
        seen[name] = path
        folders.append(Path(out_dir) / name)
    return folders


def default_jobs() -> int:
    """Return the number of CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def build_many(
    hosos: Sequence[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    jobs: int | None = None,
    on_done: Callable[[DossierResult], None] | None = None,
    **options: Any,
) -> list[DossierResult]:
    """Build every dossier of `hosos` into its folder under `out_dir` (see the module).

    `jobs` worker processes build them (the CPU count by default; 1 builds them in this
    process, one after the other); `options` are :func:`vanban.build.build`'s. `on_done` is
    called with each result as its dossier is done, in the order they finish. Returns the
    results in the order of `hosos`.
    """
    folders = output_folders(hosos, out_dir)
    workers = max(1, min(jobs or default_jobs(), len(folders)))
    # The processes are the parallelism: each dossier is built in one process.
    options = {**options, "workers": 1}
    tasks = [(Path(h), folder, options) for h, folder in zip(hosos, folders, strict=True)]
    results: list[DossierResult | None] = [None] * len(tasks)
    if workers == 1:
        for i, task in enumerate(tasks):
            results[i] = _build_one(*task)
            if on_done:
                on_done(results[i])  # type: ignore[arg-type]
    else:
        _prepare_fork(pdf="pdf" in options.get("formats", FORMATS))
        for i, result in _in_forks(tasks, workers):
            results[i] = result
            if on_done:
                on_done(result)
    return [r for r in results if r is not None]


def _in_forks(tasks: list[tuple[Path, Path, dict[str, Any]]], workers: int
              ) -> Iterator[tuple[int, DossierResult]]:
    """Build each task in a process of its own, forked from this one, `workers` at a time;
    yield each result with its task's index as it comes.

    A process per dossier rather than a pool of long-lived workers: WeasyPrint and the text
    libraries under it keep some memory from every document they lay out (about 3 MiB a
    dossier here), so a worker that built ten dossiers holds much more than one that built
    one. Forking is cheap, since this process made the renderer ready first
    (:func:`_prepare_fork`) and the child shares it. A process that dies without a result
    (killed, out of memory) gives its dossier an error; the others go on.
    """
    import multiprocessing
    from multiprocessing.connection import Connection, wait

    context = multiprocessing.get_context("fork")
    waiting = list(enumerate(tasks))[::-1]
    running: dict[Connection, tuple[int, Any]] = {}
    try:
        while waiting or running:
            while waiting and len(running) < workers:
                i, task = waiting.pop()
                reader, writer = context.Pipe(duplex=False)
                process = context.Process(target=_child_build, args=(task, writer))
                with _frozen_while_forking():
                    process.start()
                writer.close()
                running[reader] = (i, process)
            for ready in wait(list(running)):
                assert isinstance(ready, Connection)
                i, process = running.pop(ready)
                try:
                    result: DossierResult | None = ready.recv()
                except (EOFError, OSError):
                    result = None
                ready.close()
                process.join()
                yield i, result if result is not None else _died(tasks[i], process.exitcode)
    finally:
        for reader, (_i, process) in running.items():  # interrupted: stop the others
            process.terminate()
            process.join()
            reader.close()


def _child_build(task: tuple[Path, Path, dict[str, Any]], writer: Any) -> None:
    """Build one dossier in a forked process and send the result to the parent."""
    _die_with_parent()
    try:
        result = _build_one(*task)
    except KeyboardInterrupt:  # Ctrl+C reaches every process of the terminal; the parent
        raise SystemExit(130) from None  # tells the clerk, so no traceback here
    writer.send(result)
    writer.close()


def _died(task: tuple[Path, Path, dict[str, Any]], exitcode: int | None) -> DossierResult:
    """Return the result of a dossier whose process ended (with `exitcode`) giving none."""
    message, code = describe(RuntimeError(
        f"tiến trình soạn hồ sơ đã dừng đột ngột (mã {exitcode})"))
    return DossierResult(task[0], task[1], error=message, exit_code=code)


def _build_one(hoso: Path, out_dir: Path, options: dict[str, Any]) -> DossierResult:
    """Build one dossier; turn any failure into its message and exit code."""
    from vanban.build import build

    start = time.perf_counter()
    try:
        result = build(hoso, out_dir, **options)
    except Exception as exc:  # one dossier's failure must not stop the others
        message, code = describe(exc)
        if not isinstance(exc, VanbanError) and os.environ.get("VANBAN_DEBUG"):
            message += "\n" + traceback.format_exc()
        return DossierResult(hoso, out_dir, error=message, exit_code=code,
                             seconds=time.perf_counter() - start, error_type=type(exc).__name__)
    return DossierResult(hoso, out_dir, result, seconds=time.perf_counter() - start)


T = TypeVar("T")
R = TypeVar("R")


def in_two(fn: Callable[[T], R], items: Sequence[T], weights: Sequence[int],
           on_done: Callable[[T, R], None]) -> None:
    """Call `fn` on every item, sharing them between this process and a forked one.

    The items wait in one queue, heaviest (by `weights`) first, and each process takes the
    next one as soon as it is free, so neither idles while the other still has several to do
    (a guess at the weights cannot balance two fixed shares). Each result is handed to
    ``on_done(item, result)`` in this process. The renderer is made ready before the fork, so
    the child shares it. Should the child fail in any way, this process does the items the
    child took itself (and so raises the error the clerk must see).
    """
    import multiprocessing

    from vanban.render import pdf

    order = sorted(range(len(items)), key=lambda i: -weights[i])
    pdf.prepare()
    context = multiprocessing.get_context("fork")
    taken = context.Value("i", 0)  # how many of `order` either process has taken
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(fn, items, order, taken, writer))
    with _frozen_while_forking():
        child.start()
    writer.close()
    mine: set[int] = set()
    try:
        while (i := _take(order, taken)) is not None:
            on_done(items[i], fn(items[i]))
            mine.add(i)
        try:
            theirs: dict[int, R] | None = reader.recv()
        except (EOFError, OSError):
            theirs = None
    except BaseException:
        # Interrupted here alone (``kill -INT`` to this process, not Ctrl+C to the whole
        # terminal): the child's work is not wanted, and it may wait on a lock held here.
        child.terminate()
        raise
    finally:
        reader.close()
        child.join()
    for i in order:
        if i in mine:
            continue
        on_done(items[i], theirs[i] if theirs is not None and i in theirs else fn(items[i]))


def while_forked(work: Callable[[], R], meanwhile: Callable[[], None],
                 spare: Callable[[], None] | None = None) -> R:
    """Return ``work()``, run in a forked process while this one runs ``meanwhile()``, then
    ``spare()`` if the work is not done by then (what is worth doing only while waiting).

    A cold build spends its first second in one process: imports, the dossier, every
    document's DOCX, then the PDF engine (WeasyPrint's import and the fonts, about 0.3 s
    here). Rendering the DOCX in a forked process while this one makes the engine ready does
    both at once; the forked process ends as soon as it has sent its result (which must
    pickle), before any laying out, so the memory it took is given back before the build's
    peak. Should that process fail in any way, ``work()`` runs here (and so raises the error
    the clerk must see).
    """
    import multiprocessing

    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_send_result, args=(work, writer, reader))
    with _frozen_while_forking():
        child.start()
    writer.close()
    try:
        meanwhile()
        if spare is not None and not reader.poll():
            spare()
        try:
            sent: tuple[R] | None = reader.recv()
        except (EOFError, OSError):
            sent = None
    except BaseException:
        child.terminate()  # interrupted here alone: as in :func:`in_two`
        raise
    finally:
        reader.close()  # a child still sending gets a broken pipe and ends
        child.join()
    return sent[0] if sent is not None else work()


def _send_result(work: Callable[[], R], writer: Any, parents: Any) -> None:
    """Send ``(work(),)`` to the parent, or None if it fails."""
    _die_with_parent()
    parents.close()  # the parent's end: closed there, it breaks the pipe
    try:
        result: tuple[R] | None = (work(),)
    except BaseException:  # the parent runs the work again and reports the error
        result = None
    with contextlib.suppress(OSError):
        writer.send(result)
    writer.close()


def _take(order: list[int], taken: Any) -> int | None:
    """Return the next item of `order` nobody has taken, or None when all are taken."""
    with taken.get_lock():
        if taken.value >= len(order):
            return None
        taken.value += 1
        return order[taken.value - 1]


def _child(fn: Callable[[T], R], items: Sequence[T], order: list[int], taken: Any,
           writer: Any) -> None:
    """Take items from the queue and run `fn` on them; send the results by item index, or
    None if any fails."""
    _die_with_parent()
    results: dict[int, R] = {}
    try:
        while (i := _take(order, taken)) is not None:
            results[i] = fn(items[i])
    except BaseException:  # the parent does these items again and reports the error
        writer.send(None)
    else:
        writer.send(results)
    writer.close()


#: The process about to fork, as it knows itself (its children compare it with their parent).
_forking: int | None = None


def _die_with_parent() -> None:
    """Make this forked process end when the process that forked it ends (Linux).

    A build killed by the clerk (Ctrl+C in another window, ``kill``, a closed terminal) must
    not leave its helpers behind, blocked on a pipe no one reads: the system sends each
    SIGTERM when its parent dies. A parent already gone by then is noticed at once.
    """
    import sys

    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if _forking is not None and os.getppid() != _forking:
        os._exit(1)


@contextlib.contextmanager
def _frozen_while_forking() -> Iterator[None]:
    """Keep this process's objects out of the garbage collector's sight while it forks.

    A forked process shares its parent's memory until it writes to a page; the collector
    writes to every object it examines, so a child's first full collection would copy nearly
    all the memory it inherited (the renderer, the templates). Objects frozen at the fork
    (:func:`gc.freeze`) stay frozen in the child and are never examined there; this process
    examines its own again once the child is started.
    """
    import gc

    global _forking
    _forking = os.getpid()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _prepare_fork(*, pdf: bool) -> None:
    """Make the renderers ready here, once, so that forked processes share them instead of
    each making them (shared pages count once in memory); the PDF engine only when `pdf`."""
    import vanban.build  # noqa: F401
    import vanban.documents  # noqa: F401
    import vanban.loading  # noqa: F401
    import vanban.render.docx  # noqa: F401

    if not pdf:
        return
    from vanban import resources
    from vanban.render import pdf as engine

    engine.prepare()
    # Lay a document out once, so that what WeasyPrint and the text libraries make on their
    # first use (modules imported late, fonts opened, caches) is made here and shared.
    with contextlib.suppress(VanbanError, OSError):
        template = resources.builtin_templates_dir() / "nd30" / "bien-ban.docx"
        engine.docx_to_pdf(template.read_bytes())


__all__ = ["DOSSIER_FILE", "DossierResult", "build_many", "default_jobs", "in_two",
           "output_folders", "while_forked"]
