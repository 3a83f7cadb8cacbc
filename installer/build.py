"""Build the installable package for the machine this runs on: `python installer/build.py`.

* Linux:   dist/testlearn-VERSION-linux-ARCH.tar.gz (the one-folder app, a .desktop entry, the
           icon and install.sh for a per-user install), and with --deb a .deb as well.
* Windows: dist/testlearn-VERSION-windows-setup.exe (Inno Setup; per-user, no admin rights).
* macOS:   dist/testlearn-VERSION-macos-ARCH.dmg (the .app bundle on a disk image).

PyInstaller runs from the project's virtual environment (.venv); this script re-runs itself
there, and installs the `installer` extra into it when PyInstaller is missing. The version
is read from testlearn/__init__.py, the one place it is written.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"

sys.path.insert(0, str(ROOT))
from testlearn import __version__  # noqa: E402  (the repository, not an installed copy)


@dataclass(frozen=True)
class Folders:
    """Where the packages go (dist) and PyInstaller's scratch space (work)."""

    dist: Path
    work: Path

    @property
    def app(self) -> Path:
        """The one-folder app that PyInstaller's COLLECT writes."""
        return self.dist / "pyinstaller" / "testlearn"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deb", action="store_true", help="Linux: also build a .deb")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="default: dist/")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="default: build/")
    parser.add_argument(
        "--skip-freeze", action="store_true", help="reuse the app folder of the last build"
    )
    args = parser.parse_args(argv)
    _use_project_environment()
    folders = Folders(args.dist.resolve(), args.work.resolve())
    started = time.monotonic()
    if not args.skip_freeze:
        freeze(folders)
    packages = package(folders, deb=args.deb)
    minutes = (time.monotonic() - started) / 60
    print(f"build: app folder {folders.app} ({folder_size(folders.app) / 2**20:.0f} MB)")
    for path in packages:
        print(f"build: {path} ({path.stat().st_size / 2**20:.1f} MB)")
    print(f"build: done in {minutes:.1f} min")
    return 0


def _use_project_environment() -> None:
    """Run under .venv with PyInstaller in it (installing the `installer` extra if needed)."""
    venv = ROOT / ".venv"
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if Path(sys.prefix).resolve() != venv.resolve():
        if not python.exists():
            sys.exit("build: no .venv here; run ./dev installer (or create .venv yourself)")
        os.execv(python, [str(python), __file__, *sys.argv[1:]])
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        print("build: installing PyInstaller into .venv (the `installer` extra)", flush=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "-e", ".[installer]"],
            cwd=ROOT,
            check=True,
        )


def freeze(folders: Folders) -> None:
    """The one-folder app, from installer/testlearn.spec, built afresh."""
    work = folders.work / "pyinstaller"
    for stale in (work, folders.dist / "pyinstaller"):
        shutil.rmtree(stale, ignore_errors=True)
    if sys.platform == "win32":
        from windows_version import write_version_file  # installer/windows_version.py

        write_version_file(ROOT / "build" / "windows-version.txt", __version__)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level=WARN",
            f"--distpath={folders.dist / 'pyinstaller'}",
            f"--workpath={work}",
            str(INSTALLER / "testlearn.spec"),
        ],
        cwd=ROOT,
        check=True,
    )


def package(folders: Folders, *, deb: bool) -> list[Path]:
    if sys.platform.startswith("linux"):
        from linux_package import build_deb, build_tarball, check_libraries

        check_libraries(folders.app)
        staging = folders.work / "package"
        built = [build_tarball(folders.app, folders.dist, staging, __version__, machine())]
        if deb:
            built.append(build_deb(folders.app, folders.dist, staging, __version__))
        return built
    if sys.platform == "win32":
        return [_inno_setup(folders)]
    if sys.platform == "darwin":
        return [_disk_image(folders)]
    sys.exit(f"build: no package format for {sys.platform}; the app folder is {folders.app}")


def _inno_setup(folders: Folders) -> Path:
    """Run the Inno Setup compiler (ISCC.exe, installed with Inno Setup 6) on the script."""
    candidates = [
        shutil.which("iscc"),
        os.path.expandvars(r"%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe"),
        os.path.expandvars(r"%LOCALAPPDATA%\Programs\Inno Setup 6\ISCC.exe"),
    ]
    iscc = next((c for c in candidates if c and Path(c).is_file()), None)
    if iscc is None:
        sys.exit("build: Inno Setup 6 is not installed (https://jrsoftware.org/isinfo.php)")
    subprocess.run(
        [
            iscc,
            f"/DAppVersion={__version__}",
            f"/DSourceDir={folders.app}",
            f"/DOutputDir={folders.dist}",
            f"/DAssetsDir={INSTALLER / 'assets'}",
            str(INSTALLER / "windows" / "testlearn.iss"),
        ],
        check=True,
    )
    return folders.dist / f"testlearn-{__version__}-windows-setup.exe"


def _disk_image(folders: Folders) -> Path:
    """The .app on a compressed disk image, beside a link to /Applications."""
    app = folders.dist / "pyinstaller" / "testlearn.app"
    staging = folders.work / "dmg"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    subprocess.run(["ditto", str(app), str(staging / "testlearn.app")], check=True)
    (staging / "Applications").symlink_to("/Applications")
    image = folders.dist / f"testlearn-{__version__}-macos-{machine()}.dmg"
    image.unlink(missing_ok=True)
    volume = f"testlearn {__version__}"
    create = ["hdiutil", "create", "-volname", volume, "-srcfolder", str(staging), "-ov"]
    subprocess.run([*create, "-format", "UDZO", str(image)], check=True)
    return image


def machine() -> str:
    name = platform.machine().lower()
    return {"amd64": "x86_64", "aarch64": "arm64"}.get(name, name)


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


if __name__ == "__main__":
    sys.exit(main())
