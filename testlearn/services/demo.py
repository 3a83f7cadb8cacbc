"""The demo: the ten pilots of the product's scenarios, and the demo database they fill.

The pilots are data (``demo_pilots.toml`` beside this module). Each is entered the way a
team would: the pilot, its procurement and KPIs, its comparators and hypotheses; then the
registration (dated before any data), the outcome data, costs, lessons and the decision,
each through the same services the window uses, and each on the date the pilot's record
gives it (``demo_history``): a demo report then says the data came before the decision.

The demo database is a file of its own in the user's data folder, marked as the demo in its
file information, so that the demo pilots never sit in a user's register or go into an
export for the central team. It is built whole under a temporary name and renamed into
place, so a cancelled or failed build leaves no half-made demo behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
import uuid
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from testlearn.domain.pilot_detail import PilotSummary
from testlearn.errors import DatabaseFileError, TestlearnError

if TYPE_CHECKING:
    from testlearn.store.database import Database

DATA_FILE = "demo_pilots.toml"
#: The file information key that marks the demo database; its value is the sha256 of the
#: data file it was built from, so a changed data file (a new release) rebuilds the demo.
DEMO_KEY = "demo_pilots"
_PREVIEW_IDS = uuid.UUID("5b1c0e4e-4d65-4d6f-9d1a-746573746c72")

Progress = Callable[[float], None]
Cancel = Callable[[], bool]


class DemoCancelled(TestlearnError):
    """Building the demo was cancelled; no demo database was left behind."""


def data_bytes() -> bytes:
    return resources.files(__package__).joinpath(DATA_FILE).read_bytes()


def data_version() -> str:
    """The sha256 of the demo data file, recorded in the demo database built from it."""
    return hashlib.sha256(data_bytes()).hexdigest()


def demo_pilots() -> list[dict[str, Any]]:
    """The ten demo pilots, P1 to P10, in order, as read from the data file (a fresh copy)."""
    demos: list[dict[str, Any]] = tomllib.loads(data_bytes().decode("utf-8"))["demo"]
    return demos


def first_recorded_at() -> dt.datetime:
    """When the demo's history starts (the earliest pilot's design): a file holding the
    demo pilots is created then."""
    from testlearn.services.demo_history import first_recorded_at as first

    return first(demo_pilots())


def add_demo_pilots(
    *,
    db: Database,
    actor: str,
    progress: Progress | None = None,
    should_cancel: Cancel | None = None,
    analyse: bool = False,
) -> list[str]:
    """Add the demo pilots, each step dated as the pilot ran; returns their references.

    The steps of the ten pilots are recorded in the order they happened
    (:mod:`testlearn.services.demo_history`), so the file must hold nothing later than the
    first of them (:func:`first_recorded_at`). With ``analyse`` each pilot is analysed on
    its own analysis date, before the lessons and decision that cite the results.
    ``should_cancel`` is asked before each step; when it says yes, :class:`DemoCancelled`
    is raised (the steps recorded so far stay: callers build into a file they can discard).
    """
    from testlearn.services.demo_history import chronology

    demos = demo_pilots()
    steps = list(chronology(demos, db=db, actor=actor, analyse=analyse))
    for i, (moment, record) in enumerate(steps):
        if should_cancel is not None and should_cancel():
            raise DemoCancelled("building the demo was cancelled")
        record(moment)
        if progress is not None:
            progress((i + 1) / len(steps))
    return [demo["pilot"]["reference"] for demo in demos]


def add_demo_pilot(demo: dict[str, Any], *, db: Database, actor: str) -> None:
    """Add one demo pilot (or a copy of one) today, every step at the clock's time.

    For a database of many copies (the benchmarks): undated, so any number of copies can
    follow one another in a file without its history going back in time.
    """
    from testlearn.services.demo_history import pilot_steps

    for _moment, record in pilot_steps(demo, db=db, actor=actor, analyse=False):
        record(None)


def preview() -> list[PilotSummary]:
    """The demo's pilot list as the demo database will list it, read from the data file alone.

    Shown while the demo database is being built (a few seconds at first start), so that a
    new user sees the ten pilots at once. Nothing is analysed yet, so no verdicts; the ids
    are placeholders that the built database's list replaces.
    """
    rows = []
    for demo in demo_pilots():
        pilot = demo["pilot"]
        hypotheses = len(demo.get("hypotheses", []))
        found = _search_text(demo)
        words = f"{pilot['reference']}\n{pilot['title']}\n{pilot['lead_organisation']}".casefold()
        if found:
            words = "\n".join([words, *[t for _w, t in found]])
        rows.append(
            PilotSummary(
                uuid.uuid5(_PREVIEW_IDS, pilot["reference"]),
                pilot["reference"],
                pilot["title"],
                pilot["lead_organisation"],
                pilot.get("primary_mission"),
                pilot["status"],
                pilot.get("spend"),
                pilot["marking"],
                hypotheses,
                hypotheses > 0,  # add_demo_pilot registers every pilot that has hypotheses
                search_text=tuple(found),
                search_words=words,
                primary_evidence_level=next(
                    (
                        h.get("evidence_level")
                        for h in demo.get("hypotheses", [])
                        if h.get("role", "primary") == "primary"
                    ),
                    None,
                ),
            )
        )
    return sorted(rows, key=lambda row: row.reference)


def _search_text(demo: dict[str, Any]) -> list[tuple[str, str]]:
    """What the pilot list searches besides its columns, as the database list gives it
    (testlearn.store.queries): the problem statement, each hypothesis, each lesson."""
    found = []
    if demo["pilot"].get("problem_statement"):
        found.append(("problem statement", demo["pilot"]["problem_statement"].casefold()))
    for h in demo.get("hypotheses", []):
        words = f"{h.get('statement', '')}\n{h.get('outcome_name', '')}"
        found.append((f"hypothesis {h['code']}", words.casefold()))
    for lesson in demo.get("lessons", []):
        parts = ("what_happened", "root_cause", "recommendation", "owner")
        found.append(("lesson", "\n".join(lesson.get(p) or "" for p in parts).casefold()))
    return found


def is_demo(db: Database) -> bool:
    """Whether ``db`` is the demo database (File > Open the demo), not someone's register."""
    with db.reading() as uow:
        return uow.get_info(DEMO_KEY) is not None


def open_demo(path: Path) -> Database | None:
    """The demo database at ``path`` if it is there and built from this data file, else None.

    A demo that is missing, damaged or built from an older data file is simply built again:
    it holds nothing of the user's.
    """
    from testlearn.services.databases import open_database

    if not path.is_file():
        return None
    try:
        db = open_database(path)
    except DatabaseFileError:
        return None
    with db.reading() as uow:
        current = uow.get_info(DEMO_KEY) == data_version()
    if current:
        return db
    db.close()
    return None


def build_demo_database(
    path: Path,
    *,
    actor: str,
    progress: Progress | None = None,
    should_cancel: Cancel | None = None,
) -> Database:
    """Build the demo database at ``path`` (replacing an outdated one), analysed, and open it.

    The file is built under a temporary name beside ``path`` and renamed into place only when
    it is whole, so Cancel (``should_cancel``, asked between pilots and before the rename),
    a failure or a crash leaves no demo under its final name.
    """
    from testlearn.services.databases import create_database, open_database
    from testlearn.temporary_files import (
        put_in_place,
        remove_leftovers,
        remove_with_sidecars,
        temporary_name,
    )

    def check() -> None:
        if should_cancel is not None and should_cancel():
            raise DemoCancelled("building the demo was cancelled")

    path.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(path.parent)
    building = temporary_name(path, "building")
    db: Database | None = None
    try:
        db = create_database(building, actor=actor, recorded_at=first_recorded_at())
        # The demo is more use with its verdicts in place: each pilot is analysed on the
        # date its record gives, between its data and its decision.
        add_demo_pilots(
            db=db, actor=actor, progress=progress, should_cancel=should_cancel, analyse=True
        )
        check()
        with db.transaction(actor) as uow:
            uow.set_info(DEMO_KEY, data_version())
        db.close()
        db = None
        put_in_place(building, path, replace=True)  # over an outdated demo, if one is there
    except BaseException:
        if db is not None:
            db.close()
        remove_with_sidecars(building)
        raise
    return open_database(path)
