"""The demo database: the ten pilots of the product's scenarios, registered, with data.

A new user's first start shows these, so that every screen has something true to show.
Each pilot is entered the way a team would: the pilot, its procurement and KPIs, its
comparators and hypotheses; then the registration (dated before any data), the outcome
data, costs, lessons and the decision, each through the same services the window uses.
"""

from __future__ import annotations

from typing import Any

from testlearn.services import outcome_import, pilots, registration
from testlearn.store.database import Database


def add_demo_pilots(*, db: Database, actor: str) -> list[str]:
    """Add the demo pilots; returns their references."""
    from testlearn.services.demo_pilots import DEMO_PILOTS

    added = []
    for demo in DEMO_PILOTS:
        add_demo_pilot(demo, db=db, actor=actor)
        added.append(demo["pilot"]["reference"])
    return added


def add_demo_pilot(demo: dict[str, Any], *, db: Database, actor: str) -> None:
    ref = demo["pilot"]["reference"]
    pilots.create_pilot(demo["pilot"], db=db, actor=actor)
    for procurement in demo.get("procurements", []):
        procurement = dict(procurement)
        kpis = procurement.pop("kpis", [])
        contract = pilots.add_record(ref, "procurement", procurement, db=db, actor=actor)
        for kpi in kpis:
            kpi = dict(kpi)
            ratings = kpi.pop("ratings", [])
            added = pilots.add_record(
                ref, "kpi", {**kpi, "procurement_id": contract.id}, db=db, actor=actor
            )
            for rating in ratings:
                pilots.add_record(
                    ref, "kpi_rating", {**rating, "kpi_id": added.id}, db=db, actor=actor
                )
    comparators = {}
    for comparator in demo.get("comparators", []):
        comparator = dict(comparator)
        key = comparator.pop("key")
        comparators[key] = pilots.add_record(ref, "comparator", comparator, db=db, actor=actor).id
    data = {}
    for hypothesis in demo.get("hypotheses", []):
        hypothesis = dict(hypothesis)
        data[hypothesis["code"]] = hypothesis.pop("data", None)
        key = hypothesis.pop("comparator", None)
        if key is not None:
            hypothesis["comparator_id"] = comparators[key]
        pilots.add_record(ref, "hypothesis", hypothesis, db=db, actor=actor)
    if demo.get("hypotheses"):
        registration.register(ref, db=db, actor=actor, now=demo.get("registered_at"))
    for deviation in demo.get("deviations", []):
        registration.record_deviation(
            ref,
            deviation["hypothesis"],
            deviation["field"],
            deviation["value"],
            deviation["reason"],
            db=db,
            actor=actor,
        )
    for code, rows in data.items():
        if rows:
            outcome_import.import_aggregates(
                ref,
                code,
                rows["rows"],
                source_name=rows.get("source_name", f"{ref}-{code}.csv"),
                db=db,
                actor=actor,
            )
    for entity in ("cost", "lesson", "decision"):
        for values in demo.get(entity + "s", []):
            pilots.add_record(ref, entity, values, db=db, actor=actor)
    updates = demo.get("after", {})
    if updates:
        pilot = pilots.get_pilot(ref, db=db).pilot
        pilots.update_record("pilot", pilot.id, updates, db=db, actor=actor)
