"""Warnings for commercial figures typed into free text: the field, the words, no refusal."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from testlearn.services.checks import check_record
from testlearn.services.commercial_checks import commercial_warnings


def pilot_with_contract(**contract: float | None) -> SimpleNamespace:
    """Just what the warnings read of a pilot: its amounts, contracts and costs."""
    pilot = SimpleNamespace(budget=7_000_000.0, spend=4_800_000.0, national_rollout_cost=None)
    return SimpleNamespace(
        pilot=pilot,
        procurements=(SimpleNamespace(contract_value=6_800_000.0, **contract),),
        costs=(),
    )


DETAIL = pilot_with_contract(
    should_cost=6_100_000.0, winning_bid=6_800_000.0, outturn_cost=4_620_000.0
)


def test_a_should_cost_in_a_lesson_is_named_with_its_field_and_words() -> None:
    values = {"category": "market_engagement", "what_happened": "It came in at £6.1m all told."}
    assert commercial_warnings("lesson", values, DETAIL) == {  # type: ignore[arg-type]
        "what_happened": "Lessons: what happened mentions a should-cost figure (£6.1m); it will "
        "be withheld from reports unless commercial figures are included."
    }
    # A warning, not a refusal: the same values pass the checks the store applies.
    assert check_record("lesson", values, shown=set(values)) == {}


def test_a_published_figure_is_not_a_withheld_one() -> None:
    # 6.8m is the winning bid, but also the contract value every report prints.
    values = {"delivery_summary": "A 6.8m contract ran for a year within the 7m budget."}
    assert commercial_warnings("pilot", values, DETAIL) == {}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("entity", "field", "text", "place"),
    [
        ("decision", "rationale", "The bid of 900,000 was too high.", "Decisions: rationale"),
        ("pilot", "problem_statement", "Quotes ran to £300 per home.", "Pilot: problem statement"),
        ("kpi", "target", "Outturn within 2% of the should-cost", "KPIs: target"),
    ],
)
def test_every_kind_of_record_is_checked(entity: str, field: str, text: str, place: str) -> None:
    found = commercial_warnings(entity, {field: text}, None)
    assert found[field].startswith(f"{place} mentions ")


def test_text_with_no_commercial_figures_and_other_values_draw_nothing() -> None:
    values = {"what_happened": "Three installers bid, against eleven expected.", "went_well": False}
    assert commercial_warnings("lesson", values, DETAIL) == {}  # type: ignore[arg-type]
