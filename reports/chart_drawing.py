"""What every report chart is drawn on: a titled, described drawing, its colours and text.

A ``ChartDrawing`` is a reportlab ``Drawing`` with a ``title`` and a text ``description``;
a report places it as a flowable, and the window and the HTML twin turn it into SVG with
``drawing_to_svg``, which carries the title and the description for screen readers.

Example::

    drawing = ChartDrawing(400, 120, "Results", "H1: 3.1 points (-8.0 to 14.2).")
    svg = drawing_to_svg(drawing)
"""

from __future__ import annotations

import re

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.validators import isString
from reportlab.pdfbase.pdfmetrics import stringWidth

BLUE = colors.HexColor("#1d70b8")
GREEN = colors.HexColor("#00703c")
RED = colors.HexColor("#d4351c")
GREY = colors.HexColor("#505a5f")
LIGHT = colors.HexColor("#b1b4b6")

#: The least text size of any chart, in points: what a reader of a printed page can read.
TEXT_SIZE = 9.0
#: A chart's title, a step above its labels.
TITLE_SIZE = 10.0


class ChartDrawing(Drawing):  # type: ignore[misc]  # reportlab ships no type information
    """A Drawing with a title and a text alternative, for the page and for screen readers."""

    _attrMap = AttrMap(
        BASE=Drawing,
        title=AttrMapValue(isString, desc="The chart's title"),
        description=AttrMapValue(isString, desc="A text alternative to the chart"),
    )

    def __init__(self, width: float, height: float, title: str = "", description: str = "") -> None:
        # Defaults only so that reportlab's copy() can make one before copying the properties.
        super().__init__(width, height)
        self.title = title
        self.description = description


def fit(text: str, font: str, size: float, room: float) -> str:
    """``text``, shortened with an ellipsis only if it is wider than ``room`` points."""
    if stringWidth(text, font, size) <= room:
        return text
    while text and stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when it was longer."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def drawing_to_svg(drawing: Drawing) -> str:
    """SVG text of a drawing, with its title and text alternative for screen readers."""
    svg: str = renderSVG.drawToString(drawing)
    # reportlab rounds the viewBox down to whole points, which cuts off up to a point of
    # the right and top edges when the SVG is scaled to its viewBox (as the HTML does).
    svg = re.sub(
        r'viewBox="0 0 [\d.]+ [\d.]+"',
        f'viewBox="0 0 {drawing.width:g} {drawing.height:g}"',
        svg,
        count=1,
    )
    # The PDF's embedded font names mean nothing to a browser or to Qt's SVG renderer.
    svg = re.sub(r"font-family:\s*TL-Sans(-Bold|-Oblique)?", _svg_font, svg)
    svg = re.sub(r'font-family="TL-Sans(-Bold|-Oblique)?"', _svg_font_attr, svg)
    title = getattr(drawing, "title", "")
    description = getattr(drawing, "description", "")
    if title or description:
        svg = re.sub(
            r"(<svg\b[^>]*>)",
            lambda m: m.group(1) + f"<title>{_xml(title)}</title><desc>{_xml(description)}</desc>",
            svg,
            count=1,
        )
        svg = svg.replace("<svg ", '<svg role="img" ', 1)
    return svg


def _svg_font(match: re.Match[str]) -> str:
    weight = "; font-weight: bold" if match.group(1) == "-Bold" else ""
    return "font-family: 'DejaVu Sans', Arial, sans-serif" + weight


def _svg_font_attr(match: re.Match[str]) -> str:
    weight = ' font-weight="bold"' if match.group(1) == "-Bold" else ""
    return "font-family=\"'DejaVu Sans', Arial, sans-serif\"" + weight


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
