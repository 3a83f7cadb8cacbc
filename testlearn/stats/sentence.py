"""The plain-English reading of a result: one sentence a minister can repeat.

It gives the estimate with its unit and interval, then what the interval rules out against the
benefit threshold and the harm margin. Proportions are read in percentage points and rates as
per cent changes. Causal wording is capped by the evidence level: "led to" only for a success or
a harm at Maryland level 3 or above; otherwise "was associated with".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from testlearn.domain.analysis import (
    Design,
    Direction,
    Grade,
    HypothesisSpec,
    InconclusiveCause,
    OutcomeType,
    Verdict,
)
from testlearn.stats.fit import Fit
from testlearn.stats.verdict import Oriented


@dataclass(frozen=True)
class Reading:
    """What the sentence needs besides the spec and the fit."""

    oriented: Oriented
    verdict: Verdict
    grade: Grade | None
    mde_achieved: float | None
    design_mde: float | None
    cause: InconclusiveCause | None
    shortfall: str  # "412 of 500 planned units", or ""
    caveat: str = ""  # said inside the brackets after the interval


def _decimals(half_width: float) -> int:
    if not (math.isfinite(half_width) and half_width > 0):
        return 1
    return max(0, min(4, 1 - math.floor(math.log10(half_width))))


def _num(value: float, decimals: int) -> str:
    if math.isinf(value):
        return "no limit"
    text = f"{value:,.{decimals}f}"
    if float(text.replace(",", "")) == 0:
        text = text.lstrip("-")  # no "-0.0"
    return text


class _Units:
    """Display scale and unit words for one spec."""

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
        half = (fit.ci_high - fit.ci_low) / 2 * self.scale
        self.decimals = 1 if self.ratio else _decimals(half)
        self.ratio_decimals = 2

    def unit(self, number: str) -> str:
        """The short unit after ``number``: "1 point" but "2 points"."""
        if self.binary and number.lstrip("-") == "1":
            return " point"
        return self.short

    def size(self, oriented_value: float) -> str:
        """An oriented effect size, as a positive amount with its unit."""
        if self.ratio:
            sign = 1.0 if self.spec.direction is Direction.INCREASE else -1.0
            ratio = math.exp(sign * oriented_value)
            return f"{_num(abs(ratio - 1) * 100, self.decimals)}%"
        number = _num(abs(oriented_value) * self.scale, self.decimals)
        return f"{number}{self.unit(number)}"

    def threshold(self, value: float) -> str:
        """A threshold as registered (per cent for ratios, points for proportions)."""
        shown = value if self.ratio else value * self.scale
        text = f"{shown:,.4g}"
        return f"{text}%" if self.ratio else f"{text}{self.unit(text)}"

    def amount(self, value: float) -> str:
        """A computed effect size in threshold units, at the sentence's precision."""
        if self.ratio:
            return f"{_num(value, 1)}%"
        number = _num(value * self.scale, self.decimals)
        return f"{number}{self.unit(number)}"

    def gain(self, value: float) -> str:
        """'the 4.3-point gain' / 'the 10% reduction' / 'the gain of 2 minutes'."""
        shown = value if self.ratio else value * self.scale
        if self.ratio:
            return f"the {shown:,.4g}% {self.good}"
        if self.binary:
            return f"the {shown:,.4g}-point {self.good}"
        return f"the {self.good} of {self.threshold(value)}"


def _comparison(spec: HypothesisSpec) -> str:
    design = spec.design
    among = "" if spec.pilot_label.lower() == "the pilot" else f" for {spec.pilot_label}"
    if design is Design.TWO_GROUP:
        return f"{among} compared with {spec.comparator_label}"
    if design is Design.DID:
        return f"{among}, over and above the change in {spec.comparator_label}"
    if design is Design.BEFORE_AFTER:
        return f"{among} compared with the period before"
    if design is Design.ITS:
        return " at the interruption, beyond the earlier trend"
    if design is Design.BENCHMARK:
        value = spec.benchmark_value if spec.benchmark_value is not None else float("nan")
        if spec.outcome_type is OutcomeType.BINARY:
            return f" compared with the benchmark of {value * 100:,.4g}%"
        return f" compared with the benchmark of {value:,.4g}"
    return f" compared with {spec.comparator_label} in the same units"


def _finding(spec: HypothesisSpec, fit: Fit, reading: Reading, units: _Units) -> str:
    causal = (
        reading.verdict in (Verdict.SUCCESS, Verdict.HARM)
        and spec.evidence_level is not None
        and spec.evidence_level >= 3
    )
    verb = "led to" if causal else "was associated with"
    level = round((1 - spec.alpha) * 100, 2)
    level_text = f"{level:g}% CI"
    if fit.ratio:
        change = (fit.estimate - 1) * 100
        amount = (
            "no change"
            if change == 0
            else (
                f"{'an increase' if change > 0 else 'a reduction'} of "
                f"{_num(abs(change), units.decimals)}%"
            )
        )
        interval = (
            f"rate ratio {_num(fit.estimate, 2)}, {level_text} {_num(fit.ci_low, 2)} to "
            f"{_num(fit.ci_high, 2)}"
        )
    else:
        shown = fit.estimate * units.scale
        amount = (
            "no change"
            if shown == 0
            else (
                f"{'an increase' if shown > 0 else 'a reduction'} of "
                f"{_num(abs(shown), units.decimals)}{units.long}"
            )
        )
        interval = (
            f"{level_text} {_num(fit.ci_low * units.scale, units.decimals)} to "
            f"{_num(fit.ci_high * units.scale, units.decimals)}{units.short}"
        )
    if reading.caveat:
        interval = f"{interval}; {reading.caveat}"
    return f"The pilot {verb} {amount} in {spec.outcome_name}{_comparison(spec)} ({interval})"


def _cause_text(reading: Reading, units: _Units) -> str:
    cause = reading.cause
    if cause is InconclusiveCause.BY_DESIGN:
        assert reading.design_mde is not None
        return (
            f"the pilot was too small by design (its registered MDE was "
            f"{units.amount(reading.design_mde)})"
        )
    if cause is InconclusiveCause.BY_SHORTFALL:
        return f"the pilot fell short of its planned size ({reading.shortfall})"
    if cause is InconclusiveCause.BY_DESIGN_AND_SHORTFALL:
        return (
            "the pilot was too small by design and also fell short of its planned size "
            f"({reading.shortfall})"
        )
    if cause is InconclusiveCause.NOISIER_THAN_PLANNED:
        return "the data were noisier than the plan assumed"
    return "no design MDE or planned size was registered to say why"


def _clause(spec: HypothesisSpec, reading: Reading, units: _Units) -> str:
    o = reading.oriented
    benefit = units.threshold(spec.benefit_threshold)
    harm = units.threshold(spec.effective_harm_margin)
    verdict, grade = reading.verdict, reading.grade
    if verdict is Verdict.SUCCESS:
        if grade is Grade.MEANINGFUL:
            return (
                f"the interval rules out a {units.good} smaller than the benefit threshold of "
                f"{benefit}"
            )
        if grade is Grade.SIZE_UNCERTAIN:
            return (
                f"a {units.good} is shown, but it may be smaller than the benefit threshold of "
                f"{benefit} "
                f"(it could be as small as {units.size(o.low)})"
            )
        return f"a {units.good} is shown, but it is smaller than the benefit threshold of {benefit}"
    if verdict is Verdict.HARM:
        if grade is Grade.MEANINGFUL:
            return f"it made things worse, by more than the harm margin of {harm}"
        if grade is Grade.SIZE_UNCERTAIN:
            return (
                f"it made things worse, possibly by more than the harm margin of {harm} ("
                f"{units.a_bad} of up to {units.size(o.low)})"
            )
        return f"it made things worse, though by less than the harm margin of {harm}"
    if verdict is Verdict.NO_MEANINGFUL_EFFECT:
        designed = reading.design_mde is not None and reading.design_mde <= (
            spec.benefit_threshold * 1.05
        )
        target = (
            f"{units.gain(spec.benefit_threshold)} it was designed to detect"
            if designed
            else f"the benefit threshold of {benefit}"
        )
        return (
            f"the pilot rules out a {units.good} larger than {units.size(o.high)}, below "
            f"{target}, and {units.a_bad} larger than {units.size(o.low)}"
        )
    if verdict is Verdict.NON_INFERIOR:
        return (
            f"{units.a_bad} larger than the harm margin of {harm} is ruled out, but a "
            f"worthwhile {units.good} is not shown"
        )
    mde = "not computable" if reading.mde_achieved is None else units.amount(reading.mde_achieved)
    return (
        f"the result is inconclusive: the interval includes both no effect and "
        f"{units.a_bad} beyond "
        f"the harm margin of {harm}; the smallest effect this analysis could detect was {mde} "
        f"against the benefit threshold of {benefit}, because {_cause_text(reading, units)}"
    )


def sentence(spec: HypothesisSpec, fit: Fit, reading: Reading) -> str:
    """The one-sentence reading of an evaluable result."""
    units = _Units(spec, fit)
    return f"{_finding(spec, fit, reading, units)}; {_clause(spec, reading, units)}."


def not_evaluable_sentence(reason: str) -> str:
    """The reading of a result that has no verdict."""
    return f"This result cannot be evaluated: {reason}."
