"""The t, normal and chi-square tail functions the everyday analyses need, from scipy.special.

``scipy.stats`` computes these with the same special functions (``t.cdf`` is
``special.stdtr``, ``norm.ppf`` is ``special.ndtri``, ``chi2.sf`` is ``special.chdtrc``), but
importing it takes about 0.6 s more than ``scipy.special`` alone: longer than R takes to read
and test a million-row file. So the common paths (the Welch and paired t tests, Wald
intervals, the verdict's TOST and MDE, the sample-ratio check) use these, and ``scipy.stats``
is imported only inside the rarer methods that need more of it (exact tests, meta-analysis).
Equality with ``scipy.stats`` is tested value for value (tests/unit/test_distributions.py).
"""

from __future__ import annotations

from scipy import special


def t_cdf(x: float, df: float) -> float:
    """P(T <= x) for Student's t with ``df`` degrees of freedom."""
    return float(special.stdtr(df, x))


def t_sf(x: float, df: float) -> float:
    """P(T > x)."""
    return float(special.stdtr(df, -x))


def t_ppf(q: float, df: float) -> float:
    """The ``q`` quantile of t(df)."""
    return float(special.stdtrit(df, q))


def norm_cdf(x: float) -> float:
    """P(Z <= x) for the standard normal."""
    return float(special.ndtr(x))


def norm_sf(x: float) -> float:
    """P(Z > x)."""
    return float(special.ndtr(-x))


def norm_ppf(q: float) -> float:
    """The ``q`` quantile of the standard normal."""
    return float(special.ndtri(q))


def chi2_sf(x: float, df: float) -> float:
    """P(X > x) for chi-square with ``df`` degrees of freedom."""
    return float(special.chdtrc(df, x))
