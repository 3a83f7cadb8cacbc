"""From a registered hypothesis record to what the analysis engine reads."""

from __future__ import annotations

from testlearn.domain.analysis import Design, Direction, HypothesisSpec, OutcomeType, Role
from testlearn.domain.views import HypothesisView


def spec_for(hypothesis: HypothesisView, *, evaluation_design: str = "") -> HypothesisSpec:
    """The engine's view of a hypothesis. Thresholds are stored as the engine reads them.

    ``evaluation_design`` is how its pilot was run (the Evaluation Registry's design code), so
    that an analysis weaker than the design can say so.
    """
    return HypothesisSpec(
        outcome_type=OutcomeType(hypothesis.outcome_type),
        design=Design(hypothesis.design),
        benefit_threshold=hypothesis.benefit_threshold,
        direction=Direction(hypothesis.direction),
        harm_margin=hypothesis.harm_margin,
        alpha=hypothesis.alpha,
        role=Role(hypothesis.role),
        evidence_level=hypothesis.evidence_level,
        outcome_name=hypothesis.outcome_name or "the outcome",
        outcome_unit=hypothesis.outcome_unit,
        pilot_label=hypothesis.pilot_label or "the pilot",
        comparator_label=hypothesis.comparator_label or "the comparator",
        planned_n_pilot=hypothesis.planned_n_pilot,
        planned_n_comparator=hypothesis.planned_n_comparator,
        planned_clusters_per_arm=hypothesis.planned_clusters_per_arm,
        icc=hypothesis.icc,
        allocation_ratio=hypothesis.allocation_ratio,
        benchmark_value=hypothesis.benchmark_value,
        clustered_design=hypothesis.clustered_design,
        assumed_sd=hypothesis.assumed_sd,
        baseline_value=hypothesis.baseline_value,
        its_lag=hypothesis.its_lag,
        label=hypothesis.code,
        baseline_covariate=hypothesis.baseline_covariate or None,
        evaluation_design=evaluation_design,
    )
