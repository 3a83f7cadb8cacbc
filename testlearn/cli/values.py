"""Reading the values given on the command line: the one place numbers and lengths are checked.

Every number option is read by :func:`number` (finite, within the option's range), and every
text value by :func:`refuse_long_values` before a command runs, so that a value pasted by
mistake is refused in one line naming the option, with its length and the limit.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

from testlearn.domain import formats
from testlearn.domain.user_text import LONGEST_TEXT, quoted, too_long
from testlearn.errors import InvalidValue

#: Plain numbers beyond this size are no threshold, margin or benchmark of a pilot.
LARGEST = 1e15


def number(
    option: str,
    *,
    above: float | None = None,
    at_least: float | None = None,
    below: float | None = None,
) -> Callable[[str], float]:
    """An argparse ``type`` for a number option: 0.05, 1,200, 1e-3; never NaN or infinity."""

    def read(text: str) -> float:
        written = text.strip()
        try:
            value = float(written)
        except ValueError:
            try:
                value = formats.parse_number(written)
            except ValueError:
                raise InvalidValue(
                    f"{option}: {quoted(text)} is not a number; {formats.NUMBER_HINT}"
                ) from None
        if not math.isfinite(value):
            raise InvalidValue(f"{option}: {formats.NUMBER_HINT} (not NaN or infinity)")
        if abs(value) > LARGEST:
            raise InvalidValue(f"{option}: {written} is out of range; at most {LARGEST:,.0f}")
        if above is not None and value <= above:
            raise InvalidValue(f"{option}: must be more than {above:g} (not {value:g})")
        if at_least is not None and value < at_least:
            raise InvalidValue(f"{option}: must be {at_least:g} or more (not {value:g})")
        if below is not None and value >= below:
            raise InvalidValue(f"{option}: must be less than {below:g} (not {value:g})")
        return value

    return read


def refuse_long_values(args: argparse.Namespace) -> None:
    """InvalidValue naming the first text value longer than ``LONGEST_TEXT`` characters."""
    for name, value in vars(args).items():
        texts = value if isinstance(value, list) else [value]
        for text in texts:
            if isinstance(text, str):
                refusal = too_long(_what(args, name), text, LONGEST_TEXT)
                if refusal is not None:
                    raise InvalidValue(refusal)


def _what(args: argparse.Namespace, name: str) -> str:
    field = getattr(args, "field", None)
    if name == "value" and isinstance(field, str):
        return f"the value for {quoted(field, 40)}"
    return f"the {name.replace('_', '-')} given"
