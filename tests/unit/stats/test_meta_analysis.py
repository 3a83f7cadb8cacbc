"""Random-effects pooling against metafor, the published BCG example and the edge cases.

R's numbers are recorded here with the R code that printed them, so R is not needed to run
the tests. They come from R 4.2 with metafor 3.8-1 (Debian r-cran-metafor). Unless stated,
metafor was run with ``control = list(threshold = 1e-12, maxiter = 1000)``, since its default
REML tolerance (1e-5 on tau^2) agrees with an exact answer to about 6 digits only.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.stats.meta_analysis import combine_effects

from testlearn.domain.pooling import FEW, LOG_RATIO, POOLED, SINGLE, PilotEstimate
from testlearn.errors import InvalidValue
from testlearn.stats.meta_analysis import meta_analyse, reml_tau2, restricted_log_likelihood

# metafor's dat.bcg (Colditz et al. 1994): tpos, tneg, cpos, cneg of the 13 BCG trials.
BCG = (
    (4, 119, 11, 128),
    (6, 300, 29, 274),
    (3, 228, 11, 209),
    (62, 13536, 248, 12619),
    (33, 5036, 47, 5761),
    (180, 1361, 372, 1079),
    (8, 2537, 10, 619),
    (505, 87886, 499, 87892),
    (29, 7470, 45, 7232),
    (17, 1699, 65, 1600),
    (186, 50448, 141, 27197),
    (5, 2493, 3, 2338),
    (27, 16886, 29, 17825),
)


def _bcg() -> list[PilotEstimate]:
    """Log risk ratios and their variances, as metafor's escalc(measure = "RR")."""
    found = []
    for i, (a, b, c, d) in enumerate(BCG, start=1):
        y = math.log((a / (a + b)) / (c / (c + d)))
        v = 1 / a - 1 / (a + b) + 1 / c - 1 / (c + d)
        found.append(PilotEstimate(f"BCG-{i}", "H1", y, math.sqrt(v), "success"))
    return found


def _pilots(estimates: tuple[float, ...], ses: tuple[float, ...]) -> list[PilotEstimate]:
    return [
        PilotEstimate(f"T-{i:03d}", "H1", y, s, "inconclusive")
        for i, (y, s) in enumerate(zip(estimates, ses, strict=True), start=1)
    ]


def test_bcg_matches_the_published_reml_values() -> None:
    # Viechtbauer (2010, J Stat Softw 36(3)) and the metafor documentation print, for
    # dat <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
    # res <- rma(yi, vi, data = dat, method = "REML"):
    #   tau^2 0.3132 (SE 0.1664), tau 0.5597, I^2 92.22%, H^2 12.86, Q(df = 12) = 152.2330,
    #   estimate -0.7145, se 0.1798, zval -3.9744, ci.lb -1.0669, ci.ub -0.3622.
    # R 4.2 with metafor 3.8-1 prints the same, and predict(res) gives pi.lb -1.8667,
    # pi.ub 0.4376 (the normal quantile: metafor's default pi.type).
    found = meta_analyse(_bcg(), scale=LOG_RATIO)
    reml = found.pooled
    assert reml is not None and found.reliability == POOLED
    assert round(reml.estimate, 4) == -0.7145
    assert round(reml.se, 4) == 0.1798
    assert round(reml.tau2, 4) == 0.3132
    assert round(reml.tau, 4) == 0.5597
    assert round(reml.i2, 2) == 92.22
    assert round(reml.h2, 2) == 12.86
    assert round(reml.z, 4) == -3.9744
    assert (round(reml.ci_low, 4), round(reml.ci_high, 4)) == (-1.0669, -0.3622)
    assert (round(reml.prediction_low, 4), round(reml.prediction_high, 4)) == (-1.8667, 0.4376)
    assert found.q is not None and round(found.q, 4) == 152.2330 and found.q_df == 12
    # The pooled risk ratio on its own scale: exp(b) 0.489, as Viechtbauer (2010) reports.
    assert round(found.natural(reml.estimate) or 0, 3) == 0.489


def test_bcg_matches_metafor_to_ten_digits() -> None:
    # res <- rma(yi, vi, data = dat, method = "REML", control = list(threshold = 1e-12))
    # b -0.71453234215814, se 0.179781516105207, tau2 0.313243258136486,
    # I2 92.2213845212691, H2 12.8557582353094; predict(res): -1.8666922179029, 0.437627533586617
    # predict(res, pi.type = "riley"): -2.00837590692259 0.579311222606309
    # QE 152.233008082373, QEp 1.99676459084597e-26
    # weights(res): 5.05948307931551 6.3646796321266 4.43602776309674 9.69874673569736 ...
    # rma(yi, vi, data = dat, method = "DL"): b -0.714117222073227, se 0.178742089535403,
    # ci -1.06444528008405 -0.363789164062403, p 6.462924304704e-05, tau2 0.308760262862376,
    # I2 92.1173468545621, H2 12.6860840068644; predict: -1.85815375273217 0.429919308585714
    found = meta_analyse(_bcg(), scale=LOG_RATIO)
    reml, dl = found.pooled, found.sensitivity
    assert reml is not None and dl is not None
    close = {"rel": 1e-10, "abs": 1e-12}
    assert reml.estimate == pytest.approx(-0.71453234215814, **close)
    assert reml.se == pytest.approx(0.179781516105207, **close)
    assert reml.tau2 == pytest.approx(0.313243258136486, **close)
    assert reml.i2 == pytest.approx(92.2213845212691, **close)
    assert reml.h2 == pytest.approx(12.8557582353094, **close)
    assert reml.prediction_low == pytest.approx(-1.8666922179029, **close)
    assert reml.prediction_high == pytest.approx(0.437627533586617, **close)
    assert reml.prediction_low_t == pytest.approx(-2.00837590692259, **close)
    assert reml.prediction_high_t == pytest.approx(0.579311222606309, **close)
    assert found.q == pytest.approx(152.233008082373, **close)
    assert found.q_p == pytest.approx(1.99676459084597e-26, rel=1e-9)
    assert reml.weights[:4] == pytest.approx(
        (5.05948307931551, 6.3646796321266, 4.43602776309674, 9.69874673569736), rel=1e-6
    )
    assert sum(reml.weights) == pytest.approx(100)
    assert dl.estimate == pytest.approx(-0.714117222073227, **close)
    assert dl.se == pytest.approx(0.178742089535403, **close)
    assert (dl.ci_low, dl.ci_high) == pytest.approx((-1.06444528008405, -0.363789164062403))
    assert dl.p_value == pytest.approx(6.462924304704e-05, rel=1e-9)
    assert dl.tau2 == pytest.approx(0.308760262862376, **close)
    assert dl.i2 == pytest.approx(92.1173468545621, **close)
    assert dl.h2 == pytest.approx(12.6860840068644, **close)
    assert (dl.prediction_low, dl.prediction_high) == pytest.approx(
        (-1.85815375273217, 0.429919308585714), **close
    )


# Generated datasets, each run in R as
#   yi <- c(...); vi <- c(...)^2
#   r <- rma(yi, vi, method = m, control = list(threshold = 1e-12, maxiter = 1000))
#   predict(r); predict(r, pi.type = "riley"); weights(r)
# for m in "REML" and "DL". Columns: b, se, ci.lb, ci.ub, p, tau2, I2, H2, pi.lb, pi.ub,
# riley pi.lb, riley pi.ub. Q and its p are the same for both.
GENERATED = {
    # Three pilots, moderately heterogeneous. Q 6.57316098081023, QEp 0.0373814573456324.
    "small": (
        (0.10, 0.35, -0.05),
        (0.08, 0.12, 0.10),
        (6.57316098081023, 0.0373814573456324),
        {
            "REML": (
                0.124212102976087,
                0.10932133620566,
                -0.0900537787288016,
                0.338477984680975,
                0.255868274657859,
                0.0258808103881147,
                72.6453093984832,
                3.65568017042222,
                -0.257009532578493,
                0.505433738530666,
                -2.34720073390448,
                2.59562493985665,
            ),
            "DerSimonian-Laird": (
                0.123294802485657,
                0.103640432723709,
                -0.0798367129949587,
                0.326426317966273,
                0.234187924322552,
                0.0222837662337662,
                69.5732387227572,
                3.28658049040512,
                -0.232885745745768,
                0.479475350717083,
                -2.18577975427641,
                2.43236935924773,
            ),
        },
    ),
    # Five pilots that agree closely (Q 0.160380929051467 on 4 df): tau^2 on the boundary.
    "zero": (
        (0.021, 0.018, 0.025, 0.020, 0.019),
        (0.010, 0.012, 0.015, 0.011, 0.009),
        (0.160380929051467, 0.996951573021921),
        {
            name: (
                0.0201425664883118,
                0.0048795566710183,
                0.0105788111525937,
                0.0297063218240298,
                3.66011500378216e-05,
                0.0,
                0.0,
                1.0,
                0.0105788111525937,
                0.0297063218240298,
                0.00461363938920711,
                0.0356714935874164,
            )
            for name in ("REML", "DerSimonian-Laird")
        },
    ),
    # Six pilots of a continuous outcome, strongly heterogeneous.
    "heterogeneous": (
        (2.1, -0.4, 3.5, 1.2, 5.0, 0.3),
        (0.9, 1.1, 0.8, 1.5, 1.0, 0.7),
        (23.454327573997, 0.000276311956479735),
        {
            "REML": (
                1.9845861724916,
                0.83856227623759,
                0.341034312271992,
                3.6281380327112,
                0.0179497391210621,
                3.22048696568065,
                78.5944404440352,
                4.67168352869029,
                -1.89776244380701,
                5.86693478879021,
                -3.51506989130248,
                7.48424223628567,
            ),
            "DerSimonian-Laird": (
                1.98449154079253,
                0.840255939372044,
                0.33762016182745,
                3.6313629197576,
                0.0181879064608474,
                3.23731176437519,
                78.6819725092297,
                4.69086551479941,
                -1.90757541282611,
                5.87655849441117,
                -3.52893132193035,
                7.4979144035154,
            ),
        },
    ),
}


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_datasets_match_metafor(name: str) -> None:
    estimates, ses, (q, q_p), expected = GENERATED[name]
    found = meta_analyse(_pilots(estimates, ses), scale="difference")
    assert found.q == pytest.approx(q, rel=1e-10)
    assert found.q_p == pytest.approx(q_p, rel=1e-9)
    for result in (found.pooled, found.sensitivity):
        assert result is not None
        got = (
            result.estimate,
            result.se,
            result.ci_low,
            result.ci_high,
            result.p_value,
            result.tau2,
            result.i2,
            result.h2,
            result.prediction_low,
            result.prediction_high,
            result.prediction_low_t,
            result.prediction_high_t,
        )
        assert got == pytest.approx(expected[result.method], rel=1e-9, abs=1e-13), result.method


def test_tau2_at_zero_is_exactly_zero_and_the_pooling_is_the_fixed_effect_one() -> None:
    estimates, ses, _q, _expected = GENERATED["zero"]
    found = meta_analyse(_pilots(estimates, ses), scale="difference")
    assert found.pooled is not None
    assert found.pooled.tau2 == 0.0 and found.pooled.i2 == 0.0
    w = [1 / s**2 for s in ses]
    fixed = sum(wi * y for wi, y in zip(w, estimates, strict=True)) / sum(w)
    assert found.pooled.estimate == pytest.approx(fixed, rel=1e-14)
    assert any("estimated at zero" in note for note in found.notes)


def test_reml_is_the_maximum_of_the_restricted_likelihood() -> None:
    # Independent of metafor: the REML tau^2 beats its neighbours on the likelihood itself.
    for estimates, ses, _q, _e in GENERATED.values():
        y, v = np.array(estimates), np.array(ses) ** 2
        tau2, _steps = reml_tau2(y, v)
        best = restricted_log_likelihood(y, v, tau2)
        for step in (1e-6, 1e-4, 1e-2):
            assert best >= restricted_log_likelihood(y, v, tau2 + step)
            if tau2 - step >= 0:
                assert best >= restricted_log_likelihood(y, v, tau2 - step)


def test_dersimonian_laird_agrees_with_statsmodels_except_below_zero() -> None:
    # statsmodels' combine_effects(method_re="dl") agrees where Q > k - 1 ...
    estimates, ses, _q, _e = GENERATED["heterogeneous"]
    found = meta_analyse(_pilots(estimates, ses), scale="difference").sensitivity
    theirs = combine_effects(np.array(estimates), np.array(ses) ** 2, method_re="dl")
    assert found is not None
    assert found.tau2 == pytest.approx(theirs.tau2, rel=1e-12)
    assert found.estimate == pytest.approx(theirs.mean_effect_re, rel=1e-12)
    assert found.se == pytest.approx(theirs.sd_eff_w_re, rel=1e-12)
    # ... but does not truncate tau^2 at zero when Q < k - 1, which is why DL is computed
    # here (metafor, and DerSimonian and Laird 1986, truncate).
    estimates, ses, _q, _e = GENERATED["zero"]
    theirs = combine_effects(np.array(estimates), np.array(ses) ** 2, method_re="dl")
    assert theirs.tau2 < 0
    ours = meta_analyse(_pilots(estimates, ses), scale="difference").sensitivity
    assert ours is not None and ours.tau2 == 0.0


def test_one_pilot_is_not_pooled_and_its_own_result_stands() -> None:
    found = meta_analyse(_pilots((0.04,), (0.02,)), scale="difference")
    assert found.reliability == SINGLE and found.k == 1
    assert found.pooled is None and found.sensitivity is None and found.q is None
    assert found.pilots[0].estimate == 0.04
    assert "cannot be estimated from a single" in found.notes[0]
    assert found.to_json_dict()["pilots"][0]["weight"] is None


def test_two_pilots_are_pooled_but_flagged_unreliable() -> None:
    # yi <- c(0.05, -0.02); vi <- c(0.02, 0.03)^2; rma(yi, vi, method = "REML") and "DL" both:
    # b 0.0185714285714286, se 0.0348173074484398, ci -0.0496692400661717 0.0868120972090288,
    # tau2 0.0018, I2 73.469387755102, Q 3.76923076923077, QEp 0.0522036353413147,
    # pi -0.0889990819477475 0.126141939090605, weights 55.1020408163265 44.8979591836735.
    # With two estimates REML and DL agree exactly: ((y1 - y2)^2 - v1 - v2) / 2.
    found = meta_analyse(_pilots((0.05, -0.02), (0.02, 0.03)), scale="difference")
    assert found.reliability == FEW
    for result in (found.pooled, found.sensitivity):
        assert result is not None
        assert result.tau2 == pytest.approx(0.0018, rel=1e-10)
        assert result.estimate == pytest.approx(0.0185714285714286, rel=1e-10)
        assert result.se == pytest.approx(0.0348173074484398, rel=1e-10)
        assert result.i2 == pytest.approx(73.469387755102, rel=1e-10)
        assert (result.prediction_low, result.prediction_high) == pytest.approx(
            (-0.0889990819477475, 0.126141939090605), rel=1e-10
        )
        assert result.weights == pytest.approx((55.1020408163265, 44.8979591836735))
        # Riley's t(k - 2) has no degrees of freedom with two pilots (metafor falls back
        # to t(1) there; we give no interval rather than one from a df that does not exist).
        assert result.prediction_low_t is None and result.prediction_high_t is None
    assert found.q_p == pytest.approx(0.0522036353413147, rel=1e-9)
    assert any("Two pilots only" in note for note in found.notes)


def test_bad_estimates_name_the_pilot() -> None:
    with pytest.raises(InvalidValue, match="no pilot results"):
        meta_analyse([], scale="difference")
    with pytest.raises(InvalidValue, match="T-002 H1: the standard error"):
        meta_analyse(_pilots((0.1, 0.2), (0.1, 0.0)), scale="difference")
    with pytest.raises(InvalidValue, match="T-001 H1: the estimate"):
        meta_analyse(_pilots((math.nan, 0.2), (0.1, 0.1)), scale="difference")


def test_the_likelihood_fallback_finds_the_same_reml_tau2(monkeypatch: pytest.MonkeyPatch) -> None:
    # Should Fisher scoring not settle, the restricted likelihood is maximised directly: with
    # no scoring steps allowed, that path alone must still give metafor's tau^2.
    monkeypatch.setattr("testlearn.stats.meta_analysis.MAX_ITERATIONS", 0)
    estimates, ses, _q, expected = GENERATED["heterogeneous"]
    tau2, steps = reml_tau2(np.array(estimates), np.array(ses) ** 2)
    assert steps is None
    assert tau2 == pytest.approx(expected["REML"][5], rel=1e-7)
