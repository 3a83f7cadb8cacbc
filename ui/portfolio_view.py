"""The portfolio: verdicts by mission, results pooled across pilots, spend and cost avoided,
weak KPIs, pipeline, lessons."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from testlearn.domain.vocabulary import KpiLevel, KpiRating, LessonCategory, MissionAlignment
from ui.chart_view import ChartView
from ui.labels import money, term_label
from ui.pooling_panel import PoolingPanel
from ui.portfolio_builder import PortfolioBuilder
from ui.portfolio_status import PortfolioStatus
from ui.record_table_model import RecordTableModel

if TYPE_CHECKING:
    from ui.database_opener import DatabaseOpener


class PortfolioView(QScrollArea):
    """Every pilot of the open database, looked at together.

    Built on a lane of its own when the page is shown and the data changed since the last
    build (``PortfolioBuilder``); the page shows the build's progress, with Cancel.
    """

    def __init__(self, database: DatabaseOpener, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.builder = PortfolioBuilder(database, self)
        self.setWidgetResizable(True)
        self.status = PortfolioStatus(self)
        self.totals = QLabel(self)
        self.totals.setWordWrap(True)
        self.totals.setAccessibleName("Portfolio totals")
        self.chart = ChartView(self)
        self.chart.setAccessibleName("Primary results by mission")
        self.pooling = PoolingPanel(self)
        self.kpis = RecordTableModel(
            [
                ("Pilot", lambda k: k.reference),
                ("KPI", lambda k: k.kpi),
                ("Level", lambda k: term_label(KpiLevel, k.level)),
                ("Mission alignment", lambda k: term_label(MissionAlignment, k.alignment)),
                (
                    "Statutory rating",
                    lambda k: (
                        term_label(KpiRating, k.statutory_rating) if k.statutory_rating else ""
                    ),
                ),
                ("Why it is a concern", lambda k: "; ".join(k.reasons)),
            ],
            parent=self,
        )
        self.pipeline = RecordTableModel(
            [
                ("Financial year", lambda y: y.year),
                ("Contracts", lambda y: y.contracts),
                ("Value", lambda y: money(y.value)),
                ("Pilots", lambda y: ", ".join(y.references)),
            ],
            parent=self,
        )
        self.lessons = RecordTableModel(
            [
                ("Category", lambda r: term_label(LessonCategory, r.category)),
                ("Lessons", lambda r: r.lessons),
                ("Went badly", lambda r: r.went_badly),
                ("Pilots", lambda r: ", ".join(r.pilots)),
                ("Recommendations", lambda r: " / ".join(r.recommendations[:2])),
            ],
            parent=self,
        )
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.addWidget(self.status)
        # Nothing is shown until a portfolio has been built: empty tables would say "none".
        self.content = QWidget(page)
        self.content.hide()
        outer.addWidget(self.content)
        outer.addStretch(1)
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.totals)
        layout.addWidget(self._box("Primary results by mission", self.chart))
        layout.addWidget(self._box("Pooled results across pilots", self.pooling))
        for title, model in (
            ("KPIs that are not outcome-focused or not linked to a mission", self.kpis),
            ("Commercial pipeline by financial year (three years ahead)", self.pipeline),
            ("Recurring lessons", self.lessons),
        ):
            table = QTableView(self.content)
            table.setAccessibleName(title)
            table.setModel(model)
            table.verticalHeader().setVisible(False)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            table.horizontalHeader().setStretchLastSection(True)
            table.setMinimumHeight(table.verticalHeader().defaultSectionSize() * 6)
            layout.addWidget(self._box(title, table))
        self.setWidget(page)
        self.status.cancel.clicked.connect(self.builder.cancel)
        self.status.build.clicked.connect(self.builder.build)
        self.builder.started.connect(self.status.building)
        self.builder.progressed.connect(self.status.progressed)
        self.builder.built.connect(self._show)
        self.builder.not_built.connect(self._not_built)

    @staticmethod
    def _box(title: str, body: QWidget) -> QGroupBox:
        box = QGroupBox(title)
        inner = QVBoxLayout(box)
        inner.addWidget(body)
        return box

    def refresh(self) -> None:
        """The data changed: build again now if the page is shown, else when it next is."""
        self.builder.changed(visible=self.isVisible())

    def stop(self) -> None:
        """End the portfolio's lane (the window is closing)."""
        self.builder.stop()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.builder.shown()

    def _not_built(self, why: str) -> None:
        self.content.hide()
        self.status.not_built(why)

    def _show(self, answer: tuple[Any, str, str, list[tuple[Any, str, str]]]) -> None:
        found, svg, description, pooled = answer
        self.status.finished()
        self.content.show()
        self.chart.set_svg(svg, description)
        stopped = len(found.stopped)
        self.totals.setText(
            f"<b>{_count(len(found.pilots), 'pilot')}</b>, marked {found.marking.text} at most. "
            f"Spent <b>{money(found.total_cost)}</b>. "
            # As the portfolio report says it: a roll-out not started is an estimate of what
            # was not spent, not a saving shown.
            f"{_count(stopped, 'was', 'were')} stopped before a national roll-out; the "
            f"roll-outs not started were estimated at <b>{money(found.cost_avoided)}</b>. "
            f"{len(found.kpi_concerns)} of {found.kpis_total} KPIs are inputs or outputs, or "
            "not linked to a mission."
        )
        self.pooling.set_measures(pooled)
        self.kpis.set_records(found.kpi_concerns)
        self.pipeline.set_records(found.pipeline)
        self.lessons.set_records(found.recurring_lessons)


def _count(n: int, one: str, many: str | None = None) -> str:
    """``n`` with a noun ("1 pilot", "3 pilots") or, given two verbs, the verb alone
    agreeing with it ("1 was", "3 were")."""
    if many is not None:
        return f"{n} {one if n == 1 else many}"
    return f"{n} {one if n == 1 else one + 's'}"
