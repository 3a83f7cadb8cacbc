"""Analysing a file on its own, with nothing stored (statistics contract, section 5).

Kept apart from the database services so that analysing a file loads neither the
database libraries nor the window: only the reader, the engine and what they need.
"""

from __future__ import annotations

from pathlib import Path

from testlearn.domain.analysis import (
    AggregateData,
    AnalysisResult,
    Design,
    Direction,
    HypothesisSpec,
    OutcomeType,
    UnitData,
)
from testlearn.domain.fingerprint import AGGREGATE_COLUMNS
from testlearn.errors import InvalidValue


def check_file_options(benefit_threshold: float | None) -> None:
    if benefit_threshold is None:
        raise InvalidValue(
            "--benefit-threshold is needed: the smallest effect worth having, in outcome units "
            "(a fraction for proportions, per cent for counts); without it no verdict can say "
            "whether a worthwhile effect was ruled out"
        )


def analyse_file(
    path: Path,
    *,
    outcome: str,
    design: str,
    benefit_threshold: float | None,
    direction: str = "increase",
    harm_margin: float | None = None,
    alpha: float = 0.05,
    icc: float | None = None,
    benchmark: float | None = None,
    baseline: str | None = None,
) -> AnalysisResult:
    """Analyse a CSV or .xlsx directly, without a database (statistics contract, section 5).

    ``baseline`` names the baseline measure to adjust for (its column is ``baseline`` or the
    measure's own name).
    """
    from testlearn import stats
    from testlearn.services.outcome_files import (
        Expectations,
        aggregate_data,
        open_outcome_file,
        read_unit_columns,
        unit_data,
    )

    check_file_options(benefit_threshold)
    assert benefit_threshold is not None
    expect = Expectations.for_design(outcome, design, baseline=(baseline or "").strip())
    columns = read_unit_columns(Path(path), expect)
    data: UnitData | AggregateData
    if columns is not None:
        data = unit_data(columns)
    else:
        source = open_outcome_file(Path(path), expect)
        rows: dict[str, list[object]] = {name: [] for name in AGGREGATE_COLUMNS}
        for chunk in source.chunks:
            for name, values in zip(AGGREGATE_COLUMNS, zip(*chunk, strict=True), strict=True):
                rows[name].extend(values)
        data = aggregate_data(rows)
    clustered = icc is not None or (isinstance(data, UnitData) and data.cluster is not None)
    spec = HypothesisSpec(
        outcome_type=OutcomeType(outcome),
        design=Design(design),
        benefit_threshold=benefit_threshold,
        direction=Direction(direction),
        harm_margin=harm_margin,
        alpha=alpha,
        icc=icc,
        benchmark_value=benchmark,
        clustered_design=clustered,
        baseline_covariate=baseline,
    )
    return stats.analyse(spec, data)
