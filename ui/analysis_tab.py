"""Analysis: run it, and read each hypothesis's verdict, grade, sentence, warnings and chart."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.chart_view import ChartView
from ui.labels import GRADES, VERDICT_ACCENTS, verdict_label
from ui.pilot_session import PilotSession
from ui.record_table_model import RecordTableModel


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.3g}"


def _interval(item: Any) -> str:
    r = item.result
    if r is None or r.ci_low is None or r.ci_high is None:
        return ""
    return f"{r.ci_low:.3g} to {r.ci_high:.3g}"


class AnalysisTab(QWidget):
    """Results of the pilot's hypotheses; Analyse runs the engine on the lane, with Cancel."""

    def __init__(self, session: PilotSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.detail: Any = None
        self.analyse_button = QPushButton("&Analyse", self)
        self.analyse_button.setToolTip("Analyse every registered hypothesis that has data")
        self.analyse_button.clicked.connect(self.analyse)
        self.model = RecordTableModel(
            [
                ("Code", lambda h: h.hypothesis.code),
                (
                    "Verdict",
                    lambda h: verdict_label(h.result.verdict) if h.result else "not analysed",
                ),
                ("Grade", lambda h: GRADES.get(h.result.grade or "", "") if h.result else ""),
                ("Estimate", lambda h: _number(h.result.estimate) if h.result else ""),
                ("Interval", _interval),
                (
                    "Current",
                    lambda h: (
                        ("OUT OF DATE: " + h.stale_reason)
                        if h.stale_reason
                        else ("yes" if h.result else "")
                    ),
                ),
            ],
            accent=lambda h: VERDICT_ACCENTS.get(h.result.verdict) if h.result else None,
            parent=self,
        )
        self.table = QTableView(self)
        self.table.setAccessibleName("Results")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.sentence = QLabel(self)
        self.sentence.setWordWrap(True)
        self.sentence.setAccessibleName("Result sentence")
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warnings = QLabel(self)
        self.warnings.setWordWrap(True)
        self.warnings.setAccessibleName("Warnings")
        self.chart = ChartView(self)
        top = QHBoxLayout()
        intro = QLabel(
            "Results are stored with the inputs they came from; a result whose "
            "inputs have changed is shown as out of date until analysed again."
        )
        intro.setWordWrap(True)  # long lines must not set the window's minimum width
        top.addWidget(intro, 1)
        top.addWidget(self.analyse_button)
        page = QWidget()
        body = QVBoxLayout(page)
        body.addWidget(self.sentence)
        body.addWidget(self.warnings)
        body.addWidget(self.chart)
        body.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(scroll, 2)

    def set_detail(self, detail: Any) -> None:
        self.detail = detail
        self.model.set_records(detail.hypotheses)
        row_height = self.table.verticalHeader().defaultSectionSize()
        self.table.setMaximumHeight(row_height * (len(detail.hypotheses) + 2))
        if detail.hypotheses:
            self.table.selectRow(0)
        self._selected()
        self._draw_chart(detail)

    def _selected(self, *_: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        item = self.model.record(rows[0].row()) if rows else None
        if item is None or item.result is None:
            self.sentence.setText("Not analysed yet." if item is not None else "")
            self.warnings.clear()
            return
        text = f"<b>{verdict_label(item.result.verdict)}</b>. {item.result.sentence}"
        if item.stale_reason:
            text = f"<b>Out of date</b> ({item.stale_reason}): analyse again. " + text
        self.sentence.setText(text)
        warnings = item.result.warnings
        self.warnings.setText(
            "Warnings:\n" + "\n".join(f"• {w}" for w in warnings) if warnings else "No warnings."
        )

    def _draw_chart(self, detail: Any) -> None:
        def work(job: Any) -> tuple[str, str] | None:
            from reports import charts

            rows = charts.result_rows(detail)
            if not rows:
                return None
            drawing = charts.results_chart(rows)
            return charts.drawing_to_svg(drawing), str(drawing.description)

        def show(answer: tuple[str, str] | None) -> None:
            if self.detail is not detail:
                return  # another pilot was chosen while the chart was drawn
            if answer is None:
                self.chart.clear()
            else:
                self.chart.set_svg(*answer)

        self.session.run("Drawing the chart", work, show, reload=False)

    def analyse(self) -> None:
        if self.detail is None:
            return
        reference = self.detail.pilot.reference

        def work(job: Any) -> Any:
            from testlearn.services.analysis import analyse_pilot

            return analyse_pilot(
                reference,
                db=job.ctx.require_database(),
                actor=job.ctx.actor,
                progress=job.progress,
                should_cancel=job.should_cancel,
            )

        def done(outcome: Any) -> None:
            done_codes = [h.code for h in outcome.hypotheses if h.stored is not None]
            skipped = [f"{h.code} ({h.skipped})" for h in outcome.hypotheses if h.skipped]
            text = f"Analysed {', '.join(done_codes) or 'nothing'}"
            if skipped:
                text += "; skipped " + "; ".join(skipped)
            self.session.status.emit(text)

        self.session.run(f"Analysing {reference}", work, done, cancellable=True)
