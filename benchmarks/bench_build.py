"""Benchmark: a whole dossier, DOCX and PDF, in one cold ``vanban build`` against LibreOffice.

Both are measured in this run, alternately, as separate processes (so start-up is counted for
both): ``vanban build --no-cache`` writing every DOCX and PDF of a sample, and ``soffice
--headless --convert-to pdf`` converting those same DOCX files in one call, for every sample.
Prints the medians, the ratio (goal: at most 1.4) and the peak memory of the build (goal: at
most 160 MiB).

Beside them, also alternately, the floor of any build through WeasyPrint: the engine alone
(``engine_alone.py``) importing itself, laying out the HTML that vanban translated from the
same DOCX files once each and writing the PDFs as vanban does (same settings, the HTML read
and the leaders drawn as vanban does: ``--as-vanban``), in one process and in two (forked
after the import; this machine's CPU count is printed). What vanban adds is the difference.
One more floor in two processes leaves WeasyPrint to do all itself (its own HTML parser, a box
per leader dot), as any program handing it the same HTML would.

``vanban build`` may render in several processes (a worker forked from the main one), so its
memory is measured over the whole process tree, in separate runs after the timed ones (the
sampling would disturb the timing): the peak of the summed PSS (proportional set size: a page
shared by n processes counts 1/n in each, so the sum counts it once) read from
``/proc/<pid>/smaps_rollup`` every few milliseconds. The summed RSS, which counts shared pages
once per process, and the largest single process's peak RSS are printed beside it.

The fitting pass (issue #13) is measured in the same rounds, and in more rounds of its own
after them (``--fit-rounds`` pairs in all: a ratio of two builds varies more than the
builds): ``vanban build --no-fit`` beside the default build, back to back and each first in
every other round (goal: the default at most 15 % slower; in seconds, and in CPU seconds,
which vary less on a machine shared with other work; as the ratio of the medians and as the
median of each round's ratio), and, in this process, the layouts the pass makes besides each
document's first (goal: at most one per document on average). ``bench_fit_work.py`` counts the instructions the pass adds, which this
machine's noise does not move.
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sample_dossiers

ROOT = Path(__file__).resolve().parents[1]


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Run `cmd`; return (seconds, peak RSS in MiB, CPU seconds) of that child alone.

    The CPU seconds (user and system) count the child and the processes it waited for (a
    forked worker): on a machine shared with other work they vary less than the seconds.
    """
    code = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "dt = time.perf_counter() - t\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(dt, u.ru_maxrss / 1024, u.ru_utime + u.ru_stime)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, *cmd], check=True, capture_output=True,
                         text=True, env=env).stdout.split()
    return float(out[0]), float(out[1]), float(out[2])


#: kcmp(2) system call numbers, to tell a vfork child (sharing its parent's memory until it
#: runs exec, as subprocess spawns fc-match) from a forked worker.
_SYS_KCMP = {"x86_64": 312, "aarch64": 272}.get(os.uname().machine)
_KCMP_VM = 1


def _same_memory(a: int, b: int) -> bool:
    """Tell whether processes `a` and `b` share one address space (so count it once)."""
    if _SYS_KCMP is None:
        return False
    import ctypes

    return ctypes.CDLL(None).syscall(_SYS_KCMP, a, b, _KCMP_VM, 0, 0) == 0


def _tree(pid: int) -> list[int]:
    """Return `pid` and its descendants that have memory of their own."""
    out, todo = [], [(pid, 0)]
    while todo:
        current, parent = todo.pop()
        if not parent or not _same_memory(current, parent):
            out.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo.extend((int(c), current) for c in children)
    return out


def _memory(pid: int) -> tuple[int, int]:
    """Return (PSS, RSS) of one process in KiB, zero once it is gone."""
    pss = rss = 0
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0, 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            pss = int(line.split()[1])
        elif line.startswith("Rss:"):
            rss = int(line.split()[1])
    return pss, rss


def sampled(cmd: list[str], interval: float = 0.003) -> tuple[float, float, int]:
    """Run `cmd`; return the peaks of summed PSS and summed RSS (MiB) and most processes."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    peak_pss = peak_rss = most = 0
    while proc.poll() is None:
        pids = _tree(proc.pid)
        sizes = [_memory(pid) for pid in pids]
        peak_pss = max(peak_pss, sum(p for p, _ in sizes))
        peak_rss = max(peak_rss, sum(r for _, r in sizes))
        most = max(most, sum(1 for p, _ in sizes if p))
        time.sleep(interval)
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    return peak_pss / 1024, peak_rss / 1024, most


def translated(docx_dir: Path, html_dir: Path) -> Path:
    """Write the HTML vanban lays out for each DOCX of `docx_dir`, and its font rules."""
    from vanban.render import pdf
    from vanban.render.html import docx_to_html

    engine = pdf._engine()
    html_dir.mkdir()
    for path in sorted(docx_dir.glob("*.docx")):
        result = docx_to_html(path.read_bytes(), font_family=pdf._FontMapper(engine.fonts))
        (html_dir / f"{path.stem}.html").write_text(result.html, "utf-8")
    (html_dir / "fonts.css").write_text(engine.fonts.font_face_css() + pdf._OUTLINE_CSS, "utf-8")
    return html_dir


PLAIN_CSS = (
    '@page{size:A4;margin:20mm 15mm 20mm 30mm}html{font-family:"Liberation Serif Vanban";'
    "font-size:14pt}p{margin:6pt 0;text-align:justify;text-indent:36pt}"
)


def plain(html_dir: Path, plain_dir: Path) -> Path:
    """Write each document of `html_dir` again as its paragraphs' words and nothing else."""
    from lxml import html as lxml_html

    plain_dir.mkdir()
    shutil.copy(html_dir / "fonts.css", plain_dir / "fonts.css")
    for path in sorted(html_dir.glob("*.html")):
        tree = lxml_html.fromstring(path.read_bytes())
        texts = [" ".join(p.text_content().split()) for p in tree.iter("p")]
        body = "".join(f"<p>{html.escape(t)}</p>" for t in texts if t)
        (plain_dir / path.name).write_text(
            f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><style>{PLAIN_CSS}'
            f"</style></head><body>{body}</body></html>",
            "utf-8",
        )
    return plain_dir


def extra_layouts(dossier: Path) -> tuple[float, int]:
    """Return the fitting pass's layouts per document, and how many documents it changed."""
    from vanban.build import render
    from vanban.fitting import Fitted
    from vanban.loading import load

    loaded = load(dossier)
    fitted: dict[str, Fitted] = {}
    files, _ = render(loaded, fitted=fitted)
    documents = len({Path(name).stem for name, _ in files})
    changed = sum(not r.fit.is_default for r in fitted.values())
    return sum(r.layouts for r in fitted.values()) / documents, changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    sample_dossiers.add_option(parser)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--fit-rounds", type=int, default=15,
                        help="pairs of the default build and --no-fit (the first --rounds of "
                             "them among the other measures, the rest after)")
    parser.add_argument("--memory-rounds", type=int, default=3,
                        help="extra runs of vanban build sampled for memory")
    args = parser.parse_args()
    if shutil.which("soffice") is None:
        print("soffice not found: install libreoffice-writer-nogui")
        return 1
    names = sample_dossiers.names(args.sample)
    work = Path(tempfile.mkdtemp(prefix="vanban-bench-"))
    # Never the user's PDF cache; and every build here is cold (--no-cache) anyway.
    os.environ["VANBAN_CACHE_DIR"] = str(work / "cache")
    # A cold build in its own process each time: no warm process serves it (vanban.warm).
    os.environ["VANBAN_CHO_SAN"] = "0"
    totals = [0.0, 0.0]
    for name in names:
        v, lo = measure_sample(name, args, work / name)
        totals[0] += v
        totals[1] += lo
    if len(names) > 1:
        print(f"== all samples: vanban {totals[0] * 1000:.0f} ms, soffice {totals[1] * 1000:.0f} ms,"
              f" ratio {totals[0] / totals[1]:.2f} (goal <= 1.40)")
    shutil.rmtree(work, ignore_errors=True)
    return 0


def measure_sample(sample: str, args: argparse.Namespace, work: Path) -> tuple[float, float]:
    """Time one sample's cold build against soffice; print; return both medians (seconds)."""
    from vanban.render import pdf

    soffice = str(shutil.which("soffice"))
    vanban = str(Path(sys.executable).with_name("vanban"))
    dossier = ROOT / "samples" / sample / "hoso.yaml"
    work.mkdir(parents=True)
    profile = work / "lo-profile"
    docx_dir = work / "docx"
    subprocess.run([vanban, "build", str(dossier), "-o", str(docx_dir), "--format", "docx"],
                   check=True, stdout=subprocess.DEVNULL)
    docx_files = sorted(str(p) for p in docx_dir.glob("*.docx"))
    lo_cmd = [soffice, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to",
              "pdf", "--outdir", str(work / "lo"), *docx_files]
    subprocess.run(lo_cmd, check=True, capture_output=True)  # first start creates the profile
    html_dir = translated(docx_dir, work / "html")
    plain_dir = plain(html_dir, work / "plain")
    alone = [sys.executable, str(Path(__file__).with_name("engine_alone.py"))]
    if pdf._engine().full_fonts:
        alone.append("--full-fonts")
    build_cmd = [vanban, "build", "--no-cache", str(dossier), "-o"]
    ours, theirs, memory, unfitted = [], [], [], []
    cpu: dict[str, list[float]] = {"fit": [], "no-fit": []}
    # The engine driven as vanban drives it, in one process and two; and in two, left to
    # do everything itself (--as-vanban off: WeasyPrint's own HTML parser, a box per dot).
    floors: dict[tuple[int, bool], list[float]] = {(1, True): [], (2, True): [], (2, False): []}
    words_only: list[float] = []
    fitted_times: list[float] = []  # the default build's times, in every pair
    for i in range(max(args.rounds, args.fit_rounds)):
        # The default build and --no-fit run back to back, each first in every other round,
        # so that neither always follows soffice or the floors.
        for fit in (True, False) if i % 2 == 0 else (False, True):
            if fit:
                t, rss, used = timed([*build_cmd, str(work / f"out{i}")])
                fitted_times.append(t)
                memory.append(rss)
            else:
                t, _, used = timed([*build_cmd, str(work / f"raw{i}"), "--no-fit"])
                unfitted.append(t)
            cpu["fit" if fit else "no-fit"].append(used)
        if i >= args.rounds:
            continue  # a pair more for the fitting pass's ratio alone
        ours.append(fitted_times[-1])
        theirs.append(timed(lo_cmd)[0])
        for (workers, driven), times in floors.items():
            times.append(timed([*alone, str(html_dir), "--workers", str(workers),
                                *(["--as-vanban"] if driven else [])])[0])
        words_only.append(timed([*alone, str(plain_dir)])[0])
    memory_runs = [sampled([*build_cmd, str(work / f"mem{i}")]) for i in range(args.memory_rounds)]
    v, lo = statistics.median(ours), statistics.median(theirs)
    print(f"== {sample}: {len(docx_files)} documents, rounds: {args.rounds} "
          f"(default and --no-fit: {len(unfitted)})")
    print(f"vanban build (DOCX + PDF): {v * 1000:8.0f} ms (median; cold: --no-cache)")
    print(f"soffice --convert-to pdf : {lo * 1000:8.0f} ms (median, same DOCX files)")
    print(f"ratio                    : {v / lo:8.2f}  (goal <= 1.40)")
    raw, fitted_time = statistics.median(unfitted), statistics.median(fitted_times)
    layouts, fitted = extra_layouts(dossier)
    # Beside the ratio of the medians, the median of each round's ratio: the two builds of a
    # round ran back to back, so a slow stretch of the machine weighs on both.
    paired = statistics.median(a / b for a, b in zip(fitted_times, unfitted, strict=True))
    print(f"vanban build --no-fit    : {raw * 1000:8.0f} ms (median; default / --no-fit "
          f"{fitted_time / raw:.2f}, round by round {paired:.2f}; goal <= 1.15)")
    fit_cpu, raw_cpu = statistics.median(cpu["fit"]), statistics.median(cpu["no-fit"])
    paired = statistics.median(a / b for a, b in zip(cpu["fit"], cpu["no-fit"], strict=True))
    print(f"CPU time, default/no-fit : {fit_cpu * 1000:8.0f} / {raw_cpu * 1000:.0f} ms (median; "
          f"ratio {fit_cpu / raw_cpu:.2f}, round by round {paired:.2f}; goal <= 1.15)")
    print(f"fitting, extra layouts   : {layouts:8.2f} per document (goal <= 1; "
          f"{fitted} documents set differently)")
    for (workers, driven), times in floors.items():
        f = statistics.median(times)
        label = f"WeasyPrint alone, {workers} proc." if driven else "WeasyPrint by itself, 2 p."
        print(f"{label:<25}: {f * 1000:8.0f} ms (median; ratio to soffice "
              f"{f / lo:.2f}, to vanban {f / v:.2f}; {os.cpu_count()} CPUs)")
    f = statistics.median(words_only)
    print(f"WeasyPrint, words only   : {f * 1000:8.0f} ms (median; ratio to soffice {f / lo:.2f}; "
          "plain paragraphs, 1 process)")
    if memory_runs:
        print(f"peak memory, summed PSS  : {max(s[0] for s in memory_runs):8.1f} MiB (goal <= 160; "
              f"{args.memory_rounds} sampled runs, up to {max(s[2] for s in memory_runs)} processes)")
        print(f"peak memory, summed RSS  : {max(s[1] for s in memory_runs):8.1f} MiB "
              "(shared pages counted in each process)")
    print(f"peak RSS, largest process: {max(memory):8.1f} MiB", flush=True)
    return v, lo


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
