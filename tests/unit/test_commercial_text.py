"""Commercially sensitive content in free text: what is found, what is not, what is withheld."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from testlearn.domain.commercial_text import (
    WITHHELD_DETAIL,
    WithheldValue,
    described,
    sensitive_spans,
    withheld_values,
    withhold_sentences,
)
from testlearn.domain.marking import handling_line, printed_marking, strictest_handling

# DESNZ-TL-005's contract: should-cost 6.1m, winning bid 6.8m, outturn 4.62m.
WITHHELD = (
    WithheldValue("should-cost", 6_100_000),
    WithheldValue("winning bid", 6_800_000),
    WithheldValue("outturn cost", 4_620_000),
)


@pytest.mark.parametrize(
    "written",
    ["6100000", "6,100,000", "£6.1m", "6.1m", "£6.1 million", "6,100k", "£6,100,000", "6.10m"],
)
def test_a_withheld_value_is_found_however_it_is_written(written: str) -> None:
    text = f"The estimate was {written} before the market was tested."
    [span] = sensitive_spans(text, WITHHELD)
    assert span.words == written
    assert span.reason == "a should-cost figure"
    assert text[span.start : span.end] == written


def test_a_rounded_figure_matches_the_value_it_rounds_from() -> None:
    # 4.62m written as 4.6m is still the outturn; 9,241,200 written as 9.2m is the should-cost.
    assert described(sensitive_spans("We spent 4.6m.", WITHHELD)) == "an outturn cost figure (4.6m)"
    assert sensitive_spans("About 9.2m.", [WithheldValue("should-cost", 9_241_200)])
    # One significant figure is too rough to say which value was meant.
    assert sensitive_spans("About 6m in all.", WITHHELD) == ()
    assert sensitive_spans("About 6.3m in all.", WITHHELD) == ()


@pytest.mark.parametrize(
    ("text", "reason", "words"),
    [
        (
            "The winning bid was 11% above the should-cost.",
            "a bid compared with the should-cost",
            "11% above",
        ),
        ("Close to the should-cost of 1,020.", "a should-cost figure", "1,020"),
        (
            "Installed cost averaged 1,048 per kWp, near the should-cost.",
            "a price per unit",
            "1,048",
        ),
        ("A 900,000 bid came in late.", "a bid price", "900,000"),
        ("Two operators bid £780k between them.", "a bid price", "£780k"),
        ("We quoted £250 per home.", "a price per unit", "£250"),
        ("The tender came back at £3.4m.", "a tender price", "£3.4m"),
        ("The outturn was 1.78m against 2.1m planned.", "an outturn figure", "1.78m"),
        ("Bids were priced at 250 a unit.", "a price", "250"),
        ("The bid of 900,000 was too high.", "a bid price", "900,000"),
        ("The should-cost is 1,020 plus fees.", "a should-cost figure", "1,020"),
        (
            "The winning bid was well above the should-cost.",
            "a bid compared with the should-cost",
            "above",
        ),
    ],
)
def test_prices_beside_bid_words_are_found(text: str, reason: str, words: str) -> None:
    spans = sensitive_spans(text)
    assert (words, reason) in [(s.words, s.reason) for s in spans], spans


@pytest.mark.parametrize(
    "text",
    [
        "The pilot's budget was £2.4m.",
        "A £2.4m national roll-out would follow a positive result.",
        "A national roll-out would have cost about 30m without a test.",
        "Only three installers bid, against eleven expected.",
        "37 bidders and 12 bids were received.",
        "Bids came from 150 installers across the region.",
        "The tender closed on 12/03/2026 for the 2026-27 year.",
        "DESNZ-TL-005 bid for funding in 2026.",
        "The price per outcome ignored the 19.8% deadweight of the control group.",
        "Passenger journeys per £1,000 of subsidy rose by 4%.",
        "Price outcome contracts on additional outcomes above a measured baseline.",
        "620 heat pumps were installed against a target of 1,000.",
        "412 homes had a full heating season of metered data by July 2026.",
        "Installers bid for lots rather than single roofs.",
        "",
    ],
)
def test_ordinary_figures_are_not_flagged(text: str) -> None:
    assert sensitive_spans(text, WITHHELD) == ()
    assert withhold_sentences(text, WITHHELD) == text


def test_only_the_sentences_that_say_it_are_withheld() -> None:
    text = (
        "Engagement was a single webinar. The winning bid was 11% above the 6.1m should-cost. "
        "Bidders priced the cost of financing the outcome share."
    )
    assert withhold_sentences(text, WITHHELD) == (
        f"Engagement was a single webinar. {WITHHELD_DETAIL} "
        "Bidders priced the cost of financing the outcome share."
    )


def test_a_clause_after_a_semicolon_is_withheld_on_its_own() -> None:
    text = (
        "Engagement was a single webinar; only two operators bid and the winning bid was "
        "11% above the should-cost."
    )
    assert withhold_sentences(text) == f"Engagement was a single webinar; {WITHHELD_DETAIL}"


def test_neighbouring_withheld_sentences_share_one_marker() -> None:
    text = "The should-cost was 6.1m. The bid was 6.8m. Three firms bid."
    assert withhold_sentences(text, WITHHELD) == f"{WITHHELD_DETAIL} Three firms bid."


def test_what_was_found_is_said_in_words() -> None:
    spans = sensitive_spans("The winning bid was 11% above the 6.1m should-cost.", WITHHELD)
    assert described(spans) == (
        "a bid compared with the should-cost (11% above) and a should-cost figure (6.1m)"
    )


def test_withheld_values_leave_out_what_reports_print_anyway() -> None:
    contract = SimpleNamespace(should_cost=850_000.0, winning_bid=900_000.0, outturn_cost=900_000.0)
    found = withheld_values([contract], published=[900_000.0, None])
    assert found == (WithheldValue("should-cost", 850_000.0),)
    assert [v.label for v in withheld_values([contract])] == [
        "should-cost",
        "winning bid",
        "outturn cost",
    ]


def test_the_handling_line_says_what_a_raised_marking_holds() -> None:
    assert handling_line("Share within government only.") == "Share within government only."
    line = handling_line(
        "Share within government only.",
        raised=True,
        figures=["should-cost", "winning bid", "outturn cost"],
        team="Rural Transport Team",
    )
    assert line == (
        "Commercial in confidence: contains should-cost, winning bid and outturn cost figures; "
        "do not share outside Rural Transport Team and the Commercial function. "
        "Share within government only."
    )


def test_a_combined_document_keeps_the_strictest_handling() -> None:
    official = printed_marking("OFFICIAL")
    sensitive = printed_marking("OFFICIAL_SENSITIVE")
    commercial = printed_marking("OFFICIAL_SENSITIVE", "COMMERCIAL")
    inputs = [
        (official, "Publish after the minister has seen it."),
        (sensitive, "Share within government only."),
        (commercial, "Share within DESNZ and HM Treasury only."),
        (commercial, "Share within DESNZ and HM Treasury only."),
        (commercial, "Contains installer prices."),
    ]
    # One instruction, not several side by side: the narrowest audience at the top marking.
    assert strictest_handling(inputs) == "Share within DESNZ and HM Treasury only."
    assert strictest_handling([(official, ""), (sensitive, "Share within government only.")]) == (
        "Share within government only."
    )
    assert strictest_handling([(official, "")]) == ""


def test_the_strictest_handling_shares_with_the_fewest() -> None:
    commercial = printed_marking("OFFICIAL_SENSITIVE", "COMMERCIAL")
    wide = "Contains installer prices per kWp and the should-cost. Share within government only."
    narrow = (
        "Contains supplier pricing and should-cost. Share within DESNZ and HM Treasury only; "
        "do not release outside government."
    )
    for inputs in ([wide, narrow], [narrow, wide]):
        assert strictest_handling((commercial, t) for t in inputs) == narrow
    # Limits of any kind beat none; of two equally narrow, the one with more limits, else the
    # first.
    assert (
        strictest_handling(
            [(commercial, "Publish after the minister has seen it."), (commercial, wide)]
        )
        == wide
    )
    assert (
        strictest_handling(
            [
                (commercial, "Share within the Home Office."),
                (commercial, "Share within the Home Office only; do not forward."),
            ]
        )
        == "Share within the Home Office only; do not forward."
    )
    assert (
        strictest_handling(
            [(commercial, "Share within DfE only."), (commercial, "Share within DWP only.")]
        )
        == "Share within DfE only."
    )
