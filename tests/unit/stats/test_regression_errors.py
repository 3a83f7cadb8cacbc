"""The statsmodels fits behind clustered contrasts and time series, against published and R values.

test_reference_values.py checks the covariance estimators on arrays; these check the fits the
engine makes (regression.py: OLS or Poisson GLM with `cov_type="cluster"` or `"HAC"`) and what
an analysis of the same rows reports, so a change of statsmodels' defaults (its HAC correction
is off unless asked for, its robust covariances use the normal unless `use_t=True`) shows here.

The two small data files were generated once (numpy, seed 20261201) and analysed in R 4 with
sandwich 3.0.2, with `glm.control(epsilon = 1e-14)` (R's default 1e-8 stops the Poisson fit
while the covariance still moves in the ninth digit); R's numbers are recorded below, so R is
not needed to run the tests.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from testlearn.domain.analysis import HypothesisSpec, UnitData
from testlearn.stats import analyse
from testlearn.stats.regression import FitFailed, fit

DATA = Path(__file__).parent / "data"


def _csv(name: str) -> np.ndarray:
    return np.loadtxt(DATA / name, delimiter=",", skiprows=1)


def test_cluster_robust_ols_fit_matches_petersen() -> None:
    # Petersen (2009) Rev Financ Stud 22:435-480, test data, clustered by firm (Stata, published
    # on Petersen's web page): x 1.034833 (SE 0.0505957), intercept 0.0296797 (SE 0.0670127).
    rows = _csv("petersen.csv")
    firm, x, y = rows[:, 0].astype(np.intp) - 1, rows[:, 2], rows[:, 3]
    result = fit(np.column_stack([np.ones_like(x), x]), y, clusters=firm)
    assert result.coef[1] == pytest.approx(1.034833, abs=5e-7)
    assert math.sqrt(result.cov[1, 1]) == pytest.approx(0.0505957, abs=5e-8)
    assert math.sqrt(result.cov[0, 0]) == pytest.approx(0.0670127, abs=5e-8)
    assert result.df == 499  # t on G - 1, not on N - K = 4998


def test_newey_west_ols_fit_matches_r_sandwich() -> None:
    # R: sandwich::NeweyWest(lm(g_inv ~ ggdp + lint), lag = 4, prewhite = FALSE, adjust = TRUE)
    # on statsmodels' US macro data (values recorded in statsmodels' test_sandwich.py).
    from statsmodels.datasets import macrodata

    d = macrodata.load_pandas().data
    g_gdp = 400 * np.diff(np.log(d["realgdp"].to_numpy()))
    g_inv = 400 * np.diff(np.log(d["realinv"].to_numpy()))
    design = np.column_stack([np.ones_like(g_gdp), g_gdp, d["realint"].to_numpy()[:-1]])
    result = fit(design, g_inv, hac_lag=4)
    np.testing.assert_allclose(
        result.cov,
        [
            [1.40643899878678802, -0.3180328707083329709, -0.060621111216488610],
            [-0.31803287070833292, 0.1097308348999818661, 0.000395311760301478],
            [-0.06062111121648865, 0.0003953117603014895, 0.087511528912470993],
        ],
        rtol=1e-9,
    )
    assert result.df == g_inv.size - 3


def _clustered_counts() -> UnitData:
    rows = _csv("clustered_counts.csv")
    return UnitData(
        arm=np.where(rows[:, 1] == 1, "pilot", "comparator"),  # type: ignore[arg-type]
        value=rows[:, 2],  # type: ignore[arg-type]
        cluster=rows[:, 0].astype(int).astype(str),  # type: ignore[arg-type]
        exposure=rows[:, 3],  # type: ignore[arg-type]
    )


def test_clustered_count_rate_ratio_matches_r_vcovcl() -> None:
    # R: m <- glm(events ~ pilot, family = poisson, offset = log(exposure), data = d,
    #   control = glm.control(epsilon = 1e-14))
    # v <- sandwich::vcovCL(m, cluster = ~cluster, type = "HC1")  (CR1: G/(G-1) (N-1)/(N-K))
    # exp(coef) 0.9375199972377914; exp(b +/- qt(0.975, 11) se) 0.3888421681344819 to
    # 2.2604126230382611; 2 pt(-|b/se|, 11) = 0.8747404691532416.
    rows = _csv("clustered_counts.csv")
    design = np.column_stack([np.ones(rows.shape[0]), rows[:, 1]])
    result = fit(
        design,
        rows[:, 2],
        offset=np.log(rows[:, 3]),
        clusters=rows[:, 0].astype(np.intp) - 1,
    )
    np.testing.assert_allclose(result.coef, [0.4743424400515782, -0.0645171909780831], rtol=1e-9)
    np.testing.assert_allclose(
        result.cov.ravel(),
        [0.1170724837081872, -0.1170724837081872, -0.1170724837081872, 0.1598802579063818],
        rtol=1e-9,
    )
    assert result.df == 11
    analysed = analyse(HypothesisSpec("count", "two-group", 10), _clustered_counts())
    assert analysed.estimate == pytest.approx(0.9375199972377914, rel=1e-10)
    assert analysed.ci_low == pytest.approx(0.3888421681344819, rel=1e-9)
    assert analysed.ci_high == pytest.approx(2.2604126230382611, rel=1e-9)
    assert analysed.p_value == pytest.approx(0.8747404691532416, rel=1e-9)
    assert "cluster-robust (CR1) errors over 12 clusters" in analysed.clustering


def test_poisson_time_series_matches_r_newey_west() -> None:
    # R: glm(events ~ time + after + since, family = poisson, offset = log(exposure)), since =
    # time - 12 after the interruption; sandwich::NeweyWest(m, lag = 2, prewhite = FALSE,
    # adjust = TRUE) (lag floor(4 (24/100)^(2/9)) = 2). Level change exp(b) 0.7610354476262454,
    # exp(b +/- qt(0.975, 20) se) 0.5907661913025413 to 0.9803793126121438,
    # p 0.03592508190130422.
    rows = _csv("its_counts.csv")
    time, after = rows[:, 0], rows[:, 1]
    design = np.column_stack([np.ones_like(time), time, after, np.where(after == 1, time - 12, 0)])
    result = fit(design, rows[:, 2], offset=np.log(rows[:, 3]), hac_lag=2)
    np.testing.assert_allclose(
        result.coef,
        [-2.99764937500503592, -0.01891395697538651, -0.27307534188169946, 0.07305409258003977],
        rtol=1e-12,
    )
    assert result.cov[2, 2] == pytest.approx(0.0147407130196804993, rel=1e-9)
    assert result.cov[0, 1] == pytest.approx(-0.0008249457542942253, rel=1e-9)
    assert result.df == 20
    data = UnitData(
        arm=("pilot",) * time.size,
        value=rows[:, 2],  # type: ignore[arg-type]
        period=np.where(after == 1, "after", "before"),  # type: ignore[arg-type]
        time=time,  # type: ignore[arg-type]
        exposure=rows[:, 3],  # type: ignore[arg-type]
    )
    analysed = analyse(HypothesisSpec("count", "its", 10, direction="decrease"), data)
    assert analysed.estimate == pytest.approx(0.7610354476262454, rel=1e-10)
    assert analysed.ci_low == pytest.approx(0.5907661913025413, rel=1e-9)
    assert analysed.ci_high == pytest.approx(0.9803793126121438, rel=1e-9)
    assert analysed.p_value == pytest.approx(0.03592508190130422, rel=1e-9)
    assert "lag 2" in analysed.method and "T - 4 = 20 df" in analysed.method


def test_a_poisson_fit_that_cannot_converge_is_a_reason_not_a_crash() -> None:
    # Every event in one of two cells of a cluster-robust Poisson fit: the other cell's log rate
    # runs to minus infinity. statsmodels warns and carries on; the engine must not.
    design = np.column_stack([np.ones(8), np.repeat([0.0, 1.0], 4)])
    events = np.array([3.0, 1.0, 2.0, 4.0, 0.0, 0.0, 0.0, 0.0])
    with pytest.raises(FitFailed):
        fit(design, events, offset=np.zeros(8), clusters=np.arange(8, dtype=np.intp) // 2)


def test_a_singular_design_is_a_reason_not_a_crash() -> None:
    design = np.column_stack([np.ones(6), np.ones(6)])
    with pytest.raises(FitFailed):
        fit(design, np.arange(6.0), hac_lag=1)
