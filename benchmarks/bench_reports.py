"""Reports: 100 ministerial briefs against plain reportlab documents, and a 1,000-pilot portfolio.

Briefs: 100 briefs (the ten demo pilots, ten times each) written from read models, against a
baseline of reportlab's own SimpleDocTemplate laying out the same text (each brief's words,
read back from its PDF) as plain Helvetica paragraphs, in memory: no fonts to embed, no
tables, no chart, no page furniture. Target: within 3x of the baseline.

Portfolio: a database of 1,000 pilots (the demo pilots a hundred times over, analysed), read
and counted by ``testlearn.services.portfolio`` and printed by ``reports.portfolio_report``,
end to end. Target: under 60 s. The database takes several minutes to build, so it is kept in
the user's cache folder and reused while the schema is unchanged.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from benchmarks.measure import Measurement, in_fresh_process, report

BRIEFS = 100
PILOTS = 1_000

_DEMO = """
import datetime as dt, pathlib, uuid
from testlearn.services.analysis import analyse_all
from testlearn.services.databases import create_database
from testlearn.services.pilots import list_pilots
from testlearn.services.reporting import pilot_report
folder = pathlib.Path({folder!r}) / uuid.uuid4().hex
folder.mkdir()
db = create_database(folder / "demo.sqlite", demo=True, actor="bench")
analyse_all(db=db, actor="bench")
when = dt.datetime.now(dt.UTC)  # after the demo data: a report is never dated before them
reports = [pilot_report(p.reference, db=db, generated_at=when) for p in list_pilots(db=db)]
"""


def _portfolio_database() -> Path:
    """The 1,000-pilot database, built once and kept in the cache folder."""
    import copy

    import platformdirs

    from testlearn.services.analysis import analyse_all
    from testlearn.services.databases import SCHEMA_GENERATION, create_database, open_database
    from testlearn.services.demo import add_demo_pilot, demo_pilots

    folder = platformdirs.user_cache_path("testlearn-benchmarks", appauthor=False)
    path = folder / f"portfolio-{PILOTS}-schema{SCHEMA_GENERATION}.sqlite"
    if path.exists():
        return path
    print(f"  building the {PILOTS}-pilot database once, in {path} (a few minutes)")
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    db = create_database(partial, actor="bench")
    demos = demo_pilots()
    for i in range(PILOTS):
        demo = copy.deepcopy(demos[i % len(demos)])
        demo["pilot"]["reference"] = f"{demo['pilot']['reference']}-{i // len(demos):03d}"
        add_demo_pilot(demo, db=db, actor="bench")
    analyse_all(db=db, actor="bench")
    db.close()
    partial.replace(path)
    open_database(path).close()
    return path


def run() -> None:
    briefs()
    _portfolio()


def briefs() -> None:
    """The brief part alone (``python -c "from benchmarks.bench_reports import briefs;
    briefs()"``): a minute or two, without the 1,000-pilot database. With PROFILE_BRIEFS=1
    in the environment it also prints where 20 briefs spend their time (cProfile)."""
    with tempfile.TemporaryDirectory() as folder:
        setup = _DEMO.format(folder=folder)
        ours = in_fresh_process(
            setup + "from reports.brief import write_brief\n",
            f"""
            for i in range({BRIEFS}):
                r = reports[i % len(reports)]
                write_brief(r, folder / f"{{r.detail.pilot.reference}}-{{i}}.pdf", html=False)
            """,
            repeat=3,
        )
        baseline = in_fresh_process(
            setup
            + """
import io
from pypdf import PdfReader
from reports.brief import write_brief
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate
from xml.sax.saxutils import escape
texts = []
for r in reports:
    path = folder / f"{r.detail.pilot.reference}.pdf"
    write_brief(r, path, html=False)
    pages = PdfReader(path).pages
    texts.append([line for page in pages for line in page.extract_text().splitlines()])
style = getSampleStyleSheet()["BodyText"]
""",
            f"""
            for i in range({BRIEFS}):
                lines = texts[i % len(texts)]
                doc = SimpleDocTemplate(io.BytesIO())
                doc.build([Paragraph(escape(" ".join(lines[j:j + 6])), style)
                           for j in range(0, len(lines), 6)])
            """,
            repeat=3,
        )
        with_html = in_fresh_process(
            setup + "from reports.brief import write_brief\n",
            f"""
            for i in range({BRIEFS}):
                r = reports[i % len(reports)]
                write_brief(r, folder / f"{{r.detail.pilot.reference}}-{{i}}.pdf")
            """,
        )
    report(
        f"{BRIEFS} testlearn briefs (PDF only)",
        ours,
        baseline,
        f"reportlab, {BRIEFS} plain documents of the same text",
    )
    print(
        f"  {BRIEFS / ours.cpu_seconds:.1f} briefs per CPU second; "
        f"with the HTML twin: {with_html.cpu_seconds:.2f} s CPU"
    )
    if os.environ.get("PROFILE_BRIEFS"):
        _profile_briefs()


def _profile_briefs() -> None:
    with tempfile.TemporaryDirectory() as folder:
        printed = Path(folder) / "profile.txt"
        in_fresh_process(
            _DEMO.format(folder=folder) + "from reports.brief import write_brief\n",
            f"""
            import cProfile, pstats
            profile = cProfile.Profile()
            profile.enable()
            for i in range(20):
                r = reports[i % len(reports)]
                write_brief(r, folder / f"{{r.detail.pilot.reference}}-{{i}}.pdf", html=False)
            profile.disable()
            with open({str(printed)!r}, "w") as out:
                pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(30)
            """,
        )
        print(printed.read_text())


def _portfolio() -> None:
    database = _portfolio_database()
    portfolio = in_fresh_process(
        f"""
        import pathlib, tempfile
        from testlearn.services.databases import open_database
        db = open_database(pathlib.Path({str(database)!r}))
        out = pathlib.Path(tempfile.mkdtemp()) / "portfolio.pdf"
        """,
        """
        from testlearn.services.portfolio import portfolio
        from reports.portfolio_report import write_portfolio
        pages = write_portfolio(portfolio(db=db), out, html=False)  # the PDF, as before
        """,
    )
    _print_portfolio(portfolio)


def _print_portfolio(measured: Measurement) -> None:
    verdict = "within" if measured.seconds < 60 else "OVER"
    print(
        f"  portfolio of {PILOTS:,} pilots (read, count, print)   {measured.seconds:8.2f} s  "
        f"peak {measured.peak_mb:6.0f} MB  ({verdict} the 60 s target)"
    )
