"""Charts: titled, described in words, never colour alone, and the same drawing as SVG."""

from __future__ import annotations

from xml.etree import ElementTree

from reports import charts
from tests.unit.portfolios import portfolio_of

ROWS = [
    charts.ResultRow(
        label="H1: pupils reaching a good level of development",
        outcome_type="binary",
        unit="",
        direction="increase",
        estimate=0.006,
        ci_low=-0.024,
        ci_high=0.036,
        benefit_threshold=0.043,
        harm_margin=0.043,
        verdict="no_meaningful_effect",
    ),
    charts.ResultRow(
        label="H2: heat pumps installed",
        outcome_type="count",
        unit="",
        direction="increase",
        estimate=0.62,
        ci_low=0.57,
        ci_high=0.67,
        benefit_threshold=5.0,
        harm_margin=10.0,
        verdict="harm",
        words="Loss (association only)",  # the wording table's chart label at SMS 1
    ),
]


def _texts(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg.encode())
    return ["".join(node.itertext()) for node in root.iter() if node.tag.endswith("text")]


def test_results_chart_has_a_title_and_a_text_alternative() -> None:
    drawing = charts.results_chart(ROWS)
    assert drawing.title == "Results against the change worth having and the harm margin"
    assert drawing.description == (
        "H1: pupils reaching a good level of development: 0.60 percentage points (95% interval "
        "-2.40 to 3.60) against a worthwhile change of 4.30 and harm beyond -4.30: no worthwhile "
        "difference. H2: heat pumps installed: -38.0 % change (95% interval -43.0 to -33.0) "
        "against a worthwhile change of 5.00 and harm beyond -10.0: loss (association only)."
    )


def test_svg_carries_title_description_and_verdicts_in_words() -> None:
    svg = charts.drawing_to_svg(charts.results_chart(ROWS))
    assert '<svg role="img"' in svg
    root = ElementTree.fromstring(svg.encode())
    tags = [node.tag.rsplit("}", 1)[-1] for node in root]
    assert tags[:2] == ["title", "desc"]
    texts = _texts(svg)
    assert "No worthwhile difference" in texts and "Loss (association only)" in texts
    assert "TL-Sans" not in svg  # the PDF's font names mean nothing to a browser


def test_marker_shape_differs_by_verdict_not_only_colour() -> None:
    shapes = {
        verdict: type(charts.marker(verdict, 0, 0)).__name__
        for verdict in ("success", "harm", "no_meaningful_effect", "non_inferior")
    }
    assert len(set(shapes.values())) >= 3


def test_outcome_over_time_and_results_by_mission() -> None:
    points = [
        charts.PeriodPoint("pilot", "before", 0.589),
        charts.PeriodPoint("pilot", "after", 0.634),
        charts.PeriodPoint("comparator", "before", 0.596),
        charts.PeriodPoint("comparator", "after", 0.610),
    ]
    drawing = charts.outcome_over_time_chart(
        points,
        outcome="pathways completed within 18 weeks",
        outcome_type="binary",
        labels={"pilot": "pilot trusts", "comparator": "matched trusts"},
    )
    assert drawing.title == "Pathways completed within 18 weeks, before and after"
    assert drawing.description == (
        "pilot trusts: before 58.9%, after 63.4%; matched trusts: before 59.6%, after 61.0%."
    )
    mission = charts.results_by_mission_chart(
        portfolio_of(("GROWTH", "success", "meaningful", 4), ("GROWTH", "harm", "meaningful", 1)),
        {"GROWTH": "Kickstart economic growth"},
    )
    words = "1 worked; 1 loss, no causal claim"
    assert mission.description == f"Kickstart economic growth: {words}."
    assert words in _texts(charts.drawing_to_svg(mission))


def test_chart_without_results_says_so() -> None:
    drawing = charts.results_chart([])
    assert drawing.description == "No analysed hypotheses."
