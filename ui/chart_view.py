"""A chart drawn by ``reports`` (as SVG), at its printed size or smaller, in proportion.

The chart is the one printed in the brief, drawn for paper: dark text and printed colours.
It is shown as a card of paper, white with a border and a margin, in every palette; in a
dark palette it then reads as a deliberate chart rather than a white box left unpainted,
and its text keeps the contrast it has on paper (recolouring the text to the palette would
make the screen and the brief disagree).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QByteArray, QMargins, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

_CLIP_PATH = re.compile(r"<clipPath\b.*?</clipPath>", re.DOTALL)
#: The paper the chart is printed on, and the space around the chart inside its card.
PAPER = QColor("white")
PADDING = 8


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
        width = min(width, self.maximumWidth(), self.sizeHint().width()) - 2 * PADDING
        return int(max(0, width) * size.height() / size.width()) + 2 * PADDING

    def sizeHint(self) -> QSize:
        size = self._renderer.defaultSize()
        if size.isEmpty():
            return QSize(0, 0)
        # Points to pixels at the user's screen density, so the text keeps its printed size.
        scale = self.logicalDpiX() / 72.0
        return QSize(
            int(size.width() * scale) + 2 * PADDING, int(size.height() * scale) + 2 * PADDING
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.has_chart():
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        room = self.size().shrunkBy(_margins())
        size = self._renderer.defaultSize().scaled(room, Qt.AspectRatioMode.KeepAspectRatio)
        card = QRectF(0.5, 0.5, size.width() + 2 * PADDING - 1, size.height() + 2 * PADDING - 1)
        # The border is the palette's own frame colour: it edges the card on a light window,
        # and the white card stands out on a dark one by itself.
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(PAPER)
        painter.drawRoundedRect(card, 4, 4)
        self._renderer.render(painter, QRectF(PADDING, PADDING, size.width(), size.height()))
        painter.end()


def _margins() -> QMargins:
    return QMargins(PADDING, PADDING, PADDING, PADDING)
