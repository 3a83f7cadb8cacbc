"""The demo pilots' own history: each step of each pilot, dated as the pilot ran.

A demo pilot is entered through the same services a team uses, but not all on the day the
demo is built: a report that says the data were added on the build day, after the decision
they informed, tells a new user a false story. So every step carries the date the pilot's
record gives it: the design on the pilot's start date, the registration at `registered_at`,
each deviation at its own `recorded_at`, the outcome data at `data_added_at`, the analysis
at `analysed_at` (lessons and costs with them), the decision, the pipeline it opened and the
pilot's final status on `decided_on`. The ten pilots overlap in time, so their steps are
interleaved into one chronology: the audit log then reads forward, as an honest file's does,
and `testlearn verify` holds the demo to the rule that registration precedes the data.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from testlearn.errors import InvalidValue

if TYPE_CHECKING:
    from testlearn.store.database import Database

#: One step of a pilot's history: when it is recorded, and what records it (given that time).
Record = Callable[[dt.datetime | None], object]
Step = tuple[dt.datetime, Record]

#: The times of day the demo's steps are recorded at (UTC): a working day's.
DESIGNED_AT = dt.time(9, 30, tzinfo=dt.UTC)
DECIDED_AT = dt.time(15, 0, tzinfo=dt.UTC)
#: The fields that name a record made earlier in the same pilot (by the step's own name).
_NAMED = ("procurement_id", "kpi_id", "comparator_id")


def at(value: dt.date | dt.datetime, time: dt.time) -> dt.datetime:
    """A date from the data file as a moment: a date at ``time``, a datetime in UTC."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime.combine(value, time)


def moments(demo: dict[str, Any]) -> dict[str, dt.datetime]:
    """The dated stages of one demo pilot, checked to be in the order a pilot lives them."""
    ref = demo["pilot"]["reference"]
    stages = {"designed": at(demo["pilot"]["start_date"], DESIGNED_AT)}
    if demo.get("hypotheses"):
        stages["registered"] = at(demo["registered_at"], DESIGNED_AT)
    for i, deviation in enumerate(demo.get("deviations", [])):
        stages[f"deviation {i + 1}"] = at(deviation["recorded_at"], DESIGNED_AT)
    if any(h.get("data") for h in demo.get("hypotheses", [])):
        stages["data added"] = at(demo["data_added_at"], DESIGNED_AT)
        stages["analysed"] = at(demo["analysed_at"], DESIGNED_AT)
    for decision in demo.get("decisions", []):
        stages["decided"] = at(decision["decided_on"], DECIDED_AT)
    for (earlier, first), (later, second) in itertools.pairwise(stages.items()):
        if second < first:
            raise InvalidValue(
                f"demo pilot {ref}: {later} ({second:%d %B %Y}) comes before {earlier} "
                f"({first:%d %B %Y}); a pilot's dates must follow its life"
            )
    return stages


def first_recorded_at(demos: list[dict[str, Any]]) -> dt.datetime:
    """When the demo's history starts: the earliest pilot's design."""
    return min(moments(demo)["designed"] for demo in demos)


def chronology(
    demos: list[dict[str, Any]], *, db: Database, actor: str, analyse: bool
) -> Iterator[Step]:
    """Every demo pilot's steps, in the order they happened (pilot order breaks ties)."""
    return heapq.merge(
        *(pilot_steps(demo, db=db, actor=actor, analyse=analyse) for demo in demos),
        key=lambda step: step[0],
    )


def pilot_steps(demo: dict[str, Any], *, db: Database, actor: str, analyse: bool) -> list[Step]:
    """One demo pilot's steps, each a call to the service a team would use."""
    from testlearn.services import analysis, outcome_import, pilots, registration

    ref = demo["pilot"]["reference"]
    when = moments(demo)
    made: dict[str, Any] = {}  # ids of the records made so far, for the records naming them
    steps: list[Step] = []

    def add(entity: str, values: dict[str, Any], name: str | None = None) -> Record:
        def record(moment: dt.datetime | None) -> object:
            resolved = {k: made[v] if k in _NAMED else v for k, v in values.items()}
            added = pilots.add_record(ref, entity, resolved, db=db, actor=actor, recorded_at=moment)
            if name is not None:
                made[name] = added.id
            return added

        return record

    def create(moment: dt.datetime | None) -> object:
        # Entered at design; the status the data file gives is the one the decision left.
        designed = {**demo["pilot"], "status": "design"}
        return pilots.create_pilot(designed, db=db, actor=actor, recorded_at=moment)

    def register(moment: dt.datetime | None) -> object:
        return registration.register(ref, db=db, actor=actor, recorded_at=moment)

    def deviate(d: dict[str, Any]) -> Record:
        def record(moment: dt.datetime | None) -> object:
            return registration.record_deviation(
                ref,
                d["hypothesis"],
                d["field"],
                d["value"],
                d["reason"],
                db=db,
                actor=actor,
                recorded_at=moment,
            )

        return record

    def add_data(code: str, rows: dict[str, Any]) -> Record:
        def record(moment: dt.datetime | None) -> object:
            return outcome_import.import_aggregates(
                ref,
                code,
                rows["rows"],
                source_name=rows.get("source_name", f"{ref}-{code}.csv"),
                db=db,
                actor=actor,
                recorded_at=moment,
            )

        return record

    def analyse_it(moment: dt.datetime | None) -> object:
        return analysis.analyse_pilot(ref, db=db, actor=actor, recorded_at=moment)

    def close(moment: dt.datetime | None) -> object:
        pilot = pilots.get_pilot(ref, db=db).pilot
        status = demo["pilot"]["status"]
        if pilot.status == status:
            return pilot
        return pilots.update_record(
            "pilot", pilot.id, {"status": status}, db=db, actor=actor, recorded_at=moment
        )

    steps.append((when["designed"], create))
    decided = when.get("decided", when.get("analysed", when["designed"]))
    data_added = when.get("data added", decided)
    for i, procurement in enumerate(demo.get("procurements", [])):
        procurement = dict(procurement)
        kpis = procurement.pop("kpis", [])
        # A pipeline procurement is the next step the decision opened, not the pilot's own.
        moment = decided if procurement.get("pipeline_year") else when["designed"]
        steps.append((moment, add("procurement", procurement, f"procurement {i}")))
        for j, kpi in enumerate(kpis):
            kpi = {**kpi, "procurement_id": f"procurement {i}"}
            ratings = kpi.pop("ratings", [])
            steps.append((moment, add("kpi", kpi, f"kpi {i} {j}")))
            # KPIs are rated on the contract's results, which come with the outcome data.
            rated = max(moment, data_added)
            steps.extend(
                (rated, add("kpi_rating", {**r, "kpi_id": f"kpi {i} {j}"})) for r in ratings
            )
    for comparator in demo.get("comparators", []):
        comparator = dict(comparator)
        key = comparator.pop("key")
        steps.append((when["designed"], add("comparator", comparator, f"comparator {key}")))
    data = {}
    for hypothesis in demo.get("hypotheses", []):
        hypothesis = dict(hypothesis)
        data[hypothesis["code"]] = hypothesis.pop("data", None)
        key = hypothesis.pop("comparator", None)
        if key is not None:
            hypothesis["comparator_id"] = f"comparator {key}"
        steps.append((when["designed"], add("hypothesis", hypothesis)))
    if demo.get("hypotheses"):
        steps.append((when["registered"], register))
    for i, deviation in enumerate(demo.get("deviations", [])):
        steps.append((when[f"deviation {i + 1}"], deviate(deviation)))
    steps.extend((data_added, add_data(code, rows)) for code, rows in data.items() if rows)
    steps.extend((data_added, add("cost", values)) for values in demo.get("costs", []))
    if "analysed" in when:
        if analyse:
            steps.append((when["analysed"], analyse_it))
        steps.extend((when["analysed"], add("lesson", v)) for v in demo.get("lessons", []))
    else:
        steps.extend((decided, add("lesson", v)) for v in demo.get("lessons", []))
    steps.extend((decided, add("decision", values)) for values in demo.get("decisions", []))
    steps.append((decided, close))
    steps.sort(key=lambda step: step[0])  # stable: a pilot's own order within one moment
    return steps
