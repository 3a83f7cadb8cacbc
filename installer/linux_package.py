"""The Linux packages: a tarball for a per-user install, and optionally a .deb.

The tarball needs no administrator rights (install.sh copies into ~/.local), which is what a
managed laptop allows; the .deb suits machines whose administrators deploy Debian packages.
Both hold the same one-folder app, built on the oldest distribution the app should run on
(the folder carries its own Python, Qt and libraries, but links to the system's C library).
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
from pathlib import Path

INSTALLER = Path(__file__).resolve().parent
ASSETS = INSTALLER / "assets"
LINUX = INSTALLER / "linux"


def check_libraries(app: Path) -> None:
    """Fail if a library in the app folder needs one that neither it nor this system has.

    PyInstaller copies what the build machine has; a library missing here (Qt's xcb plugin
    needs several xcb-util packages) would be missing from the app too, and the window would
    fail on the user's desktop with "could not load the Qt platform plugin xcb".
    """
    internal = app / "_internal"
    search = [internal, *{p.parent for p in internal.rglob("libQt6Core.so*")}]
    environment = {"LD_LIBRARY_PATH": ":".join(map(str, search)), "PATH": "/usr/bin:/bin"}
    missing: dict[str, set[str]] = {}
    for library in internal.rglob("*.so*"):
        if library.is_symlink() or not library.is_file():
            continue
        linked = subprocess.run(
            ["ldd", str(library)], capture_output=True, text=True, env=environment
        ).stdout
        for line in linked.splitlines():
            if "not found" in line:
                missing.setdefault(line.split()[0], set()).add(library.name)
    if missing:
        lines = [f"  {name} (for {', '.join(sorted(users))})" for name, users in missing.items()]
        raise SystemExit(
            "build: libraries missing on this build machine, so missing from the app:\n"
            + "\n".join(sorted(lines))
            + "\nInstall them (Debian: see installer/README.md, 'Building on Linux') and rebuild."
        )


def build_tarball(app: Path, dist: Path, work: Path, version: str, machine: str) -> Path:
    """dist/testlearn-VERSION-linux-MACHINE.tar.gz, unpacking to testlearn-VERSION/."""
    name = f"testlearn-{version}-linux-{machine}"
    top = f"testlearn-{version}"
    staging = work / "tarball" / top
    shutil.rmtree(staging.parent, ignore_errors=True)
    staging.mkdir(parents=True)
    shutil.copytree(app, staging / "testlearn", symlinks=True)
    shutil.copy2(LINUX / "install.sh", staging / "install.sh")
    desktop = (LINUX / "testlearn.desktop").read_text()
    (staging / "testlearn.desktop").write_text(desktop.replace("@VERSION@", version))
    shutil.copy2(ASSETS / "testlearn.png", staging / "testlearn.png")
    shutil.copy2(ASSETS / "testlearn.svg", staging / "testlearn.svg")
    (staging / "VERSION").write_text(f"{version}\n")
    (staging / "README").write_text(_readme(version))
    tarball = dist / f"{name}.tar.gz"
    tarball.unlink(missing_ok=True)
    with tarfile.open(tarball, "w:gz", compresslevel=6) as archive:
        archive.add(staging, arcname=top, filter=_owned_by_root)
    return tarball


def build_deb(app: Path, dist: Path, work: Path, version: str) -> Path:
    """dist/testlearn_VERSION_ARCH.deb: the app in /opt/testlearn, on the menu for everyone."""
    if shutil.which("dpkg-deb") is None:
        raise SystemExit("build: dpkg-deb is needed for --deb (Debian/Ubuntu: apt install dpkg)")
    architecture = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    root = work / "deb" / "root"
    shutil.rmtree(root.parent, ignore_errors=True)
    shutil.copytree(app, root / "opt" / "testlearn", symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / "testlearn").symlink_to("/opt/testlearn/testlearn")
    applications = root / "usr" / "share" / "applications"
    applications.mkdir(parents=True)
    desktop = (LINUX / "testlearn.desktop").read_text()
    (applications / "testlearn.desktop").write_text(
        desktop.replace("@EXEC@", "/opt/testlearn/testlearn").replace("@VERSION@", version)
    )
    for size, source in (("256x256", "testlearn.png"), ("scalable", "testlearn.svg")):
        icons = root / "usr" / "share" / "icons" / "hicolor" / size / "apps"
        icons.mkdir(parents=True)
        shutil.copy2(ASSETS / source, icons / source)
    control = root / "DEBIAN"
    control.mkdir()
    installed_kb = sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) // 1024
    (control / "control").write_text(
        f"Package: testlearn\nVersion: {version}\nArchitecture: {architecture}\n"
        "Maintainer: testlearn maintainers <testlearn@localhost>\n"
        f"Installed-Size: {installed_kb}\nSection: science\nPriority: optional\n"
        "Depends: libc6, libfontconfig1, libxkbcommon0, libegl1, libgl1, libxcb-cursor0\n"
        "Recommends: fonts-dejavu-core\n"
        "Description: register, analyse and report test-and-learn procurement pilots\n"
        " A self-contained build of testlearn: the window, the statistical analysis and\n"
        " the briefs, with its own Python and Qt.\n"
    )
    package = dist / f"testlearn_{version}_{architecture}.deb"
    subprocess.run(
        # gzip rather than xz: a third larger, but minutes faster to build on a small machine.
        ["dpkg-deb", "--root-owner-group", "-Zgzip", "--build", str(root), str(package)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return package


def _owned_by_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
    # The builder's user name means nothing on the machine that unpacks it.
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def _readme(version: str) -> str:
    return (
        f"testlearn {version} for Linux\n\n"
        "Install for yourself (no administrator rights needed):\n"
        "    ./install.sh                 # into ~/.local; then start testlearn from the menu\n"
        "    ./install.sh --uninstall     # remove it again (your databases stay)\n\n"
        "Or run it from this folder without installing:\n"
        "    ./testlearn/testlearn\n\n"
        "Check the installation: testlearn --smoke-test (prints one line per step).\n"
        "The window needs a desktop with X11 or Wayland; Qt's xcb platform needs the system's\n"
        "libxcb-cursor0 (Debian/Ubuntu) or xcb-util-cursor (Fedora).\n"
    )
