"""Figures a report derives from a pilot: cost, cost avoided, cost per additional outcome.

These are arithmetic on stored values, never new statistics: the additional outcomes are the
engine's estimate (and its interval) applied to the number of people or cases the pilot
reached, and the cost per additional outcome is the pilot's cost divided by that number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from reports import numbers
from testlearn.domain.pilot_detail import HypothesisDetail, PilotDetail
from testlearn.domain.portfolio import latest_decision, pilot_cost

__all__ = ["CostPerOutcome", "cost_avoided", "cost_per_outcome", "latest_decision", "pilot_cost"]


@dataclass(frozen=True)
class CostPerOutcome:
    """Additional outcomes a pilot achieved and what each cost.

    Attributes:
        code: the hypothesis.
        outcome: what was counted.
        more: True when the benefit is more of the outcome, False when it is fewer.
        additional: the estimated number of additional (or avoided) outcomes.
        low: the lower end of the interval of that number.
        high: the upper end (None: no upper bound).
        cost_each: the pilot's cost divided by ``additional``.
    """

    code: str
    outcome: str
    more: bool
    additional: float
    low: float | None
    high: float | None
    cost_each: float

    def sentence(self) -> str:
        side = "more" if self.more else "fewer"
        span = (
            f" (between {numbers.count(self.low)} and {numbers.count(self.high)})"
            if self.low is not None and self.high is not None
            else ""
        )
        what = "additional one" if self.more else "one avoided"
        return (
            f"{_cap(self.outcome)}: about {numbers.count(self.additional)} {side} than without "
            f"the pilot{span}, at a cost of about {numbers.money(self.cost_each)} for each "
            f"{what} (the pilot's full cost divided by the number of "
            f"{'additional outcomes' if self.more else 'outcomes avoided'})."
        )


def cost_per_outcome(detail: PilotDetail, hypothesis: HypothesisDetail) -> CostPerOutcome | str:
    """The cost per additional outcome of a hypothesis, or why it cannot be given."""
    result = hypothesis.current_result
    hyp = hypothesis.plan
    cost = pilot_cost(detail)
    if result is None:
        return "there is no current result"
    if result.verdict != "success":
        return "the pilot did not show a gain to put a price on"
    if cost is None:
        return "the pilot's cost is not recorded"
    if hyp.outcome_type == "continuous":
        return "the outcome is an average, not a count of outcomes"
    more = hyp.direction == "increase"
    values = [result.estimate, result.ci_low, result.ci_high]
    if hyp.outcome_type == "binary":
        n = result.detail.get("n_pilot")
        if not n or result.estimate is None:
            return "the number of cases in the pilot is not known"
        sign = 1 if more else -1
        counts = [None if v is None else sign * v * float(n) for v in values]
    else:
        after = _pilot_events(result.detail)
        if after is None:
            return "the pilot's events are not known"
        counts = [None if v is None or v <= 0 else _count_change(after, v, more) for v in values]
    additional = counts[0]
    if additional is None or additional <= 0:
        return "the estimated change is not a gain"
    bounds = sorted(c for c in counts[1:] if c is not None)
    low, high = (bounds[0], bounds[-1]) if len(bounds) == 2 else (None, None)
    return CostPerOutcome(
        hyp.code, hyp.outcome_name or "outcomes", more, additional, low, high, cost / additional
    )


def _pilot_events(detail: dict[str, Any]) -> float | None:
    arms = [a for a in detail.get("arms", []) if a.get("arm") == "pilot"]
    after = [a for a in arms if a.get("period") in ("after", None)]
    if not after or after[0].get("events") is None:
        return None
    return float(after[0]["events"])


def _count_change(events: float, ratio: float, more: bool) -> float:
    """Events the pilot added (or avoided): the observed events against events / ratio."""
    expected = events / ratio
    return events - expected if more else expected - events


def cost_avoided(detail: PilotDetail) -> str | None:
    """The pilot's cost against the national roll-out it tested, in one sentence."""
    cost = pilot_cost(detail)
    national = detail.pilot.national_rollout_cost
    if cost is None or not national:
        return None
    share = numbers.ratio_text(cost, national)
    if latest_decision(detail) == "stop":
        return (
            f"Stopping now avoids a national roll-out estimated at {numbers.money(national)} "
            f"on the evidence of a pilot that cost "
            f"{numbers.money(cost)}, {share} of that."
        )
    return (
        f"The pilot cost {numbers.money(cost)}, {share} of the {numbers.money(national)} a "
        "national roll-out is estimated to cost."
    )


def is_finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
