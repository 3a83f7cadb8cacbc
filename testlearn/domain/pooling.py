"""Pooling pilots that registered the same outcome measure: plain, JSON-ready records.

The central team asks what several pilots of one idea found together. `PilotEstimate` is one
pilot's contribution (its estimate and standard error on the scale the engine compares, with
its own verdict kept beside it); `MetaAnalysis` is the random-effects pooling of a group of
them (``testlearn.stats.meta_analysis``); `PooledOutcome` is one outcome measure across the
database with the pilots that were left out and why (``testlearn.services.pooling``).

Scales: differences (outcome units; proportions as fractions) for continuous and binary
outcomes, the natural log of the ratio for counts. A log-ratio result also gives its numbers
back as ratios (`MetaAnalysis.natural`). This module uses the standard library alone, like
``testlearn.domain.analysis``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields
from typing import Any

from testlearn.domain.analysis import Design, OutcomeType

#: The scale of the pooled numbers.
DIFFERENCE = "difference"
LOG_RATIO = "log ratio"

#: Pilots are pooled only with pilots whose comparison estimates the same kind of effect:
#: against a concurrent comparator (two groups, difference-in-differences, pairs), against
#: the pilot's own past (before and after, a time series' level change), or against a fixed
#: benchmark value (which says how far from the benchmark, not what the pilot changed).
DESIGN_FAMILIES: dict[Design, str] = {
    Design.TWO_GROUP: "concurrent comparator",
    Design.DID: "concurrent comparator",
    Design.PAIRED: "concurrent comparator",
    Design.BEFORE_AFTER: "before and after",
    Design.ITS: "before and after",
    Design.BENCHMARK: "benchmark",
}

#: How sure the pooling can be with this many pilots.
SINGLE = "single"  # one pilot: nothing to pool, its own result stands
FEW = "few"  # two pilots: computed, but tau^2 rests on one degree of freedom
POOLED = "pooled"


def scale_for(outcome_type: OutcomeType | str) -> str:
    """The scale the engine compares an outcome on: log ratios for counts, else differences."""
    return LOG_RATIO if OutcomeType(outcome_type) is OutcomeType.COUNT else DIFFERENCE


def measure_key(text: str) -> str:
    """An outcome name or unit as compared across pilots: casefolded, whitespace collapsed.

    Only spelling-level differences are forgiven ("Minutes" and "minutes ", "share of  calls"
    and "Share of calls"); different words are different measures, since nobody can tell from
    the text alone that "waiting time" and "time waited" were measured the same way.
    """
    return re.sub(r"\s+", " ", text).strip().casefold()


@dataclass(frozen=True)
class PilotEstimate:
    """One pilot's result for the outcome measure, as it goes into the pooling.

    Attributes:
        pilot: the pilot's reference ("DHSC-TL-001").
        hypothesis: the hypothesis code ("H1").
        estimate: on the pooling scale (a difference, or the log of the ratio for counts).
        se: its standard error on the same scale.
        verdict: the pilot's own verdict, shown beside the pooled one and never replaced.
        n: units analysed (both arms), where known.
        role: primary or secondary.
        design: the pilot's registered design.
        ci_low: the lower end of the pilot's own interval, as its own report prints it (the
            method's interval, which for proportions and counts is not estimate +/- 1.96 se),
            on the pooling scale; None where it has no lower limit or none was given.
        ci_high: the upper end, likewise.
        grade: the grade of the pilot's verdict (meaningful, size uncertain, trivial), for
            the verdict's words.
        evidence_level: the hypothesis's Maryland SMS level, for the same.
    """

    pilot: str
    hypothesis: str
    estimate: float
    se: float
    verdict: str
    n: float | None = None
    role: str = "primary"
    design: str = ""
    ci_low: float | None = None
    ci_high: float | None = None
    grade: str | None = None
    evidence_level: int | None = None

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class RandomEffects:
    """A random-effects pooled estimate under one estimator of tau^2.

    Attributes:
        method: "REML" or "DerSimonian-Laird".
        tau2: between-pilot variance of the true effects (pooling scale, squared).
        tau: its square root, in pooling-scale units.
        i2: per cent of the total variability that is between pilots (Higgins and Thompson).
        h2: total variability over within-pilot variability.
        estimate: the pooled (mean) effect.
        se: its standard error, 1 / sqrt(sum of the random-effects weights).
        ci_low: lower end of the 95% interval, estimate - z(0.975) se (the normal, as
            metafor's default).
        ci_high: upper end.
        z: estimate / se.
        p_value: two-sided p against no effect, from the normal.
        prediction_low: lower end of the 95% prediction interval for the effect in a new
            pilot, estimate - z(0.975) sqrt(tau^2 + se^2), as metafor's ``predict()``.
        prediction_high: upper end.
        prediction_low_t: the same with t(k - 2) for z, as Riley et al. (2011) advise and
            metafor's ``pi.type = "riley"`` gives; None with two pilots (no degrees of freedom).
        prediction_high_t: upper end.
        weights: each pilot's weight in per cent, in the order of the pilots.
        iterations: Fisher scoring steps taken (REML), None for closed forms.
    """

    method: str
    tau2: float
    tau: float
    i2: float
    h2: float
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    z: float
    p_value: float
    prediction_low: float
    prediction_high: float
    prediction_low_t: float | None
    prediction_high_t: float | None
    weights: tuple[float, ...]
    iterations: int | None = None

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class MetaAnalysis:
    """Random-effects pooling of a group of pilots' estimates.

    Attributes:
        scale: DIFFERENCE or LOG_RATIO.
        pilots: the estimates pooled, every one whatever its verdict.
        reliability: SINGLE (not pooled: the pilot's own result stands), FEW (two pilots) or
            POOLED.
        pooled: the headline, REML; None for a single pilot.
        sensitivity: DerSimonian-Laird, beside the headline; None for a single pilot.
        q: Cochran's Q against the fixed-effect (inverse-variance) mean; None for one pilot.
        q_df: k - 1.
        q_p: upper tail of chi-square(k - 1) at Q.
        notes: what a reader must know (few pilots, tau^2 at zero, directions that differ).
    """

    scale: str
    pilots: tuple[PilotEstimate, ...]
    reliability: str
    pooled: RandomEffects | None
    sensitivity: RandomEffects | None
    q: float | None
    q_df: int
    q_p: float | None
    notes: tuple[str, ...] = ()

    @property
    def k(self) -> int:
        """How many pilots."""
        return len(self.pilots)

    def natural(self, value: float | None) -> float | None:
        """A pooling-scale number back on the outcome's scale: a ratio for log ratios."""
        if value is None or self.scale != LOG_RATIO:
            return value
        return math.exp(value)

    def _ratio(self, result: RandomEffects | None) -> dict[str, Any] | None:
        """A log-ratio pooling's estimate and intervals as ratios, for readers of counts."""
        if result is None or self.scale != LOG_RATIO:
            return None
        names = (
            "estimate",
            "ci_low",
            "ci_high",
            "prediction_low",
            "prediction_high",
            "prediction_low_t",
            "prediction_high_t",
        )
        return {name: _plain(self.natural(getattr(result, name))) for name in names}

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON values; each pilot carries its REML and DL weights, and a count's pooling
        its REML estimate and intervals as ratios too (``pooled_ratio``)."""
        pilots = []
        for i, pilot in enumerate(self.pilots):
            row = pilot.to_json_dict()
            row["weight"] = None if self.pooled is None else self.pooled.weights[i]
            row["weight_dl"] = None if self.sensitivity is None else self.sensitivity.weights[i]
            pilots.append(row)
        return {
            "scale": self.scale,
            "k": self.k,
            "reliability": self.reliability,
            "pilots": pilots,
            "pooled": None if self.pooled is None else self.pooled.to_json_dict(),
            "pooled_ratio": self._ratio(self.pooled),
            "sensitivity": None if self.sensitivity is None else self.sensitivity.to_json_dict(),
            "q": _plain(self.q),
            "q_df": self.q_df,
            "q_p": _plain(self.q_p),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class LeftOut:
    """A registered hypothesis of the outcome measure that is not in the pooling, and why."""

    pilot: str
    hypothesis: str
    verdict: str | None
    reason: str

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class PooledOutcome:
    """One outcome measure registered by two or more pilots, and their pooling.

    Attributes:
        outcome_type: continuous, binary or count.
        design_family: a value of DESIGN_FAMILIES.
        outcome_name: as the first pilot (by reference) wrote it.
        outcome_unit: likewise.
        analysis: the pooling of the pilots with a usable result; None when none has one. With
            one usable result it is not pooled (reliability SINGLE: that pilot's result stands).
        left_out: hypotheses of this measure that could not be pooled, with the reason.
        notes: what a reader must know about the group as a whole.
    """

    outcome_type: str
    design_family: str
    outcome_name: str
    outcome_unit: str
    analysis: MetaAnalysis | None
    left_out: tuple[LeftOut, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def pooled(self) -> bool:
        """Whether two or more pilots' results were pooled."""
        return self.analysis is not None and self.analysis.k >= 2

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {
            "outcome_type": self.outcome_type,
            "design_family": self.design_family,
            "outcome_name": self.outcome_name,
            "outcome_unit": self.outcome_unit,
            "pooled": self.pooled,
            "analysis": None if self.analysis is None else self.analysis.to_json_dict(),
            "left_out": [item.to_json_dict() for item in self.left_out],
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Pooling:
    """Every outcome measure of a database that two or more pilots registered."""

    outcomes: tuple[PooledOutcome, ...] = ()

    @property
    def pooled(self) -> tuple[PooledOutcome, ...]:
        """The measures with two or more usable results, which were pooled."""
        return tuple(o for o in self.outcomes if o.pooled)

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {"outcomes": [o.to_json_dict() for o in self.outcomes]}


def _plain(value: object) -> Any:
    """Non-finite floats become None (JSON has no infinity); tuples become lists."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value
