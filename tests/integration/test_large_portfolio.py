"""A portfolio of hundreds of pilots prints: no cell of it may be taller than a page."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from pypdf import PdfReader

from reports.portfolio_report import write_portfolio
from testlearn.services import databases
from testlearn.services.portfolio import portfolio


def test_a_portfolio_of_three_hundred_pilots_prints_and_names_each_in_the_annex(
    demo_file: Path, tmp_path: Path
) -> None:
    db = databases.open_database_for_reading(demo_file)
    try:
        found = portfolio(db=db)
    finally:
        db.close()
    # Three hundred pilots, each a copy of a demo pilot under its own reference: the
    # citation once named every pilot in one table cell, which at this size was taller than
    # a page and stopped the report.
    many = tuple(
        dataclasses.replace(found.pilots[i % len(found.pilots)], reference=f"XG-TL-{i:03d}")
        for i in range(300)
    )
    pdf = tmp_path / "portfolio.pdf"
    pages = write_portfolio(dataclasses.replace(found, pilots=many), pdf, final=False, html=False)
    assert pages > 3
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(pdf).pages))
    assert "300 pilots, XG-TL-000 to XG-TL-299, each named in the annex" in text
    annex = text[text.index("Annex: every pilot") :]
    assert all(f"XG-TL-{i:03d}" in annex for i in range(300))
