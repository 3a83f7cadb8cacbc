"""Printing a report's blocks as reportlab flowables, and the whole document as a PDF."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Spacer,
    TableStyle,
)

from reports.blocks import (
    Block,
    Bullets,
    Chart,
    Citation,
    Document,
    Fields,
    Lettered,
    QandA,
    Section,
    Table,
    Text,
)
from reports.chart_drawing import TEXT_SIZE
from reports.columns import column_widths, unbroken
from reports.line_breaks import Paragraph  # reportlab's, breaking its lines once a width
from reports.measured_table import Table as RLTable  # reportlab's, measured once a width
from reports.page import (
    TEXT_WIDTH,
    DocumentInfo,
    PageFurniture,
    Styles,
    check_writable,
    render_pdf,
    styles,
    write_bytes_atomically,
)
from reports.page_breaks import (
    FRAME_HEIGHT,
    SHORT_TABLE,
    keep_rows,
    keep_with_next,
    kept_with_next,
    new_page,
)

LINE = colors.HexColor("#b1b4b6")
_CELL_PADDING = 3.0
SHADE = colors.HexColor("#f3f2f1")


def write_document(
    document: Document, path: Path, *, generated_at: dt.datetime, body_size: float = 11
) -> int:
    """Print ``document`` to ``path`` as a PDF; returns the page count."""
    check_writable(path)
    data, pages = render_document(document, generated_at=generated_at, body_size=body_size)
    write_bytes_atomically(path, data)
    return pages


def render_document(
    document: Document, *, generated_at: dt.datetime, body_size: float = 11
) -> tuple[bytes, int]:
    """The PDF bytes of ``document`` and its page count, without writing anything."""
    return render_story(document, story(document, styles(body_size)), generated_at=generated_at)


def render_story(
    document: Document, flowables: list[Flowable], *, generated_at: dt.datetime
) -> tuple[bytes, int]:
    """The PDF bytes and page count of ``flowables``, the story of ``document`` (made by
    ``story``), on the document's pages; ``flowables`` is not used up."""
    furniture = PageFurniture(
        marking=document.marking,
        reference=document.reference,
        version=document.version,
        final=document.final,
        handling=document.handling,
        notice=document.page_notice,
    )
    info = DocumentInfo(
        title=document.title,
        author=document.author,
        subject=document.subject,
        keywords=document.keywords,
        generated_at=generated_at,
    )
    buffer = io.BytesIO()
    pages = render_pdf(buffer, list(flowables), furniture, info)
    return buffer.getvalue(), pages


def story(document: Document, s: Styles) -> list[Flowable]:
    """The flowables of a whole document."""
    out: list[Flowable] = [Paragraph(_x(document.heading or document.title), s.title)]
    front: list[Flowable] = []
    for block in document.front:
        front.extend(flowables(block, s))
    out.extend(keep_with_next(front))
    for section in document.sections:
        out.extend(section_flowables(section, s))
    return out


def section_flowables(section: Section, s: Styles) -> list[Flowable]:
    body: list[Flowable] = []
    previous: Block | None = None
    for block in section.blocks:
        printed = flowables(block, s)
        if _continues(previous, block):
            # A short table without a caption that follows another (a result's estimate
            # under its groups) is one piece with it: never left on a page of its own.
            # The earlier table and its spacer join it; its caption stays outside, and is
            # kept with the pair by ``keep_with_next``.
            earlier = body[-2:]
            del body[-2:]
            printed = [KeepTogether([*earlier, *printed])]
        body.extend(printed)
        previous = block
    heading = kept_with_next(Paragraph(_x(section.heading), s.heading))
    return [*([new_page()] if section.new_page else []), *keep_with_next([heading, *body])]


def _continues(previous: Block | None, block: Block) -> bool:
    return (
        isinstance(previous, Table)
        and isinstance(block, Table)
        and not block.caption
        and len(previous.rows) <= SHORT_TABLE
        and len(block.rows) <= SHORT_TABLE
    )


def flowables(block: Block, s: Styles) -> list[Flowable]:
    """The flowables of one block."""
    if isinstance(block, Text):
        style = {"small": s.small, "notice": s.notice}.get(block.style, s.body)
        return [Paragraph(_x(block.text), style)]
    if isinstance(block, Bullets):
        return [Paragraph(_x(item), s.bullet, bulletText="•") for item in block.items]
    if isinstance(block, Lettered):
        return [
            Paragraph(_x(item), s.bullet, bulletText=f"{chr(97 + i)})")
            for i, item in enumerate(block.items)
        ]
    if isinstance(block, QandA):
        out: list[Flowable] = []
        for question, answer in block.pairs:
            out.append(
                KeepTogether(
                    [
                        Paragraph(f"<b>Q: {_x(question)}</b>", s.numbered),
                        Paragraph(f"A: {_x(answer)}", s.numbered),
                    ]
                )
            )
        return out
    if isinstance(block, Table):
        return _table(block, s)
    if isinstance(block, Fields):
        return [_fields(block, s)]
    if isinstance(block, Chart):
        drawing = block.drawing
        # A drawing cannot break across pages: one taller than a page (a chart of twenty
        # hypotheses) is printed smaller rather than stopping the report.
        room = FRAME_HEIGHT - 60
        if drawing.height > room:
            drawing = drawing.copy()
            drawing.renderScale = room / drawing.height
        # The chart's words are chart text too: at least 9 pt, as its labels are.
        words = ParagraphStyle("chart words", parent=s.small, fontSize=TEXT_SIZE, leading=11)
        return [
            KeepTogether([drawing, Paragraph(_x("Chart in words: " + drawing.description), words)]),
        ]
    if isinstance(block, Citation):
        return _citation(block, s)
    raise TypeError(f"not a report block: {block!r}")


def _table(block: Table, s: Styles) -> list[Flowable]:
    header = [Paragraph(_x(h), s.cell_bold) for h in block.headers]
    rows = [
        [
            Paragraph(_x(c, markings=False), s.cell_bold if i in block.strong_rows else s.cell)
            for c in row
        ]
        for i, row in enumerate(block.rows)
    ]
    widths = column_widths(
        block.headers,
        block.rows,
        block.widths,
        total=TEXT_WIDTH,
        font=s.cell.fontName,
        bold=s.cell_bold.fontName,
        size=s.cell_bold.fontSize,
        padding=2 * _CELL_PADDING,
    )
    table = RLTable(
        [header, *rows],
        colWidths=widths,
        repeatRows=1,
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.4, LINE),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
            ]
        )
    )
    keep_rows(table)
    out: list[Flowable] = []
    if block.caption:
        # Kept with the table's first rows by ``keep_with_next``, not by keepWithNext,
        # which would carry a long table whole to the next page.
        caption = ParagraphStyle("caption", parent=s.subheading, keepWithNext=0)
        out.append(kept_with_next(Paragraph(_x(block.caption), caption)))
    out.extend([table, Spacer(1, 4)])
    return out


def _fields(block: Fields, s: Styles) -> Flowable:
    # Short fields go two to a row, long ones across the page: a submission header should
    # take a few lines, not a third of the first page.
    label_w, value_w = 0.15 * TEXT_WIDTH, 0.35 * TEXT_WIDTH
    rows: list[list[Flowable | str]] = []
    spans: list[tuple[int, int]] = []
    pending: list[Flowable | str] = []
    for key, value in block.pairs:
        cells = [Paragraph(_x(key), s.cell_bold), Paragraph(_x(value), s.cell)]
        if len(value) <= 48:
            pending.extend(cells)
            if len(pending) == 4:
                rows.append(pending)
                pending = []
            continue
        if pending:
            rows.append([*pending, "", ""])
            pending = []
        spans.append((len(rows), 1))
        rows.append([*cells, "", ""])
    if pending:
        rows.append([*pending, "", ""])
    table = RLTable(rows, colWidths=[label_w, value_w, label_w, value_w], hAlign="LEFT")
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, colors.black),
    ]
    style.extend(("SPAN", (1, row), (3, row)) for row, _ in spans)
    table.setStyle(TableStyle(style))
    return table


def _citation(block: Citation, s: Styles) -> list[Flowable]:
    # One boxed table, a row per line, so that a long block can break between two pages
    # between its lines instead of pushing a brief onto a third page whole.
    rows: list[list[Any]] = [
        [Paragraph(f"<b>{_x(block.heading)}:</b> {_x(block.how_to_cite)}", s.small), ""]
    ]
    label_style, code, widest, padding = s.cell, s.code, 0.6, 6.0
    if block.hash_size is not None:
        # Hashes set to be read and typed: a 64-character hash at 8.5 points needs about two
        # thirds of the width to stay on one line (it still breaks, fixed-width, if it must),
        # so the labels beside them are set at the same size, and both columns have little
        # padding on the right to leave the labels room for a line ("Registered 1 December
        # 2026, intact").
        size = block.hash_size
        code = ParagraphStyle("hash", parent=s.code, fontSize=size, leading=size * 1.25)
        label_style = ParagraphStyle(
            "hash_label", parent=s.cell, fontSize=size, leading=size * 1.25
        )
        widest, padding = 0.7, 2.5
    rows.extend(
        [Paragraph(_x(label), label_style), Paragraph(_x(value), code)]
        for label, value in block.lines
    )
    style: list[Any] = [
        ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("SPAN", (0, 0), (1, 0)),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 0.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
        ("TOPPADDING", (0, 0), (-1, 0), 2),
        ("RIGHTPADDING", (0, 1), (1, len(rows) - 1), padding),
    ]
    if block.explained:
        rows.append([Paragraph(_x(block.explained), s.small), ""])
        style.append(("SPAN", (0, len(rows) - 1), (1, len(rows) - 1)))
    style.append(("BOTTOMPADDING", (0, len(rows) - 1), (-1, len(rows) - 1), 3))
    # The values (hashes) take the width of the longest, so that a 64-character hash
    # stays on one line, and the labels the rest: neither wraps when both can fit.
    longest = max((stringWidth(v, code.fontName, code.fontSize) for _, v in block.lines), default=0)
    value_w = min(max(longest + 5 + padding, 0.5 * TEXT_WIDTH), widest * TEXT_WIDTH)
    table = RLTable(rows, colWidths=[TEXT_WIDTH - value_w, value_w], hAlign="LEFT")
    table.setStyle(TableStyle(style))
    # No spacer above: the block before it (a table, a paragraph) ends with its own space.
    return [table]


def _x(text: str, *, markings: bool = True) -> str:
    """Plain text made safe for reportlab's paragraph markup, dates and markings unbroken."""
    return escape(unbroken(text, markings=markings))
