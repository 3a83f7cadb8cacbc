"""How the sentence shows numbers: the unit words, and enough decimals to be honest.

Decimal places follow the interval's precision, except where that would mislead: an interval
that excludes no effect must never print a bound that reads as no effect ("-3.0 to 0.0" for an
upper bound of -0.037, a rate ratio of "1.00" for 1.003), so such a bound gets the decimals it
needs. An unbounded end of a ratio's interval is said in words ("no upper limit").
"""

from __future__ import annotations

import math

from testlearn.domain.analysis import Design, Direction, HypothesisSpec, OutcomeType
from testlearn.stats.fit import Fit

MAX_DECIMALS = 6  # beyond this a bound is as good as touching no effect: say it as it is


def decimals_for(half_width: float) -> int:
    """Two significant figures of the interval's half-width, 0 to 4 decimals."""
    if not (math.isfinite(half_width) and half_width > 0):
        return 1
    return max(0, min(4, 1 - math.floor(math.log10(half_width))))


def num(value: float, decimals: int) -> str:
    """A number at ``decimals`` places; "no limit" for an infinity; never "-0.0"."""
    if math.isinf(value):
        return "no limit"
    text = f"{value:,.{decimals}f}"
    if float(text.replace(",", "")) == 0:
        text = text.lstrip("-")
    return text


def clear_of(value: float, reference: float, decimals: int) -> int:
    """The decimals at which ``value`` no longer prints as ``reference`` (from ``decimals``)."""
    if not math.isfinite(value) or value == reference:
        return decimals
    while decimals < MAX_DECIMALS and float(f"{value:.{decimals}f}") == reference:
        decimals += 1
    return decimals


def excludes_no_effect(fit: Fit) -> bool:
    """Whether the interval lies wholly on one side of no effect (0, or 1 for a ratio)."""
    null = 1.0 if fit.ratio else 0.0
    return fit.ci_low > null or fit.ci_high < null


class Units:
    """Display scale and unit words for one spec and fit."""

    def __init__(self, spec: HypothesisSpec, fit: Fit) -> None:
        self.spec = spec
        self.ratio = fit.ratio
        self.binary = spec.outcome_type is OutcomeType.BINARY
        self.scale = 100.0 if self.binary else 1.0
        if self.ratio:
            self.long = self.short = "%"
        elif self.binary:
            self.long, self.short = " percentage points", " points"
        else:
            unit = spec.outcome_unit.strip()
            self.long = self.short = f" {unit}" if unit else ""
        increase = spec.direction is Direction.INCREASE
        # What a benefit and a loss are called: a gain in a share, a reduction in waiting time.
        self.good, self.a_bad = ("gain", "a loss") if increase else ("reduction", "an increase")
        if spec.design is Design.BENCHMARK:
            # Against a fixed value nothing rose or fell: the pilot is above or below it.
            self.good, self.a_bad = (
                ("margin above the benchmark", "a shortfall below the benchmark")
                if increase
                else ("margin below the benchmark", "a margin above the benchmark")
            )
        half = (fit.ci_high - fit.ci_low) / 2 * self.scale
        self.decimals = 1 if self.ratio else decimals_for(half)
        self.ratio_decimals = 2
        if excludes_no_effect(fit):
            near = (
                fit.ci_low
                if abs(fit.ci_low - (1.0 if self.ratio else 0.0))
                < abs(fit.ci_high - (1.0 if self.ratio else 0.0))
                else fit.ci_high
            )
            if self.ratio:
                self.ratio_decimals = clear_of(near, 1.0, 2)
                self.decimals = clear_of((near - 1) * 100, 0.0, self.decimals)
            else:
                self.decimals = clear_of(near * self.scale, 0.0, self.decimals)

    def unit(self, number: str) -> str:
        """The short unit after ``number``: "1 point" but "2 points"."""
        if self.binary and number.lstrip("-") == "1":
            return " point"
        return self.short

    def size(self, oriented_value: float) -> str:
        """An oriented effect size, as a positive amount with its unit ("" when unbounded)."""
        if self.ratio:
            sign = 1.0 if self.spec.direction is Direction.INCREASE else -1.0
            ratio = math.exp(sign * oriented_value)
            return f"{num(abs(ratio - 1) * 100, self.decimals)}%"
        number = num(abs(oriented_value) * self.scale, self.decimals)
        return f"{number}{self.unit(number)}"

    def ratio_bound(self, value: float, upper: bool) -> str:
        """One end of a ratio's interval: "no upper limit" when it has none."""
        if math.isinf(value):
            return "no upper limit" if upper else "no lower limit"
        return num(value, self.ratio_decimals)

    def threshold(self, value: float) -> str:
        """A threshold as registered (per cent for ratios, points for proportions)."""
        shown = value if self.ratio else value * self.scale
        text = f"{shown:,.4g}"
        return f"{text}%" if self.ratio else f"{text}{self.unit(text)}"

    def amount(self, value: float) -> str:
        """A computed effect size in threshold units, at the sentence's precision."""
        if self.ratio:
            return f"{num(value, 1)}%"
        number = num(value * self.scale, self.decimals)
        return f"{number}{self.unit(number)}"

    def gain(self, value: float) -> str:
        """'the 4.3-point gain' / 'the 10% reduction' / 'the gain of 2 minutes'."""
        shown = value if self.ratio else value * self.scale
        if self.ratio:
            return f"the {shown:,.4g}% {self.good}"
        if self.binary:
            return f"the {shown:,.4g}-point {self.good}"
        return f"the {self.good} of {self.threshold(value)}"
