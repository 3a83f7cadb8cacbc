"""Recomputing a pilot's stored results before a report quotes them.

A stored result is only a row in a file: one forged with a correctly hashed revision would
otherwise be printed beside a genuine registration hash. So a report first recomputes every
result it quotes from the verified data and the plan as registered (docs/registration.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from testlearn.domain.analysis import AnalysisResult
from testlearn.domain.views import AnalysisResultView, PilotView
from testlearn.services.analysis import analysis_inputs, finite, post_hoc_record
from testlearn.services.specs import spec_for
from testlearn.store.database import Database


@dataclass(frozen=True)
class Recomputation:
    """What recomputing a pilot's stored results found."""

    out_of_date: tuple[str, ...] = ()  # computed by another engine: analyse again to check
    mismatched: tuple[str, ...] = ()  # differ from their own data and plan: changed outside

    def __bool__(self) -> bool:
        return bool(self.out_of_date or self.mismatched)


def recompute_results(db: Database, pilot: PilotView) -> Recomputation:
    """Recompute every stored result of a pilot from its data; say where they disagree.

    A report quotes stored results, and a stored result is only a row in a file: one forged
    with a correctly hashed revision would otherwise be printed beside a genuine
    registration hash. So before a report quotes them, each is recomputed from the verified
    data and the plan as registered, and must match in engine, input hash, verdict and
    numbers. Results already out of date are left to ``report_problems``; one computed by
    another version of the engine cannot be checked, so it is out of date too.
    """
    from testlearn import stats

    with db.reading() as uow:
        inputs, _skipped = analysis_inputs(uow, pilot)
        stored = {
            item.hypothesis.id: found[0]
            for item in inputs
            if (found := uow.find("result", hypothesis_id=item.hypothesis.id))
        }
    # By id: comparing inputs themselves would compare their data row by row.
    current = {
        i.hypothesis.id
        for i in inputs
        if (s := stored.get(i.hypothesis.id)) is not None
        and s.dataset_id == i.dataset_id
        and s.hypothesis_rev == i.hypothesis.rev
    }
    if not current:
        return Recomputation()
    again = stats.analyse_pilot(
        [(spec_for(i.plan, evaluation_design=i.run_as), i.data) for i in inputs]
    ).results
    changed = None
    if any(i.post_hoc for i in inputs if i.hypothesis.id in current):
        changed = stats.analyse_pilot(
            [(spec_for(i.hypothesis, evaluation_design=i.run_as), i.data) for i in inputs]
        ).results
    problems, engines = [], []
    for n, item in enumerate(inputs):
        if item.hypothesis.id not in current:
            continue
        kept, fresh, code = stored[item.hypothesis.id], again[n], item.hypothesis.code
        if kept.engine_version != fresh.engine_version:
            engines.append(
                f"the stored result of {code} was computed by statistics engine "
                f"{kept.engine_version}, not {fresh.engine_version}: run testlearn analyse "
                f"{pilot.reference}"
            )
            continue
        later = post_hoc_record(item, changed[n]) if changed is not None and item.post_hoc else None
        if not _same(kept, fresh) or kept.detail.get("post_hoc") != later:
            problems.append(
                f"the stored result of {code} does not match a recomputation from its data "
                f"(stored {kept.verdict}, estimate {kept.estimate}; recomputed "
                f"{fresh.verdict.value}, estimate {finite(fresh.estimate)}): it was changed "
                "outside testlearn"
            )
    return Recomputation(tuple(engines), tuple(problems))


def _same(kept: AnalysisResultView, fresh: AnalysisResult) -> bool:
    def close(a: float | None, b: float | None) -> bool:
        b = finite(b)
        if a is None or b is None:
            return a is b
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))

    return (
        kept.input_hash == fresh.input_hash
        and kept.verdict == fresh.verdict.value
        and kept.grade == (fresh.grade.value if fresh.grade else None)
        and kept.sentence == fresh.sentence
        and all(
            close(getattr(kept, name), getattr(fresh, name))
            for name in ("estimate", "ci_low", "ci_high", "p_value", "p_adjusted", "mde_achieved")
        )
    )
