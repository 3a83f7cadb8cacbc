"""The equivalence test and the power calculations the engine keeps, against statsmodels.

Both stay hand-written (verdict.py, power.py say why: statsmodels' TOST takes raw observations
and only t tests; its power functions are solved numerically, or with the far tail, or with a
pooled null variance). These tests pin that the engine's numbers are statsmodels' where
statsmodels answers the same question, so keeping the fast path changes no result.
"""

from __future__ import annotations

import numpy as np
import pytest

from testlearn.domain.analysis import HypothesisSpec, UnitData
from testlearn.stats import analyse
from testlearn.stats.power import design_mde
from tests.unit.stats.test_reference_values import (
    CLINIC_1,
    CLINIC_2,
    SLEEP_1,
    SLEEP_2,
    _spec,
    _two_group_units,
)


def test_welch_tost_is_statsmodels_ttost_ind_unequal_variances() -> None:
    # The symmetric margin is checked against R's equivalence::tost in test_reference_values.py;
    # uneven margins (harm 0.2, benefit 0.6) against statsmodels, which R's package lacks.
    from statsmodels.stats.weightstats import ttost_ind

    result = analyse(
        _spec(benefit_threshold=0.6, harm_margin=0.2), _two_group_units(CLINIC_1, CLINIC_2)
    )
    p, _, _ = ttost_ind(np.array(CLINIC_1), np.array(CLINIC_2), -0.2, 0.6, usevar="unequal")
    assert result.tost_p == pytest.approx(float(p), rel=1e-12)
    # The contract's pitfall: statsmodels' default pools the variances, a different p.
    pooled, _, _ = ttost_ind(np.array(CLINIC_1), np.array(CLINIC_2), -0.2, 0.6)
    assert result.tost_p != pytest.approx(float(pooled), rel=1e-6)


def test_paired_tost_is_statsmodels_ttost_paired() -> None:
    from statsmodels.stats.weightstats import ttost_paired

    ids = tuple(str(i) for i in range(10))
    data = UnitData(
        arm=("pilot",) * 10 + ("comparator",) * 10, value=SLEEP_1 + SLEEP_2, unit=ids + ids
    )
    result = analyse(_spec(design="paired", benefit_threshold=1.0, harm_margin=2.0), data)
    p, _, _ = ttost_paired(np.array(SLEEP_1), np.array(SLEEP_2), -2.0, 1.0)
    assert result.tost_p == pytest.approx(float(p), rel=1e-12)


def test_design_mde_for_means_is_where_statsmodels_normal_power_is_80_per_cent() -> None:
    # The contract's d = (z(1 - alpha/2) + z(0.8)) SE is the one-tailed normal power at
    # alpha/2; statsmodels' two-sided power adds the far tail (an MDE 1e-6 smaller).
    from statsmodels.stats.power import NormalIndPower

    spec = HypothesisSpec(
        "continuous",
        "two-group",
        0.5,
        assumed_sd=2.0,
        planned_n_pilot=120,
        planned_n_comparator=80,
    )
    mde = design_mde(spec)
    assert mde is not None
    power = NormalIndPower().power(
        effect_size=mde / 2.0, nobs1=120, alpha=0.025, ratio=80 / 120, alternative="larger"
    )
    assert power == pytest.approx(0.8, abs=1e-12)


def test_design_mde_for_counts_is_where_statsmodels_poisson_power_is_80_per_cent() -> None:
    # statsmodels' power of the log rate ratio's Wald test with the variance at the alternative
    # rates (method_var="alt") is the contract's: var = 1/(n1 rate1) + 1/(n2 rate0).
    from statsmodels.stats.rates import power_poisson_ratio_2indep

    spec = HypothesisSpec(
        "count", "two-group", 15, baseline_value=0.2, planned_n_pilot=900, planned_n_comparator=1100
    )
    mde = design_mde(spec)
    assert mde is not None
    power = power_poisson_ratio_2indep(
        0.2 * (1 + mde / 100),
        0.2,
        900,
        nobs_ratio=1100 / 900,
        value=1,
        alpha=0.025,
        alternative="larger",
        method_var="alt",
        return_results=False,
    )
    assert power == pytest.approx(0.8, abs=1e-12)
