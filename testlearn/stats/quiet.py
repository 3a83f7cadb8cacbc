"""The boundary at which numpy's and scipy's floating-point warnings stop.

Degenerate data (every value the same, an arm of one) makes numpy divide by zero and scipy
warn of precision loss; the engine already reads such fits as not evaluable or inconclusive
and says why in its own words (the result's warnings and reason). The raw RuntimeWarning
("invalid value encountered in scalar divide") would only reach the user's terminal or the
window's log as noise, so the engine's entry points run with them silenced.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import numpy as np

P = ParamSpec("P")
R = TypeVar("R")


def quiet_numerics(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` with floating-point RuntimeWarnings silenced (numpy and scipy)."""

    @functools.wraps(function)
    def quietly(*args: P.args, **kwargs: P.kwargs) -> R:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            return function(*args, **kwargs)

    return quietly
