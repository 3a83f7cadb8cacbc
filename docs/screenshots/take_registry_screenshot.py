"""The pictures of evaluation-registry.md: the overview's Evaluation Registry fields and the
Reports section after the entry pack was made, and the pack's first page.

    Xvfb :99 -screen 0 1366x768x24 & DISPLAY=:99 openbox &
    DISPLAY=:99 PYTHONPATH=. .venv/bin/python docs/screenshots/take_registry_screenshot.py

Builds the demo database in a temporary folder, gives DFE-TL-004 its published report's link,
date and policy areas, and makes its pack there; the first page is rendered with pdftoppm.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
REF = "DFE-TL-004"
FIELDS = {
    "report_link": "https://www.gov.uk/government/publications/reception-screening-evaluation",
    "report_published_on": "20/11/2026",
    "policy_areas": "education; childcare-parenting",
}


def build(path: Path) -> None:
    from testlearn.services import demo, pilots

    db = demo.build_demo_database(path, actor="Priya Shah")
    try:
        for field, value in FIELDS.items():
            pilots.set_field(REF, field, value, db=db, actor="Priya Shah")
    finally:
        db.close()


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from docs.screenshots.take_screenshots import open_window, settle
    from ui.file_dialogs import FileDialogs

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.sqlite"
        build(path)
        app, lane, window = open_window(path, REF)
        window.detail.show_tab("overview")
        overview = window.detail.overview
        overview.ensureWidgetVisible(overview.registry, 0, 0)
        settle(app, lane)
        window.grab().save(str(HERE / "registry-fields.png"))

        pack = Path(folder) / "pack"
        FileDialogs.ask_folder = classmethod(lambda cls, parent, title: pack)  # type: ignore[method-assign]
        window.detail.show_tab("reports")
        window.detail.reports.registry_button.click()
        settle(app, lane, 1.5)
        window.grab().save(str(HERE / "registry-reports.png"))
        lane.stop()
        pdf = pack / f"{REF}-registry-entry.pdf"
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(pack / "page")],
            check=True,
        )
        shutil.copy(next(pack.glob("page*.png")), HERE / "registry-pack-page1.png")


if __name__ == "__main__":
    main()
