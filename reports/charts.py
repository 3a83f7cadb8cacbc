"""Charts drawn once with reportlab graphics: vector in the PDF, SVG in the window and HTML.

Three charts, each in a module of its own:

* ``results_chart`` (``chart_estimates``): one row per hypothesis, the estimate and its
  interval against the benefit threshold (the smallest change worth having) and the harm
  margin;
* ``outcome_over_time_chart`` (``chart_slopes``): the outcome before and after, pilot
  against comparator, for before/after and difference-in-differences designs;
* ``results_by_mission_chart`` (``chart_portfolio``): the portfolio's primary results,
  counted by mission and by the wording table's category, as the portfolio summary is.

Each returns a ``ChartDrawing`` (``chart_drawing``: a reportlab ``Drawing`` with a
``title`` and a text ``description``), which a report places as a flowable and the window
turns into SVG with ``drawing_to_svg``. Axes (``chart_axes``) are at round values through
zero, and no chart relies on colour alone (``chart_marks``). All chart text is at least
``TEXT_SIZE`` (9) points.

Example (the window)::

    from reports import charts
    rows = charts.result_rows(detail)          # a PilotDetail from testlearn.services.pilots
    svg = charts.drawing_to_svg(charts.results_chart(rows))
"""

from __future__ import annotations

from reports.chart_drawing import TEXT_SIZE, ChartDrawing, drawing_to_svg
from reports.chart_estimates import (
    ResultRow,
    describe_results,
    result_rows,
    results_chart,
    results_charts,
    row_digits,
    row_words,
)
from reports.chart_keys import marker
from reports.chart_portfolio import CATEGORY_FILLS, counts_by_mission, results_by_mission_chart
from reports.chart_slopes import PeriodPoint, outcome_over_time_chart, outcome_points

__all__ = [
    "CATEGORY_FILLS",
    "TEXT_SIZE",
    "ChartDrawing",
    "PeriodPoint",
    "ResultRow",
    "counts_by_mission",
    "describe_results",
    "drawing_to_svg",
    "marker",
    "outcome_over_time_chart",
    "outcome_points",
    "result_rows",
    "results_by_mission_chart",
    "results_chart",
    "results_charts",
    "row_digits",
    "row_words",
]
