"""A record table on a narrow screen: every column in view, headers whole, long text wrapped."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from ui.column_fit import shared_widths
from ui.record_table import RecordTable
from ui.record_table_model import RecordTableModel

LONG = (
    "Test the minimum dose a practitioner can sustain before an efficacy trial, and build it "
    "into the school timetable so that Reception staff have protected time to deliver it."
)


def test_shared_widths_narrow_only_the_widest_and_never_below_their_least() -> None:
    assert shared_widths([100, 200, 300], [50, 50, 50], 700) == [100, 200, 300]
    assert shared_widths([100, 200, 300], [50, 50, 50], 450) == [100, 175, 175]
    assert shared_widths([100, 100, 600], [50, 150, 50], 400) == [100, 150, 150]
    # No room even for the least: each keeps its least (the table scrolls sideways).
    assert shared_widths([100, 200, 300], [80, 90, 80], 200) == [80, 90, 80]


def test_a_long_column_wraps_and_leaves_every_column_and_header_in_view(qtbot: Any) -> None:
    model = RecordTableModel(
        [
            ("Category", lambda r: r.category),
            ("Recommendation", lambda r: r.recommendation),
            ("What happened", lambda r: r.what),
            ("Kind of failure", lambda r: r.kind),
        ]
    )
    table = RecordTable(
        model, "Lessons", on_add=lambda _r: None, on_edit=lambda _r: None, on_remove=lambda _r: None
    )
    qtbot.addWidget(table)
    table.resize(520, 300)
    table.show()
    qtbot.waitExposed(table)
    model.set_records(
        [
            SimpleNamespace(
                category="Delivery",
                recommendation=LONG,
                what="Only 41% of practitioners used the app weekly.",
                kind="Implementation failure (not delivered as intended)",
            )
        ]
    )
    room = table.viewport().width()
    widths = [table.columnWidth(c) for c in range(4)]
    assert sum(widths) <= room  # nothing pushed out of sight
    header = table.horizontalHeader()
    assert all(widths[c] >= header.sectionSizeHint(c) for c in range(4))  # headers whole
    one_line = table.fontMetrics().lineSpacing()
    assert table.rowHeight(0) > 2 * one_line  # the recommendation wraps onto more lines
    assert table.rowHeight(0) <= 6 * one_line + 8  # but a row stops at six lines
    # Wider again, the table gives each column its whole text on one line.
    table.resize(2400, 300)
    qtbot.waitUntil(lambda: table.rowHeight(0) < 2 * one_line)
    assert table.columnWidth(0) < table.columnWidth(1)


def test_when_even_words_do_not_fit_the_headers_wrap_onto_two_lines(qtbot: Any) -> None:
    names = ("Mission alignment", "Latest rating", "Why it is a concern", "Kind of failure")
    model = RecordTableModel([(n, lambda r: r.text) for n in names])
    table = RecordTable(
        model, "KPIs", on_add=lambda _r: None, on_edit=lambda _r: None, on_remove=lambda _r: None
    )
    qtbot.addWidget(table)
    table.resize(450, 300)
    table.show()
    qtbot.waitExposed(table)
    model.set_records([SimpleNamespace(text="Requires improvement (2025-26)")])
    header = table.horizontalHeader()
    assert sum(table.columnWidth(c) for c in range(4)) <= table.viewport().width()
    assert any(table.columnWidth(c) < header.sectionSizeHint(c) for c in range(4))
    assert header.height() >= 2 * header.fontMetrics().lineSpacing()
