"""Analysis: run it, and read each hypothesis's verdict, grade, sentence, warnings and chart."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reports import numbers
from reports.plan_record import post_hoc_sentence
from testlearn.services.spreadsheets import SheetColumn
from ui.chart_view import ChartView
from ui.column_fit import fit_columns
from ui.error_reporting import cancelled_by_user, report_error
from ui.job import Job
from ui.labels import GRADES, VERDICT_ACCENTS, result_label, verdict_label
from ui.pilot_session import PilotSession
from ui.record_table_model import RecordTableModel
from ui.spreadsheet_export import export_table
from ui.table_copy import TableCopy, copy_selection
from ui.table_menu import attach_menu


def _level(item: Any) -> float:
    """The interval's level as the analysis used it (1 - alpha)."""
    level = item.result.detail.get("ci_level") if item.result.detail else None
    return float(level) if level is not None else 1 - item.hypothesis.alpha


def _effect(item: Any) -> str:
    """The estimate in the outcome's terms, with the decimals its sentence uses."""
    r, h = item.result, item.hypothesis
    if r is None or r.estimate is None:
        return ""
    return numbers.result_effect(r.estimate, r.ci_low, r.ci_high, h.outcome_type, h.outcome_unit)


def _interval(item: Any) -> str:
    r, h = item.result, item.hypothesis
    if r is None or r.ci_low is None or r.ci_high is None:
        return ""
    return numbers.result_interval(
        r.ci_low, r.ci_high, h.outcome_type, h.outcome_unit, level=_level(item)
    )


#: The results as a spreadsheet: the window's text, then the stored numbers themselves.
SHEET = (
    SheetColumn("Code"),
    SheetColumn("Hypothesis"),
    SheetColumn("Verdict"),
    SheetColumn("Grade"),
    SheetColumn("Estimate"),
    SheetColumn("Interval"),
    SheetColumn("Estimate (as stored)", "number"),
    SheetColumn("CI low (as stored)", "number"),
    SheetColumn("CI high (as stored)", "number"),
    SheetColumn("Scale"),
    SheetColumn("p", "number"),
    SheetColumn("Analysed at (UTC)", "datetime"),
    SheetColumn("Current"),
)
SCALES = {"binary": "difference in proportions", "count": "rate ratio"}


def _current(item: Any) -> str:
    if item.stale_reason:
        return "OUT OF DATE: " + item.stale_reason
    return "yes" if item.result else ""


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
                ("Estimate", _effect),
                ("Interval", _interval),
                ("Current", _current),
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
        # Widths shared out by fit_columns, so that "Current" stays in view at 1280 pixels.
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit_table)
        self.table.installEventFilter(self)
        TableCopy(self).watch(self.table)
        attach_menu(self.table, self.context_menu)
        self.sentence = QLabel(self)
        self.sentence.setWordWrap(True)
        self.sentence.setAccessibleName("Result sentence")
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.post_hoc = QLabel(self)
        self.post_hoc.setWordWrap(True)
        self.post_hoc.setAccessibleName("Post-hoc result")
        self.post_hoc.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.post_hoc.hide()
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
        body.addWidget(self.post_hoc)
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

    def context_menu(self, _index: QModelIndex) -> QMenu:
        menu = QMenu(self)
        copy = menu.addAction("&Copy", lambda: copy_selection(self.table))
        copy.setEnabled(self.model.rowCount() > 0)
        export = menu.addAction("&Export the results to Excel...", self.export_results)
        export.setEnabled(self.detail is not None and self.model.rowCount() > 0)
        return menu

    def export_results(self) -> None:
        """Save the results table as an Excel workbook, with the stored numbers beside it."""
        if self.detail is None:
            return
        rows = []
        for item in self.model.records():
            r, h = item.result, item.hypothesis
            rows.append(
                [
                    h.code,
                    h.statement,
                    verdict_label(r.verdict) if r else "not analysed",
                    GRADES.get(r.grade or "", "") if r else "",
                    _effect(item),
                    _interval(item),
                    r.estimate if r else None,
                    r.ci_low if r else None,
                    r.ci_high if r else None,
                    SCALES.get(h.outcome_type, h.outcome_unit or "difference") if r else "",
                    r.p_value if r else None,
                    r.analysed_at if r else None,
                    _current(item),
                ]
            )
        reference = self.detail.pilot.reference
        export_table(
            self.session,
            self,
            title="Export the results",
            suggested=f"{reference}-results.xlsx",
            sheet=f"{reference} results",
            columns=SHEET,
            rows=rows,
        )

    def set_detail(self, detail: Any) -> None:
        self.detail = detail
        self.model.set_records(detail.hypotheses)
        self._fit_table()
        if detail.hypotheses:
            self.table.selectRow(0)
        self._selected()
        self._draw_chart(detail)

    def _fit_table(self) -> None:
        """Columns in view and rows fitted to their text; the table as tall as its rows."""
        fit_columns(self.table)
        rows = sum(self.table.rowHeight(r) for r in range(self.model.rowCount()))
        spare = self.table.verticalHeader().defaultSectionSize()  # room for a sideways scroll
        frame = 2 * self.table.frameWidth()
        self.table.setMaximumHeight(self.table.horizontalHeader().height() + rows + spare + frame)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The table's own width decides its columns: refit whenever the layout changes it.
        if (
            watched is self.table
            and isinstance(event, QResizeEvent)
            and event.size().width() != event.oldSize().width()
        ):
            self._refit.start()  # once the resize is done, the view and headers caught up
        return super().eventFilter(watched, event)

    def _selected(self, *_: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        item = self.model.record(rows[0].row()) if rows else None
        self.post_hoc.hide()
        if item is None or item.result is None:
            self.sentence.setText("Not analysed yet." if item is not None else "")
            self.warnings.clear()
            return
        # The sentence opens with the result as the brief and the pilot list label it, so the
        # window never words a result more strongly than the reports do.
        said = result_label(item.result.verdict, item.result.grade, item.hypothesis.evidence_level)
        text = f"<b>{said}</b>. {item.result.sentence}"
        if item.stale_reason:
            text = f"<b>Out of date</b> ({item.stale_reason}): analyse again. " + text
        self.sentence.setText(text)
        later = post_hoc_sentence(item)
        if later is not None:
            # Shown beside the registered verdict, never instead of it (issue: post-hoc rules).
            self.post_hoc.setText(later)
            self.post_hoc.show()
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
            if not self.session.closing:
                self.session.reload()

        def failed(error: BaseException) -> None:
            # After the user's own Cancel the bootstrap stops with its own error: that is
            # the answer they asked for, said quietly, not a warning to dismiss.
            if cancelled_by_user(error, job):
                self.session.status.emit(f"Analysis of {reference} cancelled; no result was stored")
                return
            report_error(self.session.window, error, f"analysing {reference}")
            self.session.status.emit(f"Not done: analysing {reference}")

        # Submitted to the lane directly rather than through ``session.run``, whose failure
        # report cannot tell a Cancel from a failure.
        job = Job(f"Analysing {reference}", work, on_done=done, on_error=failed, cancellable=True)
        self.session.lane.submit(job)
