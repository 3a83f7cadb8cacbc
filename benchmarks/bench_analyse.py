"""`testlearn analyse` on a 1,000,000-row two-group CSV, against pandas + scipy's Welch test.

The baseline is the bare script an analyst would write: ``pandas.read_csv`` and
``scipy.stats.ttest_ind(equal_var=False)``, nothing checked, nothing else computed. testlearn
runs as a user runs it, a fresh process from the command line: it checks every row, computes
the Welch interval, the verdict and sentence, the achieved MDE and the sensitivity results.
R's read.csv + t.test is timed too when Rscript is installed. Target: within 2x of the baseline.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_import import make_csv
from benchmarks.measure import Measurement, report


def whole_command(args: list[str], repeat: int = 3) -> Measurement:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return Measurement(best, 0.0)


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
            ratio = ours.seconds / r.seconds
            print(f"  R read.csv + t.test: {r.seconds:.2f} s; testlearn/R = {ratio:.2f}")
        else:
            print("  R is not installed here: the R comparison was not run")
