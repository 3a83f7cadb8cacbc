"""Commercially sensitive content in free text: withheld values and prices beside bid words.

The sensitive fields of a contract (should-cost, winning bid, outturn cost) are withheld from
reports unless the user includes them, but people write the same figures into lessons and
summaries ("the winning bid was 11% above the 6.1m should-cost"). This finds, in one text:

- any of the pilot's withheld values, however written (6100000, 6,100,000, £6.1m, 6.1 million,
  6,100k): a rounded figure matches when the value rounds to it;
- money or a per-unit price beside a should-cost, bid, price, outturn, tender or quote word
  ("should-cost of 1,020", "a 900,000 bid", "bid 1,048 per kWp");
- a bid (or price, outturn) compared with the should-cost in a percentage or "above/below".

Counts ("three bids", "37 bidders"), percentages alone, dates, years and money with no such
word beside it (a published budget, "a £2.4m national roll-out") are not flagged.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from testlearn.domain.fields import commercially_sensitive_fields
from testlearn.domain.records import ProcurementFields

#: Words that make a nearby amount commercial, and what the amount then is.
_WORDS = re.compile(
    r"\b(?P<word>should[- ]costs?|bids?|bidding|outturns?|pric(?:e|es|ed|ing)"
    r"|tender(?:s|ed)?|quot(?:e|es|ed|ation|ations))\b",
    re.IGNORECASE,
)
_KIND = {
    "should": "a should-cost figure",
    "bid": "a bid price",
    "out": "an outturn figure",
    "pri": "a price",
    "ten": "a tender price",
    "quo": "a quoted price",
}
#: An amount: £ optional, digits with or without thousands commas, a scale word optional.
#: Not part of a date (15/12/2026, 2026-27), a reference (DFT-TL-009) or a percentage.
_AMOUNT = re.compile(
    r"(?<![\w./-])(?P<pound>£\s?)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>bn|billion|m|million|k|thousand)\b)?"
    r"(?![\w%/]|-\d|\.\d|,\d)",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_SCALES = {"bn": 1e9, "billion": 1e9, "m": 1e6, "million": 1e6, "k": 1e3, "thousand": 1e3}
_PERCENT = re.compile(r"\b\d+(?:\.\d+)?\s?%(?:\s+(?:above|below|over|under|more|less))?")
_COMPARED = re.compile(r"\b(?:above|below|over|under|higher|lower|more than|less than)\b")
#: Where a sentence, or a clause after a semicolon, ends: each is withheld on its own.
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9£\"'(\[])|;\s+|\n\s*\n")
#: A plain number followed by one of these is a count of things, not money ("150 installers").
_COUNTED = re.compile(
    r"\s+(?:(?!(?:was|is|has|does|goes|seems|remains|means|plus|less|versus)\b)[a-z-]+s"
    r"|people|staff|children)\b"
)
_PER_UNIT = re.compile(r"\s+per\s+\w+")
#: How far, in words, a commercial word reaches to the amount it prices.
_REACH = 8

WITHHELD_DETAIL = "[commercially sensitive detail withheld]"


@dataclass(frozen=True)
class WithheldValue:
    """One value a report withholds: "should-cost" 6,100,000."""

    label: str
    amount: float


@dataclass(frozen=True)
class SensitiveSpan:
    """Where commercially sensitive words are in a text, and what they are."""

    start: int
    end: int
    words: str
    reason: str  # "a should-cost figure", "a bid compared with the should-cost"


@dataclass(frozen=True)
class _Amount:
    start: int
    end: int
    value: float
    tolerance: float
    money: bool  # written as money (£, a scale, "per unit") rather than a plain number
    per_unit: bool = False


#: How each withheld field is named in messages ("mentions a should-cost figure").
_LABELS = {
    "should_cost": "should-cost",
    "winning_bid": "winning bid",
    "outturn_cost": "outturn cost",
}


#: The sensitive fields in the order the contract record lists them.
_SENSITIVE_FIELDS = tuple(
    name
    for name in ProcurementFields.model_fields
    if name in commercially_sensitive_fields(ProcurementFields)
)


def withheld_values(
    procurements: Iterable[Any], published: Iterable[float | None] = ()
) -> tuple[WithheldValue, ...]:
    """The values a report withholds, from the pilot's contracts (views or ``XFields``).

    A value equal to one the reports print anyway (``published``: the budget, spend, a
    contract value) is left out: withholding a sentence for it would hide nothing, and would
    hide the published figure wherever it is written.
    """
    shown = [amount for amount in published if amount is not None]
    found: dict[tuple[str, float], WithheldValue] = {}
    for contract in procurements:
        for name in _SENSITIVE_FIELDS:
            amount = getattr(contract, name, None)
            if amount is None or any(abs(amount - s) < 0.5 for s in shown):
                continue
            label = _LABELS.get(name, name.replace("_", " "))
            found.setdefault((label, amount), WithheldValue(label, float(amount)))
    return tuple(found.values())


def pilot_withheld(
    contracts: Sequence[Any],
    pilot_amounts: Iterable[float | None],
    cost_amounts: Iterable[float | None],
) -> tuple[WithheldValue, ...]:
    """A pilot's withheld values, less those its reports print anyway: the pilot's budget,
    spend and roll-out cost (``pilot_amounts``), its contract values and its costs."""
    published = [
        *pilot_amounts,
        *(getattr(c, "contract_value", None) for c in contracts),
        *cost_amounts,
    ]
    return withheld_values(contracts, published)


def _amounts(text: str) -> list[_Amount]:
    found = []
    for match in _AMOUNT.finditer(text):
        digits = match["num"].replace(",", "")
        scale = _SCALES.get((match["scale"] or "").lower(), 1.0)
        value = float(digits) * scale
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        significant = len(digits.replace(".", "").lstrip("0"))
        # "6.1m" stands for anything that rounds to it; one significant figure ("6m") is
        # too rough to say which value was meant, so it must be exact.
        tolerance = 0.5 * scale * 10.0**-decimals if significant >= 2 else 0.0
        if scale == 1.0 and decimals == 0 and significant >= 2:
            tolerance = 0.5
        per_unit = bool(_PER_UNIT.match(text, match.end()))
        money = bool(match["pound"] or match["scale"]) or per_unit
        found.append(_Amount(match.start(), match.end(), value, tolerance, money, per_unit))
    return found


def _is_year(text: str, amount: _Amount) -> bool:
    written = text[amount.start : amount.end]
    return written.isdigit() and len(written) == 4 and 1900 <= amount.value <= 2100


def _kind(word: str) -> str:
    key = word.lower()
    return _KIND["should"] if key.startswith("should") else _KIND[key[:3]]


def _words_between(text: str, start: int, end: int) -> int:
    return len(text[start:end].split())


def sensitive_spans(text: str, withheld: Iterable[WithheldValue] = ()) -> tuple[SensitiveSpan, ...]:
    """Every commercially sensitive part of ``text``, in order; empty when there is none."""
    if not text:
        return ()
    return _spans(text, tuple(withheld))


# A portfolio of ten thousand pilots checks the same few recommendations many times over.
@functools.lru_cache(maxsize=4096)
def _spans(text: str, values: tuple[WithheldValue, ...]) -> tuple[SensitiveSpan, ...]:
    amounts = _amounts(text) if _DIGIT.search(text) else []
    if not amounts and "should" not in text.lower():
        return ()  # nothing to price and nothing to compare with a should-cost
    found: dict[tuple[int, int], SensitiveSpan] = {}
    for amount in amounts:
        written = text[amount.start : amount.end]
        if _is_year(text, amount) or (not amount.money and amount.value < 1000):
            continue
        labels = [
            v.label for v in values if abs(v.amount - amount.value) <= max(amount.tolerance, 0.5)
        ]
        if labels:
            named = " or ".join(dict.fromkeys(labels))
            reason = f"{'an' if named[0] in 'aeiou' else 'a'} {named} figure"
            found[amount.start, amount.end] = SensitiveSpan(
                amount.start, amount.end, written, reason
            )
    for sentence_start, sentence in _sentences(text):
        words = list(_WORDS.finditer(sentence))
        for amount in amounts:
            start, end = amount.start - sentence_start, amount.end - sentence_start
            if start < 0 or end > len(sentence) or (amount.start, amount.end) in found:
                continue
            pricing = [w for w in words if _prices(sentence, w, start, end, amount)]
            if pricing:
                # The nearest word says what the amount is ("1,048 per kWp, close to the
                # should-cost of 1,020": the first is not the should-cost).
                nearest = min(
                    pricing, key=lambda w: min(abs(w.start() - end), abs(start - w.end()))
                )
                found[amount.start, amount.end] = SensitiveSpan(
                    amount.start,
                    amount.end,
                    text[amount.start : amount.end],
                    "a price per unit" if amount.per_unit else _kind(nearest[0]),
                )
        comparison = _comparison(sentence, words)
        if comparison is not None:
            start, end = comparison
            span = (sentence_start + start, sentence_start + end)
            found.setdefault(
                span,
                SensitiveSpan(*span, sentence[start:end], "a bid compared with the should-cost"),
            )
    return tuple(found[key] for key in sorted(found))


def _prices(sentence: str, word: re.Match[str], start: int, end: int, amount: _Amount) -> bool:
    """Whether the amount at ``start:end`` of ``sentence`` is the price ``word`` speaks of."""
    if _is_year(sentence, _Amount(start, end, amount.value, 0, amount.money)):
        return False
    if end <= word.start():
        gap = _words_between(sentence, end, word.start())
        if amount.money:
            return gap <= _REACH
        # "a 900,000 bid" prices the bid; "37 bids" counts them.
        return gap == 0 and not word[0].lower().endswith("s")
    gap = _words_between(sentence, word.end(), start)
    if gap > _REACH:
        return False
    if amount.money:
        return True
    counted = _COUNTED.match(sentence, end) and not _PER_UNIT.match(sentence, end)
    return not counted and amount.value >= 10


def _comparison(sentence: str, words: list[re.Match[str]]) -> tuple[int, int] | None:
    """The words comparing a bid, price or outturn with the should-cost, if the sentence does."""
    should = [w for w in words if w[0].lower().startswith("should")]
    others = [w for w in words if not w[0].lower().startswith("should")]
    if not should or not others:
        return None
    percent = _PERCENT.search(sentence)
    if percent is not None:
        return percent.start(), percent.end()
    compared = _COMPARED.search(sentence)
    if compared is not None:
        return compared.start(), compared.end()
    return None


def _pieces(text: str) -> list[tuple[int, str, str]]:
    """(start, sentence or clause, what separates it from the next) across ``text``."""
    out: list[tuple[int, str, str]] = []
    start = 0
    for match in _SENTENCE.finditer(text):
        out.append((start, text[start : match.start()], match[0]))
        start = match.end()
    out.append((start, text[start:], ""))
    return out


def _sentences(text: str) -> list[tuple[int, str]]:
    """(start, sentence) for each sentence or clause of ``text``."""
    return [(start, piece) for start, piece, _ in _pieces(text)]


def withhold_sentences(text: str, withheld: Iterable[WithheldValue] = ()) -> str:
    """``text`` with each sentence (or clause after a semicolon) holding sensitive content
    replaced by one marker.

    Neighbouring withheld sentences share one marker; text with nothing sensitive is
    returned as it is.
    """
    spans = sensitive_spans(text, withheld)
    if not spans:
        return text
    kept: list[tuple[str, str]] = []  # (words, separator after them)
    for start, piece, separator in _pieces(text):
        end = start + len(piece)
        joint = "; " if ";" in separator else "\n\n" if "\n\n" in separator else " "
        if any(s.start < end and s.end > start for s in spans):
            if kept and kept[-1][0] == WITHHELD_DETAIL:
                kept[-1] = (WITHHELD_DETAIL, joint)
            else:
                kept.append((WITHHELD_DETAIL, joint))
        elif piece.strip():
            kept.append((piece.strip(), joint))
    return "".join(words + joint for words, joint in kept).strip()


def described(spans: Iterable[SensitiveSpan]) -> str:
    """What was found, for a message: "a should-cost figure (6.1m) and a bid price (900k)"."""
    grouped: dict[str, list[str]] = {}
    for span in spans:
        words = grouped.setdefault(span.reason, [])
        if span.words not in words:
            words.append(span.words)
    parts = [f"{reason} ({', '.join(words)})" for reason, words in grouped.items()]
    return ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else "".join(parts)
