"""Build the Linux package, install it somewhere new, and prove the installed app works.

    python installer/smoke_test.py              # build, install, smoke-test, time the start
    python installer/smoke_test.py --skip-build # the same with the package already in dist/

The installed app runs with a clean environment (its own HOME, no PYTHONPATH, no virtual
environment on PATH, started outside the repository), so it can only use what the package
holds. It fails on a non-zero exit or on any "Traceback" or "Error" in the app's output.
With Xvfb and xwininfo installed it also times the start to the window, installed against
from source, and can save a screenshot of the installed window (--screenshot PATH).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from testlearn import __version__  # noqa: E402

sys.path.insert(0, str(ROOT / "installer"))
from build import machine  # noqa: E402

BAD_OUTPUT = re.compile(r"Traceback|Error")
SOURCE_APP = ROOT / ".venv" / "bin" / "testlearn"


class SmokeTestFailed(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-build", action="store_true", help="use the package in --dist")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="default: dist/")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="default: build/")
    parser.add_argument("--no-start-time", action="store_true", help="skip the timed starts")
    parser.add_argument("--screenshot", type=Path, help="save the installed window here (PNG)")
    parser.add_argument("--keep", action="store_true", help="keep the installation folder")
    args = parser.parse_args(argv)
    if not sys.platform.startswith("linux"):
        sys.exit("smoke_test: installs and runs the Linux package; see installer/README.md")
    try:
        run(args)
    except SmokeTestFailed as failure:
        print(f"smoke_test: FAILED: {failure}", flush=True)
        return 1
    return 0


def run(args: argparse.Namespace) -> None:
    dist = args.dist.resolve()
    build_minutes = None
    if not args.skip_build:
        started = time.monotonic()
        python = ROOT / ".venv" / "bin" / "python"
        command = [str(python if python.exists() else sys.executable), "installer/build.py"]
        subprocess.run(
            [*command, f"--dist={dist}", f"--work={args.work.resolve()}"], cwd=ROOT, check=True
        )
        build_minutes = (time.monotonic() - started) / 60
    tarball = dist / f"testlearn-{__version__}-linux-{machine()}.tar.gz"
    if not tarball.is_file():
        raise SmokeTestFailed(f"no package at {tarball}; build it first (drop --skip-build)")
    place = Path(tempfile.mkdtemp(prefix="testlearn-install-"))
    try:
        installed = install(tarball, place)
        smoke_seconds = smoke_test(installed, place)
        starts = {} if args.no_start_time else timed_starts(installed, place, args.screenshot)
        uninstall(place)
    finally:
        if args.keep:
            print(f"smoke_test: installation kept in {place}")
        else:
            shutil.rmtree(place, ignore_errors=True)
    print("smoke_test: passed")
    if build_minutes is not None:
        print(f"  build            {build_minutes:.1f} min")
    print(f"  package          {tarball.name}, {tarball.stat().st_size / 2**20:.0f} MB")
    print(f"  smoke test       {smoke_seconds:.1f} s (installed app, all steps)")
    for label, seconds in starts.items():
        print(f"  {label:<16} {seconds:.2f} s to the window with the pilots listed")


def install(tarball: Path, place: Path) -> Path:
    """Unpack and run install.sh into a fresh prefix; returns the installed command."""
    with tarfile.open(tarball) as archive:
        archive.extractall(place / "unpacked", filter="tar")
    (unpacked,) = (place / "unpacked").iterdir()
    prefix = place / "prefix"
    _check(
        [str(unpacked / "install.sh"), "--prefix", str(prefix)], place, "install.sh", timeout=300
    )
    command = prefix / "bin" / "testlearn"
    desktop = prefix / "share" / "applications" / "testlearn.desktop"
    icon = prefix / "share" / "icons" / "hicolor" / "256x256" / "apps" / "testlearn.png"
    for path in (command, desktop, icon):
        if not path.exists():
            raise SmokeTestFailed(f"install.sh did not install {path.relative_to(prefix)}")
    entry = desktop.read_text()
    if f'Exec="{prefix / "lib" / "testlearn" / "testlearn"}"' not in entry:
        raise SmokeTestFailed(f"the desktop entry does not start the installed app:\n{entry}")
    if shutil.which("desktop-file-validate"):
        _check(["desktop-file-validate", str(desktop)], place, "desktop-file-validate")
    version = _check([str(command), "--version"], place, "testlearn --version").strip()
    if version != f"testlearn {__version__}":
        raise SmokeTestFailed(f"the installed app says {version!r}, not testlearn {__version__}")
    print(f"smoke_test: installed {version} into {prefix}", flush=True)
    return command


def smoke_test(command: Path, place: Path) -> float:
    started = time.monotonic()
    output = _check([str(command), "--smoke-test"], place, "testlearn --smoke-test", timeout=600)
    seconds = time.monotonic() - started
    print(output, end="", flush=True)
    bad = [line for line in output.splitlines() if BAD_OUTPUT.search(line)]
    if bad:
        raise SmokeTestFailed("the smoke test's output reports errors:\n" + "\n".join(bad))
    return seconds


def uninstall(place: Path) -> None:
    (unpacked,) = (place / "unpacked").iterdir()
    prefix = place / "prefix"
    _check([str(unpacked / "install.sh"), "--uninstall", "--prefix", str(prefix)], place, "")
    left = list(prefix.rglob("*testlearn*"))
    if left:
        raise SmokeTestFailed(f"install.sh --uninstall left {left}")


def timed_starts(command: Path, place: Path, screenshot: Path | None) -> dict[str, float]:
    """Seconds from starting the app to its window showing the demo pilots, on Xvfb."""
    from start_time import measure_starts  # installer/start_time.py

    database = place / "start.sqlite"
    _check([str(command), "init", "--db", str(database), "--demo"], place, "testlearn init")
    return measure_starts(
        {"installed": [str(command)], "from source": [str(SOURCE_APP)]},
        database=database,
        home=place / "home",
        screenshot=screenshot,
    )


def clean_environment(place: Path) -> dict[str, str]:
    """What a fresh login has: no PYTHONPATH, no virtual environment, a HOME of its own."""
    home = place / "home"
    home.mkdir(exist_ok=True)
    keep = {k: v for k, v in os.environ.items() if k in ("LANG", "LC_ALL", "TZ", "USER")}
    # A name to record changes against, so that `init` runs and the timed start opens the
    # window rather than the first start's "Your name" dialog.
    return {
        **keep,
        "HOME": str(home),
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "TESTLEARN_NAME": "smoke test",
    }


def _check(command: list[str], place: Path, what: str, timeout: float = 120) -> str:
    """Run with the clean environment, outside the repository; the output, or a failure."""
    try:
        done = subprocess.run(
            command,
            cwd=place,
            env=clean_environment(place),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as error:
        raise SmokeTestFailed(f"{what or command[0]} did not finish in {timeout:.0f} s") from error
    output = done.stdout + done.stderr
    if done.returncode != 0:
        raise SmokeTestFailed(f"{what or command[0]} exited {done.returncode}:\n{output}")
    return output


if __name__ == "__main__":
    sys.exit(main())
