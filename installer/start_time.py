"""Timing the start to the window on a virtual X display (Xvfb), as a user would see it.

The clock runs from starting the process until the main window's title names the database,
which the window sets once the worker thread has opened it and listed the pilots: the moment
a user can work. Each app is started twice: the first start reads the files from disk (from
the page cache if the system would not let it be dropped: said in the output), the second
shows the start once everything is in memory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

TIMEOUT = 90.0


def measure_starts(
    commands: dict[str, list[str]],
    *,
    database: Path,
    home: Path,
    screenshot: Path | None = None,
) -> dict[str, float]:
    """Seconds to the window for each command, first and second start; {} without Xvfb."""
    if not (shutil.which("Xvfb") and shutil.which("xwininfo")):
        print("start time: skipped (needs Xvfb and xwininfo: apt install xvfb x11-utils)")
        return {}
    display, server = _start_display()
    try:
        times = {}
        for label, command in commands.items():
            if not Path(command[0]).exists():
                print(f"start time: {label} skipped ({command[0]} does not exist)")
                continue
            dropped = _drop_page_cache()
            times[f"{label}, first"] = _time_start(
                command, display, database, home, screenshot if label == "installed" else None
            )
            times[f"{label}, again"] = _time_start(command, display, database, home, None)
            if not dropped:
                print(f"start time: {label}: the page cache could not be dropped (no permission)")
        return times
    finally:
        server.terminate()
        server.wait(10)


def _start_display() -> tuple[str, subprocess.Popen[bytes]]:
    """A new Xvfb server on a free display number, which it reports itself."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        raise RuntimeError("Xvfb did not start")
    return f":{number}", server


def _time_start(
    command: list[str], display: str, database: Path, home: Path, screenshot: Path | None
) -> float:
    home.mkdir(parents=True, exist_ok=True)
    environment = {
        "HOME": str(home),
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "TESTLEARN_DB": str(database),
        # Set, so the window opens at once rather than asking the first start's name.
        "TESTLEARN_NAME": "start time",
        **{k: v for k, v in os.environ.items() if k in ("LANG", "LC_ALL", "TZ")},
    }
    title = f'"{database.name} - testlearn"'
    started = time.perf_counter()
    app = subprocess.Popen(
        command, env=environment, cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while title not in _window_tree(display):
            if app.poll() is not None:
                raise RuntimeError(f"{command[0]} exited {app.returncode} before its window")
            if time.perf_counter() - started > TIMEOUT:
                raise RuntimeError(f"{command[0]}: no window after {TIMEOUT:.0f} s")
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        if screenshot is not None and shutil.which("import"):
            time.sleep(2)  # let it finish painting the list and the first pilot
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                ["import", "-display", display, "-window", "root", str(screenshot)], check=True
            )
            print(f"start time: screenshot of the installed window in {screenshot}")
        return seconds
    finally:
        app.terminate()
        try:
            app.wait(15)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait()


def _window_tree(display: str) -> str:
    return subprocess.run(
        ["xwininfo", "-display", display, "-root", "-tree"],
        capture_output=True,
        text=True,
    ).stdout


def _drop_page_cache() -> bool:
    """Make the next start read from disk, where the system allows it (root, not a container)."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True
