"""Pooled results across pilots, as the portfolio report, the window and the command line show them.

For each outcome measure two or more pilots registered (``testlearn.services.pooling``): the
pilots with each one's own verdict, estimate and interval; the pooled average with its
interval; the between-pilot variance (tau^2) and I^2; the range a new pilot could expect (the
prediction interval); how many pilots; and one plain sentence that does not claim more than a
pooling can. A pooled average is an average over different places and ways of running a
pilot: it has no verdict of its own, it never replaces a pilot's, and a new pilot could find
anything in the prediction interval. Two pilots are flagged: tau^2 then rests on one degree
of freedom. A measure with fewer than two usable results is listed as not pooled, with why.

Proportions are in percentage points, counts as rate ratios (the service pools their logs),
means in their unit. The same words go to the PDF, its HTML twin and the window
(``measures``; the words themselves are ``reports.pooling_words``), so no two say it differently.

Example::

    blocks = pooling_blocks(found.pooling)     # the report section's content
    for measure in measures(found.pooling):    # the window's and the command line's
        print(measure.heading, measure.sentence)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reports import numbers
from reports.blocks import Block, Bullets, Chart, Fields, Table, Text
from reports.chart_drawing import ChartDrawing
from reports.chart_pooling import ForestRow, pooling_chart
from reports.pooling_words import (
    estimate_text,
    interval_range,
    pooling_facts,
    pooling_sentence,
    quoted_prediction,
    with_interval,
)
from reports.verdict_words import label, verdict_name
from testlearn.domain.pooling import MetaAnalysis, PilotEstimate, PooledOutcome, Pooling

HEADERS = ("Pilot", "Hypothesis", "Its own verdict", "Estimate", "Its own 95% CI", "Weight")
WIDTHS = (0.16, 0.15, 0.25, 0.15, 0.19, 0.1)
#: A drawing cannot break across pages, and one made smaller would print under 9 pt: up to
#: this many pilots' rows (20 pt each) fit a page with the plot's title, axis and key.
MOST_PLOTTED = 25
KINDS = {numbers.BINARY: "a proportion", numbers.COUNT: "a rate"}


@dataclass(frozen=True)
class PooledMeasure:
    """One outcome measure across pilots, in the words every reader of it is given.

    Attributes:
        heading: the measure, its kind and its comparison ("Sites rated clean (a
            proportion, against a concurrent comparator)").
        pooled: whether two or more pilots' results were pooled.
        rows: the pilots pooled, one row each under ``HEADERS``.
        facts: (what, value) pairs of the pooling; empty when nothing was pooled.
        sentence: what the pooling means, in one plain sentence.
        left_out: each hypothesis of the measure not pooled, and why.
        notes: what a reader must know (two pilots only, tau^2 at zero...).
        chart: the forest plot; None when nothing was pooled.
    """

    heading: str
    pooled: bool
    rows: tuple[tuple[str, ...], ...]
    facts: tuple[tuple[str, str], ...]
    sentence: str
    left_out: tuple[str, ...]
    notes: tuple[str, ...]
    chart: ChartDrawing | None


def measures(pooling: Pooling) -> tuple[PooledMeasure, ...]:
    """Every measure of ``pooling``, the pooled ones first (as the service orders them)."""
    shown = [_measure(o) for o in pooling.outcomes]
    return tuple(sorted(shown, key=lambda m: not m.pooled))


def pooling_blocks(pooling: Pooling) -> tuple[Block, ...]:
    """The report section "Pooled results across pilots"."""
    if not pooling.outcomes:
        return (
            Text(
                "No outcome measure was registered by two or more pilots, so nothing is pooled. "
                "Pilots are pooled when they registered the same outcome (name, unit and kind) "
                "and compared it the same way."
            ),
        )
    blocks: list[Block] = [
        Text(
            "Where several pilots registered the same outcome measure, their results are "
            "pooled by a random-effects meta-analysis (REML). Every pilot with a current "
            "result is included, whatever its verdict, and keeps its own verdict: the pooled "
            "average has none, because it was not registered. The prediction interval is "
            "what a new pilot like these could expect."
        )
    ]
    for measure in measures(pooling):
        if len(measure.rows) > MOST_PLOTTED:
            blocks.append(_by_verdict(measure))
        elif measure.rows:
            blocks.append(Table(HEADERS, measure.rows, WIDTHS, caption=measure.heading))
        else:
            blocks.append(Text(measure.heading))
        if measure.facts:
            blocks.append(Fields(measure.facts))
        blocks.append(Text(measure.sentence))
        if measure.chart is not None:
            blocks.append(Chart(measure.chart))
        extra = measure.notes + measure.left_out
        if extra:
            blocks.append(Bullets(extra))
    return tuple(blocks)


def _by_verdict(measure: PooledMeasure) -> Table:
    """Many pilots' own verdicts, counted, for the page: a row a pilot would fill pages
    (a register of a thousand pilots shares a measure among a hundred)."""
    pilots: dict[str, list[str]] = {}
    for row in measure.rows:
        pilots.setdefault(row[2], []).append(row[0])
    rows = tuple(
        (
            verdict,
            str(len(references)),
            ", ".join(references[:6])
            + (f" and {len(references) - 6} more" if len(references) > 6 else ""),
        )
        for verdict, references in pilots.items()
    )
    return Table(
        ("Its own verdict", "Pilots", "Which"),
        rows,
        (0.3, 0.1, 0.6),
        caption=f"{measure.heading}, counted by each pilot's own verdict",
    )


def summary_line(pooling: Pooling) -> str:
    """The portfolio summary's bullet on pooling; empty when no two pilots share a measure."""
    if not pooling.outcomes:
        return ""
    pooled = len(pooling.pooled)
    return (
        f"{numbers.plural(len(pooling.outcomes), 'outcome measure')} registered by two or more "
        f"pilots; {pooled} {'is' if pooled == 1 else 'are'} pooled across pilots, each pilot "
        "keeping its own verdict."
    )


def _measure(outcome: PooledOutcome) -> PooledMeasure:
    kind = KINDS.get(outcome.outcome_type) or (
        f"a mean, in {outcome.outcome_unit}" if outcome.outcome_unit.strip() else "a mean"
    )
    name = outcome.outcome_name.strip() or "the outcome"
    heading = f"{name[:1].upper()}{name[1:]} ({kind}, against {_against(outcome)})"
    found = outcome.analysis
    left_out = tuple(
        f"Not pooled: {item.pilot} {item.hypothesis}"
        + (f" ({verdict_name(item.verdict)})" if item.verdict else "")
        + f": {item.reason}."
        for item in outcome.left_out
    )
    notes = outcome.notes + (found.notes if found is not None else ())
    if found is None or found.pooled is None:
        only = found.pilots[0] if found is not None and found.pilots else None
        why = (
            f"only {only.pilot} has a usable result, so its own result stands"
            if only is not None
            else "none of its pilots has a usable result yet"
        )
        return PooledMeasure(
            heading=f"{heading}: not pooled",
            pooled=False,
            rows=tuple(_row(outcome, found, i) for i in range(found.k)) if found else (),
            facts=(),
            sentence=f"Not pooled: {why}.",
            left_out=left_out,
            # The notes on how a pooling was made (counts as log ratios, directions, one
            # pilot) say nothing more here than "not pooled" does.
            notes=(),
            chart=None,
        )
    rows = tuple(_row(outcome, found, i) for i in range(found.k))
    plotted = found.k <= MOST_PLOTTED
    if not plotted:
        notes += (
            f"Each pilot is listed, and the forest plot drawn, for up to {MOST_PLOTTED} pilots "
            f"(the most a page can plot at a legible size); these {found.k} are counted by "
            "their own verdicts, each named in the portfolio's annex.",
        )
    return PooledMeasure(
        heading=f"{heading}: {found.k} pilots",
        pooled=True,
        rows=rows,
        facts=pooling_facts(outcome, found),
        sentence=pooling_sentence(outcome, found),
        left_out=left_out,
        notes=notes,
        chart=_chart(outcome, found, heading) if plotted else None,
    )


def _against(outcome: PooledOutcome) -> str:
    return {"concurrent comparator": "a concurrent comparator", "before and after": "before"}.get(
        outcome.design_family, outcome.design_family
    )


def _row(outcome: PooledOutcome, found: MetaAnalysis, i: int) -> tuple[str, ...]:
    p = found.pilots[i]
    weight = "-" if found.pooled is None else f"{found.pooled.weights[i]:.0f}%"
    estimate, interval = _pilot_numbers(outcome, found, p)
    return (
        p.pilot,
        f"{p.hypothesis} ({p.role})",
        label(p.verdict, p.grade, p.evidence_level),
        estimate,
        interval,
        weight,
    )


def _pilot_numbers(
    outcome: PooledOutcome, found: MetaAnalysis, p: PilotEstimate
) -> tuple[str, str]:
    """A pilot's estimate and its own interval as its own report prints them."""
    estimate, low, high = (found.natural(v) for v in (p.estimate, p.ci_low, p.ci_high))
    return estimate_text(outcome, estimate, low, high), interval_range(outcome, low, high)


def _chart(outcome: PooledOutcome, found: MetaAnalysis, heading: str) -> ChartDrawing:
    def axis(value: float | None) -> float | None:
        natural = found.natural(value)
        if natural is None or not math.isfinite(natural):
            return None
        if outcome.outcome_type == numbers.COUNT:
            return (natural - 1) * 100
        return natural * (100 if outcome.outcome_type == numbers.BINARY else 1)

    rows = []
    for p in found.pilots:
        estimate, interval = _pilot_numbers(outcome, found, p)
        rows.append(
            ForestRow(
                f"{p.pilot} {p.hypothesis}",
                axis(p.estimate) or 0.0,
                axis(p.ci_low),
                axis(p.ci_high),
                verdict=p.verdict,
                words=label(p.verdict, p.grade, p.evidence_level),
                text=f"{estimate} ({interval})",
            )
        )
    pooled = found.pooled
    assert pooled is not None
    low, high, _ = quoted_prediction(found)
    average = ForestRow(
        "Pooled average",
        axis(pooled.estimate) or 0.0,
        axis(pooled.ci_low),
        axis(pooled.ci_high),
        words="no verdict of its own",
        text=with_interval(outcome, found, pooled.estimate, pooled.ci_low, pooled.ci_high),
    )
    mid = axis(pooled.estimate) or 0.0
    prediction = ForestRow(
        "A new pilot",
        mid,
        axis(low),
        axis(high),
        words="95% prediction interval",
        text=interval_range(outcome, found.natural(low), found.natural(high)),
    )
    axes = {
        numbers.BINARY: "difference, percentage points",
        numbers.COUNT: "% change in the rate (a rate ratio of 0.8 is -20%)",
    }
    unit = outcome.outcome_unit.strip() or "the outcome's units"
    name = axes.get(outcome.outcome_type, f"difference, {unit}")
    return pooling_chart(f"Pooled results: {heading}", name, rows, average, prediction)
