"""Units agree with their numbers: '1 point', '0 points', '2 points', '1.5 points'."""

from __future__ import annotations

import pytest

from reports import numbers

# (unit as recorded, the singular a reader expects)
UNITS = (
    ("minutes", "minute"),
    ("SCOP points", "SCOP point"),
    ("journeys per £1,000", "journey per £1,000"),
    ("families a year", "family a year"),
    ("pounds per kWp", "pound per kWp"),
    ("installations", "installation"),
    ("tonnes CO2e", "tonne CO2e"),
    ("hours of care", "hour of care"),
    ("days", "day"),
    ("people", "person"),
    ("buses", "bus"),
    ("kWh", "kWh"),
)


@pytest.mark.parametrize(("unit", "one"), UNITS)
def test_a_threshold_of_one_takes_the_singular_and_any_other_the_plural(
    unit: str, one: str
) -> None:
    assert numbers.threshold(1, "continuous", unit) == f"1 {one}"
    assert numbers.threshold(-1, "continuous", unit) == f"-1 {one}"
    assert numbers.threshold(0, "continuous", unit) == f"0 {unit}"
    assert numbers.threshold(2, "continuous", unit) == f"2 {unit}"
    assert numbers.threshold(1.5, "continuous", unit) == f"1.5 {unit}"
    assert numbers.threshold(1.0, "continuous", unit) == f"1 {one}"


@pytest.mark.parametrize(("unit", "one"), UNITS)
def test_an_effect_of_one_takes_the_singular_only_when_written_as_a_whole_one(
    unit: str, one: str
) -> None:
    assert numbers.effect(1, "continuous", unit, digits=0) == f"+1 {one}"
    assert numbers.effect(-1, "continuous", unit, digits=0) == f"-1 {one}"
    # "1.00 minutes": a number written with decimals reads as plural.
    assert numbers.effect(1, "continuous", unit) == f"+1.00 {unit}"
    assert numbers.effect(0, "continuous", unit, digits=0) == f"+0 {unit}"
    assert numbers.effect(2, "continuous", unit, digits=0) == f"+2 {unit}"
    assert numbers.effect(1.5, "continuous", unit, digits=1) == f"+1.5 {unit}"
    # The sentence's estimate is quoted as the engine's sentence writes it, so that the
    # table beside it never shows the same estimate two ways.
    assert numbers.result_effect(2, -20, 24, "continuous", unit) == f"+2 {unit}"
    assert numbers.result_effect(1.5, 1.4, 1.6, "continuous", unit) == f"+1.50 {unit}"


def test_points_agree_with_their_number() -> None:
    assert [numbers.threshold(v, "binary") for v in (0.01, 0, 0.02, 0.015)] == [
        "1 point",
        "0 points",
        "2 points",
        "1.5 points",
    ]
    assert numbers.effect(0.01, "binary", digits=0) == "+1 point"
    assert numbers.effect(0.01, "binary") == "+1.0 points"
    assert numbers.effect(-0.01, "binary", digits=0) == "-1 point"
    assert numbers.result_effect(0.02, -0.2, 0.24, "binary") == "+2 points"


def test_a_range_takes_the_plural_whatever_its_ends() -> None:
    assert numbers.effect_interval(-0.02, 0.01, "binary") == "95% CI -2.0 to +1.0 points"
    assert numbers.effect_interval(0, 1, "continuous", "minutes") == (
        "95% CI +0.00 to +1.00 minutes"
    )
    assert numbers.result_interval(-0.05, 0.01, "binary") == "95% CI -5.0 to 1.0 points"
    assert numbers.effect_interval(None, None, "continuous", "minutes") == (
        "95% CI no bound to no bound"
    )


def test_percentages_and_money_have_no_unit_to_agree() -> None:
    assert [numbers.threshold(v, "count") for v in (1, 0, 2, 1.5)] == ["1%", "0%", "2%", "1.5%"]
    assert [numbers.percent(v) for v in (0.01, 0, 0.02, 0.015)] == ["1%", "0%", "2%", "2%"]
    assert [numbers.money(v) for v in (1, 0, 2, 1.5)] == ["£1", "£0", "£2", "£2"]
    assert numbers.effect(1.01, "count") == "+1.0%"


def test_a_missing_threshold_is_said_not_dashed() -> None:
    assert numbers.threshold(None, "binary") == "not recorded"


def test_a_count_of_one_is_singular() -> None:
    assert numbers.plural(1, "row") == "1 row"
    assert numbers.plural(0, "row") == "0 rows"
    assert numbers.plural(2, "unit of exposure", "units of exposure") == "2 units of exposure"
