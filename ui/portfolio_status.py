"""The portfolio page's own progress bar and Cancel, and what to say when nothing was built.

The status bar's progress follows the window's lane; the portfolio is built on a lane of
its own, so its page shows its progress itself.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

#: Builds quicker than this show no bar: a flashing bar is worse than none.
SHOW_AFTER_MS = 250


class PortfolioStatus(QWidget):
    """ "Building the portfolio" with a bar and Cancel, or why it was not built and "Build it"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName("Portfolio progress")
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.cancel = QPushButton("Cancel", self)
        self.cancel.setAccessibleName("Cancel building the portfolio")
        self.build = QPushButton("&Build it", self)
        self.build.setAccessibleName("Build the portfolio")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        for widget in (self.bar, self.cancel, self.build):
            layout.addWidget(widget)
        self._reveal = QTimer(self)
        self._reveal.setSingleShot(True)
        self._reveal.setInterval(SHOW_AFTER_MS)
        self._reveal.timeout.connect(self.show)
        self.cancel.clicked.connect(self._cancelling)
        self.hide()

    def building(self) -> None:
        self.label.setText("Building the portfolio...")
        self.bar.setRange(0, 0)  # busy until the build reports how far it has got
        self.bar.show()
        self.cancel.show()
        self.cancel.setEnabled(True)
        self.build.hide()
        if not self.isVisible():
            self._reveal.start()

    def progressed(self, fraction: float) -> None:
        self.bar.setRange(0, 1000)
        self.bar.setValue(int(fraction * 1000))

    def not_built(self, why: str) -> None:
        """Nothing to show: say why, and offer to build it."""
        self._reveal.stop()
        self.label.setText(why)
        self.bar.hide()
        self.cancel.hide()
        self.build.show()
        self.show()

    def finished(self) -> None:
        self._reveal.stop()
        self.hide()

    def _cancelling(self) -> None:
        self.label.setText("Cancelling the portfolio...")
        self.cancel.setEnabled(False)
