"""The command line's start: read commands and a brief on the demo, against bare Python floors.

Each command runs as a user runs it, a whole fresh process, on the ten-pilot demo database
(analysed, as the window's demo is). The figure is CPU time (user + system) of the child
process, from ``resource.getrusage(RUSAGE_CHILDREN)`` before and after, the median of five
rounds; in each round every command and both baselines run side by side, so a busy machine
slows them alike. Baselines:

* a bare ``python -c "import sqlite3; ..."`` that reads the pilot list from the same file
  and prints it: the floor for any read command;
* a plain reportlab script writing a two-page PDF of headings, paragraphs and a table: the
  floor for a brief.

Targets (issue 15): each read command within 0.3 s, a brief within 0.6 s. The commands run
from compiled bytecode, as an installed copy does (``python -m benchmarks`` lets them write
it; one untimed run of each comes first). Measured on the development machine (2 cores),
medians of 5:

    command        2 Dec   3 Dec   what changed, and what is left
    bare read       0.07    0.03   baseline
    pilots          0.30    0.12   sqlite3 alone
    show            1.93    0.84   still the ORM: the pilot's read models are SQLModel classes
                                   (importing sqlmodel and building the tables: 0.7 s)
    verify          2.01    0.93   still the ORM: the checks run through the unit of work
    conflicts       0.26    0.12   sqlite3 alone
    plain PDF       0.29    0.17   baseline
    brief           4.93    1.80   no scipy.optimize (its roots by bisection, 0.17 s);
                                   left: the ORM (0.7 s), scipy.special (0.3 s), reportlab and
                                   the fonts (0.2 s), recomputing and verifying (0.3 s)

The 2 December figures were taken without bytecode, on a busier machine.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from benchmarks.measure import ROOT

ROUNDS = 5
PILOT = "DHSC-TL-001"

BARE_READ = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute(
    "SELECT reference, title, lead_organisation, primary_mission, status, spend "
    "FROM pilot WHERE NOT deleted ORDER BY reference"
).fetchall()
for row in rows:
    print("  ".join("" if v is None else str(v) for v in row))
"""

PLAIN_REPORTLAB = """
import sys
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

styles = getSampleStyleSheet()
text = ("The pilot tested whether the new service did better than the comparator on the "
        "outcome registered before the data came in. ") * 6
story = []
for page in range(2):
    story.append(Paragraph(f"Ministerial brief, page {page + 1}", styles["Title"]))
    for section in range(4):
        story.append(Paragraph(f"Section {section + 1}", styles["Heading2"]))
        story.append(Paragraph(text, styles["BodyText"]))
    table = Table([["measure", "pilot", "comparator", "difference"]]
                  + [[f"row {i}", f"{0.5 + i / 100:.2f}", f"{0.45 + i / 100:.2f}", "0.05"]
                     for i in range(8)])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
    story.append(table)
    if page == 0:
        story.append(PageBreak())
SimpleDocTemplate(sys.argv[1], pagesize=A4).build(story)
"""


def cpu_seconds(args: list[str]) -> float:
    """User + system CPU time of one whole process run to its end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(args, cwd=ROOT, check=True, capture_output=True, env=_environment())
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _environment() -> dict[str, str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    environment.pop("TESTLEARN_DB", None)
    return environment


def run() -> None:
    from testlearn.services import demo

    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "demo.sqlite"
        demo.build_demo_database(database, actor="bench").close()
        testlearn = [sys.executable, "-m", "testlearn", "--db", str(database)]
        brief = Path(folder) / "brief.pdf"
        runs: dict[str, list[str]] = {
            "bare python + sqlite3 read of the pilot list": [
                sys.executable,
                "-c",
                textwrap.dedent(BARE_READ),
                str(database),
            ],
            "testlearn pilots": [*testlearn, "pilots"],
            f"testlearn show {PILOT}": [*testlearn, "show", PILOT],
            "testlearn verify": [*testlearn, "verify"],
            "testlearn conflicts": [*testlearn, "conflicts"],
            "plain reportlab two-page PDF": [
                sys.executable,
                "-c",
                textwrap.dedent(PLAIN_REPORTLAB),
                str(Path(folder) / "plain.pdf"),
            ],
            f"testlearn report {PILOT} (brief and HTML)": [
                *testlearn,
                "report",
                PILOT,
                "--out",
                str(brief),
            ],
        }
        times: dict[str, list[float]] = {label: [] for label in runs}
        for args in runs.values():  # once untimed: bytecode written, files in the OS cache
            cpu_seconds(args)
        for _ in range(ROUNDS):
            for label, args in runs.items():
                times[label].append(cpu_seconds(args))
    median = {label: statistics.median(found) for label, found in times.items()}
    floor_read = median["bare python + sqlite3 read of the pilot list"]
    floor_pdf = median["plain reportlab two-page PDF"]
    print(f"Whole processes on the demo, CPU seconds (user + system), median of {ROUNDS}")
    for label, seconds in median.items():
        if label.startswith(("bare", "plain")):
            print(f"  {label:<48} {seconds:6.2f} s  (baseline)")
            continue
        is_brief = label.startswith("testlearn report")
        floor, target = (floor_pdf, 0.6) if is_brief else (floor_read, 0.3)
        print(
            f"  {label:<48} {seconds:6.2f} s  {seconds / floor:5.1f}x the baseline "
            f"(target {target} s)"
        )


if __name__ == "__main__":
    run()
