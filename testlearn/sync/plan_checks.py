"""What a merge plan must not store, found before anything is written.

Three passes over a file's plans, each rejecting records (named, with the reason) rather
than the file: a merged payload that is no valid record; a pilot whose reference another
pilot at the central store already has (so that ``show``, ``report`` and ``set`` never act
on an arbitrary one of two); and any record that refers to one not merged (a parent
rejected, a registration whose hypotheses are), so that ``verify`` passes at the central
store after the merge.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from testlearn.store.tables import RECORDS, table_of
from testlearn.store.unit_of_work import UnitOfWork
from testlearn.sync import central
from testlearn.sync.plan import RecordPlan
from testlearn.sync.validation import record_problem


def reject(plan: RecordPlan, reason: str) -> None:
    """Leave the central record as it is; nothing of the incoming one is stored."""
    plan.outcome, plan.reason = "rejected", reason
    plan.new_revisions, plan.payload, plan.head = [], None, None
    plan.merge_revision, plan.conflicts = None, []


def reject_invalid(plans: list[RecordPlan]) -> None:
    """A merged payload is checked as any record is (incoming heads were, in quarantine)."""
    for plan in plans:
        if plan.merge_revision is not None and plan.payload is not None:
            problem = record_problem(plan.entity, plan.payload)
            if problem:
                reject(plan, f"the merged record would not be valid: {problem}")


def reject_taken_references(uow: UnitOfWork, plans: list[RecordPlan]) -> None:
    """A pilot whose reference a different live pilot has is refused, named."""
    taken = central.live_pilot_references(uow)
    for plan in plans:
        payload = plan.payload
        if plan.entity != "pilot" or payload is None or payload.get("deleted"):
            continue
        reference = str(payload.get("reference") or "").strip()
        other = taken.get(reference.casefold())
        if other is not None and other != plan.row_id:
            reject(
                plan,
                f"its reference {reference} is already that of another pilot at the central "
                f"store ({other}); it was not merged, so that commands naming {reference} act "
                "on one pilot. Ask the department to give it a reference of its own",
            )
            continue
        taken[reference.casefold()] = plan.row_id


def reject_orphans(uow: UnitOfWork, plans: list[RecordPlan]) -> None:
    """A record that refers to one that is not merged (rejected, or never came) is rejected.

    Repeated until nothing more is rejected: a registration names its hypotheses, which come
    after it, and a rejected registration takes its hypotheses with it.
    """
    accepted = {(p.entity, p.row_id) for p in plans if p.outcome != "rejected"}
    present: dict[tuple[str, str], bool] = {}

    def merged(target: str, row_id: str) -> bool:
        if (target, row_id) in accepted:
            return True
        if (target, row_id) not in present:
            present[(target, row_id)] = bool(central.heads(uow, target, [row_id]))
        return present[(target, row_id)]

    changed = True
    while changed:
        changed = False
        for plan in plans:
            if plan.outcome == "rejected" or plan.payload is None:
                continue
            missing = _missing_reference(plan, merged)
            if missing:
                reject(plan, missing)
                accepted.discard((plan.entity, plan.row_id))
                changed = True


def _missing_reference(plan: RecordPlan, is_merged: Callable[[str, str], bool]) -> str | None:
    payload = plan.payload or {}
    for column, target in foreign_keys(plan.entity):
        value = payload.get(column)
        if value is not None and not is_merged(target, str(value)):
            return f"it refers to a {target.replace('_', ' ')} that is not merged"
    if plan.entity == "registration":
        for hypothesis in payload.get("hypothesis_ids") or []:
            if not is_merged("hypothesis", str(hypothesis)):
                return f"it registers hypothesis {hypothesis}, which is not merged"
    return None


@functools.cache
def foreign_keys(entity: str) -> list[tuple[str, str]]:
    """(column, referenced entity) for each reference a record of ``entity`` makes."""
    by_table = {t.__tablename__: e for e, (t, _) in RECORDS.items()}
    table = table_of(RECORDS[entity][0])
    found = []
    for column in table.columns:
        for key in column.foreign_keys:
            target = by_table.get(key.column.table.name)
            if target:
                found.append((column.name, str(target)))
    return found
