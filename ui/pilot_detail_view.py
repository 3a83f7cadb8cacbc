"""One pilot in tabs: overview, procurement and KPIs, hypotheses, data, analysis, lessons,
reports."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from ui.analysis_tab import AnalysisTab
from ui.comparators_costs_tab import ComparatorsCostsTab
from ui.data_tab import DataTab
from ui.hypotheses_tab import HypothesesTab
from ui.lessons_tab import LessonsTab
from ui.overview_tab import OverviewTab
from ui.pilot_session import PilotSession
from ui.procurement_tab import ProcurementTab
from ui.reports_tab import ReportsTab


class PilotDetailView(QWidget):
    """The selected pilot. Each tab shows part of the same frozen ``PilotDetail``."""

    def __init__(self, session: PilotSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("Pilot")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)  # relative: follows the user's font size
        font.setBold(True)
        self.heading.setFont(font)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Pilot details")
        self.overview = OverviewTab(session, self)
        self.procurement = ProcurementTab(session, self)
        self.comparators_costs = ComparatorsCostsTab(session, self)
        self.hypotheses = HypothesesTab(session, self)
        self.data = DataTab(session, self)
        self.analysis = AnalysisTab(session, self)
        self.lessons = LessonsTab(session, self)
        self.reports = ReportsTab(session, self)
        for tab, title in (
            (self.overview, "O&verview"),
            (self.procurement, "Procurement && &KPIs"),
            (self.comparators_costs, "Comparators && costs"),
            (self.hypotheses, "&Hypotheses"),
            (self.data, "&Data"),
            (self.analysis, "&Analysis"),
            (self.lessons, "&Lessons && decision"),
            (self.reports, "R&eports"),
        ):
            self.tabs.addTab(tab, title)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)

    def set_detail(self, detail: Any) -> None:
        pilot = detail.pilot
        self.heading.setText(f"{pilot.reference}  {pilot.title}")
        for tab in (
            self.overview,
            self.procurement,
            self.comparators_costs,
            self.hypotheses,
            self.data,
            self.analysis,
            self.lessons,
            self.reports,
        ):
            tab.set_detail(detail)

    def show_tab(self, name: str) -> None:
        self.tabs.setCurrentWidget(getattr(self, name))
