"""Holm's step-down adjustment across a pilot's secondary hypotheses.

True Holm (1979), not Holm-Sidak (the default of statsmodels' `multipletests`): with the m
p-values sorted ascending, p_(i) becomes max over j <= i of min(1, (m - j + 1) p_(j)).
A secondary's verdict reads the adjusted decision: when Holm no longer rules out no effect, the
interval (which stays unadjusted, and says so) cannot make it a success or a harm.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def holm(p_values: Sequence[float]) -> tuple[float, ...]:
    """Holm-adjusted p-values, in the order given."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return tuple(adjusted)


@dataclass(frozen=True)
class Adjustment:
    """A confirmatory secondary's place in its Holm family.

    Attributes:
        p_adjusted: its Holm-adjusted p.
        family: how many secondary hypotheses were adjusted together.
    """

    p_adjusted: float
    family: int

    def rejects(self, alpha: float) -> bool:
        """Whether the adjusted test still rules out no effect at ``alpha``."""
        return self.p_adjusted < alpha
