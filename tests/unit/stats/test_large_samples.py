"""Large samples: the bootstrap steps aside and says so; the headline is unchanged."""

from __future__ import annotations

import numpy as np

from testlearn.domain.analysis import HypothesisSpec, UnitData
from testlearn.stats import analyse
from testlearn.stats.sensitivity import BOOTSTRAP_MAX_UNITS


def test_the_bootstrap_is_not_run_on_very_large_samples_and_the_reader_is_told() -> None:
    rng = np.random.default_rng(7)
    n = BOOTSTRAP_MAX_UNITS + 2
    arm = np.where(np.arange(n) % 2 == 0, "pilot", "comparator").astype(object)
    spec = HypothesisSpec(outcome_type="continuous", design="two-group", benefit_threshold=1.0)
    result = analyse(spec, UnitData(arm=arm, value=rng.normal(50, 10, n)))
    boot = next(s for s in result.sensitivity if s.method.startswith("BCa"))
    assert boot.ci_low is None and "not run" in boot.note and f"{n:,}" in boot.note
    assert any(
        s.method == "Mann-Whitney U test" and s.p_value is not None for s in result.sensitivity
    )
    assert result.ci_low is not None  # the Welch headline is unaffected
