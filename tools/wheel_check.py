"""The installed wheel on a sample (``make wheel-check``), run with the wheel's own Python.

Builds the sample with the installed ``vanban`` from a folder outside the checkout, which
leaves a warm process behind (:mod:`vanban.warm`, where the system has one); waits for it,
builds again (the build is served there: the command imports neither pydantic nor
WeasyPrint itself) and checks that both builds wrote the same bytes; then ends the warm
process. Exit status 0 when all holds.

Usage: wheel_check.py SAMPLE_DOSSIER OUT_FOLDER
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from vanban.warm import listening  # the installed wheel's (run with its Python)


def main() -> int:
    dossier, out = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    vanban = str(Path(sys.executable).with_name("vanban"))
    env = {**os.environ, "VANBAN_CHO_SAN": "2",
           "XDG_RUNTIME_DIR": tempfile.mkdtemp(prefix="vbw-", dir="/tmp")}

    def build(folder: Path) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([sys.executable, "-X", "importtime", vanban, "build", str(dossier),
                               "-o", str(folder), "--force", "--no-cache"], env=env,
                              cwd=tempfile.gettempdir(), capture_output=True, text=True)
        for line in done.stdout.splitlines() + done.stderr.splitlines():
            if not line.startswith("import time:"):
                print(line)
        if done.returncode:
            raise SystemExit(f"wheel-check: vanban build failed ({done.returncode})")
        return done

    first = build(out)
    if not sys.platform.startswith("linux"):
        return 0
    path = subprocess.run([sys.executable, "-c", "from vanban.warm import address; "
                           "print(address())"], env=env, capture_output=True, text=True,
                          check=True).stdout.strip()
    end = time.monotonic() + 120
    while not listening(path):
        if time.monotonic() > end:
            raise SystemExit("wheel-check: no warm process came up after the build")
        time.sleep(0.1)
    second = build(out.with_name(out.name + "-warm"))
    imported = [line.rsplit("|", 1)[-1].strip() for line in second.stderr.splitlines()
                if line.startswith("import time:")]
    try:
        if "pydantic" in imported or "weasyprint" in imported or "pydantic" not in first.stderr:
            raise SystemExit("wheel-check: the second build was not served by the warm process")
        names = sorted(p.name for p in out.iterdir())
        for name in names:
            if (out / name).read_bytes() != (out.with_name(out.name + "-warm") / name).read_bytes():
                raise SystemExit(f"wheel-check: {name} differs when built in the warm process")
        print(f"wheel-check: {len(names)} files, the same bytes from the warm process")
    finally:
        with open(path + ".lock") as lock:
            os.kill(int(lock.read()), signal.SIGTERM)
        end = time.monotonic() + 30
        while os.path.exists(path) and time.monotonic() < end:
            time.sleep(0.1)  # it takes its socket away as it ends
        shutil.rmtree(env["XDG_RUNTIME_DIR"], ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
