"""What each hypothesis could detect: the one design MDE and the one achieved MDE a report quotes.

Two figures, never more. The design MDE is what the registered design aimed to detect with 80%
power: the engine's own computation from the registered plan once there is a result
(``detail["design_mde"]``), else the figure registered with the plan. The achieved MDE is what
the pilot as run could detect, from the analysed data's standard error; it is the one behind
"a worthwhile effect would probably have shown".

Both are printed at the precision of the result's sentence (``testlearn.stats.sentence_numbers``:
two significant figures of the interval's half-width, one decimal of a per cent for a rate
ratio), so the report's figures read exactly as the sentence beside them does ("16 points",
not "15.84 points" in one place and "16 points" in another).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reports import numbers
from testlearn.domain.pilot_detail import HypothesisDetail
from testlearn.domain.views import AnalysisResultView

#: How the report names the two figures, in the sentence's own words.
DESIGN_LABEL = "design MDE (what the registered design aimed to detect with 80% power)"
ACHIEVED_LABEL = "achieved MDE (the smallest effect this analysis could detect)"
_MAX_DECIMALS = 6


@dataclass(frozen=True)
class Detectable:
    """The two MDEs of one hypothesis, in threshold units and as printed."""

    code: str
    design: float | None
    achieved: float | None
    design_text: str
    achieved_text: str

    def sentence(self) -> str:
        """ "Design MDE (...): 15 points; achieved MDE (...): 16 points"."""
        text = f"{DESIGN_LABEL}: {self.design_text}; {ACHIEVED_LABEL}: {self.achieved_text}"
        return text[:1].upper() + text[1:]


def detectable(h: HypothesisDetail) -> Detectable:
    """The design and achieved MDE of ``h`` as the report prints them everywhere."""
    hyp = h.plan
    result = h.current_result
    design = _finite(result.detail.get("design_mde")) if result is not None else None
    if design is None:
        design = _finite(hyp.design_mde)
    achieved = None
    if result is not None:
        achieved = _finite(result.mde_achieved)
        if achieved is None:
            achieved = _finite(result.detail.get("mde_achieved"))

    def shown(value: float | None, *, computed: bool) -> str:
        if value is None:
            return "not computable" if computed else "not registered"
        if result is None:
            return numbers.threshold(value, hyp.outcome_type, hyp.outcome_unit)
        return _at_sentence_precision(value, result, hyp.outcome_type, hyp.outcome_unit)

    return Detectable(
        code=hyp.code,
        design=design,
        achieved=achieved,
        design_text=shown(design, computed=result is not None),
        achieved_text=shown(achieved, computed=True) if result is not None else "no result yet",
    )


def _finite(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _at_sentence_precision(
    value: float, result: AnalysisResultView, outcome_type: str, unit: str
) -> str:
    """``value`` (threshold units) as the result's sentence prints an amount."""
    if outcome_type == numbers.COUNT:  # a rate ratio: the amount is a per cent of change
        return f"{_number(value, 1)}%"
    scale = 100.0 if outcome_type == numbers.BINARY else 1.0
    low, high = result.ci_low, result.ci_high
    places = 1
    if low is not None and high is not None and math.isfinite(high - low) and high > low:
        half = (high - low) / 2 * scale
        places = max(0, min(4, 1 - math.floor(math.log10(half))))
        if low > 0 or high < 0:
            # An interval clear of no effect gets the places its nearer end needs not to
            # print as zero; the sentence's amounts follow the same places.
            near = (low if abs(low) < abs(high) else high) * scale
            while places < _MAX_DECIMALS and float(f"{near:.{places}f}") == 0:
                places += 1
    number = _number(value * scale, places)
    return numbers.with_unit(number, "points" if outcome_type == numbers.BINARY else unit)


def _number(value: float, places: int) -> str:
    text = f"{value:,.{places}f}"
    return text.lstrip("-") if float(text.replace(",", "")) == 0 else text
