"""The page every report is printed on: A4, marking top and bottom, footer, DRAFT watermark.

Every page carries the security marking centred at the top and bottom, the report reference
and version, "Page x of y", and until the report is marked final a DRAFT watermark. The
document is built in invariant mode with the report's own timestamp as its creation date, so
the same data and timestamp give the same bytes; and it is written to a temporary file beside
the target and moved into place, so a crash never leaves half a PDF where the user looks.
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, PageTemplate
from reportlab.platypus.doctemplate import BaseDocTemplate

from testlearn import __version__
from testlearn.errors import TestlearnError, drive_full
from testlearn.temporary_files import create_beside, remove_leftovers

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 17 * mm
TOP = 15 * mm  # room for the marking above the text
BOTTOM = 15 * mm  # room for the footer and the marking below
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
INK = colors.black
GREY = colors.Color(0.35, 0.35, 0.35)

_FONT_FILES = {
    "Sans": "DejaVuSans.ttf",
    "Sans-Bold": "DejaVuSans-Bold.ttf",
    "Sans-Oblique": "DejaVuSans-Oblique.ttf",
    "Mono": "DejaVuSansMono.ttf",
}
_FALLBACK = {
    "Sans": "Helvetica",
    "Sans-Bold": "Helvetica-Bold",
    "Sans-Oblique": "Helvetica-Oblique",
    "Mono": "Courier",
}
# The fonts ship with the package (reports/fonts, DejaVu's licence beside them), so a brief
# looks the same on Windows, macOS and Linux; system folders are a second place to look.
FONT_FOLDERS = (
    Path(__file__).parent / "fonts",
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
)


class ReportWriteError(TestlearnError):
    """The report could not be written where the user asked."""


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    italic: str
    mono: str


_fonts: Fonts | None = None


def fonts() -> Fonts:
    """The embedded open sans-serif (DejaVu Sans), or Helvetica where it is not installed."""
    global _fonts
    if _fonts is None:
        names: dict[str, str] = {}
        for name, file in _FONT_FILES.items():
            path = next((f / file for f in FONT_FOLDERS if (f / file).is_file()), None)
            if path is None:
                names[name] = _FALLBACK[name]
                continue
            pdfmetrics.registerFont(TTFont(f"TL-{name}", str(path)))
            names[name] = f"TL-{name}"
        if names["Sans"].startswith("TL-") and names["Sans-Bold"].startswith("TL-"):
            pdfmetrics.registerFontFamily(
                names["Sans"],
                normal=names["Sans"],
                bold=names["Sans-Bold"],
                italic=names["Sans-Oblique"],
                boldItalic=names["Sans-Bold"],
            )
        _fonts = Fonts(names["Sans"], names["Sans-Bold"], names["Sans-Oblique"], names["Mono"])
    return _fonts


@dataclass(frozen=True)
class Styles:
    """The few paragraph styles a sober GOV.UK document needs."""

    body: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    numbered: ParagraphStyle
    bullet: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    code: ParagraphStyle
    notice: ParagraphStyle


@cache
def styles(body_size: float = 11) -> Styles:
    """Paragraph styles at ``body_size`` points (11-12 for GOV.UK documents).

    Made once for each size: a brief is laid out at several steps of shortening, and a
    paragraph met again at the next step (same text, same style) is not parsed again
    (``reports.line_breaks``). Nothing changes a style once it is made: a variant (a
    table's caption) is a new style with this one as its parent.
    """
    f = fonts()
    lead = body_size * 1.16
    body = ParagraphStyle(
        "body",
        fontName=f.regular,
        fontSize=body_size,
        leading=lead,
        alignment=TA_LEFT,
        spaceAfter=body_size * 0.35,
        textColor=INK,
        # No paragraph leaves a single line at the foot or the head of a page.
        allowWidows=0,
        allowOrphans=0,
    )
    return Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8.5, leading=10.5, spaceAfter=2),
        title=ParagraphStyle(
            "title", parent=body, fontName=f.bold, fontSize=15, leading=18, spaceAfter=6
        ),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=f.bold,
            fontSize=body_size + 2,
            leading=lead + 2,
            spaceBefore=body_size * 0.45,
            spaceAfter=body_size * 0.2,
        ),
        subheading=ParagraphStyle(
            "subheading", parent=body, fontName=f.bold, spaceBefore=3, spaceAfter=2, keepWithNext=1
        ),
        numbered=ParagraphStyle(
            "numbered",
            parent=body,
            leftIndent=body_size * 1.4,
            firstLineIndent=-body_size * 1.4,
            spaceAfter=body_size * 0.2,
        ),
        bullet=ParagraphStyle(
            "bullet",
            parent=body,
            leftIndent=body_size * 1.4,
            bulletIndent=body_size * 0.2,
            spaceAfter=body_size * 0.18,
        ),
        # Table text at 9 points, the least a reader should be asked to read.
        cell=ParagraphStyle("cell", parent=body, fontSize=9, leading=10.8, spaceAfter=0),
        cell_bold=ParagraphStyle(
            "cell_bold", parent=body, fontName=f.bold, fontSize=9, leading=10.8, spaceAfter=0
        ),
        code=ParagraphStyle(
            "code", parent=body, fontName=f.mono, fontSize=7, leading=9, spaceAfter=0
        ),
        notice=ParagraphStyle(
            "notice",
            parent=body,
            fontName=f.bold,
            borderColor=INK,
            borderWidth=1,
            borderPadding=6,
            spaceBefore=6,
            spaceAfter=12,
        ),
    )


@dataclass(frozen=True)
class PageFurniture:
    """What is printed around the text of every page.

    Attributes:
        marking: the printed marking, in capitals ("OFFICIAL-SENSITIVE COMMERCIAL").
        reference: the report reference ("DFE-TL-004 brief").
        version: "v1.0" when final, "draft" before.
        final: whether the DRAFT watermark is left off.
        handling: handling instructions printed under the top marking, if any.
    """

    marking: str
    reference: str
    version: str
    final: bool
    handling: str = ""
    notice: str = ""  # printed in red at the top of every page (failing verification)


@dataclass(frozen=True)
class DocumentInfo:
    """PDF metadata: what a file manager, a search index or a screen reader reports."""

    title: str
    author: str
    subject: str
    keywords: Sequence[str]
    generated_at: dt.datetime
    language: str = "en-GB"


def version_label(final: bool) -> str:
    """The report version as printed: "v1.0" once final, "draft" before."""
    return "v1.0" if final else "draft"


def _canvas_maker(furniture: PageFurniture, info: DocumentInfo) -> type[Canvas]:
    """A canvas that knows the page count when it finishes, for "Page x of y"."""

    class ReportCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type information
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["invariant"] = 1
            super().__init__(*args, **kwargs)
            # Invariant mode fixes the dates at 2000-01-01; the report's own timestamp is the
            # honest creation date and keeps the output reproducible.
            stamp = TimeStamp(invariant=1)
            moment = info.generated_at.astimezone(dt.UTC)
            stamp.YMDhms = (
                moment.year,
                moment.month,
                moment.day,
                moment.hour,
                moment.minute,
                moment.second,
            )
            self._doc._timeStamp = stamp
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                _draw_footer_counter(self, furniture, number, total)
                super().showPage()
            super().save()

    return ReportCanvas


def _draw_handling(canvas: Canvas, text: str, font: str) -> None:
    """Handling instructions under the top marking, never cut short: a smaller size if they
    would not fit the width, and two lines at the smallest."""
    for size in (7.5, 7.0, 6.5):
        if canvas.stringWidth(text, font, size) <= TEXT_WIDTH:
            canvas.setFont(font, size)
            canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 13.5 * mm, text)
            return
    lines = simpleSplit(text, font, 6.5, TEXT_WIDTH)
    canvas.setFont(font, 6.5)
    canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 12.8 * mm, lines[0])
    canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 15.2 * mm, " ".join(lines[1:]))


def _draw_furniture(canvas: Canvas, furniture: PageFurniture) -> None:
    f = fonts()
    canvas.saveState()
    if not furniture.final:
        canvas.setFillColor(colors.Color(0.87, 0.87, 0.87))
        canvas.setFont(f.bold, 110)
        canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        canvas.rotate(50)
        canvas.drawCentredString(0, -40, "DRAFT")
        canvas.rotate(-50)
        canvas.translate(-PAGE_WIDTH / 2, -PAGE_HEIGHT / 2)
    canvas.setFillColor(INK)
    canvas.setFont(f.bold, 11)
    canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 10 * mm, furniture.marking)
    canvas.drawCentredString(PAGE_WIDTH / 2, 7 * mm, furniture.marking)
    if furniture.handling:
        _draw_handling(canvas, furniture.handling, f.regular)
    if furniture.notice:
        canvas.setFillColor(colors.Color(0.7, 0.05, 0.05))
        canvas.setFont(f.bold, 10)
        canvas.drawCentredString(PAGE_WIDTH / 2, 16 * mm, furniture.notice)
    canvas.restoreState()


def _draw_footer_counter(canvas: Canvas, furniture: PageFurniture, number: int, total: int) -> None:
    f = fonts()
    canvas.saveState()
    canvas.setFont(f.regular, 8.5)
    canvas.setFillColor(GREY)
    canvas.drawString(MARGIN, 12 * mm, f"{furniture.reference}, {furniture.version}")
    canvas.drawRightString(PAGE_WIDTH - MARGIN, 12 * mm, f"Page {number} of {total}")
    canvas.restoreState()


def build_pdf(
    path: Path,
    story: list[Flowable],
    furniture: PageFurniture,
    info: DocumentInfo,
) -> int:
    """Lay out ``story`` on report pages and write it atomically to ``path``.

    Returns:
        The number of pages.

    Raises:
        ReportWriteError: the folder does not exist or cannot be written.
    """
    check_writable(path)
    buffer = io.BytesIO()
    pages = render_pdf(buffer, story, furniture, info)
    write_bytes_atomically(path, buffer.getvalue())
    return pages


def check_writable(path: Path) -> None:
    """Fail early, before any work, when ``path`` cannot be written.

    Raises:
        ReportWriteError: naming the path and why.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ReportWriteError(f"cannot write {path}: the folder {folder} does not exist")
    if path.is_dir():
        raise ReportWriteError(f"cannot write {path}: it is a folder")
    if not os.access(folder, os.W_OK):
        raise ReportWriteError(f"cannot write {path}: the folder {folder} is not writable")


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write a file through a temporary file beside it, then move it into place.

    A crash or a full disk leaves the previous file (or none), never half a report.

    Raises:
        ReportWriteError: the folder does not exist or cannot be written.
    """
    path = Path(path)
    check_writable(path)
    folder = path.parent if str(path.parent) else Path(".")
    remove_leftovers(folder)  # what a killed write of any report here left, never a running one's
    temporary = None
    try:
        handle, temporary = create_beside(path)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
        temporary = None
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            saved = f"{path.name} was not written (any earlier copy of it is unchanged)"
            raise ReportWriteError(drive_full(path, needed=len(data), saved=saved)) from None
        if error.errno == errno.EFBIG:
            raise ReportWriteError(
                f"{path}: the file would be larger than this computer allows for one file "
                f"({error.strerror}); {path.name} was not written. Ask your IT team about the "
                "limit"
            ) from None
        raise ReportWriteError(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)


def render_pdf(
    target: str | Any, story: list[Flowable], furniture: PageFurniture, info: DocumentInfo
) -> int:
    """Lay out ``story`` into ``target`` (a file name or a binary file object)."""
    doc = BaseDocTemplate(
        target,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=info.title,
        author=info.author,
        subject=info.subject,
        keywords=list(info.keywords),
        creator=f"testlearn {__version__}",
        producer=f"testlearn {__version__} (ReportLab)",
        lang=info.language,
        displayDocTitle=1,
        invariant=1,
    )
    frame = Frame(MARGIN, BOTTOM, TEXT_WIDTH, PAGE_HEIGHT - TOP - BOTTOM, id="text", showBoundary=0)

    def decorate(canvas: Canvas, _doc: Any) -> None:
        _draw_furniture(canvas, furniture)

    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
    # ASCII85 makes streams 25% larger and is encoded in pure Python, a tenth of the build
    # time; every reader since PDF 1.2 takes binary streams. Restored after the build so
    # that nothing else in the process changes.
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        doc.build(story, canvasmaker=_canvas_maker(furniture, info))
    finally:
        rl_config.useA85 = saved
    return int(doc.page)


def write_text_atomically(path: Path, text: str) -> None:
    """Write UTF-8 text atomically (see ``write_bytes_atomically``)."""
    write_bytes_atomically(path, text.encode("utf-8"))
