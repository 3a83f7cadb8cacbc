"""Screenshots of the merge preview and the conflicts view, from a real window (under Xvfb).

    Xvfb :99 -screen 0 1440x900x24 &
    DISPLAY=:99 .venv/bin/python docs/screenshots/take_merge_screenshots.py /tmp/merge-shots

Two departments' copies of the demo are edited differently and exported, then merged into
an empty central database.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EDITS = {
    "dfe-north": {
        ("DFE-TL-004", "team"): "Northern delivery team",
        ("DFE-TL-004", "senior_responsible_owner"): "A. Patel",
        ("MOJ-TL-007", "problem_statement"): "Court listings are often missed by defendants.",
    },
    "dfe-south": {
        ("DFE-TL-004", "team"): "Southern delivery team",
        ("DFE-TL-004", "senior_responsible_owner"): "B. Okafor",
        ("MOJ-TL-007", "minister"): "Minister of State for Courts",
    },
}


def departments(folder: Path) -> list[Path]:
    from testlearn.services import databases, merging, pilots

    folder.mkdir(parents=True, exist_ok=True)
    template = folder / "template.sqlite"
    if not template.exists():
        databases.create_database(template, demo=True, actor="dfe", department="DfE").close()
    exports = []
    for name, edits in EDITS.items():
        copy = folder / f"{name}.sqlite"
        shutil.copy(template, copy)
        with databases.open_database(copy) as db:
            for (reference, field), value in edits.items():
                pilots.set_field(reference, field, value, db=db, actor=name)
            out = folder / f"{name}-2026-11.sqlite"
            out.unlink(missing_ok=True)
            Path(f"{out}.manifest.json").unlink(missing_ok=True)
            merging.export_for_central(db=db, out=out)
        exports.append(out)
    return exports


def main(folder: str) -> None:
    sys.path.insert(0, str(HERE.parent.parent))
    from docs.screenshots.take_screenshots import settle
    from testlearn.services import databases
    from ui.app import make_application
    from ui.file_dialogs import FileDialogs
    from ui.main_window import MainWindow
    from ui.worker_lane import WorkerLane

    work = Path(folder)
    exports = departments(work)
    central = work / "central.sqlite"
    central.unlink(missing_ok=True)
    databases.create_database(central, actor="central", department="Cabinet Office").close()
    # The files are chosen here rather than in a native dialog, as the GUI tests do.
    FileDialogs.ask_department_files = classmethod(  # type: ignore[method-assign, assignment]
        lambda cls, parent: exports
    )

    app = make_application()
    lane = WorkerLane("central team")
    window = MainWindow(lane)
    window.resize(1400, 860)
    window.show()
    window.open_start(central, is_default=False)
    settle(app, lane, 1.0)
    window.merge_files()
    wizard = window.merge_wizard
    wizard.add_files()
    wizard.run_preview()
    settle(app, lane, 1.0)
    wizard.grab().save(str(HERE / "merge-preview.png"))
    wizard.run_apply()
    settle(app, lane, 1.0)
    wizard.accept()
    window.show_conflicts()
    settle(app, lane, 1.0)
    window.conflicts.grab().save(str(HERE / "conflicts.png"))
    lane.stop()


if __name__ == "__main__":
    main(sys.argv[1])
