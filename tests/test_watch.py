"""``vanban build --theo-doi``: build, then build again on every save (:mod:`vanban.watch`)."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from tests import dossiers
from vanban.errors import TemplateNotFoundError, UnknownFormatError, UnknownKindError
from vanban.watch import Round, watch

#: Longest wait for one line of the watch (a cold first build on a slow machine).
PATIENCE = 240.0


def ctrl_c_as_on_a_terminal() -> None:
    """Let the watch take Ctrl+C (SIGINT) as from a clerk's terminal: a test run started in
    the background by a shell without job control hands its children SIGINT ignored, and
    Python then never turns it into KeyboardInterrupt (the watch could not be stopped)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Watched:
    """A ``vanban build --theo-doi`` process and the lines it prints."""

    def __init__(self, dossier: Path, out: Path, *more: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "vanban", "build", str(dossier), "-o", str(out),
             "--theo-doi", "--only", "bien-ban", *more],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "COLUMNS": "200"}, preexec_fn=ctrl_c_as_on_a_terminal)
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.seen: list[str] = []

    def _read(self) -> None:
        assert self.process.stdout is not None
        with self.process.stdout:
            for line in self.process.stdout:
                self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def until(self, words: str) -> list[str]:
        """Return the lines printed up to the first that holds `words`."""
        got: list[str] = []
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1.0)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError(f"the watch ended before '{words}': {self.seen + got}")
            got.append(line)
            if words in line:
                self.seen += got
                return got
        raise AssertionError(f"no '{words}' after {PATIENCE} s: {self.seen + got}")

    def stop(self) -> tuple[int, str]:
        """Press Ctrl+C; return the exit code and what was printed after."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=60)
        rest = []
        while (line := self.lines.get(timeout=10)) is not None:
            rest.append(line)
        return code, "\n".join(rest)


def _text(docx: Path) -> str:
    with zipfile.ZipFile(docx) as z:
        return z.read("word/document.xml").decode("utf-8")


def _place(data: dict, place: str) -> dict:
    data["cuoc_hop"][-1]["dia_diem"] = place
    return data


def test_a_save_builds_again_only_what_changed_and_a_bad_save_waits_for_the_next(
        tmp_path: Path) -> None:
    data = dossiers.sample()
    dossier = dossiers.copy(tmp_path / "hoso", data)
    out = tmp_path / "out"
    watched = Watched(dossier, out)
    try:
        first = watched.until("Đã soạn ")
        assert "Theo dõi" in first[0]
        assert "Ctrl+C" in first[0]
        files = sorted(out.iterdir())
        assert len(files) >= 4
        assert {p.suffix for p in files} == {".docx", ".pdf"}
        dates = {p.name: p.stat().st_mtime_ns for p in files}
        edited = sorted(out.glob("bien-ban-hop-*.docx"))[-1].stem

        time.sleep(0.05)  # a later date than the first build's files on any file system
        dossiers.write(dossier.parent, _place(data, "Hội trường & phòng <họp> số 2"))
        line = watched.until("soạn lại")[-1]
        assert line.endswith("giây")
        assert "hoso.yaml đã đổi: soạn lại " + edited in line
        assert "Hội trường &amp; phòng &lt;họp&gt; số 2" in _text(out / f"{edited}.docx")
        now = {p.name: p.stat().st_mtime_ns for p in sorted(out.iterdir())}
        assert {name for name in now if now[name] != dates[name]} == {
            f"{edited}.docx", f"{edited}.pdf"}

        dossier.write_text(dossier.read_text("utf-8") + "\ncuoc_hop: [\n", "utf-8")
        wrong = watched.until("Sửa rồi lưu lại")
        assert any("Lỗi:" in line and "hoso.yaml:" in line for line in wrong), wrong
        assert watched.process.poll() is None  # still watching

        dossiers.write(dossier.parent, _place(data, "Nhà văn hóa thôn 3"))
        assert watched.until("soạn lại")[-1].count(edited) == 1
        assert "Nhà văn hóa thôn 3" in _text(out / f"{edited}.docx")
        fresh = tmp_path / "fresh"
        subprocess.run([sys.executable, "-m", "vanban", "build", str(dossier), "-o", str(fresh),
                        "--only", "bien-ban", "--no-cache"], check=True, capture_output=True,
                       timeout=PATIENCE)
        assert {p.name: p.read_bytes() for p in fresh.iterdir()} == {
            p.name: p.read_bytes() for p in out.iterdir()}  # byte for byte a new build's
    finally:
        code, rest = watched.stop()
    assert code == 0
    assert "Đã dừng theo dõi." in rest
    assert not [p for p in out.iterdir() if p.name.startswith(".vanban-")]


def test_a_watch_over_files_already_there_ends_as_a_build_does(tmp_path: Path) -> None:
    dossier = dossiers.copy(tmp_path / "hoso", dossiers.sample())
    out = tmp_path / "out"
    out.mkdir()
    (out / "bien-ban-hoi-nghi-ra-mat.docx").write_bytes(b"a clerk's own file")
    done = subprocess.run(
        [sys.executable, "-m", "vanban", "build", str(dossier), "-o", str(out), "--theo-doi",
         "--only", "bien-ban"], capture_output=True, text=True, timeout=PATIENCE)
    assert done.returncode == 1
    assert "đã có" in done.stderr
    assert "--force" in done.stderr
    assert (out / "bien-ban-hoi-nghi-ra-mat.docx").read_bytes() == b"a clerk's own file"


@pytest.mark.parametrize("where", ["khong-co.yaml", "thu-muc"], ids=["missing", "folder"])
def test_a_watch_of_no_dossier_file_ends_as_a_build_does(tmp_path: Path, where: str) -> None:
    (tmp_path / "thu-muc").mkdir()
    dossier = tmp_path / where
    done = subprocess.run(
        [sys.executable, "-m", "vanban", "build", str(dossier), "-o", str(tmp_path / "out"),
         "--theo-doi"], capture_output=True, text=True, timeout=PATIENCE)
    assert done.returncode == 1
    told = [line for line in done.stderr.splitlines() if "Lỗi:" in line]
    assert len(told) == 1
    assert where in told[0]
    assert "Sửa rồi lưu lại" not in done.stderr  # no save can make a dossier of it
    assert "Theo dõi" not in done.stdout  # told before watching, as a plain build tells it
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("option", "error"), [
    ({"templates_dir": "khong-co"}, TemplateNotFoundError),
    ({"only": ["khong-loai"]}, UnknownKindError),
    ({"formats": ("odt",)}, UnknownFormatError),
], ids=["templates", "kind", "format"])
def test_a_mistake_of_the_call_ends_the_watch_before_it_starts(
        tmp_path: Path, option: dict, error: type[Exception]) -> None:
    dossier = dossiers.copy(tmp_path / "hoso", dossiers.sample())
    told: list[str] = []
    with pytest.raises(error):
        watch(dossier, tmp_path / "out", on_round=lambda r: told.append("round"),
              on_start=lambda: told.append("start"), stop=lambda: True, fork=False, **option)
    assert told == []  # neither "watching" nor a build was told
    assert not (tmp_path / "out").exists()


def test_one_watch_watches_one_dossier(tmp_path: Path) -> None:
    dossier = dossiers.copy(tmp_path / "hoso", dossiers.sample())
    done = subprocess.run(
        [sys.executable, "-m", "vanban", "build", str(dossier), str(dossier), "--theo-doi"],
        capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--theo-doi chỉ dùng với một hồ sơ" in done.stderr


@pytest.mark.parametrize("fork", [False, True], ids=["here", "forked"])
def test_the_topic_files_a_dossier_names_are_watched_too(tmp_path: Path, fork: bool) -> None:
    dossier = dossiers.copy(tmp_path / "hoso", dossiers.sample())
    rounds: list[Round] = []
    topic: list[Path] = []

    def stop() -> bool:
        if len(rounds) == 1 and not topic:
            sources = rounds[0].outcome.result.sources  # type: ignore[union-attr]
            topic.append(next(p for p in sources if p.suffix == ".md"))
            time.sleep(0.05)
            topic[0].write_text(topic[0].read_text("utf-8") + "\nThêm một đoạn.\n", "utf-8")
        return len(rounds) >= 2

    last = watch(dossier, tmp_path / "out", on_round=rounds.append, stop=stop, interval=0.02,
                 fork=fork, only=["tai-lieu-chuyen-de"], formats=("docx",))
    assert last is rounds[-1]
    assert [r.number for r in rounds] == [1, 2]
    assert rounds[0].outcome.ok
    assert rounds[0].changed == []
    assert rounds[0].outcome.result.sources[0] == dossier  # type: ignore[union-attr]
    assert rounds[1].outcome.ok
    assert rounds[1].changed == topic
    written = {p.name for p in rounds[1].written}
    assert written
    assert all(name.startswith("tai-lieu-chuyen-de-") for name in written)
    assert all(p.name in written or p in rounds[1].outcome.result.kept  # type: ignore[union-attr]
               for p in rounds[1].outcome.result.files)  # type: ignore[union-attr]


def test_a_first_build_from_the_cache_still_leaves_the_watch_ready_to_lay_out(
        tmp_path: Path) -> None:
    dossier = dossiers.copy(tmp_path / "hoso", dossiers.sample())
    env = {**os.environ, "VANBAN_CACHE_DIR": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-m", "vanban", "build", str(dossier), "-o",
                    str(tmp_path / "out"), "--only", "bien-ban"],
                   check=True, capture_output=True, env=env, timeout=PATIENCE)
    code = (
        "import sys\n"
        "from vanban.render import pdf\n"
        "from vanban.watch import watch\n"
        "seen = []\n"
        "def stop():\n"
        "    seen.append(('weasyprint' in sys.modules, pdf.ready()))\n"
        "    return True\n"
        "last = watch(sys.argv[1], sys.argv[2], on_round=lambda r: None, stop=stop,\n"
        "             fork=True, only=['bien-ban'], force=True)\n"
        "print(last.outcome.result.kept == last.outcome.result.files,"
        " seen)\n")
    done = subprocess.run([sys.executable, "-c", code, str(dossier), str(tmp_path / "out")],
                          capture_output=True, text=True, env=env, timeout=PATIENCE, check=True)
    # Served whole from the cache, the first build imported no renderer; the watch made the
    # PDF engine ready before waiting, so that no rebuild has to.
    assert done.stdout.strip() == "True [(True, True)]"


def test_an_edited_template_is_watched_but_not_the_files_word_keeps_beside_it(
        tmp_path: Path) -> None:
    import shutil

    from vanban import resources

    dossier = dossiers.copy(tmp_path / "hoso", dossiers.sample())
    templates = tmp_path / "mau"
    shutil.copytree(resources.builtin_templates_dir(), templates)
    template = next(templates.rglob("bien-ban.docx"))
    rounds: list[Round] = []

    def stop() -> bool:
        if len(rounds) == 1 and not (template.parent / "~$bien-ban.docx").exists():
            (template.parent / "~$bien-ban.docx").write_bytes(b"Word's lock file")
            (templates / "~WRL0001.tmp").write_bytes(b"Word's temporary file")
            time.sleep(0.2)  # several looks: neither file sets a build off
            template.write_bytes(template.read_bytes())  # saved again, same bytes
        return len(rounds) >= 2

    watch(dossier, tmp_path / "out", on_round=rounds.append, stop=stop, interval=0.02,
          fork=False, only=["bien-ban"], formats=("docx",), templates_dir=templates)
    assert [r.changed for r in rounds] == [[], [template]]
    assert rounds[1].outcome.ok
    assert rounds[1].written == []  # the same template gives the same documents


def test_a_first_build_that_fails_is_built_again_once_the_dossier_is_saved_right(
        tmp_path: Path) -> None:
    dossier = dossiers.copy(tmp_path / "hoso", dossiers.sample())
    right = dossier.read_text("utf-8")
    dossier.write_text(right + "\ncuoc_hop: [\n", "utf-8")
    rounds: list[Round] = []

    def stop() -> bool:
        if len(rounds) == 1 and dossier.read_text("utf-8") != right:
            time.sleep(0.05)
            dossier.write_text(right, "utf-8")
        return len(rounds) >= 2

    watch(dossier, tmp_path / "out", on_round=rounds.append, stop=stop, interval=0.02,
          fork=False, only=["bien-ban"], formats=("docx",))
    assert not rounds[0].outcome.ok
    assert "hoso.yaml" in rounds[0].outcome.error
    assert rounds[1].changed == [dossier]
    assert rounds[1].outcome.ok
    assert {p.suffix for p in rounds[1].written} == {".docx"}
