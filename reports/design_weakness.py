"""The standing weakness of each evaluation design: what it cannot show however well it is run.

One source for both reports: the full report's "Interpretation and limitations" gives the
whole sentence, and the brief's risks the short one, so that a brief on a matched comparison
never leaves out what the full report says of matching (unobserved confounding).
"""

from __future__ import annotations

from testlearn.domain.pilot_detail import PilotDetail
from testlearn.domain.vocabulary import EvaluationDesign

#: What each design kind cannot show however well it is run (its standing weakness).
DESIGN_WEAKNESS: dict[str, str] = {
    EvaluationDesign.PROPENSITY_SCORE_MATCHING.value: (
        "Matching balances only what was recorded: the result does not rule out that "
        "unobserved differences between the groups (why some were chosen for the pilot) "
        "explain some or all of the difference."
    ),
    EvaluationDesign.STEPPED_WEDGE.value: (
        "In a stepped wedge the later sites switch on later: unless the analysis allows for "
        "calendar time, a general trend over the roll-out (a secular trend) would read as an "
        "effect of the pilot, so the result does not show how much of the change would have "
        "happened anyway."
    ),
    EvaluationDesign.DIFFERENCE_IN_DIFFERENCES.value: (
        "Difference-in-differences assumes the two groups would have moved in parallel "
        "without the pilot: the result does not show that they would have, and if their "
        "trends differed the estimate is biased."
    ),
    EvaluationDesign.BEFORE_AFTER.value: (
        "There is no comparison group: the result does not show what would have happened "
        "without the pilot, and other changes over the same period could explain the change."
    ),
    EvaluationDesign.HISTORICAL_COMPARISON.value: (
        "The comparison is with an earlier period: the result does not separate the pilot from "
        "other changes over time between the two periods."
    ),
    EvaluationDesign.INTERRUPTED_TIME_SERIES.value: (
        "An interrupted time series does not separate the pilot from anything else that "
        "changed at the same time (a concurrent event)."
    ),
    EvaluationDesign.SYNTHETIC_CONTROL.value: (
        "The synthetic comparison is built from the period before: the result does not show "
        "that it would have kept tracking the pilot sites without the pilot."
    ),
    EvaluationDesign.REGRESSION_DISCONTINUITY.value: (
        "A regression discontinuity holds near the cut-off: the result does not show the "
        "effect for those far from it."
    ),
    EvaluationDesign.THEORY_BASED.value: (
        "A theory-based evaluation gives no estimate against a comparison: it does not show "
        "how large any effect was."
    ),
}

#: The same weakness in one sentence, for the brief's risks (a minister's reading).
SHORT: dict[str, str] = {
    EvaluationDesign.PROPENSITY_SCORE_MATCHING.value: (
        "Matching balances only what was recorded, so differences between the groups that "
        "were not recorded may explain some or all of the result."
    ),
    EvaluationDesign.STEPPED_WEDGE.value: (
        "Sites switched on one after another, so a general trend over the roll-out could "
        "read as an effect of the pilot."
    ),
    EvaluationDesign.DIFFERENCE_IN_DIFFERENCES.value: (
        "The comparison assumes both groups would have moved in parallel without the pilot, "
        "which the data cannot show."
    ),
    EvaluationDesign.BEFORE_AFTER.value: (
        "There is no comparison group, so other changes over the same period could explain "
        "the result."
    ),
    EvaluationDesign.HISTORICAL_COMPARISON.value: (
        "The comparison is with an earlier period, so other changes over time could explain "
        "the result."
    ),
    EvaluationDesign.INTERRUPTED_TIME_SERIES.value: (
        "Anything else that changed at the same time as the pilot could explain the result."
    ),
    EvaluationDesign.SYNTHETIC_CONTROL.value: (
        "The synthetic comparison may not have kept tracking the pilot sites without the pilot."
    ),
    EvaluationDesign.REGRESSION_DISCONTINUITY.value: (
        "The result holds near the cut-off, not for those far from it."
    ),
    EvaluationDesign.THEORY_BASED.value: (
        "A theory-based evaluation does not show how large any effect was."
    ),
}


#: A stepped wedge whose primary is analysed as one (period and cluster adjusted): the trend
#: is allowed for, so what is left is the model's assumption of one trend and one effect.
ADJUSTED_STEPPED_WEDGE = (
    "The analysis allows for calendar time with period effects shared by every site: a "
    "secular trend that differed between sites, or an effect that grew or faded with time "
    "since switch-on, would still bias the estimate.",
    "The analysis allows for a trend shared by every site, not for one that differed between them.",
)

#: The evaluation design a registered comparison amounts to, where the pilot records none.
_BY_COMPARISON = {
    "before-after": EvaluationDesign.BEFORE_AFTER.value,
    "its": EvaluationDesign.INTERRUPTED_TIME_SERIES.value,
}


def principal_weakness(detail: PilotDetail, *, short: bool = False) -> str | None:
    """The pilot's design's standing weakness (None for a design without one, such as a
    randomised trial); ``short`` for the brief's one sentence. With no evaluation design
    recorded, a primary hypothesis registered as before/after or a time series has that
    design's weakness."""
    table = SHORT if short else DESIGN_WEAKNESS
    design = detail.pilot.evaluation_design
    if not design:
        primary = [h for h in detail.hypotheses if h.hypothesis.role == "primary"]
        design = _BY_COMPARISON.get(primary[0].plan.design, "") if primary else ""
    if design == EvaluationDesign.STEPPED_WEDGE.value and any(
        h.hypothesis.role == "primary" and h.plan.design == "stepped-wedge"
        for h in detail.hypotheses
    ):
        return ADJUSTED_STEPPED_WEDGE[1 if short else 0]
    return table.get(design or "")
