"""The words and numbers of a pooling across pilots: one sentence, its facts, its intervals.

Shared by the portfolio report, its HTML twin, the window and the command line through
``reports.portfolio_pooling``. Proportions read in percentage points, counts as rate ratios
(the service pools their logs; ``MetaAnalysis.natural`` gives them back), means in their unit.
The sentence claims no more than a pooling can: an average over different places and ways of
running a pilot, with no verdict of its own, beside what a new pilot could find (the
prediction interval, the t(k - 2) one below ten pilots, as docs/methods.md says).
"""

from __future__ import annotations

import math

from reports import numbers
from testlearn.domain.pooling import FEW, MetaAnalysis, PooledOutcome

#: Below this many pilots the t(k - 2) prediction interval is the one quoted (docs/methods.md).
FEW_FOR_PREDICTION = 10

COMPARED = {
    "concurrent comparator": "than in their comparison groups",
    "before and after": "than before the pilots",
    "benchmark": "than the benchmark",
}


def estimate_text(
    outcome: PooledOutcome, value: float | None, low: float | None, high: float | None
) -> str:
    if value is None:
        return "-"
    if outcome.outcome_type == numbers.COUNT:
        return f"rate ratio {_ratio(value)}"
    return numbers.result_effect(value, low, high, outcome.outcome_type, outcome.outcome_unit)


def interval_range(outcome: PooledOutcome, low: float | None, high: float | None) -> str:
    """An interval's ends in the outcome's terms: "-4.0 to 8.2 points", "0.41 to 0.93"."""
    if outcome.outcome_type == numbers.COUNT:
        return f"{_ratio(low, 'no lower limit')} to {_ratio(high, 'no upper limit')}"
    if low is None or high is None:
        return "-" if low is None and high is None else _open(outcome, low, high)
    return numbers.result_interval(low, high, outcome.outcome_type, outcome.outcome_unit).split(
        " CI ", 1
    )[1]


def _open(outcome: PooledOutcome, low: float | None, high: float | None) -> str:
    scale = 100.0 if outcome.outcome_type == numbers.BINARY else 1.0
    unit = " points" if scale == 100 else f" {outcome.outcome_unit}".rstrip()
    if low is None and high is not None:
        return f"no lower limit to {high * scale:.1f}{unit}"
    assert low is not None
    return f"{low * scale:.1f}{unit} to no upper limit"


def _ratio(value: float | None, unbounded: str = "-") -> str:
    if value is None or not math.isfinite(value):
        return unbounded
    return f"{value:.2f}"


def quoted_prediction(found: MetaAnalysis) -> tuple[float, float, str]:
    """The prediction interval to quote (pooling scale) and how it was made."""
    pooled = found.pooled
    assert pooled is not None
    if 2 < found.k < FEW_FOR_PREDICTION and pooled.prediction_low_t is not None:
        assert pooled.prediction_high_t is not None
        how = f"t with {found.k - 2} degrees of freedom, as advised with few pilots"
        return pooled.prediction_low_t, pooled.prediction_high_t, how
    how = "normal; indicative only, from two pilots" if found.reliability == FEW else "normal"
    return pooled.prediction_low, pooled.prediction_high, how


def pooling_facts(outcome: PooledOutcome, found: MetaAnalysis) -> tuple[tuple[str, str], ...]:
    pooled, dl = found.pooled, found.sensitivity
    assert pooled is not None
    low, high, how = quoted_prediction(found)
    pilots = numbers.count(found.k) + (
        " (two only: the pooling is unreliable, its intervals indicative)"
        if found.reliability == FEW
        else ""
    )
    average = with_interval(outcome, found, pooled.estimate, pooled.ci_low, pooled.ci_high)
    test = (
        f"; Q = {found.q:.2f} on {found.q_df} df, {numbers.p_value(found.q_p)}"
        if found.q is not None
        else ""
    )
    facts = [
        ("Pilots", pilots),
        ("Pooled average", f"{average}, by REML"),
        (
            "A new pilot",
            f"{interval_range(outcome, found.natural(low), found.natural(high))}: the 95% "
            f"prediction interval ({how})",
        ),
        (
            "tau²",
            f"how much the pilots' true effects vary: {_tau(outcome, pooled.tau2, pooled.tau)}",
        ),
        ("I²", f"{pooled.i2:.0f}% of the spread of the results is between pilots{test}"),
    ]
    if dl is not None:
        facts.append(
            (
                "Check",
                "DerSimonian-Laird gives "
                f"{with_interval(outcome, found, dl.estimate, dl.ci_low, dl.ci_high)}; "
                f"tau² {_tau(outcome, dl.tau2, dl.tau)}",
            )
        )
    return tuple(facts)


def with_interval(
    outcome: PooledOutcome, found: MetaAnalysis, value: float, low: float, high: float
) -> str:
    natural = [found.natural(v) for v in (value, low, high)]
    interval = interval_range(outcome, natural[1], natural[2])
    return f"{estimate_text(outcome, *natural)} (95% CI {interval})"


def _tau(outcome: PooledOutcome, tau2: float, tau: float) -> str:
    """tau^2 in the pilots' terms, with tau beside it, which reads in the outcome's units."""
    if tau2 == 0:
        return "0, the pilots differ no more than chance would make them"
    if outcome.outcome_type == numbers.BINARY:
        return f"{_figure(tau2 * 10_000)} points² (tau {_figure(tau * 100)} points)"
    if outcome.outcome_type == numbers.COUNT:
        return f"{_figure(tau2)} on the log rate ratio scale (tau {_figure(tau)})"
    unit = f" {outcome.outcome_unit.strip()}".rstrip()
    return f"{_figure(tau2)}{unit}{'²' if unit else ''} (tau {_figure(tau)}{unit})"


def _figure(value: float) -> str:
    """Two significant figures, never in exponent form."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else "-"
    places = max(0, min(6, 1 - math.floor(math.log10(abs(value)))))
    return f"{value:,.{places}f}"


def pooling_sentence(outcome: PooledOutcome, found: MetaAnalysis) -> str:
    """One plain sentence: the average, what it is not, and what a new pilot could find."""
    pooled = found.pooled
    assert pooled is not None
    low, high, _ = quoted_prediction(found)
    name = outcome.outcome_name.strip() or "the outcome"
    compared = COMPARED.get(outcome.design_family, "than their comparison")
    average = _words(outcome, found.natural(pooled.estimate), pooled.ci_low, pooled.ci_high, found)
    interval = with_interval(outcome, found, pooled.estimate, pooled.ci_low, pooled.ci_high)
    # "(95% CI ...)" for a difference; "(rate ratio 0.68, 95% CI ...)" for a count, whose
    # average the sentence gives as a per cent change.
    if outcome.outcome_type == numbers.COUNT:
        interval = interval.replace(" (95% CI", ", 95% CI")[:-1]
    else:
        interval = interval[interval.index("(") + 1 : -1]
    crosses = pooled.ci_low < 0 < pooled.ci_high
    start = (
        "With only two pilots, and so only as an indication: averaged"
        if found.reliability == FEW
        else "Averaged"
    )
    what = f"the rate of {name}" if outcome.outcome_type == numbers.COUNT else name
    return (
        f"{start} across these {found.k} pilots, {what} came out {average} {compared} "
        f"({interval}{', so the average could be no difference at all' if crosses else ''}); "
        "this is an average over different places and ways of running the pilot, not what "
        "any one of them found, it carries no verdict of its own, and a new pilot like these "
        f"could find anything from {_words(outcome, found.natural(low), low, high, found)} to "
        f"{_words(outcome, found.natural(high), low, high, found)}."
    )


def _words(
    outcome: PooledOutcome, value: float | None, low: float, high: float, found: MetaAnalysis
) -> str:
    """A value as higher or lower: "2.1 points higher", "38% lower", "no different"."""
    if value is None:
        return "-"
    if outcome.outcome_type == numbers.COUNT:
        change = (value - 1) * 100
        size, unit = abs(change), "%"
        places = 0 if size >= 10 else 1
    else:
        scale = 100.0 if outcome.outcome_type == numbers.BINARY else 1.0
        change = value * scale
        size = abs(change)
        unit = " points" if scale == 100 else f" {outcome.outcome_unit.strip()}".rstrip()
        half = (high - low) / 2 * scale
        places = max(0, min(4, 1 - math.floor(math.log10(half)))) if half > 0 else 1
    text = f"{size:,.{places}f}"
    if float(text.replace(",", "")) == 0:
        return "no different"
    return f"{text}{unit} {'higher' if change > 0 else 'lower'}"
