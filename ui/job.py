"""A unit of work handed to the worker lane: what to run, and what to do with the answer."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from testlearn.errors import TestlearnError

if TYPE_CHECKING:
    from testlearn.services.databases import Database

_ids = itertools.count(1)


class JobCancelled(TestlearnError):
    """The user pressed Cancel; nothing from the unfinished job was saved."""


@dataclass
class LaneContext:
    """What a job may use on the worker thread: the open database and the user's name.

    Only the worker thread reads or replaces ``database``; the window never touches it.
    """

    actor: str
    database: Database | None = None

    def require_database(self) -> Database:
        if self.database is None:
            raise TestlearnError("No database is open; use File > Open or File > New database.")
        return self.database


@dataclass(eq=False)
class Job:
    """One piece of background work.

    ``work`` runs on the worker thread and receives the job itself, from which it reads the
    context and reports progress; ``on_done``/``on_error`` run on the window's thread.
    """

    title: str
    work: Callable[[Job], Any]
    on_done: Callable[[Any], None] | None = None
    on_error: Callable[[BaseException], None] | None = None
    cancellable: bool = False
    id: int = field(default_factory=lambda: next(_ids))
    context: LaneContext | None = None
    _cancel: threading.Event = field(default_factory=threading.Event)
    _report: Callable[[Job, float], None] | None = None

    @property
    def ctx(self) -> LaneContext:
        assert self.context is not None, "the lane sets the context before running a job"
        return self.context

    def cancel(self) -> None:
        """Ask the job to stop at its next check (thread-safe)."""
        self._cancel.set()

    def should_cancel(self) -> bool:
        return self._cancel.is_set()

    def check_cancel(self) -> None:
        if self._cancel.is_set():
            raise JobCancelled(f"{self.title}: cancelled; nothing from it was saved")

    def progress(self, fraction: float) -> None:
        """Report progress between 0 and 1 (called on the worker thread)."""
        if self._report is not None:
            self._report(self, max(0.0, min(1.0, float(fraction))))
