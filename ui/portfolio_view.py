"""The portfolio: verdicts by mission, spend and cost avoided, weak KPIs, pipeline, lessons."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QGroupBox,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from testlearn.domain.vocabulary import KpiLevel, LessonCategory, Mission, MissionAlignment
from ui.chart_view import ChartView
from ui.labels import money, term_label
from ui.pilot_session import PilotSession
from ui.record_table_model import RecordTableModel


class PortfolioView(QScrollArea):
    """Every pilot of the open database, looked at together. Built on the lane, shown here."""

    def __init__(self, session: PilotSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWidgetResizable(True)
        self.totals = QLabel(self)
        self.totals.setWordWrap(True)
        self.totals.setAccessibleName("Portfolio totals")
        self.chart = ChartView(self)
        self.chart.setAccessibleName("Primary verdicts by mission")
        self.kpis = RecordTableModel(
            [
                ("Pilot", lambda k: k.reference),
                ("KPI", lambda k: k.kpi),
                ("Level", lambda k: term_label(KpiLevel, k.level)),
                ("Mission alignment", lambda k: term_label(MissionAlignment, k.alignment)),
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
        layout = QVBoxLayout(page)
        layout.addWidget(self.totals)
        layout.addWidget(self._box("Primary verdicts by mission", self.chart))
        for title, model in (
            ("KPIs that are not outcome-focused or not linked to a mission", self.kpis),
            ("Commercial pipeline by financial year (three years ahead)", self.pipeline),
            ("Recurring lessons", self.lessons),
        ):
            table = QTableView(page)
            table.setAccessibleName(title)
            table.setModel(model)
            table.verticalHeader().setVisible(False)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            table.horizontalHeader().setStretchLastSection(True)
            table.setMinimumHeight(table.verticalHeader().defaultSectionSize() * 6)
            layout.addWidget(self._box(title, table))
        layout.addStretch(1)
        self.setWidget(page)

    @staticmethod
    def _box(title: str, body: QWidget) -> QGroupBox:
        box = QGroupBox(title)
        inner = QVBoxLayout(box)
        inner.addWidget(body)
        return box

    def refresh(self) -> None:
        def work(job: Any) -> tuple[Any, str, str]:
            from reports import charts
            from testlearn.services.portfolio import portfolio

            found = portfolio(db=job.ctx.require_database())
            labels = {m.value: m.label for m in Mission}
            drawing = charts.verdicts_by_mission_chart(found.count_by("verdict"), labels)
            return found, charts.drawing_to_svg(drawing), str(drawing.description)

        self.session.run("Building the portfolio", work, self._show, reload=False)

    def _show(self, answer: tuple[Any, str, str]) -> None:
        found, svg, description = answer
        self.chart.set_svg(svg, description)
        stopped = len(found.stopped)
        self.totals.setText(
            f"<b>{len(found.pilots)} pilots</b>, marked {found.marking.text} at most. Spent "
            f"<b>{money(found.total_cost)}</b>. {stopped} stopped before a national roll-out, "
            f"avoiding an estimated <b>{money(found.cost_avoided)}</b>. "
            f"{len(found.kpi_concerns)} of {found.kpis_total} KPIs are inputs or outputs, or "
            "not linked to a mission."
        )
        self.kpis.set_records(found.kpi_concerns)
        self.pipeline.set_records(found.pipeline)
        self.lessons.set_records(found.recurring_lessons)
