"""Two independent groups: pilot vs comparator, or after vs before (from cell summaries).

* continuous: Welch t (R `t.test(var.equal = FALSE)`).
* binary: difference in proportions with the Miettinen-Nurminen score interval (with its
  N/(N-1) variance factor) and the matching score test; the risk ratio beside it with the
  Koopman score interval.
* count: rate ratio with the score interval and test (Gu et al. 2008, W3).

The same functions serve the before-after design with "after" in the first place.
"""

from __future__ import annotations

import math

from testlearn.domain.analysis import ArmSummary, Estimate
from testlearn.stats.fit import Fit, NotEvaluable, critical, two_sided_p, wald_fit
from testlearn.stats.inputs import Cell
from testlearn.stats.score_intervals import (
    invert,
    koopman_statistic,
    mn_statistic,
    rate_ratio_statistic,
)
from testlearn.stats.t_tests import welch


def _check_nonempty(first: Cell, second: Cell, names: tuple[str, str]) -> None:
    for cell, name in ((first, names[0]), (second, names[1])):
        if not cell.n_raw > 0 and not (cell.exposure > 0):
            raise NotEvaluable(f"the {name} group has no data")


def continuous(
    first: Cell,
    second: Cell,
    alpha: float,
    *,
    names: tuple[str, str],
    estimand: str,
    arms: tuple[ArmSummary, ...],
    method_note: str = "",
) -> Fit:
    """Welch t on the difference in means (first minus second)."""
    _check_nonempty(first, second, names)
    try:
        diff, se, df = welch(first.mean, first.var, first.n, second.mean, second.var, second.n)
    except NotEvaluable as exc:
        raise NotEvaluable(
            exc.reason.replace("first", names[0]).replace("second", names[1])
        ) from None
    return wald_fit(
        method="Welch two-sample t-test" + method_note,
        estimand=estimand,
        estimate=diff,
        se=se,
        df=df,
        alpha=alpha,
        arms=arms,
        n_pilot=first.n_raw,
        n_comparator=second.n_raw,
    )


def binary(
    first: Cell,
    second: Cell,
    alpha: float,
    *,
    names: tuple[str, str],
    estimand: str,
    arms: tuple[ArmSummary, ...],
    method_note: str = "",
) -> Fit:
    """Miettinen-Nurminen score interval and test for the difference in proportions."""
    _check_nonempty(first, second, names)
    x1, n1, x2, n2 = first.successes, first.n, second.successes, second.n
    p1, p2 = x1 / n1, x2 / n2
    if p1 == p2 and p1 in (0.0, 1.0):
        raise NotEvaluable(
            f"every unit in both groups had the same outcome ({'all' if p1 else 'none'} "
            "had it), so there is no variation to compare"
        )
    crit = critical(alpha, None)

    def statistic_at(delta: float) -> float:
        return mn_statistic(x1, n1, x2, n2, delta)

    low, high = invert(statistic_at, p1 - p2, -1.0, 1.0, crit)
    # The Wald SE is used only for the achieved MDE, which the contract defines as z-sum x SE.
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    if se == 0:
        # Both groups constant (all vs none): fall back to the SE under the pooled proportion.
        pooled = (x1 + x2) / (n1 + n2)
        se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    extras: tuple[Estimate, ...] = ()
    if x2 > 0 or x1 > 0:
        rr = p1 / p2 if p2 > 0 else math.inf

        def rr_stat(phi: float) -> float:
            return koopman_statistic(x1, n1, x2, n2, phi)

        rr_low, rr_high = invert(rr_stat, rr, 0.0, math.inf, crit, log_scale=True)
        extras = (
            Estimate(
                name=f"risk ratio, {names[0]} over {names[1]}",
                estimate=rr,
                ci_low=rr_low,
                ci_high=rr_high,
                p_value=two_sided_p(rr_stat(1.0), None),
                method="Koopman score interval",
            ),
        )
    return Fit(
        method="Miettinen-Nurminen score interval and score test" + method_note,
        estimand=estimand,
        ratio=False,
        estimate=p1 - p2,
        ci_low=low,
        ci_high=high,
        p_value=two_sided_p(statistic_at(0.0), None),
        se=se,
        df=None,
        statistic_at=statistic_at,
        arms=arms,
        n_pilot=first.n_raw,
        n_comparator=second.n_raw,
        extra_estimates=extras,
    )


def count(
    first: Cell,
    second: Cell,
    alpha: float,
    *,
    names: tuple[str, str],
    estimand: str,
    arms: tuple[ArmSummary, ...],
    method_note: str = "",
) -> Fit:
    """Score interval and test for the ratio of two Poisson rates (first over second)."""
    _check_nonempty(first, second, names)
    e1, t1, e0, t0 = first.events, first.exposure, second.events, second.exposure
    if e1 == 0 and e0 == 0:
        raise NotEvaluable("there were no events in either group, so no rate ratio exists")
    ratio = (e1 / t1) / (e0 / t0) if e0 > 0 else math.inf
    crit = critical(alpha, None)

    def statistic_at(null: float) -> float:
        return rate_ratio_statistic(e1, t1, e0, t0, null)

    low, high = invert(statistic_at, ratio, 0.0, math.inf, crit, log_scale=True)
    se = math.sqrt(1 / e1 + 1 / e0) if e1 > 0 and e0 > 0 else math.inf
    warnings: tuple[str, ...] = ()
    if e1 == 0 or e0 == 0:
        warnings = (
            f"The {names[0] if e1 == 0 else names[1]} group had no events: the interval is "
            "open on one side and the achieved MDE cannot be computed.",
        )
    return Fit(
        method="score interval and test for the ratio of two Poisson rates" + method_note,
        estimand=estimand,
        ratio=True,
        estimate=ratio,
        ci_low=low,
        ci_high=high,
        p_value=two_sided_p(statistic_at(1.0), None),
        se=se,
        df=None,
        statistic_at=statistic_at,
        arms=arms,
        n_pilot=first.n_raw,
        n_comparator=second.n_raw,
        warnings=warnings,
    )
