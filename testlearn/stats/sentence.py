"""The plain-English reading of a result: one sentence a minister can repeat.

It gives the estimate with its unit and interval, then what the interval rules out against the
benefit threshold and the harm margin. Proportions are read in percentage points and rates as
per cent changes. Causal wording is capped by the evidence level: "led to" and "made things
worse" only for a success or a harm at Maryland level 3 or above; below that the sentence says
how the outcome compared ("was associated with", "the outcome was worse than the period before").
Against a fixed benchmark nothing changed over time, so the sentence says how far above or below
the benchmark the pilot was, never that the outcome rose or fell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from testlearn.domain.analysis import (
    Design,
    Grade,
    HypothesisSpec,
    InconclusiveCause,
    OutcomeType,
    Role,
    Verdict,
)
from testlearn.stats.fit import Fit
from testlearn.stats.multiplicity import Adjustment
from testlearn.stats.sentence_numbers import Units as _Units
from testlearn.stats.sentence_numbers import num as _num
from testlearn.stats.stepped_wedge import respects_run
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
    adjustment: Adjustment | None = None  # a confirmatory secondary's Holm decision
    unadjusted_verdict: Verdict | None = None  # what the unadjusted interval alone would say


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
    if design is Design.STEPPED_WEDGE:
        return f"{among} compared with {spec.comparator_label}, allowing for calendar time"
    if design is Design.BENCHMARK:
        value = spec.benchmark_value if spec.benchmark_value is not None else float("nan")
        if spec.outcome_type is OutcomeType.BINARY:
            return f" compared with the benchmark of {value * 100:,.4g}%"
        return f" compared with the benchmark of {value:,.4g}"
    return f" compared with {spec.comparator_label} in the same units"


def causal(spec: HypothesisSpec) -> bool:
    """Whether the design supports causal words: Maryland SMS 3 or above, analysed as the pilot
    was run (a stepped wedge analysed without calendar adjustment claims nothing)."""
    return spec.evidence_level is not None and spec.evidence_level >= 3 and respects_run(spec)


def _against(spec: HypothesisSpec) -> str:
    """What the outcome is worse than, for a harm the design cannot call caused."""
    design = spec.design
    if design is Design.BEFORE_AFTER:
        return "than in the period before"
    if design is Design.ITS:
        return "than the earlier trend predicts"
    if design is Design.BENCHMARK:
        return "than the benchmark"
    return "than in the comparison group"


def _benchmark_finding(spec: HypothesisSpec, fit: Fit, units: _Units, interval: str) -> str:
    """A distance from a fixed value, not a change: "The pilot was 38.0% below the benchmark
    of 1,000 in installs"."""
    among = "" if spec.pilot_label.lower() == "the pilot" else f" for {spec.pilot_label}"
    value = spec.benchmark_value if spec.benchmark_value is not None else float("nan")
    benchmark = (
        f"{value * 100:,.4g}%" if spec.outcome_type is OutcomeType.BINARY else f"{value:,.4g}"
    )
    if fit.ratio:
        shown, unit = (fit.estimate - 1) * 100, "%"
    else:
        shown, unit = fit.estimate * units.scale, units.long
    if shown == 0 or _num(abs(shown), units.decimals) == _num(0.0, units.decimals):
        where = f"level with the benchmark of {benchmark}"
    else:
        side = "above" if shown > 0 else "below"
        where = f"{_num(abs(shown), units.decimals)}{unit} {side} the benchmark of {benchmark}"
    return f"The pilot was {where} in {spec.outcome_name}{among} ({interval})"


def _finding(spec: HypothesisSpec, fit: Fit, reading: Reading, units: _Units) -> str:
    led = reading.verdict in (Verdict.SUCCESS, Verdict.HARM) and causal(spec)
    verb = "led to" if led else "was associated with"
    level = round((1 - spec.alpha) * 100, 2)
    level_text = f"{level:g}% CI"
    if fit.ratio and math.isinf(fit.estimate):
        # No events on the other side: the ratio has no finite value, and no number is given.
        amount = "an increase"
        interval = (
            f"rate ratio not finite, as {_other_side(spec)} had no events; {level_text} "
            f"{units.ratio_bound(fit.ci_low, False)} to {units.ratio_bound(fit.ci_high, True)}"
        )
    elif fit.ratio:
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
            f"rate ratio {_num(fit.estimate, units.ratio_decimals)}, {level_text} "
            f"{units.ratio_bound(fit.ci_low, False)} to {units.ratio_bound(fit.ci_high, True)}"
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
    if reading.adjustment is not None and reading.adjustment.family > 1:
        interval = f"{interval}; the interval is not adjusted for multiplicity"
    if reading.caveat:
        interval = f"{interval}; {reading.caveat}"
    if spec.design is Design.BENCHMARK and not (fit.ratio and math.isinf(fit.estimate)):
        return _benchmark_finding(spec, fit, units, interval)
    adjusted = (
        f", adjusted for the baseline {spec.baseline_covariate}" if spec.baseline_covariate else ""
    )
    return (
        f"The pilot {verb} {amount} in {spec.outcome_name}{_comparison(spec)}{adjusted} "
        f"({interval})"
    )


def _other_side(spec: HypothesisSpec) -> str:
    if spec.design is Design.BEFORE_AFTER:
        return "the period before"
    return spec.comparator_label


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
        # "it made things worse" only where the design supports a cause (SMS 3 and above).
        worse = (
            "it made things worse" if causal(spec) else f"the outcome was worse {_against(spec)}"
        )
        if grade is Grade.MEANINGFUL:
            return f"{worse}, by more than the harm margin of {harm}"
        if grade is Grade.SIZE_UNCERTAIN:
            worst = (
                f"{units.a_bad} with no upper limit"
                if math.isinf(o.low)
                else f"{units.a_bad} of up to {units.size(o.low)}"
            )
            return f"{worse}, possibly by more than the harm margin of {harm} ({worst})"
        return f"{worse}, though by less than the harm margin of {harm}"
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
    what = (
        f"{units.a_bad} beyond the harm margin of {harm} is not ruled out"
        if reading.unadjusted_verdict is not None  # the unadjusted interval excludes zero
        else f"the interval includes both no effect and {units.a_bad} beyond the harm margin "
        f"of {harm}"
    )
    return (
        f"the result is inconclusive: {what}; the smallest effect this analysis could "
        f"detect was {mde} "
        f"against the benefit threshold of {benefit}, because {_cause_text(reading, units)}"
    )


def _held_back(reading: Reading, units: _Units) -> str:
    """Why a secondary whose unadjusted interval excludes no effect is not a success or harm."""
    adjustment = reading.adjustment
    if reading.unadjusted_verdict is None or adjustment is None:
        return ""
    what = units.good if reading.unadjusted_verdict is Verdict.SUCCESS else "worsening"
    return (
        f"after Holm adjustment across {adjustment.family} secondary hypotheses "
        f"(adjusted p = {adjustment.p_adjusted:.3g}) no effect is not ruled out, so the "
        f"{what} the unadjusted interval suggests is not claimed: "
    )


def _exploratory(spec: HypothesisSpec, text: str) -> str:
    if spec.role is not Role.EXPLORATORY:
        return text
    return (
        "Exploratory result (not confirmatory, not adjusted for multiplicity): "
        f"{text[0].lower()}{text[1:]}"
    )


def sentence(spec: HypothesisSpec, fit: Fit, reading: Reading) -> str:
    """The one-sentence reading of an evaluable result."""
    units = _Units(spec, fit)
    clause = _held_back(reading, units) + _clause(spec, reading, units)
    return _exploratory(spec, f"{_finding(spec, fit, reading, units)}; {clause}.")


def not_evaluable_sentence(reason: str, spec: HypothesisSpec | None = None) -> str:
    """The reading of a result that has no verdict."""
    text = f"This result cannot be evaluated: {reason}."
    return text if spec is None else _exploratory(spec, text)
