"""Power at registration: the design's minimum detectable effect, and the n a threshold needs.

The MDE is the smallest true effect the registered design detects with 80% power in a two-sided
test at alpha: the effect d solving d = (z(1 - alpha/2) + z(0.8)) x SE(d), clustering included
through the design effect 1 + (m - 1) ICC (m = planned units / planned clusters per arm). For
proportions and counts the SE depends on the effect itself (the pilot arm's variance moves with
its proportion or rate), so d is found by root-finding; for means it is closed-form. Effects and
results are in threshold units: outcome units, a fraction for proportions, per cent for counts.

Variance per design (n1 pilot, n2 comparator; per period for did; baseline p0 / rate l0):
    two-group, before-after   var1/n1 + var0/n2
    did                       var0/n1 + var1/n1 + 2 var0/n2
    benchmark                 var1/n1
    paired (means only)       sd_diff^2 / n1
Interrupted time series and paired proportions need more than the registration holds (the
autocorrelation; the discordance), so their design MDE is None.

Why not statsmodels' power classes (measured 1 December 2026, statsmodels 0.15):
* means: the MDE is closed-form. `NormalIndPower.solve_power` finds it numerically, 6.7e-8
  off at `alternative="larger"` and alpha/2 (the contract's one-tailed formula) and 1.0e-6
  smaller two-sided (it adds the far tail), in 8 ms against 0.4 ms here;
* proportions: `power_proportions_2indep` puts the pooled proportion under the null, a
  different formula (0.7989 power at the contract's 80% MDE);
* counts: `power_poisson_ratio_2indep(method_var="alt")` is the contract's formula, but each
  evaluation takes 240 us against 0.1 us here; a design MDE makes about 100 (24 ms against
  1 ms) and `required_n` about 1,600 (0.4 s against 16 ms). The window recomputes the design
  MDE on its own thread as a hypothesis is typed (ui/hypotheses_tab.py), where that, and the
  half second statsmodels takes to import, would be felt.
test_equivalence_and_power.py checks that statsmodels' power at these MDEs is 80% to 1e-12.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from testlearn.domain.analysis import (
    Design,
    Direction,
    HypothesisSpec,
    OutcomeType,
    SampleSize,
)
from testlearn.errors import InvalidValue
from testlearn.stats.quiet import quiet_numerics
from testlearn.stats.roots import bracketed_root
from testlearn.stats.verdict import to_threshold_units, z_sum


def planned_design_effect(spec: HypothesisSpec) -> float:
    """The design effect of the registered plan (1.0 without clusters and an ICC)."""
    if spec.icc is None or spec.planned_clusters_per_arm is None or spec.planned_n_pilot is None:
        return 1.0
    m = spec.planned_n_pilot / spec.planned_clusters_per_arm
    return 1.0 + (m - 1.0) * spec.icc


def _baseline(spec: HypothesisSpec) -> float | None:
    if spec.design is Design.BENCHMARK and spec.benchmark_value is not None:
        return spec.benchmark_value
    return spec.baseline_value


def _variance_weights(spec: HypothesisSpec, n1: float, n2: float) -> tuple[float, float] | None:
    """(weight of the pilot-side variance, weight of the baseline variance) for the design."""
    design = spec.design
    if design in (Design.TWO_GROUP, Design.BEFORE_AFTER):
        return 1 / n1, 1 / n2
    if design is Design.DID:
        return 1 / n1, 1 / n1 + 2 / n2
    if design is Design.BENCHMARK:
        return 1 / n1, 0.0
    if design is Design.PAIRED and spec.outcome_type is OutcomeType.CONTINUOUS:
        return 1 / n1, 0.0
    return None


def _mde_for(spec: HypothesisSpec, n1: float, n2: float, deff: float) -> float | None:
    weights = _variance_weights(spec, n1, n2)
    if weights is None:
        return None
    w1, w0 = weights
    zs = z_sum(spec.alpha)
    if spec.outcome_type is OutcomeType.CONTINUOUS:
        if spec.assumed_sd is None:
            return None
        return zs * spec.assumed_sd * math.sqrt(deff * (w1 + w0))
    base = _baseline(spec)
    if base is None:
        return None
    sign = 1.0 if spec.direction is Direction.INCREASE else -1.0
    if spec.outcome_type is OutcomeType.BINARY:
        if not 0 < base < 1:
            raise InvalidValue("The baseline proportion must lie strictly between 0 and 1.")
        limit = (1 - base) if sign > 0 else base

        def gap(d: float) -> float:
            p1 = base + sign * d
            return d - zs * math.sqrt(deff * (p1 * (1 - p1) * w1 + base * (1 - base) * w0))

        return _first_root(gap, limit * (1 - 1e-12))
    if base <= 0:
        raise InvalidValue("The baseline rate must be above 0.")

    # Counts: n are exposures; on the log scale, var(log rate) = 1 / expected events.
    def gap_log(d: float) -> float:
        rate1 = base * math.exp(sign * d)
        return d - zs * math.sqrt(deff * (w1 / rate1 + w0 / base))

    d = _first_root(gap_log, 50.0)
    return d if math.isinf(d) else to_threshold_units(d, spec, ratio=True)


def _first_root(gap: Callable[[float], float], top: float) -> float:
    """Smallest d in (0, top] where gap(d) = d - z-sum x SE(d) turns positive; inf if never.

    The SE moves with d (a proportion nearing 0.5, a rate falling towards 0), so gap need not
    be monotone: scan a grid for the first sign change, then refine.
    """
    grid = [top * 10.0 ** (-k / 8) for k in range(14 * 8, -1, -1)]
    previous = 1e-15
    for d in grid:
        if gap(d) >= 0:
            return bracketed_root(gap, previous, d, xtol=1e-14)
        previous = d
    return math.inf  # even the largest possible change is not detectable


def _planned_sizes(spec: HypothesisSpec) -> tuple[float, float] | None:
    if spec.planned_n_pilot is None:
        return None
    n2 = spec.planned_n_comparator
    if n2 is None and spec.design in (Design.TWO_GROUP, Design.DID):
        return None
    return float(spec.planned_n_pilot), float(n2 if n2 is not None else spec.planned_n_pilot)


@quiet_numerics
def design_mde(spec: HypothesisSpec) -> float | None:
    """The registered design's minimum detectable effect, in threshold units.

    None when the registration lacks what it needs: planned n, and the assumed SD (means), the
    baseline proportion or rate (proportions, counts), or for time series and paired
    proportions, where the registration cannot pin the variance down.
    """
    sizes = _planned_sizes(spec)
    if sizes is None or spec.design is Design.ITS:
        return None
    return _mde_for(spec, sizes[0], sizes[1], planned_design_effect(spec))


def required_n(spec: HypothesisSpec, threshold: float | None = None) -> SampleSize | None:
    """Units per arm (and clusters per arm) to detect `threshold` with 80% power.

    Args:
        spec: the hypothesis; its allocation ratio (pilot:comparator, default 1), ICC and
            planned cluster size are used.
        threshold: the effect to detect, threshold units; the benefit threshold by default.

    Returns:
        None when the registration lacks the assumed SD or baseline the calculation needs.
    """
    target = spec.benefit_threshold if threshold is None else threshold
    if not target > 0:
        raise InvalidValue("The effect to detect must be above 0.")
    if spec.design is Design.ITS:
        return None
    ratio = spec.allocation_ratio or 1.0
    deff = planned_design_effect(spec)
    one_group = spec.design in (Design.BENCHMARK, Design.PAIRED)

    def excess(log_n2: float) -> float:
        n2 = math.exp(log_n2)
        mde = _mde_for(spec, ratio * n2, n2, deff)
        if mde is None:
            raise LookupError
        return mde - target

    try:
        if excess(math.log(1e12)) > 0:
            raise InvalidValue("No realistic sample size detects an effect that small.")
        low_end = math.log(1e-3)
        if excess(low_end) < 0:
            n2_real = 1e-3
        else:
            n2_real = math.exp(bracketed_root(excess, low_end, math.log(1e12), xtol=1e-10))
    except LookupError:
        return None
    n2_int = max(2, math.ceil(n2_real - 1e-9))
    n1_int = max(2, math.ceil(ratio * n2_real - 1e-9))
    clusters = None
    if spec.icc is not None and spec.planned_clusters_per_arm and spec.planned_n_pilot:
        size = spec.planned_n_pilot / spec.planned_clusters_per_arm
        clusters = math.ceil(max(n1_int, n2_int if not one_group else 0) / size)
    return SampleSize(
        threshold=target,
        n_pilot=n1_int,
        n_comparator=None if one_group else n2_int,
        clusters_per_arm=clusters,
        design_effect=deff,
    )
