"""Build a dossier again each time one of its files is saved (``vanban build --theo-doi``).

A clerk who corrects a dossier wants to see the documents change as they save it, the way a
word processor shows the page. A build in a new process pays each time for what does not
change between builds: starting Python, importing vanban and WeasyPrint, reading the fonts
(about two thirds of a rebuild after a one-field edit). A watch pays it once: it builds the
dossier, waits until one of the files it was built from changes (the YAML, the topic Markdown
files it names, an edited templates folder), and builds it again, until it is stopped
(Ctrl+C, or `stop`).

The first build runs in this process, which so keeps all that a build makes ready (modules,
the PDF engine and its fonts, templates read); what that build did not need (it may come
whole from the cache) is made ready right after it. Every later build runs in a process forked
from it (:func:`vanban.batch._in_forks`), so each starts from that same state and gives the
bytes a ``vanban build`` gives, and what one build leaves behind does not pile up here.
Where processes cannot be forked, every build runs here. Documents whose DOCX did not change
come from the cache as in any build, and a file that would get the bytes it already holds is
left untouched (its date too), so a PDF viewer reloads only the documents that changed.

A build that fails (a YAML saved half-way, a wrong date) is reported and the watch goes on:
the next save builds again. Saving the dossier again cannot fix two failures, which so end
the watch: a build that cannot write its files (files there already without ``force``, a
folder that cannot be written), and a first build whose dossier is not a file (a path
mistyped, a folder named: as ``vanban build`` says, at once). After a first build that wrote its files, the following ones overwrite
them: they are the watch's own.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vanban.batch import DossierResult
from vanban.build import FORMATS
from vanban.errors import OutputError
from vanban.resources import TEMPLATES_ENV

#: Seconds between two looks at the watched files.
INTERVAL = 0.1
#: A change is built once the files have stayed as they are for this long (an editor that
#: saves in several writes gives one build).
SETTLE = 0.05

#: What a file looked like: size, modification time, inode (None when it is not there).
Look = tuple[int, int, int] | None


@dataclass
class Round:
    """One build of a watch."""

    #: The build: its files, or why it failed (:class:`vanban.batch.DossierResult`).
    outcome: DossierResult
    #: The files whose change set the build off (empty for the first build).
    changed: list[Path] = field(default_factory=list)
    #: Which build of the watch this is (1 for the first).
    number: int = 1
    #: Whether the build failed with no dossier file to watch (the first build only).
    missing: bool = False

    @property
    def written(self) -> list[Path]:
        """Return the files the build wrote (those it left as they were are not)."""
        result = self.outcome.result
        if result is None:
            return []
        return [path for path in result.files if path not in result.kept]

    @property
    def unwritable(self) -> bool:
        """Tell whether the build could not write its files (which ends the watch)."""
        return self.outcome.error_type == OutputError.__name__

    @property
    def ends(self) -> bool:
        """Tell whether the watch ends with this build: no save can fix its failure."""
        return self.unwritable or self.missing


def watch(
    hoso: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    on_round: Callable[[Round], None],
    on_start: Callable[[], None] | None = None,
    stop: Callable[[], bool] | None = None,
    interval: float = INTERVAL,
    fork: bool | None = None,
    **options: Any,
) -> Round:
    """Build `hoso` into `out_dir`, then again each time one of its files changes.

    `options` are :func:`vanban.build.build`'s. `on_round` is told about every build as it
    ends; `on_start` once the call is found right, before the first build. Raises at once
    on a mistake of the call (:func:`vanban.build.check_call`).
    Returns the last round when `stop()` turns true (it is asked between two looks at
    the files) or when no save can fix a build's failure (:attr:`Round.ends`). `fork` (by default: where the system
    can) builds each time after the first in a forked process.
    """
    import multiprocessing

    from vanban.build import check_call

    # The call's own mistakes end it before anything is watched: no save fixes them.
    check_call(options.get("only"), options.get("formats", FORMATS), options.get("templates_dir"))
    if _look(Path(hoso)) is None:  # a path mistyped, a folder: told as a build tells it
        from vanban.loading import check_path

        check_path(Path(hoso))
    if on_start is not None:
        on_start()
    if fork is None:
        fork = "fork" in multiprocessing.get_all_start_methods()
    hoso, out_dir = Path(hoso), Path(out_dir)
    files = _Files(hoso, options.get("templates_dir"))
    number = 1
    changed: list[Path] = []
    while True:
        before = files.look()
        # Here the first time (it makes everything ready for the next), then forked.
        outcome = _build(hoso, out_dir, dict(options, keep_same=True), fork=fork and number > 1)
        missing = number == 1 and outcome.result is None and _look(hoso) is None
        this = Round(outcome, changed, number, missing)
        # A failed build read no list of sources: the files watched so far stay watched.
        files.follow(outcome.result.sources if outcome.result is not None else files.paths,
                     before)
        if outcome.result is not None:
            options["force"] = True  # its files are the watch's own from now on
        on_round(this)
        if this.ends:
            return this
        if fork and number == 1:
            _ready("pdf" in options.get("formats", FORMATS))
        changed = files.wait(stop, interval)
        if not changed:
            return this
        number += 1


def _ready(pdf: bool) -> None:
    """Make ready here what the first build did not need: one served from the cache neither
    read the dossier nor laid anything out, and each later build would otherwise import and
    make all that itself (about 1 s)."""
    from vanban.batch import _prepare_fork
    from vanban.render import pdf as engine

    _prepare_fork(pdf=pdf and not engine.ready())


def _build(hoso: Path, out_dir: Path, options: dict[str, Any], *, fork: bool) -> DossierResult:
    """Build the dossier once: in a forked process when `fork`, else here."""
    from vanban.batch import _build_one, _in_forks

    task = (hoso, out_dir, options)
    if not fork:
        return _build_one(*task)
    return next(result for _, result in _in_forks([task], 1))


class _Files:
    """The files a dossier is built from, and what each looked like when last built."""

    def __init__(self, hoso: Path, templates_dir: str | os.PathLike[str] | None) -> None:
        self.paths: list[Path] = [hoso]
        chosen = templates_dir or os.environ.get(TEMPLATES_ENV)  # as the build chooses it
        self.templates = Path(chosen) if chosen else None
        self.seen: dict[Path, Look] = {}

    def look(self) -> dict[Path, Look]:
        """Return what every watched file looks like now."""
        paths: Iterable[Path] = self.paths
        if self.templates is not None:
            paths = [*paths, *_files_under(self.templates)]
        return {path: _look(path) for path in paths}

    def follow(self, sources: list[Path], before: dict[Path, Look]) -> None:
        """Watch `sources` (what the last build read) from now on; compare with `before`
        (taken before that build started, so that a save during the build, failed or not, is
        built too)."""
        self.paths = list(dict.fromkeys([self.paths[0], *sources]))
        for path in self.paths:
            before.setdefault(path, _look(path))
        self.seen = before

    def wait(self, stop: Callable[[], bool] | None, interval: float) -> list[Path]:
        """Wait until some watched files change and then stay as they are; return them (an
        empty list when `stop()` turned true first)."""
        while stop is None or not stop():
            now = self.look()
            if now != self.seen:
                now = self._settled(now)
                changed = sorted(p for p in now.keys() | self.seen.keys()
                                 if now.get(p) != self.seen.get(p))
                self.seen = now
                return changed
            time.sleep(interval)
        return []

    def _settled(self, now: dict[Path, Look]) -> dict[Path, Look]:
        """Return the files' looks once they stop changing (or after two seconds)."""
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            time.sleep(SETTLE)
            later = self.look()
            if later == now:
                break
            now = later
        return now


def _look(path: Path) -> Look:
    """Return what `path` looks like (its size, modification time and inode), or None."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


def _files_under(folder: Path) -> list[Path]:
    """Return the files under `folder` (an edited templates folder), sorted; not hidden files
    nor the lock and temporary files Word keeps beside an open document (``~$…``, ``~WRL…``)."""
    found: list[Path] = []
    for root, dirs, names in os.walk(folder):  # a folder it cannot read is skipped
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(root) / n for n in sorted(names) if not n.startswith((".", "~"))]
    return found


__all__ = ["INTERVAL", "Round", "watch"]
