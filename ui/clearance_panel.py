"""Whether the brief and the full report, as they stand, are cleared; and recording a clearance."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QWidget

from testlearn.domain.clearance import KIND_NAMES
from ui.clearance_dialog import ClearanceDialog
from ui.pilot_session import PilotSession

KINDS = ("brief", "full")


class ClearancePanel(QWidget):
    """One line per kind of report: cleared by whom, as which version, or why not.

    The state is read on the worker lane each time the pilot is shown or the choice of
    commercially sensitive figures changes, because clearance pins the exact content and
    any saved edit may have moved it on. ``changed`` is emitted with the states by kind.
    """

    changed = Signal(object)  # dict[str, ClearanceState]

    def __init__(self, session: PilotSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.reference: str | None = None
        self.include_commercial = False
        self.states: dict[str, Any] = {}
        self.lines: dict[str, QLabel] = {}
        self.record_buttons: dict[str, QPushButton] = {}
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        texts = {
            "brief": "&Record clearance of the brief...",
            "full": "Record clearance of the f&ull report...",
        }
        for row, kind in enumerate(KINDS):
            line = QLabel("Reading the clearance...", self)
            line.setWordWrap(True)
            line.setAccessibleName(f"Clearance of the {KIND_NAMES[kind]}")
            button = QPushButton(texts[kind], self)
            button.setAccessibleName(f"Record the clearance of the {KIND_NAMES[kind]}")
            button.setEnabled(False)
            button.clicked.connect(lambda _checked=False, k=kind: self.record(k))
            layout.addWidget(line, row, 0)
            layout.addWidget(button, row, 1)
            self.lines[kind], self.record_buttons[kind] = line, button
        layout.setColumnStretch(0, 1)

    def show_pilot(self, reference: str | None, *, include_commercial: bool) -> None:
        """Read the clearance state of the pilot's reports (on the lane)."""
        self.reference, self.include_commercial = reference, include_commercial
        self.states = {}
        for kind in KINDS:
            self.record_buttons[kind].setEnabled(False)
        if reference is None:
            return

        def work(job: Any) -> dict[str, Any]:
            from testlearn.services.clearance import clearance_state

            db = job.ctx.require_database()
            return {
                kind: clearance_state(
                    reference, kind=kind, include_commercial=include_commercial, db=db
                )
                for kind in KINDS
            }

        self.session.run("Reading the clearance", work, self._show, reload=False)

    def _show(self, states: dict[str, Any]) -> None:
        first = next(iter(states.values()), None)
        if first is None or first.reference != self.reference:
            return  # another pilot was chosen while this one was read
        if first.include_commercial != self.include_commercial:
            return
        self.states = states
        for kind, state in states.items():
            text = state.describe()
            if state.problems and not state.cleared:
                text += " It cannot be cleared until it stands: " + "; ".join(state.problems)
            elif not state.cleared:
                text += " Record a clearance before making a final."
            self.lines[kind].setText(text)
            self.record_buttons[kind].setEnabled(not state.problems)
        self.changed.emit(states)

    def record(self, kind: str) -> None:
        reference = self.reference
        if reference is None:
            return
        what = KIND_NAMES[kind]
        if self.include_commercial:
            what += " with its commercially sensitive figures"
        answer = ClearanceDialog.ask(self, what)
        if answer is None:
            return
        commercial = self.include_commercial

        def work(job: Any) -> Any:
            from testlearn.services.clearance import record_clearance

            return record_clearance(
                reference,
                kind=kind,
                include_commercial=commercial,
                db=job.ctx.require_database(),
                actor=job.ctx.actor,
                **answer,
            )

        def done(clearance: Any) -> None:
            self.session.status.emit(
                f"Recorded the clearance of the {KIND_NAMES[kind]} ({clearance.version_label})"
            )
            self.show_pilot(reference, include_commercial=commercial)

        self.session.run(f"Recording the clearance of the {what}", work, done, reload=False)
