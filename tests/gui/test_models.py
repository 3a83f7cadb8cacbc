"""Every item model of the window passes Qt's model tester, with real and edge-case rows."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from PySide6.QtCore import Qt


def summary(i: int, **changes: Any) -> Any:
    from testlearn.domain.pilot_detail import PilotSummary

    values = dict(
        id=uuid.uuid4(),
        reference=f"REF-{i:05d}",
        title=f"Pilot number {i}",
        lead_organisation=["DfE", "DHSC", "MoJ"][i % 3],
        primary_mission=["NHS", "GROWTH", None][i % 3],
        status=["live", "idea"][i % 2],
        spend=None if i % 4 == 0 else 1000.0 * i,
        marking="OFFICIAL",
        hypotheses=1,
        registered=bool(i % 2),
        primary_verdict=["success", None, "harm"][i % 3],
    )
    values.update(changes)
    return PilotSummary(**values)


def test_pilot_list_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    from ui.pilot_list_model import PilotListModel

    model = PilotListModel()
    model.set_pilots([summary(i) for i in range(50)])
    qtmodeltester.check(model)
    model.sort(6, Qt.SortOrder.DescendingOrder)
    model.replace_pilot(summary(99))
    qtmodeltester.check(model)


def test_filter_proxy_passes_the_model_tester_and_filters(qtmodeltester: Any) -> None:
    from ui.pilot_filter_proxy import PilotFilterProxy
    from ui.pilot_list_model import PilotListModel

    model = PilotListModel()
    model.set_pilots([summary(i) for i in range(30)])
    proxy = PilotFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.set_filter("mission", "NHS")
    assert proxy.rowCount() == 10
    proxy.set_search("dfe")
    assert proxy.rowCount() == 10  # every third pilot is DfE and on the NHS mission
    proxy.set_filter("verdict", "success")
    proxy.set_search("number 3")
    assert {proxy.index(r, 0).data() for r in range(proxy.rowCount())} == {"REF-00003"}
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)
    proxy.clear_filters()
    assert proxy.rowCount() == 30
    assert proxy.index(0, 0).data() == "REF-00029"


def test_record_table_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    from ui.record_table_model import RecordTableModel

    model = RecordTableModel(
        [("Name", lambda r: r["name"]), ("When", lambda r: r["when"])],
        accent=lambda r: "#ff0000",
        tooltip=lambda r: r["name"],
    )
    model.set_records([{"name": f"n{i}", "when": dt.date(2025, 1, i + 1)} for i in range(5)])
    qtmodeltester.check(model)
    model.set_records([])
    qtmodeltester.check(model)
