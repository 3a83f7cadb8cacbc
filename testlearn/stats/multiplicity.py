"""Holm's step-down adjustment across a pilot's secondary hypotheses.

True Holm (1979), not Holm-Sidak (the default of statsmodels' `multipletests`, so the method
is named): with the m p-values sorted ascending, p_(i) becomes max over j <= i of
min(1, (m - j + 1) p_(j)). statsmodels computes it (R's `p.adjust(method = "holm")`).
A secondary's verdict reads the adjusted decision: when Holm no longer rules out no effect, the
interval (which stays unadjusted, and says so) cannot make it a success or a harm.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def holm(p_values: Sequence[float]) -> tuple[float, ...]:
    """Holm-adjusted p-values, in the order given."""
    if len(p_values) < 2:
        # A family of one is its own adjustment; statsmodels (and the pandas it imports, half
        # a second) is loaded only for a family that has something to adjust.
        return tuple(float(p) for p in p_values)
    from statsmodels.stats.multitest import multipletests

    adjusted = multipletests(list(p_values), method="holm")[1]
    return tuple(float(p) for p in adjusted)


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
