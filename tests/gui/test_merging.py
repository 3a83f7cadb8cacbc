"""Merging department files in the window: wizard, conflicts view and provenance."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.gui.conftest import wait_idle

PILOT = "DFE-TL-004"
FIELD = "team"


@pytest.fixture(scope="module")
def department_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two departments' exports of the demo, with the same field edited differently."""
    from testlearn.services import databases, merging, pilots

    folder = tmp_path_factory.mktemp("departments")
    template = folder / "template.sqlite"
    databases.create_database(template, demo=True, actor="department", department="DfE").close()
    exports: dict[str, Path] = {"template": template}
    for name, team in (("north", "Northern delivery team"), ("south", "Southern delivery team")):
        copy = folder / f"{name}.sqlite"
        shutil.copy(template, copy)
        with databases.open_database(copy) as db:
            pilots.set_field(PILOT, FIELD, team, db=db, actor=name)
            out = folder / f"{name}-export.sqlite"
            merging.export_for_central(db=db, out=out)
        exports[name] = out
    return exports


@pytest.fixture
def central_window(qtbot: Any, window: Any, lane: Any, tmp_path: Path) -> Any:
    from testlearn.services import databases

    path = tmp_path / "central.sqlite"
    databases.create_database(path, actor="central", department="Cabinet Office").close()
    window.database.open(path)
    wait_idle(qtbot, lane)
    assert window.pilots.model.rowCount() == 0
    return window


def choose(monkeypatch: pytest.MonkeyPatch, files: list[Path]) -> None:
    from ui.file_dialogs import FileDialogs

    monkeypatch.setattr(FileDialogs, "ask_department_files", classmethod(lambda cls, p: files))


def open_conflicts(qtbot: Any, window: Any, lane: Any) -> list[Any]:
    """What the database holds now, read through the window's own lane."""
    from ui.job import Job

    found: list[Any] = []

    def work(job: Job) -> Any:
        from testlearn.services import merging

        return merging.conflicts(db=job.ctx.require_database())

    lane.submit(Job("count", work, on_done=found.extend))
    wait_idle(qtbot, lane)
    return found


def test_preview_then_apply_then_resolve_in_the_conflicts_view(
    qtbot: Any,
    central_window: Any,
    lane: Any,
    messages: Any,
    monkeypatch: pytest.MonkeyPatch,
    department_files: dict[str, Path],
) -> None:
    window = central_window
    choose(monkeypatch, [department_files["north"], department_files["south"]])
    window.merge_files()
    wizard = window.merge_wizard
    wizard.add_files()
    assert wizard.files.count() == 2
    wizard.add_files()  # the same files again are not listed twice
    assert wizard.files.count() == 2

    wizard.preview.click()
    wait_idle(qtbot, lane, timeout=120_000)
    text = wizard.report_text.toPlainText()
    assert "nothing has been written yet" in text.lower()
    assert "north-export.sqlite" in text and "south-export.sqlite" in text
    assert "need a decision" in text
    assert "Northern delivery team" in text and "Southern delivery team" in text
    assert wizard.apply.isEnabled()
    # The dry run wrote nothing: no pilots, no conflicts.
    window.session.reload()
    wait_idle(qtbot, lane)
    assert window.pilots.model.rowCount() == 0
    assert open_conflicts(qtbot, window, lane) == []

    with qtbot.wait_signal(wizard.merged, timeout=120_000):
        wizard.apply.click()
    wait_idle(qtbot, lane)
    assert "Merged." in wizard.report_text.toPlainText()
    assert not wizard.apply.isVisible()
    assert wizard.cancel.text() == "Close"
    assert window.pilots.model.rowCount() == 10  # the pilot list refreshed
    assert not messages.messages

    window.show_conflicts()
    wait_idle(qtbot, lane)
    view = window.conflicts
    rows = [view.model.conflict(r) for r in range(view.model.rowCount())]
    ours = [c for c in rows if c.label == f"pilot {PILOT}" and c.field == FIELD]
    assert len(ours) == 1
    conflict = ours[0]
    assert {conflict.ours, conflict.theirs} == {"Northern delivery team", "Southern delivery team"}
    assert "No open" not in view.summary.text()

    view.select_conflict(conflict.id)
    assert view.take_theirs.isEnabled()
    with qtbot.wait_signal(view.resolved, timeout=30_000):
        view.take_theirs.click()
    wait_idle(qtbot, lane)
    assert all(
        not (c.label == f"pilot {PILOT}" and c.field == FIELD)
        for c in (view.model.conflict(r) for r in range(view.model.rowCount()))
    )
    window.pilots.select(PILOT)
    wait_idle(qtbot, lane)
    assert getattr(window.session.detail.pilot, FIELD) == conflict.theirs
    assert window.detail.overview.about.widgets[FIELD].text() == conflict.theirs

    # Resolved ones come back on the toggle, marked resolved.
    view.show_resolved.setChecked(True)
    wait_idle(qtbot, lane)
    statuses = {c.id: c.status for c in view.model.records()}
    assert statuses[conflict.id] == "resolved"
    view.select_conflict(conflict.id)
    assert not view.take_theirs.isEnabled()  # a resolved conflict cannot be settled again
    view.show_resolved.setChecked(False)
    wait_idle(qtbot, lane)
    # Settle whatever else is open, so the list empties.
    from ui.conflict_value_dialog import ConflictValueDialog

    monkeypatch.setattr(ConflictValueDialog, "ask", classmethod(lambda cls, p, c: "Agreed team"))
    while view.model.rowCount():
        view.table.selectRow(0)
        if view.set_value.isEnabled():
            view.set_value.click()
        else:
            view.keep_ours.click()
        wait_idle(qtbot, lane)
    assert view.summary.text() == "No open conflicts."
    assert open_conflicts(qtbot, window, lane) == []
    assert not messages.messages


def test_a_merged_pilot_says_where_it_came_from(
    qtbot: Any,
    central_window: Any,
    lane: Any,
    monkeypatch: pytest.MonkeyPatch,
    department_files: dict[str, Path],
) -> None:
    window = central_window
    choose(monkeypatch, [department_files["north"]])
    window.merge_files()
    wizard = window.merge_wizard
    wizard.add_files()
    wizard.run_preview()
    wait_idle(qtbot, lane, timeout=120_000)
    wizard.run_apply()
    wait_idle(qtbot, lane, timeout=120_000)
    window.pilots.select(PILOT)
    wait_idle(qtbot, lane)
    origin = window.detail.overview.origin.text()
    assert "Merged from" in origin
    assert "DfE" in origin and "north-export.sqlite" in origin and "added" in origin


def test_a_pilot_entered_here_says_so(
    qtbot: Any, window: Any, lane: Any, tmp_path: Path, department_files: dict[str, Path]
) -> None:
    path = tmp_path / "own.sqlite"
    shutil.copy(department_files["template"], path)
    window.database.open(path)
    wait_idle(qtbot, lane)
    window.pilots.select(PILOT)
    wait_idle(qtbot, lane)
    assert "Entered in this database" in window.detail.overview.origin.text()


def test_a_damaged_file_is_refused_with_its_reason_in_the_preview(
    qtbot: Any,
    central_window: Any,
    lane: Any,
    monkeypatch: pytest.MonkeyPatch,
    department_files: dict[str, Path],
    tmp_path: Path,
) -> None:
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x13" * 4000)
    choose(monkeypatch, [damaged])
    central_window.merge_files()
    wizard = central_window.merge_wizard
    wizard.add_files()
    wizard.run_preview()
    wait_idle(qtbot, lane)
    text = wizard.report_text.toPlainText()
    assert "damaged.sqlite: refused" in text
    assert "Reason:" in text
    assert wizard.report is not None and wizard.report.sources[0].refused
    assert wizard.report.sources[0].refused in text
    assert not wizard.apply.isEnabled()  # nothing left to apply


def test_cancelling_the_merge_leaves_the_database_as_it_was(
    qtbot: Any,
    central_window: Any,
    lane: Any,
    messages: Any,
    monkeypatch: pytest.MonkeyPatch,
    department_files: dict[str, Path],
) -> None:
    from testlearn.services import merging

    window = central_window
    choose(monkeypatch, [department_files["north"], department_files["south"]])
    real_merge = merging.merge

    def merge_then_cancel(*args: Any, **kwargs: Any) -> Any:
        # Press Cancel while the batch is being applied: the check just before the commit
        # sees it, and the whole transaction rolls back.
        asked = kwargs["should_cancel"]
        calls = {"n": 0}

        def should_cancel() -> bool:
            calls["n"] += 1
            if calls["n"] == 5 and not kwargs["dry_run"]:  # 2 files, then 2 inside, then last
                wizard.job.cancel()
            return bool(asked())

        return real_merge(*args, **{**kwargs, "should_cancel": should_cancel})

    monkeypatch.setattr(merging, "merge", merge_then_cancel)
    window.merge_files()
    wizard = window.merge_wizard
    wizard.add_files()
    wizard.run_preview()
    wait_idle(qtbot, lane, timeout=120_000)
    wizard.run_apply()
    wait_idle(qtbot, lane, timeout=120_000)
    assert "Cancelled" in wizard.status.text()
    assert not wizard.applied
    assert wizard.apply.isEnabled()  # it can be applied again
    window.session.reload()
    wait_idle(qtbot, lane)
    assert window.pilots.model.rowCount() == 0
    assert open_conflicts(qtbot, window, lane) == []
    assert not messages.messages


def test_export_for_central_writes_the_snapshot_and_its_manifest(
    qtbot: Any,
    window: Any,
    lane: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    department_files: dict[str, Path],
) -> None:
    from ui.file_dialogs import FileDialogs

    path = tmp_path / "own.sqlite"
    shutil.copy(department_files["template"], path)
    window.database.open(path)
    wait_idle(qtbot, lane)
    out = tmp_path / "for-central.sqlite"
    monkeypatch.setattr(FileDialogs, "ask_export_path", classmethod(lambda cls, p, s: out))
    window._export_for_central()
    wait_idle(qtbot, lane)
    assert out.exists()
    assert (tmp_path / "for-central.sqlite.manifest.json").exists()
    # The demo pilots carry commercial values: the export is marked as the reports are.
    message = window.statusBar().currentMessage()
    assert message.startswith("OFFICIAL-SENSITIVE COMMERCIAL: exported ")
    assert "without commercial values" in message  # how to leave them out


def test_export_without_commercial_values_from_the_central_menu(
    qtbot: Any,
    window: Any,
    lane: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    department_files: dict[str, Path],
) -> None:
    import json
    import sqlite3

    from ui.file_dialogs import FileDialogs

    path = tmp_path / "own.sqlite"
    shutil.copy(department_files["template"], path)
    window.database.open(path)
    wait_idle(qtbot, lane)
    suggested: list[str] = []
    out = tmp_path / "without.sqlite"

    def ask(cls: Any, parent: Any, name: str) -> Path:
        suggested.append(name)
        return out

    monkeypatch.setattr(FileDialogs, "ask_export_path", classmethod(ask))
    central = next(a for a in window.menuBar().actions() if a.text() == "&Central").menu()
    action = next(a for a in central.actions() if "without commercial values" in a.text())
    action.trigger()
    wait_idle(qtbot, lane)
    assert suggested == ["own-for-central-without-commercial.sqlite"]
    message = window.statusBar().currentMessage()
    assert "without commercial values" in message and "OFFICIAL-SENSITIVE" not in message
    manifest = json.loads((tmp_path / "without.sqlite.manifest.json").read_text("utf-8"))
    assert manifest["commercial"] == "without commercial values"
    conn = sqlite3.connect(out)
    held = conn.execute("SELECT count(*) FROM procurement WHERE should_cost IS NOT NULL")
    assert held.fetchone()[0] == 0
    conn.close()


def conflict_views() -> list[Any]:
    from testlearn.domain.merge_report import ConflictView

    return [
        ConflictView(
            id=f"{i:064x}",
            kind="edit-edit",
            entity="pilot",
            row_id=f"row-{i}",
            field="budget" if i % 2 else "team",
            label=f"pilot DFE-TL-00{i}",
            base=1000.0 * i,
            ours=None if i == 2 else 2000.0,
            theirs=["a", "b"] if i == 3 else "Other team",
            status="open" if i < 3 else "resolved",
            source="north-export.sqlite",
            detected_at="2026-11-03T10:15:00+00:00",
        )
        for i in range(1, 5)
    ]


def test_conflict_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    from PySide6.QtCore import Qt

    from ui.conflict_table_model import ConflictTableModel

    model = ConflictTableModel()
    qtmodeltester.check(model)
    model.set_records(conflict_views())
    qtmodeltester.check(model)
    assert model.rowCount() == 4
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Ours (shown now)"
    assert model.index(1, 3).data() == "(empty)"  # no value reads as empty, not "None"
    assert model.index(2, 4).data() == "a; b"
    assert model.index(0, 2).data() == "1,000"
