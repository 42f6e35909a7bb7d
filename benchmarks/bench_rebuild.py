"""Benchmark: rebuilding a dossier through the PDF cache, against LibreOffice.

A clerk builds a dossier, edits one meeting and builds again. For each sample, measured in
this run, alternately, as separate processes: ``vanban build --force`` after a one-field edit
(the last meeting's place, a new value each round, so its minutes are never in the cache),
``vanban build --force`` with no change, and ``soffice --headless --convert-to pdf``
converting the same DOCX files. Prints the medians and the ratios (goals: at most 0.3 after
an edit, at most 0.15 with no change). The cache lives in a temporary folder.

``vanban build`` runs as a clerk runs it: the first build leaves a warm process
(:mod:`vanban.warm`), which the later commands hand their builds to (its memory is sampled
meanwhile: summed PSS, idle and at the peak of a rebuild). The same rebuild after an edit is
also measured with no warm process (``VANBAN_CHO_SAN=0``): a new process that does it all.

Beside them, also alternately, the floor of a rebuild in a new process after an edit, which
must lay the edited document out again: a process that imports vanban's pipeline and
WeasyPrint, loads the dossier, renders that one document's DOCX and lays it out into a PDF
(no fitting, no cache, nothing written); and the renderer's floor, a process that imports
only vanban's PDF renderer and WeasyPrint and renders that document's DOCX (translation, one
layout, PDF).

Last, the same edit made to a copy of the dossier that ``vanban build --theo-doi`` watches:
the seconds from the edit being saved to the watch telling that the edited document is
written (its polling and settling included). The process is started once per sample, as a
clerk starts it once before correcting a dossier. Its memory is sampled meanwhile: summed
PSS of the watching process and the process it forks for each build, idle and at the peak.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

import sample_dossiers
import yaml
from bench_build import _memory, _tree, timed

from vanban.warm import listening

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")


def edit(dossier: Path, round_: int) -> None:
    """Change the place of the dossier's last meeting (one field of one document)."""
    data = yaml.safe_load(dossier.read_text("utf-8"))
    meeting = data["cuoc_hop"][-1]
    meeting["dia_diem"] = f"{meeting['dia_diem'].split(' (phòng')[0]} (phòng {round_ + 1})"
    dossier.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


FLOOR = """
import sys
from vanban import documents, resources
from vanban.loading import load
from vanban.render.docx import render_docx
from vanban.render.pdf import docx_to_pdf

loaded = load(sys.argv[1])
out = next(o for o in documents.collect(loaded, None) if o.name == sys.argv[2])
template = resources.template_path(out.template, None)
docx_to_pdf(render_docx(template, out.context, out.meta, loaded.hoso.kieu_dau))
"""
ENGINE_FLOOR = """
import sys
from pathlib import Path
from vanban.render.pdf import docx_to_pdf

docx_to_pdf(Path(sys.argv[1]).read_bytes())
"""


def changed(before: dict[str, bytes], folder: Path) -> str:
    """Return the stem of the one DOCX of `folder` whose bytes differ from `before`."""
    names = [p.stem for p in sorted(folder.glob("*.docx")) if p.read_bytes() != before[p.name]]
    if len(names) != 1:
        raise RuntimeError(f"the edit changed {names}, not one document")
    return names[0]


class Sampler:
    """The peak summed PSS (MiB) of a process tree, sampled while something runs."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.idle = self.peak = 0.0

    def pss(self) -> float:
        return sum(_memory(pid)[0] for pid in _tree(self.pid)) / 1024

    def during(self, work: Callable[[], T]) -> T:
        """Return ``work()``, sampling the tree's memory meanwhile."""
        import threading
        import time

        self.idle = max(self.idle, self.pss())
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                self.peak = max(self.peak, self.pss())
                time.sleep(0.003)

        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            return work()
        finally:
            done.set()
            sampler.join()


def warm_process(vanban: str, env: dict[str, str]) -> int:
    """Wait for the warm process a build left for `env`; return its process id."""
    import time

    code = "from vanban.warm import address; print(address())"
    path = subprocess.run([str(Path(vanban).with_name("python")), "-c", code], env=env,
                          check=True, capture_output=True, text=True).stdout.strip()
    end = time.monotonic() + 120
    while not listening(path):
        if time.monotonic() > end:
            raise RuntimeError("no warm process came up after the first build")
        time.sleep(0.1)
    return int(Path(path + ".lock").read_text())


class Watching:
    """A ``vanban build --theo-doi`` process watching its own copy of a dossier."""

    def __init__(self, vanban: str, dossier: Path, out: Path, env: dict[str, str]) -> None:
        self.dossier = dossier
        self.process = subprocess.Popen(
            [vanban, "build", str(dossier), "-o", str(out), "--force", "--theo-doi"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
            # a benchmark started in the background hands SIGINT on ignored: Ctrl+C as from
            # a terminal, so that close() stops the watch
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        #: Summed PSS of the watch's processes: most while waiting, most while building.
        self.memory = Sampler(self.process.pid)
        self._until("Đã soạn ")

    def rebuild(self, round_: int) -> float:
        """Edit the dossier; return the seconds until the watch has written the edited
        document again."""
        import time

        def edited() -> float:
            started = time.perf_counter()
            edit(self.dossier, round_)
            self._until("soạn lại ")
            return time.perf_counter() - started

        return self.memory.during(edited)

    def _until(self, words: str) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if "Lỗi" in line:
                raise RuntimeError(line)
            if words in line:
                return
        raise RuntimeError("the watch ended")

    def close(self) -> None:
        self.process.send_signal(signal.SIGINT)
        self.process.communicate(timeout=60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    sample_dossiers.add_option(parser)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    soffice = shutil.which("soffice")
    if soffice is None:
        print("soffice not found: install libreoffice-writer-nogui")
        return 1
    vanban = str(Path(sys.executable).with_name("vanban"))
    names = sample_dossiers.names(args.sample)
    work = Path(tempfile.mkdtemp(prefix="vanban-bench-"))
    runtime = work / "run"  # the warm processes' sockets, apart from the user's
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "VANBAN_CACHE_DIR": str(work / "cache"), "XDG_RUNTIME_DIR": str(runtime),
           "VANBAN_CHO_SAN": "10"}
    alone = {**env, "VANBAN_CHO_SAN": "0"}
    for name in names:
        folder = work / name
        shutil.copytree(ROOT / "samples" / name, folder)
        dossier = folder / "hoso.yaml"
        out = work / f"{name}-out"
        build = [vanban, "build", str(dossier), "-o", str(out), "--force"]
        subprocess.run(build, check=True, stdout=subprocess.DEVNULL, env=env)  # fills the cache
        warm = Sampler(warm_process(vanban, env))
        subprocess.run(build, check=True, stdout=subprocess.DEVNULL, env=env)  # served once
        docx_files = sorted(str(p) for p in out.glob("*.docx"))
        profile = work / "lo-profile"
        lo_cmd = [soffice, "--headless", f"-env:UserInstallation=file://{profile}",
                  "--convert-to", "pdf", "--outdir", str(work / "lo"), *docx_files]
        subprocess.run(lo_cmd, check=True, capture_output=True)  # first start makes the profile
        before = {p.name: p.read_bytes() for p in out.glob("*.docx")}
        shutil.copytree(ROOT / "samples" / name, work / f"{name}-watched")
        watching = Watching(vanban, work / f"{name}-watched" / "hoso.yaml",
                            work / f"{name}-watched-out", env)
        edited, unchanged, theirs, floor, engine, watched, own = [], [], [], [], [], [], []
        for i in range(args.rounds):
            edit(dossier, i)
            edited.append(warm.during(partial(timed, build, env))[0])
            if i == 0:
                stem = changed(before, out)
                floor_cmd = [sys.executable, "-c", FLOOR, str(dossier), stem]
                engine_cmd = [sys.executable, "-c", ENGINE_FLOOR, str(out / f"{stem}.docx")]
            unchanged.append(timed(build, env)[0])
            edit(dossier, 500 + i)
            own.append(timed(build, alone)[0])
            theirs.append(timed(lo_cmd)[0])
            floor.append(timed(floor_cmd, env)[0])
            engine.append(timed(engine_cmd, env)[0])
            watched.append(watching.rebuild(1000 + i))  # never in the cache either
        watching.close()
        os.kill(warm.pid, signal.SIGTERM)
        e, u, lo, f, g, w, o = (statistics.median(x) for x in (
            edited, unchanged, theirs, floor, engine, watched, own))
        print(f"== {name}: {len(docx_files)} documents, rounds: {args.rounds}")
        print(f"rebuild after a one-field edit: {e * 1000:6.0f} ms (median)")
        print(f"rebuild with no change        : {u * 1000:6.0f} ms (median)")
        print(f"soffice --convert-to pdf      : {lo * 1000:6.0f} ms (median, same DOCX files)")
        print(f"ratio after an edit           : {e / lo:6.2f}  (goal <= 0.30)")
        print(f"ratio with no change          : {u / lo:6.2f}  (goal <= 0.15)")
        print(f"warm process memory (PSS)     : idle {warm.idle:.0f} MiB, peak {warm.peak:.0f} "
              "MiB during the rebuilds after an edit (goal for a build <= 160)")
        print(f"after an edit, no warm process: {o * 1000:6.0f} ms (median; ratio to soffice "
              f"{o / lo:.2f}: a new process does it all, VANBAN_CHO_SAN=0)")
        print(f"floor, {stem} alone: {f * 1000:6.0f} ms (median; ratio to soffice {f / lo:.2f}: "
              "a new process: imports, load, one DOCX, one layout)")
        print(f"renderer floor, that DOCX     : {g * 1000:6.0f} ms (median; ratio to soffice "
              f"{g / lo:.2f}: import the renderer, one layout)")
        print(f"--theo-doi, after the edit    : {w * 1000:6.0f} ms (median; ratio to soffice "
              f"{w / lo:.2f}, goal <= 0.30: saved to written, in the watching process)")
        print(f"--theo-doi memory (summed PSS): idle {watching.memory.idle:.0f} MiB, peak "
              f"{watching.memory.peak:.0f} MiB during the rebuilds (goal for a build <= 160)",
              flush=True)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
