"""One pilot in sections: overview, procurement and KPIs, hypotheses, data, analysis, lessons,
reports, listed down the side so that every one is in view on a laptop screen."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.analysis_tab import AnalysisTab
from ui.comparators_costs_tab import ComparatorsCostsTab
from ui.data_tab import DataTab
from ui.hypotheses_tab import HypothesesTab
from ui.lessons_tab import LessonsTab
from ui.overview_tab import OverviewTab
from ui.pilot_session import PilotSession
from ui.procurement_tab import ProcurementTab
from ui.reports_tab import ReportsTab

#: (attribute, title, class), in the order of the journey. Ctrl+1... opens the n-th.
SECTIONS: tuple[tuple[str, str, Any], ...] = (
    ("overview", "Overview", OverviewTab),
    ("procurement", "Procurement and KPIs", ProcurementTab),
    ("comparators_costs", "Comparators and costs", ComparatorsCostsTab),
    ("hypotheses", "Hypotheses", HypothesesTab),
    ("data", "Data", DataTab),
    ("analysis", "Analysis", AnalysisTab),
    ("lessons", "Lessons and decision", LessonsTab),
    ("reports", "Reports", ReportsTab),
)


class PilotDetailView(QWidget):
    """The selected pilot. Each section shows part of the same frozen ``PilotDetail``.

    Seven tabs do not fit across a 1280-pixel screen beside the pilot list; a list of sections
    down the side always does, and reads in the order of the work.
    """

    def __init__(self, session: PilotSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("Pilot")
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)  # relative: follows the user's font size
        font.setBold(True)
        self.heading.setFont(font)
        self.sections = QListWidget(self)
        self.sections.setAccessibleName("Sections of the pilot")
        self.sections.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.sections.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sections.setSpacing(3)  # a target a mouse finds without aiming
        self.pages = QStackedWidget(self)
        self.pages.setAccessibleName("Pilot details")
        self._names: list[str] = []
        for number, (name, title, section_class) in enumerate(SECTIONS, start=1):
            page = section_class(session, self)
            setattr(self, name, page)
            self.pages.addWidget(page)
            self._names.append(name)
            item = QListWidgetItem(title, self.sections)
            item.setToolTip(f"{title} (Ctrl+{number})")
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self.window())
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda n=name: self.show_tab(n, focus=True))
        for keys, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            shortcut = QShortcut(QKeySequence(keys), self.window())
            shortcut.activated.connect(lambda s=step: self._step(s))
        self.sections.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.sections.setCurrentRow(0)
        width = max(
            self.sections.fontMetrics().horizontalAdvance(title) for _n, title, _c in SECTIONS
        )
        self.sections.setFixedWidth(width + 4 * self.sections.fontMetrics().averageCharWidth())
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.sections)
        body.addWidget(self.pages, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(body, 1)
        self.setTabOrder(self.sections, self.pages)

    def set_detail(self, detail: Any) -> None:
        pilot = detail.pilot
        self.heading.setText(f"{pilot.reference}  {pilot.title}")
        for name in self._names:
            getattr(self, name).set_detail(detail)

    def show_tab(self, name: str, *, focus: bool = False) -> None:
        """Show section ``name`` (an attribute such as "hypotheses"); with ``focus``, move the
        keyboard into it, as Ctrl+number does."""
        self.sections.setCurrentRow(self._names.index(name))
        if focus:
            from ui.keyboard_navigation import focus_first_control

            focus_first_control(self.pages.currentWidget())

    def current_section(self) -> str:
        return self._names[self.sections.currentRow()]

    def _step(self, step: int) -> None:
        row = (self.sections.currentRow() + step) % self.sections.count()
        self.sections.setCurrentRow(row)
