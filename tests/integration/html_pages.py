"""Writing the demo's reports with their HTML twins, and reading an HTML page's structure back.

Shared by the HTML structure tests and the axe-core test, which look at the same pages.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

#: After the data the tests import and within the day ahead, as report dates must be.
WHEN = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=20)).replace(second=0, microsecond=0)
#: A strong success, a weak before/after design, a stop: between them every kind of block.
PILOTS = ("DESNZ-TL-005", "DFT-TL-009", "DFE-TL-004")


def write_reports(database: Path, folder: Path) -> dict[str, Path]:
    """Every report of ``PILOTS`` and the portfolio, as PDFs with their HTML twins.

    Returns the PDFs by name: "DESNZ-TL-005 brief", "DESNZ-TL-005 full", "portfolio".
    """
    from reports.brief import write_brief
    from reports.full_report import write_full_report
    from reports.portfolio_report import write_portfolio
    from testlearn.services.databases import open_database
    from testlearn.services.portfolio import portfolio
    from testlearn.services.reporting import pilot_report

    written: dict[str, Path] = {}
    db = open_database(database)
    try:
        for reference in PILOTS:
            brief = folder / f"{reference}-brief.pdf"
            write_brief(pilot_report(reference, db=db, generated_at=WHEN), brief)
            full = folder / f"{reference}-report.pdf"
            write_full_report(pilot_report(reference, db=db, generated_at=WHEN, kind="full"), full)
            written[f"{reference} brief"], written[f"{reference} full"] = brief, full
        written["portfolio"] = folder / "portfolio.pdf"
        write_portfolio(portfolio(db=db, generated_at=WHEN), written["portfolio"])
    finally:
        db.close()
    return written


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Page(HTMLParser):
    """What a screen reader would find on an HTML page: its language, headings, tables,
    figures and text."""

    lang: str = ""
    headings: list[tuple[int, str]] = field(default_factory=list)
    header_cells_without_scope: int = 0
    tables: int = 0
    unlabelled_tables: int = 0
    figures: int = 0
    figcaptions: int = 0
    svgs: list[dict[str, str]] = field(default_factory=list)
    svg_titles: int = 0
    svg_descs: int = 0
    chart_font_sizes: list[float] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    _heading: list[str] | None = None
    _table_labelled: bool = False
    _skip: int = 0

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = named.get("lang", "")
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = []
        elif tag == "th" and named.get("scope") not in ("col", "row"):
            self.header_cells_without_scope += 1
        elif tag == "table":
            self.tables += 1
            self._table_labelled = bool(named.get("aria-label"))
        elif tag == "caption":
            self._table_labelled = True
        elif tag == "thead" and not self._table_labelled:
            self.unlabelled_tables += 1
        elif tag == "figure":
            self.figures += 1
        elif tag == "figcaption":
            self.figcaptions += 1
        elif tag == "svg":
            self.svgs.append(named)
        elif tag == "title" and self.svgs:
            self.svg_titles += 1
        elif tag == "desc":
            self.svg_descs += 1
        if tag in ("style", "title", "script"):
            self._skip += 1
        if tag == "text" or "font-size" in named.get("style", ""):
            for size in re.findall(r"font-size:\s*([\d.]+)", named.get("style", "")):
                self.chart_font_sizes.append(float(size))
        self.words.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append((int(tag[1]), flat("".join(self._heading))))
            self._heading = None
        if tag in ("style", "title", "script"):
            self._skip = max(self._skip - 1, 0)
        self.words.append(" ")

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)
        if not self._skip:
            self.words.append(data)

    @property
    def text(self) -> str:
        return flat("".join(self.words))


def read_page(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page
