"""Limits on what a user hands in, and how it is echoed back in a message.

A value pasted by mistake (a whole file on one line) must neither be stored nor fill the
terminal when a message quotes it: values longer than ``LONGEST_TEXT`` are refused with their
length, and a message quotes at most ``QUOTED`` characters of any value.
"""

from __future__ import annotations

#: The most characters one value may have (a field, a reason, a name): about five pages.
LONGEST_TEXT = 10_000
#: The most characters of a value a message repeats.
QUOTED = 200
#: The most characters of one message, whatever it quotes.
LONGEST_MESSAGE = 1_000


def quoted(value: object, limit: int = QUOTED) -> str:
    """``repr``-style quoting of a user's value, cut to ``limit`` characters with an ellipsis."""
    text = str(value)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text):,} characters)"


def shortened(message: str, limit: int = LONGEST_MESSAGE) -> str:
    """A message cut to ``limit`` characters, saying how long it was."""
    if len(message) <= limit:
        return message
    return f"{message[:limit]}… (message cut; {len(message):,} characters in all)"


def too_long(what: str, text: str, limit: int = LONGEST_TEXT) -> str | None:
    """The refusal for a value over the limit, or None when it fits."""
    if len(text) <= limit:
        return None
    return f"{what} is {len(text):,} characters long; at most {limit:,} are allowed"
