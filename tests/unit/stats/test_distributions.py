"""The tail functions from scipy.special, and the Mann-Whitney test without scipy.stats.

The common analyses avoid importing scipy.stats (0.6 s of a million-row analysis); these
tests hold the replacements to scipy.stats value for value and the rank test to R.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from testlearn.stats import distributions as dist
from testlearn.stats.sensitivity import mann_whitney

DF = st.one_of(st.floats(0.5, 1e7), st.just(float("inf")))
Q = st.floats(1e-12, 1 - 1e-12)
X = st.floats(-60, 60)


@given(x=X, df=DF)
def test_t_tails_equal_scipy_stats(x: float, df: float) -> None:
    assert dist.t_cdf(x, df) == sps.t.cdf(x, df)
    assert dist.t_sf(x, df) == sps.t.sf(x, df)


@given(q=Q, df=DF)
def test_t_quantiles_equal_scipy_stats(q: float, df: float) -> None:
    assert dist.t_ppf(q, df) == sps.t.ppf(q, df)


@given(x=X, q=Q)
def test_normal_equals_scipy_stats(x: float, q: float) -> None:
    assert dist.norm_cdf(x) == sps.norm.cdf(x)
    assert dist.norm_sf(x) == sps.norm.sf(x)
    assert dist.norm_ppf(q) == sps.norm.ppf(q)


@given(x=st.floats(0, 500), df=st.integers(1, 50))
def test_chi_square_tail_equals_scipy_stats(x: float, df: int) -> None:
    assert dist.chi2_sf(x, df) == sps.chi2.sf(x, df)


def test_sample_ratio_p_equals_scipy_chisquare() -> None:
    from testlearn.stats.integrity import sample_ratio_p

    for pilot, comparator, ratio in [(480, 520, 1.0), (300, 700, 0.5), (1, 40, 2.0)]:
        share = ratio / (1 + ratio)
        total = pilot + comparator
        expected = [total * share, total * (1 - share)]
        want = sps.chisquare([pilot, comparator], expected).pvalue
        assert sample_ratio_p(pilot, comparator, ratio) == pytest.approx(want, rel=1e-12)


# R 4.2.2: wilcox.test(x, y, exact = FALSE, correct = TRUE); W is U of x.
R_WILCOX = [
    (
        [1.2, 3.4, 2.2, 5.1, 3.4, 2.9, 4.4, 1.8, 3.3, 2.7],
        [2.1, 3.4, 4.8, 5.5, 3.9, 4.1, 6.2, 3.4, 4.4, 5.0, 3.3],
        26.0,
        0.0439282636947895,
    ),
    (
        [1.0] * 12 + [2.0] * 9 + [3.0] * 4,
        [1.0] * 5 + [2.0] * 10 + [3.0] * 11,
        202.0,
        0.0142079525085897,
    ),
]


@pytest.mark.parametrize(("x", "y", "w", "p"), R_WILCOX)
def test_mann_whitney_matches_r(x: list[float], y: list[float], w: float, p: float) -> None:
    result = mann_whitney(np.array(x), np.array(y))
    assert result.p_value == pytest.approx(p, rel=1e-12)
    assert f"{w / (len(x) * len(y)):.3f}" in result.note


samples = st.lists(st.integers(-5, 5).map(lambda v: v / 2), min_size=1, max_size=60)


@settings(max_examples=200)
@given(x=samples, y=samples)
def test_mann_whitney_agrees_with_scipy_at_every_size(x: list[float], y: list[float]) -> None:
    """Ties everywhere; small samples still go to scipy's exact method."""
    first, second = np.array(x), np.array(y)
    want = sps.mannwhitneyu(first, second, alternative="two-sided")
    got = mann_whitney(first, second)
    assert got.p_value == pytest.approx(float(want.pvalue), rel=1e-9, abs=1e-15)
    share = float(want.statistic) / (first.size * second.size)
    assert f"{share:.3f}" in got.note


def test_mann_whitney_with_every_value_tied_says_no_difference() -> None:
    assert mann_whitney(np.ones(20), np.ones(30)).p_value == 1.0


def test_a_two_group_analysis_does_not_import_scipy_stats(tmp_path: Path) -> None:
    source = tmp_path / "two.csv"
    rng = np.random.default_rng(7)
    rows = [
        f"{'pilot' if i % 2 else 'comparator'},{v:.3f}"
        for i, v in enumerate(rng.normal(50, 10, 400))
    ]
    source.write_text("arm,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    script = (
        "import sys; from pathlib import Path\n"
        "from testlearn.services.file_analysis import analyse_file\n"
        f"r = analyse_file(Path({str(source)!r}), outcome='continuous', design='two-group',"
        " benefit_threshold=1)\n"
        "assert r.verdict is not None\n"
        "print(sorted(m for m in sys.modules if m.startswith(('scipy.stats', 'scipy.optimize',"
        " 'statsmodels'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
