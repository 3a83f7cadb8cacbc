"""axe-core, in Debian's headless chromium, finds nothing wrong with any report's HTML twin.

The HTML is the accessible form of every report (the PDFs cannot be tagged), so it is checked
as an accessibility auditor would: axe-core's rules (WCAG 2 A and AA, and best practice) run
in a real browser over the brief, the full report and the portfolio of a few demo pilots,
and none of them may scroll sideways on a 320 px screen (WCAG reflow).
`./dev test` installs chromium and the npm packages (tools/axe), so CI never skips this; it
is skipped, saying why, only where chromium or node is missing. It starts a browser, so it
runs once for all the pages.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.integration.html_pages import write_reports

AXE = Path(__file__).resolve().parents[2] / "tools" / "axe"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def axe_results(pages: list[Path]) -> list[dict[str, Any]]:
    """axe-core's findings for each HTML page, run in one headless chromium; skips the test
    where node or chromium is missing (``./dev test`` installs both)."""
    node = shutil.which("node")
    if node is None or not Path(CHROMIUM).is_file():
        pytest.skip("needs node and chromium (`./dev test` installs both on Debian)")
    assert (AXE / "node_modules" / "axe-core").is_dir(), (
        "the axe-core npm packages are not installed: run ./dev test, or "
        "`cd tools/axe && PUPPETEER_SKIP_DOWNLOAD=1 npm ci`"
    )
    run = subprocess.run(
        [node, str(AXE / "check.mjs"), *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "CHROMIUM": CHROMIUM},
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr
    found: list[dict[str, Any]] = json.loads(run.stdout)
    assert [r["file"] for r in found] == [str(p) for p in pages]
    # axe ran its rules on every page (a blank page would pass nothing).
    assert all(r["passes"] > 10 for r in found), found
    return found


@pytest.mark.slow
def test_axe_finds_no_violation_in_any_report(demo_file: Path, tmp_path: Path) -> None:
    pages = [pdf.with_suffix(".html") for pdf in write_reports(demo_file, tmp_path).values()]
    found = axe_results(pages)
    violations = {Path(r["file"]).name: r["violations"] for r in found if r["violations"]}
    assert violations == {}, json.dumps(violations, indent=2)


@pytest.mark.slow
def test_axe_finds_no_violation_in_a_registry_entry_pack(demo_file: Path, tmp_path: Path) -> None:
    import dataclasses

    from reports.registry_pack import write_registry_pack
    from testlearn.services.databases import open_database
    from testlearn.services.reporting import pilot_report
    from tests.integration.html_pages import WHEN

    with open_database(demo_file) as db:
        report = pilot_report("DESNZ-TL-005", db=db, generated_at=WHEN)
    # Published, with policy areas: every part of the form has an answer to lay out.
    pilot = report.detail.pilot.model_copy(
        update={"report_link": "https://www.gov.uk/evaluation", "policy_areas": ["environment"]}
    )
    report = dataclasses.replace(report, detail=dataclasses.replace(report.detail, pilot=pilot))
    page = write_registry_pack(report, tmp_path / "pack").html
    [found] = axe_results([page])
    assert found["violations"] == [], json.dumps(found["violations"], indent=2)
