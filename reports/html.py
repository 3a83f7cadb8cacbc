"""Any report as accessible HTML, printed from the same content as its PDF.

The PDFs cannot be tagged (reportlab has no tagged PDF), so the HTML is the accessible form of
every report: the brief, the full lessons-learned report and the portfolio. GOV.UK prefers
HTML to PDF because HTML reflows, can be read aloud and navigated by heading. The page uses
real headings in order (h1, then h2 per section, h3 beneath), lists, tables with header scopes
and a caption or label, states its language, puts the marking, handling, DRAFT and any notice
at the top and bottom, and inlines each chart as a scalable SVG with a title and a text
alternative. Right-to-left text is kept in its logical order and marked ``dir="auto"`` so the
browser lays it out; ``new_page`` on a section means nothing on a web page and is ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape, unescape
from pathlib import Path

from reportlab.pdfbase import pdfmetrics

from reports.blocks import (
    Block,
    Bullets,
    Chart,
    Citation,
    Document,
    Fields,
    Lettered,
    QandA,
    Table,
    Text,
)
from reports.charts import drawing_to_svg
from reports.page import fonts, write_text_atomically
from testlearn import __version__

_STYLE = """
body{font-family:Arial,"DejaVu Sans","Noto Sans","Noto Sans CJK SC","Noto Color Emoji",
sans-serif;font-size:19px;line-height:1.4;max-width:46em;margin:0 auto;padding:0 1em;
color:#0b0c0c;overflow-wrap:break-word}
.marking{text-align:center;font-weight:bold;margin:.5em 0}
.draft{border:3px solid #0b0c0c;padding:.3em .6em;font-weight:bold;display:inline-block}
.notice{border:3px solid #0b0c0c;padding:.5em;font-weight:bold}
div.table{overflow-x:auto;margin:.5em 0 1em}table{border-collapse:collapse;width:100%}
th,td{text-align:left;
vertical-align:top;border-bottom:1px solid #b1b4b6;padding:.3em .4em;font-size:16px;
hyphens:auto}
caption{text-align:left;font-weight:bold;padding:.2em 0}
dl.fields{display:grid;grid-template-columns:9em 1fr;gap:.2em 1em}dl.fields dt{font-weight:bold}
dl.fields dd{margin:0}.code{font-family:"DejaVu Sans Mono",monospace;font-size:14px;
word-break:break-all}figure{margin:1em 0}svg{display:block;width:100%;height:auto}
.citation{border:1px solid #0b0c0c;padding:.5em;font-size:16px}
dl.fields dd{min-width:0}
@media (max-width:30em){dl.fields{grid-template-columns:1fr}dl.fields dd{margin-bottom:.4em}}
"""

#: The smallest chart text, in the drawing's units (points at the printed width): 9 pt.
MIN_CHART_TEXT = 9.0

# Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def render_html(document: Document, *, generated_at: dt.datetime) -> str:
    """The whole document as one self-contained HTML page."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(document.title)}</title>",
        f'<meta name="author" content="{escape(document.author)}">',
        f'<meta name="description" content="{escape(document.subject)}">',
        f'<meta name="keywords" content="{escape(", ".join(document.keywords))}">',
        f'<meta name="generator" content="testlearn {__version__}">',
        f'<meta name="dcterms.created" content="{generated_at.isoformat()}">',
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        *_furniture(document),
        f"<p>{escape(document.reference)}, {escape(document.version)}</p>",
        "</header>",
        "<main>",
        f"<h1>{_text(document.title)}</h1>",
    ]
    if document.heading and document.heading != document.title:
        out.append(f"<p><strong>{_text(document.heading)}</strong></p>")
    out.extend(_blocks(document.front, level=2, where=document.title))
    for section in document.sections:
        out.append(f"<section><h2>{_text(section.heading)}</h2>")
        out.extend(_blocks(section.blocks, level=3, where=section.heading))
        out.append("</section>")
    out.append("</main>")
    # The marking and notices again at the foot, as on every printed page.
    out.extend(["<footer>", *_furniture(document, alert=False), "</footer>", "</body></html>"])
    return "\n".join(out) + "\n"


def write_html(document: Document, path: Path, *, generated_at: dt.datetime) -> None:
    """Write the HTML version of ``document`` to ``path`` atomically."""
    write_text_atomically(path, render_html(document, generated_at=generated_at))


def scalable_svg(svg: str) -> str:
    """A chart's SVG that scales with the page: a viewBox in place of a fixed size.

    The drawing's units are points at its printed width, so text smaller than
    ``MIN_CHART_TEXT`` there is raised to it: a label never reads smaller than 9 pt would
    on paper, whatever the charts module drew. reportlab places each label by its width at
    the drawn size (a right-aligned label ends where its bar begins), so a raised label
    keeps that width (``textLength``) and is drawn a little narrower rather than running
    into its bar.
    """
    svg = svg[svg.find("<svg") :]  # the XML declaration and doctype are not valid inside HTML
    opening = re.match(r"<svg\b[^>]*>", svg)
    if opening is None:
        raise ValueError("not an SVG drawing")
    tag = opening.group(0)
    width = re.search(r'\swidth="([\d.]+)', tag)
    height = re.search(r'\sheight="([\d.]+)', tag)
    if width and height and "viewBox" not in tag:
        tag = tag.replace("<svg ", f'<svg viewBox="0 0 {width.group(1)} {height.group(1)}" ', 1)
    tag = re.sub(r'\s(width|height)="[^"]*"', "", tag)
    tag = tag[:-1].rstrip() + ' width="100%">'
    # reportlab writes an empty "..." title and description of its own after ours; a screen
    # reader would read those out.
    body = re.sub(r"\s*<title>\.\.\.</title>\s*<desc>\.\.\.</desc>", "", svg[opening.end() :])
    return tag + re.sub(r"<text\b([^>]*)>([^<]*)", _legible_label, body)


def _legible_label(match: re.Match[str]) -> str:
    attributes, content = match.group(1), match.group(2)
    size = re.search(r"font-size:\s*([\d.]+)(px)?", attributes)
    if size is None or float(size.group(1)) >= MIN_CHART_TEXT:
        return match.group(0)
    drawn = float(size.group(1))
    chosen = fonts()
    font = chosen.bold if "bold" in attributes else chosen.regular
    length = pdfmetrics.stringWidth(unescape(content), font, drawn)
    attributes = attributes.replace(size.group(0), f"font-size: {MIN_CHART_TEXT:g}px", 1)
    return f'<text{attributes} textLength="{length:.2f}" lengthAdjust="spacingAndGlyphs">{content}'


def _furniture(document: Document, *, alert: bool = True) -> list[str]:
    """The marking, handling, DRAFT and any notice, printed at the top and bottom."""
    out = [f'<p class="marking">{escape(document.marking)}</p>']
    if document.handling:
        out.append(f'<p class="marking">{_text(document.handling)}</p>')
    if not document.final:
        out.append('<p class="draft">DRAFT: not yet final</p>')
    if document.page_notice:
        role = ' role="alert"' if alert else ""
        out.append(f'<p class="draft"{role}>{escape(document.page_notice)}</p>')
    return out


def _text(text: str) -> str:
    """Escaped text; a right-to-left run is left in its logical order for the browser to lay
    out, isolated so that it cannot reorder the English around it."""
    escaped = escape(text)
    if not _RTL.search(text):
        return escaped
    return f'<bdi dir="auto">{escaped}</bdi>'


def _blocks(blocks: tuple[Block, ...], *, level: int, where: str) -> list[str]:
    """The blocks of a section; where it has several tables without a caption, each is
    labelled with its number, so that no two are announced alike."""
    tables = sum(isinstance(b, Table) and not b.caption for b in blocks)
    out, number = [], 0
    for block in blocks:
        label = where
        if isinstance(block, Table) and not block.caption and tables > 1:
            number += 1
            label = f"{where}, table {number} of {tables}"
        out.append(_block(block, level=level, where=label))
    return out


def _block(block: Block, *, level: int, where: str) -> str:
    if isinstance(block, Text):
        css = ' class="notice" role="alert"' if block.style == "notice" else ""
        return f"<p{css}>{_text(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{_text(i)}</li>" for i in block.items) + "</ul>"
    if isinstance(block, Lettered):
        return '<ol type="a">' + "".join(f"<li>{_text(i)}</li>" for i in block.items) + "</ol>"
    if isinstance(block, QandA):
        return (
            "<dl>"
            + "".join(
                f"<dt><strong>Q: {_text(q)}</strong></dt><dd>A: {_text(a)}</dd>"
                for q, a in block.pairs
            )
            + "</dl>"
        )
    if isinstance(block, Table):
        return _table(block, where)
    if isinstance(block, Fields):
        return (
            '<dl class="fields">'
            + "".join(f"<dt>{_text(k)}</dt><dd>{_text(v)}</dd>" for k, v in block.pairs)
            + "</dl>"
        )
    if isinstance(block, Chart):
        return (
            f"<figure>{scalable_svg(drawing_to_svg(block.drawing))}"
            f"<figcaption>Chart in words: {_text(block.drawing.description)}"
            "</figcaption></figure>"
        )
    if isinstance(block, Citation):
        lines = "".join(
            f'<dt>{escape(label)}</dt><dd class="code">{_text(value)}</dd>'
            for label, value in block.lines
        )
        heading = escape(block.heading)
        return (
            f'<aside class="citation" aria-label="{heading}">'
            f"<h{level}>{heading}</h{level}><p>{_text(block.how_to_cite)}</p>"
            f"<dl>{lines}</dl>"
            + (f"<p>{_text(block.explained)}</p>" if block.explained else "")
            + "</aside>"
        )
    raise TypeError(f"not a report block: {block!r}")


def _table(block: Table, where: str) -> str:
    """A table whose first column heads its rows; captioned, or labelled by its section."""
    # An empty corner cell heads nothing: a header cell must say what it heads.
    head = "".join(
        f'<th scope="col">{_text(h)}</th>' if h.strip() else "<td></td>" for h in block.headers
    )
    rows = []
    for i, row in enumerate(block.rows):
        cells = [_text(c) for c in row]
        if i in block.strong_rows:
            cells = [f"<strong>{c}</strong>" for c in cells]
        rows.append(
            f'<tr><th scope="row">{cells[0]}</th>'
            + "".join(f"<td>{c}</td>" for c in cells[1:])
            + "</tr>"
        )
    if block.caption:
        opening, caption = "<table>", f"<caption>{_text(block.caption)}</caption>"
    else:
        opening, caption = f'<table aria-label="{escape(where)}">', ""
    # A wide table scrolls inside its own box on a phone rather than the whole page sideways
    # (WCAG reflow); the box can be reached and scrolled with the keyboard.
    label = escape(f"Table: {block.caption or where}")
    return (
        f'<div class="table" role="region" aria-label="{label}" tabindex="0">'
        f"{opening}{caption}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody>"
        "</table></div>"
    )
