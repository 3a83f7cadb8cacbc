"""Counts analysed as they were run: variation beyond Poisson, and clusters that are few.

A Poisson interval assumes every event is independent of every other. Two ways the demo's
counts break that are handled here (docs/methods.md, "Counts: overdispersion" and "Counts:
clustered difference in differences"):

* Overdispersion. When a group has several rows (one per month, one per unit) their spread
  shows whether the counts vary more than Poisson chance allows. The dispersion is Pearson's
  chi-square over its residual df, as R's ``glm(family = quasipoisson)`` estimates it, and the
  headline is the quasi-Poisson interval: the Poisson standard error times sqrt(dispersion),
  t on N - K df. A dispersion below 1 is not used to narrow the interval (it stays at Poisson
  width): with the few rows a pilot has, an estimate below 1 is mostly noise, and a count can
  hardly be more regular than chance without a cause someone would name. A negative binomial
  GLM (R ``MASS::glm.nb``) is run as a sensitivity. With one row per group nothing can be
  estimated, and the result says that its interval assumes Poisson variation.
* Few clusters. Cluster-robust (CR1) errors with t on G - 1 df are the headline for clustered
  rows (cluster_robust.py); with fewer than about a dozen clusters they can still be too narrow
  (Cameron and Miller 2015, section VI), and the result says so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from testlearn.domain.analysis import AggregateRow, SensitivityResult
from testlearn.stats.fit import Fit, NotEvaluable, critical, two_sided_p, wald_fit
from testlearn.stats.inputs import BoolArray, Units, exposure_of

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

#: Below this many clusters in all, CR1 with t(G - 1) can over-reject: Cameron and Miller
#: (2015, section VI) review the evidence and give no single cut-off; MacKinnon and Webb (2017)
#: find it worse when few clusters are treated, as in a DiD. docs/methods.md says why 12.
FEW_CLUSTERS_TOTAL = 12
#: The negative binomial sensitivity is an iterative fit over every row; past this many rows
#: it would keep a user waiting for a number that the quasi-Poisson headline already settles.
NEGATIVE_BINOMIAL_MAX_ROWS = 200_000
#: Why a clustered count difference in differences is not analysed from pooled rows: a
#: warning beside a verdict is lost when the verdict is quoted, and for counts no registered
#: number (unlike the ICC of a proportion) says how much wider the interval should be.
POOLED_CLUSTERED_COUNTS = (
    "the design is clustered but the rows are pooled over the clusters (no cluster column), "
    "and a count difference in differences from pooled rows treats every event as "
    "independent: with clusters that differ from each other its interval would be far too "
    "narrow to draw a verdict from; give one row per cluster and period (cluster, arm, "
    "period, events, exposure), or register an ICC and give n and cluster counts"
)


@dataclass(frozen=True)
class CountRows:
    """The rows behind the groups of a count analysis: each row's group, events and exposure."""

    group: IntArray
    events: FloatArray
    exposure: FloatArray

    def __len__(self) -> int:
        return int(self.events.shape[0])


def rows_from_units(units: Units, groups: Sequence[BoolArray]) -> CountRows:
    """Unit rows of the given groups (masks, in the order of the contrast's weights)."""
    exposure = units.exposure if units.exposure is not None else np.ones_like(units.value)
    index = [np.flatnonzero(mask) for mask in groups]
    return CountRows(
        group=np.concatenate([np.full(i.size, j, dtype=np.intp) for j, i in enumerate(index)]),
        events=np.concatenate([units.value[i] for i in index]),
        exposure=np.concatenate([exposure[i] for i in index]),
    )


def rows_from_aggregates(groups: Sequence[Sequence[AggregateRow]]) -> CountRows:
    """Aggregate rows of the given groups (several rows a group: one per month, say)."""
    flat = [(j, row) for j, rows in enumerate(groups) for row in rows]
    return CountRows(
        group=np.array([j for j, _ in flat], dtype=np.intp),
        events=np.array([float(row.events or 0.0) for _, row in flat]),
        exposure=np.array([exposure_of(row) for _, row in flat]),
    )


def pearson_dispersion(rows: CountRows, groups: int) -> tuple[float, int] | None:
    """Pearson chi-square over N - K of the Poisson model with one rate per group.

    The model is saturated in the groups, so its fitted rate is each group's events over its
    exposure and no iteration is needed. None when there is no residual df (one row a group).
    """
    df = len(rows) - groups
    if df < 1:
        return None
    events = np.bincount(rows.group, weights=rows.events, minlength=groups)
    exposure = np.bincount(rows.group, weights=rows.exposure, minlength=groups)
    mu = rows.exposure * (events / exposure)[rows.group]
    # A group without events has mu = 0 on every row, and every row there is 0: no residual.
    seen = mu > 0
    chi2 = float((((rows.events - mu) ** 2)[seen] / mu[seen]).sum())
    return chi2 / df, df


def one_row_each_warning() -> str:
    return (
        "One row per group: variation beyond Poisson chance (overdispersion, such as month-to-"
        "month swings) cannot be estimated from these data, so the interval assumes Poisson "
        "variation and is likely too narrow; rows per month or per unit would let the analysis "
        "allow for it."
    )


def allow_for_dispersion(fit: Fit, rows: CountRows, weights: Sequence[float], alpha: float) -> Fit:
    """The quasi-Poisson fit of a contrast of log rates, with the Poisson fit as a sensitivity.

    Args:
        fit: the Poisson fit of the same contrast (score or Wald), used where the dispersion
            cannot be estimated or applied, and shown beside the headline otherwise.
        rows: the rows, with the group of each in the order of ``weights``.
        weights: the contrast's weight on each group's log rate ((1, -1) for a ratio).
        alpha: for the (1 - alpha) interval.
    """
    k = len(weights)
    found = pearson_dispersion(rows, k)
    if found is None:
        return replace(fit, warnings=(*fit.warnings, one_row_each_warning()))
    dispersion, df = found
    events = np.bincount(rows.group, weights=rows.events, minlength=k)
    exposure = np.bincount(rows.group, weights=rows.exposure, minlength=k)
    w = np.asarray(weights, dtype=np.float64)
    used = w != 0
    if not (events[used] > 0).all():
        return replace(
            fit,
            warnings=(
                *fit.warnings,
                "A group had no events, so the quasi-Poisson interval (which allows for "
                "variation beyond Poisson chance) does not exist: the interval shown assumes "
                "Poisson variation and may be too narrow.",
            ),
        )
    scale = max(1.0, dispersion)
    log_ratio = float(w[used] @ np.log(events[used] / exposure[used]))
    poisson_se = math.sqrt(float((w[used] ** 2 / events[used]).sum()))
    widened = scale > 1.0
    note = (
        f"The counts vary more than Poisson chance allows (dispersion {dispersion:.2f}, "
        f"Pearson chi-square over {df} df from {len(rows):,} rows): the interval allows for it "
        f"(quasi-Poisson) and is {math.sqrt(scale):.2f} times as wide as a Poisson interval."
        if widened
        else f"The counts vary no more than Poisson chance allows (dispersion {dispersion:.2f} "
        f"from {len(rows):,} rows): the interval is kept at Poisson width, not narrowed."
    )
    poisson = SensitivityResult(
        method=fit.method.split(" on effective")[0],
        p_value=fit.p_value,
        ci_low=fit.ci_low,
        ci_high=fit.ci_high,
        note="assumes the counts vary only by Poisson chance (no allowance for overdispersion)",
    )
    return wald_fit(
        method=f"quasi-Poisson rate ratio (dispersion {scale:.3g} from Pearson chi-square), "
        f"t with N - K = {df} df",
        estimand=fit.estimand,
        estimate=math.exp(log_ratio),
        se=math.sqrt(scale) * poisson_se,
        df=float(df),
        alpha=alpha,
        arms=fit.arms,
        n_pilot=fit.n_pilot,
        n_comparator=fit.n_comparator,
        ratio=True,
        clustering=fit.clustering,
        clusters_per_arm=fit.clusters_per_arm,
        warnings=(*fit.warnings, note),
        extra_estimates=fit.extra_estimates,
        sensitivity=(*fit.sensitivity, poisson),
    )


def negative_binomial(rows: CountRows, weights: Sequence[float], alpha: float) -> SensitivityResult:
    """A negative binomial (NB2) GLM of the same contrast, as R's ``MASS::glm.nb`` fits it.

    theta is estimated by maximum likelihood; the rate ratio's Wald interval (normal, as
    ``confint.default``) uses the GLM's covariance at that theta, as ``summary.glm.nb`` does.
    """
    method = "negative binomial GLM (NB2, log exposure offset)"
    k = len(weights)
    if len(rows) > NEGATIVE_BINOMIAL_MAX_ROWS:
        return SensitivityResult(
            method=method,
            note=f"not run: over {NEGATIVE_BINOMIAL_MAX_ROWS:,} rows; the quasi-Poisson "
            "headline already allows for overdispersion",
        )
    try:
        beta, cov, theta = _fit_negative_binomial(rows, k)
    except NotEvaluable as exc:
        return SensitivityResult(method=method, note=f"not run: {exc.reason}")
    w = np.asarray(weights, dtype=np.float64)
    centre = float(w @ beta)
    se = math.sqrt(float(w @ cov @ w))
    crit = critical(alpha, None)
    return SensitivityResult(
        method=method,
        p_value=two_sided_p(centre / se, None),
        ci_low=math.exp(centre - crit * se),
        ci_high=math.exp(centre + crit * se),
        note=f"theta {theta:.4g} by maximum likelihood; Wald interval on the log scale",
    )


def _fit_negative_binomial(rows: CountRows, k: int) -> tuple[FloatArray, FloatArray, float]:
    import warnings

    from statsmodels.discrete.discrete_model import NegativeBinomial
    from statsmodels.genmod.families import NegativeBinomial as NegativeBinomialFamily
    from statsmodels.genmod.generalized_linear_model import GLM

    x = np.zeros((len(rows), k))
    x[np.arange(len(rows)), rows.group] = 1.0
    events = np.bincount(rows.group, weights=rows.events, minlength=k)
    exposure = np.bincount(rows.group, weights=rows.exposure, minlength=k)
    if not (events > 0).all():
        raise NotEvaluable("a group had no events")
    offset = np.log(rows.exposure)
    mu = rows.exposure * (events / exposure)[rows.group]
    found = pearson_dispersion(rows, k)
    moment = 0.0 if found is None else (found[0] - 1.0) / float(mu.mean())
    start = np.append(np.log(events / exposure), max(moment, 1e-4))
    with warnings.catch_warnings(record=True), np.errstate(all="ignore"):
        warnings.simplefilter("always")
        try:
            model = NegativeBinomial(rows.events, x, loglike_method="nb2", offset=offset)
            ml = None
            # statsmodels' own start (alpha 0.1 after a Poisson fit) sends Newton's method off to
            # NaN for counts in the thousands: start from the moment estimate of alpha instead.
            for method in ("newton", "bfgs"):
                ml = model.fit(start_params=start, method=method, maxiter=500, disp=0)
                if np.isfinite(ml.params).all() and ml.mle_retvals.get("converged", False):
                    break
            if ml is None or not np.isfinite(ml.params).all():
                raise NotEvaluable("the negative binomial model did not converge")
            nb_alpha = float(ml.params[-1])
            if not (math.isfinite(nb_alpha) and nb_alpha > 1e-8):
                raise NotEvaluable(
                    "the counts show no variation beyond Poisson, so the negative binomial "
                    "model reduces to the Poisson one"
                )
            glm = GLM(
                rows.events, x, family=NegativeBinomialFamily(alpha=nb_alpha), offset=offset
            ).fit(tol=1e-12, tol_criterion="params")
        except (ValueError, np.linalg.LinAlgError):
            raise NotEvaluable("the negative binomial model could not be fitted") from None
    beta = np.asarray(glm.params, dtype=np.float64)
    cov = np.asarray(glm.cov_params(), dtype=np.float64)
    if not (np.isfinite(beta).all() and np.isfinite(cov).all()):
        raise NotEvaluable("the negative binomial model gave no finite estimate")
    return beta, cov, 1.0 / nb_alpha


def few_clusters_warning(fit: Fit) -> Fit:
    """Say, beside a cluster-robust count fit, when the clusters are too few to trust CR1."""
    per_arm = fit.clusters_per_arm or ()
    total = sum(per_arm)
    if not per_arm or total >= FEW_CLUSTERS_TOTAL:
        return fit
    arms = " and ".join(
        f"{n} {name}" for n, name in zip(per_arm, ("pilot", "comparator"), strict=False)
    )
    text = (
        f"Only {total} clusters in all ({arms}): cluster-robust (CR1) errors with t on "
        f"{total - 1} df can still be too narrow with fewer than about {FEW_CLUSTERS_TOTAL} "
        "clusters (Cameron and Miller 2015), so treat the interval as a lower bound on the "
        "uncertainty; no wild cluster bootstrap was run."
        if len(per_arm) > 1
        else f"Only {total} clusters: cluster-robust (CR1) errors with t on {total - 1} df can "
        f"still be too narrow with fewer than about {FEW_CLUSTERS_TOTAL} clusters (Cameron and "
        "Miller 2015), so treat the interval as a lower bound on the uncertainty."
    )
    return replace(fit, warnings=(*fit.warnings, text))
