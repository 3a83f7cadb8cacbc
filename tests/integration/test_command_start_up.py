"""What a command loads before it runs: the parser alone loads no database or statistics library.

Every command builds the whole parser, so a library imported there is paid by all of them;
the ORM and the statistics libraries each take longer to import than a read command needs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

HEAVY = (
    "sqlmodel",
    "sqlalchemy",
    "pydantic",
    "scipy",
    "statsmodels",
    "numpy",
    "pandas",
    "reportlab",
    "alembic",
)

PARSER_ONLY = """
import json, sys
from testlearn.cli import build_parser
build_parser().parse_args(sys.argv[1:])
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def loaded_after(probe: str, *args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", probe, *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_building_the_parser_loads_no_database_or_statistics_library() -> None:
    loaded = loaded_after(PARSER_ONLY, "pilots")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


COMMAND = """
import contextlib, io, json, sys
from testlearn.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
assert code == 0, code
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def test_listing_pilots_or_conflicts_of_a_file_loads_no_orm(
    demo_file: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "demo.sqlite"
    copy.write_bytes(demo_file.read_bytes())
    for command in (("pilots",), ("pilots", "--json"), ("conflicts",), ("conflicts", "--json")):
        loaded = loaded_after(COMMAND, "--db", str(copy), *command)
        assert not loaded & set(HEAVY), (command, sorted(loaded & set(HEAVY)))
