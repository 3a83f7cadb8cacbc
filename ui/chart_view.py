"""A chart drawn by ``reports`` (as SVG), at its printed size or smaller, in proportion."""

from __future__ import annotations

import re

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

_CLIP_PATH = re.compile(r"<clipPath\b.*?</clipPath>", re.DOTALL)


class ChartView(QWidget):
    """Shows one SVG chart; its text alternative is the widget's accessible description."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._renderer = QSvgRenderer(self)
        self._renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        # At most the chart's printed size (its text then matches the window's), smaller
        # when the space is narrower, and always exactly as tall as the chart drawn at that
        # width: the layout asks heightForWidth, so there is no empty band above or below.
        policy = QSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAccessibleName("Chart")

    def set_svg(self, svg: str, description: str = "") -> None:
        # Qt SVG follows SVG Tiny 1.2, which has no clipPath: it would paint reportlab's
        # page-sized clipping rectangle as a black box over the chart. The clip only trims
        # to the drawing's own bounds, which the viewBox does anyway.
        svg = _CLIP_PATH.sub("", svg).replace("clip-path: url(#clip)", "")
        self._renderer.load(QByteArray(svg.encode("utf-8")))
        self.setAccessibleDescription(description)
        self.setToolTip(description)
        self.setMaximumWidth(max(1, self.sizeHint().width()))
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
        # Layouts ask with the width they have, which can be far wider than the chart is
        # allowed to grow; answering for that width would leave a tall empty band around a
        # chart that is drawn no wider than its maximum.
        width = min(width, self.maximumWidth(), self.sizeHint().width())
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
        target = QRectF(0, 0, size.width(), size.height())
        # The chart is drawn for paper (dark text, printed colours), so it sits on white
        # paper in a dark palette too, as a printed page would.
        painter.fillRect(target, QColor("white"))
        self._renderer.render(painter, target)
        painter.end()
