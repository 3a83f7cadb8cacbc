"""The brief as accessible HTML, printed from the same content as the PDF.

GOV.UK prefers HTML to PDF because HTML reflows, can be read aloud and navigated by heading.
This page uses real headings, lists and table headers, states its language, puts the marking
at the top and bottom, and inlines the chart as SVG with a title and a text alternative.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

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
from reports.page import write_text_atomically
from testlearn import __version__

_STYLE = """
body{font-family:Arial,"DejaVu Sans",sans-serif;font-size:19px;line-height:1.4;max-width:46em;
margin:0 auto;padding:0 1em;color:#0b0c0c}
.marking{text-align:center;font-weight:bold;margin:.5em 0}
.draft{border:3px solid #0b0c0c;padding:.3em .6em;font-weight:bold;display:inline-block}
.notice{border:3px solid #0b0c0c;padding:.5em;font-weight:bold}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em}th,td{text-align:left;
vertical-align:top;border-bottom:1px solid #b1b4b6;padding:.3em .4em;font-size:16px}
dl.fields{display:grid;grid-template-columns:9em 1fr;gap:.2em 1em}dl.fields dt{font-weight:bold}
dl.fields dd{margin:0}.code{font-family:"DejaVu Sans Mono",monospace;font-size:14px;
word-break:break-all}figure{margin:1em 0}svg{max-width:100%;height:auto}
.citation{border:1px solid #0b0c0c;padding:.5em;font-size:16px}
"""


def render_html(document: Document, *, generated_at: dt.datetime) -> str:
    """The whole document as one self-contained HTML page."""
    version = document.version
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
        f'<header><p class="marking">{escape(document.marking)}</p>',
    ]
    if document.handling:
        out.append(f'<p class="marking">{escape(document.handling)}</p>')
    out.append(f"<p>{escape(document.reference)}, {version}</p>")
    if not document.final:
        out.append('<p class="draft">DRAFT: not yet final</p>')
    if document.page_notice:
        out.append(f'<p class="draft" role="alert">{escape(document.page_notice)}</p>')
    out.append("</header>")
    out.append("<main>")
    out.append(f"<h1>{escape(document.title)}</h1>")
    out.extend(_block(b) for b in document.front)
    for section in document.sections:
        out.append(f"<section><h2>{escape(section.heading)}</h2>")
        out.extend(_block(b) for b in section.blocks)
        out.append("</section>")
    out.append("</main>")
    notice = f'<p class="draft">{escape(document.page_notice)}</p>' if document.page_notice else ""
    out.append(f'<footer>{notice}<p class="marking">{escape(document.marking)}</p></footer>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_html(document: Document, path: Path, *, generated_at: dt.datetime) -> None:
    """Write the HTML version of ``document`` to ``path`` atomically."""
    write_text_atomically(path, render_html(document, generated_at=generated_at))


def _block(block: Block) -> str:
    if isinstance(block, Text):
        css = ' class="notice" role="alert"' if block.style == "notice" else ""
        return f"<p{css}>{escape(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in block.items) + "</ul>"
    if isinstance(block, Lettered):
        return '<ol type="a">' + "".join(f"<li>{escape(i)}</li>" for i in block.items) + "</ol>"
    if isinstance(block, QandA):
        return (
            "<dl>"
            + "".join(
                f"<dt><strong>Q: {escape(q)}</strong></dt><dd>A: {escape(a)}</dd>"
                for q, a in block.pairs
            )
            + "</dl>"
        )
    if isinstance(block, Table):
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in block.headers)
        rows = []
        for i, row in enumerate(block.rows):
            cells = [escape(c) for c in row]
            if i in block.strong_rows:
                cells = [f"<strong>{c}</strong>" for c in cells]
            rows.append(
                f'<tr><th scope="row">{cells[0]}</th>'
                + "".join(f"<td>{c}</td>" for c in cells[1:])
                + "</tr>"
            )
        caption = f"<caption>{escape(block.caption)}</caption>" if block.caption else ""
        return (
            f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    if isinstance(block, Fields):
        return (
            '<dl class="fields">'
            + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in block.pairs)
            + "</dl>"
        )
    if isinstance(block, Chart):
        svg = drawing_to_svg(block.drawing)
        svg = svg[svg.find("<svg") :]  # the XML declaration and doctype are not valid inside HTML
        return (
            f"<figure>{svg}<figcaption>Chart in words: {escape(block.drawing.description)}"
            "</figcaption></figure>"
        )
    if isinstance(block, Citation):
        lines = "".join(
            f'<dt>{escape(label)}</dt><dd class="code">{escape(value)}</dd>'
            for label, value in block.lines
        )
        return (
            f'<aside class="citation" aria-label="{escape(block.heading)}">'
            f"<h2>{escape(block.heading)}</h2><p>{escape(block.how_to_cite)}</p>"
            f"<dl>{lines}</dl>"
            + (f"<p>{escape(block.explained)}</p>" if block.explained else "")
            + "</aside>"
        )
    raise TypeError(f"not a report block: {block!r}")
