"""`testlearn --smoke-test` from source, and the frozen package's smoke test.

The frozen build (PyInstaller, about four minutes on two cores) runs through the same command a
release engineer uses, `./dev installer`, so the check CI runs is the documented one.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import Cli

ROOT = Path(__file__).resolve().parents[2]
STEPS = ("database", "analysis", "brief", "window", "verify")


def test_smoke_test_passes_from_source(tmp_path: Path) -> None:
    # A process of its own: the smoke test makes its own QApplication, and must not find the
    # one pytest-qt may have made.
    program = "import sys; from testlearn.cli import main; sys.exit(main())"
    done = subprocess.run(
        [sys.executable, "-c", program, "--smoke-test"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("smoke test: testlearn ")
    for step in STEPS:
        assert any(line.split()[:2] == ["ok", step] for line in lines), done.stdout
    assert lines[-1] == "smoke test: all steps passed"
    assert "Traceback" not in done.stdout + done.stderr


def test_smoke_test_fails_naming_what_the_build_lacks(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a build without the reports and the window (or with them left out by mistake) says.
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    real_import = importlib.import_module

    def without_upper_layers(name: str, package: str | None = None) -> ModuleType:
        if name.startswith(("reports", "ui")):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return real_import(name, package)

    monkeypatch.setattr(importlib, "import_module", without_upper_layers)
    run = cli("--smoke-test", db=False)
    assert run.code == 1
    assert "FAIL brief     reports are not part of this build" in run.out
    assert "FAIL window    the window is not part of this build" in run.out
    assert "ok   verify" in run.out
    assert run.out.splitlines()[-1] == "smoke test: FAILED (brief, window)"


def test_smoke_test_fails_a_build_without_reportlabs_accelerator(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # reportlab imports _rl_accel inside exec(), which PyInstaller cannot see: a spec that
    # loses its hidden import prints every report in pure Python, far slower but no error.
    from reportlab.lib import rl_accel

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.delitem(rl_accel._c_funcs, "fp_str")
    run = cli("--smoke-test", db=False)
    assert run.code == 1
    assert (
        "FAIL brief     reportlab's C accelerator (_rl_accel) is not part of this build: "
        "fp_str would run in pure Python"
    ) in run.out
    assert run.out.splitlines()[-1] == "smoke test: FAILED (brief)"


@pytest.mark.slow
@pytest.mark.timeout(1200)
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux package only")
def test_frozen_package_installs_and_passes_its_smoke_test(tmp_path: Path) -> None:
    folders = [f"--dist={tmp_path / 'dist'}", f"--work={tmp_path / 'build'}"]
    done = subprocess.run(
        [str(ROOT / "dev"), "installer", "--no-start-time", *folders],
        capture_output=True,
        text=True,
        timeout=1150,
    )
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-5000:]
    assert "smoke_test: passed" in done.stdout
