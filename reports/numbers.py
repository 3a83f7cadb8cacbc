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
        return with_unit(f"{value * 100:+.{places}f}", "points")
    if outcome_type == COUNT:
        places = 1 if digits is None else digits
        return f"{(value - 1) * 100:+.{places}f}%"
    places = decimals_for(value) if digits is None else digits
    return with_unit(f"{value:+.{places}f}", unit)


def effect_interval(
    low: float | None, high: float | None, outcome_type: str, unit: str = "", level: float = 0.95
) -> str:
    """An interval in outcome terms: '95% CI -2.4 to +3.6 points'."""
    digits = decimals_for(low, high) if outcome_type not in (BINARY, COUNT) else None
    left = effect(low, outcome_type, "", digits).removesuffix(" points").removesuffix(" point")
    right = effect(high, outcome_type, "", digits).removesuffix(" points").removesuffix(" point")
    # A range takes the plural whatever its ends: "-2 to +1 points".
    units = " points" if outcome_type == BINARY else f" {unit}" if unit else ""
    if right == "no bound":
        units = ""
    return f"{level * 100:.0f}% CI {left} to {right}{units}"


def result_effect(
    estimate: float | None,
    low: float | None,
    high: float | None,
    outcome_type: str,
    unit: str = "",
) -> str:
    """A stored result's estimate as its sentence gives it: '+13.4 points', '-2.5 minutes'.

    The sentence (``testlearn.stats.sentence``, which cannot import this package) shows as
    many decimals as the interval's width justifies; this follows the same rule, so a table
    beside the sentence never shows the same estimate two ways.
    """
    if estimate is None or not math.isfinite(estimate):
        return "-"
    if outcome_type == COUNT:  # a rate ratio, read as a per cent change
        change = (estimate - 1) * 100
        if change == 0:
            return "no change"
        return f"{'+' if change > 0 else '-'}{_sentence_number(abs(change), 1)}%"
    scale, short = _sentence_units(outcome_type, unit)
    shown = estimate * scale
    if shown == 0:
        return "no change"
    places = _sentence_decimals(low, high, scale)
    # As the sentence writes it, unit and all ("1 points" while the engine's sentence does).
    return f"{'+' if shown > 0 else '-'}{_sentence_number(abs(shown), places)}{short}"


def result_interval(
    low: float | None,
    high: float | None,
    outcome_type: str,
    unit: str = "",
    level: float = 0.95,
) -> str:
    """A stored result's interval exactly as its sentence writes it: '95% CI 5.2 to 21.6 points'.

    Counts give the interval of the rate ratio, as the sentence does: '95% CI 1.05 to 1.44'.
    """
    if low is None or high is None or math.isnan(low) or math.isnan(high):
        return "-"
    heading = f"{round(level * 100, 2):g}% CI"
    if outcome_type == COUNT:
        return f"{heading} {_sentence_number(low, 2)} to {_sentence_number(high, 2)}"
    scale, short = _sentence_units(outcome_type, unit)
    places = _sentence_decimals(low, high, scale)
    left, right = _sentence_number(low * scale, places), _sentence_number(high * scale, places)
    return f"{heading} {left} to {right}{short}"


def _sentence_units(outcome_type: str, unit: str) -> tuple[float, str]:
    if outcome_type == BINARY:
        return 100.0, " points"
    unit = unit.strip()
    return 1.0, f" {unit}" if unit else ""


def _sentence_decimals(low: float | None, high: float | None, scale: float) -> int:
    """One significant figure more than the interval's half width (0 to 4 places)."""
    if low is None or high is None:
        return 1
    half = (high - low) / 2 * scale
    if not (math.isfinite(half) and half > 0):
        return 1
    return max(0, min(4, 1 - math.floor(math.log10(half))))


def _sentence_number(value: float, places: int) -> str:
    if math.isinf(value):
        return "no limit"
    text = f"{value:,.{places}f}"
    if float(text.replace(",", "")) == 0:
        text = text.lstrip("-")  # no "-0.0"
    return text


def threshold(value: float | None, outcome_type: str, unit: str = "") -> str:
    """A benefit threshold or harm margin in outcome terms (no sign): '4.3 points', '10%'."""
    if value is None:
        return "not recorded"
    if outcome_type == BINARY:
        return with_unit(_trim(value * 100), "points")
    if outcome_type == COUNT:
        return f"{_trim(value)}%"
    return with_unit(_trim(value), unit)


def arm_value(value: float | None, outcome_type: str, unit: str = "") -> str:
    """An arm's level: a proportion as a percentage, a rate or mean as a number."""
    if value is None or not math.isfinite(value):
        return "-"
    if outcome_type == BINARY:
        return percent(value, 1)
    places = decimals_for(value)
    return with_unit(f"{value:,.{places}f}", unit if outcome_type != COUNT else "")


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


def with_unit(number: str, unit: str) -> str:
    """``number`` followed by ``unit``, singular when the number as written is one.

    "1 point", "1 minute", "-1 SCOP point", "1 journey per £1,000", but "1.0 points" and
    "1.5 minutes": only a whole one takes the singular, as a written number does.
    """
    unit = unit.strip()
    if not unit:
        return number
    if number.lstrip("+-") == "1":
        unit = singular(unit)
    return f"{number} {unit}"


def singular(unit: str) -> str:
    """A unit for a count of one: the last plural word before any "per" or "of" phrase made
    singular ("SCOP points" -> "SCOP point", "journeys per £1,000" -> "journey per £1,000",
    "tonnes CO2e" -> "tonne CO2e"); a unit with no plural word is left as it is ("kWh")."""
    words = unit.split(" ")
    head = next((i for i, w in enumerate(words) if w in _PHRASE_WORDS and i > 0), len(words))
    for i in range(head - 1, -1, -1):
        word = words[i]
        if word.isalpha() and word.islower() and len(word) > 2:
            if word in _IRREGULAR:
                words[i] = _IRREGULAR[word]
                break
            if word.endswith("ies") and len(word) > 4:
                words[i] = word[:-3] + "y"
                break
            if word.endswith(("ches", "shes", "sses", "xes")):
                words[i] = word[:-2]
                break
            if word.endswith("s") and not word.endswith(("ss", "us", "is")):
                words[i] = word[:-1]
                break
    return " ".join(words)


_PHRASE_WORDS = frozenset({"per", "of", "a", "an", "each", "for", "in"})
_IRREGULAR = {
    "people": "person",
    "children": "child",
    "men": "man",
    "women": "woman",
    "buses": "bus",
    "analyses": "analysis",
}


def _trim(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text or "0"
