"""The one formatter for numbers in reports, charts and the window.

Money reads the way a private office writes it (£2.4m, £412k, £950), effects read in the
outcome's own terms (percentage points for proportions, per cent for counts, the unit for
means), and every interval is written "95% CI a to b". The window uses these functions too,
so the screen and the paper never show the same figure two ways.

Effects follow the analysis engine's conventions (``testlearn.domain.analysis``): proportions
are fractions (0.043 is 4.3 points), counts are ratios (0.62 is a fall of 38%), and thresholds
for counts are percentages of change.
"""

from __future__ import annotations

import datetime as dt
import math

BINARY = "binary"
COUNT = "count"


def money(value: float | None, *, unknown: str = "not recorded") -> str:
    """Pounds as a brief writes them: £2.4m, £412k, £950; ``unknown`` when missing."""
    if value is None or not math.isfinite(value):
        return unknown
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 1_000_000_000:
        return f"{sign}£{value / 1_000_000_000:,.1f}bn".replace(".0bn", "bn")
    if value >= 1_000_000:
        text = f"{value / 1_000_000:,.2f}".rstrip("0").rstrip(".")
        # One decimal is enough above £10m; two would suggest a precision nobody has.
        if value >= 10_000_000:
            text = f"{value / 1_000_000:,.1f}".removesuffix(".0")
        return f"{sign}£{text}m"
    if value >= 1_000:
        return f"{sign}£{value / 1_000:,.0f}k"
    return f"{sign}£{value:,.0f}"


def count(value: float | None) -> str:
    """A whole number with thousands separators (12,345); a dash when missing."""
    if value is None or not math.isfinite(value):
        return "-"
    return f"{round(value):,}"


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 pilot', '3 pilots' (``words`` for irregular plurals)."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def percent(value: float | None, digits: int = 0) -> str:
    """A fraction as a percentage: 0.634 -> '63%' (or '63.4%' with one digit)."""
    if value is None or not math.isfinite(value):
        return "-"
    return f"{value * 100:.{digits}f}%"


def decimals_for(*values: float | None) -> int:
    """Decimal places that show the spread of ``values`` without false precision."""
    finite = [abs(v) for v in values if v is not None and math.isfinite(v)]
    spread = max(finite) if finite else 0.0
    if spread == 0 or spread >= 100:
        return 0
    if spread >= 10:
        return 1
    if spread >= 1:
        return 2
    return 3


def effect(
    value: float | None, outcome_type: str, unit: str = "", digits: int | None = None
) -> str:
    """One effect in its outcome's terms.

    Args:
        value: the engine's estimate (a fraction for proportions, a ratio for counts).
        outcome_type: "binary", "count" or "continuous".
        unit: unit of a continuous outcome ("minutes").
        digits: decimal places; chosen from the value when None.
    """
    if value is None or not math.isfinite(value):
        return "no bound"
    if outcome_type == BINARY:
        places = 1 if digits is None else digits
        return f"{value * 100:+.{places}f} points"
    if outcome_type == COUNT:
        places = 1 if digits is None else digits
        return f"{(value - 1) * 100:+.{places}f}%"
    places = decimals_for(value) if digits is None else digits
    return f"{value:+.{places}f}" + (f" {unit}" if unit else "")


def effect_interval(
    low: float | None, high: float | None, outcome_type: str, unit: str = "", level: float = 0.95
) -> str:
    """An interval in outcome terms: '95% CI -2.4 to +3.6 points'."""
    digits = decimals_for(low, high) if outcome_type not in (BINARY, COUNT) else None
    left = effect(low, outcome_type, "", digits).removesuffix(" points")
    right = effect(high, outcome_type, unit, digits)
    return f"{level * 100:.0f}% CI {left} to {right}"


def threshold(value: float | None, outcome_type: str, unit: str = "") -> str:
    """A benefit threshold or harm margin in outcome terms (no sign): '4.3 points', '10%'."""
    if value is None:
        return "-"
    if outcome_type == BINARY:
        return f"{_trim(value * 100)} points"
    if outcome_type == COUNT:
        return f"{_trim(value)}%"
    return _trim(value) + (f" {unit}" if unit else "")


def arm_value(value: float | None, outcome_type: str, unit: str = "") -> str:
    """An arm's level: a proportion as a percentage, a rate or mean as a number."""
    if value is None or not math.isfinite(value):
        return "-"
    if outcome_type == BINARY:
        return percent(value, 1)
    places = decimals_for(value)
    return f"{value:,.{places}f}" + (f" {unit}" if unit and outcome_type != COUNT else "")


def p_value(value: float | None) -> str:
    """A p-value as journals print it: 'p = 0.042', 'p < 0.001'."""
    if value is None or not math.isfinite(value):
        return "-"
    if value < 0.001:
        return "p < 0.001"
    return f"p = {value:.3f}"


def ratio_text(part: float, whole: float) -> str:
    """What share ``part`` is of ``whole``, for a sentence: '4%' or 'less than 1%'."""
    if whole <= 0:
        return "-"
    share = part / whole * 100
    if share < 1:
        return "less than 1%"
    return f"{share:.0f}%"


def long_date(value: dt.date | dt.datetime | None) -> str:
    """A date as GOV.UK writes it: '19 May 2025'."""
    if value is None:
        return "not recorded"
    return f"{value.day} {value:%B %Y}"


def timestamp(value: dt.datetime) -> str:
    """A moment in UTC, to the minute: '19 May 2025 10:00 UTC'."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return f"{long_date(value)} {value:%H:%M} UTC"


def financial_year(day: dt.date) -> str:
    """The UK government financial year (April to March) a day falls in: '2026-27'."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def next_financial_years(day: dt.date, ahead: int) -> list[str]:
    """The financial year of ``day`` and the ``ahead`` years after it."""
    start = day.year if day.month >= 4 else day.year - 1
    return [f"{y}-{(y + 1) % 100:02d}" for y in range(start, start + ahead + 1)]


def _trim(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text or "0"
