"""What an analysis takes in and what it hands back: plain, typed, JSON-ready records.

The statistics engine (`testlearn.stats`) reads a `HypothesisSpec` and either `UnitData` (one row
per unit, the CSV shape of the statistics contract) or `AggregateData` (one row per arm and
period, or per time point for a time series), and returns an `AnalysisResult`. Services, reports
and the window only ever see these records, never numpy or scipy objects, so this module uses the
standard library alone.

Conventions (docs/methods.md has the detail):

* Estimates are in outcome units: proportions as fractions, not percentage points. Count
  outcomes are compared as ratios (pilot over comparator, after over before).
* Thresholds are in outcome units (a fraction for proportions: 0.043 is 4.3 points), except for
  counts, where they are percentages of change in the rate (10 means 10%).
* Non-finite numbers (an interval that is unbounded because an arm had no events) become
  ``None`` in `to_json_dict`, since JSON has no infinity; ``ci_low`` present with ``ci_high``
  ``None`` reads "no upper bound".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from enum import Enum, StrEnum
from typing import Any

from testlearn.errors import InvalidValue


class OutcomeType(StrEnum):
    """How the outcome is measured: a mean, a proportion, or events per exposure."""

    CONTINUOUS = "continuous"
    BINARY = "binary"
    COUNT = "count"


class Design(StrEnum):
    """The comparison the pilot was registered with (statistics contract, section 2)."""

    TWO_GROUP = "two-group"
    DID = "did"
    BEFORE_AFTER = "before-after"
    ITS = "its"
    BENCHMARK = "benchmark"
    PAIRED = "paired"
    STEPPED_WEDGE = "stepped-wedge"


class Direction(StrEnum):
    """Which way is benefit."""

    INCREASE = "increase"
    DECREASE = "decrease"


class Role(StrEnum):
    """Primary (one per pilot, tested at alpha), secondary (Holm-adjusted) or exploratory."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    EXPLORATORY = "exploratory"


class Verdict(StrEnum):
    """The verdict table of the statistics contract, section 3."""

    SUCCESS = "success"
    HARM = "harm"
    NO_MEANINGFUL_EFFECT = "no_meaningful_effect"
    NON_INFERIOR = "non_inferior"
    INCONCLUSIVE = "inconclusive"
    NOT_EVALUABLE = "not_evaluable"


class Grade(StrEnum):
    """How big a success (against the benefit threshold) or a harm (against the harm margin) is."""

    MEANINGFUL = "meaningful"
    SIZE_UNCERTAIN = "size_uncertain"
    TRIVIAL = "trivial"


class InconclusiveCause(StrEnum):
    """Why an inconclusive result could not tell: the plan, the delivery, both, or the data."""

    BY_DESIGN = "by_design"  # the registered design MDE was above the benefit threshold
    BY_SHORTFALL = "by_shortfall"  # fewer units were analysed than planned
    BY_DESIGN_AND_SHORTFALL = "by_design_and_shortfall"
    NOISIER_THAN_PLANNED = "noisier_than_planned"  # planned well, delivered in full, still too wide
    UNKNOWN = "unknown"  # no design MDE or planned n was registered


ARM_PILOT = "pilot"
ARM_COMPARATOR = "comparator"
PERIOD_BEFORE = "before"
PERIOD_AFTER = "after"


def _enum(kind: type[Enum], value: object, name: str) -> Any:
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in kind)
        raise InvalidValue(f"{name} must be one of {allowed}; got {value!r}.") from None


@dataclass(frozen=True)
class HypothesisSpec:
    """A registered hypothesis: everything the engine needs besides the data.

    Attributes:
        outcome_type: continuous (mean), binary (proportion) or count (events per exposure).
        design: the registered comparison.
        benefit_threshold: smallest effect worth having (> 0). Outcome units, a fraction for
            proportions, a percentage of change for counts.
        direction: which way is benefit.
        harm_margin: largest acceptable loss (>= 0), same units; None means the threshold.
        alpha: two-sided; the headline interval is the (1 - alpha) interval.
        role: primary, secondary or exploratory.
        evidence_level: Maryland Scientific Methods Scale 1-5 claimed for the design; caps the
            causal wording of the sentence ("led to" only from level 3).
        outcome_name: what is measured, as it should read in a sentence ("time to first visual
            on scene").
        outcome_unit: unit of a continuous outcome ("minutes"); proportions are always read in
            percentage points and counts in per cent.
        pilot_label: who got the pilot, for sentences ("pilot schools").
        comparator_label: what they are compared with ("comparison schools").
        planned_n_pilot: planned units in the pilot arm (per period for did).
        planned_n_comparator: planned units in the comparator arm (per period for did).
        planned_clusters_per_arm: planned clusters (schools, trusts, sites) per arm.
        icc: intra-cluster correlation assumed at registration, used for the design MDE and as
            the design effect for clustered aggregates.
        allocation_ratio: planned pilot:comparator ratio of units (1.0 for equal arms); turns
            on the sample-ratio-mismatch check.
        benchmark_value: the fixed status-quo value of the benchmark design (a fraction for
            proportions, a rate per unit exposure for counts).
        clustered_design: units were assigned or sampled in clusters (cluster RCT, stepped
            wedge, sites): analysing without clustering then draws a warning.
        assumed_sd: outcome standard deviation assumed at registration (continuous design MDE).
        baseline_value: comparator proportion or rate assumed at registration (binary and count
            design MDE).
        its_lag: Newey-West lag for a time series; None picks floor(4 (T/100)^(2/9)).
        its_interruption: first time point of the after segment, when the data carry no period.
        label: short name for the hypothesis in reports ("H1").
        baseline_covariate: the baseline measure registered for adjustment (the same measure
            before the pilot, one value per unit, in the data's baseline column), as it reads
            in a sentence ("attendance in the year before"); None for no adjustment.
        evaluation_design: how the pilot was run, in the Evaluation Registry's terms
            ("stepped_wedge"), where known: a registered design that does not respect it
            draws a warning and no causal claim. Empty when not known (a file analysed alone).
    """

    outcome_type: OutcomeType
    design: Design
    benefit_threshold: float
    direction: Direction = Direction.INCREASE
    harm_margin: float | None = None
    alpha: float = 0.05
    role: Role = Role.PRIMARY
    evidence_level: int | None = None
    outcome_name: str = "the outcome"
    outcome_unit: str = ""
    pilot_label: str = "the pilot"
    comparator_label: str = "the comparator"
    planned_n_pilot: int | None = None
    planned_n_comparator: int | None = None
    planned_clusters_per_arm: int | None = None
    icc: float | None = None
    allocation_ratio: float | None = None
    benchmark_value: float | None = None
    clustered_design: bool = False
    assumed_sd: float | None = None
    baseline_value: float | None = None
    its_lag: int | None = None
    its_interruption: float | None = None
    label: str = ""
    baseline_covariate: str | None = None
    evaluation_design: str = ""

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        if self.baseline_covariate is not None:
            set_(self, "baseline_covariate", self.baseline_covariate.strip() or None)
        set_(self, "outcome_type", _enum(OutcomeType, self.outcome_type, "outcome type"))
        set_(self, "design", _enum(Design, self.design, "design"))
        set_(self, "direction", _enum(Direction, self.direction, "direction"))
        set_(self, "role", _enum(Role, self.role, "role"))
        if not (math.isfinite(self.benefit_threshold) and self.benefit_threshold > 0):
            raise InvalidValue("The benefit threshold must be a number greater than 0.")
        if self.harm_margin is not None and not (
            math.isfinite(self.harm_margin) and self.harm_margin >= 0
        ):
            raise InvalidValue("The harm margin must be a number of 0 or more.")
        if not 0 < self.alpha < 1:
            raise InvalidValue("Alpha must lie between 0 and 1 (usually 0.05).")
        if self.outcome_type is OutcomeType.BINARY and self.benefit_threshold >= 1:
            raise InvalidValue(
                "For a proportion the benefit threshold is a fraction: 4.3 percentage points "
                f"is 0.043, not {self.benefit_threshold:g}."
            )
        if self.outcome_type is OutcomeType.COUNT:
            decreasing_ratio = (
                self.benefit_threshold
                if self.direction is Direction.DECREASE
                else self.effective_harm_margin
            )
            if decreasing_ratio >= 100:
                raise InvalidValue(
                    "For a count a fall of 100% or more in the rate is impossible: the "
                    "threshold or margin on the decreasing side must be below 100 (per cent)."
                )
        if self.evidence_level is not None and self.evidence_level not in (1, 2, 3, 4, 5):
            raise InvalidValue("The evidence level is a Maryland Scale level from 1 to 5.")
        if self.icc is not None and not 0 <= self.icc < 1:
            raise InvalidValue("The ICC must be at least 0 and below 1.")
        if self.allocation_ratio is not None and not self.allocation_ratio > 0:
            raise InvalidValue("The allocation ratio (pilot:comparator) must be above 0.")
        for name in ("planned_n_pilot", "planned_n_comparator", "planned_clusters_per_arm"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise InvalidValue(f"{name.replace('_', ' ')} must be at least 1.")
        if self.its_lag is not None and self.its_lag < 0:
            raise InvalidValue("The Newey-West lag must be 0 or more.")

    @property
    def effective_harm_margin(self) -> float:
        """The harm margin, defaulting to the benefit threshold."""
        return self.benefit_threshold if self.harm_margin is None else self.harm_margin

    def to_json_dict(self) -> dict[str, Any]:
        """The registered fields as plain JSON values.

        A field added after results were first stored is left out while it is None, so that
        the input hash of every earlier analysis stays what it was.
        """
        return {
            f.name: _plain(getattr(self, f.name))
            for f in fields(self)
            if not (f.name in _LATER_FIELDS and getattr(self, f.name) is None)
        }


#: HypothesisSpec fields added after results were first stored (see `to_json_dict`).
_LATER_FIELDS = frozenset({"baseline_covariate"})


@dataclass(frozen=True)
class UnitData:
    """Unit-level rows, one column per attribute (columnar, so a million rows stay cheap).

    Columns are sequences of equal length: tuples, lists, or numpy arrays (not copied). Optional
    columns are None when absent. Column names are those of the CSV contract.

    Attributes:
        arm: "pilot" or "comparator" per row.
        value: the outcome (0/1 for binary, an event count for count outcomes).
        period: "before" or "after" (did, before-after, its); for a stepped wedge, the
            calendar step ("1", "2"... or "2025-06").
        cluster: cluster id (site, school, trust) for cluster-robust errors.
        unit: unit id; repeated ids mark paired measurements.
        time: time point (its).
        exposure: exposure of each row for counts (person-years, days); 1 when absent.
        baseline: the registered baseline measure of each unit, before the pilot (None for a
            row without one, which an adjusted analysis refuses).
    """

    arm: Sequence[str]
    value: Sequence[float]
    period: Sequence[str] | None = None
    cluster: Sequence[str] | None = None
    unit: Sequence[str] | None = None
    time: Sequence[float] | None = None
    exposure: Sequence[float] | None = None
    baseline: Sequence[float | None] | None = None

    def __len__(self) -> int:
        return len(self.value)


@dataclass(frozen=True)
class AggregateRow:
    """One aggregate row: an arm (and period, or time point) summarised.

    Attributes:
        arm: "pilot" or "comparator".
        n: number of units (required for continuous and binary outcomes).
        period: "before" or "after" where the design has periods.
        mean: mean of a continuous outcome.
        sd: standard deviation (n - 1 denominator) of a continuous outcome.
        successes: units with the outcome, for a proportion.
        events: events counted, for a count outcome.
        exposure: exposure over which the events were counted; when absent, n (one unit of
            exposure per unit, as for unit rows), else 1.
        clusters: number of clusters behind the row.
        time: time point, for the series of an interrupted time series.
        cluster: which cluster the row describes, for the cluster-period rows of a stepped
            wedge (with ``period`` then the calendar step).
    """

    arm: str
    n: float | None = None
    period: str | None = None
    mean: float | None = None
    sd: float | None = None
    successes: float | None = None
    events: float | None = None
    exposure: float | None = None
    clusters: int | None = None
    time: float | None = None
    cluster: str | None = None


@dataclass(frozen=True)
class AggregateData:
    """Aggregates: one row per arm and period (or per time point for a time series)."""

    rows: tuple[AggregateRow, ...]


@dataclass(frozen=True)
class ArmSummary:
    """What one arm (and period) contributed, as shown beside a result.

    Attributes:
        arm: "pilot" or "comparator".
        period: "before", "after", or None.
        n: units analysed (None for counts given without n).
        mean: mean (continuous) or proportion (binary) or rate per unit exposure (count).
        sd: standard deviation (continuous).
        successes: units with the outcome (binary).
        events: events (count).
        exposure: exposure (count).
        clusters: clusters behind the arm, where known.
        n_effective: n divided by the design effect, where one was applied.
    """

    arm: str
    period: str | None
    n: float | None
    mean: float | None
    sd: float | None = None
    successes: float | None = None
    events: float | None = None
    exposure: float | None = None
    clusters: int | None = None
    n_effective: float | None = None

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class Estimate:
    """A further estimate reported beside the headline (risk ratio, ITS slope change).

    Attributes:
        name: what it is ("slope change per time unit", "risk ratio").
        estimate: point estimate.
        ci_low: lower bound of the (1 - alpha) interval.
        ci_high: upper bound.
        p_value: two-sided p against no effect.
        method: how it was computed.
    """

    name: str
    estimate: float
    ci_low: float
    ci_high: float
    p_value: float | None
    method: str

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class SensitivityResult:
    """A sensitivity analysis, shown beside the headline and never instead of it.

    Attributes:
        method: for example "Mann-Whitney U" or "BCa bootstrap (2000 resamples)".
        p_value: two-sided p, where the method gives one.
        ci_low: lower bound of an interval for the headline estimand, where given.
        ci_high: upper bound.
        note: anything the reader needs (why it was run, why it could not be).
    """

    method: str
    p_value: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    note: str = ""

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class AnalysisResult:
    """The analysis of one hypothesis: numbers, verdict, sentence and provenance.

    Attributes:
        method: the headline method, in words ("Welch two-sample t-test").
        estimand: what `estimate` is ("difference in means, pilot minus comparator").
        estimate: the headline estimate in outcome units (a ratio for counts).
        ci_low: lower bound of the (1 - alpha) interval.
        ci_high: upper bound.
        ci_level: 1 - alpha.
        p_value: two-sided p against no effect (None when not evaluable).
        verdict: the contract's verdict.
        grade: meaningful / size uncertain / trivial for success and harm.
        mde_achieved: (z(1-alpha/2) + z(0.8)) x SE, in threshold units (per cent for counts).
        sentence: the plain-English reading.
        warnings: everything a careful reader must know.
        se: standard error of the estimate (of its log for ratios).
        df: degrees of freedom of the reference t distribution (None: normal).
        tost_p: two one-sided tests p against the harm margin and benefit threshold.
        p_adjusted: Holm-adjusted p for a secondary hypothesis.
        design_mde: minimum detectable effect of the registered design, threshold units.
        inconclusive_cause: why an inconclusive result could not tell.
        not_evaluable_reason: why there is no verdict.
        role: primary, secondary or exploratory.
        label: the hypothesis label.
        arms: per-arm summaries.
        extra_estimates: further estimates (risk ratio, slope change).
        sensitivity: sensitivity analyses.
        clustering: how clustering was handled ("none", "cluster-robust (CR1) ...").
        n_pilot: units analysed on the pilot side (after period for before-after).
        n_comparator: units on the comparator side (None where there is none).
        engine_version: version of the statistics engine.
        seed: random seed of any resampling.
        input_hash: SHA-256 of the specification and the data.
    """

    method: str
    estimand: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    ci_level: float
    p_value: float | None
    verdict: Verdict
    grade: Grade | None
    mde_achieved: float | None
    sentence: str
    warnings: tuple[str, ...]
    se: float | None = None
    df: float | None = None
    tost_p: float | None = None
    p_adjusted: float | None = None
    design_mde: float | None = None
    inconclusive_cause: InconclusiveCause | None = None
    not_evaluable_reason: str | None = None
    role: Role = Role.PRIMARY
    label: str = ""
    arms: tuple[ArmSummary, ...] = ()
    extra_estimates: tuple[Estimate, ...] = ()
    sensitivity: tuple[SensitivityResult, ...] = ()
    clustering: str = "none"
    n_pilot: float | None = None
    n_comparator: float | None = None
    engine_version: str = ""
    seed: int | None = None
    input_hash: str = ""

    @property
    def slope_change(self) -> Estimate | None:
        """The slope change of an interrupted time series, if this is one."""
        for extra in self.extra_estimates:
            if extra.name.startswith("slope change"):
                return extra
        return None

    def to_json_dict(self) -> dict[str, Any]:
        """The contract's JSON object (section 5) plus the extras, as plain JSON values."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("arms", "extra_estimates", "sensitivity"):
                out[f.name] = [item.to_json_dict() for item in value]
            else:
                out[f.name] = _plain(value)
        return out


@dataclass(frozen=True)
class SampleSize:
    """Units (and clusters) needed to detect a given effect with 80% power.

    Attributes:
        threshold: the effect to detect, in threshold units.
        n_pilot: units in the pilot arm (per period for did).
        n_comparator: units in the comparator arm; None for one-group designs.
        clusters_per_arm: clusters per arm, when the plan has a cluster size and an ICC.
        design_effect: 1 + (m - 1) ICC used, 1.0 when unclustered.
    """

    threshold: float
    n_pilot: int
    n_comparator: int | None
    clusters_per_arm: int | None
    design_effect: float

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class PilotAnalysis:
    """The analyses of one pilot's hypotheses, with Holm applied across the secondaries."""

    results: tuple[AnalysisResult, ...] = field(default_factory=tuple)

    @property
    def primary(self) -> AnalysisResult | None:
        """The primary hypothesis's result, if one was analysed."""
        for result in self.results:
            if result.role is Role.PRIMARY:
                return result
        return None

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {"results": [r.to_json_dict() for r in self.results]}


def _plain(value: object) -> Any:
    """Turn enums into their values and non-finite floats into None (JSON has no infinity)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value
