"""Random-effects meta-analysis of pilots' estimates: REML, with DerSimonian-Laird beside it.

Each pilot gives an estimate y_i with standard error s_i (v_i = s_i^2) on the scale the engine
compares: a difference for continuous and binary outcomes, the log of the ratio for counts.
The model is y_i = mu + u_i + e_i, u_i ~ N(0, tau^2), e_i ~ N(0, v_i). With w_i = 1/(v_i + tau^2)
the pooled mu = sum w_i y_i / sum w_i has SE 1/sqrt(sum w_i), and the interval and test use
the normal, as metafor's ``rma()`` does by default (``test = "z"``; its Knapp-Hartung option
is not used here). The prediction interval for the effect in a new pilot is
mu +/- z(0.975) sqrt(tau^2 + SE^2), which is what metafor's ``predict()`` prints by default;
Riley et al.'s (2011) t(k - 2) version (metafor's ``pi.type = "riley"``) is given beside it,
since with a handful of pilots the normal one is too narrow.

tau^2 is estimated by REML (Viechtbauer 2005), by Fisher scoring as metafor does, to a far
tighter tolerance than metafor's default 1e-5 (the tests compare with metafor run at
``threshold = 1e-12``). statsmodels' ``combine_effects`` offers DerSimonian-Laird and the
iterated Paule-Mandel estimator but not REML (statsmodels/statsmodels#6585 lists what its
meta-analysis lacks), so REML is written here. DerSimonian-Laird is written here too, because
``combine_effects(method_re="dl")`` does not truncate tau^2 at zero: when Q < k - 1 it returns
a negative between-pilot variance and weights from it (checked in the tests, where statsmodels
otherwise agrees with this module and with metafor).

One pilot: tau^2 cannot be estimated from one estimate, so nothing is pooled and the pilot's
own result stands. Two pilots: everything is computed (REML and DL then agree exactly, at
((y_1 - y_2)^2 - v_1 - v_2) / 2), but tau^2 rests on one degree of freedom and the result is
flagged as unreliable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy import optimize
from scipy import stats as sps

from testlearn.domain.pooling import (
    FEW,
    POOLED,
    SINGLE,
    MetaAnalysis,
    PilotEstimate,
    RandomEffects,
)
from testlearn.errors import InvalidValue
from testlearn.stats.quiet import quiet_numerics

Z975 = float(sps.norm.ppf(0.975))
MAX_ITERATIONS = 1000
#: Below this many pilots the notes point to the t(k - 2) prediction interval.
FEW_FOR_PREDICTION = 10

Array = NDArray[np.float64]


@quiet_numerics
def meta_analyse(pilots: Sequence[PilotEstimate], *, scale: str) -> MetaAnalysis:
    """Pool the pilots' estimates by random effects (REML headline, DL sensitivity).

    Every estimate given is pooled, whatever its pilot's verdict: choosing by verdict would
    bias the pooled effect, so the caller selects by outcome measure only.

    Raises:
        InvalidValue: no pilots, or an estimate or standard error that is not a finite
            number (standard errors must be above 0), naming the pilot and hypothesis.
    """
    if not pilots:
        raise InvalidValue("There are no pilot results to pool.")
    for p in pilots:
        if not math.isfinite(p.estimate):
            raise InvalidValue(f"{p.pilot} {p.hypothesis}: the estimate is not a finite number.")
        if not (math.isfinite(p.se) and p.se > 0):
            raise InvalidValue(
                f"{p.pilot} {p.hypothesis}: the standard error must be a number above 0 "
                f"(got {p.se!r}), so its result cannot be weighted."
            )
    k = len(pilots)
    if k == 1:
        return MetaAnalysis(
            scale=scale,
            pilots=tuple(pilots),
            reliability=SINGLE,
            pooled=None,
            sensitivity=None,
            q=None,
            q_df=0,
            q_p=None,
            notes=(
                "One pilot only: the between-pilot variance cannot be estimated from a single "
                "result, so nothing is pooled and the pilot's own result stands.",
            ),
        )
    y = np.array([p.estimate for p in pilots], dtype=float)
    v = np.array([p.se for p in pilots], dtype=float) ** 2
    q = cochran_q(y, v)
    tau2, iterations = reml_tau2(y, v)
    pooled = _random_effects("REML", y, v, tau2, iterations)
    sensitivity = _random_effects("DerSimonian-Laird", y, v, dersimonian_laird_tau2(y, v), None)
    return MetaAnalysis(
        scale=scale,
        pilots=tuple(pilots),
        reliability=FEW if k == 2 else POOLED,
        pooled=pooled,
        sensitivity=sensitivity,
        q=q,
        q_df=k - 1,
        q_p=float(sps.chi2.sf(q, k - 1)),
        notes=_notes(k, pooled),
    )


def cochran_q(y: Array, v: Array) -> float:
    """Cochran's Q: inverse-variance weighted squares about the fixed-effect mean."""
    w = 1 / v
    mean = float(np.sum(w * y) / np.sum(w))
    return float(np.sum(w * (y - mean) ** 2))


def dersimonian_laird_tau2(y: Array, v: Array) -> float:
    """DerSimonian and Laird's (1986) moment estimator, max(0, (Q - (k-1)) / c)."""
    w = 1 / v
    c = float(np.sum(w) - np.sum(w**2) / np.sum(w))
    return max(0.0, (cochran_q(y, v) - (len(y) - 1)) / c)


def _reml_step(y: Array, v: Array, tau2: float) -> tuple[float, float]:
    """The REML score over the Fisher information at tau2, and the score itself.

    For the intercept-only model P = W - w w'/sum(w), so P y = w (y - mu) and the score
    y'PPy - tr(P) and information tr(PP) have closed forms (Viechtbauer 2005, eq. 12).
    """
    w = 1 / (v + tau2)
    total = float(np.sum(w))
    mu = float(np.sum(w * y) / total)
    w2 = float(np.sum(w**2))
    score = float(np.sum((w * (y - mu)) ** 2)) - (total - w2 / total)
    information = w2 - 2 * float(np.sum(w**3)) / total + (w2 / total) ** 2
    return score / information, score


def restricted_log_likelihood(y: Array, v: Array, tau2: float) -> float:
    """The REML log-likelihood of tau2, up to a constant."""
    w = 1 / (v + tau2)
    mu = float(np.sum(w * y) / np.sum(w))
    return -0.5 * float(
        np.sum(np.log(v + tau2)) + math.log(float(np.sum(w))) + np.sum(w * (y - mu) ** 2)
    )


def reml_tau2(y: Array, v: Array) -> tuple[float, int | None]:
    """REML tau^2 by Fisher scoring (metafor's algorithm), and the steps it took.

    A step that would make tau^2 negative is halved until it does not, as in metafor; when
    the iterates close on zero and the score at zero is not positive, tau^2 is exactly zero
    (the maximum is on the boundary). Should scoring fail to settle, the restricted
    likelihood is maximised directly over [0, upper] (scipy's bounded Brent), and the steps
    are reported as None.
    """
    tolerance = 1e-12 * float(np.mean(v))
    tau2 = dersimonian_laird_tau2(y, v)
    for iteration in range(1, MAX_ITERATIONS + 1):
        adjust, _ = _reml_step(y, v, tau2)
        if tau2 == 0 and adjust <= 0:
            return 0.0, iteration  # the likelihood falls away from zero: the maximum is there
        while tau2 + adjust < 0:
            adjust /= 2
        tau2 += adjust
        if abs(adjust) <= tolerance:
            if tau2 <= 1e6 * tolerance and _reml_step(y, v, 0.0)[1] <= 0:
                return 0.0, iteration
            return tau2, iteration
    upper = 10 * (float(np.var(y)) + float(np.max(v)))
    found = optimize.minimize_scalar(
        lambda t: -restricted_log_likelihood(y, v, t),
        bounds=(0.0, upper),
        method="bounded",
        options={"xatol": tolerance},
    )
    return float(found.x), None


def _random_effects(
    method: str, y: Array, v: Array, tau2: float, iterations: int | None
) -> RandomEffects:
    k = len(y)
    w = 1 / (v + tau2)
    total = float(np.sum(w))
    mu = float(np.sum(w * y) / total)
    se = 1 / math.sqrt(total)
    # I^2 and H^2 against the "typical" within-pilot variance (Higgins and Thompson 2002),
    # as metafor computes them for any tau^2 estimator.
    fixed = 1 / v
    typical = (k - 1) * float(np.sum(fixed)) / (float(np.sum(fixed)) ** 2 - float(np.sum(fixed**2)))
    spread = math.sqrt(tau2 + se**2)
    t_crit = float(sps.t.ppf(0.975, k - 2)) if k > 2 else None
    return RandomEffects(
        method=method,
        tau2=tau2,
        tau=math.sqrt(tau2),
        i2=100 * tau2 / (tau2 + typical),
        h2=(tau2 + typical) / typical,
        estimate=mu,
        se=se,
        ci_low=mu - Z975 * se,
        ci_high=mu + Z975 * se,
        z=mu / se,
        p_value=float(2 * sps.norm.sf(abs(mu / se))),
        prediction_low=mu - Z975 * spread,
        prediction_high=mu + Z975 * spread,
        prediction_low_t=None if t_crit is None else mu - t_crit * spread,
        prediction_high_t=None if t_crit is None else mu + t_crit * spread,
        weights=tuple(float(x) for x in 100 * w / total),
        iterations=iterations,
    )


def _notes(k: int, pooled: RandomEffects) -> tuple[str, ...]:
    notes = []
    if k == 2:
        notes.append(
            "Two pilots only: the between-pilot variance rests on a single degree of freedom, "
            "so the pooled interval, and the prediction interval above all, are unreliable; "
            "read them as indicative."
        )
    if pooled.tau2 == 0:
        notes.append(
            "The between-pilot variance is estimated at zero: the pilots differ no more than "
            "chance would make them, so the pooled estimate equals the fixed-effect one. With "
            "few pilots this is weak evidence that their effects are the same."
        )
    if 2 < k < FEW_FOR_PREDICTION:
        notes.append(
            f"With {k} pilots the prediction interval from the normal (metafor's default) is "
            f"too narrow; the t({k - 2}) interval of Riley et al. (2011) is the one to quote."
        )
    return tuple(notes)
