"""The screenshot of procurement-notices.md: a pilot's KPIs after its notices were imported.

    Xvfb :99 -screen 0 1366x768x24 &
    DISPLAY=:99 PYTHONPATH=. .venv/bin/python docs/screenshots/take_notice_screenshot.py

Builds a database beside the picture's folder in a temporary folder, with one pilot whose
contract details (UK7) and contract performance (UK9) notices are the tests' hand-written
ones, and one KPI classified by hand as an outcome serving a mission.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
NOTICES = ROOT / "tests" / "data" / "notices"


def build(path: Path) -> None:
    from testlearn.services import notice_import, pilot_records, pilots
    from testlearn.services.databases import create_database
    from tests.builders import pilot

    db = create_database(path, actor="Priya Shah")
    try:
        pilots.create_pilot(
            pilot(reference="DHSC-TL-007", title="Outcome-based ward cleaning"),
            db=db,
            actor="Priya Shah",
        )
        for name in ("uk7_contract_details.json", "uk9_contract_performance.json"):
            notice_import.import_notices("DHSC-TL-007", NOTICES / name, db=db, actor="Priya Shah")
        detail = pilots.get_pilot("DHSC-TL-007", db=db)
        for item in detail.kpis:
            if item.kpi.notice_metric_id == "KPI-3":
                pilot_records.edit(
                    "DHSC-TL-007",
                    "kpi",
                    item.kpi.id,
                    {"level": "outcome", "mission_alignment": "strong", "mission": "NHS"},
                    db=db,
                    actor="Priya Shah",
                )
    finally:
        db.close()


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from docs.screenshots.take_screenshots import open_window, settle
    from ui.kpis_section import KpisSection

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "notices.sqlite"
        build(path)
        app, lane, window = open_window(path, "DHSC-TL-007")
        window.detail.show_tab("procurement")
        settle(app, lane)
        section = window.detail.findChild(KpisSection)
        scroller = section.parentWidget()
        while scroller is not None and not hasattr(scroller, "ensureWidgetVisible"):
            scroller = scroller.parentWidget()
        if scroller is not None:
            scroller.ensureWidgetVisible(section.table, 0, 200)
        settle(app, lane)
        window.grab().save(str(HERE / "kpi-statutory-ratings.png"))
        lane.stop()


if __name__ == "__main__":
    main()
