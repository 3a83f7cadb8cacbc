"""The shared formatter and the printed markings."""

from __future__ import annotations

import datetime as dt

import pytest

from reports import numbers
from testlearn.domain.marking import highest_marking, printed_marking, raised_for_commercial


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2_400_000, "£2.4m"),
        (2_250_000, "£2.25m"),
        (42_000_000, "£42m"),
        (265_000_000, "£265m"),
        (412_000, "£412k"),
        (950, "£950"),
        (1_500_000_000, "£1.5bn"),
        (None, "not recorded"),
    ],
)
def test_money(value: float | None, text: str) -> None:
    assert numbers.money(value) == text


def test_effects_in_outcome_terms() -> None:
    assert numbers.effect(0.0569, "binary") == "+5.7 points"
    assert numbers.effect(0.62, "count") == "-38.0%"
    assert numbers.effect(-6.2, "continuous", "minutes") == "-6.20 minutes"
    assert numbers.effect_interval(-0.024, 0.036, "binary") == "95% CI -2.4 to +3.6 points"
    assert numbers.threshold(0.043, "binary") == "4.3 points"
    assert numbers.threshold(10.0, "count") == "10%"
    assert numbers.p_value(0.0004) == "p < 0.001"
    assert numbers.p_value(0.1643) == "p = 0.164"


def test_dates_and_financial_years() -> None:
    assert numbers.long_date(dt.date(2025, 5, 19)) == "19 May 2025"
    assert numbers.financial_year(dt.date(2026, 3, 31)) == "2025-26"
    assert numbers.financial_year(dt.date(2026, 4, 1)) == "2026-27"
    assert numbers.next_financial_years(dt.date(2026, 11, 27), 3) == [
        "2026-27",
        "2027-28",
        "2028-29",
        "2029-30",
    ]


def test_highest_marking_keeps_descriptors_of_the_highest_level() -> None:
    official = printed_marking("OFFICIAL")
    commercial = printed_marking("OFFICIAL_SENSITIVE", "COMMERCIAL")
    personal = printed_marking("OFFICIAL_SENSITIVE", "PERSONAL")
    assert highest_marking([official, official]).text == "OFFICIAL"
    assert highest_marking([official, commercial]).text == "OFFICIAL-SENSITIVE COMMERCIAL"
    assert (
        highest_marking([commercial, personal, official]).text
        == "OFFICIAL-SENSITIVE COMMERCIAL/PERSONAL"
    )
    assert highest_marking([]).text == "OFFICIAL"


def test_printing_commercial_values_raises_the_marking() -> None:
    assert raised_for_commercial(printed_marking("OFFICIAL")).text == (
        "OFFICIAL-SENSITIVE COMMERCIAL"
    )
    personal = printed_marking("OFFICIAL_SENSITIVE", "PERSONAL")
    assert raised_for_commercial(personal).text == "OFFICIAL-SENSITIVE COMMERCIAL/PERSONAL"
