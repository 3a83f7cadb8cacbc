"""A chart drawn by ``reports`` (as SVG), scaled to the space it has, keeping its proportions."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget


class ChartView(QWidget):
    """Shows one SVG chart; its text alternative is the widget's accessible description."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._renderer = QSvgRenderer(self)
        self._renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Chart")

    def set_svg(self, svg: str, description: str = "") -> None:
        self._renderer.load(QByteArray(svg.encode("utf-8")))
        self.setAccessibleDescription(description)
        self.setToolTip(description)
        self.updateGeometry()
        self.update()

    def clear(self) -> None:
        self._renderer.load(QByteArray(b"<svg xmlns='http://www.w3.org/2000/svg'/>"))
        self.update()

    def has_chart(self) -> bool:
        return self._renderer.isValid() and not self._renderer.defaultSize().isEmpty()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        size = self._renderer.defaultSize()
        if size.isEmpty():
            return 0
        return int(width * size.height() / size.width())

    def sizeHint(self) -> QSize:
        size = self._renderer.defaultSize()
        if size.isEmpty():
            return QSize(0, 0)
        # Points to pixels at the user's screen density, so the text keeps its printed size.
        scale = self.logicalDpiX() / 72.0
        return QSize(int(size.width() * scale), int(size.height() * scale))

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.has_chart():
            return
        painter = QPainter(self)
        size = self._renderer.defaultSize().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        self._renderer.render(painter, QRectF(0, 0, size.width(), size.height()))
        painter.end()
