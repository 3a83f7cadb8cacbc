"""`testlearn analyse` on a 1,000,000-row two-group CSV, against pandas + scipy's Welch test.

The baseline is the bare script an analyst would write: ``pandas.read_csv`` and
``scipy.stats.ttest_ind(equal_var=False)``, nothing checked, nothing else computed. testlearn
runs as a user runs it, a fresh process from the command line: it checks every row, computes
the Welch interval, the verdict and sentence, the achieved MDE and the sensitivity results.
R's read.csv + t.test is timed too when Rscript is installed (Debian's r-base-core). Targets:
within 2x of the pandas baseline; at or below R's CPU time, memory within 2x of R's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_import import make_csv
from benchmarks.measure import Measurement, report


def whole_command(args: list[str], repeat: int = 3) -> Measurement:
    """Least CPU time (user + system) of ``repeat`` runs of a whole process, and its peak memory.

    ``os.wait4`` gives each child's own resource use, so R and Python are measured alike.
    """
    best: Measurement | None = None
    for _ in range(repeat):
        start = time.perf_counter()
        child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise RuntimeError(f"{args[0]} failed with exit status {child.returncode}")
        measured = Measurement(
            time.perf_counter() - start,
            usage.ru_maxrss / 1024,
            usage.ru_utime + usage.ru_stime,
        )
        if best is None or measured.cpu_seconds < best.cpu_seconds:
            best = measured
    assert best is not None
    return best


def run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "two-group.csv"
        make_csv(source, clusters=False)  # a plain two-group file: the baseline's question
        baseline = whole_command(
            [
                sys.executable,
                "-c",
                "import pandas as pd; from scipy import stats; "
                f"d = pd.read_csv({str(source)!r}); "
                "r = stats.ttest_ind(d.value[d.arm == 'pilot'], d.value[d.arm == 'comparator'], "
                "equal_var=False); print(r.pvalue, r.confidence_interval())",
            ]
        )
        ours = whole_command(
            [
                sys.executable,
                "-m",
                "testlearn",
                "analyse",
                str(source),
                "--outcome",
                "continuous",
                "--design",
                "two-group",
                "--benefit-threshold",
                "1",
                "--json",
            ]
        )
        report(
            "testlearn analyse FILE (whole command)",
            ours,
            baseline,
            "pandas read_csv + scipy Welch (whole script)",
        )
        if shutil.which("Rscript"):
            r = whole_command(
                [
                    "Rscript",
                    "-e",
                    f"d <- read.csv('{source}'); print(t.test(value ~ arm, data = d))",
                ]
            )
            report(
                "testlearn analyse FILE (whole command)", ours, r, "R read.csv + t.test (Rscript)"
            )
        else:
            print("  R is not installed here (apt-get install r-base-core): not compared with R")
