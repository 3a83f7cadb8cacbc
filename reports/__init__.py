"""PDF and HTML reports and their charts (reportlab). Data is handed in; no Qt, no database.

Public API (what the window and the command line call; everything else is internal):

Ministerial brief (one to two pages, with an accessible HTML twin beside it)::

    from testlearn.services.reporting import pilot_report   # refuses a pilot not ready
    from reports.brief import write_brief
    report = pilot_report("DFE-TL-004", db=db, allow_incomplete=False)
    pages = write_brief(report, path, final=False, include_commercial=False, html=True)

A final carries the clearance of its content (``testlearn.services.clearance``)::

    report = pilot_report("DFE-TL-004", db=db, final=True, kind="brief")   # NotCleared if none
    pages = write_brief(report, path, final=True)   # "Cleared by NAME, ROLE, on DATE", v2.0

Full lessons-learned report::

    from reports.full_report import write_full_report
    pages = write_full_report(report, path, final=False, include_commercial=False, html=True)

Portfolio report of a whole database::

    from testlearn.services.portfolio import portfolio
    from reports.portfolio_report import write_portfolio
    pages = write_portfolio(portfolio(db=db), path, final=False, html=True)

Charts (reportlab Drawings with ``title`` and ``description``; SVG for the window)::

    from reports import charts
    drawing = charts.results_chart(charts.result_rows(detail))          # a PilotDetail
    drawing = charts.outcome_over_time_chart(charts.outcome_points(detail, "H1"), ...)
    drawing = charts.results_by_mission_chart(found, mission_labels)  # a Portfolio
    svg = charts.drawing_to_svg(drawing)

Numbers are formatted by ``reports.numbers`` (money, effects, intervals, dates) and verdicts
are put in words by ``reports.verdict_words`` (one table: verdict, grade, evidence band).
Every writer checks the output path first and writes atomically; a path that cannot be
written raises ``reports.page.ReportWriteError`` (a ``TestlearnError``) naming it. Each writes
its accessible HTML twin beside the PDF (``reports.html``) unless ``html=False``. Text the PDF
fonts cannot print (emoji, CJK) is refused with ``reports.printable.UnprintableText``, naming
the characters and the field.
"""
