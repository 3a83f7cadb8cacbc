"""The analysis engine: pure functions from numbers to typed results.

The only place in testlearn that imports scipy and statsmodels. Start with `analyse` (one
hypothesis) or `analyse_pilot` (a pilot's hypotheses, Holm across the secondaries); `design_mde`
and `required_n` serve registration. docs/methods.md describes every method and the published
values it is checked against.
"""

from __future__ import annotations

from testlearn.stats.bootstrap import AnalysisCancelled
from testlearn.stats.engine import DEFAULT_RESAMPLES, DEFAULT_SEED, ENGINE_VERSION, analyse
from testlearn.stats.multiplicity import holm
from testlearn.stats.pilot import analyse_pilot
from testlearn.stats.power import design_mde, planned_design_effect, required_n
from testlearn.stats.verdict import decide

__all__ = [
    "DEFAULT_RESAMPLES",
    "DEFAULT_SEED",
    "ENGINE_VERSION",
    "AnalysisCancelled",
    "analyse",
    "analyse_pilot",
    "decide",
    "design_mde",
    "holm",
    "planned_design_effect",
    "required_n",
]
