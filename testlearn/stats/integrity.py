"""Integrity checks and the warnings a careful reader must see beside a result.

Checks that stop an analysis (a not-evaluable result) raise `NotEvaluable`; everything else is a
warning in words, never a silent change of the numbers.
"""

from __future__ import annotations

from testlearn.domain.analysis import Design, HypothesisSpec, Role
from testlearn.stats.distributions import chi2_sf
from testlearn.stats.fit import Fit, NotEvaluable
from testlearn.stats.stepped_wedge import UNADJUSTED_WARNING, respects_run

SRM_ALPHA = 0.001
FEW_CLUSTERS = 10
SMALL_ARM = 10


def sample_ratio_p(n_pilot: float, n_comparator: float, ratio: float) -> float:
    """Chi-square goodness-of-fit p of the observed split against the planned allocation."""
    total = n_pilot + n_comparator
    share = ratio / (1 + ratio)
    expected = (total * share, total * (1 - share))
    if not min(expected) > 0:
        return float("nan")  # nothing to compare, as scipy.stats.chisquare says
    # Pearson's statistic on one degree of freedom, as scipy.stats.chisquare computes it.
    statistic = sum(
        (seen - wanted) ** 2 / wanted
        for seen, wanted in zip((n_pilot, n_comparator), expected, strict=True)
    )
    return chi2_sf(statistic, 1)


def check_sample_ratio(spec: HypothesisSpec, pilot: float, comparator: float, what: str) -> None:
    """Raise NotEvaluable on a sample-ratio mismatch (p < 0.001).

    Args:
        spec: carries the planned allocation ratio (pilot:comparator).
        pilot: units (or clusters) observed in the pilot arm.
        comparator: units (or clusters) in the comparator arm.
        what: "units" or "clusters", for the message.
    """
    if spec.allocation_ratio is None or spec.design not in (Design.TWO_GROUP, Design.DID):
        return
    p = sample_ratio_p(pilot, comparator, spec.allocation_ratio)
    if p < SRM_ALPHA:
        raise NotEvaluable(
            f"sample-ratio mismatch: {pilot:,.0f} pilot and {comparator:,.0f} comparator "
            f"{what} against a planned {spec.allocation_ratio:g}:1 allocation (chi-square "
            f"p = {p:.2g}), which points to a fault in assignment or in the data"
        )


def warnings_for(
    spec: HypothesisSpec,
    fit: Fit,
    *,
    clusters_known: tuple[int, ...] | None,
) -> list[str]:
    """Warnings from the design, the clustering, the sizes and the evidence level.

    Args:
        spec: the hypothesis.
        fit: the headline fit.
        clusters_known: clusters per arm from the data (rows' cluster ids or aggregate
            `clusters`), whether or not the analysis used them.
    """
    out = list(fit.warnings)
    per_arm = fit.clusters_per_arm or clusters_known
    if per_arm is None and spec.planned_clusters_per_arm is not None:
        per_arm = (spec.planned_clusters_per_arm,)
    if per_arm and min(per_arm) < FEW_CLUSTERS:
        out.append(
            f"Only {min(per_arm)} clusters in an arm (fewer than {FEW_CLUSTERS}): clustering "
            "matters and even cluster-robust intervals are unreliable with so few; treat the "
            "interval as too narrow."
        )
    if unclustered_analysis(spec, fit, clusters_known):
        out.append(
            "The design is clustered but the analysis does not account for clustering (no "
            "cluster column, or no ICC with cluster counts for aggregates): the interval is "
            "too narrow and the p-value too small."
        )
    if spec.design is not Design.ITS:
        for label, n, planned in (
            ("pilot", fit.n_pilot, spec.planned_n_pilot),
            ("comparator", fit.n_comparator, spec.planned_n_comparator),
        ):
            if n is not None and planned is not None and n < planned:
                short = 100 * (planned - n) / planned
                out.append(
                    f"Shortfall: {n:,.0f} units analysed in the {label} arm against "
                    f"{planned:,} planned ({short:.0f}% short)."
                    if short >= 1
                    else f"Shortfall: {n:,.0f} units analysed in the {label} arm against "
                    f"{planned:,} planned (under 1% short)."
                )
        small = [n for n in (fit.n_pilot, fit.n_comparator) if n is not None and n < SMALL_ARM]
        if small:
            out.append(
                f"An arm has fewer than {SMALL_ARM} units ({min(small):,.0f}): large-sample "
                "approximations may be poor; see the sensitivity results."
            )
    if not respects_run(spec):
        out.append(UNADJUSTED_WARNING)
    if spec.evidence_level is None:
        out.append("No evidence level is recorded, so the reading makes no causal claim.")
    elif spec.evidence_level <= 2:
        out.append(
            f"Evidence level SMS {spec.evidence_level}: the design cannot rule out other "
            "explanations, so no causal claim can be made (the reading says 'was associated "
            "with', not 'led to')."
        )
    if spec.role is Role.EXPLORATORY:
        out.append("Exploratory hypothesis: the result generates ideas and proves nothing.")
    return out


def unclustered_analysis(
    spec: HypothesisSpec, fit: Fit, clusters_known: tuple[int, ...] | None
) -> bool:
    """True when the design is clustered but the analysis did not allow for it."""
    design_is_clustered = (
        spec.clustered_design
        or spec.icc is not None
        or spec.planned_clusters_per_arm is not None
        or clusters_known is not None
    )
    return design_is_clustered and fit.clustering == "none"


def shortfall_text(spec: HypothesisSpec, fit: Fit) -> str:
    """'412 of 500 planned units in the pilot arm', or '' when nothing fell short."""
    parts = []
    for label, n, planned in (
        ("pilot", fit.n_pilot, spec.planned_n_pilot),
        ("comparator", fit.n_comparator, spec.planned_n_comparator),
    ):
        if n is not None and planned is not None and n < planned:
            parts.append(f"{n:,.0f} of {planned:,} planned units in the {label} arm")
    return "; ".join(parts)
