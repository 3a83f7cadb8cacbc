"""Table columns wide enough for their longest header word and reference."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.columns import column_widths

FONT, BOLD = "Helvetica", "Helvetica-Bold"


def _widths(
    headers: tuple[str, ...], rows: list[tuple[str, ...]], shares: tuple[float, ...]
) -> list[float]:
    return column_widths(headers, rows, shares, total=480, font=FONT, bold=BOLD, size=9, padding=6)


def test_a_narrow_column_is_widened_to_its_longest_header_word() -> None:
    widths = _widths(("Code", "Hypothesis", "Verdict"), [("H1", "x", "Worked")], (0.05, 0.05, 0.9))
    assert widths[1] >= stringWidth("Hypothesis", BOLD, 9) + 6
    assert widths[0] >= stringWidth("Code", BOLD, 9) + 6
    assert abs(sum(widths) - 480) < 1e-6


def test_a_reference_keeps_its_column_wide_enough_and_the_room_comes_from_the_others() -> None:
    widths = _widths(("Ref", "Title"), [("DESNZ-TL-005", "Heat pumps in homes")], (0.05, 0.95))
    assert widths[0] >= stringWidth("DESNZ-TL-005", FONT, 9) + 6
    assert widths[1] < 0.95 * 480 and abs(sum(widths) - 480) < 1e-6


def test_columns_already_wide_enough_keep_their_declared_shares() -> None:
    assert _widths(("A", "B"), [("1", "2")], (0.25, 0.75)) == [120, 360]


def test_an_ordinary_word_and_each_word_of_a_marking_keep_their_column_wide_enough() -> None:
    widths = _widths(
        ("Verdict", "Marking", "Title"),
        [("No worthwhile difference", "OFFICIAL-SENSITIVE COMMERCIAL", "Heat pumps")],
        (0.05, 0.05, 0.9),
    )
    assert widths[0] >= stringWidth("worthwhile", FONT, 9) + 6
    # In a cell a marking may wrap at its space, never inside "OFFICIAL-SENSITIVE".
    assert widths[1] >= stringWidth("OFFICIAL-SENSITIVE", FONT, 9) + 6


def test_a_word_wider_than_a_fifth_of_the_table_wraps_rather_than_widen_its_column() -> None:
    widths = _widths(("A", "B"), [("incomprehensibilities-of-the-procedure", "x")], (0.05, 0.95))
    assert widths[0] == 0.05 * 480
