"""`analyse`: one hypothesis, one dataset, one result with its verdict, sentence and provenance.

The steps: fingerprint the inputs; run the design x outcome method (unit rows or aggregates);
check integrity (sample-ratio mismatch); orient the interval and decide the verdict; compute
the TOST p, the achieved MDE and, when inconclusive, its cause; run the sensitivity analyses;
collect the warnings; write the sentence. Any failed integrity check ends in a not-evaluable
result that says why, never in a default number.
"""

from __future__ import annotations

from dataclasses import dataclass

from testlearn.domain.analysis import (
    AggregateData,
    AnalysisResult,
    ArmSummary,
    Design,
    HypothesisSpec,
    InconclusiveCause,
    SensitivityResult,
    UnitData,
    Verdict,
)
from testlearn.stats.aggregate_rows import plan_aggregates
from testlearn.stats.baseline_adjustment import adjusted_plan
from testlearn.stats.bootstrap import Cancel, Progress
from testlearn.stats.fit import Fit, NotEvaluable
from testlearn.stats.integrity import (
    check_sample_ratio,
    shortfall_text,
    unclustered_analysis,
    warnings_for,
)
from testlearn.stats.multiplicity import Adjustment
from testlearn.stats.plan import Plan
from testlearn.stats.power import design_mde
from testlearn.stats.quiet import quiet_numerics
from testlearn.stats.reproducibility import input_hash
from testlearn.stats.sentence import Reading, not_evaluable_sentence, sentence
from testlearn.stats.unit_rows import plan_units
from testlearn.stats.verdict import achieved_mde, decide, orient, tost_p

# 1.4.0: the stepped wedge, period and cluster adjusted; 1.3.0: registered baseline
# adjustment (ANCOVA); 1.2.0: quasi-Poisson counts
ENGINE_VERSION = "1.4.0"
DEFAULT_SEED = 20240401
DEFAULT_RESAMPLES = 2000


def _cause(spec: HypothesisSpec, fit: Fit, planned_mde: float | None) -> InconclusiveCause:
    by_design = planned_mde is not None and planned_mde > spec.benefit_threshold
    short = bool(shortfall_text(spec, fit))
    if by_design and short:
        return InconclusiveCause.BY_DESIGN_AND_SHORTFALL
    if by_design:
        return InconclusiveCause.BY_DESIGN
    if short:
        return InconclusiveCause.BY_SHORTFALL
    if planned_mde is not None:
        return InconclusiveCause.NOISIER_THAN_PLANNED
    return InconclusiveCause.UNKNOWN


def _integrity(spec: HypothesisSpec, plan: Plan) -> None:
    fit = plan.fit
    per_arm = fit.clusters_per_arm if fit.clustering != "none" else None
    if per_arm and len(per_arm) == 2:
        check_sample_ratio(spec, per_arm[0], per_arm[1], "clusters")
    elif spec.design is Design.DID:
        # Units of both periods count towards the allocation.
        totals = [
            sum(a.n or 0.0 for a in fit.arms if a.arm == arm) for arm in ("pilot", "comparator")
        ]
        check_sample_ratio(spec, totals[0], totals[1], "units")
    elif fit.n_pilot is not None and fit.n_comparator is not None:
        check_sample_ratio(spec, fit.n_pilot, fit.n_comparator, "units")


@dataclass(frozen=True)
class Prepared:
    """A hypothesis with its fit done and its verdict still to draw.

    Splitting here lets a pilot collect its secondaries' p-values for Holm before any verdict
    is decided, without fitting anything twice.
    """

    spec: HypothesisSpec
    plan: Plan | None
    provenance: dict[str, object]
    seed: int
    reason: str | None = None  # why it is not evaluable

    @property
    def p_value(self) -> float | None:
        """The headline p, or None when not evaluable."""
        return None if self.plan is None or self.reason else self.plan.fit.p_value


@quiet_numerics
def prepare(spec: HypothesisSpec, data: UnitData | AggregateData, *, seed: int) -> Prepared:
    """Fingerprint the inputs, run the method and the integrity checks.

    Raises:
        InvalidValue: malformed input.
    """
    provenance = {
        "engine_version": ENGINE_VERSION,
        "seed": seed,
        "input_hash": input_hash(spec, data),
        "role": spec.role,
        "label": spec.label,
    }
    plan: Plan | None = None
    try:
        if spec.baseline_covariate is not None:  # the registered plan adjusts for a baseline
            plan = adjusted_plan(spec, data)
        elif isinstance(data, AggregateData):
            plan = plan_aggregates(spec, data)
        else:
            plan = plan_units(spec, data)
        _integrity(spec, plan)
    except NotEvaluable as exc:
        return Prepared(spec, plan, provenance, seed, exc.reason)
    return Prepared(spec, plan, provenance, seed)


def analyse(
    spec: HypothesisSpec,
    data: UnitData | AggregateData,
    *,
    seed: int = DEFAULT_SEED,
    sensitivity: bool = True,
    bootstrap_resamples: int = DEFAULT_RESAMPLES,
    progress: Progress | None = None,
    should_cancel: Cancel | None = None,
) -> AnalysisResult:
    """Analyse one hypothesis.

    Args:
        spec: the registered hypothesis.
        data: unit rows or aggregates.
        seed: seed of the bootstrap; the same inputs and seed give the same numbers.
        sensitivity: run the sensitivity analyses (the bootstrap is the slow part: about
            10 ms per resample per million rows).
        bootstrap_resamples: number of bootstrap resamples.
        progress: called with the fraction done (0 to 1) during the bootstrap.
        should_cancel: polled during the bootstrap; returning True cancels.

    Returns:
        The result; `verdict` is not_evaluable (with the reason) when an integrity check fails.

    Raises:
        InvalidValue: malformed input (unknown labels, non-numbers, mismatched columns).
        AnalysisCancelled: `should_cancel` returned True.
    """
    return finish(
        prepare(spec, data, seed=seed),
        sensitivity=sensitivity,
        bootstrap_resamples=bootstrap_resamples,
        progress=progress,
        should_cancel=should_cancel,
    )


@quiet_numerics
def finish(
    prepared: Prepared,
    *,
    adjustment: Adjustment | None = None,
    sensitivity: bool = True,
    bootstrap_resamples: int = DEFAULT_RESAMPLES,
    progress: Progress | None = None,
    should_cancel: Cancel | None = None,
) -> AnalysisResult:
    """Draw the verdict, run the sensitivity analyses and write the sentence.

    Args:
        prepared: from `prepare`.
        adjustment: the Holm decision of a confirmatory secondary; its verdict can then be a
            success or a harm only when the adjusted p is below alpha.
        sensitivity, bootstrap_resamples, progress, should_cancel: as for `analyse`.
    """
    spec, plan, provenance = prepared.spec, prepared.plan, prepared.provenance
    if plan is None or prepared.reason is not None:
        return _not_evaluable(spec, prepared.reason or "", plan, provenance)
    seed = prepared.seed
    fit = plan.fit
    oriented = orient(fit, spec)
    verdict, grade = decide(oriented.low, oriented.high, oriented.benefit, oriented.harm)
    unadjusted: Verdict | None = None
    if (
        adjustment is not None
        and verdict in (Verdict.SUCCESS, Verdict.HARM)
        and not adjustment.rejects(spec.alpha)
    ):
        # Holm does not rule out no effect: decide as if the interval reached zero.
        unadjusted = verdict
        verdict, grade = decide(
            min(oriented.low, 0.0), max(oriented.high, 0.0), oriented.benefit, oriented.harm
        )
    planned_mde = design_mde(spec)
    mde = achieved_mde(fit, spec)
    cause = _cause(spec, fit, planned_mde) if verdict is Verdict.INCONCLUSIVE else None
    sens: tuple[SensitivityResult, ...] = fit.sensitivity
    if sensitivity and plan.sensitivity is not None:
        sens = (*sens, *plan.sensitivity(bootstrap_resamples, seed, progress, should_cancel))
    elif sensitivity and plan.sensitivity_note:
        sens = (*sens, SensitivityResult(method="none", note=plan.sensitivity_note))
    warnings = warnings_for(spec, fit, clusters_known=plan.clusters_known)
    reading = Reading(
        oriented=oriented,
        verdict=verdict,
        grade=grade,
        mde_achieved=mde,
        design_mde=planned_mde,
        cause=cause,
        shortfall=shortfall_text(spec, fit),
        caveat=(
            "too narrow: clustering not allowed for"
            if unclustered_analysis(spec, fit, plan.clusters_known)
            else ""
        ),
        adjustment=adjustment,
        unadjusted_verdict=unadjusted,
    )
    return AnalysisResult(
        method=fit.method,
        estimand=fit.estimand,
        estimate=fit.estimate,
        ci_low=fit.ci_low,
        ci_high=fit.ci_high,
        ci_level=1 - spec.alpha,
        p_value=fit.p_value,
        verdict=verdict,
        grade=grade,
        mde_achieved=mde,
        sentence=sentence(spec, fit, reading),
        warnings=tuple(warnings),
        se=fit.se,
        df=fit.df,
        tost_p=tost_p(fit, spec),
        p_adjusted=None if adjustment is None else adjustment.p_adjusted,
        design_mde=planned_mde,
        inconclusive_cause=cause,
        arms=fit.arms,
        extra_estimates=fit.extra_estimates,
        sensitivity=sens,
        clustering=fit.clustering,
        n_pilot=fit.n_pilot,
        n_comparator=fit.n_comparator,
        **provenance,  # type: ignore[arg-type]
    )


def _not_evaluable(
    spec: HypothesisSpec, reason: str, plan: Plan | None, provenance: dict[str, object]
) -> AnalysisResult:
    warnings: list[str] = []
    arms: tuple[ArmSummary, ...] = ()
    if plan is not None:
        warnings = warnings_for(spec, plan.fit, clusters_known=plan.clusters_known)
        arms = plan.fit.arms
    if spec.design is Design.ITS:
        warnings = [w for w in warnings if not w.startswith("Shortfall")]
    return AnalysisResult(
        method="not evaluated",
        estimand="",
        estimate=None,
        ci_low=None,
        ci_high=None,
        ci_level=1 - spec.alpha,
        p_value=None,
        verdict=Verdict.NOT_EVALUABLE,
        grade=None,
        mde_achieved=None,
        sentence=not_evaluable_sentence(reason, spec),
        warnings=tuple(warnings),
        design_mde=design_mde(spec),
        not_evaluable_reason=reason,
        arms=arms,
        **provenance,  # type: ignore[arg-type]
    )
