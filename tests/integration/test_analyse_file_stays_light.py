"""Analysing a file on its own opens no database, so it loads none of the table models."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PROBE = """
import contextlib, io, sys
sys.argv = ["testlearn", "analyse", sys.argv[1], "--outcome", "continuous", "--design",
            "two-group", "--benefit-threshold", "1", "--json"]
from testlearn.cli import main
try:
    with contextlib.redirect_stdout(io.StringIO()):
        main()
except SystemExit as end:
    assert not end.code, end.code
watched = ("testlearn.store.", "testlearn.services.databases")
print(sorted(m for m in sys.modules if m.startswith(watched)))
"""


def test_analysing_a_file_loads_no_table_models(tmp_path: Path) -> None:
    source = tmp_path / "two-group.csv"
    rows = [f"{'pilot' if i % 2 else 'comparator'},{10 + (i % 7)}" for i in range(40)]
    source.write_text("arm,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(source)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    loaded = done.stdout.strip()
    # The writer-wait notice needs only the small writer queue, not the ORM (half a second).
    assert "testlearn.store.tables" not in loaded, loaded
    assert "testlearn.services.databases" not in loaded, loaded
