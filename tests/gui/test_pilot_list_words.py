"""The pilot list labels a result in the brief's words, so the window and the brief agree."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from PySide6.QtCore import Qt

from tests.gui.conftest import wait_idle
from ui.pilot_list_model import VERDICT

KEY_DELAY_MS = 60


def _verdict_cell(window: Any, reference: str) -> str:
    proxy = window.pilots.proxy
    for row in range(proxy.rowCount()):
        if proxy.index(row, 0).data() == reference:
            return str(proxy.index(row, VERDICT).data())
    raise AssertionError(f"{reference} is not in the list")


def test_a_success_at_sms_2_reads_as_the_brief_labels_it(
    qtbot: Any, demo_window: Any, lane: Any, tmp_path: Path
) -> None:
    from reports.brief import write_brief
    from testlearn.services.reporting import pilot_report

    window = demo_window
    # DESNZ-TL-010: a success against historic procurements, at SMS 2. Found as a user would,
    # and analysed from its Analysis tab (the window's demo is not analysed).
    window.pilots.search.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClicks(window.pilots.search, "solar", delay=KEY_DELAY_MS)
    qtbot.waitUntil(lambda: window.pilots.proxy.rowCount() == 1)
    assert _verdict_cell(window, "DESNZ-TL-010") == ""
    window.pilots.select("DESNZ-TL-010")
    qtbot.waitUntil(
        lambda: (
            window.session.detail is not None
            and window.session.detail.pilot.reference == "DESNZ-TL-010"
        )
    )
    wait_idle(qtbot, lane)
    window.detail.show_tab("analysis")
    qtbot.mouseClick(window.detail.analysis.analyse_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, lane)
    qtbot.waitUntil(lambda: _verdict_cell(window, "DESNZ-TL-010") != "")
    shown = _verdict_cell(window, "DESNZ-TL-010")
    summary = window.pilots.model.summary(window.pilots.model.row_of("DESNZ-TL-010"))
    assert (summary.primary_verdict, summary.primary_evidence_level) == ("success", 2)
    assert shown == "Gain, not shown causal"
    assert "Success" not in shown and "Worked" not in shown

    # The brief of the same pilot, from the same database, says the same.
    wait_idle(qtbot, lane)
    path = tmp_path / "brief.pdf"
    when = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
    write_brief(
        pilot_report("DESNZ-TL-010", db=window.lane._context.database, generated_at=when),
        path,
        html=False,
    )
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))
    assert f"H1: {shown.lower()}" in text


def test_the_verdict_filter_names_verdicts_as_the_reports_count_them(demo_window: Any) -> None:
    combo = demo_window.pilots.filters["verdict"]
    names = [combo.itemText(i) for i in range(combo.count())]
    assert "With a success verdict" in names and "Could not tell" in names
    assert "Success" not in names
