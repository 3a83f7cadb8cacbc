"""Properties: merge order does not matter; a crash leaves all of a batch or none of it."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testlearn.services import databases
from tests.integration.merge.conftest import Department, merge
from tests.integration.merge.state import counts, state
from tests.support.postgres import fresh_database

PILOTS = ["MOJ-TL-007", "MHCLG-TL-008", "DFT-TL-009", "HO-TL-003"]
FIELDS = {
    "title": st.sampled_from(["Version one", "Version two", "Version three"]),
    "status": st.sampled_from(["live", "closed", "paused"]),
    "spend": st.sampled_from(["100000", "200000"]),
}
edit = st.tuples(st.sampled_from(PILOTS), st.sampled_from(sorted(FIELDS))).flatmap(
    lambda key: st.tuples(st.just(key[0]), st.just(key[1]), FIELDS[key[1]])
)
edits = st.lists(edit, max_size=4)


def empty_central(kind: str, folder: Path, name: str, request: pytest.FixtureRequest) -> Any:
    if kind == "sqlite":
        path = folder / f"{name}.sqlite"
        databases.create_database(path, actor="central").close()
        return path
    url = fresh_database(request.getfixturevalue("postgres_url"))
    databases.open_database(url).close()
    return url


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=edits, second=edits, delete_in_second=st.booleans())
def test_merging_a_then_b_equals_b_then_a(
    demo_file: Path,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
    kind: str,
    first: list[Any],
    second: list[Any],
    delete_in_second: bool,
) -> None:
    folder = tmp_path_factory.mktemp("order")
    a, b = Department(demo_file, folder, "a"), Department(demo_file, folder, "b")
    for reference, name, value in first:
        a.set(reference, name, value)
    for reference, name, value in second:
        b.set(reference, name, value)
    if delete_in_second:
        b.delete_pilot("DFT-TL-009")
    files = (a.export(), b.export())
    one = empty_central(kind, folder, "one", request)
    two = empty_central(kind, folder, "two", request)
    merge(one, files[0], files[1])
    merge(two, files[1], files[0])
    assert state(one) == state(two)


CRASH_SCRIPT = """
import sys
from pathlib import Path
from testlearn.services import databases, merging
target = sys.argv[1] if "://" in sys.argv[1] else Path(sys.argv[1])
with databases.open_database(target) as db:
    merging.merge([Path(p) for p in sys.argv[2:]], db=db, actor="central")
print("done", flush=True)
"""


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_crash_leaves_all_of_a_batch_or_none_of_it(
    department: Any, tmp_path: Path, kind: str, request: pytest.FixtureRequest
) -> None:
    a, b = department("a"), department("b")
    a.set("MOJ-TL-007", "title", "A's title")
    b.set("MOJ-TL-007", "title", "B's title")
    b.set("HO-TL-003", "status", "closed")
    files = [str(a.export()), str(b.export())]
    template = empty_central(kind, tmp_path, "empty-central", request)
    full = empty_central(kind, tmp_path, "full", request)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", CRASH_SCRIPT, str(full), *files], check=True)
    duration = time.perf_counter() - start
    empty_counts, full_counts = counts(template), counts(full)
    rng = random.Random(20261127)
    outcomes = {"none": 0, "all": 0}
    for attempt in range(20):
        central = empty_central(kind, tmp_path, f"central-{attempt}", request)
        process = subprocess.Popen(
            [sys.executable, "-c", CRASH_SCRIPT, str(central), *files],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(rng.uniform(0.2, duration))
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
        if kind == "sqlite":
            conn = sqlite3.connect(central)
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            conn.close()
        found = counts(central)
        assert found in (empty_counts, full_counts), f"attempt {attempt}: half a batch: {found}"
        outcomes["all" if found == full_counts else "none"] += 1
    assert outcomes["none"] > 0  # the kills did land before the commit
