"""Dates, amounts and counts as people in the UK write them, read and written back.

One parser for the window, the command line and imported records, so 15/12/2026 and £250,000
mean the same wherever they are typed. Dates are always day first: 03/04/2026 is 3 April, never
March 4. Amounts may carry £ (or GBP), commas between thousands and a k, m or bn suffix
(£250k, £1.2m, £2bn). Anything ambiguous or impossible (31/02/2026, "12,34") is refused with a
sentence saying how to write it instead, never guessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

DATE_EXAMPLE = "15/12/2026"
MONEY_EXAMPLE = "£250,000"
COUNT_EXAMPLE = "1,200"

DATE_HINT = f"write a date like {DATE_EXAMPLE}"
MONEY_HINT = f"write an amount like {MONEY_EXAMPLE}"
COUNT_HINT = f"write a whole number like {COUNT_EXAMPLE}"
NUMBER_HINT = "write a number like 0.05 or 1,200"

# English month names and the short forms people write ("Sept" as well as "Sep"), fixed here
# rather than taken from the locale, so a date reads the same on every machine.
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS: dict[str, int] = {"sept": 9}
for _number, _name in enumerate(MONTH_NAMES, start=1):
    _MONTHS[_name.casefold()] = _number
    _MONTHS[_name[:3].casefold()] = _number

_DAY_FIRST = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})$")
_YEAR_FIRST = re.compile(r"^(\d{4})([/.-])(\d{1,2})\2(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?Z?)?$")
_NAMED = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$", re.IGNORECASE)

_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_PLAIN = re.compile(r"^(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$", re.IGNORECASE)
_NUMERAL = re.compile(r"^[\d,.]+(?:e[-+]?\d+)?$", re.IGNORECASE)
_SUFFIXES = {
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "million": 1_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}
_MONEY = re.compile(
    r"^(?P<sign>-?)\s*(?:£|gbp)?\s*(?P<sign2>-?)\s*(?P<number>[\d.,]+)\s*(?P<suffix>[a-z]*)$"
)


def _date(year: int, month: int, day: int, text: str, *, day_first: bool = True) -> dt.date:
    if not 1 <= month <= 12:
        if not day_first:
            raise ValueError(f"{text} has no month {month}; {DATE_HINT}")
        raise ValueError(f"{text} has no month {month}: write the day first, like {DATE_EXAMPLE}")
    if year < 1900 or year > 2199:
        raise ValueError(f"{text}: the year {year} looks mistyped; {DATE_HINT}")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ValueError(f"{text} is not a date: {MONTH_NAMES[month - 1]} {year} has {days} days")
    return dt.date(year, month, day)


def parse_date(text: str) -> dt.date:
    """A date written day first (15/12/2026, 15-12-2026, 15 Dec 2026) or as ISO (2026-12-15)."""
    written = " ".join(text.split())
    match = _DAY_FIRST.match(written)
    if match:
        day, _, month, year = match.groups()
        if len(year) == 2:
            raise ValueError(f"{written}: write the year in full, like {DATE_EXAMPLE}")
        return _date(int(year), int(month), int(day), written)
    match = _YEAR_FIRST.match(written)
    if match:
        year, _, month, day = match.groups()
        return _date(int(year), int(month), int(day), written, day_first=False)
    match = _NAMED.match(written)
    if match:
        day, name, year = match.groups()
        month = _MONTHS.get(name.casefold())
        if month is None:
            raise ValueError(f"{written}: {name!r} is not a month; {DATE_HINT}")
        return _date(int(year), month, int(day), written)
    raise ValueError(DATE_HINT)


def format_date(value: dt.date) -> str:
    """15/12/2026: how the window shows a date."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def _decimal(number: str, *, what: str, example: str = COUNT_EXAMPLE) -> Decimal:
    """Digits with optional commas between thousands; "12,34" and "1,2345" are refused."""
    if not _NUMERAL.match(number):
        raise ValueError("")
    if "," in number and not _GROUPED.match(number):
        raise ValueError(f"{number} is not {what}: commas separate thousands, like {example}")
    plain = number.replace(",", "")
    if not _PLAIN.match(plain):
        raise ValueError("")
    try:
        return Decimal(plain)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimal digits
        raise ValueError("") from None


def parse_money(text: str) -> float:
    """An amount in pounds: £250,000, 250000, £1.2m, £250k, GBP 3,000.50."""
    written = " ".join(text.split())
    match = _MONEY.match(written.casefold())
    if not match:
        raise ValueError(MONEY_HINT)
    suffix = match.group("suffix")
    if suffix and suffix not in _SUFFIXES:
        raise ValueError(f"{written}: {MONEY_HINT} (or £250k, £1.2m)")
    number = match.group("number")
    try:
        amount = _decimal(number, what="an amount", example=MONEY_EXAMPLE)
    except ValueError as error:
        raise ValueError(str(error) or MONEY_HINT) from None
    if not suffix and "." in number and len(number.rsplit(".", 1)[1]) > 2:
        # 250.000 is a quarter of a million in much of Europe: refuse rather than guess.
        raise ValueError(f"{written}: write pence with two digits, like £1,234.50")
    if match.group("sign") or match.group("sign2"):
        amount = -amount
    value = float(amount * _SUFFIXES.get(suffix, 1))
    if value in (float("inf"), float("-inf")):
        raise ValueError(MONEY_HINT)
    return value


def format_money(value: float) -> str:
    """£250,000, or £1,234.50 when there are pence: how the window shows an amount to edit."""
    sign = "-" if value < 0 else ""
    pence = round(abs(value) * 100)
    pounds, rest = divmod(pence, 100)
    return f"{sign}£{pounds:,}" + (f".{rest:02d}" if rest else "")


def parse_count(text: str) -> int:
    """A whole number, with or without commas between thousands: 1200 or 1,200."""
    written = text.strip().removeprefix("+")
    negative = written.startswith("-")
    try:
        number = _decimal(written.removeprefix("-").strip(), what="a whole number")
    except ValueError as error:
        raise ValueError(str(error) or COUNT_HINT) from None
    if number != number.to_integral_value():
        raise ValueError(f"{written} is not a whole number; {COUNT_HINT}")
    return -int(number) if negative else int(number)


def format_count(value: int) -> str:
    return f"{value:,}"


def parse_number(text: str) -> float:
    """A number that may have commas between thousands (1,200.5) or none (0.043)."""
    written = text.strip().removeprefix("+")
    negative = written.startswith("-")
    try:
        number = _decimal(written.removeprefix("-").strip(), what="a number")
    except ValueError as error:
        raise ValueError(str(error) or NUMBER_HINT) from None
    value = float(number)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(NUMBER_HINT)
    return -value if negative else value
