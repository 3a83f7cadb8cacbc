"""Printing a report's blocks as reportlab flowables, and the whole document as a PDF."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus import (
    Table as RLTable,
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

LINE = colors.HexColor("#b1b4b6")
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
    pages = render_pdf(buffer, story(document, styles(body_size)), furniture, info)
    return buffer.getvalue(), pages


def story(document: Document, s: Styles) -> list[Flowable]:
    """The flowables of a whole document."""
    out: list[Flowable] = [Paragraph(_x(document.heading or document.title), s.title)]
    for block in document.front:
        out.extend(flowables(block, s))
    for section in document.sections:
        out.extend(section_flowables(section, s))
    return out


def section_flowables(section: Section, s: Styles) -> list[Flowable]:
    out: list[Flowable] = [PageBreak()] if section.new_page else [CondPageBreak(60)]
    body: list[Flowable] = []
    for block in section.blocks:
        body.extend(flowables(block, s))
    heading = Paragraph(_x(section.heading), s.heading)
    # Keep the heading with its first block so that no heading ends a page on its own.
    # A KeepTogether inside another asks for an infinite height (reportlab forces a split
    # that way), which would push the section to a new page: unwrap it instead.
    if body:
        first = body[0]
        content = list(first._content) if isinstance(first, KeepTogether) else [first]
        out.append(KeepTogether([heading, *content]))
        out.extend(body[1:])
    else:
        out.append(heading)
    return out


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
        return [
            KeepTogether(
                [drawing, Paragraph(_x("Chart in words: " + drawing.description), s.small)]
            ),
        ]
    if isinstance(block, Citation):
        return _citation(block, s)
    raise TypeError(f"not a report block: {block!r}")


def _table(block: Table, s: Styles) -> list[Flowable]:
    header = [Paragraph(_x(h), s.cell_bold) for h in block.headers]
    rows = [
        [Paragraph(_x(c), s.cell_bold if i in block.strong_rows else s.cell) for c in row]
        for i, row in enumerate(block.rows)
    ]
    table = RLTable(
        [header, *rows],
        colWidths=[w * TEXT_WIDTH for w in block.widths],
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
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    out: list[Flowable] = []
    if block.caption:
        out.append(Paragraph(_x(block.caption), s.subheading))
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
    rows.extend(
        [Paragraph(_x(label), s.cell), Paragraph(_x(value), s.code)] for label, value in block.lines
    )
    style: list[Any] = [
        ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("SPAN", (0, 0), (1, 0)),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 0.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
        ("TOPPADDING", (0, 0), (-1, 0), 2),
    ]
    if block.explained:
        rows.append([Paragraph(_x(block.explained), s.small), ""])
        style.append(("SPAN", (0, len(rows) - 1), (1, len(rows) - 1)))
    style.append(("BOTTOMPADDING", (0, len(rows) - 1), (-1, len(rows) - 1), 3))
    table = RLTable(
        rows,
        colWidths=[0.4 * TEXT_WIDTH, 0.6 * TEXT_WIDTH],
        hAlign="LEFT",
    )
    table.setStyle(TableStyle(style))
    return [Spacer(1, 3), table]


def _x(text: str) -> str:
    """Plain text made safe for reportlab's paragraph markup."""
    return escape(text)
