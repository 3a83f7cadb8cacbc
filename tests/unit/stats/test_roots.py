"""The bracketed root the power and score-interval equations use, against scipy's brentq.

Reports recompute every result they quote, and the design MDE needs a root; the bisection in
testlearn.stats.roots keeps scipy.optimize (0.17 s to import) out of every report. These tests
hold it to brentq's documented tolerance, and check that a brief's recomputation imports none
of scipy.optimize.
"""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import optimize

from testlearn.stats.roots import RTOL, bracketed_root


@given(
    shift=st.floats(-1e6, 1e6),
    scale=st.floats(1e-6, 1e6),
    power=st.sampled_from([1, 3, 5]),
    width=st.floats(1e-3, 1e3),
    offset=st.floats(0.01, 0.99),
)
def test_the_root_is_brentqs_to_its_tolerance(
    shift: float, scale: float, power: int, width: float, offset: float
) -> None:
    def f(x: float) -> float:
        return scale * (x - shift) ** power

    a, b = shift - offset * width, shift + (1 - offset) * width
    got = bracketed_root(f, a, b, xtol=1e-14)
    allowed = 2 * (1e-14 + RTOL * abs(shift))
    assert abs(got - shift) <= allowed
    # brentq itself can run out of iterations on a flat cube or fifth power near zero.
    want = optimize.brentq(f, a, b, xtol=1e-14, maxiter=10_000)
    assert abs(got - want) <= 2 * allowed


def test_an_end_at_the_root_is_returned_as_it_is() -> None:
    assert bracketed_root(lambda x: x - 2.0, 2.0, 5.0) == 2.0
    assert bracketed_root(lambda x: x - 5.0, 2.0, 5.0) == 5.0


def test_a_bracket_without_a_sign_change_is_refused() -> None:
    with pytest.raises(ValueError, match="no root is bracketed"):
        bracketed_root(lambda x: x * x + 1, -1.0, 1.0)


def test_a_transcendental_root_matches_brentq() -> None:
    # The counts' design-MDE equation: d - z x sqrt(w1 / (b e^-d) + w0 / b), decreasing rate.
    def gap(d: float) -> float:
        return d - 2.8 * math.sqrt(1 / 400 / (0.3 * math.exp(-d)) + 1 / 400 / 0.3)

    want = optimize.brentq(gap, 1e-6, 1.0, xtol=1e-14)
    assert bracketed_root(gap, 1e-6, 1.0, xtol=1e-14) == pytest.approx(want, abs=3e-14)


def test_a_briefs_recomputation_imports_no_scipy_optimize() -> None:
    # The demo's pilots have binary, continuous and count outcomes, and some a design MDE that
    # needs a root: every one is recomputed as a brief would.
    script = (
        "import sys, tempfile, pathlib\n"
        "from testlearn.services.analysis import analyse_all\n"
        "from testlearn.services.databases import create_database\n"
        "from testlearn.services.pilots import list_pilots\n"
        "from testlearn.services.reporting import pilot_report\n"
        "folder = pathlib.Path(tempfile.mkdtemp())\n"
        "db = create_database(folder / 'demo.sqlite', demo=True, actor='test')\n"
        "before = sorted(m for m in sys.modules if m.startswith('scipy.optimize'))\n"
        "assert before == [], before\n"
        "for p in list_pilots(db=db):\n"
        "    pilot_report(p.reference, db=db, allow_incomplete=True)\n"
        "print(sorted(m for m in sys.modules if m.startswith('scipy.optimize')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
